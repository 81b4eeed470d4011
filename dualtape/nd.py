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
from .ops.convert import to_numpy as _to_numpy
from .ops import rng as _rng


def _shape(shape):
    if isinstance(shape, _numbers.Integral):
        shape = (shape,)
    shape = tuple(int(s) for s in shape)
    if any(s < 0 for s in shape):
        raise ValueError("negative dimension in shape %s" % (shape,))
    return shape


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


def arange(start, stop=None, step=1.0, repeat=1, ctx=None, dtype=None):
    """Evenly spaced values in ``[start, stop)`` (float32 by default)."""
    if stop is None:
        start, stop = 0, start
    if step == 0:
        raise ValueError("arange: step must not be zero")
    values = _np.arange(start, stop, step, dtype=_np.float64).astype(_dtype(dtype))
    if repeat != 1:
        values = _np.repeat(values, int(repeat))
    return _wrap(_np.ascontiguousarray(values))


def zeros(shape, ctx=None, dtype=None):
    """Zeros of ``shape``."""
    return _wrap(_np.zeros(_shape(shape), _dtype(dtype)))


def ones(shape, ctx=None, dtype=None):
    """Ones of ``shape``."""
    return _wrap(_np.ones(_shape(shape), _dtype(dtype)))


def full(shape, val, ctx=None, dtype=None):
    """``shape`` filled with ``val``."""
    return _wrap(_np.full(_shape(shape), val, _dtype(dtype)))


def empty(shape, ctx=None, dtype=None):
    """An uninitialised array of ``shape``."""
    return _wrap(_np.empty(_shape(shape), _dtype(dtype)))


def _random_module():
    def uniform(low=0.0, high=1.0, shape=(1,), ctx=None, dtype=None, out=None):
        """Samples from U[low, high)."""
        return _wrap(_rng.generator().uniform(low, high, _shape(shape)).astype(_dtype(dtype)))

    def normal(loc=0.0, scale=1.0, shape=(1,), ctx=None, dtype=None, out=None):
        """Samples from N(loc, scale²)."""
        return _wrap(_rng.generator().normal(loc, scale, _shape(shape)).astype(_dtype(dtype)))

    return _types.SimpleNamespace(seed=_rng.seed, uniform=uniform, normal=normal)


#: ``nd.random.uniform``, ``nd.random.normal``, ``nd.random.seed``.
random = _random_module()

__all__ = ["NDArray", "Context", "cpu", "array", "arange", "zeros", "ones", "full",
           "empty", "random"] + list(_ops_all)
