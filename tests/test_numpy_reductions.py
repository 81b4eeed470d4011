"""dualtape.numpy's reductions against numpy itself: values, shapes, dtypes and
errors for every axis form, keepdims, dtype and input dtype; derivatives
against finite differences (to second order) and closed forms; numpy's
functions and ndarray methods reaching them through the protocols."""
import warnings

import numpy as np
import pytest

import dualtape as dt
import dualtape.numpy as dnp
from dualtape import autograd, nd
from dualtape._engine import NDArray

RNG = np.random.default_rng(0)

INPUTS = {
    "f64": RNG.standard_normal((3, 4)),
    "f32": RNG.standard_normal((2, 3, 4)).astype(np.float32),
    "i32": RNG.integers(-5, 6, (3, 4)).astype(np.int32),
    "i64-1d": RNG.integers(-5, 6, (5,)),
    "u8": RNG.integers(0, 6, (3, 4)).astype(np.uint8),
    "bool": RNG.random((3, 4)) > 0.5,
    "0d": np.array(1.5),
    "empty": np.zeros((0, 3)),
    "zeros": np.array([[0.0, 2.0, -1.0], [1.5, 0.0, 0.0]]),
}

AXES = {0: [None, (), 0, -1],
        1: [None, (), 0, -1, (0,)],
        2: [None, (), 0, 1, -1, (0, 1), (1, 0)],
        3: [None, (), 1, -1, (0, 2), (2, 0, 1)]}

REDUCTIONS = ["sum", "prod", "mean", "var", "std", "max", "amax", "min", "amin", "ptp",
              "nansum", "nanmean", "all", "any", "count_nonzero"]


def _tol(dtype):
    return dict(rtol=2e-5, atol=1e-5) if np.dtype(dtype) == np.float32 else \
        dict(rtol=1e-12, atol=1e-12)


def agree(name, a, *args, tol=None, **kwargs):
    """``dnp.<name>`` of ``a`` gives numpy's value, shape and dtype as a
    numpy-flavoured array, or raises numpy's exception type."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            expected = getattr(np, name)(a, *args, **kwargs)
        except Exception as e:                               # noqa: BLE001  (numpy's type)
            with pytest.raises(_public(type(e))):
                getattr(dnp, name)(dnp.asarray(a), *args, **kwargs)
            return None
        got = getattr(dnp, name)(dnp.asarray(a), *args, **kwargs)
    check(got, expected, tol)
    return got


def _public(exc):
    """numpy's exception type, or the first base of it outside numpy's private
    modules (its casting errors are ``TypeError`` underneath)."""
    return next(c for c in exc.__mro__ if not c.__module__.startswith("numpy._"))


def check(got, expected, tol=None):
    expected = np.asarray(expected)
    assert type(got) is dnp.ndarray, type(got)
    assert got.shape == expected.shape, (got.shape, expected.shape)
    assert got.dtype == expected.dtype, (got.dtype, expected.dtype)
    np.testing.assert_allclose(got.asnumpy(), expected, equal_nan=True,
                               **(tol or _tol(expected.dtype)))


# ------------------------------------------------------ numpy's values ---

@pytest.mark.parametrize("key", sorted(INPUTS))
@pytest.mark.parametrize("name", REDUCTIONS)
def test_reductions_agree_with_numpy_on_every_axis_and_keepdims(name, key):
    a = INPUTS[key]
    for axis in AXES[a.ndim]:
        for keepdims in (False, True):
            agree(name, a, axis=axis, keepdims=keepdims)
    agree(name, a)


@pytest.mark.parametrize("key", sorted(INPUTS))
@pytest.mark.parametrize("name", ["cumsum", "cumprod", "argmax", "argmin"])
def test_axis_functions_agree_with_numpy(name, key):
    a = INPUTS[key]
    for axis in (None, 0, -1, 1, a.ndim, (0,)):
        agree(name, a, axis=axis)
    if name.startswith("arg"):
        for axis in (None, 0, -1):
            agree(name, a, axis=axis, keepdims=True)


@pytest.mark.parametrize("name", ["sum", "prod", "mean", "var", "std", "nansum", "nanmean",
                                  "cumsum", "cumprod", "trace"])
@pytest.mark.parametrize("dtype", [np.float32, np.float64, np.int64, np.int16, np.uint32])
@pytest.mark.parametrize("key", ["f64", "i32", "bool", "u8"])
def test_dtype_argument(name, dtype, key):
    a = INPUTS[key]
    if name in ("nanmean",) and a.dtype.kind == "f" and np.dtype(dtype).kind != "f":
        with pytest.raises(TypeError, match="nanmean"):
            dnp.nanmean(dnp.asarray(a), dtype=dtype)
        return
    tol = dict(rtol=1e-5, atol=1e-5) if np.dtype(dtype) == np.float32 else None
    agree(name, a, dtype=dtype, tol=tol)
    if name != "trace":
        agree(name, a, axis=0, dtype=dtype, tol=tol)


def test_mean_of_float16_accumulates_in_float32():
    a = np.full(1000, 100.0, np.float16)           # the sum overflows float16
    got = dnp.mean(dnp.asarray(a))
    assert got.dtype == np.float16 and got.item() == np.mean(a) == 100.0
    check(dnp.mean(a.reshape(10, 100), axis=1), np.mean(a.reshape(10, 100), axis=1))


@pytest.mark.parametrize("name", ["sum", "nansum", "prod", "max", "min"])
@pytest.mark.parametrize("key", ["f64", "i32", "empty", "0d"])
def test_initial(name, key):
    a = INPUTS[key]
    for initial in (2, 0.5, -3.25):
        agree(name, a, initial=initial)
        agree(name, a, axis=0 if a.ndim else None, keepdims=True, initial=initial)
    with pytest.raises(ValueError, match=name):
        getattr(dnp, name)(dnp.asarray(a), initial=np.ones(2))


def test_initial_is_a_constant_and_max_ties_with_it_go_to_the_array():
    x = np.array([1.0, 3.0, 2.0])
    np.testing.assert_allclose(dt.grad(lambda v: dnp.sum(v, initial=5.0))(x), [1, 1, 1])
    np.testing.assert_allclose(dt.grad(lambda v: dnp.max(v, initial=5.0))(x), [0, 0, 0])
    np.testing.assert_allclose(dt.grad(lambda v: dnp.max(v, initial=3.0))(x), [0, 1, 0])
    np.testing.assert_allclose(dt.grad(lambda v: dnp.prod(v, initial=2.0))(x), [12, 4, 6])


@pytest.mark.parametrize("ddof", [0, 1, 2, 1.5, np.int64(1)])
@pytest.mark.parametrize("name", ["var", "std"])
@pytest.mark.parametrize("key", ["f64", "f32", "i32", "bool"])
def test_var_and_std_ddof(name, ddof, key):
    a = INPUTS[key]
    agree(name, a, ddof=ddof)
    agree(name, a, axis=-1, ddof=ddof, keepdims=True)
    agree(name, a, axis=0, correction=ddof)


@pytest.mark.parametrize("name", ["var", "std"])
def test_var_and_std_with_a_given_mean(name):
    a = INPUTS["f64"]
    m = np.mean(a, axis=1, keepdims=True)
    check(getattr(dnp, name)(dnp.asarray(a), axis=1, mean=dnp.asarray(m)),
          getattr(np, name)(a, axis=1, mean=m))
    m0 = m + 1.0               # a mean that is not the mean is used as given
    check(getattr(dnp, name)(dnp.asarray(a), axis=1, mean=m0, ddof=1),
          getattr(np, name)(a, axis=1, mean=m0, ddof=1))
    with pytest.raises(ValueError, match="ddof and correction"):
        getattr(dnp, name)(dnp.asarray(a), ddof=1, correction=1)


def test_numpy_warnings():
    for f, args in ((dnp.mean, (np.zeros((0, 3)),)), (dnp.var, (np.ones(3),)),
                    (dnp.nanmean, (np.array([np.nan, np.nan]),))):
        kwargs = {"ddof": 3} if f is dnp.var else {}
        with pytest.warns(RuntimeWarning):
            r = f(*args, **kwargs)
        assert np.isnan(r.asnumpy()).all() or np.isinf(r.asnumpy()).all()
    with pytest.warns(RuntimeWarning, match="Mean of empty slice"):
        check(dnp.mean(np.zeros((0, 3)), axis=0), np.full(3, np.nan))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        dnp.mean(np.zeros((0, 3)), axis=1)        # a (0,) result: no empty slice
        dnp.var(np.ones(3), ddof=2)


@pytest.mark.parametrize("key", ["f64", "f32", "i32", "bool"])
def test_average(key):
    a = INPUTS[key].reshape(-1, INPUTS[key].shape[-1])
    w = RNG.uniform(0.5, 2.0, a.shape).astype(np.float32)
    w1 = RNG.uniform(0.5, 2.0, a.shape[1])
    for kwargs in (dict(), dict(axis=0), dict(axis=(0, 1)), dict(keepdims=True),
                   dict(weights=w), dict(weights=w, axis=1, keepdims=True),
                   dict(axis=1, weights=w1), dict(axis=-1, weights=w1, keepdims=True),
                   dict(axis=(1,), weights=w1), dict(axis=(1, 0), weights=w.T)):
        agree("average", a, **kwargs)
        got = dnp.average(dnp.asarray(a), returned=True, **kwargs)
        expected = np.average(a, returned=True, **kwargs)
        assert isinstance(got, tuple) and len(got) == 2
        for g, e in zip(got, expected):
            check(g, e)


def test_average_errors():
    a = dnp.asarray(np.ones((2, 3)))
    with pytest.raises(TypeError, match="average: axis must be specified"):
        dnp.average(a, weights=np.ones(3))
    with pytest.raises(ValueError, match="average: shape of weights"):
        dnp.average(a, axis=1, weights=np.ones(2))
    with pytest.raises(ZeroDivisionError, match="average"):
        dnp.average(a, axis=1, weights=np.array([1.0, -1.0, 0.0]))
    for exc, kwargs in ((TypeError, dict(weights=np.ones(3))),
                        (ValueError, dict(axis=1, weights=np.ones(2))),
                        (ZeroDivisionError, dict(axis=1, weights=np.array([1.0, -1.0, 0.0])))):
        with pytest.raises(exc):
            np.average(np.ones((2, 3)), **kwargs)


NANS = np.array([[np.nan, 1.0, 2.5, np.nan], [0.5, np.nan, -1.0, 3.0], [np.nan] * 4])


@pytest.mark.parametrize("name", ["nansum", "nanmean"])
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_nan_functions_on_nan_input(name, dtype):
    a = NANS.astype(dtype)
    for axis in AXES[2]:
        for keepdims in (False, True):
            agree(name, a, axis=axis, keepdims=keepdims)
    agree(name, a[:2], dtype=np.float64)
    agree(name, np.array(np.nan, dtype))


@pytest.mark.parametrize("offset", [-3, -1, 0, 1, 2, 5])
@pytest.mark.parametrize("shape,axes", [((3, 4), (0, 1)), ((3, 4), (1, 0)),
                                        ((2, 3, 4), (0, 1)), ((2, 3, 4), (2, 0)),
                                        ((2, 3, 4), (-1, 1)), ((0, 3), (0, 1))])
def test_trace(offset, shape, axes):
    a = RNG.standard_normal(shape)
    agree("trace", a, offset, *axes)
    agree("trace", a.astype(np.int32), offset, *axes)
    agree("trace", a > 0, offset=offset, axis1=axes[0], axis2=axes[1])


def test_trace_errors():
    a = dnp.asarray(np.ones((2, 3)))
    with pytest.raises(ValueError, match="trace: diag requires"):
        dnp.trace(dnp.asarray(np.ones(3)))
    with pytest.raises(ValueError, match="trace: axis1 and axis2"):
        dnp.trace(a, axis1=1, axis2=-1)
    with pytest.raises(np.exceptions.AxisError, match="trace"):
        dnp.trace(a, axis2=2)
    for bad in (dict(axis1=1, axis2=-1), dict(axis2=2)):
        agree("trace", np.ones((2, 3)), **bad)
    agree("trace", np.ones(3))


def test_argmax_and_argmin_errors_name_the_function():
    a = dnp.asarray(np.ones((2, 3)))
    with pytest.raises(TypeError):
        dnp.argmax(a, axis=(0,))
    with pytest.raises(ValueError, match="argmin.*empty"):
        dnp.argmin(dnp.asarray(np.zeros((2, 0))), axis=1)
    with pytest.raises(np.exceptions.AxisError, match="argmax"):
        dnp.argmax(a, axis=2)


def test_count_nonzero_with_nan_and_tuples():
    agree("count_nonzero", NANS, axis=(0, 1), keepdims=True)
    agree("count_nonzero", np.array([0.0, -0.0, 1e-300]))
    agree("all", NANS)
    agree("any", np.zeros((2, 0)), axis=1)
    agree("all", np.zeros((2, 0)), axis=1)


@pytest.mark.parametrize("name", ["sum", "prod", "mean", "var", "std", "max", "min", "ptp",
                                  "nansum", "nanmean", "all", "any", "cumsum", "cumprod",
                                  "trace", "argmax", "argmin"])
def test_out_and_where_are_refused(name):
    a = dnp.asarray(np.ones((2, 2)))
    with pytest.raises(TypeError, match=name + ".*out="):
        getattr(dnp, name)(a, out=np.zeros(()))
    if name in ("var", "std", "nansum", "nanmean"):
        with pytest.raises(TypeError, match=name + ".*where="):
            getattr(dnp, name)(a, where=np.array([True, False]))
    if name in ("sum", "prod", "mean", "var", "std", "max", "min", "nansum", "nanmean", "all",
                "any"):
        check(getattr(dnp, name)(a, where=True), getattr(np, name)(np.ones((2, 2))))


@pytest.mark.parametrize("name,extra", [("sum", {}), ("prod", {}), ("mean", {}),
                                        ("max", {"initial": -5}), ("min", {"initial": 5}),
                                        ("all", {}), ("any", {})])
def test_where_masks_are_numpys(name, extra):
    rng = np.random.default_rng(0)
    masks = (rng.random((3, 4)) > 0.4, np.array([True, False, True, True]))
    for a in (rng.standard_normal((3, 4)), np.arange(12).reshape(3, 4)):
        for w in masks:
            for kw in ({}, {"axis": 0}, {"axis": 1, "keepdims": True}):
                with np.errstate(invalid="ignore"), warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    want = getattr(np, name)(a, where=w, **extra, **kw)
                    got = getattr(dnp, name)(dnp.asarray(a), where=w, **extra, **kw)
                check(got, want)
    if name in ("max", "min"):
        with pytest.raises(ValueError, match="where mask one has to specify 'initial'"):
            getattr(dnp, name)(dnp.ones((2, 2)), where=masks[1][:2])
    if name in ("sum", "mean"):             # elements left out get no derivative
        a, w = np.arange(1.0, 13.0).reshape(3, 4), masks[0]
        g = dt.grad(lambda v: dnp.sum(getattr(dnp, name)(v * v, axis=0, where=w)))(a)
        want = 2 * a * w / (w.sum(0) if name == "mean" else 1)
        np.testing.assert_allclose(np.asarray(g), want)


@pytest.mark.parametrize("name", ["sum", "prod", "mean", "var", "std", "cumsum", "cumprod",
                                  "nansum", "trace"])
def test_complex_dtypes_are_refused_naming_the_function(name):
    with pytest.raises(TypeError, match=name + ".*complex128"):
        getattr(dnp, name)(dnp.asarray(np.ones((2, 2))), dtype=np.complex128)


def test_results_follow_the_inputs_flavour():
    a = np.arange(6.0).reshape(2, 3)
    x = nd.array(a, dtype="float64")
    for f in (dnp.var, dnp.prod, dnp.cumsum, dnp.trace, dnp.all, dnp.nanmean, dnp.ptp):
        assert type(f(x)) is NDArray
        assert type(f(a)) is dnp.ndarray and type(f(a.tolist())) is dnp.ndarray
        assert type(f(dnp.asarray(a))) is dnp.ndarray
    assert type(np.var(x, ddof=1)) is NDArray          # numpy's semantics, MXNet's flavour
    assert np.var(x, ddof=1).shape == ()


# --------------------------------------------------------- derivatives ---

X = RNG.standard_normal((3, 4))
XZ = np.array([[0.0, 1.3, -0.7, 0.9], [1.1, 0.0, 0.0, -1.2], [0.6, 0.8, 1.4, -0.5]])

DIFFERENTIABLE = [
    ("sum", {}), ("sum", dict(axis=0, keepdims=True)), ("prod", dict(axis=1)),
    ("mean", dict(axis=(0, 1))), ("var", {}), ("var", dict(axis=0, ddof=1)),
    ("std", dict(axis=1, keepdims=True)), ("std", dict(ddof=1)), ("max", dict(axis=1)),
    ("min", {}), ("amax", dict(axis=0)), ("amin", dict(axis=-1, keepdims=True)),
    ("ptp", dict(axis=0)), ("ptp", {}), ("cumsum", {}), ("cumsum", dict(axis=0)),
    ("cumprod", dict(axis=1)), ("cumprod", {}), ("nansum", dict(axis=1)),
    ("nanmean", dict(axis=0)), ("trace", {}), ("trace", dict(offset=1)),
    ("average", dict(axis=1)), ("average", dict(weights=np.arange(1.0, 13).reshape(3, 4)))]


@pytest.mark.parametrize("name,kwargs", DIFFERENTIABLE,
                         ids=["%s-%d" % (n, i) for i, (n, _) in enumerate(DIFFERENTIABLE)])
def test_derivatives_to_second_order(name, kwargs):
    f = getattr(dnp, name)
    dt.check_grad(lambda x: f(x, **kwargs), X, order=2)
    dt.check_grad(lambda x: f(x, **kwargs), X.astype(np.float32))


@pytest.mark.parametrize("name,kwargs", [("prod", dict(axis=1)), ("prod", {}),
                                         ("cumprod", dict(axis=1)), ("cumprod", dict(axis=0)),
                                         ("cumprod", {})])
def test_products_are_differentiable_at_zeros(name, kwargs):
    dt.check_grad(lambda x: getattr(dnp, name)(x, **kwargs), XZ, order=2)


def _cumprod_jacobian(x):
    """d cumprod(x)[i] / d x[j]: the product of x[:i+1] without x[j], by loops."""
    n = x.size
    J = np.zeros((n, n))
    for i in range(n):
        for j in range(i + 1):
            J[i, j] = np.prod(np.delete(x[:i + 1], j))
    return J


def test_cumprod_jacobian_at_zeros_is_the_product_of_the_others():
    for x in (np.array([0.0, 2.0, 0.0, 3.0, 1.5]), np.array([2.0, 0.0, 0.5]), np.zeros(3)):
        for mode in ("forward", "reverse"):
            J = dt.jacobian(dnp.cumprod, mode=mode)(x)
            np.testing.assert_allclose(J, _cumprod_jacobian(x), rtol=1e-14)
    x = np.array([0.0, 2.0, 0.0, 3.0])        # second derivative at two zeros
    H = dt.hessian(lambda v: dnp.cumprod(v)[-1])(x)
    expected = np.array([[np.prod(np.delete(x, [i, j])) if i != j else 0.0
                          for j in range(4)] for i in range(4)])
    np.testing.assert_allclose(H, expected)


def test_closed_form_derivatives():
    g = dt.grad(lambda x: dnp.var(x, ddof=1))(X)
    np.testing.assert_allclose(g, 2 * (X - X.mean()) / (X.size - 1), rtol=1e-12)
    g = dt.grad(lambda x: dnp.sum(dnp.std(x, axis=1)))(X)
    m = X.mean(axis=1, keepdims=True)
    np.testing.assert_allclose(g, (X - m) / (4 * X.std(axis=1, keepdims=True)), rtol=1e-12)
    np.testing.assert_allclose(dt.grad(lambda x: dnp.trace(x, offset=-1))(X),
                               np.eye(3, 4, -1))
    np.testing.assert_allclose(dt.grad(dnp.mean)(X.astype(np.float32)),
                               np.full((3, 4), 1 / 12, np.float32))
    w = np.arange(1.0, 5.0)
    gx, gw = dt.grad(lambda x, v: dnp.sum(dnp.average(x, axis=1, weights=v)),
                     argnums=(0, 1))(X, w)
    np.testing.assert_allclose(gx, np.tile(w / w.sum(), (3, 1)), rtol=1e-12)
    np.testing.assert_allclose(gw, ((X - np.average(X, axis=1, weights=w)[:, None])
                                    / w.sum()).sum(axis=0), rtol=1e-12)


def test_ties_share_the_gradient():
    """Tied elements share the derivative equally, as in JAX and PyTorch: the
    derivative of max(stack([x, x])), which is x, is 1 (nd.max gives each tie
    the whole, as MXNet); ptp of equal elements gives 0."""
    x = np.array([[1.0, 3.0, 3.0], [2.0, 2.0, -1.0]])
    np.testing.assert_allclose(dt.grad(lambda v: dnp.sum(dnp.max(v, axis=1)))(x),
                               [[0, 0.5, 0.5], [0.5, 0.5, 0]])
    np.testing.assert_allclose(dt.grad(lambda v: dnp.min(v))(x), [[0, 0, 0], [0, 0, 1]])
    np.testing.assert_allclose(dt.grad(lambda v: dnp.ptp(v))(np.ones(3)), [0, 0, 0])
    for mode in ("forward", "reverse"):
        assert float(dt.grad(lambda v: dnp.max(dnp.stack([v, v])), mode=mode)(
            np.array(2.0))) == 1.0
        assert float(dt.grad(lambda v: np.min(np.stack([v, v, v])), mode=mode)(
            np.array(2.0))) == 1.0
    _, t = dt.jvp(dnp.max, (np.array([1.0, 3.0, 3.0]),), (np.ones(3),))
    assert float(t) == 1.0
    np.testing.assert_allclose(dt.grad(lambda a: dnp.linalg.norm(a, ord=2))(np.eye(2)),
                               0.5 * np.eye(2))
    np.testing.assert_allclose(dt.hessian(lambda v: dnp.max(v * v))(np.array([1.0, -1.0, 0.5])),
                               np.diag([1.0, 1.0, 0.0]))


def test_nan_entries_get_zero_gradient():
    with pytest.warns(RuntimeWarning):
        g = dt.grad(lambda x: dnp.sum(dnp.nanmean(x, axis=1)))(NANS)
    count = np.sum(~np.isnan(NANS), 1, keepdims=True)
    expected = np.where(np.isnan(NANS), 0.0, 1.0 / np.maximum(count, 1))
    np.testing.assert_allclose(g, expected)              # the all-nan row: 0, not nan
    np.testing.assert_allclose(dt.grad(lambda x: dnp.nansum(x))(NANS),
                               (~np.isnan(NANS)).astype(float))
    with pytest.warns(RuntimeWarning):
        _, t = dt.jvp(lambda x: dnp.nanmean(x, axis=1), (NANS,), (np.ones((3, 4)),))
    np.testing.assert_allclose(t, [1.0, 1.0, 0.0])


def test_linear_scan_handles_batched_tangents_and_cotangents():
    """The cumprod rules through jacobian (batched tangents or cotangents)."""
    x = XZ
    for mode in ("forward", "reverse"):
        J = dt.jacobian(lambda v: dnp.cumprod(v, axis=0), mode=mode)(x)
        for j in range(x.shape[1]):
            np.testing.assert_allclose(J[:, j, :, j], _cumprod_jacobian(x[:, j]), atol=1e-14)


# ------------------------------------------------ numpy's entry points ---

def test_numpy_functions_reach_dualtape_through_the_protocol():
    a, w = X, np.arange(1.0, 5.0)
    x = dnp.asarray(a)
    cases = [(np.var, dict(ddof=1)), (np.std, dict(axis=0)), (np.average, dict(weights=w, axis=1)),
             (np.prod, {}), (np.ptp, dict(axis=1)), (np.cumsum, dict(axis=1)),
             (np.cumprod, {}), (np.nansum, {}), (np.nanmean, dict(axis=0)), (np.trace, {}),
             (np.all, {}), (np.any, dict(axis=0)), (np.count_nonzero, dict(axis=1)),
             (np.amax, dict(axis=0)), (np.amin, {}), (np.argmax, dict(axis=1, keepdims=True)),
             (np.sum, dict(initial=1.0)), (np.mean, dict(keepdims=True))]
    for f, kwargs in cases:
        check(f(x, **kwargs), f(a, **kwargs))
    g = dt.grad(lambda v: np.var(v, ddof=1) + np.average(v, weights=np.ones_like(a)))(a)
    np.testing.assert_allclose(g, 2 * (a - a.mean()) / (a.size - 1) + 1 / a.size, rtol=1e-12)


def test_ndarray_methods():
    a = X
    x = dnp.asarray(a)
    check(x.var(), a.var())
    check(x.std(ddof=1), a.std(ddof=1))
    check(x.cumsum(axis=0), a.cumsum(axis=0))
    check(x.cumprod(), a.cumprod())
    check(x.prod(axis=1), a.prod(axis=1))
    check(x.all(), a.all())
    check(x.any(axis=0), a.any(axis=0))
    check(x.ptp(), np.ptp(a))
    check(x.trace(1), a.trace(1))
    check(x.sum(axis=1, keepdims=True), a.sum(axis=1, keepdims=True))
    check(x.max(initial=10.0), a.max(initial=10.0))
    check(x.argmin(axis=0), a.argmin(axis=0))
    x.attach_grad()
    with autograd.record():
        y = x.var(axis=1).sum() + x.cumprod(axis=1).sum()
    y.backward()
    expected = 2 * (a - a.mean(1, keepdims=True)) / 4 + dt.grad(
        lambda v: dnp.sum(dnp.cumprod(v, axis=1)))(a)
    np.testing.assert_allclose(x.grad.asnumpy(), expected, rtol=1e-12)
