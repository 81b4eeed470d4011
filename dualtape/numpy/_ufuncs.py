"""numpy's elementwise functions (ufuncs) on dualtape arrays.

Each function converts its operands as numpy would (``_core.operands`` with
the dtype numpy's own ufunc gives) and applies the registry op that carries
the derivative; numpy's ``out``, ``where`` and other ufunc keywords are
accepted at their defaults only (``dtype`` is honoured).
"""
import numpy as np

from .._engine import apply
from ..ops import elementwise as E
from ..ops.convert import broadcast_shape
from ..registry import nondiff
from ._core import asarray, common_dtype, is_scalar, like_inputs, operands, result_dtype

__all__ = ["add", "subtract", "multiply", "divide", "true_divide", "power", "floor_divide",
           "mod", "remainder", "negative", "positive", "absolute", "abs", "exp", "log",
           "sqrt", "square", "sin", "cos", "tanh", "maximum", "minimum", "equal",
           "not_equal", "less", "less_equal", "greater", "greater_equal", "clip"]


def check_ufunc_kwargs(name, out, where, kwargs):
    """numpy's ufunc keywords: only their defaults (``dtype`` is handled by
    the caller); anything else raises ``TypeError`` naming it."""
    if out is not None and not (isinstance(out, tuple) and all(o is None for o in out)):
        raise TypeError("%s: out= is not supported (dualtape ops return new arrays; "
                        "assign the result, or write it with x[...] = result)" % name)
    if where is not True:
        raise TypeError("%s: where= is not supported; use dualtape.numpy.where" % name)
    for k, v in kwargs.items():
        if k in ("casting", "order", "subok", "signature") and v in (
                "same_kind", "K", True, None):
            continue
        raise TypeError("%s() got an unsupported keyword argument %r" % (name, k))


def unary(name, op, ufunc):
    """A numpy unary ufunc computed by registry op ``op``."""
    def f(x, /, out=None, *, where=True, dtype=None, **kwargs):
        check_ufunc_kwargs(name, out, where, kwargs)
        dt = result_dtype(ufunc, x) if dtype is None else np.dtype(dtype)
        (a,) = operands((x,), dt)
        return like_inputs(apply(op, (asarray(a),)), (x,))
    f.__name__ = name
    f.__doc__ = ("numpy.%s on dualtape arrays (dtype as numpy's; differentiable as the "
                 "registry op %r)." % (ufunc.__name__, op.name))
    return f


def binary(name, ufunc, array_op, scalar_op, rscalar_op):
    """A numpy binary ufunc: two arrays (broadcast), or an array and a
    Python scalar on either side (``scalar_op(x, s)``, ``rscalar_op(x, s)``
    for ``s op x``)."""
    def f(x1, x2, /, out=None, *, where=True, dtype=None, **kwargs):
        check_ufunc_kwargs(name, out, where, kwargs)
        dt = result_dtype(ufunc, x1, x2) if dtype is None else np.dtype(dtype)
        a, b = operands((x1, x2), dt)
        if is_scalar(a) and is_scalar(b):
            r = asarray(ufunc(a, b, dtype=dt))
        elif is_scalar(b):
            r = apply(scalar_op, (a,), (b,))
        elif is_scalar(a):
            r = apply(rscalar_op, (b,), (a,))
        else:
            broadcast_shape(name, a, b)
            r = apply(array_op, (a, b))
        return like_inputs(r, (x1, x2))
    f.__name__ = name
    f.__doc__ = ("numpy.%s on dualtape arrays, with numpy's broadcasting and dtype "
                 "promotion (differentiable as the registry op %r)."
                 % (ufunc.__name__, array_op.name))
    return f


add = binary("add", np.add, E.ADD, E.ADD_S, E.ADD_S)
subtract = binary("subtract", np.subtract, E.SUBTRACT, E.SUB_S, E.RSUB_S)
multiply = binary("multiply", np.multiply, E.MULTIPLY, E.MUL_S, E.MUL_S)
true_divide = binary("true_divide", np.true_divide, E.DIVIDE, E.DIV_S, E.RDIV_S)
divide = true_divide
power = binary("power", np.power, E.POWER, E.POW_S, E.RPOW_S)
floor_divide = binary("floor_divide", np.floor_divide, E.FLOOR_DIVIDE, E.FLOOR_DIVIDE_S,
                      E.RFLOOR_DIVIDE_S)
mod = binary("mod", np.mod, E.MODULO, E.MOD_S, E.RMOD_S)
remainder = mod
maximum = binary("maximum", np.maximum, E.MAXIMUM, None, None)
minimum = binary("minimum", np.minimum, E.MINIMUM, None, None)


def _extremum(f, name):
    """maximum/minimum with scalars made arrays (their ops take two arrays)."""
    def g(x1, x2, /, out=None, **kwargs):
        if is_scalar(x1) or is_scalar(x2):
            a, b = (asarray(np.full(np.shape(o), v))
                    if is_scalar(v) else v for v, o in ((x1, x2), (x2, x1)))
            return like_inputs(f(a, b, out=out, **kwargs), (x1, x2))
        return f(x1, x2, out=out, **kwargs)
    g.__name__, g.__doc__ = name, f.__doc__ + "  A tie sends the gradient to ``x1``."
    return g


maximum = _extremum(maximum, "maximum")
minimum = _extremum(minimum, "minimum")

negative = unary("negative", E.NEGATIVE, np.negative)
absolute = unary("absolute", E.ABS, np.absolute)
abs = absolute  # noqa: A001  (numpy's alias)
exp = unary("exp", E.EXP, np.exp)
log = unary("log", E.LOG, np.log)
sqrt = unary("sqrt", E.SQRT, np.sqrt)
square = unary("square", E.SQUARE, np.square)
sin = unary("sin", E.SIN, np.sin)
cos = unary("cos", E.COS, np.cos)
tanh = unary("tanh", E.TANH, np.tanh)


def positive(x, /, out=None, **kwargs):
    """numpy.positive: ``x`` itself as a new array (differentiable)."""
    check_ufunc_kwargs("positive", out, kwargs.pop("where", True), kwargs)
    return like_inputs(add(asarray(x), 0), (x,))


# ------------------------------------------------------------ comparisons ---

def _comparison(name, ufunc, mirror):
    arrays = nondiff("numpy_" + name, ufunc, kind="comparison", keep_dtype=False)
    scalars = nondiff("numpy_%s_scalar" % name, ufunc, kind="comparison", keep_dtype=False)
    mirrored = {"less": "greater", "less_equal": "greater_equal", "greater": "less",
                "greater_equal": "less_equal"}.get(name, name)

    def f(x1, x2, /, out=None, *, where=True, **kwargs):
        check_ufunc_kwargs(name, out, where, kwargs)
        a, b = operands((x1, x2), common_dtype(name, x1, x2))
        if is_scalar(a) and is_scalar(b):
            r = asarray(ufunc(a, b))
        elif is_scalar(b):
            r = apply(scalars, (a,), (b,))
        elif is_scalar(a):
            r = apply(mirror[mirrored], (b,), (a,))
        else:
            broadcast_shape(name, a, b)
            r = apply(arrays, (a, b))
        return like_inputs(r, (x1, x2))
    f.__name__ = name
    f.__doc__ = "numpy.%s: a boolean array (no derivative)." % name
    mirror[name] = scalars
    return f


_SCALAR_COMPARISONS = {}
equal = _comparison("equal", np.equal, _SCALAR_COMPARISONS)
not_equal = _comparison("not_equal", np.not_equal, _SCALAR_COMPARISONS)
less = _comparison("less", np.less, _SCALAR_COMPARISONS)
less_equal = _comparison("less_equal", np.less_equal, _SCALAR_COMPARISONS)
greater = _comparison("greater", np.greater, _SCALAR_COMPARISONS)
greater_equal = _comparison("greater_equal", np.greater_equal, _SCALAR_COMPARISONS)


def clip(a, a_min=None, a_max=None, out=None, **kwargs):
    """numpy.clip with scalar bounds (either may be None); the derivative is
    1 inside ``[a_min, a_max]`` and on its ends, 0 outside."""
    check_ufunc_kwargs("clip", out, kwargs.pop("where", True), kwargs)
    if a_min is None and a_max is None:
        raise ValueError("clip: one of a_min and a_max must be given")
    if not (a_min is None or is_scalar(a_min)) or not (a_max is None or is_scalar(a_max)):
        raise TypeError("clip: array bounds are not supported; use maximum/minimum")
    x = asarray(a)
    lo = -np.inf if a_min is None else float(a_min)
    hi = np.inf if a_max is None else float(a_max)
    return like_inputs(E.clip(x, lo, hi), (a,))
