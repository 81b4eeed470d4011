"""The indexing group: pick, take, batch_take, one_hot, gather_nd,
scatter_nd, slice, slice_axis, slice_like, SequenceMask, SequenceLast,
SequenceReverse and diag.

Expected values are MXNet 1.9.1's outputs (recorded as literals, marked
"MXNet 1.9.1") or numpy formulas.  None of these ops is a registry entry of its
own (each is a gather, a scatter, a slice or a ``where``), so their derivatives
are checked here, to second order in both modes."""
import numpy as np
import pytest

import dualtape as dt
from dualtape import autograd, nd

from helpers import DT_IDS, FLOATS, check  # noqa: E402

X23 = [[1, 2, 3], [4, 5, 6]]


def A24():
    """arange(24) as a 2x3x4 array."""
    return nd.array(np.arange(24).reshape(2, 3, 4))


def SEQ():
    """arange(1, 13) as (sequence 3, batch 2, features 2)."""
    return nd.array(np.arange(1, 13).reshape(3, 2, 2))


def grad_of(f, x, head=None):
    x = nd.array(x) if not isinstance(x, nd.NDArray) else x
    x.attach_grad()
    with autograd.record():
        y = f(x)
    y.backward(head)
    return x.grad


# ------------------------------------------------------------------ pick ---

def test_pick_values_axes_and_keepdims():
    x = nd.array(X23)
    check(nd.pick(x, nd.array([0, 2])), [1, 6], np.float32)                  # MXNet 1.9.1
    check(nd.pick(x, nd.array([1, 0, 1]), axis=0), [4, 2, 6])                 # MXNet 1.9.1
    check(nd.pick(x, nd.array([1, 0, 1]), axis=0, keepdims=True), [[4, 2, 6]])
    check(nd.pick(x, nd.array([1, 0, 1]), axis=-2), [4, 2, 6])
    # the index may keep the picked axis with length 1
    check(nd.pick(x, nd.array([[0], [2]])), [1, 6])                           # MXNet 1.9.1
    check(nd.pick(x, nd.array([[0], [2]]), keepdims=True), [[1], [6]])        # MXNet 1.9.1
    a = A24()
    check(nd.pick(a, nd.array([[0, 1, 2, 3], [3, 2, 1, 0]]), axis=1),         # MXNet 1.9.1
          [[0, 5, 10, 11], [20, 21, 18, 15]])
    check(nd.pick(a, nd.array([[0, 1, 2], [3, 2, 1]]), axis=-1),              # MXNet 1.9.1
          [[0, 5, 10], [15, 18, 21]])


def test_pick_modes():
    x = nd.array(X23)
    check(nd.pick(x, nd.array([0, 5])), [1, 6])                               # MXNet 1.9.1
    check(nd.pick(x, nd.array([0, -1])), [1, 4])                              # MXNet 1.9.1
    check(nd.pick(x, nd.array([0, -1]), mode="wrap"), [1, 6])                 # MXNet 1.9.1
    check(nd.pick(x, nd.array([0, 4]), mode="wrap"), [1, 5])                  # MXNet 1.9.1
    check(nd.choose_element_0index(x, nd.array([0, 5])), [1, 6])              # alias


def test_pick_dtypes_and_shapes():
    x = nd.array(X23, dtype="int32")
    check(nd.pick(x, nd.array([0, 2])), [1, 6], np.int32)                     # MXNet 1.9.1
    check(nd.pick(nd.array(X23, dtype="float16"), nd.array([0, 1], dtype="int64")),
          [1, 5], np.float16)
    check(nd.pick(nd.array([1, 2, 3]), nd.array([1])), [2])                   # MXNet 1.9.1: (1,)
    check(nd.pick(nd.array([1, 2, 3]), nd.array(1)), [2])                     # MXNet 1.9.1: (1,)
    check(nd.pick(nd.zeros((0, 3)), nd.zeros((0,))), np.zeros(0))


def test_pick_errors():
    x = nd.array(X23)
    with pytest.raises(ValueError, match=r"pick: mode must be one of 'clip', 'wrap', got 'raise'"):
        nd.pick(x, nd.array([0, 1]), mode="raise")
    with pytest.raises(ValueError, match="pick: axis=None is not supported"):
        nd.pick(x, nd.array([0, 1]), axis=None)
    with pytest.raises(ValueError, match=r"pick: index of shape \(2, 2\) does not fit data of "
                                         r"shape \(2, 3\) along axis 1"):
        nd.pick(x, nd.array([[0, 1], [2, 1]]))
    with pytest.raises(ValueError, match="pick: index must hold whole numbers, got 0.5"):
        nd.pick(x, nd.array([0.5, 1.0]))
    with pytest.raises(ValueError, match="pick: axis 2 is out of range"):
        nd.pick(x, nd.array([0, 1]), axis=2)
    with pytest.raises(ValueError, match="pick: data must have at least one axis"):
        nd.pick(nd.array(3), nd.array(0))
    with pytest.raises(IndexError, match="pick: cannot index axis 1 of length 0"):
        nd.pick(nd.zeros((2, 0)), nd.zeros((2,)))
    with pytest.raises(TypeError, match="pick: axis must be an integer"):
        nd.pick(x, nd.array([0, 1]), axis=1.0)


def test_pick_gradient_and_no_gradient_to_the_index():
    x = nd.array(X23)
    g = grad_of(lambda v: nd.pick(v, nd.array([[0], [0]]), keepdims=True), x,
                nd.array([[1], [2]]))
    check(g, [[1, 0, 0], [2, 0, 0]])                                          # MXNet 1.9.1
    check(grad_of(lambda v: nd.pick(v, nd.array([5, -1])), x), [[0, 0, 1], [1, 0, 0]])
    check(grad_of(lambda v: nd.pick(v, nd.array([5, -1]), mode="wrap"), x),   # MXNet 1.9.1
          [[0, 0, 1], [0, 0, 1]])
    x, i = nd.array(X23), nd.array([0, 2])
    x.attach_grad()
    i.attach_grad()
    with autograd.record():
        y = nd.pick(x, i)
    y.backward()
    check(i.grad, [0, 0])                                                     # MXNet 1.9.1


# ------------------------------------------------------------------ take ---

def test_take_values_and_shapes():
    x = nd.array(X23)
    check(nd.take(x, nd.array([1, 0, 1])), [[4, 5, 6], [1, 2, 3], [4, 5, 6]])  # MXNet 1.9.1
    check(nd.take(x, nd.array([[1, 0], [0, 0]])),                              # MXNet 1.9.1
          [[[4, 5, 6], [1, 2, 3]], [[1, 2, 3], [1, 2, 3]]])
    check(nd.take(x, nd.array([[1, 0], [2, 2]]), axis=1),                      # MXNet 1.9.1
          [[[2, 1], [3, 3]], [[5, 4], [6, 6]]])
    check(nd.take(x, nd.array([[1, 0], [2, 2]]), axis=-1),
          [[[2, 1], [3, 3]], [[5, 4], [6, 6]]])
    check(nd.take(x, nd.array([1], dtype="int32"), axis=1), [[2], [5]])
    check(nd.take(nd.array(X23, dtype="int64"), nd.array([1])), [[4, 5, 6]], np.int64)
    check(nd.take(nd.array(X23), [1, 0]), [[4, 5, 6], [1, 2, 3]])              # a list works
    check(nd.take(nd.zeros((0, 3)), nd.zeros((0,))), np.zeros((0, 3)))
    # small index dtypes against a long axis
    check(nd.take(nd.arange(1000), np.array([-5, 120], np.int8), mode="wrap"), [995, 120])
    check(nd.take(nd.arange(1000), nd.array([5000], dtype="float16")), [999])
    check(nd.take(x, nd.zeros((0,)), axis=1), np.zeros((2, 0)))


def test_take_modes():
    x = nd.array(X23)
    rows = lambda *r: [X23[i] for i in r]  # noqa: E731
    check(nd.take(x, nd.array([1, 0, 5])), rows(1, 0, 1))                      # MXNet 1.9.1
    check(nd.take(x, nd.array([1, 0, -1])), rows(1, 0, 0))                     # MXNet 1.9.1
    check(nd.take(x, nd.array([1, 0, -1]), mode="wrap"), rows(1, 0, 1))        # MXNet 1.9.1
    check(nd.take(x, nd.array([1, 0, -3]), mode="wrap"), rows(1, 0, 1))        # MXNet 1.9.1
    check(nd.take(x, nd.array([1, 0]), mode="raise"), rows(1, 0))              # MXNet 1.9.1
    with pytest.raises(IndexError, match=r"take: indices holds 2, out of range for axis 0 "
                                         r"of length 2 \(valid: 0 to 1\)"):
        nd.take(x, nd.array([1, 0, 2]), mode="raise")
    with pytest.raises(IndexError, match="take: indices holds -1"):           # MXNet raises too
        nd.take(x, nd.array([1, -1]), mode="raise")


def test_take_errors():
    x = nd.array(X23)
    with pytest.raises(ValueError, match="take: mode must be one of 'clip', 'wrap', 'raise'"):
        nd.take(x, nd.array([0]), mode="nearest")
    with pytest.raises(ValueError, match="take: axis 2 is out of range for data of 2 dim"):
        nd.take(x, nd.array([0]), axis=2)
    with pytest.raises(ValueError, match="take: axis -3 is out of range"):
        nd.take(x, nd.array([0]), axis=-3)
    with pytest.raises(ValueError, match="take: indices must hold whole numbers, got 1.5"):
        nd.take(x, nd.array([1.5, 0.2]), axis=1)
    with pytest.raises(ValueError, match="take: indices must hold whole numbers, got inf"):
        nd.take(x, nd.array([np.inf]))
    with pytest.raises(TypeError, match="take: indices must hold integers or whole floats, "
                                        "got dtype bool"):
        nd.take(x, np.array([True, False]))
    with pytest.raises(ValueError, match="take: a must have at least one axis"):
        nd.take(nd.array(3), nd.array([0]))
    with pytest.raises(IndexError, match="take: cannot index axis 0 of length 0"):
        nd.take(nd.zeros((0, 3)), nd.array([0]))


def test_take_gradient_adds_repeated_and_clipped_indices():
    x = nd.array(X23)
    check(grad_of(lambda v: nd.take(v, nd.array([1, 1, 0, 7]), axis=1), x),   # MXNet 1.9.1
          [[1, 2, 1], [1, 2, 1]])
    check(grad_of(lambda v: nd.take(v, nd.array([1, 1, 0, 7]), axis=1, mode="wrap"), x),
          [[1, 3, 0], [1, 3, 0]])                                             # MXNet 1.9.1


# ------------------------------------------------------------ batch_take ---

def test_batch_take():
    x = nd.array(X23)
    check(nd.batch_take(x, nd.array([0, 2], dtype="int32")), [1, 6], np.float32)  # MXNet 1.9.1
    check(nd.batch_take(x, nd.array([0, 5])), [1, 6])                         # MXNet 1.9.1
    check(nd.batch_take(x, nd.array([0, -4])), [1, 4])                        # MXNet 1.9.1
    check(nd.batch_take(x, nd.array([[0], [1]])), [[1], [5]])                 # MXNet 1.9.1
    check(nd.batch_take(x, nd.array([[0, 1]])), [[1, 5]])                     # MXNet 1.9.1
    check(nd.batch_take(nd.array(X23, dtype="float64"), nd.array([0, 1])), [1, 5], np.float64)
    # more than 2 axes: the rows of a.reshape(-1, 4) (MXNet 1.9.1 returns garbage)
    a = np.arange(24.0).reshape(2, 3, 4)
    idx = np.array([0, 1, 2, 3, 0, 1])
    check(nd.batch_take(nd.array(a), nd.array(idx)), a.reshape(6, 4)[np.arange(6), idx])
    check(grad_of(lambda v: nd.batch_take(v, nd.array([2, 2])), x), [[0, 0, 1], [0, 0, 1]])


def test_batch_take_errors():
    with pytest.raises(ValueError, match=r"batch_take: a must have at least 2 axes, got "
                                         r"shape \(3,\)"):
        nd.batch_take(nd.array([1, 2, 3]), nd.array([0, 1, 2]))
    with pytest.raises(ValueError, match=r"batch_take: indices must hold one index per row of "
                                         r"a \(2 rows of length 3 in shape \(2, 3\)\), got 3"):
        nd.batch_take(nd.array(X23), nd.array([0, 1, 2]))


# --------------------------------------------------------------- one_hot ---

def test_one_hot_values_and_out_of_range_rows():
    check(nd.one_hot(nd.array([1, 0, 2, 3, -1]), 3),                         # MXNet 1.9.1
          [[0, 1, 0], [1, 0, 0], [0, 0, 1], [0, 0, 0], [0, 0, 0]], np.float32)
    check(nd.one_hot(nd.array([1, 0, 2, 3, -1]), 3, on_value=5, off_value=-2),  # MXNet 1.9.1
          [[-2, 5, -2], [5, -2, -2], [-2, -2, 5], [-2, -2, -2], [-2, -2, -2]])
    check(nd.one_hot(nd.array([[1, 0], [2, 0]]), 3),                          # MXNet 1.9.1
          [[[0, 1, 0], [1, 0, 0]], [[0, 0, 1], [1, 0, 0]]])
    check(nd.array([1, 0]).one_hot(3, 2, 1), [[1, 2, 1], [2, 1, 1]])          # MXNet 1.9.1
    check(nd.one_hot(nd.array([1, 0]), 0), np.zeros((2, 0)))                  # MXNet 1.9.1
    check(nd.one_hot(nd.zeros((0,)), 3), np.zeros((0, 3)))
    check(nd.one_hot(nd.array(2), 3), [0, 0, 1])


@pytest.mark.parametrize("dtype", ["float16", "float32", "float64", "int32", "int64", "int8",
                                   "uint8", np.float64])
def test_one_hot_dtype(dtype):
    for idx_dtype in ("float32", "int32", "float64"):
        r = nd.one_hot(nd.array([1, 0], dtype=idx_dtype), 3, dtype=dtype)
        check(r, [[0, 1, 0], [1, 0, 0]], np.dtype(dtype).type)
    check(nd.one_hot(nd.array([1]), 2, dtype=None), [[0, 1]], np.float32)


def test_one_hot_casts_values_as_mxnet():
    check(nd.one_hot(nd.array([1, 0]), 3, dtype="int32", on_value=2.7),      # MXNet 1.9.1
          [[0, 2, 0], [2, 0, 0]], np.int32)
    check(nd.one_hot(nd.array([1, 0]), 3, dtype="uint8", on_value=300),      # MXNet 1.9.1
          [[0, 44, 0], [44, 0, 0]], np.uint8)


def test_one_hot_is_not_differentiable():
    i = nd.array([1, 0])
    i.attach_grad()
    with autograd.record():
        y = nd.one_hot(i, 3)
    assert y._node is None                    # not recorded
    with pytest.raises(RuntimeError):
        y.backward()


def test_one_hot_errors():
    with pytest.raises(TypeError, match="one_hot: dtype must be one of float16, float32"):
        nd.one_hot(nd.array([1]), 3, dtype="bool")
    with pytest.raises(TypeError, match="one_hot: dtype must be one of"):
        nd.one_hot(nd.array([1]), 3, dtype="nonsense")
    with pytest.raises(ValueError, match="one_hot: depth must be non-negative, got -1"):
        nd.one_hot(nd.array([1]), -1)
    with pytest.raises(TypeError, match="one_hot: depth must be an integer, got 2.5"):
        nd.one_hot(nd.array([1]), 2.5)
    with pytest.raises(ValueError, match="one_hot: indices must hold whole numbers, got 1.5"):
        nd.one_hot(nd.array([1.5, 0.7]), 3)
    with pytest.raises(ValueError, match="one_hot: on_value=nan cannot be stored as int32"):
        nd.one_hot(nd.array([1]), 3, on_value=float("nan"), dtype="int32")
    with pytest.raises(TypeError, match="one_hot: off_value must be a number"):
        nd.one_hot(nd.array([1]), 3, off_value="0")


# ------------------------------------------------------------- gather_nd ---

def test_gather_nd_values():
    x = A24()
    check(nd.gather_nd(x, nd.array([[0, 1], [2, 0]])),                        # MXNet 1.9.1
          [[8, 9, 10, 11], [12, 13, 14, 15]])
    check(nd.gather_nd(x, nd.array([[1, 1], [2, 0], [3, 1]])), [23, 13])     # MXNet 1.9.1
    check(nd.gather_nd(x, nd.array([[1], [2]])), [[20, 21, 22, 23]])          # MXNet 1.9.1
    check(nd.gather_nd(x, nd.array([[-1, 0], [0, 0]])),                       # MXNet 1.9.1
          [[12, 13, 14, 15], [0, 1, 2, 3]])
    check(nd.gather_nd(x, nd.array([[-2], [-3]])), [[0, 1, 2, 3]])            # MXNet 1.9.1
    check(nd.gather_nd(nd.array([1, 2, 3]), nd.array([[2]])), [3])            # MXNet 1.9.1
    check(nd.gather_nd(nd.array([1, 2, 3], dtype="int32"), nd.array([[2, 1]])), [3, 2], np.int32)
    check(nd.gather_nd(nd.array([[0, 1], [2, 3]]), nd.array([[1, 1, 0], [0, 1, 0]])),
          [2, 3, 0])                                                          # MXNet's docs
    check(nd.gather_nd(nd.zeros((2, 3)), nd.zeros((2, 0))), np.zeros(0))


def test_gather_nd_errors():
    x = A24()
    with pytest.raises(IndexError, match="gather_nd: indices holds 2, out of range for axis 0 "
                                         r"of length 2 \(valid: -2 to 1\)"):
        nd.gather_nd(x, nd.array([[1, 2]]))                                   # MXNet raises too
    with pytest.raises(IndexError, match="gather_nd: indices holds -3"):
        nd.gather_nd(x, nd.array([[-3], [-3]]))
    with pytest.raises(ValueError, match="gather_nd: indices must have at least 2 axes"):
        nd.gather_nd(x, nd.array([1, 2]))
    with pytest.raises(ValueError, match=r"gather_nd: the index depth indices.shape\[0\] = 4 "
                                         "must be between 1 and the 3 dimensions of data"):
        nd.gather_nd(x, nd.array([[1], [2], [3], [0]]))
    with pytest.raises(ValueError, match="gather_nd: indices must hold whole numbers"):
        nd.gather_nd(x, nd.array([[0.5], [1]]))


def test_gather_nd_gradient_adds_repeated_indices():
    g = grad_of(lambda v: nd.gather_nd(v, nd.array([[1, 1], [2, 2]])), A24())
    expected = np.zeros((2, 3, 4))
    expected[1, 2] = 2                                                        # MXNet 1.9.1
    check(g, expected)


# ------------------------------------------------------------ scatter_nd ---

def test_scatter_nd_values():
    check(nd.scatter_nd(nd.array([2, 3, 0]), nd.array([[1, 1, 0], [0, 1, 0]]), shape=(2, 2)),
          [[0, 0], [2, 3]])                                                   # MXNet 1.9.1
    check(nd.scatter_nd(nd.array([[1, 2], [3, 4]]), nd.array([[1, 0]]), shape=(2, 2)),
          [[3, 4], [1, 2]])                                                   # MXNet 1.9.1
    check(nd.scatter_nd(nd.array([[1, 2], [3, 4]]), nd.array([[1, 0], [0, 1]]),
                        shape=(2, 2, 2)), [[[0, 0], [3, 4]], [[1, 2], [0, 0]]])  # MXNet 1.9.1
    check(nd.scatter_nd(nd.array([1, 2]), nd.array([[1, 0], [0, 1]]), shape=(2, 3)),
          [[0, 2, 0], [1, 0, 0]])                                             # MXNet 1.9.1
    check(nd.scatter_nd(nd.array([1, 2]), nd.array([[1, 0]]), shape=2), [2, 1])  # MXNet 1.9.1
    check(nd.scatter_nd(nd.array([1, 2], dtype="int32"), nd.array([[1, 0]]), shape=(3,)),
          [2, 1, 0], np.int32)                                                # MXNet 1.9.1
    check(nd.scatter_nd(nd.array([1, 2]), nd.array([[1, -1]]), shape=(3,)), [0, 1, 2])
    check(nd.scatter_nd(nd.zeros((0,)), nd.zeros((2, 0)), (2, 3)), np.zeros((2, 3)))


def test_scatter_nd_repeated_indices_last_one_wins():
    check(nd.scatter_nd(nd.array([1, 2, 3, 4]), nd.array([[1, 1, 1, 0]]), shape=(3,)),
          [4, 3, 0])                                                          # MXNet 1.9.1
    check(nd.scatter_nd(nd.array([1, 2, 3, 4]), nd.array([[1, 1, 0, 1]]), shape=(3,)),
          [3, 4, 0])                                                          # MXNet 1.9.1
    check(nd.scatter_nd(nd.array([2, 3, 0]), nd.array([[1, 1, 1], [1, 1, 1]]), shape=(2, 2)),
          [[0, 0], [0, 0]])                                                   # MXNet 1.9.1
    rows = nd.array([[1, 2], [3, 4], [5, 6]])
    check(nd.scatter_nd(rows, nd.array([[2, 0, 2]]), shape=(3, 2)), [[3, 4], [0, 0], [5, 6]])


def test_scatter_nd_gradient_skips_overwritten_values():
    """MXNet 1.9.1 gives [4, 4, 1]: the overwritten first value gets a gradient."""
    g = grad_of(lambda d: nd.scatter_nd(d, nd.array([[1, 1, 0], [1, 1, 0]]), shape=(2, 2)),
                nd.array([2, 3, 5]), nd.array([[1, 2], [3, 4]]))
    check(g, [0, 4, 1])


def test_scatter_nd_errors():
    with pytest.raises(ValueError, match=r"scatter_nd: data of shape \(3,\) does not fit "
                                         r"indices of shape \(2, 2\) and shape \(2, 2\) "
                                         r"\(expected data of shape \(2,\)\)"):
        nd.scatter_nd(nd.array([1, 2, 3]), nd.array([[1, 0], [0, 1]]), shape=(2, 2))
    with pytest.raises(ValueError, match="scatter_nd: the index depth indices.shape.0. = 2 "
                                         "must be between 1 and the 1 dimensions of shape"):
        nd.scatter_nd(nd.array([1, 2]), nd.array([[1, 0], [0, 1]]), shape=(2,))
    with pytest.raises(ValueError, match="scatter_nd: indices must have at least 2 axes"):
        nd.scatter_nd(nd.array([1, 2]), nd.array([1, 0]), shape=(2,))
    with pytest.raises(IndexError, match="scatter_nd: indices holds 2, out of range for axis 0"):
        nd.scatter_nd(nd.array([1, 2]), nd.array([[1, 2]]), shape=(2,))  # MXNet: memory error
    with pytest.raises(ValueError, match="scatter_nd: shape .* has a negative length"):
        nd.scatter_nd(nd.array([1]), nd.array([[0]]), shape=(2, -1))


# ----------------------------------------------------------------- slice ---

def test_slice_values():
    x = nd.array(np.arange(12).reshape(3, 4))
    n = np.arange(12.0).reshape(3, 4)
    check(nd.slice(x, begin=(0, 1), end=(2, 4)), [[1, 2, 3], [5, 6, 7]])     # MXNet 1.9.1
    check(nd.slice(x, begin=(1,), end=(3,)), n[1:3])
    check(nd.slice(x, begin=(None, 1), end=(None, 3)), n[:, 1:3])
    check(nd.slice(x, begin=(None, None), end=(None, None), step=(-1, -2)),  # MXNet 1.9.1
          [[11, 9], [7, 5], [3, 1]])
    check(nd.slice(x, begin=(2,), end=(None,), step=(-1,)), n[::-1])
    check(nd.slice(x, begin=(5,), end=(0,), step=(-1,)), n[2:0:-1])          # MXNet 1.9.1
    check(nd.slice(x, begin=(-4,), end=(None,), step=(-1,)), np.zeros((0, 4)))  # MXNet 1.9.1
    check(nd.slice(x, begin=(0,), end=(10,)), n)                              # MXNet 1.9.1
    check(nd.slice(x, begin=(0, 0), end=(3, 4), step=(None, 3)), n[:, ::3])  # MXNet 1.9.1
    check(nd.slice(x, begin=(0, 0), end=(3, 4), step=()), n)
    check(nd.slice(x, begin=(), end=()), n)
    check(x.slice((0, 0), (1, 2)), [[0, 1]])
    check(x.slice(begin=0, end=1), n[:1])
    check(nd.crop(x, begin=(1,), end=(2,)), n[1:2])                           # alias
    check(nd.slice(nd.array(n, dtype="int32"), (0,), (1,)), n[:1], np.int32)
    # empty results are allowed (MXNet 1.9.1 fails on them)
    check(nd.slice(x, begin=(1, 1), end=(1, 3)), np.zeros((0, 2)))
    check(nd.slice(x, begin=(-10,), end=(2,)), n[:2])
    check(nd.slice(nd.array(3), (), ()), 3)


def test_slicing_ops_copy():
    """MXNet's slice operators return new arrays, also where a view could be."""
    x = nd.array(np.arange(12).reshape(3, 4))
    for y in (nd.slice(x, (0,), (1,)), nd.slice_axis(x, 0, 0, 2),
              nd.slice_like(x, nd.zeros((2, 4)))):
        y[:] = 100
    check(x, np.arange(12).reshape(3, 4))                                     # MXNet 1.9.1


def test_slice_errors():
    x = nd.array(X23)
    with pytest.raises(ValueError, match="slice: begin, end and step must have one length, "
                                         "got 2, 1 and 2"):
        nd.slice(x, begin=(0, 0), end=(1,))
    with pytest.raises(ValueError, match="got 2, 2 and 1"):
        nd.slice(x, begin=(0, 0), end=(3, 4), step=(2,))
    with pytest.raises(ValueError, match="slice: 3 axes to slice but data has 2 dimensions"):
        nd.slice(x, begin=(0, 0, 0), end=(1, 1, 1))
    with pytest.raises(ValueError, match=r"slice: step must not be 0, got \(0,\)"):
        nd.slice(x, begin=(0,), end=(1,), step=(0,))
    with pytest.raises(TypeError, match="slice: begin must be an integer, got 0.5"):
        nd.slice(x, begin=(0.5,), end=(1,))


def test_slice_gradient():
    g = grad_of(lambda v: nd.slice(v, begin=(None, None), end=(None, None), step=(-1, -2)),
                nd.array(np.arange(12).reshape(3, 4)))
    check(g, [[0, 1, 0, 1]] * 3)                                              # MXNet 1.9.1


# ------------------------------------------------------------ slice_axis ---

def test_slice_axis():
    x = nd.array(np.arange(12).reshape(3, 4))
    n = np.arange(12.0).reshape(3, 4)
    check(nd.slice_axis(x, axis=1, begin=1, end=3), n[:, 1:3])                # MXNet 1.9.1
    check(nd.slice_axis(x, axis=-1, begin=1, end=None), n[:, 1:])            # MXNet 1.9.1
    check(nd.slice_axis(x, axis=0, begin=-2, end=-1), [[4, 5, 6, 7]])         # MXNet 1.9.1
    check(nd.slice_axis(x, 0, None, 1), n[:1])
    check(x.slice_axis(0, 1, 2), n[1:2])                                      # MXNet 1.9.1
    check(grad_of(lambda v: nd.slice_axis(v, 1, 1, 3), x), [[0, 1, 1, 0]] * 3)


def test_slice_axis_errors():
    x = nd.array(np.arange(12).reshape(3, 4))
    with pytest.raises(IndexError, match="slice_axis: begin -5 is out of range for axis 0 of "
                                         "length 3"):
        nd.slice_axis(x, axis=0, begin=-5, end=2)                             # MXNet raises
    with pytest.raises(IndexError, match="slice_axis: end 5 is out of range"):
        nd.slice_axis(x, axis=0, begin=0, end=5)                              # MXNet raises
    with pytest.raises(ValueError, match="slice_axis: begin 2 must come before end 1"):
        nd.slice_axis(x, axis=0, begin=2, end=1)                              # MXNet raises
    with pytest.raises(ValueError, match="slice_axis: axis 2 is out of range"):
        nd.slice_axis(x, axis=2, begin=0, end=1)
    with pytest.raises(TypeError, match="slice_axis: end must be an integer"):
        nd.slice_axis(x, axis=0, begin=0, end="1")


# ------------------------------------------------------------ slice_like ---

def test_slice_like():
    x = nd.array(np.arange(12).reshape(3, 4))
    n = np.arange(12.0).reshape(3, 4)
    y = nd.zeros((2, 3))
    check(nd.slice_like(x, y), n[:2, :3])                                     # MXNet 1.9.1
    check(nd.slice_like(x, y, axes=(0,)), n[:2])                              # MXNet 1.9.1
    check(nd.slice_like(x, y, axes=(-1,)), n[:, :3])                          # MXNet 1.9.1
    check(nd.slice_like(x, y, axes=(1, 0)), n[:2, :3])
    check(nd.slice_like(x, y, axes=(0, 0)), n[:2])                            # MXNet 1.9.1
    check(nd.slice_like(x, nd.zeros((5, 3)), axes=(1,)), n[:, :3])           # MXNet 1.9.1
    check(nd.slice_like(x, nd.zeros((2, 3, 4)), axes=(0, 1)), n[:2, :3])     # MXNet 1.9.1
    check(nd.slice_like(x, nd.zeros((2, 3, 1)), axes=-1), n[:, :3])          # MXNet 1.9.1
    check(nd.slice_like(x, nd.zeros((2, 3), dtype="int32")), n[:2, :3], np.float32)
    check(x.slice_like(y, (1,)), n[:, :3])
    check(nd.slice_like(x, nd.zeros((0, 3))), np.zeros((0, 3)))
    y.attach_grad()
    check(grad_of(lambda v: nd.slice_like(v, y), x), [[1, 1, 1, 0]] * 2 + [[0] * 4])
    check(y.grad, np.zeros((2, 3)))                                           # MXNet 1.9.1


def test_slice_like_errors():
    x = nd.array(np.arange(12).reshape(3, 4))
    with pytest.raises(ValueError, match="slice_like: shape_like's axis 0 .length 5. is longer"):
        nd.slice_like(x, nd.zeros((5, 3)))                                    # MXNet raises
    with pytest.raises(ValueError, match="slice_like: data of shape .3, 4. and shape_like of "
                                         "shape .2,. differ in dimensions"):
        nd.slice_like(x, nd.zeros((2,)))                                      # MXNet raises
    with pytest.raises(ValueError, match="slice_like: axes entry 2 is out of range"):
        nd.slice_like(x, nd.zeros((2, 3)), axes=(2,))                         # MXNet raises
    with pytest.raises(ValueError, match=r"slice_like: axis 1 is beyond shape_like of shape "
                                         r"\(2,\)"):
        nd.slice_like(nd.zeros((3, 4, 5)), nd.zeros((2,)), axes=(1,))


# ------------------------------------------------------------- sequences ---

def test_sequence_mask():
    x = SEQ()
    n = np.arange(1.0, 13).reshape(3, 2, 2)
    check(nd.SequenceMask(x), n)                                              # MXNet 1.9.1
    check(nd.SequenceMask(x, nd.array([1, 3]), use_sequence_length=True),     # MXNet 1.9.1
          [[[1, 2], [3, 4]], [[0, 0], [7, 8]], [[0, 0], [11, 12]]])
    check(nd.SequenceMask(x, nd.array([0, 2]), True, -1),                     # MXNet 1.9.1
          [[[-1, -1], [3, 4]], [[-1, -1], [7, 8]], [[-1, -1], [-1, -1]]])
    check(nd.SequenceMask(x, nd.array([5, -1]), True, -1),                    # MXNet 1.9.1
          [[[1, 2], [-1, -1]], [[5, 6], [-1, -1]], [[9, 10], [-1, -1]]])
    check(nd.SequenceMask(x, nd.array([1, 2, 3]), True, -1, axis=1),          # MXNet 1.9.1
          [[[1, 2], [-1, -1]], [[5, 6], [7, 8]], [[9, 10], [11, 12]]])
    check(nd.SequenceMask(nd.array([[1, 2], [3, 4], [5, 6]]), nd.array([1, 2]), True),
          [[1, 2], [0, 4], [0, 0]])                                           # MXNet 1.9.1
    check(nd.SequenceMask(nd.array(n, dtype="int32"), nd.array([1, 2], dtype="int32"), True,
                          value=1.5),                                         # MXNet 1.9.1
          [[[1, 2], [3, 4]], [[1, 1], [7, 8]], [[1, 1], [1, 1]]], np.int32)
    check(nd.SequenceMask(nd.array(n, dtype="float64"), nd.array([1, 2]), True)[1],
          [[0, 0], [7, 8]], np.float64)
    check(nd.SequenceMask(nd.zeros((0, 2)), nd.array([1, 2]), True), np.zeros((0, 2)))
    g = grad_of(lambda v: nd.SequenceMask(v, nd.array([1, 3]), True, 3), x)
    check(g.reshape(-1), [1, 1, 1, 1, 0, 0, 1, 1, 0, 0, 1, 1])               # MXNet 1.9.1


def test_sequence_last():
    x = SEQ()
    check(nd.SequenceLast(x), [[9, 10], [11, 12]])                            # MXNet 1.9.1
    check(nd.SequenceLast(x, nd.array([1, 3]), use_sequence_length=True),     # MXNet 1.9.1
          [[1, 2], [11, 12]])
    check(nd.SequenceLast(x, nd.array([1, 2]), True, 0), [[1, 2], [7, 8]])   # MXNet 1.9.1
    check(nd.SequenceLast(x, axis=1), [[3, 4], [7, 8], [11, 12]])             # MXNet 1.9.1
    check(nd.SequenceLast(x, nd.array([2, 1, 2]), True, axis=1), [[3, 4], [5, 6], [11, 12]])
    check(nd.SequenceLast(nd.array([[1, 2], [3, 4], [5, 6]])), [5, 6])        # MXNet 1.9.1
    check(nd.SequenceLast(nd.array([[1, 2], [3, 4], [5, 6]]), nd.array([1, 2]), True),
          [1, 4])                                                             # MXNet 1.9.1
    check(nd.SequenceLast(nd.array(np.arange(1, 13).reshape(3, 2, 2), dtype="int32"),
                          nd.array([1, 3], dtype="int64"), True), [[1, 2], [11, 12]], np.int32)
    g = grad_of(lambda v: nd.SequenceLast(v, nd.array([1, 3]), True), x)
    check(g.reshape(-1), [1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1])               # MXNet 1.9.1


def test_sequence_reverse():
    x = SEQ()
    n = np.arange(1.0, 13).reshape(3, 2, 2)
    check(nd.SequenceReverse(x), n[::-1])                                     # MXNet 1.9.1
    check(nd.SequenceReverse(x, nd.array([1, 2]), use_sequence_length=True),  # MXNet 1.9.1
          [[[1, 2], [7, 8]], [[5, 6], [3, 4]], [[9, 10], [11, 12]]])
    check(nd.SequenceReverse(x, nd.array([0, 2]), True),                      # MXNet 1.9.1
          [[[1, 2], [7, 8]], [[5, 6], [3, 4]], [[9, 10], [11, 12]]])
    check(nd.SequenceReverse(nd.array([[1, 2], [3, 4], [5, 6]]), nd.array([1, 2]), True),
          [[1, 4], [3, 2], [5, 6]])                                           # MXNet 1.9.1
    check(nd.SequenceReverse(nd.zeros((0, 2))), np.zeros((0, 2)))
    g = grad_of(lambda v: nd.SequenceReverse(v, nd.array([2, 3]), True), x,
                nd.array(np.arange(12).reshape(3, 2, 2)))
    check(g.reshape(-1), [4, 5, 10, 11, 0, 1, 6, 7, 8, 9, 2, 3])             # MXNet 1.9.1


def test_sequence_lengths_get_no_gradient():
    x, n = SEQ(), nd.array([1, 3])
    x.attach_grad()
    n.attach_grad()
    with autograd.record():
        y = (nd.SequenceMask(x, n, True) + nd.SequenceReverse(x, n, True)).sum() \
            + nd.SequenceLast(x, n, True).sum()
    y.backward()
    check(n.grad, [0, 0])                                                     # MXNet 1.9.1


@pytest.mark.parametrize("op", ["SequenceMask", "SequenceLast", "SequenceReverse"])
def test_sequence_errors(op):
    f = getattr(nd, op)
    x = SEQ()
    with pytest.raises(ValueError, match=op + r": data must have at least 2 axes"):
        f(nd.array([1, 2, 3]))                                                # MXNet raises
    with pytest.raises(ValueError, match=op + ": sequence_length is given but "
                                              "use_sequence_length is False"):
        f(x, nd.array([1, 2]))                                                # MXNet raises
    with pytest.raises(ValueError, match=op + ": use_sequence_length=True needs "
                                              "sequence_length"):
        f(x, use_sequence_length=True)                                        # MXNet raises
    with pytest.raises(ValueError, match=op + r": sequence_length must have shape \(2,\)"):
        f(x, nd.array([1, 2, 3]), True)                                       # MXNet raises
    with pytest.raises(ValueError, match=op + r": sequence_length must have shape \(2,\)"):
        f(x, nd.array([[1, 2]]), True)                                        # MXNet raises
    with pytest.raises(ValueError, match=op + ": sequence_length must hold whole numbers"):
        f(x, nd.array([1.5, 2.2]), True)
    with pytest.raises(ValueError, match=op + ": axis .the sequence axis. must be 0"):
        f(x, axis=2)                                                          # MXNet raises


def test_sequence_length_ranges():
    x = SEQ()
    with pytest.raises(IndexError, match=r"SequenceLast: sequence_length holds 0, out of range "
                                         r"\[1, 3\]"):
        nd.SequenceLast(x, nd.array([0, 3]), True)        # MXNet 1.9.1 reads out of bounds
    with pytest.raises(IndexError, match="SequenceLast: sequence_length holds 4"):
        nd.SequenceLast(x, nd.array([4, 3]), True)
    with pytest.raises(IndexError, match=r"SequenceReverse: sequence_length holds -1, out of "
                                         r"range \[0, 3\]"):
        nd.SequenceReverse(x, nd.array([-1, 2]), True)
    with pytest.raises(IndexError, match="SequenceReverse: sequence_length holds 5"):
        nd.SequenceReverse(x, nd.array([5, 2]), True)
    with pytest.raises(ValueError, match="SequenceReverse: axis .the sequence axis. must be 0, "
                                         "got 1"):
        nd.SequenceReverse(x, axis=1)                                         # MXNet raises
    with pytest.raises(TypeError, match="SequenceMask: value must be a number"):
        nd.SequenceMask(x, nd.array([1, 2]), True, value=nd.array([1]))


# ------------------------------------------------------------------ diag ---

def test_diag_of_a_matrix_and_of_higher_dimensions():
    m = nd.array(X23)
    check(nd.diag(m), [1, 5])                                                 # MXNet 1.9.1
    check(nd.diag(m, k=1), [2, 6])                                            # MXNet 1.9.1
    check(nd.diag(m, k=2), [3])                                               # MXNet 1.9.1
    check(nd.diag(m, k=3), np.zeros(0))                                       # MXNet 1.9.1
    check(nd.diag(m, k=-1), [4])                                              # MXNet 1.9.1
    check(nd.diag(m, k=-2), np.zeros(0))                                      # MXNet 1.9.1
    check(nd.diag(nd.array([[5]])), [5])                                      # MXNet 1.9.1
    check(nd.array([[1, 2], [3, 4]]).diag(1), [2])                            # MXNet 1.9.1
    check(nd.array([[1, 2], [3, 4]]).diag(k=-1), [3])                         # MXNet 1.9.1
    a = np.arange(24.0).reshape(2, 3, 4)
    check(nd.diag(A24()), [[0, 16], [1, 17], [2, 18], [3, 19]])              # MXNet 1.9.1
    check(nd.diag(A24(), k=1, axis1=1, axis2=2), [[1, 6, 11], [13, 18, 23]])  # MXNet 1.9.1
    check(nd.diag(A24(), k=1, axis1=2, axis2=1), [[4, 9], [16, 21]])         # MXNet 1.9.1
    check(nd.diag(A24(), k=-1, axis1=-1, axis2=0),                            # MXNet 1.9.1
          [[1, 14], [5, 18], [9, 22]])
    for k, a1, a2 in [(0, 0, 2), (2, 2, 0), (-1, 1, 2)]:
        check(nd.diag(nd.array(a), k, a1, a2), np.diagonal(a, k, a1, a2))
    check(nd.diag(nd.array(np.arange(6).reshape(2, 3)), axis1=1, axis2=0), [0, 4])  # MXNet
    check(nd.diag(nd.zeros((0, 3))), np.zeros(0))


def test_diag_of_a_vector():
    v = nd.array([1, 2])
    check(nd.diag(v), [[1, 0], [0, 2]])                                       # MXNet 1.9.1
    check(nd.diag(v, k=1), [[0, 1, 0], [0, 0, 2], [0, 0, 0]])                 # MXNet 1.9.1
    check(nd.diag(v, k=-2), np.diag([1.0, 2.0], -2))                          # MXNet 1.9.1
    check(nd.diag(v, k=1, axis1=1, axis2=0), np.diag([1.0, 2.0], 1))          # axes ignored
    check(nd.diag(nd.array([1, 2], dtype="int32")), [[1, 0], [0, 2]], np.int32)
    check(nd.diag(nd.array([5])), [[5]])                                      # MXNet 1.9.1
    check(nd.diag(nd.zeros((0,))), np.zeros((0, 0)))


def test_diag_gradients():
    check(grad_of(lambda v: nd.diag(v, k=1), nd.array(X23), nd.array([10, 20])),
          [[0, 10, 0], [0, 0, 20]])                                           # MXNet 1.9.1
    check(grad_of(lambda v: nd.diag(v, k=-1), nd.array([1, 2]),
                  nd.array(np.arange(9).reshape(3, 3))), [3, 7])              # MXNet 1.9.1


def test_diag_errors():
    m = nd.array(X23)
    with pytest.raises(ValueError, match=r"diag: diagonal k=-3 does not exist for axes of "
                                         r"lengths 2 and 3 \(k must be between -2 and 3\)"):
        nd.diag(m, k=-3)                                                      # MXNet raises
    with pytest.raises(ValueError, match="diag: diagonal k=4 does not exist"):
        nd.diag(m, k=4)                                                       # MXNet raises
    with pytest.raises(ValueError, match="diag: axis1 and axis2 must differ, both are axis 0"):
        nd.diag(A24(), axis1=0, axis2=0)                                      # MXNet raises
    with pytest.raises(ValueError, match="diag: axis2 3 is out of range"):
        nd.diag(A24(), axis1=0, axis2=3)                                      # MXNet raises
    with pytest.raises(ValueError, match="diag: data must have at least one axis"):
        nd.diag(nd.array(5))                                                  # MXNet raises
    with pytest.raises(TypeError, match="diag: k must be an integer"):
        nd.diag(m, k=0.5)


# ------------------------------------------------- derivatives, 2nd order ---

def _idx(values):
    return nd.array(values)


OPS = {
    "pick": ((3, 4), lambda v: nd.pick(v, _idx([0, 3, 3]), axis=1)),
    "pick-keepdims-wrap": ((2, 3, 4), lambda v: nd.pick(
        v, _idx([[0, 5, -1, 1], [2, 2, 0, 1]]), axis=1, keepdims=True, mode="wrap")),
    "pick-1d": ((4,), lambda v: nd.pick(v, _idx([2]), axis=0)),
    "take": ((3, 4), lambda v: nd.take(v, _idx([[2, 0], [2, 9]]))),
    "take-axis-wrap": ((2, 3, 4), lambda v: nd.take(v, _idx([1, -1, 1]), axis=2, mode="wrap")),
    "batch_take": ((3, 4), lambda v: nd.batch_take(v, _idx([3, 3, 0]))),
    "gather_nd": ((2, 3, 4), lambda v: nd.gather_nd(v, _idx([[1, 1, 0], [2, 2, -1]]))),
    "scatter_nd": ((2, 4), lambda v: nd.scatter_nd(v, _idx([[1, -1]]), shape=(3, 4))),
    "scatter_nd-repeated": ((3, 2), lambda v: nd.scatter_nd(v, _idx([[1, 1, 0], [1, 1, 2]]),
                                                            shape=(2, 3, 2))),
    "slice": ((3, 4), lambda v: nd.slice(v, (None, 3), (1, None), (-1, -2))),
    "slice-contiguous": ((3, 4), lambda v: nd.slice(v, (1,), (3,))),
    "slice_axis": ((2, 3, 4), lambda v: nd.slice_axis(v, -1, 1, 3)),
    "slice_like": ((3, 4), lambda v: nd.slice_like(v, nd.zeros((2, 2)), axes=(1,))),
    "SequenceMask": ((3, 2, 2), lambda v: nd.SequenceMask(v, _idx([1, 3]), True, 2.0)),
    "SequenceMask-axis1": ((2, 3), lambda v: nd.SequenceMask(v, _idx([0, 2]), True, axis=1)),
    "SequenceLast": ((3, 2, 2), lambda v: nd.SequenceLast(v, _idx([3, 1]), True)),
    "SequenceLast-axis1": ((2, 3), lambda v: nd.SequenceLast(v, _idx([2, 3]), True, 1)),
    "SequenceReverse": ((3, 2), lambda v: nd.SequenceReverse(v, _idx([2, 0]), True)),
    "diag-matrix": ((3, 4), lambda v: nd.diag(v, k=-1)),
    "diag-3d": ((2, 3, 4), lambda v: nd.diag(v, 1, 2, 0)),
    "diag-vector": ((3,), lambda v: nd.diag(v, k=1)),
}


@pytest.mark.parametrize("dtype", FLOATS, ids=DT_IDS)
@pytest.mark.parametrize("name", sorted(OPS))
def test_derivatives_to_second_order(name, dtype):
    """Forward, reverse and finite differences agree, also for the derivative
    functions (a product with the input makes the second derivative non-zero)."""
    shape, f = OPS[name]
    x = nd.array(np.random.default_rng(3).standard_normal(shape), dtype=dtype)
    dt.check_grad(f, x, order=2)
    dt.check_grad(lambda v: f(v) * f(v), x, order=2)


@pytest.mark.parametrize("name", sorted(OPS))
def test_batched_jacobians_match_numpy(name):
    """The Jacobian of an affine op, forward (batched tangents) and reverse
    (batched cotangents), has the columns ``f(e_i) - f(0)``."""
    shape, f = OPS[name]
    x = nd.array(np.random.default_rng(4).standard_normal(shape), dtype="float64")
    size = int(np.prod(shape))
    at = lambda v: f(nd.array(v.reshape(shape), dtype="float64")).asnumpy().reshape(-1)  # noqa
    cols = [at(np.eye(size)[i]) - at(np.zeros(size)) for i in range(size)]
    expected = np.stack(cols, axis=1).reshape(f(x).shape + shape)
    for mode in ("forward", "reverse"):
        np.testing.assert_allclose(dt.jacobian(f, mode=mode)(x).asnumpy(), expected, atol=1e-12)


# --------------------------------------------------- indexing with arrays ---

def test_getitem_and_setitem_with_ndarray_and_list_indices():
    x = nd.array(np.arange(12).reshape(3, 4))
    check(x[nd.array([0, 2])], [[0, 1, 2, 3], [8, 9, 10, 11]])
    check(x[[0, 2]], [[0, 1, 2, 3], [8, 9, 10, 11]])
    check(x[nd.array([0, 2]), nd.array([1, 3])], [1, 11])
    check(x[:, nd.array([3, 0])], [[3, 0], [7, 4], [11, 8]])
    idx = nd.array([2, 0])
    x[idx] = nd.array([[-1, -2, -3, -4]])
    check(x, [[-1, -2, -3, -4], [4, 5, 6, 7], [-1, -2, -3, -4]])
    x[nd.array([1]), nd.array([2])] = 100
    check(x[1], [4, 5, 100, 7])
    g = grad_of(lambda v: v[nd.array([0, 0, 2])], nd.array(np.arange(12).reshape(3, 4)))
    check(g, [[2] * 4, [0] * 4, [1] * 4])


def test_fluent_methods():
    from dualtape.ops.indexing import METHODS
    x = nd.array(X23)
    assert set(METHODS) == {"diag", "one_hot", "pick", "slice", "slice_axis", "slice_like",
                            "take"}
    check(x.pick(nd.array([0, 2]), 1, True), [[1], [6]])                      # MXNet 1.9.1
    check(x.take(nd.array([1, 0]), 1, "wrap"), [[2, 1], [5, 4]])              # MXNet 1.9.1
    check(x.diag(), [1, 5])
    check(nd.array([1, 0]).one_hot(2), [[0, 1], [1, 0]])
    check(x.slice((None, 1), (None, None)), [[2, 3], [5, 6]])
    check(x.slice_axis(axis=1, begin=0, end=1), [[1], [4]])
    check(x.slice_like(nd.zeros((1, 1))), [[1]])
