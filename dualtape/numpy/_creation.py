"""numpy's array creation, as dualtape arrays (float64 by default).

Arrays made from Python values, lists and numpy arrays are constants.  Where
a dualtape array goes in (``full``'s ``fill_value``, ``linspace``'s and
``logspace``'s ends, ``meshgrid``'s vectors) the result is differentiable in
it.  The ``*_like`` functions are constants (no derivative flows to the
prototype) in the prototype's flavour.  ``order`` is checked as numpy checks
it, but dualtape arrays are always C-contiguous; ``like`` is accepted and
ignored (numpy's ``like=`` dispatch strips it before calling these).
"""
import operator

import numpy as np

from .._engine import NDArray, wrap_np
from ..ops import structural as S
from ._core import _checked, asarray, common_dtype, like_inputs
from ._reductions import normalize_axes
from ._ufuncs import add, multiply, power, subtract, true_divide

__all__ = ["zeros", "ones", "full", "empty", "zeros_like", "ones_like", "full_like",
           "empty_like", "arange", "linspace", "logspace", "eye", "identity", "meshgrid",
           "tri"]


def _made(name, data):
    """A constant dualtape array of numpy ``data`` (``TypeError`` naming
    ``name`` for a dtype dualtape cannot hold)."""
    _checked(name, data.dtype)
    return wrap_np(data)


def _check_order(name, order, valid="CF"):
    if order is not None and (not isinstance(order, str) or order.upper() not in valid):
        raise ValueError("%s: order must be one of %s, got %r"
                         % (name, ", ".join(repr(c) for c in valid), order))


def zeros(shape, dtype=None, order="C", *, device=None, like=None):
    """numpy.zeros (a constant array)."""
    return _made("zeros", np.zeros(shape, dtype, order, device=device))


def ones(shape, dtype=None, order="C", *, device=None, like=None):
    """numpy.ones (a constant array)."""
    return _made("ones", np.ones(shape, dtype, order, device=device))


def empty(shape, dtype=None, order="C", *, device=None, like=None):
    """numpy.empty (a constant array)."""
    return _made("empty", np.empty(shape, dtype, order, device=device))


def full(shape, fill_value, dtype=None, order="C", *, device=None, like=None):
    """numpy.full: ``fill_value`` broadcast to ``shape``.  A constant array,
    except for a dualtape ``fill_value``, to which the derivative flows (summed
    over the broadcast, as a broadcast's)."""
    if not isinstance(fill_value, NDArray):
        return _made("full", np.full(shape, fill_value, dtype, order, device=device))
    _check_order("full", order)
    x = asarray(fill_value, None if dtype is None else _checked("full", np.dtype(dtype)))
    shape = (operator.index(shape),) if np.ndim(shape) == 0 else tuple(shape)
    r = S.broadcast_to(x, shape)
    return like_inputs(S.copy(r) if r is x else r, (fill_value,))


def _like(name, npf):
    def f(a, /, dtype=None, order="K", subok=True, shape=None, *, device=None):
        x = asarray(a)
        proto = np.empty(x.shape, x._data.dtype)
        r = npf(proto, dtype=dtype, order=order, subok=subok, shape=shape, device=device)
        return like_inputs(_made(name, r), (a,))
    f.__name__ = name
    f.__doc__ = ("numpy.%s: a constant array (no derivative flows to ``a``), in "
                 "``a``'s flavour." % name)
    return f


zeros_like = _like("zeros_like", np.zeros_like)
ones_like = _like("ones_like", np.ones_like)
empty_like = _like("empty_like", np.empty_like)


def full_like(a, fill_value, dtype=None, order="K", subok=True, shape=None, *, device=None):
    """numpy.full_like: ``full`` with ``a``'s shape and dtype by default, in
    ``a``'s flavour.  No derivative flows to ``a``; a dualtape
    ``fill_value`` is differentiable, as in ``full``."""
    x = asarray(a)
    _check_order("full_like", order, "KACF")
    r = full(x.shape if shape is None else shape, fill_value,
             x._data.dtype if dtype is None else dtype)
    return like_inputs(r, (a,))


def arange(start_or_stop, /, stop=None, step=1, *, dtype=None, device=None, like=None):
    """numpy.arange (a constant array)."""
    return _made("arange", np.arange(start_or_stop, stop, step, dtype=dtype, device=device))


def _differentiable(*args):
    return any(isinstance(a, NDArray) for a in args)


def linspace(start, stop, num=50, endpoint=True, retstep=False, dtype=None, axis=0, *,
             device=None):
    """numpy.linspace, scalar or array ends (the samples run along ``axis``).
    Constant for Python or numpy ends; dualtape ends are differentiable: the
    sample ``k`` moves by ``1 - k/div`` with ``start`` and ``k/div`` with
    ``stop`` (``div`` is ``num - 1``, or ``num`` without the endpoint); the
    last sample is ``stop`` itself when ``endpoint``.  ``retstep`` gives the
    step as numpy does (a dualtape array for dualtape ends)."""
    if not _differentiable(start, stop):
        r = np.linspace(start, stop, num, endpoint, retstep, dtype, axis, device=device)
        if retstep:
            step = r[1]
            return _made("linspace", r[0]), asarray(step) if np.ndim(step) else step
        return _made("linspace", r)
    num = operator.index(num)
    if num < 0:
        raise ValueError("linspace: number of samples, %d, must be non-negative" % num)
    div = num - 1 if endpoint else num
    dt = common_dtype("linspace", start, stop)
    dt = dt if dt.kind == "f" else np.dtype(np.float64)
    s, e = (asarray(v, dt) for v in (start, stop))
    delta = subtract(e, s)
    k = asarray(np.arange(num, dtype=dt).reshape((-1,) + (1,) * delta.ndim))
    step = np.nan
    if div > 0:
        step = true_divide(delta, div)
        y = multiply(true_divide(k, div), delta) if np.any(step._data == 0) else \
            multiply(k, step)
    else:
        y = multiply(k, delta)
    y = add(y, s)
    if endpoint and num > 1:
        last = S.view_as(S.broadcast_to(e, delta.shape), (1,) + delta.shape)
        y = S.concat(y[:num - 1], last, dim=0)
    if axis != 0:
        axis = normalize_axes("linspace", axis, y.ndim)[0]
        y = S.transpose(y, tuple(range(1, axis + 1)) + (0,) + tuple(range(axis + 1, y.ndim)))
    if dtype is not None and np.issubdtype(dtype, np.integer):
        y = _made("linspace", np.floor(y._data).astype(dtype))     # integers: no derivative
    elif dtype is not None and np.dtype(dtype) != y._data.dtype:
        y = S.astype(y, _checked("linspace", np.dtype(dtype)))
    y = like_inputs(y, (start, stop))
    return (y, like_inputs(step, (start, stop))) if retstep else y


def logspace(start, stop, num=50, endpoint=True, base=10.0, dtype=None, axis=0):
    """numpy.logspace: ``base ** linspace(start, stop, ...)``.  Constant for
    Python or numpy arguments; differentiable in dualtape ``start``, ``stop``
    and ``base`` (as ``linspace`` and ``power``)."""
    if not _differentiable(start, stop, base):
        return _made("logspace", np.logspace(start, stop, num, endpoint, base, dtype, axis))
    given = (start, stop, base)
    if not isinstance(base, (float, int)) and np.ndim(base):
        # an array base broadcasts with the ends first, as numpy's
        args = [asarray(v) for v in given]
        ndmax = len(np.broadcast_shapes(*(a.shape for a in args)))
        start, stop, base = (S.view_as(a, (1,) * (ndmax - a.ndim) + a.shape) for a in args)
        axis = normalize_axes("logspace", axis, ndmax + 1)[0]
        base = S.view_as(base, base.shape[:axis] + (1,) + base.shape[axis:])
    r = power(base, linspace(start, stop, num, endpoint, axis=axis))
    if dtype is not None and np.dtype(dtype) != r._data.dtype:
        r = S.astype(r, _checked("logspace", np.dtype(dtype)))
    return like_inputs(r, given)


def eye(N, M=None, k=0, dtype=float, order="C", *, device=None, like=None):
    """numpy.eye (a constant array)."""
    return _made("eye", np.eye(N, M, k, dtype, order, device=device))


def identity(n, dtype=None, *, like=None):
    """numpy.identity (a constant array)."""
    return _made("identity", np.identity(n, dtype))


def tri(N, M=None, k=0, dtype=float, *, like=None):
    """numpy.tri: ones at and below diagonal ``k`` (a constant array)."""
    return _made("tri", np.tri(N, M, k, dtype))


def meshgrid(*xi, copy=True, sparse=False, indexing="xy"):
    """numpy.meshgrid: a tuple of coordinate arrays, each input (flattened)
    along its own axis and broadcast over the others (the first two axes
    swapped for ``indexing='xy'``).  Differentiable in the inputs (the
    cotangent is summed over the broadcast).  With ``copy=False`` the dense
    results are still new arrays (numpy gives read-only broadcast views);
    sparse ones are views of the inputs."""
    if indexing not in ("xy", "ij"):
        raise ValueError("meshgrid: valid values for `indexing` are 'xy' and 'ij', got %r"
                         % (indexing,))
    xs = [asarray(x) for x in xi]
    n = len(xs)
    shapes = [[1] * n for _ in xs]
    for i, x in enumerate(xs):
        shapes[i][i] = x.size
    if indexing == "xy" and n > 1:
        shapes[0][:2] = shapes[0][1::-1]
        shapes[1][:2] = shapes[1][1::-1]
    full_shape = tuple(int(np.prod([s[j] for s in shapes])) for j in range(n))
    out = []
    for x, s in zip(xs, shapes):
        o = S.view_as(x, tuple(s))
        if not sparse and o.shape != full_shape:
            o = S.broadcast_to(o, full_shape)           # a new array
        elif copy:
            o = S.copy(o)
        out.append(o)
    return like_inputs(tuple(out), xi)
