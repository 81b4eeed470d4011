"""Structural ops: reshape, broadcast, transpose, slicing, concatenation, casts.

They move values around: each one's JVP is the op itself applied to the
tangent (with its batch axes kept in front); its VJP is the transpose op."""
import numbers

import numpy as np

from .._engine import NDArray, apply, check_leave, wrap
from ..registry import defop, nondiff
from .convert import as_nd, norm_axis


def _nb(t, ref):
    """Number of leading batch axes of tangent/cotangent ``t`` over ``ref``."""
    return t.ndim - ref.ndim


def _free(shape):
    return (slice(None),) * len(shape)


# ---------------------------------------------------------------- copy ---

def _copy_jvp(ts, ans, xs):
    return ts[0]


def _copy_vjp(g, ans, xs, needs):
    return (g,)


COPY = defop("copy", np.copy, jvp=_copy_jvp, vjp=_copy_vjp, kind="linear",
             samples=lambda rng: [([rng.standard_normal((2, 3))], ())])


def copy(x):
    """A copy of ``x`` (differentiable)."""
    return apply(COPY, (x,))


IDENTITY = defop("identity", lambda x: x, jvp=_copy_jvp, vjp=_copy_vjp, kind="linear",
                 samples=lambda rng: [([rng.standard_normal((3,))], ())])


def identity(x):
    """``x`` under a fresh tape entry (no copy): lets a gradient be taken with
    respect to an array that is itself computed on the tape."""
    return apply(IDENTITY, (x,))


# ------------------------------------------------------------- reshape ---

def _reshape_jvp(ts, ans, xs, shape):
    t = ts[0]
    return _reshape(t, t.shape[:_nb(t, xs[0])] + shape)


def _reshape_vjp(g, ans, xs, needs, shape):
    return (_reshape(g, g.shape[:_nb(g, ans)] + xs[0].shape),)


RESHAPE = defop("reshape", lambda x, shape: x.reshape(shape), jvp=_reshape_jvp,
                vjp=_reshape_vjp, kind="linear",
                samples=lambda rng: [([rng.standard_normal((2, 3))], ((3, 2),)),
                                     ([rng.standard_normal((4,))], ((2, 1, 2),))])


def _reshape(x, shape):
    return x if x.shape == shape else apply(RESHAPE, (x,), (shape,))


def _reshape_units(codes):
    """MXNet's shape codes grouped into units: ``(-4, d1, d2)`` is one unit
    (split an input axis in two), every other code is a unit of its own."""
    units, i = [], 0
    while i < len(codes):
        c = codes[i]
        if c < -4:
            raise ValueError("reshape: %d in shape %s is not a dimension or one of MXNet's "
                             "codes 0, -1, -2, -3, -4" % (c, tuple(codes)))
        if c == -4:
            if i + 2 >= len(codes):
                raise ValueError("reshape: -4 in shape %s must be followed by the two "
                                 "dimensions it splits an axis into" % (tuple(codes),))
            units.append(tuple(codes[i:i + 3]))
            i += 3
        else:
            units.append((c,))
            i += 1
    return units


def _split_dims(d0, d1, d2, shape):
    """The two dimensions ``-4`` splits an axis of length ``d0`` into (one of
    them may be -1)."""
    if d1 == -1 and d2 == -1:
        raise ValueError("reshape: -4 in shape %s splits an axis into two dimensions "
                         "that are both -1" % (shape,))
    if d1 == -1 and d2 > 0 and d0 % d2 == 0:
        d1 = d0 // d2
    elif d2 == -1 and d1 > 0 and d0 % d1 == 0:
        d2 = d0 // d1
    if d1 < 0 or d2 < 0 or d1 * d2 != d0:
        raise ValueError("reshape: -4 in shape %s cannot split an axis of length %d into "
                         "(%d, %d)" % (shape, d0, d1, d2))
    return d1, d2


def resolve_shape(shape, old, reverse=False):
    """The shape MXNet's ``reshape`` codes describe for an array of shape
    ``old``.

    ``0`` copies the next input axis, ``-1`` infers one axis from the size,
    ``-2`` copies all remaining input axes, ``-3`` merges the next two input
    axes, ``-4, d1, d2`` splits the next input axis into ``d1 * d2`` (one of
    them may be -1); a positive dimension and ``-1`` also step over one input
    axis.  ``reverse=True`` matches the codes to the input axes from the
    right.  ``ValueError`` naming both shapes when a code has no input axis
    to read or the sizes differ.
    """
    if isinstance(shape, numbers.Integral):
        shape = (shape,)
    codes = tuple(shape)
    if not all(isinstance(c, numbers.Integral) and not isinstance(c, bool) for c in codes):
        raise TypeError("reshape: shape must be a tuple of integers, got %r" % (shape,))
    codes = tuple(int(c) for c in codes)
    units = _reshape_units(codes)
    src = list(old)
    if reverse:
        units.reverse()
        src.reverse()
    out, infer, k = [], None, 0
    for unit in units:
        c = unit[0]
        need = {0: 1, -3: 2, -4: 1}.get(c, 0)
        if need and k + need > len(src):
            raise ValueError("reshape: code %d in shape %s has no input axis left to read "
                             "in shape %s" % (c, codes, tuple(old)))
        if c == 0:
            out.append(src[k])
        elif c == -1:
            if infer is not None:
                raise ValueError("reshape: at most one -1 in shape %s" % (codes,))
            infer = len(out)
            out.append(1)
        elif c == -2:
            out.extend(src[k:])
            k = len(src)
        elif c == -3:
            out.append(src[k] * src[k + 1])
        elif c == -4:
            d1, d2 = _split_dims(src[k], unit[1], unit[2], codes)
            out.extend((d2, d1) if reverse else (d1, d2))
        else:
            out.append(c)
        k += {-2: 0, -3: 2}.get(c, 1)
    size = int(np.prod(old, dtype=np.int64))
    if infer is not None:
        rest = int(np.prod(out, dtype=np.int64))
        if rest == 0 or size % rest:
            raise ValueError("reshape: cannot infer the -1 in shape %s for an array of shape "
                             "%s (size %d)" % (codes, tuple(old), size))
        out[infer] = size // rest
    if reverse:
        out.reverse()
    if int(np.prod(out, dtype=np.int64)) != size:
        raise ValueError("reshape: cannot reshape an array of shape %s (size %d) into %s"
                         % (tuple(old), size, tuple(out)))
    return tuple(out)


def reshape(data, shape, reverse=False):
    """``data`` with a new shape of the same size, sharing its memory (as
    MXNet's ``NDArray.reshape``).

    Parameters
    ----------
    data : NDArray
    shape : int or tuple of int
        The new shape, with MXNet's codes: ``0`` copies an input axis, ``-1``
        infers one axis, ``-2`` copies the remaining input axes, ``-3`` merges
        two input axes, ``-4, d1, d2`` splits an input axis in two.
    reverse : bool
        Read the codes from the right (``(-1, 0)`` on shape ``(10, 5, 4)``
        gives ``(50, 4)`` instead of ``(40, 5)``).

    A size mismatch raises ``ValueError`` (MXNet 1.9.1's ``nd.reshape`` does
    not check it); ``-4`` works with ``reverse=True``, and a ``-1`` after
    ``-2``, ``-3`` or ``-4`` infers the right axis (MXNet 1.9.1 fails on both).
    The derivative is the same reshape of the tangent (reverse: back to
    ``data``'s shape).
    """
    x = as_nd(data)
    return view_as(x, resolve_shape(shape, x.shape, bool(reverse)))


Reshape = reshape


def view_as(x, shape):
    """``x`` with the literal ``shape`` (no codes: a 0 is an empty axis),
    sharing its memory and version counter."""
    r = apply(RESHAPE, (x,), (tuple(shape),))
    r._alias = x._alias if x._alias is not None else x
    return r


def reshape_method(x, shape, kwargs):
    """``NDArray.reshape(*shape, reverse=False)`` and ``reshape(shape=...)``."""
    reverse = kwargs.pop("reverse", False)
    if "shape" in kwargs:
        if shape:
            raise TypeError("reshape() got the shape both by position and as shape=")
        shape = kwargs.pop("shape")
    elif not shape:
        raise TypeError("reshape() needs a shape")
    elif len(shape) == 1 and not isinstance(shape[0], numbers.Integral):
        shape = shape[0]
    if kwargs:
        raise TypeError("reshape() got unexpected arguments %s; it accepts a shape and "
                        "reverse=" % sorted(kwargs))
    return reshape(x, shape, reverse)


def expand_dims(x, axis):
    """Insert an axis of length 1 at ``axis``."""
    x = as_nd(x)
    axis = norm_axis(axis, x.ndim + 1)
    return view_as(x, x.shape[:axis] + (1,) + x.shape[axis:])


def flatten(x):
    """Collapse every axis after the first (MXNet's ``flatten``): shape
    ``(d0, d1*d2*...)``; a 1-d array becomes ``(d0, 1)``, a 0-d one ``(1, 1)``."""
    x = as_nd(x)
    if x.ndim == 0:
        return view_as(x, (1, 1))
    return view_as(x, (x.shape[0], int(np.prod(x.shape[1:], dtype=np.int64))))


Flatten = flatten


def lift(t, core_ndim, ndim):
    """Insert length-1 axes after ``t``'s batch axes so that its core of
    ``core_ndim`` axes broadcasts against an ``ndim``-axis output."""
    if core_ndim >= ndim:
        return t
    nb = t.ndim - core_ndim
    return _reshape(t, t.shape[:nb] + (1,) * (ndim - core_ndim) + t.shape[nb:])


# ----------------------------------------------------------- broadcast ---

def _bcast_primal(x, shape, nb):
    core = x.shape[nb:]
    core = (1,) * (len(shape) - len(core)) + core
    return np.broadcast_to(x.reshape(x.shape[:nb] + core), x.shape[:nb] + shape)


def _bcast_jvp(ts, ans, xs, shape, nb):
    t = ts[0]
    return broadcast_to(t, shape, nb + _nb(t, xs[0]))


def _bcast_vjp(g, ans, xs, needs, shape, nb):
    return (sum_to(g, xs[0].shape[nb:], nb + _nb(g, ans)),)


def _sum_to_primal(x, shape, nb):
    if x.shape[nb:] == shape:
        return x
    lead = x.ndim - nb - len(shape)
    axes = tuple(range(nb, nb + lead)) + tuple(
        nb + lead + i for i, s in enumerate(shape) if s == 1 and x.shape[nb + lead + i] != 1)
    r = x.sum(axis=axes, keepdims=True) if axes else x
    return r.reshape(x.shape[:nb] + shape)


def _sum_to_jvp(ts, ans, xs, shape, nb):
    t = ts[0]
    return sum_to(t, shape, nb + _nb(t, xs[0]))


def _sum_to_vjp(g, ans, xs, needs, shape, nb):
    return (broadcast_to(g, xs[0].shape[nb:], nb + _nb(g, ans)),)


BROADCAST_TO = defop("broadcast_to", _bcast_primal, jvp=_bcast_jvp, vjp=_bcast_vjp,
                     kind="linear", samples=lambda rng: [
                         ([rng.standard_normal((3,))], ((2, 3), 0)),
                         ([rng.standard_normal((2, 1))], ((2, 4), 0))])
SUM_TO = defop("sum_to", _sum_to_primal, jvp=_sum_to_jvp, vjp=_sum_to_vjp,
               kind="linear", samples=lambda rng: [
                   ([rng.standard_normal((2, 3))], ((3,), 0)),
                   ([rng.standard_normal((2, 4))], ((2, 1), 0))])


def broadcast_to(x, shape, nb=0):
    """Broadcast the core of ``x`` (after ``nb`` batch axes) to ``shape``."""
    x = as_nd(x)
    shape = tuple(shape)
    if x.shape[nb:] == shape:
        return x
    try:
        np.broadcast_shapes(x.shape[nb:], shape)
    except ValueError:
        raise ValueError("cannot broadcast shape %s to %s" % (x.shape[nb:], shape)) from None
    if np.broadcast_shapes(x.shape[nb:], shape) != shape:
        raise ValueError("cannot broadcast shape %s to %s" % (x.shape[nb:], shape))
    return apply(BROADCAST_TO, (x,), (shape, nb))


def sum_to(x, shape, nb=0):
    """Sum the core of ``x`` (after ``nb`` batch axes) down to ``shape``: the
    transpose of ``broadcast_to``, used to give broadcast inputs their
    gradients."""
    shape = tuple(shape)
    if x.shape[nb:] == shape:
        return x
    return apply(SUM_TO, (x,), (shape, nb))


def fit(t, ans):
    """Broadcast a tangent (batch axes + core) to ``batch + ans.shape``."""
    nb = t.ndim - ans.ndim
    if nb >= 0 and t.shape[nb:] == ans.shape:
        return t
    return broadcast_to(t, ans.shape, max(nb, 0))


# ----------------------------------------------------------- transpose ---

def _transpose_jvp(ts, ans, xs, axes):
    t = ts[0]
    nb = _nb(t, xs[0])
    return apply(TRANSPOSE, (t,), (tuple(range(nb)) + tuple(a + nb for a in axes),))


def _transpose_vjp(g, ans, xs, needs, axes):
    nb = _nb(g, ans)
    inv = tuple(int(i) for i in np.argsort(axes))
    return (apply(TRANSPOSE, (g,), (tuple(range(nb)) + tuple(a + nb for a in inv),)),)


TRANSPOSE = defop("transpose", lambda x, axes: x.transpose(axes).copy(order="C"),
                  jvp=_transpose_jvp, vjp=_transpose_vjp, kind="linear",
                  samples=lambda rng: [([rng.standard_normal((2, 3))], ((1, 0),)),
                                       ([rng.standard_normal((2, 3, 4))], ((2, 0, 1),))])


def transpose(x, axes=None):
    """Permute axes (reverse them by default)."""
    x = as_nd(x)
    if axes is None or axes == ():
        axes = tuple(reversed(range(x.ndim)))
    else:
        axes = tuple(int(a) % x.ndim if -x.ndim <= a < x.ndim else a for a in axes)
        if sorted(axes) != list(range(x.ndim)):
            raise ValueError("transpose: axes %s are not a permutation of %d axes"
                             % (axes, x.ndim))
    return apply(TRANSPOSE, (x,), (axes,))


def swap_last(x):
    """Swap the last two axes (the matrix transpose of a stack of matrices)."""
    n = x.ndim
    return apply(TRANSPOSE, (x,), (tuple(range(n - 2)) + (n - 1, n - 2),))


# -------------------------------------------------------------- indexing ---
#
# Basic indexing (integers, slices, ``...``, ``None``) goes through GETITEM,
# whose value is a view of the input when numpy's is C-contiguous (``X[0]``,
# ``X[1:3]``): writes to it reach the input, as in MXNet and numpy, and bump
# the input's version.  A strided slice (``X[:, 0]``) is a copy marked as such,
# and writing to it raises rather than silently missing the input.  Advanced
# indexing (integer lists and arrays, boolean masks) is GATHER by flat index,
# whose transpose SCATTER_ADD sums the cotangents of repeated indices.

def _index_shape(shape, key):
    return np.lib.stride_tricks.as_strided(np.zeros(1), shape, (0,) * len(shape))[key].shape


def _getitem_primal(x, key, one):
    r = x[key + (Ellipsis,)]            # a 0-d view, never a numpy scalar
    return r.reshape(1) if one else r


def _getitem_jvp(ts, ans, xs, key, one):
    t = ts[0]
    nb = _nb(t, xs[0])
    r = apply(GETITEM, (t,), ((slice(None),) * nb + key, False))
    return _reshape(r, t.shape[:nb] + ans.shape)


def _getitem_vjp(g, ans, xs, needs, key, one):
    return (scatter(g, xs[0].shape, key, _nb(g, ans)),)


def _scatter_primal(g, shape, key, nb):
    out = np.zeros(g.shape[:nb] + shape, g.dtype)
    window = out[(slice(None),) * nb + key + (Ellipsis,)]
    window[...] = g.reshape(window.shape)
    return out


def _scatter_jvp(ts, ans, xs, shape, key, nb):
    t = ts[0]
    return scatter(t, shape, key, nb + _nb(t, xs[0]))


def _scatter_vjp(g, ans, xs, needs, shape, key, nb):
    mb = _nb(g, ans)
    r = apply(GETITEM, (g,), ((slice(None),) * (nb + mb) + key, False))
    return (_reshape(r, g.shape[:mb] + xs[0].shape),)


GETITEM = defop("getitem", _getitem_primal, jvp=_getitem_jvp, vjp=_getitem_vjp,
                kind="linear", samples=lambda rng: [
                    ([rng.standard_normal((4,))], ((slice(1, 3),), False)),
                    ([rng.standard_normal((3, 4))], ((1, slice(None, None, 2)), False)),
                    ([rng.standard_normal((3, 4))], ((2, 1), True)),
                    ([rng.standard_normal((3, 4))], ((None, slice(0, 2), None), False))])
SCATTER = defop("scatter", _scatter_primal, jvp=_scatter_jvp, vjp=_scatter_vjp,
                kind="linear", samples=lambda rng: [
                    ([rng.standard_normal((2,))], ((4,), (slice(1, 3),), 0)),
                    ([rng.standard_normal(())], ((3, 4), (2, 1), 0))])


def scatter(g, shape, key, nb=0):
    """Zeros of ``shape`` with ``g`` written at basic index ``key`` (the
    transpose of GETITEM)."""
    return apply(SCATTER, (g,), (tuple(shape), key, nb))


def _gather_primal(x, idx, nb):
    size = int(np.prod(x.shape[nb:], dtype=np.int64))    # not -1: the batch may be empty
    return x.reshape(x.shape[:nb] + (size,))[..., idx]


def _gather_jvp(ts, ans, xs, idx, nb):
    t = ts[0]
    return apply(GATHER, (t,), (idx, nb + _nb(t, xs[0])))


def _gather_vjp(g, ans, xs, needs, idx, nb):
    return (apply(SCATTER_ADD, (g,), (idx, xs[0].shape[nb:], nb + _nb(g, ans))),)


def _scatter_add_primal(g, idx, shape, nb):
    """Zeros of ``batch + shape`` plus ``g`` at flat indices ``idx``, summed
    where indices repeat (one ``bincount`` over all batch rows)."""
    batch = g.shape[:nb]
    size = int(np.prod(shape))
    rows = int(np.prod(batch))
    flat = idx.reshape(-1)
    if rows != 1:
        flat = (np.arange(rows)[:, None] * size + flat[None, :]).reshape(-1)
    out = np.bincount(flat, weights=g.reshape(-1), minlength=rows * size)
    return out.astype(g.dtype, copy=False).reshape(batch + tuple(shape))


def _scatter_add_jvp(ts, ans, xs, idx, shape, nb):
    t = ts[0]
    return apply(SCATTER_ADD, (t,), (idx, shape, nb + _nb(t, xs[0])))


def _scatter_add_vjp(g, ans, xs, needs, idx, shape, nb):
    return (apply(GATHER, (g,), (idx, nb + _nb(g, ans))),)


GATHER = defop("gather", _gather_primal, jvp=_gather_jvp, vjp=_gather_vjp, kind="linear",
               samples=lambda rng: [
                   ([rng.standard_normal((3, 4))], (np.array([[0, 5], [5, 11]]), 0)),
                   ([rng.standard_normal((4,))], (np.array([3, 0, 3]), 0))])
SCATTER_ADD = defop("scatter_add", _scatter_add_primal, jvp=_scatter_add_jvp,
                    vjp=_scatter_add_vjp, kind="linear", samples=lambda rng: [
                        ([rng.standard_normal((2, 2))], (np.array([[0, 5], [5, 11]]),
                                                         (3, 4), 0))])


def _is_basic(k):
    return k is None or k is Ellipsis or isinstance(k, slice) or (
        isinstance(k, (numbers.Integral, np.integer)) and not isinstance(k, (bool, np.bool_)))


def _index_array(k):
    """An advanced index as a numpy integer or boolean array.  NDArray indices
    may be float, as in MXNet, but must hold whole numbers."""
    a = k._data if isinstance(k, NDArray) else np.asarray(k)
    if a.dtype.kind in "biu":
        return a
    if a.dtype.kind == "f" and a.size == np.count_nonzero(a == np.trunc(a)):
        return a.astype(np.int64)
    raise IndexError("indices must be integers or booleans, got values of dtype %s%s"
                     % (a.dtype, "" if a.dtype.kind != "f" else " that are not whole numbers"))


def normalize_key(key, shape):
    """``key`` as a tuple (NDArray and list indices as numpy arrays) and whether
    it is basic (ints, slices, ``...``, ``None`` only).  ``IndexError`` naming
    the index and the shape when an integer is out of range."""
    if not isinstance(key, tuple):
        key = (key,)
    if all(_is_basic(k) for k in key):
        return _basic_key(key, shape), True
    return tuple(k if _is_basic(k) else _index_array(k) for k in key), False


def _basic_key(key, shape):
    n_axes = sum(1 for k in key if k is not None and k is not Ellipsis)
    if sum(1 for k in key if k is Ellipsis) > 1:
        raise IndexError("an index can only have a single ellipsis ('...')")
    if n_axes > len(shape):
        raise IndexError("too many indices (%d) for an array of shape %s" % (n_axes, shape))
    if Ellipsis in key:
        i = key.index(Ellipsis)
        key = key[:i] + (slice(None),) * (len(shape) - n_axes) + key[i + 1:]
    out, axis = [], 0
    for k in key:
        if k is None:
            out.append(None)
            continue
        if not isinstance(k, slice):
            if not -shape[axis] <= k < shape[axis]:
                raise IndexError("index %d is out of range for axis %d of an array of "
                                 "shape %s" % (k, axis, shape))
            k = int(k) % shape[axis]
        out.append(k)
        axis += 1
    return tuple(out)


def flat_index(shape, key):
    """The flat (C-order) positions in an array of ``shape`` that ``x[key]``
    reads, shaped as the result: one gather per axis over zero-stride
    coordinate arrays, so memory follows the result, not the array."""
    flat = None
    stride = 1
    for axis in reversed(range(len(shape))):
        coord = np.lib.stride_tricks.as_strided(
            np.arange(shape[axis], dtype=np.int64), shape,
            tuple(8 if a == axis else 0 for a in range(len(shape))))[key]
        flat = coord * stride if flat is None else flat + coord * stride
        stride *= shape[axis]
    if flat is None:                        # a 0-d array
        flat = np.zeros(_index_shape(shape, key), np.int64)
    return np.ascontiguousarray(flat)


def getitem(x, key):
    """``x[key]``, differentiable.  Basic indexing gives a view when it can
    (see above); integer lists and arrays and boolean masks gather a copy.
    An integer index down to one element gives shape ``(1,)``, as in MXNet."""
    shape = x.shape
    key, basic = normalize_key(key, shape)
    if not basic:
        return apply(GATHER, (x,), (flat_index(shape, key), 0))
    one = len(shape) > 0 and _index_shape(shape, key) == () and any(
        k is not None and not isinstance(k, slice) for k in key)
    return _basic_slice(x, key, one)


def _basic_slice(x, key, one=False):
    """GETITEM with the view bookkeeping: a view shares ``x``'s version
    counter; a copy is marked so that writing to it raises."""
    r = apply(GETITEM, (x,), (key, one))
    if np.may_share_memory(r._buf, x._buf):      # memory layout, not values
        r._alias = x._alias if x._alias is not None else x
    else:
        r._copy_of = ("a strided slice of an array of shape %s (basic indexing gives a view "
                      "only when the result is contiguous, as X[0] or X[1:3])" % (x.shape,))
    return r


def setitem(x, key, value):
    """``x[key] = value`` on the buffer (the caller checks that ``x`` may be
    written).  A value that is being differentiated is refused: the write is
    not recorded."""
    if isinstance(value, NDArray):
        check_leave(value, "writing it into another array in place (x[key] = value)")
        data = value._data
    else:
        data = np.asarray(value)
    key, _ = normalize_key(key, x.shape)
    try:
        x._data[key] = data
    except ValueError as e:
        raise ValueError("cannot assign a value of shape %s to an index of an array of "
                         "shape %s: %s" % (np.shape(data), x.shape, e)) from None


# --------------------------------------------------------------- concat ---

def _concat_primal(*args):
    return np.concatenate(args[:-1], axis=args[-1])


def _concat_jvp(ts, ans, xs, axis):
    nb = next(_nb(t, x) for t, x in zip(ts, xs) if t is not None)
    full = []
    for t, x in zip(ts, xs):
        if t is None:
            some = next(t for t in ts if t is not None)
            t = wrap(np.zeros(some.shape[:nb] + x.shape, x._data.dtype))
        full.append(t)
    return apply(CONCAT, tuple(full), (axis + nb,))


def _concat_vjp(g, ans, xs, needs, axis):
    nb = _nb(g, ans)
    out, lo = [], 0
    for x, need in zip(xs, needs):
        hi = lo + x.shape[axis]
        out.append(apply(GETITEM, (g,), ((slice(None),) * (nb + axis) + (slice(lo, hi),),
                                         False)) if need else None)
        lo = hi
    return tuple(out)


CONCAT = defop("concat", _concat_primal, jvp=_concat_jvp, vjp=_concat_vjp, kind="linear",
               samples=lambda rng: [
                   ([rng.standard_normal((2, 3)), rng.standard_normal((2, 1))], (1,)),
                   ([rng.standard_normal((1, 2)), rng.standard_normal((2, 2)),
                     rng.standard_normal((3, 2))], (0,))])


def concat(*data, dim=1):
    """Join arrays along axis ``dim`` (MXNet's default is 1)."""
    if not data:
        raise ValueError("concat needs at least one array")
    first = as_nd(data[0])
    arrays = [first] + [as_nd(d, first) for d in data[1:]]
    axis = norm_axis(dim, first.ndim)
    for a in arrays[1:]:
        if a.dtype != first.dtype:
            raise TypeError("concat: dtypes %s and %s differ" % (
                np.dtype(first.dtype), np.dtype(a.dtype)))
        if a.ndim != first.ndim or any(
                s != t for i, (s, t) in enumerate(zip(a.shape, first.shape)) if i != axis):
            raise ValueError("concat along axis %d: shapes %s and %s do not match"
                             % (axis, first.shape, a.shape))
    return apply(CONCAT, tuple(arrays), (axis,))


Concat = concat


def concatenate(arrays, axis=0, always_copy=True):
    """Join a list of arrays along ``axis`` (MXNet's deprecated form of
    ``concat``, default axis 0); with ``always_copy=False`` a list of one
    array returns that array."""
    if not isinstance(arrays, (list, tuple)) or not arrays:
        raise ValueError("concatenate: arrays must be a non-empty list of arrays")
    if not always_copy and len(arrays) == 1:
        return as_nd(arrays[0])
    return concat(*arrays, dim=axis)


def stack(*data, axis=0):
    """Join arrays of one shape along a new axis."""
    if not data:
        raise ValueError("stack needs at least one array")
    first = as_nd(data[0])
    arrays = [first] + [as_nd(d, first) for d in data[1:]]
    for a in arrays[1:]:
        if a.shape != first.shape:
            raise ValueError("stack: shapes %s and %s differ" % (first.shape, a.shape))
    axis = norm_axis(axis, first.ndim + 1)
    return concat(*[expand_dims(a, axis) for a in arrays], dim=axis)


def split(x, num_outputs, axis=1, squeeze_axis=False):
    """Split ``x`` into ``num_outputs`` equal parts along ``axis`` (a list, or
    one array when ``num_outputs`` is 1, as in MXNet).  ``squeeze_axis=True``
    drops the axis from each part; the parts must then have length 1 on it."""
    x = as_nd(x)
    axis = norm_axis(axis, x.ndim)
    n = x.shape[axis]
    if isinstance(num_outputs, bool) or not isinstance(num_outputs, numbers.Integral) \
            or num_outputs < 1 or n % num_outputs:
        raise ValueError("split: axis %d of shape %s does not divide into num_outputs=%r "
                         "parts" % (axis, x.shape, num_outputs))
    step = n // num_outputs
    return split_at(x, axis, [i * step for i in range(num_outputs + 1)], squeeze_axis,
                    "split")


def split_at(x, axis, bounds, squeeze_axis, name):
    """The parts ``x[bounds[i]:bounds[i + 1]]`` along ``axis`` (views where
    contiguous), without that axis when ``squeeze_axis``: a list, or the one
    part."""
    parts = []
    for lo, hi in zip(bounds[:-1], bounds[1:]):
        part = _basic_slice(x, (slice(None),) * axis + (slice(lo, hi),))
        if squeeze_axis:
            if hi - lo != 1:
                raise ValueError("%s: squeeze_axis=True needs parts of length 1 along axis "
                                 "%d, got a part of length %d" % (name, axis, hi - lo))
            part = view_as(part, x.shape[:axis] + x.shape[axis + 1:])
        parts.append(part)
    return parts[0] if len(parts) == 1 else parts


# -------------------------------------------------------------- astype ---

def _astype_jvp(ts, ans, xs, dtype):
    return astype(ts[0], dtype)


def _astype_vjp(g, ans, xs, needs, dtype):
    return (astype(g, xs[0]._data.dtype),)


ASTYPE = defop("astype", lambda x, dtype: x.astype(dtype), jvp=_astype_jvp,
               vjp=_astype_vjp, kind="linear", keep_dtype=False,
               samples=lambda rng: [([rng.standard_normal((3,))], (np.dtype(np.float64),))])
ASTYPE_NONFLOAT = nondiff("astype_nonfloat", lambda x, dtype: x.astype(dtype),
                          keep_dtype=False)


def astype(x, dtype, copy=True):
    """``x`` converted to ``dtype``: differentiable between float types; a
    conversion to an integer or bool dtype has zero derivative (the values
    become whole numbers), so its result is not on the tape."""
    dtype = np.dtype(dtype)
    if dtype.kind not in "biuf" or dtype.itemsize > 8:
        raise TypeError("astype: NDArray holds bool, integer or float16/32/64 values, "
                        "not %s" % (dtype,))
    if not copy and x._data.dtype == dtype:
        return x
    return apply(ASTYPE if dtype.kind == "f" else ASTYPE_NONFLOAT, (x,), (dtype,))


#: The dtypes MXNet's ``cast`` accepts (its ``bfloat16`` aside).
CAST_DTYPES = ("bool", "float16", "float32", "float64", "int8", "int32", "int64", "uint8")


def cast(data, dtype):
    """``data`` converted to ``dtype``, one of MXNet's: bool, float16,
    float32, float64, int8, int32, int64, uint8.

    Differentiable between float types (the tangent is cast the same way);
    a conversion to an integer or bool dtype has zero derivative (MXNet
    passes the gradient through it unchanged) and is not recorded.
    """
    try:
        dt = np.dtype(dtype)
    except TypeError:
        dt = None
    if dt is None or dt.name not in CAST_DTYPES:
        raise TypeError("cast: dtype=%r is not one of %s" % (dtype, ", ".join(CAST_DTYPES)))
    return astype(as_nd(data), dt)


Cast = cast


def copyto(x, other):
    """Copy ``x``'s values into NDArray ``other`` (in place) and return it."""
    if not isinstance(other, NDArray):
        return copy(x)
    if other.shape != x.shape:
        raise ValueError("copyto: shapes %s and %s differ" % (x.shape, other.shape))
    other._check_inplace()
    check_leave(x, "copying it into another array (x.copyto(other))")
    np.copyto(other._data, x._data, casting="unsafe")
    other._bump()
    return other


def zeros_like(x):
    """Zeros of ``x``'s shape and dtype (a constant)."""
    return wrap(np.zeros_like(x._data))


def ones_like(x):
    """Ones of ``x``'s shape and dtype (a constant)."""
    return wrap(np.ones_like(x._data))


__all__ = ["cast", "Cast", "concat", "Concat", "concatenate", "expand_dims",
           "flatten", "Flatten", "identity", "ones_like", "reshape", "Reshape", "split", "stack",
           "transpose", "zeros_like"]
