"""numpy's elementwise functions (ufuncs) on dualtape arrays.

Each function converts its operands as numpy would (``_core.operands`` with
the dtype numpy's own ufunc gives) and applies the registry op that carries
the derivative; numpy's ``out``, ``where`` and other ufunc keywords are
accepted at their defaults only (``dtype`` is honoured).  Python scalars
stay weak, as numpy 2 treats them.

The ops registered here are numpy's where ``nd``'s differ (``mod`` is nan for
a zero divisor, ``rint`` and ``round`` take halves to even, integer powers
are exact) or where ``nd`` has none (``exp2``, ``logaddexp``, ``arctan2``,
``copysign``, ``fmod``, ``fmax``, ``sinc``, ``nan_to_num``, the predicates
``isnan`` ...).  Integer-valued results (rounding, comparisons, predicates,
integer arithmetic) have no derivative.
"""
import math

import numpy as np
import scipy.special

from .._engine import NDArray, apply
from ..ops import elementwise as E, math as M, structural as S
from ..ops.convert import broadcast_shape
from ..ops.elementwise import _const, _mask, _unary_samples, defbinary, defunary, extend_math
from ..ops.math import _keeping_dtype
from ..registry import nondiff
from ._core import (_checked, asarray, common_dtype, is_scalar, like_inputs, operands,
                    result_dtype)

__all__ = ["add", "subtract", "multiply", "divide", "true_divide", "power", "float_power",
           "floor_divide", "mod", "remainder", "fmod", "negative", "positive", "absolute",
           "abs", "fabs", "sign", "sqrt", "cbrt", "square", "reciprocal", "exp", "exp2",
           "expm1", "log", "log2", "log10", "log1p", "logaddexp", "logaddexp2", "sin", "cos",
           "tan", "arcsin", "arccos", "arctan", "arctan2", "hypot", "sinh", "cosh", "tanh",
           "arcsinh", "arccosh", "arctanh", "deg2rad", "rad2deg", "degrees", "radians",
           "sinc", "maximum", "minimum", "fmax", "fmin", "clip", "where", "copysign",
           "nan_to_num", "floor", "ceil", "trunc", "rint", "fix", "round", "around", "equal",
           "not_equal", "less", "less_equal", "greater", "greater_equal", "isnan", "isinf",
           "isfinite", "signbit", "logical_and", "logical_or", "logical_xor", "logical_not",
           "bitwise_and", "bitwise_or", "bitwise_xor", "invert", "bitwise_not", "bitwise_invert",
           "left_shift", "right_shift", "conjugate", "conj", "real", "imag"]

_LN2 = math.log(2.0)


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


def unary(name, op, ufunc, integer_op=None, module="numpy", params=()):
    """A unary ufunc of ``module`` computed by registry op ``op`` with
    ``params`` (by ``integer_op`` instead when the result is an integer or
    bool)."""
    def f(x, /, out=None, *, where=True, dtype=None, **kwargs):
        check_ufunc_kwargs(name, out, where, kwargs)
        dt = result_dtype(ufunc, x) if dtype is None else _checked(name, np.dtype(dtype))
        if integer_op is not None and dt.kind in "biu":
            return like_inputs(apply(integer_op, (asarray(x, dt),)), (x,))
        return like_inputs(apply(op, (asarray(x, dt),), params), (x,))
    f.__name__ = name
    f.__doc__ = "%s.%s on dualtape arrays (dtype as %s's; %s)." % (
        module, ufunc.__name__, module, _derivative(op))
    return f


def _derivative(op):
    return ("differentiable as the registry op %r" % op.name if op.differentiable
            else "no derivative: integer-valued")


def _arrays(name, dt, *operands):
    """``operands`` as arrays of ``dt`` (a scalar as a 0-d constant), checked
    to broadcast."""
    xs = tuple(asarray(v, dt) for v in operands)
    broadcast_shape(name, *xs)
    return xs


def binary(name, ufunc, array_op, scalar_op=None, rscalar_op=None, integer_op=None,
           module="numpy"):
    """A binary ufunc of ``module``: two arrays (broadcast), or an array and a
    Python scalar on either side (``scalar_op(x, s)``, ``rscalar_op(x, s)``
    for ``s op x``; without them the scalar becomes a 0-d array).
    ``integer_op`` computes integer and bool results when given."""
    def f(x1, x2, /, out=None, *, where=True, dtype=None, **kwargs):
        check_ufunc_kwargs(name, out, where, kwargs)
        dt = (result_dtype(ufunc, x1, x2) if dtype is None
              else _checked(name, np.dtype(dtype)))
        a, b = operands((x1, x2), dt)
        if is_scalar(a) and is_scalar(b):
            r = asarray(ufunc(a, b, dtype=dt))
        elif integer_op is not None and dt.kind in "biu":
            r = apply(integer_op, _arrays(name, dt, a, b))
        elif is_scalar(b) and scalar_op is not None:
            r = apply(scalar_op, (a,), (b,))
        elif is_scalar(a) and rscalar_op is not None:
            r = apply(rscalar_op, (b,), (a,))
        else:
            r = apply(array_op, _arrays(name, dt, a, b))
        return like_inputs(r, (x1, x2))
    f.__name__ = name
    f.__doc__ = ("%s.%s on dualtape arrays, with numpy's broadcasting and dtype "
                 "promotion (%s)." % (module, ufunc.__name__, _derivative(array_op)))
    return f


# ------------------------------------------------ helpers for the rules ---

def _constant_math(name, np_fn):
    """``F.<name>`` for derivative formulas: ``np_fn`` of the values, a
    constant (zero derivative) in the differentiable rules, computed by a
    non-differentiable op (so that ``dt.jit`` records it)."""
    op = nondiff("mask_" + name, np_fn, kind="mask", keep_dtype=False)
    extend_math(name, np_fn, lambda *args: apply(op, tuple(
        v if isinstance(v, NDArray) else _const(np.asarray(v)) for v in args)))


_constant_math("finite", lambda x: _mask(np.isfinite(x), x))
_constant_math("signs_agree", lambda x, y: np.where(
    np.signbit(x) == np.signbit(y), 1, -1).astype(np.result_type(x, y)))
_constant_math("trunc_div", lambda x, y: np.trunc(np.true_divide(x, y)))

# ------------------------------------------------------------ new ops ---

# d/dx j_n(x) = (n j_{n-1}(x) - (n+1) j_{n+1}(x)) / (2n+1), and j_0' = -j_1:
# no division by x, so it holds at 0 too.
_spherical_jn = _keeping_dtype(lambda x, n: scipy.special.spherical_jn(n, x))


def _spherical_jn_d(F, ans, x, n):
    if n == 0:
        return -F.spherical_jn(x, 1)
    return (n * F.spherical_jn(x, n - 1) - (n + 1) * F.spherical_jn(x, n + 1)) / (2 * n + 1)


SPHERICAL_JN = defunary("spherical_jn", _spherical_jn, _spherical_jn_d,
                        samples=lambda rng: [([rng.uniform(-4.0, 4.0, (5,))], (0,)),
                                             ([rng.uniform(-4.0, 4.0, (2, 3))], (1,)),
                                             ([np.array([0.0, 0.7, -2.5])], (2,))])
extend_math("spherical_jn", _spherical_jn, lambda x, n: apply(SPHERICAL_JN, (x,), (n,)))

# sinc(x) = j_0(pi x): the derivative -pi j_1(pi x) is exact at and near 0.
SINC = defunary("sinc", np.sinc, lambda F, ans, x: -math.pi * F.spherical_jn(math.pi * x, 1),
                samples=lambda rng: [([rng.uniform(-2.0, 2.0, (5,))], ()),
                                     ([np.array([[0.0, 0.3, -1.0], [1e-4, 1.5, -2.2]])], ())])
EXP2 = defunary("exp2", np.exp2, lambda F, ans, x: ans * _LN2)
NAN_TO_NUM = defunary(
    "nan_to_num", lambda x, nan, posinf, neginf: np.nan_to_num(
        x, nan=nan, posinf=posinf, neginf=neginf),
    lambda F, ans, x, nan, posinf, neginf: F.finite(x),
    samples=_unary_samples(params=(0.0, 1000.0, -1000.0)))

LOGADDEXP = defbinary("logaddexp", np.logaddexp, lambda F, ans, x, y: F.exp(x - ans),
                      lambda F, ans, x, y: F.exp(y - ans))
LOGADDEXP2 = defbinary("logaddexp2", np.logaddexp2,
                       lambda F, ans, x, y: F.exp((x - ans) * _LN2),
                       lambda F, ans, x, y: F.exp((y - ans) * _LN2))


def _arctan2_d(F, x, y, num):
    """``num / (x**2 + y**2)``, 0 at the origin (no derivative there)."""
    r2 = x * x + y * y
    return num / F.where(F.eq(r2, 0.0), 1.0, r2)


def _away_from_zero(rng, shape, low=0.3, high=2.0):
    return rng.uniform(low, high, shape) * rng.choice([-1.0, 1.0], shape)


# arctan2 jumps by 2 pi across x1 == 0, x2 < 0: the samples keep away from it
ARCTAN2 = defbinary("arctan2", np.arctan2, lambda F, ans, x, y: _arctan2_d(F, x, y, y),
                    lambda F, ans, x, y: _arctan2_d(F, x, y, -x), kind="piecewise",
                    samples=lambda rng: [
                        ([rng.uniform(-2, 2, (2, 3)), rng.uniform(0.3, 2, (3,))], ()),
                        ([_away_from_zero(rng, (4, 1)), rng.uniform(-2, 2, (1, 3))], ())])
COPYSIGN = defbinary("copysign", np.copysign, lambda F, ans, x, y: F.signs_agree(x, y),
                     lambda F, ans, x, y: 0.0, kind="piecewise",
                     samples=lambda rng: [
                         ([_away_from_zero(rng, (2, 3)), _away_from_zero(rng, (3,))], ())])


def _mod_samples(rng):
    return [([rng.uniform(0.1, 3, (2, 3)), rng.uniform(0.7, 0.9, (3,))], ()),
            ([rng.uniform(-3, -0.1, (2, 3)), rng.uniform(-0.9, -0.7, (2, 1))], ()),
            ([rng.uniform(-3, -0.1, (3,)), np.array([1.3, 1.3, -1.3])], ())]


NUMPY_MOD = defbinary("numpy_mod", np.mod, lambda F, ans, x, y: 1.0,
                      lambda F, ans, x, y: -F.floor_div(x, y), kind="piecewise",
                      samples=_mod_samples)
FMOD = defbinary("fmod", np.fmod, lambda F, ans, x, y: 1.0,
                 lambda F, ans, x, y: -F.trunc_div(x, y), kind="piecewise",
                 samples=_mod_samples)
# the operand that gives the value gets the derivative (x1 on a tie, the
# other one where one is nan)
FMAX = defbinary("fmax", np.fmax, lambda F, ans, x, y: F.eq(ans, x),
                 lambda F, ans, x, y: 1.0 - F.eq(ans, x), kind="piecewise")
FMIN = defbinary("fmin", np.fmin, lambda F, ans, x, y: F.eq(ans, x),
                 lambda F, ans, x, y: 1.0 - F.eq(ans, x), kind="piecewise")

NUMPY_RINT = nondiff("numpy_rint", np.rint)
NUMPY_ROUND = nondiff("numpy_round", lambda x, decimals: np.round(x, decimals),
                      keep_dtype=False)
NUMPY_POWER_INTEGER = nondiff("numpy_power_integer", np.power)
NUMPY_RECIPROCAL_INTEGER = nondiff("numpy_reciprocal_integer", np.reciprocal)

# ------------------------------------------------------------ arithmetic ---

add = binary("add", np.add, E.ADD, E.ADD_S, E.ADD_S)
subtract = binary("subtract", np.subtract, E.SUBTRACT, E.SUB_S, E.RSUB_S)
multiply = binary("multiply", np.multiply, E.MULTIPLY, E.MUL_S, E.MUL_S)
true_divide = binary("true_divide", np.true_divide, E.DIVIDE, E.DIV_S, E.RDIV_S)
divide = true_divide
power = binary("power", np.power, E.POWER, E.POW_S, E.RPOW_S, NUMPY_POWER_INTEGER)
power.__doc__ += ("  Integer powers are exact (numpy's ``ValueError`` for a negative "
                  "integer exponent); at a zero or negative base the derivatives are "
                  "``nd.power``'s.")
float_power = binary("float_power", np.float_power, E.POWER, E.POW_S, E.RPOW_S)
float_power.__doc__ += "  Computed in float64 whatever the operands."
floor_divide = binary("floor_divide", np.floor_divide, E.FLOOR_DIVIDE, E.FLOOR_DIVIDE_S,
                      E.RFLOOR_DIVIDE_S)
mod = binary("mod", np.mod, NUMPY_MOD)
mod.__doc__ += ("  The sign of ``x2``, nan for a zero float divisor (``nd.modulo`` gives "
                "0); the derivative is 1 in ``x1`` and ``-floor(x1 / x2)`` in ``x2``.")
remainder = mod
fmod = binary("fmod", np.fmod, FMOD)
fmod.__doc__ += ("  The sign of ``x1``; the derivative is 1 in ``x1`` and "
                 "``-trunc(x1 / x2)`` in ``x2``.")

negative = unary("negative", E.NEGATIVE, np.negative)
positive = unary("positive", S.COPY, np.positive)
absolute = unary("absolute", E.ABS, np.absolute)
abs = absolute  # noqa: A001  (numpy's alias)
fabs = unary("fabs", E.ABS, np.fabs)
sqrt = unary("sqrt", E.SQRT, np.sqrt)
cbrt = unary("cbrt", M.CBRT, np.cbrt)
square = unary("square", E.SQUARE, np.square)
reciprocal = unary("reciprocal", M.RECIPROCAL, np.reciprocal, NUMPY_RECIPROCAL_INTEGER)
reciprocal.__doc__ += "  Integers give numpy's integer reciprocal (no derivative)."

# ---------------------------------------------------- exponents and logs ---

exp = unary("exp", E.EXP, np.exp)
exp2 = unary("exp2", EXP2, np.exp2)
expm1 = unary("expm1", M.EXPM1, np.expm1)
log = unary("log", E.LOG, np.log)
log2 = unary("log2", M.LOG2, np.log2)
log10 = unary("log10", M.LOG10, np.log10)
log1p = unary("log1p", M.LOG1P, np.log1p)
logaddexp = binary("logaddexp", np.logaddexp, LOGADDEXP)
logaddexp.__doc__ += ("  The derivative is ``exp(x1 - out)`` in ``x1``, ``exp(x2 - out)`` "
                      "in ``x2``.")
logaddexp2 = binary("logaddexp2", np.logaddexp2, LOGADDEXP2)
logaddexp2.__doc__ += ("  The derivative is ``2**(x1 - out)`` in ``x1``, ``2**(x2 - out)`` "
                       "in ``x2``.")

# -------------------------------------------------------- trigonometric ---

sin = unary("sin", E.SIN, np.sin)
cos = unary("cos", E.COS, np.cos)
tan = unary("tan", M.TAN, np.tan)
arcsin = unary("arcsin", M.ARCSIN, np.arcsin)
arccos = unary("arccos", M.ARCCOS, np.arccos)
arctan = unary("arctan", M.ARCTAN, np.arctan)
arctan2 = binary("arctan2", np.arctan2, ARCTAN2)
arctan2.__doc__ += ("  The derivative is ``x2 / r**2`` in ``x1`` and ``-x1 / r**2`` in "
                    "``x2`` (``r = hypot(x1, x2)``), 0 at the origin.")
hypot = binary("hypot", np.hypot, E.HYPOT)
hypot.__doc__ += "  The derivative is ``x / hypot`` in each leg, 0 where both are 0."
sinh = unary("sinh", M.SINH, np.sinh)
cosh = unary("cosh", M.COSH, np.cosh)
tanh = unary("tanh", E.TANH, np.tanh)
arcsinh = unary("arcsinh", M.ARCSINH, np.arcsinh)
arccosh = unary("arccosh", M.ARCCOSH, np.arccosh)
arctanh = unary("arctanh", M.ARCTANH, np.arctanh)
deg2rad = unary("deg2rad", M.RADIANS, np.deg2rad)
radians = unary("radians", M.RADIANS, np.radians)
rad2deg = unary("rad2deg", M.DEGREES, np.rad2deg)
degrees = unary("degrees", M.DEGREES, np.degrees)


def sinc(x):
    """numpy.sinc, the normalised ``sin(pi x) / (pi x)`` (1 at 0; float64 for
    integer input).  The derivative ``-pi j_1(pi x)`` (the spherical Bessel
    function) is exact near 0 and 0 at 0."""
    a = asarray(x)
    dt = a._data.dtype if a._data.dtype.kind == "f" else np.dtype(np.float64)
    return like_inputs(apply(SINC, (asarray(a, dt),)), (x,))


# ------------------------------------------------ extrema and selection ---

maximum = binary("maximum", np.maximum, E.MAXIMUM)
maximum.__doc__ += "  nan propagates; a tie sends the derivative to ``x1``."
minimum = binary("minimum", np.minimum, E.MINIMUM)
minimum.__doc__ += "  nan propagates; a tie sends the derivative to ``x1``."
fmax = binary("fmax", np.fmax, FMAX)
fmax.__doc__ += ("  A nan operand is ignored; the derivative goes to the operand whose "
                 "value is the result (``x1`` on a tie).")
fmin = binary("fmin", np.fmin, FMIN)
fmin.__doc__ += ("  A nan operand is ignored; the derivative goes to the operand whose "
                 "value is the result (``x1`` on a tie).")
copysign = binary("copysign", np.copysign, COPYSIGN)
copysign.__doc__ += ("  The derivative is +-1 in ``x1`` (1 where the signs agree) and 0 in "
                     "``x2``.")


def clip(a, a_min=np._NoValue, a_max=np._NoValue, out=None, *, min=np._NoValue,  # noqa: A002
         max=np._NoValue, **kwargs):  # noqa: A002  (numpy's names)
    """numpy.clip: ``minimum(maximum(a, a_min), a_max)``, bounds scalars or
    arrays broadcasting with ``a`` (None: unbounded; ``min``/``max`` as
    keywords instead).  The derivative is 1 in ``a`` on ``[a_min, a_max]``,
    ends included, and 1 in an array bound where it is the result."""
    check_ufunc_kwargs("clip", out, kwargs.pop("where", True), kwargs)
    if a_min is np._NoValue and a_max is np._NoValue:
        a_min = None if min is np._NoValue else min
        a_max = None if max is np._NoValue else max
    elif a_min is np._NoValue or a_max is np._NoValue:
        raise TypeError("clip() missing 1 required positional argument: %r"
                        % ("a_min" if a_min is np._NoValue else "a_max"))
    elif min is not np._NoValue or max is not np._NoValue:
        raise ValueError("clip: passing min or max as keywords when a_min and a_max are "
                         "given is forbidden")
    dt = asarray(a)._data.dtype
    if dt.kind in "iu":             # numpy: Python ints beyond the dtype's range
        if type(a_min) is int and a_min <= np.iinfo(dt).min:
            a_min = None
        if type(a_max) is int and a_max >= np.iinfo(dt).max:
            a_max = None
    if a_min is None and a_max is None:
        return positive(a)
    if a_min is None:
        return minimum(a, a_max)
    if a_max is None:
        return maximum(a, a_min)
    dt = result_dtype(np._core.umath.clip, a, a_min, a_max)
    if is_scalar(a_min) and is_scalar(a_max):
        lo, hi = operands((a_min, a_max), dt)
        return like_inputs(apply(E.CLIP, (asarray(a, dt),), (lo, hi)), (a,))
    x, lo, hi = _arrays("clip", dt, a, a_min, a_max)
    return like_inputs(minimum(maximum(x, lo), hi), (a, a_min, a_max))


def where(condition, x=None, y=None, /):
    """numpy.where: ``x`` where ``condition`` is true (non-zero, nan
    included), else ``y``, all three broadcast; the dtype is ``x``'s and
    ``y``'s common one.  The derivative is the mask in ``x``, its complement
    in ``y``, none in ``condition``.  With ``condition`` alone, ``nonzero``."""
    if x is None and y is None:
        from .. import numpy as namespace
        if not hasattr(namespace, "nonzero"):
            raise NotImplementedError("where(condition) with one argument is "
                                      "nonzero(condition), which dualtape.numpy lacks")
        return namespace.nonzero(condition)
    if x is None or y is None:
        raise ValueError("where: either both or neither of x and y should be given")
    dt = common_dtype("where", x, y)
    c = asarray(condition)              # by ops, not values: dt.jit traces it
    mask = S.astype(c if c._data.dtype == np.bool_ else S.astype(c, np.bool_), dt)
    return like_inputs(apply(E.WHERE, _arrays("where", dt, mask, x, y)), (condition, x, y))


def nan_to_num(x, copy=True, nan=0.0, posinf=None, neginf=None):
    """numpy.nan_to_num: nan, +inf and -inf replaced by ``nan``, ``posinf``
    and ``neginf`` (by default 0 and the dtype's largest finite values);
    integer arrays are copied.  The derivative is 1 where ``x`` is finite and
    0 where a value was replaced.  ``copy=False`` (in place) is refused."""
    if not copy:
        raise TypeError("nan_to_num: copy=False (in place) is not supported; use the "
                        "returned array")
    a = asarray(x)
    dt = a._data.dtype
    if dt.kind != "f":
        return like_inputs(apply(S.COPY, (a,)), (x,))
    info = np.finfo(dt)
    params = (float(nan), float(info.max if posinf is None else posinf),
              float(info.min if neginf is None else neginf))
    return like_inputs(apply(NAN_TO_NUM, (a,), params), (x,))


# ------------------------------------------------------------- rounding ---

floor = unary("floor", M.FLOOR, np.floor)
ceil = unary("ceil", M.CEIL, np.ceil)
trunc = unary("trunc", M.TRUNC, np.trunc)
rint = unary("rint", NUMPY_RINT, np.rint)
rint.__doc__ += "  Halves go to even, as in numpy (``nd.rint`` takes them toward -inf)."
sign = unary("sign", E.SIGN, np.sign)


def fix(x, out=None):
    """numpy.fix: rounded toward zero, in ``x``'s dtype; no derivative
    (integer-valued)."""
    check_ufunc_kwargs("fix", out, True, {})
    return like_inputs(apply(M.FIX, (asarray(x),)), (x,))


def round(a, decimals=0, out=None):  # noqa: A001  (numpy's name)
    """numpy.round: to ``decimals`` decimals (negative: tens, hundreds...),
    halves to even as numpy (``round(2.5) == 2``; ``nd.round`` takes them away
    from zero); no derivative (integer-valued)."""
    check_ufunc_kwargs("round", out, True, {})
    return like_inputs(apply(NUMPY_ROUND, (asarray(a),), (int(decimals),)), (a,))


around = round

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
logical_and = _comparison("logical_and", np.logical_and, _SCALAR_COMPARISONS)
logical_or = _comparison("logical_or", np.logical_or, _SCALAR_COMPARISONS)
logical_xor = _comparison("logical_xor", np.logical_xor, _SCALAR_COMPARISONS)


def _predicate(name, ufunc, doc="a boolean array", kinds=None):
    """A unary ufunc without derivative, on ``x`` in its own dtype (of a kind
    in ``kinds``, when given)."""
    op = nondiff("numpy_" + name, ufunc, kind="comparison", keep_dtype=False)

    def f(x, /, out=None, *, where=True, **kwargs):
        check_ufunc_kwargs(name, out, where, kwargs)
        a = asarray(x)
        if kinds is not None and a._data.dtype.kind not in kinds:
            raise TypeError("%s: numpy's ufunc is not supported for %s values (only bool "
                            "and integers)" % (name, a._data.dtype))
        return like_inputs(apply(op, (a,)), (x,))
    f.__name__ = name
    f.__doc__ = "numpy.%s: %s (no derivative)." % (name, doc)
    return f


isnan = _predicate("isnan", np.isnan)
isinf = _predicate("isinf", np.isinf)
isfinite = _predicate("isfinite", np.isfinite)
signbit = _predicate("signbit", np.signbit)
logical_not = _predicate("logical_not", np.logical_not)


# ---------------------------------------------------------------- bitwise ---

def _bitwise(name, ufunc):
    """A binary ufunc on bool and integer arrays (``&``, ``|``, ``^``, ``<<``,
    ``>>``): numpy's result dtype, no derivative."""
    arrays = nondiff("numpy_" + name, ufunc, kind="comparison", keep_dtype=False)
    scalars = nondiff("numpy_%s_scalar" % name,
                      lambda x, s, reflected: ufunc(s, x) if reflected else ufunc(x, s),
                      kind="comparison", keep_dtype=False)

    def f(x1, x2, /, out=None, *, where=True, **kwargs):
        check_ufunc_kwargs(name, out, where, kwargs)
        a, b = operands((x1, x2), common_dtype(name, x1, x2))
        for v in (a, b):
            kind = np.asarray(v).dtype.kind if is_scalar(v) else v._data.dtype.kind
            if kind not in "biu":
                raise TypeError("%s: numpy's ufunc is not supported for %s values (only "
                                "bool and integers)" % (name, np.asarray(v).dtype if
                                                        is_scalar(v) else v._data.dtype))
        if is_scalar(a) and is_scalar(b):
            r = asarray(ufunc(a, b))
        elif is_scalar(b):
            r = apply(scalars, (a,), (b, False))
        elif is_scalar(a):
            r = apply(scalars, (b,), (a, True))
        else:
            broadcast_shape(name, a, b)
            r = apply(arrays, (a, b))
        return like_inputs(r, (x1, x2))
    f.__name__ = name
    f.__doc__ = "numpy.%s on bool and integer arrays (no derivative)." % name
    return f


bitwise_and = _bitwise("bitwise_and", np.bitwise_and)
bitwise_or = _bitwise("bitwise_or", np.bitwise_or)
bitwise_xor = _bitwise("bitwise_xor", np.bitwise_xor)
left_shift = _bitwise("left_shift", np.left_shift)
right_shift = _bitwise("right_shift", np.right_shift)
invert = _predicate("invert", np.invert, "logical not of bools, bitwise not of integers "
                    "(``~``)", "biu")
bitwise_not = bitwise_invert = invert


# --------------------------------------------------- complex parts (real) ---

def conjugate(x, /, out=None, *, where=True, **kwargs):
    """numpy.conjugate of real values: a copy (differentiable; dualtape holds
    no complex values)."""
    check_ufunc_kwargs("conjugate", out, where, kwargs)
    return like_inputs(S.copy(asarray(x)), (x,))


conj = conjugate


def real(val):
    """numpy.real of real values: the array itself, as numpy's view."""
    return asarray(val)


def imag(val):
    """numpy.imag of real values: zeros (a constant)."""
    a = asarray(val)
    return like_inputs(asarray(np.zeros(a.shape, a._data.dtype)), (val,))
