"""Turning user input into NDArrays, and the checks every op shares."""
import numbers

import numpy as np

from .._engine import NDArray, as_data, check_leave, wrap

#: MXNet 1.x's default dtype.
DEFAULT_DTYPE = np.float32


def to_numpy(source, dtype=None):
    """A new C-contiguous numpy array for ``nd.array`` semantics.

    Lists, scalars and numpy arrays become float32 unless ``dtype`` is given;
    an NDArray keeps its dtype.  A scalar gives a 0-d array, as in MXNet
    1.9.1 (``nd.array(3).shape == ()``).
    """
    if isinstance(source, NDArray):
        check_leave(source, "nd.array(x)")
        data = source._data
        if dtype is None:
            dtype = data.dtype
    else:
        if isinstance(source, np.ma.MaskedArray):
            as_data(source)                     # raises, naming the problem
        data = np.asarray(source)
        if data.dtype.kind not in "biuf":
            raise TypeError("cannot make an NDArray from %s of dtype %s: NDArray holds "
                            "bool, integer or float values"
                            % (type(source).__name__, data.dtype))
        if dtype is None:
            dtype = DEFAULT_DTYPE
    return as_data(np.array(data, dtype=dtype, copy=True, order="C"))


def is_scalar(value):
    """Whether ``value`` is a Python or numpy real scalar."""
    return isinstance(value, numbers.Real) and not isinstance(value, bool) or (
        isinstance(value, np.generic) and np.ndim(value) == 0
        and np.issubdtype(np.asarray(value).dtype, np.number))


def scalar(value):
    """A Python number, so that numpy keeps the array's dtype (NEP 50)."""
    return value.item() if isinstance(value, np.generic) else value


def as_nd(value, like=None):
    """An NDArray for an op argument.

    NDArrays pass through; numpy arrays and lists are converted to ``like``'s
    dtype when given (float32 otherwise).
    """
    if isinstance(value, NDArray):
        return value
    if isinstance(value, (np.ndarray, list, tuple)) or is_scalar(value):
        dtype = like._data.dtype if like is not None else None
        return wrap(to_numpy(value, dtype))
    raise TypeError("expected an NDArray, a numpy array or a number, got %s"
                    % type(value).__name__)


def same_dtype(name, *arrays):
    """Raise ``TypeError`` unless every array has one dtype (MXNet does not
    promote)."""
    first = arrays[0]._data.dtype
    for a in arrays[1:]:
        if a._data.dtype != first:
            raise TypeError("%s: operands have different dtypes %s and %s; convert one "
                            "with astype()" % (name, first, a._data.dtype))


def broadcast_shape(name, *arrays):
    """The broadcast shape of ``arrays``; ``ValueError`` naming them if none."""
    shapes = [a._data.shape for a in arrays]
    try:
        return np.broadcast_shapes(*shapes)
    except ValueError:
        raise ValueError("%s: shapes %s do not broadcast together"
                         % (name, " and ".join(str(s) for s in shapes))) from None


def norm_axes(axis, ndim):
    """``axis`` (None, int or sequence; negative allowed) as a sorted tuple of
    non-negative ints, with a clear error when out of range."""
    if axis is None:
        return tuple(range(ndim))
    axes = (axis,) if isinstance(axis, numbers.Integral) else tuple(axis)
    out = []
    for a in axes:
        if not -ndim <= a < ndim:
            raise ValueError("axis %d is out of range for an array of %d dimensions"
                             % (a, ndim))
        out.append(int(a) % ndim)
    if len(set(out)) != len(out):
        raise ValueError("repeated axis in %r" % (axis,))
    return tuple(sorted(out))


def norm_axis(axis, ndim):
    """One axis as a non-negative int."""
    return norm_axes(axis, ndim)[0]
