"""``dt.jit``: every registered op and its derivatives replayed from a trace
agree with eager execution on inputs other than the traced ones; tracing
refuses to read values; signatures, static arguments and the cache."""
import gc

import numpy as np
import pytest

import dualtape as dt
from dualtape import autograd, nd
from dualtape._engine import apply, live_objects, wrap
from dualtape.registry import REGISTRY

CASES = [pytest.param(name, i, id="%s-%d" % (name, i))
         for name, op in REGISTRY.items() if op.samples is not None
         for i in range(len(op.samples(np.random.default_rng(0))))]


def _moved(arrays, seed):
    """The sample moved a little (same signs, so domains hold)."""
    rng = np.random.default_rng(seed)
    return [wrap(np.asarray(a) * (1 + 0.05 * rng.uniform(-1, 1, np.shape(a)))) for a in arrays]


def _transforms(op, params, n):
    """The op and its derivatives as functions of NDArrays."""
    def value(*xs):
        return apply(op, tuple(xs), params)

    def tangent(*xs):
        return dt.jvp(value, xs, [x * 0.5 + 1.0 for x in xs])[1]

    def cotangent(*xs):
        out, pull = dt.vjp(value, *xs)
        return pull(out * 0.25 + 1.0)

    def second(*xs):           # reverse over forward: d<u, J v>/dx
        return dt.grad(lambda *ys: nd.sum(dt.jvp(value, ys, list(ys))[1]),
                       argnums=tuple(range(n)))(*xs)
    return {"value": value, "jvp": tangent, "vjp": cotangent, "second": second}


def _as_list(r):
    return list(r) if isinstance(r, (tuple, list)) else [r]


@pytest.mark.parametrize("name,i", CASES)
def test_every_op_and_its_derivatives_replay_as_eager(name, i):
    op = REGISTRY[name]
    arrays, params = op.samples(np.random.default_rng(0))[i]
    traced, other = _moved(arrays, 1), _moved(arrays, 2)
    kinds = ["value"] if not op.differentiable or op.kind == "loss" else None
    for kind, f in _transforms(op, params, len(arrays)).items():
        if kinds is not None and kind not in kinds:
            continue
        jf = dt.jit(f)
        first = _as_list(jf(*traced))
        want_first = _as_list(f(*traced))
        for g, w in zip(first, want_first):
            np.testing.assert_allclose(g.asnumpy(), w.asnumpy(), rtol=1e-12, atol=1e-12,
                                       err_msg="%s %s at the traced point" % (name, kind))
        got, want = _as_list(jf(*other)), _as_list(f(*other))
        assert jf.stats()["traces"] == 1
        for g, w in zip(got, want):
            assert g.shape == w.shape and g.dtype == w.dtype
            np.testing.assert_allclose(g.asnumpy(), w.asnumpy(), rtol=1e-12, atol=1e-12,
                                       err_msg="%s %s replayed at another point" % (name, kind))


# ------------------------------------------------------------ honest tracing ---

@pytest.mark.parametrize("how", ["float", "bool", "asnumpy", "item", "numpy", "if",
                                 "setitem"])
def test_reading_a_traced_value_raises_naming_the_line(how):
    def f(x):
        if how == "float":
            return x * float(x[0])
        if how == "bool":
            return x * bool(x.sum() > 0)
        if how == "asnumpy":
            return nd.array(x.asnumpy() * 2)
        if how == "item":
            return x * x[0].item()
        if how == "numpy":
            return x * np.max(x._data)
        if how == "if":
            return x if x.sum() > 0 else -x
        y = x * 2
        y[0] = 5.0
        return y
    with pytest.raises(dt.TracingError, match=r"test_jit.py:\d+: .*static_argnums"):
        dt.jit(f)(nd.array([1.0, 2.0]))


def test_an_op_computing_parameters_from_values_is_refused():
    """nd.pick reads its index array's values into the gather's parameters:
    traced, they would be baked in."""
    x = nd.array([[1.0, 2.0], [3.0, 4.0]])
    with pytest.raises(dt.TracingError, match="test_jit.py"):
        dt.jit(lambda v, i: nd.pick(v, i))(x, nd.array([0.0, 1.0]))
    # a constant index (not an argument) is part of the program: fine
    i = nd.array([1.0, 0.0])
    jp = dt.jit(lambda v: nd.pick(v, i))
    for _ in range(2):
        np.testing.assert_array_equal(jp(x).asnumpy(), [2.0, 3.0])


def test_sorting_derivatives_follow_the_new_inputs():
    """The permutation is recomputed by the replayed ops, not baked in."""
    w = nd.array([1.0, 10.0, 100.0], dtype="float64")
    g = dt.jit(dt.grad(lambda v: nd.sum(nd.sort(v) * w)))
    for a in ([3.0, 1.0, 2.0], [1.0, 2.0, 3.0], [2.0, 3.0, 1.0]):
        want = dt.grad(lambda v: nd.sum(nd.sort(v) * w))(nd.array(a, dtype="float64"))
        np.testing.assert_array_equal(g(nd.array(a, dtype="float64")).asnumpy(),
                                      want.asnumpy())
    assert g.stats()["traces"] == 1


# --------------------------------------------------- signatures and the cache ---

def test_retrace_on_a_new_signature_and_static_arguments():
    calls = []

    def f(x, k, scale):
        calls.append(1)
        return x * scale + k
    jf = dt.jit(f, static_argnums=(1,))
    a = nd.array([1.0, 2.0])
    np.testing.assert_allclose(jf(a, 3.0, 2.0).asnumpy(), [5.0, 7.0])
    np.testing.assert_allclose(jf(a * 2, 3.0, 2.0).asnumpy(), [7.0, 11.0])
    assert len(calls) == 1                       # replayed, f's Python not run
    np.testing.assert_allclose(jf(a, 1.0, 2.0).asnumpy(), [3.0, 5.0])   # new static
    np.testing.assert_allclose(jf(a, 1.0, 3.0).asnumpy(), [4.0, 7.0])   # numbers: static
    np.testing.assert_allclose(jf(nd.ones(3), 1.0, 3.0).asnumpy(), [4.0] * 3)  # new shape
    np.testing.assert_allclose(jf(a.astype("float64"), 1.0, 3.0).asnumpy(), [4.0, 7.0])
    assert jf.stats()["traces"] == len(calls) == 5
    jf.clear_cache()
    jf(a, 1.0, 3.0)
    assert len(calls) == 6


def test_the_cache_keeps_the_most_recent_signatures():
    jf = dt.jit(lambda x: x * 2, cache_size=2)
    for n in (1, 2, 3, 1):
        jf(nd.ones(n))
    assert jf.stats()["traces"] == 4 and len(jf.stats()["programs"]) == 2


def test_several_outputs_and_decorator_form():
    @dt.jit(static_argnums=1)
    def f(x, n):
        return [x * n, nd.sin(x)]

    @dt.jit
    def g(x):
        return x + 1, x.as_np_ndarray() * 2
    a = nd.array([0.5, 1.0])
    for _ in range(2):
        lst, tup = f(a, 2), g(a)
        assert isinstance(lst, list) and isinstance(tup, tuple)
        np.testing.assert_allclose(lst[1].asnumpy(), np.sin([0.5, 1.0]), rtol=1e-6)
        assert type(tup[0]) is nd.NDArray and type(tup[1]) is not nd.NDArray


def test_jit_composes_with_the_transforms_both_ways():
    def f(x):
        return nd.sum(nd.tanh(x) * nd.exp(-x * x))
    x = nd.array([0.3, -0.7, 1.2], dtype="float64")
    v = nd.array([1.0, 0.5, -2.0], dtype="float64")
    eager = dt.grad(f)(x).asnumpy()
    for g in (dt.jit(dt.grad(f)), dt.grad(dt.jit(f)), dt.jit(dt.grad(dt.jit(f)))):
        for _ in range(2):
            np.testing.assert_allclose(g(x).asnumpy(), eager, rtol=1e-14)
    hv = dt.hvp(f, x, v).asnumpy()
    np.testing.assert_allclose(dt.jit(lambda x, v: dt.hvp(f, x, v))(x, v).asnumpy(), hv,
                               rtol=1e-14)
    np.testing.assert_allclose(dt.hvp(dt.jit(f), x, v).asnumpy(), hv, rtol=1e-14)
    w = nd.array([0.3, -0.7, 1.2], dtype="float64")
    w.attach_grad()
    with autograd.record():
        y = dt.jit(f)(w)
    y.backward()
    np.testing.assert_allclose(w.grad.asnumpy(), eager, rtol=1e-14)


def test_custom_functions_are_traced_through():
    class Cube(autograd.Function):
        def forward(self, x):
            self.save_for_backward(x)
            return x * x * x

        def backward(self, g):
            x, = self.saved_tensors
            return 3 * x * x * g
    g = dt.jit(dt.grad(lambda x: nd.sum(Cube()(x))))
    for a in ([1.0, 2.0], [3.0, -1.0]):
        np.testing.assert_allclose(g(nd.array(a, dtype="float64")).asnumpy(),
                                   3 * np.square(a))


def test_replays_do_not_grow_memory():
    g = dt.jit(dt.grad(lambda x: nd.sum(nd.sin(x) * x)))
    x = nd.array(np.linspace(0, 1, 50))
    for _ in range(20):
        g(x)
    gc.collect()
    before = sum(live_objects())
    for _ in range(1000):
        g(x)
    gc.collect()
    assert sum(live_objects()) <= before + 2


# ------------------------------------------------- float32, arenas, aliasing ---

F32_CASES = [c for c in CASES if REGISTRY[c.values[0]].kind == "elementwise"]


@pytest.mark.parametrize("name,i", F32_CASES)
def test_float32_programs_replay_as_eager(name, i):
    """Fused float32 groups compute in float32, as eager numpy does."""
    op = REGISTRY[name]
    arrays, params = op.samples(np.random.default_rng(0))[i]
    arrays = [np.asarray(a, dtype=np.float32) for a in arrays]
    for kind, f in _transforms(op, params, len(arrays)).items():
        jf = dt.jit(f)
        for seed in (1, 2):
            xs = [wrap(np.asarray(a.asnumpy(), dtype=np.float32)) for a in _moved(arrays, seed)]
            for g, w in zip(_as_list(jf(*xs)), _as_list(f(*xs))):
                assert g.dtype == w.dtype == np.float32, (name, kind)
                np.testing.assert_allclose(g.asnumpy(), w.asnumpy(), rtol=2e-6, atol=2e-6,
                                           err_msg="%s %s float32" % (name, kind))


def _in_threads(work, n):
    """Run ``work(k)`` for k < n in n threads at once; fail with the first
    exception one raised."""
    import threading
    errors = []

    def run(k):
        try:
            work(k)
        except Exception as e:          # noqa: BLE001 (reported below)
            errors.append(e)
    threads = [threading.Thread(target=run, args=(k,)) for k in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors[0]


def _program(jf):
    (stats,) = jf.stats()["programs"].values()
    return stats


def test_one_arena_serves_every_call():
    """Buffers of values passed between steps are allocated once per
    signature, not per call."""
    g = dt.jit(dt.grad(lambda x: nd.sum(nd.tanh(nd.dot(x, x.T)) * nd.exp(x[:, :1]))))
    x = nd.array(np.random.default_rng(0).uniform(-1, 1, (30, 20)), dtype="float64")
    g(x)                                # the trace (eager)
    first = g(x).asnumpy()
    for _ in range(1000):
        last = g(x)
    np.testing.assert_array_equal(last.asnumpy(), first)
    stats = _program(g)
    assert stats["arenas"] == 1
    assert stats["arena_bytes"] > 0
    assert g.stats()["hits"] == 1001


def test_results_never_alias_arguments_or_constants():
    """Unlike eager ``reshape`` and slices (views, as in MXNet), a jitted
    function's results are its own, at the trace as in replays."""
    c = nd.array([5.0, 6.0], dtype="float64")

    def f(x):
        return x, c, x * 2.0, x.reshape((2, 1)), x[1:], nd.exp(x)[0:1]

    jf = dt.jit(f)
    x = nd.array([1.0, 2.0], dtype="float64")
    for _ in range(3):
        outs = jf(x)
        for k, o in enumerate(outs):
            o[:] = -1.0 - k
        np.testing.assert_array_equal(x.asnumpy(), [1.0, 2.0])
        np.testing.assert_array_equal(c.asnumpy(), [5.0, 6.0])


def test_views_and_windows_inside_fused_chains():
    """Slices, reshapes and transposes read in place by fused groups, and the
    windows their derivatives write, agree with eager execution."""
    def f(x):
        a = nd.sin(x[1:4]) * x[0:3] + nd.reshape(x, (2, 3)).T.reshape((6,))[2:5]
        return nd.sum(a * a) + nd.sum(nd.exp(x[::2]))

    g = dt.jit(dt.grad(f))
    h = dt.jit(lambda x, v: dt.hvp(f, x, v))
    rng = np.random.default_rng(4)
    for _ in range(3):
        x = nd.array(rng.uniform(-1, 1, 6), dtype="float64")
        v = nd.array(rng.uniform(-1, 1, 6), dtype="float64")
        np.testing.assert_allclose(g(x).asnumpy(), dt.grad(f)(x).asnumpy(), rtol=1e-13)
        np.testing.assert_allclose(h(x, v).asnumpy(), dt.hvp(f, x, v).asnumpy(),
                                   rtol=1e-13)


def test_concurrent_calls_each_get_an_arena():
    g = dt.jit(dt.grad(lambda x: nd.sum(nd.tanh(x) * nd.sin(x) * x)))
    xs = [nd.array(np.linspace(-1, 1, 20000) * (k + 1), dtype="float64") for k in range(4)]
    want = [dt.grad(lambda x: nd.sum(nd.tanh(x) * nd.sin(x) * x))(x).asnumpy() for x in xs]
    g(xs[0])

    def work(k):
        for _ in range(50):
            np.testing.assert_allclose(g(xs[k]).asnumpy(), want[k], rtol=1e-13)
    _in_threads(work, 4)
    assert 1 <= _program(g)["arenas"] <= 4


def test_a_cached_signature_does_not_keep_the_trace():
    """After tracing, a signature holds its program (arena, constants), not
    the values the trace computed."""
    import tracemalloc
    n = 100_000
    f = dt.jit(dt.grad(lambda x: nd.sum(nd.tanh(nd.sin(x) * x + nd.exp(-x * x)) * 0.5)))
    x = nd.array(np.linspace(-1, 1, n), dtype="float64")
    gc.collect()
    tracemalloc.start()
    try:
        f(x)
        f(x)
        gc.collect()
        retained, _ = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    traced_values = _program(f)["traced_ops"] * n * 8
    assert retained < 4 * n * 8 < traced_values / 2, (retained, traced_values)


def test_transposes_read_only_by_matrix_products_stay_views():
    """A transposed intermediate read by later products keeps its buffer alive
    (the view reads it) while other groups run and take arena buffers."""
    def f(x, w):
        h = nd.tanh(nd.dot(x, w))
        ht = h.T
        a = nd.sigmoid(h * 2.0 + 1.0)
        b = nd.exp(a - h)
        return nd.dot(ht, b) + nd.dot(ht, a), nd.sum(nd.dot(b.T, h))

    g = dt.jit(f)
    gg = dt.jit(dt.grad(lambda x, w: nd.sum(f(x, w)[0] * f(x, w)[1])))
    rng = np.random.default_rng(5)
    for _ in range(3):
        x = nd.array(rng.standard_normal((7, 5)), dtype="float64")
        w = nd.array(rng.standard_normal((5, 6)), dtype="float64")
        for got, want in zip(g(x, w), f(x, w)):
            np.testing.assert_allclose(got.asnumpy(), want.asnumpy(), rtol=1e-13)
        want = dt.grad(lambda x, w: nd.sum(f(x, w)[0] * f(x, w)[1]))(x, w)
        np.testing.assert_allclose(gg(x, w).asnumpy(), want.asnumpy(), rtol=1e-12)


# ------------------------------------------- programs a review found wrong ---

def _same(got, want):
    for g, w in zip(_as_list(got), _as_list(want)):
        a, b = g.asnumpy(), w.asnumpy()
        np.testing.assert_allclose(a, b, rtol=1e-13, atol=0)
        np.testing.assert_array_equal(np.signbit(a), np.signbit(b))


def _vec(rng, *shape):
    return nd.array(rng.standard_normal(shape), dtype="float64")


def test_a_scatter_read_by_broadcast():
    f = lambda x, B: dt.grad(lambda z: nd.sum(z[1:4] ** 2))(x) * B  # noqa: E731
    g = lambda x, B: dt.grad(lambda z: nd.sum(z[2:3] ** 2))(x)[2:3] * B  # noqa: E731
    rng = np.random.default_rng(0)
    for h in (f, g):
        jh = dt.jit(h)
        for _ in range(3):
            x, B = _vec(rng, 5), _vec(rng, 3, 5)
            _same(jh(x, B), h(x, B))


def test_signed_zeros_in_constants_scalars_and_static_arguments():
    c = nd.array(np.full(3, -0.0), dtype="float64")
    x = nd.array([1.0, 2.0, -3.0], dtype="float64")
    for f in (lambda x: 1.0 / (x * c), lambda x: (1 / (x * 0.0), 1 / (x * -0.0))):
        jf = dt.jit(f)
        jf(x)
        _same(jf(x), f(x))
    g = dt.jit(lambda x, s: 1 / (x * s))
    g(x, 0.0)
    _same(g(x, -0.0), 1 / (x * -0.0))
    assert g.stats()["traces"] == 2


def test_simplified_values_keep_their_aliasing():
    rng = np.random.default_rng(1)
    jf = dt.jit(lambda x: ((x * 1)[1:], nd.reshape(-(-x), (2, 5)), nd.reshape(x ** 1, (10,))))
    x = _vec(rng, 10)
    jf(x)
    before = x.asnumpy().copy()
    for r in jf(x):
        r[:] = 100.0
    np.testing.assert_array_equal(x.asnumpy(), before)

    jg = dt.jit(lambda x: (nd.exp(x) * 2, nd.exp(x)[1:]))
    jg(_vec(rng, 10))
    a = jg(_vec(rng, 10))[1]
    kept = a.asnumpy().copy()
    jg(_vec(rng, 10))
    np.testing.assert_array_equal(a.asnumpy(), kept)

    def f(x):
        a = nd.exp(x)
        r = nd.exp(x)[1:]
        s = nd.sum(a * a)
        u = nd.cos(nd.sin(x * s) * s)
        return nd.dot(r, r) + nd.sum(u[1:] * 0.0)
    jf = dt.jit(f)
    jf(_vec(rng, 10))
    x = _vec(rng, 10)
    _same(jf(x), f(x))


def test_results_are_independent_arrays_at_the_trace_and_in_replays():
    x = nd.array(np.arange(6.0), dtype="float64")
    for f in (lambda x: (x * 2, x * 2, x * 2.0), lambda x: (x + 1.0,) * 2,
              lambda x: (lambda y: (y, y[2:]))(x * 2.0),
              lambda x: dt.grad(lambda a, b: nd.sum(a + b), argnums=(0, 1))(x, x * 1.0)):
        jf = dt.jit(f)
        for _ in range(2):                  # the tracing call, then a replay
            outs = jf(x)
            want = [o.asnumpy().copy() for o in outs]
            outs[0][:] = -7.0
            for o, w in zip(outs[1:], want[1:]):
                np.testing.assert_array_equal(o.asnumpy(), w)


def test_a_constant_of_mixed_signed_zeros_is_not_uniform():
    C = nd.array(np.array([-0.0, 0.0, -0.0]), dtype="float64")
    f = lambda x: x * C  # noqa: E731
    jf = dt.jit(f)
    x = nd.array([1.0, 1.0, -1.0], dtype="float64")
    jf(x)
    _same(jf(x), f(x))


def test_an_array_passed_twice_or_passed_and_captured():
    rng = np.random.default_rng(2)
    jf = dt.jit(lambda x, y: x - y)
    a, b = _vec(rng, 3), _vec(rng, 3)
    jf(a, a)
    _same(jf(a, b), a - b)
    c = _vec(rng, 3)
    jg = dt.jit(lambda x: x * c)
    jg(c)
    x = _vec(rng, 3)
    _same(jg(x), x * c)


def test_a_jitted_function_called_inside_another_one_is_traced_into_it():
    inner = dt.jit(lambda x: nd.sin(x) * 2)
    outer = dt.jit(lambda x: inner(x) + 1)
    inner(nd.array([0.3, 0.4], dtype="float64"))      # inner has a program of its own
    outer(nd.array([0.1, 0.2], dtype="float64"))
    x = nd.array([1.0, 2.0], dtype="float64")
    _same(outer(x), nd.sin(x) * 2 + 1)


def test_threads_trace_concurrently():
    def f(x):
        for _ in range(200):
            x = nd.sin(x) + 0.5
        return x

    def work(seed):
        jf = dt.jit(f)
        rng = np.random.default_rng(seed)
        for _ in range(3):
            x = _vec(rng, 8)
            _same(jf(x), f(x))
    _in_threads(work, 4)


def test_captured_arrays_written_after_the_trace_trace_again():
    x = nd.array([1.0, 2.0, 3.0], dtype="float64")
    W = nd.array([1.0, 2.0, 3.0], dtype="float64")
    U = nd.ones(3, dtype="float64")
    fs = [lambda x: x * W, lambda x: x * nd.reshape(W, (3, 1)).T[0], lambda x: x * U]
    js = [dt.jit(f) for f in fs]
    for j in js:
        j(x)
        j(x)
    W[:] = 10.0
    U[:] = 10.0
    for f, j in zip(fs, js):
        _same(j(x), f(x))
        assert j.stats()["traces"] == 2
    w = nd.array([1.0, 2.0, 3.0], dtype="float64")
    loss = dt.jit(lambda x: nd.sum(x * w))
    loss(x)
    nd.sgd_update(w, nd.ones(3, dtype="float64"), lr=0.5, out=w)     # an optimizer step
    _same(loss(x), nd.sum(x * w))


def test_writing_a_captured_array_while_tracing_is_refused():
    def f(x):
        c = nd.ones(3, dtype="float64")
        y = x * c
        c[:] = 2.0
        return y + x * c
    with pytest.raises(dt.TracingError, match="wrote to an array it had read"):
        dt.jit(f)(nd.array([1.0, 2.0, 3.0], dtype="float64"))


def test_the_trace_does_not_keep_every_value_alive():
    """The first call peaks as the eager call does: a chain of 40 ops on
    0.8 MB arrays stays within a few arrays, not 40 (32 MB)."""
    import tracemalloc

    def f(x):
        for _ in range(20):
            x = nd.sin(x) * 0.5
        return x
    x = nd.array(np.linspace(-1, 1, 100_000), dtype="float64")
    f(x)
    gc.collect()
    tracemalloc.start()
    try:
        f(x)
        eager = tracemalloc.get_traced_memory()[1]
        tracemalloc.reset_peak()
        dt.jit(f)(x)
        traced = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert traced < eager + 4 * 800_000 < 40 * 800_000, (traced, eager)


# ------------------------------------------------ scalings moved (jit_scales) ---

_SCALINGS = (
    lambda x: -x, lambda x: x * 100, lambda x: x * 2.0, lambda x: x * -0.25,
    lambda x: x * 3, lambda x: x * 0.1, lambda x: x / 4, lambda x: x / 3, lambda x: x + x)
_COMBINE = (lambda a, b: a * b, lambda a, b: a + b, lambda a, b: a - b,
            lambda a, b: b - a, lambda a, b: a * a)


def _scaling_program(seed):
    """A random program of scalings (each value read once or twice) combined
    by products, sums and differences, on float64 and float32."""
    rng = np.random.default_rng(seed)
    plan = [(int(rng.integers(2)), int(rng.integers(len(_SCALINGS))),
             int(rng.integers(len(_COMBINE))), bool(rng.integers(2)), int(rng.integers(3)))
            for _ in range(int(rng.integers(3, 9)))]

    def f(x, y):
        vals = [x, y]
        for src, sc, comb, both, other in plan:
            s = _SCALINGS[sc](vals[-1 - src])
            vals.append(_COMBINE[comb](s, vals[-1 - other % len(vals)]) if both else s)
        return vals[-1], vals[-2] * 1.5
    return f


@pytest.mark.parametrize("dtype", ["float64", "float32"])
def test_moved_scalings_give_the_eager_values_bit_for_bit(dtype):
    """Signs and scalings moved into products and sums give exactly the eager
    values (signed zeros, infinities and nans included) on values whose
    intermediates stay normal."""
    special = np.array([0.0, -0.0, 1.0, -1.5, 3.25, np.inf, -np.inf, np.nan, 7e-3, -250.0])
    pairs = np.array([[0.0, -0.0], [-0.0, 0.0], [0.0, 0.0], [-0.0, -0.0], [2.0, -2.0]])
    x = nd.array(np.concatenate([special, special, pairs[:, 0]]), dtype=dtype)
    y = nd.array(np.concatenate([special, np.roll(special, 3) * -1.25, pairs[:, 1]]), dtype=dtype)
    explicit = [lambda x, y: ((-x) + (-y), (-x) - y), lambda x, y: (-(x * 2) + -(y * 2),),
                lambda x, y: ((-x) * (-y) - (-x) * y, (x + x) - (y / 4)),
                lambda x, y: ((x * 100) + (x * 100), -(-x) * y, (-x) - (-y))]
    for seed in range(200 + len(explicit)):
        f = _scaling_program(seed) if seed < 200 else explicit[seed - 200]
        jf = dt.jit(f)
        jf(x, y)
        for got, want in zip(jf(x, y), f(x, y)):
            a, b = got.asnumpy(), want.asnumpy()
            np.testing.assert_array_equal(a, b, err_msg="program %d" % seed)
            real = ~np.isnan(b)         # a nan's sign bit means nothing
            np.testing.assert_array_equal(np.signbit(a[real]), np.signbit(b[real]),
                                          err_msg="program %d" % seed)


@pytest.mark.parametrize("dtype", ["float64", "float32"])
def test_moved_scalings_keep_eager_overflow(dtype):
    """Scalings that would change where a value overflows (or whose combined
    constant the dtype cannot hold) are not composed."""
    big = 2e38 if dtype == "float32" else 1.7e308
    x = nd.array([big, -big, 1e-300 if dtype == "float64" else 1e-30, 1.0, 0.0], dtype=dtype)
    programs = [lambda x: (x * 3) / 4, lambda x: (x * 2) * 0.5, lambda x: (x * 4) * 1e308,
                lambda x: (x / 2.0 ** -130) + 1, lambda x: -(x * 3) * 0.25,
                lambda x: ((x * 100) + (x * 100)) - x, lambda x: (-x) * 1e-45]
    for f in programs:
        jf = dt.jit(f)
        jf(x)
        with np.errstate(over="ignore", invalid="ignore"):
            want = f(x).asnumpy()
        got = jf(x).asnumpy()
        np.testing.assert_array_equal(got, want)


def test_moved_scalings_never_add_ops():
    """Against the planner without the pass: as many fused ops or fewer."""
    import dualtape.jit_planner as jp
    rng = np.random.default_rng(7)
    x, y = _vec(rng, 6), _vec(rng, 6)
    for seed in range(120):
        f = _scaling_program(seed)
        counts = []
        for on in (True, False):
            saved = jp.fold_scales
            if not on:
                jp.fold_scales = lambda entries, meta, outs, ops: entries
            try:
                jf = dt.jit(f)
                jf(x, y)
                counts.append(sum(p["fused_ops"] + p["calls"]
                                  for p in jf.stats()["programs"].values()))
            finally:
                jp.fold_scales = saved
        assert counts[0] <= counts[1], (seed, counts)


def test_moved_scalings_drop_ops_of_a_hessian_vector_product():
    """The Rosenbrock HVP's derivative rules scale, negate and double: moved
    into their readers they cost 5 of the 18 fused ops."""
    def f(x):
        a, b = x[:-1], x[1:]
        d, e = b - a * a, 1 - a
        return nd.sum(100 * d * d + e * e)
    h = dt.jit(lambda x, v: dt.hvp(f, x, v))
    rng = np.random.default_rng(3)
    x, v = _vec(rng, 50), _vec(rng, 50)
    got = h(x, v)
    np.testing.assert_allclose(got.asnumpy(), dt.hvp(f, x, v).asnumpy(), rtol=1e-13)
    assert _program(h)["fused_ops"] <= 14


# ---------------------------------- tangents reached through a closure ---

def test_forward_mode_through_a_closure_of_a_jitted_function():
    """A jitted function that reads the differentiated array from a closure
    (not an argument) runs eagerly inside forward mode, as it does under
    recording: its tangent is not dropped."""
    box = {"x": nd.array([0.5, 1.0, 1.5], dtype="float64")}
    g = dt.jit(lambda y: nd.sum(nd.sin(box["x"]) * box["x"] * y))
    g(nd.ones(3, dtype="float64"))          # traced once outside any transform

    def f(z):
        box["x"] = z
        return g(nd.ones(3, dtype="float64"))
    x = nd.array([0.5, 1.0, 1.5], dtype="float64")
    want = np.cos(x.asnumpy()) * x.asnumpy() + np.sin(x.asnumpy())
    for mode in ("forward", "reverse"):
        np.testing.assert_allclose(dt.grad(f, mode=mode)(x).asnumpy(), want, rtol=1e-14)
    _, t = dt.jvp(f, (x,), (nd.ones(3, dtype="float64"),))
    np.testing.assert_allclose(t.asnumpy(), [want.sum()], rtol=1e-14)


def test_a_captured_array_given_a_tangent_after_the_trace():
    w = nd.array([1.0, 2.0], dtype="float64")
    h = dt.jit(lambda y: nd.sum(w * y))
    y = nd.array([3.0, 4.0], dtype="float64")
    h(y)
    h(y)
    w.attach_tangent(nd.array([1.0, 10.0], dtype="float64"))      # base level
    r = h(y)
    assert r.tangent is not None and float(r.tangent.asnumpy()[0]) == 43.0
    w2 = nd.array([1.0, 2.0], dtype="float64")
    w2.attach_tangent(nd.ones(2, dtype="float64"))
    h2 = dt.jit(lambda y: nd.sum(w2 * y))       # traced while it carries one
    assert float(h2(y).tangent.asnumpy()[0]) == 7.0


def test_where_and_slicing_ops_trace():
    """dualtape.numpy's where (its condition by ops, not values) and MXNet's
    slicing ops (a copy decided by memory layout, not values) trace."""
    import dualtape.numpy as dnp
    f = dt.jit(lambda v: dnp.where(~dnp.isnan(v) & (v > 0), v * v, 0.0))
    for vals in ([1.0, np.nan, 3.0, -1.0], [2.0, 2.0, np.nan, 1.0]):
        np.testing.assert_array_equal(f(dnp.asarray(vals)).asnumpy(),
                                      np.where(~np.isnan(vals) & (np.array(vals) > 0),
                                               np.square(vals), 0.0))
    assert f.stats()["traces"] == 1
    for g in (lambda x: nd.slice_axis(x, axis=0, begin=0, end=2),
              lambda x: nd.slice(x, begin=(0,), end=(2,)), lambda x: nd.crop(x, begin=(1,), end=(3,))):
        jg = dt.jit(g)
        for vals in ([1.0, 2.0, 3.0], [4.0, 5.0, 6.0]):
            np.testing.assert_array_equal(jg(nd.array(vals)).asnumpy(), g(nd.array(vals)).asnumpy())
        assert jg.stats()["traces"] == 1


def test_numpy_arrays_in_numpy_arrays_out():
    """As the transforms: numpy arguments are traced as dualtape.numpy arrays
    and, when no argument is a dualtape array, the results are numpy arrays."""
    import dualtape.numpy as dnp
    j = dt.jit(dt.grad(lambda a: dnp.sum(a ** 3)))
    for x in (np.array([1.0, 2.0]), np.array([3.0, -1.0])):
        r = j(x)
        assert type(r) is np.ndarray
        np.testing.assert_array_equal(r, 3 * x ** 2)
    assert j.stats()["traces"] == 1
    k = dt.jit(lambda a, b: (a * b, dnp.sum(a)))
    r = k(np.ones(3), np.arange(3.0))
    assert all(type(v) is np.ndarray for v in r)
    assert type(k(dnp.ones(3), np.arange(3.0))[0]) is dnp.ndarray


def test_nanmean_and_logsumexp_trace():
    """Both computed their shifts and counts from the values in Python; now
    by ops, so that a jitted call follows new values."""
    import scipy.special as sps
    import dualtape.numpy as dnp
    from dualtape import special
    f = dt.jit(lambda v: (dnp.nanmean(v, axis=1), special.logsumexp(v, axis=0)))
    for a in (np.array([[1.0, np.nan], [3.0, 4.0]]), np.array([[np.nan, 2.0], [5.0, -1.0]])):
        m, l = f(dnp.asarray(a))
        np.testing.assert_allclose(m.asnumpy(), np.nanmean(a, axis=1))
        np.testing.assert_allclose(l.asnumpy(), sps.logsumexp(a, axis=0))
    assert f.stats()["traces"] == 1
