"""Indexing: pick, take, one_hot, gather_nd, scatter_nd, slicing and sequences.

Every differentiable op here is a gather by flat index (GATHER, whose
transpose SCATTER_ADD sums the cotangents of repeated positions), a basic
slice (GETITEM) or a ``where``: the index arithmetic is done once in numpy on
constants, and the derivatives of every order come from those linear ops.
Indices arrive as NDArrays (float32 by default, as in MXNet), numpy arrays or
lists; they must hold whole numbers and get no gradient.
"""
import builtins
import numbers

import numpy as np

from .._engine import NDArray, apply
from ..registry import nondiff
from .convert import as_nd, is_scalar
from .elementwise import where
from .structural import GATHER, GETITEM, SCATTER_ADD, copy, flat_index

_pyslice = builtins.slice


# ---------------------------------------------------------------- checks ---

def _int(name, arg, value):
    """An integer parameter (Python or numpy), else ``TypeError``."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Integral):
        raise TypeError("%s: %s must be an integer, got %r" % (name, arg, value))
    return int(value)


def _axis(name, axis, ndim, arg="axis"):
    axis = _int(name, arg, axis)
    if not -ndim <= axis < ndim:
        raise ValueError("%s: %s %d is out of range for data of %d dimensions"
                         % (name, arg, axis, ndim))
    return axis % ndim


def _mode(name, mode, valid):
    if mode not in valid:
        raise ValueError("%s: mode must be one of %s, got %r"
                         % (name, ", ".join(repr(m) for m in valid), mode))


def _whole(name, arg, index):
    """``index`` (NDArray, numpy array, list or number) as an int64 or
    float64 numpy array of whole numbers (floats are checked: ``ValueError``).
    Booleans are refused (they would read as masks in numpy)."""
    a = index._data if isinstance(index, NDArray) else np.asarray(index)
    if a.dtype.kind in "iu":
        return a.astype(np.int64, copy=False)
    if a.dtype.kind != "f":
        raise TypeError("%s: %s must hold integers or whole floats, got dtype %s"
                        % (name, arg, a.dtype))
    a = a.astype(np.float64, copy=False)
    whole = np.isfinite(a) & (a == np.trunc(a))
    if not whole.all():
        raise ValueError("%s: %s must hold whole numbers, got %r"
                         % (name, arg, a[~whole].flat[0].item()))
    return a


def _as_int64(a):
    """Whole-valued numbers as int64 (beyond +-2**62 they are out of any
    range and stay so)."""
    if a.dtype.kind == "f":
        a = np.clip(a, -2.0 ** 62, 2.0 ** 62)
    return a.astype(np.int64)


def _axis_index(name, arg, index, n, mode, axis):
    """Indices into an axis of length ``n``, resolved to ``[0, n)``.

    ``mode``: ``'clip'`` and ``'wrap'`` as MXNet; ``'raise'`` accepts
    ``[0, n)`` (MXNet's take refuses negative indices too); ``'numpy'``
    accepts ``[-n, n)``, negatives counting from the end.
    """
    a = _whole(name, arg, index)
    if a.size and n == 0:
        raise IndexError("%s: cannot index axis %d of length 0" % (name, axis))
    if mode == "clip":
        return _as_int64(np.clip(a, 0, n - 1))
    if mode == "wrap":
        return _as_int64(np.mod(a, n) if a.size else a)
    lo = 0 if mode == "raise" else -n
    bad = (a < lo) | (a >= n)
    if bad.any():
        raise IndexError("%s: %s holds %d, out of range for axis %d of length %d "
                         "(valid: %d to %d)" % (name, arg, a[bad].flat[0].item(), axis,
                                                n, lo, n - 1))
    return _as_int64(np.mod(a, n) if lo else a)


def _gather(data, key):
    """``data[key]`` for an advanced numpy key, as a differentiable gather."""
    return apply(GATHER, (data,), (flat_index(data.shape, key), 0))


def _grid(shape):
    """An open grid: one ``arange`` per axis, each shaped to broadcast along
    its own axis of ``shape``."""
    n = len(shape)
    return [np.arange(s).reshape((1,) * i + (s,) + (1,) * (n - i - 1))
            for i, s in enumerate(shape)]


# ------------------------------------------------------------ pick, take ---

def pick(data, index, axis=-1, keepdims=False, mode="clip"):
    """Pick one element along ``axis`` for every position of the other axes:
    ``out[i, j] = data[i, index[i, j], j]`` for ``axis=1`` of a 3-d array.

    Parameters
    ----------
    data : NDArray
    index : NDArray
        Whole numbers (any dtype), shaped as ``data`` without ``axis`` or with
        ``axis`` of length 1.
    axis : int
        ``None`` (MXNet documents it, MXNet 1.9.1 refuses it) raises.
    keepdims : bool
        Keep ``axis`` with length 1.
    mode : {'clip', 'wrap'}
        Out-of-range indices are clipped to the axis (the default, also for
        negative ones) or wrap around.

    Differentiable in ``data`` (a gather: repeated picks add up); ``index``
    gets no gradient.  1-d ``data`` gives shape ``(1,)``, as in MXNet.
    """
    data = as_nd(data)
    _mode("pick", mode, ("clip", "wrap"))
    if axis is None:
        raise ValueError("pick: axis=None is not supported (MXNet 1.9.1 refuses it "
                         "too); pick from data.reshape(-1) with axis=0 instead")
    if data.ndim == 0:
        raise ValueError("pick: data must have at least one axis, got a 0-d array")
    a = _axis("pick", axis, data.ndim)
    shape = data.shape
    kept = shape[:a] + (1,) + shape[a + 1:]
    rest = shape[:a] + shape[a + 1:]
    idx = _whole("pick", "index", index)
    if idx.shape not in (rest, kept):
        raise ValueError("pick: index of shape %s does not fit data of shape %s along "
                         "axis %d (expected shape %s or %s)" % (idx.shape, shape, a, rest, kept))
    key = _grid(kept)
    key[a] = _axis_index("pick", "index", idx, shape[a], mode, a).reshape(kept)
    flat = flat_index(shape, tuple(key))
    return apply(GATHER, (data,), (flat.reshape(kept if keepdims else rest or (1,)), 0))


def take(a, indices, axis=0, mode="clip"):
    """Take slices of ``a`` along ``axis`` at ``indices`` (numpy's ``take``):
    the result has shape ``a.shape[:axis] + indices.shape + a.shape[axis+1:]``.

    Parameters
    ----------
    a : NDArray
    indices : NDArray
        Whole numbers of any dtype and shape.
    axis : int
    mode : {'clip', 'wrap', 'raise'}
        Out-of-range indices are clipped to the axis (the default, also for
        negative ones), wrap around, or raise ``IndexError`` (at the call;
        ``'raise'`` accepts ``0 <= i < n`` only, as MXNet).

    Differentiable in ``a`` (a gather: repeated indices add up); ``indices``
    gets no gradient.
    """
    a = as_nd(a)
    _mode("take", mode, ("clip", "wrap", "raise"))
    if a.ndim == 0:
        raise ValueError("take: a must have at least one axis, got a 0-d array")
    ax = _axis("take", axis, a.ndim)
    idx = _axis_index("take", "indices", indices, a.shape[ax], mode, ax)
    return _gather(a, (_pyslice(None),) * ax + (idx,))


def batch_take(a, indices):
    """One element of each row: ``out[i] = a[i, indices[i]]`` for ``a`` of
    shape ``(n, m)``; a higher-dimensional ``a`` is read as its
    ``a.reshape(-1, m)`` rows (MXNet 1.9.1 returns garbage there).

    ``indices`` holds whole numbers, one per row (any shape of that size, which
    is the result's shape); out-of-range ones are clipped.  MXNet requires
    int32 indices and has no gradient; here any dtype works and the op is
    differentiable in ``a`` (a gather).  MXNet deprecates it for ``pick``.
    """
    a = as_nd(a)
    if a.ndim < 2:
        raise ValueError("batch_take: a must have at least 2 axes, got shape %s" % (a.shape,))
    m = a.shape[-1]
    rows = int(np.prod(a.shape[:-1]))
    idx = _whole("batch_take", "indices", indices)
    if idx.size != rows:
        raise ValueError("batch_take: indices must hold one index per row of a (%d rows "
                         "of length %d in shape %s), got %d" % (rows, m, a.shape, idx.size))
    idx = _axis_index("batch_take", "indices", idx, m, "clip", a.ndim - 1)
    flat = np.arange(rows, dtype=np.int64) * m + idx.reshape(-1)
    return apply(GATHER, (a,), (flat.reshape(idx.shape), 0))


# --------------------------------------------------------------- one_hot ---

#: The dtypes MXNet's one_hot offers (without bfloat16).
_ONE_HOT_DTYPES = ("float16", "float32", "float64", "int32", "int64", "int8", "uint8")


def _one_hot_primal(indices, depth, on, off, dtype):
    hot = indices[..., None] == np.arange(depth)
    return np.where(hot, on, off).astype(dtype)


ONE_HOT = nondiff("one_hot", _one_hot_primal, keep_dtype=False)


def _fill_value(name, arg, value, dtype):
    """``value`` in ``dtype``, as MXNet casts it (integer dtypes truncate
    toward zero and wrap)."""
    if not is_scalar(value):
        raise TypeError("%s: %s must be a number, got %r" % (name, arg, value))
    if dtype.kind == "f":
        return dtype.type(value)
    if not np.isfinite(value):
        raise ValueError("%s: %s=%r cannot be stored as %s" % (name, arg, value, dtype))
    return np.array(int(value), np.int64).astype(dtype)


def one_hot(indices, depth, on_value=1.0, off_value=0.0, dtype="float32"):
    """One-hot rows: ``out[..., j]`` is ``on_value`` where ``indices[...] ==
    j`` and ``off_value`` elsewhere; shape ``indices.shape + (depth,)``.

    Parameters
    ----------
    indices : NDArray
        Whole numbers; a negative or too large index gives a row of
        ``off_value`` (as MXNet).
    depth : int
    on_value, off_value : float
    dtype : {'float32', 'float16', 'float64', 'int32', 'int64', 'int8', 'uint8'}
        The output's dtype (float32 whatever the input's, as MXNet).

    Integer-valued in the indices: zero derivative, never recorded.
    """
    depth = _int("one_hot", "depth", depth)
    if depth < 0:
        raise ValueError("one_hot: depth must be non-negative, got %d" % depth)
    try:
        dt = np.dtype("float32" if dtype is None else dtype)
    except TypeError:
        dt = None
    if dt is None or dt.name not in _ONE_HOT_DTYPES:
        raise TypeError("one_hot: dtype must be one of %s, got %r"
                        % (", ".join(_ONE_HOT_DTYPES), dtype))
    indices = as_nd(indices)
    _whole("one_hot", "indices", indices)
    return apply(ONE_HOT, (indices,), (depth, _fill_value("one_hot", "on_value", on_value, dt),
                                       _fill_value("one_hot", "off_value", off_value, dt), dt))


# ---------------------------------------------------- gather_nd, scatter_nd ---

def _nd_key(name, indices, shape):
    """The per-axis index arrays of ``indices`` (depth first) into ``shape``:
    whole numbers in ``[-n, n)``, negatives counting from the end."""
    idx = _whole(name, "indices", indices)
    if idx.ndim < 2:
        raise ValueError("%s: indices must have at least 2 axes (the index depth first), "
                         "got shape %s" % (name, idx.shape))
    m = idx.shape[0]
    if not 1 <= m <= len(shape):
        raise ValueError("%s: the index depth indices.shape[0] = %d must be between 1 and "
                         "the %d dimensions of %s" % (
                             name, m, len(shape), "data" if name == "gather_nd" else "shape"))
    return tuple(_axis_index(name, "indices", idx[i], shape[i], "numpy", i) for i in range(m))


def gather_nd(data, indices):
    """Gather elements or slices by N-d index: with ``indices`` of shape
    ``(M, Y...)``, ``out[y...] = data[indices[0, y...], ..., indices[M-1, y...]]``,
    of shape ``Y + data.shape[M:]``.

    Indices are whole numbers in ``[-n, n)`` for an axis of length ``n``
    (negative ones count from the end, as MXNet); others raise ``IndexError``.
    Differentiable in ``data`` (a gather: repeated indices add up);
    ``indices`` gets no gradient.
    """
    data = as_nd(data)
    return _gather(data, _nd_key("gather_nd", indices, data.shape))


def _last_of_each(points):
    """Sorted positions in ``points`` of the last occurrence of each value."""
    _, first_reversed = np.unique(points[::-1], return_index=True)
    return np.sort(points.size - 1 - first_reversed)


def scatter_nd(data, indices, shape):
    """Zeros of ``shape`` with ``data`` written at N-d indices, the reverse of
    ``gather_nd``: ``out[indices[0, y...], ..., indices[M-1, y...]] = data[y...]``;
    ``data`` has shape ``indices.shape[1:] + shape[M:]``.

    Indices are whole numbers in ``[-n, n)`` (others raise ``IndexError``;
    MXNet 1.9.1 writes out of bounds).  Where indices repeat, the last one
    wins (what MXNet 1.9.1 does on the CPU; its documentation calls the result
    undefined).  Differentiable in ``data``: an overwritten element gets a zero
    gradient (MXNet's gradient gives it the output's, which is not the
    derivative); ``indices`` gets no gradient.
    """
    data = as_nd(data)
    if isinstance(shape, numbers.Integral):
        shape = (shape,)
    shape = tuple(_int("scatter_nd", "shape", s) for s in shape)
    if any(s < 0 for s in shape):
        raise ValueError("scatter_nd: shape %s has a negative length" % (shape,))
    key = _nd_key("scatter_nd", indices, shape)
    m = len(key)
    expected = key[0].shape + shape[m:]
    if data.shape != expected:
        raise ValueError("scatter_nd: data of shape %s does not fit indices of shape %s and "
                         "shape %s (expected data of shape %s)"
                         % (data.shape, (m,) + key[0].shape, shape, expected))
    flat = flat_index(shape, key)
    points = flat_index(shape[:m], key).reshape(-1)
    keep = _last_of_each(points)
    if keep.size < points.size:                 # drop the overwritten rows first
        row = int(np.prod(shape[m:]))
        rows = keep[:, None] * row + np.arange(row)
        data = apply(GATHER, (data,), (rows, 0))
        flat = np.ascontiguousarray(flat.reshape(points.size, row)[keep])
    return apply(SCATTER_ADD, (data,), (flat, shape, 0))


# -------------------------------------------------------------- slicing ---

def _slice_copy(data, key):
    """``data[key]`` for a basic key, as a new array (MXNet's slicing ops
    copy), differentiable."""
    r = apply(GETITEM, (data,), (key, False))
    return copy(r) if np.may_share_memory(r._buf, data._buf) else r     # layout, not values


def _bounds(arg, values):
    if values is None or isinstance(values, numbers.Integral):
        values = (values,)
    return tuple(None if v is None else _int("slice", arg, v) for v in values)


def slice(data, begin, end, step=()):  # noqa: A001  (MXNet's name)
    """``data[b0:e0:s0, b1:e1:s1, ...]`` for the leading ``len(begin)`` axes,
    as a new array.

    Parameters
    ----------
    data : NDArray
    begin, end : tuple of int or None
        One entry per sliced axis; ``None`` is the axis' start or end
        (depending on the step's sign), negative entries count from the end,
        and entries beyond the axis are clipped, as Python slices.
    step : tuple of int or None, optional
        Empty (all 1) or one non-zero entry per sliced axis.

    Differentiable in ``data``.  Empty results are allowed (MXNet 1.9.1
    fails on them).
    """
    data = as_nd(data)
    begin, end = _bounds("begin", begin), _bounds("end", end)
    step = () if step is None else _bounds("step", step)
    step = step or (None,) * len(begin)
    if len(begin) != len(end) or len(step) != len(begin):
        raise ValueError("slice: begin, end and step must have one length, got %d, %d and %d"
                         % (len(begin), len(end), len(step)))
    if len(begin) > data.ndim:
        raise ValueError("slice: %d axes to slice but data has %d dimensions"
                         % (len(begin), data.ndim))
    if 0 in step:
        raise ValueError("slice: step must not be 0, got %s" % (step,))
    return _slice_copy(data, tuple(_pyslice(b, e, s) for b, e, s in zip(begin, end, step)))


def slice_axis(data, axis, begin, end):
    """``data[..., begin:end, ...]`` along ``axis``, as a new array.

    ``begin`` in ``[-n, n)`` (``None`` is 0), ``end`` in ``[-n, n]`` or
    ``None`` (the end); negative values count from the end, and the slice
    must not be empty (MXNet's checks).  Differentiable in ``data``.
    """
    data = as_nd(data)
    a = _axis("slice_axis", axis, data.ndim)
    n = data.shape[a]
    b = 0 if begin is None else _int("slice_axis", "begin", begin)
    e = n if end is None else _int("slice_axis", "end", end)
    if not -n <= b < n:
        raise IndexError("slice_axis: begin %d is out of range for axis %d of length %d"
                         % (b, a, n))
    if not -n <= e <= n:
        raise IndexError("slice_axis: end %d is out of range for axis %d of length %d"
                         % (e, a, n))
    b, e = b % n, e + n if e < 0 else e
    if b >= e:
        raise ValueError("slice_axis: begin %r must come before end %r (axis %d of length "
                         "%d)" % (begin, end, a, n))
    return _slice_copy(data, (_pyslice(None),) * a + (_pyslice(b, e),))


def slice_like(data, shape_like, axes=()):
    """``data`` cut to the shape of ``shape_like`` along ``axes`` (all axes by
    default): ``data[:like.shape[0], :like.shape[1], ...]``, as a new array.

    Negative axes count from the end of ``data``; every axis must exist in
    both arrays and be no longer in ``shape_like``.  Differentiable in
    ``data``; only ``shape_like``'s shape is read (it gets no gradient).
    """
    data = as_nd(data)
    like = shape_like.shape if isinstance(shape_like, NDArray) else np.shape(shape_like)
    if isinstance(axes, numbers.Integral):
        axes = (axes,)
    if axes is None or len(axes) == 0:
        if len(like) != data.ndim:
            raise ValueError("slice_like: data of shape %s and shape_like of shape %s differ "
                             "in dimensions; give axes" % (data.shape, like))
        axes = range(data.ndim)
    key = [_pyslice(None)] * data.ndim
    for axis in axes:
        a = _axis("slice_like", axis, data.ndim, "axes entry")
        if a >= len(like):
            raise ValueError("slice_like: axis %d is beyond shape_like of shape %s"
                             % (a, like))
        if like[a] > data.shape[a]:
            raise ValueError("slice_like: shape_like's axis %d (length %d) is longer than "
                             "data's (shape %s)" % (a, like[a], data.shape))
        key[a] = _pyslice(0, like[a])
    return _slice_copy(data, tuple(key))


# ------------------------------------------------------------ sequences ---

def _sequence(name, data, sequence_length, use_sequence_length, axis, axes):
    """Checked ``data``, sequence axis and lengths (``None`` without
    ``use_sequence_length``) of a Sequence* op."""
    data = as_nd(data)
    if data.ndim < 2:
        raise ValueError("%s: data must have at least 2 axes (sequence and batch), got "
                         "shape %s" % (name, data.shape))
    if axis not in axes:
        raise ValueError("%s: axis (the sequence axis) must be %s, got %r"
                         % (name, " or ".join(str(a) for a in axes), axis))
    if not use_sequence_length:
        if sequence_length is not None:
            raise ValueError("%s: sequence_length is given but use_sequence_length is "
                             "False; pass use_sequence_length=True" % name)
        return data, None
    if sequence_length is None:
        raise ValueError("%s: use_sequence_length=True needs sequence_length" % name)
    lengths = _whole(name, "sequence_length", sequence_length)
    batch = data.shape[1 - axis]
    if lengths.shape != (batch,):
        raise ValueError("%s: sequence_length must have shape (%d,), one length per batch "
                         "entry (axis %d of data of shape %s), got %s"
                         % (name, batch, 1 - axis, data.shape, lengths.shape))
    return data, _as_int64(lengths)


def _check_lengths(name, lengths, lo, hi):
    bad = (lengths < lo) | (lengths > hi)
    if bad.any():
        raise IndexError("%s: sequence_length holds %d, out of range [%d, %d] for sequences "
                         "of length %d" % (name, lengths[bad][0], lo, hi, hi))


def SequenceMask(data, sequence_length=None, use_sequence_length=False, value=0.0, axis=0):
    """Replace the steps of each sequence past its length by ``value``.

    ``data`` has the sequence on ``axis`` (0 or 1) and the batch on the other
    of the first two axes; ``sequence_length`` holds one whole number per
    batch entry (used only with ``use_sequence_length=True``; without it the
    result is a copy of ``data``).  A length of 0 or less masks the whole
    sequence.  Differentiable in ``data`` (zero where masked).
    """
    data, lengths = _sequence("SequenceMask", data, sequence_length, use_sequence_length,
                              axis, (0, 1))
    if not is_scalar(value):
        raise TypeError("SequenceMask: value must be a number, got %r" % (value,))
    if lengths is None:
        return copy(data)
    steps = np.arange(data.shape[axis])
    keep = steps[:, None] < lengths if axis == 0 else steps < lengths[:, None]
    return where(keep.reshape(keep.shape + (1,) * (data.ndim - 2)), data, value)


def SequenceLast(data, sequence_length=None, use_sequence_length=False, axis=0):
    """The last step of each sequence: ``data[-1]`` along ``axis`` (0 or 1),
    or with ``use_sequence_length=True`` the step ``sequence_length[b] - 1``
    of batch entry ``b`` (lengths from 1 to the sequence axis' length; MXNet
    1.9.1 returns garbage for others).  Differentiable in ``data`` (a gather).
    """
    data, lengths = _sequence("SequenceLast", data, sequence_length, use_sequence_length,
                              axis, (0, 1))
    steps, batch = data.shape[axis], data.shape[1 - axis]
    if lengths is None:
        lengths = np.full(batch, steps, np.int64)
    _check_lengths("SequenceLast", lengths, 1, steps)
    b = np.arange(batch)
    return _gather(data, (lengths - 1, b) if axis == 0 else (b, lengths - 1))


def SequenceReverse(data, sequence_length=None, use_sequence_length=False, axis=0):
    """Reverse each sequence along axis 0 (the only axis MXNet supports): all
    of it, or with ``use_sequence_length=True`` its first
    ``sequence_length[b]`` steps, leaving the rest in place (lengths from 0
    to the sequence length).  Differentiable in ``data`` (a gather).
    """
    data, lengths = _sequence("SequenceReverse", data, sequence_length, use_sequence_length,
                              axis, (0,))
    steps, batch = data.shape[0], data.shape[1]
    if lengths is None:
        lengths = np.full(batch, steps, np.int64)
    _check_lengths("SequenceReverse", lengths, 0, steps)
    t = np.arange(steps)[:, None]
    src = np.where(t < lengths, lengths - 1 - t, t)
    return _gather(data, (src, np.arange(batch)[None, :]))


# ------------------------------------------------------------------ diag ---

def diag(data, k=0, axis1=0, axis2=1):
    """Diagonals, both ways.

    A 1-d ``data`` gives the square matrix with ``data`` on its ``k``-th
    diagonal (size ``len(data) + |k|``).  A higher-dimensional ``data`` gives
    its ``k``-th diagonal in the plane of ``axis1`` and ``axis2`` (numpy's
    ``diagonal``: the other axes first, the diagonal last); ``k`` must lie
    between ``-data.shape[axis1]`` and ``data.shape[axis2]``, as MXNet.
    ``k > 0`` is above the main diagonal.  Differentiable in ``data``.
    """
    data = as_nd(data)
    k = _int("diag", "k", k)
    if data.ndim == 0:
        raise ValueError("diag: data must have at least one axis, got a 0-d array")
    if data.ndim == 1:
        n = data.shape[0]
        size = n + abs(k)
        i = np.arange(n, dtype=np.int64)
        flat = (i + max(-k, 0)) * size + i + max(k, 0)
        return apply(SCATTER_ADD, (data,), (flat, (size, size), 0))
    shape = data.shape
    a1 = _axis("diag", axis1, data.ndim, "axis1")
    a2 = _axis("diag", axis2, data.ndim, "axis2")
    if a1 == a2:
        raise ValueError("diag: axis1 and axis2 must differ, both are axis %d" % a1)
    if not -shape[a1] <= k <= shape[a2]:
        raise ValueError("diag: diagonal k=%d does not exist for axes of lengths %d and %d "
                         "(k must be between %d and %d)"
                         % (k, shape[a1], shape[a2], -shape[a1], shape[a2]))
    length = max(0, min(shape[a1] - max(-k, 0), shape[a2] - max(k, 0)))
    others = [a for a in range(data.ndim) if a not in (a1, a2)]
    grid = _grid([shape[a] for a in others] + [length])
    key = [None] * data.ndim
    for a, g in zip(others, grid):
        key[a] = g
    key[a1] = grid[-1] + max(-k, 0)
    key[a2] = grid[-1] + max(k, 0)
    return _gather(data, tuple(key))


# ----------------------------------------------------------------- aliases ---

choose_element_0index = pick
crop = slice

__all__ = ["SequenceLast", "SequenceMask", "SequenceReverse", "batch_take",
           "choose_element_0index", "crop", "diag", "gather_nd", "one_hot", "pick",
           "scatter_nd", "slice", "slice_axis", "slice_like", "take"]

METHODS = ("diag", "one_hot", "pick", "slice", "slice_axis", "slice_like", "take")
