"""The random stream behind ``nd.random`` and the ops that draw from it
(``Dropout``): one numpy ``Generator`` per thread, reseeded by ``seed``.

This module also holds the samplers of ``nd.random`` (MXNet 1.x's names,
arguments and defaults; the streams differ from MXNet's).  Samples are
constants: never recorded, zero gradient with respect to array-valued
parameters (as in MXNet), except ``shuffle`` and ``multinomial``'s
log-probabilities, which are differentiable with respect to their data.

Distribution parameters are either all numbers or all NDArrays of one
shape.  With numbers the result has ``shape`` (``(1,)`` by default); with
NDArrays it has the parameters' shape followed by ``shape`` (nothing by
default), each parameter element giving its own draws, as in MXNet.  Every
parameter must be finite and valid for its distribution (MXNet checks only
numbers and samples garbage from invalid arrays).
"""
import numbers
import threading

import numpy as np

from .._engine import NDArray, apply, wrap
from .convert import DEFAULT_DTYPE, is_scalar, scalar
from .elementwise import log
from .structural import GATHER, getitem

_local = threading.local()

_FLOATS = (np.dtype(np.float16), np.dtype(np.float32), np.dtype(np.float64))
_INTS = (np.dtype(np.int32), np.dtype(np.int64))


def generator():
    """This thread's generator (seeded from the OS until ``seed`` is called)."""
    gen = getattr(_local, "gen", None)
    if gen is None:
        gen = _local.gen = np.random.default_rng()
    return gen


def seed(seed_state, ctx="all"):
    """Reseed this thread's generator: the same seed gives the same stream.

    Parameters
    ----------
    seed_state : int
        Any integer (negative ones too, as in MXNet).
    ctx : str or Context
        Accepted for MXNet compatibility; there is one stream per thread.
    """
    if not isinstance(seed_state, numbers.Integral) or isinstance(seed_state, bool):
        raise TypeError("nd.random.seed: seed_state must be an int, got %r" % (seed_state,))
    _local.gen = np.random.default_rng(int(seed_state) % 2 ** 64)


# ------------------------------------------------------------ helpers ---

def _size(name, shape):
    """``shape`` (an int or a sequence of non-negative ints) as a tuple."""
    if isinstance(shape, numbers.Integral):
        shape = (shape,)
    try:
        shape = tuple(shape)
    except TypeError:
        raise TypeError("nd.random.%s: shape must be an int or a tuple of ints, got %r"
                        % (name, shape)) from None
    if not all(isinstance(s, numbers.Integral) and s >= 0 for s in shape):
        raise ValueError("nd.random.%s: shape must hold non-negative ints, got %r"
                         % (name, shape))
    return tuple(int(s) for s in shape)


def _dtype(name, dtype, out, allowed, default):
    """The output dtype: ``dtype``, else ``out``'s, else ``default``."""
    if dtype is None:
        dt = out._data.dtype if out is not None else np.dtype(default)
    else:
        try:
            dt = np.dtype(dtype)
        except TypeError:
            dt = None
    if dt not in allowed:
        raise TypeError("nd.random.%s: dtype must be one of %s, got %r"
                        % (name, ", ".join(d.name for d in allowed), dtype))
    if out is not None and out._data.dtype != dt:
        raise TypeError("nd.random.%s: out has dtype %s, the samples are %s"
                        % (name, out._data.dtype, dt))
    return dt


def _check_out(name, out):
    if out is not None and not isinstance(out, NDArray):
        raise TypeError("nd.random.%s: out must be an NDArray, got %s"
                        % (name, type(out).__name__))


def _params(name, params, checks):
    """The distribution parameters as float64 arrays, and their shape (None
    for numbers), after checking them: each must be finite and pass its
    check ``(ok(value, values), description)`` if it has one."""
    arrays = [isinstance(v, NDArray) for v in params.values()]
    if any(arrays) and not all(arrays):
        raise TypeError("nd.random.%s: parameters %s must be all numbers or all NDArrays"
                        % (name, ", ".join(params)))
    values = {}
    for arg, v in params.items():
        if isinstance(v, NDArray):
            values[arg] = v._data.astype(np.float64)
        elif is_scalar(v):
            values[arg] = np.float64(scalar(v))
        else:
            raise TypeError("nd.random.%s: %s must be a number or an NDArray, got %r"
                            % (name, arg, v))
    shapes = {v.shape for v in values.values()}
    if len(shapes) > 1:
        raise ValueError("nd.random.%s: parameters %s have different shapes %s"
                         % (name, ", ".join(params), " and ".join(map(str, sorted(shapes)))))
    for arg, v in values.items():
        ok, what = checks.get(arg, (None, ""))
        bad = ~np.isfinite(v) if ok is None else ~(np.isfinite(v) & ok(v, values))
        if bad.any():
            raise ValueError("nd.random.%s: %s must be finite%s, got %s"
                             % (name, arg, what and " and " + what,
                                np.asarray(v)[bad].reshape(-1)[0]))
    return values, (shapes.pop() if arrays and all(arrays) else None)


def _check_target(name, out, shape):
    """Before drawing (a failed call leaves the stream where it was): ``out``
    must have the samples' shape and accept an in-place write."""
    if out is None:
        return
    if out.shape != shape:
        raise ValueError("nd.random.%s: out has shape %s, the samples have %s"
                         % (name, out.shape, shape))
    out._check_inplace()


def _deliver(values, out):
    """``values`` (already of the output dtype) as a new NDArray, or written
    into ``out``."""
    if out is None:
        return wrap(values)
    np.copyto(out._data, values)
    out._bump()
    return out


def _draw(name, draw, params, shape, dtype, out, checks=None, default=DEFAULT_DTYPE,
          allowed=_FLOATS, finish=None):
    """Check the arguments of a sampler, then draw: ``draw(gen, size, **p)``
    with each parameter shaped to broadcast against the sample shape, cast
    to the output dtype, then ``finish(samples, **p)`` in place."""
    _check_out(name, out)
    dt = _dtype(name, dtype, out, allowed, default)
    values, batch = _params(name, params, checks or {})
    if batch is None:
        size = (_size(name, shape) if shape is not None
                else out.shape if out is not None else (1,))
        batch = ()
    else:
        size = batch + (_size(name, shape) if shape is not None else ())
    _check_target(name, out, size)
    extra = (1,) * (len(size) - len(batch))
    values = {k: v.reshape(batch + extra) for k, v in values.items()}
    try:
        samples = draw(generator(), size, **values)
    except ValueError as e:
        raise ValueError("nd.random.%s: %s" % (name, e)) from None
    samples = np.asarray(samples).astype(dt, copy=False)
    if finish is not None:
        finish(samples, **values)
    return _deliver(samples, out)


def _positive(v, _):
    return v > 0


def _nonneg(v, _):
    return v >= 0


# ------------------------------------------------------------- samplers ---

def _uniform(gen, size, low, high):
    return low + (high - low) * gen.random(size)


def _half_open(samples, low, high):
    """Keep the rounding to the output dtype from reaching ``high``."""
    lo, hi = low.astype(samples.dtype), high.astype(samples.dtype)
    np.minimum(samples, np.maximum(np.nextafter(hi, lo), lo), out=samples)


def uniform(low=0.0, high=1.0, shape=None, dtype=None, ctx=None, out=None):
    """Samples from the uniform distribution on ``[low, high)``.

    Parameters
    ----------
    low, high : float or NDArray
        Bounds, ``low <= high`` (``low == high`` gives ``low``).
    shape : int or tuple of ints, optional
        ``(1,)`` by default (with NDArray parameters: appended to their shape).
    dtype : {'float32', 'float16', 'float64'}, optional
        float32 by default (``out``'s dtype when given).
    ctx : Context, optional
        Accepted for MXNet compatibility.
    out : NDArray, optional
        Where to write the samples; its shape is the default ``shape``.
    """
    checks = {"high": (lambda v, p: v >= p["low"], ">= low")}
    return _draw("uniform", _uniform, {"low": low, "high": high}, shape, dtype, out, checks,
                 finish=_half_open)


def normal(loc=0.0, scale=1.0, shape=None, dtype=None, ctx=None, out=None):
    """Samples from the normal distribution N(loc, scale**2).

    Parameters
    ----------
    loc : float or NDArray
        Mean.
    scale : float or NDArray
        Standard deviation, ``> 0`` (as in MXNet).
    shape, dtype, ctx, out
        As in ``uniform``.
    """
    checks = {"scale": (_positive, "> 0")}
    return _draw("normal", lambda gen, size, loc, scale: gen.normal(loc, scale, size),
                 {"loc": loc, "scale": scale}, shape, dtype, out, checks)


def randn(*shape, loc=0.0, scale=1.0, dtype=None, ctx=None, out=None):
    """Samples from N(loc, scale**2) of shape ``shape`` (``randn(2, 3)``);
    ``(1,)`` when no dimension is given.  See ``normal``."""
    return normal(loc, scale, shape or None, dtype, ctx, out)


def randint(low, high, shape=None, dtype=None, ctx=None, out=None):
    """Integers drawn uniformly from ``[low, high)``.

    Parameters
    ----------
    low, high : int
        Bounds, ``low < high``, both within ``dtype``'s range.  NDArray
        bounds are refused (MXNet does not support them either).
    shape, ctx, out
        As in ``uniform``.
    dtype : {'int32', 'int64'}, optional
        int32 by default.
    """
    for arg, v in (("low", low), ("high", high)):
        if not isinstance(v, numbers.Integral) or isinstance(v, bool):
            raise TypeError("nd.random.randint: %s must be an int, got %r" % (arg, v))
    _check_out("randint", out)
    dt = _dtype("randint", dtype, out, _INTS, np.int32)
    info = np.iinfo(dt)
    if not info.min <= low < high <= info.max + 1:
        raise ValueError("nd.random.randint: need low < high within the range of %s, got "
                         "low=%d, high=%d" % (dt, low, high))
    return _draw("randint", lambda gen, size: gen.integers(low, high, size, dtype=dt), {},
                 shape, dt, out, allowed=_INTS)


def exponential(scale=1.0, shape=None, dtype=None, ctx=None, out=None):
    """Samples from the exponential distribution of mean ``scale``
    (rate ``1/scale``).

    Parameters
    ----------
    scale : float or NDArray
        ``> 0``.
    shape, dtype, ctx, out
        As in ``uniform``.
    """
    return _draw("exponential", lambda gen, size, scale: gen.exponential(scale, size),
                 {"scale": scale}, shape, dtype, out, {"scale": (_positive, "> 0")})


def gamma(alpha=1.0, beta=1.0, shape=None, dtype=None, ctx=None, out=None):
    """Samples from the gamma distribution of shape ``alpha`` and scale
    ``beta`` (mean ``alpha * beta``).

    Parameters
    ----------
    alpha, beta : float or NDArray
        ``> 0``.
    shape, dtype, ctx, out
        As in ``uniform``.
    """
    checks = {"alpha": (_positive, "> 0"), "beta": (_positive, "> 0")}
    return _draw("gamma", lambda gen, size, alpha, beta: gen.gamma(alpha, beta, size),
                 {"alpha": alpha, "beta": beta}, shape, dtype, out, checks)


def poisson(lam=1.0, shape=None, dtype=None, ctx=None, out=None):
    """Samples from the Poisson distribution of mean ``lam``, as floats
    (MXNet's dtypes).

    Parameters
    ----------
    lam : float or NDArray
        ``>= 0``.
    shape, dtype, ctx, out
        As in ``uniform``.
    """
    return _draw("poisson", lambda gen, size, lam: gen.poisson(lam, size), {"lam": lam},
                 shape, dtype, out, {"lam": (_nonneg, ">= 0")})


def _negative_binomial(gen, size, k, p):
    return gen.poisson(gen.gamma(k, (1 - p) / p, size))


def negative_binomial(k=1, p=1.0, shape=None, dtype=None, ctx=None, out=None):
    """Samples from the negative binomial distribution: the number of
    failures before ``k`` successes of probability ``p``, as floats.

    Parameters
    ----------
    k : float or NDArray
        ``>= 0`` (need not be a whole number).
    p : float or NDArray
        In ``(0, 1]``.
    shape, dtype, ctx, out
        As in ``uniform``.
    """
    checks = {"k": (_nonneg, ">= 0"), "p": (lambda v, _: (v > 0) & (v <= 1), "in (0, 1]")}
    return _draw("negative_binomial", _negative_binomial, {"k": k, "p": p}, shape, dtype,
                 out, checks)


def _generalized_negative_binomial(gen, size, mu, alpha):
    spread = alpha > 0
    lam = gen.gamma(np.where(spread, 1 / np.where(spread, alpha, 1), 1), alpha * mu, size)
    return gen.poisson(np.where(spread, lam, mu))


def generalized_negative_binomial(mu=1.0, alpha=1.0, shape=None, dtype=None, ctx=None,
                                  out=None):
    """Samples from the negative binomial distribution of mean ``mu`` and
    dispersion ``alpha`` (variance ``mu + alpha*mu**2``; ``alpha = 0`` is
    Poisson), as floats.

    Parameters
    ----------
    mu, alpha : float or NDArray
        ``>= 0``.
    shape, dtype, ctx, out
        As in ``uniform``.
    """
    checks = {"mu": (_nonneg, ">= 0"), "alpha": (_nonneg, ">= 0")}
    return _draw("generalized_negative_binomial", _generalized_negative_binomial,
                 {"mu": mu, "alpha": alpha}, shape, dtype, out, checks)


def _like(name, data, **params):
    """The shape and dtype of ``data`` for a ``*_like`` sampler, after
    checking that its parameters are numbers."""
    if not isinstance(data, NDArray):
        raise TypeError("nd.random.%s: data must be an NDArray, got %s"
                        % (name, type(data).__name__))
    if data._data.dtype not in _FLOATS:
        raise TypeError("nd.random.%s: data must be float16, float32 or float64, got %s"
                        % (name, data._data.dtype))
    for arg, v in params.items():
        if not is_scalar(v):
            raise TypeError("nd.random.%s: %s must be a number, got %r" % (name, arg, v))
    return {"shape": data.shape, "dtype": data._data.dtype}


def uniform_like(data, low=0.0, high=1.0):
    """``uniform(low, high)`` samples of ``data``'s shape and dtype."""
    return uniform(low, high, **_like("uniform_like", data, low=low, high=high))


def normal_like(data, loc=0.0, scale=1.0):
    """``normal(loc, scale)`` samples of ``data``'s shape and dtype."""
    return normal(loc, scale, **_like("normal_like", data, loc=loc, scale=scale))


def exponential_like(data, lam=1.0):
    """Exponential samples of rate ``lam`` (mean ``1/lam``; note: a rate,
    unlike ``exponential``'s scale, as in MXNet) of ``data``'s shape and
    dtype."""
    like = _like("exponential_like", data, lam=lam)
    if not lam > 0:
        raise ValueError("nd.random.exponential_like: lam must be > 0, got %r" % (lam,))
    return exponential(1.0 / scalar(lam), **like)


def gamma_like(data, alpha=1.0, beta=1.0):
    """``gamma(alpha, beta)`` samples of ``data``'s shape and dtype."""
    return gamma(alpha, beta, **_like("gamma_like", data, alpha=alpha, beta=beta))


def poisson_like(data, lam=1.0):
    """``poisson(lam)`` samples of ``data``'s shape and dtype."""
    return poisson(lam, **_like("poisson_like", data, lam=lam))


def negative_binomial_like(data, k=1, p=1.0):
    """``negative_binomial(k, p)`` samples of ``data``'s shape and dtype."""
    return negative_binomial(k, p, **_like("negative_binomial_like", data, k=k, p=p))


def generalized_negative_binomial_like(data, mu=1.0, alpha=1.0):
    """``generalized_negative_binomial(mu, alpha)`` samples of ``data``'s
    shape and dtype."""
    return generalized_negative_binomial(
        mu, alpha, **_like("generalized_negative_binomial_like", data, mu=mu, alpha=alpha))


# --------------------------------------------------- multinomial, shuffle ---

_MULTINOMIAL_DTYPES = (np.dtype(np.int32), np.dtype(np.int64), np.dtype(np.uint8)) + _FLOATS


def _categories(name, data):
    """Each row's cumulative probabilities, normalised to end at 1, after
    checking that the rows are probabilities."""
    if not isinstance(data, NDArray):
        raise TypeError("nd.random.%s: data must be an NDArray, got %s"
                        % (name, type(data).__name__))
    p = data._data
    if p.dtype not in _FLOATS:
        raise TypeError("nd.random.%s: data must hold float probabilities, got %s"
                        % (name, p.dtype))
    if p.ndim == 0 or p.shape[-1] == 0:
        raise ValueError("nd.random.%s: data must have a last axis of categories, got "
                         "shape %s" % (name, p.shape))
    rows = p.reshape(-1, p.shape[-1]).astype(np.float64)
    if not (np.isfinite(rows).all() and (rows >= 0).all()):
        raise ValueError("nd.random.%s: probabilities must be finite and >= 0" % name)
    total = rows.sum(axis=1)
    tol = np.sqrt(np.finfo(p.dtype).eps)
    if (np.abs(total - 1) > tol).any():
        raise ValueError("nd.random.%s: each row of data must sum to 1 (within %.1e), got "
                         "a row summing to %r"
                         % (name, tol, total[np.abs(total - 1) > tol][0]))
    cum = np.cumsum(rows, axis=1)
    return cum / cum[:, -1:]


def multinomial(data, shape=None, get_prob=False, out=None, dtype="int32"):
    """Category indices drawn from the distributions in ``data``'s last axis.

    Parameters
    ----------
    data : NDArray
        Probabilities of shape ``(..., k)``: each row non-negative, summing
        to 1.
    shape : int or tuple of ints, optional
        Draws per row: the result has shape ``data.shape[:-1] + shape``; by
        default one draw per row, shape ``data.shape[:-1]`` (``(1,)`` for
        1-D data).
    get_prob : bool
        Also return the log-probability of each draw,
        ``log(data[..., index])``, in ``data``'s dtype: differentiable with
        respect to ``data`` (gradient ``1/p`` at each drawn category, as in
        MXNet), for REINFORCE-style estimators.
    out : NDArray, optional
        Where to write the indices (not with ``get_prob``).
    dtype : {'int32', 'int64', 'uint8', 'float16', 'float32', 'float64'}
        Dtype of the indices; it must represent ``k - 1`` exactly.

    Returns
    -------
    NDArray or list of two NDArrays
        The indices, or ``[indices, log_prob]`` with ``get_prob``.
    """
    _check_out("multinomial", out)
    if get_prob and out is not None:
        raise ValueError("nd.random.multinomial: out cannot be used with get_prob=True")
    dt = _dtype("multinomial", dtype, out, _MULTINOMIAL_DTYPES, np.int32)
    cum = _categories("multinomial", data)
    k = data.shape[-1]
    if np.asarray(k - 1).astype(dt) != k - 1:
        raise TypeError("nd.random.multinomial: dtype %s cannot hold the index %d" % (dt, k - 1))
    lead = data.shape[:-1]
    draws = (_size("multinomial", shape) if shape is not None
             else () if lead else (1,))
    _check_target("multinomial", out, lead + draws)
    rows = cum.shape[0]
    u = generator().random((rows, int(np.prod(draws, dtype=np.int64))))
    # one search over all rows: row r's boundaries are shifted by r
    offsets = np.arange(rows, dtype=np.float64)[:, None]
    pos = np.searchsorted((cum + offsets).reshape(-1), (u + offsets).reshape(-1),
                          side="right").reshape(u.shape)
    index = np.minimum(pos - offsets.astype(np.int64) * k, k - 1).reshape(lead + draws)
    samples = _deliver(index.astype(dt), out)
    if not get_prob:
        return samples
    flat = (np.arange(rows, dtype=np.int64).reshape(lead + (1,) * len(draws)) * k + index)
    return [samples, log(apply(GATHER, (data,), (np.ascontiguousarray(flat), 0)))]


def shuffle(data):
    """A copy of ``data`` with its first axis randomly permuted.

    Differentiable (the gradient is permuted back; MXNet cannot
    differentiate it).  0-d arrays are refused.
    """
    if not isinstance(data, NDArray):
        raise TypeError("nd.random.shuffle: data must be an NDArray, got %s"
                        % type(data).__name__)
    if data.ndim == 0:
        raise ValueError("nd.random.shuffle: data must have at least one axis, got a 0-d "
                         "array")
    return getitem(data, generator().permutation(data.shape[0]))


# ------------------------------------- MXNet's older top-level names ---
# ``nd.random_*`` take numbers and ``nd.sample_*`` NDArrays; exponential ones
# take a rate ``lam``, not a scale.

def _rate(name, lam):
    """The scale ``1/lam`` of an exponential, after checking the rate."""
    if isinstance(lam, NDArray):
        bad = ~(np.isfinite(lam._data) & (lam._data > 0))
        if bad.any():
            raise ValueError("nd.%s: lam must be finite and > 0, got %s"
                             % (name, lam._data[bad].reshape(-1)[0]))
        return wrap(1.0 / lam._data.astype(np.float64))
    if not (is_scalar(lam) and np.isfinite(lam) and lam > 0):
        raise ValueError("nd.%s: lam must be a finite number > 0, got %r" % (name, lam))
    return 1.0 / scalar(lam)


def _arrays_only(name, **params):
    for arg, v in params.items():
        if not isinstance(v, NDArray):
            raise TypeError("nd.%s: %s must be an NDArray (use nd.random_* for numbers), "
                            "got %s" % (name, arg, type(v).__name__))


def random_uniform(low=0.0, high=1.0, shape=None, ctx=None, dtype=None, out=None, name=None):
    """``nd.random.uniform`` under MXNet's older name (``ctx`` before ``dtype``)."""
    return uniform(low, high, shape, dtype, ctx, out)


def random_normal(loc=0.0, scale=1.0, shape=None, ctx=None, dtype=None, out=None, name=None):
    """``nd.random.normal`` under MXNet's older name (``ctx`` before ``dtype``)."""
    return normal(loc, scale, shape, dtype, ctx, out)


def random_exponential(lam=1.0, shape=None, ctx=None, dtype=None, out=None, name=None):
    """Exponential samples of rate ``lam`` (mean ``1/lam``), MXNet's older
    name; see ``nd.random.exponential`` (which takes the scale)."""
    return exponential(_rate("random_exponential", lam), shape, dtype, ctx, out)


def random_gamma(alpha=1.0, beta=1.0, shape=None, ctx=None, dtype=None, out=None, name=None):
    """``nd.random.gamma`` under MXNet's older name (``ctx`` before ``dtype``)."""
    return gamma(alpha, beta, shape, dtype, ctx, out)


def random_poisson(lam=1.0, shape=None, ctx=None, dtype=None, out=None, name=None):
    """``nd.random.poisson`` under MXNet's older name (``ctx`` before ``dtype``)."""
    return poisson(lam, shape, dtype, ctx, out)


def random_negative_binomial(k=1, p=1.0, shape=None, ctx=None, dtype=None, out=None,
                             name=None):
    """``nd.random.negative_binomial`` under MXNet's older name."""
    return negative_binomial(k, p, shape, dtype, ctx, out)


def random_generalized_negative_binomial(mu=1.0, alpha=1.0, shape=None, ctx=None, dtype=None,
                                         out=None, name=None):
    """``nd.random.generalized_negative_binomial`` under MXNet's older name."""
    return generalized_negative_binomial(mu, alpha, shape, dtype, ctx, out)


def random_randint(low, high, shape=None, ctx=None, dtype=None, out=None, name=None):
    """``nd.random.randint`` under MXNet's older name (``ctx`` before ``dtype``)."""
    return randint(low, high, shape, dtype, ctx, out)


def sample_uniform(low, high, shape=None, dtype=None, out=None, name=None):
    """``nd.random.uniform`` with NDArray bounds: shape
    ``low.shape + shape``."""
    _arrays_only("sample_uniform", low=low, high=high)
    return uniform(low, high, shape, dtype, None, out)


def sample_normal(mu, sigma, shape=None, dtype=None, out=None, name=None):
    """``nd.random.normal`` with NDArray mean ``mu`` and standard deviation
    ``sigma``: shape ``mu.shape + shape``."""
    _arrays_only("sample_normal", mu=mu, sigma=sigma)
    return normal(mu, sigma, shape, dtype, None, out)


def sample_exponential(lam, shape=None, dtype=None, out=None, name=None):
    """Exponential samples of NDArray rates ``lam`` (mean ``1/lam``): shape
    ``lam.shape + shape``."""
    _arrays_only("sample_exponential", lam=lam)
    return exponential(_rate("sample_exponential", lam), shape, dtype, None, out)


def sample_gamma(alpha, beta, shape=None, dtype=None, out=None, name=None):
    """``nd.random.gamma`` with NDArray parameters: shape
    ``alpha.shape + shape``."""
    _arrays_only("sample_gamma", alpha=alpha, beta=beta)
    return gamma(alpha, beta, shape, dtype, None, out)


def sample_poisson(lam, shape=None, dtype=None, out=None, name=None):
    """``nd.random.poisson`` with NDArray means: shape ``lam.shape + shape``."""
    _arrays_only("sample_poisson", lam=lam)
    return poisson(lam, shape, dtype, None, out)


def sample_negative_binomial(k, p, shape=None, dtype=None, out=None, name=None):
    """``nd.random.negative_binomial`` with NDArray parameters."""
    _arrays_only("sample_negative_binomial", k=k, p=p)
    return negative_binomial(k, p, shape, dtype, None, out)


def sample_generalized_negative_binomial(mu, alpha, shape=None, dtype=None, out=None,
                                         name=None):
    """``nd.random.generalized_negative_binomial`` with NDArray parameters."""
    _arrays_only("sample_generalized_negative_binomial", mu=mu, alpha=alpha)
    return generalized_negative_binomial(mu, alpha, shape, dtype, None, out)


def sample_multinomial(data, shape=None, get_prob=False, dtype="int32", out=None, name=None):
    """``nd.random.multinomial`` under MXNet's older name."""
    return multinomial(data, shape, get_prob, out, dtype)


#: MXNet's top-level ``nd`` names for samplers (``nd.shuffle`` included).
ND_NAMES = ("random_uniform", "random_normal", "random_exponential", "random_gamma",
            "random_poisson", "random_negative_binomial",
            "random_generalized_negative_binomial", "random_randint", "sample_uniform",
            "sample_normal", "sample_exponential", "sample_gamma", "sample_poisson",
            "sample_negative_binomial", "sample_generalized_negative_binomial",
            "sample_multinomial", "shuffle")

#: The public names of ``nd.random``.
SAMPLERS = ("seed", "uniform", "normal", "randn", "randint", "exponential", "gamma",
            "poisson", "negative_binomial", "generalized_negative_binomial", "multinomial",
            "shuffle", "uniform_like", "normal_like", "exponential_like", "gamma_like",
            "poisson_like", "negative_binomial_like", "generalized_negative_binomial_like")
