"""Tests for the generated elementwise kernels in ``dualtape._kernels``."""

import numpy as np
import pytest

from dualtape import _kernels

NAMES = [
    "exp", "log", "sqrt", "square", "abs", "sin", "cos", "tanh", "sigmoid", "relu",
]
POSITIVE_ONLY = {"log", "sqrt"}
DTYPES = [np.float32, np.float64]
SIZES = [0, 1, 7, 100_003]
KS = [1, 3]


def _sigmoid(x):
    return 1.0 / (1.0 + np.exp(-x))


# name -> (f, f') evaluated with numpy, in the input dtype
REFERENCE = {
    "exp": (np.exp, np.exp),
    "log": (np.log, lambda x: 1.0 / x),
    "sqrt": (np.sqrt, lambda x: 0.5 / np.sqrt(x)),
    "square": (np.square, lambda x: 2.0 * x),
    "abs": (np.abs, np.sign),
    "sin": (np.sin, np.cos),
    "cos": (np.cos, lambda x: -np.sin(x)),
    "tanh": (np.tanh, lambda x: 1.0 - np.tanh(x) ** 2),
    "sigmoid": (_sigmoid, lambda x: _sigmoid(x) * (1.0 - _sigmoid(x))),
    "relu": (lambda x: np.maximum(x, 0), lambda x: (x > 0).astype(x.dtype)),
}


def _tol(dtype):
    if dtype == np.float32:
        return dict(rtol=1e-6, atol=1e-37)
    return dict(rtol=1e-13, atol=1e-300)


def _deriv_tol(name, dtype):
    # f'(x) = 1 - y*y (tanh) and y*(1 - y) (sigmoid) are formed from the
    # rounded y, so they carry an absolute error of a few ulp of 1 where
    # f'(x) -> 0; the tolerance is scaled by |t| (|g|) in _assert_close.
    tol = _tol(dtype)
    if name in ("tanh", "sigmoid"):
        tol["atol"] = 4 * np.finfo(dtype).eps
    return tol


def _ref(a):
    """Reference values are computed in float64 from the exact inputs."""
    return np.asarray(a, dtype=np.float64)


def _assert_close(actual, expected, rtol, atol, scale=1.0):
    actual = np.asarray(actual, dtype=np.float64)
    bound = atol * np.abs(scale) + rtol * np.abs(expected)
    bad = ~(np.abs(actual - expected) <= bound)
    if bad.any():
        i = np.flatnonzero(bad)[:5]
        raise AssertionError(
            "%d / %d mismatches, e.g. at %s: actual %s expected %s"
            % (bad.sum(), bad.size, i, actual[i], expected[i])
        )


def _inputs(name, n, dtype, seed=0):
    rng = np.random.default_rng(seed)
    if name in POSITIVE_ONLY:
        x = rng.uniform(1e-3, 10.0, n)
    elif name == "exp":
        x = rng.uniform(-20.0, 20.0, n)
    else:
        x = rng.uniform(-8.0, 8.0, n)
        if n >= 3 and name in ("abs", "relu"):
            x[:3] = [0.0, -0.0, 1.0]  # derivative at 0 must be 0
    return np.ascontiguousarray(x, dtype=dtype)


def _readonly(a):
    a = a.copy()
    a.flags.writeable = False
    return a


def _check_fwd(name, x, **tol):
    f, _ = REFERENCE[name]
    fwd = getattr(_kernels, name + "_fwd")
    out = np.full_like(x, np.nan)
    assert fwd(x, out) is None
    _assert_close(out, f(_ref(x)), **tol)


def _check_jvp(name, x, k, deriv_tol, **tol):
    f, df = REFERENCE[name]
    jvp = getattr(_kernels, name + "_jvp")
    n = x.shape[0]
    rng = np.random.default_rng(1)
    t = rng.standard_normal(k * n).astype(x.dtype)
    if not x.flags.writeable:
        t = _readonly(t)
    out = np.full_like(x, np.nan)
    tout = np.full(k * n, np.nan, dtype=x.dtype)
    assert jvp(x, t, out, tout) is None
    _assert_close(out, f(_ref(x)), **tol)
    expected = (df(_ref(x))[None, :] * _ref(t).reshape(k, n)).ravel()
    _assert_close(tout, expected, scale=t, **deriv_tol)


def _check_vjp(name, x, k, deriv_tol):
    f, df = REFERENCE[name]
    vjp = getattr(_kernels, name + "_vjp")
    n = x.shape[0]
    rng = np.random.default_rng(2)
    y = np.ascontiguousarray(f(x), dtype=x.dtype)
    g = rng.standard_normal(k * n).astype(x.dtype)
    if not x.flags.writeable:
        y, g = _readonly(y), _readonly(g)
    gx = np.full(k * n, np.nan, dtype=x.dtype)
    assert vjp(x, y, g, gx) is None
    expected = (_ref(g).reshape(k, n) * df(_ref(x))[None, :]).ravel()
    _assert_close(gx, expected, scale=g, **deriv_tol)


def test_kernel_table():
    assert set(_kernels.KERNELS) == set(NAMES)
    assert set(_kernels.PARALLEL_COST) == set(NAMES)
    for name, (fwd, jvp, vjp) in _kernels.KERNELS.items():
        assert fwd is getattr(_kernels, name + "_fwd")
        assert jvp is getattr(_kernels, name + "_jvp")
        assert vjp is getattr(_kernels, name + "_vjp")


@pytest.mark.parametrize("n", SIZES)
@pytest.mark.parametrize("dtype", DTYPES, ids=["f32", "f64"])
@pytest.mark.parametrize("name", NAMES)
def test_fwd(name, dtype, n):
    _check_fwd(name, _inputs(name, n, dtype), **_tol(dtype))


@pytest.mark.parametrize("k", KS)
@pytest.mark.parametrize("n", SIZES)
@pytest.mark.parametrize("dtype", DTYPES, ids=["f32", "f64"])
@pytest.mark.parametrize("name", NAMES)
def test_jvp(name, dtype, n, k):
    x = _inputs(name, n, dtype)
    _check_jvp(name, x, k, _deriv_tol(name, dtype), **_tol(dtype))


@pytest.mark.parametrize("k", KS)
@pytest.mark.parametrize("n", SIZES)
@pytest.mark.parametrize("dtype", DTYPES, ids=["f32", "f64"])
@pytest.mark.parametrize("name", NAMES)
def test_vjp(name, dtype, n, k):
    _check_vjp(name, _inputs(name, n, dtype), k, _deriv_tol(name, dtype))


@pytest.mark.parametrize("dtype", DTYPES, ids=["f32", "f64"])
@pytest.mark.parametrize("name", NAMES)
def test_readonly_inputs(name, dtype):
    x = _readonly(_inputs(name, 1001, dtype))
    tol = _tol(dtype)
    _check_fwd(name, x, **tol)
    _check_jvp(name, x, 3, _deriv_tol(name, dtype), **tol)
    _check_vjp(name, x, 3, _deriv_tol(name, dtype))


def _around(work_per_element):
    """Sizes just below, at and above the serial/parallel switch."""
    b = -(-_kernels.PARALLEL_THRESHOLD // work_per_element)  # ceil
    return [m for m in (b - 1, b, b + 1) if m > 0]


@pytest.mark.parametrize("dtype", DTYPES, ids=["f32", "f64"])
@pytest.mark.parametrize("name", NAMES)
def test_parallel_threshold_boundary(name, dtype):
    cost_f, cost_v = _kernels.PARALLEL_COST[name]
    tol, dtol = _tol(dtype), _deriv_tol(name, dtype)
    for n in _around(cost_f):
        _check_fwd(name, _inputs(name, n, dtype), **tol)
    for k in KS:
        for n in _around(cost_f + k):
            _check_jvp(name, _inputs(name, n, dtype), k, dtol, **tol)
        for n in _around(cost_v + k):
            _check_vjp(name, _inputs(name, n, dtype), k, dtol)


@pytest.mark.parametrize("n", [1, 2, 3, 5, 17, 1000])
@pytest.mark.parametrize("k", KS)
def test_forced_parallel_small_sizes(n, k):
    """Chunking must cover every element even when n < number of threads."""
    previous = _kernels._configure(parallel_threshold=1, num_threads=3)
    try:
        for name in ("tanh", "abs"):
            x = _inputs(name, n, np.float64)
            _check_fwd(name, x, **_tol(np.float64))
            _check_jvp(name, x, k, _deriv_tol(name, np.float64), **_tol(np.float64))
            _check_vjp(name, x, k, _deriv_tol(name, np.float64))
    finally:
        _kernels._configure(*previous)


def test_derivative_at_zero():
    x = np.array([0.0, -0.0], dtype=np.float64)
    t = np.ones(2)
    for name in ("abs", "relu"):
        out, tout = np.empty(2), np.empty(2)
        _kernels.KERNELS[name][1](x, t, out, tout)
        np.testing.assert_array_equal(tout, [0.0, 0.0])
        gx = np.empty(2)
        _kernels.KERNELS[name][2](x, out, t, gx)
        np.testing.assert_array_equal(gx, [0.0, 0.0])


def test_bad_dtype():
    x = np.zeros(4, dtype=np.int64)
    with pytest.raises(TypeError):
        _kernels.exp_fwd(x, x.copy())
    with pytest.raises(TypeError):
        _kernels.exp_fwd([1.0], np.zeros(1))


# ---- vectorised transcendental functions (libmvec AVX2 or scalar libm) ----

_F64 = np.finfo(np.float64)
_SPECIAL_COMMON = [0.0, -0.0, np.inf, -np.inf, np.nan]
# name -> float64 inputs around the edges of each function's range
SPECIAL = {
    "sin": [1e-300, 5e-324, 1e-8, 0.5, np.pi, -np.pi / 2, 1e3, 1e6, -1e6, 1e15,
            1e22, -1e22, 1e300, _F64.max],
    "cos": [1e-300, 1e-8, 0.5, np.pi, np.pi / 2, 1e3, 1e6, -1e6, 1e15, 1e22,
            1e300, -_F64.max],
    "exp": [-1000.0, -746.0, -745.2, -745.1, -744.5, -720.0, -708.5, -708.3,
            -87.4, -103.9, 1e-300, 88.7, 88.8, 700.0, 709.7, 709.78, 709.8,
            710.0, 1000.0],
    "log": [-1.0, -1e-300, 5e-324, 1e-310, _F64.tiny, 1e-300, 1e-45, 1e-38,
            1.0 - _F64.eps / 2, 1.0 + _F64.eps, 0.9999, 1.0001, 1.0, 2.0, 1e38,
            1e300, _F64.max],
    "sqrt": [-1.0, -1e-300, 5e-324, 1e-310, 1e-300, 1e-45, 2.0, 1e38, 1e300,
             _F64.max],
    "tanh": [5e-324, 1e-300, 1e-10, 1e-3, 0.5, -0.5, 9.0, 19.0, -19.0, 20.0,
             22.0, -22.0, 40.0, 710.0, -710.0, 1e300],
    "sigmoid": [1e-300, -20.0, 20.0, -40.0, 37.0, -87.0, 88.0, -103.0, -700.0,
                700.0, -745.0, 745.0, -746.0, 800.0, -800.0, 1e300, -1e300],
}


def _special_inputs(name, dtype):
    x = np.array(_SPECIAL_COMMON + SPECIAL[name], dtype=np.float64)
    with np.errstate(over="ignore", under="ignore"):
        x = x.astype(dtype)
    # the same values again at every offset of a vector (padding of the tail)
    return np.ascontiguousarray(np.concatenate([x, x[3:], x[1:]]))


def _special_ref(name, x, dtype):
    """numpy in float64 from the exact inputs, rounded once to ``dtype``."""
    f, _ = REFERENCE[name]
    with np.errstate(all="ignore"):
        return f(_ref(x)).astype(dtype).astype(np.float64)


def _assert_special(actual, expected, dtype):
    actual = np.asarray(actual, dtype=np.float64)
    nan = np.isnan(expected)
    np.testing.assert_array_equal(np.isnan(actual), nan)
    inf = np.isinf(expected)
    np.testing.assert_array_equal(actual[inf], expected[inf])
    zero = expected == 0
    np.testing.assert_array_equal(np.signbit(actual[zero]), np.signbit(expected[zero]))
    fin = ~(nan | inf)
    # libmvec is within 4 ulp; a result that underflows into the subnormals
    # keeps an absolute error of a few units of the smallest subnormal.
    tiny = np.finfo(dtype).smallest_subnormal
    _assert_close(actual[fin], expected[fin], rtol=_tol(dtype)["rtol"], atol=8 * tiny)


@pytest.fixture(params=[True, False], ids=["simd", "libm"])
def simd(request):
    """Run a test with the vector primitives and with the scalar fallback."""
    previous = _kernels._set_simd(request.param)
    try:
        yield request.param
    finally:
        _kernels._set_simd(previous)


def test_simd_report():
    assert _kernels.SIMD in ("avx2-libmvec", "scalar-libm")
    previous = _kernels._set_simd(False)
    try:
        assert _kernels._set_simd(previous) is False
    finally:
        _kernels._set_simd(previous)


@pytest.mark.parametrize("dtype", DTYPES, ids=["f32", "f64"])
@pytest.mark.parametrize("name", sorted(SPECIAL))
def test_special_values(name, dtype, simd):
    """0, +-0, +-inf, nan, huge sin/cos arguments, exp's overflow/underflow
    edges, log of subnormals: the same results as numpy up to rounding."""
    x = _special_inputs(name, dtype)
    n = x.shape[0]
    expected = _special_ref(name, x, dtype)
    fwd, jvp, vjp = _kernels.KERNELS[name]
    out = np.full_like(x, 7.0)
    fwd(x, out)
    _assert_special(out, expected, dtype)
    # jvp's value is bit-identical to fwd; its tangent to vjp's cotangent
    t = np.random.default_rng(3).standard_normal(n).astype(dtype)
    y, ty, gx = np.full_like(x, 7.0), np.full_like(x, 7.0), np.full_like(x, 7.0)
    with np.errstate(all="ignore"):
        jvp(x, t, y, ty)
        vjp(x, out, t, gx)
    np.testing.assert_array_equal(y, out)
    np.testing.assert_array_equal(ty, gx)


@pytest.mark.skipif(_kernels.SIMD != "avx2-libmvec",
                    reason="no AVX2 libmvec on this machine: nothing to compare with libm")
@pytest.mark.parametrize("dtype", DTYPES, ids=["f32", "f64"])
@pytest.mark.parametrize("name", sorted(SPECIAL))
def test_simd_matches_libm(name, dtype):
    """Vector and scalar primitives agree to the test tolerance (<= a few ulp)."""
    x = _inputs(name, 10_007, dtype, seed=5)
    fwd = _kernels.KERNELS[name][0]
    a, b = np.empty_like(x), np.empty_like(x)
    previous = _kernels._set_simd(True)
    try:
        fwd(x, a)
        _kernels._set_simd(False)
        fwd(x, b)
    finally:
        _kernels._set_simd(previous)
    _assert_close(a, _ref(b), **_tol(dtype))


@pytest.mark.parametrize("dtype", DTYPES, ids=["f32", "f64"])
@pytest.mark.parametrize("name", NAMES)
def test_result_independent_of_position(name, dtype):
    """Tails shorter than a vector (or a block) give the same bits as the
    same values inside a long array, in every mode."""
    x = _inputs(name, 600, dtype, seed=4)
    fwd, jvp, vjp = _kernels.KERNELS[name]
    full = np.empty_like(x)
    fwd(x, full)
    t = np.ones_like(x)
    tfull, gfull = np.empty_like(x), np.empty_like(x)
    jvp(x, t, np.empty_like(x), tfull)
    vjp(x, full, t, gfull)
    for n in list(range(1, 18)) + [255, 256, 257, 513]:
        out, tout, gx = np.empty(n, dtype), np.empty(n, dtype), np.empty(n, dtype)
        fwd(x[:n], out)
        np.testing.assert_array_equal(out, full[:n])
        jvp(x[:n], t[:n], out, tout)
        np.testing.assert_array_equal(out, full[:n])
        np.testing.assert_array_equal(tout, tfull[:n])
        vjp(x[:n], full[:n], t[:n], gx)
        np.testing.assert_array_equal(gx, gfull[:n])


@pytest.mark.parametrize("dtype", DTYPES, ids=["f32", "f64"])
@pytest.mark.parametrize("name", NAMES)
def test_scalar_fallback(name, dtype, simd):
    """The full check, with and without the vector primitives."""
    x = _inputs(name, 1031, dtype)
    tol, dtol = _tol(dtype), _deriv_tol(name, dtype)
    _check_fwd(name, x, **tol)
    _check_jvp(name, x, 3, dtol, **tol)
    _check_vjp(name, x, 1, dtol)


# ---- the kernels as the ops' primal ----

@pytest.mark.parametrize("order", ["C", "F"])
@pytest.mark.parametrize("shape", [(300,), (40, 30), (3, 5)])
@pytest.mark.parametrize("dtype", DTYPES + [np.float16], ids=["f32", "f64", "f16"])
@pytest.mark.parametrize("name", NAMES)
def test_op_primal(name, dtype, shape, order):
    """Kernel-backed primals return what numpy returns: a new array of the
    input's dtype, shape and layout, equal up to rounding."""
    from dualtape import REGISTRY
    from dualtape.ops.elementwise import KERNEL_MIN_SIZE

    primal = REGISTRY[name].primal
    x = _inputs(name, int(np.prod(shape)), np.float64, seed=6).astype(dtype)
    x = np.asarray(x.reshape(shape), order=order)
    x.flags.writeable = False
    f, _ = REFERENCE[name]
    with np.errstate(over="ignore"):  # float16 exp
        y = primal(x)
        ref = f(x)
    assert type(y) is np.ndarray and y is not x
    assert y.dtype == ref.dtype and y.shape == ref.shape
    assert y.flags.c_contiguous == ref.flags.c_contiguous
    assert y.flags.f_contiguous == ref.flags.f_contiguous
    assert not np.shares_memory(y, x)
    if dtype == np.float16:
        np.testing.assert_array_equal(y, ref)
    else:
        _assert_close(y, f(_ref(x)), **_tol(dtype))
    if x.size < KERNEL_MIN_SIZE and dtype != np.float16:
        np.testing.assert_array_equal(y, ref)  # numpy itself below the cut


def test_op_primal_strided_and_scalar():
    from dualtape import REGISTRY

    x = np.linspace(-3, 3, 2000)
    for name in ("sin", "tanh", "exp"):
        primal = REGISTRY[name].primal
        f, _ = REFERENCE[name]
        np.testing.assert_array_equal(primal(x[::3]), f(x[::3]))  # numpy path
        assert primal(np.float64(0.5)) == f(np.float64(0.5))
        _assert_close(primal(x), f(x), **_tol(np.float64))


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("name", ["add", "subtract", "multiply"])
@pytest.mark.parametrize("present", [(True, True), (True, False), (False, True)])
def test_fused_binary_jvp_matches_numpy(name, dtype, present):
    """The one-pass value+tangent kernels of the arithmetic ops (used above
    KERNEL_MIN_SIZE elements) give numpy's values bit for bit."""
    from dualtape.ops import elementwise
    from dualtape.registry import REGISTRY
    rng = np.random.default_rng(3)
    n = elementwise.KERNEL_MIN_SIZE * 4 + 3
    x, y, tx, ty = (rng.standard_normal(n).astype(dtype) for _ in range(4))
    ts = (tx if present[0] else None, ty if present[1] else None)
    value, tangent = REGISTRY[name].fast_jvp(ts, (x, y))
    ufunc = {"add": np.add, "subtract": np.subtract, "multiply": np.multiply}[name]
    if name == "multiply":
        terms = [t * o for t, o in ((ts[0], y), (ts[1], x)) if t is not None]
    else:
        sign = 1 if name == "add" else -1
        terms = [ts[0]] if ts[0] is not None else []
        if ts[1] is not None:
            terms.append(sign * ts[1])
    want = terms[0] if len(terms) == 1 else terms[0] + terms[1]
    assert value.dtype == tangent.dtype == np.dtype(dtype)
    np.testing.assert_array_equal(value, ufunc(x, y))
    np.testing.assert_array_equal(tangent, want)
