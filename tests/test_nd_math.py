"""The elementwise math group: unary math functions, rounding, stop_gradient
and MakeLoss, the broadcast_* / elemwise_* families, hypot, logical ops,
modulo and add_n.  Values, dtypes, gradients and errors against MXNet 1.9.1
(recorded literals) and numpy/scipy formulas; the registry sweeps check the
derivatives to second order."""
import math
import warnings

import numpy as np
import pytest
import scipy.special

import dualtape as dt
from dualtape import autograd, nd
from dualtape.ops import math as nd_math

from helpers import check

nan, inf = np.nan, np.inf
INT_MIN = -2147483648


def _grad(f, *xs, head=None, dtype="float32"):
    """Value of ``f`` and the gradients of each input (MXNet's recording API)."""
    xs = [nd.array(x, dtype=dtype) for x in xs]
    for x in xs:
        x.attach_grad()
    with autograd.record():
        y = f(*xs)
    y.backward() if head is None else y.backward(nd.array(head, dtype=dtype))
    return y, [x.grad for x in xs]


def _quiet(f, *args):
    """``f(*args)`` without numpy's warnings about values out of a domain."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return f(*args)


# ------------------------------------------------------------ unary math ---

#: name: (input, value, gradient under a head of ones), float32, MXNet 1.9.1
MXNET_UNARY = {
    "tan": ([-1.2, -0.3, 0.0, 0.5, 1.4],
            [-2.5721518993377686, -0.30933627486228943, 0.0, 0.5463024973869324,
             5.797883033752441],
            [7.615965366363525, 1.0956889390945435, 1.0, 1.2984464168548584,
             34.615447998046875]),
    "arcsin": ([-1.0, -0.5, 0.0, 0.7, 1.0, 1.5],
               [-1.5707963705062866, -0.5235987901687622, 0.0, 0.7753974795341492,
                1.5707963705062866, nan],
               [inf, 1.154700517654419, 1.0, 1.4002799987792969, inf, nan]),
    "arccos": ([-1.0, -0.5, 0.0, 0.7, 1.0, 1.5],
               [3.1415927410125732, 2.094395160675049, 1.5707963705062866,
                0.7953988313674927, 0.0, nan],
               [-inf, -1.154700517654419, -1.0, -1.4002799987792969, -inf, nan]),
    "arctan": ([-10.0, -0.5, 0.0, 0.7, 3.0],
               [-1.4711276292800903, -0.46364760398864746, 0.0, 0.6107259392738342,
                1.249045729637146],
               [0.009900989942252636, 0.800000011920929, 1.0, 0.6711409091949463,
                0.10000000149011612]),
    "sinh": ([-3.0, -0.5, 0.0, 0.7, 2.0],
             [-10.017874717712402, -0.5210952758789062, 0.0, 0.758583664894104,
              3.6268603801727295],
             [10.067662239074707, 1.1276259422302246, 1.0, 1.2551690340042114,
              3.7621958255767822]),
    "cosh": ([-3.0, -0.5, 0.0, 0.7, 2.0],
             [10.067662239074707, 1.1276259422302246, 1.0, 1.2551690340042114,
              3.7621958255767822],
             [-10.017874717712402, -0.5210952758789062, 0.0, 0.758583664894104,
              3.6268603801727295]),
    "arcsinh": ([-3.0, -0.5, 0.0, 0.7, 2.0],
                [-1.8184465169906616, -0.4812118411064148, 0.0, 0.6526665687561035,
                 1.4436354637145996],
                [0.3162277638912201, 0.8944271802902222, 1.0, 0.8192319273948669,
                 0.4472135901451111]),
    "arccosh": ([0.5, 1.0, 1.5, 3.0],
                [nan, 0.0, 0.9624236822128296, 1.7627471685409546],
                [nan, inf, 0.8944271802902222, 0.3535533845424652]),
    "arctanh": ([-1.0, -0.5, 0.0, 0.7, 1.0, 1.5],
                [-inf, -0.5493061542510986, 0.0, 0.8673005104064941, inf, nan],
                [inf, 1.3333333730697632, 1.0, 1.9607843160629272, inf, -0.800000011920929]),
    "expm1": ([-2.0, -1e-05, 0.0, 1e-06, 1.5],
              [-0.8646647334098816, -9.999949725170154e-06, 0.0, 1.0000004522225936e-06,
               3.481688976287842],
              [0.1353352814912796, 0.9999899864196777, 1.0, 1.0000009536743164,
               4.481688976287842]),
    "log1p": ([-2.0, -1.0, -0.5, 0.0, 1e-06, 3.0],
              [nan, -inf, -0.6931471824645996, 0.0, 9.999995427278918e-07,
               1.3862943649291992],
              [-1.0, inf, 2.0, 1.0, 0.9999990463256836, 0.25]),
    "log2": ([-1.0, 0.0, 0.5, 2.0, 10.0],
             [nan, -inf, -1.0, 1.0, 3.321928024291992],
             [-1.4426950216293335, inf, 2.885390043258667, 0.7213475108146667,
              0.14426949620246887]),
    "log10": ([-1.0, 0.0, 0.5, 2.0, 1000.0],
              [nan, -inf, -0.3010300099849701, 0.3010300099849701, 3.0],
              [-0.4342944920063019, inf, 0.8685889840126038, 0.21714724600315094,
               0.0004342944885138422]),
    "rsqrt": ([-1.0, 0.0, 0.25, 2.0, 9.0],
              [nan, inf, 2.0, 0.7071067690849304, 0.3333333432674408],
              [nan, -inf, -4.0, -0.1767766922712326, -0.018518518656492233]),
    "cbrt": ([-27.0, -0.5, 0.0, 2.0, 8.0],
             [-3.0, -0.7937005162239075, 0.0, 1.2599210739135742, 2.0],
             [0.03703703731298447, 0.529133677482605, inf, 0.2099868357181549,
              0.0833333358168602]),
    "rcbrt": ([-27.0, -0.5, 0.0, 2.0, 8.0],
              [-0.3333333432674408, -1.2599210739135742, inf, 0.7937005162239075, 0.5],
              [-0.004115226212888956, -0.8399473428726196, -inf, -0.13228341937065125,
               -0.02083333395421505]),
    "reciprocal": ([-4.0, -0.5, 0.0, 2.0, 3.0],
                   [-0.25, -2.0, inf, 0.5, 0.3333333432674408],
                   [-0.0625, -4.0, -inf, -0.25, -0.1111111119389534]),
    "erf": ([-2.0, -0.5, 0.0, 0.3, 1.5],
            [-0.9953222870826721, -0.5204998850822449, 0.0, 0.3286267817020416,
             0.9661051630973816],
            [0.02066698484122753, 0.8787825703620911, 1.1283791065216064,
             1.0312608480453491, 0.11893028020858765]),
    "erfinv": ([-1.0, -0.9, -0.2, 0.0, 0.5, 1.0, 1.5],
               [-inf, -1.1630871295928955, -0.17914345860481262, 0.0, 0.4769362807273865,
                inf, nan],
               [inf, 3.428042411804199, 0.9151294231414795, 0.8862269520759583,
                1.1125849485397339, inf, nan]),
    # the gradients of gamma and gammaln at their poles (0, -1) are not
    # compared: MXNet gives +inf, scipy's digamma -inf (the limit from the
    # right) or nan
    "gamma": ([-2.5, -1.0, 0.0, 0.5, 1.0, 4.5],
              [-0.9453086256980896, nan, inf, 1.772453784942627, 1.0, 11.631729125976562],
              [-1.0428236722946167, nan, None, -3.480232000350952, -0.5772156715393066,
               16.154972076416016]),
    "gammaln": ([-2.5, -1.0, 0.0, 0.5, 1.0, 4.5],
                [-0.056243713945150375, inf, inf, 0.5723649263381958, 0.0,
                 2.4537367820739746],
                [1.1031568050384521, None, None, -1.9635107517242432, -0.5772156715393066,
                 1.3888710737228394]),
    "softsign": ([-3.0, -0.5, 0.0, 0.7, 2.0],
                 [-0.75, -0.3333333432674408, 0.0, 0.4117646813392639, 0.6666666865348816],
                 [0.0625, 0.4444444477558136, 1.0, 0.34602075815200806, 0.1111111119389534]),
    "hard_sigmoid": ([-3.0, -2.5, -1.0, 0.0, 1.2, 2.5, 4.0],
                     [0.0, 0.0, 0.30000001192092896, 0.5, 0.7400000095367432, 1.0, 1.0],
                     [0.0, 0.0, 0.20000000298023224, 0.20000000298023224,
                      0.20000000298023224, 0.0, 0.0]),
    "degrees": ([-3.14159265, 0.0, 1.0, 6.0],
                [-180.0, 0.0, 57.2957763671875, 343.774658203125],
                [57.2957763671875] * 4),
    "radians": ([-180.0, 0.0, 1.0, 90.0],
                [-3.1415927410125732, 0.0, 0.01745329238474369, 1.5707963705062866],
                [0.01745329238474369] * 4),
}


@pytest.mark.parametrize("name", sorted(MXNET_UNARY))
def test_unary_values_and_gradients_match_mxnet(name):
    x, want, want_grad = MXNET_UNARY[name]
    y, (g,) = _quiet(_grad, getattr(nd, name), x)
    check(y, want, np.float32, rtol=2e-6, atol=0)
    known = [w is not None for w in want_grad]
    np.testing.assert_allclose(g.asnumpy()[known], np.array(want_grad)[known].astype(float),
                               rtol=2e-6, atol=0)


#: float64 formulas (numpy and scipy), and each op's derivative
FORMULAS = {
    "tan": (np.tan, lambda x: 1 / np.cos(x) ** 2),
    "arcsin": (np.arcsin, lambda x: 1 / np.sqrt(1 - x * x)),
    "arccos": (np.arccos, lambda x: -1 / np.sqrt(1 - x * x)),
    "arctan": (np.arctan, lambda x: 1 / (1 + x * x)),
    "sinh": (np.sinh, np.cosh),
    "cosh": (np.cosh, np.sinh),
    "arcsinh": (np.arcsinh, lambda x: 1 / np.sqrt(x * x + 1)),
    "arctanh": (np.arctanh, lambda x: 1 / (1 - x * x)),
    "expm1": (np.expm1, np.exp),
    "log1p": (np.log1p, lambda x: 1 / (1 + x)),
    "log2": (np.log2, lambda x: 1 / (x * math.log(2))),
    "log10": (np.log10, lambda x: 1 / (x * math.log(10))),
    "rsqrt": (lambda x: x ** -0.5, lambda x: -0.5 * x ** -1.5),
    "cbrt": (np.cbrt, lambda x: np.cbrt(x) ** -2 / 3),
    "rcbrt": (lambda x: 1 / np.cbrt(x), lambda x: -np.cbrt(x) ** -4 / 3),
    "reciprocal": (lambda x: 1 / x, lambda x: -1 / (x * x)),
    "erf": (scipy.special.erf, lambda x: 2 / np.sqrt(np.pi) * np.exp(-x * x)),
    "erfinv": (scipy.special.erfinv,
               lambda x: np.sqrt(np.pi) / 2 * np.exp(scipy.special.erfinv(x) ** 2)),
    "gamma": (scipy.special.gamma, lambda x: scipy.special.gamma(x) * scipy.special.digamma(x)),
    "gammaln": (scipy.special.gammaln, scipy.special.digamma),
    "softsign": (lambda x: x / (1 + abs(x)), lambda x: (1 + abs(x)) ** -2),
    "degrees": (np.degrees, lambda x: np.full_like(x, 180 / np.pi)),
    "radians": (np.radians, lambda x: np.full_like(x, np.pi / 180)),
}


@pytest.mark.parametrize("name", sorted(FORMULAS))
def test_unary_float64_values_and_gradients_against_formulas(name):
    f, df = FORMULAS[name]
    x = np.array([[0.15, 0.4, 0.55], [0.7, 0.85, 0.95]])
    y, (g,) = _grad(getattr(nd, name), x, dtype="float64")
    check(y, f(x), np.float64, rtol=1e-13, atol=0)
    check(g, df(x), np.float64, rtol=1e-12, atol=0)


def test_arccosh_float64_and_negative_cube_roots():
    x = np.array([1.2, 2.0, 5.0])
    y, (g,) = _grad(nd.arccosh, x, dtype="float64")
    check(y, np.arccosh(x), np.float64, rtol=1e-14)
    check(g, 1 / np.sqrt(x * x - 1), np.float64, rtol=1e-13)
    x = np.array([-8.0, -0.125])
    y, (g,) = _grad(nd.cbrt, x, dtype="float64")
    check(y, [-2.0, -0.5], np.float64)
    check(g, [1 / 12, 4 / 3], np.float64, rtol=1e-14)
    y, (g,) = _grad(nd.rcbrt, x, dtype="float64")
    check(y, [-0.5, -2.0], np.float64)
    check(g, [-1 / 48, -16 / 3], np.float64, rtol=1e-14)


#: Integer input: computed in floating point, cast back (MXNet 1.9.1, int32
#: [-3, -1, 0, 1, 2, 5]); INT_MIN is the cast of nan and inf.
MXNET_INT32 = {
    "tan": [0, -1, 0, 1, -2, -3],
    "arcsin": [INT_MIN, -1, 0, 1, INT_MIN, INT_MIN],
    "arccos": [INT_MIN, 3, 1, 0, INT_MIN, INT_MIN],
    "arctan": [-1, 0, 0, 0, 1, 1],
    "sinh": [-10, -1, 0, 1, 3, 74],
    "cosh": [10, 1, 1, 1, 3, 74],
    "arcsinh": [-1, 0, 0, 0, 1, 2],
    "arccosh": [INT_MIN, INT_MIN, INT_MIN, 0, 1, 2],
    "arctanh": [INT_MIN, INT_MIN, 0, INT_MIN, INT_MIN, INT_MIN],
    "expm1": [0, 0, 0, 1, 6, 147],
    "log1p": [INT_MIN, INT_MIN, 0, 0, 1, 1],
    "log2": [INT_MIN, INT_MIN, INT_MIN, 0, 1, 2],
    "log10": [INT_MIN, INT_MIN, INT_MIN, 0, 0, 0],
    "rsqrt": [INT_MIN, INT_MIN, INT_MIN, 1, 0, 0],
    "cbrt": [-1, -1, 0, 1, 1, 1],
    "rcbrt": [0, -1, INT_MIN, 1, 0, 0],
    "reciprocal": [0, -1, INT_MIN, 1, 0, 0],
    "erf": [0, 0, 0, 0, 0, 0],
    "gamma": [INT_MIN, INT_MIN, INT_MIN, 1, 1, 24],
    "gammaln": [INT_MIN, INT_MIN, INT_MIN, 0, 0, 3],
    "softsign": [0, 0, 0, 0, 0, 0],
    "degrees": [-171, -57, 0, 57, 114, 286],
    "radians": [0, 0, 0, 0, 0, 0],
    "rint": [-3, -1, 0, 1, 2, 5],
    "floor": [-3, -1, 0, 1, 2, 5],
    "ceil": [-3, -1, 0, 1, 2, 5],
    "trunc": [-3, -1, 0, 1, 2, 5],
    "fix": [-3, -1, 0, 1, 2, 5],
    "logical_not": [0, 0, 1, 0, 0, 0],
}


@pytest.mark.parametrize("name", sorted(MXNET_INT32))
def test_integer_input_keeps_its_dtype_as_mxnet(name):
    x = nd.array([-3, -1, 0, 1, 2, 5], dtype="int32")
    check(_quiet(getattr(nd, name), x), MXNET_INT32[name], np.int32, rtol=0, atol=0)


@pytest.mark.parametrize("name", ["erf", "erfinv", "gamma", "gammaln", "tan", "rsqrt",
                                  "softsign", "hard_sigmoid"])
@pytest.mark.parametrize("dtype", [np.float16, np.float32, np.float64])
def test_float_dtypes_are_kept_on_every_path(name, dtype):
    x = nd.array([0.2, 0.6], dtype=dtype)
    assert getattr(nd, name)(x).dtype == dtype
    g = dt.grad(lambda v: getattr(nd, name)(v).sum())(x)
    _, t = dt.jvp(getattr(nd, name), [x], [nd.ones((2,), dtype=dtype)])
    assert g.dtype == dtype and t.dtype == dtype
    np.testing.assert_allclose(g.asnumpy(), t.asnumpy(), rtol=1e-6)


@pytest.mark.parametrize("name", sorted(FORMULAS))
def test_0d_and_empty_inputs(name):
    f = getattr(nd, name)
    r = f(nd.array(0.5))
    assert r.shape == () and r.dtype == np.float32
    np.testing.assert_allclose(r.asnumpy(), f(nd.array([0.5])).asnumpy()[0])
    e = f(nd.zeros((0, 3)))
    assert e.shape == (0, 3) and e.dtype == np.float32


def test_second_derivatives_of_the_special_functions():
    x = nd.array([0.7, 1.6], dtype="float64")
    for f, d2 in ((nd.gammaln, scipy.special.polygamma(1, [0.7, 1.6])),
                  (nd.erf, -4 / np.sqrt(np.pi) * np.array([0.7, 1.6]) * np.exp(
                      -np.array([0.7, 1.6]) ** 2))):
        x.attach_grad()
        with autograd.record():
            g, = autograd.grad(f(x).sum(), [x], create_graph=True)
        g.backward()
        check(x.grad, d2, np.float64, rtol=1e-12)
    h = dt.hessian(lambda v: nd.gamma(v).sum())(nd.array([2.5], dtype="float64"))
    want = scipy.special.gamma(2.5) * (scipy.special.digamma(2.5) ** 2
                                       + scipy.special.polygamma(1, 2.5))
    np.testing.assert_allclose(h.asnumpy().ravel(), [want], rtol=1e-12)


# ---------------------------------------------------------- hard_sigmoid ---

def test_hard_sigmoid_options_and_gradient_at_the_corners():
    x = [-1.0, 0.0, 0.5, 1.0, 2.0]
    y, (g,) = _grad(lambda v: nd.hard_sigmoid(v, alpha=1.0, beta=0.0), x)
    check(y, [0.0, 0.0, 0.5, 1.0, 1.0], np.float32)          # MXNet 1.9.1
    check(g, [0.0, 0.0, 1.0, 0.0, 0.0], np.float32)          # MXNet 1.9.1
    check(nd.hard_sigmoid(nd.ones(2), 0.3, 0.2), [0.5, 0.5], np.float32)  # positional
    with pytest.raises(TypeError, match="hard_sigmoid: data must be a float array"):
        nd.hard_sigmoid(nd.array([1, 2], dtype="int32"))


# -------------------------------------------------------------- rounding ---

HALVES = [-2.5, -1.5, -0.5, 0.5, 1.5, 2.5, 0.49, -0.51, -0.49, 3.7, -3.7]
#: MXNet 1.9.1 (float32); the sign of zero is compared too
MXNET_ROUNDING = {
    "rint": [-3.0, -2.0, -1.0, 0.0, 1.0, 2.0, 0.0, -1.0, -0.0, 4.0, -4.0],
    "round": [-3.0, -2.0, -1.0, 1.0, 2.0, 3.0, 0.0, -1.0, -0.0, 4.0, -4.0],
    "fix": [-2.0, -1.0, -0.0, 0.0, 1.0, 2.0, 0.0, -0.0, -0.0, 3.0, -3.0],
    "trunc": [-2.0, -1.0, -0.0, 0.0, 1.0, 2.0, 0.0, -0.0, -0.0, 3.0, -3.0],
    "floor": [-3.0, -2.0, -1.0, 0.0, 1.0, 2.0, 0.0, -1.0, -1.0, 3.0, -4.0],
    "ceil": [-2.0, -1.0, -0.0, 1.0, 2.0, 3.0, 1.0, -0.0, -0.0, 4.0, -3.0],
    "logical_not": [0.0] * 11,
    "sign": [-1.0, -1.0, -1.0, 1.0, 1.0, 1.0, 1.0, -1.0, -1.0, 1.0, -1.0],
}


@pytest.mark.parametrize("name", sorted(MXNET_ROUNDING))
def test_rounding_matches_mxnet_and_has_zero_derivative(name):
    f = getattr(nd, name)
    want = MXNET_ROUNDING[name]
    y, (g,) = _grad(lambda v: f(v) * v, HALVES)      # f(v) is a constant
    got = f(nd.array(HALVES)).asnumpy()
    np.testing.assert_array_equal(got, want)
    np.testing.assert_array_equal(np.signbit(got), np.signbit(want))
    check(g, want, np.float32, rtol=0, atol=0)
    _, t = dt.jvp(f, [nd.array(HALVES)], [nd.ones(11)])
    check(t, np.zeros(11), np.float32, rtol=0, atol=0)


def test_rounding_keeps_large_values_and_special_values():
    x = np.array([8388609.0, -8388609.0, 2.0 ** 52 + 1, nan, inf, -inf])
    for name in ("rint", "floor", "ceil", "trunc", "fix"):
        got = _quiet(getattr(nd, name), nd.array(x, dtype="float64")).asnumpy()
        np.testing.assert_array_equal(got, x)
    check(nd.logical_not(nd.array([nan, 0.0, -0.0, 3.0])), [0, 1, 1, 0], np.float32)
    check(nd.logical_not(nd.array([0, 1, 2], dtype="uint8")), [1, 0, 0], np.uint8)


# ----------------------------------------------------- stop_gradient etc. ---

def test_stop_gradient_blocks_the_gradient_in_both_modes():
    x = [[1.0, -2.0, 3.0], [0.5, 0.0, -1.0]]
    h = [[2.0, 2.0, 2.0], [3.0, 3.0, 3.0]]
    y, (g,) = _grad(lambda v: nd.stop_gradient(v * 2) + v, x, head=h)
    check(y, np.array(x) * 3, np.float32)
    check(g, h, np.float32)                                    # MXNet 1.9.1
    y, (g,) = _grad(lambda v: nd.BlockGrad(v * 2) * v, x, head=h)
    check(g, [[4.0, -8.0, 12.0], [3.0, 0.0, -6.0]], np.float32)  # MXNet 1.9.1
    _, t = dt.jvp(nd.stop_gradient, [nd.array(x)], [nd.ones((2, 3))])
    check(t, np.zeros((2, 3)), np.float32)
    assert nd.BlockGrad is nd.stop_gradient


def test_stop_gradient_returns_a_copy():
    x = nd.array([1.0, 2.0])
    y = nd.stop_gradient(x)
    y[:] = 5.0
    check(x, [1.0, 2.0])
    check(nd.stop_gradient(nd.array([1, 2], dtype="int32")), [1, 2], np.int32)


X23 = [[1.0, -2.0, 3.0], [0.5, 0.0, -1.0]]
H23 = [[2.0, 2.0, 2.0], [3.0, 3.0, 3.0]]


@pytest.mark.parametrize("kwargs,grad", [
    # MXNet 1.9.1, gradient of MakeLoss(x * 2, **kwargs) under head gradient H23
    ({}, 2.0), ({"grad_scale": 0.5}, 1.0), ({"normalization": "batch"}, 1.0),
    ({"normalization": "null", "grad_scale": 3}, 6.0)])
def test_makeloss_ignores_the_head_gradient(kwargs, grad):
    y, (g,) = _grad(lambda v: nd.MakeLoss(v * 2, **kwargs), X23, head=H23)
    check(y, np.array(X23) * 2, np.float32)
    check(g, np.full((2, 3), grad), np.float32)


@pytest.mark.parametrize("thresh,scale,grad", [
    # MXNet 1.9.1, gradient of MakeLoss(x, normalization='valid', ...)
    (0.0, 1.0, 1 / 3), (0.7, 1.0, 0.5), (0.7, 3.0, 1.5), (1.0, 1.0, 1.0), (-1.5, 1.0, 0.2),
    (10.0, 1.0, 1.0)])
def test_makeloss_valid_normalization(thresh, scale, grad):
    _, (g,) = _grad(lambda v: nd.MakeLoss(v, valid_thresh=thresh, grad_scale=scale,
                                          normalization="valid"), X23, head=H23)
    check(g, np.full((2, 3), grad), np.float32)


def test_makeloss_batch_normalization_divides_by_the_first_axis():
    """MXNet 1.9.1 divides by the product of all axes but the last (1/8 for
    (4, 2, 3), nothing for a 1-d array), against its documentation."""
    for shape, grad in (((4, 2, 3), 0.25), ((4, 5), 0.25), ((5,), 0.2), ((), 1.0),
                        ((0, 3), 1.0)):
        _, (g,) = _grad(lambda v: nd.MakeLoss(v, normalization="batch"), np.ones(shape))
        check(g, np.full(shape, grad), np.float32)


def test_make_loss_is_makeloss_with_defaults():
    y, (g,) = _grad(lambda v: nd.make_loss(v * 2) * 3, X23, head=H23)
    check(g, np.full((2, 3), 2.0), np.float32)                   # MXNet 1.9.1
    y, (g,) = _grad(lambda v: nd.make_loss(v), X23, dtype="float64")
    check(y, X23, np.float64)
    check(g, np.ones((2, 3)), np.float64)                        # MXNet 1.9.1
    check(nd.make_loss(nd.array([-3, 1], dtype="int32")), [-3, 1], np.int32)
    with pytest.raises(TypeError):
        nd.make_loss(nd.ones(2), grad_scale=2.0)     # MXNet ignores it silently


def test_makeloss_errors_forward_mode_and_higher_order():
    with pytest.raises(ValueError, match=r"MakeLoss: normalization must be one of "
                                         r"'batch', 'null', 'valid', got 'foo'"):
        nd.MakeLoss(nd.ones(2), normalization="foo")
    x = nd.array([1.0, 2.0], dtype="float64")
    _, t = dt.jvp(lambda v: nd.MakeLoss(v, 0.5), [x], [nd.array([2.0, -4.0], dtype="float64")])
    check(t, [1.0, -2.0], np.float64)
    # the gradient of a loss built on f(x) is f'(x) * scale, itself differentiable
    x.attach_grad()
    with autograd.record():
        g, = autograd.grad(nd.MakeLoss(x ** 3, grad_scale=0.5), [x], create_graph=True)
    g.backward()
    check(g, 1.5 * np.array([1.0, 4.0]), np.float64)
    check(x.grad, 3.0 * np.array([1.0, 2.0]), np.float64)
    assert dt.REGISTRY["make_loss"].kind == "loss"   # its reverse rule is MXNet's


# ------------------------------------------------------- fluent methods ---

@pytest.mark.parametrize("name", nd_math.METHODS + ("sign", "round"))
def test_fluent_methods(name):
    x = nd.array([[0.3, 1.5], [2.5, 4.0]])
    np.testing.assert_array_equal(_quiet(lambda: getattr(x, name)()).asnumpy(),
                                  _quiet(getattr(nd, name), x).asnumpy())


def test_exports_and_aliases():
    for name in nd_math.__all__:
        assert getattr(nd, name) is getattr(nd_math, name)
    assert nd.broadcast_plus is nd.broadcast_add and nd.broadcast_minus is nd.broadcast_sub
    assert nd.ElementWiseSum is nd.add_n
    assert not hasattr(nd.ones(2), "erf")        # not an NDArray method in MXNet


# ---------------------------------------------------- broadcast_* family ---

A = np.array([[1.0, -2.0, 3.0], [4.0, 5.0, -6.0]])
B = np.array([2.0, -3.0, 4.0])
C = np.array([[2.0], [-4.0]])

BROADCAST = {
    "broadcast_add": np.add, "broadcast_plus": np.add, "broadcast_sub": np.subtract,
    "broadcast_minus": np.subtract, "broadcast_mul": np.multiply,
    "broadcast_div": np.true_divide, "broadcast_power": np.power,
    "broadcast_maximum": np.maximum, "broadcast_minimum": np.minimum,
    "broadcast_hypot": np.hypot, "broadcast_mod": np.mod,
    "broadcast_equal": np.equal, "broadcast_not_equal": np.not_equal,
    "broadcast_greater": np.greater, "broadcast_greater_equal": np.greater_equal,
    "broadcast_lesser": np.less, "broadcast_lesser_equal": np.less_equal,
    "broadcast_logical_and": np.logical_and, "broadcast_logical_or": np.logical_or,
    "broadcast_logical_xor": np.logical_xor,
}


@pytest.mark.parametrize("name", sorted(BROADCAST))
@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_broadcast_family_values(name, dtype):
    f = getattr(nd, name)
    a = np.abs(A) if name == "broadcast_power" else A
    for other in (B, C, A):
        got = f(nd.array(a, dtype=dtype), nd.array(other, dtype=dtype))
        want = BROADCAST[name](a, other).astype(dtype)
        check(got, want, np.dtype(dtype).type, rtol=1e-6, atol=0)


def test_broadcast_family_mxnet_values():
    a, b, c = nd.array(A), nd.array(B), nd.array(C)
    # MXNet 1.9.1
    check(nd.broadcast_add(a, c), [[3.0, 0.0, 5.0], [0.0, 1.0, -10.0]])
    check(nd.broadcast_mod(a, b), [[1.0, -2.0, 3.0], [0.0, -1.0, 2.0]])
    check(nd.broadcast_power(a, b), [[1.0, -0.125, 81.0], [16.0, 0.008, 1296.0]])
    check(nd.broadcast_hypot(a, c), [[2.2360680103302, 2.8284270763397217, 3.605551242828369],
                                     [5.656854152679443, 6.4031243324279785, 7.211102485656738]])
    check(nd.broadcast_logical_xor(nd.array([2.0, 0.0, 0.0]), nd.array([-1.0, 0.0, 1.0])),
          [0.0, 0.0, 1.0], np.float32)
    check(nd.broadcast_logical_or(nd.array([nan, 0.0, 0.0]), nd.array([0.0, 0.0, nan])),
          [1.0, 0.0, 1.0], np.float32)
    i = nd.array([-3, -1, 0, 1, 2, 5], dtype="int32")
    check(nd.broadcast_logical_and(i, nd.array([0, 0, 1, 1, 2, 0], dtype="int32")),
          [0, 0, 0, 1, 1, 0], np.int32)
    check(nd.broadcast_div(i, nd.full((6,), 2, dtype="int32")), [-1, 0, 0, 0, 1, 2], np.int32)
    check(nd.broadcast_power(i, nd.full((6,), 2, dtype="int32")), [9, 1, 0, 1, 4, 25],
          np.int32)
    check(nd.broadcast_hypot(i, nd.ones((6,), dtype="int32")), [3, 1, 1, 1, 2, 5], np.int32)
    check(nd.broadcast_sub(nd.array([1, 2], dtype="uint8"), nd.array([3, 3], dtype="uint8")),
          [254, 255], np.uint8)
    check(nd.broadcast_add(nd.ones((2, 1, 3)), nd.ones((4, 1))), np.full((2, 4, 3), 2.0))
    assert nd.broadcast_add(nd.zeros((0, 3)), b).shape == (0, 3)


def test_broadcast_family_gradients():
    # MXNet 1.9.1: ties go to the left operand
    _, (ga, gb) = _grad(nd.broadcast_maximum, [[1.0, 2.0], [3.0, 4.0]], [1.0, 4.0])
    check(ga, [[1.0, 0.0], [1.0, 1.0]])
    check(gb, [0.0, 1.0])
    _, (ga, gb) = _grad(nd.broadcast_minimum, [[1.0, 2.0], [3.0, 4.0]], [1.0, 4.0])
    check(ga, [[1.0, 1.0], [0.0, 1.0]])
    check(gb, [1.0, 0.0])
    _, (ga, gb) = _grad(nd.broadcast_mod, [[5.5, -5.5]], [2.0, 2.0])
    check(ga, [[1.0, 1.0]])
    check(gb, [-2.0, 3.0])
    _, (ga, gb) = _grad(nd.broadcast_power, [[2.0, 3.0]], [2.0, 0.5])
    check(ga, [[4.0, 0.28867512941360474]])
    check(gb, [2.7725887298583984, 1.9028522968292236])
    _, (ga, gc) = _grad(nd.broadcast_mul, A, C, dtype="float64")
    check(ga, np.broadcast_to(C, A.shape), np.float64)
    check(gc, A.sum(axis=1, keepdims=True), np.float64)
    _, (ga, gb) = _grad(nd.broadcast_div, A, B, dtype="float64")
    check(ga, np.broadcast_to(1 / B, A.shape), np.float64)
    check(gb, (-A / B ** 2).sum(axis=0), np.float64)
    for name in ("broadcast_equal", "broadcast_logical_and", "broadcast_lesser"):
        f = getattr(nd, name)       # 0/1 values, constants on the tape
        _, (ga, gb) = _grad(lambda a, b: f(a, b) * a + b, A, B)
        check(ga, BROADCAST[name](A, B))
        check(gb, [2.0, 2.0, 2.0])


@pytest.mark.parametrize("name", sorted(BROADCAST))
def test_broadcast_family_errors(name):
    f = getattr(nd, name)
    a = nd.array(A)
    name = f.__name__               # broadcast_plus and _minus are aliases
    with pytest.raises(TypeError, match=name + ": rhs must be an NDArray, got int"):
        f(a, 2)
    with pytest.raises(TypeError, match=name + ": lhs must be an NDArray, got ndarray"):
        f(A, a)
    with pytest.raises(TypeError, match=name + ": operands have different dtypes"):
        f(a, nd.array(B, dtype="float64"))
    with pytest.raises(ValueError, match=name + r": shapes \(2, 3\) and \(3, 2\) do not "
                                               "broadcast"):
        f(a, nd.ones((3, 2)))


# ----------------------------------------------------- elemwise_* family ---

@pytest.mark.parametrize("name,ufunc", [("elemwise_add", np.add),
                                        ("elemwise_sub", np.subtract),
                                        ("elemwise_mul", np.multiply),
                                        ("elemwise_div", np.true_divide)])
def test_elemwise_family(name, ufunc):
    f = getattr(nd, name)
    b = A[::-1] + 10.0
    y, (ga, gb) = _grad(f, A, b, dtype="float64")
    check(y, ufunc(A, b), np.float64)
    eps = 1e-6
    check(ga, (ufunc(A + eps, b) - ufunc(A - eps, b)) / (2 * eps), np.float64, rtol=1e-6)
    check(gb, (ufunc(A, b + eps) - ufunc(A, b - eps)) / (2 * eps), np.float64, rtol=1e-6)
    with pytest.raises(ValueError, match=r"%s: shapes \(2, 3\) and \(3,\) differ; %s needs "
                                         "arrays of one shape" % (name, name)):
        f(nd.array(A), nd.array(B))
    with pytest.raises(ValueError, match="differ"):
        f(nd.array(A), nd.array(C))
    with pytest.raises(TypeError, match=name + ": rhs must be an NDArray"):
        f(nd.array(A), 2)
    with pytest.raises(TypeError, match="different dtypes"):
        f(nd.array(A), nd.array(A, dtype="float64"))


def test_elemwise_div_truncates_integers():
    check(nd.elemwise_div(nd.array([7, -7], dtype="int32"), nd.array([2, 2], dtype="int32")),
          [3, -3], np.int32)                                     # MXNet 1.9.1
    check(nd.elemwise_sub(nd.array([1, 2], dtype="int32"), nd.array([3, 3], dtype="int32")),
          [-2, -1], np.int32)


# ------------------------------------------------------------ hypot etc. ---

def test_hypot():
    a, b = nd.array([[3.0, 0.0], [1.0, 0.0]]), nd.array([4.0, 0.0])
    y, (ga, gb) = _grad(nd.hypot, a.asnumpy(), b.asnumpy())
    check(y, [[5.0, 0.0], [4.123105625617661, 0.0]])
    # MXNet 1.9.1 gives these where the legs are not both 0, and nan there
    check(ga, [[0.6, 0.0], [0.24253563582897186, 0.0]])
    check(gb, [1.7701425552368164, 0.0])
    check(nd.hypot(a, 4), [[5.0, 4.0], [4.123105625617661, 4.0]])
    check(nd.hypot(4, a), [[5.0, 4.0], [4.123105625617661, 4.0]])
    check(nd.hypot(3, 4), 5.0)
    check(nd.hypot(left=a, right=b), nd.broadcast_hypot(a, b).asnumpy())
    # the second derivative at the origin is finite, not nan
    x = nd.zeros((2,), dtype="float64")
    h = dt.hessian(lambda v: nd.hypot(v, v).sum())(x)
    assert np.all(np.isfinite(h.asnumpy()))
    with pytest.raises(ValueError, match=r"hypot: shapes \(2, 2\) and \(3,\) do not broadcast"):
        nd.hypot(a, nd.ones(3))
    with pytest.raises(TypeError, match="expected an NDArray, a numpy array or a number"):
        nd.hypot(a, "3")


def test_logical_functions():
    a = nd.array(A)
    # MXNet 1.9.1
    check(nd.logical_and(a, nd.array([[0.0, 1, 0], [1, 1, 0]])), [[0, 1, 0], [1, 1, 0]],
          np.float32)
    check(nd.logical_and(a, nd.array(B)), np.ones((2, 3)), np.float32)
    check(nd.logical_and(a, 0), np.zeros((2, 3)), np.float32)
    check(nd.logical_and(0, a), np.zeros((2, 3)), np.float32)
    check(nd.logical_or(a, 0), np.ones((2, 3)), np.float32)
    check(nd.logical_xor(a, 1.0), np.zeros((2, 3)), np.float32)
    check(nd.logical_xor(1.0, a), np.zeros((2, 3)), np.float32)
    check(nd.logical_or(nd.array([0.0, 0.0, 2.0]), nd.array([0.0, -1.0, 0.0])), [0, 1, 1],
          np.float32)
    i = nd.array([1, 0], dtype="int32")
    check(nd.logical_and(i, 2.5), [1, 0], np.int32)
    check(nd.logical_and(i, 0.5), [0, 0], np.int32)   # 0.5 becomes int32 0
    check(nd.logical_and(1, 2), 1.0)
    with pytest.raises(TypeError, match="logical_and: operands have different dtypes"):
        nd.logical_and(a, nd.array(A, dtype="float64"))
    with pytest.raises(ValueError, match=r"logical_or: shapes \(1, 2\) and \(3,\) do not"):
        nd.logical_or(nd.ones((1, 2)), nd.ones(3))
    _, (g,) = _grad(lambda v: nd.logical_xor(v, 0.0) * v, [2.0, 0.0])
    check(g, [1.0, 0.0])


def test_modulo_and_the_percent_operator_as_mxnet():
    a, b = nd.array(A), nd.array(B)
    want = [[1.0, -2.0, 3.0], [0.0, -1.0, 2.0]]                  # MXNet 1.9.1
    check(nd.modulo(a, b), want)
    check(a % b, want)
    check(a % 2.5, [[1.0, 0.5, 0.5], [1.5, 0.0, 1.5]])
    check(2.5 % a, [[0.5, -1.5, 2.5], [2.5, 2.5, -3.5]])
    check(nd.modulo(2.5, a), [[0.5, -1.5, 2.5], [2.5, 2.5, -3.5]])
    i = nd.array([-7, 7, -7, 7], dtype="int32")
    check(i % nd.array([3, -3, -3, 3], dtype="int32"), [2, -2, -1, 1], np.int32)
    check(nd.modulo(nd.array([5, -5], dtype="int32"), 2.5), [1, 1], np.int32)
    # a zero divisor gives 0 (MXNet 1.9.1), without numpy's nan or warnings
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        check(nd.array([-7.0, 7.0, 0.0]) % 0, [0.0, 0.0, 0.0])
        check(nd.array([-7.0, 7.0]) % nd.zeros(2), [0.0, 0.0])
        check(3.0 % nd.array([0.0, 2.0]), [0.0, 1.0])
        check(nd.array([-7, 7], dtype="int32") % nd.zeros(2, dtype="int32"), [0, 0], np.int32)
    # MXNet 1.9.1: d/da = 1, d/db = -floor(a / b), also for the scalar forms
    _, (g,) = _grad(lambda v: v % 2.0, [5.5, -5.5])
    check(g, [1.0, 1.0])
    _, (g,) = _grad(lambda v: 5.5 % v, [2.0, -2.0])
    check(g, [-2.0, 3.0])


def test_true_divide():
    a = nd.array(A)
    check(nd.true_divide(a, nd.array(B)), A / B)
    check(nd.true_divide(a, 2), A / 2)
    check(nd.true_divide(2, a), 2 / A)
    check(nd.true_divide(nd.array([-3, -1, 0, 1, 2, 5], dtype="int32"), 2),
          [-1, 0, 0, 0, 1, 2], np.int32)                          # MXNet 1.9.1
    _, (ga, gb) = _grad(nd.true_divide, [3.0], [2.0])
    check(ga, [0.5])
    check(gb, [-0.75])


# ----------------------------------------------------------------- add_n ---

def test_add_n_values_gradients_and_aliases():
    y, (g1, g2) = _grad(lambda a, b: nd.add_n(a, b, a), [2.0, 3.0], [4.0, -1.0])
    check(y, [8.0, 5.0])
    check(g1, [2.0, 2.0])                                          # MXNet 1.9.1
    check(g2, [1.0, 1.0])
    arrays = [nd.array(np.arange(6.0).reshape(2, 3) * k) for k in range(5)]
    check(nd.ElementWiseSum(*arrays), np.arange(6.0).reshape(2, 3) * 10)
    check(nd.add_n(nd.array([-3, 2], dtype="int32"), nd.array([1, 1], dtype="int32")),
          [-2, 3], np.int32)
    z = nd.array(1.5)
    assert nd.add_n(z, z).shape == () and nd.add_n(z, z).asscalar() == 3.0
    assert nd.add_n(nd.zeros((0, 2)), nd.zeros((0, 2))).shape == (0, 2)
    x = nd.array([1.0, 2.0])
    one = nd.add_n(x)
    one[:] = 0.0
    check(x, [1.0, 2.0])                          # a single input is copied
    _, t = dt.jvp(lambda a, b: nd.add_n(a, b, b), [x, x], [nd.ones(2), nd.array([1.0, -1.0])])
    check(t, [3.0, -1.0])
    J = dt.jacobian(lambda a, b: nd.add_n(a, b, a), mode="forward")(x, x)
    check(J, 2 * np.eye(2))


def test_add_n_errors():
    a = nd.ones((2, 3))
    with pytest.raises(ValueError, match="add_n needs at least one array"):
        nd.add_n()
    with pytest.raises(TypeError, match="add_n: argument 1 must be an NDArray, got int"):
        nd.add_n(a, 2)
    with pytest.raises(TypeError, match="add_n: argument 0 must be an NDArray, got list"):
        nd.add_n([a, a])
    with pytest.raises(ValueError, match=r"add_n: shapes \(2, 3\) and \(3,\) differ"):
        nd.add_n(a, nd.ones(3))
    with pytest.raises(TypeError, match="add_n: operands have different dtypes"):
        nd.add_n(a, nd.ones((2, 3), dtype="float64"))
