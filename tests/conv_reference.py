"""Plain numpy reference implementations of MXNet's layer ops, written
directly from the definitions (loops over output positions, no im2col), to
check ``dualtape.ops.conv`` against.  numpy only: the same functions were
compared with MXNet 1.9.1 on random inputs."""
import itertools

import numpy as np


def fully_connected(x, w, b=None, flatten=True):
    if flatten:
        x = x.reshape(x.shape[0] if x.ndim else 1, -1)
    y = np.tensordot(x, w, axes=([x.ndim - 1], [1]))
    return y if b is None else y + b


def conv_out(n, k, s, d, p):
    return (n + 2 * p - d * (k - 1) - 1) // s + 1


def convolution(x, w, b=None, stride=None, dilate=None, pad=None, num_group=1):
    """Cross-correlation of ``x`` (N, C, *S) with ``w`` (F, C/G, *K)."""
    nd = x.ndim - 2
    stride = stride or (1,) * nd
    dilate = dilate or (1,) * nd
    pad = pad or (0,) * nd
    kernel = w.shape[2:]
    xp = np.pad(x, [(0, 0), (0, 0)] + [(p, p) for p in pad])
    out_sp = [conv_out(n, k, s, d, p)
              for n, k, s, d, p in zip(x.shape[2:], kernel, stride, dilate, pad)]
    n_f, cg = w.shape[0], w.shape[1]
    fg = n_f // num_group
    y = np.zeros((x.shape[0], n_f) + tuple(out_sp))
    for o in itertools.product(*[range(m) for m in out_sp]):
        win = tuple(slice(oi * s, oi * s + d * (k - 1) + 1, d)
                    for oi, s, d, k in zip(o, stride, dilate, kernel))
        patch = xp[(slice(None), slice(None)) + win]           # (N, C, *K)
        for f in range(n_f):
            g = f // fg
            part = patch[:, g * cg:(g + 1) * cg]
            y[(slice(None), f) + o] = np.sum(part * w[f], axis=tuple(range(1, part.ndim)))
    if b is not None:
        y += b.reshape((-1,) + (1,) * nd)
    return y


def deconvolution(x, w, b=None, stride=None, dilate=None, pad=None, adj=None, num_group=1):
    """Transposed convolution of ``x`` (N, C, *S) with ``w`` (C, F/G, *K):
    every input element adds its weighted kernel into the full output, which
    is then cropped by ``pad`` at the start (and extended by ``adj`` zeros
    at the end when it runs past the full output)."""
    nd = x.ndim - 2
    stride = stride or (1,) * nd
    dilate = dilate or (1,) * nd
    pad = pad or (0,) * nd
    adj = adj or (0,) * nd
    kernel = w.shape[2:]
    n_c, fg = w.shape[0], w.shape[1]
    cg = n_c // num_group
    full = [s * (n - 1) + d * (k - 1) + 1
            for n, s, d, k in zip(x.shape[2:], stride, dilate, kernel)]
    out_sp = [f - 2 * p + a for f, p, a in zip(full, pad, adj)]
    big = np.zeros((x.shape[0], fg * num_group) + tuple(max(f, p + o)
                                                       for f, p, o in zip(full, pad, out_sp)))
    for i in itertools.product(*[range(n) for n in x.shape[2:]]):
        win = tuple(slice(ii * s, ii * s + d * (k - 1) + 1, d)
                    for ii, s, d, k in zip(i, stride, dilate, kernel))
        for c in range(n_c):
            g = c // cg
            v = x[(slice(None), c) + i].reshape((-1, 1) + (1,) * nd)
            big[(slice(None), slice(g * fg, (g + 1) * fg)) + win] += v * w[c]
    y = big[(slice(None), slice(None)) + tuple(slice(p, p + o) for p, o in zip(pad, out_sp))]
    if b is not None:
        y = y + b.reshape((-1,) + (1,) * nd)
    return y


def pooling(x, kernel, pool_type="max", stride=None, pad=None, convention="valid",
            count_include_pad=True):
    """Pooling of ``x`` (N, C, *S) as MXNet defines it: windows start at
    ``o * stride - pad``; a max ignores padding (an empty window gives the
    dtype's lowest value); an average divides by the window clipped to the
    padded input (``count_include_pad``) or to the input."""
    nd = x.ndim - 2
    stride = stride or (1,) * nd
    pad = pad or (0,) * nd
    rnd = np.floor if convention == "valid" else np.ceil
    out_sp = [int(rnd((n + 2 * p - k) / s)) + 1
              for n, k, s, p in zip(x.shape[2:], kernel, stride, pad)]
    y = np.zeros(x.shape[:2] + tuple(out_sp), x.dtype)
    for o in itertools.product(*[range(m) for m in out_sp]):
        start = [oi * s - p for oi, s, p in zip(o, stride, pad)]
        lo = [max(a, 0) for a in start]
        hi = [min(a + k, n) for a, k, n in zip(start, kernel, x.shape[2:])]
        win = x[(slice(None), slice(None)) + tuple(slice(a, max(a, b))
                                                   for a, b in zip(lo, hi))]
        flat = win.reshape(x.shape[:2] + (-1,))
        if pool_type == "max":
            v = flat.max(axis=2) if flat.shape[2] else np.finfo(x.dtype).min
        else:
            v = flat.sum(axis=2)
            if pool_type == "avg":
                if count_include_pad:
                    size = np.prod([min(a + k, n + p) - a for a, k, n, p
                                    in zip(start, kernel, x.shape[2:], pad)])
                else:
                    size = np.prod([b - a for a, b in zip(lo, hi)])
                v = v / max(size, 1)
        y[(slice(None), slice(None)) + o] = v
    return y


def max_pool_grad(x, kernel, stride=None, pad=None, convention="valid"):
    """MXNet's gradient of the sum of a max pooling: each window's first
    maximum (in row-major order over the window) gets 1."""
    nd = x.ndim - 2
    stride = stride or (1,) * nd
    pad = pad or (0,) * nd
    rnd = np.floor if convention == "valid" else np.ceil
    out_sp = [int(rnd((n + 2 * p - k) / s)) + 1
              for n, k, s, p in zip(x.shape[2:], kernel, stride, pad)]
    g = np.zeros_like(x)
    for nc in itertools.product(range(x.shape[0]), range(x.shape[1])):
        for o in itertools.product(*[range(m) for m in out_sp]):
            best = None
            for k in itertools.product(*[range(k) for k in kernel]):
                pos = tuple(oi * s - p + ki for oi, s, p, ki in zip(o, stride, pad, k))
                if all(0 <= q < n for q, n in zip(pos, x.shape[2:])) and (
                        best is None or x[nc + pos] > x[nc + best]):
                    best = pos
            if best is not None:
                g[nc + best] += 1
    return g


def embedding(idx, w):
    """Rows of ``w``; indices truncated toward zero and clipped to the rows
    (MXNet), nan as 0."""
    i = np.nan_to_num(np.asarray(idx, np.float64), nan=0.0)
    i = np.clip(np.trunc(i), 0, w.shape[0] - 1).astype(np.int64)
    return w[i]


def upsampling_nearest(inputs, scale, mode="concat"):
    """Nearest-neighbour upsampling of each input to the first one's size
    times ``scale``, then concatenated along channels or summed."""
    oh, ow = inputs[0].shape[2] * scale, inputs[0].shape[3] * scale
    ups = [np.repeat(np.repeat(a, oh // a.shape[2], axis=2), ow // a.shape[3], axis=3)
           for a in inputs]
    return np.concatenate(ups, axis=1) if mode == "concat" else sum(ups)
