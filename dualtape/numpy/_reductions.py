"""numpy's reductions on dualtape arrays: numpy's axes (``axis=()`` reduces
nothing), result dtypes (integer sums accumulate in the platform integer,
means of integers are float64) and shapes (a full reduction is 0-d)."""
import numpy as np

from .._engine import apply
from ..ops import reduction as R
from ..ops.structural import view_as
from ..registry import nondiff
from ._core import asarray, like_inputs

try:
    from numpy.lib.array_utils import normalize_axis_tuple
except ImportError:                                         # numpy < 2
    from numpy.core.numeric import normalize_axis_tuple

__all__ = ["sum", "mean", "max", "amax", "min", "amin", "argmax", "argmin"]


def normalize_axes(name, axis, ndim):
    """numpy's ``axis``: None (every axis), an int or a tuple, negative ones
    counted from the end; ``AxisError`` (a ValueError and IndexError) naming
    the function otherwise."""
    if axis is None:
        return tuple(range(ndim))
    axes = (axis,) if np.ndim(axis) == 0 else tuple(axis)
    try:
        return tuple(sorted(normalize_axis_tuple(axes, ndim)))
    except np.exceptions.AxisError as e:
        raise np.exceptions.AxisError("%s: %s" % (name, e)) from None


def _reduced_shape(shape, axes, keepdims):
    if keepdims:
        return tuple(1 if i in axes else s for i, s in enumerate(shape))
    return tuple(s for i, s in enumerate(shape) if i not in axes)


def _check_kwargs(name, out, where, initial=np._NoValue):
    if out is not None:
        raise TypeError("%s: out= is not supported (dualtape returns new arrays)" % name)
    if where is not np._NoValue and where is not True:
        raise TypeError("%s: where= is not supported" % name)
    if initial is not np._NoValue:
        raise TypeError("%s: initial= is not supported" % name)


def _reduce(name, op, a, axis, keepdims, dtype=None, np_default=None):
    """Apply reduction ``op`` with numpy's conventions and shape."""
    x = asarray(a)
    if dtype is None and np_default is not None:
        dtype = np_default(np.zeros(1, x._data.dtype)).dtype
    if dtype is not None and np.dtype(dtype) != x._data.dtype:
        x = x.astype(dtype)
    axes = normalize_axes(name, axis, x.ndim)
    r = apply(op, (x,), (axes, bool(keepdims)))
    shape = _reduced_shape(x.shape, axes, keepdims)
    return like_inputs(r if r.shape == shape else view_as(r, shape), (a,))


def sum(a, axis=None, dtype=None, out=None, keepdims=False, initial=np._NoValue,  # noqa: A001
        where=np._NoValue):
    """numpy.sum: integers accumulate in numpy's default integer; the
    derivative spreads the cotangent over the summed axes."""
    _check_kwargs("sum", out, where, initial)
    return _reduce("sum", R.SUM, a, axis, keepdims, dtype, np.sum)


def mean(a, axis=None, dtype=None, out=None, keepdims=False, *, where=np._NoValue):
    """numpy.mean: integer input gives float64; nan (with numpy's warning)
    over an empty axis."""
    _check_kwargs("mean", out, where)
    return _reduce("mean", R.MEAN, a, axis, keepdims, dtype, np.mean)


def _extremum(name, op):
    def f(a, axis=None, out=None, keepdims=False, initial=np._NoValue, where=np._NoValue):
        _check_kwargs(name, out, where, initial)
        x = asarray(a)
        if any(x.shape[i] == 0 for i in normalize_axes(name, axis, x.ndim)):
            raise ValueError("zero-size array to reduction operation %s which has no "
                             "identity" % {"max": "maximum", "min": "minimum"}[name])
        return _reduce(name, op, a, axis, keepdims)
    f.__name__ = name
    f.__doc__ = ("numpy.%s; every element tied for the extremum gets the full gradient "
                 "(as dualtape's nd.%s)." % (name, name))
    return f


max = _extremum("max", R.MAX)  # noqa: A001
min = _extremum("min", R.MIN)  # noqa: A001
amax, amin = max, min


def _arg(name, npf):
    op = nondiff("numpy_" + name, lambda x, axis, keepdims: np.asarray(
        npf(x, axis=axis, keepdims=keepdims)), keep_dtype=False, kind="index")

    def f(a, axis=None, out=None, *, keepdims=False):
        _check_kwargs(name, out, np._NoValue)
        x = asarray(a)
        if axis is not None:
            axis = normalize_axes(name, axis, x.ndim)[0]
        if x.size == 0 or (axis is not None and x.shape[axis] == 0):
            raise ValueError("attempt to get %s of an empty sequence" % name)
        return like_inputs(apply(op, (x,), (axis, bool(keepdims))), (a,))
    f.__name__ = name
    f.__doc__ = "numpy.%s: int64 indices (the flat index when ``axis`` is None)." % name
    return f


argmax = _arg("argmax", np.argmax)
argmin = _arg("argmin", np.argmin)
