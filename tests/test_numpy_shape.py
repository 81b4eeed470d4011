"""``dualtape.numpy``'s shape, joining, splitting, rearranging, sorting and
indexing functions (``dualtape/numpy/_shape.py``): values, shapes and dtypes
against numpy itself for every function and option (float32, float64,
integer and bool data, 0-d and empty arrays, negative axes), numpy's
exception types, numpy code reaching the functions through numpy's
protocols, the ndarray methods, views, indexing and assignment on many keys,
and derivatives: Jacobians in both modes against numpy applied to the basis
vectors, and ``check_grad`` to second order."""
import numpy as np
import pytest

import dualtape as dt
import dualtape.numpy as dnp
from dualtape import autograd, nd
from dualtape.numpy import _shape

DTYPES = [np.float32, np.float64, np.int64, np.int32, np.bool_]


def arr(shape, dtype=np.float64, seed=0):
    """Distinct values (ties only in bool data), half of them negative."""
    n = int(np.prod(shape))
    v = np.random.default_rng(seed).permutation(n) - n // 2
    if dtype == np.bool_:
        return (v % 3 == 0).reshape(shape)
    if np.dtype(dtype).kind == "f":
        return (v * 0.75).astype(dtype).reshape(shape)
    return v.astype(dtype).reshape(shape)


def dual(a):
    """numpy arrays in ``a`` (also inside lists and tuples) as dnp arrays."""
    if isinstance(a, np.ndarray):
        return dnp.asarray(a)
    if isinstance(a, (list, tuple)):
        return type(a)(dual(v) for v in a)
    return a


def same(got, want, flavour=dnp.ndarray):
    """``got`` is what numpy gave: as many arrays, each of ``flavour`` with
    numpy's shape, dtype and values."""
    if isinstance(want, (list, tuple)):
        assert type(got) is type(want) and len(got) == len(want), (got, want)
        for g, w in zip(got, want):
            same(g, w, flavour)
        return
    want = np.asarray(want)
    assert type(got) is flavour, type(got)
    assert got.shape == want.shape, (got.shape, want.shape)
    assert got._data.dtype == want.dtype, (got._data.dtype, want.dtype)
    np.testing.assert_array_equal(got._data, want)


# ----------------------------------------------------- values against numpy ---

def _cases(d):
    """(function name, args, kwargs) for data of dtype ``d``."""
    x3, x2, x1, x0 = arr((2, 3, 4), d), arr((3, 4), d, 1), arr((5,), d, 2), arr((), d)
    e = arr((0, 3), d)
    sq = arr((1, 3, 1), d)
    dup = np.array([[1, 0, 1], [0, 1, 1], [1, 0, 1]]).astype(d)
    keys = np.sort(arr((6,), np.float64, 3))
    c1, c2 = arr((3, 4), np.float64, 4) > 0, arr((4,), np.float64, 5) > 1
    return [
        ("reshape", (x3, (4, -1)), {}), ("reshape", (x0, (1, 1)), {}),
        ("reshape", (e, (3, 0)), {}), ("reshape", (x3, (4, 6)), {"order": "F"}),
        ("reshape", (x3, -1), {"copy": True}),
        ("ravel", (x3,), {}), ("ravel", (x0,), {}), ("ravel", (e,), {}),
        ("ravel", (x3, "F"), {}), ("ravel", (x3, "K"), {}), ("ravel", (x1, "F"), {}),
        ("reshape", (x1, (5, 1)), {"order": "F", "copy": False}),
        ("transpose", (x3,), {}), ("transpose", (x3, (1, -1, 0)), {}), ("transpose", (x0,), {}),
        ("moveaxis", (x3, 0, -1), {}), ("moveaxis", (x3, (0, 2), (-1, 0)), {}),
        ("moveaxis", (e, 0, 1), {}), ("moveaxis", (x3, 1, 1), {}),
        ("swapaxes", (x3, 0, -1), {}), ("swapaxes", (x1, 0, 0), {}),
        ("squeeze", (sq,), {}), ("squeeze", (sq, -1), {}), ("squeeze", (sq, (0, 2)), {}),
        ("squeeze", (x0,), {}), ("squeeze", (arr((1, 1), d),), {}), ("squeeze", (e,), {}),
        ("expand_dims", (x3, 0), {}), ("expand_dims", (x3, -1), {}),
        ("expand_dims", (x3, (0, 4)), {}), ("expand_dims", (x0, (0, 1)), {}),
        ("expand_dims", (e, [1]), {}),
        ("atleast_1d", (x0,), {}), ("atleast_1d", (x1,), {}), ("atleast_1d", (x0, x3), {}),
        ("atleast_2d", (x0,), {}), ("atleast_2d", (x1,), {}), ("atleast_2d", (x3, x1), {}),
        ("atleast_3d", (x0,), {}), ("atleast_3d", (x1,), {}), ("atleast_3d", (x2,), {}),
        ("atleast_3d", (x3,), {}),
        ("concatenate", ([x3, x3],), {}), ("concatenate", ([x3, x3[:, :1]], 1), {}),
        ("concatenate", ([x3, x3], -1), {}), ("concatenate", ([x3, x1, x0], None), {}),
        ("concatenate", ([e, e],), {}), ("concatenate", ([x1],), {}),
        ("concatenate", ([x2, x2.astype(np.int8)],), {}),
        ("concatenate", ([x2, x2], 1), {"dtype": np.float32, "casting": "unsafe"}),
        ("stack", ([x2, x2],), {}), ("stack", ([x2, x2.astype(np.int16)], -1), {}),
        ("stack", ([x0, x0],), {}), ("stack", ([e, e], 1), {}),
        ("hstack", ([x0, x1, x1],), {}), ("hstack", ([x2, x2],), {}),
        ("vstack", ([x1, x1],), {}), ("vstack", ([x2, x2[:1], x2[0]],), {}),
        ("dstack", ([x1, x1],), {}), ("dstack", ([x2, x2[:, :, None]],), {}),
        ("column_stack", ([x0[None], x0[None]],), {}),
        ("column_stack", ([x2[:, 0], x2, x2[:, 1]],), {}),
        ("split", (x3, 2), {}), ("split", (x3, [1, 3], -1), {}), ("split", (x3, 3, 1), {}),
        ("array_split", (x3, 3, -1), {}), ("array_split", (x3, [3, 1, 10], 2), {}),
        ("array_split", (e, 2, 1), {}), ("array_split", (x1, 7), {}),
        ("tile", (x2, 2), {}), ("tile", (x2, (2, 1, 3)), {}), ("tile", (x0, (2, 2)), {}),
        ("tile", (x1, (0, 2)), {}), ("tile", (x3, ()), {}), ("tile", (e, 2), {}),
        ("repeat", (x2, 2), {}), ("repeat", (x2, 2, 1), {}), ("repeat", (x2, [1, 0, 2], 0), {}),
        ("repeat", (x2, [3], -1), {}), ("repeat", (x0, 3), {}), ("repeat", (e, 2, 0), {}),
        ("repeat", (x2, 0, 1), {}),
        ("flip", (x3,), {}), ("flip", (x3, 1), {}), ("flip", (x3, (0, -1)), {}),
        ("flip", (x0,), {}), ("fliplr", (x2,), {}), ("flipud", (x1,), {}),
        ("roll", (x3, 5), {}), ("roll", (x3, -1, 1), {}), ("roll", (x3, (1, 2), (0, -1)), {}),
        ("roll", (x3, (1, 2), 0), {}), ("roll", (x0, 1), {}), ("roll", (e, 1), {}),
        ("rot90", (x2,), {}), ("rot90", (x2, 2), {}), ("rot90", (x3, 3, (2, 0)), {}),
        ("rot90", (x3, -1, (1, 2)), {}), ("rot90", (x2, 4), {}),
        ("pad", (x2, 1), {}), ("pad", (x2, (1, 2)), {}), ("pad", (x2, ((1, 0), (0, 3))), {}),
        ("pad", (x2, [[2], [1]]), {}), ("pad", (x2, 2, "edge"), {}),
        ("pad", (x2, 5, "reflect"), {}), ("pad", (x2, 3, "symmetric"), {}),
        ("pad", (x2, (2, 7), "wrap"), {}), ("pad", (x2, 1), {"constant_values": 7}),
        ("pad", (x2, 1), {"constant_values": ((1, 2), (3, 4))}),
        ("pad", (x2, (1, 2)), {"constant_values": (5, 5)}),
        ("pad", (x2, 1), {"constant_values": ((0, 1), (1, 0))}),
        ("pad", (x0, 2), {}), ("pad", (e, 1), {}), ("pad", (e, ((0, 0), (1, 1)), "edge"), {}),
        ("pad", (x2, 0, "reflect"), {}),
        ("broadcast_to", (x1, (2, 5)), {}), ("broadcast_to", (x0, (3,)), {}),
        ("broadcast_to", (x2, (2, 3, 4)), {}), ("broadcast_to", (x1, 5), {}),
        ("broadcast_arrays", (x1, x2[:, :1]), {}), ("broadcast_arrays", (x0, x2), {}),
        ("take", (x3, [0, -1]), {}), ("take", (x3, [[1], [2]], 1), {}),
        ("take", (x3, 7, 2), {"mode": "wrap"}), ("take", (x3, [-9, 9], -1), {"mode": "clip"}),
        ("take", (x0, 0), {}), ("take", (x1, np.array([], np.int64)), {}),
        ("take", (x3, np.array([[2]], np.uint8), 0), {"mode": "clip"}),
        ("take", (x3, [1.0, 2.0]), {}), ("repeat", (x1, [1, 0, 2, 1, 1]), {}),
        ("take_along_axis", (x2, np.argsort(x2, 1), 1), {}),
        ("take_along_axis", (x2, np.array([[0], [3], [-1]]), -1), {}),
        ("take_along_axis", (x2, np.array([[2, 0, 1, 0]]), 0), {}),
        ("take_along_axis", (x1, np.array([4, 0]), None), {}),
        ("select", ([c1, c2], [x2, x1[:4]]), {}), ("select", ([c1], [x2], 1), {}),
        ("select", ([c2, c1], [x0, x2], x1[:4]), {}), ("select", ([c1], [3.5]), {}),
        ("sort", (x3,), {}), ("sort", (x3, 0), {}), ("sort", (x3, None), {}),
        ("sort", (x0, None), {}), ("sort", (e,), {}), ("sort", (dup, -2), {"kind": "stable"}),
        ("sort", (x2,), {"stable": True}),
        ("argsort", (x3,), {}), ("argsort", (x3, 0), {}), ("argsort", (x3, None), {}),
        ("argsort", (x0,), {}), ("argsort", (e,), {}), ("argsort", (dup, 0), {"kind": "stable"}),
        ("argsort", (dup, None), {"stable": True}),
        ("searchsorted", (keys, x2), {}), ("searchsorted", (keys, 0.75, "right"), {}),
        ("searchsorted", (x1, x1, "left", np.argsort(x1)), {}),
        ("nonzero", (x3,), {}), ("nonzero", (x1,), {}), ("nonzero", (e,), {}),
        ("argwhere", (x3,), {}), ("argwhere", (x0,), {}), ("flatnonzero", (x2,), {}),
        ("unique", (x3,), {}), ("unique", (dup,), {"return_index": True,
                                                   "return_inverse": True,
                                                   "return_counts": True}),
        ("unique", (dup,), {"axis": 0, "return_inverse": True}),
        ("unique", (dup, False, False, True, -1), {}), ("unique", (x0,), {}),
        ("unique", (e,), {"return_counts": True}),
    ]


def _case_ids():
    seen = {}
    out = []
    for name, _, _ in _cases(np.float64):
        seen[name] = seen.get(name, -1) + 1
        out.append("%s-%d" % (name, seen[name]))
    return out


@pytest.mark.parametrize("dtype", DTYPES, ids=lambda d: np.dtype(d).name)
@pytest.mark.parametrize("i", range(len(_cases(np.float64))), ids=_case_ids())
def test_values_shapes_and_dtypes_are_numpys(i, dtype):
    name, args, kwargs = _cases(dtype)[i]
    # dualtape's argsort is always stable: numpy's with kind='stable'
    stable = name == "argsort" and not {"kind", "stable"} & set(kwargs)
    want = getattr(np, name)(*args, **kwargs, **({"kind": "stable"} if stable else {}))
    same(getattr(dnp, name)(*dual(args), **kwargs), want)
    # numpy code on dualtape arrays reaches the same function
    same(getattr(np, name)(*dual(args), **kwargs), want)
    # numpy arrays in, dualtape arrays out
    same(getattr(dnp, name)(*args, **kwargs), want)


def test_float_data_with_nan_sorts_it_last():
    x = np.array([[2.0, np.nan, -1.0, 0.5], [np.nan, 1.0, np.nan, -3.0]])
    for axis in (0, 1, None):
        same(dnp.sort(dnp.asarray(x), axis), np.sort(x, axis))
        same(dnp.argsort(dnp.asarray(x), axis), np.argsort(x, axis, kind="stable"))
    same(dnp.unique(dnp.asarray(x)), np.unique(x))
    same(dnp.unique(dnp.asarray(x), equal_nan=False), np.unique(x, equal_nan=False))


def test_pad_with_nan():
    x = arr((2, 3))
    same(dnp.pad(dnp.asarray(x), 1, constant_values=np.nan),
         np.pad(x, 1, constant_values=np.nan))
    same(dnp.pad(dnp.asarray(x), 1, constant_values=((np.nan, 1), (2, np.nan))),
         np.pad(x, 1, constant_values=((np.nan, 1), (2, np.nan))))


def test_argsort_is_stable_whatever_the_kind():
    x = np.random.default_rng(1).integers(0, 3, 50)
    for kind in (None, "quicksort", "heapsort", "mergesort"):
        same(dnp.argsort(dnp.asarray(x), kind=kind), np.argsort(x, kind="stable"))


def test_pad_empty_mode_gives_the_shape_and_dtype():
    x = arr((3, 4), np.float32)
    r = dnp.pad(dnp.asarray(x), (1, 2), "empty")
    assert r.shape == np.pad(x, (1, 2), "empty").shape and r._data.dtype == np.float32
    np.testing.assert_array_equal(r._data[1:-2, 1:-2], x)


def test_unique_in_first_appearance_order():
    x = np.array([3, 1, 3, 2, 1])
    same(dnp.unique(dnp.asarray(x), sorted=False, return_index=True),
         np.unique(x, sorted=False, return_index=True))


def test_queries():
    x = arr((2, 3), np.float32)
    X = dnp.asarray(x)
    assert dnp.ndim(X) == np.ndim(X) == 2 and dnp.shape(X) == np.shape(X) == (2, 3)
    assert dnp.size(X) == np.size(X) == 6 and dnp.size(X, 1) == 3
    assert dnp.ndim([[1, 2]]) == 2 and dnp.shape(5) == () and dnp.size([1, 2]) == 2


# --------------------------------------------------------------- errors ---

def _error_cases():
    x3, x2, x1, x0 = arr((2, 3, 4)), arr((3, 4)), arr((5,)), arr(())
    return [
        ("reshape", (x3, (5, -1)), {}), ("reshape", (x3, (-1, -1)), {}),
        ("reshape", (x3, 5), {}), ("reshape", (x3, (4, 6)), {"order": "X"}),
        ("reshape", (x3, (4, 6)), {"order": "K"}),
        ("reshape", (x3, (4, 6)), {"order": "F", "copy": False}),
        ("ravel", (x3, "Z"), {}),
        ("transpose", (x3, (0, 1)), {}), ("transpose", (x3, (0, 0, 1)), {}),
        ("transpose", (x3, (0, 1, 3)), {}),
        ("moveaxis", (x3, (0, 1), 0), {}), ("moveaxis", (x3, (0, 0), (0, 1)), {}),
        ("moveaxis", (x3, 3, 0), {}), ("swapaxes", (x1, 0, 1), {}),
        ("squeeze", (x2, 0), {}), ("squeeze", (arr((1, 2)), 2), {}),
        ("expand_dims", (x1, (0, 0)), {}), ("expand_dims", (x1, 3), {}),
        ("concatenate", ([x1, x2],), {}), ("concatenate", ([x2, x2[:, :2]],), {}),
        ("concatenate", ([x0, x0],), {}), ("concatenate", ([],), {}),
        ("concatenate", ([x1], 1), {}),
        ("concatenate", ([x1, x1],), {"dtype": np.int64}),
        ("concatenate", ([x1, x1.astype(np.int64)],), {"casting": "no"}),
        ("stack", ([x1, x2],), {}), ("stack", ([],), {}), ("stack", ([x1], 2), {}),
        ("stack", ((x for x in [x1]),), {}), ("hstack", ((x for x in [x1]),), {}),
        ("vstack", ([x1, x1[:2]],), {}), ("column_stack", ([x1, x2],), {}),
        ("split", (x3, 3), {}), ("split", (x3, 0), {}), ("array_split", (x3, 0), {}),
        ("array_split", (x3, 2, 3), {}), ("array_split", (x0, 2), {}),
        ("tile", (x2, (-1, 2)), {}), ("tile", (x2, 1.5), {}),
        ("repeat", (x2, -1), {}), ("repeat", (x2, [1, 2], 1), {}), ("repeat", (x2, 2, 2), {}),
        ("flip", (x1, 1), {}), ("flip", (x2, (0, 0)), {}),
        ("fliplr", (x1,), {}), ("flipud", (x0,), {}),
        ("roll", (x2, 1, 2), {}), ("roll", (x2, (1, 2, 3), (0, 1)), {}),
        ("rot90", (x1,), {}), ("rot90", (x2, 1, (0, 0)), {}), ("rot90", (x2, 1, (0, 1, 2)), {}),
        ("rot90", (x2, 1, (0, 2)), {}),
        ("pad", (x2, 1.5), {}), ("pad", (x2, -1), {}), ("pad", (x2, 1, "foo"), {}),
        ("pad", (x2, 1, "edge"), {"constant_values": 1}),
        ("pad", (x2, ((1, 2), (1, 2), (1, 1))), {}),
        ("pad", (arr((0, 3)), 1, "edge"), {}), ("pad", (arr((0, 3)), 1, "wrap"), {}),
        ("pad", (x2.astype(np.int8), 1), {"constant_values": 300}),
        ("broadcast_to", (x1, (3,)), {}), ("broadcast_to", (x1, (-1, 5)), {}),
        ("broadcast_arrays", (x1, x2), {}),
        ("take", (x3, 24), {}), ("take", (x3, [0, -25]), {}), ("take", (x3, 1, 3), {}),
        ("take", (x3, np.array([1.0])), {}), ("take", (x3, [0], 0), {"mode": "bad"}),
        ("take", (arr((0,)), [1]), {"mode": "clip"}),
        ("take_along_axis", (x2, np.array([[0.0]]), 1), {}),
        ("take_along_axis", (x2, np.array([0]), 1), {}),
        ("take_along_axis", (x2, np.array([[5]]), 1), {}),
        ("take_along_axis", (x2, np.array([[0]]), None), {}),
        ("select", ([x2], [x2]), {}), ("select", ([x2 > 0], [x2, x2]), {}),
        ("select", ([], []), {}), ("select", ([x2 > 0], [x1]), {}),
        ("sort", (x0,), {}), ("sort", (x2, 2), {}), ("sort", (x2,), {"kind": "x"}),
        ("sort", (x2,), {"order": "a"}), ("sort", (x2,), {"kind": "stable", "stable": True}),
        ("argsort", (x2, -3), {}), ("argsort", (x2,), {"order": ["a"]}),
        ("searchsorted", (x2, 1.0), {}), ("searchsorted", (x1, 1.0, "middle"), {}),
        ("nonzero", (x0,), {}),
        ("unique", (x2,), {"axis": 2}),
    ]


@pytest.mark.parametrize("i", range(len(_error_cases())),
                         ids=["%s-%d" % (c[0], i) for i, c in enumerate(_error_cases())])
def test_errors_are_numpys(i):
    name, args, kwargs = _error_cases()[i]
    with pytest.raises(Exception) as expected:
        getattr(np, name)(*args, **kwargs)
    with pytest.raises(type(expected.value)):
        getattr(dnp, name)(*dual(args), **kwargs)


def test_errors_name_the_function():
    x = dnp.asarray(arr((2, 3)))
    with pytest.raises(np.exceptions.AxisError, match="swapaxes: axis2"):
        dnp.swapaxes(x, 0, 2)
    with pytest.raises(ValueError, match="concatenate: all the input array dimensions"):
        dnp.concatenate([x, x[:, :1]])
    with pytest.raises(ValueError, match=r"squeeze: cannot select .* \(shape \(2, 3\)"):
        dnp.squeeze(x, 0)
    with pytest.raises(ValueError, match=r"split: array split does not result in an equal"):
        dnp.split(x, 4, axis=1)
    with pytest.raises(NotImplementedError, match="mode 'mean'"):
        dnp.pad(x, 1, "mean")
    with pytest.raises(NotImplementedError, match="reflect_type='even'"):
        dnp.pad(x, 1, "reflect", reflect_type="odd")
    with pytest.raises(TypeError, match="complex128"):
        dnp.concatenate([x, np.ones(3, complex)], axis=None)


def test_out_is_refused():
    x = dnp.asarray(arr((2, 3)))
    with pytest.raises(TypeError, match="concatenate: out= is not supported"):
        dnp.concatenate([x, x], out=np.zeros((4, 3)))
    with pytest.raises(TypeError, match="take: out= is not supported"):
        np.take(x, [0], out=np.zeros(1))


# ------------------------------------------------------------- flavours ---

def test_mxnet_flavoured_inputs_give_mxnet_flavoured_results():
    a, b = nd.array(arr((2, 3)), dtype="float64"), nd.array(arr((2, 3), seed=1), dtype="float64")
    same(np.concatenate([a, b]), np.concatenate([a.asnumpy(), b.asnumpy()]), nd.NDArray)
    same(dnp.stack([a, b], axis=-1), np.stack([a.asnumpy(), b.asnumpy()], -1), nd.NDArray)
    same(np.split(a, 3, axis=1), np.split(a.asnumpy(), 3, axis=1), nd.NDArray)
    same(np.nonzero(a), np.nonzero(a.asnumpy()), nd.NDArray)
    same(dnp.unique(a, return_counts=True), np.unique(a.asnumpy(), return_counts=True),
         nd.NDArray)
    # one numpy-flavoured array among them gives numpy's flavour
    same(np.concatenate([a, dnp.asarray(b)]), np.concatenate([a.asnumpy(), b.asnumpy()]))


# ---------------------------------------------------------------- views ---

@pytest.mark.parametrize("f", [
    lambda m, x: m.reshape(x, (3, 4)), lambda m, x: m.ravel(x), lambda m, x: x.ravel(),
    lambda m, x: m.squeeze(m.reshape(x, (1, 12, 1))), lambda m, x: m.expand_dims(x, (0, 2)),
    lambda m, x: m.atleast_3d(x[0]), lambda m, x: m.array_split(x, 2)[1],
    lambda m, x: m.rot90(x, 4), lambda m, x: x[1:, 2:4][0]],
    ids=["reshape", "ravel", "ravel-method", "squeeze", "expand_dims", "atleast_3d",
         "array_split", "rot90-4", "slices"])
def test_views_share_memory_and_write_through(f):
    a = arr((2, 6))
    x = dnp.asarray(a.copy())
    v = f(dnp, x)
    assert np.shares_memory(v._data, x._data)
    v[...] = 7.0
    f(np, a)[...] = 7.0
    np.testing.assert_array_equal(x._data, a)


@pytest.mark.parametrize("f", [
    lambda x: dnp.broadcast_to(x, (2, 2, 6)), lambda x: dnp.sort(x),
    lambda x: dnp.ravel(x, "F"), lambda x: dnp.reshape(x, (3, 4), copy=True),
    lambda x: x.flatten()], ids=["broadcast_to", "sort", "ravel-F", "reshape-copy", "flatten"])
def test_copies_leave_the_input_alone(f):
    a = arr((2, 6))
    x = dnp.asarray(a.copy())
    c = f(x)
    assert not np.shares_memory(c._data, x._data)
    c[...] = 7.0
    np.testing.assert_array_equal(x._data, a)


@pytest.mark.parametrize("f", [
    lambda x: dnp.transpose(x), lambda x: x.T, lambda x: dnp.moveaxis(x, 0, 1),
    lambda x: x.swapaxes(0, 1), lambda x: dnp.flip(x), lambda x: dnp.fliplr(x),
    lambda x: dnp.flipud(x)], ids=["transpose", "T", "moveaxis", "swapaxes", "flip", "fliplr",
                                   "flipud"])
def test_copies_where_numpy_gives_views_refuse_writes(f):
    """numpy's result is a view: writing to it changes the input.  dualtape's
    is a copy, so a write would silently miss the input: it raises."""
    a = arr((2, 6))
    x = dnp.asarray(a.copy())
    c = f(x)
    with pytest.raises(ValueError, match="where numpy would give a view"):
        c[0] = 7.0
    with pytest.raises(ValueError, match="where numpy would give a view"):
        c += 1.0
    np.testing.assert_array_equal(x._data, a)
    d = f(x).copy()             # the way out the message gives
    d[0] = 7.0
    np.testing.assert_array_equal(x._data, a)


def test_views_in_the_same_order_write_through():
    y = dnp.arange(3.0)
    for v in (y.T, dnp.transpose(y), dnp.swapaxes(dnp.arange(6.0).reshape(2, 3), 1, 1),
              dnp.moveaxis(y, 0, 0)):
        v[...] = 1.0
    y.T[0] = 9.0
    np.testing.assert_array_equal(y._data, [9.0, 1.0, 1.0])


def test_split_parts_off_axis_0_are_copies_that_refuse_writes():
    x = dnp.asarray(arr((2, 6)))
    part = dnp.split(x, 2, axis=1)[0]
    with pytest.raises(ValueError, match="copy of a strided slice"):
        part[0] = 1.0


# --------------------------------------------------------------- methods ---

def test_ndarray_methods_are_numpys():
    a = arr((2, 1, 3))
    x = dnp.asarray(a)
    same(x.ravel(), a.ravel())
    same(x.squeeze(), a.squeeze())
    same(x.squeeze(1), a.squeeze(1))
    same(x.repeat(2), a.repeat(2))
    same(x.repeat([1, 2], axis=0), a.repeat([1, 2], axis=0))
    same(x.swapaxes(0, 2), a.swapaxes(0, 2))
    same(x.take([2, 0], axis=-1), a.take([2, 0], axis=-1))
    same(x.take(4), a.take(4))
    same(x.argsort(axis=0), a.argsort(axis=0, kind="stable"))
    same(x.nonzero(), a.nonzero())
    same(x.reshape(3, 2), a.reshape(3, 2))
    same(x.reshape((3, 2), order="F"), a.reshape((3, 2), order="F"))
    same(x.flatten("F"), a.flatten("F"))
    same(x.transpose(2, 0, 1), a.transpose(2, 0, 1))


def test_sort_method_sorts_in_place():
    a = arr((3, 4))
    x = dnp.asarray(a.copy())
    view = x[1]
    assert _shape.sort_method(x, axis=0) is None
    np.testing.assert_array_equal(x._data, np.sort(a, axis=0))
    np.testing.assert_array_equal(view._data, np.sort(a, axis=0)[1])     # a view sees it
    _shape.sort_method(view)
    np.testing.assert_array_equal(x._data[1], np.sort(np.sort(a, axis=0)[1]))
    with pytest.raises(np.exceptions.AxisError):
        _shape.sort_method(x, axis=2)


def test_sort_method_is_refused_where_in_place_writes_are():
    x = dnp.asarray(arr((4,)))
    x.attach_grad()
    with autograd.record():
        y = x * 2
        with pytest.raises(RuntimeError, match="in-place update"):
            _shape.sort_method(y)
    with dt.forward_level():
        z = dt.make_dual(dnp.asarray(arr((4,))), np.ones(4))
        with pytest.raises(RuntimeError, match=r"in-place update of an array that carries "
                                                  r"a forward-mode tangent"):
            _shape.sort_method(z)
    strided = dnp.asarray(arr((3, 4)))[:, 1]
    with pytest.raises(ValueError, match="strided slice"):
        _shape.sort_method(strided)


def test_ndarray_sort_method_sorts_in_place():
    a = arr((3, 4))
    x = dnp.asarray(a.copy())
    assert x.sort() is None
    np.testing.assert_array_equal(x._data, np.sort(a))


# -------------------------------------------------------------- indexing ---

M = np.arange(60.0).reshape(3, 4, 5) - 20.0
KEYS = [
    0, -1, slice(1, 3), (1, 2), (1, 2, 3), (-1, -2, -3), (slice(None), 0), (Ellipsis, 1),
    (None, 1), (1, None, slice(None, None, -1)), (), Ellipsis, (slice(None, None, 2),),
    (slice(5, 10),), (slice(None), slice(1, 3), 4), (0, Ellipsis, None), (Ellipsis, None),
    (np.int64(1), np.int32(-1)), [0, 2], np.array([[0], [2]]), ([0, 1], [1, 2]),
    ([0, 1], slice(None), [1, 2]), (slice(None), [0, 1], [1, 2]), ([2, 0, 2], Ellipsis),
    M > 10, np.array([True, False, True]), (np.array([True, False, True]),),
    (slice(None), np.array([True, False, True, True])), (M[..., 0] > 0, 1), True, False,
    np.array(1), (np.array(2), slice(1, 3)), [], np.array([], np.int64), (None, [1], None),
    ([[1]], [[0], [1]], 2), (slice(None), None, [3, 0]), np.array([1], np.uint8),
    (1, [True, False, False, True]),
]


def _dnp_key(key):
    """Index arrays as dnp arrays (as numpy code would pass them)."""
    if isinstance(key, np.ndarray) and key.ndim:
        return dnp.asarray(key)
    if isinstance(key, tuple):
        return tuple(_dnp_key(k) for k in key)
    return key


@pytest.mark.parametrize("dtype", [np.float64, np.int32, np.bool_], ids=lambda d: d.__name__)
@pytest.mark.parametrize("wrap", [False, True], ids=["numpy-keys", "dnp-keys"])
@pytest.mark.parametrize("key", KEYS, ids=[str(i) for i in range(len(KEYS))])
def test_getitem_is_numpys(key, wrap, dtype):
    m = M.astype(dtype)
    x = dnp.asarray(m.copy())
    got = x[_dnp_key(key) if wrap else key]
    want = m[key]
    same(got, np.asarray(want))


@pytest.mark.parametrize("key", KEYS, ids=[str(i) for i in range(len(KEYS))])
def test_getitem_views_and_copies(key):
    x = dnp.asarray(M.copy())
    got = x[key]
    items = key if isinstance(key, tuple) else (key,)
    basic = all(k is None or k is Ellipsis or isinstance(k, (int, np.integer, slice))
                and not isinstance(k, bool) for k in items)
    if got.size == 0:
        return
    if not basic or got.ndim == 0:
        # advanced indexing copies, in numpy too, and a single element is a
        # numpy scalar: writing leaves x alone
        got[...] = 0.0
        np.testing.assert_array_equal(x._data, M)
        return
    ref = M.copy()[items + (() if Ellipsis in items else (Ellipsis,))]
    if ref.flags.c_contiguous:
        assert np.shares_memory(got._data, x._data)
        got[...] = 1000.0
        expected = M.copy()
        expected[key] = 1000.0
        np.testing.assert_array_equal(x._data, expected)
    else:
        with pytest.raises(ValueError, match="strided slice"):
            got[...] = 0.0


@pytest.mark.parametrize("key", [(), Ellipsis, None, True, False, (None, Ellipsis),
                                 np.array(True), (Ellipsis, None, None)])
def test_getitem_of_0d_arrays(key):
    z = dnp.asarray(np.array(2.5))
    same(z[key], np.asarray(np.array(2.5)[key]))
    dt.check_grad(lambda a: dnp.asarray(a * a)[key], np.array(0.7), order=2)


def test_setitem_of_0d_arrays():
    z = dnp.asarray(np.array(2.5))
    z[()] = 4.0
    same(z, np.array(4.0))
    z[...] = dnp.asarray(np.array(5.0))
    same(z, np.array(5.0))
    z[True] = 6.0
    same(z, np.array(6.0))


@pytest.mark.parametrize("key", [1.0, np.float64(2), [0.0, 1.0], np.array([1.5]),
                                 dnp.asarray(np.array([1.0])), (0, 1.0), "a", [[0, 1], None],
                                 (1, 2, 3, 4), 3, (0, 5), [3], (slice(None), [4])])
def test_getitem_errors_are_numpys(key):
    np_key = key._data if isinstance(key, dnp.ndarray) else key
    with pytest.raises(Exception) as expected:
        M[np_key]
    with pytest.raises(type(expected.value)):
        dnp.asarray(M)[key]


@pytest.mark.parametrize("key", [k for k in KEYS if not (isinstance(k, tuple) and not k)],
                         ids=[str(i) for i, k in enumerate(KEYS)
                              if not (isinstance(k, tuple) and not k)])
def test_getitem_derivatives(key):
    def f(a):
        return dnp.asarray(a * a)[key]
    dt.check_grad(f, M / 10.0, order=2)


# ---------------------------------------------------------------- setitem ---

SETTERS = {"x[key] = value": lambda x, key, value: x.__setitem__(key, value),
           "_shape.setitem": _shape.setitem}


@pytest.mark.parametrize("setter", sorted(SETTERS))
@pytest.mark.parametrize("dtype", [np.float64, np.int32], ids=lambda d: d.__name__)
@pytest.mark.parametrize("key", KEYS, ids=[str(i) for i in range(len(KEYS))])
def test_setitem_is_numpys(key, dtype, setter):
    for value in (7.5, np.arange(5.0)[::-1], "shape-of-the-result"):
        want = M.astype(dtype)
        if isinstance(value, str):
            value = np.arange(np.size(want[key]), dtype=np.float64).reshape(np.shape(want[key]))
        try:
            want[key] = value
        except ValueError:
            continue                            # a value that does not broadcast there
        x = dnp.asarray(M.astype(dtype))
        SETTERS[setter](x, _dnp_key(key), dnp.asarray(value)
                        if isinstance(value, np.ndarray) else value)
        same(x, want)


@pytest.mark.parametrize("setter", sorted(SETTERS))
def test_setitem_through_a_view_and_with_a_dualtape_value(setter):
    x = dnp.asarray(M.copy())
    row = x[1]
    SETTERS[setter](row, ([0, 2], slice(1, 3)),
                    dnp.asarray(np.array([[1.0, 2.0], [3.0, 4.0]])))
    want = M.copy()
    want[1, [0, 2], 1:3] = [[1.0, 2.0], [3.0, 4.0]]
    same(x, want)


@pytest.mark.parametrize("setter", sorted(SETTERS))
def test_setitem_is_refused_where_in_place_writes_are(setter):
    x = dnp.asarray(M.copy())
    x.attach_grad()
    with autograd.record():
        y = x * 2.0
        with pytest.raises(RuntimeError, match="in-place update"):
            SETTERS[setter](y, 0, 1.0)
        z = dnp.asarray(M.copy())
        with pytest.raises(RuntimeError, match="writing it into another array"):
            SETTERS[setter](z, 0, y[0])
    with pytest.raises(ValueError, match="strided slice"):
        SETTERS[setter](x[:, 1], 0, 5.0)


def test_setitem_bumps_the_version_so_a_pending_backward_raises():
    x = dnp.asarray(np.arange(3.0))
    x.attach_grad()
    with autograd.record():
        y = x * x
    _shape.setitem(x, 0, 5.0)
    with pytest.raises(Exception, match="modified|in place|version"):
        y.backward()


SETITEM_CASES = [((np.int8, 0, np.nan)), (np.int8, 0, 300), (np.float64, 1.0, 0.0),
                 (np.float64, [0.0, 1.0], 0.0), (np.float64, np.array([1.0]), 0.0),
                 (np.float64, (0, 1.5), 0.0), (np.float64, "a", 0.0)]


def _numpy_setitem_error(dtype, key, value):
    with pytest.raises(Exception) as expected:
        np.zeros((3, 2), dtype)[key] = value
    return type(expected.value)


@pytest.mark.parametrize("dtype, key, value", SETITEM_CASES)
def test_setitem_errors_are_numpys(dtype, key, value):
    x = dnp.asarray(np.zeros((3, 2), dtype))
    with pytest.raises(_numpy_setitem_error(dtype, key, value)):
        _shape.setitem(x, key, value)
    np.testing.assert_array_equal(x._data, 0)


def test_setitem_operator_errors_are_numpys():
    for dtype, key, value in SETITEM_CASES:
        x = dnp.asarray(np.zeros((3, 2), dtype))
        with pytest.raises(_numpy_setitem_error(dtype, key, value)):
            x[key] = value


# ----------------------------------------------------------- derivatives ---
# Each function g is linear in its array argument (away from the kinks of
# sort and unique): its Jacobian is numpy's g applied to the basis vectors.

X = arr((2, 3, 4), np.float64)
LINEAR = {
    "reshape": lambda m, a: m.reshape(a, (4, 6), order="F"),
    "ravel": lambda m, a: m.ravel(a),
    "transpose": lambda m, a: m.transpose(a, (1, 2, 0)),
    "moveaxis": lambda m, a: m.moveaxis(a, (0, 1), (-1, 0)),
    "swapaxes": lambda m, a: m.swapaxes(a, -1, 0),
    "squeeze": lambda m, a: m.squeeze(m.reshape(a, (1, 24, 1)), -1),
    "expand_dims": lambda m, a: m.expand_dims(a, (1, -1)),
    "atleast_3d": lambda m, a: m.atleast_3d(m.ravel(a)),
    "concatenate": lambda m, a: m.concatenate([a, m.flip(a, 0)[:, :1]], axis=1),
    "concatenate-None": lambda m, a: m.concatenate([a, a[0]], axis=None),
    "stack": lambda m, a: m.stack([a, m.roll(a, 1)], axis=2),
    "hstack": lambda m, a: m.hstack([a, a]),
    "vstack": lambda m, a: m.vstack([a[0], a[1, 0]]),
    "dstack": lambda m, a: m.dstack([a[0], a[1]]),
    "column_stack": lambda m, a: m.column_stack([a[0, :, 0], a[1]]),
    "array_split": lambda m, a: tuple(m.array_split(a, 3, axis=-1)),
    "split": lambda m, a: tuple(m.split(a, [1, 3], axis=1)),
    "tile": lambda m, a: m.tile(a, (2, 1, 1, 2)),
    "repeat": lambda m, a: m.repeat(a, 2, axis=1),
    "repeat-counts": lambda m, a: m.repeat(a, [2, 0, 1, 3], axis=-1),
    "flip": lambda m, a: m.flip(a, (0, 2)),
    "fliplr": lambda m, a: m.fliplr(a),
    "roll": lambda m, a: m.roll(a, (1, -5), (0, 2)),
    "roll-flat": lambda m, a: m.roll(a, 7),
    "rot90": lambda m, a: m.rot90(a, 1, (2, 1)),
    "rot90-3": lambda m, a: m.rot90(a, 3),
    "pad-constant": lambda m, a: m.pad(a, ((1, 0), (0, 2), (2, 1)), constant_values=2.5),
    "pad-per-axis": lambda m, a: m.pad(a, 1, constant_values=((1, 2), (3, 4), (5, 6))),
    "pad-edge": lambda m, a: m.pad(a, (1, 3), mode="edge"),
    "pad-reflect": lambda m, a: m.pad(a, 5, mode="reflect"),
    "pad-symmetric": lambda m, a: m.pad(a, ((0, 3), (4, 1), (2, 2)), mode="symmetric"),
    "pad-wrap": lambda m, a: m.pad(a, 6, mode="wrap"),
    "broadcast_to": lambda m, a: m.broadcast_to(a[:, :1], (3, 2, 5, 4)),
    "broadcast_arrays": lambda m, a: m.broadcast_arrays(a[0], a[:, :1, :1]),
    "take": lambda m, a: m.take(a, [[1, -1, 1]], axis=1),
    "take-flat": lambda m, a: m.take(a, [30, -3, 5], mode="wrap"),
    "take_along_axis": lambda m, a: m.take_along_axis(a, np.array([[[0, 3, 3]]]), -1),
    "select": lambda m, a: m.select([X > 0, X < -3], [a, 2 * a[0]], 1.5),
    "sort": lambda m, a: m.sort(a + 10 * X, axis=1),
    "sort-flat": lambda m, a: m.sort(a + 10 * X, axis=None),
    "unique": lambda m, a: m.unique(a + 10 * X),
    "unique-axis": lambda m, a: m.unique(a + 10 * X, axis=1),
    "getitem": lambda m, a: m.asarray(a)[[1, 0, 1], ..., None, 1:3],
    "getitem-mask": lambda m, a: m.asarray(a)[X > 0],
}


def numpy_jacobian(g, x):
    """numpy's ``g`` on each basis vector, minus its constant part."""
    base = g(np, np.zeros_like(x))
    outs = base if isinstance(base, tuple) else (base,)
    cols = []
    for j in range(x.size):
        e = np.zeros(x.size)
        e[j] = 1.0
        r = g(np, e.reshape(x.shape))
        r = r if isinstance(r, tuple) else (r,)
        cols.append([np.asarray(p - b) for p, b in zip(r, outs)])
    return [np.stack([c[k] for c in cols], -1).reshape(np.shape(o) + x.shape)
            for k, o in enumerate(outs)]


@pytest.mark.parametrize("mode", ["forward", "reverse"])
@pytest.mark.parametrize("name", sorted(LINEAR))
def test_jacobians_are_numpys_on_the_basis(name, mode):
    g = LINEAR[name]
    want = numpy_jacobian(g, np.zeros_like(X))
    got = dt.jacobian(lambda a: g(dnp, dnp.asarray(a)), mode=mode)(X)
    got = got if isinstance(got, tuple) else (got,)
    assert len(got) == len(want)
    for j, w in zip(got, want):
        assert j.shape == w.shape
        np.testing.assert_allclose(j, w, atol=1e-12)


@pytest.mark.parametrize("name", sorted(LINEAR))
def test_second_order_derivatives(name):
    g = LINEAR[name]
    dt.check_grad(lambda a: g(dnp, dnp.asarray(a) * dnp.asarray(a)), X / 4.0, order=2)


def test_unique_values_take_the_derivative_of_the_first_occurrence():
    x = np.array([[2.0, 1.0, 2.0], [0.5, 1.0, 2.0]])
    values, first = np.unique(x, return_index=True)
    want = np.zeros((values.size, x.size))
    want[np.arange(values.size), first] = 1.0
    for mode in ("forward", "reverse"):
        got = dt.jacobian(lambda a: dnp.unique(dnp.asarray(a)), mode=mode)(x)
        np.testing.assert_array_equal(got, want.reshape(values.shape + x.shape))
    ax_values, ax_first = np.unique(x, return_index=True, axis=1)
    got = dt.jacobian(lambda a: dnp.unique(dnp.asarray(a), axis=1))(x)
    np.testing.assert_array_equal(got, numpy_jacobian(
        lambda m, a: m.take(a, ax_first, axis=1), x)[0])


F32 = dict(LINEAR, **{"sort": lambda m, a: m.sort(a, axis=1),
                      "unique": lambda m, a: m.unique(a)})


@pytest.mark.parametrize("name", ["concatenate", "stack", "pad-reflect", "take", "rot90",
                                  "sort", "unique", "getitem"])
def test_float32_derivatives(name):
    g = F32[name]
    x = (X / 4.0).astype(np.float32)
    out = g(dnp, dnp.asarray(x))
    assert out._data.dtype == np.float32
    # a * a + a has no ties at these points (sort and unique have kinks at ties)
    dt.check_grad(lambda a: g(dnp, dnp.asarray(a) * dnp.asarray(a) + dnp.asarray(a)), x)


def test_numpy_code_is_differentiated_through_the_protocols():
    def f(a):
        a = dnp.asarray(a)
        parts = np.array_split(np.pad(a * a, 1, mode="reflect"), 2, axis=1)
        y = np.concatenate([np.roll(parts[0], 2, axis=0), np.flip(parts[1])], axis=None)
        return np.sort(np.take(y, [0, 5, 5, 9]) * np.repeat(y[:2], 2))
    dt.check_grad(f, X[0] / 4.0, order=2)


def test_index_results_have_no_derivative():
    x = dnp.asarray(X)
    x.attach_grad()
    with autograd.record():
        idx = [dnp.argsort(x), dnp.searchsorted(dnp.sort(x, None), x), *dnp.nonzero(x > 0),
               dnp.argwhere(x), dnp.flatnonzero(x), *dnp.unique(x, True, True, True)[1:]]
    for r in idx:
        assert r._node is None and r._data.dtype == np.int64


@pytest.mark.parametrize("kw", [{}, {"axis": 0}, {"n": 2, "axis": 1, "append": [[1.0], [2.0], [3.0]]},
                                {"n": 0}, {"prepend": 0.5}, {"n": 3}])
def test_diff_is_numpys_and_differentiable(kw):
    a = np.array([[1.0, 4.0, 9.0, 16.0], [2.0, -1.0, 0.5, 3.0], [0.0, 1.0, 1.0, 7.0]])
    np.testing.assert_array_equal(dnp.diff(dnp.asarray(a), **kw)._data, np.diff(a, **kw))
    w = np.random.default_rng(0).standard_normal(np.diff(a, **kw).shape)
    g = dt.grad(lambda x: dnp.sum(np.diff(x, **kw) * w))(a)
    fd = np.zeros_like(a)                       # the map is linear: exact differences
    for i in np.ndindex(a.shape):
        e = np.zeros_like(a)
        e[i] = 1.0
        fd[i] = np.sum((np.diff(a + e, **kw) - np.diff(a, **kw)) * w)
    np.testing.assert_allclose(np.asarray(g), fd, atol=1e-12)


def test_copy_fill_real_imag_and_matrix_transpose():
    x = dnp.asarray([1.0, 4.0])
    np.testing.assert_array_equal(dt.grad(lambda v: dnp.sum(np.copy(v) * 2))(x)._data, [2, 2])
    np.testing.assert_array_equal(dt.grad(lambda v: dnp.sum(np.conj(v) * v))(x)._data, [2, 8])
    y = dnp.zeros(3)
    y.fill(2.5)
    np.testing.assert_array_equal(y._data, [2.5, 2.5, 2.5])
    assert x.real is x or np.shares_memory(x.real._data, x._data)
    np.testing.assert_array_equal(x.imag._data, [0.0, 0.0])
    m = dnp.arange(6.0).reshape(2, 3)
    np.testing.assert_array_equal(m.mT._data, np.arange(6.0).reshape(2, 3).T)


def test_numpy_predicates_run_on_differentiated_values():
    """np.allclose and friends return truth values, which carry no
    derivative: they may read arrays being differentiated (not under jit)."""
    g = dt.grad(lambda v: dnp.sum(v) * (2.0 if np.allclose(v, [1.0, 4.0]) else 3.0))(
        np.array([1.0, 4.0]))
    np.testing.assert_array_equal(np.asarray(g), [2.0, 2.0])
    with pytest.raises(TypeError, match="traced by dt.jit"):
        dt.jit(lambda v: v * (2.0 if np.allclose(v, 1.0) else 3.0))(dnp.asarray([1.0]))


def test_single_elements_copy_as_numpys_scalars_unless_an_ellipsis_keeps_a_view():
    z = dnp.asarray(np.array(3.0))
    assert not np.shares_memory(z[()]._data, z._data)
    assert np.shares_memory(z[...]._data, z._data)
    y = dnp.arange(3.0)
    y[1, ...][...] = 7.0                # numpy's 0-d view writes through
    t = y[2]
    t += 1.0                            # numpy's scalar does not
    np.testing.assert_array_equal(y._data, [0.0, 7.0, 2.0])
    b = np.array([True, False, False, True])
    for n in (1, 2):
        got = dnp.diff(dnp.asarray(b), n=n)
        assert got.dtype == np.bool_
        np.testing.assert_array_equal(got._data, np.diff(b, n=n))
