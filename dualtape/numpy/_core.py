"""What every function of ``dualtape.numpy`` shares: turning arguments into
numpy-flavoured arrays, numpy's dtype promotion, and the flavour of results.

An argument may be a ``dualtape.numpy.ndarray``, an MXNet-flavoured
``NDArray`` (viewed without a copy), a numpy array, a list or a Python or
numpy scalar.  Promotion asks numpy itself which dtype a ufunc gives for the
operands (Python scalars are weak, as numpy 2 treats them), then converts the
arrays to it with the differentiable ``astype``; a dtype dualtape cannot hold
(complex, object) raises ``TypeError`` naming it.
"""
import functools
import numbers

import numpy as np

from .._engine import NDArray, ndarray, view, wrap_np
from ..ops.convert import as_data
from ..ops.structural import astype as _astype

__all__ = ["ndarray", "asarray", "array"]


_ORDERS = (None, "C", "F", "A", "K")


def _check_order(name, order):
    if order not in _ORDERS:
        raise ValueError("%s: order must be one of 'C', 'F', 'A', or 'K' (got %r)"
                         % (name, order))


def asarray(a, dtype=None, order=None, *, copy=None, device=None, like=None):
    """``a`` as a ``dualtape.numpy.ndarray``: an NDArray without a copy (its
    tape entry and tangents kept), anything else as ``numpy.asarray`` reads
    it (float64 for Python floats).  ``copy=True`` always copies (on the tape
    for an NDArray); ``copy=False`` raises ``ValueError`` where a copy is
    needed, as numpy's.  Values are stored in C order whatever ``order``."""
    _check_order("asarray", order)
    if device not in (None, "cpu"):
        raise ValueError("asarray: device must be 'cpu' or None (got %r)" % (device,))
    if isinstance(a, NDArray):
        x = a if type(a) is ndarray else view(a, True)
        if dtype is not None and np.dtype(dtype) != x._data.dtype:
            if copy is False:
                raise ValueError("asarray: unable to avoid a copy: dtype %s to %s"
                                 % (x._data.dtype, np.dtype(dtype)))
            return _astype(x, dtype)
        if copy:
            from ..ops.structural import copy as _copy
            x = _copy(x)
        return x
    if copy:
        return wrap_np(as_data(np.array(a, dtype=dtype, copy=True)))
    data = as_data(np.asarray(a, dtype=dtype))
    if copy is False and not (isinstance(a, np.ndarray) and np.shares_memory(data, a)):
        raise ValueError("asarray: unable to avoid a copy while creating an array as "
                         "requested (copy=False)")
    return wrap_np(data)


def array(object, dtype=None, *, copy=True, order="K", subok=False, ndmin=0,  # noqa: A002
          like=None):
    """A new array holding a copy of ``object`` (``numpy.array``'s arguments;
    an NDArray source is copied on the tape, so the copy is differentiable;
    values are stored in C order whatever ``order``)."""
    _check_order("array", order)
    if isinstance(object, NDArray):
        from ..ops.structural import copy as _copy
        x = asarray(object, dtype)
        x = _copy(x) if copy else x
    else:
        x = wrap_np(as_data(np.array(object, dtype=dtype, copy=True)))
    while x.ndim < ndmin:
        from ..ops.structural import view_as
        x = view_as(x, (1,) + x.shape)
    return x


def is_scalar(v):
    """A Python or numpy number (not bool arrays), numpy's *weak* operand."""
    return (isinstance(v, (numbers.Number, np.generic)) and not isinstance(v, NDArray)
            and np.ndim(v) == 0)


def _probe(v):
    """What numpy should see of an operand when it resolves dtypes: a 0-d
    array of an array's dtype, a Python scalar as itself (weak)."""
    if isinstance(v, NDArray):
        return np.zeros((), v._data.dtype)
    if isinstance(v, (bool, int, float)):
        return v
    return np.zeros((), np.asarray(v).dtype)


@functools.lru_cache(maxsize=4096)
def _resolved(ufunc, key):
    return np.dtype(ufunc(*[np.zeros((), k) if isinstance(k, np.dtype) else k(0)
                            for k in key]).dtype)


def result_dtype(ufunc, *args):
    """The dtype numpy's ``ufunc`` gives for ``args``: arrays and numpy
    scalars by their dtype, Python bool, int and float weak (cached per
    combination of dtypes and Python scalar types); ``TypeError`` naming a
    complex or object operand's dtype."""
    key = tuple(type(a) if type(a) in (bool, int, float) else
                a._data.dtype if isinstance(a, NDArray) else np.asarray(a).dtype
                for a in args)
    for k in key:
        if isinstance(k, np.dtype):
            _checked(ufunc.__name__, k)
    with np.errstate(all="ignore"):
        return _checked(ufunc.__name__, _resolved(ufunc, key))


def common_dtype(name, *args):
    """The dtype numpy promotes ``args`` to (Python scalars are weak)."""
    probes = [p.dtype if isinstance(p, np.ndarray) else p for p in map(_probe, args)]
    return _checked(name, np.result_type(*probes))


def _checked(name, dt):
    if dt.kind not in "biuf" or dt.itemsize > 8:
        raise TypeError("%s: dualtape arrays hold bool, integer or float16/32/64 values; "
                        "these operands give %s" % (name, dt))
    return np.dtype(dt)


def operands(args, dtype):
    """``args`` for an op computing in ``dtype``: arrays as numpy-flavoured
    arrays of that dtype (converted with the differentiable ``astype``),
    Python scalars kept, numpy scalars as Python numbers."""
    out = []
    for a in args:
        if is_scalar(a):
            out.append(a.item() if isinstance(a, np.generic) else a)
            continue
        x = asarray(a)
        out.append(x if x._data.dtype == dtype else _astype(x, dtype))
    return out


def like_inputs(result, inputs):
    """``result`` in the flavour of ``inputs``: MXNet-flavoured when an input
    is an MXNet-flavoured NDArray and none is numpy-flavoured
    (``np.sin(nd_array)`` stays an NDArray), numpy-flavoured otherwise (also
    for numpy arrays and numbers: ``dnp.sin(np.ones(3))`` is a dnp array)."""
    if any(type(a) is ndarray for a in inputs) or not any(
            isinstance(a, NDArray) for a in inputs):
        return result
    return _reflavor(result)


def _reflavor(r):
    if type(r) is ndarray:
        return view(r, False)
    if isinstance(r, tuple):
        return tuple(_reflavor(x) for x in r)
    if isinstance(r, list):
        return [_reflavor(x) for x in r]
    return r
