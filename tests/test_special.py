"""dualtape.special: scipy.special's values, dtypes, broadcasting and errors,
and derivatives against calculus, check_grad (second order) and the
registry sweeps run on the ops it registers."""
import numpy as np
import pytest
import scipy.special as sp

import dualtape as dt
import dualtape.numpy as dnp
import dualtape.special as ds
from dualtape import nd
from dualtape._engine import NDArray, ndarray
from dualtape.registry import REGISTRY

import test_crosscheck as crosscheck
import test_layouts as layouts
import test_registry as sweeps

RNG = np.random.default_rng(0)


def _between(low, high, shape=(2, 3)):
    return RNG.uniform(low, high, shape)


# name: (sample, derivative from calculus)
UNARY = {
    "erf": (_between(-2, 2), lambda x: 2 / np.sqrt(np.pi) * np.exp(-x * x)),
    "erfc": (_between(-2, 2), lambda x: -2 / np.sqrt(np.pi) * np.exp(-x * x)),
    "erfinv": (_between(-0.8, 0.8), lambda x: np.sqrt(np.pi) / 2 * np.exp(sp.erfinv(x) ** 2)),
    "gammaln": (_between(0.4, 3), sp.digamma),
    "digamma": (_between(0.4, 3), lambda x: sp.polygamma(1, x)),
    "expit": (_between(-3, 3), lambda x: np.exp(-x) / (1 + np.exp(-x)) ** 2),
    "logit": (_between(0.1, 0.9), lambda x: 1 / x + 1 / (1 - x)),
    "entr": (_between(0.2, 3), lambda x: -np.log(x) - 1),
}
# name: (x sample, y sample, d/dx, d/dy)
BINARY = {
    "xlogy": (_between(-2, 2), _between(0.2, 3), lambda x, y: np.log(y), lambda x, y: x / y),
    "xlog1py": (_between(-2, 2), _between(-0.7, 2), lambda x, y: np.log1p(y),
                lambda x, y: x / (1 + y)),
}
OPS = ["erfc", "logit", "entr", "xlogy", "xlog1py"]


def _same(got, want):
    assert isinstance(got, NDArray), type(got)
    want = np.asarray(want)
    assert got.shape == want.shape, (got.shape, want.shape)
    assert got._data.dtype == want.dtype, (got._data.dtype, want.dtype)
    rtol = {np.dtype(np.float16): 1e-3, np.dtype(np.float32): 1e-6}.get(want.dtype, 1e-13)
    np.testing.assert_allclose(got._data.astype(np.float64), want.astype(np.float64),
                               rtol=rtol, atol=0)


# ------------------------------------------------------ values and dtypes ---

@pytest.mark.parametrize("name", sorted(UNARY))
@pytest.mark.parametrize("dtype", [np.float16, np.float32, np.float64, np.int32, np.int8])
def test_unary_values_and_dtypes_follow_scipy(name, dtype):
    x = UNARY[name][0]
    if np.dtype(dtype).kind == "i":
        x = np.array([0, 1, 2]) if name not in ("erfinv", "logit") else np.array([0, 0])
    a = x.astype(dtype)
    with np.errstate(all="ignore"):
        _same(getattr(ds, name)(a), getattr(sp, name)(a))
        _same(getattr(ds, name)(a[0, 0] if a.ndim == 2 else a[0]), getattr(sp, name)(
            a[0, 0] if a.ndim == 2 else a[0]))                  # a numpy scalar: 0-d


def test_values_at_the_edges_of_the_domains():
    with np.errstate(all="ignore"):
        for name, v in (("entr", [-1.0, 0.0, 1.0, np.inf]), ("logit", [0.0, 1.0, 1.5, -0.5]),
                        ("erfinv", [-1.0, 1.0, 2.0]), ("gammaln", [0.0, -1.0, -2.5]),
                        ("erfc", [30.0, -30.0, np.inf]), ("expit", [-800.0, 800.0]),
                        ("digamma", [0.0, -1.0])):
            _same(getattr(ds, name)(np.array(v)), getattr(sp, name)(np.array(v)))
    # erfc keeps its precision where 1 - erf cancels
    _same(ds.erfc(np.array([5.0, 10.0])), sp.erfc(np.array([5.0, 10.0])))


@pytest.mark.parametrize("name", sorted(BINARY))
def test_binary_values_dtypes_and_scalars_follow_scipy(name):
    x, y = BINARY[name][:2]
    for a, b in ((x, y), (x, y[0]), (x[:, :1], y[0]), (x.astype(np.float32), y[0]),
                 (x.astype(np.float32), y.astype(np.float16)), (np.arange(3), y[0]),
                 (x, 1.5), (2, y), (x.astype(np.float32), 1.5), (1.5, y.astype(np.float32)),
                 (x.astype(np.float32), np.float64(1.5)), (2.0, 1.5), (np.zeros((0, 3)), y[0])):
        _same(getattr(ds, name)(a, b), getattr(sp, name)(a, b))


def test_xlogy_and_xlog1py_are_zero_where_x_is_zero():
    y = np.array([0.0, 2.0, np.inf, np.nan, -1.0])
    with np.errstate(all="ignore"):
        _same(ds.xlogy(0.0, y), sp.xlogy(0.0, y))
        _same(ds.xlog1py(0.0, y - 1), sp.xlog1py(0.0, y - 1))
    assert ds.xlogy(0.0, 0.0)._data == 0 and ds.xlog1py(0.0, -1.0)._data == 0


@pytest.mark.parametrize("axis", [None, 0, 1, -1, (0, 1), (1, 0), (0, 2), ()])
@pytest.mark.parametrize("keepdims", [False, True])
def test_logsumexp_follows_scipy(axis, keepdims):
    a = _between(-3, 3, (2, 3, 4))
    _same(ds.logsumexp(a, axis=axis, keepdims=keepdims),
          sp.logsumexp(a, axis=axis, keepdims=keepdims))
    b = _between(0.5, 2, (3, 1))
    _same(ds.logsumexp(a, axis=axis, b=b, keepdims=keepdims),
          sp.logsumexp(a, axis=axis, b=b, keepdims=keepdims))


def test_logsumexp_dtypes_broadcasting_and_special_values():
    a32 = _between(-3, 3, (2, 3)).astype(np.float32)
    for args, kwargs in (((a32,), {}), ((a32,), {"b": 2}), ((a32,), {"b": np.float64(2)}),
                         ((np.arange(4, dtype=np.int32),), {}),
                         ((np.array([1.0, 2.0]),), {"b": np.array([[1.0], [2.0]]), "axis": 1}),
                         ((np.array([]),), {}), ((np.zeros((2, 0)),), {"axis": 1}),
                         ((np.float64(2.0),), {}), ((np.array([np.inf, -np.inf]),), {}),
                         ((np.array([-np.inf, -np.inf]),), {}),
                         ((np.array([1.0, np.inf]),), {"b": np.array([1.0, 0.0])}),
                         ((np.array([1.0, 2.0]),), {"b": np.array([1.0, -1.0])}),
                         ((np.array([1000.0, 1000.0]),), {}), ((np.array([np.nan, 1.0]),), {})):
        with np.errstate(all="ignore"):
            _same(ds.logsumexp(*args, **kwargs), np.asarray(sp.logsumexp(*args, **kwargs)))


@pytest.mark.parametrize("name", ["softmax", "log_softmax"])
@pytest.mark.parametrize("axis", [None, 0, 1, -1, (0, 2), (2, 0), (0, 1, 2), ()])
def test_softmax_and_log_softmax_follow_scipy(name, axis):
    a = _between(-3, 3, (2, 3, 4))
    _same(getattr(ds, name)(a, axis=axis), getattr(sp, name)(a, axis=axis))


@pytest.mark.parametrize("name", ["softmax", "log_softmax"])
def test_softmax_dtypes_0d_and_empty(name):
    f, g = getattr(ds, name), getattr(sp, name)
    for a in (_between(-3, 3, (2, 3)).astype(np.float32), np.arange(4, dtype=np.int32),
              np.arange(4, dtype=np.float16), np.array(2.5), np.array([1000.0, 0.0]),
              np.zeros((0, 3))):
        kwargs = {"axis": 1} if a.ndim == 2 else {}
        _same(f(a, **kwargs), g(a, **kwargs))
    with pytest.raises(ValueError, match="%s: zero-size array" % name):
        f(np.zeros((2, 0)), axis=1)
    with pytest.raises(ValueError):                                    # scipy refuses too
        g(np.zeros((2, 0)), axis=1)


def test_flavours_of_results():
    x = nd.array([0.2, 0.7], dtype="float32")
    for r in (ds.erf(x), ds.logit(x), ds.xlogy(x, x), ds.logsumexp(x), ds.softmax(x)):
        assert type(r) is NDArray and r._data.dtype == np.float32
    y = dnp.asarray(np.array([0.2, 0.7]))
    for r in (ds.erf(y), ds.logit(y), ds.xlogy(y, 2.0), ds.logsumexp(y), ds.log_softmax(y)):
        assert type(r) is ndarray
    assert isinstance(ds.erfc(np.array([1.0])), NDArray)


# ------------------------------------------------------------------ errors ---

def test_errors():
    with pytest.raises(TypeError, match="erf: out= is not supported"):
        ds.erf(np.ones(2), out=np.empty(2))
    with pytest.raises(TypeError, match="complex"):
        ds.erf(np.array([1j]))
    with pytest.raises(TypeError, match="complex"):
        ds.xlogy(np.ones(2), 1j)
    with pytest.raises(TypeError, match="complex"):
        ds.logsumexp(np.array([1j]))
    with pytest.raises(ValueError, match=r"xlogy: shapes \(2,\) and \(3,\)"):
        ds.xlogy(np.ones(2), np.ones(3))
    with pytest.raises(ValueError, match=r"logsumexp: shapes \(2,\) and \(3,\)"):
        ds.logsumexp(np.ones(2), b=np.ones(3))
    with pytest.raises(np.exceptions.AxisError, match="logsumexp"):
        ds.logsumexp(np.ones(3), axis=1)
    with pytest.raises(np.exceptions.AxisError, match="softmax"):
        ds.softmax(np.ones(3), axis=(0, 2))
    with pytest.raises(NotImplementedError, match="return_sign"):
        ds.logsumexp(np.ones(3), return_sign=True)


# ------------------------------------------------------------- derivatives ---

@pytest.mark.parametrize("name", sorted(UNARY))
def test_unary_derivatives_match_calculus(name):
    x, d = UNARY[name]
    f = getattr(ds, name)
    np.testing.assert_allclose(dt.grad(lambda v: dnp.sum(f(v)))(x), d(x), rtol=1e-12)
    t = RNG.standard_normal(x.shape)
    _, tan = dt.jvp(f, (x,), (t,))
    np.testing.assert_allclose(tan, d(x) * t, rtol=1e-12)
    dt.check_grad(f, nd.array(x, dtype="float64"), order=2)


@pytest.mark.parametrize("name", sorted(BINARY))
def test_binary_derivatives_match_calculus(name):
    x, y, dx, dy = BINARY[name]
    f = getattr(ds, name)
    gx, gy = dt.grad(lambda a, b: dnp.sum(f(a, b)), argnums=(0, 1))(x, y[0])
    np.testing.assert_allclose(gx, np.broadcast_to(dx(x, y[0]), x.shape), rtol=1e-12)
    np.testing.assert_allclose(gy, np.sum(dy(x, y[0]), axis=0), rtol=1e-12)
    dt.check_grad(f, nd.array(x, dtype="float64"), nd.array(y, dtype="float64"), order=2)


def test_xlogy_derivatives_where_x_is_zero():
    x, y = np.array([0.0, 0.0, 0.0, 2.0]), np.array([0.0, 2.0, 0.5, 0.0])
    gx, gy = dt.grad(lambda a, b: dnp.sum(ds.xlogy(a, b)), argnums=(0, 1))(x, y)
    with np.errstate(divide="ignore"):
        np.testing.assert_array_equal(gx, np.log(y))        # -inf at y == 0: x log 0
    np.testing.assert_array_equal(gy, [0, 0, 0, np.inf])    # flat along x == 0
    gx, gy = dt.grad(lambda a, b: dnp.sum(ds.xlog1py(a, b)), argnums=(0, 1))(x, y - 1)
    np.testing.assert_array_equal(gy, [0, 0, 0, np.inf])
    # d/dx of d/dy at x == 0, y != 0 is 1 / y: the mask does not cut it
    h = dt.hessian(lambda v: dnp.sum(ds.xlogy(v[0], v[1])))(np.array([0.0, 2.0]))
    np.testing.assert_allclose(h, [[0, 0.5], [0.5, 0]], rtol=1e-15)


def test_entr_derivative_at_zero_and_below():
    g = dt.grad(lambda v: dnp.sum(ds.entr(v)))(np.array([0.0, 1.0, -1.0]))
    assert g[0] == np.inf and g[1] == -1 and np.isnan(g[2])


@pytest.mark.parametrize("axis", [None, 0, 1, (0, 1), ()])
def test_logsumexp_derivative_is_the_softmax(axis):
    a, b = _between(-2, 2, (3, 4)), _between(0.5, 2, (4,))
    out = sp.logsumexp(a, axis=axis, b=b, keepdims=True)
    ga, gb = dt.grad(lambda u, w: dnp.sum(ds.logsumexp(u, axis=axis, b=w)), argnums=(0, 1))(a, b)
    np.testing.assert_allclose(ga, b * np.exp(a - out), rtol=1e-12)
    np.testing.assert_allclose(gb, np.sum(np.exp(a - out), axis=0), rtol=1e-12)
    dt.check_grad(lambda u, w: ds.logsumexp(u, axis=axis, b=w), nd.array(a, dtype="float64"),
                  nd.array(b, dtype="float64"), order=2)


def test_logsumexp_derivative_with_large_and_infinite_entries():
    g = dt.grad(lambda u: ds.logsumexp(u))(np.array([1000.0, 1000.0, -np.inf]))
    np.testing.assert_array_equal(g, [0.5, 0.5, 0.0])
    g = dt.grad(lambda u: ds.logsumexp(u, b=np.array([1.0, 0.0])))(np.array([0.0, np.inf]))
    np.testing.assert_array_equal(g, [1.0, 0.0])


@pytest.mark.parametrize("axis", [None, 0, 1, (1, 0)])
def test_softmax_and_log_softmax_jacobians(axis):
    a = _between(-2, 2, (2, 3))
    s = sp.softmax(a, axis=axis)
    u = RNG.standard_normal(a.shape)
    axes = None if axis is None else axis
    # J^T u of softmax: s * (u - sum(s u)); of log_softmax: u - s * sum(u)
    want = s * (u - np.sum(s * u, axis=axes, keepdims=True))
    got = dt.vjp(lambda v: ds.softmax(v, axis=axis), a)[1](u)[0]
    np.testing.assert_allclose(got, want, rtol=1e-12, atol=1e-15)
    want = u - s * np.sum(u, axis=axes, keepdims=True)
    got = dt.vjp(lambda v: ds.log_softmax(v, axis=axis), a)[1](u)[0]
    np.testing.assert_allclose(got, want, rtol=1e-12, atol=1e-15)
    for f in (ds.softmax, ds.log_softmax):
        dt.check_grad(lambda v: f(v, axis=axis), nd.array(a, dtype="float64"), order=2)


# -------------------------------------------- the registry sweeps, here too ---
# (the sweeps collect the registry when they are imported, before this
# module registers its ops; once dualtape imports dualtape.special they pick
# them up themselves)

def _cases():
    for name in OPS:
        for i in range(len(REGISTRY[name].samples(np.random.default_rng(0)))):
            yield pytest.param(name, i, id="%s-%d" % (name, i))


@pytest.mark.parametrize("dtype", [np.float64, np.float32], ids=["f64", "f32"])
@pytest.mark.parametrize("name,i", list(_cases()))
def test_registry_sweeps_on_the_special_ops(name, i, dtype):
    sweeps.test_jvp_matches_finite_differences(name, i, dtype)
    sweeps.test_vjp_is_the_transpose_of_the_jvp(name, i, dtype)
    sweeps.test_fast_paths_match_the_general_rules(name, i, dtype)
    crosscheck.test_check_grad_second_order_on_samples(name, i, dtype)
    for layout in sorted(layouts.LAYOUTS):
        layouts.test_every_op_gives_the_same_results_on_every_layout(name, i, dtype, layout)
    if dtype == np.float64:
        sweeps.test_batched_rules_match_one_direction_at_a_time(name, i)


@pytest.mark.parametrize("dtype", [np.float16, np.float32, np.float64],
                         ids=["f16", "f32", "f64"])
@pytest.mark.parametrize("name", OPS)
def test_special_ops_keep_0d_on_every_path(name, dtype):
    layouts.test_elementwise_ops_keep_0d_on_every_path(name, dtype)

