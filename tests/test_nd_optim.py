"""Optimizer updates, creation functions, nd.random and nd.save/nd.load.

Literal expected values marked "MXNet 1.9.1" were recorded by running MXNet
1.9.1 (CPU) on the same inputs.
"""
import json
import pathlib
import threading
import zipfile

import numpy as np
import pytest

from dualtape import autograd, nd

W0 = [0.5, -1.5, 2.0, -0.25]
G0 = [1.0, -3.0, 0.5, 4.0]
M0 = [0.1, -0.2, 0.0, 0.3]
V0 = [0.5, 1.0, 0.25, 2.0]
ALL = dict(wd=0.2, rescale_grad=0.5, clip_gradient=1.0)

# (op, states, kwargs, new weight, new states) -- MXNet 1.9.1, float32, out=None
MXNET_UPDATES = [
    ("sgd_update", [], dict(lr=0.1),
     [0.4000000059604645, -1.2000000476837158, 1.9500000476837158, -0.6499999761581421], []),
    ("sgd_update", [], dict(lr=0.1, **ALL),
     [0.4399999976158142, -1.3700000047683716, 1.9350000619888306, -0.3449999988079071], []),
    ("sgd_update", [], dict(lr=0.1, clip_gradient=0.0), [0.5, -1.5, 2.0, -0.25], []),
    ("sgd_mom_update", [M0], dict(lr=0.1, momentum=0.9),
     [0.49000000953674316, -1.3799999952316284, 1.9500000476837158, -0.3799999952316284],
     [[-0.01000000536441803, 0.12000001966953278, -0.05000000074505806,
       -0.12999999523162842]]),
    ("sgd_mom_update", [M0], dict(lr=0.1, momentum=0.9, **ALL),
     [0.5299999713897705, -1.5499999523162842, 1.934999942779541, -0.07499998807907104],
     [[0.029999997466802597, -0.049999989569187164, -0.0650000050663948,
       0.17500001192092896]]),
    ("nag_mom_update", [M0], dict(lr=0.1, momentum=0.9),
     [0.390999972820282, -1.0920000076293945, 1.9049999713897705, -0.7669999599456787],
     [[-0.01000000536441803, 0.12000001966953278, -0.05000000074505806,
       -0.12999999523162842]]),
    ("nag_mom_update", [M0], dict(lr=0.1, momentum=0.9, **ALL),
     [0.46699997782707214, -1.415000081062317, 1.8765000104904175, -0.1874999701976776],
     [[0.0299999937415123, -0.04999999701976776, -0.06499999761581421,
       0.17500001192092896]]),
    ("adam_update", [M0, V0], dict(lr=0.1),
     [0.4731433689594269, -1.45219087600708, 1.9900000095367432, -0.2972111999988556],
     [[0.1900000274181366, -0.4800000786781311, 0.050000011920928955, 0.6700000762939453],
      [0.500499963760376, 1.0079998970031738, 0.25, 2.0139999389648438]]),
    ("adam_update", [M0, V0],
     dict(lr=0.1, beta1=0.8, beta2=0.9, epsilon=1e-3, **ALL),
     [0.47135233879089355, -1.464035987854004, 1.9749016761779785, -0.28189781308174133],
     [[0.20000000298023224, -0.36000001430511475, 0.12999998033046722, 0.4399999976158142],
      [0.4860000014305115, 1.0, 0.2672500014305115, 1.899999976158142]]),
    ("rmsprop_update", [V0], dict(lr=0.1),
     [0.3619868755340576, -1.2464537620544434, 1.899999976158142, -0.4934322237968445],
     [[0.5249999761581421, 1.4000000953674316, 0.25, 2.700000286102295]]),
    ("rmsprop_update", [V0],
     dict(lr=0.1, gamma1=0.8, epsilon=1e-3, clip_weights=1.2, **ALL),
     [0.4127589762210846, -1.2000000476837158, 1.2000000476837158, -0.3245149254798889],
     [[0.47200000286102295, 1.0, 0.28450000286102295, 1.7999999523162842]]),
    ("signsgd_update", [], dict(lr=0.1),
     [0.4000000059604645, -1.399999976158142, 1.899999976158142, -0.3499999940395355], []),
    ("signsgd_update", [], dict(lr=0.1, **ALL),
     [0.39000001549720764, -1.3700000047683716, 1.8600000143051147, -0.3449999988079071], []),
]


@pytest.mark.parametrize("op, states, kwargs, want_w, want_states", MXNET_UPDATES,
                         ids=lambda v: v if isinstance(v, str) else None)
def test_updates_match_mxnet(op, states, kwargs, want_w, want_states):
    w, g = nd.array(W0), nd.array(G0)
    s = [nd.array(v) for v in states]
    r = getattr(nd, op)(w, g, *s, **kwargs)
    assert r is not w and r.dtype is np.float32 and r.shape == (4,)
    np.testing.assert_allclose(r.asnumpy(), want_w, rtol=1e-6, atol=1e-7)
    for a, want in zip(s, want_states):
        np.testing.assert_allclose(a.asnumpy(), want, rtol=1e-6, atol=1e-7)
    np.testing.assert_array_equal(w.asnumpy(), np.float32(W0))     # weight untouched
    np.testing.assert_array_equal(g.asnumpy(), np.float32(G0))     # grad untouched


@pytest.mark.parametrize("op, states, kwargs, want_w, want_states", MXNET_UPDATES[::2],
                         ids=lambda v: v if isinstance(v, str) else None)
def test_out_weight_updates_in_place(op, states, kwargs, want_w, want_states):
    w = nd.array(W0)
    r = getattr(nd, op)(w, nd.array(G0), *[nd.array(v) for v in states], out=w, **kwargs)
    assert r is w
    np.testing.assert_allclose(w.asnumpy(), want_w, rtol=1e-6, atol=1e-7)
    other = nd.zeros(4)
    r = getattr(nd, op)(nd.array(W0), nd.array(G0), *[nd.array(v) for v in states],
                        out=other, **kwargs)
    assert r is other
    np.testing.assert_allclose(other.asnumpy(), want_w, rtol=1e-6, atol=1e-7)


def test_signum_matches_mxnet():
    # MXNet 1.9.1
    for kw, want_w, want_m in (
            (dict(lr=0.1, momentum=0.9),
             [0.4000000059604645, -1.399999976158142, 1.899999976158142, -0.3499999940395355],
             [-0.01000002771615982, 0.12000007927417755, -0.050000011920928955,
              -0.13000008463859558]),
            (dict(lr=0.1, momentum=0.9, wd_lh=0.3, **ALL),
             [0.5850000381469727, -1.5550000667572021, 1.840000033378601, -0.14250001311302185],
             [0.029999978840351105, -0.04999995231628418, -0.0650000125169754,
              0.17499998211860657])):
        m = nd.array(M0)
        r = nd.signum_update(nd.array(W0), nd.array(G0), m, **kw)
        np.testing.assert_allclose(r.asnumpy(), want_w, rtol=1e-6)
        np.testing.assert_allclose(m.asnumpy(), want_m, rtol=1e-5)


def test_multi_precision_updates_match_mxnet():
    def half(v):
        return nd.array(v, dtype="float16")
    # MXNet 1.9.1: (new weight, new mom, new weight32)
    w32 = nd.array(W0)
    r = nd.mp_sgd_update(half(W0), half(G0), w32, lr=0.1, **ALL)
    assert r.dtype is np.float16 and w32.dtype is np.float32
    np.testing.assert_array_equal(r.asnumpy(), np.float16(
        [0.43994140625, -1.3701171875, 1.9345703125, -0.344970703125]))
    np.testing.assert_allclose(w32.asnumpy(), [0.4399999976158142, -1.3700000047683716,
                                               1.9350000619888306, -0.3449999988079071])
    w32, m = nd.array(W0), nd.array(M0)
    w = half(W0)
    r = nd.mp_sgd_mom_update(w, half(G0), m, w32, lr=0.1, momentum=0.9, out=w, **ALL)
    assert r is w
    np.testing.assert_array_equal(w.asnumpy(), np.float16(
        [0.52978515625, -1.5498046875, 1.9345703125, -0.07501220703125]))
    np.testing.assert_allclose(m.asnumpy(), [0.029999997466802597, -0.049999989569187164,
                                             -0.0650000050663948, 0.17500001192092896])
    np.testing.assert_allclose(w32.asnumpy(), [0.5299999713897705, -1.5499999523162842,
                                               1.934999942779541, -0.07499998807907104])
    w32, m = nd.array(W0), nd.array(M0)
    r = nd.mp_nag_mom_update(half(W0), half(G0), m, w32, lr=0.1, momentum=0.9,
                             rescale_grad=0.5, clip_gradient=1.0)
    np.testing.assert_array_equal(r.asnumpy(), np.float16(
        [0.486083984375, -1.4716796875, 1.9521484375, -0.197021484375]))
    np.testing.assert_allclose(m.asnumpy(), [0.03999999538064003, -0.07999999076128006,
                                             -0.02500000037252903, 0.17000001668930054])
    np.testing.assert_allclose(w32.asnumpy(), [0.4860000014305115, -1.472000002861023,
                                               1.9524999856948853, -0.19699996709823608])
    # MXNet 1.9.1 refuses float16 states too
    with pytest.raises(TypeError, match="mp_sgd_mom_update: mom has dtype float16, it must "
                                        "be float32"):
        nd.mp_sgd_mom_update(half(W0), half(G0), half(M0), nd.array(W0), lr=0.1)
    with pytest.raises(TypeError, match="mp_sgd_update: weight32 has dtype float16"):
        nd.mp_sgd_update(half(W0), half(G0), half(W0), lr=0.1)
    r = nd.mp_sgd_update(nd.array(W0, dtype="float64"), nd.array(G0, dtype="float64"),
                         nd.array(W0), lr=0.1)
    assert r.dtype is np.float64


def test_nag_momentum_uses_the_old_weight_with_out_weight():
    # MXNet 1.9.1 with out=weight gives mom [-0.01744, 0.1407, -0.08658, -0.11485]
    # (its kernel reads the new weight); dualtape's mom does not depend on out
    w, m = nd.array(W0), nd.array(M0)
    nd.nag_mom_update(w, nd.array(G0), m, lr=0.1, momentum=0.9, wd=0.2, out=w)
    g = np.float64(G0) + 0.2 * np.float64(W0)
    np.testing.assert_allclose(m.asnumpy(), 0.9 * np.float64(M0) - 0.1 * g, rtol=1e-6)
    np.testing.assert_allclose(w.asnumpy(), W0 + 0.9 * m.asnumpy() - 0.1 * g, rtol=1e-6)


def _reference(op, w, g, states, kw):
    """The update formulas in float64 (MXNet's documented semantics)."""
    lr, wd = kw["lr"], kw.get("wd", 0.0)
    clip = kw.get("clip_gradient", -1.0)
    c = (lambda x: np.clip(x, -clip, clip)) if clip >= 0 else (lambda x: x)
    rg = kw.get("rescale_grad", 1.0) * g
    if op == "sgd_update":
        return (1 - lr * wd) * w - lr * c(rg), []
    if op == "sgd_mom_update":
        mom = kw["momentum"] * states[0] - lr * wd * w - lr * c(rg)
        return w + mom, [mom]
    if op == "nag_mom_update":
        step = lr * (c(rg) + wd * w)
        mom = kw["momentum"] * states[0] - step
        return w + kw["momentum"] * mom - step, [mom]
    if op == "adam_update":
        gg = c(rg + wd * w)
        mean = kw["beta1"] * states[0] + (1 - kw["beta1"]) * gg
        var = kw["beta2"] * states[1] + (1 - kw["beta2"]) * gg ** 2
        return w - lr * mean / (np.sqrt(var) + kw["epsilon"]), [mean, var]
    if op == "rmsprop_update":
        gg = c(rg + wd * w)
        n = (1 - kw["gamma1"]) * gg ** 2 + kw["gamma1"] * states[0]
        return w - lr * gg / np.sqrt(n + kw["epsilon"]), [n]
    if op == "signum_update":
        mom = kw["momentum"] * states[0] - (1 - kw["momentum"]) * (wd * w + c(rg))
        return w + lr * np.sign(mom), [mom]
    return (1 - lr * wd) * w - lr * np.sign(g), []


@pytest.mark.parametrize("dtype, rtol", [("float64", 1e-12), ("float32", 2e-6),
                                         ("float16", 4e-3)])
@pytest.mark.parametrize("op, nstates, extra", [
    ("sgd_update", 0, {}), ("sgd_mom_update", 1, dict(momentum=0.9)),
    ("nag_mom_update", 1, dict(momentum=0.8)),
    ("adam_update", 2, dict(beta1=0.8, beta2=0.95, epsilon=1e-6)),
    ("rmsprop_update", 1, dict(gamma1=0.9, epsilon=1e-5)), ("signsgd_update", 0, {}),
    ("signum_update", 1, dict(momentum=0.9))])
@pytest.mark.parametrize("options", [{}, dict(wd=0.05, rescale_grad=2.0, clip_gradient=1.5),
                                     dict(clip_gradient=-0.5, wd=0.2)])
def test_updates_follow_the_formulas_in_every_float_dtype(op, nstates, extra, options, dtype,
                                                         rtol):
    rng = np.random.default_rng(5)
    w = rng.standard_normal((3, 4)).astype(dtype)
    g = (rng.standard_normal((3, 4)) * 2).astype(dtype)
    states = [np.abs(rng.standard_normal((3, 4))).astype(dtype) for _ in range(nstates)]
    kw = dict(lr=0.1, **extra, **options)
    s = [nd.array(v, dtype=dtype) for v in states]
    r = getattr(nd, op)(nd.array(w, dtype=dtype), nd.array(g, dtype=dtype), *s, **kw)
    want, want_states = _reference(op, w.astype(float), g.astype(float),
                                   [v.astype(float) for v in states], kw)
    assert r.dtype is np.dtype(dtype).type
    scale = 1 + np.abs(want).max()
    np.testing.assert_allclose(r.asnumpy(), want, rtol=rtol, atol=rtol * scale)
    for a, ws in zip(s, want_states):
        assert a.dtype is np.dtype(dtype).type
        np.testing.assert_allclose(a.asnumpy(), ws, rtol=rtol, atol=rtol * (1 + np.abs(ws).max()))


def test_float16_updates_are_computed_in_float32():
    # MXNet 1.9.1 gives [nan, nan] for both: epsilon=1e-8 is 0 in float16
    def z():
        return nd.zeros(2, dtype="float16")
    for r in (nd.adam_update(nd.ones(2, dtype="float16"), z(), z(), z(), lr=0.1),
              nd.rmsprop_update(nd.ones(2, dtype="float16"), z(), z(), lr=0.1)):
        assert r.dtype is np.float16
        np.testing.assert_array_equal(r.asnumpy(), [1, 1])
    m = z()
    nd.sgd_mom_update(nd.ones(2, dtype="float16"), nd.ones(2, dtype="float16"), m, lr=1e-4)
    assert m.dtype is np.float16
    np.testing.assert_array_equal(m.asnumpy(), np.float16(-1e-4))


def test_updates_work_on_0d_and_empty_arrays():
    r = nd.sgd_mom_update(nd.array(1.0), nd.array(2.0), nd.array(0.5), lr=0.1, momentum=0.5)
    assert r.shape == ()
    np.testing.assert_allclose(r.asnumpy(), 1.0 + 0.25 - 0.2, rtol=1e-6)
    m = nd.zeros((0, 3))
    r = nd.adam_update(nd.zeros((0, 3)), nd.zeros((0, 3)), m, nd.zeros((0, 3)), lr=0.1)
    assert r.shape == (0, 3)


def test_updates_accept_compatibility_arguments():
    w, g = nd.array(W0), nd.array(G0)
    for op, s in (("sgd_update", []), ("sgd_mom_update", [nd.zeros(4)]),
                  ("adam_update", [nd.zeros(4), nd.zeros(4)])):
        getattr(nd, op)(w, g, *s, lr=0.1, lazy_update=False, name="u")
    nd.signsgd_update(w, g, 0.1, name="u")       # lr may be positional
    with pytest.raises(TypeError):
        nd.sgd_update(w, g)                         # lr is required


def test_updates_refuse_bad_arrays_and_change_nothing():
    w, g, m = nd.array(W0), nd.array(G0), nd.array(M0)
    with pytest.raises(TypeError, match="sgd_mom_update: weight must be float16, float32 or "
                                        "float64, got int32"):
        nd.sgd_mom_update(nd.array(W0, dtype="int32"), nd.array(G0, dtype="int32"),
                          nd.array(M0, dtype="int32"), lr=0.1)
    with pytest.raises(TypeError, match="sgd_mom_update: mom has dtype float64, it must be "
                                        "float32"):
        nd.sgd_mom_update(w, g, nd.array(M0, dtype="float64"), lr=0.1)
    with pytest.raises(ValueError, match=r"adam_update: var has shape \(3,\), weight has "
                                         r"\(4,\)"):
        nd.adam_update(w, g, m, nd.ones(3), lr=0.1)
    with pytest.raises(TypeError, match="sgd_update: grad must be an NDArray, got ndarray"):
        nd.sgd_update(w, np.float32(G0), lr=0.1)
    with pytest.raises(TypeError, match="rmsprop_update: gamma1 must be a real number"):
        nd.rmsprop_update(w, g, m, lr=0.1, gamma1="0.9")
    with pytest.raises(ValueError, match=r"out has shape \(2,\)"):
        nd.sgd_mom_update(w, g, m, lr=0.1, out=nd.zeros(2))
    np.testing.assert_array_equal(w.asnumpy(), np.float32(W0))
    np.testing.assert_array_equal(m.asnumpy(), np.float32(M0))


def test_updates_never_touch_the_tape():
    w = nd.array(W0)
    w.attach_grad()
    m = nd.zeros(4)
    with autograd.record():
        y = (w * w).sum()
        with pytest.raises(RuntimeError, match="part of a recorded graph"):
            nd.sgd_mom_update(w, nd.array(G0), m, lr=0.1, out=w)
        recorded_state = w * 1
        with pytest.raises(RuntimeError, match="part of a recorded graph"):
            nd.sgd_mom_update(w, nd.array(G0), recorded_state, lr=0.1)
        r = nd.sgd_update(w, nd.array(G0), lr=0.1)     # a new, unrecorded value
    np.testing.assert_array_equal(m.asnumpy(), np.zeros(4))     # nothing written
    with pytest.raises(RuntimeError):
        r.backward()
    y.backward()
    np.testing.assert_allclose(w.grad.asnumpy(), 2 * np.float32(W0))
    nd.sgd_update(w, w.grad, lr=0.5, out=w)         # the usual step, outside record()
    np.testing.assert_allclose(w.asnumpy(), 0.0, atol=1e-7)
    assert w.grad is not None
    with autograd.record():
        z = (w * w).sum()
    nd.sgd_update(w, nd.ones(4), lr=0.1, out=w)
    with pytest.raises(RuntimeError, match="modified in place"):
        z.backward()                                # it saved the old weight


def test_update_writes_through_a_view_and_refuses_strided_copies():
    W = nd.array([W0, W0])
    nd.sgd_update(W[0], nd.array(G0), lr=0.1, out=W[0])
    np.testing.assert_allclose(W.asnumpy()[0], MXNET_UPDATES[0][3], rtol=1e-6)
    with pytest.raises(ValueError, match="strided slice"):
        col = W[:, 0]
        nd.sgd_update(col, nd.ones(2), lr=0.1, out=col)


# ------------------------------------------------------------- creation ---

def _check(a, values, dtype=np.float32):
    assert a.dtype is np.dtype(dtype).type
    np.testing.assert_array_equal(a.asnumpy(), np.asarray(values, dtype))


def test_linspace_matches_mxnet():
    _check(nd.linspace(0, 1, 5), [0.0, 0.25, 0.5, 0.75, 1.0])
    # MXNet 1.9.1
    _check(nd.linspace(0, 1, 5, endpoint=False), [0.0, 0.20000000298023224, 0.4000000059604645,
                                                  0.6000000238418579, 0.800000011920929])
    _check(nd.linspace(0, 10, 4, dtype="int32"), [0, 3, 6, 10], np.int32)
    _check(nd.linspace(-7, 3, 13, dtype="int32"),
           [-7, -6, -5, -4, -3, -2, -2, -1, 0, 0, 1, 2, 3], np.int32)
    _check(nd.linspace(3, -1, 5), [3, 2, 1, 0, -1])
    _check(nd.linspace(0, 1, 1), [0.0])
    _check(nd.linspace(0, 1, 1, endpoint=False), [0.0])
    _check(nd.linspace(0, 1, 3, dtype="float64"), [0, 0.5, 1], np.float64)
    assert nd.linspace(0, 1, 0).shape == (0,)
    x = nd.linspace(0.1, 2.3, 1000).asnumpy()      # MXNet 1.9.1 equals numpy's, cast
    np.testing.assert_array_equal(x, np.linspace(0.1, 2.3, 1000).astype(np.float32))


def test_linspace_refuses_bad_arguments():
    with pytest.raises(ValueError, match="linspace: num must be >= 0, got -1"):
        nd.linspace(0, 1, -1)
    with pytest.raises(TypeError, match="linspace: num must be an int, got 2.5"):
        nd.linspace(0, 1, 2.5)
    with pytest.raises(ValueError, match="linspace: stop must be a finite number"):
        nd.linspace(0, float("inf"), 3)


def test_eye_matches_mxnet():
    _check(nd.eye(3), np.eye(3))
    _check(nd.eye(2, 4, 1), [[0, 1, 0, 0], [0, 0, 1, 0]])
    _check(nd.eye(3, 3, -1), [[0, 0, 0], [1, 0, 0], [0, 1, 0]])
    _check(nd.eye(3, k=5), np.zeros((3, 3)))
    _check(nd.eye(2, 0), np.eye(2))                  # M=0 means M=N (MXNet 1.9.1)
    _check(nd.eye(2, dtype="int32"), [[1, 0], [0, 1]], np.int32)
    _check(nd.eye(2, dtype="float64"), np.eye(2), np.float64)
    assert nd.eye(0).shape == (0, 0)
    with pytest.raises(ValueError, match="eye: N must be >= 0"):
        nd.eye(-1)
    with pytest.raises(TypeError, match="eye: N must be an int"):
        nd.eye(2.5)
    with pytest.raises(TypeError, match="eye: k must be an int"):
        nd.eye(2, k=0.5)


def test_arange_matches_mxnet():
    _check(nd.arange(5), [0, 1, 2, 3, 4])
    _check(nd.arange(2.5), [0, 1, 2])
    # MXNet 1.9.1
    _check(nd.arange(1, 2, 0.3), [1.0, 1.2999999523162842, 1.600000023841858,
                                  1.9000000953674316])
    _check(nd.arange(5, 1, -1.5), [5.0, 3.5, 2.0])
    _check(nd.arange(0, 3, repeat=2), [0, 0, 1, 1, 2, 2])
    _check(nd.arange(1, 4, 1.5, repeat=3), [1, 1, 1, 2.5, 2.5, 2.5])
    _check(nd.arange(0.5, 5, 1, dtype="int32"), [0, 1, 2, 3, 4], np.int32)
    _check(nd.arange(3, dtype="int64"), [0, 1, 2], np.int64)
    _check(nd.arange(3, dtype="uint8"), [0, 1, 2], np.uint8)
    _check(nd.arange(0, 1, 0.1, dtype="float64"),
           [0.0, 0.1, 0.2, 0.30000000000000004, 0.4, 0.5, 0.6000000000000001,
            0.7000000000000001, 0.8, 0.9], np.float64)
    _check(nd.arange(16777210, 16777222),
           [16777210, 16777211, 16777212, 16777213, 16777214, 16777215, 16777216, 16777216,
            16777218, 16777220, 16777220, 16777220])
    _check(nd.arange(0, 5, infer_range=True), [0, 1, 2, 3, 4])


def test_arange_beyond_mxnet():
    # MXNet 1.9.1 raises on empty ranges and gives [0, 0, 0, 0] here
    assert nd.arange(0).shape == (0,) and nd.arange(1, 5, -1).shape == (0,)
    _check(nd.arange(0, 2, 0.5, dtype="int32"), [0, 0, 1, 1], np.int32)
    big = 2 ** 60
    _check(nd.arange(big, big + 3, dtype="int64"), [big, big + 1, big + 2], np.int64)


def test_arange_refuses_bad_arguments():
    with pytest.raises(ValueError, match="arange: step must not be zero"):
        nd.arange(0, 3, 0)
    for repeat in (0, -1, 2.5):
        with pytest.raises(ValueError, match="arange: repeat must be an int >= 1"):
            nd.arange(3, repeat=repeat)
    with pytest.raises(ValueError, match="arange: stop must be a finite number"):
        nd.arange(0, float("nan"))


def test_other_creation_functions():
    a = np.arange(3, dtype=np.int64)
    x = nd.from_numpy(a)
    _check(x, [0, 1, 2], np.int64)
    a[0] = 7                                         # a copy: independent
    assert x.asnumpy()[0] == 0 and a.flags.writeable
    _check(nd.from_numpy(np.ones((2, 2)), zero_copy=False), np.ones((2, 2)), np.float64)
    with pytest.raises(TypeError, match="from_numpy: expected a numpy.ndarray"):
        nd.from_numpy([1, 2])
    _check(nd.full((2,), 3.7, dtype="int32"), [3, 3], np.int32)
    out = nd.zeros(3)
    assert nd.full((3,), 2.0, out=out) is out
    _check(out, [2, 2, 2])
    _check(nd.zeros(3, stype="default"), [0, 0, 0])
    with pytest.raises(ValueError, match="zeros: stype must be 'default'"):
        nd.zeros(3, stype="csr")
    with pytest.raises(ValueError, match="empty: stype"):
        nd.empty(3, stype="row_sparse")
    with pytest.raises(TypeError, match="ones: shape must hold ints"):
        nd.ones((2.5,))
    assert nd.ones((2, 0)).shape == (2, 0)
    assert nd.waitall() is None


# ----------------------------------------------------------- nd.random ---

SAMPLERS = [("uniform", (0.0, 1.0)), ("normal", (0.0, 1.0)), ("exponential", (2.0,)),
            ("gamma", (2.0, 3.0)), ("poisson", (3.0,)), ("negative_binomial", (3, 0.4)),
            ("generalized_negative_binomial", (3.0, 0.4))]


@pytest.mark.parametrize("name, params", SAMPLERS, ids=[s[0] for s in SAMPLERS])
def test_samplers_shapes_dtypes_and_seed(name, params):
    f = getattr(nd.random, name)
    a = f(*params)
    assert a.shape == (1,) and a.dtype is np.float32             # MXNet's defaults
    assert f(*params, shape=3).shape == (3,)
    assert f(*params, shape=(2, 0)).shape == (2, 0)
    assert f(*params, shape=()).shape == ()
    for dtype in ("float16", "float64"):
        assert f(*params, shape=2, dtype=dtype).dtype is np.dtype(dtype).type
    with pytest.raises(TypeError, match="nd.random.%s: dtype must be one of float16, "
                                        "float32, float64, got 'int32'" % name):
        f(*params, dtype="int32")
    nd.random.seed(7)
    x = f(*params, shape=(4, 5)).asnumpy()
    nd.random.seed(7)
    np.testing.assert_array_equal(f(*params, shape=(4, 5)).asnumpy(), x)
    out = nd.zeros((2, 3), dtype="float64")
    assert f(*params, out=out) is out                            # shape and dtype from out
    with pytest.raises(ValueError, match=r"out has shape \(2, 3\), the samples have \(4,\)"):
        f(*params, shape=4, out=out)
    with pytest.raises(TypeError, match="out has dtype float64, the samples are float32"):
        f(*params, shape=(2, 3), dtype="float32", out=out)


@pytest.mark.parametrize("name, params, mean, var", [
    ("uniform", (-1.0, 3.0), 1.0, 16 / 12), ("normal", (2.0, 0.5), 2.0, 0.25),
    ("exponential", (2.0,), 2.0, 4.0), ("gamma", (2.0, 3.0), 6.0, 18.0),
    ("poisson", (3.0,), 3.0, 3.0), ("negative_binomial", (3, 0.4), 4.5, 11.25),
    ("generalized_negative_binomial", (3.0, 0.4), 3.0, 3 + 0.4 * 9),
    ("generalized_negative_binomial", (3.0, 0.0), 3.0, 3.0)])
def test_samplers_follow_their_distributions(name, params, mean, var):
    nd.random.seed(0)
    x = getattr(nd.random, name)(*params, shape=200000, dtype="float64").asnumpy()
    assert abs(x.mean() - mean) < 0.02 * np.sqrt(var) * 3
    assert abs(x.var() / var - 1) < 0.05
    if name in ("poisson", "negative_binomial", "generalized_negative_binomial"):
        assert (x == np.round(x)).all() and (x >= 0).all()


def test_uniform_stays_below_high_in_every_dtype():
    nd.random.seed(1)
    for dtype in ("float16", "float32"):
        x = nd.random.uniform(0, 1, shape=200000, dtype=dtype).asnumpy()
        assert x.min() >= 0 and x.max() < 1
    x = nd.random.uniform(1.0, 1.0, shape=3).asnumpy()               # MXNet 1.9.1: [1, 1, 1]
    np.testing.assert_array_equal(x, [1, 1, 1])


def test_samplers_take_array_parameters_as_mxnet():
    nd.random.seed(3)
    a = nd.random.uniform(nd.array([0, 10]), nd.array([1, 11]), shape=3)
    assert a.shape == (2, 3) and a.dtype is np.float32
    x = a.asnumpy()
    assert (x[0] >= 0).all() and (x[0] < 1).all() and (x[1] >= 10).all() and (x[1] < 11).all()
    assert nd.random.uniform(nd.array([0, 10]), nd.array([1, 11])).shape == (2,)
    assert nd.random.normal(nd.zeros((2, 2)), nd.ones((2, 2)), shape=(3,)).shape == (2, 2, 3)
    # float64 parameters still give float32 unless dtype says otherwise (MXNet 1.9.1)
    p = nd.array([1.0, 100.0], dtype="float64")
    assert nd.random.exponential(p, shape=2).dtype is np.float32
    assert nd.random.exponential(p, shape=2, dtype="float64").dtype is np.float64
    x = nd.random.poisson(nd.array([1.0, 1000.0]), shape=2000).asnumpy()
    assert abs(x[0].mean() - 1) < 0.15 and abs(x[1].mean() - 1000) < 5
    x = nd.random.gamma(nd.array([1.0, 100.0]), nd.array([1.0, 2.0]), shape=4000).asnumpy()
    assert abs(x[1].mean() - 200) < 3
    x = nd.random.negative_binomial(nd.array([0.0, 2.0]), nd.array([0.5, 1.0]), shape=5)
    np.testing.assert_array_equal(x.asnumpy(), np.zeros((2, 5)))
    with pytest.raises(TypeError, match="nd.random.uniform: parameters low, high must be all "
                                        "numbers or all NDArrays"):
        nd.random.uniform(nd.array([0, 10]), 11, shape=3)
    with pytest.raises(ValueError, match=r"parameters low, high have different shapes"):
        nd.random.uniform(nd.array([0, 10]), nd.array([1, 11, 3]))
    with pytest.raises(ValueError, match="nd.random.normal: scale must be finite and > 0, "
                                         "got -1.0"):
        nd.random.normal(nd.array([0, 1]), nd.array([1, -1]))


def test_samples_are_constants():
    loc = nd.array([1.0, 2.0])
    loc.attach_grad()
    with autograd.record():
        y = nd.random.normal(loc, nd.ones(2), shape=3)
        z = (y * loc.reshape((2, 1))).sum()
    z.backward()
    np.testing.assert_allclose(loc.grad.asnumpy(), y.asnumpy().sum(axis=1), rtol=1e-6)


@pytest.mark.parametrize("call, error, message", [
    (lambda: nd.random.uniform(2, 1), ValueError, "uniform: high must be finite and >= low"),
    (lambda: nd.random.uniform(0, float("inf")), ValueError, "high must be finite"),
    (lambda: nd.random.normal(float("nan"), 1), ValueError, "loc must be finite, got nan"),
    (lambda: nd.random.normal(0, 0), ValueError, "scale must be finite and > 0, got 0.0"),
    (lambda: nd.random.exponential(0), ValueError, "scale must be finite and > 0"),
    (lambda: nd.random.gamma(-2, 3), ValueError, "alpha must be finite and > 0"),
    (lambda: nd.random.gamma(2, 0), ValueError, "beta must be finite and > 0"),
    (lambda: nd.random.poisson(-1), ValueError, "lam must be finite and >= 0"),
    (lambda: nd.random.negative_binomial(3, 0), ValueError, r"p must be finite and in \(0, 1\]"),
    (lambda: nd.random.generalized_negative_binomial(-1, 1), ValueError, "mu must be"),
    (lambda: nd.random.normal("0", 1), TypeError, "loc must be a number or an NDArray"),
    (lambda: nd.random.uniform(shape=(-1,)), ValueError, "shape must hold non-negative ints"),
    (lambda: nd.random.uniform(shape=2.5), TypeError, "shape must be an int or a tuple"),
    (lambda: nd.random.uniform(out=np.zeros(2)), TypeError, "out must be an NDArray"),
    (lambda: nd.random.seed(2.5), TypeError, "seed_state must be an int"),
], ids=lambda v: None)
def test_samplers_refuse_bad_arguments(call, error, message):
    with pytest.raises(error, match=message):
        call()


def test_a_failed_draw_leaves_the_stream_where_it_was():
    nd.random.seed(8)
    want = nd.random.normal(shape=3).asnumpy()
    nd.random.seed(8)
    with pytest.raises(ValueError, match="out has shape"):
        nd.random.normal(shape=3, out=nd.zeros(2))
    with pytest.raises(ValueError, match="out has shape"):
        nd.random.multinomial(nd.array([0.5, 0.5]), shape=3, out=nd.zeros(2, dtype="int32"))
    np.testing.assert_array_equal(nd.random.normal(shape=3).asnumpy(), want)


def test_randint():
    nd.random.seed(2)
    a = nd.random.randint(0, 10, shape=(1000,))
    assert a.dtype is np.int32 and a.shape == (1000,)
    x = a.asnumpy()
    assert x.min() == 0 and x.max() == 9
    assert nd.random.randint(0, 10).shape == (1,)
    b = nd.random.randint(-2 ** 40, 2 ** 40, shape=3, dtype="int64")
    assert b.dtype is np.int64
    nd.random.seed(2)
    np.testing.assert_array_equal(nd.random.randint(0, 10, shape=(1000,)).asnumpy(), x)
    with pytest.raises(ValueError, match="need low < high within the range of int32, got "
                                         "low=0, high=1099511627776"):
        nd.random.randint(0, 2 ** 40)            # MXNet 1.9.1 overflows silently
    with pytest.raises(ValueError, match="low=3, high=3"):
        nd.random.randint(3, 3)                  # MXNet 1.9.1 crashes (SIGFPE)
    with pytest.raises(TypeError, match="randint: high must be an int, got 3.7"):
        nd.random.randint(0, 3.7)
    with pytest.raises(TypeError, match="randint: low must be an int"):
        nd.random.randint(nd.array([0]), nd.array([3]))
    with pytest.raises(TypeError, match="dtype must be one of int32, int64, got 'float32'"):
        nd.random.randint(0, 10, dtype="float32")


def test_randn_and_like_samplers():
    assert nd.random.randn(2, 3).shape == (2, 3)
    assert nd.random.randn().shape == (1,)
    assert nd.random.randn(2, dtype="float64").dtype is np.float64
    nd.random.seed(4)
    x = nd.random.randn(100000, loc=5, scale=0.1).asnumpy()
    assert abs(x.mean() - 5) < 0.01 and abs(x.std() - 0.1) < 0.01
    data = nd.zeros((2, 3), dtype="float64")
    for name in ("uniform_like", "normal_like", "exponential_like", "gamma_like",
                 "poisson_like", "negative_binomial_like",
                 "generalized_negative_binomial_like"):
        a = getattr(nd.random, name)(data)
        assert a.shape == (2, 3) and a.dtype is np.float64, name
    assert nd.random.uniform_like(nd.zeros((), dtype="float16")).shape == ()
    x = nd.random.exponential_like(nd.zeros(100000), lam=4).asnumpy()
    assert abs(x.mean() - 0.25) < 0.01              # a rate (MXNet 1.9.1 gives 0.2505)
    x = nd.random.uniform_like(nd.zeros(1000), low=2, high=3).asnumpy()
    assert x.min() >= 2 and x.max() < 3
    with pytest.raises(TypeError, match="uniform_like: data must be float16, float32 or "
                                        "float64, got int32"):
        nd.random.uniform_like(nd.zeros(2, dtype="int32"))
    with pytest.raises(TypeError, match="normal_like: loc must be a number"):
        nd.random.normal_like(nd.zeros(2), loc=nd.zeros(2))
    with pytest.raises(ValueError, match="exponential_like: lam must be > 0"):
        nd.random.exponential_like(nd.zeros(2), lam=0)


def test_multinomial_shapes_and_dtypes_as_mxnet():
    p = nd.array([[0.1, 0.9, 0.0], [0.5, 0.25, 0.25]])
    a = nd.random.multinomial(p)
    assert a.shape == (2,) and a.dtype is np.int32
    assert nd.random.multinomial(p, shape=3).shape == (2, 3)
    assert nd.random.multinomial(p, shape=(2, 2)).shape == (2, 2, 2)
    assert nd.random.multinomial(nd.array([0.2, 0.8])).shape == (1,)
    assert nd.random.multinomial(nd.array([0.2, 0.8]), shape=5).shape == (5,)
    assert nd.random.multinomial(nd.ones((2, 2, 3)) / 3, shape=2).shape == (2, 2, 2)
    assert nd.random.multinomial(nd.ones((0, 3)) / 3, shape=2).shape == (0, 2)
    for dtype in ("float32", "uint8", "int64", "float64", "float16"):
        assert nd.random.multinomial(p, dtype=dtype).dtype is np.dtype(dtype).type
    samples, logp = nd.random.multinomial(p, shape=3, get_prob=True)
    assert logp.shape == (2, 3) and logp.dtype is np.float32
    idx = samples.asnumpy()
    np.testing.assert_allclose(logp.asnumpy(), np.log(np.take_along_axis(
        p.asnumpy(), idx.astype(np.int64), axis=1)), rtol=1e-6)
    out = nd.zeros((2, 4), dtype="int32")
    assert nd.random.multinomial(p, shape=4, out=out) is out


def test_multinomial_draws_by_probability():
    nd.random.seed(5)
    p = np.array([[0.1, 0.0, 0.6, 0.3], [0.0, 0.0, 0.0, 1.0], [0.25, 0.25, 0.25, 0.25]])
    x = nd.random.multinomial(nd.array(p, dtype="float64"), shape=100000).asnumpy()
    freq = np.stack([np.bincount(row, minlength=4) for row in x]) / 100000
    np.testing.assert_allclose(freq, p, atol=0.01)
    assert (freq[p == 0] == 0).all()                # impossible categories never drawn


def test_multinomial_log_prob_gradient():
    x = nd.array([0.3, 0.7])
    x.attach_grad()
    with autograd.record():
        s, logp = nd.random.multinomial(x, shape=4, get_prob=True)
        logp.backward()
    counts = np.bincount(s.asnumpy(), minlength=2)
    # MXNet 1.9.1: samples [1 0 1 1] gave the gradient [3.3333333, 4.285714]
    np.testing.assert_allclose(x.grad.asnumpy(), counts / np.float32([0.3, 0.7]), rtol=1e-6)


def test_multinomial_refuses_bad_data():
    with pytest.raises(ValueError, match="each row of data must sum to 1"):
        nd.random.multinomial(nd.array([0.1, 0.1]))     # MXNet 1.9.1 returns index 2
    with pytest.raises(ValueError, match="probabilities must be finite and >= 0"):
        nd.random.multinomial(nd.array([-0.5, 1.5]))
    with pytest.raises(TypeError, match="data must hold float probabilities"):
        nd.random.multinomial(nd.array([0, 1], dtype="int32"))
    with pytest.raises(ValueError, match="last axis of categories"):
        nd.random.multinomial(nd.array(1.0))
    with pytest.raises(TypeError, match="dtype uint8 cannot hold the index 299"):
        nd.random.multinomial(nd.ones(300) / 300, dtype="uint8")
    with pytest.raises(TypeError, match="dtype must be one of"):
        nd.random.multinomial(nd.array([0.5, 0.5]), dtype="int16")
    with pytest.raises(ValueError, match="out cannot be used with get_prob=True"):
        nd.random.multinomial(nd.array([0.5, 0.5]), get_prob=True, out=nd.zeros(1))


def test_shuffle_permutes_the_first_axis_and_is_differentiable():
    nd.random.seed(6)
    x = nd.arange(12).reshape((4, 3))
    y = nd.random.shuffle(x)
    assert y.shape == (4, 3) and y.dtype is np.float32
    rows = y.asnumpy()
    assert sorted(map(tuple, rows)) == sorted(map(tuple, x.asnumpy()))
    np.testing.assert_array_equal(x.asnumpy(), np.arange(12).reshape(4, 3))  # a new array
    assert nd.random.shuffle(nd.arange(5, dtype="int32")).dtype is np.int32
    assert nd.random.shuffle(nd.zeros((0, 2))).shape == (0, 2)
    v = nd.array([1.0, 2.0, 3.0, 4.0])
    v.attach_grad()
    with autograd.record():
        s = nd.random.shuffle(v)
        (s * nd.array([1.0, 10.0, 100.0, 1000.0])).sum().backward()
    # each element's gradient is the weight at the position it was moved to
    pos = [list(s.asnumpy()).index(val) for val in (1.0, 2.0, 3.0, 4.0)]
    np.testing.assert_array_equal(v.grad.asnumpy(), [10.0 ** p for p in pos])
    with pytest.raises(ValueError, match="shuffle: data must have at least one axis"):
        nd.random.shuffle(nd.array(3.0))


def test_random_streams_are_per_thread():
    results = {}

    def draw(key):
        nd.random.seed(11)
        results[key] = nd.random.normal(shape=5).asnumpy()

    threads = [threading.Thread(target=draw, args=(k,)) for k in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    np.testing.assert_array_equal(results[0], results[1])
    nd.random.seed(-5)                               # negative seeds are accepted, as MXNet
    a = nd.random.uniform(shape=3).asnumpy()
    nd.random.seed(-5)
    np.testing.assert_array_equal(nd.random.uniform(shape=3).asnumpy(), a)


# ------------------------------------------------------------ save/load ---

def _same(a, b):
    assert a.dtype is b.dtype and a.shape == b.shape
    np.testing.assert_array_equal(a.asnumpy(), b.asnumpy())


def test_save_load_round_trip(tmp_path):
    arrays = {"f32": nd.arange(3), "zero_d": nd.array(3.0), "empty": nd.zeros((0, 4), "cpu",
                                                                            "int64"),
              "b": nd.ones(2, dtype="bool"), "f16": nd.ones((2, 2), dtype="float16"),
              "u8": nd.array([1, 255], dtype="uint8"), "i8": nd.array([-3], dtype="int8"),
              "i32": nd.array([[1, 2]], dtype="int32"), "f64": nd.array([0.1], dtype="float64"),
              "odd/name with spaces": nd.ones(1)}
    nd.save(str(tmp_path / "d"), arrays)
    loaded = nd.load(str(tmp_path / "d"))
    assert isinstance(loaded, dict) and list(loaded) == list(arrays)
    for k in arrays:
        _same(loaded[k], arrays[k])
    nd.save(tmp_path / "l", list(arrays.values()))               # path-like names work
    loaded = nd.load(tmp_path / "l")
    assert isinstance(loaded, list) and len(loaded) == len(arrays)
    for a, b in zip(loaded, arrays.values()):
        _same(a, b)
    nd.save(tmp_path / "one", nd.arange(2))                      # a single NDArray
    loaded = nd.load(tmp_path / "one")
    assert isinstance(loaded, list) and len(loaded) == 1
    _same(loaded[0], nd.arange(2))
    nd.save(tmp_path / "none", [])
    assert nd.load(tmp_path / "none") == []
    nd.save(tmp_path / "nodict", {})
    assert nd.load(tmp_path / "nodict") == {}        # MXNet 1.9.1 loads [] here
    assert sorted(p.name for p in tmp_path.iterdir()) == ["d", "l", "nodict", "none", "one"]


def test_saved_file_is_the_documented_format(tmp_path):
    fname = tmp_path / "params.bin"
    nd.save(fname, {"w": nd.ones((2, 3)), "b": nd.zeros(3, dtype="float64")})
    with zipfile.ZipFile(fname) as z:
        assert sorted(z.namelist()) == ["0.npy", "1.npy", "__dualtape__.npy"]
    with np.load(fname, allow_pickle=False) as f:
        header = json.loads(f["__dualtape__"].tobytes().decode("utf-8"))
        assert header == {"format": "dualtape.nd", "version": 1, "kind": "dict",
                          "count": 2, "names": ["w", "b"]}
        np.testing.assert_array_equal(f["0"], np.ones((2, 3), np.float32))
        assert f["1"].dtype == np.float64


def test_load_refuses_damaged_and_foreign_files(tmp_path):
    fname = tmp_path / "x"
    nd.save(fname, {"a": nd.arange(3), "b": nd.array(2.0), "c": nd.zeros((0, 2))})
    good = fname.read_bytes()
    bad = tmp_path / "bad"
    for cut in (0, 3, 10, len(good) // 2, len(good) - 1):
        bad.write_bytes(good[:cut])
        with pytest.raises(ValueError, match="nd.load: '.*bad' is not a valid dualtape "
                                             "NDArray file"):
            nd.load(bad)
    # flipping any byte either raises ValueError or leaves the data intact
    # (bytes zipfile never reads, such as local timestamps)
    for i in range(len(good)):
        damaged = bytearray(good)
        damaged[i] ^= 0x5A
        bad.write_bytes(bytes(damaged))
        try:
            r = nd.load(bad)
        except ValueError:
            continue
        assert list(r) == ["a", "b", "c"]
        _same(r["a"], nd.arange(3))
        _same(r["b"], nd.array(2.0))
    bad.write_bytes(b"hello world")
    with pytest.raises(ValueError, match="not an .npz"):
        nd.load(bad)
    np.savez(tmp_path / "foreign.npz", a=np.arange(3))
    with pytest.raises(ValueError, match="no dualtape.nd header"):
        nd.load(tmp_path / "foreign.npz")
    np.save(tmp_path / "single.npy", np.arange(3))
    with pytest.raises(ValueError, match="not an .npz"):
        nd.load(tmp_path / "single.npy")
    header = json.dumps({"format": "dualtape.nd", "version": 2, "kind": "list", "count": 0})
    with open(bad, "wb") as f:
        np.savez(f, __dualtape__=np.frombuffer(header.encode(), np.uint8))
    with pytest.raises(ValueError, match="format version 2"):
        nd.load(bad)
    header = json.dumps({"format": "dualtape.nd", "version": 1, "kind": "list", "count": 1})
    with open(bad, "wb") as f:
        np.savez(f, __dualtape__=np.frombuffer(header.encode(), np.uint8))
    with pytest.raises(ValueError, match="member 0 is missing"):
        nd.load(bad)
    with pytest.raises(FileNotFoundError):
        nd.load(tmp_path / "missing")


def test_save_refuses_bad_data_and_writes_nothing(tmp_path):
    fname = tmp_path / "x"
    for data, message in (([np.arange(3)], "every value must be an NDArray, got ndarray"),
                          ({1: nd.ones(1)}, "dict keys must be str, got int"),
                          ((nd.ones(1),), "data must be an NDArray, a list of NDArrays or "
                                          "a dict of str to NDArray, got tuple")):
        with pytest.raises(TypeError, match=message):
            nd.save(fname, data)
    assert not fname.exists()
    x = nd.ones(2)
    x.attach_grad()
    with autograd.record():
        y = x * 2
        with pytest.raises(RuntimeError, match="nd.save on an array that is being "
                                               "differentiated"):
            nd.save(fname, [y])
    assert not fname.exists()
    nd.save(fname, [y])                              # outside record(): its values
    _same(nd.load(fname)[0], nd.array([2.0, 2.0]))
    assert isinstance(pathlib.Path(fname), pathlib.Path)


def test_mxnet_top_level_sampler_names():
    nd.random.seed(9)
    assert nd.random_uniform(0, 1, (2,), None, "float64").dtype is np.float64   # ctx, dtype
    assert nd.random_normal(shape=(2, 3)).shape == (2, 3)
    x = nd.random_exponential(4, shape=100000).asnumpy()
    assert abs(x.mean() - 0.25) < 0.01                  # lam is a rate here, as in MXNet
    x = nd.sample_exponential(nd.array([1.0, 0.01]), shape=50000).asnumpy()
    assert x.shape == (2, 50000) and abs(x[1].mean() / 100 - 1) < 0.03
    assert nd.random_randint(0, 5, shape=4).dtype is np.int32
    for name, params in (("random_gamma", (2.0, 1.0)), ("random_poisson", (2.0,)),
                         ("random_negative_binomial", (2, 0.5)),
                         ("random_generalized_negative_binomial", (2.0, 0.5))):
        assert getattr(nd, name)(*params, shape=3).shape == (3,)
    two = nd.array([1.0, 2.0])
    for name, params in (("sample_uniform", (two * 0, two)), ("sample_normal", (two, two)),
                         ("sample_gamma", (two, two)), ("sample_poisson", (two,)),
                         ("sample_negative_binomial", (two, two / 4)),
                         ("sample_generalized_negative_binomial", (two, two))):
        assert getattr(nd, name)(*params, shape=3).shape == (2, 3), name
    assert nd.sample_multinomial(nd.array([[0.5, 0.5]]), shape=2).shape == (1, 2)
    assert sorted(nd.shuffle(nd.arange(4)).asnumpy()) == [0, 1, 2, 3]
    with pytest.raises(TypeError, match="nd.sample_normal: mu must be an NDArray"):
        nd.sample_normal(0.0, two)
    with pytest.raises(ValueError, match="nd.sample_exponential: lam must be finite and > 0, "
                                         "got 0.0"):
        nd.sample_exponential(nd.array([1.0, 0.0]))
    with pytest.raises(ValueError, match="nd.random_exponential: lam must be a finite number"):
        nd.random_exponential(0)
