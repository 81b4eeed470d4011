"""Sorting: sort, argsort, topk, cumulative sums.

Sorting is stable in both directions: tied values keep their order (the
lower index first), as in MXNet 1.9.1.  NaN sorts above every number (last
in ascending order, first in descending order; MXNet leaves it wherever its
comparisons happen to put it).  ``sort`` and ``topk``'s values are the input
gathered by the sorting permutation, so their derivative sends each
cotangent back to the element it came from: each of several tied elements
gets the cotangent of the position it was sorted to.  Index outputs
(``argsort``, ``topk``'s indices and mask) have zero derivative.
"""
import numbers

import numpy as np

from .._engine import apply
from ..registry import defop, nondiff
from .convert import as_nd
from .reduction import OUT_DTYPES, check_axes, check_dtype
from .structural import _gather_primal, _nb, _scatter_add_primal, astype, view_as

#: The index dtypes MXNet's ``argsort`` and ``topk`` accept.
INDEX_DTYPES = ("float16", "float32", "float64", "int32", "int64", "uint8")
RET_TYPES = ("value", "indices", "both", "mask")


def _order(a, axis, is_ascend):
    """The stable sorting permutation of numpy ``a`` along ``axis``."""
    if is_ascend:
        return np.argsort(a, axis=axis, kind="stable")
    # descending and stable: sort the reversed array, then reverse back
    flipped = np.argsort(np.flip(a, axis), axis=axis, kind="stable")
    return (a.shape[axis] - 1) - np.flip(flipped, axis)


def _first(order, axis, k):
    """The first ``k`` entries of ``order`` along ``axis``."""
    if k == order.shape[axis]:
        return order
    return order[(slice(None),) * axis + (slice(0, k),)]


def _picked(a, axis, k, is_ascend):
    """Indices along ``axis`` of the ``k`` first elements in sorted order."""
    return _first(_order(a, axis, is_ascend), axis, k)


def _flat(shape, picked, axis):
    """Flat (C-order) positions in an array of ``shape`` of the elements
    ``picked`` (indices along ``axis``) selects."""
    strides = np.cumprod((1,) + shape[:0:-1])[::-1]
    coords = np.indices(picked.shape, sparse=True)
    flat = picked * strides[axis]
    for i, c in enumerate(coords):
        if i != axis:
            flat = flat + c * strides[i]
    return np.ascontiguousarray(flat, dtype=np.int64)


def _topk_primal(x, axis, k, is_ascend):
    return np.take_along_axis(x, _picked(x, axis, k, is_ascend), axis)


def _topk_flat(x, axis, k, is_ascend):
    """Flat positions in ``x`` of its first ``k`` elements in sorted order."""
    return _flat(x.shape, _picked(x, axis, k, is_ascend), axis)


# The derivative rules gather (scatter) by the sorting permutation.  The
# permutation is computed inside these ops' primals from ``x``, an input whose
# derivative is zero (the permutation is locally constant away from ties), so
# that no rule reads values from Python and a ``dt.jit`` replay finds the
# permutation of its own inputs.
def _take_sorted_primal(t, x, axis, k, is_ascend, nb):
    return _gather_primal(t, _topk_flat(x, axis, k, is_ascend), nb)


def _scatter_sorted_primal(g, x, axis, k, is_ascend, nb):
    return _scatter_add_primal(g, _topk_flat(x, axis, k, is_ascend), x.shape, nb)


def _sorted_rules(this, other):
    def jvp(ts, ans, xs, axis, k, is_ascend, nb):
        t = ts[0]
        if t is None:
            return None
        return apply(this(), (t, xs[1]), (axis, k, is_ascend, nb + _nb(t, xs[0])))

    def vjp(g, ans, xs, needs, axis, k, is_ascend, nb):
        return (apply(other(), (g, xs[1]), (axis, k, is_ascend, nb + _nb(g, ans))), None)
    return jvp, vjp


def _sorted_samples(rng):
    return [([rng.standard_normal((2, 5)), _distinct(rng, (2, 5))], (1, 2, False, 0))]


def _scatter_sorted_samples(rng):
    return [([rng.standard_normal((2, 2)), _distinct(rng, (2, 5))], (1, 2, False, 0))]


_take_rules = _sorted_rules(lambda: TAKE_SORTED, lambda: SCATTER_SORTED)
_scatter_rules = _sorted_rules(lambda: SCATTER_SORTED, lambda: TAKE_SORTED)
TAKE_SORTED = defop("take_sorted", _take_sorted_primal, jvp=_take_rules[0],
                    vjp=_take_rules[1], kind="linear", samples=_sorted_samples)
SCATTER_SORTED = defop("scatter_sorted", _scatter_sorted_primal, jvp=_scatter_rules[0],
                       vjp=_scatter_rules[1], kind="linear", samples=_scatter_sorted_samples)


def _topk_jvp(ts, ans, xs, axis, k, is_ascend):
    t, x = ts[0], xs[0]
    return apply(TAKE_SORTED, (t, x.detach()), (axis, k, is_ascend, _nb(t, x)))


def _topk_vjp(g, ans, xs, needs, axis, k, is_ascend):
    return (apply(SCATTER_SORTED, (g, xs[0].detach()), (axis, k, is_ascend, _nb(g, ans))),)


def _distinct(rng, shape):
    """Values with no ties (a sort has a kink where two values meet)."""
    return rng.permutation(int(np.prod(shape))).reshape(shape) * 0.37 - 1.3


TOPK = defop("topk", _topk_primal, jvp=_topk_jvp, vjp=_topk_vjp, kind="sorting",
             samples=lambda rng: [([_distinct(rng, (2, 5))], (1, 2, False)),
                                  ([_distinct(rng, (3, 2, 2))], (0, 2, True)),
                                  ([_distinct(rng, (4,))], (0, 4, False))])
SORT = defop("sort", lambda x, axis, is_ascend: _topk_primal(x, axis, x.shape[axis], is_ascend),
             jvp=lambda ts, ans, xs, axis, is_ascend: _topk_jvp(
                 ts, ans, xs, axis, xs[0].shape[axis], is_ascend),
             vjp=lambda g, ans, xs, needs, axis, is_ascend: _topk_vjp(
                 g, ans, xs, needs, axis, xs[0].shape[axis], is_ascend),
             kind="sorting", samples=lambda rng: [([_distinct(rng, (2, 4))], (1, True)),
                                                  ([_distinct(rng, (3, 2))], (0, False))])
ARGSORT = nondiff("argsort", lambda x, axis, is_ascend, dtype: _order(
    x, axis, is_ascend).astype(dtype), keep_dtype=False)
TOPK_INDICES = nondiff("topk_indices", lambda x, axis, k, is_ascend, dtype: _picked(
    x, axis, k, is_ascend).astype(dtype), keep_dtype=False)


def _topk_mask(x, axis, k, is_ascend):
    mask = np.zeros_like(x)
    np.put_along_axis(mask, _picked(x, axis, k, is_ascend), 1, axis)
    return mask


TOPK_MASK = nondiff("topk_mask", _topk_mask)


# ------------------------------------------------------------ arguments ---

def _flag(name, arg, value):
    """A bool from MXNet's boolean argument (a bool or 0/1)."""
    if isinstance(value, (bool, np.bool_)) or (
            isinstance(value, numbers.Integral) and value in (0, 1)):
        return bool(value)
    raise TypeError("%s: %s must be a bool (or 0/1), got %r" % (name, arg, value))


def _sort_axis(name, x, axis):
    """``x`` (flattened when ``axis`` is None) and the axis to sort along."""
    if axis is None:
        return view_as(x, (x.size,)), 0
    if not isinstance(axis, numbers.Integral) or isinstance(axis, (bool, np.bool_)):
        raise TypeError("%s: axis must be an int or None, got %r" % (name, axis))
    if x.ndim == 0:
        raise ValueError("%s: axis %d is out of range for a 0-d array; pass axis=None "
                         "to sort the flattened array" % (name, axis))
    return x, check_axes(name, axis, x.ndim)[0]


def _index_dtype(name, dtype, n):
    """``dtype`` for indices below ``n``: one of MXNet's, and able to hold
    them exactly (MXNet silently wraps or rounds them)."""
    d = check_dtype(name, dtype, INDEX_DTYPES)
    top = n - 1
    exact = np.iinfo(d).max if d.kind in "iu" else 2 ** (np.finfo(d).nmant + 1)
    if top > exact:
        raise ValueError("%s: dtype %s cannot hold index %d exactly (axis length %d); "
                         "use int32 or int64" % (name, d.name, top, n))
    return d


# ------------------------------------------------------------- the ops ---

def sort(data, axis=-1, is_ascend=True):
    """The values of ``data`` sorted along ``axis`` (the flattened array
    when ``axis`` is None), ascending unless ``is_ascend`` is false.

    Stable, NaN above every number (see the module's notes).  The
    derivative moves each cotangent back to the element sorted there (MXNet
    1.9.1 cannot differentiate a sort whose axis is left at its default).
    """
    x, ax = _sort_axis("sort", as_nd(data), axis)
    return apply(SORT, (x,), (ax, _flag("sort", "is_ascend", is_ascend)))


def argsort(data, axis=-1, is_ascend=True, dtype="float32"):
    """The indices that sort ``data`` along ``axis`` (the flattened array
    when ``axis`` is None), as values of ``dtype`` (float32 as MXNet; one of
    float16, float32, float64, int32, int64, uint8, which must hold every
    index exactly).  Stable: tied values keep their order.  Integer-valued:
    zero derivative."""
    x, ax = _sort_axis("argsort", as_nd(data), axis)
    d = _index_dtype("argsort", dtype, x.shape[ax])
    return apply(ARGSORT, (x,), (ax, _flag("argsort", "is_ascend", is_ascend), d))


def topk(data, axis=-1, k=1, ret_typ="indices", is_ascend=False, dtype="float32"):
    """The ``k`` largest (or, with ``is_ascend``, smallest) elements along
    ``axis``, in sorted order.

    Parameters
    ----------
    data : NDArray
    axis : int or None
        The axis to select along; None selects from the flattened array.
    k : int
        How many; ``k < 1`` selects every element (a full sort).
    ret_typ : {'indices', 'value', 'both', 'mask'}
        The indices (as values of ``dtype``), the values, the list
        ``[values, indices]``, or a 0/1 mask of ``data``'s shape and dtype
        marking the selected elements.
    is_ascend : bool
        Select the smallest elements, in ascending order.
    dtype : {'float32', 'float16', 'float64', 'int32', 'int64', 'uint8'}
        The indices' dtype (not the mask's); it must hold every index
        exactly.

    Ties are broken by position (the lower index first, as MXNet).  The
    values' derivative moves each cotangent back to the selected element;
    indices and mask have zero derivative.
    """
    x = as_nd(data)
    if ret_typ not in RET_TYPES:
        raise ValueError("topk: ret_typ must be one of %s, got %r"
                         % (", ".join(repr(r) for r in RET_TYPES), ret_typ))
    flat, ax = _sort_axis("topk", x, axis)
    if not isinstance(k, numbers.Integral) or isinstance(k, (bool, np.bool_)):
        raise TypeError("topk: k must be an int, got %r" % (k,))
    n = flat.shape[ax]
    if k > n:
        raise ValueError("topk: k=%d is larger than the %d elements along the axis of an "
                         "array of shape %s" % (k, n, x.shape))
    k = n if k < 1 else int(k)
    ascend = _flag("topk", "is_ascend", is_ascend)
    d = check_dtype("topk", dtype, INDEX_DTYPES)
    if ret_typ == "mask":
        mask = apply(TOPK_MASK, (flat,), (ax, k, ascend))
        return mask if axis is not None else view_as(mask, x.shape)
    if ret_typ != "value":
        d = _index_dtype("topk", d, n)
    values = apply(TOPK, (flat,), (ax, k, ascend)) if ret_typ != "indices" else None
    indices = apply(TOPK_INDICES, (flat,), (ax, k, ascend, d)) if ret_typ != "value" else None
    if ret_typ == "both":
        return [values, indices]
    return values if ret_typ == "value" else indices


# --------------------------------------------------------------- cumsum ---
#
# The axis is kept negative (counted from the end) so that the tangents'
# leading batch axes do not move it.

def _reverse_cumsum_primal(x, axis):
    return np.flip(np.cumsum(np.flip(x, axis), axis=axis), axis)


CUMSUM = defop("cumsum", lambda x, axis: np.cumsum(x, axis=axis),
               jvp=lambda ts, ans, xs, axis: apply(CUMSUM, (ts[0],), (axis,)),
               vjp=lambda g, ans, xs, needs, axis: (apply(REVERSE_CUMSUM, (g,), (axis,)),),
               kind="linear", samples=lambda rng: [
                   ([rng.standard_normal((2, 3))], (-1,)),
                   ([rng.standard_normal((3, 2, 2))], (-3,)),
                   ([rng.standard_normal((4,))], (-1,))])
REVERSE_CUMSUM = defop(
    "reverse_cumsum", _reverse_cumsum_primal,
    jvp=lambda ts, ans, xs, axis: apply(REVERSE_CUMSUM, (ts[0],), (axis,)),
    vjp=lambda g, ans, xs, needs, axis: (apply(CUMSUM, (g,), (axis,)),),
    kind="linear", samples=lambda rng: [([rng.standard_normal((2, 3))], (-1,)),
                                        ([rng.standard_normal((3, 2))], (-2,))])


def cumsum(a, axis=None, dtype=None):
    """Cumulative sum along ``axis`` (of the flattened array, shape
    ``(size,)``, when ``axis`` is None).

    Parameters
    ----------
    a : NDArray
    axis : int or None
        Negative axes count from the end (MXNet 1.9.1 rejects them, by a
        bug in a shape check).
    dtype : {None, 'float16', 'float32', 'float64', 'int32', 'int64', 'int8'}
        The result's dtype, in which the sum accumulates (``a``'s dtype by
        default).

    The derivative is the cumulative sum of the tangent; the cotangent is
    summed from each position to the end.
    """
    x = as_nd(a)
    if axis is None:
        x = view_as(x, (x.size,))
    elif x.ndim == 0:
        raise ValueError("cumsum: axis %r is out of range for a 0-d array; pass "
                         "axis=None" % (axis,))
    elif not isinstance(axis, numbers.Integral) or isinstance(axis, (bool, np.bool_)):
        raise TypeError("cumsum: axis must be an int or None, got %r" % (axis,))
    ax = 0 if axis is None else check_axes("cumsum", axis, x.ndim)[0]
    if dtype is not None:
        d = check_dtype("cumsum", dtype, OUT_DTYPES)
        x = astype(x, d, copy=False)
    return apply(CUMSUM, (x,), (ax - x.ndim,))


__all__ = ["argsort", "cumsum", "sort", "topk"]
METHODS = ("argsort", "sort", "topk")
