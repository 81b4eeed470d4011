"""Softmax and log-softmax along one axis."""
import numpy as np

from .._engine import apply
from ..registry import defop
from .convert import as_nd, norm_axis
from .elementwise import exp
from .reduction import sum as _sum


def _softmax_primal(x, axis):
    e = np.exp(x - np.max(x, axis=axis, keepdims=True))
    e /= np.sum(e, axis=axis, keepdims=True)
    return e


def _log_softmax_primal(x, axis):
    s = x - np.max(x, axis=axis, keepdims=True)
    return s - np.log(np.sum(np.exp(s), axis=axis, keepdims=True))


def _neg(axis, ndim):
    return axis - ndim      # negative axes are unaffected by leading batch axes


def _softmax_jvp(ts, ans, xs, axis):
    t, a = ts[0], _neg(axis, ans.ndim)
    return ans * (t - _sum(ans * t, a, keepdims=True))


def _softmax_vjp(g, ans, xs, needs, axis):
    a = _neg(axis, ans.ndim)
    return (ans * (g - _sum(g * ans, a, keepdims=True)),)


def _log_softmax_jvp(ts, ans, xs, axis):
    t, a = ts[0], _neg(axis, ans.ndim)
    return t - _sum(exp(ans) * t, a, keepdims=True)


def _log_softmax_vjp(g, ans, xs, needs, axis):
    a = _neg(axis, ans.ndim)
    return (g - exp(ans) * _sum(g, a, keepdims=True),)


def _samples(rng):
    return [([rng.standard_normal((2, 4))], (1,)), ([rng.standard_normal((3, 2))], (0,))]


SOFTMAX = defop("softmax", _softmax_primal, jvp=_softmax_jvp, vjp=_softmax_vjp,
                kind="nn", samples=_samples)
LOG_SOFTMAX = defop("log_softmax", _log_softmax_primal, jvp=_log_softmax_jvp,
                    vjp=_log_softmax_vjp, kind="nn", samples=_samples)


def softmax(x, axis=-1):
    """Softmax along ``axis``."""
    x = as_nd(x)
    return apply(SOFTMAX, (x,), (norm_axis(axis, x.ndim),))


def log_softmax(x, axis=-1):
    """Log of the softmax along ``axis``, computed stably."""
    x = as_nd(x)
    return apply(LOG_SOFTMAX, (x,), (norm_axis(axis, x.ndim),))


__all__ = ["softmax", "log_softmax"]
