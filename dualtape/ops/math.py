"""Elementwise math: trigonometric, hyperbolic, exponential and special
functions, rounding, and ops with MXNet-defined gradients.

Each differentiable op is one ``defunary`` line: its primal and its local
derivative ``deriv(F, ans, x)`` (see ``elementwise``), written with
differentiable operations, so that both modes work to any order.  The
special functions come from ``scipy.special``; the derivatives of ``gamma``
and ``gammaln`` use the polygamma functions, themselves an op.  Integer
input is computed in floating point and cast back, as MXNet does
(``tan`` of int32 ``2`` is ``-2``).
"""
import math

import numpy as np
import scipy.special

from .._engine import apply
from ..registry import defloss, nondiff
from .convert import as_nd
from .elementwise import (_const, _scale, _unary_api, _unary_samples, defunary,
                          extend_math)

_LN2, _LN10 = math.log(2.0), math.log(10.0)


# ------------------------------------------------------- trigonometric ---

TAN = defunary("tan", np.tan, lambda F, ans, x: 1.0 + ans * ans,
               samples=_unary_samples(-1.2, 1.2))
ARCSIN = defunary("arcsin", np.arcsin, lambda F, ans, x: (1.0 - x * x) ** -0.5,
                  samples=_unary_samples(-0.8, 0.8))
ARCCOS = defunary("arccos", np.arccos, lambda F, ans, x: -(1.0 - x * x) ** -0.5,
                  samples=_unary_samples(-0.8, 0.8))
ARCTAN = defunary("arctan", np.arctan, lambda F, ans, x: 1.0 / (1.0 + x * x))
DEGREES = defunary("degrees", np.degrees, lambda F, ans, x: 180.0 / math.pi)
RADIANS = defunary("radians", np.radians, lambda F, ans, x: math.pi / 180.0)

tan = _unary_api(TAN, "tan", "Elementwise tangent; derivative ``1 + tan(x)**2``.")
arcsin = _unary_api(ARCSIN, "arcsin", "Elementwise inverse sine (nan outside [-1, 1]); "
                    "derivative ``1 / sqrt(1 - x**2)``.")
arccos = _unary_api(ARCCOS, "arccos", "Elementwise inverse cosine (nan outside [-1, 1]); "
                    "derivative ``-1 / sqrt(1 - x**2)``.")
arctan = _unary_api(ARCTAN, "arctan", "Elementwise inverse tangent; derivative "
                    "``1 / (1 + x**2)``.")
degrees = _unary_api(DEGREES, "degrees", "Radians to degrees (``x * 180 / pi``); "
                     "derivative ``180 / pi``.")
radians = _unary_api(RADIANS, "radians", "Degrees to radians (``x * pi / 180``); "
                     "derivative ``pi / 180``.")

# ---------------------------------------------------------- hyperbolic ---

SINH = defunary("sinh", np.sinh, lambda F, ans, x: F.cosh(x))
COSH = defunary("cosh", np.cosh, lambda F, ans, x: F.sinh(x))
ARCSINH = defunary("arcsinh", np.arcsinh, lambda F, ans, x: (x * x + 1.0) ** -0.5)
ARCCOSH = defunary("arccosh", np.arccosh, lambda F, ans, x: (x * x - 1.0) ** -0.5,
                   samples=_unary_samples(1.2, 3.0))
ARCTANH = defunary("arctanh", np.arctanh, lambda F, ans, x: 1.0 / (1.0 - x * x),
                   samples=_unary_samples(-0.8, 0.8))

sinh = _unary_api(SINH, "sinh", "Elementwise hyperbolic sine; derivative ``cosh(x)``.")
cosh = _unary_api(COSH, "cosh", "Elementwise hyperbolic cosine; derivative ``sinh(x)``.")
arcsinh = _unary_api(ARCSINH, "arcsinh", "Elementwise inverse hyperbolic sine; "
                     "derivative ``1 / sqrt(x**2 + 1)``.")
arccosh = _unary_api(ARCCOSH, "arccosh", "Elementwise inverse hyperbolic cosine (nan "
                     "below 1); derivative ``1 / sqrt(x**2 - 1)``.")
arctanh = _unary_api(ARCTANH, "arctanh", "Elementwise inverse hyperbolic tangent (+-inf "
                     "at +-1, nan beyond); derivative ``1 / (1 - x**2)``.")
extend_math("sinh", np.sinh, sinh)
extend_math("cosh", np.cosh, cosh)

# -------------------------------------------------- exponential and log ---

EXPM1 = defunary("expm1", np.expm1, lambda F, ans, x: ans + 1.0)
LOG1P = defunary("log1p", np.log1p, lambda F, ans, x: 1.0 / (1.0 + x),
                 samples=_unary_samples(-0.7, 3.0))
LOG2 = defunary("log2", np.log2, lambda F, ans, x: (1.0 / _LN2) / x,
                samples=_unary_samples(0.2, 3.0))
LOG10 = defunary("log10", np.log10, lambda F, ans, x: (1.0 / _LN10) / x,
                 samples=_unary_samples(0.2, 3.0))

expm1 = _unary_api(EXPM1, "expm1", "``exp(x) - 1``, accurate for small ``x``; "
                   "derivative ``exp(x)``.")
log1p = _unary_api(LOG1P, "log1p", "``log(1 + x)``, accurate for small ``x`` (-inf at "
                   "-1, nan below); derivative ``1 / (1 + x)``.")
log2 = _unary_api(LOG2, "log2", "Base-2 logarithm; derivative ``1 / (x log 2)``.")
log10 = _unary_api(LOG10, "log10", "Base-10 logarithm; derivative ``1 / (x log 10)``.")

# ------------------------------------------------- powers and reciprocals ---

RSQRT = defunary("rsqrt", lambda x: 1.0 / np.sqrt(x),
                 lambda F, ans, x: -0.5 * ans ** 3, samples=_unary_samples(0.2, 3.0))
CBRT = defunary("cbrt", np.cbrt, lambda F, ans, x: (1.0 / 3.0) / (ans * ans),
                samples=_unary_samples(0.3, 3.0))
RCBRT = defunary("rcbrt", lambda x: 1.0 / np.cbrt(x),
                 lambda F, ans, x: (-1.0 / 3.0) * ans ** 4, samples=_unary_samples(0.3, 3.0))
RECIPROCAL = defunary("reciprocal", lambda x: 1.0 / x,
                      lambda F, ans, x: -ans * ans, samples=_unary_samples(0.3, 2.0))

rsqrt = _unary_api(RSQRT, "rsqrt", "``1 / sqrt(x)`` (inf at 0); derivative "
                   "``-rsqrt(x)**3 / 2``.")
cbrt = _unary_api(CBRT, "cbrt", "Cube root (negative for negative ``x``); derivative "
                  "``1 / (3 cbrt(x)**2)``, inf at 0 as in MXNet.")
rcbrt = _unary_api(RCBRT, "rcbrt", "``1 / cbrt(x)`` (inf at 0); derivative "
                   "``-rcbrt(x)**4 / 3``.")
reciprocal = _unary_api(RECIPROCAL, "reciprocal", "``1 / x`` (inf at 0; integers are "
                        "divided in floating point and truncated, as in MXNet); "
                        "derivative ``-1 / x**2``.")

# ---------------------------------------------------- special functions ---

def _keeping_dtype(f):
    """``f`` with the input's dtype kept (scipy computes float16 in float32
    and ``polygamma`` in float64; every path must give the input's dtype)."""
    def primal(x, *params):
        return np.asarray(f(x, *params), dtype=x.dtype)
    primal.__name__ = f.__name__
    return primal


@_keeping_dtype
def _polygamma(x, n):
    return scipy.special.psi(x) if n == 0 else scipy.special.polygamma(n, x)


POLYGAMMA = defunary("polygamma", _polygamma,
                     lambda F, ans, x, n: F.polygamma(x, n + 1),
                     samples=lambda rng: [([rng.uniform(0.5, 3.0, (5,))], (0,)),
                                          ([rng.uniform(0.5, 3.0, (2, 3))], (1,))])
extend_math("polygamma", _polygamma, lambda x, n: apply(POLYGAMMA, (x,), (n,)))

ERF = defunary("erf", _keeping_dtype(scipy.special.erf),
               lambda F, ans, x: (2.0 / math.sqrt(math.pi)) * F.exp(-x * x))
ERFINV = defunary("erfinv", _keeping_dtype(scipy.special.erfinv),
                  lambda F, ans, x: (math.sqrt(math.pi) / 2.0) * F.exp(ans * ans),
                  samples=_unary_samples(-0.8, 0.8))
GAMMA = defunary("gamma", _keeping_dtype(scipy.special.gamma),
                 lambda F, ans, x: ans * F.polygamma(x, 0), samples=_unary_samples(0.4, 3.0))
GAMMALN = defunary("gammaln", _keeping_dtype(scipy.special.gammaln),
                   lambda F, ans, x: F.polygamma(x, 0), samples=_unary_samples(0.4, 3.0))

erf = _unary_api(ERF, "erf", "The Gauss error function; derivative "
                 "``2 / sqrt(pi) * exp(-x**2)``.")
erfinv = _unary_api(ERFINV, "erfinv", "The inverse error function (+-inf at +-1, nan "
                    "beyond); derivative ``sqrt(pi) / 2 * exp(erfinv(x)**2)``.")
gamma = _unary_api(GAMMA, "gamma", "The gamma function (nan at negative integers, inf "
                   "at 0); derivative ``gamma(x) * digamma(x)``.")
gammaln = _unary_api(GAMMALN, "gammaln", "``log |gamma(x)|`` (inf at 0 and the negative "
                     "integers); derivative ``digamma(x)``.")

# ---------------------------------------------------------- activations ---

SOFTSIGN = defunary("softsign", lambda x: x / (1.0 + np.abs(x)),
                    lambda F, ans, x: (1.0 + x * F.sign(x)) ** -2)


def _hard_sigmoid(x, alpha, beta):
    return np.clip(alpha * x + beta, 0.0, 1.0)


# samples within [-2, 2]: the drawn tests use the first sample's slope, whose
# corners are at -2.5 and 2.5; the second sample crosses both corners
HARD_SIGMOID = defunary("hard_sigmoid", _hard_sigmoid,
                        lambda F, ans, x, alpha, beta: F.gt(ans, 0.0) * F.lt(ans, 1.0) * alpha,
                        samples=lambda rng: [
                            ([rng.uniform(-2.0, 2.0, (5,))], (0.2, 0.5)),
                            ([np.array([[-1.5, -0.8, -0.2, 0.1], [0.4, 0.9, 1.3, 1.9]])],
                             (1.0, 0.5))])

softsign = _unary_api(SOFTSIGN, "softsign", "``x / (1 + |x|)``; derivative "
                      "``1 / (1 + |x|)**2``.")


def hard_sigmoid(data, alpha=0.2, beta=0.5):
    """``max(0, min(1, alpha * data + beta))``, elementwise.

    The derivative is ``alpha`` where the output is strictly between 0 and 1
    and 0 elsewhere (also where it just reaches 0 or 1, as in MXNet).  Float
    data only, as in MXNet.
    """
    data = as_nd(data)
    if data._data.dtype.kind != "f":
        raise TypeError("hard_sigmoid: data must be a float array, got %s"
                        % data._data.dtype)
    return apply(HARD_SIGMOID, (data,), (float(alpha), float(beta)))


# ------------------------------------------------------------- rounding ---

def _integral(f):
    """A rounding primal: ``f`` on float data, a copy of integer data."""
    def primal(x):
        return f(x) if x.dtype.kind == "f" else x.copy()
    primal.__name__ = f.__name__
    return primal


def _rint(x):
    """MXNet's ``rint``: the nearest integer, halves toward -inf."""
    lo = np.floor(x)
    return np.where(x - lo <= 0.5, lo, np.ceil(x))


RINT = nondiff("rint", _integral(_rint))
FLOOR = nondiff("floor", _integral(np.floor))
CEIL = nondiff("ceil", _integral(np.ceil))
TRUNC = nondiff("trunc", _integral(np.trunc))
FIX = nondiff("fix", _integral(np.trunc))          # np.fix is deprecated; the same values
LOGICAL_NOT = nondiff("logical_not", lambda x: (x == 0).astype(x.dtype))

rint = _unary_api(RINT, "rint", "The nearest integer, halves toward -inf as in MXNet "
                  "(``rint(1.5) == 1``, ``rint(-2.5) == -3``; ``round`` takes halves away "
                  "from zero); zero derivative.")
floor = _unary_api(FLOOR, "floor", "The largest integer not above ``x``; zero "
                   "derivative.")
ceil = _unary_api(CEIL, "ceil", "The smallest integer not below ``x``; zero derivative.")
trunc = _unary_api(TRUNC, "trunc", "``x`` rounded toward zero; zero derivative.")
fix = _unary_api(FIX, "fix", "``x`` rounded toward zero (as ``trunc``); zero derivative.")
logical_not = _unary_api(LOGICAL_NOT, "logical_not", "1 where ``x`` is 0, else 0, in "
                         "``x``'s dtype; zero derivative.")

# --------------------------------------------- MXNet-defined gradients ---

STOP_GRADIENT = nondiff("stop_gradient", lambda x: x.copy())


def stop_gradient(data):
    """A copy of ``data`` that gradients do not flow through (``BlockGrad``):
    zero derivative in both modes, as in MXNet; the result is a constant."""
    return apply(STOP_GRADIENT, (as_nd(data),))


BlockGrad = stop_gradient


def _make_loss_jvp(ts, ans, xs, scale):
    return _scale(ts[0], scale)


def _make_loss_vjp(g, ans, xs, needs, scale):
    return (_const(np.full(g.shape, scale, g._data.dtype)),)


#: The reverse rule is MXNet's, not a derivative (it ignores the head
#: gradient).  The forward rule is its linear counterpart (the tangent times
#: the same scale): both modes agree under a head gradient of ones, the only
#: one MXNet's rule is meant for.
MAKE_LOSS = defloss("make_loss", lambda x, scale: x.copy(), jvp=_make_loss_jvp,
                    vjp=_make_loss_vjp)
_NORMALIZATIONS = ("batch", "null", "valid")


def MakeLoss(data, grad_scale=1.0, valid_thresh=0.0, normalization="null"):  # noqa: N802
    """A copy of ``data`` that, as a loss, ignores the head gradient (MXNet).

    Its gradient is ``grad_scale`` times ones of ``data``'s shape, whatever
    gradient arrives from above, divided according to ``normalization``:

    ``'null'``
        not divided;
    ``'batch'``
        divided by the batch size ``data.shape[0]`` (MXNet 1.9.1 divides by
        the product of every axis but the last, 1 for a 1-d array, contrary
        to its documentation);
    ``'valid'``
        divided by the number of elements greater than ``valid_thresh`` (at
        least 1).

    MXNet's gradient, not the mathematical one.  In forward mode the tangent
    is multiplied by the same factor.
    """
    data = as_nd(data)
    if normalization not in _NORMALIZATIONS:
        raise ValueError("MakeLoss: normalization must be one of %s, got %r"
                         % (", ".join(repr(n) for n in _NORMALIZATIONS), normalization))
    scale = float(grad_scale)
    if normalization == "batch":
        scale /= max(data.shape[0], 1) if data.ndim else 1
    elif normalization == "valid":
        scale /= max(int(np.count_nonzero(data._data > valid_thresh)), 1)
    return apply(MAKE_LOSS, (data,), (scale,))


def make_loss(data):
    """A copy of ``data`` whose gradient is ones, ignoring the head gradient:
    ``MakeLoss`` with its defaults (MXNet's ``make_loss`` takes no options;
    use ``MakeLoss`` for ``grad_scale`` and ``normalization``).  MXNet's
    gradient, not the mathematical one."""
    return MakeLoss(data)


__all__ = ["arccos", "arccosh", "arcsin", "arcsinh", "arctan", "arctanh", "BlockGrad",
           "cbrt", "ceil", "cosh", "degrees", "erf", "erfinv", "expm1", "fix", "floor",
           "gamma", "gammaln", "hard_sigmoid", "log10", "log1p", "log2", "logical_not",
           "make_loss", "MakeLoss", "radians", "rcbrt", "reciprocal", "rint", "rsqrt",
           "sinh", "softsign", "stop_gradient", "tan", "trunc"]

#: MXNet's NDArray methods among these.
METHODS = ("arccos", "arccosh", "arcsin", "arcsinh", "arctan", "arctanh", "cbrt", "ceil",
           "cosh", "degrees", "expm1", "fix", "floor", "log10", "log1p", "log2", "radians",
           "rcbrt", "reciprocal", "rint", "rsqrt", "sinh", "tan", "trunc")
