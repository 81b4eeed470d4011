"""Random compositions of ops over random shapes (0-d, empty, size-1,
broadcast), dtypes and layouts (byte-swapped, strided, Fortran, read-only):
forward mode, reverse mode, the recording API and finite differences agree,
output shapes match numpy's, and nothing crashes.

Programs run in a worker process: a segmentation fault fails the example
(which hypothesis then shrinks) instead of ending the test run.
"""
import json
import os
import subprocess
import sys

import pytest
from hypothesis import HealthCheck, given, reject, settings, strategies as st

import dualtape
import programs

WORKER = os.path.join(os.path.dirname(os.path.abspath(__file__)), "program_worker.py")
# the worker imports the dualtape this process tests, installed or built in place
WORKER_ENV = dict(os.environ, PYTHONPATH=os.pathsep.join(
    [os.path.dirname(os.path.dirname(os.path.abspath(dualtape.__file__)))]
    + ([os.environ["PYTHONPATH"]] if os.environ.get("PYTHONPATH") else [])))


class Worker:
    """One long-lived worker process, restarted after a crash."""

    def __init__(self):
        self.proc = None

    def run(self, program):
        if self.proc is None or self.proc.poll() is not None:
            self.proc = subprocess.Popen([sys.executable, WORKER], stdin=subprocess.PIPE,
                                         stdout=subprocess.PIPE, text=True, env=WORKER_ENV)
        text = json.dumps(program)
        self.proc.stdin.write(text + "\n")
        self.proc.stdin.flush()
        line = self.proc.stdout.readline()
        if not line:
            code = self.proc.wait()
            self.proc = None
            raise AssertionError("the worker died (exit code %d) running %s" % (code, text))
        return json.loads(line)

    def close(self):
        if self.proc is not None:
            self.proc.stdin.close()
            self.proc.wait()


@pytest.fixture(scope="module")
def worker():
    w = Worker()
    yield w
    w.close()


SHAPES = st.lists(st.integers(0, 3), min_size=0, max_size=3).map(tuple)


@st.composite
def program(draw):
    n_in = draw(st.integers(1, 3))
    shapes = [draw(SHAPES)]
    for _ in range(n_in - 1):   # often broadcastable against the first
        base = shapes[0]
        shapes.append(draw(st.one_of(
            SHAPES, st.just(base),
            st.just(tuple(1 if draw(st.booleans()) else s for s in base)),
            st.just(base[draw(st.integers(0, len(base))):]))))
    inputs = [{"shape": list(s), "layout": draw(st.sampled_from(programs.LAYOUTS)),
               "seed": draw(st.integers(0, 2 ** 16))} for s in shapes]
    steps = []
    for k in range(draw(st.integers(1, 6))):
        name = draw(st.sampled_from(sorted(programs.OPS)))
        arity, nopt = programs.OPS[name][:2]
        n_vals = n_in + k
        args = [draw(st.integers(0, n_vals - 1)) for _ in range(arity)]
        if draw(st.booleans()):
            args[0] = n_vals - 1           # chain on the latest value
        steps.append([name] + args + [draw(st.integers(0, 3)) for _ in range(nopt)])
    return {"dtype": draw(st.sampled_from(["float64", "float32"])), "inputs": inputs,
            "steps": steps, "tangent_seed": draw(st.integers(0, 2 ** 16))}


@settings(max_examples=int(os.environ.get("DUALTAPE_PROGRAMS", "1500")), deadline=None,
          suppress_health_check=[HealthCheck.filter_too_much, HealthCheck.too_slow])
@given(program())
def test_random_programs(worker, prog):
    answer = worker.run(prog)
    if "reject" in answer:
        reject()
    assert "error" not in answer, "%s\n%s" % (json.dumps(prog), answer.get("error"))


def test_the_worker_reports_a_crash_as_a_failure(worker):
    w = Worker()
    w.proc = subprocess.Popen([sys.executable, "-c", "import os; os.abort()"],
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    with pytest.raises(AssertionError, match="worker died"):
        w.run({"crash": True})


def test_a_wrong_result_is_reported():
    """``run`` checks something: a wrong reference fails it."""
    prog = {"dtype": "float64", "inputs": [{"shape": [3], "layout": "plain", "seed": 1}],
            "steps": [["sin", 0]], "tangent_seed": 2}
    programs.run(prog)
    saved = programs.OPS["sin"]
    programs.OPS["sin"] = saved[:3] + (lambda a: __import__("numpy").sin(a) * 1.001,) \
        + saved[4:]
    try:
        with pytest.raises(AssertionError, match="value"):
            programs.run(prog)
    finally:
        programs.OPS["sin"] = saved
