"""dualtape.profiler: counts of known programs, self and total time of nested
calls, the Chrome trace file, threads, and the state machine."""
import json
import sys
import threading
import time

import pytest

import dualtape as dt
from dualtape import _engine, autograd, nd, profiler


@pytest.fixture(autouse=True)
def clean_profiler():
    """Each test starts and ends with a stopped, empty, unconfigured profiler."""
    yield
    profiler.set_state("stop")
    profiler.set_config()
    profiler.dumps(reset=True)


def stats():
    return json.loads(profiler.dumps(format="json"))


def counts():
    """phase -> op -> number of calls."""
    return {phase: {name: r["Count"] for name, r in ops.items()}
            for phase, ops in stats().items()}


def recorded_chain(n):
    """``x ** (n + 1)`` as ``n`` recorded multiplies of shape-(1,) float64 arrays."""
    x = nd.array([0.5], dtype="float64")
    x.attach_grad()
    with autograd.record():
        y = x
        for _ in range(n):
            y = y * x
    return x, y


class Slow(autograd.Function):
    """Sleeps 20 ms in forward, then one op."""

    def forward(self, x):
        time.sleep(0.02)
        return x * 2

    def backward(self, dy):
        return dy * 2


class Outer(autograd.Function):
    """Its backward calls ``Slow``: a VJP rule with a nested op."""

    def forward(self, x):
        return x * 3

    def backward(self, dy):
        return Slow()(dy) * 1.5


# ------------------------------------------------------------------ counts ---

def test_recorded_multiplies_give_one_forward_and_one_vjp_event_each():
    with profiler.run():
        x, y = recorded_chain(7)
        assert counts() == {"forward": {"multiply": 7}, "jvp": {}, "vjp": {}}
        y.backward()
    s = stats()
    assert {p: {k: r["Count"] for k, r in ops.items()} for p, ops in s.items()} == {
        "forward": {"multiply": 7}, "jvp": {}, "vjp": {"multiply": 7}}
    # each product is 8 bytes; each cotangent rule returns two of them
    assert s["forward"]["multiply"]["Bytes"] == 7 * 8
    assert s["vjp"]["multiply"]["Bytes"] == 7 * 16
    r = s["forward"]["multiply"]
    assert 0 < r["Min"] <= r["Avg"] <= r["Max"] <= r["Total"]
    assert r["Avg"] == pytest.approx(r["Total"] / 7)


def test_forward_mode_reports_jvp_events():
    x = nd.ones((2, 3), dtype="float32")
    with profiler.run():
        dt.jvp(lambda x: nd.sin(x) * x * x, (x,), (nd.ones((2, 3), dtype="float32"),))
    s = stats()
    assert {k: r["Count"] for k, r in s["jvp"].items()} == {"sin": 1, "multiply": 2}
    assert s["vjp"] == {}
    # value and tangent: 2 x 6 float32
    assert s["jvp"]["sin"]["Bytes"] == 48


def test_nothing_is_collected_while_stopped_or_paused():
    recorded_chain(3)
    profiler.set_state("run")
    recorded_chain(2)
    profiler.pause()
    assert profiler.state() == "pause"
    recorded_chain(5)
    profiler.resume()
    recorded_chain(1)
    profiler.set_state("stop")
    recorded_chain(4)
    assert counts()["forward"] == {"multiply": 3}


def test_dumps_reset_clears_the_statistics():
    with profiler.run():
        recorded_chain(3)
    assert "multiply" in profiler.dumps(reset=True)
    assert stats() == {"forward": {}, "jvp": {}, "vjp": {}}
    assert "multiply" not in profiler.dumps()


# ----------------------------------------------------------------- nesting ---

def test_self_time_excludes_the_ops_a_rule_calls():
    x = nd.array([1.0, 2.0], dtype="float64")
    x.attach_grad()
    with profiler.run():
        with autograd.record():
            y = Outer()(x)
        y.backward()
    s = stats()
    for ops in s.values():
        for r in ops.values():
            assert 0 <= r["Self"] <= r["Total"]
    outer, slow = s["vjp"]["Outer"], s["forward"]["Slow"]
    assert slow["Total"] >= 20 and slow["Self"] >= 20       # its sleep is its own time
    assert outer["Total"] >= slow["Total"]                  # Slow ran inside Outer's rule
    assert outer["Total"] - outer["Self"] >= slow["Total"] * (1 - 1e-9)
    assert outer["Self"] < 20
    assert slow["Total"] > slow["Self"]                     # its x * 2


# ------------------------------------------------------------------- trace ---

def check_trace(path):
    """The file is a Chrome trace of metadata ("M") and complete ("X")
    events, each thread's in order of their start; returns the complete
    events and the thread names by tid."""
    trace = json.loads(path.read_text())
    assert set(trace) == {"traceEvents", "displayTimeUnit"}
    events = trace["traceEvents"]
    meta = [e for e in events if e["ph"] == "M"]
    spans = [e for e in events if e["ph"] == "X"]
    assert len(meta) + len(spans) == len(events)
    for e in events:
        assert isinstance(e["name"], str) and isinstance(e["pid"], int)
        assert isinstance(e["tid"], int)
    for e in spans:
        assert set(e) == {"name", "cat", "ph", "pid", "tid", "ts", "dur", "args"}
        assert e["cat"] in profiler.PHASES and e["args"]["phase"] == e["cat"]
        assert isinstance(e["ts"], float) and e["dur"] >= 0
        assert 0 <= e["args"]["self_us"] <= e["dur"]
        assert isinstance(e["args"]["bytes"], int)
    names = {e["tid"]: e["args"]["name"] for e in meta if e["name"] == "thread_name"}
    assert {e["tid"] for e in spans} <= set(names)
    assert [e["args"]["name"] for e in meta if e["name"] == "process_name"] == ["dualtape"]
    for tid in names:
        starts = [e["ts"] for e in spans if e["tid"] == tid]
        assert starts == sorted(starts)
    return spans, names


def test_trace_file_holds_every_event(tmp_path):
    path = tmp_path / "trace.json"
    profiler.set_config(filename=str(path))
    x = nd.array([1.0, 2.0], dtype="float64")
    x.attach_grad()
    with profiler.run():
        with autograd.record():
            y = Outer()(x) * x
        y.backward()
        dt.jvp(lambda x: nd.tanh(x) * x, (x,), (x,))
    profiler.dump()
    assert profiler.state() == "stop"
    spans, names = check_trace(path)
    assert names == {threading.get_native_id(): threading.current_thread().name}
    expected = counts()
    got = {p: {} for p in profiler.PHASES}
    for e in spans:
        got[e["cat"]][e["name"]] = got[e["cat"]].get(e["name"], 0) + 1
    assert got == expected
    total_bytes = sum(r["Bytes"] for ops in stats().values() for r in ops.values())
    assert sum(e["args"]["bytes"] for e in spans) == total_bytes
    # Slow's forward (and its x * 2) lie inside Outer's backward rule, which
    # comes first in the file
    outer = next(e for e in spans if e["name"] == "Outer" and e["cat"] == "vjp")
    slow = next(e for e in spans if e["name"] == "Slow")
    assert outer["ts"] <= slow["ts"] and slow["ts"] + slow["dur"] <= outer["ts"] + outer["dur"]
    assert spans.index(outer) < spans.index(slow)
    assert outer["dur"] - outer["args"]["self_us"] >= slow["dur"] * (1 - 1e-9)


def test_dump_finished_stops_and_starts_a_new_trace(tmp_path):
    path = tmp_path / "trace.json"
    profiler.set_config(filename=str(path))
    profiler.set_state("run")
    recorded_chain(2)
    profiler.dump(finished=False)
    assert profiler.state() == "run"
    assert len(check_trace(path)[0]) == 2
    recorded_chain(3)
    profiler.dump()
    assert len(check_trace(path)[0]) == 5
    profiler.set_state("run")
    recorded_chain(1)
    profiler.dump()
    assert len(check_trace(path)[0]) == 1


@pytest.fixture
def fast_switching():
    """Threads take turns every microsecond, so that they switch inside ops too."""
    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)
    yield
    sys.setswitchinterval(interval)


def test_threads_land_on_their_own_tid(tmp_path, fast_switching):
    path = tmp_path / "trace.json"
    profiler.set_config(filename=str(path))
    n, rounds, tids = 20, 30, {}
    start = threading.Barrier(3)

    def worker(k):
        tids[k] = threading.get_native_id()
        start.wait()
        for _ in range(rounds):
            x, y = recorded_chain(n)
            y.backward()

    threads = [threading.Thread(target=worker, args=(k,), name="worker-%d" % k)
               for k in range(3)]
    with profiler.run():
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    assert counts() == {"forward": {"multiply": 3 * rounds * n}, "jvp": {},
                        "vjp": {"multiply": 3 * rounds * n}}
    profiler.dump()
    spans, names = check_trace(path)
    assert names == {tids[k]: "worker-%d" % k for k in range(3)}
    for k in range(3):
        mine = [e for e in spans if e["tid"] == tids[k]]
        assert len(mine) == 2 * rounds * n
        for e in mine:       # a thread's events never nest across threads
            assert e["args"]["self_us"] == e["dur"]


def test_finished_threads_are_forgotten_once_reported():
    def worker():
        recorded_chain(2)

    with profiler.run():
        t = threading.Thread(target=worker)
        t.start()
        t.join()
    kept = [b.thread for b in profiler._PROFILER._threads]
    assert t in kept and counts()["forward"] == {"multiply": 2}
    profiler.dumps(reset=True)
    assert t not in [b.thread for b in profiler._PROFILER._threads]


def test_no_trace_kept_without_a_filename():
    with profiler.run():
        recorded_chain(2)
    with pytest.raises(RuntimeError, match=r"set_config\(filename=\.\.\.\)"):
        profiler.dump()


def test_aggregate_stats_false_keeps_only_the_trace(tmp_path):
    path = tmp_path / "trace.json"
    profiler.set_config(filename=str(path), aggregate_stats=False)
    with profiler.run():
        recorded_chain(4)
    assert stats() == {"forward": {}, "jvp": {}, "vjp": {}}
    profiler.dump()
    assert len(check_trace(path)[0]) == 4


# ------------------------------------------------------------------- table ---

def test_table_sorts_each_phase():
    x = nd.array([1.0, 2.0], dtype="float64")
    with profiler.run():
        Slow()(x)
        for _ in range(5):
            x = x + x
    table = profiler.dumps()
    forward = table.split("\nforward\n")[1]
    assert forward.index("\nSlow ") < forward.index("\nadd ")           # by total time
    by_count = profiler.dumps(sort_by="count").split("\nforward\n")[1]
    assert by_count.index("\nadd ") < by_count.index("\nSlow ")
    row = next(line for line in by_count.splitlines() if line.startswith("add "))
    assert row.split()[1] == "5" and row.split()[-1] == str(5 * 16)
    ascending = profiler.dumps(sort_by="count", ascending=True).split("\nforward\n")[1]
    assert ascending.index("\nmul_scalar ") < ascending.index("\nadd ")
    assert "\njvp\n" not in table and "\nvjp\n" not in table


@pytest.mark.parametrize("kwargs, message", [
    ({"format": "csv"}, "format must be 'table' or 'json', got 'csv'"),
    ({"sort_by": "median"}, "sort_by must be one of 'total', 'self'"),
])
def test_dumps_rejects_bad_arguments(kwargs, message):
    with pytest.raises(ValueError, match=message):
        profiler.dumps(**kwargs)


# ------------------------------------------------------------------- state ---

def test_set_state_rejects_other_states():
    with pytest.raises(ValueError, match=r"profiler state must be 'run' or 'stop', got 'pause'"):
        profiler.set_state("pause")
    with pytest.raises(ValueError, match="got 1"):
        profiler.set_state(1)
    assert profiler.state() == "stop"


def test_stopped_means_no_callback_and_stopping_restores_the_previous_one():
    assert _engine.set_profiler(None) is None
    profiler.set_state("run")
    profiler.set_state("run")            # again: no effect
    profiler.set_state("stop")
    assert _engine.set_profiler(None) is None

    seen = []
    previous = lambda *event: seen.append(event[:2])   # noqa: E731
    _engine.set_profiler(previous)
    try:
        with profiler.run():
            recorded_chain(2)
            profiler.pause()
            recorded_chain(1)            # the previous callback again while paused
            profiler.resume()
        assert seen == [("forward", "multiply")]
        assert _engine.set_profiler(previous) is previous
        recorded_chain(1)
        assert seen == [("forward", "multiply")] * 2
    finally:
        _engine.set_profiler(None)
    assert counts()["forward"] == {"multiply": 2}


def test_run_returns_to_the_state_before_it():
    with profiler.run():
        assert profiler.state() == "run"
    assert profiler.state() == "stop"
    profiler.set_state("run")
    with profiler.run():
        pass
    assert profiler.state() == "run"
    profiler.pause()
    with profiler.run():
        assert profiler.state() == "run"
        recorded_chain(1)
    assert profiler.state() == "pause"
    with pytest.raises(KeyError):
        with profiler.run():
            raise KeyError("inside")
    assert profiler.state() == "pause"
    assert counts()["forward"] == {"multiply": 1}


def test_pause_and_resume_need_the_right_state():
    with pytest.raises(RuntimeError,
                       match=r"pause\(\) needs a running profiler; its state is 'stop'"):
        profiler.pause()
    profiler.set_state("run")
    with pytest.raises(RuntimeError,
                       match=r"resume\(\) needs a paused profiler; its state is 'run'"):
        profiler.resume()
    profiler.pause()
    profiler.set_state("stop")
    assert profiler.state() == "stop"
    assert _engine.set_profiler(None) is None


def test_set_config_checks_its_keywords():
    profiler.set_config(profile_all=True, aggregate_stats=True)     # MXNet's usual call
    with pytest.raises(TypeError, match="unexpected keyword 'continuous_dump'"):
        profiler.set_config(continuous_dump=True)
    with pytest.raises(TypeError, match="aggregate_stats must be True or False, got 1"):
        profiler.set_config(aggregate_stats=1)
    with pytest.raises(TypeError, match="filename must be a path or None, got int"):
        profiler.set_config(filename=3)
