"""Shape: tiling, repeating, flipping, padding, moving and reshaping axes.

Every op here is linear.  Those that are not plain reshapes or transposes
register an op whose transpose is registered too (tile and the sum over its
tiles, repeat and the sum over its repeats, flip and itself, constant padding
and a slice, edge and reflect padding and a scatter-add, depth_to_space and
space_to_depth), so derivatives of every order come from the ops themselves.
Registered ops act on the trailing axes of their input and leave any leading
(batch) axes alone, which is how the rules handle batched tangents.
"""
import numbers

import numpy as np

from .._engine import apply
from ..registry import defop, nondiff
from .convert import as_nd, is_scalar
from . import structural
from .structural import (GETITEM, SCATTER_ADD, TRANSPOSE, _reshape, split_at,
                         view_as)


# ------------------------------------------------------------ arguments ---

def _is_int(v):
    return isinstance(v, numbers.Integral) and not isinstance(v, bool)


def _int(name, arg, value):
    if not _is_int(value):
        raise TypeError("%s: %s must be an integer, got %r" % (name, arg, value))
    return int(value)


def _ints(name, arg, value):
    """``value`` (an int or a sequence of ints) as a tuple of ints."""
    items = (value,) if _is_int(value) else value
    try:
        items = tuple(items)
    except TypeError:
        items = None
    if items is None or not all(_is_int(v) for v in items):
        raise TypeError("%s: %s must be an integer or a tuple of integers, got %r"
                        % (name, arg, value))
    return tuple(int(v) for v in items)


def _axes(name, arg, axis, shape):
    """``axis`` (an int or a sequence) as non-negative axes of ``shape``, in
    the order given; negative axes count from the end."""
    out = []
    for a in _ints(name, arg, axis):
        if not -len(shape) <= a < len(shape):
            raise ValueError("%s: %s=%r is out of range for an array of shape %s"
                             % (name, arg, axis, shape))
        out.append(a % len(shape))
    if len(set(out)) != len(out):
        raise ValueError("%s: %s=%r repeats an axis" % (name, arg, axis))
    return tuple(out)


def _count(name, arg, value, least):
    if _int(name, arg, value) < least:
        raise ValueError("%s: %s must be at least %d, got %r" % (name, arg, least, value))
    return int(value)


# ----------------------------------------------------------------- tile ---

def _sum_tiles_primal(g, reps):
    nb = g.ndim - len(reps)
    core = tuple(s // r for s, r in zip(g.shape[nb:], reps))
    split = g.reshape(g.shape[:nb] + tuple(v for r, n in zip(reps, core) for v in (r, n)))
    return split.sum(axis=tuple(nb + 2 * i for i in range(len(reps))))


TILE = defop("tile", lambda x, reps: np.tile(x, reps), kind="linear",
             jvp=lambda ts, ans, xs, reps: apply(TILE, (ts[0],), (reps,)),
             vjp=lambda g, ans, xs, needs, reps: (apply(SUM_TILES, (g,), (reps,)),),
             samples=lambda rng: [([rng.standard_normal((2, 3))], ((2, 1),)),
                                  ([rng.standard_normal((1, 2, 2))], ((2, 3, 1),))])
SUM_TILES = defop("sum_tiles", _sum_tiles_primal, kind="linear",
                  jvp=lambda ts, ans, xs, reps: apply(SUM_TILES, (ts[0],), (reps,)),
                  vjp=lambda g, ans, xs, needs, reps: (apply(TILE, (g,), (reps,)),),
                  samples=lambda rng: [([rng.standard_normal((4, 3))], ((2, 1),)),
                                       ([rng.standard_normal((2, 6))], ((1, 3),))])


def tile(data, reps):
    """Repeat the whole array ``reps[i]`` times along axis ``i``.

    ``reps`` shorter than ``data.ndim`` is padded with leading 1s; longer, and
    ``data`` gets leading axes of length 1 (a 0-d array works, unlike in
    MXNet 1.9.1).  Each repetition must be positive, as in MXNet.  The
    gradient sums the tiles.
    """
    x = as_nd(data)
    reps = _ints("tile", "reps", reps)
    if any(r < 1 for r in reps):
        raise ValueError("tile: reps=%r must be positive integers" % (reps,))
    ndim = max(len(reps), x.ndim)
    x = _reshape(x, (1,) * (ndim - x.ndim) + x.shape)
    return apply(TILE, (x,), ((1,) * (ndim - len(reps)) + reps,))


# --------------------------------------------------------------- repeat ---
# ``axis`` is negative in the registered ops, so leading batch axes leave it
# pointing at the same core axis.

def _sum_repeats_primal(g, repeats, axis, n):
    a = g.ndim + axis
    return g.reshape(g.shape[:a] + (n, repeats) + g.shape[a + 1:]).sum(axis=a + 1)


REPEAT = defop("repeat", lambda x, repeats, axis: np.repeat(x, repeats, axis=axis),
               kind="linear",
               jvp=lambda ts, ans, xs, repeats, axis: apply(REPEAT, (ts[0],), (repeats, axis)),
               vjp=lambda g, ans, xs, needs, repeats, axis: (apply(
                   SUM_REPEATS, (g,), (repeats, axis, xs[0].shape[axis])),),
               samples=lambda rng: [([rng.standard_normal((2, 3))], (2, -1)),
                                    ([rng.standard_normal((3, 2))], (3, -2))])
SUM_REPEATS = defop("sum_repeats", _sum_repeats_primal, kind="linear",
                    jvp=lambda ts, ans, xs, repeats, axis, n: apply(
                        SUM_REPEATS, (ts[0],), (repeats, axis, n)),
                    vjp=lambda g, ans, xs, needs, repeats, axis, n: (apply(
                        REPEAT, (g,), (repeats, axis)),),
                    samples=lambda rng: [([rng.standard_normal((2, 6))], (2, -1, 3))])


def repeat(data, repeats, axis=None):
    """Repeat each element ``repeats`` times along ``axis`` (by default over
    the flattened array, giving a 1-d result).

    ``repeats=0`` gives an empty axis (MXNet 1.9.1 returns shape ``(0,)``
    whatever the axis).  The gradient sums each element's repeats.
    """
    x = as_nd(data)
    repeats = _count("repeat", "repeats", repeats, 0)
    if axis is None:
        x, axis = _reshape(x, (x.size,)), 0
    else:
        axis, = _axes("repeat", "axis", axis, x.shape)
    return apply(REPEAT, (x,), (repeats, axis - x.ndim))


# ----------------------------------------------------------------- flip ---

FLIP = defop("flip", lambda x, axes: np.flip(x, axes).copy(), kind="linear",
             jvp=lambda ts, ans, xs, axes: apply(FLIP, (ts[0],), (axes,)),
             vjp=lambda g, ans, xs, needs, axes: (apply(FLIP, (g,), (axes,)),),
             samples=lambda rng: [([rng.standard_normal((2, 3))], ((-1,),)),
                                  ([rng.standard_normal((2, 3, 2))], ((-3, -1),))])


def flip(data, axis):
    """Reverse the order of the elements along ``axis`` (an int or a tuple).

    Negative axes count from the end (MXNet 1.9.1 refuses them); a repeated
    axis raises (MXNet flips it twice).  The gradient is flipped back.
    """
    x = as_nd(data)
    axes = _axes("flip", "axis", axis, x.shape)
    return apply(FLIP, (x,), (tuple(a - x.ndim for a in axes),))


reverse = flip


# ------------------------------------------------------------------ pad ---

PAD_MODES = ("constant", "edge", "reflect")


def _pad_primal(x, pairs, mode, value):
    if x.ndim == 0:                 # nothing to pad (numpy cannot pad a 0-d array)
        return x.copy()
    pairs = ((0, 0),) * (x.ndim - len(pairs)) + pairs
    if mode == "constant":
        return np.pad(x, pairs, mode="constant", constant_values=value)
    return np.pad(x, pairs, mode=mode)


def _pad_vjp(g, ans, xs, needs, pairs, mode, value):
    x = xs[0]
    core = x.shape[x.ndim - len(pairs):]
    nb = g.ndim - len(pairs)
    if mode == "constant":          # the transpose of padding with zeros: a slice
        key = (slice(None),) * nb + tuple(slice(b, b + n) for (b, _), n in zip(pairs, core))
        return (apply(GETITEM, (g,), (key, False)),)
    # each output element copies one input element: sum the cotangents back
    index = np.pad(np.arange(int(np.prod(core)), dtype=np.int64).reshape(core), pairs,
                   mode=mode)
    return (apply(SCATTER_ADD, (g,), (index, core, nb)),)


PAD = defop("pad", _pad_primal, vjp=_pad_vjp, kind="linear",
            jvp=lambda ts, ans, xs, pairs, mode, value: apply(PAD, (ts[0],), (pairs, mode, 0)),
            samples=lambda rng: [
                ([rng.standard_normal((2, 3))], (((1, 0), (2, 1)), "constant", 1.5)),
                ([rng.standard_normal((2, 3))], (((2, 1), (0, 2)), "edge", 0)),
                ([rng.standard_normal((3, 4))], (((1, 2), (2, 3)), "reflect", 0))])


def _pad_value(value, dtype):
    """``constant_value`` as a value an array of ``dtype`` can hold exactly
    (floats take any number)."""
    if not is_scalar(value):
        raise TypeError("pad: constant_value must be a number, got %r" % (value,))
    v = float(value)
    if dtype.kind == "f":
        return v
    lo, hi = (0, 1) if dtype.kind == "b" else (np.iinfo(dtype).min, np.iinfo(dtype).max)
    if not (np.isfinite(v) and v == int(v) and lo <= v <= hi):
        raise ValueError("pad: constant_value=%r cannot be held by an array of dtype %s"
                         % (value, dtype))
    return int(v)


def pad(data, mode, pad_width, constant_value=0):
    """Pad every axis of ``data``.

    Parameters
    ----------
    data : NDArray
        Any number of axes.  MXNet 1.9.1 pads only 4-d and 5-d float arrays,
        and only their axes after the first two; here any axis of any array.
    mode : {'constant', 'edge', 'reflect'}
        Pad with ``constant_value``, with the edge values, or with the values
        mirrored about the edge (not repeating it; each width must be smaller
        than its axis, as in MXNet).
    pad_width : tuple of int
        MXNet's flat form ``(before_1, after_1, ..., before_N, after_N)``, one
        pair per axis, non-negative.
    constant_value : float
        The padding value in ``'constant'`` mode (ignored otherwise).

    The gradient is the slice of the padded region's interior, plus, in
    ``'edge'`` and ``'reflect'`` mode, the gradients of each copied value.
    """
    x = as_nd(data)
    if mode not in PAD_MODES:
        raise ValueError("pad: mode=%r is not one of %s" % (mode, ", ".join(PAD_MODES)))
    widths = _ints("pad", "pad_width", pad_width)
    if len(widths) != 2 * x.ndim or any(w < 0 for w in widths):
        raise ValueError("pad: pad_width=%r must be %d non-negative integers (before_1, "
                         "after_1, ..., before_N, after_N) for an array of shape %s"
                         % (pad_width, 2 * x.ndim, x.shape))
    pairs = tuple(zip(widths[::2], widths[1::2]))
    for axis, ((before, after), n) in enumerate(zip(pairs, x.shape)):
        if mode == "reflect" and max(before, after) >= max(n, 1):
            raise ValueError("pad: in 'reflect' mode the widths %s of axis %d must be smaller "
                             "than its length %d" % ((before, after), axis, n))
        if mode == "edge" and n == 0 and before + after:
            raise ValueError("pad: axis %d is empty and has no edge value to pad with" % axis)
    value = _pad_value(constant_value, x._data.dtype) if mode == "constant" else 0
    return apply(PAD, (x,), (pairs, mode, value))


Pad = pad


# ------------------------------------------------------ depth and space ---
# Both act on the last four axes (N, C, H, W); each is the other's inverse,
# and as permutations, each other's transpose.

def _depth_to_space_primal(x, block):
    lead, (n, c, h, w) = x.shape[:-4], x.shape[-4:]
    k = len(lead)
    y = x.reshape(lead + (n, block, block, c // block ** 2, h, w))
    y = y.transpose(tuple(range(k)) + tuple(k + a for a in (0, 3, 4, 1, 5, 2)))
    return y.copy(order="C").reshape(lead + (n, c // block ** 2, h * block, w * block))


def _space_to_depth_primal(x, block):
    lead, (n, c, h, w) = x.shape[:-4], x.shape[-4:]
    k = len(lead)
    y = x.reshape(lead + (n, c, h // block, block, w // block, block))
    y = y.transpose(tuple(range(k)) + tuple(k + a for a in (0, 3, 5, 1, 2, 4)))
    return y.copy(order="C").reshape(lead + (n, c * block ** 2, h // block, w // block))


DEPTH_TO_SPACE = defop(
    "depth_to_space", _depth_to_space_primal, kind="linear",
    jvp=lambda ts, ans, xs, block: apply(DEPTH_TO_SPACE, (ts[0],), (block,)),
    vjp=lambda g, ans, xs, needs, block: (apply(SPACE_TO_DEPTH, (g,), (block,)),),
    samples=lambda rng: [([rng.standard_normal((1, 4, 2, 3))], (2,)),
                         ([rng.standard_normal((2, 8, 1, 2))], (2,))])
SPACE_TO_DEPTH = defop(
    "space_to_depth", _space_to_depth_primal, kind="linear",
    jvp=lambda ts, ans, xs, block: apply(SPACE_TO_DEPTH, (ts[0],), (block,)),
    vjp=lambda g, ans, xs, needs, block: (apply(DEPTH_TO_SPACE, (g,), (block,)),),
    samples=lambda rng: [([rng.standard_normal((1, 1, 4, 6))], (2,)),
                         ([rng.standard_normal((2, 2, 2, 4))], (2,))])


def _nchw(name, x, block_size):
    if x.ndim != 4:
        raise ValueError("%s: data must have 4 axes (N, C, H, W), got shape %s"
                         % (name, x.shape))
    return _count(name, "block_size", block_size, 1)


def depth_to_space(data, block_size):
    """Move blocks of channels into space: ``(N, C, H, W)`` becomes
    ``(N, C / b², H b, W b)`` with ``b = block_size``; output
    ``[n, c, h b + i, w b + j]`` is input ``[n, (i b + j) C / b² + c, h, w]``.
    The gradient is ``space_to_depth`` of the output gradient."""
    x = as_nd(data)
    block = _nchw("depth_to_space", x, block_size)
    if x.shape[1] % (block * block):
        raise ValueError("depth_to_space: the %d channels of shape %s are not a multiple of "
                         "block_size² = %d" % (x.shape[1], x.shape, block * block))
    return apply(DEPTH_TO_SPACE, (x,), (block,))


def space_to_depth(data, block_size):
    """Move blocks of space into channels, the inverse of ``depth_to_space``:
    ``(N, C, H, W)`` becomes ``(N, C b², H / b, W / b)``.  The gradient is
    ``depth_to_space`` of the output gradient."""
    x = as_nd(data)
    block = _nchw("space_to_depth", x, block_size)
    if x.shape[2] % block or x.shape[3] % block:
        raise ValueError("space_to_depth: height and width of shape %s must be multiples of "
                         "block_size=%d" % (x.shape, block))
    return apply(SPACE_TO_DEPTH, (x,), (block,))


# ------------------------------------------------------ axes and shapes ---

def squeeze(data, axis=None, inplace=False):
    """Remove axes of length 1: those in ``axis`` (each must have length 1),
    or all of them.  As in MXNet, an array with at least one axis keeps one:
    shape ``(1, 1)`` becomes ``(1,)``.  The result shares ``data``'s memory
    (``inplace`` is accepted for ``NDArray.squeeze``'s signature).  The
    gradient is reshaped back."""
    x = as_nd(data)
    if axis is None:
        axes = tuple(i for i, n in enumerate(x.shape) if n == 1)
    else:
        axes = _axes("squeeze", "axis", axis, x.shape)
        for a in axes:
            if x.shape[a] != 1:
                raise ValueError("squeeze: axis %d of shape %s has length %d, not 1"
                                 % (a, x.shape, x.shape[a]))
    shape = tuple(n for i, n in enumerate(x.shape) if i not in axes)
    if not shape and x.ndim:
        shape = (1,)
    return view_as(x, shape)


def swapaxes(data, dim1=0, dim2=0):
    """Interchange axes ``dim1`` and ``dim2`` (a copy).  The gradient is
    swapped back."""
    x = as_nd(data)
    a, = _axes("swapaxes", "dim1", dim1, x.shape)
    b, = _axes("swapaxes", "dim2", dim2, x.shape)
    perm = list(range(x.ndim))
    perm[a], perm[b] = b, a
    return apply(TRANSPOSE, (x,), (tuple(perm),))


SwapAxis = swapaxes


def moveaxis(tensor, source, destination):
    """Move axes ``source`` (an int or a sequence) to positions
    ``destination``, keeping the others in order (a copy).  The gradient is
    moved back."""
    x = as_nd(tensor)
    src = _axes("moveaxis", "source", source, x.shape)
    dst = _axes("moveaxis", "destination", destination, x.shape)
    if len(src) != len(dst):
        raise ValueError("moveaxis: source=%r and destination=%r must have the same number "
                         "of axes" % (source, destination))
    order = [a for a in range(x.ndim) if a not in src]
    for d, s in sorted(zip(dst, src)):
        order.insert(d, s)
    return apply(TRANSPOSE, (x,), (tuple(order),))


def _broadcast_axes(name, x, axes, sizes):
    shape = list(x.shape)
    for a, s in zip(axes, sizes):
        if x.shape[a] not in (1, s):
            raise ValueError("%s: axis %d of shape %s has length %d; only axes of length 1 "
                             "can be broadcast (to %d)" % (name, a, x.shape, x.shape[a], s))
        shape[a] = s
    return structural.broadcast_to(x, tuple(shape))


def broadcast_to(data, shape):
    """Broadcast ``data`` to ``shape``; as in MXNet, a 0 in ``shape`` keeps
    the input's length on that axis (``shape=(0, 3, 4)`` of a ``(1, 3, 4)``
    array is ``(1, 3, 4)``).  Axes are matched from the right when ``shape``
    has more of them, as numpy does."""
    x = as_nd(data)
    shape = tuple(int(d) for d in shape)
    lead = len(shape) - x.ndim
    if lead < 0:
        raise ValueError("broadcast_to: shape %s has fewer axes than the input's %s"
                         % (shape, x.shape))
    shape = tuple(x.shape[i - lead] if d == 0 and i >= lead else d
                  for i, d in enumerate(shape))
    return structural.broadcast_to(x, shape)


def broadcast_axis(data, axis=(), size=()):
    """Broadcast axes ``axis`` (of length 1) to lengths ``size``.  Negative
    axes count from the end (MXNet 1.9.1 refuses them); an axis that already
    has its target length is left alone.  The gradient sums over the
    broadcast axes."""
    x = as_nd(data)
    axes = _axes("broadcast_axis", "axis", axis, x.shape)
    sizes = _ints("broadcast_axis", "size", size)
    if len(sizes) != len(axes) or any(s < 0 for s in sizes):
        raise ValueError("broadcast_axis: size=%r must give one non-negative length for "
                         "each axis in axis=%r" % (size, axis))
    return _broadcast_axes("broadcast_axis", x, axes, sizes)


broadcast_axes = broadcast_axis


def broadcast_like(lhs, rhs, lhs_axes=None, rhs_axes=None):
    """Broadcast ``lhs`` to ``rhs``'s shape, or, given ``lhs_axes`` and
    ``rhs_axes``, give each axis ``lhs_axes[i]`` (of length 1) the length of
    ``rhs``'s axis ``rhs_axes[i]``.

    Without axes, numpy's broadcasting rules apply (``lhs`` may have fewer
    axes; MXNet requires as many).  An axis that already has its target
    length is left alone (MXNet refuses it).  Only ``rhs``'s shape is read:
    it gets no gradient; ``lhs``'s gradient sums over the broadcast axes.
    """
    x, like = as_nd(lhs), as_nd(rhs)
    if (lhs_axes is None) != (rhs_axes is None):
        raise ValueError("broadcast_like: give both lhs_axes and rhs_axes, or neither")
    if lhs_axes is None:
        try:
            ok = np.broadcast_shapes(x.shape, like.shape) == like.shape
        except ValueError:
            ok = False
        if not ok:
            raise ValueError("broadcast_like: lhs of shape %s does not broadcast to rhs's "
                             "shape %s" % (x.shape, like.shape))
        return structural.broadcast_to(x, like.shape)
    la = _axes("broadcast_like", "lhs_axes", lhs_axes, x.shape)
    ra = _axes("broadcast_like", "rhs_axes", rhs_axes, like.shape)
    if len(la) != len(ra):
        raise ValueError("broadcast_like: lhs_axes=%r and rhs_axes=%r must have the same "
                         "length" % (lhs_axes, rhs_axes))
    return _broadcast_axes("broadcast_like", x, la, tuple(like.shape[a] for a in ra))


def _axis_range(arg, begin, end, ndim):
    b = 0 if begin is None else _int("reshape_like", arg + "_begin", begin)
    e = ndim if end is None else _int("reshape_like", arg + "_end", end)
    b, e = (b + ndim if b < 0 else b), (e + ndim if e < 0 else e)
    if not 0 <= b <= e <= ndim:
        raise ValueError("reshape_like: %s_begin=%r, %s_end=%r is not a range of the %d axes "
                         "of %s" % (arg, begin, arg, end, ndim, arg))
    return b, e


def reshape_like(lhs, rhs, lhs_begin=None, lhs_end=None, rhs_begin=None, rhs_end=None):
    """``lhs`` with its axes ``lhs_begin:lhs_end`` replaced by ``rhs``'s axes
    ``rhs_begin:rhs_end`` (all of them by default): a view of ``lhs``.

    Negative bounds count from the end and ``None`` means the start or the
    end.  An empty range is accepted (MXNet 1.9.1 refuses it).  Only
    ``rhs``'s shape is read: it gets no gradient; ``lhs``'s gradient is
    reshaped back.
    """
    x, like = as_nd(lhs), as_nd(rhs)
    lb, le = _axis_range("lhs", lhs_begin, lhs_end, x.ndim)
    rb, re = _axis_range("rhs", rhs_begin, rhs_end, like.ndim)
    shape = x.shape[:lb] + like.shape[rb:re] + x.shape[le:]
    if int(np.prod(shape, dtype=np.int64)) != x.size:
        raise ValueError("reshape_like: cannot reshape lhs of shape %s (size %d) into %s"
                         % (x.shape, x.size, shape))
    return view_as(x, shape)


def split_v2(ary, indices_or_sections, axis=0, squeeze_axis=False):
    """Split ``ary`` along ``axis`` into ``indices_or_sections`` equal parts
    (an int), or at the given sorted indices (a tuple or a list: ``(2, 3)``
    gives ``ary[:2]``, ``ary[2:3]``, ``ary[3:]``).

    Returns a list of arrays, or one array when there is one part.  Indices
    must lie in ``[0, ary.shape[axis]]``.  ``squeeze_axis=True`` drops the
    axis from each part, which must then have length 1.  Each part's gradient
    goes to its slice of ``ary``.
    """
    x = as_nd(ary)
    axis, = _axes("split_v2", "axis", axis, x.shape)
    n = x.shape[axis]
    if _is_int(indices_or_sections):
        sections = indices_or_sections
        if sections < 1 or n % sections:
            raise ValueError("split_v2: axis %d of shape %s does not divide into %r equal "
                             "parts" % (axis, x.shape, sections))
        bounds = [i * (n // sections) for i in range(sections + 1)]
    elif isinstance(indices_or_sections, (tuple, list)):
        indices = _ints("split_v2", "indices_or_sections", indices_or_sections)
        bounds = [0, *indices, n]
        if any(lo > hi for lo, hi in zip(bounds[:-1], bounds[1:])):
            raise ValueError("split_v2: indices %r must be sorted and within [0, %d] for axis "
                             "%d of shape %s" % (indices_or_sections, n, axis, x.shape))
    else:
        raise TypeError("split_v2: indices_or_sections must be an int or a tuple of ints, "
                        "got %r" % (indices_or_sections,))
    return split_at(x, axis, bounds, squeeze_axis, "split_v2")


# -------------------------------------------------------- shape queries ---

SHAPE_ARRAY = nondiff("shape_array", lambda x: np.array(x.shape, np.int64), keep_dtype=False)
SIZE_ARRAY = nondiff("size_array", lambda x: np.array([x.size], np.int64), keep_dtype=False)


def shape_array(data):
    """``data``'s shape as a 1-d int64 array (empty for a 0-d array); not
    differentiable."""
    return apply(SHAPE_ARRAY, (as_nd(data),))


def size_array(data):
    """``data``'s number of elements as an int64 array of shape ``(1,)``; not
    differentiable."""
    return apply(SIZE_ARRAY, (as_nd(data),))


__all__ = ["tile", "repeat", "flip", "reverse", "pad", "Pad", "squeeze", "swapaxes", "broadcast_to",
           "SwapAxis", "moveaxis", "broadcast_axis", "broadcast_axes", "broadcast_like",
           "reshape_like", "depth_to_space", "space_to_depth", "split_v2", "shape_array",
           "size_array"]

#: MXNet's fluent methods among them (``x.tile(reps)``).
METHODS = ("tile", "repeat", "flip", "pad", "squeeze", "swapaxes", "broadcast_axes",
           "broadcast_like", "reshape_like", "depth_to_space", "space_to_depth", "split_v2",
           "shape_array", "size_array")
