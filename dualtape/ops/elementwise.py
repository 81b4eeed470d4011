"""Elementwise ops.  Each nonlinear one gives one local derivative
``deriv(ans, *xs)`` that drives both rules: the JVP is ``t * deriv`` and the
VJP ``g * deriv`` (summed back to a broadcast input's shape), the PyTorch
``auto_element_wise`` idea.  The unary transcendental ones also get fused
Cython kernels for first-order use (value and tangent in one pass)."""
import math

import numpy as np

from .. import _kernels
from .._engine import NDArray, apply, wrap
from ..registry import defop, nondiff
from .convert import as_nd, broadcast_shape, is_scalar, same_dtype, scalar
from .structural import fit, lift, sum_to

_FLOATS = (np.dtype(np.float32), np.dtype(np.float64))


def _nb(t, ref):
    return t.ndim - ref.ndim


def _const(data):
    """A constant NDArray (no tangent, not on the tape) from numpy data."""
    return wrap(np.ascontiguousarray(data))


def _fused(name):
    """Fused first-order paths backed by the Cython kernels of ``name``."""
    _, kjvp, kvjp = _kernels.KERNELS[name]

    def fast_jvp(x, t):
        if x.dtype not in _FLOATS or t.dtype != x.dtype:
            return None
        y = np.empty_like(x)
        ty = np.empty_like(t)
        kjvp(x.reshape(-1), t.reshape(-1), y.reshape(-1), ty.reshape(-1))
        return y, ty

    def fast_vjp(x, y, g):
        if x.dtype not in _FLOATS or g.dtype != x.dtype:
            return None
        gx = np.empty_like(g)
        kvjp(x.reshape(-1), y.reshape(-1), g.reshape(-1), gx.reshape(-1))
        return gx

    return fast_jvp, fast_vjp


def _unary_samples(low=-2.0, high=2.0, params=()):
    def samples(rng):
        return [([rng.uniform(low, high, shape)], params) for shape in ((5,), (2, 3))]
    return samples


def defunary(name, primal, deriv, *, fused=False, samples=None,
             kind="elementwise"):
    """Register a unary elementwise op from its local derivative.

    ``deriv(ans, x, *params)`` returns an NDArray (or a number) ``d`` with
    ``d * t`` the tangent of the output; it is written with NDArray ops so
    that it can itself be differentiated.
    """
    def jvp(ts, ans, xs, *params):
        return ts[0] * deriv(ans, xs[0], *params)

    def vjp(g, ans, xs, needs, *params):
        return (g * deriv(ans, xs[0], *params),)

    fast_jvp, fast_vjp = _fused(name) if fused else (None, None)
    return defop(name, primal, jvp=jvp, vjp=vjp,
                 fast_jvp=fast_jvp, fast_vjp=fast_vjp,
                 samples=samples or _unary_samples(), kind=kind)


def deflinear_unary(name, primal, apply_to, samples=None):
    """Register a unary op that is linear in its input: both rules apply the
    same map (``apply_to(t, *params)``) to the tangent or cotangent."""
    def jvp(ts, ans, xs, *params):
        return apply_to(ts[0], *params)

    def vjp(g, ans, xs, needs, *params):
        return (apply_to(g, *params),)

    return defop(name, primal, jvp=jvp, vjp=vjp, kind="elementwise",
                 samples=samples or _unary_samples())


def defbinary(name, primal, dx, dy, samples=None):
    """Register a broadcasting binary op from its two local derivatives
    ``dx(ans, x, y)`` and ``dy(ans, x, y)`` (each broadcastable to the
    output)."""
    derivs = (dx, dy)

    def jvp(ts, ans, xs):
        out = None
        for t, x, d in zip(ts, xs, derivs):
            if t is not None:
                term = lift(t, x.ndim, ans.ndim) * d(ans, *xs)
                out = term if out is None else out + term
        return fit(out, ans)

    def vjp(g, ans, xs, needs):
        nb = _nb(g, ans)
        return tuple(sum_to(g * d(ans, *xs), x.shape, nb) if need else None
                     for x, d, need in zip(xs, derivs, needs))

    return defop(name, primal, jvp=jvp, vjp=vjp, kind="elementwise",
                 samples=samples or _binary_samples())


def _binary_samples(low=-2.0, high=2.0):
    def samples(rng):
        u = lambda *s: rng.uniform(low, high, s)  # noqa: E731
        return [([u(2, 3), u(2, 3)], ()), ([u(2, 3), u(3)], ()), ([u(4, 1), u(1, 3)], ())]
    return samples


# ---------------------------------------------------------------- unary ---

def _step(x):
    return _const((x._data > 0).astype(x._data.dtype))


NEGATIVE = deflinear_unary("negative", np.negative, lambda t: -t)
EXP = defunary("exp", np.exp, lambda ans, x: ans, fused=True)
LOG = defunary("log", np.log, lambda ans, x: 1.0 / x, fused=True,
               samples=_unary_samples(0.2, 3.0))
SQRT = defunary("sqrt", np.sqrt, lambda ans, x: 0.5 / ans, fused=True,
                samples=_unary_samples(0.2, 3.0))
SQUARE = defunary("square", np.square, lambda ans, x: 2.0 * x, fused=True)
ABS = defunary("abs", np.abs, lambda ans, x: _const(np.sign(x._data)), fused=True)
SIN = defunary("sin", np.sin, lambda ans, x: cos(x), fused=True)
COS = defunary("cos", np.cos, lambda ans, x: -sin(x), fused=True)
TANH = defunary("tanh", np.tanh, lambda ans, x: 1.0 - ans * ans,
                fused=True)
SIGMOID = defunary("sigmoid", lambda x: 1.0 / (1.0 + np.exp(-x)),
                   lambda ans, x: ans * (1.0 - ans), fused=True)
RELU = defunary("relu", lambda x: np.maximum(x, 0), lambda ans, x: _step(x), fused=True)
CLIP = defunary("clip", np.clip, lambda ans, x, lo, hi: _const(
    ((x._data >= lo) & (x._data <= hi)).astype(x._data.dtype)),
    samples=_unary_samples(params=(-1.0, 1.0)))


def _unary_api(op, name):
    def f(x):
        return apply(op, (as_nd(x),))
    f.__name__ = name
    f.__doc__ = "Elementwise %s of ``x`` (differentiable)." % name
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


def clip(x, a_min, a_max):
    """Limit values to ``[a_min, a_max]``; the gradient is 1 on both bounds."""
    if a_min > a_max:
        raise ValueError("clip: a_min %r is greater than a_max %r" % (a_min, a_max))
    return apply(CLIP, (as_nd(x),), (scalar(a_min), scalar(a_max)))


# ------------------------------------------------- ops with a scalar ---

_S = 1.7
_scalar_samples = _unary_samples(params=(_S,))
ADD_S = deflinear_unary("add_scalar", np.add, lambda t, s: t, samples=_scalar_samples)
SUB_S = deflinear_unary("sub_scalar", np.subtract, lambda t, s: t, samples=_scalar_samples)
RSUB_S = deflinear_unary("rsub_scalar", lambda x, s: np.subtract(s, x), lambda t, s: -t,
                         samples=_scalar_samples)
MUL_S = deflinear_unary("mul_scalar", np.multiply, lambda t, s: t * s,
                        samples=_scalar_samples)
DIV_S = deflinear_unary("div_scalar", np.true_divide, lambda t, s: t / s,
                        samples=_scalar_samples)
RDIV_S = defunary("rdiv_scalar", lambda x, s: np.true_divide(s, x),
                  lambda ans, x, s: -ans / x,
                  samples=_unary_samples(0.3, 2.0, (_S,)))
POW_S = defunary("pow_scalar", np.power, lambda ans, x, s: s * x ** (s - 1),
                 samples=_unary_samples(0.3, 2.0, (_S,)))
RPOW_S = defunary("rpow_scalar", lambda x, s: np.power(s, x),
                  lambda ans, x, s: ans * math.log(s),
                  samples=_scalar_samples)


# --------------------------------------------------------------- binary ---

def _ones(ans, x, y):
    return 1.0


ADD = defop("add", np.add, kind="elementwise", samples=_binary_samples(),
            jvp=lambda ts, ans, xs: fit(_sum_lifted(ts, xs, ans, (1, 1)), ans),
            vjp=lambda g, ans, xs, needs: _sum_back(g, ans, xs, needs, (1, 1)))
SUBTRACT = defop("subtract", np.subtract, kind="elementwise", samples=_binary_samples(),
                 jvp=lambda ts, ans, xs: fit(_sum_lifted(ts, xs, ans, (1, -1)), ans),
                 vjp=lambda g, ans, xs, needs: _sum_back(g, ans, xs, needs, (1, -1)))


def _sum_lifted(ts, xs, ans, signs):
    out = None
    for t, x, s in zip(ts, xs, signs):
        if t is None:
            continue
        t = lift(t, x.ndim, ans.ndim)
        if out is None:
            out = t if s > 0 else -t
        else:
            out = out + t if s > 0 else out - t
    return out


def _sum_back(g, ans, xs, needs, signs):
    nb = _nb(g, ans)
    return tuple((sum_to(g if s > 0 else -g, x.shape, nb) if need else None)
                 for x, s, need in zip(xs, signs, needs))


MULTIPLY = defbinary("multiply", np.multiply, lambda ans, x, y: y, lambda ans, x, y: x)
DIVIDE = defbinary("divide", np.true_divide, lambda ans, x, y: 1.0 / y,
                   lambda ans, x, y: -ans / y,
                   samples=lambda rng: [([rng.uniform(-2, 2, (2, 3)),
                                          rng.uniform(0.5, 2, (3,))], ())])
POWER = defbinary("power", np.power, lambda ans, x, y: y * x ** (y - 1.0),
                  lambda ans, x, y: ans * log(x),
                  samples=lambda rng: [([rng.uniform(0.5, 2, (2, 3)),
                                         rng.uniform(-1, 2, (3,))], ())])
MAXIMUM = defbinary("maximum", np.maximum,
                    lambda ans, x, y: _const((x._data >= y._data).astype(x._data.dtype)),
                    lambda ans, x, y: _const((x._data < y._data).astype(x._data.dtype)))
MINIMUM = defbinary("minimum", np.minimum,
                    lambda ans, x, y: _const((x._data <= y._data).astype(x._data.dtype)),
                    lambda ans, x, y: _const((x._data > y._data).astype(x._data.dtype)))


def _binary_api(array_op, scalar_op, rscalar_op, name):
    """The user-facing function: array-array, array-scalar or scalar-array."""
    def f(x, y):
        if isinstance(x, NDArray) and is_scalar(y):
            return apply(scalar_op, (x,), (scalar(y),))
        if isinstance(y, NDArray) and is_scalar(x):
            return apply(rscalar_op, (y,), (scalar(x),))
        if not isinstance(x, NDArray):
            x = as_nd(x, y if isinstance(y, NDArray) else None)
        y = as_nd(y, x)
        same_dtype(name, x, y)
        broadcast_shape(name, x, y)
        return apply(array_op, (x, y))
    f.__name__ = name
    f.__doc__ = "Elementwise %s with numpy broadcasting; Python numbers on either side." % name
    return f


add = _binary_api(ADD, ADD_S, ADD_S, "add")
subtract = _binary_api(SUBTRACT, SUB_S, RSUB_S, "subtract")
multiply = _binary_api(MULTIPLY, MUL_S, MUL_S, "multiply")
divide = _binary_api(DIVIDE, DIV_S, RDIV_S, "divide")
power = _binary_api(POWER, POW_S, RPOW_S, "power")


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
    def f(x, y):
        if is_scalar(x) and is_scalar(y):
            raise TypeError("%s needs at least one NDArray" % name)
        if is_scalar(y) or is_scalar(x):
            a = x if isinstance(x, NDArray) else y
            s = y if a is x else x
            b = wrap(np.full(a.shape, scalar(s), a._data.dtype))
            return apply(op, (a, b) if a is x else (b, a))
        x = as_nd(x, y if isinstance(y, NDArray) else None)
        y = as_nd(y, x)
        same_dtype(name, x, y)
        broadcast_shape(name, x, y)
        return apply(op, (x, y))
    f.__name__ = name
    f.__doc__ = ("Elementwise %s with broadcasting; a tie sends the gradient to the "
                 "left operand, as in MXNet." % name)
    return f


maximum = _extremum(MAXIMUM, "maximum")
minimum = _extremum(MINIMUM, "minimum")


# ----------------------------------------------------------- comparisons ---

def _comparison(ufunc, name):
    op = nondiff(name, lambda x, y: ufunc(x, y).astype(x.dtype), kind="comparison")
    scalar_op = nondiff(name + "_scalar", lambda x, s: ufunc(x, s).astype(x.dtype),
                        kind="comparison")

    def f(x, y):
        if is_scalar(y):
            return apply(scalar_op, (x,), (scalar(y),))
        y = as_nd(y, x)
        same_dtype(name, x, y)
        broadcast_shape(name, x, y)
        return apply(op, (x, y))
    f.__name__ = name
    f.__doc__ = "Elementwise ``%s`` as 0/1 values of the operands' dtype." % name
    return f


equal = _comparison(np.equal, "equal")
not_equal = _comparison(np.not_equal, "not_equal")
lesser = _comparison(np.less, "lesser")
lesser_equal = _comparison(np.less_equal, "lesser_equal")
greater = _comparison(np.greater, "greater")
greater_equal = _comparison(np.greater_equal, "greater_equal")
SIGN = nondiff("sign", np.sign)


def sign(x):
    """-1, 0 or 1 by the sign of each value (zero derivative)."""
    return apply(SIGN, (as_nd(x),))


# ----------------------------------------------------------------- where ---

def _where_jvp(ts, ans, xs):
    cond = xs[0]._data != 0
    mask = _const(cond.astype(ans._data.dtype))
    out = None
    for t, x, m in ((ts[1], xs[1], mask), (ts[2], xs[2], None)):
        if t is None:
            continue
        m = m if m is not None else _const((~cond).astype(ans._data.dtype))
        term = lift(t, x.ndim, ans.ndim) * m
        out = term if out is None else out + term
    return fit(out, ans) if out is not None else None


def _where_vjp(g, ans, xs, needs):
    cond = np.broadcast_to(xs[0]._data != 0, ans.shape)
    nb = _nb(g, ans)
    gx = sum_to(g * _const(cond.astype(ans._data.dtype)), xs[1].shape, nb) if needs[1] else None
    gy = sum_to(g * _const((~cond).astype(ans._data.dtype)), xs[2].shape, nb) if needs[2] else None
    return (None, gx, gy)


WHERE = defop("where", lambda c, x, y: np.where(c != 0, x, y), jvp=_where_jvp,
              vjp=_where_vjp, kind="elementwise",
              samples=lambda rng: [([(rng.uniform(size=(2, 3)) > 0.5).astype(float),
                                     rng.standard_normal((2, 3)),
                                     rng.standard_normal((3,))], ())])


def where(condition, x, y):
    """``x`` where ``condition`` is non-zero, else ``y`` (broadcasting);
    differentiable in ``x`` and ``y``."""
    x = as_nd(x, y if isinstance(y, NDArray) else None)
    y = as_nd(y, x)
    condition = as_nd(condition, x)
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
    data = other._data if isinstance(other, NDArray) else (
        scalar(other) if is_scalar(other) else np.asarray(other))
    try:
        ufunc(x._data, data, out=x._data)
    except ValueError:
        raise ValueError("in-place update of an array of shape %s with one of shape %s"
                         % (x.shape, np.shape(data))) from None
    x._bump()
    return x
