"""numpy's array creation, as dualtape arrays (float64 by default)."""
import numpy as np

from .._engine import wrap_np
from ._core import asarray

__all__ = ["zeros", "ones", "full", "empty", "zeros_like", "ones_like", "full_like",
           "empty_like", "arange", "linspace", "eye"]


def _made(data):
    return wrap_np(data)


def zeros(shape, dtype=float, order="C"):
    """numpy.zeros (a constant array)."""
    return _made(np.zeros(shape, dtype))


def ones(shape, dtype=float, order="C"):
    """numpy.ones (a constant array)."""
    return _made(np.ones(shape, dtype))


def full(shape, fill_value, dtype=None, order="C"):
    """numpy.full (a constant array)."""
    return _made(np.full(shape, fill_value, dtype))


def empty(shape, dtype=float, order="C"):
    """numpy.empty (a constant array)."""
    return _made(np.empty(shape, dtype))


def _like(f, name):
    def g(a, dtype=None, order="K", subok=True, shape=None, **kwargs):
        x = asarray(a)
        return _made(f(np.empty(x.shape if shape is None else shape,
                                x._data.dtype if dtype is None else dtype), **kwargs))
    g.__name__ = name
    g.__doc__ = "numpy.%s (a constant array: no derivative flows to ``a``)." % name
    return g


zeros_like = _like(np.zeros_like, "zeros_like")
ones_like = _like(np.ones_like, "ones_like")
empty_like = _like(np.empty_like, "empty_like")


def full_like(a, fill_value, dtype=None, order="K", subok=True, shape=None):
    """numpy.full_like (a constant array)."""
    x = asarray(a)
    return _made(np.full(x.shape if shape is None else shape, fill_value,
                         x._data.dtype if dtype is None else dtype))


def arange(*args, dtype=None, **kwargs):
    """numpy.arange (a constant array)."""
    return _made(np.arange(*args, dtype=dtype, **kwargs))


def linspace(start, stop, num=50, endpoint=True, retstep=False, dtype=None, axis=0):
    """numpy.linspace with scalar ends (a constant array)."""
    r = np.linspace(start, stop, num, endpoint, retstep, dtype, axis)
    return (_made(r[0]), r[1]) if retstep else _made(r)


def eye(N, M=None, k=0, dtype=float, order="C"):
    """numpy.eye (a constant array)."""
    return _made(np.eye(N, M, k, dtype))
