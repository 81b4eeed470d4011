"""Elementwise arithmetic and comparisons: operators, the broadcast_* and elemwise_*
families, maximum/minimum, where.

Each nonlinear op gives one local derivative, ``deriv(F, ans, *xs)``, written
once against a small math namespace ``F``.  Evaluated with ``F = ND`` (NDArray
ops) it drives the JVP (``t * d``) and the VJP (``g * d``, summed back to a
broadcast input's shape) and can itself be differentiated; evaluated with
``F = NP`` (numpy) it gives the first-order fast paths that skip NDArray
wrappers.  This is PyTorch's ``auto_element_wise`` idea with one formula for
both modes and both levels.  The unary transcendental ops also use fused
Cython kernels (value and tangent, or cotangent, in one pass).
"""
import math
import numbers
import types

import numpy as np

from .. import _binary, _kernels, tuning
from .._engine import NDArray, apply, check_leave, wrap
from ..registry import defop, nondiff
from .convert import as_nd, broadcast_shape, is_scalar, same_dtype, scalar
from .structural import _nb, _sum_to_primal, fit, lift, sum_to

_FLOATS = (np.dtype(np.float32), np.dtype(np.float64))
KERNEL_MIN_SIZE = tuning.KERNEL_MIN_SIZE


def _kernel_dtypes(name, mode):
    """The dtypes for which ``name``'s kernel runs ``mode`` (``tuning``)."""
    return frozenset(np.dtype(d) for d in tuning.KERNEL_WINS.get(name, {}).get(mode, ()))


def _const(data):
    """A constant NDArray (no tangent, not on the tape) from numpy data."""
    return wrap(data)


def _mask(cond, like):
    return cond.astype(like.dtype)


#: The math namespace for numpy arrays (first-order fast paths).  Masks are
#: 0/1 arrays of the first operand's dtype; ``where`` picks by a mask.
NP = types.SimpleNamespace(
    cos=np.cos, sin=np.sin, log=np.log, exp=np.exp, sign=np.sign,
    step=lambda x: _mask(x > 0, x),
    inside=lambda x, lo, hi: _mask((x >= lo) & (x <= hi), x),
    ge=lambda x, y: _mask(x >= y, x), lt=lambda x, y: _mask(x < y, x),
    le=lambda x, y: _mask(x <= y, x), gt=lambda x, y: _mask(x > y, x),
    eq=lambda x, y: _mask(x == y, x),
    floor_div=lambda x, y: np.floor(np.true_divide(x, y)),
    where=lambda m, a, b: np.where(m != 0, a, b))


def _mask_op(name, f, nparams=0):
    """A mask (a 0/1 array of the first operand's dtype, or a floor) as a
    non-differentiable op, so that it is computed by an op — recorded by
    ``dt.jit`` — and never from Python reads of the values."""
    return nondiff("mask_" + name, f, kind="mask")


def _either(array_op, scalar_op):
    """``f(x, y)`` with ``y`` an NDArray or a number."""
    def f(x, y):
        if isinstance(y, NDArray):
            return apply(array_op, (x, y))
        return apply(scalar_op, (x,), (y,))
    return f


_MASKS = {k: (_mask_op(k, getattr(NP, k)), _mask_op(k + "_scalar", getattr(NP, k)))
          for k in ("ge", "lt", "le", "gt", "eq")}
_SIGN_MASK = _mask_op("sign", np.sign)
_STEP_MASK = _mask_op("step", NP.step)
_INSIDE_MASK = _mask_op("inside", NP.inside)
_FLOOR_DIV = _mask_op("floor_div", NP.floor_div)
_FLOOR_DIV_S = _mask_op("floor_div_scalar", NP.floor_div)
_RFLOOR_DIV_S = _mask_op("rfloor_div_scalar", lambda y, x: NP.floor_div(x, y))


def _floor_div(x, y):
    if not isinstance(x, NDArray):
        return apply(_RFLOOR_DIV_S, (y,), (x,))
    return _either(_FLOOR_DIV, _FLOOR_DIV_S)(x, y)


#: The same namespace for NDArrays (differentiable rules).  Masks and floors
#: (zero derivative) come from non-differentiable ops; ``where`` is
#: differentiable in its values.
ND = types.SimpleNamespace(
    cos=lambda x: cos(x), sin=lambda x: sin(x), log=lambda x: log(x), exp=lambda x: exp(x),
    sign=lambda x: apply(_SIGN_MASK, (x,)),
    step=lambda x: apply(_STEP_MASK, (x,)),
    inside=lambda x, lo, hi: apply(_INSIDE_MASK, (x,), (lo, hi)),
    floor_div=_floor_div,
    where=lambda m, a, b: where(m, a, b),
    **{k: _either(*ops) for k, ops in _MASKS.items()})


def extend_math(name, np_fn, nd_fn):
    """Make ``F.<name>`` available to derivative formulas: ``np_fn`` on numpy
    arrays (``NP``), ``nd_fn`` on NDArrays (``ND``, differentiable)."""
    setattr(NP, name, np_fn)
    setattr(ND, name, nd_fn)


def _scale(v, d):
    """``v * d``, skipping the product for the constant derivatives +-1."""
    if type(d) is float:
        if d == 1.0:
            return v
        if d == -1.0:
            return -v
    return v * d


def _kernel_primal(name, primal):
    """``primal``, computed by the op's Cython kernel (vectorised libm) for
    C- or F-contiguous float32/float64 arrays of at least KERNEL_MIN_SIZE
    elements: a new array of the same dtype and layout, as numpy returns."""
    dtypes = _kernel_dtypes(name, "value")
    if name not in _kernels.KERNELS or not dtypes:
        return primal
    kfwd = _kernels.KERNELS[name][0]

    def kernel_primal(x, *params):
        if type(x) is np.ndarray and not params and x.size >= KERNEL_MIN_SIZE \
                and x.dtype in dtypes and (x.flags.c_contiguous or x.flags.f_contiguous):
            y = np.empty_like(x)
            kfwd(x.ravel(order="K"), y.ravel(order="K"))
            return y
        return primal(x, *params)

    kernel_primal.__name__ = getattr(primal, "__name__", name)
    return kernel_primal


def _unary_fast(name, primal, deriv):
    """First-order numpy paths of a unary op, fused through its Cython kernel
    when there is one and the array is large enough to pay for the call."""
    kjvp = kvjp = None
    if name in _kernels.KERNELS:
        _, kjvp, kvjp = _kernels.KERNELS[name]
    jvp_dtypes, vjp_dtypes = _kernel_dtypes(name, "jvp"), _kernel_dtypes(name, "vjp")

    def fast_jvp(ts, xs, *params):
        x, t = xs[0], ts[0]
        if kjvp is not None and x.size >= KERNEL_MIN_SIZE and x.dtype in jvp_dtypes \
                and t.dtype == x.dtype:
            # C-ordered outputs, so that their reshapes are views
            y, ty = np.empty(x.shape, x.dtype), np.empty(t.shape, t.dtype)
            kjvp(x.reshape(-1), t.reshape(-1), y.reshape(-1), ty.reshape(-1))
            return y, ty
        y = primal(x, *params)
        return y, _scale(t, deriv(NP, y, x, *params))

    def fast_vjp(g, ans, xs, needs, *params):
        x = xs[0]
        # one cotangent: the kernel; a batch of them: the derivative once,
        # broadcast over the batch
        if kvjp is not None and x.size >= KERNEL_MIN_SIZE and x.dtype in vjp_dtypes \
                and g.dtype == x.dtype and g.size == x.size:
            gx = np.empty(g.shape, g.dtype)
            kvjp(x.reshape(-1), ans.reshape(-1), g.reshape(-1), gx.reshape(-1))
            return (gx,)
        return (_scale(g, deriv(NP, ans, x, *params)),)

    return fast_jvp, fast_vjp


def _unary_samples(low=-2.0, high=2.0, params=()):
    def samples(rng):
        return [([rng.uniform(low, high, shape)], params) for shape in ((5,), (2, 3))]
    return samples


def defunary(name, primal, deriv, *, samples=None, kind="elementwise"):
    """Register a unary elementwise op from its local derivative.

    ``deriv(F, ans, x, *params)`` returns ``d`` (an array of ``F``'s kind or a
    number) such that ``t * d`` is the tangent of the output.  ``kind`` is
    ``"piecewise"`` for ops with jumps (finite differences are only valid
    away from them, so random tests keep to the samples).
    """
    def jvp(ts, ans, xs, *params):
        return _scale(ts[0], deriv(ND, ans, xs[0], *params))

    def vjp(g, ans, xs, needs, *params):
        return (_scale(g, deriv(ND, ans, xs[0], *params)),)

    primal = _kernel_primal(name, primal)
    fast_jvp, fast_vjp = _unary_fast(name, primal, deriv)
    return defop(name, primal, jvp=jvp, vjp=vjp, fast_jvp=fast_jvp, fast_vjp=fast_vjp,
                 samples=samples or _unary_samples(), kind=kind)


def _binary_samples(low=-2.0, high=2.0):
    def samples(rng):
        u = lambda *s: rng.uniform(low, high, s)  # noqa: E731
        return [([u(2, 3), u(2, 3)], ()), ([u(2, 3), u(3)], ()), ([u(4, 1), u(1, 3)], ())]
    return samples


def _np_lift(t, core_ndim, ndim):
    nb = t.ndim - core_ndim
    return t.reshape(t.shape[:nb] + (1,) * (ndim - core_ndim) + t.shape[nb:])


#: Binary ops with a fused value+tangent kernel (``dualtape._binary``).
_FUSED_BINARY = ("add", "subtract", "multiply")


def _fusable(ts, xs):
    """Whether a fused binary kernel applies: same-shape large float operands
    and unbatched tangents of that shape and dtype."""
    a, b = xs
    if a.shape != b.shape or a.dtype != b.dtype or a.dtype not in _FLOATS \
            or a.size < KERNEL_MIN_SIZE:
        return False
    return all(t is None or (t.shape == a.shape and t.dtype == a.dtype) for t in ts)


def defbinary(name, primal, dx, dy, samples=None, kind="elementwise"):
    """Register a broadcasting binary op from its two local derivatives
    ``dx(F, ans, x, y)`` and ``dy(F, ans, x, y)`` (each broadcastable to the
    output, or a number)."""
    derivs = (dx, dy)
    fused = name in _FUSED_BINARY

    def jvp(ts, ans, xs):
        out = None
        for t, x, d in zip(ts, xs, derivs):
            if t is not None:
                term = _scale(lift(t, x.ndim, ans.ndim), d(ND, ans, *xs))
                out = term if out is None else out + term
        return fit(out, ans)

    def vjp(g, ans, xs, needs):
        nb = _nb(g, ans)
        return tuple(sum_to(_scale(g, d(ND, ans, *xs)), x.shape, nb) if need else None
                     for x, d, need in zip(xs, derivs, needs))

    def fast_jvp(ts, xs):
        if fused and _fusable(ts, xs):
            a, b = xs
            y, ty = np.empty(a.shape, a.dtype), np.empty(a.shape, a.dtype)
            _binary.jvp(name, a.reshape(-1), b.reshape(-1),
                        None if ts[0] is None else ts[0].reshape(-1),
                        None if ts[1] is None else ts[1].reshape(-1),
                        y.reshape(-1), ty.reshape(-1))
            return y, ty
        y = primal(*xs)
        out = None
        for t, x, d in zip(ts, xs, derivs):
            if t is not None:
                term = _scale(_np_lift(t, x.ndim, y.ndim), d(NP, y, *xs))
                out = term if out is None else out + term
        nb = out.ndim - y.ndim
        if out.shape[nb:] != y.shape:
            out = np.broadcast_to(out, out.shape[:nb] + y.shape)
        return y, out

    def fast_vjp(g, ans, xs, needs):
        nb = g.ndim - ans.ndim
        return tuple(_sum_to_primal(_scale(g, d(NP, ans, *xs)), x.shape, nb) if need else None
                     for x, d, need in zip(xs, derivs, needs))

    return defop(name, primal, jvp=jvp, vjp=vjp, fast_jvp=fast_jvp, fast_vjp=fast_vjp,
                 kind=kind, samples=samples or _binary_samples())


# ---------------------------------------------------------------- unary ---

NEGATIVE = defunary("negative", np.negative, lambda F, ans, x: -1.0)
EXP = defunary("exp", np.exp, lambda F, ans, x: ans)
LOG = defunary("log", np.log, lambda F, ans, x: 1.0 / x, samples=_unary_samples(0.2, 3.0))
SQRT = defunary("sqrt", np.sqrt, lambda F, ans, x: 0.5 / ans,
                samples=_unary_samples(0.2, 3.0))
SQUARE = defunary("square", np.square, lambda F, ans, x: 2.0 * x)
ABS = defunary("abs", np.abs, lambda F, ans, x: F.sign(x))
SIN = defunary("sin", np.sin, lambda F, ans, x: F.cos(x))
COS = defunary("cos", np.cos, lambda F, ans, x: -F.sin(x))
TANH = defunary("tanh", np.tanh, lambda F, ans, x: 1.0 - ans * ans)
SIGMOID = defunary("sigmoid", lambda x: 1.0 / (1.0 + np.exp(-x)),
                   lambda F, ans, x: ans * (1.0 - ans))
RELU = defunary("relu", lambda x: np.maximum(x, 0), lambda F, ans, x: F.step(x))
CLIP = defunary("clip", np.clip, lambda F, ans, x, lo, hi: F.inside(x, lo, hi),
                samples=_unary_samples(params=(-1.0, 1.0)))


def _unary_api(op, name, doc=None):
    """The user-facing function ``name(data)`` of a unary op (not on bool
    arrays, as in MXNet)."""
    def f(data):
        data = as_nd(data)
        if data._data.dtype == np.bool_:
            raise TypeError("%s: MXNet has no %s of a bool array; convert with astype() "
                            "first" % (name, name))
        return apply(op, (data,))
    f.__name__ = name
    f.__doc__ = doc or "Elementwise %s of ``data`` (differentiable)." % name
    return f


negative = _unary_api(NEGATIVE, "negative")
exp = _unary_api(EXP, "exp")
log = _unary_api(LOG, "log")
sqrt = _unary_api(SQRT, "sqrt")
square = _unary_api(SQUARE, "square")
abs = _unary_api(ABS, "abs")  # noqa: A001  (MXNet's name)
sin = _unary_api(SIN, "sin")
cos = _unary_api(COS, "cos")
tanh = _unary_api(TANH, "tanh")
sigmoid = _unary_api(SIGMOID, "sigmoid")
relu = _unary_api(RELU, "relu")


def clip(data, a_min, a_max):
    """Limit values to ``[a_min, a_max]``; the gradient is 1 on both bounds.
    With ``a_min > a_max``, MXNet's order of tests decides: ``a_max`` above
    ``a_max``, ``a_min`` elsewhere (numpy gives ``a_max`` everywhere), and
    the gradient is 0."""
    data = as_nd(data)
    y = apply(CLIP, (data,), (scalar(a_min), scalar(a_max)))
    if a_min > a_max:
        y = y + (data <= a_max) * (a_min - a_max)
    return y


# ------------------------------------------------- ops with a scalar ---

_S = 1.7
_scalar_samples = _unary_samples(params=(_S,))
ADD_S = defunary("add_scalar", np.add, lambda F, ans, x, s: 1.0, samples=_scalar_samples)
SUB_S = defunary("sub_scalar", np.subtract, lambda F, ans, x, s: 1.0,
                 samples=_scalar_samples)
RSUB_S = defunary("rsub_scalar", lambda x, s: np.subtract(s, x), lambda F, ans, x, s: -1.0,
                  samples=_scalar_samples)
MUL_S = defunary("mul_scalar", np.multiply, lambda F, ans, x, s: float(s),
                 samples=_scalar_samples)
def _reciprocal(s):
    """``1 / s`` as IEEE division does it (``inf`` at zero, signed), a Python
    float so that it keeps the array's dtype."""
    with np.errstate(divide="ignore"):
        return float(np.float64(1.0) / s)


def _int_divide(x, y):
    """``x / y``; integer data divided by an integer 0 raises (MXNet's
    process dies of SIGFPE there; numpy's float quotient would be cast to
    garbage)."""
    if _integral(x) and _integral(y) and np.any(np.equal(y, 0)):
        raise ZeroDivisionError(
            "divide: integer division by zero (%s / %s; a float scalar is first truncated "
            "to the array's integer dtype, as in MXNet)"
            % (np.asarray(x).dtype, np.asarray(y).dtype))
    return np.true_divide(x, y)     # (a Python scalar stays weak)


def _integral(v):
    """Whether ``v`` (an array or a Python scalar) holds integers or bools."""
    return v.dtype.kind in "iub" if isinstance(v, np.ndarray) else \
        isinstance(v, (numbers.Integral, np.integer))


DIV_S = defunary("div_scalar", _int_divide, lambda F, ans, x, s: _reciprocal(s),
                 samples=_scalar_samples)
RDIV_S = defunary("rdiv_scalar", lambda x, s: _int_divide(s, x),
                  lambda F, ans, x, s: -ans / x, samples=_unary_samples(0.3, 2.0, (_S,)))
def _int_as_float(x):
    """Integer data as float64 (MXNet computes integer powers in floating
    point: ``2 ** -3`` is 0.125, cast back to 0, not an error)."""
    return x if x.dtype.kind == "f" else x.astype(np.float64)


def _log_base(s):
    """log(s) for a scalar base: -inf at 0 and nan below (no domain error)."""
    return math.log(s) if s > 0 else (-math.inf if s == 0 else math.nan)


# Powers at a zero or negative base follow PyTorch: d(x**y)/dx is 0 at
# x == y == 0, d(x**y)/dy is 0 where x == 0 and y >= 0, and nan for x < 0 (the
# real log is undefined).  Only the points where the formula gives 0 * inf are
# masked (elsewhere it stays differentiable in both operands), and they compute
# with x replaced by 1, so that no inf * 0 turns into nan at any order.
def _pow_dx(F, ans, x, y):
    cut = F.eq(y, 0.0) * F.eq(x, 0.0)
    return F.where(cut, 0.0, y * F.where(cut, 1.0, x) ** (y - 1.0))


def _pow_dy(F, ans, x, y):
    cut = F.eq(x, 0.0) * F.ge(y, 0.0)
    return ans * F.log(F.where(cut, 1.0, x))


def _rpow_d(F, ans, x, s):
    if s == 0:          # 0 ** x: flat for x >= 0, and -inf where 0 ** x is inf
        return F.where(F.ge(x, 0.0), 0.0, -math.inf)
    return ans * _log_base(s)


POW_S = defunary("pow_scalar", lambda x, s: np.power(_int_as_float(x), s),
                 lambda F, ans, x, s: 0.0 if s == 0 else s * x ** (s - 1),
                 samples=_unary_samples(0.3, 2.0, (_S,)))
RPOW_S = defunary("rpow_scalar", lambda x, s: np.power(s, _int_as_float(x)), _rpow_d,
                  samples=_scalar_samples)


def _mod(x, y):
    """``x % y`` as MXNet computes it: the sign of ``y``, 0 where ``y`` is 0
    (numpy gives nan, or 0 with a warning), and a zero result signed as
    MXNet's formula leaves it (``3 % -1`` is +0, numpy gives -0)."""
    if not isinstance(x, np.ndarray):       # a Python scalar takes the array's dtype
        x = np.asarray(x, y.dtype)
    if not isinstance(y, np.ndarray):
        y = np.asarray(y, x.dtype)
    with np.errstate(divide="ignore", invalid="ignore"):
        neg = x < 0
        r = np.fmod(np.where(neg, -x, x), y)
        r = np.where(neg, -r, r)
        # an operand's sign differs from y's: shift by y where r is not 0,
        # else add 0 (which makes -0 +0, as in MXNet)
        shift = np.where(neg, y > 0, y < 0)
        r = np.where(shift, r + np.where(r != 0, y, np.zeros_like(y)), r)
    return np.where(np.equal(y, 0), np.zeros_like(r), r)


MOD_S = defunary("mod_scalar", _mod, lambda F, ans, x, s: 1.0, kind="piecewise",
                 samples=_unary_samples(0.1, 3.0, (_S,)))
RMOD_S = defunary("rmod_scalar", lambda x, s: _mod(s, x),
                  lambda F, ans, x, s: -F.floor_div(s, x), kind="piecewise",
                  samples=_unary_samples(0.3, 1.6, (2.5,)))


# --------------------------------------------------------------- binary ---

ADD = defbinary("add", np.add, lambda F, ans, x, y: 1.0, lambda F, ans, x, y: 1.0)
SUBTRACT = defbinary("subtract", np.subtract, lambda F, ans, x, y: 1.0,
                     lambda F, ans, x, y: -1.0)
MULTIPLY = defbinary("multiply", np.multiply, lambda F, ans, x, y: y,
                     lambda F, ans, x, y: x)
DIVIDE = defbinary("divide", _int_divide, lambda F, ans, x, y: 1.0 / y,
                   lambda F, ans, x, y: -ans / y,
                   samples=lambda rng: [([rng.uniform(-2, 2, (2, 3)),
                                          rng.uniform(0.5, 2, (3,))], ())])
POWER = defbinary("power", lambda x, y: np.power(_int_as_float(x), y), _pow_dx, _pow_dy,
                  samples=lambda rng: [([rng.uniform(0.5, 2, (2, 3)),
                                         rng.uniform(-1, 2, (3,))], ())])
MODULO = defbinary("modulo", _mod, lambda F, ans, x, y: 1.0,
                   lambda F, ans, x, y: -F.floor_div(x, y), kind="piecewise",
                   samples=lambda rng: [([rng.uniform(0.1, 3, (2, 3)),
                                          rng.uniform(0.7, 0.9, (3,))], ())])
MAXIMUM = defbinary("maximum", np.maximum, lambda F, ans, x, y: F.ge(x, y),
                    lambda F, ans, x, y: F.lt(x, y))
MINIMUM = defbinary("minimum", np.minimum, lambda F, ans, x, y: F.le(x, y),
                    lambda F, ans, x, y: F.gt(x, y))


def _apply_binary(op, name, x, y):
    """Apply a broadcasting binary op after converting and checking operands
    (one dtype, broadcastable shapes)."""
    if not isinstance(x, NDArray):
        x = as_nd(x, y if isinstance(y, NDArray) else None)
    y = as_nd(y, x)
    same_dtype(name, x, y)
    broadcast_shape(name, x, y)
    return apply(op, (x, y))


def scalar_for(x, value):
    """A Python number for an op between NDArray ``x`` and scalar ``value``,
    as MXNet computes it: converted to ``x``'s dtype first (``int32 + 1.5``
    adds 1), so that the result keeps ``x``'s dtype."""
    value = scalar(value)
    if x._data.dtype.kind != "f" and type(value) is not int:
        return x._data.dtype.type(value).item()
    return value


def _int_if_bool(x):
    """MXNet computes a bool array's arithmetic with a scalar in int64."""
    return x.astype(np.int64) if x._data.dtype == np.bool_ else x


def _no_bool(name, *xs):
    for x in xs:
        if isinstance(x, NDArray) and x._data.dtype == np.bool_:
            raise TypeError("%s: MXNet has no arithmetic on a bool array but with a "
                            "scalar; convert with astype() first" % name)


def _binary_api(array_op, scalar_op, rscalar_op, name, doc=""):
    """The user-facing function ``name(lhs, rhs)``: array-array, array-scalar
    or scalar-array (a bool array with a scalar computes in int64, as
    MXNet)."""
    def f(lhs, rhs):
        if isinstance(lhs, NDArray) and is_scalar(rhs):
            lhs = _int_if_bool(lhs)
            return apply(scalar_op, (lhs,), (scalar_for(lhs, rhs),))
        if isinstance(rhs, NDArray) and is_scalar(lhs):
            rhs = _int_if_bool(rhs)
            return apply(rscalar_op, (rhs,), (scalar_for(rhs, lhs),))
        _no_bool(name, lhs, rhs)
        return _apply_binary(array_op, name, lhs, rhs)
    f.__name__ = name
    f.__doc__ = ("Elementwise %s with numpy broadcasting; Python numbers on either side."
                 % name) + doc
    return f


add = _binary_api(ADD, ADD_S, ADD_S, "add")
subtract = _binary_api(SUBTRACT, SUB_S, RSUB_S, "subtract")
multiply = _binary_api(MULTIPLY, MUL_S, MUL_S, "multiply")
divide = _binary_api(DIVIDE, DIV_S, RDIV_S, "divide")
power = _binary_api(POWER, POW_S, RPOW_S, "power", """

At a zero or negative base the derivatives are PyTorch's: 0 in ``lhs`` where
``lhs == rhs == 0``; 0 in ``rhs`` where ``lhs == 0`` and ``rhs >= 0``
(``-inf`` where ``0 ** rhs`` is infinite); nan in ``rhs`` where ``lhs < 0``.""")
modulo = _binary_api(MODULO, MOD_S, RMOD_S, "modulo", """

``lhs % rhs`` takes the sign of ``rhs`` (as Python and numpy) and is 0 where
``rhs`` is 0 (as MXNet); the derivative is 1 in ``lhs`` and
``-floor(lhs / rhs)`` in ``rhs``, as in MXNet.""")


def rsubtract(x, y):
    """``y - x`` (the reflected ``-``)."""
    return subtract(y, x)


def rdivide(x, y):
    """``y / x`` (the reflected ``/``)."""
    return divide(y, x)


def rpower(x, y):
    """``y ** x`` (the reflected ``**``)."""
    return power(y, x)


def _extremum(op, name):
    def f(lhs, rhs):
        if is_scalar(lhs) and is_scalar(rhs):
            raise TypeError("%s needs at least one NDArray" % name)
        if is_scalar(rhs) or is_scalar(lhs):
            a = lhs if isinstance(lhs, NDArray) else rhs
            s = rhs if a is lhs else lhs
            b = wrap(np.full(a.shape, scalar(s), a._data.dtype))
            return apply(op, (a, b) if a is lhs else (b, a))
        return _apply_binary(op, name, lhs, rhs)
    f.__name__ = name
    f.__doc__ = ("Elementwise %s with broadcasting; a tie sends the gradient to the "
                 "left operand, as in MXNet." % name)
    return f


maximum = _extremum(MAXIMUM, "maximum")
minimum = _extremum(MINIMUM, "minimum")


# ----------------------------------------------------------- comparisons ---

def _comparison(ufunc, name):
    """A nondiff binary op giving 0/1 values of the operands' dtype, and its
    user function ``name(lhs, rhs)``."""
    op = nondiff(name, lambda x, y: ufunc(x, y).astype(x.dtype), kind="comparison")
    scalar_op = nondiff(name + "_scalar", lambda x, s: ufunc(x, s).astype(x.dtype),
                        kind="comparison")

    def f(lhs, rhs):
        if isinstance(lhs, NDArray) and is_scalar(rhs):
            lhs = _int_if_bool(lhs)
            return apply(scalar_op, (lhs,), (scalar_for(lhs, rhs),))
        return _apply_binary(op, name, lhs, rhs)
    f.__name__ = name
    f.__doc__ = ("Elementwise ``%s`` as 0/1 values of the operands' dtype (zero "
                 "derivative; a bool array with a scalar gives int64, as MXNet)." % name)
    return op, f


EQUAL, equal = _comparison(np.equal, "equal")
NOT_EQUAL, not_equal = _comparison(np.not_equal, "not_equal")
LESSER, lesser = _comparison(np.less, "lesser")
LESSER_EQUAL, lesser_equal = _comparison(np.less_equal, "lesser_equal")
GREATER, greater = _comparison(np.greater, "greater")
GREATER_EQUAL, greater_equal = _comparison(np.greater_equal, "greater_equal")
SIGN = nondiff("sign", np.sign)


def sign(data):
    """-1, 0 or 1 by the sign of each value (zero derivative)."""
    return apply(SIGN, (as_nd(data),))


FLOOR_DIVIDE = nondiff("floor_divide", np.floor_divide)
FLOOR_DIVIDE_S = nondiff("floor_divide_scalar", np.floor_divide)
RFLOOR_DIVIDE_S = nondiff("rfloor_divide_scalar", lambda x, s: np.floor_divide(s, x))


def floor_divide(x, y):
    """``x // y``: the floor of the quotient (integer-valued: zero derivative)."""
    if isinstance(x, NDArray) and is_scalar(y):
        return apply(FLOOR_DIVIDE_S, (x,), (scalar_for(x, y),))
    if isinstance(y, NDArray) and is_scalar(x):
        return apply(RFLOOR_DIVIDE_S, (y,), (scalar_for(y, x),))
    return _apply_binary(FLOOR_DIVIDE, "floor_divide", x, y)


def _round_half_away(x, ndigits):
    """Round to ``ndigits`` decimals, halves away from zero (MXNet's round)."""
    scale = 10.0 ** ndigits
    y = x * scale if ndigits else x
    r = np.round(y)                                  # halves to even ...
    t = np.trunc(y)
    half = np.abs(y - t) == 0.5
    r = np.where(half, t + np.sign(y), r)            # ... except exact halves
    return r / scale if ndigits else r


ROUND = nondiff("round", _round_half_away)


def round(data, ndigits=0):  # noqa: A001  (MXNet's name)
    """Round to the nearest integer (or ``ndigits`` decimals), halves away
    from zero as MXNet does (``round(2.5) == 3``, ``round(-2.5) == -3``);
    zero derivative."""
    return apply(ROUND, (as_nd(data),), (int(ndigits),))


# ------------------------------------------------ more binary and n-ary ---

def _hypot_d(F, ans, x, y):
    """``x / hypot(x, y)``: 0 where both legs are 0 (where the hypotenuse has
    no derivative), not nan."""
    return x / F.where(F.eq(ans, 0.0), 1.0, ans)


HYPOT = defbinary("hypot", np.hypot, _hypot_d, lambda F, ans, x, y: _hypot_d(F, ans, y, x),
                  samples=_binary_samples(0.5, 2.0))


def hypot(left, right):
    """The hypotenuse ``sqrt(left**2 + right**2)``, elementwise with numpy
    broadcasting; a Python number is accepted on either side.

    The derivative is ``left / hypot`` in ``left`` and ``right / hypot`` in
    ``right``, and 0 where both are 0 (MXNet gives nan there).  MXNet 1.9.1
    has ``hypot`` as a Symbol function; ``nd.broadcast_hypot`` is the op.
    """
    return _apply_binary(HYPOT, "hypot", left, right)


def true_divide(lhs, rhs):
    """``lhs / rhs``, as ``divide`` (MXNet's alias): integer arrays keep their
    dtype, the quotient truncated toward zero as in MXNet."""
    return divide(lhs, rhs)


LOGICAL_AND, logical_and = _comparison(np.logical_and, "logical_and")
LOGICAL_OR, logical_or = _comparison(np.logical_or, "logical_or")
LOGICAL_XOR, logical_xor = _comparison(np.logical_xor, "logical_xor")


def _add_n_primal(*arrays):
    out = np.empty(np.broadcast_shapes(*[a.shape for a in arrays]), arrays[0].dtype)
    np.copyto(out, arrays[0])
    for a in arrays[1:]:
        out += a
    return out


def _add_n_jvp(ts, ans, xs):
    terms = tuple(lift(t, x.ndim, ans.ndim) for t, x in zip(ts, xs) if t is not None)
    return fit(terms[0] if len(terms) == 1 else apply(ADD_N, terms), ans)


def _add_n_vjp(g, ans, xs, needs):
    nb = _nb(g, ans)
    return tuple(sum_to(g, x.shape, nb) if need else None for x, need in zip(xs, needs))


ADD_N = defop("add_n", _add_n_primal, jvp=_add_n_jvp, vjp=_add_n_vjp, kind="linear",
              samples=lambda rng: [
                  ([rng.standard_normal((2, 3)) for _ in range(3)], ()),
                  ([rng.standard_normal((4,))], ()),
                  ([rng.standard_normal((2, 3)), rng.standard_normal((3,)),
                    rng.standard_normal((2, 1)), rng.standard_normal((2, 3))], ())])


def _need_arrays(name, operands):
    """``TypeError`` unless every ``(label, value)`` holds an NDArray (MXNet's
    ``broadcast_*``, ``elemwise_*`` and ``add_n`` take no numbers or lists)."""
    for label, v in operands:
        if not isinstance(v, NDArray):
            raise TypeError("%s: %s must be an NDArray, got %s"
                            % (name, label, type(v).__name__))


def add_n(*args):
    """The elementwise sum of any number of arrays of one shape and dtype.

    Differentiable: each input's gradient is the output's.  ``ElementWiseSum``
    is the same function.
    """
    if not args:
        raise ValueError("add_n needs at least one array")
    _need_arrays("add_n", [("argument %d" % i, a) for i, a in enumerate(args)])
    same_dtype("add_n", *args)
    for a in args[1:]:
        if a.shape != args[0].shape:
            raise ValueError("add_n: shapes %s and %s differ; the arrays must have one "
                             "shape" % (args[0].shape, a.shape))
    return apply(ADD_N, args)


ElementWiseSum = add_n


def _broadcast_api(op, name, doc):
    """``name(lhs, rhs)``: ``op`` on two NDArrays of one dtype whose shapes
    broadcast (MXNet's ``broadcast_*`` take no numbers)."""
    def f(lhs, rhs):
        _need_arrays(name, (("lhs", lhs), ("rhs", rhs)))
        return _apply_binary(op, name, lhs, rhs)
    f.__name__ = name
    f.__doc__ = "%s, elementwise with numpy broadcasting of two NDArrays.%s" % doc
    return f


def _elemwise_api(op, name, doc):
    """``name(lhs, rhs)``: ``op`` on two NDArrays of one shape and dtype."""
    def f(lhs, rhs):
        _need_arrays(name, (("lhs", lhs), ("rhs", rhs)))
        if lhs.shape != rhs.shape:
            raise ValueError("%s: shapes %s and %s differ; %s needs arrays of one shape "
                             "(broadcast_%s broadcasts)"
                             % (name, lhs.shape, rhs.shape, name, name[len("elemwise_"):]))
        return _apply_binary(op, name, lhs, rhs)
    f.__name__ = name
    f.__doc__ = "%s, elementwise, of two NDArrays of one shape.%s" % doc
    return f


_DIFF = "\n\nDifferentiable in both operands%s."
_NONDIFF = "\n\nValues 0/1 of the operands' dtype (zero derivative)."
broadcast_add = _broadcast_api(ADD, "broadcast_add", ("``lhs + rhs``", _DIFF % ""))
broadcast_sub = _broadcast_api(SUBTRACT, "broadcast_sub", ("``lhs - rhs``", _DIFF % ""))
broadcast_mul = _broadcast_api(MULTIPLY, "broadcast_mul", ("``lhs * rhs``", _DIFF % ""))
broadcast_div = _broadcast_api(DIVIDE, "broadcast_div", (
    "``lhs / rhs`` (integers truncated toward zero)", _DIFF % ""))
broadcast_power = _broadcast_api(POWER, "broadcast_power", (
    "``lhs ** rhs``", _DIFF % " (as ``power`` at a zero or negative base)"))
broadcast_maximum = _broadcast_api(MAXIMUM, "broadcast_maximum", (
    "The larger of ``lhs`` and ``rhs``", _DIFF % "; a tie sends the gradient to ``lhs``"))
broadcast_minimum = _broadcast_api(MINIMUM, "broadcast_minimum", (
    "The smaller of ``lhs`` and ``rhs``", _DIFF % "; a tie sends the gradient to ``lhs``"))
broadcast_hypot = _broadcast_api(HYPOT, "broadcast_hypot", (
    "``sqrt(lhs**2 + rhs**2)``", _DIFF % " (0 where both are 0, as ``hypot``)"))
broadcast_mod = _broadcast_api(MODULO, "broadcast_mod", (
    "``lhs % rhs`` (the sign of ``rhs``; 0 where ``rhs`` is 0)",
    _DIFF % ": 1 in ``lhs``, ``-floor(lhs / rhs)`` in ``rhs`` (MXNet)"))
broadcast_equal = _broadcast_api(EQUAL, "broadcast_equal", ("``lhs == rhs``", _NONDIFF))
broadcast_not_equal = _broadcast_api(NOT_EQUAL, "broadcast_not_equal",
                                     ("``lhs != rhs``", _NONDIFF))
broadcast_greater = _broadcast_api(GREATER, "broadcast_greater", ("``lhs > rhs``", _NONDIFF))
broadcast_greater_equal = _broadcast_api(GREATER_EQUAL, "broadcast_greater_equal",
                                         ("``lhs >= rhs``", _NONDIFF))
broadcast_lesser = _broadcast_api(LESSER, "broadcast_lesser", ("``lhs < rhs``", _NONDIFF))
broadcast_lesser_equal = _broadcast_api(LESSER_EQUAL, "broadcast_lesser_equal",
                                        ("``lhs <= rhs``", _NONDIFF))
broadcast_logical_and = _broadcast_api(LOGICAL_AND, "broadcast_logical_and",
                                       ("``lhs and rhs`` (non-zero is true)", _NONDIFF))
broadcast_logical_or = _broadcast_api(LOGICAL_OR, "broadcast_logical_or",
                                      ("``lhs or rhs`` (non-zero is true)", _NONDIFF))
broadcast_logical_xor = _broadcast_api(LOGICAL_XOR, "broadcast_logical_xor",
                                       ("``lhs xor rhs`` (non-zero is true)", _NONDIFF))
broadcast_plus = broadcast_add
broadcast_minus = broadcast_sub

elemwise_add = _elemwise_api(ADD, "elemwise_add", ("``lhs + rhs``", _DIFF % ""))
elemwise_sub = _elemwise_api(SUBTRACT, "elemwise_sub", ("``lhs - rhs``", _DIFF % ""))
elemwise_mul = _elemwise_api(MULTIPLY, "elemwise_mul", ("``lhs * rhs``", _DIFF % ""))
elemwise_div = _elemwise_api(DIVIDE, "elemwise_div", (
    "``lhs / rhs`` (integers truncated toward zero)", _DIFF % ""))


# ----------------------------------------------------------------- where ---

_WHERE_MASK = nondiff("mask_where", lambda c, like: np.broadcast_to(
    (c != 0).astype(like.dtype), np.broadcast_shapes(c.shape, like.shape)),
    kind="mask", keep_dtype=False)


def _where_masks(ans, cond):
    """1 where ``cond`` is non-zero, and its complement, shaped as ``ans``
    (made by ops, so that ``dt.jit`` records them)."""
    mask = apply(_WHERE_MASK, (cond, ans.detach()))
    return mask, 1.0 - mask


def _where_jvp(ts, ans, xs):
    out = None
    for t, x, m in zip(ts[1:], xs[1:], _where_masks(ans, xs[0])):
        if t is not None:
            term = lift(t, x.ndim, ans.ndim) * m
            out = term if out is None else out + term
    return fit(out, ans) if out is not None else None


def _where_vjp(g, ans, xs, needs):
    nb = _nb(g, ans)
    return (None,) + tuple(sum_to(g * m, x.shape, nb) if need else None
                           for x, m, need in zip(xs[1:], _where_masks(ans, xs[0]), needs[1:]))


WHERE = defop("where", lambda c, x, y: np.where(c != 0, x, y), jvp=_where_jvp,
              vjp=_where_vjp, kind="elementwise",
              samples=lambda rng: [([(rng.uniform(size=(2, 3)) > 0.5).astype(float),
                                     rng.standard_normal((2, 3)),
                                     rng.standard_normal((3,))], ())])


def where(condition, x, y):
    """``x`` where ``condition`` is non-zero, else ``y``; differentiable in
    ``x`` and ``y``.  As in MXNet, a 1-D condition as long as ``x``'s first
    axis picks whole rows; other shapes broadcast as numpy's."""
    x = as_nd(x, y if isinstance(y, NDArray) else None)
    y = as_nd(y, x)
    condition = as_nd(condition, x)
    if condition.ndim == 1 and x.ndim > 1 and x.shape == y.shape and \
            condition.shape[0] == x.shape[0]:
        condition = condition.reshape((-1,) + (1,) * (x.ndim - 1))
    same_dtype("where", x, y)
    broadcast_shape("where", condition, x, y)
    return apply(WHERE, (condition, x, y))


def inplace(x, other, ufunc):
    """``x op= other`` on the buffer: refused for recorded arrays inside
    ``record()``; otherwise bumps ``x``'s version so that a pending backward
    that saved it raises."""
    x._check_inplace()
    if isinstance(other, NDArray):
        same_dtype("in-place " + ufunc.__name__, x, other)
        check_leave(other, "using it in an in-place update (x op= value)")
    data = other._data if isinstance(other, NDArray) else (
        scalar_for(x, other) if is_scalar(other) else np.asarray(other))
    try:
        result = ufunc(x._data, data)
    except ValueError:
        result = None
    if result is None or np.shape(result) != x.shape:
        raise ValueError("in-place update of an array of shape %s with one of shape %s"
                         % (x.shape, np.shape(data)))
    np.copyto(x._data, result, casting="unsafe")    # MXNet keeps x's dtype
    x._bump()
    return x


__all__ = ["abs", "add", "add_n", "broadcast_add", "broadcast_div", "broadcast_equal",
           "broadcast_greater", "broadcast_greater_equal", "broadcast_hypot",
           "broadcast_lesser", "broadcast_lesser_equal", "broadcast_logical_and",
           "broadcast_logical_or", "broadcast_logical_xor", "broadcast_maximum",
           "broadcast_minimum", "broadcast_minus", "broadcast_mod", "broadcast_mul",
           "broadcast_not_equal", "broadcast_plus", "broadcast_power", "broadcast_sub",
           "clip", "cos", "divide", "ElementWiseSum", "elemwise_add", "elemwise_div",
           "elemwise_mul", "elemwise_sub", "equal", "exp", "greater", "greater_equal",
           "hypot", "lesser", "lesser_equal", "log", "logical_and", "logical_or",
           "logical_xor", "maximum", "minimum", "modulo", "multiply", "negative",
           "not_equal", "power", "relu", "round", "sigmoid", "sign", "sin", "sqrt",
           "square", "subtract", "tanh", "true_divide", "where"]

#: MXNet's NDArray methods among these that the engine does not define itself.
METHODS = ("round", "sign")
