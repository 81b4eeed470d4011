"""Reductions.  A full reduction gives shape ``(1,)``, as in MXNet 1.x."""
import numpy as np

from .._engine import apply
from ..registry import defop, nondiff
from .convert import as_nd, norm_axes
from .elementwise import _const, equal, sign, where
from .structural import _reshape, broadcast_to


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


def _reduction_samples(rng):
    return [([rng.standard_normal((2, 3))], ((0, 1), False)),
            ([rng.standard_normal((2, 3))], ((1,), True)),
            ([rng.standard_normal((2, 3, 2))], ((0, 2), False))]


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


def _count(x, axes):
    return int(np.prod([x.shape[a] for a in axes]))


MEAN = defop("mean", lambda x, axes, keepdims: _atleast1(_np_mean(x, axes, keepdims), x.dtype),
    fast_jvp=_reduce_fast_jvp(_np_mean),
    fast_vjp=lambda g, ans, xs, needs, axes, keepdims: (
        _np_spread(g, ans, xs[0], axes) / _count(xs[0], axes),),
    jvp=lambda ts, ans, xs, axes, keepdims: _reduce_tangent(
        MEAN, ts[0], xs[0], ans, axes, keepdims),
    vjp=lambda g, ans, xs, needs, axes, keepdims: (
        _spread(g, ans, xs[0], axes) / _count(xs[0], axes),),
    kind="linear", samples=_reduction_samples)


def reduce_axes(axis, ndim, exclude=False):
    """The axes a reduction runs over: ``axis`` (all by default), or with
    ``exclude`` every axis but those (MXNet)."""
    axes = norm_axes(axis, ndim)
    if exclude and axis is not None:
        axes = tuple(a for a in range(ndim) if a not in axes)
    return axes


def sum(x, axis=None, keepdims=False, exclude=False):  # noqa: A001  (MXNet's name)
    """Sum over ``axis`` (an int or a tuple; all axes by default; with
    ``exclude=True`` every axis but those)."""
    x = as_nd(x)
    return apply(SUM, (x,), (reduce_axes(axis, x.ndim, exclude), bool(keepdims)))


def mean(x, axis=None, keepdims=False, exclude=False):
    """Mean over ``axis`` (see ``sum``)."""
    x = as_nd(x)
    return apply(MEAN, (x,), (reduce_axes(axis, x.ndim, exclude), bool(keepdims)))


# -------------------------------------------------------------- max, min ---

def _arg_mask(ans, x, axes):
    """1 where ``x`` equals its reduced extremum (every tied element)."""
    return equal(x, _reshape(_const(ans._data), _kept(x.shape, axes)))


def _extremum_op(name, npf):
    def jvp(ts, ans, xs, axes, keepdims):
        t, x = ts[0], xs[0]
        nb = t.ndim - x.ndim
        r = apply(SUM, (t * _arg_mask(ans, x, axes),), (_shift(axes, nb), keepdims))
        return _reshape(r, t.shape[:nb] + ans.shape)

    def vjp(g, ans, xs, needs, axes, keepdims):
        return (_spread(g, ans, xs[0], axes) * _arg_mask(ans, xs[0], axes),)

    return defop(name, lambda x, axes, keepdims: _atleast1(
        npf(x, axis=axes, keepdims=keepdims), x.dtype),
        jvp=jvp, vjp=vjp, kind="reduction", samples=_reduction_samples)


MAX = _extremum_op("max", np.max)
MIN = _extremum_op("min", np.min)


def max(x, axis=None, keepdims=False, exclude=False):  # noqa: A001
    """Maximum over ``axis`` (see ``sum``); every tied element gets the full
    gradient."""
    x = as_nd(x)
    axes = reduce_axes(axis, x.ndim, exclude)
    _nonempty(x, "max", axes)
    return apply(MAX, (x,), (axes, bool(keepdims)))


def min(x, axis=None, keepdims=False, exclude=False):  # noqa: A001
    """Minimum over ``axis`` (see ``sum``); every tied element gets the full
    gradient."""
    x = as_nd(x)
    axes = reduce_axes(axis, x.ndim, exclude)
    _nonempty(x, "min", axes)
    return apply(MIN, (x,), (axes, bool(keepdims)))


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


def _nonempty(x, name, axes=None):
    """``ValueError`` for an extremum over an empty axis (it has no value)."""
    if any(x.shape[a] == 0 for a in axes):
        raise ValueError("%s of an empty array (shape %s) over axes %s"
                         % (name, x.shape, axes))


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
    return x / where(_const((n._data == 0).astype(n._data.dtype)), 1.0, n)


def _norm_jvp(ts, ans, xs, ord, axes, keepdims):
    t, x = ts[0], xs[0]
    nb = t.ndim - x.ndim
    r = apply(SUM, (t * _norm_factor(ans, x, ord, axes),), (_shift(axes, nb), keepdims))
    return _reshape(r, t.shape[:nb] + ans.shape)


def _norm_vjp(g, ans, xs, needs, ord, axes, keepdims):
    return (_spread(g, ans, xs[0], axes) * _norm_factor(ans, xs[0], ord, axes),)


NORM = defop("norm", _norm_primal, jvp=_norm_jvp, vjp=_norm_vjp,
             kind="reduction", samples=lambda rng: [
                 ([rng.standard_normal((2, 3))], (2, (0, 1), False)),
                 ([rng.standard_normal((2, 3))], (2, (1,), True)),
                 ([rng.standard_normal((2, 3))], (1, (0,), False))])


def norm(x, ord=2, axis=None, keepdims=False):
    """The L2 (``ord=2``) or L1 (``ord=1``) norm over ``axis`` (all by default)."""
    x = as_nd(x)
    if ord not in (1, 2):
        raise ValueError("norm: ord must be 1 or 2, got %r" % (ord,))
    return apply(NORM, (x,), (ord, norm_axes(axis, x.ndim), bool(keepdims)))


# ------------------------------------------------------- argmax, argmin ---

def _arg_primal(npf):
    def primal(x, axis):
        if axis is None:
            return _atleast1(npf(x), x.dtype)
        return _atleast1(npf(x, axis=axis), x.dtype)
    return primal


ARGMAX = nondiff("argmax", _arg_primal(np.argmax))
ARGMIN = nondiff("argmin", _arg_primal(np.argmin))


def argmax(x, axis=None):
    """Index of the maximum along ``axis`` as values of ``x``'s dtype (MXNet)."""
    x = as_nd(x)
    _nonempty(x, "argmax", norm_axes(axis, x.ndim))
    return apply(ARGMAX, (x,), (None if axis is None else norm_axes(axis, x.ndim)[0],))


def argmin(x, axis=None):
    """Index of the minimum along ``axis`` as values of ``x``'s dtype (MXNet)."""
    x = as_nd(x)
    _nonempty(x, "argmin", norm_axes(axis, x.ndim))
    return apply(ARGMIN, (x,), (None if axis is None else norm_axes(axis, x.ndim)[0],))


__all__ = ["sum", "mean", "max", "min", "norm", "argmax", "argmin"]
