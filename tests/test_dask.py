"""dualtape beyond one process (issue 11).

NDArrays and the functions made by ``dt.grad``, ``dt.value_and_grad``,
``dt.jacobian`` and ``dt.hessian`` pickle (cloudpickle always, the standard
pickle when ``f`` is importable) and give the same derivatives in a fresh
process. On a dask.distributed cluster of two worker processes, a
data-parallel gradient over a chunked dask array and a batch of per-chunk
Jacobians match the one-process results and closed forms. The Cython kernels
let another thread run, and differentiate, while they work on a large array.
"""
import fcntl
import mmap
import os
import pathlib
import pickle
import select
import struct
import subprocess
import sys
import threading

import cloudpickle
import dask
import dask.array as da
import numpy as np
import psutil
import pytest
from dask.distributed import Client, LocalCluster
from numpy.testing import assert_allclose

import dualtape as dt
from dualtape import _engine, nd

ROOT = pathlib.Path(__file__).resolve().parent.parent
TESTS = pathlib.Path(__file__).resolve().parent
RTOL = 1e-12


# ------------------------------------------------- the functions shipped ---

def nll(w, X, y):
    """Negative log-likelihood of logistic regression with weights ``w``."""
    z = nd.dot(X, w)
    return nd.sum(nd.log1p(nd.exp(z)) - y * z)


def residuals(w, t, y):
    """Residuals of the model ``w0 * exp(-w1 * t) + w2`` on data ``(t, y)``."""
    return w[0] * nd.exp(-w[1] * t) + w[2] - y


def _sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


def nll_closed_form(w, X, y):
    """Value, gradient and Hessian of ``nll`` written out in numpy."""
    z = X @ w
    p = _sigmoid(z)
    return (np.sum(np.log1p(np.exp(z)) - y * z), X.T @ (p - y),
            X.T @ (X * (p * (1 - p))[:, None]))


def residuals_jacobian(w, t):
    e = np.exp(-w[1] * t)
    return np.stack([e, -w[0] * t * e, np.ones_like(t)], axis=1)


def logistic_data(n, d, seed):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, d))
    y = (rng.random(n) < _sigmoid(X @ rng.normal(size=d))).astype(np.float64)
    return X, y, rng.normal(scale=0.5, size=d)


def decay_data(n, seed):
    rng = np.random.default_rng(seed)
    t = np.linspace(0.0, 4.0, n)
    y = 2.0 * np.exp(-1.3 * t) + 0.5 + rng.normal(scale=0.01, size=n)
    return t, y, np.array([1.8, 1.1, 0.4])


def _nd(a):
    return nd.array(a, dtype=a.dtype)


def _numpy(result):
    """NDArrays (in tuples) as numpy arrays, to compare or to send back."""
    if isinstance(result, tuple):
        return tuple(_numpy(r) for r in result)
    return result.asnumpy()


# ------------------------------------------------------------- pickling ---

@pytest.mark.parametrize("dumps", [pickle.dumps, cloudpickle.dumps], ids=["pickle", "cloudpickle"])
@pytest.mark.parametrize("data", [
    np.array([[1.5, -2.0], [3.0, 4.0]]),
    np.arange(6, dtype=np.float32).reshape(3, 2, 1),
    np.array([1, -7, 3], dtype=np.int32),
    np.array([True, False]),
    np.array(2.5),
    np.zeros((0, 3), np.float16),
], ids=["f64", "f32-3d", "i32", "bool", "0d", "empty-f16"])
def test_ndarray_pickles_its_values(dumps, data):
    x = nd.array(data, dtype=data.dtype)
    if data.dtype.kind == "f":
        x.attach_grad()
    y = pickle.loads(dumps(x))
    assert type(y) is nd.NDArray and y is not x
    assert y.dtype is x.dtype and y.shape == data.shape
    assert_allclose(y.asnumpy(), data, rtol=0, atol=0)
    assert y.grad is None and y._node is None            # values only, as MXNet


def test_a_view_pickles_as_its_own_values():
    base = nd.array(np.arange(12.0).reshape(3, 4), dtype="float64")
    y = pickle.loads(pickle.dumps(base[1]))
    assert_allclose(y.asnumpy(), [4.0, 5.0, 6.0, 7.0], rtol=0, atol=0)
    y[0] = -1.0
    assert base.asnumpy()[1, 0] == 4.0


def _transformed(local):
    """``{kind: (function, args, expected)}`` for each kind of transformed
    function; ``local`` builds ``f`` inside this function (pickled by value
    by cloudpickle, refused by the standard pickle)."""
    X, y, w = logistic_data(50, 3, seed=1)
    t, ty, v = decay_data(30, seed=2)
    value, gradient, hessian = nll_closed_form(w, X, y)
    if local:
        def f_nll(w, X, y):
            z = nd.dot(X, w)
            return nd.sum(nd.log1p(nd.exp(z)) - y * z)

        def f_res(w, t, y):
            return w[0] * nd.exp(-w[1] * t) + w[2] - y
    else:
        f_nll, f_res = nll, residuals
    data = (w, _nd(X), _nd(y))
    return {
        "grad": (dt.grad(f_nll), data, gradient),
        "grad-forward": (dt.grad(f_nll, mode="forward"), data, gradient),
        "value_and_grad": (dt.value_and_grad(f_nll), data, (np.array([value]), gradient)),
        "jacobian": (dt.jacobian(f_res), (v, _nd(t), _nd(ty)), residuals_jacobian(v, t)),
        "hessian": (dt.hessian(f_nll), data, hessian),
    }


def _in_fresh_process(payload, path=()):
    """Unpickle a list of ``(function, args)`` in a new interpreter (with
    ``path`` on its ``sys.path``) and call each there; return the results as
    numpy arrays and whether unpickling imported this test module."""
    code = ("import pickle, sys\n"
            "calls = pickle.loads(sys.stdin.buffer.read())\n"
            "imported = 'test_dask' in sys.modules\n"
            "outs = [f(*args) for f, args in calls]\n"
            "outs = [tuple(o.asnumpy() for o in out) if isinstance(out, tuple) "
            "else out.asnumpy() for out in outs]\n"
            "import dualtape\n"
            "sys.stdout.buffer.write(pickle.dumps((outs, imported, dualtape.__file__)))\n")
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(str(p) for p in path))
    proc = subprocess.run([sys.executable, "-c", code], input=payload, cwd=ROOT, env=env,
                          capture_output=True, timeout=300)
    assert proc.returncode == 0, proc.stderr.decode()
    outs, imported, dualtape_file = pickle.loads(proc.stdout)
    assert dualtape_file == dt.__file__             # the dualtape under test
    return outs, imported


def test_cloudpickle_ships_local_functions_by_value():
    cases = _transformed(local=True)
    for f, _, _ in cases.values():
        with pytest.raises((AttributeError, pickle.PicklingError)):
            pickle.dumps(f)
    calls = [(f, args) for f, args, _ in cases.values()]
    outs, imported = _in_fresh_process(cloudpickle.dumps(calls))
    assert not imported
    for (kind, (f, args, expected)), got in zip(cases.items(), outs):
        _close(got, expected, kind)
        _same(got, _numpy(f(*args)), kind)


@pytest.mark.parametrize("dumps", [pickle.dumps, cloudpickle.dumps], ids=["pickle", "cloudpickle"])
def test_module_level_functions_pickle_by_reference(dumps):
    cases = _transformed(local=False)
    for kind, (f, args, _) in cases.items():
        g = pickle.loads(dumps(f))
        assert g.__name__ == f.__name__
        _same(_numpy(g(*args)), _numpy(f(*args)), kind)
    calls = [(f, args) for f, args, _ in cases.values()]
    outs, imported = _in_fresh_process(dumps(calls), path=[TESTS])
    assert imported                     # nll and residuals found by module and name
    for (kind, (f, args, expected)), got in zip(cases.items(), outs):
        _close(got, expected, kind)
        _same(got, _numpy(f(*args)), kind)


def _close(got, expected, what):
    if isinstance(expected, tuple):
        assert isinstance(got, tuple) and len(got) == len(expected), what
        for a, b in zip(got, expected):
            _close(a, b, what)
    else:
        assert_allclose(got, expected, rtol=1e-10, atol=1e-12, err_msg=what)


def _same(a, b, what):
    """Bitwise equal: the same code on the same data in another process."""
    if isinstance(a, tuple):
        assert isinstance(b, tuple) and len(a) == len(b), what
        for x, y in zip(a, b):
            _same(x, y, what)
    else:
        assert a.dtype == b.dtype and a.shape == b.shape, what
        assert np.array_equal(a, b), (what, a, b)


# ------------------------------------------------------------------ GIL ---
# A kernel working on a large array releases the GIL.  Shown without timing:
# the array's memory pages are filled on first touch by a Python thread
# (Linux's userfaultfd), so a kernel reading them with the GIL held would wait
# forever for a thread that cannot run.  That thread first computes a whole
# gradient of its own: two differentiations overlap.

UFFD_API, UFFD_EVENT_PAGEFAULT = 0xAA, 0x12
USERFAULTFD_IOC_NEW = 0xAA00            # _IO(0xAA, 0x00)
UFFDIO_API = 0xC018AA3F                 # _IOWR(0xAA, 0x3F, struct uffdio_api)
UFFDIO_REGISTER = 0xC020AA00            # _IOWR(0xAA, 0x00, struct uffdio_register)
UFFDIO_COPY = 0xC028AA03                # _IOWR(0xAA, 0x03, struct uffdio_copy)
UFFDIO_REGISTER_MODE_MISSING = 1
# elements: 32 pages of float64, above the kernels' 4096-element threshold
# for releasing the GIL
LARGE = 4 * 4096


def _userfaultfd():
    """A userfaultfd descriptor from /dev/userfaultfd (Linux >= 6.1)."""
    dev = os.open("/dev/userfaultfd", os.O_RDWR | os.O_CLOEXEC)
    try:
        fd = fcntl.ioctl(dev, USERFAULTFD_IOC_NEW, os.O_CLOEXEC | os.O_NONBLOCK)
    finally:
        os.close(dev)
    fcntl.ioctl(fd, UFFDIO_API, bytearray(struct.pack("QQQ", UFFD_API, 0, 0)), True)
    return fd


class _PagedByThread:
    """``values`` copied into fresh memory page by page, by a Python thread,
    when some code first reads each page; ``first`` runs in that thread before
    the first page is filled."""

    def __init__(self, values, first):
        self.values = np.ascontiguousarray(values, np.float64)
        self.first, self.pages, self.error = first, 0, None
        self._mm = mmap.mmap(-1, self.values.nbytes, flags=mmap.MAP_PRIVATE | mmap.MAP_ANONYMOUS)
        self.array = np.frombuffer(self._mm, np.float64)      # not touched: no page yet
        self._fd = _userfaultfd()
        fcntl.ioctl(self._fd, UFFDIO_REGISTER, bytearray(struct.pack(
            "QQQQ", self.array.ctypes.data, self.values.nbytes, UFFDIO_REGISTER_MODE_MISSING, 0)),
            True)
        self._stop_r, self._stop_w = os.pipe()
        self._thread = threading.Thread(target=self._serve)
        self._thread.start()

    def _serve(self):
        start, page_size = self.array.ctypes.data, mmap.PAGESIZE
        while True:
            ready = select.select([self._fd, self._stop_r], [], [])[0]
            if self._stop_r in ready:
                return
            try:
                msg = os.read(self._fd, 32)             # struct uffd_msg
            except BlockingIOError:
                continue
            assert msg[0] == UFFD_EVENT_PAGEFAULT, msg
            if self.pages == 0:
                try:
                    self.first()
                except Exception as e:      # noqa: BLE001  (raised by close)
                    self.error = e
            page = struct.unpack_from("Q", msg, 16)[0] & ~(page_size - 1)
            fcntl.ioctl(self._fd, UFFDIO_COPY, bytearray(struct.pack(
                "QQQQq", page, self.values.ctypes.data + page - start, page_size, 0, 0)), True)
            self.pages += 1

    def close(self):
        os.write(self._stop_w, b".")
        self._thread.join()
        for fd in (self._fd, self._stop_r, self._stop_w):
            os.close(fd)
        if self.error is not None:
            raise self.error


def _overlap_check():
    """Run in a fresh process by the test below (it would hang, not fail, if
    a kernel kept the GIL): in each mode, this thread differentiates through
    tanh's kernel, reading a paged array (the point, the tangent or the
    cotangent) while the paging thread computes a gradient of sin."""
    n = LARGE
    x = np.linspace(-1.5, 1.5, n)
    lazy_values = np.linspace(-2.0, 2.0, n)
    sin_sum = dt.grad(lambda v: nd.sum(nd.sin(v)))
    for mode in ("value", "tangent", "cotangent"):
        other = {}

        def first():
            other["grad"] = sin_sum(nd.array(x, dtype="float64")).asnumpy()

        paged = _PagedByThread(lazy_values, first)
        lazy = _engine.wrap(paged.array)
        assert np.shares_memory(lazy._data, paged.array)           # no copy
        if mode == "value":
            got = dt.grad(lambda v: nd.sum(nd.tanh(v)))(lazy)
            expected = 1 - np.tanh(lazy_values) ** 2
        elif mode == "tangent":
            got = dt.jvp(nd.tanh, (nd.array(x, dtype="float64"),), (lazy,))[1]
            expected = lazy_values * (1 - np.tanh(x) ** 2)
        else:
            got = dt.vjp(nd.tanh, nd.array(x, dtype="float64"))[1](lazy)[0]
            expected = lazy_values * (1 - np.tanh(x) ** 2)
        paged.close()
        assert paged.pages >= 1
        assert_allclose(got.asnumpy(), expected, rtol=1e-13)
        assert_allclose(other["grad"], np.cos(x), rtol=1e-13)
        print(mode, "ok", flush=True)


def test_kernels_let_another_thread_differentiate_meanwhile():
    try:
        os.close(_userfaultfd())
    except OSError as e:
        pytest.skip("userfaultfd is not available here (%s): the GIL release cannot be "
                    "shown without timing" % e)
    env = dict(os.environ, PYTHONPATH=str(TESTS))
    try:
        proc = subprocess.run(
            [sys.executable, "-c", "import test_dask; test_dask._overlap_check()"],
            cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    except subprocess.TimeoutExpired as e:
        pytest.fail("a kernel kept the GIL while it waited for memory (finished: %r)"
                    % (e.stdout,))
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.split("\n") == ["value ok", "tangent ok", "cotangent ok", ""]


# -------------------------------------------------------------- cluster ---

@pytest.fixture(scope="module")
def client():
    """A dask.distributed client of two single-threaded worker processes,
    running this dualtape; every process it started is gone afterwards."""
    before = {p.pid for p in psutil.Process().children(recursive=True)}
    with LocalCluster(n_workers=2, processes=True, threads_per_worker=1,
                      dashboard_address=None) as cluster, Client(cluster) as c:
        assert set(c.run(_dualtape_file).values()) == {dt.__file__}
        # (multiprocessing's resource tracker lives as long as this process)
        started = [p for p in psutil.Process().children(recursive=True)
                   if p.pid not in before and "resource_tracker" not in " ".join(p.cmdline())]
        assert set(c.run(os.getpid).values()) <= {p.pid for p in started}
        yield c
    assert psutil.wait_procs(started, timeout=60)[1] == []


def _dualtape_file():
    return dt.__file__


def shard_value_and_grad(vg, X, y, w):
    """One task: ``vg`` (made by dt.value_and_grad in the client) on one
    shard, as numpy, with the worker's process id."""
    value, gradient = vg(w, _nd(X), _nd(y))
    return value.asnumpy(), gradient.asnumpy(), os.getpid()


def test_data_parallel_gradient_on_two_worker_processes(client):
    X, y, w = logistic_data(4000, 5, seed=3)
    Xd = da.from_array(X, chunks=(1000, 5))
    yd = da.from_array(y, chunks=1000)
    vg = dt.value_and_grad(nll)
    tasks = [dask.delayed(shard_value_and_grad)(vg, Xb, yb, w)
             for Xb, yb in zip(Xd.to_delayed().ravel(), yd.to_delayed())]
    parts = dask.compute(*tasks)
    workers = set(client.run(os.getpid).values())
    assert len(workers) == 2 and os.getpid() not in workers
    assert len(parts) == 4 and {pid for _, _, pid in parts} <= workers
    value = sum(v for v, _, _ in parts)
    gradient = sum(g for _, g, _ in parts)

    one_value, one_gradient = _numpy(vg(w, _nd(X), _nd(y)))
    assert_allclose(value, one_value, rtol=RTOL)
    assert_allclose(gradient, one_gradient, rtol=RTOL)
    closed_value, closed_gradient, _ = nll_closed_form(w, X, y)
    assert_allclose(value, [closed_value], rtol=1e-10)
    assert_allclose(gradient, closed_gradient, rtol=1e-10)


def test_gradient_reduced_by_dask_array(client):
    """The per-shard gradients as rows of a dask array, added by dask."""
    X, y, w = logistic_data(3000, 4, seed=4)
    Xd = da.from_array(X, chunks=(500, 4))
    yd = da.from_array(y[:, None], chunks=(500, 1))
    rows = da.map_blocks(shard_grad_row, Xd, yd, w=w, dtype=X.dtype,
                         chunks=((1,) * Xd.numblocks[0], (4,)))
    gradient = rows.sum(axis=0).compute()
    assert_allclose(gradient, dt.grad(nll)(w, _nd(X), _nd(y)).asnumpy(), rtol=RTOL)
    assert_allclose(gradient, nll_closed_form(w, X, y)[1], rtol=1e-10)


def shard_grad_row(X, y, w):
    return dt.grad(nll)(w, _nd(X), _nd(y[:, 0])).asnumpy()[None]


def shard_jacobian(t, y, w):
    """One block of rows of the residuals' Jacobian (``mode='auto'`` picks
    forward mode: 3 parameters, a residual per row)."""
    jac, mode = dt.jacobian(residuals, return_mode=True)(w, _nd(t), _nd(y))
    assert mode == "forward"
    return jac.asnumpy()


def test_per_chunk_jacobians_on_two_worker_processes(client):
    t, y, w = decay_data(2400, seed=5)
    td = da.from_array(t, chunks=600)
    yd = da.from_array(y, chunks=600)
    J = da.map_blocks(shard_jacobian, td, yd, w=w, new_axis=1, chunks=(td.chunks[0], (3,)),
                      dtype=t.dtype)
    jac, normal = dask.compute(J, J.T @ J)
    assert jac.shape == (2400, 3)
    one = dt.jacobian(residuals)(w, _nd(t), _nd(y)).asnumpy()
    assert_allclose(jac, one, rtol=RTOL, atol=0)
    assert_allclose(jac, residuals_jacobian(w, t), rtol=1e-13, atol=1e-15)
    assert_allclose(normal, one.T @ one, rtol=RTOL)
