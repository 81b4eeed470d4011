"""numpy's shape functions and indexing on dualtape arrays."""
import numbers

import numpy as np

from .._engine import NDArray, apply
from ..ops import structural as S
from ._core import asarray, like_inputs

__all__ = ["reshape", "transpose", "ravel", "ndim", "shape", "size"]


def ndim(a):
    """numpy.ndim: the number of axes."""
    return a.ndim if isinstance(a, NDArray) else np.ndim(a)


def shape(a):
    """numpy.shape."""
    return a.shape if isinstance(a, NDArray) else np.shape(a)


def size(a, axis=None):
    """numpy.size (of one axis when ``axis`` is given)."""
    if not isinstance(a, NDArray):
        return np.size(a, axis)
    return a.size if axis is None else a.shape[axis]


def _literal_shape(name, newshape, size):
    """numpy's ``newshape``: ints, one of them -1 (inferred); a clear
    ValueError naming both shapes when sizes differ."""
    shape = (newshape,) if isinstance(newshape, numbers.Integral) else tuple(newshape)
    shape = [int(s) for s in shape]
    if shape.count(-1) > 1 or any(s < -1 for s in shape):
        raise ValueError("%s: can only specify one unknown dimension (-1), got %s"
                         % (name, tuple(shape)))
    if -1 in shape:
        rest = int(np.prod([s for s in shape if s != -1]))
        if rest == 0 or size % rest:
            raise ValueError("%s: cannot reshape array of size %d into shape %s"
                             % (name, size, tuple(shape)))
        shape[shape.index(-1)] = size // rest
    if int(np.prod(shape)) != size:
        raise ValueError("%s: cannot reshape array of size %d into shape %s"
                         % (name, size, tuple(shape)))
    return tuple(shape)


def reshape(a, /, shape=None, order="C", *, newshape=None, copy=None):
    """numpy.reshape (C order): a view sharing ``a``'s memory and tape entry."""
    if order != "C":
        raise NotImplementedError("reshape: only order='C' is supported")
    shape = newshape if shape is None else shape
    x = asarray(a)
    return like_inputs(S.view_as(x, _literal_shape("reshape", shape, x.size)), (a,))


def reshape_method(x, shape, kwargs):
    """``ndarray.reshape(*shape)`` and ``reshape(shape)`` as numpy's method."""
    order = kwargs.pop("order", "C")
    if kwargs:
        raise TypeError("reshape() got unexpected arguments %s" % sorted(kwargs))
    if len(shape) == 1 and not isinstance(shape[0], numbers.Integral):
        shape = shape[0]
    return reshape(x, shape, order)


def transpose(a, axes=None):
    """numpy.transpose (all axes reversed by default)."""
    x = asarray(a)
    return like_inputs(S.transpose(x, None if axes is None else tuple(axes)), (a,))


def ravel(a, order="C"):
    """numpy.ravel: the flattened array (a view where numpy's would be one)."""
    return reshape(a, (-1,), order)


def flatten(x, order="C"):
    """``ndarray.flatten``: a flattened copy (differentiable)."""
    if order != "C":
        raise NotImplementedError("flatten: only order='C' is supported")
    return S.copy(reshape(x, (-1,)))


def astype(x, dtype, copy=True):
    """``ndarray.astype``: differentiable between float dtypes."""
    return S.astype(x, dtype, copy)


def getitem(x, key):
    """numpy indexing: basic indices give a view where numpy's would be
    contiguous (a strided one is a copy that refuses writes, see
    ``docs/design.md``), integer and boolean arrays gather; an integer index
    down to one element gives a 0-d array; differentiable throughout."""
    items = key if isinstance(key, tuple) else (key,)
    for k in items:
        if isinstance(k, NDArray) and k._data.dtype.kind not in "biu":
            raise IndexError("arrays used as indices must be of integer (or boolean) "
                             "type, got %s" % k._data.dtype)
    key, basic = S.normalize_key(key, x.shape)
    if not basic:
        return apply(S.GATHER, (x,), (S.flat_index(x.shape, key), 0))
    return S._basic_slice(x, key, False)
