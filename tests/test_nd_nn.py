"""The neural-network ops of ``dualtape.ops.nn``: values, gradients and errors
against numpy formulas and against numbers recorded from MXNet 1.9.1.  The
registry sweeps check the derivatives of the registered ops; the loss layers,
whose reverse rule is MXNet's loss gradient, are checked here."""
import numpy as np
import pytest

import dualtape as dt
from dualtape import autograd, nd
from dualtape.registry import REGISTRY

from helpers import FLOATS, check

TOL = dict(rtol=1e-5, atol=2e-6)


def grad_of(f, x, head=None, *others):
    """``f(x, *others)`` recorded, backpropagated with ``head``; the output and
    the gradient of each input."""
    arrays = [x] + list(others)
    for a in arrays:
        a.attach_grad()
    with autograd.record():
        y = f(*arrays)
    y.backward(head)
    return (y,) + tuple(a.grad for a in arrays)


# ------------------------------------------------------------- softmax ---

X2 = [[1.0, 2.0, 3.0, 0.5], [4.0, 5.0, 7.0, 1.0]]
H2 = [[1.0, 2.0, 3.0, 4.0], [1.0, 2.0, 3.0, 4.0]]


def _np_softmax(a, axis=-1):
    e = np.exp(a - a.max(axis=axis, keepdims=True))
    return e / e.sum(axis=axis, keepdims=True)


def test_softmax_with_temperature_matches_mxnet():
    y, g = grad_of(lambda v: nd.softmax(v, temperature=2.0), nd.array(X2), nd.array(H2))
    # MXNet 1.9.1
    check(y, [[0.1627126, 0.2682678, 0.4422988, 0.1267207],
              [0.1359889, 0.2242078, 0.6094601, 0.0303432]], np.float32, **TOL)
    check(g, [[-0.1247215, -0.0714971, 0.1032707, 0.0929479],
              [-0.1043142, -0.0598811, 0.1419562, 0.0222392]], **TOL)


def test_softmax_with_length_matches_mxnet():
    length = nd.array([3, 1], dtype="int32")
    y, g = grad_of(lambda v: nd.softmax(v, length, use_length=True, temperature=0.5),
                   nd.array(X2), nd.array(H2))
    # MXNet 1.9.1
    check(y, [[0.0158762, 0.1173104, 0.8668134, 0.0], [1.0, 0.0, 0.0, 0.0]], **TOL)
    check(g, [[-0.0587718, -0.1996476, 0.2584194, 0.0], [0.0, 0.0, 0.0, 0.0]], **TOL)


def test_softmax_length_zero_and_beyond_the_axis():
    y = nd.softmax(nd.array(X2), nd.array([0, 9], dtype="int64"), use_length=True)
    check(y, [[0.0] * 4, _np_softmax(np.array(X2[1]))], rtol=1e-6)
    x = nd.array(np.arange(8.0).reshape(2, 2, 2))
    y = nd.softmax(x, nd.array([[1, 2], [2, 1]], dtype="int32"), axis=1, use_length=True)
    # MXNet 1.9.1
    check(y, [[[1.0, 0.1192029], [0.0, 0.880797]], [[0.1192029, 1.0], [0.880797, 0.0]]], **TOL)


@pytest.mark.parametrize("dtype", FLOATS)
def test_softmax_axes_dtypes_and_the_method(dtype):
    a = np.random.default_rng(0).standard_normal((3, 4))
    x = nd.array(a, dtype=dtype)
    for axis in (0, 1, -1):
        check(nd.softmax(x, axis=axis), _np_softmax(a, axis), dtype, rtol=1e-5)
    check(x.softmax(0), _np_softmax(a, 0), dtype, rtol=1e-5)
    check(nd.softmax(x, 0), _np_softmax(a, 0), dtype, rtol=1e-5)    # an int length is the axis
    check(nd.softmax(x, dtype="float64"), _np_softmax(a), np.float64, rtol=1e-5)
    check(nd.softmax(x, dtype=np.float16), _np_softmax(a), np.float16, rtol=2e-3, atol=1e-3)
    assert nd.softmax(nd.zeros((0, 3))).shape == (0, 3)
    assert nd.softmax(nd.zeros((2, 0))).shape == (2, 0)


def test_log_softmax_and_softmin_match_mxnet():
    y, g = grad_of(lambda v: nd.log_softmax(v, axis=0, temperature=3.0), nd.array(X2),
                   nd.array(H2))
    # MXNet 1.9.1
    check(y, [[-1.3132616, -1.3132616, -1.5672959, -0.7799488],
              [-0.3132617, -0.3132617, -0.2339625, -0.6132821]], **TOL)
    check(g, [[0.154039, 0.3080781, 0.5827829, 0.1108547],
              [-0.1540391, -0.3080781, -0.582783, -0.1108546]], **TOL)
    y, g = grad_of(lambda v: nd.softmin(v, temperature=2.0), nd.array(X2), nd.array(H2))
    check(y, [[0.3068958, 0.1861417, 0.1129006, 0.394062],
              [0.1584447, 0.0961016, 0.0353538, 0.7100999]], **TOL)
    check(g, [[0.2446157, 0.0552961, -0.0229116, -0.2770002],
              [0.1819824, 0.0623271, 0.005252, -0.2495614]], **TOL)
    x = nd.array(X2)
    check(x.softmin(axis=0), _np_softmax(-np.array(X2), 0), rtol=1e-6)
    check(nd.log_softmax(x, dtype="float64"), np.log(_np_softmax(np.array(X2))), np.float64,
          rtol=1e-6)
    check(x.log_softmax(0), np.log(_np_softmax(np.array(X2), 0)), rtol=1e-6)


def test_softmax_activation_matches_mxnet():
    check(nd.SoftmaxActivation(nd.array([[1.0, 2], [3, 4]])),
          [[0.26894143, 0.7310586], [0.26894143, 0.7310586]], **TOL)     # MXNet 1.9.1
    check(nd.SoftmaxActivation(nd.array([[[1.0, 2], [3, 4]]]), mode="channel"),
          [[[0.11920292, 0.11920292], [0.880797, 0.880797]]], **TOL)
    a = np.random.default_rng(1).standard_normal((2, 2, 3))
    check(nd.SoftmaxActivation(nd.array(a)), _np_softmax(a.reshape(2, 6)).reshape(2, 2, 3),
          rtol=1e-5)


def test_softmax_errors():
    x = nd.array(X2)
    with pytest.raises(ValueError, match="use_length=True needs a length"):
        nd.softmax(x, use_length=True)
    with pytest.raises(ValueError, match="only with use_length=True"):
        nd.softmax(x, nd.array([1, 2], dtype="int32"))
    with pytest.raises(TypeError, match="length must be an integer NDArray"):
        nd.softmax(x, nd.array([1, 2]), use_length=True)
    with pytest.raises(ValueError, match=r"shape of data without axis 1, \(2,\)"):
        nd.softmax(x, nd.array([[1, 2]], dtype="int32"), use_length=True)
    with pytest.raises(ValueError, match="must not be negative"):
        nd.softmax(x, nd.array([1, -1], dtype="int32"), use_length=True)
    with pytest.raises(TypeError, match="integer length 1 and axis=0"):
        nd.softmax(x, 1, axis=0)
    with pytest.raises(ValueError, match="temperature must not be 0"):
        nd.softmax(x, temperature=0)
    with pytest.raises(ValueError, match="dtype must be one of 'float16'"):
        nd.softmax(x, dtype="int32")
    with pytest.raises(TypeError, match="softmax: data must be a float array"):
        nd.softmax(nd.array([1, 2], dtype="int32"))
    with pytest.raises(ValueError, match="out of range"):
        nd.softmax(x, axis=2)
    with pytest.raises(ValueError, match="log_softmax: use_length=True needs a length input"):
        nd.log_softmax(x, use_length=True)
    with pytest.raises(ValueError, match="softmin: use_length"):
        nd.softmin(x, use_length=True)
    with pytest.raises(ValueError, match="mode must be one of 'instance', 'channel'"):
        nd.SoftmaxActivation(x, mode="spatial")
    with pytest.raises(ValueError, match="at least 2 axes"):
        nd.SoftmaxActivation(nd.array([1.0, 2.0]))


# ---------------------------------------------------------- activations ---

XA = [-2.0, -0.5, 0.0, 0.5, 2.0]

# MXNet 1.9.1: value and gradient at XA
ACTIVATION_MXNET = {
    "relu": ([0.0, 0.0, 0.0, 0.5, 2.0], [0.0, 0.0, 0.0, 1.0, 1.0]),
    "sigmoid": ([0.1192029, 0.3775406, 0.5, 0.6224594, 0.8807971],
                [0.1049936, 0.2350037, 0.25, 0.2350037, 0.1049936]),
    "tanh": ([-0.9640276, -0.4621172, 0.0, 0.4621172, 0.9640276],
             [0.0706508, 0.7864477, 1.0, 0.7864477, 0.0706508]),
    "softrelu": ([0.1269281, 0.474077, 0.6931472, 0.974077, 2.1269279],
                 [0.1192029, 0.3775406, 0.5, 0.6224594, 0.8807971]),
    "softsign": ([-0.6666667, -0.3333333, 0.0, 0.3333333, 0.6666667],
                 [0.1111111, 0.4444444, 1.0, 0.4444444, 0.1111111]),
}


@pytest.mark.parametrize("act_type", sorted(ACTIVATION_MXNET))
def test_activation_matches_mxnet(act_type):
    y, g = grad_of(lambda v: nd.Activation(v, act_type=act_type), nd.array(XA))
    value, grad = ACTIVATION_MXNET[act_type]
    check(y, value, np.float32, **TOL)
    check(g, grad, **TOL)
    y64 = nd.Activation(nd.array(XA, dtype="float64"), act_type)
    assert y64.dtype is np.float64
    assert nd.Activation(nd.array(0.5), act_type).shape == ()
    assert nd.Activation(nd.zeros((0, 3)), act_type).shape == (0, 3)


def test_activation_is_stable_and_keeps_float16():
    check(nd.Activation(nd.array([-100.0, 100.0]), "softrelu"), [0.0, 100.0])
    check(nd.Activation(nd.array([-100.0, 100.0]), "sigmoid"), [0.0, 1.0])
    check(nd.Activation(nd.array([1.0, -2.0], dtype="float16"), "softrelu"), [1.313, 0.127],
          np.float16, rtol=1e-3)                                       # MXNet 1.9.1


LEAKY_MXNET = {     # MXNet 1.9.1, slope=0.3: value and gradient at XA
    "leaky": ([-0.6, -0.15, 0.0, 0.5, 2.0], [0.3, 0.3, 0.3, 1.0, 1.0]),
    "elu": ([-0.2593994, -0.1180408, 0.0, 0.5, 2.0], [0.0406006, 0.1819592, 0.3, 1.0, 1.0]),
    # MXNet 1.9.1's selu gradient below 0 is lambda * (y + alpha), not the
    # derivative y + lambda * alpha: the derivative is checked instead
    "selu": ([-1.5201665, -0.6917582, 0.0, 0.5253505, 2.101402],
             np.where(np.array(XA) > 0, 1.0507010, 1.7580993 * np.exp(XA))),
    "gelu": ([-0.0455001, -0.1542688, 0.0, 0.3457312, 1.9544998],
             [-0.0852319, 0.1325049, 0.5, 0.8674951, 1.0852319]),
}


@pytest.mark.parametrize("act_type", sorted(LEAKY_MXNET))
def test_leaky_relu_matches_mxnet(act_type):
    y, g = grad_of(lambda v: nd.LeakyReLU(v, act_type=act_type, slope=0.3), nd.array(XA))
    value, grad = LEAKY_MXNET[act_type]
    check(y, value, np.float32, **TOL)
    check(g, grad, **TOL)


def test_leaky_relu_defaults_and_float16():
    check(nd.LeakyReLU(nd.array(XA)), [-0.5, -0.125, 0.0, 0.5, 2.0])     # MXNet 1.9.1
    check(nd.LeakyReLU(nd.array([-100.0, 100.0]), act_type="elu"), [-0.25, 100.0])
    check(nd.LeakyReLU(nd.array([[1.0, -2.0]], dtype="float16"), act_type="gelu"),
          [[0.8413, -0.0455]], np.float16, rtol=1e-3)


def test_prelu_matches_mxnet():
    x = nd.array(np.arange(12.0).reshape(2, 3, 2) - 6)
    y, gx, gg = grad_of(lambda v, g: nd.LeakyReLU(v, g, act_type="prelu"), x, None,
                        nd.array([0.1, 0.2, 0.3]))
    # MXNet 1.9.1
    check(y, [[[-0.6, -0.5], [-0.8, -0.6], [-0.6, -0.3]], [[0, 1], [2, 3], [4, 5]]], **TOL)
    check(gx, [[[0.1, 0.1], [0.2, 0.2], [0.3, 0.3]], [[0.1, 1], [1, 1], [1, 1]]], **TOL)
    check(gg, [-11.0, -7.0, -3.0], **TOL)
    check(nd.LeakyReLU(x, nd.array([0.1]), act_type="prelu"),
          [[[-0.6, -0.5], [-0.4, -0.3], [-0.2, -0.1]], [[0, 1], [2, 3], [4, 5]]], **TOL)
    check(nd.LeakyReLU(x, nd.array([[0.1, 0.2, 0.3]]), act_type="prelu"), y.asnumpy())
    check(nd.LeakyReLU(nd.array([-1.0, -1.0]), nd.array([0.1, 0.5]), act_type="prelu"),
          [-0.1, -0.5], **TOL)                                         # 1-d: axis 0
    assert nd.LeakyReLU(nd.array(-2.0), nd.array([0.5]), act_type="prelu").asscalar() == -1.0


def test_rrelu_uses_the_mean_slope_in_predict_mode_and_random_ones_in_training():
    x = nd.array(XA)
    check(nd.LeakyReLU(x, act_type="rrelu"), [-0.459, -0.11475, 0.0, 0.5, 2.0], **TOL)  # MXNet
    x = nd.array(-np.ones((50,)))
    nd.random.seed(3)
    y, g = grad_of(lambda v: nd.LeakyReLU(v, act_type="rrelu", lower_bound=0.2,
                                          upper_bound=0.4), x)
    slopes = -y.asnumpy()
    assert np.all((slopes >= 0.2) & (slopes < 0.4)) and np.ptp(slopes) > 0.05
    np.testing.assert_allclose(g.asnumpy(), slopes)                    # the drawn slopes
    nd.random.seed(3)
    with autograd.train_mode():
        again = nd.LeakyReLU(x, act_type="rrelu", lower_bound=0.2, upper_bound=0.4)
    np.testing.assert_array_equal(again.asnumpy(), y.asnumpy())


def test_activation_errors():
    x = nd.array(XA)
    with pytest.raises(ValueError, match="act_type must be one of 'relu'"):
        nd.Activation(x, act_type="mish")
    with pytest.raises(TypeError, match="Activation: data must be a float array"):
        nd.Activation(nd.array([1, 2], dtype="int32"), "relu")
    with pytest.raises(ValueError, match="act_type must be one of 'leaky'"):
        nd.LeakyReLU(x, act_type="relu")
    with pytest.raises(ValueError, match="gamma is needed for act_type='prelu'"):
        nd.LeakyReLU(x, act_type="prelu")
    with pytest.raises(ValueError, match="only then"):
        nd.LeakyReLU(x, nd.array([0.1]))
    with pytest.raises(ValueError, match=r"gamma must have 1 or 3 \(channel\) elements"):
        nd.LeakyReLU(nd.ones((2, 3)), nd.array([0.1, 0.2]), act_type="prelu")
    with pytest.raises(TypeError, match="different dtypes"):
        nd.LeakyReLU(nd.ones((2, 3), dtype="float64"), nd.array([0.1, 0.2, 0.3]),
                     act_type="prelu")
    with pytest.raises(ValueError, match="lower_bound 0.5 is greater than upper_bound 0.1"):
        nd.LeakyReLU(x, act_type="rrelu", lower_bound=0.5, upper_bound=0.1)


SMOOTH_L1_MXNET = {     # MXNet 1.9.1: value and gradient at XS
    1.0: ([2.5, 0.5, 0.08, 0.0, 0.02, 0.405, 1.5], [-1.0, -1.0, -0.4, 0.0, 0.2, 0.9, 1.0]),
    2.0: ([2.875, 0.875, 0.275, 0.0, 0.08, 0.775, 1.875], [-1.0, -1.0, -1.0, 0.0, 0.8, 1.0, 1.0]),
    0.5: ([1.125, 0.125, 0.02, 0.0, 0.005, 0.10125, 0.5],
          [-0.75, -0.25, -0.1, 0.0, 0.05, 0.225, 0.5]),
}
XS = [-3.0, -1.0, -0.4, 0.0, 0.2, 0.9, 2.0]


@pytest.mark.parametrize("sigma", sorted(SMOOTH_L1_MXNET))
def test_smooth_l1_matches_mxnet(sigma):
    y, g = grad_of(lambda v: nd.smooth_l1(v, scalar=sigma), nd.array(XS))
    check(y, SMOOTH_L1_MXNET[sigma][0], np.float32, **TOL)
    check(g, SMOOTH_L1_MXNET[sigma][1], **TOL)


def test_smooth_l1_defaults_and_sigma_zero():
    check(nd.smooth_l1(nd.array(XS)), SMOOTH_L1_MXNET[1.0][0], **TOL)
    check(nd.smooth_l1(nd.array(XS), -1), SMOOTH_L1_MXNET[1.0][0], **TOL)    # MXNet: sigma**2
    y, g = grad_of(lambda v: nd.smooth_l1(v, 0), nd.array(XS))
    check(y, np.zeros(7))
    check(g, np.zeros(7))


# ---------------------------------------------------------- normalisation ---

XB = [[[-1.0, -0.4], [0.2, 0.8], [1.4, -0.5]], [[0.1, 0.7], [1.3, 1.9], [0.0, 0.6]]]
HB = [[[1.0, 0.5403023], [-0.4161468, -0.9899925], [-0.6536436, 0.2836622]],
      [[0.9601703, 0.7539023], [-0.1455, -0.9111302], [-0.8390715, 0.0044257]]]


def _bn_params():
    return (nd.array([1.5, 2.0, 0.5]), nd.array([0.1, -0.2, 0.3]), nd.array([0.5, 0.1, -0.1]),
            nd.array([2.0, 1.0, 0.5]))


def test_batch_norm_in_training_matches_mxnet():
    g, b, mm, mv = _bn_params()
    x = nd.array(XB)
    for v in (x, g, b):
        v.attach_grad()
    with autograd.record():
        out, mean, invstd = nd.BatchNorm(x, g, b, mm, mv, fix_gamma=False,
                                         output_mean_var=True)
    out.backward(nd.array(HB))
    # MXNet 1.9.1
    check(out, [[[-1.9325343, -0.4978042], [-2.9100456, -0.997072], [1.0227096, -0.3169473]],
                [[0.6978042, 2.132534], [0.5970722, 2.5100455], [0.035594, 0.4586436]]], **TOL)
    check(mean, [-0.15, 1.05, 0.375], **TOL)
    check(invstd, [1.5941445, 1.5941445, 1.4101652], **TOL)
    check(x.grad, [[[0.3111618, -0.6930802], [0.2753065, -1.2995244], [-0.0320458, 0.2275402]],
                   [[0.3900776, -0.008159], [1.605257, -0.5810385], [-0.4584767, 0.2629824]]],
          rtol=1e-4, atol=1e-5)
    check(g.grad, [-0.1661356, -0.3341531, -0.8496832], rtol=1e-4, atol=1e-5)
    check(b.grad, [3.2543747, -2.4627697, -1.2046273], **TOL)
    # the moving statistics, with the biased batch variance (MXNet 1.9.1)
    check(mm, [0.435, 0.195, -0.0525], **TOL)
    check(mv, [1.83925, 0.93925, 0.5001875], **TOL)


def test_batch_norm_in_predict_mode_uses_and_keeps_the_moving_statistics():
    g, b, mm, mv = _bn_params()
    x = nd.array(XB)
    expected = [[[-1.486736, -0.8232924], [-0.1896872, 1.0478537], [1.325855, -0.0160552]],
                [[-0.2704227, 0.393021], [2.0791376, 3.3166785], [0.3370791, 0.7608403]]]
    mm_after, mv_after = [0.435, 0.195, -0.0525], [1.83925, 0.93925, 0.5001875]
    x.attach_grad()
    with autograd.record():
        nd.BatchNorm(x, g, b, mm, mv, fix_gamma=False).backward()     # moves the statistics
    # MXNet 1.9.1 (with the statistics moved once)
    check(nd.BatchNorm(x, g, b, mm, mv, fix_gamma=False), expected, **TOL)
    with autograd.record(train_mode=False):
        y = nd.BatchNorm(x, g, b, mm, mv, fix_gamma=False)
    with autograd.record():
        z = nd.BatchNorm(x, g, b, mm, mv, fix_gamma=False, use_global_stats=True)
    check(y, expected, **TOL)
    check(z, expected, **TOL)
    check(mm, mm_after, **TOL)
    check(mv, mv_after, **TOL)
    out, mean, invstd = nd.BatchNorm(x, g, b, mm, mv, output_mean_var=True)
    check(mean, mm_after)
    check(invstd, 1 / np.sqrt(np.array(mv_after) + 1e-3), rtol=1e-6)
    mean[:] = 0
    check(mm, mm_after)                                         # a copy


def test_batch_norm_gradient_in_predict_mode():
    g, b, mm, mv = _bn_params()
    x = nd.array(XB)
    out, gx, gg, gb = grad_of(lambda v, s, t: nd.BatchNorm(v, s, t, mm, mv, fix_gamma=False,
                                                           use_global_stats=True),
                              x, nd.array(HB), g, b)
    inv = 1 / np.sqrt(np.array([2.0, 1.0, 0.5]) + 1e-3)
    xhat = (np.array(XB) - np.array([0.5, 0.1, -0.1])[:, None]) * inv[:, None]
    check(gx, np.array(HB) * (np.array([1.5, 2.0, 0.5]) * inv)[:, None], rtol=1e-5)
    check(gg, (np.array(HB) * xhat).sum(axis=(0, 2)), rtol=1e-5)
    check(gb, np.array(HB).sum(axis=(0, 2)), rtol=1e-5)


def test_batch_norm_fix_gamma_leaves_gamma_alone_with_a_zero_gradient():
    g, b, mm, mv = _bn_params()
    x = nd.array(XB)
    out, gx, gg = grad_of(lambda v, s: nd.BatchNorm(v, s, b, mm, mv), x, None, g)
    check(g, [1.5, 2.0, 0.5])
    check(gg, [0.0, 0.0, 0.0])
    a = np.array(XB)
    mu, var = a.mean(axis=(0, 2), keepdims=True), a.var(axis=(0, 2), keepdims=True)
    check(out, (a - mu) / np.sqrt(var + 1e-3) + np.array([0.1, -0.2, 0.3])[:, None], rtol=1e-5)


def test_batch_norm_moving_statistics_are_not_differentiated():
    g, b, mm, mv = _bn_params()
    for v in (mm, mv):
        v.attach_grad()
    x = nd.array(XB)
    x.attach_grad()
    with autograd.record():
        y = nd.BatchNorm(x, g, b, mm, mv, fix_gamma=False)
        z = nd.BatchNorm(x, g, b, mm, mv, fix_gamma=False, use_global_stats=True)
        w = y + z
    w.backward()
    check(mm.grad, [0.0, 0.0, 0.0])
    check(mv.grad, [0.0, 0.0, 0.0])


@pytest.mark.parametrize("dtype", FLOATS)
def test_batch_norm_other_axes_and_dtypes(dtype):
    a = np.random.default_rng(2).standard_normal((4, 3, 2))
    x = nd.array(a, dtype=dtype)
    ones, zeros = nd.ones(2, dtype=dtype), nd.zeros(2, dtype=dtype)
    mm, mv = nd.zeros(2, dtype=dtype), nd.ones(2, dtype=dtype)
    x.attach_grad()
    with autograd.record():
        y = nd.BatchNorm(x, ones, zeros, mm, mv, axis=-1, momentum=0.5, eps=1e-5)
    mu, var = a.mean(axis=(0, 1)), a.var(axis=(0, 1))
    check(y, (a - mu) / np.sqrt(var + 1e-5), dtype, rtol=1e-4, atol=1e-5)
    check(mm, [0.0, 0.0], dtype)                    # MXNet moves them in backward
    y.backward()
    check(mm, 0.5 * mu, dtype, rtol=1e-5)
    check(mv, 0.5 + 0.5 * var, dtype, rtol=1e-5)
    with autograd.record():
        v = nd.BatchNorm(nd.array([[1.0, 2.0, 4.0]], dtype=dtype), nd.ones(3, dtype=dtype),
                         nd.zeros(3, dtype=dtype), nd.zeros(3, dtype=dtype),
                         nd.ones(3, dtype=dtype))
    check(v, [[0.0, 0.0, 0.0]], dtype)                          # one sample per channel


def test_batch_norm_moves_its_statistics_when_backward_runs():
    """As MXNet 1.9.1: a forward alone (under record() or train_mode())
    leaves the moving statistics; each backward through a BatchNorm call
    moves them once (values printed by MXNet 1.9.1)."""
    x = nd.array([[1.0, 2], [3, 4], [5, 7]])
    g, b, mm, mv = nd.ones(2), nd.zeros(2), nd.zeros(2), nd.ones(2)
    with autograd.train_mode():
        nd.BatchNorm(x, g, b, mm, mv, fix_gamma=False)
    x.attach_grad()
    with autograd.record(train_mode=True):
        y = nd.BatchNorm(x, g, b, mm, mv, fix_gamma=False)
    check(mm, [0.0, 0.0])
    check(mv, [1.0, 1.0])
    y.backward(retain_graph=True)
    check(mm, [0.30000007, 0.43333346], rtol=1e-6)
    check(mv, [1.1666667, 1.3222224], rtol=1e-6)
    y.backward()
    check(mm, [0.5700002, 0.82333356], rtol=1e-6)
    with pytest.raises(dt.TracingError, match="moving statistics"):
        dt.jit(_bn_train)(x, g, b, mm, mv)


def _bn_train(x, g, b, mm, mv):
    with autograd.record(train_mode=True):
        return nd.BatchNorm(x, g, b, mm, mv)


def test_batch_norm_in_train_mode_without_recording_traces():
    """Nothing moves the statistics there (no backward can run), so dt.jit
    may trace it; it normalises with the batch statistics."""
    x = nd.array([[1.0, 2], [3, 4], [5, 7]])
    g, b, mm, mv = nd.ones(2), nd.zeros(2), nd.zeros(2), nd.ones(2)

    def f(x):
        with autograd.train_mode():
            return nd.BatchNorm(x, g, b, mm, mv)
    np.testing.assert_allclose(dt.jit(f)(x).asnumpy(), f(x).asnumpy())
    check(mm, [0.0, 0.0])


def test_batch_norm_of_float16_data_takes_float32_parameters():
    x = nd.array([[1.0, 2, 3], [2, 0, 1]], dtype="float16")
    g, b, mm, mv = nd.ones(3), nd.zeros(3), nd.zeros(3), nd.ones(3)
    # MXNet 1.9.1
    check(nd.BatchNorm(x, g, b, mm, mv), [[0.9995, 1.999, 2.998], [1.999, 0.0, 0.9995]],
          np.float16, rtol=1e-3)
    g.attach_grad()
    with autograd.record():
        y, mean, invstd = nd.BatchNorm(x, g, b, mm, mv, fix_gamma=False, output_mean_var=True)
    y.backward()
    assert y.dtype is np.float16 and mean.dtype is np.float32 and g.grad.dtype is np.float32
    check(mm, [0.15, 0.1, 0.2], np.float32, rtol=1e-6)
    check(mv, [0.925, 1.0, 1.0], np.float32, rtol=1e-6)


def test_batch_norm_errors_change_nothing():
    g, b, mm, mv = _bn_params()
    x = nd.array(XB)
    with pytest.raises(ValueError, match=r"BatchNorm: gamma must have shape \(2,\)"):
        nd.BatchNorm(x, g, b, mm, mv, axis=2)
    with pytest.raises(ValueError, match=r"moving_var must have shape \(3,\), got \(2,\)"):
        nd.BatchNorm(x, g, b, mm, nd.ones(2))
    with pytest.raises(ValueError, match="axis 3 is out of range"):
        nd.BatchNorm(x, g, b, mm, mv, axis=3)
    with pytest.raises(TypeError, match="BatchNorm: beta must be of dtype float32 for this data"):
        nd.BatchNorm(x, g, nd.zeros(3, dtype="float64"), mm, mv)
    with pytest.raises(TypeError, match="gamma must be of dtype float32 .* got float16"):
        nd.BatchNorm(x.astype("float16"), g.astype("float16"), b, mm, mv)
    with pytest.raises(ValueError, match="eps must be non-negative"):
        nd.BatchNorm(x, g, b, mm, mv, eps=-1)
    with pytest.raises(TypeError, match="BatchNorm: data must be a float array"):
        nd.BatchNorm(nd.array([[1, 2, 3]], dtype="int32"), g, b, mm, mv)
    with autograd.record():
        with pytest.raises(ValueError, match=r"cannot normalise data of shape \(0, 3\)"):
            nd.BatchNorm(nd.zeros((0, 3)), g, b, mm, mv)
    check(mm, [0.5, 0.1, -0.1])
    check(mv, [2.0, 1.0, 0.5])
    check(g, [1.5, 2.0, 0.5])


XL = [[[0.0, 0.9635582, 0.5155014, -0.6877661], [-0.8834547, 0.21512, 0.9985433, 0.3190984]],
      [[-0.8278264, -0.7619836, 0.420167, 0.9867719], [0.1077536, -0.929124, -0.6048328,
                                                       0.6055399]]]
HL = [[[1.0, 0.7648422, 0.1699671, -0.5048461], [-0.9422224, -0.9364567, -0.4902608, 0.1865124]],
      [[0.7755659, 0.9998586, 0.7539023, 0.1533739], [-0.5192887, -0.9477216, -0.9304263,
                                                      -0.4755369]]]


def test_layer_norm_matches_mxnet():
    out, gx, gg, gb = grad_of(lambda v, s, t: nd.LayerNorm(v, s, t), nd.array(XL),
                              nd.array(HL), nd.array([1.5, 0.5, 2, 1]),
                              nd.array([0.1, -0.2, 0, 0.3]))
    # MXNet 1.9.1
    check(out, [[[-0.3828453, 0.4229993, 1.0338472, -1.1410253],
                 [-2.225349, -0.1608705, 2.479161, 0.5323932]],
                [[-1.4120747, -0.661593, 1.2009459, 1.6307628],
                 [0.8825565, -0.8034972, -1.3326621, 1.6516213]]], **TOL)
    check(gx, [[[1.8595521, -0.5310019, -0.3341376, -0.9944127],
                [-0.5392222, 0.2689708, -0.9131784, 1.1834297]],
               [[0.2577688, -0.582955, 0.9737074, -0.6485213],
                [0.0314727, 1.0896933, -1.3946127, 0.2734467]]], rtol=1e-4, atol=1e-5)
    check(gg, [0.0860429, 1.1005454, 0.5528121, 0.3321985], rtol=1e-4, atol=1e-5)
    check(gb, [0.3140548, -0.1194775, -0.4968177, -0.6404968], **TOL)


def test_layer_norm_axis_and_mean_std():
    x = nd.array(XL)
    out, mean, std = nd.LayerNorm(x, nd.array([1.5, 0.5]), nd.array([0.1, -0.2]), axis=1,
                                  output_mean_var=True)
    # MXNet 1.9.1
    check(mean, [[[-0.4417273, 0.5893391, 0.7570224, -0.1843339]],
                 [[-0.3600364, -0.8455538, -0.0923329, 0.7961559]]], **TOL)
    check(std, [[[0.4417387, 0.3742325, 0.2415417, 0.5034422]],
                [[0.4678007, 0.08363, 0.5125097, 0.1906423]]], rtol=1e-4, atol=1e-5)
    a = np.array(XL)
    xhat = (a - a.mean(1, keepdims=True)) / np.sqrt(a.var(1, keepdims=True) + 1e-5)
    check(out, xhat * np.array([1.5, 0.5])[:, None] + np.array([0.1, -0.2])[:, None],
          rtol=1e-4, atol=1e-5)
    out, mean, std = nd.LayerNorm(nd.array([1.0, 2, 3]), nd.ones(3), nd.zeros(3),
                                  output_mean_var=True)
    check(out, [-1.2247356, 0.0, 1.2247356], **TOL)                    # MXNet 1.9.1
    check(mean, [2.0])
    check(std, [0.8165027], **TOL)
    assert nd.LayerNorm(nd.zeros((0, 3)), nd.ones(3), nd.zeros(3)).shape == (0, 3)


def test_instance_norm_matches_mxnet():
    out, gx, gg, gb = grad_of(lambda v, s, t: nd.InstanceNorm(v, s, t), nd.array(XL),
                              nd.array(HL), nd.array([1.5, 0.5]), nd.array([0.1, -0.2]))
    # MXNet 1.9.1
    check(out, [[[-0.3822137, 1.9665533, 0.8743712, -2.0587106],
                 [-0.9742746, -0.160913, 0.4191173, -0.0839296]],
                [[-1.4108328, -1.2836415, 0.9999697, 2.0945046],
                 [0.060494, -0.8026686, -0.5327081, 0.4748828]]], **TOL)
    check(gx, [[[1.8491783, -0.1024762, -0.9115669, -0.8351353],
                [-0.0580056, -0.3012726, -0.147443, 0.5067213]],
               [[-0.3067615, 0.1693976, 0.4642018, -0.3268378],
                [0.0735648, 0.0219488, -0.0590566, -0.0364571]]], rtol=1e-4, atol=1e-5)
    check(gg, [0.3973581, 1.6711488], rtol=1e-4, atol=1e-5)
    check(gb, [4.1126637, -5.0554004], **TOL)
    a = np.random.default_rng(3).standard_normal((2, 2, 2, 3))
    mu, var = a.mean((2, 3), keepdims=True), a.var((2, 3), keepdims=True)
    check(nd.InstanceNorm(nd.array(a), nd.array([2.0, 3.0]), nd.array([1.0, 0.0])),
          (a - mu) / np.sqrt(var + 1e-3) * np.array([2.0, 3.0])[:, None, None]
          + np.array([1.0, 0.0])[:, None, None], rtol=1e-4, atol=1e-5)


XG = [[[0.0, 0.841471], [0.9092974, 0.14112], [-0.7568025, -0.9589243], [-0.2794155, 0.6569866]],
      [[0.9893582, 0.4121185], [-0.5440211, -0.9999902], [-0.5365729, 0.420167],
       [0.9906074, 0.6502879]]]
HG = [[[1.0, 0.7648422], [0.1699671, -0.5048461], [-0.9422224, -0.9364567],
       [-0.4902608, 0.1865124]],
      [[0.7755659, 0.9998586], [0.7539023, 0.1533739], [-0.5192887, -0.9477216],
       [-0.9304263, -0.4755369]]]


def test_group_norm_matches_mxnet():
    x, g, b = nd.array(XG), nd.array([1.5, 0.5]), nd.array([0.1, -0.2])
    for v in (x, g, b):
        v.attach_grad()
    with autograd.record():
        out, mean, std = nd.GroupNorm(x, g, b, num_groups=2, output_mean_var=True)
    out.backward(nd.array(HG))
    # MXNet 1.9.1
    check(out, [[[-1.6465126, 1.4607314], [1.7111896, -1.1254082], [-0.5386937, -0.7008137],
                 [-0.155786, 0.5952935]],
                [[2.0687242, 0.9600073], [-0.8764709, -1.7522608], [-1.0087222, -0.1655917],
                 [0.3371108, 0.037203]]], **TOL)
    check(mean, [[0.4729721, -0.3345389], [-0.0356337, 0.3811224]], **TOL)
    check(std, [[0.4062141, 0.6233709], [0.7809564, 0.5673736]], **TOL)
    check(x.grad, [[[2.506354, 1.3999519], [-0.8158918, -3.0904143], [-0.0696122, 0.0539646],
                    [0.0119515, 0.0036961]],
                   [[-0.3726763, 0.3814646], [0.4446258, -0.4534143], [0.014839, -0.1954002],
                    [-0.0803976, 0.2609587]]], rtol=1e-4, atol=1e-5)
    check(g.grad, [1.0354887, 1.3791615], rtol=1e-4, atol=1e-5)
    check(b.grad, [4.1126637, -5.055401], **TOL)
    a = np.array(XG)
    one = (a - a.mean((1, 2), keepdims=True)) / np.sqrt(a.var((1, 2), keepdims=True) + 1e-5)
    check(nd.GroupNorm(x, nd.ones(1), nd.zeros(1)), one, rtol=1e-4, atol=1e-5)


def test_normalisation_errors():
    x = nd.array(XG)
    with pytest.raises(ValueError, match=r"GroupNorm: gamma must have shape \(2,\), got \(4,\)"):
        nd.GroupNorm(x, nd.ones(4), nd.zeros(4), num_groups=2)
    with pytest.raises(ValueError, match="num_groups must divide the 4 channels, got 3"):
        nd.GroupNorm(x, nd.ones(3), nd.zeros(3), num_groups=3)
    with pytest.raises(ValueError, match="GroupNorm: data must have at least 3 axes"):
        nd.GroupNorm(nd.ones((2, 4)), nd.ones(1), nd.zeros(1))
    with pytest.raises(ValueError, match="InstanceNorm: data must have at least 3 axes"):
        nd.InstanceNorm(nd.ones((1, 3)), nd.ones(3), nd.zeros(3))
    with pytest.raises(ValueError, match=r"LayerNorm: gamma must have shape \(2,\)"):
        nd.LayerNorm(x, nd.ones(4), nd.zeros(2))
    with pytest.raises(ValueError, match="axis 3 is out of range"):
        nd.LayerNorm(x, nd.ones(2), nd.zeros(2), axis=3)
    with pytest.raises(ValueError, match="LayerNorm: eps must be non-negative"):
        nd.LayerNorm(x, nd.ones(2), nd.zeros(2), eps=-1)
    with pytest.raises(ValueError, match=r"LayerNorm: cannot normalise data of shape \(2, 0\)"):
        nd.LayerNorm(nd.zeros((2, 0)), nd.ones(0), nd.zeros(0))
    with pytest.raises(TypeError, match="LayerNorm: data must be a float array"):
        nd.LayerNorm(nd.array([[1, 2]], dtype="int32"), nd.ones(2), nd.zeros(2))


L2_MXNET = {    # MXNet 1.9.1 at XB, head gradient HB
    "instance": ([[[-0.496904, -0.1987616], [0.0993808, 0.3975232], [0.6956656, -0.248452]],
                  [[0.0402911, 0.282038], [0.5237849, 0.7655318], [0.0, 0.2417469]]],
                 [[[0.1106346, 0.1139706], [-0.1295311, -0.1829157], [0.215979, -0.0521818]],
                  [[0.3953267, 0.3629973], [0.0513961, -0.2063067], [-0.3380715, 0.0525615]]]),
    "channel": ([[[-0.5773503, -0.39036], [0.1154701, 0.78072], [0.8082904, -0.48795]],
                 [[0.0766965, 0.3314596], [0.9970545, 0.899676], [0.0, 0.2841083]]],
                [[[0.1927714, 0.099764], [-0.1633467, -0.1110996], [0.1610291, -0.2575703]],
                 [[0.7406188, 0.4462215], [-0.0569707, -0.189214], [-0.6435385, 0.0785858]]]),
    "spatial": ([[[-0.9284768, -0.3713907], [0.2425356, 0.9701425], [0.9417419, -0.3363364]],
                 [[0.1414214, 0.9899495], [0.5646839, 0.8253073], [0.0, 1.0]]],
                [[[-0.0449199, 0.1122994], [-0.1924862, 0.0481215], [0.0106997, 0.029959]],
                 [[1.1814631, -0.1687803], [0.1413953, -0.0967441], [-1.3984525, 0.0]]]),
}


@pytest.mark.parametrize("mode", sorted(L2_MXNET))
def test_l2_normalization_matches_mxnet(mode):
    y, g = grad_of(lambda v: nd.L2Normalization(v, mode=mode), nd.array(XB), nd.array(HB))
    check(y, L2_MXNET[mode][0], np.float32, **TOL)
    check(g, L2_MXNET[mode][1], rtol=1e-4, atol=1e-5)


def test_l2_normalization_small_inputs_and_errors():
    check(nd.L2Normalization(nd.array([[3.0, 4.0]])), [[0.6, 0.8]], **TOL)    # MXNet 1.9.1
    check(nd.L2Normalization(nd.array([3.0, -4.0])), [1.0, -1.0], **TOL)
    check(nd.L2Normalization(nd.array([[0.0, 0.0]])), [[0.0, 0.0]])
    with pytest.raises(ValueError, match="mode must be one of 'instance', 'channel', 'spatial'"):
        nd.L2Normalization(nd.array([[3.0, 4.0]]), mode="bad")
    with pytest.raises(ValueError, match="mode='channel'.*at least 3 axes"):
        nd.L2Normalization(nd.array([[3.0, 4.0]]), mode="channel")
    with pytest.raises(ValueError, match="eps must be non-negative"):
        nd.L2Normalization(nd.array([[3.0, 4.0]]), eps=-1.0)


# ---------------------------------------------------------------- dropout ---

def test_dropout_is_a_copy_outside_training():
    x = nd.array([[1.0, 2.0], [3.0, 4.0]])
    for y in (nd.Dropout(x), nd.Dropout(x, p=0.9)):
        check(y, x.asnumpy())
        y[:] = 0
    check(x, [[1.0, 2.0], [3.0, 4.0]])
    with autograd.predict_mode():
        check(nd.Dropout(x), x.asnumpy())


def test_dropout_in_training_scales_the_kept_values_and_reuses_the_mask_backward():
    a = np.random.default_rng(4).uniform(1.0, 2.0, (20, 30))
    nd.random.seed(7)
    y, g = grad_of(lambda v: nd.Dropout(v, p=0.25), nd.array(a), nd.array(np.full(a.shape, 3.0)))
    kept = y.asnumpy() != 0
    assert 0.65 < kept.mean() < 0.85
    np.testing.assert_allclose(y.asnumpy()[kept], a[kept] / 0.75, rtol=1e-6)
    np.testing.assert_allclose(g.asnumpy(), np.where(kept, 3.0 / 0.75, 0.0), rtol=1e-6)
    nd.random.seed(7)
    with autograd.train_mode():
        again = nd.Dropout(nd.array(a), p=0.25)
    np.testing.assert_array_equal(again.asnumpy(), y.asnumpy())


def test_dropout_axes_always_and_the_edges():
    x = nd.ones((6, 40))
    y = nd.Dropout(x, p=0.5, mode="always", axes=(0,))
    cols = y.asnumpy()
    assert np.all(cols == cols[:1]) and set(np.unique(cols)) == {0.0, 2.0}
    y = nd.Dropout(x.astype("float64"), p=0.5, mode="always", axes=1)
    assert y.dtype is np.float64 and np.all(y.asnumpy() == y.asnumpy()[:, :1])
    with autograd.record():
        check(nd.Dropout(x, p=1.0), np.zeros((6, 40)))
        check(nd.Dropout(x, p=0.0), np.ones((6, 40)))
    with dt.forward_level():
        v = nd.array(np.arange(6.0).reshape(2, 3), dtype="float64")
        v.attach_tangent(nd.ones((2, 3), dtype="float64"))
        y = nd.Dropout(v, p=0.5, mode="always")
        np.testing.assert_array_equal(y.tangent.asnumpy() * v.detach().asnumpy(),
                                      y.detach().asnumpy())


def test_dropout_errors():
    x = nd.ones((2, 3))
    with pytest.raises(ValueError, match=r"Dropout: p must be in \[0, 1\], got 1.5"):
        nd.Dropout(x, p=1.5)
    with pytest.raises(ValueError, match="mode must be one of 'training', 'always'"):
        nd.Dropout(x, mode="test")
    with pytest.raises(ValueError, match="axis 2 is out of range"):
        nd.Dropout(x, axes=(2,))
    with pytest.raises(TypeError, match="Dropout: data must be a float array"):
        nd.Dropout(nd.ones((2,), dtype="int32"), mode="always")


# ---------------------------------------------------- softmax_cross_entropy ---

XC = [[1.0, 2.0, 3.0], [0.5, -1.0, 2.0]]


def test_softmax_cross_entropy_matches_mxnet():
    x = nd.array(XC)
    check(nd.softmax_cross_entropy(x, nd.array([2, 0])), [2.1489172], np.float32, **TOL)
    check(nd.softmax_cross_entropy(x, nd.array([1.7, 0])), [3.1489172], **TOL)  # truncated
    y, g = grad_of(lambda v: nd.softmax_cross_entropy(v, nd.array([2, 0])), x, nd.array([3.0]))
    check(g, 3 * (_np_softmax(np.array(XC)) - np.eye(3)[[2, 0]]), rtol=1e-5)
    check(nd.softmax_cross_entropy(x.astype("float64"), nd.array([2, 0], dtype="float64")),
          [2.1489173], np.float64, **TOL)


def test_softmax_cross_entropy_errors():
    x = nd.array(XC)
    with pytest.raises(ValueError, match=r"data must be 2-d .* got shapes \(2, 3\) and \(3,\)"):
        nd.softmax_cross_entropy(x, nd.array([2, 0, 1]))
    with pytest.raises(ValueError, match="data must be 2-d"):
        nd.softmax_cross_entropy(nd.array([1.0, 2.0]), nd.array([1]))
    with pytest.raises(ValueError, match="data must be 2-d"):
        nd.softmax_cross_entropy(x, nd.array([[2], [0]]))
    with pytest.raises(TypeError, match="different dtypes"):
        nd.softmax_cross_entropy(x, nd.array([2, 0], dtype="int32"))
    with pytest.raises(ValueError, match="label must be finite"):
        nd.softmax_cross_entropy(x, nd.array([2, np.nan]))
    # MXNet reads out of bounds (a neighbouring row's value): no defined result
    for bad in ([3, 0], [0, -1], [2, -0.5 - 1]):
        with pytest.raises(IndexError, match=r"label .* is not a class index in \[0, 3\)"):
            nd.softmax_cross_entropy(x, nd.array(bad))


# ------------------------------------------------------------ loss layers ---

XO = [[1.0, 2.0, 3.0], [0.5, -1.0, 2.0], [0.0, 0.0, 1.0], [2.0, 1.0, 0.0]]
LO = [2, 0, 1, 1]
# MXNet 1.9.1: the output and the gradient with the defaults
SO = [[0.090031, 0.244728, 0.665241], [0.17529, 0.039113, 0.785597],
      [0.211942, 0.211942, 0.576117], [0.665241, 0.244728, 0.090031]]
GO = np.array([[0.090031, 0.244728, -0.334759], [-0.82471, 0.039113, 0.785597],
               [0.211942, -0.788058, 0.576117], [0.665241, -0.755272, 0.090031]])


def softmax_output_grad(label=LO, head=None, x=XO, **kwargs):
    y, g, glabel = grad_of(lambda v, lab: nd.SoftmaxOutput(v, lab, **kwargs), nd.array(x),
                           head, nd.array(label))
    assert not glabel.asnumpy().any()
    return y, g


@pytest.mark.parametrize("kwargs,expected", [
    ({}, GO),
    ({"grad_scale": 2.0}, 2 * GO),
    ({"normalization": "batch"}, GO / 4),
    ({"normalization": "valid"}, GO / 4),
    ({"normalization": "valid", "use_ignore": True, "ignore_label": 1},
     np.vstack([GO[:2] / 2, np.zeros((2, 3))])),
    ({"use_ignore": True, "ignore_label": 1}, np.vstack([GO[:2], np.zeros((2, 3))])),
    ({"ignore_label": 1}, GO),
    ({"smooth_alpha": 0.3}, [[-0.059969, 0.094728, -0.034759], [-0.52471, -0.110887, 0.635597],
                             [0.061942, -0.488058, 0.426117], [0.515241, -0.455272, -0.059969]]),
    ({"smooth_alpha": 0.3, "use_ignore": True, "ignore_label": 1},
     [[-0.059969, 0.094728, -0.034759], [-0.52471, -0.110887, 0.635597], [0, 0, 0], [0, 0, 0]]),
], ids=["null", "grad_scale", "batch", "valid", "valid-ignore", "ignore", "ignore-unused",
        "smooth", "smooth-ignore"])
def test_softmax_output_gradient_matches_mxnet(kwargs, expected):
    y, g = softmax_output_grad(head=nd.full((4, 3), 5.0), **kwargs)    # the head is ignored
    check(y, SO, np.float32, atol=1e-6)
    check(g, expected, atol=2e-6)


def test_softmax_output_labels_out_of_range_and_probabilities():
    # MXNet 1.9.1
    y, g = softmax_output_grad([3, 0, -1, 1.7])
    check(g, [[0.090031, 0.244728, 0.665241], [-0.82471, 0.039113, 0.785597],
              [0.211942, 0.211942, 0.576117], [0.665241, -0.755272, 0.090031]], atol=2e-6)
    y, g = softmax_output_grad([2, -1, 1, 1], normalization="valid")
    check(g, [[0.03001, 0.081576, -0.111586], [0.05843, 0.013038, 0.261866],
              [0.070647, -0.262686, 0.192039], [0.221747, -0.251757, 0.03001]], atol=2e-6)
    y, g = softmax_output_grad([2, 5, -1, 1], smooth_alpha=0.3)
    check(g, [[-0.059969, 0.094728, -0.034759], [0.025289, -0.110887, 0.635597],
              [0.061942, 0.061942, 0.426117], [0.515241, -0.455272, -0.059969]], atol=2e-6)
    y, g = softmax_output_grad([[0.2, 0.3, 0.5]] * 4, normalization="batch", grad_scale=2)
    check(g, [[-0.219939, -0.110543, 0.330482], [-0.049419, -0.521775, 0.571194],
              [0.023883, -0.176117, 0.152234], [0.930482, -0.110543, -0.819939]], atol=2e-6)
    y, g = softmax_output_grad([1, 1, 1, 1], normalization="valid", use_ignore=True,
                               ignore_label=1)
    check(g, np.zeros((4, 3)))


X3 = (np.arange(24).reshape(2, 3, 4) / 10).tolist()
L3 = [[0, 1, 2, 0], [2, 2, 1, 0]]
GM = np.array([[[-0.197004, 0.052996, 0.052996, -0.197004], [0.07906, -0.17094, 0.07906, 0.07906],
                [0.117944, 0.117944, -0.132056, 0.117944]],
               [[0.052996, 0.052996, 0.052996, -0.197004], [0.07906, 0.07906, -0.17094, 0.07906],
                [-0.132056, -0.132056, 0.117944, 0.117944]]])


def test_softmax_output_multi_output_matches_mxnet():
    # MXNet 1.9.1
    y, g = softmax_output_grad(L3, x=X3, multi_output=True)
    check(y, np.broadcast_to(np.array([0.211983, 0.316241, 0.471776])[:, None], (2, 3, 4)),
          atol=1e-6)
    check(g, GM, atol=2e-6)
    check(softmax_output_grad(L3, x=X3, multi_output=True, normalization="batch")[1], GM / 2,
          atol=2e-6)
    y, g = softmax_output_grad(L3, x=X3, multi_output=True, normalization="valid",
                               use_ignore=True, ignore_label=0)
    check(g, [[[0.0, 0.042397, 0.042397, 0.0], [0.0, -0.136752, 0.063248, 0.0],
               [0.0, 0.094355, -0.105645, 0.0]],
              [[0.042397, 0.042397, 0.042397, 0.0], [0.063248, 0.063248, -0.136752, 0.0],
               [-0.105645, -0.105645, 0.094355, 0.0]]], atol=2e-6)
    x4 = np.array(X3).reshape(2, 3, 2, 2)
    for label in (np.array(L3).reshape(2, 2, 2), L3, np.array(L3).reshape(2, 1, 2, 2)):
        check(softmax_output_grad(label, x=x4, multi_output=True)[1], GM.reshape(x4.shape),
              atol=2e-6)
    y, g = softmax_output_grad(np.full((2, 3, 4), 1 / 3), x=X3, multi_output=True)
    check(g, np.broadcast_to(np.array([-0.121351, -0.017092, 0.138443])[:, None], (2, 3, 4)),
          atol=2e-6)
    # smooth_alpha applies with multi_output too (MXNet 1.9.1 ignores it there)
    y, g = softmax_output_grad(L3, x=X3, multi_output=True, smooth_alpha=0.2)
    onehot = np.eye(3)[np.array(L3)].transpose(0, 2, 1)
    check(g, (y.asnumpy() - (0.8 * onehot + 0.1 * (1 - onehot))) / 4, rtol=1e-5, atol=1e-6)


def test_softmax_output_preserve_shape_and_flattened_matches_mxnet():
    rows = [0.213838, 0.236328, 0.261183, 0.288651]
    label = [[0, 1, 2], [2, 2, 1]]
    y, g = softmax_output_grad(label, x=X3, preserve_shape=True)
    # MXNet 1.9.1
    check(y, np.broadcast_to(rows, (2, 3, 4)), atol=1e-6)
    expected = np.broadcast_to(rows, (2, 3, 4)) - np.eye(4)[np.array(label)]
    check(g, expected, atol=2e-6)
    check(softmax_output_grad(label, x=X3, preserve_shape=True, normalization="batch")[1],
          expected / 6, atol=2e-6)
    y, g = softmax_output_grad(label, x=X3, preserve_shape=True, normalization="valid",
                               use_ignore=True, ignore_label=2)
    check(g, np.where(np.array(label)[..., None] == 2, 0, expected / 3), atol=2e-6)
    # without either: softmax over the 12 values of each sample, label (batch,)
    flat = [0.04533, 0.050097, 0.055366, 0.061189, 0.067624, 0.074737, 0.082597, 0.091283,
            0.100884, 0.111494, 0.12322, 0.136179]
    y, g = softmax_output_grad([0, 1], x=X3)
    check(y, np.broadcast_to(np.reshape(flat, (3, 4)), (2, 3, 4)), atol=1e-6)
    check(g, (np.array([flat, flat]) - np.eye(12)[[0, 1]]).reshape(2, 3, 4), atol=2e-6)


def test_softmax_output_out_grad_uses_the_head_gradient():
    head = np.arange(12.0).reshape(4, 3)
    y, g = softmax_output_grad(head=nd.array(head), out_grad=True)
    check(g, GO * head, atol=2e-5)


def test_softmax_output_forward_mode_and_second_order():
    x = nd.array(XO, dtype="float64")
    s = _np_softmax(np.array(XO))
    v = np.random.default_rng(5).standard_normal((4, 3))
    with dt.forward_level():
        x.attach_tangent(nd.array(v, dtype="float64"))
        y = nd.SoftmaxOutput(x, nd.array(LO, dtype="float64"))
        # the forward rule differentiates the value
        check(y.tangent, s * (v - (s * v).sum(1, keepdims=True)), rtol=1e-12)
    x = nd.array(XO, dtype="float64")
    x.attach_grad()
    with autograd.record():
        y = nd.SoftmaxOutput(x, nd.array(LO, dtype="float64"), grad_scale=0.5)
        g, = autograd.grad(y, [x], create_graph=True)
        z = (g * nd.array(v, dtype="float64")).sum()
    z.backward()
    check(g, 0.5 * (s - np.eye(3)[LO]), rtol=1e-12)
    check(x.grad, 0.5 * s * (v - (s * v).sum(1, keepdims=True)), rtol=1e-10)


def test_softmax_output_alias_dtypes_and_errors():
    assert nd.Softmax is nd.SoftmaxOutput
    x = nd.array(XO)
    y = nd.SoftmaxOutput(x.astype("float64"), nd.array(LO, dtype="float64"))
    assert y.dtype is np.float64
    check(nd.SoftmaxOutput(x.astype("float16"), nd.array(LO, dtype="float16")), SO, np.float16,
          rtol=2e-3, atol=1e-3)
    with pytest.raises(ValueError, match=r"label must have shape \(4,\) \(class indices\) or "
                                         r"\(4, 3\) \(probabilities\), got \(2,\)"):
        nd.SoftmaxOutput(x, nd.array([1, 2]))
    with pytest.raises(ValueError, match=r"\(2, 3\)"):
        nd.SoftmaxOutput(nd.array(X3), nd.array([[0, 1, 2], [2, 2, 1]]))
    with pytest.raises(ValueError, match="normalization must be one of 'null', 'batch', 'valid'"):
        nd.SoftmaxOutput(x, nd.array(LO), normalization="bad")
    with pytest.raises(ValueError, match="at least 2 axes"):
        nd.SoftmaxOutput(nd.array([1.0, 2.0, 3.0]), nd.array([1]))
    with pytest.raises(TypeError, match="different dtypes"):
        nd.SoftmaxOutput(x, nd.array(LO, dtype="int32"))


XR = [[1.0, 2.0, 3.0], [0.5, -1.0, 2.0]]
LR = [[0.0, 2.5, 3.0], [1.0, 1.0, 1.0]]
REGRESSION_MXNET = {    # MXNet 1.9.1: output and gradient at XR, LR
    "LinearRegressionOutput": (XR, [[0.333333, -0.166667, 0.0], [-0.166667, -0.666667, 0.333333]]),
    "LogisticRegressionOutput": ([[0.731059, 0.880797, 0.952574], [0.622459, 0.268941, 0.880797]],
                                 [[0.243686, -0.539734, -0.682475],
                                  [-0.125847, -0.243686, -0.039734]]),
    "MAERegressionOutput": (XR, [[0.333333, -0.333333, -0.333333],
                                 [-0.333333, -0.333333, 0.333333]]),
}


@pytest.mark.parametrize("name", sorted(REGRESSION_MXNET))
def test_regression_outputs_match_mxnet(name):
    f = getattr(nd, name)
    y, g, glabel = grad_of(lambda v, lab: f(v, lab), nd.array(XR), nd.full((2, 3), 7.0),
                           nd.array(LR))
    check(y, REGRESSION_MXNET[name][0], np.float32, atol=1e-6)
    check(g, REGRESSION_MXNET[name][1], atol=2e-6)
    assert not glabel.asnumpy().any()
    y, g = grad_of(lambda v: f(v, nd.array(LR), grad_scale=3.0), nd.array(XR))
    check(g, 3 * np.array(REGRESSION_MXNET[name][1]), atol=5e-6)
    assert f(nd.array(XR, dtype="float64"), nd.array(LR, dtype="float64")).dtype is np.float64


def test_regression_outputs_shapes_and_errors():
    # MXNet 1.9.1
    y, g = grad_of(lambda v: nd.LinearRegressionOutput(v, nd.array([0.0, 1.0, 2.0])),
                   nd.array([1.0, 2.0, 3.0]))
    check(g, [1.0, 1.0, 1.0])
    y, g = grad_of(lambda v: nd.LogisticRegressionOutput(v, nd.array([0.0, 1.0, 2.0])),
                   nd.array([1.0, 2.0, 3.0]))
    check(g, [0.731059, -0.119203, -1.047426], atol=2e-6)
    a = np.arange(12.0).reshape(2, 3, 2)
    y, g = grad_of(lambda v: nd.LinearRegressionOutput(v, nd.zeros((2, 6))), nd.array(a))
    check(g, a / 6, rtol=1e-6)
    y, g = grad_of(lambda v: nd.MAERegressionOutput(v, nd.zeros((2, 3, 2))), nd.array(a))
    check(g, np.where(a > 0, 1, -1) / 6, rtol=1e-6)
    with pytest.raises(ValueError, match=r"LinearRegressionOutput: label must have the shape "
                                         r"of data \(2, 3\)"):
        nd.LinearRegressionOutput(nd.array(XR), nd.array([0.0, 1.0]))
    with pytest.raises(ValueError, match="label must have the shape"):
        nd.MAERegressionOutput(nd.array(XR), nd.zeros((3, 2)))
    with pytest.raises(TypeError, match="different dtypes"):
        nd.LogisticRegressionOutput(nd.array(XR), nd.array(LR, dtype="float64"))


def test_loss_layers_are_kept_out_of_the_finite_difference_sweeps():
    for name in ("SoftmaxOutput", "LinearRegressionOutput", "LogisticRegressionOutput",
                 "MAERegressionOutput"):
        assert REGISTRY[name].kind == "loss" and REGISTRY[name].samples is None
    for name in ("activation", "leakyrelu", "prelu", "smooth_l1", "batchnorm", "layernorm",
                 "instancenorm", "groupnorm", "l2normalization", "dropout",
                 "softmax_cross_entropy", "softmax", "log_softmax"):
        assert REGISTRY[name].differentiable
