"""Behaviours a differential review against MXNet 1.9.1 found different;
the expected values and texts were printed by MXNet 1.9.1 itself."""
import numpy as np
import pytest

from dualtape import autograd, nd


def test_broadcast_to_keeps_an_axis_given_as_zero():
    x = nd.arange(12).reshape((1, 3, 4))
    assert nd.broadcast_to(x, shape=(0, 3, 4)).shape == (1, 3, 4)
    y = nd.broadcast_to(x, shape=(5, 0, 4))
    assert y.shape == (5, 3, 4)
    np.testing.assert_array_equal(y.asnumpy()[4], x.asnumpy()[0])


def test_bool_arrays_compute_with_scalars_in_int64():
    b = nd.array([1, 0, 1]).astype("bool")
    cases = {"b / 2": (b / 2, [0, 0, 0]), "b - 1": (b - 1, [0, -1, 0]),
             "b * 2.5": (b * 2.5, [2, 0, 2]), "b == 1": (b == 1, [1, 0, 1]),
             "-b": (-b, [-1, 0, -1]), "b ** 2": (b ** 2, [1, 0, 1]),
             "2 - b": (2 - b, [1, 2, 1]), "b % 2": (b % 2, [1, 0, 1]),
             "b > 0": (b > 0, [1, 0, 1])}
    for text, (got, want) in cases.items():
        assert got.dtype == np.int64, text
        np.testing.assert_array_equal(got.asnumpy(), want, err_msg=text)
    for f in (lambda: b + b, lambda: b * nd.ones(3), lambda: nd.exp(b), lambda: nd.relu(b)):
        with pytest.raises(TypeError, match="bool array"):
            f()


def test_integer_division_by_zero_raises():
    a = nd.array([7, -7]).astype("int32")
    for f in (lambda: a / nd.array([0, 2]).astype("int32"), lambda: a / 0.5,
              lambda: a / 0, lambda: 3 / (a * 0)):
        with pytest.raises(ZeroDivisionError, match="integer division by zero"):
            f()
    np.testing.assert_array_equal((a / 2).asnumpy(), [3, -3])      # truncated, as in C


def test_where_with_a_condition_per_row():
    x = nd.ones((2, 2))
    x.attach_grad()
    with autograd.record():
        y = nd.where(nd.array([1, 0]), x * 2, nd.zeros((2, 2)))
    y.backward()
    np.testing.assert_array_equal(y.asnumpy(), [[2, 2], [0, 0]])      # rows, not columns
    np.testing.assert_array_equal(x.grad.asnumpy(), [[2, 2], [0, 0]])
    z = nd.where(nd.array([1, 0]), nd.ones((2, 3)), nd.zeros((2, 3)))
    np.testing.assert_array_equal(z.asnumpy(), [[1, 1, 1], [0, 0, 0]])


def test_clip_with_a_min_above_a_max():
    x = nd.array([-2.0, 0, 3, 1.5])
    x.attach_grad()
    with autograd.record():
        y = nd.clip(x, 2, 1)
    y.backward()
    np.testing.assert_array_equal(y.asnumpy(), [2, 2, 1, 1])
    np.testing.assert_array_equal(x.grad.asnumpy(), [0, 0, 0, 0])
    np.testing.assert_array_equal(nd.clip(nd.array([1, 5, 9]).astype("int32"), 6, 2).asnumpy(),
                                  [6, 2, 2])


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_modulo_signs_its_zeros_as_mxnet(dtype):
    a = nd.array([3.0, 0, -3, 2.5, -2.5], dtype=dtype)
    assert str(a % -1) == "\n[ 0.   0.  -0.  -0.5 -0.5]\n<NDArray 5 @cpu(0)>"
    assert str(a % 1) == "\n[0.  0.  0.  0.5 0.5]\n<NDArray 5 @cpu(0)>"
    assert str(a % 0) == "\n[0. 0. 0. 0. 0.]\n<NDArray 5 @cpu(0)>"
    b = nd.array([-3.0, -0.0, 3], dtype=dtype)
    assert str(b % nd.array([-1.0, -1, -1], dtype=dtype)) == "\n[-0.  0.  0.]\n<NDArray 3 @cpu(0)>"
    assert str(b % nd.array([1.0, 1, 1], dtype=dtype)) == "\n[ 0. -0.  0.]\n<NDArray 3 @cpu(0)>"
    assert str(2 % nd.array([1.5, -2, 3, 0.5, 4, -1], dtype=dtype)) == \
        "\n[0.5 0.  2.  0.  2.  0. ]\n<NDArray 6 @cpu(0)>"


def test_float32_prints_as_mxnet_up_to_1e8():
    assert str(nd.array([20000000.0])) == "\n[20000000.]\n<NDArray 1 @cpu(0)>"
    assert str(nd.arange(3) * 3e7) == \
        "\n[       0. 30000000. 60000000.]\n<NDArray 3 @cpu(0)>"
    assert str(nd.array([2 ** 24, 3e7, 1.5e8, 5e7])) == (
        "\n[1.6777216e+07 3.0000000e+07 1.5000000e+08 5.0000000e+07]\n<NDArray 4 @cpu(0)>")


def test_storage_type_is_dense():
    assert nd.ones(2).stype == "default"
