"""dualtape.numpy's array creation against numpy itself: values, shapes,
dtypes and errors; constants where numpy makes arrays from values,
derivatives where dualtape arrays go in (full, linspace, logspace, meshgrid);
numpy's functions reaching them through the protocols."""
import numpy as np
import pytest

import dualtape as dt
import dualtape.numpy as dnp
from dualtape import autograd, nd
from dualtape._engine import NDArray

DTYPES = [None, float, np.float32, np.int32, np.int64, np.uint8, bool]


def check(got, expected, rtol=1e-12, atol=1e-12):
    expected = np.asarray(expected)
    assert type(got) is dnp.ndarray, type(got)
    assert got.shape == expected.shape, (got.shape, expected.shape)
    assert got.dtype == expected.dtype, (got.dtype, expected.dtype)
    np.testing.assert_allclose(got.asnumpy(), expected, rtol=rtol, atol=atol, equal_nan=True)


def _public(exc):
    return next(c for c in exc.__mro__ if not c.__module__.startswith("numpy._"))


def agree(name, *args, **kwargs):
    """``dnp.<name>(*args)`` is numpy's result (a constant), or raises
    numpy's exception type."""
    try:
        expected = getattr(np, name)(*args, **kwargs)
    except Exception as e:                                    # noqa: BLE001  (numpy's type)
        with pytest.raises(_public(type(e))):
            getattr(dnp, name)(*args, **kwargs)
        return None
    got = getattr(dnp, name)(*args, **kwargs)
    if name.startswith("empty"):                 # uninitialized: shape and dtype only
        assert type(got) is dnp.ndarray
        assert got.shape == expected.shape and got.dtype == expected.dtype
        return got
    if isinstance(expected, tuple):
        assert isinstance(got, tuple) and len(got) == len(expected)
        for g, e in zip(got, expected):
            if isinstance(e, np.ndarray):
                check(g, e)
            else:
                np.testing.assert_equal(g, e)
    else:
        check(got, expected)
    return got


# ------------------------------------------------------------ from values ---

@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("name", ["zeros", "ones", "empty"])
def test_zeros_ones_empty(name, dtype):
    for shape in (3, (2, 3), (), (0, 2), [2, 1, 2]):
        agree(name, shape, dtype)
        agree(name, shape, dtype=dtype, order="F")
    agree(name, (2, 2), order="X")
    agree(name, -1)
    agree(name, (2, 2), device="cpu")


@pytest.mark.parametrize("dtype", DTYPES)
def test_full(dtype):
    for shape, fill in ((3, 2.5), ((2, 3), 7), ((), -1), ((2, 3), [1, 2, 3]),
                        ((2, 3), np.array([[1], [2]])), ((0,), 1.0), ((2,), True)):
        agree("full", shape, fill, dtype)
        agree("full", shape, fill, dtype=dtype, order="F")
    agree("full", (2, 3), [1, 2])
    agree("full", 3, 1.0, order="Q")


@pytest.mark.parametrize("name", ["zeros", "ones", "empty", "full", "eye", "identity", "tri",
                                  "arange"])
def test_complex_dtypes_are_refused_naming_the_function(name):
    args = {"full": (3, 1.0), "arange": (3,)}.get(name, (3,))
    with pytest.raises(TypeError, match=name + ".*complex128"):
        getattr(dnp, name)(*args, dtype=np.complex128)


def test_like_is_accepted_and_numpy_dispatches_to_dualtape():
    x = dnp.asarray([1.0, 2.0])
    for name, args in (("zeros", (3,)), ("ones", ((2, 2),)), ("empty", (2,)),
                       ("full", (2, 4.0)), ("arange", (1, 7, 2)), ("eye", (3,)),
                       ("identity", (2,)), ("tri", (3,))):
        expected = getattr(np, name)(*args)
        got = getattr(np, name)(*args, like=x)      # numpy's NEP 35 dispatch
        assert type(got) is dnp.ndarray and got.shape == expected.shape
        if name != "empty":
            check(got, expected)
        got = getattr(dnp, name)(*args, like=x)
        assert type(got) is dnp.ndarray and got.shape == expected.shape


def test_arange():
    for args, kwargs in (((5,), {}), ((1, 5), {}), ((5,), dict(step=2)), ((0, 1, 0.25), {}),
                         ((10, 0, -3), {}), ((3,), dict(dtype=np.float32)), ((0,), {}),
                         ((1.5, 4), dict(dtype=int)), ((5, 1), {}), ((0, 1, 0), {})):
        agree("arange", *args, **kwargs)


@pytest.mark.parametrize("dtype", [float, np.float32, np.int32, bool])
def test_eye_identity_tri(dtype):
    for args in ((3,), (3, 4), (4, 2, 1), (3, None, -1), (3, 3, 5), (0,)):
        agree("eye", *args, dtype=dtype)
        agree("tri", *args, dtype=dtype)
    agree("eye", 3, order="F", dtype=dtype)
    agree("identity", 3, dtype)
    agree("identity", 0, dtype=dtype)
    agree("identity", 3)
    agree("eye", -1)


# ------------------------------------------------------------- *_like ---

PROTOTYPES = {"f32": np.arange(6, dtype=np.float32).reshape(2, 3),
              "i64": np.arange(4), "bool": np.array([True, False]), "0d": np.array(2.5)}


@pytest.mark.parametrize("key", sorted(PROTOTYPES))
@pytest.mark.parametrize("name", ["zeros_like", "ones_like", "empty_like", "full_like"])
def test_like_functions(name, key):
    a = PROTOTYPES[key]
    fill = (7.5,) if name == "full_like" else ()
    for kwargs in ({}, dict(dtype=np.float64), dict(dtype=np.int8), dict(shape=(3, 1)),
                   dict(shape=4, dtype=bool), dict(order="F"), dict(order="A")):
        agree(name, a, *fill, **kwargs)
        agree(name, a.tolist(), *fill, **kwargs)
        got = getattr(dnp, name)(dnp.asarray(a), *fill, **kwargs)
        expected = getattr(np, name)(a, *fill, **kwargs)
        assert type(got) is dnp.ndarray
        assert got.shape == expected.shape and got.dtype == expected.dtype
    x = nd.array(a, dtype=a.dtype)
    assert type(getattr(dnp, name)(x, *fill)) is NDArray          # MXNet in, MXNet out
    with pytest.raises(ValueError):
        getattr(np, name)(a, *fill, order="Q")
    with pytest.raises(ValueError):
        getattr(dnp, name)(a, *fill, order="Q")


def test_like_functions_are_constants():
    a = np.array([1.0, -2.0, 3.0])
    g = dt.grad(lambda x: dnp.sum((dnp.ones_like(x) + dnp.full_like(x, 2.0)
                                   + dnp.zeros_like(x)) * x))(a)
    np.testing.assert_allclose(g, [3.0, 3.0, 3.0])
    x = dnp.asarray(a)
    x.attach_grad()
    for f in (dnp.zeros_like, dnp.ones_like, dnp.empty_like):
        with autograd.record():
            y = f(x)
        with pytest.raises(RuntimeError, match="not part of a recorded graph"):
            y.backward()


# ------------------------------------------------------- from dualtape ---

def test_full_with_a_dualtape_fill_value_is_a_differentiable_broadcast():
    v = np.array([1.0, -2.0, 0.5])
    check(dnp.full((2, 3), dnp.asarray(v)), np.full((2, 3), v))
    check(dnp.full((2, 3), dnp.asarray(v), dtype=np.float32), np.full((2, 3), v, np.float32))
    check(dnp.full(3, dnp.asarray(v)), np.full(3, v))
    g = dt.grad(lambda f: dnp.sum(dnp.full((4, 3), f) * np.arange(12.0).reshape(4, 3)))(v)
    np.testing.assert_allclose(g, np.arange(12.0).reshape(4, 3).sum(0))
    dt.check_grad(lambda f: dnp.full((2, 2, 3), f * f), v, order=2)
    dt.check_grad(lambda f: dnp.full_like(np.zeros((2, 3)), f), v)
    assert type(dnp.full(3, nd.array([1.0]))) is NDArray
    with pytest.raises(ValueError):
        dnp.full((2, 2), dnp.asarray(v))
    with pytest.raises(ValueError, match="full.*order"):
        dnp.full(3, dnp.asarray(v), order="Q")


@pytest.mark.parametrize("num", [0, 1, 2, 5])
@pytest.mark.parametrize("endpoint", [True, False])
def test_linspace_with_scalar_and_numpy_ends(num, endpoint):
    for start, stop in ((0, 1), (2.5, -1.0), (np.float32(0), np.float32(3)),
                        (np.array([0.0, 1.0]), 5), (np.array([[0.0], [1.0]]), [2.0, 4.0, 6.0])):
        for kwargs in ({}, dict(dtype=np.float32), dict(dtype=int), dict(axis=-1),
                       dict(retstep=True)):
            if np.ndim(start) == 0 and np.ndim(stop) == 0 and kwargs.get("axis"):
                continue
            agree("linspace", start, stop, num, endpoint, **kwargs)
    agree("linspace", 0, 1, -1)


@pytest.mark.parametrize("num", [1, 2, 6])
@pytest.mark.parametrize("endpoint", [True, False])
def test_linspace_with_dualtape_ends(num, endpoint):
    s, e = np.array([0.0, 1.0, -2.0]), np.array([[1.0, 3.0, 4.0], [2.0, -1.0, 0.5]])
    for axis in (0, 1, -1, 2):
        for dtype in (None, np.float32, np.int64):
            got = dnp.linspace(dnp.asarray(s), dnp.asarray(e), num, endpoint, dtype=dtype,
                               axis=axis)
            check(got, np.linspace(s, e, num, endpoint, dtype=dtype, axis=axis), rtol=1e-6)
    got, step = dnp.linspace(dnp.asarray(s), e, num, endpoint, retstep=True)
    expected, estep = np.linspace(s, e, num, endpoint, retstep=True)
    check(got, expected)
    np.testing.assert_allclose(np.asarray(step.asnumpy() if isinstance(step, NDArray)
                                          else step), estep, rtol=1e-12)
    check(dnp.linspace(dnp.asarray(np.float32(1)), 2, num, endpoint),
          np.linspace(np.float32(1), 2, num, endpoint))
    dt.check_grad(lambda a, b: dnp.linspace(a, b, num, endpoint, axis=-1) ** 2, s, e, order=2)


def test_linspace_derivatives_are_the_interpolation_weights():
    num = 5
    ga, gb = dt.grad(lambda a, b: dnp.sum(dnp.linspace(a, b, num) * np.arange(1.0, 6.0)),
                     argnums=(0, 1))(np.array(1.0), np.array(3.0))
    k = np.arange(num) / (num - 1)
    np.testing.assert_allclose(ga, np.sum((1 - k) * np.arange(1.0, 6.0)))
    np.testing.assert_allclose(gb, np.sum(k * np.arange(1.0, 6.0)))
    J = dt.jacobian(lambda b: dnp.linspace(0.0, b, 4, endpoint=False))(np.array(2.0))
    np.testing.assert_allclose(J, np.arange(4) / 4)
    with pytest.raises(ValueError, match="linspace.*non-negative"):
        dnp.linspace(dnp.asarray(0.0), 1.0, -1)
    with pytest.raises(np.exceptions.AxisError, match="linspace"):
        dnp.linspace(dnp.asarray([0.0]), 1.0, 3, axis=2)


def test_logspace():
    for args, kwargs in (((0, 2, 5), {}), ((0, 2, 4), dict(endpoint=False, base=2.0)),
                         ((np.array([0.0, 1.0]), 2, 3), dict(base=np.array([2.0, 10.0]),
                                                              axis=1)),
                         ((1, 3, 3), dict(dtype=np.float32)), ((1, 3, 3), dict(dtype=int)),
                         ((np.float32(0), np.float32(1), 3), {})):
        agree("logspace", *args, **kwargs)
        s = dnp.asarray(args[0])
        got = dnp.logspace(s, *args[1:], **kwargs)
        check(got, np.logspace(*args, **kwargs), rtol=1e-6)
    dt.check_grad(lambda a, b, base: dnp.logspace(a, b, 4, base=base, axis=-1),
                  np.array([0.0, 0.5]), np.array([1.0, 2.0]), np.array([2.0, 3.0]), order=2)
    g = dt.grad(lambda b: dnp.sum(dnp.logspace(0.0, b, 3, base=2.0)))(np.array(2.0))
    np.testing.assert_allclose(g, np.log(2) * (0.5 * 2 ** 1.0 + 1.0 * 2 ** 2.0))


@pytest.mark.parametrize("indexing", ["xy", "ij"])
@pytest.mark.parametrize("sparse", [False, True])
@pytest.mark.parametrize("copy", [False, True])
def test_meshgrid(indexing, sparse, copy):
    inputs = [np.array([1.0, 2.0]), np.arange(3, dtype=np.int32), np.array([[0.5, 1.5]]),
              np.array(7.0, np.float32)]
    for n in range(5):
        xs = inputs[:n]
        expected = np.meshgrid(*xs, indexing=indexing, sparse=sparse, copy=copy)
        for src in (xs, [dnp.asarray(x) for x in xs]):
            got = dnp.meshgrid(*src, indexing=indexing, sparse=sparse, copy=copy)
            assert isinstance(got, tuple) and len(got) == n
            for g, e in zip(got, expected):
                check(g, e)
    x = dnp.asarray(np.array([1.0, 2.0]))
    for g in dnp.meshgrid(x, np.arange(3.0), indexing=indexing, sparse=sparse, copy=copy):
        assert np.shares_memory(g._data, x._data) == (sparse and not copy and g.size == 2)


def test_meshgrid_is_differentiable_and_keeps_the_flavour():
    x, y = np.array([1.0, -2.0]), np.array([0.5, 1.5, 3.0])
    dt.check_grad(lambda a, b: dnp.meshgrid(a, b), x, y, order=2)
    dt.check_grad(lambda a, b: dnp.meshgrid(a, b, sparse=True, indexing="ij"), x, y, order=2)
    gx, gy = dt.grad(lambda a, b: dnp.sum(dnp.meshgrid(a, b)[0] * dnp.meshgrid(a, b)[1]),
                     argnums=(0, 1))(x, y)
    np.testing.assert_allclose(gx, np.full(2, y.sum()))
    np.testing.assert_allclose(gy, np.full(3, x.sum()))
    out = dnp.meshgrid(nd.array(x, dtype="float64"), nd.array(y, dtype="float64"))
    assert all(type(o) is NDArray for o in out)
    with pytest.raises(ValueError, match="meshgrid.*indexing"):
        dnp.meshgrid(x, indexing="yx")


def test_array_ndmin_and_asarray():
    a = np.array([1.0, 2.0])
    for src in (a, a.tolist(), dnp.asarray(a)):
        for ndmin in (0, 1, 3):
            for dtype in (None, np.float32, np.int32):
                check(dnp.array(src, dtype=dtype, ndmin=ndmin),
                      np.array(a, dtype=dtype, ndmin=ndmin))
    check(dnp.array(3.5, ndmin=2), np.array(3.5, ndmin=2))
    g = dt.grad(lambda x: dnp.sum(dnp.array(x, ndmin=3) * 2.0))(a)
    np.testing.assert_allclose(g, [2.0, 2.0])
    x = dnp.asarray(a)
    assert dnp.asarray(x) is x
    check(dnp.asarray([[1, 2]], dtype=np.float32), np.asarray([[1, 2]], dtype=np.float32))


def test_numpy_functions_reach_dualtape_through_the_protocol():
    x = dnp.asarray(np.array([1.0, 2.0, 3.0]))
    for f, args in ((np.zeros_like, ()), (np.ones_like, ()), (np.full_like, (4.0,))):
        got = f(x, *args)
        check(got, f(np.array([1.0, 2.0, 3.0]), *args))
    out = np.meshgrid(x, np.arange(2.0))
    assert all(type(o) is dnp.ndarray for o in out)
    check(np.linspace(x, 2 * x, 3), np.linspace([1.0, 2, 3], [2.0, 4, 6], 3))
    check(np.logspace(x, 4.0, 3), np.logspace([1.0, 2, 3], 4.0, 3))
    g = dt.grad(lambda v: np.sum(np.meshgrid(v, np.arange(4.0))[0]))(np.array([1.0, 2.0]))
    np.testing.assert_allclose(g, [4.0, 4.0])


def test_asarray_copy_and_order_arguments():
    a = np.arange(3.0)
    assert np.shares_memory(dnp.asarray(a, copy=False)._data, a)
    assert not np.shares_memory(dnp.asarray(a, copy=True)._data, a)
    with pytest.raises(ValueError, match="unable to avoid a copy"):
        dnp.asarray([1.0, 2.0], copy=False)
    with pytest.raises(ValueError, match="unable to avoid a copy"):
        dnp.asarray(dnp.asarray(a), dtype="float32", copy=False)
    with pytest.raises(ValueError, match="order must be one of"):
        dnp.asarray(a, order="X")
    x = dnp.asarray(a)
    assert not np.shares_memory(dnp.asarray(x, copy=True)._data, x._data)
    np.testing.assert_array_equal(
        dt.grad(lambda v: dnp.sum(dnp.asarray(v, copy=True) * 2))(a), [2.0, 2.0, 2.0])
    np.testing.assert_array_equal(dnp.array([1, 2], order="F", ndmin=2)._data, [[1, 2]])
