"""numpy's reductions on dualtape arrays: numpy's axes (``axis=()`` reduces
nothing), result dtypes (integer sums accumulate in the platform integer,
means of integers are float64) and shapes (a full reduction is 0-d).

``out`` must be None and ``where`` True (anything else raises
``TypeError``); ``initial`` is supported where numpy has it.  numpy gives no
derivatives; dualtape's are the usual ones, and where a function has a kink
each docstring says which side it takes.
"""
import builtins
import operator
import warnings

import numpy as np

from .. import _engine
from .._engine import apply
from ..ops import reduction as R
from ..ops.elementwise import _const
from ..ops.sorting import CUMSUM
from ..ops.structural import CONCAT, GATHER, GETITEM, broadcast_to, transpose, view_as
from ..registry import defop, nondiff
from ._core import _checked, asarray, is_scalar, like_inputs
from . import _ufuncs
from ._ufuncs import add, maximum, minimum, multiply, sqrt, square, subtract, true_divide

try:
    from numpy.lib.array_utils import normalize_axis_tuple
except ImportError:                                         # numpy < 2
    from numpy.core.numeric import normalize_axis_tuple

__all__ = ["sum", "prod", "mean", "average", "var", "std", "max", "amax", "min", "amin",
           "ptp", "cumsum", "cumprod", "nansum", "nanmean", "trace", "all", "any",
           "argmax", "argmin", "count_nonzero"]


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


def _reduce_axes(name, axis, ndim):
    """``normalize_axes`` for numpy's ufunc reductions, which also take the
    int axis 0 or -1 of a 0-d array (reducing nothing)."""
    if ndim == 0 and np.ndim(axis) == 0 and axis is not None and operator.index(axis) in (0, -1):
        return ()
    return normalize_axes(name, axis, ndim)


def _one_axis(name, axis, ndim):
    """A single axis (an int, as numpy's ``operator.index``), normalized."""
    return normalize_axes(name, operator.index(axis), ndim)[0]


def _reduced_shape(shape, axes, keepdims):
    if keepdims:
        return tuple(1 if i in axes else s for i, s in enumerate(shape))
    return tuple(s for i, s in enumerate(shape) if i not in axes)


def _keep(keepdims):
    """numpy's ``keepdims`` (``np._NoValue``, as numpy passes it on, is False)."""
    return keepdims is not np._NoValue and bool(keepdims)


def _count(shape, axes):
    return int(np.prod([shape[i] for i in axes], dtype=np.int64))


def _check_kwargs(name, out, where):
    if out is not None:
        raise TypeError("%s: out= is not supported (dualtape returns new arrays)" % name)
    if where is not np._NoValue and where is not True:
        raise TypeError("%s: where= is not supported (only where=True)" % name)


def _masked(name, a, where, fill):
    """``a`` with the elements the ``where`` mask leaves out replaced by
    ``fill`` (the reduction's identity), so that they count for nothing; no
    derivative reaches them."""
    if where is np._NoValue or where is True:
        return a
    x = asarray(a)
    m = asarray(where)
    if m._data.dtype != np.bool_:
        raise TypeError("%s: where must be a boolean mask, got dtype %s" % (name, m._data.dtype))
    if m.shape != x.shape:
        m = broadcast_to(m, np.broadcast_shapes(m.shape, x.shape))
        x = broadcast_to(x, m.shape) if x.shape != m.shape else x
    return _ufuncs.where(m, x, np.array(fill, x._data.dtype))


def _dtype(name, dtype):
    return None if dtype is None else _checked(name, np.dtype(dtype))


def _reduce(name, op, a, axis, keepdims, dtype=None, np_default=None):
    """Apply reduction ``op`` with numpy's conventions and shape."""
    x = asarray(a)
    keepdims = _keep(keepdims)
    dtype = _dtype(name, dtype)
    if dtype is None and np_default is not None:
        dtype = np_default(np.zeros(1, x._data.dtype)).dtype
    if dtype is not None and dtype != x._data.dtype:
        x = x.astype(dtype)
    axes = _reduce_axes(name, axis, x.ndim)
    r = apply(op, (x,), (axes, keepdims))
    shape = _reduced_shape(x.shape, axes, keepdims)
    return like_inputs(r if r.shape == shape else view_as(r, shape), (a,))


def _check_initial(name, initial):
    if initial is not np._NoValue and not is_scalar(initial):
        raise ValueError("%s: initial must be a scalar, got %r" % (name, initial))


def _with_initial(name, r, initial, combine):
    """``combine(r, initial)``, ``initial`` cast to ``r``'s dtype as numpy casts it."""
    _check_initial(name, initial)
    if initial is np._NoValue:
        return r
    return combine(r, np.asarray(initial).astype(r._data.dtype)[()])


def sum(a, axis=None, dtype=None, out=None, keepdims=False, initial=np._NoValue,  # noqa: A001
        where=np._NoValue):
    """numpy.sum: integers accumulate in numpy's default integer; the
    derivative spreads the cotangent over the summed axes."""
    _check_kwargs("sum", out, np._NoValue)
    r = _reduce("sum", R.SUM, _masked("sum", a, where, 0), axis, keepdims, dtype, np.sum)
    return like_inputs(_with_initial("sum", asarray(r), initial, add), (a,))


def prod(a, axis=None, dtype=None, out=None, keepdims=False, initial=np._NoValue,
         where=np._NoValue):
    """numpy.prod (dtypes as ``sum``).  The derivative in each element is the
    product of the others, computed without division: right where elements
    are zero, at every order."""
    _check_kwargs("prod", out, np._NoValue)
    r = _reduce("prod", R.PROD, _masked("prod", a, where, 1), axis, keepdims, dtype, np.prod)
    return like_inputs(_with_initial("prod", asarray(r), initial, multiply), (a,))


def _warn_empty(n, message="Mean of empty slice"):
    if n == 0:
        warnings.warn(message, RuntimeWarning, stacklevel=3)


def mean(a, axis=None, dtype=None, out=None, keepdims=False, *, where=np._NoValue):
    """numpy.mean: integer input gives float64, float16 accumulates in
    float32; nan (with numpy's warning) over an empty axis.  The derivative
    spreads the cotangent divided by the count."""
    _check_kwargs("mean", out, np._NoValue)
    if where is not np._NoValue and where is not True:      # sum of the kept / their count
        x = _masked("mean", a, where, 0)
        axes = normalize_axes("mean", axis, x.ndim)
        dtype = _dtype("mean", dtype) or (x._data.dtype if x._data.dtype.kind == "f"
                                          else np.dtype(np.float64))
        kept = sum(_masked("mean", np.ones(x.shape, dtype), where, 0), axes, dtype, None,
                   keepdims)
        with np.errstate(invalid="ignore", divide="ignore"):
            r = true_divide(sum(x, axes, dtype, None, keepdims), kept)
        return like_inputs(r, (a,))
    x = asarray(a)
    axes = normalize_axes("mean", axis, x.ndim)
    _warn_empty(_count(x.shape, axes))
    dtype = _dtype("mean", dtype)
    if dtype is None and x._data.dtype == np.float16:
        r = _reduce("mean", R.MEAN, x, axes, keepdims, np.float32).astype(np.float16)
    elif dtype is not None and dtype.kind != "f":         # numpy: sum in dtype, cast back
        r = true_divide(sum(x, axes, dtype, None, keepdims), _count(x.shape, axes))
        r = r.astype(dtype)
    else:
        with np.errstate(invalid="ignore"):
            r = _reduce("mean", R.MEAN, x, axes, keepdims, dtype, np.mean)
    return like_inputs(r, (a,))


def average(a, axis=None, weights=None, returned=False, *, keepdims=False):
    """numpy.average: ``sum(a * weights) / sum(weights)`` (the mean without
    ``weights``); ``returned`` also gives the sum of the weights (the count
    without them).  ``weights`` has ``a``'s shape, or the shape of ``a``
    along ``axis``.  Differentiable in ``a`` and ``weights``."""
    x = asarray(a)
    given = None if axis is None else normalize_axes("average", axis, x.ndim)
    if weights is None:
        avg = mean(x, given, keepdims=keepdims)
        scl = asarray(np.full(avg.shape, x.size / builtins.max(avg.size, 1), avg._data.dtype))
    else:
        w = asarray(weights)
        axes = given
        if w.shape != x.shape:
            if axes is None:
                raise TypeError("average: axis must be specified when shapes of a %s and "
                                "weights %s differ" % (x.shape, w.shape))
            order = normalize_axis_tuple(axis, x.ndim)      # the order weights' axes follow
            along = tuple(x.shape[i] for i in order)
            if w.shape != along:
                raise ValueError("average: shape of weights %s must be consistent with "
                                 "shape of a %s along axis %s, %s"
                                 % (w.shape, x.shape, axis, along))
            w = transpose(w, tuple(int(i) for i in np.argsort(order)))
            w = view_as(w, tuple(s if i in axes else 1 for i, s in enumerate(x.shape)))
        dt = np.result_type(x._data.dtype, w._data.dtype,
                            *(("f8",) if x._data.dtype.kind in "biu" else ()))
        scl = sum(w, axes, dtype=dt, keepdims=keepdims)
        if np.any(scl._data == 0):
            raise ZeroDivisionError("average: weights sum to zero, can't be normalized")
        avg = true_divide(sum(multiply(x, w, dtype=dt), axes, keepdims=keepdims), scl)
    avg = like_inputs(avg, (a, weights))
    if not returned:
        return avg
    if scl.shape != avg.shape:
        scl = broadcast_to(scl, avg.shape)
    return avg, like_inputs(scl, (a, weights))


def _moment(name, a, axis, dtype, out, ddof, keepdims, where, mean_, correction):
    """numpy's ``_var``: the mean in ``dtype`` (float64 for integers), then
    the sum of squared deviations over ``max(n - ddof, 0)``."""
    _check_kwargs(name, out, where)
    if correction is not np._NoValue:
        if ddof != 0:
            raise ValueError("%s: ddof and correction can't be provided simultaneously"
                             % name)
        ddof = correction
    x = asarray(a)
    axes = normalize_axes(name, axis, x.ndim)
    n = _count(x.shape, axes)
    if ddof >= n:
        warnings.warn("Degrees of freedom <= 0 for slice", RuntimeWarning, stacklevel=3)
    dtype = _dtype(name, dtype)
    if dtype is None and x._data.dtype.kind in "biu":
        dtype = np.dtype(np.float64)
    with np.errstate(divide="ignore", invalid="ignore"):
        if mean_ is np._NoValue:
            s = sum(x, axes, dtype=dtype, keepdims=True)
            m = true_divide(s, n)
            m = m if m._data.dtype == s._data.dtype else m.astype(s._data.dtype)
        else:
            m = asarray(mean_)
        ret = sum(square(subtract(x, m)), axes, dtype=dtype, keepdims=keepdims)
        r = true_divide(ret, float(builtins.max(n - ddof, 0)))
    return r if r._data.dtype == ret._data.dtype else r.astype(ret._data.dtype)


def var(a, axis=None, dtype=None, out=None, ddof=0, keepdims=False, *, where=np._NoValue,
        mean=np._NoValue, correction=np._NoValue):
    """numpy.var: ``sum((a - mean)**2) / (n - ddof)`` (``correction`` is
    ``ddof``'s other name; ``mean`` a precomputed mean, with ``keepdims``
    shape); float64 for integer input.  The derivative is
    ``2 (a - mean) / (n - ddof)``."""
    r = _moment("var", a, axis, dtype, out, ddof, keepdims, where, mean, correction)
    return like_inputs(r, (a, mean))


def std(a, axis=None, dtype=None, out=None, ddof=0, keepdims=False, *, where=np._NoValue,
        mean=np._NoValue, correction=np._NoValue):
    """numpy.std: ``sqrt(var(...))`` (arguments as ``var``).  The derivative
    is ``(a - mean) / ((n - ddof) std)``: nan where ``std`` is 0 (all
    elements equal), where it has none."""
    v = _moment("std", a, axis, dtype, out, ddof, keepdims, where, mean, correction)
    if v._data.dtype.kind != "f" and v.ndim:     # numpy's sqrt into the result fails
        raise TypeError("std: cannot cast the square root (float64) to dtype %s" % v.dtype)
    r = sqrt(v)
    return like_inputs(r if r._data.dtype == v._data.dtype else r.astype(v._data.dtype), (a, mean))


def _extremum(name, op, combine):
    def f(a, axis=None, out=None, keepdims=False, initial=np._NoValue, where=np._NoValue):
        _check_kwargs(name, out, np._NoValue)
        _check_initial(name, initial)
        if where is not np._NoValue and where is not True and initial is np._NoValue:
            raise ValueError("%s: reduction operation %s does not have an identity, so to "
                             "use a where mask one has to specify 'initial'"
                             % (name, combine.__name__))
        x = asarray(_masked(name, a, where, initial))
        axes = _reduce_axes(name, axis, x.ndim)
        if builtins.any(x.shape[i] == 0 for i in axes):
            if initial is np._NoValue:
                raise ValueError("%s: zero-size array to reduction operation %s which has "
                                 "no identity (shape %s, axis %s)"
                                 % (name, combine.__name__, x.shape, axis))
            shape = _reduced_shape(x.shape, axes, _keep(keepdims))
            return like_inputs(asarray(np.full(shape, initial, x._data.dtype)), (a,))
        r = _reduce(name, op, x, axis, keepdims)
        return like_inputs(_with_initial(name, r, initial, combine), (a,))
    f.__name__ = name
    f.__doc__ = ("numpy.%s (``initial`` joins the %s, and allows an empty axis).  "
                 "Elements tied for the extremum share its derivative equally, as in JAX "
                 "and PyTorch (``nd.%s`` gives each the whole of it, as MXNet); a tie "
                 "with ``initial`` sends it to the array." % (name, combine.__name__, name))
    return f


max = _extremum("max", R.NUMPY_MAX, maximum)  # noqa: A001
min = _extremum("min", R.NUMPY_MIN, minimum)  # noqa: A001
amax, amin = max, min


def ptp(a, axis=None, out=None, keepdims=False):
    """numpy.ptp: ``max - min`` in ``a``'s dtype (integers wrap around, as
    numpy).  The derivative is that of ``max`` minus that of ``min`` (0 when
    every element is equal)."""
    _check_kwargs("ptp", out, np._NoValue)
    x = asarray(a)
    if x._data.dtype == np.bool_:
        raise TypeError("ptp: numpy boolean subtract is not supported (bool input)")
    return like_inputs(subtract(max(x, axis, None, keepdims), min(x, axis, None, keepdims)),
                   (a,))


# ------------------------------------------------------ cumsum, cumprod ---

def _take(y, axis, sl):
    """``y[..., sl, ...]`` at negative ``axis``."""
    return apply(GETITEM, (y,), ((slice(None),) * (y.ndim + axis) + (sl,), False))


def _join(a, b, axis):
    return apply(CONCAT, (a, b), (a.ndim + axis,))


def _linear_scan(a, b, axis, reverse):
    """``h`` with ``h[i] = a[i] h[i-1] + b[i]`` along negative ``axis``
    (``h[i+1]`` when ``reverse``; 0 beyond the ends), in log2(n) doubling
    steps of registered ops (so it is differentiable).  ``b`` may carry
    leading batch axes that ``a`` lacks."""
    n = b.shape[axis]
    d = 1
    while d < n:
        lo, hi = slice(0, n - d), slice(d, n)
        if reverse:
            b = _join(_take(b, axis, lo) + _take(a, axis, lo) * _take(b, axis, hi),
                      _take(b, axis, slice(n - d, n)), axis)
            a = _join(_take(a, axis, lo) * _take(a, axis, hi),
                      _take(a, axis, slice(n - d, n)), axis)
        else:
            b = _join(_take(b, axis, slice(0, d)),
                      _take(b, axis, hi) + _take(a, axis, hi) * _take(b, axis, lo), axis)
            a = _join(_take(a, axis, slice(0, d)),
                      _take(a, axis, hi) * _take(a, axis, lo), axis)
        d *= 2
    return b


def _ones_at(x, axis):
    """Ones shaped as one slice of ``x`` at ``axis``."""
    shape = list(x.shape)
    shape[axis] = 1
    return _const(np.ones(shape, x._data.dtype))


def _exclusive(ans, axis):
    """The product of the elements before each position (1 at the first)."""
    n = ans.shape[axis]
    return _join(_ones_at(ans, axis), _take(ans, axis, slice(0, n - 1)), axis)


def _cumprod_jvp(ts, ans, xs, axis):
    # y[i] = y[i-1] x[i], so dy[i] = x[i] dy[i-1] + y[i-1] dx[i]
    if ans.shape[axis] == 0:
        return ts[0]
    return _linear_scan(xs[0], _exclusive(ans, axis) * ts[0], axis, False)


def _cumprod_vjp(g, ans, xs, needs, axis):
    # the transpose: u[j] = g[j] + x[j+1] u[j+1], and dx[j] = y[j-1] u[j]
    x = xs[0]
    if ans.shape[axis] == 0:
        return (g,)
    after = _join(_take(x, axis, slice(1, x.shape[axis])), _ones_at(x, axis), axis)
    return (_exclusive(ans, axis) * _linear_scan(after, g, axis, True),)


CUMPROD = defop("numpy_cumprod", lambda x, axis: np.cumprod(x, axis=axis),
                jvp=_cumprod_jvp, vjp=_cumprod_vjp, kind="scan", samples=lambda rng: [
                    ([rng.uniform(0.5, 1.5, (2, 5))], (-1,)),
                    ([np.array([[0.7, 0.0, -1.2], [0.9, 1.3, -0.8]])], (-1,)),
                    # two zeros along the axis: the second derivative is non-zero there
                    ([np.array([[0.0, 1.1], [0.6, 0.0], [1.4, -0.7]])], (-2,)),
                    ([np.array([0.0, 0.0, 1.5, 0.8])], (-1,))])


def _accumulate(name, op, npf, a, axis, dtype, out):
    if out is not None:
        raise TypeError("%s: out= is not supported (dualtape returns new arrays)" % name)
    x = asarray(a)
    if axis is None or x.ndim == 0:          # numpy: a 0-d array accumulates as 1-d
        if axis is not None:
            _one_axis(name, axis, 1)
        x = view_as(x, (x.size,))
        axis = 0
    ax = _one_axis(name, axis, x.ndim)
    dtype = _dtype(name, dtype)
    if dtype is None:
        dtype = npf(np.zeros(1, x._data.dtype)).dtype
    if dtype != x._data.dtype:
        x = x.astype(dtype)
    return like_inputs(apply(op, (x,), (ax - x.ndim,)), (a,))


def cumsum(a, axis=None, dtype=None, out=None):
    """numpy.cumsum (of the flattened array when ``axis`` is None; integers
    accumulate in numpy's default integer).  The derivative is the
    cumulative sum of the tangent."""
    return _accumulate("cumsum", CUMSUM, np.cumsum, a, axis, dtype, out)


def cumprod(a, axis=None, dtype=None, out=None):
    """numpy.cumprod (arguments as ``cumsum``).  The derivative solves the
    recurrence ``dy[i] = x[i] dy[i-1] + y[i-1] dx[i]`` by a log-depth scan,
    with no division by ``x``: right where elements are zero, at every
    order."""
    return _accumulate("cumprod", CUMPROD, np.cumprod, a, axis, dtype, out)


# ------------------------------------------------------- nansum, nanmean ---

def nansum(a, axis=None, dtype=None, out=None, keepdims=False, initial=np._NoValue,
           where=np._NoValue):
    """numpy.nansum: ``sum`` with nan counted as 0 (0 over an all-nan axis).
    The derivative is 0 at nan elements, 1 elsewhere."""
    _check_kwargs("nansum", out, where)
    _check_initial("nansum", initial)
    _dtype("nansum", dtype)
    x = R._nan_to(asarray(a), 0.0)
    return like_inputs(sum(x, axis, dtype, None, keepdims, initial), (a,))


def nanmean(a, axis=None, dtype=None, out=None, keepdims=False, *, where=np._NoValue):
    """numpy.nanmean: the mean of the elements that are not nan (nan, with
    numpy's warning, where all are).  The derivative is ``1 / count`` at the
    other elements and 0 at nan elements (and over all-nan axes)."""
    _check_kwargs("nanmean", out, where)
    x = asarray(a)
    if x._data.dtype.kind != "f":
        return like_inputs(mean(x, axis, dtype, None, keepdims), (a,))
    dtype = _dtype("nanmean", dtype)
    if dtype is not None and dtype.kind != "f":
        raise TypeError("nanmean: if a is inexact, then dtype must be inexact, got %s"
                        % dtype)
    axes = _reduce_axes("nanmean", axis, x.ndim)
    tot = sum(R._nan_to(x, 0.0), axes, dtype, None, keepdims)
    dt = tot._data.dtype
    # the counts by ops (no values read in Python), so that dt.jit traces it
    nans = sum(asarray(apply(R._ISNAN_MASK, (x,)), dt), axes, None, None, keepdims)
    cnt = _ufuncs.subtract(float(_count(x.shape, axes)), nans)
    empty = _ufuncs.equal(cnt, 0.0)
    if _engine.get_tracer() is None and empty._data.any():
        warnings.warn("Mean of empty slice", RuntimeWarning, stacklevel=2)
    r = true_divide(tot, _ufuncs.maximum(cnt, 1.0))
    r = _ufuncs.where(empty, np.array(np.nan, dt), r)
    return like_inputs(r, (a,))


# ---------------------------------------------------------------- trace ---

def _diagonal_index(shape, offset, axis1, axis2):
    """Flat indices of the diagonal ``offset`` of axes ``axis1``, ``axis2``
    (the other axes first, as ``numpy.diagonal``), built from broadcast
    views: no array of ``shape``'s size."""
    strides = [int(np.prod(shape[i + 1:], dtype=np.int64)) for i in range(len(shape))]
    grids = np.ogrid[tuple(slice(n) for n in shape)]
    return np.add.reduce([np.diagonal(np.broadcast_to(g * s, shape), offset, axis1, axis2)
                          for g, s in zip(grids, strides)]).astype(np.intp)


def trace(a, offset=0, axis1=0, axis2=1, dtype=None, out=None):
    """numpy.trace: the sum along diagonal ``offset`` of the 2-d subarrays
    of axes ``axis1``, ``axis2`` (dtypes as ``sum``).  The derivative is 1
    on that diagonal, 0 elsewhere."""
    _check_kwargs("trace", out, np._NoValue)
    _dtype("trace", dtype)
    x = asarray(a)
    if x.ndim < 2:
        raise ValueError("trace: diag requires an array of at least two dimensions, got "
                         "shape %s" % (x.shape,))
    a1, a2 = _one_axis("trace", axis1, x.ndim), _one_axis("trace", axis2, x.ndim)
    if a1 == a2:
        raise ValueError("trace: axis1 and axis2 cannot be the same (%d)" % a1)
    idx = _diagonal_index(x.shape, operator.index(offset), a1, a2)
    diagonal = apply(GATHER, (x,), (idx, 0))
    return like_inputs(sum(diagonal, -1, dtype), (a,))


# ------------------------------------------------- logical and counting ---

def _counting(name, npf, out_dtype):
    op = nondiff("numpy_" + name, lambda x, axes, keepdims: np.asarray(
        npf(x, axis=axes, keepdims=keepdims), out_dtype), keep_dtype=False, kind="reduction")

    def apply_it(a, axis, keepdims):
        x = asarray(a)
        axes = _reduce_axes(name, axis, x.ndim)
        return like_inputs(apply(op, (x,), (axes, _keep(keepdims))), (a,))
    return apply_it


_all = _counting("all", np.all, np.bool_)
_any = _counting("any", np.any, np.bool_)
_count_nonzero = _counting("count_nonzero", np.count_nonzero, np.intp)


def all(a, axis=None, out=None, keepdims=False, *, where=np._NoValue):  # noqa: A001
    """numpy.all: whether every element is non-zero (nan counts as
    non-zero), a bool array (no derivative)."""
    _check_kwargs("all", out, np._NoValue)
    return _all(_masked("all", a, where, True), axis, keepdims)


def any(a, axis=None, out=None, keepdims=False, *, where=np._NoValue):  # noqa: A001
    """numpy.any: whether some element is non-zero, a bool array (no
    derivative)."""
    _check_kwargs("any", out, np._NoValue)
    return _any(_masked("any", a, where, False), axis, keepdims)


def count_nonzero(a, axis=None, *, keepdims=False):
    """numpy.count_nonzero, as an intp array (no derivative): 0-d where
    numpy returns a Python int (``axis=None``)."""
    return _count_nonzero(a, axis, keepdims)


def _arg(name, npf):
    op = nondiff("numpy_" + name, lambda x, axis, keepdims: np.asarray(
        npf(x, axis=axis, keepdims=keepdims)), keep_dtype=False, kind="index")

    def f(a, axis=None, out=None, *, keepdims=False):
        _check_kwargs(name, out, np._NoValue)
        x = asarray(a)
        if axis is not None:
            axis = _one_axis(name, axis, builtins.max(x.ndim, 1))     # 0-d: as numpy, axis 0
        if x.size == 0 and (axis is None or x.shape[axis] == 0):
            raise ValueError("%s: attempt to get %s of an empty sequence (shape %s)"
                             % (name, name, x.shape))
        return like_inputs(apply(op, (x,), (axis, _keep(keepdims))), (a,))
    f.__name__ = name
    f.__doc__ = ("numpy.%s: intp indices, of the flattened array when ``axis`` is None "
                 "(no derivative)." % name)
    return f


argmax = _arg("argmax", np.argmax)
argmin = _arg("argmin", np.argmin)
