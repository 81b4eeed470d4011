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
