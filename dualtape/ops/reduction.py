"""Reductions.  A full reduction gives shape ``(1,)``, as in MXNet 1.x.

``axis`` is an int, a tuple of ints or None; None and ``()`` reduce every
axis (MXNet), and ``exclude=True`` reduces every axis *not* named.  Over an
empty axis, ``sum`` and ``nansum`` give 0, ``prod`` and ``nanprod`` give 1,
``mean`` gives nan with numpy's warning, and ``max``, ``min`` and ``argmax``
raise (they have no value there).
"""
import numbers

import numpy as np

from .._engine import apply, wrap
from ..registry import defop, nondiff
from .convert import as_nd
from .elementwise import _const, equal, sign, where
from .structural import CONCAT, GETITEM, TRANSPOSE, _reshape, astype, broadcast_to


def _atleast1(r, dtype):
    """MXNet's rule for reductions: a result that would be 0-d has shape (1,)."""
    r = np.asarray(r, dtype=dtype)
    return r.reshape(1) if r.ndim == 0 else r


def _kept(shape, axes):
    return tuple(1 if i in axes else s for i, s in enumerate(shape))


def _shift(axes, nb):
    return tuple(a + nb for a in axes)


def _spread(g, ans, x, axes):
    """Cotangent ``g`` of a reduction broadcast back over ``x``'s shape."""
    nb = g.ndim - ans.ndim
    return broadcast_to(_reshape(g, g.shape[:nb] + _kept(x.shape, axes)), x.shape, nb)


def _reduce_tangent(op, t, x, ans, axes, keepdims):
    nb = t.ndim - x.ndim
    r = apply(op, (t,), (_shift(axes, nb), keepdims))
    return _reshape(r, t.shape[:nb] + ans.shape)


def _weighted_tangent(t, w, x, ans, axes, keepdims):
    """The tangent of a reduction whose derivative is ``w`` (shaped as ``x``):
    ``sum(t * w)`` over ``axes``, with ``t``'s batch axes kept in front."""
    return _reduce_tangent(SUM, t * w, x, ans, axes, keepdims)


def _reduction_samples(rng):
    return [([rng.standard_normal((2, 3))], ((0, 1), False)),
            ([rng.standard_normal((2, 3))], ((1,), True)),
            ([rng.standard_normal((2, 3, 2))], ((0, 2), False))]


def _count(x, axes):
    return int(np.prod([x.shape[a] for a in axes]))


# ------------------------------------------------------------------ axes ---

def _is_int(v):
    return isinstance(v, numbers.Integral) and not isinstance(v, (bool, np.bool_))


def check_axes(name, axis, ndim, arg="axis"):
    """``axis`` (an int or a sequence of ints, negative counting from the
    end) as a sorted tuple of non-negative ints.  ``TypeError`` for anything
    else, ``ValueError`` for an axis out of range or named twice; messages
    name the op and the argument."""
    axes = (axis,) if _is_int(axis) else axis
    if not isinstance(axes, (tuple, list)) or not all(_is_int(a) for a in axes):
        raise TypeError("%s: %s must be an int, a tuple of ints or None, got %r"
                        % (name, arg, axis))
    for a in axes:
        if not -ndim <= a < ndim:
            valid = "valid: %d to %d" % (-ndim, ndim - 1) if ndim else "a 0-d array has none"
            raise ValueError("%s: %s %d is out of range for an array of %d dimensions (%s)"
                             % (name, arg, a, ndim, valid))
    out = sorted(int(a) % ndim for a in axes)
    if len(set(out)) != len(out):
        raise ValueError("%s: %s %r names an axis twice" % (name, arg, axis))
    return tuple(out)


def reduce_axes(axis, ndim, exclude=False, name="reduce"):
    """The axes a reduction runs over, as MXNet: every axis when ``axis`` is
    None or ``()`` (``exclude`` then has no effect), else those named, or
    with ``exclude`` every axis but those."""
    if axis is None or (isinstance(axis, (tuple, list)) and len(axis) == 0):
        return tuple(range(ndim))
    axes = check_axes(name, axis, ndim)
    if exclude:
        axes = tuple(a for a in range(ndim) if a not in axes)
    return axes


def _nonempty(x, name, axes=None):
    """``ValueError`` for an extremum over an empty axis (it has no value)."""
    if any(x.shape[a] == 0 for a in axes):
        raise ValueError("%s of an empty array (shape %s) over axes %s"
                         % (name, x.shape, axes))


# ------------------------------------------------------------- sum, mean ---

def _np_spread(g, ans, x, axes):
    """numpy version of ``_spread`` (a fresh contiguous array)."""
    nb = g.ndim - ans.ndim
    out = np.empty(g.shape[:nb] + x.shape, g.dtype)
    np.copyto(out, g.reshape(g.shape[:nb] + _kept(x.shape, axes)))
    return out


def _reduce_fast_jvp(npf):
    def fast_jvp(ts, xs, axes, keepdims):
        x, t = xs[0], ts[0]
        y = _atleast1(npf(x, axis=axes, keepdims=keepdims), x.dtype)
        nb = t.ndim - x.ndim
        ty = npf(t, axis=_shift(axes, nb), keepdims=keepdims)
        return y, np.asarray(ty, x.dtype).reshape(t.shape[:nb] + y.shape)
    return fast_jvp


def _np_sum(x, axis, keepdims):
    return np.add.reduce(x, axis=axis, keepdims=keepdims)


def _np_mean(x, axis, keepdims):
    n = int(np.prod([x.shape[a] for a in axis])) if axis else 1
    # a float sum divided by a Python int keeps its dtype; integer data is
    # divided in float64 and cast back by the op (MXNet truncates)
    return np.true_divide(np.add.reduce(x, axis=axis, keepdims=keepdims), n)


def _sum_primal(x, axes, keepdims):
    if not keepdims and len(axes) == x.ndim:      # a full sum: MXNet's shape (1,)
        return np.add.reduce(x.reshape(-1), axis=0, keepdims=True)
    return _atleast1(_np_sum(x, axes, keepdims), x.dtype)


SUM = defop("sum", _sum_primal,
    fast_jvp=_reduce_fast_jvp(_np_sum),
    fast_vjp=lambda g, ans, xs, needs, axes, keepdims: (_np_spread(g, ans, xs[0], axes),),
    jvp=lambda ts, ans, xs, axes, keepdims: _reduce_tangent(
        SUM, ts[0], xs[0], ans, axes, keepdims),
    vjp=lambda g, ans, xs, needs, axes, keepdims: (_spread(g, ans, xs[0], axes),),
    kind="linear", samples=_reduction_samples)


MEAN = defop("mean", lambda x, axes, keepdims: _atleast1(_np_mean(x, axes, keepdims), x.dtype),
    fast_jvp=_reduce_fast_jvp(_np_mean),
    fast_vjp=lambda g, ans, xs, needs, axes, keepdims: (
        _np_spread(g, ans, xs[0], axes) / _count(xs[0], axes),),
    jvp=lambda ts, ans, xs, axes, keepdims: _reduce_tangent(
        MEAN, ts[0], xs[0], ans, axes, keepdims),
    vjp=lambda g, ans, xs, needs, axes, keepdims: (
        _spread(g, ans, xs[0], axes) / _count(xs[0], axes),),
    kind="linear", samples=_reduction_samples)


def _reduce(op, name, data, axis, keepdims, exclude):
    x = as_nd(data)
    return apply(op, (x,), (reduce_axes(axis, x.ndim, exclude, name), bool(keepdims)))


def sum(data, axis=None, keepdims=False, exclude=False):  # noqa: A001  (MXNet's name)
    """Sum over ``axis``.

    Parameters
    ----------
    data : NDArray
    axis : int, tuple of ints or None
        The axes to reduce; None or ``()`` reduces all of them.
    keepdims : bool
        Keep the reduced axes with length 1.
    exclude : bool
        Reduce every axis *not* in ``axis`` instead.

    The derivative spreads the cotangent over the reduced axes.
    """
    return _reduce(SUM, "sum", data, axis, keepdims, exclude)


def mean(data, axis=None, keepdims=False, exclude=False):
    """Mean over ``axis`` (arguments as ``sum``); integer data gives a
    truncated integer mean (MXNet).  The derivative spreads the cotangent
    divided by the count."""
    return _reduce(MEAN, "mean", data, axis, keepdims, exclude)


# ------------------------------------------------------ prod, nan-reductions ---
#
# The derivative of a product with respect to one factor is the product of
# the others.  It is computed from prefix and suffix products, never as
# ``prod / x``, so it is right where factors are zero, to every order: the
# differentiable rule builds the prefix products from shifted slices and
# multiplications (a log-depth scan of registered ops), the first-order fast
# paths with numpy's cumprod.

def _group_last(shape, axes):
    """The permutation moving ``axes`` last, and the group size."""
    rest = tuple(a for a in range(len(shape)) if a not in axes)
    return rest + tuple(axes), int(np.prod([shape[a] for a in axes]))


def _np_cofactors(x, axes):
    """numpy: each element's product of the other elements of its group."""
    perm, n = _group_last(x.shape, axes)
    xt = x.transpose(perm)
    y = xt.reshape(xt.shape[:x.ndim - len(axes)] + (n,))
    out = np.ones_like(y)
    if n > 1:
        out[..., 1:] = np.cumprod(y[..., :-1], axis=-1)
        out[..., :-1] *= np.cumprod(y[..., :0:-1], axis=-1)[..., ::-1]
    return out.reshape(xt.shape).transpose(np.argsort(perm))


def _slice_last(y, key):
    return apply(GETITEM, (y,), ((slice(None),) * (y.ndim - 1) + (key,), False))


def _exclusive_cumprod(y):
    """Products of the elements before each position along the last axis
    (1 at the first), by doubling steps: log2(n) shifted multiplications."""
    n = y.shape[-1]
    ones = _const(np.ones(y.shape[:-1] + (1,), y._data.dtype))
    s = apply(CONCAT, (ones, _slice_last(y, slice(0, n - 1))), (y.ndim - 1,))
    d = 1
    while d < n:
        s = apply(CONCAT, (_slice_last(s, slice(0, d)),
                           _slice_last(s, slice(d, n)) * _slice_last(s, slice(0, n - d))),
                  (y.ndim - 1,))
        d *= 2
    return s


def _cofactors(x, axes):
    """NDArray version of ``_np_cofactors`` (differentiable)."""
    perm, n = _group_last(x.shape, axes)
    if n <= 1:                       # the product of no other element
        return _const(np.ones(x.shape, x._data.dtype))
    xt = x if perm == tuple(range(x.ndim)) else apply(TRANSPOSE, (x,), (perm,))
    y = _reshape(xt, xt.shape[:x.ndim - len(axes)] + (n,))
    back = slice(None, None, -1)
    c = _exclusive_cumprod(y) * _slice_last(_exclusive_cumprod(_slice_last(y, back)), back)
    c = _reshape(c, xt.shape)
    if xt is x:
        return c
    return apply(TRANSPOSE, (c,), (tuple(int(i) for i in np.argsort(perm)),))


def _prod_fast_jvp(ts, xs, axes, keepdims):
    x, t = xs[0], ts[0]
    y = _atleast1(np.prod(x, axis=axes, keepdims=keepdims), x.dtype)
    nb = t.ndim - x.ndim
    ty = np.sum(t * _np_cofactors(x, axes), axis=_shift(axes, nb), keepdims=keepdims)
    return y, np.asarray(ty, x.dtype).reshape(t.shape[:nb] + y.shape)


PROD = defop("prod", lambda x, axes, keepdims: _atleast1(
        np.prod(x, axis=axes, keepdims=keepdims), x.dtype),
    fast_jvp=_prod_fast_jvp,
    fast_vjp=lambda g, ans, xs, needs, axes, keepdims: (
        _np_spread(g, ans, xs[0], axes) * _np_cofactors(xs[0], axes),),
    jvp=lambda ts, ans, xs, axes, keepdims: _weighted_tangent(
        ts[0], _cofactors(xs[0], axes), xs[0], ans, axes, keepdims),
    vjp=lambda g, ans, xs, needs, axes, keepdims: (
        _spread(g, ans, xs[0], axes) * _cofactors(xs[0], axes),),
    kind="reduction", samples=lambda rng: [
        ([rng.uniform(0.5, 1.5, (2, 3))], ((0, 1), False)),
        ([np.array([[0.7, 0.0, -1.2], [0.9, 1.3, -0.8]])], ((1,), True)),
        # two zeros in one group: the second derivative is non-zero there
        ([np.array([[[0.0, 1.1], [0.6, 0.0]], [[1.4, -0.7], [0.8, 1.2]]])], ((0, 2), False)),
        ([np.array([0.0, 0.0, 0.0, 1.5])], ((0,), False))])


def prod(data, axis=None, keepdims=False, exclude=False):
    """Product over ``axis`` (arguments as ``sum``); 1 over an empty axis.

    The derivative in each element is the product of the other elements of
    its group, computed without division: right where elements are zero, at
    every order (MXNet gives nan there).
    """
    return _reduce(PROD, "prod", data, axis, keepdims, exclude)


_ZERO_MASK = nondiff("mask_zero", lambda x: (x == 0).astype(x.dtype), kind="mask")
_ISNAN_MASK = nondiff("mask_isnan", lambda x: np.isnan(x).astype(x.dtype), kind="mask")


def _nan_to(x, value):
    """``x`` with NaN replaced by the constant ``value`` (zero derivative
    there), by ops (so that ``dt.jit`` records the mask)."""
    if x._data.dtype.kind != "f":
        return x
    return where(apply(_ISNAN_MASK, (x,)), wrap(np.array(value, x._data.dtype)), x)


def nansum(data, axis=None, keepdims=False, exclude=False):
    """Sum over ``axis`` treating NaN as 0 (arguments as ``sum``).  The
    derivative is 0 at NaN elements and 1 elsewhere."""
    x = as_nd(data)
    axes = reduce_axes(axis, x.ndim, exclude, "nansum")
    return apply(SUM, (_nan_to(x, 0.0),), (axes, bool(keepdims)))


def nanprod(data, axis=None, keepdims=False, exclude=False):
    """Product over ``axis`` treating NaN as 1 (arguments as ``sum``).  The
    derivative is 0 at NaN elements and the product of the other (non-NaN)
    elements elsewhere, right at zeros (see ``prod``)."""
    x = as_nd(data)
    axes = reduce_axes(axis, x.ndim, exclude, "nanprod")
    return apply(PROD, (_nan_to(x, 1.0),), (axes, bool(keepdims)))


sum_axis = sum


# -------------------------------------------------------------- max, min ---

def _arg_mask(ans, x, axes):
    """1 where ``x`` equals its reduced extremum (every tied element)."""
    return equal(x, _reshape(ans.detach(), _kept(x.shape, axes)))


def _extremum_op(name, npf, share=False):
    """A max or min reduction.  Every tied element gets the full derivative
    (MXNet), or with ``share`` an equal part of it (JAX, PyTorch: the
    derivative of ``max(stack([x, x]))`` is 1, not 2)."""
    def weights(ans, x, axes):
        mask = _arg_mask(ans, x, axes)
        if not share:
            return mask
        return mask / _reshape(apply(SUM, (mask,), (axes, True)), _kept(x.shape, axes))

    def jvp(ts, ans, xs, axes, keepdims):
        return _weighted_tangent(ts[0], weights(ans, xs[0], axes), xs[0], ans, axes,
                                 keepdims)

    def vjp(g, ans, xs, needs, axes, keepdims):
        return (_spread(g, ans, xs[0], axes) * weights(ans, xs[0], axes),)

    return defop(name, lambda x, axes, keepdims: _atleast1(
        npf(x, axis=axes, keepdims=keepdims), x.dtype),
        jvp=jvp, vjp=vjp, kind="reduction", samples=_reduction_samples)


MAX = _extremum_op("max", np.max)
MIN = _extremum_op("min", np.min)
NUMPY_MAX = _extremum_op("numpy_max", np.max, share=True)
NUMPY_MIN = _extremum_op("numpy_min", np.min, share=True)


def _extremum(op, name, data, axis, keepdims, exclude):
    x = as_nd(data)
    axes = reduce_axes(axis, x.ndim, exclude, name)
    _nonempty(x, name, axes)
    return apply(op, (x,), (axes, bool(keepdims)))


def max(data, axis=None, keepdims=False, exclude=False):  # noqa: A001
    """Maximum over ``axis`` (arguments as ``sum``); ``ValueError`` over an
    empty axis.  Every tied element gets the full gradient (MXNet)."""
    return _extremum(MAX, "max", data, axis, keepdims, exclude)


def min(data, axis=None, keepdims=False, exclude=False):  # noqa: A001
    """Minimum over ``axis`` (arguments as ``sum``); ``ValueError`` over an
    empty axis.  Every tied element gets the full gradient (MXNet)."""
    return _extremum(MIN, "min", data, axis, keepdims, exclude)


max_axis = max
min_axis = min

_NUMPY_DEFAULTS = {"out": None, "dtype": None, "initial": np._NoValue, "where": True}


def numpy_reduction(reduce, x, axis, keepdims, exclude, numpy_kwargs):
    """A reduction method called by numpy (``np.sum(x)`` calls
    ``x.sum(axis=..., dtype=None, out=None)``): numpy's keywords at their
    defaults are accepted, ``dtype`` converts the result; others raise."""
    dtype = numpy_kwargs.pop("dtype", None)
    for k, v in numpy_kwargs.items():
        if k not in _NUMPY_DEFAULTS:
            raise TypeError("%s() got an unexpected keyword argument %r"
                            % (reduce.__name__, k))
        if v is not _NUMPY_DEFAULTS[k]:
            raise TypeError("%s(): numpy's %s=%r is not supported (NDArray reductions "
                            "return new arrays)" % (reduce.__name__, k, v))
    r = reduce(x, axis, keepdims, exclude)
    return r if dtype is None else r.astype(dtype)


# ------------------------------------------------------------------ norm ---

def _norm_primal(x, ord, axes, keepdims):
    if ord == 1:
        r = np.sum(np.abs(x), axis=axes, keepdims=keepdims)
    else:
        r = np.sqrt(np.sum(x * x, axis=axes, keepdims=keepdims))
    return _atleast1(r, x.dtype)


def _norm_factor(ans, x, ord, axes):
    """d norm / d x, up to the reduced cotangent: sign(x), or x / norm, which
    is 0 where the norm is 0 (the subgradient PyTorch and JAX give, not nan)."""
    if ord == 1:
        return sign(x)
    n = _reshape(ans, _kept(x.shape, axes))
    return x / where(apply(_ZERO_MASK, (n,)), 1.0, n)


def _norm_jvp(ts, ans, xs, ord, axes, keepdims):
    return _weighted_tangent(ts[0], _norm_factor(ans, xs[0], ord, axes), xs[0], ans, axes,
                             keepdims)


def _norm_vjp(g, ans, xs, needs, ord, axes, keepdims):
    return (_spread(g, ans, xs[0], axes) * _norm_factor(ans, xs[0], ord, axes),)


NORM = defop("norm", _norm_primal, jvp=_norm_jvp, vjp=_norm_vjp,
             kind="reduction", samples=lambda rng: [
                 ([rng.standard_normal((2, 3))], (2, (0, 1), False)),
                 ([rng.standard_normal((2, 3))], (2, (1,), True)),
                 ([rng.standard_normal((2, 3))], (1, (0,), False)),
                 ([rng.standard_normal((2, 3, 2))], (1, (0, 2), True)),
                 ([rng.standard_normal((2, 3, 2))], (2, (0, 2), True))])

#: The output dtypes MXNet's ``norm`` and ``cumsum`` accept.
OUT_DTYPES = ("float16", "float32", "float64", "int32", "int64", "int8")


def check_dtype(name, dtype, valid, arg="dtype"):
    """``dtype`` as a numpy dtype, ``ValueError`` unless its name is in ``valid``."""
    try:
        d = np.dtype(dtype)
    except TypeError:
        d = None
    if d is None or d.name not in valid:
        raise ValueError("%s: %s must be one of %s, got %r"
                         % (name, arg, ", ".join(valid), dtype))
    return d


def norm(data, ord=2, axis=None, out_dtype=None, keepdims=False):
    """The L2 (``ord=2``) or L1 (``ord=1``) norm over ``axis``.

    Parameters
    ----------
    data : NDArray
    ord : {1, 2}
    axis : int, tuple of ints or None
        The axes to reduce (all by default, or with ``()``).  Over two or
        more axes the norm is entrywise (MXNet computes the Frobenius norm
        for ``ord=2`` and the sum of absolute values for ``ord=1``, not the
        matrix 1-norm its documentation names).
    out_dtype : {None, 'float16', 'float32', 'float64', 'int32', 'int64', 'int8'}
        The result's dtype (MXNet 1.9.1 raises for any dtype but the
        input's); the norm is computed in the input's dtype, then converted.
    keepdims : bool

    The derivative is ``sign(x)`` (L1) or ``x / norm`` (L2), 0 where the
    norm is 0 (MXNet gives nan there).  Integer data gives the truncated
    norm (MXNet 1.9.1 gives wrong values for it).
    """
    x = as_nd(data)
    if isinstance(ord, (bool, np.bool_)) or ord not in (1, 2):
        raise ValueError("norm: ord must be 1 or 2, got %r" % (ord,))
    if out_dtype is not None:
        out_dtype = check_dtype("norm", out_dtype, OUT_DTYPES, "out_dtype")
    r = apply(NORM, (x,), (int(ord), reduce_axes(axis, x.ndim, False, "norm"),
                           bool(keepdims)))
    if out_dtype is None or out_dtype == r._data.dtype:
        return r
    return astype(r, out_dtype)


# --------------------------------------------------------------- moments ---

def moments(data, axes=None, keepdims=False):
    """Mean and (biased) variance over ``axes``, as a list ``[mean, var]``.

    Parameters
    ----------
    data : NDArray
    axes : int or tuple of ints
        Required (MXNet has no default; name every axis for global moments).
    keepdims : bool

    Differentiable in both outputs; the variance's derivative is
    ``2 (x - mean) / n``.  Integer data gives truncated integer moments.
    """
    x = as_nd(data)
    if axes is None or (isinstance(axes, (tuple, list)) and len(axes) == 0):
        raise ValueError("moments: axes must name at least one axis (MXNet has no "
                         "default; pass every axis for global moments), got %r" % (axes,))
    axes = check_axes("moments", axes, x.ndim, "axes")
    m = apply(MEAN, (x,), (axes, True))
    d = x - m
    var = apply(MEAN, (d * d,), (axes, bool(keepdims)))
    return [_reshape(m, var.shape), var]


# ------------------------------------------------------- argmax, argmin ---

def _arg_primal(npf):
    def primal(x, axis, keepdims):
        return _atleast1(npf(x, axis=axis, keepdims=keepdims), x.dtype)
    return primal


ARGMAX = nondiff("argmax", _arg_primal(np.argmax))
ARGMIN = nondiff("argmin", _arg_primal(np.argmin))


def _arg_reduce(op, name, data, axis, keepdims):
    x = as_nd(data)
    if axis is not None and not _is_int(axis):
        raise TypeError("%s: axis must be an int or None, got %r" % (name, axis))
    axes = reduce_axes(axis, x.ndim, False, name)
    _nonempty(x, name, axes)
    return apply(op, (x,), (None if axis is None else axes[0], bool(keepdims)))


def argmax(data, axis=None, keepdims=False):
    """Index of the maximum along ``axis`` (of the flattened array by
    default), as values of ``data``'s dtype (MXNet); the first of tied
    maxima.  Integer-valued: zero derivative."""
    return _arg_reduce(ARGMAX, "argmax", data, axis, keepdims)


def argmin(data, axis=None, keepdims=False):
    """Index of the minimum along ``axis`` (see ``argmax``).  Zero derivative."""
    return _arg_reduce(ARGMIN, "argmin", data, axis, keepdims)


def argmax_channel(data):
    """``argmax(data, axis=1)``: the index of the largest value along the
    channel axis, as values of ``data``'s dtype; the first of tied maxima.
    Integer-valued: zero derivative."""
    x = as_nd(data)
    if x.ndim < 2:
        raise ValueError("argmax_channel: data must have at least 2 dimensions (axis 1 "
                         "holds the channels), got shape %s" % (x.shape,))
    return _arg_reduce(ARGMAX, "argmax_channel", x, 1, False)


__all__ = ["sum", "mean", "prod", "nansum", "nanprod", "max", "min", "norm", "moments",
           "argmax", "argmin", "argmax_channel", "sum_axis", "max_axis", "min_axis"]
METHODS = ("prod", "nansum", "nanprod", "argmax_channel")
