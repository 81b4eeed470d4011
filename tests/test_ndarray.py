"""The MXNet 1.x NDArray facade: creation, dtypes, attributes, methods,
operators and broadcasting, comparisons, indexing and printing.

Every value is compared with the same computation done in numpy."""
import numpy as np
import pytest

from dualtape import autograd, nd

from helpers import DT_IDS, FLOATS, check  # noqa: E402,F401


def M(dtype=np.float32):
    """A 2x3 matrix with distinct values: [[0,1,2],[3,4,5]] - 1.5."""
    return nd.array(np.arange(6.0).reshape(2, 3) - 1.5, dtype=dtype)


# ------------------------------------------------------------------ creation ---

@pytest.mark.parametrize("source", [
    3, 2.5, [1, 2, 3], [[1.5, 2.5], [3.5, 4.5]],
    np.arange(4, dtype=np.int64), np.arange(4, dtype=np.int32),
    np.arange(4, dtype=np.float64), np.arange(4, dtype=np.float16),
    np.array([[1, 2], [3, 4]], dtype=np.uint8),
], ids=["int", "float", "list", "nested", "np-i64", "np-i32", "np-f64", "np-f16", "np-u8"])
def test_array_defaults_to_float32(source):
    a = nd.array(source)
    assert a.dtype is np.float32
    check(a, np.asarray(source, dtype=np.float32), np.float32)


def test_array_of_a_scalar_is_0d():
    """MXNet 1.9.1: ``nd.array(3).shape == ()``, printed ``<NDArray  @cpu(0)>``."""
    a = nd.array(7)
    assert a.shape == ()
    assert a.asscalar() == 7
    assert str(a) == "\n7.0\n<NDArray  @cpu(0)>"


@pytest.mark.parametrize("dtype", FLOATS, ids=DT_IDS)
def test_array_from_ndarray_keeps_dtype_and_copies(dtype):
    src = nd.array([1, 2, 3], dtype=dtype)
    a = nd.array(src)
    assert a.dtype is dtype
    a[0] = 10
    check(src, [1, 2, 3])        # a copy, not a view


def test_array_copies_numpy_source():
    src = np.array([1.0, 2.0], dtype=np.float32)
    a = nd.array(src)
    src[0] = 99
    check(a, [1, 2])


@pytest.mark.parametrize("dtype", [np.float64, "float64", np.float32, np.int32])
def test_array_dtype_override(dtype):
    a = nd.array([1, 2, 3], dtype=dtype)
    assert a.dtype is np.dtype(dtype).type
    a64 = nd.array(nd.array([1, 2]), dtype=dtype)   # override an NDArray source too
    assert a64.dtype is np.dtype(dtype).type


def test_arange():
    check(nd.arange(4), np.arange(4, dtype=np.float32), np.float32)
    check(nd.arange(2, 5), [2, 3, 4], np.float32)
    check(nd.arange(2, 5, 0.5), np.arange(2, 5, 0.5), np.float32)
    check(nd.arange(5, 0, -2), [5, 3, 1], np.float32)
    check(nd.arange(3, dtype="float64"), [0, 1, 2], np.float64)
    check(nd.arange(start=1, stop=3, step=1.0, dtype=np.float64), [1, 2], np.float64)
    assert nd.arange(0).shape == (0,)


@pytest.mark.parametrize("dtype", [None] + FLOATS, ids=["default"] + DT_IDS)
def test_ones_zeros_full_empty(dtype):
    want = np.float32 if dtype is None else dtype
    check(nd.ones((2, 3), dtype=dtype), np.ones((2, 3)), want)
    check(nd.zeros(4, dtype=dtype), np.zeros(4), want)
    check(nd.full((3, 1), 7.5, dtype=dtype), np.full((3, 1), 7.5), want)
    e = nd.empty((2, 2), dtype=dtype)
    assert e.shape == (2, 2) and e.dtype is want
    assert nd.zeros((2, 0, 3)).shape == (2, 0, 3)


@pytest.mark.parametrize("dtype", FLOATS, ids=DT_IDS)
def test_ones_like_zeros_like(dtype):
    x = nd.array([[1, 2, 3]], dtype=dtype)
    check(nd.ones_like(x), np.ones((1, 3)), dtype)
    check(nd.zeros_like(x), np.zeros((1, 3)), dtype)
    check(x.ones_like(), np.ones((1, 3)), dtype)
    check(x.zeros_like(), np.zeros((1, 3)), dtype)


def test_random_seed_reproducible():
    nd.random.seed(42)
    a = nd.random.uniform(-1, 1, shape=(5, 4))
    b = nd.random.normal(2.0, 0.5, shape=(1000,))
    nd.random.seed(42)
    a2 = nd.random.uniform(-1, 1, shape=(5, 4))
    b2 = nd.random.normal(2.0, 0.5, shape=(1000,))
    np.testing.assert_array_equal(a.asnumpy(), a2.asnumpy())
    np.testing.assert_array_equal(b.asnumpy(), b2.asnumpy())
    assert a.dtype is np.float32 and b.dtype is np.float32
    assert a.shape == (5, 4)
    assert (a.asnumpy() >= -1).all() and (a.asnumpy() < 1).all()
    assert abs(b.asnumpy().mean() - 2.0) < 0.1
    assert abs(b.asnumpy().std() - 0.5) < 0.1
    nd.random.seed(43)
    assert not np.array_equal(nd.random.uniform(shape=(5, 4)).asnumpy(), a.asnumpy())
    assert nd.random.uniform(shape=(3,), dtype="float64").dtype is np.float64
    assert nd.random.normal(shape=(3,), dtype=np.float64).dtype is np.float64


# ---------------------------------------------------------------- attributes ---

def test_attributes():
    x = nd.zeros((2, 3, 4))
    assert x.shape == (2, 3, 4)
    assert x.dtype is np.float32
    assert x.size == 24
    assert x.ndim == 3
    assert str(x.context) == "cpu(0)"
    assert repr(x.context) == "cpu(0)"
    assert x.context == nd.cpu()
    assert x.grad is None
    assert x.grad_req == "null"
    x.attach_grad()
    assert x.grad_req == "write"
    check(x.grad, np.zeros((2, 3, 4)), np.float32)
    assert len(x) == 2


def test_T_reverses_axes():
    a = np.arange(24.0).reshape(2, 3, 4)
    check(nd.array(a).T, a.T)
    check(M().T, M().asnumpy().T)


# ------------------------------------------------------------------- methods ---

def test_asnumpy_is_a_copy():
    x = nd.array([1, 2, 3])
    a = x.asnumpy()
    assert isinstance(a, np.ndarray) and a.dtype == np.float32
    a[0] = 100
    check(x, [1, 2, 3])


@pytest.mark.parametrize("dtype", FLOATS, ids=DT_IDS)
def test_asscalar(dtype):
    s = nd.array([2.5], dtype=dtype).asscalar()
    assert type(s) is dtype
    assert s == 2.5
    assert type(nd.array([[1.0]]).asscalar()) is np.float32


def test_copy_and_copyto():
    x = nd.array([1, 2, 3])
    y = x.copy()
    y[0] = 9
    check(x, [1, 2, 3])
    check(y, [9, 2, 3])
    z = nd.zeros(3)
    r = x.copyto(z)
    assert r is z
    check(z, [1, 2, 3])
    z[1] = 5                      # copyto copies, no sharing
    check(x, [1, 2, 3])


@pytest.mark.parametrize("src,dst", [(np.float32, np.float64), (np.float64, np.float32)])
def test_astype(src, dst):
    x = nd.array([1.5, 2.5], dtype=src)
    y = x.astype(dst)
    check(y, [1.5, 2.5], dst)
    assert x.dtype is src
    assert x.astype(src, copy=False) is x
    check(x.astype("int32"), [1, 2], np.int32)


def test_reshape():
    a = np.arange(24.0).reshape(2, 3, 4)
    x = nd.array(a)
    check(x.reshape(6, 4), a.reshape(6, 4))
    check(x.reshape((4, 6)), a.reshape(4, 6))
    check(x.reshape(shape=(3, 8)), a.reshape(3, 8))
    check(x.reshape(-1), a.reshape(-1))
    check(x.reshape(4, -1), a.reshape(4, 6))
    check(x.reshape(0, -1), a.reshape(2, 12))          # 0 copies the input's axis
    check(x.reshape(0, 0, 2, 2), a.reshape(2, 3, 2, 2))
    check(x.reshape(-1, 0, 4), a.reshape(2, 3, 4))
    check(nd.reshape(x, (24,)), a.reshape(24))


def test_transpose():
    a = np.arange(24.0).reshape(2, 3, 4)
    x = nd.array(a)
    check(x.transpose(), a.transpose())
    check(x.transpose((1, 0, 2)), a.transpose(1, 0, 2))
    check(x.transpose(2, 0, 1), a.transpose(2, 0, 1))
    check(nd.transpose(x, axes=(0, 2, 1)), a.transpose(0, 2, 1))


def test_expand_dims_flatten():
    a = np.arange(6.0).reshape(2, 3)
    x = nd.array(a)
    check(x.expand_dims(0), a[None])
    check(x.expand_dims(1), a[:, None])
    check(x.expand_dims(-1), a[..., None])
    check(nd.expand_dims(x, axis=2), a[:, :, None])
    b = np.arange(24.0).reshape(2, 3, 4)
    check(nd.array(b).flatten(), b.reshape(2, 12))
    check(nd.flatten(nd.array(b)), b.reshape(2, 12))


@pytest.mark.parametrize("name", ["sum", "mean", "max", "min"])
@pytest.mark.parametrize("dtype", FLOATS, ids=DT_IDS)
def test_reductions(name, dtype):
    a = np.random.default_rng(0).standard_normal((2, 3, 4)).astype(dtype)
    x = nd.array(a, dtype=dtype)
    npf = getattr(np, name)
    full = getattr(x, name)()
    check(full, [npf(a)], dtype, rtol=1e-5)
    assert full.shape == (1,)                    # full reductions give (1,)
    for axis in (0, 1, -1, (0, 2)):
        check(getattr(x, name)(axis=axis), npf(a, axis=axis), dtype, rtol=1e-5)
        check(getattr(x, name)(axis=axis, keepdims=True),
              npf(a, axis=axis, keepdims=True), dtype, rtol=1e-5)
    check(getattr(nd, name)(x, axis=1), npf(a, axis=1), dtype, rtol=1e-5)


@pytest.mark.parametrize("dtype", FLOATS, ids=DT_IDS)
def test_norm(dtype):
    a = np.arange(6.0).reshape(2, 3) - 2
    x = nd.array(a, dtype=dtype)
    check(x.norm(), [np.linalg.norm(a)], dtype)
    check(nd.norm(x), [np.linalg.norm(a)], dtype)
    assert nd.norm(x).shape == (1,)
    check(nd.norm(x, axis=1), np.linalg.norm(a, axis=1), dtype)
    check(nd.norm(x, ord=1, axis=0), np.abs(a).sum(axis=0), dtype)
    check(x.norm(axis=0, keepdims=True), np.linalg.norm(a, axis=0, keepdims=True), dtype)


def _sigmoid(a):
    return 1 / (1 + np.exp(-a))


UNARY = {
    "exp": np.exp, "log": np.log, "sqrt": np.sqrt, "square": np.square, "abs": np.abs,
    "sin": np.sin, "cos": np.cos, "tanh": np.tanh, "sigmoid": _sigmoid,
    "relu": lambda a: np.maximum(a, 0),
}


@pytest.mark.parametrize("name", sorted(UNARY))
@pytest.mark.parametrize("dtype", FLOATS, ids=DT_IDS)
def test_unary_methods_and_functions(name, dtype):
    a = np.linspace(-3, 3, 12).reshape(3, 4).astype(dtype)
    if name in ("log", "sqrt"):
        a = np.abs(a) + 0.1
    x = nd.array(a, dtype=dtype)
    expected = UNARY[name](a.astype(np.float64))
    check(getattr(x, name)(), expected, dtype, rtol=1e-5)
    check(getattr(nd, name)(x), expected, dtype, rtol=1e-5)


def test_clip():
    a = np.linspace(-2, 2, 9)
    x = nd.array(a)
    check(x.clip(-1, 0.5), np.clip(a, -1, 0.5))
    check(nd.clip(x, 0, 1), np.clip(a, 0, 1))


def test_detach_and_wait_to_read():
    x = nd.array([1, 2])
    d = x.detach()
    check(d, [1, 2])
    assert d.grad is None
    assert x.wait_to_read() is None
    assert d.dtype is np.float32


def test_numpy_interop():
    x = M()
    a = np.asarray(x)
    assert isinstance(a, np.ndarray) and a.shape == (2, 3) and a.dtype == np.float32
    np.testing.assert_array_equal(a, x.asnumpy())
    np.testing.assert_array_equal(np.asarray(x, dtype=np.float64), x.asnumpy())
    np.testing.assert_array_equal(np.array(x), x.asnumpy())
    assert float(nd.array([2.5])) == 2.5
    assert int(nd.array([3])) == 3


# ------------------------------------------------------------------ indexing ---

def test_getitem_integers_and_slices():
    a = np.arange(24.0).reshape(2, 3, 4)
    x = nd.array(a)
    check(x[1], a[1])
    check(x[-1], a[-1])
    check(x[0, 2], a[0, 2])
    check(x[1, 2, 3], [a[1, 2, 3]])
    assert x[1, 2, 3].shape == (1,)            # integer indexing to one element
    check(x[:, 1:], a[:, 1:])
    check(x[:, :, ::2], a[:, :, ::2])
    check(x[0, ::-1], a[0, ::-1])
    check(x[..., 1], a[..., 1])
    check(x[1:2], a[1:2])
    v = nd.arange(5)
    check(v[-1], [4.0])
    assert v[-1].shape == (1,)
    check(v[1:4], [1, 2, 3])


def test_contiguous_basic_slices_are_views_that_write_through():
    """As MXNet 1.9.1: ``row = X[0]; row[:] = 7`` and ``X[1:3][:] = 8`` change X."""
    X = nd.arange(12).reshape((3, 4))
    row = X[0]
    row[:] = 7
    X[1:3][:] = 8
    check(X, [[7] * 4, [8] * 4, [8] * 4])
    X[2, 1] = -1                    # and writes to X show in the view
    check(X[1:3][1], [8, -1, 8, 8])
    check(row, [7, 7, 7, 7])


def test_setitem_outside_record():
    x = nd.zeros((2, 3))
    x[0] = 1
    x[1, 2] = 5
    x[:, 0:2] = nd.array([[7, 8], [9, 10]])
    x[1, 1:] += 1
    x[1, 1:] -= 1
    check(x, [[7, 8, 1], [9, 10, 5]])
    x[:] = 3
    check(x, np.full((2, 3), 3))
    v = nd.arange(4)
    v[1:3] = nd.array([10, 20])
    check(v, [0, 10, 20, 3])


def test_iteration_and_len():
    x = M()
    rows = list(x)
    assert len(rows) == 2
    check(rows[1], x.asnumpy()[1])


# ----------------------------------------------------------------- operators ---

@pytest.mark.parametrize("dtype", FLOATS, ids=DT_IDS)
def test_binary_operators(dtype):
    a = np.array([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]], dtype=dtype)
    b = np.array([[0.5, -1.0, 2.0], [3.0, 0.25, -2.0]], dtype=dtype)
    x, y = nd.array(a, dtype=dtype), nd.array(b, dtype=dtype)
    check(x + y, a + b, dtype)
    check(x - y, a - b, dtype)
    check(x * y, a * b, dtype)
    check(x / y, a / b, dtype)
    check(x ** y, a.astype(np.float64) ** b, dtype, rtol=1e-5)
    check(-x, -a, dtype)
    check(+x, a, dtype)
    check(abs(y), np.abs(b), dtype)
    check(nd.add(x, y), a + b, dtype)
    check(nd.subtract(x, y), a - b, dtype)
    check(nd.multiply(x, y), a * b, dtype)
    check(nd.divide(x, y), a / b, dtype)
    check(nd.power(x, 2), a ** 2, dtype)
    check(nd.negative(x), -a, dtype)


@pytest.mark.parametrize("dtype", FLOATS, ids=DT_IDS)
def test_scalar_operands_and_reflected_forms(dtype):
    a = np.array([1.0, 2.0, 4.0], dtype=dtype)
    x = nd.array(a, dtype=dtype)
    for s in (2, 0.5, np.float64(3.0), np.float32(1.5)):
        check(x + s, a + s, dtype)
        check(s + x, s + a, dtype)
        check(x - s, a - s, dtype)
        check(s - x, s - a, dtype)
        check(x * s, a * s, dtype)
        check(s * x, s * a, dtype)
        check(x / s, a / s, dtype, rtol=1e-6)
        check(s / x, s / a, dtype, rtol=1e-6)
        check(x ** s, a.astype(np.float64) ** s, dtype, rtol=1e-5)
        check(s ** x, float(s) ** a.astype(np.float64), dtype, rtol=1e-5)


def test_broadcasting():
    a = np.arange(6.0).reshape(2, 3)
    row = np.array([10.0, 20.0, 30.0])
    col = np.array([[1.0], [2.0]])
    x = nd.array(a)
    check(x + nd.array(row), a + row)
    check(nd.array(row) - x, row - a)
    check(x * nd.array(col), a * col)
    check(nd.array(col) / (x + 1), col / (a + 1))
    check(nd.array(col) + nd.array(row), col + row)            # (2,1) + (3,) -> (2,3)
    b = np.arange(24.0).reshape(2, 3, 4)
    check(nd.array(b) * nd.array(np.ones((3, 1))), b)
    check(nd.array(b) + nd.array([5.0]), b + 5)


def test_inplace_operators_outside_record():
    x = nd.array([1.0, 2.0])
    y = x
    x += 1
    x *= 3
    x -= nd.array([1.0, 1.0])
    x /= 2
    assert x is y
    check(x, ((np.array([1.0, 2.0]) + 1) * 3 - 1) / 2)


@pytest.mark.parametrize("op", ["==", "!=", "<", "<=", ">", ">="])
@pytest.mark.parametrize("dtype", FLOATS, ids=DT_IDS)
def test_comparisons(op, dtype):
    a = np.array([[1.0, 2.0, 3.0], [3.0, 2.0, 1.0]], dtype=dtype)
    b = np.array([2.0, 2.0, 2.0], dtype=dtype)
    x, y = nd.array(a, dtype=dtype), nd.array(b, dtype=dtype)
    ops = {"==": lambda p, q: p == q, "!=": lambda p, q: p != q,
           "<": lambda p, q: p < q, "<=": lambda p, q: p <= q,
           ">": lambda p, q: p > q, ">=": lambda p, q: p >= q}
    f = ops[op]
    for r, want in ((f(x, y), f(a, b)), (f(x, 2), f(a, 2)), (f(x, 2.0), f(a, 2.0))):
        assert r.dtype is dtype                       # 0/1 of the operand dtype
        check(r, want.astype(dtype), dtype)
        assert set(np.unique(r.asnumpy())) <= {0.0, 1.0}


def test_named_comparisons():
    x, y = nd.array([1, 2, 3]), nd.array([3, 2, 1])
    check(nd.equal(x, y), [0, 1, 0])
    check(nd.not_equal(x, y), [1, 0, 1])
    check(nd.lesser(x, y), [1, 0, 0])
    check(nd.lesser_equal(x, y), [1, 1, 0])
    check(nd.greater(x, y), [0, 0, 1])
    check(nd.greater_equal(x, y), [0, 1, 1])


# ------------------------------------------------------- products and helpers ---

@pytest.mark.parametrize("dtype", FLOATS, ids=DT_IDS)
def test_dot(dtype):
    rng = np.random.default_rng(1)
    v = rng.standard_normal(3).astype(dtype)
    w = rng.standard_normal(3).astype(dtype)
    m = rng.standard_normal((2, 3)).astype(dtype)
    n = rng.standard_normal((3, 4)).astype(dtype)
    V, W, Mx, N = (nd.array(a, dtype=dtype) for a in (v, w, m, n))
    r = nd.dot(V, W)
    assert r.shape == (1,)                       # vec . vec gives (1,)
    check(r, [v @ w], dtype, rtol=1e-5)
    check(nd.dot(Mx, V), m @ v, dtype, rtol=1e-5)
    check(nd.dot(Mx, N), m @ n, dtype, rtol=1e-5)
    check(Mx.dot(N), m @ n, dtype, rtol=1e-5)
    check(nd.dot(Mx, Mx, transpose_a=True), m.T @ m, dtype, rtol=1e-5)
    check(nd.dot(Mx, Mx, transpose_b=True), m @ m.T, dtype, rtol=1e-5)
    check(nd.dot(N, Mx, transpose_a=True, transpose_b=True), n.T @ m.T, dtype, rtol=1e-5)
    t = rng.standard_normal((2, 3, 4)).astype(dtype)
    check(nd.dot(nd.array(t, dtype=dtype), nd.array(n.T, dtype=dtype)),
          np.tensordot(t, n.T, 1), dtype, rtol=1e-5)


@pytest.mark.parametrize("dtype", FLOATS, ids=DT_IDS)
def test_batch_dot(dtype):
    rng = np.random.default_rng(2)
    a = rng.standard_normal((4, 2, 3)).astype(dtype)
    b = rng.standard_normal((4, 3, 5)).astype(dtype)
    A, B = nd.array(a, dtype=dtype), nd.array(b, dtype=dtype)
    check(nd.batch_dot(A, B), a @ b, dtype, rtol=1e-5)
    check(nd.batch_dot(A, A, transpose_b=True), a @ a.transpose(0, 2, 1), dtype, rtol=1e-5)
    check(nd.batch_dot(A, A, transpose_a=True), a.transpose(0, 2, 1) @ a, dtype, rtol=1e-5)


def test_maximum_minimum():
    a = np.array([[1.0, 5.0, 3.0], [0.0, -2.0, 7.0]])
    b = np.array([2.0, 2.0, 2.0])
    x, y = nd.array(a), nd.array(b)
    check(nd.maximum(x, y), np.maximum(a, b))
    check(nd.minimum(x, y), np.minimum(a, b))
    check(nd.maximum(x, 1.5), np.maximum(a, 1.5))
    check(nd.minimum(0.5, x), np.minimum(0.5, a))


def test_where():
    a = np.array([[1.0, -2.0], [-3.0, 4.0]])
    x = nd.array(a)
    cond = x > 0
    check(nd.where(cond, x, nd.zeros((2, 2))), np.where(a > 0, a, 0))
    check(nd.where(cond, x, -x), np.abs(a))
    check(nd.where(nd.array([1.0, 0.0]), x, nd.array([9.0, 8.0])),
          np.where([True, False], a, [9.0, 8.0]))


def test_concat_stack_split():
    a = np.arange(6.0).reshape(2, 3)
    b = np.arange(4.0).reshape(2, 2) + 10
    x, y = nd.array(a), nd.array(b)
    check(nd.concat(x, y), np.concatenate([a, b], axis=1))       # dim=1 default
    check(nd.concat(x, x, dim=0), np.concatenate([a, a], axis=0))
    check(nd.concat(x, x, x, dim=-1), np.concatenate([a, a, a], axis=1))
    check(nd.stack(x, x), np.stack([a, a]))
    check(nd.stack(x, x + 1, axis=1), np.stack([a, a + 1], axis=1))
    check(nd.stack(x, x, axis=2), np.stack([a, a], axis=2))
    parts = nd.split(x, 3)                                         # axis=1 default
    assert len(parts) == 3
    for p, q in zip(parts, np.split(a, 3, axis=1)):
        check(p, q)
    rows = nd.split(x, num_outputs=2, axis=0)
    for p, q in zip(rows, np.split(a, 2, axis=0)):
        check(p, q)
    sq = nd.split(x, 3, axis=1, squeeze_axis=True)
    for i, p in enumerate(sq):
        check(p, a[:, i])
    one = nd.split(x, 1, axis=0)
    check(one, a)


def _np_softmax(a, axis):
    e = np.exp(a - a.max(axis=axis, keepdims=True))
    return e / e.sum(axis=axis, keepdims=True)


@pytest.mark.parametrize("dtype", FLOATS, ids=DT_IDS)
def test_softmax_log_softmax(dtype):
    a = np.random.default_rng(3).standard_normal((3, 4)).astype(dtype) * 3
    x = nd.array(a, dtype=dtype)
    for axis in (-1, 0, 1):
        want = _np_softmax(a.astype(np.float64), axis)
        check(nd.softmax(x, axis=axis), want, dtype, rtol=1e-5)
        check(nd.log_softmax(x, axis=axis), np.log(want), dtype, rtol=1e-5)
    check(nd.softmax(x), _np_softmax(a.astype(np.float64), -1), dtype, rtol=1e-5)
    s = nd.softmax(nd.array([1000.0, 0.0]))                           # stable
    check(s, [1.0, 0.0])
    check(x.softmax(), _np_softmax(a.astype(np.float64), -1), dtype, rtol=1e-5)


# ------------------------------------------------------------------ printing ---

def _expected_repr(a, shape_text):
    return "\n%s\n<NDArray %s @cpu(0)>" % (str(a), shape_text)


@pytest.mark.parametrize("shape", [(4,), (2, 3), (2, 3, 4), (2, 1, 3, 2)])
@pytest.mark.parametrize("dtype", FLOATS, ids=DT_IDS)
def test_str_repr(shape, dtype):
    a = (np.arange(np.prod(shape), dtype=np.float64).reshape(shape) * 1.25 - 3).astype(dtype)
    x = nd.array(a, dtype=dtype)
    want = _expected_repr(a, "x".join(map(str, shape)))
    assert str(x) == want
    assert repr(x) == want
    assert "float" not in str(x)                       # the dtype is never shown


def test_str_exact_text():
    assert str(nd.arange(4)) == "\n[0. 1. 2. 3.]\n<NDArray 4 @cpu(0)>"
    assert str(nd.array([0, 4, 8, 12])) == "\n[ 0.  4.  8. 12.]\n<NDArray 4 @cpu(0)>"
    assert str(nd.ones((2, 3))).endswith("\n<NDArray 2x3 @cpu(0)>")
    assert str(nd.ones((2, 3))) == "\n[[1. 1. 1.]\n [1. 1. 1.]]\n<NDArray 2x3 @cpu(0)>"


def test_print(capsys):
    y = nd.array([28.0])
    print("y =", y)
    print(nd.arange(4))
    assert capsys.readouterr().out == (
        "y = \n[28.]\n<NDArray 1 @cpu(0)>\n\n[0. 1. 2. 3.]\n<NDArray 4 @cpu(0)>\n")


@pytest.mark.parametrize("shape", [(1001,), (2000,), (40, 30), (11, 10, 10)])
def test_print_elides_large_arrays(shape):
    a = np.arange(np.prod(shape), dtype=np.float32).reshape(shape) / 7
    x = nd.array(a)
    s = str(x)
    assert "..." in s
    assert s == _expected_repr(a, "x".join(map(str, shape)))
    with np.printoptions(threshold=a.size + 1):
        full = str(a)
    assert len(s) < len(full) / 2


def test_print_1000_elements_not_elided():
    a = np.arange(1000, dtype=np.float32)
    s = str(nd.array(a))
    assert "..." not in s
    assert s == _expected_repr(a, "1000")


def test_print_of_a_gradient(capsys):
    x = nd.arange(4)
    x.attach_grad()
    with autograd.record():
        y = 2 * nd.dot(x, x)
    y.backward()
    print(x.grad)
    assert capsys.readouterr().out == "\n[ 0.  4.  8. 12.]\n<NDArray 4 @cpu(0)>\n"


@pytest.mark.parametrize("dtype", FLOATS, ids=DT_IDS)
def test_every_op_keeps_the_dtype(dtype):
    """float64 works wherever float32 does, and neither is silently promoted."""
    a = np.arange(6.0).reshape(2, 3) + 1
    x = nd.array(a, dtype=dtype)
    results = [
        x + 1, 1 - x, x * x, x / 2, 2 / x, x ** 2, 2 ** x, -x, x.T, x.reshape(3, 2),
        x.transpose(), x.expand_dims(0), x.flatten(), x.sum(), x.mean(axis=0),
        x.max(axis=1), x.min(), x.norm(), x.exp(), x.log(), x.sqrt(), x.square(),
        x.abs(), x.sin(), x.cos(), x.tanh(), x.sigmoid(), x.relu(), x.clip(2, 4),
        x.detach(), x.copy(), x[0], x[1, 2], x[:, 1:], x > 2, x == x,
        nd.dot(x, x.T), nd.batch_dot(x.reshape(1, 2, 3), x.reshape(1, 3, 2)),
        nd.maximum(x, 3), nd.minimum(x, x), nd.where(x > 2, x, x * 0),
        nd.concat(x, x), nd.stack(x, x), nd.split(x, 3)[0], nd.norm(x),
        nd.softmax(x), nd.log_softmax(x), nd.ones_like(x), nd.zeros_like(x),
    ]
    for r in results:
        assert r.dtype is dtype, r
        assert r.asnumpy().dtype == np.dtype(dtype)
    check(nd.dot(x, x.T), a @ a.T, dtype)


# ------------------------------------------------- Python protocols (issue 7) ---

def test_pickle_copy_deepcopy_weakref():
    import copy
    import pickle
    import weakref
    x = nd.array([[1.5, -2.0], [3.0, 4.0]], dtype="float64")
    x.attach_grad()
    for y in (pickle.loads(pickle.dumps(x)), copy.copy(x), copy.deepcopy(x)):
        check(y, x.asnumpy(), np.float64)
        assert y is not x and y.grad is None and y._node is None   # as MXNet
        y[0, 0] = 9.0
        assert x.asnumpy()[0, 0] == 1.5
    with autograd.record():
        z = copy.copy(x * 2)                # recorded, like x.copy(): no shared node
    z.backward()
    check(x.grad, [[2.0, 2.0], [2.0, 2.0]])
    r = weakref.ref(x)
    assert r() is x
    del x
    assert r() is None


def test_python_number_protocols():
    x = nd.array([1.5, 2.25, -3.0])
    assert x.tolist() == [1.5, 2.25, -3.0]
    assert x[1].item() == 2.25 and isinstance(x[1].item(), float)
    assert f"{x[0]:.3f}" == "1.500" and format(x[2], "+.1f") == "-3.0"
    assert format(x, "") == str(x)
    with pytest.raises(TypeError, match="format"):
        f"{x:.3f}"
    check(round(nd.array([2.5, -2.5, 0.4])), [3.0, -3.0, 0.0])    # MXNet: away from 0
    check(round(nd.array([1.25, -0.125], dtype="float64"), 1), [1.3, -0.1])
    assert len(x) == 3 and [v.shape for v in x] == [(1,)] * 3       # as MXNet
    with pytest.raises(TypeError, match="0-d"):
        len(nd.array(1.0))


@pytest.mark.parametrize("dtype", FLOATS, ids=DT_IDS)
def test_mod_floordiv_and_reflected_matmul(dtype):
    a = nd.array([5.0, -5.0, 7.5], dtype=dtype)
    b = nd.array([3.0, 3.0, -2.0], dtype=dtype)
    check(a % b, [2.0, 1.0, -0.5], dtype)                 # MXNet 1.9.1's values
    check(a % 2, [1.0, 1.0, 1.5], dtype)
    check(7 % b, [1.0, 1.0, -1.0], dtype)
    check(a // b, np.floor_divide([5.0, -5.0, 7.5], [3.0, 3.0, -2.0]), dtype)
    check(a // 2, [2.0, -3.0, 3.0], dtype)
    check(8 // b, [2.0, 2.0, -4.0], dtype)
    m = np.arange(6.0).reshape(2, 3)
    check(m @ nd.array(np.ones((3, 2)), dtype=dtype), m @ np.ones((3, 2)), dtype)
    x, y = a.copy(), b.copy()
    x.attach_grad()
    y.attach_grad()
    with autograd.record():
        z = (x % y).sum() + (x // y).sum() + (7 % y).sum()
    z.backward()
    check(x.grad, [1.0, 1.0, 1.0], dtype)                 # // has zero derivative
    check(y.grad, -np.floor(np.array([5.0, -5.0, 7.5]) / [3.0, 3.0, -2.0])
          - np.floor(7 / np.array([3.0, 3.0, -2.0])), dtype)
    x %= 2
    check(x, [1.0, 1.0, 1.5], dtype)


def test_numpy_reductions_call_the_methods():
    x = nd.array([[1.0, 2.0], [3.0, 5.0]])
    check(np.sum(x), [11.0])
    check(np.mean(x, axis=0), [2.0, 3.5])
    check(np.max(x, axis=1, keepdims=True), [[2.0], [5.0]])
    check(np.min(x), [1.0])
    assert np.sum(x, dtype=np.float64).dtype is np.float64
    with pytest.raises(TypeError, match="out="):
        np.sum(x, out=np.zeros(1))
    check(x.sum(axis=0, exclude=True), [3.0, 8.0])        # MXNet's exclude
    check(nd.max(x, axis=(0, 1)), [5.0])


def test_advanced_indexing_reads_and_is_differentiable():
    a = np.arange(12.0).reshape(3, 4)
    cases = {"[[0, 2]]": [[0, 2]], "[nd.array([2, 0])]": [np.array([2, 0])],
             "[None]": [None], "[:, None, 1]": [slice(None), None, 1],
             "[1, [0, 2]]": [1, [0, 2]], "[:, [0, 3]]": [slice(None), [0, 3]],
             "[[0, 1], [1, 2]]": [[0, 1], [1, 2]],
             "[np.array([True, False, True])]": [np.array([True, False, True])],
             "[a > 4]": [a > 4], "[..., nd.array([1.0])]": [Ellipsis, np.array([1])]}
    for expr, key in cases.items():
        X = nd.array(a, dtype="float64")
        X.attach_grad()
        with autograd.record():
            r = eval("X" + expr)
            (r * r).sum().backward()
        want = a[tuple(key)]
        check(r, want)
        g = np.zeros_like(a)
        np.add.at(g, tuple(key), 2 * want)
        check(X.grad, g)
    with pytest.raises(IndexError, match="whole numbers"):
        nd.arange(3)[nd.array([0.5])]
    with pytest.raises(IndexError):
        nd.arange(3)[[5]]


def test_nd_exports_mxnet_names_only():
    internals = ["np", "numbers", "types", "wrap", "to_numpy", "inplace", "getitem",
                 "setitem", "reshape_method", "as_nd", "numpy_reduction", "rsubtract",
                 "DEFAULT_DTYPE"]
    assert [n for n in internals if hasattr(nd, n)] == []
    public = [n for n in dir(nd) if not n.startswith("_")]
    assert set(public) == set(nd.__all__), set(public) ^ set(nd.__all__)
