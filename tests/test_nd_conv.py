"""The layer ops (``dualtape.ops.conv``): values against MXNet 1.9.1 outputs
recorded as literals and against the plain numpy references of
``conv_reference`` (themselves checked against MXNet 1.9.1 on random
inputs), gradients by recording and by ``check_grad`` to second order,
dtypes, shapes and the errors."""
import numpy as np
import pytest

import dualtape as dt
from dualtape import autograd, nd
from dualtape._engine import NDArray

import conv_reference as ref
from helpers import check

LOWEST32 = float(np.finfo(np.float32).min)


def _rand(rng, *shape):
    return rng.standard_normal(shape)


def f64(a):
    return nd.array(a, dtype="float64")


@pytest.fixture
def rng():
    return np.random.default_rng(0)


def _grads(f, *arrays, head=None):
    """Value and gradients of ``f`` by recording and ``backward(head)``."""
    xs = [a if isinstance(a, NDArray) else nd.array(a) for a in arrays]
    for x in xs:
        x.attach_grad()
    with autograd.record():
        y = f(*xs)
    y.backward(None if head is None else nd.array(head, dtype=y.dtype))
    return y, [x.grad for x in xs]


# ------------------------------------------------------------ MXNet facts ---

def test_no_fluent_methods_as_in_mxnet():
    x = nd.ones((1, 1, 2, 2))
    for name in ("FullyConnected", "Convolution", "Deconvolution", "Pooling", "Embedding",
                 "UpSampling", "im2col", "col2im"):
        assert hasattr(nd, name)
        assert not hasattr(x, name)


# ------------------------------------------------------- FullyConnected ---

def test_fully_connected_matches_mxnet():
    x = nd.array(np.arange(24).reshape(2, 3, 4))
    w = nd.array(np.arange(60).reshape(5, 12) % 4 - 1.5)
    b = nd.arange(5)
    y, (gx, gw, gb) = _grads(lambda x, w, b: nd.FullyConnected(x, w, b, num_hidden=5), x, w, b,
                             head=np.arange(10).reshape(2, 5) % 3)
    # MXNet 1.9.1
    check(y, [[15.0, 16.0, 17.0, 18.0, 19.0]] * 2, np.float32)
    check(gx, [[[-6.0, -2.0, 2.0, 6.0]] * 3, [[-7.5, -2.5, 2.5, 7.5]] * 3])
    check(gw[1], np.arange(12.0))
    check(gw[2], np.arange(12, 47, 3.0))
    check(gb, [2.0, 1.0, 3.0, 2.0, 1.0])


@pytest.mark.parametrize("flatten", [True, False])
@pytest.mark.parametrize("no_bias", [True, False])
def test_fully_connected_against_reference(rng, flatten, no_bias):
    x = _rand(rng, 3, 2, 4)
    w = _rand(rng, 5, 8 if flatten else 4)
    b = None if no_bias else _rand(rng, 5)
    y = nd.FullyConnected(f64(x), f64(w), None if no_bias else f64(b), num_hidden=5,
                          no_bias=no_bias, flatten=flatten)
    check(y, ref.fully_connected(x, w, b, flatten), np.float64, rtol=1e-12)


def test_fully_connected_shapes():
    w = nd.ones((5, 4))
    assert nd.FullyConnected(nd.ones((4,)), w, num_hidden=5, no_bias=True,
                             flatten=False).shape == (5,)                   # MXNet: (5,)
    assert nd.FullyConnected(nd.ones((4,)), nd.ones((5, 1)), num_hidden=5,
                             no_bias=True).shape == (4, 5)                  # MXNet: (4, 5)
    assert nd.FullyConnected(nd.ones((0, 4)), w, nd.ones(5), num_hidden=5).shape == (0, 5)
    y = nd.FullyConnected(nd.ones((2, 2), dtype="float64"), nd.ones((3, 2), dtype="float64"),
                          nd.ones(3, dtype="float64"), num_hidden=3)
    check(y, np.full((2, 3), 3.0), np.float64)


def test_fully_connected_errors():
    x, w, b = nd.ones((2, 3, 4)), nd.ones((5, 12)), nd.ones(5)
    with pytest.raises(ValueError, match=r"FullyConnected: weight must have shape .*\(4, 12\)"):
        nd.FullyConnected(x, w, b, num_hidden=4)
    with pytest.raises(ValueError, match=r"FullyConnected: weight .*\(5, 4\)"):
        nd.FullyConnected(x, w, b, num_hidden=5, flatten=False)
    with pytest.raises(ValueError, match=r"FullyConnected: bias must have shape \(5,\)"):
        nd.FullyConnected(x, w, nd.ones(4), num_hidden=5)
    with pytest.raises(ValueError, match="FullyConnected: bias is required unless no_bias"):
        nd.FullyConnected(x, w, num_hidden=5)
    with pytest.raises(ValueError, match="FullyConnected: a bias was given with no_bias=True"):
        nd.FullyConnected(x, w, b, num_hidden=5, no_bias=True)
    with pytest.raises(TypeError, match="FullyConnected: num_hidden is required"):
        nd.FullyConnected(x, w, b)
    with pytest.raises(ValueError, match="FullyConnected: num_hidden must be a positive int"):
        nd.FullyConnected(x, w, b, num_hidden=0)
    with pytest.raises(TypeError, match="FullyConnected: operands have different dtypes"):
        nd.FullyConnected(x, w.astype("float64"), b, num_hidden=5)
    with pytest.raises(TypeError, match="FullyConnected: needs floating-point arrays"):
        nd.FullyConnected(x.astype("int32"), w.astype("int32"), b.astype("int32"),
                          num_hidden=5)


# ---------------------------------------------------------- Convolution ---

X2 = [[[[-2.0, -1.0, 0.0], [1.0, 2.0, -2.0], [-1.0, 0.0, 1.0]],
       [[2.0, -2.0, -1.0], [0.0, 1.0, 2.0], [-2.0, -1.0, 0.0]]]]
W2 = [[[[-1.0, 0.0], [1.0, -1.0]], [[0.0, 1.0], [-1.0, 0.0]]],
      [[[1.0, -1.0], [0.0, 1.0]], [[-1.0, 0.0], [1.0, -1.0]]]]


def test_convolution_matches_mxnet():
    x, w, b = nd.array(X2), nd.array(W2), nd.array([0.5, -1])
    # MXNet 1.9.1
    check(nd.Convolution(x, w, b, kernel=(2, 2), num_filter=2),
          [[[[-0.5, 3.5], [1.5, 0.5]], [[-3.0, -3.0], [-3.0, 2.0]]]], np.float32)
    check(nd.Convolution(x, w, b, kernel=(2, 2), num_filter=2, pad=(1, 0), stride=(2, 1),
                         dilate=(1, 2)),
          [[[[-3.5], [1.5]], [[2.0], [1.0]]]], np.float32)
    wg = nd.array(np.arange(8).reshape(2, 1, 2, 2) % 3 - 1)
    check(nd.Convolution(x, wg, kernel=(2, 2), num_filter=2, num_group=2, no_bias=True),
          [[[[1.0, 5.0], [-2.0, -3.0]], [[-2.0, -2.0], [3.0, 3.0]]]], np.float32)


def test_convolution_1d_and_its_gradients_match_mxnet():
    x1, w1 = nd.array([[[1, -2, 3, 0, 2]]]), nd.array([[[1, 2]], [[-1, 1]]])
    y, (gx, gw) = _grads(lambda x, w: nd.Convolution(x, w, kernel=(2,), num_filter=2,
                                                      no_bias=True, pad=(1,), stride=(2,)),
                         x1, w1, head=[[[1, 2, 3], [-1, 0, 1]]])
    # MXNet 1.9.1
    check(y, [[[2.0, 4.0, 4.0], [1.0, 5.0, 2.0]]])
    check(gx, [[[1.0, 2.0, 4.0, 2.0, 7.0]]])
    check(gw, [[[-4.0, 13.0]], [[0.0, 1.0]]])


CONV_CASES = [
    (2, dict()),
    (2, dict(stride=(2, 1), pad=(1, 2), dilate=(1, 2))),
    (1, dict(stride=(2,), pad=(1,), dilate=(2,))),
    (2, dict(num_group=2)),
    (2, dict(num_group=2, stride=(3, 2), pad=(2, 1))),
    (3, dict(stride=(1, 2, 1), pad=(0, 1, 1))),
]


@pytest.mark.parametrize("nd_,kw", CONV_CASES)
def test_convolution_against_reference(rng, nd_, kw):
    g = kw.get("num_group", 1)
    x, w, b = _rand(rng, 2, 4, *([6] * nd_)), _rand(rng, 6, 4 // g, *([3] * nd_)), _rand(rng, 6)
    y = nd.Convolution(f64(x), f64(w), f64(b), kernel=(3,) * nd_, num_filter=6, **kw)
    check(y, ref.convolution(x, w, b, **kw), np.float64, rtol=1e-10, atol=1e-10)
    y32 = nd.Convolution(nd.array(x), nd.array(w), nd.array(b), kernel=(3,) * nd_,
                         num_filter=6, **kw)
    check(y32, ref.convolution(x, w, b, **kw), np.float32, rtol=1e-4, atol=1e-4)


def test_convolution_accepts_compatibility_arguments_and_empty_batches():
    x, w = nd.ones((2, 2, 3, 3)), nd.ones((1, 2, 2, 2))
    y = nd.Convolution(x, w, kernel=(2, 2), num_filter=1, no_bias=True, layout="NCHW",
                       workspace=10, cudnn_tune="fastest", cudnn_off=True, stride=(), pad=[])
    check(y, np.full((2, 1, 2, 2), 8.0), np.float32)
    assert nd.Convolution(nd.ones((0, 2, 3, 3)), w, kernel=(2, 2), num_filter=1,
                          no_bias=True).shape == (0, 1, 2, 2)
    h = nd.Convolution(nd.ones((1, 2, 3, 3), dtype="float16"), w.astype("float16"),
                       kernel=(2, 2), num_filter=1, no_bias=True)
    check(h, np.full((1, 1, 2, 2), 8.0), np.float16)


def test_convolution_second_order():
    rng = np.random.default_rng(1)
    x, w, b = f64(_rand(rng, 1, 2, 4, 4)), f64(_rand(rng, 2, 1, 2, 2)), f64(_rand(rng, 2))

    def f(x, w, b):
        y = nd.Convolution(x, w, b, kernel=(2, 2), num_filter=2, num_group=2, stride=(2, 1),
                           pad=(1, 0), dilate=(1, 2))
        return y * y
    dt.check_grad(f, x, w, b, order=2)


def test_convolution_errors():
    x, w, b = nd.ones((2, 4, 5, 5)), nd.ones((6, 2, 3, 3)), nd.ones(6)

    def conv(data=x, weight=w, bias=b, **kw):
        args = dict(kernel=(3, 3), num_filter=6, num_group=2)
        args.update(kw)
        return nd.Convolution(data, weight, bias, **args)
    with pytest.raises(ValueError, match=r"Convolution: weight must have shape "
                                         r"\(6, 4, 3, 3\), got \(6, 2, 3, 3\)"):
        conv(num_group=1)
    with pytest.raises(ValueError, match="Convolution: num_group=3 must divide both"):
        conv(num_group=3)
    with pytest.raises(ValueError, match="Convolution: num_group=2 must divide .* num_filter"):
        conv(num_filter=5)
    with pytest.raises(ValueError, match=r"Convolution: kernel=\(3,\) needs 2 values"):
        conv(kernel=(3,))
    with pytest.raises(ValueError, match=r"Convolution: stride=\(2,\) needs 2 values"):
        conv(stride=(2,))
    with pytest.raises(ValueError, match=r"Convolution: pad=\(1, 1, 1\) needs 2 values"):
        conv(pad=(1, 1, 1))
    with pytest.raises(ValueError, match=r"Convolution: stride=\(0, 1\) must be >= 1"):
        conv(stride=(0, 1))
    with pytest.raises(ValueError, match=r"Convolution: dilate=\(0, 1\) must be >= 1"):
        conv(dilate=(0, 1))
    with pytest.raises(ValueError, match=r"Convolution: pad=\(-1, 1\) must be >= 0"):
        conv(pad=(-1, 1))
    with pytest.raises(ValueError, match="Convolution: the window .* exceeds the padded input "
                                         r"\(5\) along spatial axis 0"):
        conv(dilate=(3, 3))
    with pytest.raises(TypeError, match="Convolution: kernel is required"):
        conv(kernel=None)
    with pytest.raises(TypeError, match="Convolution: num_filter is required"):
        conv(num_filter=None)
    with pytest.raises(ValueError, match="Convolution: num_group must be a positive int"):
        conv(num_group=0)
    with pytest.raises(ValueError, match=r"Convolution: data must be 3-D .*got shape \(5, 5\)"):
        conv(data=x[0, 0])
    with pytest.raises(ValueError, match=r"Convolution: kernel=\(3, 3\) needs 1 value, one per "
                                         r"spatial axis"):
        conv(data=x[0])
    with pytest.raises(ValueError, match=r"Convolution: layout must be None or 'NCHW'.*'NHWC'"):
        conv(layout="NHWC")
    with pytest.raises(ValueError, match=r"Convolution: layout must be None or 'NCHW'.*'NCW'"):
        conv(layout="NCW")
    with pytest.raises(ValueError, match="Convolution: cudnn_tune must be one of None, "
                                         "'fastest', 'limited_workspace', 'off'"):
        conv(cudnn_tune="foo")
    with pytest.raises(ValueError, match=r"Convolution: bias must have shape \(6,\)"):
        conv(bias=nd.ones(5))
    with pytest.raises(ValueError, match="Convolution: bias is required"):
        nd.Convolution(x, w, kernel=(3, 3), num_filter=6, num_group=2)
    with pytest.raises(TypeError, match="Convolution: needs floating-point arrays"):
        conv(data=x.astype("int32"), weight=w.astype("int32"), bias=b.astype("int32"))
    with pytest.raises(TypeError, match="Convolution: operands have different dtypes"):
        conv(weight=w.astype("float64"))


# -------------------------------------------------------- Deconvolution ---

XD = np.arange(8).reshape(1, 2, 2, 2) % 3 - 1.0


def test_deconvolution_matches_mxnet():
    x, w = nd.array(XD), nd.array(W2)
    # MXNet 1.9.1
    check(nd.Deconvolution(x, w, kernel=(2, 2), num_filter=2, stride=(2, 2), pad=(1, 1),
                           adj=(1, 0)),
          [[[[1.0, 0.0], [1.0, 1.0], [-2.0, -1.0]], [[0.0, 1.0], [1.0, 0.0], [1.0, 1.0]]]],
          np.float32)
    check(nd.Deconvolution(x, w, nd.array([0.5, -1]), kernel=(2, 2), num_filter=2,
                           no_bias=False),
          [[[[1.5, 1.5, -0.5], [-2.5, 3.5, 1.5], [1.5, -2.5, 1.5]],
            [[-1.0, -3.0, -1.0], [1.0, 1.0, -3.0], [-3.0, 1.0, -1.0]]]], np.float32)
    check(nd.Deconvolution(f64(XD), f64(W2), kernel=(2, 2), num_filter=2, stride=(2, 2),
                           target_shape=(3, 4)),
          [[[[-1.0, 1.0, 0.0, 1.0], [-2.0, 1.0, 1.0, 0.0], [1.0, -2.0, -1.0, 1.0]],
            [[1.0, 0.0, 1.0, -1.0], [1.0, 1.0, 0.0, -1.0], [-2.0, 1.0, 1.0, 0.0]]]],
          np.float64)


DECONV_CASES = [
    (2, dict()),
    (2, dict(stride=(2, 2), pad=(1, 0), adj=(1, 1))),
    (2, dict(stride=(2, 3), adj=(1, 2))),
    (2, dict(num_group=2, dilate=(2, 1), pad=(2, 1))),
    (1, dict(stride=(2,), adj=(1,), pad=(1,))),
    (3, dict(stride=(2, 1, 1), pad=(0, 1, 0))),
]


@pytest.mark.parametrize("nd_,kw", DECONV_CASES)
def test_deconvolution_against_reference(rng, nd_, kw):
    g = kw.get("num_group", 1)
    x, w, b = _rand(rng, 2, 4, *([3] * nd_)), _rand(rng, 4, 6 // g, *([3] * nd_)), _rand(rng, 6)
    y = nd.Deconvolution(f64(x), f64(w), f64(b), kernel=(3,) * nd_, num_filter=6,
                         no_bias=False, **kw)
    check(y, ref.deconvolution(x, w, b, **kw), np.float64, rtol=1e-10, atol=1e-10)


@pytest.mark.parametrize("target", [(6, 6), (5, 5), (4, 3), (7, 7), (3, 4)])
def test_deconvolution_target_shape_sets_pad_and_adj_as_mxnet(rng, target):
    x, w = _rand(rng, 1, 2, 3, 3), _rand(rng, 2, 1, 3, 3)
    y = nd.Deconvolution(f64(x), f64(w), kernel=(3, 3), stride=(2, 2), target_shape=target,
                         num_filter=1, pad=(5, 5), adj=(1, 1))
    total = [7 - t for t in target]                 # the unpadded output is 7 x 7
    want = ref.deconvolution(x, w, stride=(2, 2), pad=tuple((t + 1) // 2 for t in total),
                             adj=tuple(t % 2 for t in total))
    check(y, want, np.float64, rtol=1e-12)
    assert y.shape[2:] == target


def test_deconvolution_is_the_transpose_of_convolution(rng):
    x, u = f64(_rand(rng, 2, 4, 5, 5)), f64(_rand(rng, 2, 6, 3, 3))
    w = f64(_rand(rng, 6, 2, 3, 3))
    kw = dict(kernel=(3, 3), stride=(2, 2), pad=(1, 1), num_group=2)
    y = nd.Convolution(x, w, kernel=(3, 3), stride=(2, 2), pad=(1, 1), num_group=2,
                       num_filter=6, no_bias=True)
    z = nd.Deconvolution(u, w, num_filter=4, **kw)
    assert z.shape == x.shape
    np.testing.assert_allclose(float((y * u).sum().asscalar()), float((x * z).sum().asscalar()),
                               rtol=1e-12)


def test_deconvolution_second_order():
    rng = np.random.default_rng(2)
    x, w, b = f64(_rand(rng, 1, 2, 2, 3)), f64(_rand(rng, 2, 2, 2, 2)), f64(_rand(rng, 2))

    def f(x, w, b):
        y = nd.Deconvolution(x, w, b, kernel=(2, 2), num_filter=2, stride=(2, 1), pad=(1, 0),
                             adj=(1, 0), no_bias=False)
        return y * y
    dt.check_grad(f, x, w, b, order=2)


def test_deconvolution_errors():
    x, w = nd.ones((2, 4, 3, 3)), nd.ones((4, 3, 3, 3))

    def deconv(**kw):
        args = dict(kernel=(3, 3), num_filter=6, num_group=2)
        args.update(kw)
        return nd.Deconvolution(x, args.pop("weight", w), args.pop("bias", None), **args)
    assert deconv().shape == (2, 6, 5, 5)                   # MXNet: no bias by default
    with pytest.raises(ValueError, match=r"Deconvolution: weight must have shape "
                                         r"\(4, 2, 3, 3\), got \(4, 3, 3, 3\)"):
        deconv(num_filter=4)
    with pytest.raises(ValueError, match="Deconvolution: num_group=3 must divide"):
        deconv(num_group=3)
    with pytest.raises(ValueError, match=r"Deconvolution: adj=\(2, 2\) must be smaller than "
                                         r"stride=\(2, 2\)"):
        deconv(stride=(2, 2), adj=(2, 2))
    with pytest.raises(ValueError, match="Deconvolution: adj=.* smaller than stride=.*from "
                                         "target_shape"):
        deconv(target_shape=(4, 4))
    with pytest.raises(ValueError, match=r"Deconvolution: target_shape=\(8, 8\) must be between "
                                         r"1 and \(7, 7\)"):
        deconv(stride=(2, 2), target_shape=(8, 8))
    with pytest.raises(ValueError, match=r"Deconvolution: target_shape=\(0, 6\) must be between"):
        deconv(stride=(2, 2), target_shape=(0, 6))
    with pytest.raises(ValueError, match=r"Deconvolution: target_shape=\(7,\) needs 2 values"):
        deconv(target_shape=(7,))
    with pytest.raises(ValueError, match=r"Deconvolution: pad=\(3, 3\) leaves no output along "
                                         r"spatial axis 0 \(output length -1\)"):
        deconv(pad=(3, 3))
    with pytest.raises(ValueError, match="Deconvolution: bias is required unless no_bias"):
        deconv(no_bias=False)
    with pytest.raises(ValueError, match="Deconvolution: a bias was given with no_bias=True"):
        deconv(bias=nd.ones(6))
    with pytest.raises(ValueError, match="Deconvolution: layout must be None or 'NCHW'"):
        deconv(layout="NCW")
    assert deconv(target_shape=(0, 0)).shape == (2, 6, 5, 5)        # all zeros: unset


# -------------------------------------------------------------- Pooling ---

P5 = np.arange(25.0).reshape(1, 1, 5, 5)


@pytest.mark.parametrize("kw,want", [
    (dict(kernel=(2, 2), stride=(2, 2)), [[6.0, 8.0], [16.0, 18.0]]),
    (dict(kernel=(2, 2), stride=(2, 2), pooling_convention="full"),
     [[6.0, 8.0, 9.0], [16.0, 18.0, 19.0], [21.0, 23.0, 24.0]]),
    (dict(kernel=(2, 2), stride=(2, 2), pooling_convention="full", pool_type="avg"),
     [[3.0, 5.0, 6.5], [13.0, 15.0, 16.5], [20.5, 22.5, 24.0]]),
    (dict(kernel=(2, 2), stride=(2, 2), pooling_convention="full", pool_type="sum"),
     [[12.0, 20.0, 13.0], [52.0, 60.0, 33.0], [41.0, 45.0, 24.0]]),
    (dict(kernel=(3, 3), stride=(2, 2), pad=(1, 1), pool_type="avg"),
     [[4 / 3, 3.0, 8 / 3], [7.0, 12.0, 9.0], [8.0, 13.0, 28 / 3]]),
    (dict(kernel=(3, 3), stride=(2, 2), pad=(1, 1), pool_type="avg", count_include_pad=False),
     [[3.0, 4.5, 6.0], [10.5, 12.0, 13.5], [18.0, 19.5, 21.0]]),
    (dict(kernel=(3, 3), stride=(3, 3), pad=(1, 1), pool_type="avg",
          pooling_convention="full"),
     [[4 / 3, 11 / 3, 0.0], [31 / 3, 18.0, 0.0], [0.0, 0.0, 0.0]]),
    (dict(kernel=(3, 3), stride=(3, 3), pad=(1, 1), pool_type="sum",
          pooling_convention="full"),
     [[12.0, 33.0, 0.0], [93.0, 162.0, 0.0], [0.0, 0.0, 0.0]]),
    (dict(global_pool=True, kernel=(2, 2), pad=(1, 1), stride=(2, 2)), [[24.0]]),
    (dict(global_pool=True, pool_type="avg"), [[12.0]]),
])
def test_pooling_matches_mxnet(kw, want):
    check(nd.Pooling(nd.array(P5), **kw), np.array(want)[None, None], np.float32)  # MXNet 1.9.1


def test_max_pooling_of_windows_of_padding_only_gives_the_lowest_value():
    # MXNet 1.9.1: -FLT_MAX (-DBL_MAX in float64) where a 'full' window holds no input
    y = nd.Pooling(nd.array(-P5), kernel=(3, 3), stride=(3, 3), pad=(1, 1),
                   pooling_convention="full")
    check(y, [[[[0.0, -2.0, LOWEST32], [-10.0, -12.0, LOWEST32], [LOWEST32] * 3]]], np.float32)
    x = f64(-1 - np.arange(9.0).reshape(1, 1, 3, 3))
    y, (g,) = _grads(lambda x: nd.Pooling(x, kernel=(2, 2), stride=(3, 3),
                                          pooling_convention="full"), x)
    low = np.finfo(np.float64).min
    check(y, [[[[-1.0, low], [low, low]]]], np.float64)
    check(g, [[[[1.0, 0, 0], [0, 0, 0], [0, 0, 0]]]])


def test_max_pooling_gradient_goes_to_the_first_maximum_as_mxnet():
    x = nd.array([[[[1, 3, 3], [3, 0, 3], [3, 3, 3]]]])
    y, (g,) = _grads(lambda x: nd.Pooling(x, kernel=(2, 2)), x, head=[[[[1, 2], [3, 4]]]])
    # MXNet 1.9.1
    check(y, [[[[3.0, 3.0], [3.0, 3.0]]]])
    check(g, [[[[0.0, 3.0, 0.0], [3.0, 0.0, 4.0], [0.0, 0.0, 0.0]]]])
    y, (g,) = _grads(lambda x: nd.Pooling(x, kernel=(3,), pad=(1,)), nd.array([[[2.0, 1, 2]]]))
    check(g, [[[2.0, 0.0, 1.0]]])                                   # MXNet 1.9.1


def test_average_pooling_gradient_matches_mxnet():
    x = f64(np.arange(9.0).reshape(1, 1, 3, 3))
    y, (g,) = _grads(lambda x: nd.Pooling(x, kernel=(3, 3), pad=(1, 1), pool_type="avg",
                                          count_include_pad=False), x)
    # MXNet 1.9.1
    check(y, [[[[2.0, 2.5, 3.0], [3.5, 4.0, 4.5], [5.0, 5.5, 6.0]]]])
    corner, edge = 0.6944444444444444, 1.1111111111111112
    check(g, [[[[corner, edge, corner], [edge, 1.777777777777778, edge],
                [corner, edge, corner]]]], rtol=1e-12)


POOL_CASES = [
    dict(kernel=(2, 2)),
    dict(kernel=(3, 2), stride=(2, 2), pad=(1, 1)),
    dict(kernel=(3, 3), stride=(2, 3), pad=(1, 1), convention="full"),
    dict(kernel=(2, 2), stride=(3, 3), convention="full"),
    dict(kernel=(3, 3), stride=(3, 3), pad=(1, 1), convention="full"),
]


@pytest.mark.parametrize("pool_type,include", [("max", True), ("avg", True), ("avg", False),
                                               ("sum", True)])
@pytest.mark.parametrize("kw", POOL_CASES)
def test_pooling_against_reference(rng, kw, pool_type, include):
    x = _rand(rng, 2, 3, 5, 6)
    kw = dict(kw)
    conv = kw.pop("convention", "valid")
    y = nd.Pooling(f64(x), pool_type=pool_type, pooling_convention=conv,
                   count_include_pad=include, **kw)
    check(y, ref.pooling(x, pool_type=pool_type, convention=conv, count_include_pad=include,
                         **kw), np.float64, rtol=1e-12)
    if pool_type == "max":
        xr = f64(np.round(x))                   # ties
        _, (g,) = _grads(lambda v: nd.Pooling(v, pooling_convention=conv, **kw), xr)
        check(g, ref.max_pool_grad(np.round(x), convention=conv, **kw))


def test_pooling_1d_3d_and_channel_last_layouts(rng):
    x1 = _rand(rng, 2, 3, 7)
    check(nd.Pooling(f64(x1), kernel=(3,), stride=(2,), pad=(1,), pool_type="avg"),
          ref.pooling(x1, (3,), "avg", (2,), (1,)), np.float64)
    x3 = _rand(rng, 1, 2, 4, 5, 3)
    check(nd.Pooling(f64(x3), kernel=(2, 3, 2), stride=(2, 1, 1), pad=(1, 1, 0)),
          ref.pooling(x3, (2, 3, 2), "max", (2, 1, 1), (1, 1, 0)), np.float64)
    x = _rand(rng, 2, 3, 5, 6)
    check(nd.Pooling(f64(x.transpose(0, 2, 3, 1)), kernel=(2, 2), layout="NHWC"),
          ref.pooling(x, (2, 2)).transpose(0, 2, 3, 1), np.float64)
    check(nd.Pooling(f64(x1.transpose(0, 2, 1)), kernel=(2,), layout="NWC", pool_type="sum"),
          ref.pooling(x1, (2,), "sum").transpose(0, 2, 1), np.float64)
    check(nd.Pooling(nd.array(P5), kernel=(2, 2), layout="NCHW"),
          ref.pooling(P5, (2, 2)), np.float32)
    # MXNet 1.9.1: NWC pooling of (1, 5, 5) with kernel 2, stride 2
    check(nd.Pooling(nd.array(P5[0]), kernel=(2,), stride=(2,), layout="NWC"),
          [[[5.0, 6.0, 7.0, 8.0, 9.0], [15.0, 16.0, 17.0, 18.0, 19.0]]])
    check(nd.Pooling(nd.array(P5[0]), global_pool=True), [[[4.0], [9.0], [14.0], [19.0],
                                                            [24.0]]])


@pytest.mark.parametrize("dtype", ["float16", "float32", "float64"])
@pytest.mark.parametrize("pool_type", ["max", "avg", "sum"])
def test_pooling_keeps_the_dtype_and_handles_empty_batches(dtype, pool_type):
    y = nd.Pooling(nd.array(P5, dtype=dtype), kernel=(2, 2), pool_type=pool_type)
    assert y.dtype == np.dtype(dtype) and y.shape == (1, 1, 4, 4)
    check(y, ref.pooling(P5, (2, 2), pool_type), np.dtype(dtype).type, rtol=1e-3)
    e = nd.Pooling(nd.zeros((0, 2, 4, 4), dtype=dtype), kernel=(2, 2), pool_type=pool_type)
    assert e.shape == (0, 2, 3, 3)


@pytest.mark.parametrize("pool_type", ["max", "avg", "sum"])
def test_pooling_second_order(pool_type):
    rng = np.random.default_rng(3)
    x = f64(rng.permutation(50).reshape(1, 2, 5, 5) / 7.0)     # no ties

    def f(x):
        y = nd.Pooling(x, kernel=(3, 3), stride=(2, 2), pad=(1, 1), pool_type=pool_type,
                       pooling_convention="full", count_include_pad=False)
        return y * y
    dt.check_grad(f, x, order=2)


def test_pooling_errors():
    x = nd.array(P5)
    with pytest.raises(ValueError, match="Pooling: pool_type must be one of 'max', 'avg', "
                                         "'sum', got 'lp'"):
        nd.Pooling(x, kernel=(2, 2), pool_type="lp")
    with pytest.raises(ValueError, match="Pooling: pooling_convention must be one of 'valid', "
                                         "'full', got 'same'"):
        nd.Pooling(x, kernel=(2, 2), pooling_convention="same")
    with pytest.raises(ValueError, match="Pooling: layout must be one of None, 'NCHW', 'NHWC', "
                                         "got 'NCW'"):
        nd.Pooling(x, kernel=(2, 2), layout="NCW")
    with pytest.raises(TypeError, match="Pooling: kernel is required"):
        nd.Pooling(x)
    with pytest.raises(ValueError, match=r"Pooling: kernel=\(2,\) needs 2 values"):
        nd.Pooling(x, kernel=(2,))
    with pytest.raises(ValueError, match=r"Pooling: stride=\(2,\) needs 2 values"):
        nd.Pooling(x, kernel=(2, 2), stride=(2,))
    with pytest.raises(ValueError, match=r"Pooling: stride=\(0, 1\) must be >= 1"):
        nd.Pooling(x, kernel=(2, 2), stride=(0, 1))
    with pytest.raises(ValueError, match=r"Pooling: pad=\(2, 2\) must be smaller than "
                                         r"kernel=\(2, 2\)"):
        nd.Pooling(x, kernel=(2, 2), pad=(2, 2))
    with pytest.raises(ValueError, match=r"Pooling: the window \(6 with dilation\) exceeds the "
                                         r"padded input \(5\) along spatial axis 0"):
        nd.Pooling(x, kernel=(6, 6), pooling_convention="full")
    with pytest.raises(ValueError, match=r"Pooling: data must be 3-D .*got shape \(5, 5\)"):
        nd.Pooling(nd.ones((5, 5)), global_pool=True)
    with pytest.raises(TypeError, match="Pooling: needs floating-point arrays, got dtype int32"):
        nd.Pooling(x.astype("int32"), kernel=(2, 2))


# ------------------------------------------------------------ Embedding ---

def test_embedding_matches_mxnet():
    w = nd.array(np.arange(12).reshape(4, 3))
    # MXNet 1.9.1: float indices truncate toward zero and clip to the rows
    check(nd.Embedding(nd.array([5, -1, 1.7, -0.5, 2.5, 3.9]), w, input_dim=4, output_dim=3),
          np.arange(12.0).reshape(4, 3)[[3, 0, 1, 0, 2, 3]], np.float32)
    y, (gw,) = _grads(lambda w: nd.Embedding(nd.array([[5, -1], [1.7, 1]]), w, input_dim=4,
                                             output_dim=3),
                      w, head=np.arange(12).reshape(2, 2, 3))
    check(y, [[[9.0, 10.0, 11.0], [0.0, 1.0, 2.0]], [[3.0, 4.0, 5.0], [3.0, 4.0, 5.0]]])
    check(gw, [[3.0, 4.0, 5.0], [15.0, 17.0, 19.0], [0.0, 0.0, 0.0], [0.0, 1.0, 2.0]])


def test_embedding_dtypes_and_shapes(rng):
    w = _rand(rng, 5, 3)
    idx = np.array([[0, 4.7, -2], [7, 2.2, 1]])
    check(nd.Embedding(nd.array(idx), f64(w), input_dim=5, output_dim=3),
          ref.embedding(idx, w), np.float64)
    for itype in ("int32", "int64", "float64"):
        y = nd.Embedding(nd.array([1, 3], dtype=itype), nd.array(w), 5, 3)
        check(y, w[[1, 3]], np.float32)
    wi = nd.array(np.arange(12).reshape(4, 3), dtype="int32")
    check(nd.Embedding(nd.array([1]), wi, 4, 3, dtype="int32"), [[3, 4, 5]], np.int32)
    check(nd.Embedding(nd.array([np.nan]), nd.array(w), 5, 3), w[[0]])    # MXNet: row 0
    assert nd.Embedding(nd.array(np.array(2.0)), nd.array(w), 5, 3).shape == (3,)
    assert nd.Embedding(nd.zeros((0, 2)), nd.array(w), 5, 3).shape == (0, 2, 3)


def test_embedding_indices_get_no_gradient_and_weight_is_differentiable_twice():
    idx = nd.array([[1, 3], [1, 0]])
    idx.attach_grad()
    w = f64(np.arange(8.0).reshape(4, 2))
    w.attach_grad()
    with autograd.record():
        y = nd.Embedding(idx, w, 4, 2)
    y.backward()
    check(idx.grad, np.zeros((2, 2)))
    check(w.grad, [[1, 1], [2, 2], [0, 0], [1, 1]])
    dt.check_grad(lambda w: nd.Embedding(idx, w, 4, 2) ** 2, w, order=2)


def test_embedding_errors():
    w = nd.ones((4, 3))
    with pytest.raises(ValueError, match=r"Embedding: weight must have shape \(input_dim, "
                                         r"output_dim\) = \(5, 3\), got \(4, 3\)"):
        nd.Embedding(nd.array([1]), w, input_dim=5, output_dim=3)
    with pytest.raises(TypeError, match="Embedding: output_dim is required"):
        nd.Embedding(nd.array([1]), w, input_dim=4)
    with pytest.raises(ValueError, match="Embedding: input_dim must be a positive int"):
        nd.Embedding(nd.array([1]), w, input_dim=0, output_dim=3)
    with pytest.raises(ValueError, match="Embedding: dtype must be one of 'bfloat16', "
                                         ".*got 'foo'"):
        nd.Embedding(nd.array([1]), w, 4, 3, dtype="foo")


# ----------------------------------------------------------- UpSampling ---

def test_nearest_upsampling_matches_mxnet():
    x = nd.array(np.arange(8).reshape(1, 2, 2, 2))
    y, (g,) = _grads(lambda x: nd.UpSampling(x, scale=2, sample_type="nearest"), x,
                     head=np.arange(32).reshape(1, 2, 4, 4))
    # MXNet 1.9.1
    check(y, [[[[0, 0, 1, 1], [0, 0, 1, 1], [2, 2, 3, 3], [2, 2, 3, 3]],
               [[4, 4, 5, 5], [4, 4, 5, 5], [6, 6, 7, 7], [6, 6, 7, 7]]]], np.float32)
    check(g, [[[[10.0, 18.0], [42.0, 50.0]], [[74.0, 82.0], [106.0, 114.0]]]])
    s = nd.UpSampling(nd.array(XD), nd.array([[[[1.0]], [[2.0]]]]), scale=2,
                      sample_type="nearest", multi_input_mode="sum")
    check(s, [[[[0, 0, 1, 1], [0, 0, 1, 1], [2, 2, 0, 0], [2, 2, 0, 0]],
               [[2, 2, 3, 3], [2, 2, 3, 3], [1, 1, 2, 2], [1, 1, 2, 2]]]], np.float32)


def test_nearest_upsampling_against_reference(rng):
    x, y, z = _rand(rng, 2, 2, 2, 3), _rand(rng, 2, 1, 2, 3), _rand(rng, 2, 3, 4, 6)
    check(nd.UpSampling(f64(x), f64(y), f64(z), scale=2, sample_type="nearest", num_args=3),
          ref.upsampling_nearest([x, y, z], 2), np.float64)
    z2 = _rand(rng, 2, 2, 2, 3)
    check(nd.UpSampling(f64(x), f64(z2), scale=3, sample_type="nearest",
                        multi_input_mode="sum"),
          ref.upsampling_nearest([x, z2], 3, "sum"), np.float64)
    a = nd.array(x)
    same = nd.UpSampling(a, scale=1, sample_type="nearest")
    check(same, x)
    assert same is not a
    assert nd.UpSampling(nd.ones((1, 2, 1, 4)), scale=2,
                         sample_type="nearest").shape == (1, 2, 2, 8)       # MXNet 1.9.1


@pytest.mark.parametrize("scale", [1, 2, 3])
def test_bilinear_upsampling_is_mxnets_deconvolution(rng, scale):
    k, p = 2 * scale - scale % 2, -(-(scale - 1) // 2)
    x, w = _rand(rng, 1, 2, 3, 4), _rand(rng, 2, 1, k, k)
    y = nd.UpSampling(f64(x), f64(w), scale=scale, sample_type="bilinear", num_filter=2)
    check(y, ref.deconvolution(x, w, stride=(scale, scale), pad=(p, p), num_group=2),
          np.float64, rtol=1e-12)


def test_bilinear_upsampling_matches_mxnet():
    wb = nd.array(np.arange(32).reshape(2, 1, 4, 4) % 5 - 2)
    # MXNet 1.9.1
    check(nd.UpSampling(nd.array(XD), wb, scale=2, sample_type="bilinear", num_filter=2),
          [[[[2.0, 1.0, 0.0, 0.0], [-3.0, 4.0, 3.0, 0.0], [-3.0, -5.0, 4.0, 1.0],
             [2.0, -3.0, -3.0, 2.0]],
            [[0.0, -2.0, -1.0, 0.0], [0.0, 1.0, -4.0, -1.0], [1.0, 1.0, 1.0, -2.0],
             [2.0, 1.0, 0.0, 0.0]]]], np.float32)


def test_upsampling_second_order():
    rng = np.random.default_rng(4)
    a, b = f64(_rand(rng, 1, 2, 2, 2)), f64(_rand(rng, 1, 2, 1, 1))
    dt.check_grad(lambda a, b: nd.UpSampling(a, b, scale=2, sample_type="nearest",
                                             multi_input_mode="sum") ** 2, a, b, order=2)
    w = f64(_rand(rng, 2, 1, 4, 4))
    dt.check_grad(lambda a, w: nd.UpSampling(a, w, scale=2, sample_type="bilinear",
                                             num_filter=2) ** 2, a, w, order=2)


def test_upsampling_errors():
    x = nd.ones((1, 2, 2, 2))
    with pytest.raises(TypeError, match="UpSampling: scale is required"):
        nd.UpSampling(x, sample_type="nearest")
    with pytest.raises(ValueError, match="UpSampling: scale must be a positive int, got 0"):
        nd.UpSampling(x, scale=0, sample_type="nearest")
    with pytest.raises(TypeError, match="UpSampling: sample_type is required"):
        nd.UpSampling(x, scale=2)
    with pytest.raises(ValueError, match="UpSampling: sample_type must be one of 'nearest', "
                                         "'bilinear', got 'foo'"):
        nd.UpSampling(x, scale=2, sample_type="foo")
    with pytest.raises(ValueError, match="UpSampling: multi_input_mode must be one of 'concat', "
                                         "'sum'"):
        nd.UpSampling(x, scale=2, sample_type="nearest", multi_input_mode="foo")
    with pytest.raises(ValueError, match="UpSampling: num_args=2 but 1 arrays were given"):
        nd.UpSampling(x, scale=2, sample_type="nearest", num_args=2)
    with pytest.raises(ValueError, match=r"UpSampling: data must be 4-D .*got shape \(2, 2, 2\)"):
        nd.UpSampling(x[0], scale=2, sample_type="nearest")
    with pytest.raises(ValueError, match=r"UpSampling: an input of shape \(1, 1, 3, 3\) cannot "
                                         r"be enlarged"):
        nd.UpSampling(x, nd.ones((1, 1, 3, 3)), scale=2, sample_type="nearest")
    with pytest.raises(ValueError, match=r"UpSampling: an input of shape \(1, 1, 1, 2\)"):
        nd.UpSampling(nd.ones((1, 2, 1, 4)), nd.ones((1, 1, 1, 2)), scale=2,
                      sample_type="nearest")
    with pytest.raises(ValueError, match="UpSampling: multi_input_mode='sum' needs inputs with "
                                         "the same number of channels"):
        nd.UpSampling(x, nd.ones((1, 1, 2, 2)), scale=2, sample_type="nearest",
                      multi_input_mode="sum")
    with pytest.raises(ValueError, match="UpSampling: sample_type='bilinear' takes two arrays"):
        nd.UpSampling(x, scale=2, sample_type="bilinear", num_filter=2)
    with pytest.raises(ValueError, match=r"UpSampling: sample_type='bilinear' needs num_filter "
                                         r"equal to the number of channels \(2\), got 0"):
        nd.UpSampling(x, nd.ones((2, 1, 4, 4)), scale=2, sample_type="bilinear")
    with pytest.raises(ValueError, match=r"Deconvolution: weight must have shape \(2, 1, 4, 4\)"):
        nd.UpSampling(x, nd.ones((2, 1, 3, 3)), scale=2, sample_type="bilinear", num_filter=2)
    with pytest.raises(TypeError, match="UpSampling: needs floating-point arrays"):
        nd.UpSampling(x.astype("int32"), scale=2, sample_type="nearest")


# ------------------------------------------------------- im2col, col2im ---

def test_im2col_and_col2im_match_mxnet():
    x = nd.array(X2)
    # MXNet 1.9.1
    check(nd.im2col(x, kernel=(2, 2), stride=(1, 2), pad=(0, 1)),
          [[[0, -1, 0, 2], [-2, 0, 1, -2], [0, 2, 0, 0], [1, -2, -1, 1],
            [0, -2, 0, 1], [2, -1, 0, 2], [0, 1, 0, -1], [0, 2, -2, 0]]], np.float32)
    check(nd.im2col(x, kernel=(2, 2), stride=(1, 2), pad=(0, 1), dilate=(2, 1)),
          [[[0, -1], [-2, 0], [0, 0], [-1, 1], [0, -2], [2, -1], [0, -1], [-2, 0]]])
    cols = nd.array(np.arange(16).reshape(1, 4, 4))
    check(nd.col2im(cols, output_size=(3, 3), kernel=(2, 2), pad=(1, 1), stride=(2, 2)),
          [[[[12.0, 9.0, 13.0], [6.0, 3.0, 7.0], [14.0, 11.0, 15.0]]]], np.float32)
    check(nd.col2im(cols, output_size=(3, 3), kernel=(2, 2)),
          [[[[0.0, 5.0, 5.0], [10.0, 30.0, 20.0], [10.0, 25.0, 15.0]]]])


def test_col2im_is_the_transpose_of_im2col(rng):
    x = f64(_rand(rng, 2, 3, 5, 4))
    kw = dict(kernel=(3, 2), stride=(2, 1), dilate=(1, 2), pad=(1, 1))
    cols = nd.im2col(x, **kw)
    u = f64(_rand(rng, *cols.shape))
    back = nd.col2im(u, output_size=(5, 4), **kw)
    np.testing.assert_allclose(float((cols * u).sum().asscalar()),
                               float((x * back).sum().asscalar()), rtol=1e-12)
    dt.check_grad(lambda x: nd.im2col(x, **kw), x, order=1)


def test_im2col_col2im_errors():
    with pytest.raises(ValueError, match=r"col2im: data of shape \(1, 5, 4\) does not hold "
                                         r"columns of 4-element windows at 4 positions"):
        nd.col2im(nd.ones((1, 5, 4)), output_size=(3, 3), kernel=(2, 2))
    with pytest.raises(TypeError, match="col2im: output_size is required"):
        nd.col2im(nd.ones((1, 4, 4)), kernel=(2, 2))
    with pytest.raises(ValueError, match=r"col2im: kernel=\(2,\) needs 2 values"):
        nd.col2im(nd.ones((1, 4, 4)), output_size=(3, 3), kernel=(2,))
    with pytest.raises(ValueError, match="im2col: the window .* exceeds the padded input"):
        nd.im2col(nd.ones((1, 1, 2, 2)), kernel=(3, 3))
