"""``dualtape.special``: scipy.special's functions on dualtape arrays,
differentiable in both modes.

The names, signatures, dtypes (float32 stays float32, integers give float64)
and values are scipy's, with numpy's broadcasting; arguments may be
``dualtape.numpy`` arrays, ``nd`` arrays, numpy arrays or Python numbers,
and results are dualtape arrays of the inputs' flavour (as the functions of
``dualtape.numpy``).  The ufuncs accept scipy's ``out``, ``where`` and
casting keywords at their defaults only.
"""
import math

import numpy as np
import scipy.special as sp

from ._engine import apply
from .ops import elementwise as E, math as M, nn, structural as S
from .ops.convert import broadcast_shape
from .ops.elementwise import _unary_samples, defbinary, defunary, extend_math
from .ops.math import _keeping_dtype
from .numpy._core import asarray, like_inputs
from .numpy._reductions import max as _max, normalize_axes, sum as _sum
from .numpy._ufuncs import (add, binary, exp, isfinite, log, multiply, not_equal, result_dtype,
                             subtract, unary, where)

__all__ = ["erf", "erfc", "erfinv", "gammaln", "digamma", "expit", "logit", "xlogy",
           "xlog1py", "logsumexp", "softmax", "log_softmax", "entr"]

extend_math("log1p", np.log1p, M.log1p)

ERFC = defunary("erfc", _keeping_dtype(sp.erfc),
                lambda F, ans, x: (-2.0 / math.sqrt(math.pi)) * F.exp(-x * x))
LOGIT = defunary("logit", _keeping_dtype(sp.logit), lambda F, ans, x: 1.0 / (x * (1.0 - x)),
                 samples=_unary_samples(0.1, 0.9))
ENTR = defunary("entr", _keeping_dtype(sp.entr), lambda F, ans, x: -1.0 - F.log(x),
                samples=_unary_samples(0.2, 3.0))


# x log(y) is 0 along x == 0 whatever y, so its derivative in y is 0 there:
# only the points where x / y would be 0 / 0 are masked, and compute with y
# replaced by 1, so that the rules stay differentiable in both operands.
def _xlogy_dy(F, ans, x, y):
    cut = F.eq(x, 0.0) * F.eq(y, 0.0)
    return x / F.where(cut, 1.0, y)


def _xlog1py_dy(F, ans, x, y):
    cut = F.eq(x, 0.0) * F.eq(y, -1.0)
    return x / F.where(cut, 1.0, 1.0 + y)


def _binary_samples(low, high):
    def samples(rng):
        u = lambda *s: rng.uniform(low, high, s)  # noqa: E731
        return [([u(2, 3), u(2, 3)], ()), ([u(2, 3), u(3)], ()),
                ([np.array([0.0, 1.5, 0.0]), u(3)], ())]
    return samples


XLOGY = defbinary("xlogy", _keeping_dtype(sp.xlogy), lambda F, ans, x, y: F.log(y), _xlogy_dy,
                  samples=_binary_samples(0.2, 3.0))
XLOG1PY = defbinary("xlog1py", _keeping_dtype(sp.xlog1py),
                    lambda F, ans, x, y: F.log1p(y), _xlog1py_dy,
                    samples=_binary_samples(-0.7, 2.0))

_S = "scipy.special"
erf = unary("erf", M.ERF, sp.erf, module=_S)
erf.__doc__ += "  Derivative ``2 / sqrt(pi) * exp(-x**2)``."
erfc = unary("erfc", ERFC, sp.erfc, module=_S)
erfc.__doc__ += ("  ``1 - erf(x)`` without its cancellation; derivative "
                 "``-2 / sqrt(pi) * exp(-x**2)``.")
erfinv = unary("erfinv", M.ERFINV, sp.erfinv, module=_S)
erfinv.__doc__ += "  Derivative ``sqrt(pi) / 2 * exp(erfinv(x)**2)``."
gammaln = unary("gammaln", M.GAMMALN, sp.gammaln, module=_S)
gammaln.__doc__ += "  ``log |gamma(x)|``; derivative ``digamma(x)``."
digamma = unary("digamma", M.POLYGAMMA, sp.digamma, module=_S, params=(0,))
digamma.__doc__ += "  Derivative ``polygamma(1, x)``."
expit = unary("expit", E.SIGMOID, sp.expit, module=_S)
expit.__doc__ += "  The logistic sigmoid; derivative ``expit(x) * (1 - expit(x))``."
logit = unary("logit", LOGIT, sp.logit, module=_S)
logit.__doc__ += "  ``log(x / (1 - x))``; derivative ``1 / (x (1 - x))``."
entr = unary("entr", ENTR, sp.entr, module=_S)
entr.__doc__ += ("  ``-x log(x)`` (0 at 0, -inf below); derivative ``-1 - log(x)``: "
                 "+inf at 0, nan below.")
xlogy = binary("xlogy", sp.xlogy, XLOGY, module=_S)
xlogy.__doc__ += ("  ``x * log(y)``, 0 where ``x == 0`` (unless ``y`` is nan); the "
                  "derivative is ``log(y)`` in ``x`` and ``x / y`` in ``y``, 0 where "
                  "``x == 0``.")
xlog1py = binary("xlog1py", sp.xlog1py, XLOG1PY, module=_S)
xlog1py.__doc__ += ("  ``x * log1p(y)``, 0 where ``x == 0`` (unless ``y`` is nan); the "
                    "derivative is ``log1p(y)`` in ``x`` and ``x / (1 + y)`` in ``y``, 0 "
                    "where ``x == 0``.")


def logsumexp(a, axis=None, b=None, keepdims=False, return_sign=False):
    """scipy.special.logsumexp: ``log(sum(b * exp(a)))`` over ``axis`` (all
    axes by default), computed stably (the largest ``a`` is taken out; a
    ``b`` of 0 drops its entry, also an infinite one); ``a`` and ``b``
    broadcast.  The derivative is ``b * exp(a - out)`` in ``a`` (the softmax
    weights) and ``exp(a - out)`` in ``b``.  ``return_sign=True`` is not
    supported (a negative sum gives nan)."""
    if return_sign:
        raise NotImplementedError("logsumexp: return_sign=True is not supported")
    dt = result_dtype(np.logaddexp, a, a if b is None else b)
    x = asarray(a, dt)
    if b is not None:
        w = asarray(b, dt)
        shape = broadcast_shape("logsumexp", x, w)
        x, w = (v if v.shape == shape else S.broadcast_to(v, shape) for v in (x, w))
        x = where(not_equal(w, 0), x, -np.inf)
    axes = normalize_axes("logsumexp", axis, x.ndim)
    # the shift, a constant, by ops (no values read in Python: dt.jit traces it)
    top = _max(x.detach(), axis=axes, keepdims=True, initial=-np.inf)
    top = where(isfinite(top), top, np.array(0, dt))
    terms = exp(subtract(x, top))
    if b is not None:
        terms = multiply(w, terms)
    with np.errstate(divide="ignore"):
        out = add(log(_sum(terms, axis=axes, keepdims=True)), top)
    if not keepdims:
        out = S.view_as(out, tuple(n for i, n in enumerate(out.shape) if i not in axes))
    return like_inputs(out, (a, b))


def _along(op, name, x, axis):
    """``op`` (softmax or log_softmax along one axis) along ``axis``: several
    axes are moved to the end and merged into one."""
    a = asarray(x, result_dtype(np.exp, x))
    axes = normalize_axes(name, axis, a.ndim)
    if any(a.shape[i] == 0 for i in axes):
        raise ValueError("%s: zero-size array along axis %s (no maximum to subtract)"
                         % (name, axis))
    if len(axes) == 1:
        return like_inputs(apply(op, (a,), (axes[0],)), (x,))
    kept = [i for i in range(a.ndim) if i not in axes]
    order = tuple(kept) + axes
    t = a if order == tuple(range(a.ndim)) else S.transpose(a, order)
    lead = t.shape[:len(kept)]
    r = apply(op, (S.view_as(t, lead + (int(np.prod(t.shape[len(kept):])),)),), (len(lead),))
    r = S.view_as(r, t.shape)
    if t is not a:
        r = S.transpose(r, tuple(int(i) for i in np.argsort(order)))
    return like_inputs(r, (x,))


def softmax(x, axis=None):
    """scipy.special.softmax: ``exp(x) / sum(exp(x))`` over ``axis`` (all
    axes by default; an int or a tuple), computed stably.  The derivative is
    ``s * (t - sum(s * t))`` for a tangent ``t`` (``s`` the softmax)."""
    return _along(nn.SOFTMAX, "softmax", x, axis)


def log_softmax(x, axis=None):
    """scipy.special.log_softmax: ``x - logsumexp(x)`` over ``axis`` (all
    axes by default), computed stably.  The derivative is ``t - sum(softmax
    * t)`` for a tangent ``t``."""
    return _along(nn.LOG_SOFTMAX, "log_softmax", x, axis)
