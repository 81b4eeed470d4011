"""``dualtape.nd``: MXNet 1.x's NDArray namespace — creation functions and ops.

Everything is float32 unless a dtype is given or the source is an NDArray.
"""
import numbers as _numbers
import types as _types

import numpy as _np

from ._engine import NDArray
from ._engine import wrap as _wrap
from .context import Context, cpu
from .ops import *  # noqa: F401,F403  (the op namespace is this module's API)
from .ops import __all__ as _ops_all
from .ops.convert import DEFAULT_DTYPE as _DEFAULT_DTYPE
from .ops.convert import is_scalar as _is_scalar
from .ops.convert import to_numpy as _to_numpy
from .ops import rng as _rng
from .serialize import load, save


def _shape(name, shape):
    """``shape`` (an int or a sequence of non-negative ints) as a tuple."""
    if isinstance(shape, _numbers.Integral):
        shape = (shape,)
    shape = tuple(shape)
    if not all(isinstance(s, _numbers.Integral) for s in shape):
        raise TypeError("%s: shape must hold ints, got %r" % (name, shape))
    if any(s < 0 for s in shape):
        raise ValueError("%s: negative dimension in shape %s" % (name, shape))
    return tuple(int(s) for s in shape)


def _dtype(dtype):
    return _np.dtype(_DEFAULT_DTYPE if dtype is None else dtype)


def array(source_array, ctx=None, dtype=None):
    """An NDArray holding a copy of ``source_array``.

    Parameters
    ----------
    source_array : array_like or NDArray
        Python scalars and (nested) lists and numpy arrays of any dtype give
        float32; an NDArray keeps its dtype.
    ctx : Context, optional
        Accepted for MXNet compatibility; always the CPU.
    dtype : str or numpy dtype, optional
    """
    return _wrap(_to_numpy(source_array, dtype))


def _count(name, arg, value):
    """A non-negative int argument (a size)."""
    if not isinstance(value, _numbers.Integral) or isinstance(value, bool):
        raise TypeError("%s: %s must be an int, got %r" % (name, arg, value))
    if value < 0:
        raise ValueError("%s: %s must be >= 0, got %d" % (name, arg, value))
    return int(value)


def _finite(name, **values):
    for arg, v in values.items():
        if not (_is_scalar(v) and _np.isfinite(v)):
            raise ValueError("%s: %s must be a finite number, got %r" % (name, arg, v))


def arange(start, stop=None, step=1.0, repeat=1, infer_range=None, ctx=None,
           dtype=_DEFAULT_DTYPE):
    """Evenly spaced values ``start, start + step, ...`` in ``[start, stop)``,
    each repeated ``repeat`` times (float32 by default).

    The count is ``ceil((stop - start) / step)``.  Float values are
    ``start + i * step`` computed in ``dtype``, as in MXNet; integer ones in
    int64 when ``start`` and ``step`` are whole numbers, otherwise in float64
    and truncated (MXNet truncates the step itself first:
    ``arange(0, 2, 0.5, dtype='int32')`` is ``[0, 0, 1, 1]`` here,
    ``[0, 0, 0, 0]`` in MXNet 1.9.1).  An empty range gives an empty array
    (MXNet 1.9.1 raises).  Not differentiable (a constant).

    Parameters
    ----------
    start : number
        First value; with ``stop`` omitted, the stop (and the start is 0).
    stop : number, optional
    step : number
        Not zero; may be negative.
    repeat : int
        How many times each value appears (``>= 1``).
    infer_range : bool, optional
        Accepted for MXNet compatibility (it concerns symbols only).
    ctx : Context, optional
        Accepted for MXNet compatibility; always the CPU.
    dtype : str or numpy dtype
    """
    if stop is None:
        start, stop = 0, start
    _finite("arange", start=start, stop=stop, step=step)
    if step == 0:
        raise ValueError("arange: step must not be zero")
    if not isinstance(repeat, _numbers.Integral) or isinstance(repeat, bool) or repeat < 1:
        raise ValueError("arange: repeat must be an int >= 1, got %r" % (repeat,))
    dt = _dtype(dtype)
    n = int(_np.ceil((stop - start) / step)) if (stop - start) * step > 0 else 0
    if dt.kind == "f":
        values = dt.type(start) + _np.arange(n).astype(dt) * dt.type(step)
    elif float(start).is_integer() and float(step).is_integer():
        values = int(start) + _np.arange(n, dtype=_np.int64) * int(step)
    else:
        values = start + _np.arange(n, dtype=_np.float64) * step
    return _wrap(_np.repeat(values.astype(dt), int(repeat)))


def linspace(start, stop, num, endpoint=True, ctx=None, dtype=_DEFAULT_DTYPE):
    """``num`` evenly spaced values from ``start`` to ``stop`` (included when
    ``endpoint``), float32 by default.

    Computed in float64 and cast to ``dtype`` (integer dtypes truncate, as
    in MXNet).  Not differentiable (a constant).

    Parameters
    ----------
    start, stop : number
    num : int
        Number of values (``>= 0``).
    endpoint : bool
        Whether ``stop`` is the last value.
    ctx : Context, optional
        Accepted for MXNet compatibility; always the CPU.
    dtype : str or numpy dtype
    """
    _finite("linspace", start=start, stop=stop)
    num = _count("linspace", "num", num)
    values = _np.linspace(start, stop, num, endpoint=bool(endpoint), dtype=_np.float64)
    return _wrap(values.astype(_dtype(dtype)))


def eye(N, M=0, k=0, ctx=None, dtype=None):
    """An ``N x M`` array with ones on diagonal ``k`` and zeros elsewhere
    (float32 by default).

    Parameters
    ----------
    N : int
        Rows.
    M : int
        Columns; ``0`` (the default) means ``N``, as in MXNet.
    k : int
        Diagonal: 0 the main one, positive above it, negative below it.
    ctx : Context, optional
        Accepted for MXNet compatibility; always the CPU.
    dtype : str or numpy dtype, optional
    """
    N = _count("eye", "N", N)
    M = _count("eye", "M", M) or N
    if not isinstance(k, _numbers.Integral) or isinstance(k, bool):
        raise TypeError("eye: k must be an int, got %r" % (k,))
    return _wrap(_np.eye(N, M, int(k), dtype=_dtype(dtype)))


def from_numpy(ndarray, zero_copy=True):
    """An NDArray holding a copy of numpy array ``ndarray``, keeping its
    dtype (unlike ``array``, which gives float32).

    ``zero_copy`` is accepted for MXNet compatibility: the data is always
    copied, so the numpy array stays writeable and independent.
    """
    if not isinstance(ndarray, _np.ndarray):
        raise TypeError("from_numpy: expected a numpy.ndarray, got %s"
                        % type(ndarray).__name__)
    return _wrap(_to_numpy(ndarray, ndarray.dtype))


def waitall():
    """No-op: computation is synchronous (MXNet waits for its engine)."""


def _dense(name, stype):
    if stype not in (None, "default"):
        raise ValueError("%s: stype must be 'default' (sparse storage is not supported), "
                         "got %r" % (name, stype))


def zeros(shape, ctx=None, dtype=None, stype=None):
    """Zeros of ``shape`` (float32 by default).

    ``ctx`` is accepted for MXNet compatibility; ``stype`` must be
    ``'default'`` (or None): there is no sparse storage.
    """
    _dense("zeros", stype)
    return _wrap(_np.zeros(_shape("zeros", shape), _dtype(dtype)))


def ones(shape, ctx=None, dtype=None):
    """Ones of ``shape`` (float32 by default; ``ctx`` accepted for
    compatibility)."""
    return _wrap(_np.ones(_shape("ones", shape), _dtype(dtype)))


def full(shape, val, ctx=None, dtype=_DEFAULT_DTYPE, out=None):
    """``shape`` filled with ``val`` (float32 by default; ``ctx`` accepted
    for compatibility).  With ``out``, ``val`` is written into that NDArray
    (of ``shape``) in place and ``out`` is returned."""
    values = _np.full(_shape("full", shape), val, _dtype(dtype))
    if out is None:
        return _wrap(values)
    if not isinstance(out, NDArray) or out.shape != values.shape:
        raise ValueError("full: out must be an NDArray of shape %s" % (values.shape,))
    out[...] = val
    return out


def empty(shape, ctx=None, dtype=None, stype=None):
    """An uninitialised array of ``shape`` (float32 by default); ``ctx`` and
    ``stype`` as in ``zeros``."""
    _dense("empty", stype)
    return _wrap(_np.empty(_shape("empty", shape), _dtype(dtype)))


def _random_module():
    module = _types.ModuleType("dualtape.nd.random", _rng.__doc__)
    for name in _rng.SAMPLERS:
        setattr(module, name, getattr(_rng, name))
    module.__all__ = list(_rng.SAMPLERS)
    return module


#: ``nd.random``: the samplers (``uniform``, ``normal``, ``randint``, ...) and
#: ``seed``.
random = _random_module()

for _name in _rng.ND_NAMES:     # nd.random_uniform, nd.sample_normal, nd.shuffle, ...
    globals()[_name] = getattr(_rng, _name)
del _name

__all__ = ["NDArray", "Context", "cpu", "array", "arange", "linspace", "eye", "zeros", "ones",
           "full", "empty", "from_numpy", "random", "save", "load", "waitall"] + list(
               _rng.ND_NAMES) + list(_ops_all)
