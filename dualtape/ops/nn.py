"""Activations, softmax, normalisation, dropout and loss layers.

The loss layers ``SoftmaxOutput`` and ``*RegressionOutput`` reverse-propagate
MXNet's loss gradient, not the derivative of their output: they are registered
with ``defloss`` (kind ``"loss"``, skipped by the finite-difference sweeps)
and tested against gradients recorded from MXNet 1.9.1.
"""
import math
import numbers
import types

import numpy as np
from scipy import special

from .._engine import NDArray, apply, get_tracer, is_recording, is_training, wrap
from ..registry import defloss, defop
from . import rng as _rng
from .convert import as_nd, norm_axes, norm_axis, same_dtype, to_numpy
from .elementwise import NP, defbinary, defunary, exp, sigmoid
from .reduction import mean, sum as _sum
from .structural import _nb, _reshape, broadcast_to, copy, fit, sum_to, view_as

_FLOAT_DTYPES = ("float16", "float32", "float64")


def _check_float(name, x):
    if x._data.dtype.kind != "f":
        raise TypeError("%s: data must be a float array (float16, float32 or float64), "
                        "got %s" % (name, x._data.dtype))


def _choice(name, arg, value, valid):
    if value not in valid:
        raise ValueError("%s: %s must be one of %s, got %r"
                         % (name, arg, ", ".join(repr(v) for v in valid), value))
    return value


def _like(name, arg, value, data, shape=None):
    """``value`` as an NDArray of ``data``'s dtype (and of ``shape`` if given)."""
    v = as_nd(value, data)
    same_dtype("%s (data and %s)" % (name, arg), data, v)
    if shape is not None and v.shape != tuple(shape):
        raise ValueError("%s: %s must have shape %s, got %s" % (name, arg, tuple(shape), v.shape))
    return v


# ------------------------------------------------------------- softmax ---

def _softmax_primal(x, axis, mask=None):
    if mask is not None:
        x = np.where(mask, x, -np.inf)
    m = np.max(x, axis=axis, keepdims=True, initial=-np.inf)
    if mask is not None:                # a row with every entry masked gives zeros
        m = np.where(np.isfinite(m), m, 0)
    e = np.exp(x - m)
    s = np.sum(e, axis=axis, keepdims=True)
    return e / (s if mask is None else np.where(s == 0, 1, s))


def _log_softmax_primal(x, axis):
    if x.shape[axis] == 0:
        return x.copy()
    s = x - np.max(x, axis=axis, keepdims=True, initial=-np.inf)
    return s - np.log(np.sum(np.exp(s), axis=axis, keepdims=True))


def _neg(axis, ndim):
    return axis - ndim      # negative axes are unaffected by leading batch axes


# A masked softmax is 0 where masked, so the rules need no mask: the entries
# with ans == 0 drop out of both.
def _softmax_jvp(ts, ans, xs, axis, mask=None):
    t, a = ts[0], _neg(axis, ans.ndim)
    return ans * (t - _sum(ans * t, a, keepdims=True))


def _softmax_vjp(g, ans, xs, needs, axis, mask=None):
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


def _masked_samples(rng):
    mask = np.array([[True, True, False, False], [False, False, False, False],
                     [True, True, True, True]])
    return _samples(rng) + [([rng.standard_normal((3, 4))], (1, mask))]


SOFTMAX = defop("softmax", _softmax_primal, jvp=_softmax_jvp, vjp=_softmax_vjp,
                kind="nn", samples=_masked_samples)
LOG_SOFTMAX = defop("log_softmax", _log_softmax_primal, jvp=_log_softmax_jvp,
                    vjp=_log_softmax_vjp, kind="nn", samples=_samples)


def _softmax_input(name, data, axis, temperature, dtype):
    """Checked ``data`` (cast to ``dtype``, scaled by ``1 / temperature``) and
    its axis."""
    x = as_nd(data)
    _check_float(name, x)
    if x.ndim == 0:
        raise ValueError("%s: data must have at least one axis" % name)
    axis = norm_axis(axis, x.ndim)
    if dtype is not None:
        try:
            name_of = np.dtype(dtype).name
        except TypeError:
            name_of = dtype
        x = x.astype(_choice(name, "dtype", name_of, _FLOAT_DTYPES), copy=False)
    if temperature is not None and temperature != 1:
        if temperature == 0:
            raise ValueError("%s: temperature must not be 0" % name)
        x = x / float(temperature)
    return x, axis


def _length_mask(x, axis, length):
    """Where the positions along ``axis`` are below ``length`` (MXNet's
    ``use_length``)."""
    if not isinstance(length, NDArray) or length._data.dtype.kind not in "iu":
        raise TypeError("softmax: length must be an integer NDArray, got %s"
                        % (getattr(length, "dtype", type(length).__name__),))
    want = x.shape[:axis] + x.shape[axis + 1:]
    if length.shape != want:
        raise ValueError("softmax: length must have the shape of data without axis %d, %s, "
                         "got %s" % (axis, want, length.shape))
    n = length._data
    if np.any(n < 0):
        raise ValueError("softmax: length must not be negative")
    shape = [1] * x.ndim
    shape[axis] = x.shape[axis]
    return np.arange(x.shape[axis]).reshape(shape) < np.expand_dims(n, axis)


def softmax(data, length=None, axis=-1, temperature=None, dtype=None, use_length=False):
    """Softmax along ``axis``: ``exp(x / T) / sum(exp(x / T))``.

    Parameters
    ----------
    data : NDArray
        Float data.
    length : NDArray of int, optional
        With ``use_length=True``: how many leading entries along ``axis``
        take part, per position of the other axes (shape of ``data`` without
        ``axis``); the others give 0 (MXNet 1.9.1 gives garbage for a length
        beyond the axis: it is read as the whole axis).  An integer in this
        place is read as ``axis``, so that ``x.softmax(1)`` works (MXNet
        raises there).
    axis : int
    temperature : float, optional
        ``T`` (1 by default; 0 raises, MXNet gives nan).
    dtype : {None, 'float16', 'float32', 'float64'}
        The output dtype (computed in it).
    use_length : bool

    The derivative is ``s * (t - sum(s * t))`` (zero at masked entries).
    """
    if isinstance(length, numbers.Integral) and not isinstance(length, bool):
        if axis != -1:
            raise TypeError("softmax: got an integer length %r and axis=%r; length must be "
                            "an integer NDArray" % (length, axis))
        length, axis = None, length
    if use_length and length is None:
        raise ValueError("softmax: use_length=True needs a length array")
    if length is not None and not use_length:
        raise ValueError("softmax: a length array is used only with use_length=True")
    x, axis = _softmax_input("softmax", data, axis, temperature, dtype)
    if use_length:
        return apply(SOFTMAX, (x,), (axis, _length_mask(x, axis, length)))
    return apply(SOFTMAX, (x,), (axis,))


def _no_length(name, use_length):
    if use_length:
        raise ValueError("%s: use_length=True needs a length input, which MXNet's %s does "
                         "not take" % (name, name))


def log_softmax(data, axis=-1, temperature=None, dtype=None, use_length=False):
    """Log of the softmax along ``axis``, computed stably (see ``softmax``
    for the arguments; ``use_length`` must be false, as in MXNet).  The
    derivative is ``t - softmax * sum(t)``."""
    _no_length("log_softmax", use_length)
    x, axis = _softmax_input("log_softmax", data, axis, temperature, dtype)
    return apply(LOG_SOFTMAX, (x,), (axis,))


def softmin(data, axis=-1, temperature=None, dtype=None, use_length=False):
    """Softmax of ``-data`` along ``axis`` (MXNet's ``softmin``; arguments
    as ``log_softmax``).  Differentiable as ``softmax``."""
    _no_length("softmin", use_length)
    x, axis = _softmax_input("softmin", data, axis, temperature, dtype)
    return apply(SOFTMAX, (-x,), (axis,))


def SoftmaxActivation(data, mode="instance"):
    """Softmax over every axis but the first (``mode='instance'``) or over
    axis 1 (``mode='channel'``); MXNet's deprecated layer.  Differentiable
    as ``softmax``."""
    _choice("SoftmaxActivation", "mode", mode, ("instance", "channel"))
    x = as_nd(data)
    _check_float("SoftmaxActivation", x)
    if x.ndim < 2:
        raise ValueError("SoftmaxActivation: data must have at least 2 axes, got shape %s"
                         % (x.shape,))
    if mode == "channel":
        return apply(SOFTMAX, (x,), (1,))
    flat = view_as(x, (x.shape[0], int(np.prod(x.shape[1:]))))
    return view_as(apply(SOFTMAX, (flat,), (1,)), x.shape)


# ---------------------------------------------------------- activations ---
#
# Activation and LeakyReLU are elementwise ops with the act_type as a
# parameter; each local derivative is written once against ``F`` (numpy or
# NDArray) as in ``elementwise.py``, with the extra functions below.

def _np_sigmoid(x):
    return np.exp(-np.logaddexp(0, -x))


def _np_normal_cdf(x):
    return special.ndtr(x).astype(x.dtype, copy=False)


_INV_SQRT_2PI = 1.0 / math.sqrt(2.0 * math.pi)


def _normal_pdf(F, x):
    return _ext(F).exp(x * x * -0.5) * _INV_SQRT_2PI


NORMAL_CDF = defunary("normal_cdf", _np_normal_cdf, lambda F, ans, x: _normal_pdf(F, x),
                      samples=lambda rng: [([rng.uniform(-3, 3, (5,))], ())])

_NPX = types.SimpleNamespace(exp=np.exp, sigmoid=_np_sigmoid, normal_cdf=_np_normal_cdf)
_NDX = types.SimpleNamespace(exp=exp, sigmoid=sigmoid,
                             normal_cdf=lambda x: apply(NORMAL_CDF, (x,)))


def _ext(F):
    """The functions ``F`` lacks (exp, sigmoid, the normal cdf), of its kind."""
    return _NPX if F is NP else _NDX


def _activation_primal(x, act_type):
    if act_type == "relu":
        return np.maximum(x, 0)
    if act_type == "sigmoid":
        return _np_sigmoid(x)
    if act_type == "tanh":
        return np.tanh(x)
    if act_type == "softrelu":
        return np.logaddexp(0, x)
    return x / (1 + np.abs(x))                          # softsign


def _activation_deriv(F, ans, x, act_type):
    if act_type == "relu":
        return F.step(x)
    if act_type == "sigmoid":
        return ans * (1.0 - ans)
    if act_type == "tanh":
        return 1.0 - ans * ans
    if act_type == "softrelu":
        return _ext(F).sigmoid(x)
    r = 1.0 / (1.0 + x * F.sign(x))                     # softsign: 1 / (1 + |x|)^2
    return r * r


def _away_from_zero(rng, shape, low=0.2, high=2.0):
    return rng.uniform(low, high, shape) * rng.choice([-1.0, 1.0], shape)


ACTIVATIONS = ("relu", "sigmoid", "tanh", "softrelu", "softsign")
ACTIVATION = defunary(
    "activation", _activation_primal, _activation_deriv,
    samples=lambda rng: [([_away_from_zero(rng, (2, 3))], (a,))
                         for a in ("sigmoid", "relu", "tanh", "softrelu", "softsign")])


def Activation(data, act_type):
    """Elementwise activation: ``'relu'``, ``'sigmoid'``, ``'tanh'``,
    ``'softrelu'`` (``log(1 + exp(x))``) or ``'softsign'`` (``x / (1 + |x|)``).

    The derivative is the activation's own (``relu'(0) = 0``, as MXNet).
    """
    _choice("Activation", "act_type", act_type, ACTIVATIONS)
    x = as_nd(data)
    _check_float("Activation", x)
    return apply(ACTIVATION, (x,), (act_type,))


_SELU_ALPHA = 1.6732632423543772
_SELU_LAMBDA = 1.0507009873554805


def _leaky_primal(x, act_type, slope):
    if act_type == "leaky":
        return np.where(x > 0, x, x * slope)
    if act_type == "elu":
        return np.where(x > 0, x, np.expm1(np.minimum(x, 0)) * slope)
    if act_type == "selu":
        return np.where(x > 0, x, np.expm1(np.minimum(x, 0)) * _SELU_ALPHA) * _SELU_LAMBDA
    return x * _np_normal_cdf(x)                        # gelu (the erf form)


def _leaky_deriv(F, ans, x, act_type, slope):
    # MXNet's derivative at 0 is the left one: slope, slope, lambda * alpha
    if act_type == "leaky":
        return slope + (1.0 - slope) * F.step(x)
    if act_type == "elu":
        return F.where(F.step(x), 1.0, ans + slope)
    if act_type == "selu":
        return F.where(F.step(x), _SELU_LAMBDA, ans + _SELU_LAMBDA * _SELU_ALPHA)
    return _ext(F).normal_cdf(x) + x * _normal_pdf(F, x)


LEAKY_RELU = defunary(
    "leakyrelu", _leaky_primal, _leaky_deriv,
    samples=lambda rng: [([_away_from_zero(rng, (2, 3))], (a, 0.3))
                         for a in ("gelu", "leaky", "elu", "selu")])


def _prelu_samples(rng):
    return [([_away_from_zero(rng, (2, 3, 2)), rng.uniform(0.1, 0.5, (3, 1))], ()),
            ([_away_from_zero(rng, (4,)), rng.uniform(0.1, 0.5, (1,))], ())]


PRELU = defbinary("prelu", lambda x, g: np.where(x > 0, x, x * g),
                  lambda F, ans, x, g: F.step(x) + (1.0 - F.step(x)) * g,
                  lambda F, ans, x, g: x * (1.0 - F.step(x)), samples=_prelu_samples)


def LeakyReLU(data, gamma=None, act_type="leaky", slope=0.25, lower_bound=0.125,
              upper_bound=0.334):
    """Leaky rectifiers and their smooth relatives.

    ``act_type`` is ``'leaky'`` (``x`` if ``x > 0`` else ``slope * x``),
    ``'prelu'`` (the same with a learned ``gamma`` per channel, axis 1, or
    one value), ``'elu'`` (``slope * (exp(x) - 1)`` for ``x <= 0``),
    ``'selu'`` (scaled elu with fixed constants; ``slope`` unused),
    ``'gelu'`` (``x * Phi(x)``, the erf form; ``slope`` unused) or
    ``'rrelu'`` (a random slope from ``[lower_bound, upper_bound)`` per
    element in training, a constant of the derivative; their mean
    otherwise).  MXNet's rrelu also returns its slopes as a second output
    (uninitialised in predict mode); this returns the result only.

    Differentiable in ``data`` and ``gamma``; at 0 the derivative in
    ``data`` is the left one (``slope``), as in MXNet.  Below 0 the selu
    derivative is ``y + lambda * alpha`` (MXNet 1.9.1 gives the wrong
    ``lambda * (y + alpha)``).
    """
    _choice("LeakyReLU", "act_type", act_type,
            ("leaky", "prelu", "elu", "selu", "gelu", "rrelu"))
    x = as_nd(data)
    _check_float("LeakyReLU", x)
    if (gamma is None) == (act_type == "prelu"):
        raise ValueError("LeakyReLU: gamma is needed for act_type='prelu' and only then, "
                         "got act_type=%r with gamma=%s" % (act_type, gamma))
    if act_type == "prelu":
        g = _like("LeakyReLU", "gamma", gamma, x)
        channels = x.shape[1] if x.ndim > 1 else (x.shape[0] if x.ndim else 1)
        if g.size not in (1, channels):
            raise ValueError("LeakyReLU: gamma must have 1 or %d (channel) elements for data "
                             "of shape %s, got shape %s" % (channels, x.shape, g.shape))
        if x.ndim == 0 or g.size == 1:
            shape = (1,) * min(x.ndim, 1)
        else:
            shape = _channel_shape(x.ndim, 1 if x.ndim > 1 else 0, channels)
        return apply(PRELU, (x, view_as(g, shape)))
    if act_type == "rrelu":
        if not lower_bound <= upper_bound:
            raise ValueError("LeakyReLU: lower_bound %r is greater than upper_bound %r"
                             % (lower_bound, upper_bound))
        if not is_training():
            return apply(LEAKY_RELU, (x,), ("leaky", (lower_bound + upper_bound) / 2.0))
        slopes = _rng.generator().uniform(lower_bound, upper_bound, x.shape)
        return apply(PRELU, (x, wrap(slopes.astype(x._data.dtype))))
    return apply(LEAKY_RELU, (x,), (act_type, float(slope)))


def _smooth_l1_primal(x, sigma):
    s2 = sigma * sigma
    if s2 == 0:
        return np.zeros_like(x)
    a = np.abs(x)
    return np.where(a < 1.0 / s2, x * x * (0.5 * s2), a - 0.5 / s2)


def _smooth_l1_deriv(F, ans, x, sigma):
    s2 = sigma * sigma
    if s2 == 0:
        return 0.0
    inside = F.inside(x, -1.0 / s2, 1.0 / s2)
    return inside * (x * s2) + (1.0 - inside) * F.sign(x)


SMOOTH_L1 = defunary("smooth_l1", _smooth_l1_primal, _smooth_l1_deriv, kind="piecewise",
                     samples=lambda rng: [
                         ([np.array([-2.5, -0.6, 0.3, 0.9, 1.6])], (1.0,)),
                         ([np.array([[-1.0, -0.1], [0.15, 0.7]])], (2.0,))])


def smooth_l1(data, scalar=1.0):
    """``0.5 * (sigma * x)**2`` where ``|x| < 1 / sigma**2``, else
    ``|x| - 0.5 / sigma**2``, with ``sigma = scalar``.  The derivative is
    ``sigma**2 * x`` inside and ``sign(x)`` outside."""
    x = as_nd(data)
    _check_float("smooth_l1", x)
    return apply(SMOOTH_L1, (x,), (float(scalar),))


# ---------------------------------------------------------- normalisation ---
#
# Every normalisation layer is ``(x - mean) / sqrt(var + eps) * gamma + beta``
# with the statistics over some axes (given negative, so that tangents' batch
# axes leave them alone) and ``gamma``/``beta`` reshaped to broadcast against
# ``x``.  The derivative of the standardised ``xhat`` along ``t`` is
# ``r * (t - mean(t) - xhat * mean(xhat * t))`` with ``r = 1 / sqrt(var + eps)``:
# a symmetric map, so the same expression gives the JVP and the VJP.

def _normalize_primal(x, gamma, beta, axes, eps):
    xc = x - np.mean(x, axis=axes, keepdims=True)
    var = np.mean(xc * xc, axis=axes, keepdims=True)
    return xc / np.sqrt(var + eps) * gamma + beta


def _moments(x, axes, eps):
    """The mean, ``x - mean`` and ``var + eps`` over ``axes`` (kept)."""
    mu = mean(x, axes, keepdims=True)
    xc = x - mu
    return mu, xc, mean(xc * xc, axes, keepdims=True) + eps


def _standardize(x, axes, eps):
    _, xc, v = _moments(x, axes, eps)
    r = v ** -0.5
    return xc * r, r


def _project(t, xhat, r, axes):
    return r * (t - mean(t, axes, keepdims=True) - xhat * mean(xhat * t, axes, keepdims=True))


def _normalize_jvp(ts, ans, xs, axes, eps):
    x, gamma, _ = xs
    xhat, r = _standardize(x, axes, eps)
    terms = []
    if ts[0] is not None:
        terms.append(_project(ts[0], xhat, r, axes) * gamma)
    if ts[1] is not None:
        terms.append(xhat * ts[1])
    if ts[2] is not None:
        terms.append(ts[2])
    return fit(sum(terms[1:], terms[0]), ans)


def _normalize_vjp(g, ans, xs, needs, axes, eps):
    x, gamma, beta = xs
    nb = _nb(g, ans)
    xhat, r = _standardize(x, axes, eps)
    return (_project(g * gamma, xhat, r, axes) if needs[0] else None,
            sum_to(g * xhat, gamma.shape, nb) if needs[1] else None,
            sum_to(g, beta.shape, nb) if needs[2] else None)


def _norm_sample(rng, shape, pshape, axes):
    return ([rng.standard_normal(shape), rng.uniform(0.5, 1.5, pshape),
             rng.standard_normal(pshape)], (axes, 1e-3))


def _defnorm(name, samples):
    return defop(name, _normalize_primal, jvp=_normalize_jvp, vjp=_normalize_vjp,
                 kind="nn", samples=samples)


BATCHNORM = _defnorm("batchnorm", lambda rng: [
    _norm_sample(rng, (3, 2), (1, 2), (-2,)),
    _norm_sample(rng, (2, 3, 2), (1, 3, 1), (-3, -1))])
LAYERNORM = _defnorm("layernorm", lambda rng: [
    _norm_sample(rng, (2, 4), (1, 4), (-1,)),
    _norm_sample(rng, (3, 2, 2), (1, 2, 1), (-2,))])
INSTANCENORM = _defnorm("instancenorm", lambda rng: [
    _norm_sample(rng, (2, 2, 3), (1, 2, 1), (-1,)),
    _norm_sample(rng, (1, 2, 2, 2), (1, 2, 1, 1), (-2, -1))])
GROUPNORM = _defnorm("groupnorm", lambda rng: [
    _norm_sample(rng, (2, 2, 3), (1, 2, 1), (-1,))])


def _check_eps(name, eps):
    if not eps >= 0:
        raise ValueError("%s: eps must be non-negative, got %r" % (name, eps))
    return float(eps)


def _normalize(op, name, x, gamma, beta, axes, eps):
    """``op`` on ``x`` with statistics over ``axes`` (non-negative)."""
    if any(x.shape[a] == 0 for a in axes):
        raise ValueError("%s: cannot normalise data of shape %s over the empty axes %s"
                         % (name, x.shape, axes))
    return apply(op, (x, gamma, beta), (tuple(a - x.ndim for a in axes), eps))


def _channel_shape(ndim, axis, channels):
    return (1,) * axis + (channels,) + (1,) * (ndim - axis - 1)


def _std(x, axes, eps):
    """The mean and ``sqrt(var + eps)`` over ``axes`` (kept)."""
    mu, _, v = _moments(x, axes, eps)
    return mu, v ** 0.5


def _bn_param(arg, value, dtype, channels):
    v = value if isinstance(value, NDArray) else wrap(to_numpy(value, dtype))
    if v._data.dtype != dtype:
        raise TypeError("BatchNorm: %s must be of dtype %s for this data (float32 for float16 "
                        "data, else the data's), got %s" % (arg, dtype, v._data.dtype))
    if v.shape != (channels,):
        raise ValueError("BatchNorm: %s must have shape %s, got %s" % (arg, (channels,), v.shape))
    return v


def _moving_update_vjp(g, ans, xs, needs, stats, momentum):
    """The identity's cotangent, after updating BatchNorm's moving statistics
    in place, as MXNet does when its backward pass runs."""
    for stat, batch in stats:
        stat._data[...] = momentum * stat._data + (1 - momentum) * batch
        stat._bump()
    return (g,)


#: The identity on BatchNorm's output whose reverse rule updates the moving
#: statistics (``stats``: pairs of a moving array and its batch value).
MOVING_UPDATE = defop(
    "batchnorm_moving_update", lambda x, stats, momentum: x,
    jvp=lambda ts, ans, xs, stats, momentum: ts[0], vjp=_moving_update_vjp, kind="linear",
    samples=lambda rng: [([rng.standard_normal((2, 3))],
                          (((wrap(np.zeros(3)), np.ones(3)),), 0.9))])


def BatchNorm(data, gamma, beta, moving_mean, moving_var, eps=1e-3, momentum=0.9,
              fix_gamma=True, use_global_stats=False, output_mean_var=False, axis=1,
              cudnn_off=False, min_calib_range=None, max_calib_range=None):
    """Batch normalisation over every axis but ``axis`` (the channels).

    In training (``autograd.is_training()``, which ``record()`` turns on) and
    without ``use_global_stats``: normalises with the batch mean and biased
    variance; when the backward pass goes through it, ``moving_mean`` and
    ``moving_var`` are updated in place (``moving = momentum * moving +
    (1 - momentum) * batch``, with the biased variance), as MXNet 1.9.1
    does: a forward alone (a validation batch under ``record()``, or
    ``train_mode()`` without recording) leaves them unchanged.  Otherwise:
    normalises with the moving statistics, which stay unchanged.  Under
    ``dt.jit``, recording in training mode is refused (the update is a side
    effect a replay would skip).

    Parameters
    ----------
    data : NDArray
    gamma, beta, moving_mean, moving_var : NDArray
        Shape ``(C,)`` with ``C = data.shape[axis]``, of ``data``'s dtype
        (float32 for float16 data, as MXNet).
    eps : float
    momentum : float
    fix_gamma : bool
        Use a scale of 1: ``gamma`` gets a zero gradient and is left
        unchanged (MXNet 1.9.1 also overwrites it with ones).
    use_global_stats : bool
    output_mean_var : bool
        Also return the mean and ``1 / sqrt(var + eps)`` used, each ``(C,)``.
    axis : int
    cudnn_off, min_calib_range, max_calib_range
        Accepted for compatibility; ignored.

    Differentiable in ``data``, ``gamma`` and ``beta`` (through the batch
    statistics in training); the moving statistics are constants.
    """
    x = as_nd(data)
    _check_float("BatchNorm", x)
    if x.ndim == 0:
        raise ValueError("BatchNorm: data must have at least one axis")
    axis = norm_axis(axis, x.ndim)
    c = x.shape[axis]
    dtype = x._data.dtype
    pdtype = np.dtype(np.float32) if dtype == np.float16 else dtype
    gamma, beta, moving_mean, moving_var = (
        _bn_param(arg, v, pdtype, c) for arg, v in (
            ("gamma", gamma), ("beta", beta), ("moving_mean", moving_mean),
            ("moving_var", moving_var)))
    eps = _check_eps("BatchNorm", eps)
    bshape = _channel_shape(x.ndim, axis, c)
    scale = wrap(np.ones(bshape, dtype)) if fix_gamma else view_as(gamma, bshape).astype(dtype)
    shift = view_as(beta, bshape).astype(dtype)
    if use_global_stats or not is_training():
        inv = 1 / np.sqrt(moving_var._data + eps)
        centred = x - wrap(moving_mean._data.reshape(bshape).astype(dtype))
        out = centred * wrap(inv.reshape(bshape).astype(dtype)) * scale + shift
        return [out, moving_mean.copy(), wrap(inv)] if output_mean_var else out
    if get_tracer() is not None and is_recording():
        from ..jit import TracingError
        raise TracingError("BatchNorm in training mode updates its moving statistics in "
                           "place, which a jitted replay would skip; run it outside dt.jit "
                           "or with use_global_stats=True")
    axes = tuple(a for a in range(x.ndim) if a != axis)
    out = _normalize(BATCHNORM, "BatchNorm", x, scale, shift, axes, eps)
    if is_recording() and out._node is not None:
        data = x._data.astype(pdtype, copy=False)
        stats = ((moving_mean, np.mean(data, axis=axes)), (moving_var, np.var(data, axis=axes)))
        out = apply(MOVING_UPDATE, (out,), (stats, float(momentum)))
    if output_mean_var:
        mu, std = _std(x, axes, eps)
        return [out, view_as(mu, (c,)).astype(pdtype), view_as(1.0 / std, (c,)).astype(pdtype)]
    return out


def LayerNorm(data, gamma, beta, axis=-1, eps=1e-5, output_mean_var=False):
    """Layer normalisation: statistics over ``axis`` alone, ``gamma`` and
    ``beta`` of shape ``(data.shape[axis],)``.  With ``output_mean_var``
    also returns the mean and ``sqrt(var + eps)`` (``axis`` kept as 1).
    Differentiable in every input."""
    x = as_nd(data)
    _check_float("LayerNorm", x)
    if x.ndim == 0:
        raise ValueError("LayerNorm: data must have at least one axis")
    axis = norm_axis(axis, x.ndim)
    c = x.shape[axis]
    gamma, beta = (_like("LayerNorm", arg, v, x, (c,))
                   for arg, v in (("gamma", gamma), ("beta", beta)))
    eps = _check_eps("LayerNorm", eps)
    bshape = _channel_shape(x.ndim, axis, c)
    out = _normalize(LAYERNORM, "LayerNorm", x, view_as(gamma, bshape),
                     view_as(beta, bshape), (axis,), eps)
    return [out, *_std(x, (axis,), eps)] if output_mean_var else out


def _needs_channels(name, x):
    if x.ndim < 3:
        raise ValueError("%s: data must have at least 3 axes (batch, channel, ...), got "
                         "shape %s" % (name, x.shape))


def InstanceNorm(data, gamma, beta, eps=1e-3):
    """Instance normalisation: statistics over the axes after the channel
    axis 1, per sample and channel; ``gamma`` and ``beta`` of shape ``(C,)``.
    Differentiable in every input."""
    x = as_nd(data)
    _check_float("InstanceNorm", x)
    _needs_channels("InstanceNorm", x)
    c = x.shape[1]
    gamma, beta = (_like("InstanceNorm", arg, v, x, (c,))
                   for arg, v in (("gamma", gamma), ("beta", beta)))
    bshape = _channel_shape(x.ndim, 1, c)
    return _normalize(INSTANCENORM, "InstanceNorm", x, view_as(gamma, bshape),
                      view_as(beta, bshape), tuple(range(2, x.ndim)),
                      _check_eps("InstanceNorm", eps))


def GroupNorm(data, gamma, beta, num_groups=1, eps=1e-5, output_mean_var=False):
    """Group normalisation: the channels (axis 1) split into ``num_groups``
    groups, statistics per sample and group; ``gamma`` and ``beta`` have one
    value per group, shape ``(num_groups,)``, as in MXNet 1.9.1.  With
    ``output_mean_var`` also returns the mean and ``sqrt(var + eps)``, each
    ``(N, num_groups)``.  Differentiable in every input."""
    x = as_nd(data)
    _check_float("GroupNorm", x)
    _needs_channels("GroupNorm", x)
    num_groups = int(num_groups)
    if num_groups < 1 or x.shape[1] % num_groups:
        raise ValueError("GroupNorm: num_groups must divide the %d channels, got %d"
                         % (x.shape[1], num_groups))
    gamma, beta = (_like("GroupNorm", arg, v, x, (num_groups,))
                   for arg, v in (("gamma", gamma), ("beta", beta)))
    n = x.shape[0]
    per_group = x.shape[1] // num_groups * int(np.prod(x.shape[2:]))
    grouped = view_as(x, (n, num_groups, per_group))
    out = _normalize(GROUPNORM, "GroupNorm", grouped, view_as(gamma, (1, num_groups, 1)),
                     view_as(beta, (1, num_groups, 1)), (2,), _check_eps("GroupNorm", eps))
    out = view_as(out, x.shape)
    if output_mean_var:
        mu, std = _std(grouped, (2,), eps)
        return [out, view_as(mu, (n, num_groups)), view_as(std, (n, num_groups))]
    return out


def _l2_scale(x, axes, eps):
    r = (_sum(x * x, axes, keepdims=True) + eps) ** -0.5
    return x * r, r


# y = x * r with r = 1 / sqrt(sum(x**2) + eps): dy = r * (t - y * sum(y * t)),
# a symmetric map (JVP and VJP alike).
def _l2_rule(t, xs, axes, eps):
    y, r = _l2_scale(xs[0], axes, eps)
    return r * (t - y * _sum(y * t, axes, keepdims=True))


L2NORMALIZATION = defop(
    "l2normalization",
    lambda x, axes, eps: x / np.sqrt(np.sum(x * x, axis=axes, keepdims=True) + eps),
    jvp=lambda ts, ans, xs, axes, eps: _l2_rule(ts[0], xs, axes, eps),
    vjp=lambda g, ans, xs, needs, axes, eps: (_l2_rule(g, xs, axes, eps),),
    kind="nn", samples=lambda rng: [
        ([rng.standard_normal((2, 3, 2))], ((-2, -1), 1e-10)),
        ([rng.standard_normal((2, 3, 2))], ((-2,), 1e-10)),
        ([rng.standard_normal((2, 2, 2, 2))], ((-2, -1), 1e-3))])


def L2Normalization(data, eps=1e-10, mode="instance"):
    """``x / sqrt(sum(x**2) + eps)`` with the sum per sample over every axis
    but the first (``mode='instance'``), over axis 1 (``'channel'``) or over
    the axes after axis 1 (``'spatial'``; these two need 3 or more axes).
    An all-zero group with ``eps=0`` gives nan, as in MXNet.  The derivative
    is ``r * (t - y * sum(y * t))`` with ``r = 1 / sqrt(sum(x**2) + eps)``."""
    _choice("L2Normalization", "mode", mode, ("instance", "channel", "spatial"))
    x = as_nd(data)
    _check_float("L2Normalization", x)
    if x.ndim == 0:
        raise ValueError("L2Normalization: data must have at least one axis")
    if mode != "instance":
        _needs_channels("L2Normalization (mode=%r)" % mode, x)
    axes = {"instance": range(1, x.ndim), "channel": (1,), "spatial": range(2, x.ndim)}[mode]
    return apply(L2NORMALIZATION, (x,), (tuple(a - x.ndim for a in axes),
                                         _check_eps("L2Normalization", eps)))


# ---------------------------------------------------------------- dropout ---

def _dropout_jvp(ts, ans, xs, mask):
    return apply(DROPOUT, (ts[0],), (mask,))


def _dropout_vjp(g, ans, xs, needs, mask):
    return (apply(DROPOUT, (g,), (mask,)),)


DROPOUT = defop("dropout", lambda x, mask: x * mask, jvp=_dropout_jvp, vjp=_dropout_vjp,
                kind="linear", samples=lambda rng: [
                    ([rng.standard_normal((2, 3))], (np.array([[2.0, 0, 2], [0, 2, 2]]),)),
                    ([rng.standard_normal((2, 3))], (np.array([[0.0], [4.0]]),))])


def Dropout(data, p=0.5, mode="training", axes=(), cudnn_off=False):
    """Zero each element with probability ``p`` and scale the rest by
    ``1 / (1 - p)``; active in training (``autograd.is_training()``) or
    always with ``mode='always'``, otherwise a copy of ``data``.

    The mask is drawn from ``nd.random``'s stream (``nd.random.seed``
    reproduces it), shared along ``axes``; it is a constant of the
    derivative (``mask * t``).  ``p=1`` gives zeros (MXNet 1.9.1 gives
    nan).  ``cudnn_off`` is accepted for compatibility.
    """
    _choice("Dropout", "mode", mode, ("training", "always"))
    x = as_nd(data)
    _check_float("Dropout", x)
    if not 0 <= p <= 1:
        raise ValueError("Dropout: p must be in [0, 1], got %r" % (p,))
    axes = norm_axes(axes, x.ndim) if axes is not None else ()
    if p == 0 or not (mode == "always" or is_training()):
        return copy(x)
    shape = tuple(1 if a in axes else s for a, s in enumerate(x.shape))
    keep = _rng.generator().random(shape) >= p
    mask = keep * (1.0 / (1.0 - p)) if p < 1 else np.zeros(shape)
    return apply(DROPOUT, (x,), (mask.astype(x._data.dtype),))


# ---------------------------------------------------- softmax_cross_entropy ---

def _one_hot(label, k, dtype):
    out = np.zeros((label.size, k), dtype)
    out[np.arange(label.size), label] = 1
    return out


def _sce_residual(x, label):
    return apply(SOFTMAX, (x,), (1,)) - wrap(_one_hot(label, x.shape[1], x._data.dtype))


def _sce_jvp(ts, ans, xs, label):
    t = ts[0]
    nb = _nb(t, xs[0])
    return _reshape(_sum(_sce_residual(xs[0], label) * t, (-2, -1)), t.shape[:nb] + (1,))


def _sce_vjp(g, ans, xs, needs, label):
    nb = _nb(g, ans)
    return (_reshape(g, g.shape[:nb] + (1, 1)) * _sce_residual(xs[0], label),)


SOFTMAX_CROSS_ENTROPY = defop(
    "softmax_cross_entropy",
    lambda x, label: np.sum(-_log_softmax_primal(x, 1)[np.arange(label.size), label],
                            keepdims=True),
    jvp=_sce_jvp, vjp=_sce_vjp, kind="nn", samples=lambda rng: [
        ([rng.standard_normal((3, 4))], (np.array([0, 3, 1]),)),
        ([rng.standard_normal((1, 2))], (np.array([1]),))])


def _label(name, label, data):
    lab = _like(name, "label", label, data)
    if not np.all(np.isfinite(lab._data)):
        raise ValueError("%s: label must be finite" % name)
    return lab


def softmax_cross_entropy(data, label):
    """``-sum_i log(softmax(data[i])[label[i]])`` over the rows of 2-d
    ``data``, shape ``(1,)``.  ``label`` (1-d, ``data``'s dtype) is
    truncated to integers, as MXNet, and must then be a class index (MXNet
    reads out of bounds there; this raises ``IndexError``); it gets no
    gradient (MXNet raises if asked).  The derivative in ``data`` is
    ``softmax(data) - one_hot(label)`` times the head gradient."""
    x = as_nd(data)
    _check_float("softmax_cross_entropy", x)
    lab = _label("softmax_cross_entropy", label, x)
    if x.ndim != 2 or lab.shape != x.shape[:1]:
        raise ValueError("softmax_cross_entropy: data must be 2-d (batch, classes) and label "
                         "1-d (batch,), got shapes %s and %s" % (x.shape, lab.shape))
    if x.shape[1] == 0:
        raise ValueError("softmax_cross_entropy: data has no classes (shape %s)" % (x.shape,))
    with np.errstate(invalid="ignore"):
        idx = np.trunc(lab._data)
    bad = ~((idx >= 0) & (idx < x.shape[1]))
    if bad.any():
        raise IndexError("softmax_cross_entropy: label %r (row %d) is not a class index in "
                         "[0, %d)" % (lab._data[bad][0].item(), int(np.argmax(bad)), x.shape[1]))
    return apply(SOFTMAX_CROSS_ENTROPY, (x,), (idx.astype(np.int64),))


# ------------------------------------------------------------ loss layers ---
#
# MXNet's output layers return a value (a softmax, a sigmoid, the data) but
# reverse-propagate the gradient of a loss they do not compute:
# ``weight * (output - target)`` (the sign of the difference for MAE),
# ignoring the head gradient.  That reverse rule is not the transpose of the
# forward rule (which differentiates the value), so they are registered with
# ``defloss``: the finite-difference sweeps skip them and the tests below the
# module pin MXNet's gradients.  The reverse rule recomputes the output from
# the input with registered ops, so that its own derivative (``create_graph``)
# is the true one.

def _loss_op(name, primal, jvp, residual):
    def vjp(g, ans, xs, needs, target, weight, out_grad):
        d = residual(xs[0], target) * wrap(weight)
        return (g * d if out_grad else broadcast_to(d, g.shape),)
    return defloss(name, primal, jvp=lambda ts, ans, xs, *params: jvp(ts[0], ans), vjp=vjp)


def _sign_of_difference(x, target):
    return wrap(np.where(x._data > target, 1, -1).astype(x._data.dtype))


SOFTMAX_OUTPUT = _loss_op(
    "SoftmaxOutput", lambda x, *params: _softmax_primal(x, 1),
    lambda t, ans: _softmax_jvp([t], ans, None, 1),
    lambda x, target: apply(SOFTMAX, (x,), (1,)) - wrap(target))
LINEAR_REGRESSION_OUTPUT = _loss_op(
    "LinearRegressionOutput", lambda x, *params: x.copy(), lambda t, ans: t,
    lambda x, target: x - wrap(target))
LOGISTIC_REGRESSION_OUTPUT = _loss_op(
    "LogisticRegressionOutput", lambda x, *params: _np_sigmoid(x),
    lambda t, ans: t * (ans * (1.0 - ans)), lambda x, target: sigmoid(x) - wrap(target))
MAE_REGRESSION_OUTPUT = _loss_op(
    "MAERegressionOutput", lambda x, *params: x.copy(), lambda t, ans: t, _sign_of_difference)


def _softmax_output_layout(x, lab, multi_output, preserve_shape):
    """``(n, k, s)``: ``x`` as ``n`` rows of ``k`` classes at ``s`` positions
    (softmax over ``k``), and whether ``lab`` holds class indices (else
    probabilities of ``x``'s shape)."""
    if multi_output:
        n, k, s = x.shape[0], x.shape[1], int(np.prod(x.shape[2:]))
        index_shapes = ((n,) + x.shape[2:], (n, s), (n, 1) + x.shape[2:])
    elif preserve_shape:
        n, k, s = int(np.prod(x.shape[:-1])), x.shape[-1], 1
        index_shapes = (x.shape[:-1],)
    else:
        n, k, s = x.shape[0], int(np.prod(x.shape[1:])), 1
        index_shapes = ((n,),)
    if lab.shape == x.shape:
        return (n, k, s), False
    if lab.shape not in index_shapes:
        raise ValueError("SoftmaxOutput: for data of shape %s (multi_output=%s, "
                         "preserve_shape=%s) label must have shape %s (class indices) or %s "
                         "(probabilities), got %s"
                         % (x.shape, multi_output, preserve_shape,
                            " or ".join(str(s) for s in index_shapes), x.shape, lab.shape))
    return (n, k, s), True


def SoftmaxOutput(data, label, grad_scale=1.0, ignore_label=-1.0, multi_output=False,
                  use_ignore=False, preserve_shape=False, normalization="null",
                  out_grad=False, smooth_alpha=0.0):
    """Softmax with MXNet's cross-entropy gradient (MXNet's gradient, not the
    mathematical one).

    The value is the softmax over every axis but the first (over axis 1
    with ``multi_output``, over the last axis with ``preserve_shape``).  The
    reverse rule ignores the head gradient and gives
    ``(softmax - target) * grad_scale / d`` where ``target`` is the one-hot
    ``label`` (class indices, truncated; an index out of range gives a row
    of zeros), smoothed by ``smooth_alpha`` (``1 - alpha`` at the label,
    ``alpha / (k - 1)`` elsewhere), or ``label`` itself when it has
    ``data``'s shape (probabilities: no normalisation).  ``d`` is 1
    (``normalization='null'``), the number of rows (``'batch'``) or of labels
    not equal to ``ignore_label`` (``'valid'``, at least 1); with
    ``multi_output`` and not ``'valid'`` also the number of positions per
    sample.  ``use_ignore`` zeroes the gradient where the label is
    ``ignore_label``.  ``out_grad=True`` multiplies by the head gradient
    (MXNet 1.9.1 multiplies by the output instead), and ``smooth_alpha``
    applies with ``multi_output`` too (MXNet 1.9.1 ignores it there).
    Without ``multi_output`` or ``preserve_shape``, ``label`` has shape
    ``(batch,)`` (MXNet 1.9.1 asks for ``data.shape[:-1]`` and uses the first
    ``batch`` values).  The forward rule is the softmax's derivative; the
    label gets no gradient.
    """
    _choice("SoftmaxOutput", "normalization", normalization, ("null", "batch", "valid"))
    x = as_nd(data)
    _check_float("SoftmaxOutput", x)
    if x.ndim < 2:
        raise ValueError("SoftmaxOutput: data must have at least 2 axes (batch, classes), "
                         "got shape %s" % (x.shape,))
    lab = _label("SoftmaxOutput", label, x)
    (n, k, s), indices = _softmax_output_layout(x, lab, multi_output, preserve_shape)
    dtype = x._data.dtype
    if not indices:
        target = lab._data.reshape(n, k, s)
        weight = np.asarray(grad_scale, dtype)
    else:
        idx = np.trunc(lab._data).astype(np.int64).reshape(n, 1, s)
        onehot = np.arange(k).reshape(1, k, 1) == idx
        alpha = float(smooth_alpha) if k > 1 else 0.0
        target = np.where(onehot, 1.0 - alpha, alpha / (k - 1) if alpha else 0.0)
        ignored = idx == int(ignore_label)
        divisor = {"null": 1, "batch": n,
                   "valid": max(int(np.count_nonzero(~ignored)), 1)}[normalization]
        if multi_output and normalization != "valid":
            divisor *= s
        weight = np.where(ignored & bool(use_ignore), 0.0, grad_scale / divisor)
    out = apply(SOFTMAX_OUTPUT, (view_as(x, (n, k, s)),),
                (target.astype(dtype), weight.astype(dtype), bool(out_grad)))
    return view_as(out, x.shape)


Softmax = SoftmaxOutput


def _regression_output(op, name, data, label, grad_scale):
    x = as_nd(data)
    _check_float(name, x)
    lab = _label(name, label, x)
    if lab.size != x.size or (x.ndim and lab.shape[:1] != x.shape[:1]):
        raise ValueError("%s: label must have the shape of data %s (or its size and first "
                         "axis), got %s" % (name, x.shape, lab.shape))
    per_sample = x.size // x.shape[0] if x.ndim and x.shape[0] else 1
    weight = np.asarray(float(grad_scale) / per_sample, x._data.dtype)
    return apply(op, (x,), (lab._data.reshape(x.shape), weight, False))


def LinearRegressionOutput(data, label, grad_scale=1.0):
    """``data`` unchanged, with MXNet's gradient, not the mathematical one:
    the reverse rule ignores the head gradient and gives
    ``(data - label) * grad_scale / m``, ``m`` the number of outputs per
    sample (``data.size / data.shape[0]``).  The label gets no gradient."""
    return _regression_output(LINEAR_REGRESSION_OUTPUT, "LinearRegressionOutput", data,
                              label, grad_scale)


def LogisticRegressionOutput(data, label, grad_scale=1.0):
    """``sigmoid(data)``, with MXNet's gradient, not the mathematical one:
    ``(sigmoid(data) - label) * grad_scale / m`` (see
    ``LinearRegressionOutput``)."""
    return _regression_output(LOGISTIC_REGRESSION_OUTPUT, "LogisticRegressionOutput", data,
                              label, grad_scale)


def MAERegressionOutput(data, label, grad_scale=1.0):
    """``data`` unchanged, with MXNet's gradient, not the mathematical one:
    ``s * grad_scale / m`` where ``s`` is 1 where ``data > label`` and -1
    elsewhere (see ``LinearRegressionOutput``)."""
    return _regression_output(MAE_REGRESSION_OUTPUT, "MAERegressionOutput", data, label,
                              grad_scale)


__all__ = ["softmax", "log_softmax", "softmin", "SoftmaxActivation", "Activation",
           "LeakyReLU", "smooth_l1", "BatchNorm", "LayerNorm", "InstanceNorm", "GroupNorm",
           "L2Normalization", "Dropout", "softmax_cross_entropy", "SoftmaxOutput", "Softmax",
           "LinearRegressionOutput", "LogisticRegressionOutput", "MAERegressionOutput"]
METHODS = ("softmax", "log_softmax", "softmin")
