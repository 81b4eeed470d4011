"""The shape ops (``dualtape/ops/shape.py``, and reshape, split, concat, cast
in ``structural.py``): values, shapes and dtypes against numpy formulas or
MXNet 1.9.1's outputs, gradients through the recording API, fluent methods,
MXNet's aliases, and errors.  The registry sweeps check the derivatives."""
import numpy as np
import pytest

from dualtape import autograd, nd
from helpers import check

A = np.arange(1.0, 5.0).reshape(2, 2)
B = np.arange(24.0).reshape(2, 3, 4)


def grad_of(f, *arrays, head=None):
    """Gradients of ``f`` (through ``record``/``backward``) with respect to
    float64 copies of ``arrays``; the head gradient is 1, 2, 3, ... unless
    given."""
    xs = [nd.array(a, dtype="float64") for a in arrays]
    for x in xs:
        x.attach_grad()
    with autograd.record():
        y = f(*xs)
    y.backward(nd.array(np.arange(1.0, y.size + 1).reshape(y.shape), dtype="float64")
               if head is None else head)
    return [x.grad.asnumpy() for x in xs]


# ----------------------------------------------------------------- tile ---

def test_tile_values_shapes_and_dtypes():
    x = nd.array(A)
    check(nd.tile(x, reps=(2, 3)), np.tile(A, (2, 3)), np.float32)
    check(nd.tile(x, reps=(2,)), np.tile(A, (1, 2)))           # reps padded with 1s
    check(nd.tile(x, reps=(2, 1, 2)), np.tile(A, (2, 1, 2)))   # data padded with axes
    check(nd.tile(x, reps=2), np.tile(A, 2))
    check(nd.tile(x, reps=()), A)
    check(x.tile((2, 1)), np.tile(A, (2, 1)))
    check(x.tile(reps=(1, 2)), np.tile(A, (1, 2)))
    check(nd.tile(nd.array([1, 2], dtype="int32"), reps=(2,)), [1, 2, 1, 2], np.int32)
    check(nd.tile(nd.array(3.0), reps=(2,)), [3.0, 3.0])       # 0-d (MXNet fails)
    check(nd.tile(nd.zeros((0, 2)), reps=(2, 2)), np.zeros((0, 4)))
    y = nd.tile(x, reps=(1, 1))
    y[:] = 0                                                   # a copy, not a view
    check(x, A)


def test_tile_gradient_sums_the_tiles():
    # MXNet 1.9.1, head gradient 1..16 on tile(x, reps=(2, 1, 2))
    g, = grad_of(lambda x: nd.tile(x, reps=(2, 1, 2)), A)
    np.testing.assert_array_equal(g, [[24.0, 28.0], [40.0, 44.0]])


def test_tile_errors():
    x = nd.array(A)
    with pytest.raises(ValueError, match=r"tile: reps=\(0, 2\) must be positive"):
        nd.tile(x, reps=(0, 2))
    with pytest.raises(ValueError, match="tile: reps"):
        nd.tile(x, reps=(-1, 2))
    with pytest.raises(TypeError, match="tile: reps must be an integer or a tuple"):
        nd.tile(x, reps=(1.5, 2))


# --------------------------------------------------------------- repeat ---

def test_repeat_values():
    x = nd.array(A)
    check(nd.repeat(x, repeats=2), [1, 1, 2, 2, 3, 3, 4, 4])          # MXNet 1.9.1
    check(nd.repeat(x, repeats=2, axis=1), [[1, 1, 2, 2], [3, 3, 4, 4]])
    check(nd.repeat(x, repeats=2, axis=-1), [[1, 1, 2, 2], [3, 3, 4, 4]])
    check(nd.repeat(x, repeats=2, axis=0), [[1, 2], [1, 2], [3, 4], [3, 4]])
    check(nd.repeat(x, 3), np.repeat(A, 3))
    check(x.repeat(2, 1), np.repeat(A, 2, axis=1))
    check(x.repeat(repeats=2), np.repeat(A, 2))
    check(nd.repeat(x, repeats=0), np.zeros(0))
    check(nd.repeat(x, repeats=0, axis=1), np.zeros((2, 0)))   # MXNet 1.9.1: shape (0,)
    check(nd.repeat(nd.array(3.0), repeats=2), [3.0, 3.0])
    check(nd.repeat(nd.array(B, dtype="float64"), 2, axis=1), np.repeat(B, 2, axis=1),
          np.float64)


def test_repeat_gradient_sums_the_repeats():
    # MXNet 1.9.1, head gradient 1..n
    g, = grad_of(lambda x: nd.repeat(x, repeats=3, axis=1), A)
    np.testing.assert_array_equal(g, [[6.0, 15.0], [24.0, 33.0]])
    g, = grad_of(lambda x: nd.repeat(x, repeats=2), A)
    np.testing.assert_array_equal(g, [[3.0, 7.0], [11.0, 15.0]])
    g, = grad_of(lambda x: nd.repeat(x, repeats=0, axis=0), A)
    np.testing.assert_array_equal(g, np.zeros((2, 2)))


def test_repeat_errors():
    x = nd.array(A)
    with pytest.raises(ValueError, match="repeat: repeats must be at least 0, got -1"):
        nd.repeat(x, repeats=-1)
    with pytest.raises(TypeError, match="repeat: repeats must be an integer"):
        nd.repeat(x, repeats=2.5)
    with pytest.raises(ValueError, match=r"repeat: axis=2 is out of range .*\(2, 2\)"):
        nd.repeat(x, repeats=2, axis=2)
    with pytest.raises(ValueError, match="repeat: axis=-3"):
        nd.repeat(x, repeats=2, axis=-3)


# ----------------------------------------------------------------- flip ---

def test_flip_and_reverse():
    x = nd.array(A)
    check(nd.flip(x, axis=0), [[3, 4], [1, 2]])                        # MXNet 1.9.1
    check(nd.flip(x, axis=1), [[2, 1], [4, 3]])
    check(nd.flip(x, axis=(0, 1)), [[4, 3], [2, 1]])
    check(nd.reverse(nd.array(B), axis=(0, 2)), B[::-1, :, ::-1])
    check(nd.reverse(nd.array(B), axis=[1]), B[:, ::-1])
    check(nd.flip(x, axis=-1), A[:, ::-1])                    # MXNet 1.9.1 refuses -1
    check(nd.flip(x, axis=()), A)
    check(x.flip(0), A[::-1])
    check(x.flip(axis=1), A[:, ::-1])
    check(nd.flip(nd.array([1, 2, 3], dtype="int64"), 0), [3, 2, 1], np.int64)
    row = nd.array([[1.0, 2.0]])
    y = nd.flip(row, axis=0)                                  # a length-1 axis: still a copy
    y[:] = 0
    check(row, [[1.0, 2.0]])
    g, = grad_of(lambda v: nd.flip(v, axis=1), A)
    np.testing.assert_array_equal(g, [[2.0, 1.0], [4.0, 3.0]])


def test_flip_errors():
    x = nd.array(A)
    with pytest.raises(ValueError, match=r"flip: axis=2 is out of range"):
        nd.flip(x, axis=2)
    with pytest.raises(ValueError, match=r"flip: axis=\(0, 0\) repeats an axis"):
        nd.flip(x, axis=(0, 0))
    with pytest.raises(ValueError, match="flip: axis=0 is out of range for an array of "
                                         r"shape \(\)"):
        nd.flip(nd.array(3.0), axis=0)
    with pytest.raises(TypeError, match="flip: axis must be an integer"):
        nd.flip(x, axis=None)


# ------------------------------------------------------------------ pad ---

X4 = np.arange(1.0, 13.0).reshape(1, 2, 2, 3)


def test_pad_constant_matches_mxnet():
    r = nd.pad(nd.array(X4), mode="constant", pad_width=(0, 0, 0, 0, 1, 2, 0, 1),
               constant_value=7)
    # MXNet 1.9.1
    check(r, [[[[7, 7, 7, 7], [1, 2, 3, 7], [4, 5, 6, 7], [7, 7, 7, 7], [7, 7, 7, 7]],
               [[7, 7, 7, 7], [7, 8, 9, 7], [10, 11, 12, 7], [7, 7, 7, 7], [7, 7, 7, 7]]]],
          np.float32)
    check(nd.Pad(nd.array(X4), mode="constant", pad_width=(0, 0, 0, 0, 1, 1, 1, 1)),
          np.pad(X4, ((0, 0), (0, 0), (1, 1), (1, 1))))


def test_pad_edge_and_reflect_match_mxnet():
    x = nd.array(X4)
    # MXNet 1.9.1
    check(nd.pad(x, mode="reflect", pad_width=(0, 0, 0, 0, 1, 1, 2, 2)),
          [[[[6, 5, 4, 5, 6, 5, 4], [3, 2, 1, 2, 3, 2, 1], [6, 5, 4, 5, 6, 5, 4],
             [3, 2, 1, 2, 3, 2, 1]],
            [[12, 11, 10, 11, 12, 11, 10], [9, 8, 7, 8, 9, 8, 7],
             [12, 11, 10, 11, 12, 11, 10], [9, 8, 7, 8, 9, 8, 7]]]])
    check(x.pad(mode="edge", pad_width=(0, 0, 0, 0, 1, 0, 0, 0)),
          [[[[1, 2, 3], [1, 2, 3], [4, 5, 6]], [[7, 8, 9], [7, 8, 9], [10, 11, 12]]]])
    check(nd.pad(x, mode="edge", pad_width=(0, 0, 0, 0, 2, 1, 1, 3)),
          np.pad(X4, ((0, 0), (0, 0), (2, 1), (1, 3)), mode="edge"))
    x5 = nd.array(X4.reshape(1, 1, 2, 2, 3))
    check(nd.pad(x5, mode="reflect", pad_width=(0, 0, 0, 0, 1, 1, 1, 1, 1, 1)),
          np.pad(X4.reshape(1, 1, 2, 2, 3), ((0, 0), (0, 0), (1, 1), (1, 1), (1, 1)),
                 mode="reflect"))
    # edge mode ignores constant_value, as in MXNet
    check(nd.pad(x, "edge", (0, 0, 0, 0, 1, 0, 0, 0), 3.0),
          np.pad(X4, ((0, 0), (0, 0), (1, 0), (0, 0)), mode="edge"))


@pytest.mark.parametrize("mode", ["constant", "edge", "reflect"])
def test_pad_any_axis_of_any_array(mode):
    """MXNet 1.9.1 pads only the last axes of 4-d and 5-d arrays; here any."""
    for a, widths in [(np.arange(1.0, 4.0), (2, 1)), (A, (1, 1, 0, 1)),
                      (B, (1, 0, 2, 1, 1, 3))]:
        pairs = list(zip(widths[::2], widths[1::2]))
        kw = {"constant_values": 0.5} if mode == "constant" else {}
        check(nd.pad(nd.array(a, dtype="float64"), mode, widths, 0.5),
              np.pad(a, pairs, mode=mode, **kw), np.float64)
    check(nd.pad(nd.array(3.0), mode, ()), 3.0)
    check(nd.pad(nd.array([[1, 2], [3, 4]], dtype="int32"), mode, (1, 0, 0, 1), 5),
          np.pad(np.array([[1, 2], [3, 4]]), ((1, 0), (0, 1)), mode=mode,
                 **({"constant_values": 5} if mode == "constant" else {})), np.int32)


def test_pad_gradients_match_mxnet():
    x4 = np.arange(1.0, 13.0).reshape(1, 1, 3, 4)
    # MXNet 1.9.1, head gradient 1..n
    g, = grad_of(lambda x: nd.pad(x, mode="edge", pad_width=(0, 0, 0, 0, 1, 2, 2, 1)), x4)
    np.testing.assert_array_equal(g, [[[[33, 15, 17, 40], [48, 18, 19, 41],
                                        [270, 96, 99, 207]]]])
    g, = grad_of(lambda x: nd.pad(x, mode="reflect", pad_width=(0, 0, 0, 0, 1, 2, 2, 1)), x4)
    np.testing.assert_array_equal(g, [[[[48, 96, 152, 54], [51, 102, 165, 60],
                                        [24, 48, 76, 27]]]])
    g, = grad_of(lambda x: nd.pad(x, mode="constant", pad_width=(0, 0, 0, 0, 1, 0, 0, 1),
                                  constant_value=3), x4)
    np.testing.assert_array_equal(g, [[[[6, 7, 8, 9], [11, 12, 13, 14], [16, 17, 18, 19]]]])


def test_pad_errors():
    x = nd.array(X4)
    with pytest.raises(ValueError, match="pad: mode='wrap' is not one of constant, edge, "
                                         "reflect"):
        nd.pad(x, mode="wrap", pad_width=(0, 0, 0, 0, 1, 1, 1, 1))
    with pytest.raises(ValueError, match=r"pad: pad_width=\(0, 0, 0, 0, 1, 1\) must be 8 "
                                         "non-negative integers"):
        nd.pad(x, mode="constant", pad_width=(0, 0, 0, 0, 1, 1))
    with pytest.raises(ValueError, match="pad: pad_width"):
        nd.pad(x, mode="constant", pad_width=(0, 0, 0, 0, -1, 1, 1, 1))
    with pytest.raises(ValueError, match=r"pad: in 'reflect' mode the widths \(2, 2\) of "
                                         "axis 2 must be smaller than its length 2"):
        nd.pad(x, mode="reflect", pad_width=(0, 0, 0, 0, 2, 2, 1, 1))
    with pytest.raises(ValueError, match="pad: axis 0 is empty"):
        nd.pad(nd.zeros((0, 2)), mode="edge", pad_width=(1, 0, 0, 0))
    with pytest.raises(TypeError, match="pad: constant_value must be a number"):
        nd.pad(x, "constant", (0,) * 8, "1")
    with pytest.raises(ValueError, match="pad: constant_value=2.5 cannot be held by an "
                                         "array of dtype int32"):
        nd.pad(nd.array([1, 2], dtype="int32"), "constant", (1, 1), 2.5)
    with pytest.raises(ValueError, match="dtype uint8"):
        nd.pad(nd.array([1, 2], dtype="uint8"), "constant", (1, 1), -1)
    with pytest.raises(ValueError, match="dtype int8"):
        nd.pad(nd.array([1, 2], dtype="int8"), "constant", (1, 1), float("nan"))
    check(nd.pad(nd.zeros((0, 2)), mode="constant", pad_width=(1, 0, 0, 0)), np.zeros((1, 2)))


# ---------------------------------------------------- depth and space ---

D = np.arange(24.0).reshape(1, 4, 2, 3)
S = np.array([[[[0, 6, 1, 7, 2, 8], [12, 18, 13, 19, 14, 20], [3, 9, 4, 10, 5, 11],
                [15, 21, 16, 22, 17, 23]]]], dtype=np.float64)       # MXNet 1.9.1


def _depth_to_space(x, b):
    """The formula in MXNet's documentation."""
    n, c, h, w = x.shape
    y = x.reshape(n, b, b, c // b ** 2, h, w).transpose(0, 3, 4, 1, 5, 2)
    return y.reshape(n, c // b ** 2, h * b, w * b)


def test_depth_to_space_and_space_to_depth():
    check(nd.depth_to_space(nd.array(D), 2), S, np.float32)
    check(nd.array(D).depth_to_space(block_size=2), S)
    check(nd.space_to_depth(nd.array(S), 2), D)
    check(nd.array(S).space_to_depth(2), D)
    e = np.arange(64.0).reshape(2, 8, 2, 2)
    check(nd.depth_to_space(nd.array(e), 2), _depth_to_space(e, 2))
    check(nd.space_to_depth(nd.depth_to_space(nd.array(e), 2), 2), e)
    check(nd.depth_to_space(nd.array(D), 1), D)
    # MXNet 1.9.1
    check(nd.space_to_depth(nd.arange(16).reshape((2, 1, 2, 4)), 2),
          [[[[0, 2]], [[1, 3]], [[4, 6]], [[5, 7]]],
           [[[8, 10]], [[9, 11]], [[12, 14]], [[13, 15]]]])


def test_depth_to_space_gradient_is_space_to_depth():
    # MXNet 1.9.1, head gradient 1..16
    g, = grad_of(lambda x: nd.depth_to_space(x, 2), np.arange(16.0).reshape(1, 4, 2, 2))
    np.testing.assert_array_equal(g, [[[[1, 3], [9, 11]], [[2, 4], [10, 12]],
                                       [[5, 7], [13, 15]], [[6, 8], [14, 16]]]])
    head = np.arange(1.0, 17.0).reshape(1, 4, 2, 2)
    g, = grad_of(lambda x: nd.space_to_depth(x, 2), np.zeros((1, 1, 4, 4)),
                 head=nd.array(head, dtype="float64"))
    np.testing.assert_array_equal(g, _depth_to_space(head, 2))


def test_depth_and_space_errors():
    with pytest.raises(ValueError, match="depth_to_space: the 4 channels .* block_size² = 9"):
        nd.depth_to_space(nd.array(D), 3)
    with pytest.raises(ValueError, match="depth_to_space: block_size must be at least 1"):
        nd.depth_to_space(nd.array(D), 0)
    with pytest.raises(ValueError, match=r"depth_to_space: data must have 4 axes .*\(2, 4, 1\)"):
        nd.depth_to_space(nd.zeros((2, 4, 1)), 2)
    with pytest.raises(ValueError, match="space_to_depth: height and width .* block_size=3"):
        nd.space_to_depth(nd.array(S), block_size=3)
    with pytest.raises(ValueError, match="space_to_depth: data must have 4 axes"):
        nd.space_to_depth(nd.zeros((1, 2, 4, 4, 1)), 2)


# ------------------------------------------------------ squeeze, axes ---

def test_squeeze():
    y = nd.zeros((1, 3, 1))
    assert nd.squeeze(y).shape == (3,)                                 # MXNet 1.9.1
    assert nd.squeeze(y, axis=0).shape == (3, 1)
    assert nd.squeeze(y, axis=2).shape == (1, 3)
    assert nd.squeeze(y, axis=(0, 2)).shape == (3,)
    assert nd.squeeze(y, axis=-1).shape == (1, 3)
    assert nd.squeeze(y, axis=()).shape == (1, 3, 1)
    assert nd.squeeze(nd.zeros((1, 1, 1))).shape == (1,)              # keeps one axis
    assert nd.squeeze(nd.zeros((1, 1)), axis=0).shape == (1,)
    assert nd.squeeze(nd.zeros((1, 1, 1)), axis=(0, 2)).shape == (1,)
    assert nd.squeeze(nd.array(2.0)).shape == ()
    assert nd.squeeze(nd.zeros((0, 1))).shape == (0,)
    assert y.squeeze().shape == (3,) and y.squeeze(0).shape == (3, 1)
    assert y.squeeze(axis=2, inplace=True).shape == (1, 3)
    x = nd.array([[1.0], [2.0]], dtype="int32")
    s = nd.squeeze(x)
    check(s, [1, 2], np.int32)
    s[0] = 7                                                  # a view of x
    check(x, [[7], [2]])
    g, = grad_of(lambda v: nd.squeeze(v), np.ones((2, 1)))
    np.testing.assert_array_equal(g, [[1.0], [2.0]])
    with pytest.raises(ValueError, match=r"squeeze: axis 1 of shape \(1, 3, 1\) has length 3"):
        nd.squeeze(y, axis=1)
    with pytest.raises(ValueError, match="squeeze: axis=3 is out of range"):
        nd.squeeze(y, axis=3)
    with pytest.raises(ValueError, match="squeeze: .* repeats an axis"):
        nd.squeeze(y, axis=(0, 0))


def test_swapaxes_and_moveaxis():
    x = nd.array(B)
    check(nd.swapaxes(x, 0, 2), B.swapaxes(0, 2))
    check(nd.swapaxes(x), B)                                  # dim1 = dim2 = 0
    check(nd.swapaxes(x, dim1=1), B.swapaxes(0, 1))
    check(nd.swapaxes(x, -1, 0), B.swapaxes(0, 2))
    check(nd.SwapAxis(x, 1, 2), B.swapaxes(1, 2))
    check(x.swapaxes(0, 1), B.swapaxes(0, 1))
    check(x.swapaxes(dim1=0, dim2=2), B.swapaxes(0, 2))
    check(nd.moveaxis(x, 0, 2), np.moveaxis(B, 0, 2))
    check(nd.moveaxis(x, [0, 1], [-1, -2]), np.moveaxis(B, [0, 1], [-1, -2]))
    assert nd.moveaxis(x, [0, 1], [-1, -2]).shape == (4, 3, 2)        # MXNet 1.9.1
    check(nd.moveaxis(x, (2, 0), (0, 1)), np.moveaxis(B, (2, 0), (0, 1)))
    check(nd.moveaxis(nd.array(A, dtype="int32"), 0, 1), A.T, np.int32)
    g, = grad_of(lambda v: nd.swapaxes(v, 0, 1), np.zeros((2, 3)))
    np.testing.assert_array_equal(g, np.arange(1.0, 7.0).reshape(3, 2).T)
    g, = grad_of(lambda v: nd.moveaxis(v, 0, -1), np.zeros((2, 3, 4)))
    np.testing.assert_array_equal(g, np.moveaxis(np.arange(1.0, 25.0).reshape(3, 4, 2), -1, 0))
    with pytest.raises(ValueError, match="swapaxes: dim1=3 is out of range"):
        nd.swapaxes(x, 3, 0)
    with pytest.raises(ValueError, match="swapaxes: dim2=-4"):
        nd.swapaxes(x, 0, -4)
    with pytest.raises(ValueError, match="moveaxis: source=3 is out of range"):
        nd.moveaxis(x, 3, 0)
    with pytest.raises(ValueError, match="moveaxis: destination=-4"):
        nd.moveaxis(x, 0, -4)
    with pytest.raises(ValueError, match=r"moveaxis: source=\[0, 0\] repeats an axis"):
        nd.moveaxis(x, [0, 0], [1, 2])
    with pytest.raises(ValueError, match="moveaxis: .* same number of axes"):
        nd.moveaxis(x, [0, 1], [1])


# ------------------------------------------------------------ broadcast ---

def test_broadcast_axis():
    y = nd.array([[[1.0], [2.0]]])
    check(nd.broadcast_axis(y, axis=2, size=3), [[[1, 1, 1], [2, 2, 2]]])   # MXNet 1.9.1
    check(nd.broadcast_axis(y, axis=(0, 2), size=(2, 3)), np.broadcast_to(y.asnumpy(),
                                                                          (2, 2, 3)))
    check(nd.broadcast_axes(y, axis=(0, 2), size=(2, 3)), np.ones((2, 2, 3)) * [[1], [2]])
    check(nd.broadcast_axis(y), y.asnumpy())
    check(nd.broadcast_axis(y, axis=2, size=0), np.zeros((1, 2, 0)))
    check(nd.broadcast_axis(y, axis=-1, size=2), [[[1, 1], [2, 2]]])       # MXNet refuses -1
    check(nd.broadcast_axis(y, axis=1, size=2), y.asnumpy())               # already 2
    check(y.broadcast_axes(2, 2), [[[1, 1], [2, 2]]])
    check(y.broadcast_axes(axis=0, size=2), np.concatenate([y.asnumpy()] * 2))
    g, = grad_of(lambda v: nd.broadcast_axis(v, axis=(0, 2), size=(2, 3)), np.zeros((1, 2, 1)))
    np.testing.assert_array_equal(g, [[[1 + 2 + 3 + 7 + 8 + 9], [4 + 5 + 6 + 10 + 11 + 12]]])
    with pytest.raises(ValueError, match=r"broadcast_axis: axis 1 of shape \(1, 2, 1\) has "
                                         "length 2; only axes of length 1"):
        nd.broadcast_axis(y, axis=1, size=3)
    with pytest.raises(ValueError, match="broadcast_axis: axis=3 is out of range"):
        nd.broadcast_axis(y, axis=3, size=3)
    with pytest.raises(ValueError, match=r"broadcast_axis: size=\(2,\) must give one "
                                         "non-negative length for each axis"):
        nd.broadcast_axis(y, axis=(0, 2), size=(2,))
    with pytest.raises(ValueError, match="broadcast_axis: size=-1"):
        nd.broadcast_axis(y, axis=2, size=-1)


def test_broadcast_like():
    check(nd.broadcast_like(nd.array([[1, 2, 3]]), nd.zeros((2, 3))),
          [[1, 2, 3], [1, 2, 3]])                                           # MXNet 1.9.1
    check(nd.broadcast_like(nd.array([9]), nd.zeros((5,)), lhs_axes=(0,), rhs_axes=(-1,)),
          [9] * 5)
    check(nd.broadcast_like(nd.array([9]), nd.zeros((2, 5)), lhs_axes=(0,), rhs_axes=(-1,)),
          [9] * 5)
    assert nd.broadcast_like(nd.zeros((1, 1)), nd.zeros((2, 3)), lhs_axes=(0, 1),
                             rhs_axes=(1, 0)).shape == (3, 2)
    assert nd.broadcast_like(nd.zeros((1, 1)), nd.zeros((2, 3)), lhs_axes=(-2,),
                             rhs_axes=(-1,)).shape == (3, 1)
    check(nd.broadcast_like(nd.array([1, 2]), nd.zeros((3, 2))), [[1, 2]] * 3)  # numpy rule
    check(nd.zeros((1, 3), dtype="float64").broadcast_like(nd.zeros((2, 3), dtype="int32")),
          np.zeros((2, 3)), np.float64)
    check(nd.broadcast_like(nd.zeros((1, 3)), nd.zeros((1, 3))), np.zeros((1, 3)))
    # only rhs's shape is read: MXNet 1.9.1 gives it a zero gradient
    gl, gr = grad_of(lambda a, b: nd.broadcast_like(a, b), [[1.0, 2.0]], np.zeros((3, 2)))
    np.testing.assert_array_equal(gl, [[9.0, 12.0]])
    np.testing.assert_array_equal(gr, np.zeros((3, 2)))
    with pytest.raises(ValueError, match=r"broadcast_like: lhs of shape \(1, 3\) does not "
                                         r"broadcast to rhs's shape \(2, 4\)"):
        nd.broadcast_like(nd.zeros((1, 3)), nd.zeros((2, 4)))
    with pytest.raises(ValueError, match="broadcast_like: lhs of shape"):
        nd.broadcast_like(nd.zeros((2, 3)), nd.zeros((1, 3)))
    with pytest.raises(ValueError, match="broadcast_like: give both lhs_axes and rhs_axes"):
        nd.broadcast_like(nd.zeros((1, 1)), nd.zeros((2, 3)), lhs_axes=(0,))
    with pytest.raises(ValueError, match="broadcast_like: lhs_axes=.* must have the same "
                                         "length"):
        nd.broadcast_like(nd.zeros((1, 1)), nd.zeros((2, 3)), lhs_axes=(0,), rhs_axes=(1, 0))
    with pytest.raises(ValueError, match=r"broadcast_like: lhs_axes=\(5,\) is out of range"):
        nd.broadcast_like(nd.zeros((1, 1)), nd.zeros((2, 3)), lhs_axes=(5,), rhs_axes=(0,))
    with pytest.raises(ValueError, match=r"broadcast_like: rhs_axes=\(5,\) is out of range"):
        nd.broadcast_like(nd.zeros((1, 1)), nd.zeros((2, 3)), lhs_axes=(0,), rhs_axes=(5,))
    with pytest.raises(ValueError, match=r"broadcast_like: axis 0 of shape \(2, 1\) has "
                                         "length 2"):
        nd.broadcast_like(nd.zeros((2, 1)), nd.zeros((4, 3)), lhs_axes=(0,), rhs_axes=(0,))


# --------------------------------------------------------- reshape_like ---

def test_reshape_like():
    a = nd.arange(6)
    check(nd.reshape_like(a, nd.zeros((3, 2))), [[0, 1], [2, 3], [4, 5]])   # MXNet 1.9.1
    shape = nd.reshape_like(nd.zeros((30, 7)), nd.zeros((15, 2, 4)), lhs_begin=0, lhs_end=1,
                            rhs_begin=0, rhs_end=2).shape
    assert shape == (15, 2, 7)
    assert nd.reshape_like(nd.zeros((3, 5)), nd.zeros((1, 15, 4)), lhs_begin=0, lhs_end=2,
                           rhs_begin=1, rhs_end=2).shape == (15,)
    assert nd.reshape_like(nd.zeros((30, 12)), nd.zeros((4, 2, 2, 3)), lhs_begin=-1,
                           lhs_end=None, rhs_begin=1, rhs_end=None).shape == (30, 2, 2, 3)
    assert nd.reshape_like(nd.zeros((2, 3, 1)), nd.zeros((6,)), lhs_begin=0,
                           lhs_end=2).shape == (6, 1)
    assert a.reshape_like(nd.zeros((1, 6, 2)), rhs_begin=1, rhs_end=2).shape == (6,)
    assert a.reshape_like(nd.zeros((3, 2)), 0, 1, 0, 2).shape == (3, 2)
    # an empty range inserts axes (MXNet 1.9.1 refuses it)
    assert nd.reshape_like(nd.zeros((2, 3)), nd.zeros((1, 1)), lhs_begin=1,
                           lhs_end=1).shape == (2, 1, 1, 3)
    assert nd.reshape_like(nd.array(2.0), nd.zeros((1, 1))).shape == (1, 1)
    x = nd.zeros((2, 3), dtype="int64")
    r = nd.reshape_like(x, nd.zeros((6,)))
    assert r.dtype is np.int64
    r[0] = 5                                                   # a view of lhs
    assert x.asnumpy()[0, 0] == 5
    gl, gr = grad_of(lambda u, v: nd.reshape_like(u, v), [[1.0, 2.0]], np.zeros((2, 1)))
    np.testing.assert_array_equal(gl, [[1.0, 2.0]])            # MXNet 1.9.1
    np.testing.assert_array_equal(gr, [[0.0], [0.0]])


def test_reshape_like_errors():
    with pytest.raises(ValueError, match=r"reshape_like: cannot reshape lhs of shape \(6,\) "
                                         r"\(size 6\) into \(4, 2\)"):
        nd.reshape_like(nd.arange(6), nd.zeros((4, 2)))
    with pytest.raises(ValueError, match="reshape_like: lhs_begin=5, lhs_end=None is not a "
                                         "range of the 2 axes of lhs"):
        nd.reshape_like(nd.zeros((2, 3)), nd.zeros((3, 2)), lhs_begin=5)
    with pytest.raises(ValueError, match="reshape_like: lhs_begin=1, lhs_end=0"):
        nd.reshape_like(nd.zeros((2, 3)), nd.zeros((3, 2)), lhs_begin=1, lhs_end=0)
    with pytest.raises(ValueError, match="reshape_like: rhs_begin=-3"):
        nd.reshape_like(nd.zeros((2, 3)), nd.zeros((6,)), rhs_begin=-3)
    with pytest.raises(TypeError, match="reshape_like: lhs_end must be an integer"):
        nd.reshape_like(nd.zeros((2, 3)), nd.zeros((6,)), lhs_end=1.5)


# -------------------------------------------------------------- reshape ---

# (input shape, shape codes, reverse, output shape), MXNet 1.9.1
RESHAPES = [
    ((2, 3, 4), (4, 0, 2), False, (4, 3, 2)),
    ((2, 3, 4), (2, 0, 0), False, (2, 3, 4)),
    ((2, 3, 4), (6, 1, -1), False, (6, 1, 4)),
    ((2, 3, 4), (3, -1, 8), False, (3, 1, 8)),
    ((2, 3, 4), (-1,), False, (24,)),
    ((2, 3, 4), (-2,), False, (2, 3, 4)),
    ((2, 3, 4), (2, -2), False, (2, 3, 4)),
    ((2, 3, 4), (-2, 1, 1), False, (2, 3, 4, 1, 1)),
    ((2, 3, 4), (-3, 4), False, (6, 4)),
    ((2, 3, 4, 5), (-3, -3), False, (6, 20)),
    ((2, 3, 4), (0, -3), False, (2, 12)),
    ((2, 3, 4), (-3, -2), False, (6, 4)),
    ((2, 3, 4), (-4, 1, 2, -2), False, (1, 2, 3, 4)),
    ((2, 3, 4), (2, -4, -1, 3, -2), False, (2, 1, 3, 4)),
    ((2, 3, 4), (-4, -1, 1, -2), False, (2, 1, 3, 4)),
    ((2, 3, 4), (-1, 0), False, (8, 3)),
    ((2, 3, 4), (-1, -3), False, (2, 12)),
    ((2, 3, 4), (-1, -2), False, (2, 3, 4)),
    ((10, 5, 4), (-1, 0), False, (40, 5)),
    ((10, 5, 4), (-1, 0), True, (50, 4)),
    ((2, 3, 4), (0, -1), True, (3, 8)),
    ((2, 3, 4), (1, -2), True, (1, 2, 3, 4)),
    ((2, 3, 4), (4, 0, -1), True, (4, 3, 2)),
    ((2, 3, 4), (-1, -3), True, (2, 12)),
    ((2, 3, 4), (6, -1), True, (6, 4)),
    ((2, 3, 4), (4, 6), True, (4, 6)),
]


@pytest.mark.parametrize("old,codes,reverse,new", RESHAPES)
def test_reshape_codes_match_mxnet(old, codes, reverse, new):
    a = np.arange(float(np.prod(old))).reshape(old)
    x = nd.array(a)
    check(nd.reshape(x, codes, reverse=reverse), a.reshape(new))
    check(nd.Reshape(x, shape=codes, reverse=reverse), a.reshape(new))
    check(x.reshape(codes, reverse=reverse), a.reshape(new))
    check(x.reshape(*codes, reverse=reverse), a.reshape(new))
    check(x.reshape(shape=codes, reverse=reverse), a.reshape(new))


def test_reshape_where_mxnet_fails_or_is_wrong():
    z = nd.zeros((2, 3, 4))
    # MXNet 1.9.1 fills the wrong axis for a -1 after -2: (2, 1, 4, 1)
    assert nd.reshape(z, (-2, -1)).shape == (2, 3, 4, 1)
    # MXNet 1.9.1 cannot read -4 from the right; here the split keeps its order
    assert nd.reshape(z, (-1, -4, 2, 2), reverse=True).shape == (6, 2, 2)
    assert nd.reshape(z, (-2, -4, 2, -1), reverse=True).shape == (2, 3, 2, 2)
    assert nd.reshape(nd.array(3.0), (1,)).shape == (1,)
    assert nd.reshape(nd.array(3.0), (-1,)).shape == (1,)
    assert nd.reshape(nd.zeros((2, 0, 3)), (0, -1, 3)).shape == (2, 0, 3)
    assert nd.reshape(nd.zeros((1, 2)), 2).shape == (2,)
    assert nd.array(3.0).reshape(()).shape == ()


def test_reshape_is_a_differentiable_view():
    x = nd.array(B)
    r = x.reshape(-3, -2)
    r[0] = -1.0
    assert (x.asnumpy()[0, 0] == -1.0).all()
    g, = grad_of(lambda v: nd.reshape(v, (-4, 1, 2, -2)), np.zeros((2, 3)))
    np.testing.assert_array_equal(g, [[1, 2, 3], [4, 5, 6]])
    g, = grad_of(lambda v: v.reshape((-1, 0), reverse=True), np.zeros((2, 3)))
    np.testing.assert_array_equal(g, [[1, 2, 3], [4, 5, 6]])


def test_reshape_errors():
    z = nd.zeros((2, 3, 4))
    # nd.reshape does not check sizes in MXNet 1.9.1 (it gives shape (6,)); here it raises
    with pytest.raises(ValueError, match=r"reshape: cannot reshape an array of shape "
                                         r"\(2, 3, 4\) \(size 24\) into \(6,\)"):
        nd.reshape(z, (-3,))
    with pytest.raises(ValueError, match=r"into \(4, 7\)"):
        z.reshape(4, 7)
    with pytest.raises(ValueError, match="reshape: code 0 in shape .* has no input axis"):
        nd.reshape(z, (0, 0, 0, 0))
    with pytest.raises(ValueError, match="reshape: code -3 in shape"):
        nd.reshape(z, (-3, -3))
    with pytest.raises(ValueError, match="reshape: at most one -1"):
        nd.reshape(z, (-1, -1))
    with pytest.raises(ValueError, match="reshape: cannot infer the -1 in shape"):
        nd.reshape(z, (5, -1))
    with pytest.raises(ValueError, match="reshape: -4 in shape .* both -1"):
        nd.reshape(z, (-4, -1, -1, -2))
    with pytest.raises(ValueError, match="reshape: -4 in shape .* must be followed by the "
                                         "two dimensions"):
        nd.reshape(z, (-4, 2))
    with pytest.raises(ValueError, match=r"reshape: -4 in shape .* cannot split an axis of "
                                         r"length 2 into \(3, 1\)"):
        nd.reshape(z, (-4, 3, 1, -2))
    with pytest.raises(ValueError, match="reshape: -5 in shape .* is not a dimension or one "
                                         "of MXNet's codes"):
        nd.reshape(z, (-5,))
    with pytest.raises(TypeError, match="reshape: shape must be a tuple of integers"):
        nd.reshape(z, (2.0, 12))
    with pytest.raises(TypeError, match=r"reshape\(\) got unexpected arguments \['foo'\]"):
        z.reshape(4, 6, foo=1)
    with pytest.raises(TypeError, match="both by position and as shape="):
        z.reshape(4, 6, shape=(4, 6))
    with pytest.raises(TypeError, match=r"reshape\(\) needs a shape"):
        z.reshape()


# ------------------------------------------------------- split, split_v2 ---

def _shapes(parts):
    return [p.shape for p in parts]


def test_split_v2():
    x = nd.array(B)
    parts = nd.split_v2(x, 2)
    assert _shapes(parts) == [(1, 3, 4)] * 2                            # MXNet 1.9.1
    check(parts[1], B[1:])
    parts = nd.split_v2(x, (1, 3), axis=2)
    assert _shapes(parts) == [(2, 3, 1), (2, 3, 2), (2, 3, 1)]
    for p, want in zip(parts, np.split(B, [1, 3], axis=2)):
        check(p, want)
    parts = nd.split_v2(x, [0, 2], axis=-1)                   # a list (MXNet: tuples only)
    assert _shapes(parts) == [(2, 3, 0), (2, 3, 2), (2, 3, 2)]
    assert _shapes(nd.split_v2(x, (2, 2), axis=2)) == [(2, 3, 2), (2, 3, 0), (2, 3, 2)]
    assert _shapes(nd.split_v2(x, 3, axis=1, squeeze_axis=True)) == [(2, 4)] * 3
    assert _shapes(nd.split_v2(x, (1, 2), axis=1, squeeze_axis=True)) == [(2, 4)] * 3
    one = nd.split_v2(x, 1)
    assert not isinstance(one, list) and one.shape == (2, 3, 4)
    assert nd.split_v2(x, (), axis=1).shape == (2, 3, 4)
    assert _shapes(nd.split_v2(nd.arange(3), 3, squeeze_axis=True)) == [()] * 3
    assert nd.split_v2(nd.arange(1), 1, squeeze_axis=True).shape == ()
    assert _shapes(x.split_v2(2, axis=2)) == [(2, 3, 2)] * 2
    assert nd.split_v2(nd.array(A, dtype="int32"), 2)[0].dtype is np.int32


def test_split_v2_gradient_goes_to_each_slice():
    def f(v):
        a, b, c = nd.split_v2(v, (1, 3), axis=1)
        return nd.concat(c * 3.0, b * 2.0, a, dim=1)
    g, = grad_of(f, np.zeros((2, 4)))
    # head 1..8 on [c | b | a] of widths 1, 2, 1
    np.testing.assert_array_equal(g, [[4.0, 4.0, 6.0, 3.0], [8.0, 12.0, 14.0, 15.0]])


def test_split_v2_errors():
    x = nd.array(B)
    with pytest.raises(ValueError, match=r"split_v2: axis 0 of shape \(2, 3, 4\) does not "
                                         "divide into 3 equal parts"):
        nd.split_v2(x, 3)
    with pytest.raises(ValueError, match="split_v2: axis 0 .* into 0 equal parts"):
        nd.split_v2(x, 0)
    with pytest.raises(ValueError, match=r"split_v2: indices \(5,\) must be sorted and "
                                         r"within \[0, 4\]"):
        nd.split_v2(x, (5,), axis=2)
    with pytest.raises(ValueError, match=r"split_v2: indices \(3, 1\)"):
        nd.split_v2(x, (3, 1), axis=2)
    with pytest.raises(ValueError, match=r"split_v2: indices \(-1,\)"):
        nd.split_v2(x, (-1,), axis=2)
    with pytest.raises(ValueError, match="split_v2: squeeze_axis=True needs parts of length "
                                         "1 along axis 1, got a part of length 2"):
        nd.split_v2(x, (1,), axis=1, squeeze_axis=True)
    with pytest.raises(ValueError, match="split_v2: axis=3 is out of range"):
        nd.split_v2(x, 2, 3)
    with pytest.raises(TypeError, match="split_v2: indices_or_sections must be an int or a "
                                        "tuple"):
        nd.split_v2(x, 2.0)


def test_split_squeeze_follows_mxnet():
    x = nd.array(B)
    assert _shapes(nd.split(x, num_outputs=3, axis=1, squeeze_axis=True)) == [(2, 4)] * 3
    assert _shapes(x.split(num_outputs=2, axis=0)) == [(1, 3, 4)] * 2
    assert _shapes(nd.split(nd.arange(3), 3, axis=0, squeeze_axis=True)) == [()] * 3
    assert nd.split(x, 1, axis=0).shape == (2, 3, 4)
    with pytest.raises(ValueError, match="split: squeeze_axis=True needs parts of length 1"):
        nd.split(x, 1, axis=0, squeeze_axis=True)
    with pytest.raises(ValueError, match="split: axis 1 of shape .* num_outputs=2"):
        nd.split(x, 2)


# ---------------------------------------------------- aliases and casts ---

def test_concat_aliases_and_concatenate():
    a, b = nd.array(A), nd.array([[5.0, 6.0]])
    check(nd.Concat(a, b, dim=0), [[1, 2], [3, 4], [5, 6]])
    check(nd.Concat(a, a), np.concatenate([A, A], axis=1))            # default dim=1
    check(nd.concatenate([a, b]), [[1, 2], [3, 4], [5, 6]])          # default axis=0
    check(nd.concatenate((a, b), axis=-2), [[1, 2], [3, 4], [5, 6]])
    check(nd.concatenate([a, a], 1), np.concatenate([A, A], axis=1))
    assert nd.concatenate([a], always_copy=False) is a
    c = nd.concatenate([a])
    assert c is not a
    check(c, A)
    gl, gr = grad_of(lambda u, v: nd.concatenate([u, v]), A, [[5.0, 6.0]])
    np.testing.assert_array_equal(gl, [[1, 2], [3, 4]])
    np.testing.assert_array_equal(gr, [[5, 6]])
    with pytest.raises(ValueError, match="concatenate: arrays must be a non-empty list"):
        nd.concatenate([])
    with pytest.raises(ValueError, match="concat along axis 1"):
        nd.concatenate([a, b], axis=1)


def test_flatten_alias():
    check(nd.Flatten(nd.array(B)), B.reshape(2, 12))
    check(nd.Flatten(nd.arange(3)), [[0], [1], [2]])                  # MXNet 1.9.1


def test_cast():
    check(nd.cast(nd.array([0.9, 1.3, -1.7]), dtype="int32"), [0, 1, -1], np.int32)
    check(nd.Cast(nd.array([0.5, 1.25]), dtype="float64"), [0.5, 1.25], np.float64)
    check(nd.cast(nd.array([0.5, 1.25]), dtype=np.float16), [0.5, 1.25], np.float16)
    check(nd.cast(nd.array([0.9, 0, -2]), dtype="bool"), [True, False, True], np.bool_)
    check(nd.cast(nd.array([0.9]), "int64"), [0], np.int64)
    check(nd.cast(nd.array([3.7, 200]), "uint8"), [3, 200], np.uint8)
    check(nd.cast(nd.array([-3.7, 100]), "int8"), [-3, 100], np.int8)
    check(nd.cast(nd.array([0.5]), dtype="float"), [0.5], np.float64)
    check(nd.cast(nd.array([1e20, 11.1]), dtype="float16"), [np.inf, 11.1015625])
    # float to float is differentiable; the gradient comes back in the input's dtype
    x = nd.array([1.0, 2.0])
    x.attach_grad()
    with autograd.record():
        y = nd.cast(x, "float64") * nd.array([3.0, 4.0], dtype="float64")
    y.backward()
    check(x.grad, [3.0, 4.0], np.float32)
    # to an integer type it has zero derivative (MXNet passes the gradient through)
    with autograd.record():
        z = (nd.cast(x * 1.5, "int32").astype("float32") * x).sum()
    z.backward()
    check(x.grad, [1.0, 3.0])
    for bad in ("uint16", "int16", "bfloat16", "complex64", "nonsense"):
        with pytest.raises(TypeError, match="cast: dtype=.* is not one of bool, float16, "
                                            "float32, float64, int8, int32, int64, uint8"):
            nd.cast(x, bad)


def test_shape_array_and_size_array():
    x = nd.array(B)
    check(nd.shape_array(x), [2, 3, 4], np.int64)
    check(nd.size_array(x), [24], np.int64)
    check(x.shape_array(), [2, 3, 4], np.int64)
    check(x.size_array(), [24], np.int64)
    check(nd.shape_array(nd.array([1, 2], dtype="int32")), [2], np.int64)
    check(nd.shape_array(nd.array(3.0)), np.zeros(0), np.int64)
    check(nd.size_array(nd.array(3.0)), [1], np.int64)
    check(nd.size_array(nd.zeros((2, 0))), [0], np.int64)
    v = nd.array(A)
    v.attach_grad()
    with autograd.record():
        s = nd.shape_array(v)
    with pytest.raises(RuntimeError, match="not part of a recorded graph"):
        s.backward()
    assert s.asnumpy().tolist() == [2, 2]


# ------------------------------------------------- methods and failures ---

def test_fluent_methods_are_the_nd_functions():
    x = nd.array(B)
    for name, args in [("tile", ((1, 2),)), ("repeat", (2, 0)), ("flip", (1,)),
                       ("swapaxes", (0, 2)), ("squeeze", ()), ("broadcast_axes", ((), ())),
                       ("reshape_like", (nd.zeros((6, 4)),)), ("split_v2", (2,)),
                       ("shape_array", ()), ("size_array", ())]:
        got, want = getattr(x, name)(*args), getattr(nd, name)(x, *args)
        for g, w in zip(got if isinstance(got, list) else [got],
                        want if isinstance(want, list) else [want]):
            check(g, w.asnumpy())
    for name in ("moveaxis", "reverse", "broadcast_axis", "cast", "SwapAxis"):
        with pytest.raises(AttributeError):                   # not NDArray methods in MXNet
            getattr(x, name)


@pytest.mark.parametrize("call", [
    lambda x: nd.tile(x, (0,)), lambda x: nd.repeat(x, -1), lambda x: nd.flip(x, 5),
    lambda x: nd.pad(x, "edge", (1, 1)), lambda x: nd.squeeze(x, 1),
    lambda x: nd.swapaxes(x, 0, 9), lambda x: nd.broadcast_axis(x, 1, 5),
    lambda x: nd.reshape_like(x, nd.zeros((7,))), lambda x: nd.depth_to_space(x, 2),
    lambda x: nd.split_v2(x, 4, axis=1), lambda x: nd.reshape(x, (7, -1)),
    lambda x: x.reshape(5, 5), lambda x: nd.cast(x, "int16")])
def test_a_failed_call_changes_nothing(call):
    x = nd.array(np.arange(6.0).reshape(2, 3))
    x.attach_grad()
    with autograd.record():
        y = x * 2.0
        with pytest.raises((ValueError, TypeError)):
            call(y)
        z = (y * y).sum()
    z.backward()
    check(x.grad, 8.0 * np.arange(6.0).reshape(2, 3))
    check(y, 2.0 * np.arange(6.0).reshape(2, 3))


def test_second_derivative_through_pad_and_tile():
    """d/dx of sum(f(x)**2) is linear in x; its gradient wrt x again is
    2 * Jᵀ J 1 — for edge padding, twice the square of each input's copy
    count."""
    x = nd.array(np.array([1.0, -2.0, 0.5]), dtype="float64")
    x.attach_grad()
    with autograd.record():
        y = nd.tile(nd.pad(x, "edge", (2, 1)), (2,))
        g, = autograd.grad((y * y).sum(), [x], create_graph=True)
        h = g.sum()
    h.backward()
    counts = np.array([3.0, 1.0, 2.0]) * 2                     # edge copies, then 2 tiles
    check(g, 2 * counts * x.asnumpy())
    check(x.grad, 2 * counts)
