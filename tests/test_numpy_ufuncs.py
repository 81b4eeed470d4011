"""dualtape.numpy's elementwise functions: numpy's values, dtypes (promotion,
weak Python scalars), broadcasting, 0-d and empty arrays and errors; the
dispatch of numpy's own functions to them; derivatives through dt.grad,
dt.jvp and check_grad against the calculus formulas.  The registry sweeps
check the ops registered in ``dualtape.numpy._ufuncs`` (``-k "sinc or fmod
..."``)."""
import math

import numpy as np
import pytest

import dualtape as dt
import dualtape.numpy as dnp
from dualtape import nd
from dualtape._engine import NDArray, ndarray
from dualtape.registry import REGISTRY

RNG = np.random.default_rng(0)
LN2, LN10 = math.log(2.0), math.log(10.0)


def _between(low, high, shape=(2, 3)):
    return RNG.uniform(low, high, shape)


def _away(shape=(2, 3), low=0.2, high=2.0):
    """Values of either sign, away from 0."""
    return RNG.uniform(low, high, shape) * RNG.choice([-1.0, 1.0], shape)


def _sinc_d(x):
    return (np.cos(np.pi * x) - np.sinc(x)) / x


# name: (float sample, integer sample, derivative from calculus)
UNARY = {
    "negative": (_between(-2, 2), [1, -2, 3], lambda x: -np.ones_like(x)),
    "positive": (_between(-2, 2), [1, -2, 3], np.ones_like),
    "absolute": (_away(), [1, -2, 3], np.sign),
    "abs": (_away(), [1, -2, 3], np.sign),
    "fabs": (_away(), [1, -2, 3], np.sign),
    "sqrt": (_between(0.2, 3), [1, 2, 4], lambda x: 0.5 / np.sqrt(x)),
    "cbrt": (_away(), [1, -8, 27], lambda x: 1 / (3 * np.cbrt(x) ** 2)),
    "square": (_between(-2, 2), [1, -2, 3], lambda x: 2 * x),
    "reciprocal": (_away(), [1, 2, -1], lambda x: -1 / x ** 2),
    "exp": (_between(-2, 2), [1, -2, 3], np.exp),
    "exp2": (_between(-2, 2), [1, -2, 3], lambda x: 2 ** x * LN2),
    "expm1": (_between(-2, 2), [1, -2, 3], np.exp),
    "log": (_between(0.2, 3), [1, 2, 4], lambda x: 1 / x),
    "log2": (_between(0.2, 3), [1, 2, 4], lambda x: 1 / (x * LN2)),
    "log10": (_between(0.2, 3), [1, 2, 4], lambda x: 1 / (x * LN10)),
    "log1p": (_between(-0.7, 3), [0, 2, 4], lambda x: 1 / (1 + x)),
    "sin": (_between(-2, 2), [1, -2, 3], np.cos),
    "cos": (_between(-2, 2), [1, -2, 3], lambda x: -np.sin(x)),
    "tan": (_between(-1.2, 1.2), [1, -2, 3], lambda x: 1 / np.cos(x) ** 2),
    "arcsin": (_between(-0.8, 0.8), [0, -1, 1], lambda x: 1 / np.sqrt(1 - x * x)),
    "arccos": (_between(-0.8, 0.8), [0, -1, 1], lambda x: -1 / np.sqrt(1 - x * x)),
    "arctan": (_between(-2, 2), [1, -2, 3], lambda x: 1 / (1 + x * x)),
    "sinh": (_between(-2, 2), [1, -2, 3], np.cosh),
    "cosh": (_between(-2, 2), [1, -2, 3], np.sinh),
    "tanh": (_between(-2, 2), [1, -2, 3], lambda x: 1 / np.cosh(x) ** 2),
    "arcsinh": (_between(-2, 2), [1, -2, 3], lambda x: 1 / np.sqrt(x * x + 1)),
    "arccosh": (_between(1.2, 3), [1, 2, 3], lambda x: 1 / np.sqrt(x * x - 1)),
    "arctanh": (_between(-0.8, 0.8), [0, 0, 0], lambda x: 1 / (1 - x * x)),
    "deg2rad": (_between(-2, 2), [1, -2, 3], lambda x: np.full_like(x, np.pi / 180)),
    "radians": (_between(-2, 2), [1, -2, 3], lambda x: np.full_like(x, np.pi / 180)),
    "rad2deg": (_between(-2, 2), [1, -2, 3], lambda x: np.full_like(x, 180 / np.pi)),
    "degrees": (_between(-2, 2), [1, -2, 3], lambda x: np.full_like(x, 180 / np.pi)),
    "sinc": (_away(), [1, -2, 0], _sinc_d),
    "nan_to_num": (_between(-2, 2), [1, -2, 3], np.ones_like),
}

# integer-valued: no derivative
FLAT_UNARY = ["floor", "ceil", "trunc", "rint", "fix", "round", "around", "sign", "isnan",
              "isinf", "isfinite", "signbit", "logical_not"]
SPECIAL_VALUES = np.array([-2.5, -1.5, -0.5, -0.0, 0.0, 0.5, 1.5, 2.5, 3.7, -3.7,
                           np.nan, np.inf, -np.inf])


# name: (x1 sample, x2 sample, d/dx1, d/dx2)
BINARY = {
    "add": (_between(-2, 2), _between(-2, 2), lambda x, y: 1 + 0 * x, lambda x, y: 1 + 0 * y),
    "subtract": (_between(-2, 2), _between(-2, 2), lambda x, y: 1 + 0 * x,
                 lambda x, y: -1 + 0 * y),
    "multiply": (_between(-2, 2), _between(-2, 2), lambda x, y: y, lambda x, y: x),
    "divide": (_between(-2, 2), _away(), lambda x, y: 1 / y, lambda x, y: -x / y ** 2),
    "true_divide": (_between(-2, 2), _away(), lambda x, y: 1 / y, lambda x, y: -x / y ** 2),
    "power": (_between(0.5, 2), _between(-1, 2), lambda x, y: y * x ** (y - 1),
              lambda x, y: x ** y * np.log(x)),
    "float_power": (_between(0.5, 2), _between(-1, 2), lambda x, y: y * x ** (y - 1),
                    lambda x, y: x ** y * np.log(x)),
    "mod": (_between(-3, 3), _away(low=0.7, high=0.9), lambda x, y: 1 + 0 * x,
            lambda x, y: -np.floor(x / y)),
    "remainder": (_between(-3, 3), _away(low=0.7, high=0.9), lambda x, y: 1 + 0 * x,
                  lambda x, y: -np.floor(x / y)),
    "fmod": (_between(-3, 3), _away(low=0.7, high=0.9), lambda x, y: 1 + 0 * x,
             lambda x, y: -np.trunc(x / y)),
    "logaddexp": (_between(-2, 2), _between(-2, 2),
                  lambda x, y: np.exp(x) / (np.exp(x) + np.exp(y)),
                  lambda x, y: np.exp(y) / (np.exp(x) + np.exp(y))),
    "logaddexp2": (_between(-2, 2), _between(-2, 2), lambda x, y: 2 ** x / (2 ** x + 2 ** y),
                   lambda x, y: 2 ** y / (2 ** x + 2 ** y)),
    "arctan2": (_between(-2, 2), _between(0.3, 2), lambda x, y: y / (x * x + y * y),
                lambda x, y: -x / (x * x + y * y)),
    "hypot": (_away(), _away(), lambda x, y: x / np.hypot(x, y),
              lambda x, y: y / np.hypot(x, y)),
    "maximum": (_between(-2, 2), _between(-2, 2), lambda x, y: 1.0 * (x > y),
                lambda x, y: 1.0 * (x < y)),
    "minimum": (_between(-2, 2), _between(-2, 2), lambda x, y: 1.0 * (x < y),
                lambda x, y: 1.0 * (x > y)),
    "fmax": (_between(-2, 2), _between(-2, 2), lambda x, y: 1.0 * (x > y),
             lambda x, y: 1.0 * (x < y)),
    "fmin": (_between(-2, 2), _between(-2, 2), lambda x, y: 1.0 * (x < y),
             lambda x, y: 1.0 * (x > y)),
    "copysign": (_away(), _away(), lambda x, y: np.sign(x) * np.sign(y), lambda x, y: 0 * y),
}
FLAT_BINARY = ["floor_divide", "equal", "not_equal", "less", "less_equal", "greater",
               "greater_equal", "logical_and", "logical_or", "logical_xor"]
INT_PAIR = (np.array([[7, -3, 4], [2, 5, -6]]), np.array([2, 3, -4]))

#: numpy's functions that are not ufuncs (reached by __array_function__).
FUNCTIONS = ["sinc", "clip", "where", "nan_to_num", "fix", "round", "around"]


def _np(name):
    return getattr(np, name)


def _same(got, want, dtype=None):
    """``got`` is a dualtape array with numpy's ``want``: shape, dtype, values
    (nan where nan)."""
    assert isinstance(got, NDArray), type(got)
    want = np.asarray(want)
    assert got.shape == want.shape, (got.shape, want.shape)
    assert got._data.dtype == (want.dtype if dtype is None else np.dtype(dtype)), (
        got._data.dtype, want.dtype)
    rtol = {np.dtype(np.float16): 1e-3, np.dtype(np.float32): 1e-6}.get(want.dtype, 1e-13)
    np.testing.assert_allclose(got._data.astype(np.float64), want.astype(np.float64),
                               rtol=rtol, atol=0)


def _quiet(f, *args, **kwargs):
    with np.errstate(all="ignore"):
        return f(*args, **kwargs)


# ------------------------------------------------------------ the protocol ---

@pytest.mark.parametrize("name", sorted(set(UNARY) | set(BINARY) | set(FLAT_UNARY)
                                        | set(FLAT_BINARY) | set(FUNCTIONS)))
def test_numpy_callable_dispatches_to_the_function_of_the_same_name(name):
    target = _np(name)
    table = dnp._dispatch.ufuncs if isinstance(target, np.ufunc) else dnp._dispatch.functions
    assert table[target] is getattr(dnp, name)


@pytest.mark.parametrize("name", sorted(UNARY) + FLAT_UNARY)
def test_numpy_unary_on_a_dualtape_array_gives_numpys_value(name):
    x = UNARY[name][0] if name in UNARY else SPECIAL_VALUES
    for dtype in (np.float32, np.float64):
        a = x.astype(dtype)
        got = _quiet(_np(name), dnp.asarray(a))
        assert type(got) is ndarray
        _same(got, _quiet(_np(name), a))


@pytest.mark.parametrize("name", sorted(BINARY) + FLAT_BINARY)
def test_numpy_binary_on_dualtape_arrays_gives_numpys_value(name):
    x, y = BINARY[name][:2] if name in BINARY else (_between(-2, 2), _away())
    got = _quiet(_np(name), dnp.asarray(x), dnp.asarray(y[0]))
    assert type(got) is ndarray
    _same(got, _quiet(_np(name), x, y[0]))
    _same(_quiet(_np(name), x, dnp.asarray(y[0])), _quiet(_np(name), x, y[0]))


def test_ufunc_methods_reduce_through_the_namespace():
    a = _between(-2, 2, (3, 4))
    x = dnp.asarray(a)
    _same(np.add.reduce(x[0]), np.add.reduce(a[0]))
    _same(np.add.reduce(x, axis=1), np.add.reduce(a, axis=1))
    _same(np.maximum.reduce(x, axis=0), np.maximum.reduce(a, axis=0))
    g = dt.grad(lambda v: np.add.reduce(np.sin(v), axis=None))(a)
    np.testing.assert_allclose(g, np.cos(a), rtol=1e-14)


def test_mxnet_flavoured_arrays_keep_their_flavour():
    x = nd.array([0.5, 1.5], dtype="float32")
    r = np.exp2(x)                          # nd has no exp2: numpy's semantics
    assert type(r) is NDArray and r._data.dtype == np.float32
    np.testing.assert_allclose(r.asnumpy(), np.exp2(np.float32([0.5, 1.5])))
    assert type(np.clip(x, 0.0, 1.0)) is NDArray
    assert type(np.mod(x, 0.0)) is NDArray
    assert np.mod(x, 0.0).asnumpy().tolist() == [0.0, 0.0]     # nd.modulo's 0 (MXNet)
    assert np.isnan(dnp.mod(x, 0.0)._data).all()             # dnp.mod: numpy's nan


# ------------------------------------------------------ values and dtypes ---

@pytest.mark.parametrize("name", sorted(UNARY))
@pytest.mark.parametrize("dtype", [np.float16, np.float32, np.float64, np.int32, np.int8,
                                   np.uint8])
def test_unary_values_and_dtypes_follow_numpy(name, dtype):
    x, ints, _ = UNARY[name]
    if np.dtype(dtype).kind in "iu":
        x = np.array(ints)
        if np.dtype(dtype).kind == "u":
            x = np.abs(x)
    a = x.astype(dtype)
    _same(_quiet(getattr(dnp, name), a), _quiet(_np(name), a))


@pytest.mark.parametrize("name", FLAT_UNARY)
@pytest.mark.parametrize("dtype", [np.float16, np.float32, np.float64, np.int32, np.bool_])
def test_integer_valued_unary_values_and_dtypes_follow_numpy(name, dtype):
    a = SPECIAL_VALUES if np.dtype(dtype).kind == "f" else np.array([3, -2, 0, 7])
    a = _quiet(a.astype, dtype)
    try:
        want = _quiet(_np(name), a)
    except TypeError:                           # sign of bool
        with pytest.raises(TypeError):
            getattr(dnp, name)(a)
        return
    got = getattr(dnp, name)(a)
    assert got._data.dtype == want.dtype
    np.testing.assert_array_equal(got._data, want)


def test_rint_and_round_take_halves_to_even_as_numpy():
    a = np.array([-2.5, -1.5, -0.5, 0.5, 1.5, 2.5])
    np.testing.assert_array_equal(dnp.rint(a)._data, [-2, -2, -0, 0, 2, 2])
    np.testing.assert_array_equal(dnp.round(a)._data, [-2, -2, -0, 0, 2, 2])
    np.testing.assert_array_equal(nd.rint(nd.array(a)).asnumpy(), [-3, -2, -1, 0, 1, 2])
    b = np.array([1.25, 1.35, -0.125, 123.456])
    for d in (-2, -1, 0, 1, 2):
        np.testing.assert_array_equal(dnp.round(b, d)._data, np.round(b, d))
        np.testing.assert_array_equal(dnp.around(b, decimals=d)._data, np.around(b, d))
    np.testing.assert_array_equal(dnp.round(np.array([15, 25, -35]), -1)._data, [20, 20, -40])
    assert dnp.round(np.array([15, 25], np.int16), -1)._data.dtype == np.int16


BINARY_DTYPES = [(np.float32, np.float32), (np.float32, np.float64), (np.int32, np.float32),
                 (np.float16, np.int8), (np.int32, np.int32), (np.int64, np.int8),
                 (np.uint8, np.int8), (np.bool_, np.float32)]


@pytest.mark.parametrize("name", sorted(BINARY) + FLAT_BINARY)
@pytest.mark.parametrize("dtypes", BINARY_DTYPES, ids=[
    "%s-%s" % (np.dtype(a).name, np.dtype(b).name) for a, b in BINARY_DTYPES])
def test_binary_values_and_dtypes_follow_numpy(name, dtypes):
    x, y = BINARY[name][:2] if name in BINARY else (_between(-2, 2), _away())
    pair = []
    for v, dtype, ints in zip((x, y[0]), dtypes, INT_PAIR):
        if np.dtype(dtype).kind in "iub":
            v = np.abs(ints) if np.dtype(dtype).kind == "u" else ints
        pair.append(v.astype(dtype))
    if name in ("power", "float_power") and pair[1].dtype.kind in "iu":
        pair[1] = np.abs(pair[1])
    if name in ("power", "float_power") and pair[0].dtype.kind == "f":
        pair[0] = np.abs(pair[0])
    _same(_quiet(getattr(dnp, name), *pair), _quiet(_np(name), *pair))


SCALARS = [1.5, 2, -3, True, np.float64(1.5), np.float32(0.75), np.int8(3), np.int64(2)]


@pytest.mark.parametrize("name", sorted(BINARY) + FLAT_BINARY)
@pytest.mark.parametrize("dtype", [np.float32, np.float64, np.int32, np.int8])
@pytest.mark.parametrize("scalar", SCALARS, ids=repr)
def test_python_and_numpy_scalars_on_either_side_promote_as_numpy(name, dtype, scalar):
    base = np.array([[3, -2, 4], [2, 5, 1]]) if np.dtype(dtype).kind == "i" else BINARY.get(
        name, (_between(-2, 2),))[0]
    a = base.astype(dtype)
    if name in ("power", "float_power"):
        a = np.abs(a)
        if isinstance(scalar, (int, np.integer)) and a.dtype.kind == "i":
            scalar = abs(scalar)
    for args in ((a, scalar), (scalar, a)):
        try:
            want = _quiet(_np(name), *args)
        except (ValueError, TypeError, OverflowError) as e:
            with pytest.raises(type(e)):
                _quiet(getattr(dnp, name), *args)
            continue
        _same(_quiet(getattr(dnp, name), *args), want)


def test_promotion_examples_from_numpys_rules():
    f32 = dnp.asarray(np.ones(3, np.float32))
    i32 = dnp.asarray(np.arange(1, 4, dtype=np.int32))
    assert (f32 + 1.5).dtype == np.float32
    assert dnp.add(f32, np.float64(1.5)).dtype == np.float64
    assert (i32 / 2).dtype == np.float64
    assert (i32 * 2).dtype == np.int32
    assert (i32 + 1.5).dtype == np.float64
    assert dnp.sin(i32).dtype == np.float64
    assert dnp.sin(np.int8(1)).dtype == np.float16
    assert dnp.sin(np.float32(1)).dtype == np.float32
    assert dnp.float_power(f32, 2).dtype == np.float64
    assert dnp.power(i32, 2).dtype == np.int32
    assert dnp.sinc(i32).dtype == np.float64 and dnp.sinc(f32).dtype == np.float32
    assert dnp.exp(f32, dtype=np.float64).dtype == np.float64
    assert dnp.add(i32, i32, dtype=np.float32).dtype == np.float32


def test_integer_powers_are_exact_and_refuse_negative_exponents_as_numpy():
    a = np.array([3, -7, 12], np.int64)
    np.testing.assert_array_equal(dnp.power(a, 17)._data, a ** 17)
    np.testing.assert_array_equal(dnp.power(2, np.array([62, 3]))._data, [2 ** 62, 8])
    with pytest.raises(ValueError, match="negative integer powers"):
        dnp.power(a, -1)
    with pytest.raises(ValueError, match="negative integer powers"):
        dnp.power(a, np.array([1, -2, 1]))
    np.testing.assert_array_equal(dnp.reciprocal(np.array([2, 1, -1]))._data, [0, 1, -1])


def test_mod_and_fmod_follow_numpy_at_zero_and_negative_operands():
    x = np.array([-3.5, -1.0, 0.0, 2.5, 7.0])
    for y in (2.0, -2.0, 0.0, np.array([2.0, -2.0, 0.0, 3.0, -0.5])):
        for name in ("mod", "remainder", "fmod"):
            _same(_quiet(getattr(dnp, name), x, y), _quiet(_np(name), x, y))
            _same(_quiet(getattr(dnp, name), 5.5, dnp.asarray(y)), _quiet(_np(name), 5.5, y))
    assert np.isnan(_quiet(dnp.mod, x, 0.0)._data).all()
    np.testing.assert_array_equal(_quiet(dnp.mod, np.array([3, -3]), 0)._data, [0, 0])


def test_broadcasting_0d_and_empty():
    a, b = _between(-2, 2, (4, 1)), _between(0.3, 2, (1, 3))
    for name in ("add", "arctan2", "logaddexp", "fmod", "copysign", "fmax", "hypot",
                 "less", "logical_xor"):
        _same(getattr(dnp, name)(a, b), _np(name)(a, b))
        _same(getattr(dnp, name)(np.float64(0.5), np.array(1.5)), _np(name)(0.5, 1.5))
        _same(getattr(dnp, name)(np.zeros((0, 3)), b), _np(name)(np.zeros((0, 3)), b))
        _same(getattr(dnp, name)(np.array(2.0), b), _np(name)(np.array(2.0), b))
    for name in ("exp2", "sinc", "isnan", "rint", "cbrt", "nan_to_num"):
        for v in (np.array(0.3), np.zeros((2, 0)), np.float32(2.0)):
            _same(getattr(dnp, name)(v), np.asarray(_np(name)(v)))
    assert dnp.add(1, 2.5).shape == () and dnp.add(1, 2.5)._data == 3.5
    assert dnp.sin(0.5).shape == () and dnp.sin(0.5)._data.dtype == np.float64


def test_results_are_dualtape_arrays_also_from_numpy_inputs():
    for r in (dnp.exp2(np.ones(2)), dnp.add(1.0, 2.0), dnp.where([True], 1.0, 2.0),
              dnp.clip(np.ones(2), 0, 0.5), dnp.isnan(np.ones(2)), dnp.sinc(0.0)):
        assert isinstance(r, NDArray)


# ------------------------------------------------------------------ errors ---

@pytest.mark.parametrize("name", ["add", "arctan2", "fmod", "mod", "maximum", "fmax",
                                  "copysign", "power", "less", "logical_and", "logaddexp"])
def test_shapes_that_do_not_broadcast_raise_naming_the_function(name):
    with pytest.raises(ValueError, match=r"%s: shapes \(2, 3\) and \(4,\)" % name):
        getattr(dnp, name)(np.ones((2, 3)), np.ones(4))


@pytest.mark.parametrize("name", sorted((set(UNARY) | set(FLAT_UNARY)) - {
    "fix", "round", "around", "sinc", "nan_to_num"}))
def test_unary_out_and_where_are_refused(name):
    x = dnp.asarray(np.ones(3))
    f = getattr(dnp, name)
    with pytest.raises(TypeError, match="%s: out= is not supported" % f.__name__):
        f(x, out=np.empty(3))
    with pytest.raises(TypeError, match="%s: where= is not supported" % f.__name__):
        f(x, where=np.array([True, False, True]))
    with pytest.raises(TypeError, match="out= is not supported"):
        _np(name)(x, out=np.empty(3))


@pytest.mark.parametrize("name", sorted(BINARY) + FLAT_BINARY)
def test_binary_out_is_refused(name):
    with pytest.raises(TypeError, match="%s: out= is not supported" % getattr(dnp, name).__name__):
        getattr(dnp, name)(np.ones(3), 2.0, out=np.empty(3))


def test_out_and_other_arguments_of_the_functions():
    for f, args in ((dnp.clip, (0, 1)), (dnp.round, (1,)), (dnp.around, (0,)), (dnp.fix, ())):
        with pytest.raises(TypeError, match="out= is not supported"):
            f(np.ones(3), *args, out=np.empty(3))
    with pytest.raises(TypeError, match="copy=False"):
        dnp.nan_to_num(np.ones(3), copy=False)
    with pytest.raises(TypeError, match="unsupported keyword argument 'foo'"):
        dnp.sin(np.ones(3), foo=1)


@pytest.mark.parametrize("f", [dnp.sin, dnp.exp2, dnp.sinc, dnp.isnan, dnp.floor,
                               dnp.nan_to_num, dnp.round, dnp.fix])
def test_complex_input_is_refused_naming_the_dtype(f):
    with pytest.raises(TypeError, match="complex"):
        f(np.array([1 + 2j]))


@pytest.mark.parametrize("f", [dnp.add, dnp.arctan2, dnp.fmod, dnp.less, dnp.where])
def test_complex_operand_is_refused_naming_the_dtype(f):
    args = (np.ones(2), np.array([1j, 2])) if f is not dnp.where else (
        [True, False], np.ones(2), np.array([1j, 2]))
    with pytest.raises(TypeError, match="complex"):
        f(*args)
    with pytest.raises(TypeError, match="complex"):
        f(*args[:-1], 1j)


def test_numpys_own_type_errors():
    with pytest.raises(TypeError):
        dnp.negative(np.array([True, False]))
    with pytest.raises(TypeError):
        dnp.subtract(np.array([True]), np.array([False]))


# ------------------------------------------------------------------- clip ---

def test_clip_follows_numpy():
    a = np.array([-2.0, -0.5, 0.0, 0.7, 3.0])
    lo, hi = np.array([-1.0, 0.0, 0.5, 0.5, 1.0]), np.array([[2.0], [0.6]])
    for args in ((a, 0, 1), (a, None, 1), (a, -1, None), (a, lo, 1.5), (a, 0.0, hi),
                 (a, lo, hi), (a, 1, 0), (a, None, None), (a.astype(np.float32), 0.5, 1),
                 (a.astype(np.float32), np.float64(0.5), 1), (np.arange(5), 1, 3),
                 (np.arange(5), 1.5, 3), (np.arange(5, dtype=np.int8), -1000, 1000),
                 (np.arange(5, dtype=np.int8), None, 2.5), (np.array(0.3), 0, 0.2)):
        _same(dnp.clip(*args), np.clip(*args))
    _same(dnp.clip(a, min=0, max=1), np.clip(a, min=0, max=1))
    _same(dnp.clip(a, max=1), np.clip(a, max=1))
    _same(np.clip(dnp.asarray(a), lo, 1.5), np.clip(a, lo, 1.5))
    with pytest.raises(ValueError, match="forbidden"):
        dnp.clip(a, 0, 1, min=0)
    with pytest.raises(TypeError, match="a_max"):
        dnp.clip(a, 0)
    with pytest.raises(ValueError, match=r"clip: shapes \(5,\) and \(3,\)"):
        dnp.clip(a, np.zeros(3), 1)


def test_clip_derivatives_in_the_array_and_in_array_bounds():
    a = np.array([-2.0, -0.5, 0.0, 0.7, 3.0])
    lo, hi = np.array([-1.0, 0.0, 0.5, 0.5, 1.0]), 1.5
    g = dt.grad(lambda x: np.sum(np.clip(x, 0.0, 1.0) * np.arange(1.0, 6.0)))(a)
    np.testing.assert_array_equal(g, [0, 0, 3, 4, 0])         # ends included
    ga, glo = dt.grad(lambda x, m: np.sum(np.clip(x, m, hi)), argnums=(0, 1))(a, lo)
    np.testing.assert_array_equal(ga, [0, 0, 0, 1, 0])
    np.testing.assert_array_equal(glo, [1, 1, 1, 0, 0])
    gh = dt.grad(lambda h: np.sum(np.clip(a, lo, h)))(np.array([0.1, 0.6]).reshape(2, 1))
    np.testing.assert_array_equal(gh, [[3], [2]])


# ------------------------------------------------------------------ where ---

def test_where_follows_numpy_and_differentiates_in_both_branches():
    c = np.array([[1.0, 0.0, np.nan], [0.0, 0.5, 0.0]])
    x, y = _between(-2, 2, (2, 3)), _between(-2, 2, (3,))
    for args in ((c, x, y), (c > 0, x, 0.0), (c, 1, 2), (c, x.astype(np.float32), 2.5),
                 (c, np.arange(3), 1.5), (True, x, y), (np.array([]), 1.0, 2.0)):
        _same(dnp.where(*args), np.where(*args))
    _same(np.where(dnp.asarray(c), x, y), np.where(c, x, y))
    gx, gy = dt.grad(lambda a, b: np.sum(np.where(c, a, b) ** 2), argnums=(0, 1))(x, y)
    mask = c.astype(bool)
    np.testing.assert_allclose(gx, np.where(mask, 2 * x, 0), rtol=1e-15)
    np.testing.assert_allclose(gy, np.sum(np.where(mask, 0, 2 * y), axis=0), rtol=1e-15)
    with pytest.raises(ValueError, match="either both or neither"):
        dnp.where(c, x)
    with pytest.raises(ValueError, match=r"where: shapes \(2, 3\) and \(2, 3\) and \(4,\)"):
        dnp.where(c, x, np.ones(4))


# ------------------------------------------------------------- derivatives ---

@pytest.mark.parametrize("name", sorted(UNARY))
def test_unary_derivatives_through_numpy_code_match_calculus(name):
    x, _, d = UNARY[name]
    want = d(x)
    np.testing.assert_allclose(dt.grad(lambda v: np.sum(_np(name)(v)))(x), want, rtol=1e-12)
    t = RNG.standard_normal(x.shape)
    _, tan = dt.jvp(lambda v: _np(name)(v), (x,), (t,))
    np.testing.assert_allclose(tan, want * t, rtol=1e-12, atol=1e-15)
    xf = x.astype(np.float32)
    g32 = dt.grad(lambda v: np.sum(_np(name)(v)))(xf)
    assert g32.dtype == np.float32
    np.testing.assert_allclose(g32, d(xf.astype(np.float64)), rtol=2e-5, atol=1e-6)


@pytest.mark.parametrize("name", sorted(BINARY))
def test_binary_derivatives_through_numpy_code_match_calculus(name):
    x, y, dx, dy = BINARY[name]
    y = y[0]                                            # broadcast (2, 3) with (3,)
    gx, gy = dt.grad(lambda a, b: np.sum(_np(name)(a, b)), argnums=(0, 1))(x, y)
    np.testing.assert_allclose(gx, np.broadcast_to(dx(x, y), x.shape), rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(gy, np.sum(np.broadcast_to(dy(x, y), x.shape), axis=0),
                               rtol=1e-12, atol=1e-15)
    tx, ty = RNG.standard_normal(x.shape), RNG.standard_normal(y.shape)
    _, tan = dt.jvp(lambda a, b: _np(name)(a, b), (x, y), (tx, ty))
    np.testing.assert_allclose(tan, dx(x, y) * tx + dy(x, y) * ty, rtol=1e-12, atol=1e-14)
    # a Python scalar on either side
    g = dt.grad(lambda a: np.sum(_np(name)(a, 0.8)))(x)
    np.testing.assert_allclose(g, np.broadcast_to(dx(x, 0.8), x.shape), rtol=1e-12, atol=1e-15)
    g = dt.grad(lambda b: np.sum(_np(name)(1.3, b)))(y)
    np.testing.assert_allclose(g, dy(1.3, y), rtol=1e-12, atol=1e-15)


@pytest.mark.parametrize("name", sorted(set(UNARY) - {"abs", "absolute", "fabs"}))
def test_unary_second_order_by_check_grad(name):
    x = UNARY[name][0]
    dt.check_grad(getattr(dnp, name), nd.array(x, dtype="float64"), order=2)


@pytest.mark.parametrize("name", sorted(set(BINARY) - {"maximum", "minimum", "fmax", "fmin",
                                                       "copysign", "remainder"}))
def test_binary_second_order_by_check_grad(name):
    x, y = BINARY[name][:2]
    dt.check_grad(getattr(dnp, name), nd.array(x, dtype="float64"),
                  nd.array(y[0], dtype="float64"), order=2)


@pytest.mark.parametrize("name", FLAT_UNARY)
def test_integer_valued_functions_have_zero_derivative(name):
    x = np.array([0.3, 1.7, -2.2])
    out, tan = dt.jvp(lambda v: _np(name)(v), (x,), (np.ones(3),))
    np.testing.assert_array_equal(tan, 0)
    g = dt.grad(lambda v: np.sum(v * _np(name)(v)))(x)      # the product rule's other half
    np.testing.assert_array_equal(g, np.asarray(_np(name)(x), dtype=np.float64))


@pytest.mark.parametrize("name", FLAT_BINARY)
def test_comparisons_and_logical_functions_have_zero_derivative(name):
    x, y = np.array([0.3, 1.7, -2.2]), np.array([1.0, 0.0, -2.2])
    out, tan = dt.jvp(lambda a, b: _np(name)(a, b), (x, y), (np.ones(3), np.ones(3)))
    np.testing.assert_array_equal(out, _np(name)(x, y))
    np.testing.assert_array_equal(tan, 0)


def test_sinc_derivatives_at_and_near_zero():
    x = np.array([0.0, 1e-9, -1e-5, 1e-3])
    g = dt.grad(lambda v: np.sum(np.sinc(v)))(x)
    # sinc'(x) = -(pi^2 / 3) x + (pi^4 / 30) x^3 + O(x^5): the closed form
    # (cos(pi x) - sinc x) / x cancels catastrophically here
    np.testing.assert_allclose(g, -np.pi ** 2 / 3 * x + np.pi ** 4 / 30 * x ** 3,
                               rtol=1e-12, atol=0)
    assert g[0] == 0
    h = dt.hessian(lambda v: np.sum(np.sinc(v)))(np.array([0.0, 0.5]))
    np.testing.assert_allclose(np.diag(h), [-np.pi ** 2 / 3, _sinc_dd(0.5)], rtol=1e-12)
    g32 = dt.grad(lambda v: np.sum(np.sinc(v)))(np.float32([1e-3, 0.3]))
    np.testing.assert_allclose(g32, _sinc_d(np.array([1e-3, 0.3])), rtol=1e-6)


def _sinc_dd(x):
    """sinc'' from calculus: -(pi^2 sinc(x) + 2 sinc'(x) / x)."""
    return -(np.pi ** 2 * np.sinc(x) + 2 * _sinc_d(x) / x)


def test_nan_to_num_values_and_derivative():
    a = np.array([np.nan, np.inf, -np.inf, 1.5, -2.0])
    for dtype in (np.float16, np.float32, np.float64):
        _same(dnp.nan_to_num(a.astype(dtype)), np.nan_to_num(a.astype(dtype)))
    _same(dnp.nan_to_num(a, nan=-1, posinf=9, neginf=-9),
          np.nan_to_num(a, nan=-1, posinf=9, neginf=-9))
    _same(dnp.nan_to_num(np.array([1, 2])), np.nan_to_num(np.array([1, 2])))
    g = dt.grad(lambda v: np.sum(np.nan_to_num(v) * 3.0))(a)
    np.testing.assert_array_equal(g, [0, 0, 0, 3, 3])
    _, t = dt.jvp(np.nan_to_num, (a,), (np.full(5, 2.0),))
    np.testing.assert_array_equal(t, [0, 0, 0, 2, 2])


def test_fmax_and_fmin_ignore_nan_in_value_and_derivative():
    x = np.array([1.0, np.nan, 3.0, np.nan, 2.0])
    y = np.array([np.nan, 2.0, 1.0, np.nan, 2.0])
    for name in ("fmax", "fmin"):
        _same(getattr(dnp, name)(x, y), _np(name)(x, y))
        gx, gy = dt.grad(lambda a, b: np.sum(_np(name)(a, b)), argnums=(0, 1))(x, y)
        np.testing.assert_array_equal(gx[[0, 1, 4]], [1, 0, 1])    # a tie goes to x1
        np.testing.assert_array_equal(gy[[0, 1, 4]], [0, 1, 0])
        assert gx[3] + gy[3] == 1                                  # both nan: one of them
    gx = dt.grad(lambda a: np.sum(np.maximum(a, y)))(x)            # maximum propagates nan
    assert gx[0] == 0 and gx[2] == 1


def test_derivatives_at_the_singular_points_are_the_one_sided_or_zero():
    g1, g2 = dt.grad(lambda a, b: np.sum(np.arctan2(a, b)), argnums=(0, 1))(
        np.zeros(1), np.zeros(1))
    assert g1[0] == 0 and g2[0] == 0
    g1, g2 = dt.grad(lambda a, b: np.sum(np.hypot(a, b)), argnums=(0, 1))(
        np.zeros(1), np.zeros(1))
    assert g1[0] == 0 and g2[0] == 0
    g = dt.grad(lambda a: np.sum(np.logaddexp(a, 0.0)))(np.array([-np.inf, 0.0]))
    np.testing.assert_array_equal(g, [0.0, 0.5])
    g = dt.grad(lambda a: np.sum(np.copysign(a, -1.0)))(np.array([2.0, -3.0]))
    np.testing.assert_array_equal(g, [-1, 1])


def test_power_derivatives_at_zero_base_are_nds():
    gx, gy = dt.grad(lambda a, b: np.sum(np.power(a, b)), argnums=(0, 1))(
        np.zeros(2), np.array([0.0, 2.0]))
    np.testing.assert_array_equal(gx, [0, 0])
    np.testing.assert_array_equal(gy, [0, 0])


def test_mixed_numpy_code_through_grad_jvp_and_hessian():
    def f(v):
        return np.sum(np.logaddexp(np.sinc(v), np.arctan2(v, 2.0)) * np.exp2(-np.abs(v))
                      + np.fmod(np.hypot(v, 1.0), 0.7) + np.clip(v, -0.5, 0.5) ** 2)

    x = np.array([0.3, -1.2, 0.9, 1.7])
    dt.check_grad(lambda v: f(dnp.asarray(v)), nd.array(x, dtype="float64"), order=2)
    g = dt.grad(f)(x)
    eps = 1e-6
    fd = np.array([(f(x + eps * e) - f(x - eps * e)) / (2 * eps) for e in np.eye(4)])
    np.testing.assert_allclose(g, fd, rtol=1e-6)
    _, t = dt.jvp(f, (x,), (np.ones(4),))
    np.testing.assert_allclose(t, fd.sum(), rtol=1e-6)


def test_registered_ops_are_in_the_registry_with_their_kinds():
    for name in ("spherical_jn", "sinc", "exp2", "nan_to_num", "logaddexp", "logaddexp2",
                 "arctan2", "copysign", "numpy_mod", "fmod", "fmax", "fmin"):
        assert REGISTRY[name].differentiable, name
    for name in ("numpy_rint", "numpy_round", "numpy_power_integer",
                 "numpy_reciprocal_integer", "numpy_isnan", "numpy_signbit",
                 "numpy_logical_and", "numpy_logical_not"):
        assert not REGISTRY[name].differentiable, name


def test_where_with_the_condition_alone_is_nonzero():
    c = np.array([[1.0, 0.0], [0.0, 2.0]])
    if not hasattr(dnp, "nonzero"):
        with pytest.raises(NotImplementedError, match="nonzero"):
            dnp.where(c)
        return
    for got, want in zip(dnp.where(c), np.where(c)):
        np.testing.assert_array_equal(got._data, want)


def test_bitwise_operators_on_masks_and_integers_are_numpys():
    x = np.array([1.0, np.nan, 3.0, -1.0])
    a, b = np.arange(6) - 2, np.array([3, 1, 0, 7, 2, 5], np.int32)
    m, n = ~np.isnan(x), x > 0
    dm, dn = ~dnp.isnan(dnp.asarray(x)), dnp.asarray(x) > 0
    da, db = dnp.asarray(a), dnp.asarray(b)
    pairs = [(dm & dn, m & n), (dm | dn, m | n), (dm ^ dn, m ^ n), (~dm, ~m), (dm & True, m & True),
             (False | dm, False | m), (da & db, a & b), (3 | da, 3 | a), (da ^ 5, a ^ 5),
             (db << 2, b << 2), (1 << db, 1 << b), (db >> 1, b >> 1), (~da, ~a), (~db, ~b),
             (np.bitwise_and(da, db), np.bitwise_and(a, b)), (np.invert(dm), np.invert(m)),
             (dnp.bitwise_xor(a, 1), np.bitwise_xor(a, 1))]
    for got, want in pairs:
        assert isinstance(got, dnp.ndarray)
        assert got.dtype == want.dtype, (got.dtype, want.dtype)
        np.testing.assert_array_equal(got._data, want)
    for f in (lambda: dnp.asarray(x) & dm, lambda: ~dnp.asarray(x), lambda: dnp.asarray(x) << 1):
        with pytest.raises(TypeError, match="only bool and integers"):
            f()


def test_in_place_operators_follow_numpys_casting_and_stay_in_place():
    codes = ["y /= 2", "y += 1.5", "y //= 2", "y **= 2", "y %= 3", "y *= 2", "y -= x",
             "y += x.astype('float32')", "y &= 3", "y |= 1", "y ^= 5"]
    for dtype in ("int64", "float64", "float32"):
        for code in codes:
            ref, outcome = {}, {}
            for mod, env in ((np, ref), (dnp, outcome)):
                x = mod.asarray(np.arange(1, 5), dtype=dtype)
                y = mod.asarray(np.arange(1, 5) * 3, dtype=dtype)
                alias = y
                env.update(x=x, y=y)
                try:
                    exec(code, {}, env)
                    env["result"] = (np.asarray(alias if mod is np else alias._data).copy(),
                                     env["y"] is alias)
                except TypeError as e:      # numpy's UFuncTypeError is a TypeError
                    env["result"] = type(e).__name__
            if isinstance(ref["result"], str):
                assert outcome["result"] == ref["result"], (dtype, code)
                continue
            want, same = ref["result"]
            got, got_same = outcome["result"]
            assert got_same and same, (dtype, code)         # y is still the same array
            assert got.dtype == want.dtype, (dtype, code)
            np.testing.assert_array_equal(got, want, err_msg="%s %s" % (dtype, code))
