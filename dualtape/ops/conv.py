"""Layers with weights and windows: fully connected, convolution, pooling,
embedding, upsampling.

One pair of linear ops carries every derivative here: ``im2col`` (the
sliding windows of the padded input, with stride and dilation) and its
transpose ``col2im`` (the windows summed back).  Convolution is ``im2col``
then a matrix product with the weight; deconvolution is a matrix product
then ``col2im``; sum and average pooling sum ``im2col``'s window axes; max
pooling and embedding gather the input at constant indices; nearest
upsampling is a broadcast.  Every layer is therefore differentiable to any
order by the rules of the ops it is made of.
"""
import functools
import numbers

import numpy as np

from .._engine import apply, wrap
from ..registry import defop
from .convert import as_nd, same_dtype
from .elementwise import where
from .linalg import MATMUL
from .reduction import SUM
from .structural import GATHER, _reshape, broadcast_to, concat, copy, swap_last, transpose


# ------------------------------------------------------ window geometry ---

def _out_shape(size, kernel, stride, dilate, pad):
    """Number of window positions along each spatial axis."""
    return tuple((n + lo + hi - d * (k - 1) - 1) // s + 1
                 for n, k, s, d, (lo, hi) in zip(size, kernel, stride, dilate, pad))


def _windows(xp, kernel, stride, dilate, out):
    """A read-only view ``(..., *kernel, *out)`` of the windows of the
    already padded array ``xp`` (its last ``len(kernel)`` axes are spatial)."""
    nd = len(kernel)
    lead = xp.ndim - nd
    st = xp.strides[lead:]
    return np.lib.stride_tricks.as_strided(
        xp, xp.shape[:lead] + tuple(kernel) + tuple(out),
        xp.strides[:lead] + tuple(a * d for a, d in zip(st, dilate))
        + tuple(a * s for a, s in zip(st, stride)), writeable=False)


def _im2col_primal(x, kernel, stride, dilate, pad):
    lead = x.ndim - len(kernel)
    out = _out_shape(x.shape[lead:], kernel, stride, dilate, pad)
    xp = np.pad(x, ((0, 0),) * lead + pad)
    return _windows(xp, kernel, stride, dilate, out).copy()


def _col2im_primal(cols, size, kernel, stride, dilate, pad):
    """Sum every window of ``cols`` back into place: one vectorised
    strided add per kernel offset."""
    nd = len(kernel)
    lead = cols.shape[:cols.ndim - 2 * nd]
    out = cols.shape[cols.ndim - nd:]
    xp = np.zeros(lead + tuple(n + lo + hi for n, (lo, hi) in zip(size, pad)), cols.dtype)
    if cols.size:
        for k in np.ndindex(*kernel):
            win = tuple(slice(i * d, i * d + s * (m - 1) + 1, s)
                        for i, d, s, m in zip(k, dilate, stride, out))
            xp[(Ellipsis,) + win] += cols[(Ellipsis,) + k + (slice(None),) * nd]
    return xp[(Ellipsis,) + tuple(slice(lo, lo + n) for n, (lo, hi) in zip(size, pad))]


def _im2col_jvp(ts, ans, xs, *geometry):
    return apply(IM2COL, (ts[0],), geometry)


def _im2col_vjp(g, ans, xs, needs, *geometry):
    nd = len(geometry[0])
    x = xs[0]
    return (apply(COL2IM, (g,), (x.shape[x.ndim - nd:],) + geometry),)


def _col2im_jvp(ts, ans, xs, size, *geometry):
    return apply(COL2IM, (ts[0],), (size,) + geometry)


def _col2im_vjp(g, ans, xs, needs, size, *geometry):
    return (apply(IM2COL, (g,), geometry),)


IM2COL = defop("im2col", _im2col_primal, jvp=_im2col_jvp, vjp=_im2col_vjp, kind="linear",
               samples=lambda rng: [
                   ([rng.standard_normal((1, 2, 4, 4))],
                    ((2, 2), (1, 2), (1, 1), ((1, 1), (0, 1)))),
                   ([rng.standard_normal((2, 5))], ((2,), (1,), (2,), ((1, 2),)))])
COL2IM = defop("col2im", _col2im_primal, jvp=_col2im_jvp, vjp=_col2im_vjp, kind="linear",
               samples=lambda rng: [
                   ([rng.standard_normal((1, 1, 2, 2, 2, 5))],
                    ((4, 4), (2, 2), (2, 1), (1, 1), ((0, 1), (1, 1)))),
                   ([rng.standard_normal((2, 3, 3))], ((5,), (3,), (2,), (1,), ((1, 1),)))])


# ------------------------------------------------------------ arguments ---

def _data(op, data, ndims, what):
    """``data`` as an NDArray with one of ``ndims`` axes."""
    x = as_nd(data)
    if x.ndim not in ndims:
        raise ValueError("%s: data must be %s, got shape %s" % (op, what, x.shape))
    return x


def _floats(op, *arrays):
    """``TypeError`` unless the arrays are float arrays of one dtype (MXNet
    computes these layers in floating point only)."""
    for a in arrays:
        if a._data.dtype.kind != "f":
            raise TypeError("%s: needs floating-point arrays, got dtype %s"
                            % (op, a._data.dtype))
    same_dtype(op, *arrays)


def _ints(op, name, value, nd, default, least):
    """A shape argument as a tuple of ``nd`` ints, each at least ``least``;
    ``default`` on every axis when empty (MXNet's ``[]``)."""
    if value is None or (not isinstance(value, numbers.Integral) and len(value) == 0):
        return (default,) * nd
    if isinstance(value, numbers.Integral):
        value = (value,)
    try:
        value = tuple(int(v) for v in value)
    except (TypeError, ValueError):
        raise TypeError("%s: %s must be a tuple of ints, got %r" % (op, name, value)) from None
    if len(value) != nd:
        raise ValueError("%s: %s=%s needs %d value%s, one per spatial axis of the data"
                         % (op, name, value, nd, "" if nd == 1 else "s"))
    if any(v < least for v in value):
        raise ValueError("%s: %s=%s must be >= %d on every axis" % (op, name, value, least))
    return value


def _kernel(op, kernel, nd):
    """The required ``kernel``, one value per spatial axis."""
    if kernel is None or (not isinstance(kernel, numbers.Integral) and len(kernel) == 0):
        raise TypeError("%s: kernel is required" % op)
    return _ints(op, "kernel", kernel, nd, 1, 1)


def _choice(op, name, value, valid):
    if value not in valid:
        raise ValueError("%s: %s must be one of %s, got %r"
                         % (op, name, ", ".join(repr(v) for v in valid), value))
    return value


def _positive(op, name, value):
    if value is None:
        raise TypeError("%s: %s is required" % (op, name))
    if not isinstance(value, numbers.Integral) or value < 1:
        raise ValueError("%s: %s must be a positive int, got %r" % (op, name, value))
    return int(value)


_CHANNEL_FIRST = {3: "NCW", 4: "NCHW", 5: "NCDHW"}
_CHANNEL_LAST = {3: "NWC", 4: "NHWC", 5: "NDHWC"}
_CUDNN_TUNE = (None, "fastest", "limited_workspace", "off")


def _channel_first_layout(op, layout, x):
    """Convolutions take MXNet's CPU layouts: channels first."""
    want = _CHANNEL_FIRST[x.ndim]
    if layout is not None and layout != want:
        raise ValueError("%s: layout must be None or %r for data of shape %s, got %r "
                         "(MXNet supports channel-last layouts only on GPU)"
                         % (op, want, x.shape, layout))


def _bias(op, bias, no_bias, n, like):
    """The bias as an NDArray of shape ``(n,)``, or None with ``no_bias``."""
    if no_bias:
        if bias is not None:
            raise ValueError("%s: a bias was given with no_bias=True" % op)
        return None
    if bias is None:
        raise ValueError("%s: bias is required unless no_bias=True" % op)
    b = as_nd(bias, like)
    if b.shape != (n,):
        raise ValueError("%s: bias must have shape (%d,), got %s" % (op, n, b.shape))
    return b


def _add_bias(y, b):
    """``y`` (N, F, *spatial) plus bias ``b`` (F,) on every position."""
    return y if b is None else y + _reshape(b, b.shape + (1,) * (y.ndim - 2))


def _conv_geometry(op, nd, kernel, stride, dilate, pad):
    """Kernel, stride, dilation and (before, after) padding per spatial axis."""
    kernel = _kernel(op, kernel, nd)
    stride = _ints(op, "stride", stride, nd, 1, 1)
    dilate = _ints(op, "dilate", dilate, nd, 1, 1)
    pad = _ints(op, "pad", pad, nd, 0, 0)
    return kernel, stride, dilate, tuple((p, p) for p in pad)


def _check_fits(op, size, kernel, dilate, pad):
    """``ValueError`` where a window is longer than the padded input (no
    output position)."""
    for i, (n, k, d, (lo, hi)) in enumerate(zip(size, kernel, dilate, pad)):
        if d * (k - 1) + 1 > n + lo + hi:
            raise ValueError("%s: the window (%d with dilation) exceeds the padded input (%d) "
                             "along spatial axis %d" % (op, d * (k - 1) + 1, n + lo + hi, i))


# --------------------------------------------------------- im2col/col2im ---

def im2col(data, kernel=None, stride=(), dilate=(), pad=()):
    """The sliding windows of ``data`` (N, C, *spatial) as columns: shape
    ``(N, C * prod(kernel), L)``, L the number of window positions (those of
    ``Convolution`` with the same arguments).  Linear; its derivative is
    ``col2im``.

    Parameters
    ----------
    data : NDArray
        3-D, 4-D or 5-D input (1, 2 or 3 spatial axes).
    kernel, stride, dilate, pad : tuple of int
        One value per spatial axis; stride and dilate default to 1, pad
        (zeros on both sides) to 0.
    """
    x = _data("im2col", data, (3, 4, 5), "3-D, 4-D or 5-D (N, C, *spatial)")
    kernel, stride, dilate, pads = _conv_geometry("im2col", x.ndim - 2, kernel, stride,
                                                  dilate, pad)
    _check_fits("im2col", x.shape[2:], kernel, dilate, pads)
    cols = apply(IM2COL, (x,), (kernel, stride, dilate, pads))
    out = _out_shape(x.shape[2:], kernel, stride, dilate, pads)
    return _reshape(cols, (x.shape[0], x.shape[1] * int(np.prod(kernel)), int(np.prod(out))))


def col2im(data, output_size=None, kernel=None, stride=(), dilate=(), pad=()):
    """Sum columns ``(N, C * prod(kernel), L)`` back into an image
    ``(N, C, *output_size)``: the transpose of ``im2col`` (overlapping
    windows add up).  Linear; its derivative is ``im2col``.

    Parameters
    ----------
    data : NDArray
        The columns, 3-D.
    output_size : tuple of int
        The spatial shape of the image (1 to 3 axes).
    kernel, stride, dilate, pad : tuple of int
        As for ``im2col``.
    """
    cols = _data("col2im", data, (3,), "3-D (N, C * prod(kernel), L)")
    if output_size is None:
        raise TypeError("col2im: output_size is required")
    nd = 1 if isinstance(output_size, numbers.Integral) else len(output_size)
    if nd not in (1, 2, 3):
        raise ValueError("col2im: output_size must have 1, 2 or 3 values, got %r"
                         % (output_size,))
    size = _ints("col2im", "output_size", output_size, nd, 1, 1)
    geometry = _conv_geometry("col2im", nd, kernel, stride, dilate, pad)
    kernel, stride, dilate, pads = geometry
    _check_fits("col2im", size, kernel, dilate, pads)
    out = _out_shape(size, kernel, stride, dilate, pads)
    k, n_out = int(np.prod(kernel)), int(np.prod(out))
    if cols.shape[1] % k or cols.shape[2] != n_out:
        raise ValueError("col2im: data of shape %s does not hold columns of %d-element windows "
                         "at %d positions (expected (N, C * %d, %d))"
                         % (cols.shape, k, n_out, k, n_out))
    cols = _reshape(cols, (cols.shape[0], cols.shape[1] // k) + kernel + out)
    return apply(COL2IM, (cols,), (size,) + geometry)


# ------------------------------------------------------- fully connected ---

def FullyConnected(data=None, weight=None, bias=None, num_hidden=None, no_bias=False,
                   flatten=True):
    """``data @ weight.T + bias``.

    With ``flatten`` (the default) ``data`` (N, ...) is first collapsed to
    ``(N, prod(...))`` (a 1-d array of n values to ``(n, 1)``); without it the
    product runs along the last axis and keeps the others.  Differentiable in
    ``data``, ``weight`` and ``bias``.

    Parameters
    ----------
    data : NDArray
    weight : NDArray
        Shape ``(num_hidden, in_features)``.
    bias : NDArray
        Shape ``(num_hidden,)``; required unless ``no_bias``.
    num_hidden : int
        Number of outputs (required).
    no_bias : bool
    flatten : bool
    """
    op = "FullyConnected"
    x = as_nd(data)
    w = as_nd(weight, x)
    n_hidden = _positive(op, "num_hidden", num_hidden)
    if flatten:
        lead = (x.shape[0],) if x.ndim else (1,)
        n_in = int(np.prod(x.shape[1:], dtype=np.int64)) if x.ndim else 1
    else:
        if x.ndim == 0:
            raise ValueError("%s: data must have at least one axis with flatten=False" % op)
        lead, n_in = x.shape[:-1], x.shape[-1]
    if w.shape != (n_hidden, n_in):
        raise ValueError("%s: weight must have shape (num_hidden, in_features) = (%d, %d) for "
                         "data of shape %s, got %s" % (op, n_hidden, n_in, x.shape, w.shape))
    b = _bias(op, bias, no_bias, n_hidden, x)
    _floats(op, *[a for a in (x, w, b) if a is not None])
    rows = int(np.prod(lead, dtype=np.int64))
    y = apply(MATMUL, (_reshape(x, (rows, n_in)), swap_last(w)))
    if b is not None:
        y = y + b
    return _reshape(y, tuple(lead) + (n_hidden,))


# ---------------------------------------------------------- convolution ---

def _groups(op, x, num_filter, num_group):
    n_filter = _positive(op, "num_filter", num_filter)
    groups = _positive(op, "num_group", num_group)
    if x.shape[1] % groups or n_filter % groups:
        raise ValueError("%s: num_group=%d must divide both the channels of the data (%d) "
                         "and num_filter (%d)" % (op, groups, x.shape[1], n_filter))
    return n_filter, groups


def _group(groups):
    """The group axis of the matrix products: none for one group, so that a
    2-d weight meets the batch of columns as one BLAS product (numpy's
    broadcast matmul is several times slower)."""
    return () if groups == 1 else (groups,)


def _check_weight(op, w, want):
    if w.shape != want:
        raise ValueError("%s: weight must have shape %s, got %s" % (op, want, w.shape))


def Convolution(data=None, weight=None, bias=None, kernel=None, stride=(), dilate=(), pad=(),
                num_filter=None, num_group=1, workspace=1024, no_bias=False, cudnn_tune=None,
                cudnn_off=False, layout=None):
    """1-D, 2-D or 3-D convolution (cross-correlation, as MXNet) of ``data``
    (N, C, *spatial) with ``weight`` (num_filter, C / num_group, *kernel).

    Output length per spatial axis:
    ``(n + 2 * pad - dilate * (kernel - 1) - 1) // stride + 1``.  With
    ``num_group`` g, channels and filters split into g groups convolved
    separately.  Computed as ``im2col`` then a matrix product, so it is
    differentiable in ``data``, ``weight`` and ``bias`` to any order.

    Parameters
    ----------
    data, weight : NDArray
    bias : NDArray
        Shape ``(num_filter,)``; required unless ``no_bias``.
    kernel : tuple of int
        Window size, one value per spatial axis (required).
    stride, dilate, pad : tuple of int
        Default 1, 1 and 0 on every axis; ``pad`` adds zeros on both sides.
    num_filter : int
        Number of output channels (required).
    num_group : int
    no_bias : bool
    layout : {None, 'NCW', 'NCHW', 'NCDHW'}
        Channels first (the layout matching the data's dimensions).
    workspace, cudnn_tune, cudnn_off
        Accepted for compatibility; no effect.
    """
    op = "Convolution"
    x = _data(op, data, (3, 4, 5), "3-D (N, C, W), 4-D (N, C, H, W) or 5-D (N, C, D, H, W)")
    _channel_first_layout(op, layout, x)
    _choice(op, "cudnn_tune", cudnn_tune, _CUDNN_TUNE)
    kernel, stride, dilate, pads = _conv_geometry(op, x.ndim - 2, kernel, stride, dilate, pad)
    n_filter, groups = _groups(op, x, num_filter, num_group)
    w = as_nd(weight, x)
    _check_weight(op, w, (n_filter, x.shape[1] // groups) + kernel)
    b = _bias(op, bias, no_bias, n_filter, x)
    _floats(op, *[a for a in (x, w, b) if a is not None])
    _check_fits(op, x.shape[2:], kernel, dilate, pads)
    cols = apply(IM2COL, (x,), (kernel, stride, dilate, pads))        # (N, C, *K, *O)
    out = cols.shape[2 + len(kernel):]
    depth = x.shape[1] // groups * int(np.prod(kernel))
    cols = _reshape(cols, (x.shape[0],) + _group(groups) + (depth, int(np.prod(out))))
    y = apply(MATMUL, (_reshape(w, _group(groups) + (n_filter // groups, depth)), cols))
    return _add_bias(_reshape(y, (x.shape[0], n_filter) + out), b)


def _deconv_geometry(op, x, kernel, stride, dilate, pad, adj, target_shape):
    """Kernel, stride, dilation, padding and output size of a transposed
    convolution; ``target_shape`` (when any entry is non-zero) sets padding
    and ``adj`` as MXNet does: the full output cropped evenly, the odd
    element at the end."""
    nd = x.ndim - 2
    kernel, stride, dilate, pads = _conv_geometry(op, nd, kernel, stride, dilate, pad)
    adj = _ints(op, "adj", adj, nd, 0, 0)
    target = _ints(op, "target_shape", target_shape, nd, 0, 0)
    full = [s * (n - 1) + d * (k - 1) + 1
            for n, s, d, k in zip(x.shape[2:], stride, dilate, kernel)]
    if any(target):
        if min(target) < 1 or any(t > f for t, f in zip(target, full)):
            raise ValueError("%s: target_shape=%s must be between 1 and %s (the output "
                             "without padding) on every axis" % (op, target, tuple(full)))
        adj = tuple((f - t) % 2 for f, t in zip(full, target))
        pads = tuple(((f - t + 1) // 2,) * 2 for f, t in zip(full, target))
    for i, (a, s) in enumerate(zip(adj, stride)):
        if a >= s:
            raise ValueError("%s: adj=%s must be smaller than stride=%s (axis %d%s)"
                             % (op, adj, stride, i, ", from target_shape" if any(target)
                                else ""))
    size = tuple(f - 2 * lo + a for f, (lo, hi), a in zip(full, pads, adj))
    for i, n in enumerate(size):
        if n < 1:
            raise ValueError("%s: pad=%s leaves no output along spatial axis %d (output "
                             "length %d)" % (op, tuple(p[0] for p in pads), i, n))
    return kernel, stride, dilate, pads, size


def Deconvolution(data=None, weight=None, bias=None, kernel=None, stride=(), dilate=(), pad=(),
                  adj=(), target_shape=(), num_filter=None, num_group=1, workspace=512,
                  no_bias=True, cudnn_tune=None, cudnn_off=False, layout=None):
    """Transposed convolution of ``data`` (N, C, *spatial) with ``weight``
    (C, num_filter / num_group, *kernel): the gradient of ``Convolution``
    with respect to its input.

    Output length per spatial axis:
    ``stride * (n - 1) + dilate * (kernel - 1) + 1 - 2 * pad + adj``.  A
    ``target_shape`` with non-zero entries (then all at least 1) replaces
    ``pad`` and ``adj`` by the values giving that shape, as MXNet.  Computed
    as a matrix product then ``col2im``; differentiable in ``data``,
    ``weight`` and ``bias`` to any order.  1-D and 2-D as in MXNet, 3-D as
    well.

    Parameters
    ----------
    data, weight : NDArray
    bias : NDArray
        Shape ``(num_filter,)``; used only with ``no_bias=False`` (the
        default is True, as MXNet).
    kernel : tuple of int
        Required.
    stride, dilate, pad, adj : tuple of int
        Default 1, 1, 0 and 0; ``adj`` (< stride) adds positions at the end.
    target_shape : tuple of int
        The spatial output shape, or empty.
    num_filter : int
        Number of output channels (required).
    num_group : int
    no_bias : bool
    layout : {None, 'NCW', 'NCHW', 'NCDHW'}
    workspace, cudnn_tune, cudnn_off
        Accepted for compatibility; no effect.
    """
    op = "Deconvolution"
    x = _data(op, data, (3, 4, 5), "3-D (N, C, W), 4-D (N, C, H, W) or 5-D (N, C, D, H, W)")
    _channel_first_layout(op, layout, x)
    _choice(op, "cudnn_tune", cudnn_tune, _CUDNN_TUNE)
    kernel, stride, dilate, pads, size = _deconv_geometry(
        op, x, kernel, stride, dilate, pad, adj, target_shape)
    n_filter, groups = _groups(op, x, num_filter, num_group)
    w = as_nd(weight, x)
    _check_weight(op, w, (x.shape[1], n_filter // groups) + kernel)
    b = _bias(op, bias, no_bias, n_filter, x)
    _floats(op, *[a for a in (x, w, b) if a is not None])
    n, c = x.shape[:2]
    depth = n_filter // groups * int(np.prod(kernel))
    wt = swap_last(_reshape(w, _group(groups) + (c // groups, depth)))
    xr = _reshape(x, (n,) + _group(groups) + (c // groups, int(np.prod(x.shape[2:]))))
    cols = apply(MATMUL, (wt, xr))
    cols = _reshape(cols, (n, n_filter) + kernel + x.shape[2:])
    y = apply(COL2IM, (cols,), (size, kernel, stride, dilate, pads))
    return _add_bias(y, b)


# -------------------------------------------------------------- pooling ---

def _pool_counts(size, kernel, stride, pad, out, include_pad):
    """The divisor of each average window: its elements inside the padded
    input (``include_pad``) or inside the input, at least 1."""
    counts = np.ones(out)
    for axis, (n, k, s, p, m) in enumerate(zip(size, kernel, stride, pad, out)):
        start = np.arange(m) * s - p
        if include_pad:
            c = np.minimum(start + k, n + p) - start
        else:
            c = np.minimum(start + k, n) - np.maximum(start, 0)
        counts = counts * c.reshape((m,) + (1,) * (len(out) - axis - 1))
    return np.maximum(counts, 1)


def _max_pool(x, kernel, stride, pads, out):
    """Each window's maximum, gathered from ``x`` at its first maximum in
    row-major window order (MXNet's choice at ties, so the gradient goes
    there); a window holding only padding gives the dtype's lowest value."""
    data = x._data
    nd = len(kernel)
    low = np.finfo(data.dtype).min
    xp = np.pad(data, ((0, 0), (0, 0)) + pads, constant_values=low)
    win = _windows(xp, kernel, stride, (1,) * nd, out)
    which = np.argmax(win.reshape(data.shape[:2] + (int(np.prod(kernel)),) + out), axis=2)
    offsets = np.unravel_index(which, kernel)
    coords, inside = [], np.ones(which.shape, bool)
    for axis, (o, s, (lo, _), n) in enumerate(zip(offsets, stride, pads, data.shape[2:])):
        m = out[axis]
        c = np.arange(m).reshape((m,) + (1,) * (nd - axis - 1)) * s - lo + o
        inside &= (c >= 0) & (c < n)
        coords.append(np.clip(c, 0, n - 1))
    plane = int(np.prod(data.shape[2:]))
    base = np.arange(data.shape[0] * data.shape[1]).reshape(data.shape[:2] + (1,) * nd) * plane
    index = base + np.ravel_multi_index(coords, data.shape[2:])
    y = apply(GATHER, (x,), (index, 0))
    if not inside.all():
        y = where(wrap(inside.astype(data.dtype)), y, low)
    return y


def Pooling(data=None, kernel=(), pool_type="max", global_pool=False, cudnn_off=False,
            pooling_convention="valid", stride=(), pad=(), p_value=None,
            count_include_pad=None, layout=None):
    """Max, average or sum pooling over 1, 2 or 3 spatial axes.

    Windows start at ``i * stride - pad``; the number of windows per axis is
    ``floor((n + 2 * pad - kernel) / stride) + 1`` ('valid') or the same with
    ``ceil`` ('full'), so the last 'full' windows may run past the padding.
    Max pooling ignores padding (a window of padding only gives the dtype's
    lowest value, as MXNet); its gradient goes to the first maximum of each
    window, as MXNet.  Average pooling divides by the window's size clipped
    to the padded input (``count_include_pad``, the default) or to the input.
    Differentiable in ``data`` to any order.

    Parameters
    ----------
    data : NDArray
        (N, C, *spatial), or channels last with ``layout``.
    kernel : tuple of int
        Window size (required unless ``global_pool``).
    pool_type : {'max', 'avg', 'sum'}
        MXNet's 'lp' is not supported.
    global_pool : bool
        Pool over the whole spatial extent (kernel, stride, pad ignored).
    pooling_convention : {'valid', 'full'}
        MXNet's 'same' (1-D max pooling only there) is not supported.
    stride, pad : tuple of int
        Default 1 and 0; ``pad`` must be smaller than ``kernel``.
    count_include_pad : bool
        For 'avg' (default True).
    layout : {None, 'NCW', 'NCHW', 'NCDHW', 'NWC', 'NHWC', 'NDHWC'}
    cudnn_off, p_value
        Accepted for compatibility; no effect.
    """
    op = "Pooling"
    x = _data(op, data, (3, 4, 5), "3-D (N, C, W), 4-D (N, C, H, W) or 5-D (N, C, D, H, W)")
    _floats(op, x)
    _choice(op, "pool_type", pool_type, ("max", "avg", "sum"))
    _choice(op, "pooling_convention", pooling_convention, ("valid", "full"))
    last = _CHANNEL_LAST[x.ndim]
    _choice(op, "layout", layout, (None, _CHANNEL_FIRST[x.ndim], last))
    nd = x.ndim - 2
    if layout == last:
        x = transpose(x, (0, nd + 1) + tuple(range(1, nd + 1)))
    size = x.shape[2:]
    if global_pool:
        kernel, stride, pad = size, (1,) * nd, (0,) * nd
    else:
        kernel = _kernel(op, kernel, nd)
        stride = _ints(op, "stride", stride, nd, 1, 1)
        pad = _ints(op, "pad", pad, nd, 0, 0)
        if any(p >= k for p, k in zip(pad, kernel)):
            raise ValueError("%s: pad=%s must be smaller than kernel=%s on every axis"
                             % (op, pad, kernel))
        _check_fits(op, size, kernel, (1,) * nd, tuple((p, p) for p in pad))
    span = [n + 2 * p - k for n, k, p in zip(size, kernel, pad)]
    if pooling_convention == "valid":
        out = tuple(a // s + 1 for a, s in zip(span, stride))
    else:
        out = tuple(-(-a // s) + 1 for a, s in zip(span, stride))
    pads = tuple((p, max(p, (m - 1) * s + k - n - p))
                 for n, k, s, p, m in zip(size, kernel, stride, pad, out))
    if pool_type == "max":
        y = _max_pool(x, kernel, stride, pads, out)
    else:
        cols = apply(IM2COL, (x,), (kernel, stride, (1,) * nd, pads))
        y = apply(SUM, (cols,), (tuple(range(2, 2 + nd)), False))
        if pool_type == "avg":
            include = True if count_include_pad is None else bool(count_include_pad)
            counts = _pool_counts(size, kernel, stride, pad, out, include)
            y = y / wrap(counts.astype(x._data.dtype))
    if layout == last:
        y = transpose(y, (0,) + tuple(range(2, nd + 2)) + (1,))
    return y


# ------------------------------------------------------------ embedding ---

_EMBEDDING_DTYPES = ("bfloat16", "float16", "float32", "float64", "int32", "int64", "int8",
                     "uint8")


def Embedding(data=None, weight=None, input_dim=None, output_dim=None, dtype="float32",
              sparse_grad=False):
    """Rows of ``weight`` (input_dim, output_dim) picked by the indices in
    ``data``: shape ``data.shape + (output_dim,)``, the weight's dtype.

    Indices may be float, as in MXNet: they are truncated toward zero and
    clipped to ``[0, input_dim - 1]`` (nan reads as 0).  Differentiable in
    ``weight`` (a gather; the gradient sums into the picked rows); the
    indices get no gradient.

    Parameters
    ----------
    data : NDArray
    weight : NDArray
    input_dim, output_dim : int
        The weight's shape (both required).
    dtype : str
        The weight's dtype in MXNet's symbolic API; checked, otherwise unused.
    sparse_grad : bool
        Accepted for compatibility (gradients are dense).
    """
    op = "Embedding"
    idx = as_nd(data)
    w = as_nd(weight, idx)
    rows = _positive(op, "input_dim", input_dim)
    cols = _positive(op, "output_dim", output_dim)
    try:
        name = dtype if dtype == "bfloat16" else np.dtype(dtype).name
    except TypeError:
        name = dtype
    _choice(op, "dtype", name, _EMBEDDING_DTYPES)
    if w.shape != (rows, cols):
        raise ValueError("%s: weight must have shape (input_dim, output_dim) = (%d, %d), got %s"
                         % (op, rows, cols, w.shape))
    i = idx._data
    if i.dtype.kind == "f":
        i = np.trunc(np.nan_to_num(i, nan=0.0, posinf=rows, neginf=0.0))
    i = np.clip(i, 0, rows - 1).astype(np.int64)
    return apply(GATHER, (w,), (i[..., None] * cols + np.arange(cols), 0))


# ----------------------------------------------------------- upsampling ---

def _nearest(x, r):
    """Each pixel of ``x`` (N, C, H, W) repeated ``r`` times along H and W."""
    if r == 1:
        return x
    n, c, h, w = x.shape
    y = broadcast_to(_reshape(x, (n, c, h, 1, w, 1)), (n, c, h, r, w, r))
    return _reshape(y, (n, c, h * r, w * r))


def UpSampling(*data, scale=None, num_filter=0, sample_type=None, multi_input_mode="concat",
               num_args=None, workspace=512):
    """Upsample images (N, C, H, W) by an integer ``scale``.

    'nearest': every input is enlarged to the first one's size times
    ``scale`` (each by its own integer factor) by repeating pixels, and the
    results are concatenated along channels (``multi_input_mode='concat'``)
    or added ('sum').  'bilinear': ``data`` is the image and a weight
    (C, 1, k, k), k = 2 * scale - scale % 2, and the result is MXNet's
    ``Deconvolution`` with stride ``scale``, padding ``ceil((scale - 1) / 2)``
    and one group per channel.  Differentiable in every input to any order.

    Parameters
    ----------
    *data : NDArray
    scale : int
        Required.
    num_filter : int
        'bilinear' only: the number of channels.
    sample_type : {'nearest', 'bilinear'}
        Required.
    multi_input_mode : {'concat', 'sum'}
    num_args : int
        The number of arrays in ``data`` (MXNet's frontend sets it).
    workspace
        Accepted for compatibility; no effect.
    """
    op = "UpSampling"
    scale = _positive(op, "scale", scale)
    if sample_type is None:
        raise TypeError("%s: sample_type is required ('nearest' or 'bilinear')" % op)
    _choice(op, "sample_type", sample_type, ("nearest", "bilinear"))
    _choice(op, "multi_input_mode", multi_input_mode, ("concat", "sum"))
    if not data:
        raise TypeError("%s: needs at least one input array" % op)
    if num_args is not None and num_args != len(data):
        raise ValueError("%s: num_args=%r but %d arrays were given" % (op, num_args, len(data)))
    first = _data(op, data[0], (4,), "4-D (N, C, H, W)")
    if sample_type == "bilinear":
        if len(data) != 2:
            raise ValueError("%s: sample_type='bilinear' takes two arrays, the data and the "
                             "weight, got %d" % (op, len(data)))
        c = first.shape[1]
        if num_filter != c:
            raise ValueError("%s: sample_type='bilinear' needs num_filter equal to the number of "
                             "channels (%d), got %r" % (op, c, num_filter))
        k = 2 * scale - scale % 2
        p = scale // 2                  # ceil((scale - 1) / 2)
        return Deconvolution(first, data[1], kernel=(k, k), stride=(scale, scale),
                             pad=(p, p), num_filter=c, num_group=c, no_bias=True)
    xs = [first] + [_data(op, d, (4,), "4-D (N, C, H, W)") for d in data[1:]]
    _floats(op, *xs)
    oh, ow = first.shape[2] * scale, first.shape[3] * scale
    ups = []
    for x in xs:
        h, w = x.shape[2:]
        if x.shape[0] != first.shape[0] or h == 0 or w == 0 or oh % h or ow % w \
                or oh // h != ow // w:
            raise ValueError("%s: an input of shape %s cannot be enlarged by one integer factor "
                             "to the output (%d, C, %d, %d)" % (op, x.shape, first.shape[0],
                                                                oh, ow))
        if multi_input_mode == "sum" and x.shape[1] != first.shape[1]:
            raise ValueError("%s: multi_input_mode='sum' needs inputs with the same number of "
                             "channels, got shapes %s and %s" % (op, first.shape, x.shape))
        ups.append(_nearest(x, oh // h))
    if len(ups) == 1:
        return copy(ups[0]) if scale == 1 else ups[0]
    if multi_input_mode == "concat":
        return concat(*ups, dim=1)
    return functools.reduce(lambda a, b: a + b, ups)


__all__ = ["Convolution", "Deconvolution", "Embedding", "FullyConnected", "Pooling",
           "UpSampling", "col2im", "im2col"]
