"""numpy's shape, joining, splitting, rearranging, sorting and indexing
functions on dualtape arrays.

Every function that moves values is built from registered linear ops
(``RESHAPE`` views, ``TRANSPOSE``, ``FLIP``, ``TILE``, ``REPEAT``, ``PAD``,
``CONCAT``, ``BROADCAST_TO``, ``GETITEM``, ``GATHER`` by flat index, ``SORT``,
``WHERE``), so its derivative, in both modes and to any order, is the same
rearrangement of the tangent and its transpose for the cotangent.  Where no
dedicated op exists (``roll``, ``take``, ``take_along_axis``, ``repeat`` with
per-element counts, ``unique``) the positions to gather are found by running
numpy's own function on the array of flat positions, which gives numpy's
semantics and numpy's errors exactly.  Index-valued results (``argsort``,
``searchsorted``, ``nonzero``, ``unique``'s indices and counts) have no
derivative: they are constant arrays, never recorded.

Memory: ``reshape``, ``ravel``, ``squeeze``, ``expand_dims`` and the
``atleast_*`` functions return views that share the input's memory and
version counter, as numpy's do; contiguous basic slices (``x[1:3]``, and the
parts ``split`` returns along axis 0), and ``transpose``, ``moveaxis`` and
``swapaxes`` that keep the order of the axes (``x.T`` of a 1-d array), are
views too.  Every other result is a new array.  Where numpy's would be a
view (a strided basic slice, ``transpose``, ``moveaxis``, ``swapaxes``,
``flip``), the copy refuses writes, which would silently miss the input
(see ``docs/design.md``); ``broadcast_to``'s, read-only in numpy, may be
written.
"""
import numbers
import operator

import numpy as np

from .._engine import NDArray, apply, check_leave, wrap_np
from ..ops import elementwise as E
from ..ops import shape as SH
from ..ops import sorting as SO
from ..ops import structural as S
from . import _ufuncs
from ._core import asarray, common_dtype, like_inputs

try:
    from numpy.lib.array_utils import normalize_axis_index, normalize_axis_tuple
except ImportError:                                         # numpy < 2
    from numpy.core.multiarray import normalize_axis_index
    from numpy.core.numeric import normalize_axis_tuple

__all__ = ["reshape", "transpose", "ravel", "ndim", "shape", "size", "moveaxis", "swapaxes",
           "squeeze", "expand_dims", "atleast_1d", "atleast_2d", "atleast_3d", "concatenate",
           "stack", "hstack", "vstack", "dstack", "column_stack", "split", "array_split",
           "tile", "repeat", "flip", "fliplr", "flipud", "roll", "rot90", "pad",
           "broadcast_to", "broadcast_arrays", "take", "take_along_axis", "select", "sort",
           "argsort", "searchsorted", "nonzero", "argwhere", "flatnonzero", "unique", "copy",
           "diff", "fill", "matrix_transpose"]

_AxisError = np.exceptions.AxisError


# ------------------------------------------------------------- helpers ---

def _leaves(inputs):
    for a in inputs:
        if isinstance(a, (list, tuple)):
            yield from _leaves(a)
        else:
            yield a


def _out(result, inputs):
    """``result`` in the flavour of ``inputs``: MXNet-flavoured when they
    hold MXNet-flavoured arrays and no numpy-flavoured one; numpy-flavoured
    otherwise (also when no input is a dualtape array)."""
    leaves = list(_leaves(inputs))
    if any(isinstance(a, NDArray) for a in leaves):
        return like_inputs(result, leaves)
    return result


def _axis(name, axis, ndim, arg=None):
    """One axis as ``normalize_axis_index`` reads it, errors naming ``name``."""
    try:
        return normalize_axis_index(operator.index(axis), ndim)
    except _AxisError as e:
        raise _AxisError("%s: %s%s" % (name, "" if arg is None else arg + ": ", e)) from None


def _axes(name, axis, ndim, arg=None):
    """Axes in the order given (``normalize_axis_tuple``): ``AxisError`` out
    of range, ``ValueError`` for a repeated axis, both naming ``name``."""
    try:
        return normalize_axis_tuple(axis, ndim, arg)
    except _AxisError as e:
        raise _AxisError("%s: %s" % (name, e)) from None
    except ValueError as e:
        raise ValueError("%s: %s" % (name, e)) from None


def _positions(x):
    """The flat (C-order) position of every element of ``x``, shaped as ``x``."""
    return np.arange(x.size, dtype=np.int64).reshape(x.shape)


def _gather(x, positions):
    """The elements of ``x`` at flat ``positions`` (shaped as the result):
    GATHER, whose transpose sums the cotangents of repeated positions."""
    return apply(S.GATHER, (x,), (np.asarray(positions, dtype=np.int64, order="C"), 0))


def _index_data(a):
    """An index argument as numpy reads it: a dualtape array's values (index
    arrays carry no derivative), anything else as it is."""
    return a._data if isinstance(a, NDArray) else a


def _no_out(name, out):
    if out is not None:
        raise TypeError("%s: out= is not supported (dualtape returns new arrays)" % name)


def _sequence(name, arrays):
    if not hasattr(arrays, "__getitem__"):
        raise TypeError('%s: arrays to stack must be passed as a "sequence" type such as '
                        'list or tuple.' % name)
    return arrays


# --------------------------------------------------------------- queries ---

def ndim(a):
    """numpy.ndim: the number of axes."""
    return a.ndim if isinstance(a, NDArray) else np.ndim(a)


def shape(a):
    """numpy.shape."""
    return a.shape if isinstance(a, NDArray) else np.shape(a)


def size(a, axis=None):
    """numpy.size (of one axis when ``axis`` is given)."""
    if not isinstance(a, NDArray):
        return np.size(a, axis)
    return a.size if axis is None else a.shape[axis]


# --------------------------------------------------------------- reshape ---

def _literal_shape(name, newshape, size):
    """numpy's ``newshape``: ints, one of them -1 (inferred); a clear
    ValueError naming both shapes when sizes differ."""
    shape = (newshape,) if isinstance(newshape, numbers.Integral) else tuple(newshape)
    shape = [operator.index(s) for s in shape]
    if shape.count(-1) > 1 or any(s < -1 for s in shape):
        raise ValueError("%s: can only specify one unknown dimension (-1), got %s"
                         % (name, tuple(shape)))
    if -1 in shape:
        rest = int(np.prod([s for s in shape if s != -1]))
        if rest == 0 or size % rest:
            raise ValueError("%s: cannot reshape array of size %d into shape %s"
                             % (name, size, tuple(shape)))
        shape[shape.index(-1)] = size // rest
    if int(np.prod(shape)) != size:
        raise ValueError("%s: cannot reshape array of size %d into shape %s"
                         % (name, size, tuple(shape)))
    return tuple(shape)


def _order(name, order):
    if order not in ("C", "F", "A", "K"):
        raise ValueError("%s: order must be one of 'C', 'F', 'A', or 'K' (got %r)"
                         % (name, order))
    return "F" if order == "F" else "C"     # dualtape arrays are C-contiguous


def _in_line(shape):
    """Whether C and Fortran order read an array of ``shape`` alike (at most
    one axis longer than 1)."""
    return sum(n != 1 for n in shape) <= 1


def reshape(a, /, shape=None, order="C", *, newshape=None, copy=None):
    """numpy.reshape.

    In C order (also ``'A'``) the result is a view sharing ``a``'s memory
    and tape entry (``copy=True`` copies); ``order='F'`` reads and writes the
    elements in Fortran order and gives a new array (a view when ``a`` and
    the result each have at most one axis longer than 1).  The derivative is
    the same reshape of the tangent.
    """
    if shape is None:
        shape = newshape
    if shape is None:
        raise TypeError("reshape() missing required argument 'shape'")
    x = asarray(a)
    shape = _literal_shape("reshape", shape, x.size)
    if order == "K":
        raise ValueError("reshape: order 'K' is not permitted for reshaping")
    if _order("reshape", order) == "F" and not (_in_line(x.shape) and _in_line(shape)):
        if copy is False:
            raise ValueError("reshape: Unable to avoid creating a copy while reshaping "
                             "(order='F' of a C-ordered array)")
        r = S.transpose(S.view_as(S.transpose(x), shape[::-1]))
    else:
        r = S.view_as(x, shape)
        if copy:
            r = S.copy(r)
    return _out(r, (a,))


def reshape_method(x, shape, kwargs):
    """``ndarray.reshape(*shape)`` and ``reshape(shape)`` as numpy's method."""
    order = kwargs.pop("order", "C")
    copy = kwargs.pop("copy", None)
    if kwargs:
        raise TypeError("reshape() got unexpected arguments %s" % sorted(kwargs))
    if len(shape) == 1 and not isinstance(shape[0], numbers.Integral):
        shape = shape[0]
    return reshape(x, shape, order, copy=copy)


def ravel(a, order="C"):
    """numpy.ravel: the flattened array, a view of ``a`` in C order (also
    ``'A'``, ``'K'``), a new array for ``order='F'``.  The derivative is the
    tangent flattened the same way."""
    return reshape(a, (-1,), "F" if _order("ravel", order) == "F" else "C")


def flatten(x, order="C"):
    """``ndarray.flatten``: a flattened copy (differentiable)."""
    x = asarray(x)
    return S.copy(reshape(x, (-1,))) if _order("flatten", order) == "C" else ravel(x, "F")


def astype(x, dtype, copy=True):
    """``ndarray.astype``: differentiable between float dtypes."""
    return S.astype(x, dtype, copy)


def squeeze(a, axis=None):
    """numpy.squeeze: without the axes of length 1 (those in ``axis``, which
    must have length 1, or all of them); a view.  The derivative is
    reshaped the same way."""
    x = asarray(a)
    if axis is None:
        axes = tuple(i for i, n in enumerate(x.shape) if n == 1)
    else:
        axes = _axes("squeeze", axis, x.ndim)
        if any(x.shape[i] != 1 for i in axes):
            raise ValueError("squeeze: cannot select an axis to squeeze out which has size "
                             "not equal to one (shape %s, axis %r)" % (x.shape, axis))
    return _out(S.view_as(x, tuple(n for i, n in enumerate(x.shape) if i not in axes)), (a,))


def expand_dims(a, axis):
    """numpy.expand_dims: with axes of length 1 inserted at the positions
    ``axis`` (an int or a tuple) of the result; a view.  The derivative is
    reshaped the same way."""
    x = asarray(a)
    axis = axis if isinstance(axis, (tuple, list)) else (axis,)
    n = x.ndim + len(axis)
    axes = _axes("expand_dims", axis, n)
    rest = iter(x.shape)
    return _out(S.view_as(x, tuple(1 if i in axes else next(rest) for i in range(n))), (a,))


def _atleast(arys, shape_for):
    out = []
    for a in arys:
        x = asarray(a)
        new = shape_for(x.shape)
        out.append(_out(x if new == x.shape else S.view_as(x, new), (a,)))
    return out[0] if len(out) == 1 else tuple(out)


def atleast_1d(*arys):
    """numpy.atleast_1d: 0-d arrays as shape ``(1,)`` (views, differentiable
    as reshapes); one array, or a tuple of them."""
    return _atleast(arys, lambda s: s or (1,))


def atleast_2d(*arys):
    """numpy.atleast_2d: ``()`` becomes ``(1, 1)``, ``(N,)`` becomes
    ``(1, N)`` (views)."""
    return _atleast(arys, lambda s: (1,) * (2 - len(s)) + s if len(s) < 2 else s)


def atleast_3d(*arys):
    """numpy.atleast_3d: ``()`` becomes ``(1, 1, 1)``, ``(N,)`` becomes
    ``(1, N, 1)``, ``(M, N)`` becomes ``(M, N, 1)`` (views)."""
    return _atleast(arys, lambda s: {0: (1, 1, 1), 1: (1,) + s + (1,), 2: s + (1,)}.get(
        len(s), s))


# ------------------------------------------------------------ transposes ---

def transpose(a, axes=None):
    """numpy.transpose (all axes reversed by default): a new array where
    numpy's is a strided view (writing to it raises rather than miss ``a``),
    a view where the order is unchanged (1-d).  The derivative is the tangent
    transposed the same way."""
    x = asarray(a)
    if axes is not None:
        axes = tuple(axes)
        if len(axes) != x.ndim:
            raise ValueError("transpose: axes don't match array (%d axes %r for shape %s)"
                             % (len(axes), axes, x.shape))
        axes = _axes("transpose", axes, x.ndim)
    if (tuple(range(x.ndim))[::-1] if axes is None else axes) == tuple(range(x.ndim)):
        return _out(S.view_as(x, x.shape), (a,))        # numpy's view of the same order
    return _out(_not_a_view(S.transpose(x, axes), x, "a transpose"), (a,))


def _not_a_view(r, x, what):
    """Mark ``r``, a copy of ``x`` where numpy returns a view, so that writing
    to it raises instead of silently missing ``x``."""
    if not np.may_share_memory(r._buf, x._buf):
        r._copy_of = "%s of an array of shape %s" % (what, x.shape)
    return r


def _permuted(x, order):
    return x if order == tuple(range(x.ndim)) else apply(S.TRANSPOSE, (x,), (order,))


def moveaxis(a, source, destination):
    """numpy.moveaxis: axes ``source`` moved to positions ``destination``,
    the others in their order; a new array, not a view.  The derivative
    moves the tangent's axes the same way."""
    x = asarray(a)
    src = _axes("moveaxis", source, x.ndim, "source")
    dst = _axes("moveaxis", destination, x.ndim, "destination")
    if len(src) != len(dst):
        raise ValueError("moveaxis: `source` and `destination` arguments must have the same "
                         "number of elements")
    order = [i for i in range(x.ndim) if i not in src]
    for d, s in sorted(zip(dst, src)):
        order.insert(d, s)
    if order == list(range(x.ndim)):
        return _out(S.view_as(x, x.shape), (a,))
    return _out(_not_a_view(_permuted(x, tuple(order)), x, "a moveaxis"), (a,))


def swapaxes(a, axis1, axis2):
    """numpy.swapaxes: a new array, not a view.  The derivative swaps the
    tangent's axes."""
    x = asarray(a)
    i, j = _axis("swapaxes", axis1, x.ndim, "axis1"), _axis("swapaxes", axis2, x.ndim, "axis2")
    order = list(range(x.ndim))
    order[i], order[j] = j, i
    if i == j:
        return _out(S.view_as(x, x.shape), (a,))
    return _out(_not_a_view(apply(S.TRANSPOSE, (x,), (tuple(order),)), x, "a swapaxes"), (a,))


# ------------------------------------------------------------ joining ---

def concatenate(arrays, /, axis=0, out=None, *, dtype=None, casting="same_kind"):
    """numpy.concatenate: ``axis=None`` joins the flattened arrays; the
    result dtype is numpy's (or ``dtype``, reached by ``casting``).  Each
    input's derivative is its slice of the result's."""
    _no_out("concatenate", out)
    xs = [asarray(x) for x in arrays]
    if not xs:
        raise ValueError("concatenate: need at least one array to concatenate")
    if axis is None:
        xs, axis = [S.view_as(x, (x.size,)) for x in xs], 0
    if any(x.ndim == 0 for x in xs):
        raise ValueError("concatenate: zero-dimensional arrays cannot be concatenated")
    first = xs[0]
    axis = _axis("concatenate", axis, first.ndim)
    for i, x in enumerate(xs[1:], 1):
        if x.ndim != first.ndim:
            raise ValueError("concatenate: all the input arrays must have same number of "
                             "dimensions, but the array at index 0 has %d dimension(s) and "
                             "the array at index %d has %d dimension(s)"
                             % (first.ndim, i, x.ndim))
        for d, (m, n) in enumerate(zip(first.shape, x.shape)):
            if d != axis and m != n:
                raise ValueError("concatenate: all the input array dimensions except for "
                                 "the concatenation axis must match exactly, but along "
                                 "dimension %d, the array at index 0 has size %d and the "
                                 "array at index %d has size %d" % (d, m, i, n))
    dt = common_dtype("concatenate", *xs) if dtype is None else np.dtype(dtype)
    for x in xs:
        if not np.can_cast(x._data.dtype, dt, casting):
            raise TypeError("concatenate: Cannot cast array data from %r to %r according to "
                            "the rule %r" % (x._data.dtype, dt, casting))
    xs = [S.astype(x, dt, copy=False) for x in xs]
    return _out(apply(S.CONCAT, tuple(xs), (axis,)), (arrays,))


def stack(arrays, axis=0, out=None, *, dtype=None, casting="same_kind"):
    """numpy.stack: arrays of one shape joined along a new axis (numpy's
    result dtype, or ``dtype``).  Each input's derivative is its slice."""
    _no_out("stack", out)
    xs = [asarray(x) for x in _sequence("stack", arrays)]
    if not xs:
        raise ValueError("stack: need at least one array to stack")
    if any(x.shape != xs[0].shape for x in xs):
        raise ValueError("stack: all input arrays must have the same shape, got %s"
                         % ", ".join(str(x.shape) for x in xs))
    axis = _axis("stack", axis, xs[0].ndim + 1)
    grown = [S.view_as(x, x.shape[:axis] + (1,) + x.shape[axis:]) for x in xs]
    return _out(concatenate(grown, axis, dtype=dtype, casting=casting), (arrays,))


def hstack(tup, *, dtype=None, casting="same_kind"):
    """numpy.hstack: 1-d arrays joined end to end, others along axis 1
    (differentiable as ``concatenate``)."""
    xs = atleast_1d(*_sequence("hstack", tup))
    xs = xs if isinstance(xs, tuple) else (xs,)
    axis = 0 if xs and xs[0].ndim == 1 else 1
    return _out(concatenate(xs, axis, dtype=dtype, casting=casting), (tup,))


def vstack(tup, *, dtype=None, casting="same_kind"):
    """numpy.vstack: arrays joined along axis 0, 1-d ones as rows
    (differentiable as ``concatenate``)."""
    xs = atleast_2d(*_sequence("vstack", tup))
    xs = xs if isinstance(xs, tuple) else (xs,)
    return _out(concatenate(xs, 0, dtype=dtype, casting=casting), (tup,))


def dstack(tup):
    """numpy.dstack: arrays joined along axis 2 (``atleast_3d`` first;
    differentiable as ``concatenate``)."""
    xs = atleast_3d(*_sequence("dstack", tup))
    xs = xs if isinstance(xs, tuple) else (xs,)
    return _out(concatenate(xs, 2), (tup,))


def column_stack(tup):
    """numpy.column_stack: 1-d arrays as columns, 2-d ones joined along axis
    1 (differentiable as ``concatenate``)."""
    xs = [asarray(x) for x in _sequence("column_stack", tup)]
    xs = [S.view_as(x, (x.size, 1)) if x.ndim < 2 else x for x in xs]
    return _out(concatenate(xs, 1), (tup,))


# ------------------------------------------------------------ splitting ---

def array_split(ary, indices_or_sections, axis=0):
    """numpy.array_split: a list of ``N`` parts as equal as can be (the
    first ones one longer), or of the parts between ``indices`` (read as
    slice bounds).  Contiguous parts (along axis 0) are views, the others
    copies that refuse writes, as basic slices.  Each part's derivative is
    its slice of the tangent."""
    x = asarray(ary)
    axis = _axis("array_split", axis, x.ndim)
    total = x.shape[axis]
    try:
        bounds = [0] + list(indices_or_sections) + [total]
    except TypeError:
        n = int(indices_or_sections)
        if n <= 0:
            raise ValueError("array_split: number sections must be larger than 0.") from None
        each, extras = divmod(total, n)
        bounds = np.cumsum([0] + extras * [each + 1] + (n - extras) * [each]).tolist()
    lead = (slice(None),) * axis
    return [_out(S._basic_slice(x, lead + (slice(lo, hi),)), (ary,))
            for lo, hi in zip(bounds[:-1], bounds[1:])]


def split(ary, indices_or_sections, axis=0):
    """numpy.split: as ``array_split``, but ``N`` parts must be equal."""
    try:
        len(indices_or_sections)
    except TypeError:
        x = asarray(ary)
        if x.shape[_axis("split", axis, x.ndim)] % indices_or_sections:
            raise ValueError("split: array split does not result in an equal division "
                             "(axis %d of shape %s into %r parts)"
                             % (axis, x.shape, indices_or_sections)) from None
    return array_split(ary, indices_or_sections, axis)


# ----------------------------------------------------------- repetition ---

def tile(A, reps):
    """numpy.tile: ``A`` repeated ``reps[i]`` times along axis ``i`` (``A``
    gets leading axes or ``reps`` leading 1s as needed).  The derivative sums
    the tiles."""
    x = asarray(A)
    reps = tuple(operator.index(r) for r in (reps if np.ndim(reps) else (reps,)))
    if any(r < 0 for r in reps):
        raise ValueError("tile: negative dimensions are not allowed (reps=%r)" % (reps,))
    n = max(len(reps), x.ndim)
    x = S.view_as(x, (1,) * (n - x.ndim) + x.shape)
    reps = (1,) * (n - len(reps)) + reps
    r = apply(SH.TILE, (x,), (tuple(max(r, 1) for r in reps),))
    if 0 in reps:
        r = S._basic_slice(r, tuple(slice(0, 0) if k == 0 else slice(None) for k in reps))
    return _out(r, (A,))


def repeat(a, repeats, axis=None):
    """numpy.repeat: each element repeated ``repeats`` times along ``axis``
    (of the flattened array when None); ``repeats`` is an int or one count
    per element.  The derivative sums each element's repeats."""
    x = asarray(a)
    if axis is None:
        x, axis = S.view_as(x, (x.size,)), 0
    axis = _axis("repeat", axis, x.ndim)
    counts = np.asarray(_index_data(repeats))
    if counts.size == 1 and counts.ndim <= 1 and counts.dtype.kind in "iu" and counts.item() >= 0:
        r = apply(SH.REPEAT, (x,), (int(counts.item()), axis - x.ndim))
    else:
        r = _gather(x, np.repeat(_positions(x), _index_data(repeats), axis))
    return _out(r, (a,))


# ---------------------------------------------------------- rearranging ---

def _flip(x, axes):
    return apply(SH.FLIP, (x,), (tuple(a - x.ndim for a in axes),)) if axes else S.copy(x)


def flip(m, axis=None):
    """numpy.flip: the order of the elements reversed along ``axis`` (None:
    all axes; an int or a tuple).  A new array; the derivative is flipped
    back."""
    x = asarray(m)
    axes = tuple(range(x.ndim)) if axis is None else _axes("flip", axis, x.ndim)
    return _out(_not_a_view(_flip(x, axes), x, "a flip"), (m,))


def fliplr(m):
    """numpy.fliplr: ``flip(m, 1)`` of an array with at least 2 axes."""
    x = asarray(m)
    if x.ndim < 2:
        raise ValueError("fliplr: Input must be >= 2-d (got shape %s)." % (x.shape,))
    return _out(_not_a_view(_flip(x, (1,)), x, "a flip"), (m,))


def flipud(m):
    """numpy.flipud: ``flip(m, 0)`` of an array with at least 1 axis."""
    x = asarray(m)
    if x.ndim < 1:
        raise ValueError("flipud: Input must be >= 1-d (got a 0-d array).")
    return _out(_not_a_view(_flip(x, (0,)), x, "a flip"), (m,))


def roll(a, shift, axis=None):
    """numpy.roll: elements shifted along ``axis`` (ints or tuples,
    broadcast together; None rolls the flattened array), wrapping around.
    A gather: the derivative rolls back."""
    x = asarray(a)
    return _out(_gather(x, np.roll(_positions(x), shift, axis)), (a,))


def rot90(m, k=1, axes=(0, 1)):
    """numpy.rot90: rotated by 90 degrees ``k`` times in the plane of
    ``axes``, from the first axis towards the second (a flip and a
    transpose; ``k % 4 == 0`` gives a view)."""
    x = asarray(m)
    axes = tuple(axes)
    if len(axes) != 2:
        raise ValueError("rot90: len(axes) must be 2.")
    if axes[0] == axes[1] or abs(axes[0] - axes[1]) == x.ndim:
        raise ValueError("rot90: Axes must be different.")
    if not all(-x.ndim <= a < x.ndim for a in axes):
        raise ValueError("rot90: Axes=%s out of range for array of ndim=%d." % (axes, x.ndim))
    a0, a1 = axes[0] % x.ndim, axes[1] % x.ndim
    k = operator.index(k) % 4
    if k == 0:
        return _out(S._basic_slice(x, (slice(None),)), (m,))
    if k == 2:
        return _out(_flip(x, (a0, a1)), (m,))
    perm = list(range(x.ndim))
    perm[a0], perm[a1] = a1, a0
    perm = tuple(perm)
    if k == 1:
        return _out(_permuted(_flip(x, (a1,)), perm), (m,))
    return _out(_flip(_permuted(x, perm), (a1,)), (m,))


#: numpy.pad's modes (and the keywords each takes) that are a gather of the
#: input's elements or a constant.
_PAD_MODES = {"constant": ("constant_values",), "edge": (), "wrap": (), "empty": (),
              "reflect": ("reflect_type",), "symmetric": ("reflect_type",)}
_NUMPY_PAD_MODES = ("linear_ramp", "maximum", "mean", "median", "minimum")


def _pad_pairs(pad_width, ndim):
    """numpy's ``pad_width`` forms (an int, a pair, or one pair per axis) as
    ``ndim`` (before, after) pairs."""
    w = np.asarray(pad_width)
    if w.dtype.kind != "i":
        raise TypeError("pad: `pad_width` must be of integral type.")
    if w.size and w.min() < 0:
        raise ValueError("pad: index can't contain negative values (pad_width=%r)"
                         % (pad_width,))
    if w.size == 1:
        w = np.full((ndim, 2), w.item())
    elif w.size == 2 and w.shape != (2, 1):
        w = w.ravel()
    try:
        w = np.broadcast_to(w, (ndim, 2))
    except ValueError:
        raise ValueError("pad: pad_width=%r does not broadcast to %d (before, after) pairs"
                         % (pad_width, ndim)) from None
    return tuple((int(b), int(e)) for b, e in w)


def pad(array, pad_width, mode="constant", **kwargs):
    """numpy.pad in the modes ``'constant'`` (``constant_values`` in numpy's
    forms), ``'edge'``, ``'reflect'``, ``'symmetric'``, ``'wrap'`` and
    ``'empty'`` (padded with zeros here); ``pad_width`` in numpy's forms.

    The derivative is the interior's slice of the cotangent, plus, except in
    the constant modes, the cotangents of each copied value.  numpy's
    statistic and ramp modes, callables and ``reflect_type='odd'`` raise
    ``NotImplementedError``.
    """
    x = asarray(array)
    if mode not in _PAD_MODES:
        if callable(mode) or mode in _NUMPY_PAD_MODES:
            raise NotImplementedError("pad: mode %r is not supported by dualtape; use one of "
                                      "%s" % (mode, ", ".join(_PAD_MODES)))
        raise ValueError("pad: mode '%s' is not supported" % (mode,))
    extra = set(kwargs) - set(_PAD_MODES[mode])
    if extra:
        raise ValueError("pad: unsupported keyword arguments for mode '%s': %s"
                         % (mode, extra))
    if kwargs.get("reflect_type", "even") != "even":
        raise NotImplementedError("pad: only reflect_type='even' is supported")
    pairs = _pad_pairs(pad_width, x.ndim)
    if x.ndim == 0 or not any(b or e for b, e in pairs):
        return _out(S.copy(x), (array,))
    if mode not in ("constant", "empty"):
        return _out(apply(SH.PAD, (x,), (pairs, mode, 0)), (array,))
    # numpy casts and places the constants: pad zeros of x's dtype with them
    values = np.pad(np.zeros(x.shape, x._data.dtype), pairs, "constant",
                    constant_values=kwargs.get("constant_values", 0))
    inside = np.pad(np.ones(x.shape, bool), pairs, "constant")
    border = np.unique(values[~inside])                 # NaNs count as one value
    if border.size == 1:
        return _out(apply(SH.PAD, (x,), (pairs, "constant", border[0].item())), (array,))
    padded = apply(SH.PAD, (x,), (pairs, "constant", 0))
    return _out(apply(E.WHERE, (wrap_np(inside.astype(x._data.dtype)), padded,
                                wrap_np(values))), (array,))


# ----------------------------------------------------------- broadcasting ---

def broadcast_to(array, shape, subok=False):
    """numpy.broadcast_to: a new array (numpy's is a read-only view).  The
    derivative sums over the broadcast axes."""
    x = asarray(array)
    shape = tuple(operator.index(s) for s in (shape if np.ndim(shape) else (shape,)))
    if any(s < 0 for s in shape):
        raise ValueError("broadcast_to: all elements of broadcast shape must be "
                         "non-negative, got %s" % (shape,))
    if shape == x.shape:
        return _out(S.view_as(x, shape), (array,))
    return _out(S.broadcast_to(x, shape), (array,))


def broadcast_arrays(*args, subok=False):
    """numpy.broadcast_arrays: a tuple of the arrays broadcast to their
    common shape (an array already of that shape is returned as is)."""
    xs = [asarray(a) for a in args]
    try:
        shape = np.broadcast_shapes(*[x.shape for x in xs])
    except ValueError as e:
        raise ValueError("broadcast_arrays: %s" % (e,)) from None
    return tuple(_out(x if x.shape == shape else S.broadcast_to(x, shape), (a,))
                 for x, a in zip(xs, args))


# -------------------------------------------------------------- gathering ---

def take(a, indices, axis=None, out=None, mode="raise"):
    """numpy.take: elements (``axis=None``: of the flattened array) or slices
    along ``axis`` at ``indices``, out-of-range ones raising
    (``'raise'``, negatives counting from the end), wrapping or clipped to the
    axis (negatives to 0).  The derivative scatter-adds into ``a``."""
    _no_out("take", out)
    x = asarray(a)
    return _out(_gather(x, np.take(_positions(x), _index_data(indices), axis,
                                   mode=mode)), (a,))


def take_along_axis(arr, indices, axis=-1):
    """numpy.take_along_axis: ``arr`` gathered along ``axis`` at integer
    ``indices`` of the same number of axes (broadcasting the others; None:
    the flattened array).  The derivative scatter-adds into ``arr``."""
    x = asarray(arr)
    return _out(_gather(x, np.take_along_axis(
        _positions(x), _index_data(indices), axis)), (arr,))


def select(condlist, choicelist, default=0):
    """numpy.select: from ``choicelist[i]`` where ``condlist[i]`` is the
    first true condition, else ``default`` (all broadcast together; numpy's
    result dtype).  Differentiable in the choices and ``default``."""
    if len(condlist) != len(choicelist):
        raise ValueError("select: list of cases must be same length as list of conditions")
    if not condlist:
        raise ValueError("select: select with an empty condition list is not possible")
    conds = [np.asarray(_index_data(c)) for c in condlist]
    for i, c in enumerate(conds):
        if c.dtype != np.bool_:
            raise TypeError("select: invalid entry %d in condlist: should be boolean ndarray"
                            % i)
    options = list(choicelist) + [default]
    dt = common_dtype("select", *[o if type(o) in (int, float) else asarray(o)
                                  for o in options])
    xs = [asarray(o, dt) for o in options]
    shape = np.broadcast_shapes(*[c.shape for c in conds], *[x.shape for x in xs])
    r = S.broadcast_to(xs[-1], shape)
    for c, x in zip(conds[::-1], xs[-2::-1]):
        r = apply(E.WHERE, (wrap_np(np.broadcast_to(c, shape).astype(dt)), x, r))
    return _out(r, (condlist, choicelist, default))


# --------------------------------------------------------------- sorting ---

def _sort_args(name, x, axis, kind, order, stable):
    """numpy's checks of sort's arguments; ``x`` (flattened for ``axis=None``)
    and the axis."""
    if order is not None:
        raise ValueError("%s: Cannot specify order when the array has no fields." % name)
    if kind is not None and stable is not None:
        raise ValueError("%s: `kind` and keyword parameters can't be provided at the same "
                         "time. Use only one of them." % name)
    if kind is not None and not (isinstance(kind, str) and kind[:1].lower() in ("q", "m",
                                                                                "h", "s")):
        raise ValueError("%s: sort kind must be one of 'quick', 'heap', or 'stable' (got %r)"
                         % (name, kind))
    if axis is None:
        return S.view_as(x, (x.size,)), 0
    return x, _axis(name, axis, x.ndim)


def sort(a, axis=-1, kind=None, order=None, *, stable=None):
    """numpy.sort: a sorted copy along ``axis`` (None: of the flattened
    array); NaN last.  Always stable (``kind`` only checked).  The derivative
    sends each cotangent back to the element sorted there."""
    x, axis = _sort_args("sort", asarray(a), axis, kind, order, stable)
    return _out(apply(SO.SORT, (x,), (axis, True)), (a,))


def sort_method(x, axis=-1, kind=None, order=None, *, stable=None):
    """``ndarray.sort``: sorts ``x`` in place and returns None.  Refused (as
    every in-place write) on an array recorded inside ``autograd.record()``,
    and on one carrying a forward-mode tangent."""
    x._check_inplace()
    check_leave(x, "sorting it in place (x.sort())")
    x._data.sort(axis=axis, kind=kind, order=order, stable=stable)
    x._bump()


def argsort(a, axis=-1, kind=None, order=None, *, stable=None):
    """numpy.argsort: int64 indices that sort ``a`` along ``axis`` (None:
    the flattened array).  Always stable: ties keep their order.  No
    derivative."""
    x = asarray(a)
    x = S.view_as(x, (1,)) if x.ndim == 0 else x        # numpy sorts a 0-d array as 1-d
    x, axis = _sort_args("argsort", x, axis, kind, order, stable)
    return _out(apply(SO.ARGSORT, (x,), (axis, True, np.dtype(np.intp))), (a,))


def _constant(data):
    return wrap_np(np.asarray(data))


def searchsorted(a, v, side="left", sorter=None):
    """numpy.searchsorted: int64 insertion positions of ``v`` in the sorted
    1-d ``a`` (a 0-d array for a scalar ``v``).  No derivative."""
    r = np.searchsorted(_index_data(a), _index_data(v),
                        side, None if sorter is None else _index_data(sorter))
    return _out(_constant(r), (a, v))


def nonzero(a):
    """numpy.nonzero: a tuple of int64 arrays, the indices of the non-zero
    elements along each axis (a 0-d ``a`` raises ``ValueError``, as numpy 2).
    No derivative.  ``where(condition)`` with one argument is this."""
    x = asarray(a)
    if x.ndim == 0:
        raise ValueError("nonzero: Calling nonzero on 0d arrays is not allowed. Use "
                         "np.atleast_1d(scalar).nonzero() instead.")
    return tuple(_out(_constant(i), (a,)) for i in np.nonzero(x._data))


def argwhere(a):
    """numpy.argwhere: the indices of the non-zero elements, one row each
    (int64, shape ``(N, a.ndim)``).  No derivative."""
    return _out(_constant(np.argwhere(asarray(a)._data)), (a,))


def flatnonzero(a):
    """numpy.flatnonzero: the flat indices of the non-zero elements.  No
    derivative."""
    return _out(_constant(np.flatnonzero(asarray(a)._data)), (a,))


def unique(ar, return_index=False, return_inverse=False, return_counts=False, axis=None, *,
           equal_nan=True, sorted=True):  # noqa: A002  (numpy's name)
    """numpy.unique: the sorted unique elements (``axis=None``: of the
    flattened array) or unique slices along ``axis``, and optionally numpy's
    index, inverse and counts arrays (int64, no derivative).

    The values are a gather of each value's first occurrence: the derivative
    flows to that element only (the others equal to it get none).
    """
    x = asarray(ar)
    res = np.unique(x._data, return_index=True, return_inverse=return_inverse,
                    return_counts=return_counts, axis=axis, equal_nan=equal_nan,
                    **({} if sorted else {"sorted": False}))
    values = _gather(x, res[1]) if axis is None else take(x, res[1], axis=axis)
    extras = ([res[1]] if return_index else []) + list(res[2:])
    out = tuple(_out(r, (ar,)) for r in [values] + [_constant(e) for e in extras])
    return out[0] if len(out) == 1 else out


# --------------------------------------------------------------- indexing ---

_INVALID_INDEX = ("only integers, slices (`:`), ellipsis (`...`), numpy.newaxis (`None`) and "
                  "integer or boolean arrays are valid indices")


def _index_item(k):
    """One entry of an index as numpy reads it: basic entries as they are,
    sequences and arrays as integer or boolean numpy arrays (an empty list
    is an empty integer array), anything else ``IndexError``."""
    if k is None or k is Ellipsis or isinstance(k, slice):
        return k
    if isinstance(k, numbers.Integral) and not isinstance(k, (bool, np.bool_)):
        return k
    if isinstance(k, NDArray):
        a = k._data
    elif isinstance(k, (list, tuple, np.ndarray, bool, np.bool_)):
        a = np.asarray(k)
        if a.size == 0 and isinstance(k, (list, tuple)):
            a = a.astype(np.intp)
    else:
        raise IndexError(_INVALID_INDEX + " (got %r)" % (k,))
    if a.dtype.kind not in "biu":
        raise IndexError("arrays used as indices must be of integer (or boolean) type, got "
                         "%s" % (a.dtype,) if a.ndim else _INVALID_INDEX + " (got %r)" % (k,))
    if a.ndim == 0 and a.dtype.kind in "iu":
        return int(a)               # numpy reads a 0-d integer array as an integer
    return a


def getitem(x, key):
    """numpy indexing: basic indices give a view where numpy's would be
    contiguous (a strided one is a copy that refuses writes, see
    ``docs/design.md``), integer and boolean arrays gather; an integer index
    down to one element gives a 0-d array, a copy (numpy gives a scalar:
    ``t = x[0]; t += 1`` leaves ``x`` as it was) unless the index holds
    ``...`` (``x[0, ...]`` is numpy's 0-d view); differentiable
    throughout."""
    items = key if isinstance(key, tuple) else (key,)
    parsed = tuple(_index_item(k) for k in items)
    # a 0-d integer array indexes as an integer does, but gives a copy
    advanced = any(type(p) is int and not isinstance(k, numbers.Integral)
                   for k, p in zip(items, parsed))
    key, basic = S.normalize_key(parsed, x.shape)
    if not basic:
        return _gather(x, S.flat_index(x.shape, key))
    r = S._basic_slice(x, key, False)
    # a single element is numpy's scalar (a copy) unless ``...`` keeps an array
    return S.copy(r) if advanced or (r.ndim == 0 and Ellipsis not in items) else r


def inplace(x, other, ufunc):
    """``x op= other`` with numpy's rules: computed on the buffer with
    ``casting='same_kind'`` (``int_array /= 2`` raises, as numpy's), which
    bumps ``x``'s version.  Refused where every in-place write is, and for an
    ``other`` being differentiated (the write is not recorded)."""
    x._check_inplace()
    if isinstance(other, NDArray):
        check_leave(other, "using it in an in-place update (x op= value)")
        other = other._data
    ufunc(x._data, other, out=x._data, casting="same_kind")
    x._bump()
    return x


def setitem(x, key, value):
    """numpy's ``x[key] = value``: numpy's index rules (as ``getitem``) and
    numpy's conversion of ``value`` (a Python number keeps numpy's checks:
    NaN or an out-of-range integer into an integer array raise).  Writes the
    buffer in place, so it is refused where every in-place write is (an
    array recorded inside ``autograd.record()``, a strided-slice copy), and
    a ``value`` being differentiated is refused (the write is not
    recorded)."""
    x._check_inplace()
    if isinstance(value, NDArray):
        check_leave(value, "writing it into another array in place (x[key] = value)")
        value = value._data
    items = key if isinstance(key, tuple) else (key,)
    x._data[tuple(_index_item(k) for k in items)] = value
    x._bump()


# ------------------------------------------------------------ and more ---

def copy(a, order="K", subok=False):
    """numpy.copy: a new array of the same values (differentiable)."""
    return _out(S.copy(asarray(a)), (a,))


def diff(a, n=1, axis=-1, prepend=np._NoValue, append=np._NoValue):
    """numpy.diff: the ``n``-th differences along ``axis`` (``prepend`` and
    ``append`` joined first).  Linear: its derivative is the same
    differences of the tangent."""
    x = asarray(a)
    if x.ndim == 0:
        raise ValueError("diff requires input that is at least one dimensional")
    axis = _axis("diff", axis, x.ndim)
    n = operator.index(n)
    if n < 0:
        raise ValueError("order must be non-negative but got %d" % n)
    parts = []
    for extra in (prepend, append):
        if extra is np._NoValue:
            parts.append(None)
            continue
        e = asarray(extra)
        if e.ndim == 0:
            shape = list(x.shape)
            shape[axis] = 1
            e = broadcast_to(e, tuple(shape))
        parts.append(e)
    pieces = [p for p in (parts[0], x, parts[1]) if p is not None]
    x = concatenate(pieces, axis=axis) if len(pieces) > 1 else x
    lo = (slice(None),) * axis + (slice(1, None),)
    hi = (slice(None),) * axis + (slice(None, -1),)
    for _ in range(n):      # bool arrays differ by not_equal, as numpy's
        x = _ufuncs.not_equal(x[lo], x[hi]) if x._data.dtype == np.bool_ else x[lo] - x[hi]
    return _out(x, (a, prepend, append))


def fill(x, value):
    """``ndarray.fill``: every element set to ``value``, in place (refused
    where every in-place write is)."""
    setitem(x, Ellipsis, value)


def matrix_transpose(x, /):
    """numpy.matrix_transpose (``x.mT``): the last two axes swapped."""
    a = asarray(x)
    if a.ndim < 2:
        raise ValueError("matrix_transpose: input array must be at least 2-dimensional "
                         "(got shape %s)" % (a.shape,))
    return swapaxes(a, -1, -2)
