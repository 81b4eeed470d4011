"""Reductions and sorting: prod, nansum, nanprod, sum/mean/max/min/norm with
axis tuples and exclude, moments, argmax_channel, cumsum, sort, argsort,
topk.  Values, shapes and dtypes against MXNet 1.9.1 (recorded literals) and
numpy formulas; gradients by recording and by ``check_grad`` to second
order; errors and their messages."""
import numpy as np
import pytest
from hypothesis import given, settings, strategies as st
from hypothesis.extra import numpy as hnp

import dualtape as dt
from dualtape import autograd, nd
from helpers import DT_IDS, FLOATS, check

X = [[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]
W = [[0.5, 2.0, -1.0, 7.0], [3.0, 3.0, 0.0, 1.0]]
# np.random.RandomState(0).permutation(24).reshape(2, 3, 4), as in the MXNet run
X3 = [[[11, 10, 22, 14], [20, 1, 13, 23], [16, 8, 6, 17]],
      [[4, 2, 5, 18], [9, 7, 19, 3], [0, 21, 15, 12]]]


def _grad(f, data, dtype="float32"):
    """The gradient of ``f`` at ``data`` for the head gradient 1, 2, 3, ..."""
    x = nd.array(data, dtype=dtype)
    x.attach_grad()
    with autograd.record():
        y = f(x)
    y.backward(nd.array(np.arange(1, y.size + 1).reshape(y.shape), dtype=dtype))
    return x.grad


def _tuple(f):
    def g(*xs):
        return tuple(f(*xs))
    return g


# ------------------------------------------------------ values: MXNet 1.9.1 ---

@pytest.mark.parametrize("expr,shape,values", [
    ("nd.prod(x)", (1,), [720.0]),
    ("nd.prod(x, axis=1)", (2,), [6.0, 120.0]),
    ("nd.prod(x, axis=(0, 1))", (1,), [720.0]),
    ("nd.prod(x, axis=1, exclude=True)", (3,), [4.0, 10.0, 18.0]),
    ("nd.prod(x, axis=1, keepdims=True)", (2, 1), [[6.0], [120.0]]),
    ("nd.prod(x, axis=(0, 1), exclude=True, keepdims=True)", (2, 3), X),
    ("nd.prod(x, axis=[0])", (3,), [4.0, 10.0, 18.0]),
    ("nd.prod(x, axis=())", (1,), [720.0]),
    ("nd.prod(x, axis=(), exclude=True)", (1,), [720.0]),
    ("nd.sum(x, axis=())", (1,), [21.0]),
    ("nd.sum(x, axis=(), exclude=True)", (1,), [21.0]),
    ("nd.sum(x, exclude=True)", (1,), [21.0]),
    ("nd.sum(x, axis=(0, 1), exclude=True)", (2, 3), X),
    ("nd.sum(x, axis=1, exclude=True, keepdims=True)", (1, 3), [[5.0, 7.0, 9.0]]),
    ("nd.mean(x, axis=(), keepdims=True)", (1, 1), [[3.5]]),
    ("nd.mean(x, axis=(0, 1), exclude=True)", (2, 3), X),
    ("nd.max(x, axis=(), keepdims=True)", (1, 1), [[6.0]]),
    ("nd.max(x, axis=0, exclude=True)", (2,), [3.0, 6.0]),
    ("nd.min(x, axis=(0,), exclude=True)", (2,), [1.0, 4.0]),
    ("nd.sum_axis(x, axis=1)", (2,), [6.0, 15.0]),
    ("nd.sum_axis(x)", (1,), [21.0]),
    ("nd.max_axis(x, axis=0)", (3,), [4.0, 5.0, 6.0]),
    ("nd.min_axis(x, axis=0, keepdims=True)", (1, 3), [[1.0, 2.0, 3.0]]),
    ("nd.nansum(n)", (1,), [10.0]),
    ("nd.nansum(n, axis=0)", (3,), [1.0, 0.0, 9.0]),
    ("nd.nanprod(n, axis=0)", (3,), [1.0, 1.0, 18.0]),
    ("nd.nanprod(n, axis=1, keepdims=True)", (2, 1), [[3.0], [6.0]]),
    ("nd.nansum(nd.array([[np.nan, np.nan]]), axis=1)", (1,), [0.0]),
    ("nd.nanprod(nd.array([[np.nan, np.nan]]), axis=1)", (1,), [1.0]),
    ("nd.norm(x, ord=1)", (1,), [21.0]),
    ("nd.norm(x, axis=(0, 1), keepdims=True)", (1, 1), [[9.539392]]),
    ("nd.norm(x, axis=())", (1,), [9.539392]),
    ("nd.norm(x, ord=1, axis=(0, 1), keepdims=True)", (1, 1), [[21.0]]),
    ("nd.norm(nd.ones((2, 3, 4)), axis=(0, 2))", (3,), [2.828427] * 3),
    ("nd.norm(nd.ones((2, 3, 4)), axis=(0, 1, 2))", (1,), [4.898979]),
    ("nd.norm(x, axis=-1, keepdims=True)", (2, 1), [[3.741657], [8.774964]]),
    ("nd.argmax_channel(x)", (2,), [2.0, 2.0]),
    ("nd.argmax_channel(nd.array([[3, 1, 2], [1, 3, 3]]))", (2,), [0.0, 1.0]),
    ("nd.argmax_channel(nd.array(X3))", (2, 4), [[1, 0, 0, 1], [1, 2, 1, 0]]),
    ("nd.argmax(x, axis=1, keepdims=True)", (2, 1), [[2.0], [2.0]]),
    ("nd.argmax(x, keepdims=True)", (1, 1), [[5.0]]),
    ("nd.argmin(nd.array([[3, 1, 2], [1, 3, 3]]), axis=1)", (2,), [1.0, 0.0]),
    ("nd.cumsum(x)", (6,), [1.0, 3.0, 6.0, 10.0, 15.0, 21.0]),
    ("nd.cumsum(x, axis=0)", (2, 3), [[1.0, 2.0, 3.0], [5.0, 7.0, 9.0]]),
    ("nd.cumsum(x, axis=1)", (2, 3), [[1.0, 3.0, 6.0], [4.0, 9.0, 15.0]]),
    ("nd.cumsum(nd.array(X3), axis=1)", (2, 3, 4),
     [[[11, 10, 22, 14], [31, 11, 35, 37], [47, 19, 41, 54]],
      [[4, 2, 5, 18], [13, 9, 24, 21], [13, 30, 39, 33]]]),
])
def test_values_shapes_and_dtypes_match_mxnet(expr, shape, values):
    """MXNet 1.9.1."""
    x = nd.array(X)                                          # noqa: F841
    n = nd.array([[1, np.nan, 3], [np.nan, np.nan, 6]])      # noqa: F841
    check(eval(expr), np.array(values, np.float64).reshape(shape), np.float32)


def test_moments_match_mxnet():
    """MXNet 1.9.1: the biased variance; keepdims; a full reduction gives (1,)."""
    x = nd.array(X)
    m, v = nd.moments(x, axes=(0,))
    check(m, [2.5, 3.5, 4.5], np.float32)
    check(v, [2.25, 2.25, 2.25], np.float32)
    m, v = nd.moments(x, axes=1, keepdims=True)
    check(m, [[2.0], [5.0]])
    check(v, [[2 / 3], [2 / 3]])
    m, v = nd.moments(x, axes=(0, 1))
    check(m, [3.5])
    check(v, [2.9166667])
    m, v = nd.moments(x, axes=(-1,))
    check(m, [2.0, 5.0])
    m, v = nd.moments(nd.arange(24).reshape((2, 3, 4)), axes=(0, 2), keepdims=True)
    check(m, np.array([7.5, 11.5, 15.5]).reshape(1, 3, 1))
    check(v, np.full((1, 3, 1), 37.25))
    assert isinstance(nd.moments(x, axes=0), list)


def test_integer_data_keeps_its_dtype():
    """MXNet 1.9.1: int32 reductions and cumsum stay int32; index outputs
    follow their own dtype rules."""
    xi = nd.array(X, dtype="int32")
    check(nd.prod(xi), [720], np.int32)
    check(nd.prod(xi, axis=0), [4, 10, 18], np.int32)
    check(nd.nansum(xi, axis=0), [5, 7, 9], np.int32)
    check(nd.nanprod(xi, axis=1), [6, 120], np.int32)
    m, v = nd.moments(xi, axes=(0,))
    check(m, [2, 3, 4], np.int32)
    check(v, [2, 2, 2], np.int32)
    check(nd.argmax_channel(xi), [2, 2], np.int32)
    check(nd.cumsum(xi, axis=1), [[1, 3, 6], [4, 9, 15]], np.int32)
    check(nd.cumsum(xi, axis=1, dtype="float32"), [[1, 3, 6], [4, 9, 15]], np.float32)
    check(nd.sort(xi), X, np.int32)
    check(nd.argsort(xi), [[0, 1, 2], [0, 1, 2]], np.float32)
    vals, idx = nd.topk(xi, k=2, ret_typ="both")
    check(vals, [[3, 2], [6, 5]], np.int32)
    check(idx, [[2, 1], [2, 1]], np.float32)
    check(nd.topk(xi, k=2, ret_typ="mask"), [[0, 1, 1], [0, 1, 1]], np.int32)
    # the truncated norm of sqrt(91) (MXNet 1.9.1 gives 6, a bug)
    check(nd.norm(xi), [9], np.int32)


def test_cumsum_dtype_converts_before_summing():
    """MXNet 1.9.1: the result (and the accumulator) has ``dtype``."""
    x = nd.array(X)
    check(nd.cumsum(x, axis=1, dtype="float64"), [[1, 3, 6], [4, 9, 15]], np.float64)
    check(nd.cumsum(x, axis=1, dtype=np.int32), [[1, 3, 6], [4, 9, 15]], np.int32)
    check(nd.cumsum(nd.array([0.4, 0.4, 0.4]), dtype="int8"), [0, 0, 0], np.int8)
    # negative axes work (MXNet 1.9.1 rejects them by a bug)
    check(nd.cumsum(x, axis=-1), [[1, 3, 6], [4, 9, 15]])


def test_norm_out_dtype_and_the_method_order():
    """``out_dtype`` converts the result (MXNet 1.9.1 raises for any dtype but
    the input's); the method takes nd.norm's arguments in nd.norm's order, as
    MXNet's fluent method does (so a bool in out_dtype's place raises there)."""
    x = nd.array(X)
    check(nd.norm(x, out_dtype="float32"), [9.539392], np.float32)
    check(nd.norm(x, out_dtype="float64"), [np.sqrt(91.0)], np.float64, rtol=1e-6)
    check(nd.norm(x, 1, 1, "float64", True), [[6.0], [15.0]], np.float64)
    check(nd.norm(x, ord=2, axis=1, out_dtype="int32"), [3, 8], np.int32)
    check(x.norm(2, 0, None, True), np.linalg.norm(X, axis=0, keepdims=True), np.float32)
    with pytest.raises((TypeError, ValueError), match="out_dtype"):
        x.norm(2, 0, True)
    check(x.norm(axis=1, keepdims=True), np.linalg.norm(X, axis=1, keepdims=True))
    with pytest.raises(ValueError, match=r"norm: out_dtype must be one of float16, .*'uint8'"):
        nd.norm(x, out_dtype="uint8")
    assert nd.norm(x, out_dtype="float16").dtype is np.float16


@pytest.mark.parametrize("expr,values,dtype", [
    ("nd.topk(w)", [[3.0], [0.0]], np.float32),
    ("nd.topk(w, k=2)", [[3.0, 1.0], [0.0, 1.0]], np.float32),
    ("nd.topk(w, k=2, ret_typ='value')", [[7.0, 2.0], [3.0, 3.0]], np.float32),
    ("nd.topk(w, k=2, ret_typ='mask')", [[0, 1, 0, 1], [1, 1, 0, 0]], np.float32),
    ("nd.topk(w, k=2, ret_typ='mask', dtype='int32')", [[0, 1, 0, 1], [1, 1, 0, 0]],
     np.float32),
    ("nd.topk(w, k=2, ret_typ='indices', dtype='int32')", [[3, 1], [0, 1]], np.int32),
    ("nd.topk(w, k=2, is_ascend=1)", [[2.0, 0.0], [2.0, 3.0]], np.float32),
    ("nd.topk(w, k=0)", [[3, 1, 0, 2], [0, 1, 3, 2]], np.float32),
    ("nd.topk(w, k=-1)", [[3, 1, 0, 2], [0, 1, 3, 2]], np.float32),
    ("nd.topk(w, k=0, ret_typ='value')", [[7, 2, 0.5, -1], [3, 3, 1, 0]], np.float32),
    ("nd.topk(w, axis=0, k=1, ret_typ='value')", [[3, 3, 0, 7]], np.float32),
    ("nd.topk(w, axis=None, k=3, ret_typ='mask')", [[0, 0, 0, 1], [1, 1, 0, 0]],
     np.float32),
    ("nd.topk(w, axis=-1, k=1)", [[3.0], [0.0]], np.float32),
    ("nd.topk(nd.array([2, 1, 2, 1, 2]), k=3, ret_typ='mask', is_ascend=True)",
     [1, 1, 0, 1, 0], np.float32),
    ("nd.topk(nd.ones((2, 2), dtype='float16'), k=1, ret_typ='mask')",
     [[1, 0], [1, 0]], np.float16),
    ("nd.sort(w)", [[-1, 0.5, 2, 7], [0, 1, 3, 3]], np.float32),
    ("nd.sort(w, axis=0)", [[0.5, 2, -1, 1], [3, 3, 0, 7]], np.float32),
    ("nd.sort(w, is_ascend=False)", [[7, 2, 0.5, -1], [3, 3, 1, 0]], np.float32),
    ("nd.sort(w, axis=None)", [-1, 0, 0.5, 1, 2, 3, 3, 7], np.float32),
    ("nd.sort(nd.array(X3), axis=0, is_ascend=0)",
     [[[11, 10, 22, 18], [20, 7, 19, 23], [16, 21, 15, 17]],
      [[4, 2, 5, 14], [9, 1, 13, 3], [0, 8, 6, 12]]], np.float32),
    ("nd.argsort(w)", [[2, 0, 1, 3], [2, 3, 0, 1]], np.float32),
    ("nd.argsort(w, is_ascend=False)", [[3, 1, 0, 2], [0, 1, 3, 2]], np.float32),
    ("nd.argsort(w, axis=None)", [2, 6, 0, 7, 1, 4, 5, 3], np.float32),
    ("nd.argsort(w, axis=0)", [[0, 0, 0, 1], [1, 1, 1, 0]], np.float32),
    ("nd.argsort(w, dtype='int64')", [[2, 0, 1, 3], [2, 3, 0, 1]], np.int64),
    ("nd.argsort(w, dtype='float64')", [[2, 0, 1, 3], [2, 3, 0, 1]], np.float64),
    ("nd.argsort(w, dtype='float16')", [[2, 0, 1, 3], [2, 3, 0, 1]], np.float16),
    ("nd.argsort(w, dtype='uint8')", [[2, 0, 1, 3], [2, 3, 0, 1]], np.uint8),
    ("nd.argsort(nd.array(X3), axis=1, is_ascend=False)",
     [[[1, 0, 0, 1], [2, 2, 1, 2], [0, 1, 2, 0]],
      [[1, 2, 1, 0], [0, 1, 2, 2], [2, 0, 0, 1]]], np.float32),
    # ties keep their order in both directions
    ("nd.argsort(nd.array([2, 1, 2, 1, 2]))", [1, 3, 0, 2, 4], np.float32),
    ("nd.argsort(nd.array([2, 1, 2, 1, 2]), is_ascend=False)", [0, 2, 4, 1, 3],
     np.float32),
    ("nd.topk(nd.array([2, 1, 2, 1, 2]), k=3)", [0, 2, 4], np.float32),
    ("nd.topk(nd.array([2, 1, 2, 1, 2]), k=3, is_ascend=True)", [1, 3, 0], np.float32),
])
def test_sorting_matches_mxnet(expr, values, dtype):
    """MXNet 1.9.1."""
    w = nd.array(W)                                          # noqa: F841
    check(eval(expr), values, dtype)


def test_topk_both_is_a_list_of_values_and_indices():
    """MXNet 1.9.1: values keep the input's dtype, indices take ``dtype``."""
    w = nd.array(W)
    r = nd.topk(w, k=2, ret_typ="both")
    assert isinstance(r, list) and len(r) == 2
    check(r[0], [[7.0, 2.0], [3.0, 3.0]], np.float32)
    check(r[1], [[3.0, 1.0], [0.0, 1.0]], np.float32)
    vals, idx = nd.topk(w, k=2, ret_typ="both", dtype="int64")
    check(idx, [[3, 1], [0, 1]], np.int64)
    vals, idx = nd.topk(w, k=2, is_ascend=True, ret_typ="both")
    check(vals, [[-1.0, 0.5], [0.0, 1.0]])
    check(idx, [[2.0, 0.0], [2.0, 3.0]])
    vals, idx = nd.topk(w, axis=None, k=3, ret_typ="both")
    check(vals, [7.0, 3.0, 3.0])
    check(idx, [3.0, 4.0, 5.0])
    vals, idx = nd.topk(nd.array(X3), axis=1, k=2, ret_typ="both")
    check(vals, [[[20, 10, 22, 23], [16, 8, 13, 17]], [[9, 21, 19, 18], [4, 7, 15, 12]]])
    check(idx, [[[1, 0, 0, 1], [2, 2, 1, 2]], [[1, 2, 1, 0], [0, 1, 2, 2]]])
    vals, idx = nd.topk(nd.ones((2, 2), dtype="float64"), k=1, ret_typ="both")
    assert vals.dtype is np.float64 and idx.dtype is np.float32


def test_nan_sorts_above_every_number():
    """numpy's order (MXNet leaves NaN wherever its comparisons put it)."""
    a = nd.array([[2.0, np.nan, 1.0, 5.0]])
    check(nd.sort(a), [[1.0, 2.0, 5.0, np.nan]])
    check(nd.sort(a, is_ascend=False), [[np.nan, 5.0, 2.0, 1.0]])
    check(nd.argsort(a, is_ascend=False), [[1, 3, 0, 2]])
    check(nd.topk(a, k=1, is_ascend=True), [[2.0]])


# -------------------------------------------------- values: numpy formulas ---

AXES = [None, 0, -1, (0, 2), (1,), (), [2, 0]]


@pytest.mark.parametrize("exclude", [False, True])
@pytest.mark.parametrize("keepdims", [False, True])
@pytest.mark.parametrize("axis", AXES, ids=str)
@pytest.mark.parametrize("name,npf", [
    ("sum", np.sum), ("mean", np.mean), ("max", np.max), ("min", np.min),
    ("prod", np.prod), ("nansum", np.nansum), ("nanprod", np.nanprod)])
def test_reductions_over_axis_tuples_with_exclude(name, npf, axis, keepdims, exclude):
    a = np.random.default_rng(0).uniform(0.5, 1.5, (2, 3, 4))
    a[0, 1, 2] = np.nan if name.startswith("nan") else a[0, 1, 2]
    if axis is None or axis == ():
        axes = (0, 1, 2)
    else:
        named = {int(i) % 3 for i in np.atleast_1d(axis)}
        axes = tuple(i for i in range(3) if (i in named) != exclude)
    want = npf(a, axis=axes, keepdims=keepdims)
    want = np.reshape(want, (1,)) if np.ndim(want) == 0 else want
    got = getattr(nd, name)(nd.array(a, dtype="float64"), axis=axis, keepdims=keepdims,
                            exclude=exclude)
    check(got, want, np.float64, rtol=1e-12)
    fluent = getattr(nd.array(a, dtype="float64"), name)(axis, keepdims, exclude)
    check(fluent, want, np.float64, rtol=1e-12)


@pytest.mark.parametrize("dtype", FLOATS, ids=DT_IDS)
@pytest.mark.parametrize("axis,keepdims", [(None, False), (1, True), ((0, 2), False),
                                           ((0, 1, 2), True), (-1, False)])
@pytest.mark.parametrize("ord", [1, 2])
def test_norm_over_axis_tuples(ord, axis, keepdims, dtype):
    a = np.random.default_rng(1).standard_normal((2, 3, 4))
    want = np.sum(np.abs(a), axis=axis, keepdims=keepdims) if ord == 1 else \
        np.sqrt(np.sum(a * a, axis=axis, keepdims=keepdims))
    got = nd.norm(nd.array(a, dtype=dtype), ord=ord, axis=axis, keepdims=keepdims)
    check(got, np.reshape(want, (1,)) if np.ndim(want) == 0 else want, dtype, rtol=1e-5)


def test_sort_and_topk_agree_with_numpy_on_distinct_values():
    a = np.random.default_rng(2).permutation(60).reshape(3, 4, 5) * 0.5 - 7.0
    for axis in (0, 1, 2, -1):
        check(nd.sort(nd.array(a), axis=axis), np.sort(a, axis=axis))
        check(nd.argsort(nd.array(a), axis=axis, dtype="int64"),
              np.argsort(a, axis=axis), np.int64)
        desc = -np.sort(-a, axis=axis)
        check(nd.sort(nd.array(a), axis=axis, is_ascend=False), desc)
        k = 2
        top = np.take(desc, range(k), axis=axis)
        check(nd.topk(nd.array(a), axis=axis, k=k, ret_typ="value"), top)
        check(nd.topk(nd.array(a), axis=axis, k=k, ret_typ="mask"),
              a >= np.take(top, [k - 1], axis=axis))


# --------------------------------------------------- 0-d and empty inputs ---

def test_empty_axes_follow_numpy():
    e = nd.zeros((0, 3), dtype="float64")
    check(nd.sum(e, axis=0), [0.0, 0.0, 0.0])
    check(nd.prod(e, axis=0), [1.0, 1.0, 1.0])
    check(nd.prod(e), [1.0])
    check(nd.nansum(e), [0.0])
    check(nd.nanprod(e, axis=0, keepdims=True), [[1.0, 1.0, 1.0]])
    assert nd.prod(e, axis=1).shape == (0,)
    with pytest.warns(RuntimeWarning):
        check(nd.mean(e, axis=0), [np.nan] * 3)
    for f in (nd.max, nd.min, nd.argmax, nd.argmin):
        with pytest.raises(ValueError, match=r"of an empty array \(shape \(0, 3\)\)"):
            f(e, axis=0)
    with pytest.raises(ValueError, match="argmax_channel of an empty array"):
        nd.argmax_channel(nd.zeros((2, 0)))
    assert nd.sort(e).shape == (0, 3) and nd.argsort(e, axis=0).shape == (0, 3)
    assert nd.topk(e, k=2, ret_typ="value").shape == (0, 2)
    assert nd.topk(nd.zeros((2, 0)), k=0, ret_typ="both")[1].shape == (2, 0)
    assert nd.cumsum(e, axis=1).shape == (0, 3) and nd.cumsum(e).shape == (0,)
    for f in (lambda v: nd.prod(v, axis=0), lambda v: nd.sort(v, axis=0),
              lambda v: nd.cumsum(v)):
        for mode in ("forward", "reverse"):
            assert dt.grad(lambda v: nd.sum(f(v)), mode=mode)(e).shape == (0, 3)


def test_0d_inputs():
    z = nd.array(2.5)
    check(nd.prod(z), [2.5])
    check(nd.nansum(z), [2.5])
    check(nd.argmax(z), [0.0])
    check(nd.cumsum(z), [2.5])
    check(nd.sort(z, axis=None), [2.5])
    check(nd.topk(z, axis=None, ret_typ="mask"), 1.0)
    check(nd.topk(z, axis=None, ret_typ="value"), [2.5])
    assert dt.grad(lambda v: nd.prod(v * v).sum())(nd.array(2.5, dtype="float64")) \
        .asscalar() == 5.0
    with pytest.raises(ValueError, match="sort: axis -1 is out of range for a 0-d array; "
                                         "pass axis=None"):
        nd.sort(z)
    with pytest.raises(ValueError, match="cumsum: axis 0 is out of range for a 0-d array"):
        nd.cumsum(z, axis=0)
    with pytest.raises(ValueError, match=r"moments: axes 0 is out of range for an array "
                                         r"of 0 dimensions \(a 0-d array has none\)"):
        nd.moments(z, axes=0)


# -------------------------------------------------------------- gradients ---

def test_gradients_match_mxnet():
    """MXNet 1.9.1, head gradients 1, 2, 3, ...: the values sorted or
    selected from tied elements each get their own position's gradient."""
    check(_grad(lambda a: nd.sort(a, axis=None), W), [[3, 5, 1, 8], [6, 7, 2, 4]])
    check(_grad(lambda a: nd.topk(a, k=2, ret_typ="value"), W), [[0, 2, 0, 1], [3, 4, 0, 0]])
    check(_grad(lambda a: nd.topk(a, k=2, ret_typ="both")[0], W),
          [[0, 2, 0, 1], [3, 4, 0, 0]])
    check(_grad(lambda a: nd.topk(a, k=2, ret_typ="value", axis=None), W),
          [[0, 0, 0, 1], [2, 0, 0, 0]])
    check(_grad(lambda a: nd.topk(a, k=1, ret_typ="value", axis=0), W),
          [[0, 0, 0, 4], [1, 2, 3, 0]])
    check(_grad(lambda a: nd.cumsum(a, axis=1), W), [[10, 9, 7, 4], [26, 21, 15, 8]])
    check(_grad(lambda a: nd.cumsum(a), W), [[36, 35, 33, 30], [26, 21, 15, 8]])
    check(_grad(lambda a: nd.prod(a), X), [[720, 360, 240], [180, 144, 120]])
    check(_grad(lambda a: nd.nansum(a, axis=1), [[np.nan, 2, 3], [0, np.nan, 2]]),
          [[0, 1, 1], [2, 0, 2]])
    check(_grad(lambda a: nd.moments(a, axes=1)[1], [[1, 2, 4], [0, 3, 2]]),
          [[-0.8888888, -0.2222222, 1.1111112], [-2.2222221, 1.7777778, 0.4444445]])
    check(_grad(lambda a: nd.moments(a, axes=1)[0], [[1, 2, 4], [0, 3, 2]]),
          [[1 / 3] * 3, [2 / 3] * 3])
    check(_grad(lambda a: nd.norm(a, ord=1, axis=1), [[0, 0, 0], [3, -4, 0]]),
          [[0, 0, 0], [2, -2, 0]])
    check(_grad(lambda a: nd.max(a, axis=0, exclude=True), [[1, 3, 3], [3, 4, 0]]),
          [[0, 1, 1], [0, 2, 0]])


def test_ties_in_sort_follow_the_stable_order():
    """Tied values: the cotangent of each sorted position goes to the tied
    element the stable order put there."""
    a = [[2.0, 1.0, 2.0, 1.0, 2.0]]
    check(_grad(lambda v: nd.sort(v), a), [[3, 1, 4, 2, 5]])
    check(_grad(lambda v: nd.sort(v, is_ascend=False), a), [[1, 4, 2, 5, 3]])
    check(_grad(lambda v: nd.topk(v, k=2, ret_typ="value"), a), [[1, 0, 2, 0, 0]])


def test_prod_derivative_is_the_product_of_the_others_at_zeros():
    """No division by x: right with one zero and with two (MXNet gives nan)."""
    check(_grad(lambda a: nd.prod(a, axis=1), [[0.0, 2, 3], [0, 0, 2]]),
          [[6, 0, 0], [0, 0, 0]])
    check(_grad(lambda a: nd.prod(a, axis=0, keepdims=True), [[0.0, 2], [5, 0]]),
          [[5, 0], [0, 4]])
    check(_grad(lambda a: nd.nanprod(a, axis=1), [[np.nan, 2, 3], [0, np.nan, 2]]),
          [[0, 3, 2], [4, 0, 0]])
    a = np.array([0.0, 0.0, 2.0, 3.0])
    H = dt.hessian(lambda v: nd.prod(v))(nd.array(a, dtype="float64")).asnumpy()
    want = np.array([[0, 6, 0, 0], [6, 0, 0, 0], [0, 0, 0, 0], [0, 0, 0, 0]], float)
    np.testing.assert_array_equal(H.reshape(4, 4), want)
    # third order: d^3 prod / dx0 dx1 dx_j is x3, x2 for j = 2, 3
    x = nd.array(a, dtype="float64")
    x.attach_grad()
    with autograd.record():
        g, = autograd.grad(nd.prod(x), [x], create_graph=True)
        h, = autograd.grad(g[0], [x], create_graph=True)
        h1 = h[1]
    h1.backward()
    check(x.grad, [0.0, 0.0, 3.0, 2.0])


SMOOTH = {  # distinct values: no ties for sort, topk and max; no zero for the L1 norm
    "norm1": lambda v: nd.norm(v, ord=1, axis=(0, 2), keepdims=True),
    "norm2": lambda v: nd.norm(v, axis=(1, 2)),
    "moments": _tuple(lambda v: nd.moments(v, axes=(0, 2))),
    "cumsum": lambda v: nd.cumsum(v, axis=1),
    "cumsum-dtype": lambda v: nd.cumsum(v, dtype="float64"),
    "sort": lambda v: nd.sort(v, axis=0, is_ascend=False),
    "sort-flat": lambda v: nd.sort(v, axis=None),
    "topk": lambda v: nd.topk(v, axis=1, k=2, ret_typ="value"),
    "topk-flat": lambda v: nd.topk(v, axis=None, k=3, ret_typ="both")[0],
    "max-exclude": lambda v: nd.max(v, axis=(0, 1), exclude=True),
}
WITH_ZEROS_AND_NANS = {  # polynomials: smooth at zeros; NaN entries are constants
    "prod": lambda v: nd.prod(v, axis=(0, 2), keepdims=True),
    "prod-exclude": lambda v: nd.prod(v, axis=1, exclude=True),
    "nansum": lambda v: nd.nansum(v, axis=(1, 2)),
    "nanprod": lambda v: nd.nanprod(v, axis=-1),
}


@pytest.mark.parametrize("dtype", FLOATS, ids=DT_IDS)
@pytest.mark.parametrize("name", sorted(SMOOTH) + sorted(WITH_ZEROS_AND_NANS))
def test_second_order_by_check_grad(name, dtype):
    a = np.random.default_rng(3).permutation(24).reshape(2, 3, 4) / 5.0 - 2.3
    if name in WITH_ZEROS_AND_NANS:
        a[1, 1, 1] = a[1, 1, 3] = 0.0
        a[0, 2, 3] = np.nan if name.startswith("nan") else a[0, 2, 3]
    f = SMOOTH.get(name) or WITH_ZEROS_AND_NANS[name]
    dt.check_grad(f, nd.array(a, dtype=dtype), order=2)


@pytest.mark.parametrize("f", [lambda v: nd.prod(v, axis=1), lambda v: nd.cumsum(v, axis=0),
                               lambda v: nd.topk(v, k=2, ret_typ="value"),
                               lambda v: nd.sort(v, is_ascend=False)],
                         ids=["prod", "cumsum", "topk", "sort"])
def test_jacobians_agree_in_both_modes(f):
    x = nd.array([[0.3, 0.0, -1.2], [2.0, 0.7, 1.1]], dtype="float64")
    jf = dt.jacobian(f, mode="forward")(x).asnumpy()
    jr = dt.jacobian(f, mode="reverse")(x).asnumpy()
    np.testing.assert_allclose(jf, jr, rtol=1e-12, atol=1e-12)
    assert np.any(jf != 0)


def test_index_outputs_have_zero_derivative():
    x = nd.array(W)
    x.attach_grad()
    with autograd.record():
        i = nd.argsort(x)
        t = nd.topk(x, k=4, ret_typ="indices")
        m = nd.topk(x, k=2, ret_typ="mask")
        c = nd.argmax_channel(x)
        y = (i * x).sum() + (t * x).sum() + (m * x).sum() + (c.reshape((2, 1)) * x).sum()
    y.backward()
    # MXNet 1.9.1's argsort, topk(k=4), topk mask (k=2) and argmax_channel of W
    want = (np.array([[2, 0, 1, 3], [2, 3, 0, 1]]) + np.array([[3, 1, 0, 2], [0, 1, 3, 2]])
            + np.array([[0, 1, 0, 1], [1, 1, 0, 0]]) + np.array([[3], [0]]))
    check(x.grad, want)
    with dt.forward_level():
        x = nd.array(W)
        x.attach_tangent(nd.ones((2, 4)))
        for r in (nd.argsort(x), nd.topk(x, ret_typ="mask"), nd.argmax_channel(x),
                  nd.topk(x, k=2, ret_typ="both")[1]):
            assert r.tangent is None or not np.any(r.tangent.asnumpy())


@settings(max_examples=10, deadline=None)
@given(data=st.data(), dtype=st.sampled_from([np.float64, np.float32]))
def test_prod_on_drawn_shapes_axes_and_zeros(data, dtype):
    shape = data.draw(hnp.array_shapes(min_dims=1, max_dims=3, min_side=0, max_side=3))
    axes = tuple(sorted(data.draw(st.sets(st.integers(0, len(shape) - 1), min_size=1))))
    keepdims = data.draw(st.booleans())
    seed = data.draw(st.integers(0, 2 ** 16))
    rng = np.random.default_rng(seed)
    a = rng.uniform(0.5, 1.5, shape) * rng.choice([-1.0, 1.0], shape)
    a[rng.uniform(size=shape) < 0.3] = 0.0
    x = nd.array(a, dtype=dtype)
    got = nd.prod(x, axis=axes, keepdims=keepdims)
    want = np.prod(a, axis=axes, keepdims=keepdims)
    check(got, np.reshape(want, (1,)) if np.ndim(want) == 0 else want, dtype, rtol=1e-5)
    dt.check_grad(lambda v: nd.prod(v, axis=axes, keepdims=keepdims), x, order=2, seed=seed)


# -------------------------------------------------------- fluent methods ---

def test_fluent_methods():
    x = nd.array(X)
    check(x.prod(), [720.0])
    check(x.prod(axis=1, keepdims=True), [[6.0], [120.0]])
    check(nd.array([[1, np.nan]]).nansum(), [1.0])
    check(nd.array([[2, np.nan]]).nanprod(axis=1), [2.0])
    check(x.argmax_channel(), [2.0, 2.0])
    check(x.sort(is_ascend=False), [[3, 2, 1], [6, 5, 4]])
    check(x.argsort(axis=0, is_ascend=False), [[1, 1, 1], [0, 0, 0]])
    check(x.topk(k=2, ret_typ="value"), [[3, 2], [6, 5]])
    for name in ("prod", "nansum", "nanprod", "argmax_channel", "sort", "argsort", "topk"):
        assert hasattr(x, name)
    for name in ("cumsum", "moments", "sum_axis"):      # not NDArray methods in MXNet
        assert not hasattr(x, name)


def test_numpy_calls_reach_the_reductions():
    a = np.arange(1.0, 7.0).reshape(2, 3)
    x = nd.array(a)
    check(np.sum(x, axis=1), a.sum(axis=1))
    check(np.max(x, axis=(0, 1)), [6.0])


# ------------------------------------------------------------------- errors ---

@pytest.mark.parametrize("expr,exc,match", [
    ("nd.sum(x, axis=2)", ValueError,
     r"sum: axis 2 is out of range for an array of 2 dimensions \(valid: -2 to 1\)"),
    ("nd.prod(x, axis=(0, -2))", ValueError, r"prod: axis \(0, -2\) names an axis twice"),
    ("nd.nansum(x, axis=-3)", ValueError, "nansum: axis -3 is out of range"),
    ("nd.nanprod(x, axis=1.5)", TypeError,
     "nanprod: axis must be an int, a tuple of ints or None, got 1.5"),
    ("nd.mean(x, axis=True)", TypeError, "mean: axis must be an int"),
    ("nd.max(x, axis='0')", TypeError, "max: axis must be an int"),
    ("nd.min_axis(x, axis=(0, 5))", ValueError, "min: axis 5 is out of range"),
    ("nd.norm(x, ord=3)", ValueError, "norm: ord must be 1 or 2, got 3"),
    ("nd.norm(x, ord='fro')", ValueError, "norm: ord must be 1 or 2"),
    ("nd.norm(x, axis=(1, 1))", ValueError, "norm: axis .* names an axis twice"),
    ("nd.norm(x, out_dtype='foo')", ValueError, "norm: out_dtype must be one of"),
    ("nd.moments(x)", ValueError, "moments: axes must name at least one axis"),
    ("nd.moments(x, axes=())", ValueError, "moments: axes must name at least one axis"),
    ("nd.moments(x, axes=(2,))", ValueError, "moments: axes 2 is out of range"),
    ("nd.argmax(x, axis=(0, 1))", TypeError, r"argmax: axis must be an int or None, got \(0, 1\)"),
    ("nd.argmin(x, axis=2)", ValueError, "argmin: axis 2 is out of range"),
    ("nd.argmax_channel(nd.array([1, 5, 2]))", ValueError,
     r"argmax_channel: data must have at least 2 dimensions .* got shape \(3,\)"),
    ("nd.cumsum(x, axis=2)", ValueError, "cumsum: axis 2 is out of range"),
    ("nd.cumsum(x, axis=(0,))", TypeError, "cumsum: axis must be an int or None"),
    ("nd.cumsum(x, dtype='uint8')", ValueError,
     "cumsum: dtype must be one of float16, float32, float64, int32, int64, int8, got 'uint8'"),
    ("nd.sort(x, axis=2)", ValueError, "sort: axis 2 is out of range"),
    ("nd.sort(x, axis=(0, 1))", TypeError, "sort: axis must be an int or None"),
    ("nd.sort(x, is_ascend='yes')", TypeError, r"sort: is_ascend must be a bool \(or 0/1\)"),
    ("nd.argsort(x, axis=-3)", ValueError, "argsort: axis -3 is out of range"),
    ("nd.argsort(x, dtype='int8')", ValueError,
     "argsort: dtype must be one of float16, float32, float64, int32, int64, uint8, "
     "got 'int8'"),
    ("nd.argsort(x, dtype='bool')", ValueError, "argsort: dtype must be one of"),
    ("nd.argsort(nd.arange(300), dtype='uint8')", ValueError,
     r"argsort: dtype uint8 cannot hold index 299 exactly \(axis length 300\)"),
    ("nd.topk(nd.arange(3000), dtype='float16')", ValueError,
     "topk: dtype float16 cannot hold index 2999 exactly"),
    ("nd.topk(x, k=4)", ValueError,
     r"topk: k=4 is larger than the 3 elements along the axis of an array of shape \(2, 3\)"),
    ("nd.topk(x, axis=None, k=7)", ValueError, "topk: k=7 is larger than the 6 elements"),
    ("nd.topk(x, k=2.5)", TypeError, "topk: k must be an int, got 2.5"),
    ("nd.topk(x, k=True)", TypeError, "topk: k must be an int, got True"),
    ("nd.topk(x, ret_typ='foo')", ValueError,
     "topk: ret_typ must be one of 'value', 'indices', 'both', 'mask', got 'foo'"),
    ("nd.topk(x, ret_typ='mask', dtype='int8')", ValueError, "topk: dtype must be one of"),
    ("nd.topk(x, is_ascend=2)", TypeError, "topk: is_ascend must be a bool"),
    ("nd.topk(x, axis=2)", ValueError, "topk: axis 2 is out of range"),
])
def test_errors_name_the_op_and_argument(expr, exc, match):
    x = nd.array(X)                                          # noqa: F841
    with pytest.raises(exc, match=match):
        eval(expr)


def test_value_only_topk_does_not_check_the_index_dtype():
    """The index dtype matters only where indices are returned."""
    check(nd.topk(nd.arange(3000), dtype="float16", ret_typ="value"), [2999.0])


def test_a_failed_call_records_nothing():
    x = nd.array(X)
    x.attach_grad()
    with autograd.record():
        y = x * 2
        with pytest.raises(ValueError):
            nd.nansum(y, axis=5)
        with pytest.raises(ValueError):
            nd.topk(y, k=9, ret_typ="value")
        z = y.sum()
    z.backward()
    check(x.grad, np.full((2, 3), 2.0))
