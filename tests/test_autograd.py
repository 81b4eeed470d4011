"""MXNet 1.x recording semantics: attach_grad/grad_req, backward and head
gradients, retain_graph, autograd.grad and higher order, mode flags,
threads, mark_variables, custom Functions, and gradients at ties and edges."""
import threading

import numpy as np
import pytest

from dualtape import autograd, nd
from dualtape._engine import NDArray

from helpers import DT_IDS, FLOATS, check  # noqa: E402,F401


def var(values, dtype=np.float32, grad_req="write"):
    x = nd.array(values, dtype=dtype)
    x.attach_grad(grad_req)
    return x


@pytest.fixture(autouse=True)
def _flags_are_clean():
    """Every test starts and ends outside record() and train mode."""
    assert not autograd.is_recording() and not autograd.is_training()
    yield
    leaked = (autograd.is_recording(), autograd.is_training())
    autograd.set_recording(False)
    autograd.set_training(False)
    assert leaked == (False, False), "a test left the flags set"


# --------------------------------------------------------------- attach_grad ---

@pytest.mark.parametrize("dtype", FLOATS, ids=DT_IDS)
def test_attach_grad_allocates_zeros(dtype):
    x = nd.array([[1, 2], [3, 4]], dtype=dtype)
    assert x.grad is None
    x.attach_grad()
    check(x.grad, np.zeros((2, 2)), dtype)
    assert x.grad_req == "write"


def test_grad_req_write_overwrites():
    x = var([1.0, 2.0, 3.0])
    for k in (1.0, 2.0, 3.0):
        with autograd.record():
            y = x * x * k
        y.backward()
        check(x.grad, 2 * k * np.array([1.0, 2.0, 3.0]))


def test_grad_req_add_accumulates_until_zeroed():
    x = var([1.0, 2.0, 3.0], grad_req="add")
    assert x.grad_req == "add"
    for n in (1, 2, 3):
        with autograd.record():
            y = (x * x).sum()
        y.backward()
        check(x.grad, n * 2 * np.array([1.0, 2.0, 3.0]))
    x.grad[:] = 0
    with autograd.record():
        y = (x * 5).sum()
    y.backward()
    check(x.grad, [5.0, 5.0, 5.0])


def test_reattach_resets():
    x = var([1.0, 2.0], grad_req="add")
    with autograd.record():
        y = x * 3
    y.backward()
    check(x.grad, [3.0, 3.0])
    x.attach_grad()
    assert x.grad_req == "write"
    check(x.grad, [0.0, 0.0])
    with autograd.record():
        y = x * 3
    y.backward()
    with autograd.record():
        y = x * 4
    y.backward()
    check(x.grad, [4.0, 4.0])


def test_grad_req_null():
    """MXNet 1.9.1: zeros after attach_grad('null'), None once a backward ran."""
    a = var([1.0, 2.0], grad_req="null")
    b = var([3.0, 4.0])
    assert a.grad_req == "null"
    check(a.grad, [0.0, 0.0])
    with autograd.record():
        y = a * b
    y.backward()
    check(b.grad, [1.0, 2.0])
    assert a.grad is None
    assert a.grad_req == "null"


def test_every_leaf_null_makes_backward_raise():
    a = var([1.0, 2.0], grad_req="null")
    b = var([1.0], grad_req="null")
    with autograd.record():
        y = a * b
    with pytest.raises(RuntimeError, match="require"):
        y.backward()


# ------------------------------------------------------------------ backward ---

def test_non_scalar_backward_uses_ones():
    x = var([1.0, 2.0, 3.0])
    with autograd.record():
        y = x * x                      # shape (3,)
    y.backward()
    check(x.grad, [2.0, 4.0, 6.0])
    m = var(np.arange(6.0).reshape(2, 3))
    with autograd.record():
        z = nd.dot(m, nd.ones((3, 2)))
    z.backward()
    check(m.grad, np.full((2, 3), 2.0))


def test_backward_with_head_gradient():
    x = var([1.0, 2.0, 3.0])
    with autograd.record():
        y = x * x
    y.backward(nd.array([1.0, 10.0, 100.0]))
    check(x.grad, [2.0, 40.0, 600.0])
    with autograd.record():
        y = nd.sin(x)
    y.backward(out_grad=nd.array([0.5, 0.5, 0.5]))
    check(x.grad, 0.5 * np.cos([1.0, 2.0, 3.0]), rtol=1e-6)


def test_head_gradient_chains_like_the_seed():
    x = var(np.arange(4.0))
    y = var(np.full(4, 2.0))
    with autograd.record():
        u = x * y
        v = u.detach()
        v.attach_grad()
        z = v + x
    z.backward()
    check(v.grad, np.ones(4))
    check(x.grad, np.ones(4))
    check(y.grad, np.zeros(4))
    u.backward(v.grad)
    check(x.grad, np.full(4, 2.0))
    check(y.grad, np.arange(4.0))


def test_autograd_backward_several_heads():
    x = var([1.0, 2.0])
    with autograd.record():
        h1 = x * 2
        h2 = x * x
    autograd.backward([h1, h2], [nd.array([1.0, 1.0]), nd.array([2.0, 3.0])])
    check(x.grad, [2 + 2 * 2 * 1, 2 + 3 * 2 * 2])
    with autograd.record():
        h1 = x * 2
        h2 = x * x
    autograd.backward([h1, h2])                         # ones for each
    check(x.grad, [2 + 2, 2 + 4])
    with autograd.record():
        h = x * x * x
    autograd.backward(h)
    check(x.grad, [3.0, 12.0])


def test_detach_is_a_constant():
    x = var([1.0, 2.0, 3.0])
    with autograd.record():
        y = x * x
        u = y.detach()
        z = u * x
    z.backward()
    check(x.grad, [1.0, 4.0, 9.0])
    with autograd.record():
        z = x * x * x
    z.backward()
    check(x.grad, [3.0, 12.0, 27.0])


def test_attach_grad_on_an_intermediate_cuts_the_graph():
    x = var(np.arange(4.0))
    y = var(np.full(4, 2.0))
    with autograd.record():
        u = x * y
        u.attach_grad()
        z = u + x
    z.backward()
    check(x.grad, np.ones(4))
    check(y.grad, np.zeros(4))              # nothing flows past u
    check(u.grad, np.ones(4))


def test_second_backward_without_retain_graph_raises_and_keeps_the_first():
    x = var([1.0, 2.0])
    with autograd.record():
        y = x * x * x
    y.backward()
    first = x.grad.asnumpy()
    check(x.grad, [3.0, 12.0])
    with pytest.raises(RuntimeError, match="retain_graph"):
        y.backward()
    np.testing.assert_array_equal(x.grad.asnumpy(), first)
    with pytest.raises(RuntimeError, match="retain_graph"):
        autograd.grad(y, [x])
    np.testing.assert_array_equal(x.grad.asnumpy(), first)


def test_retain_graph_allows_two_backwards():
    x = var([1.0, 2.0], grad_req="add")
    with autograd.record():
        y = nd.exp(x).sum()
    y.backward(retain_graph=True)
    y.backward(retain_graph=True)
    y.backward()
    check(x.grad, 3 * np.exp([1.0, 2.0]), rtol=1e-6)


def test_autograd_backward_retain_graph():
    x = var([2.0])
    with autograd.record():
        y = x * x
    autograd.backward([y], retain_graph=True)
    autograd.backward([y])
    check(x.grad, [4.0])
    with pytest.raises(RuntimeError, match="retain_graph"):
        autograd.backward([y])


@pytest.mark.parametrize("dtype", FLOATS, ids=DT_IDS)
def test_gradient_dtype_follows_input(dtype):
    x = var([1.0, 2.0], dtype=dtype)
    with autograd.record():
        y = (nd.sin(x) * x + x / 3).sum()
    y.backward()
    assert x.grad.dtype is dtype
    a = np.array([1.0, 2.0])
    check(x.grad, np.cos(a) * a + np.sin(a) + 1 / 3, dtype, rtol=1e-6)


def test_leaf_used_twice_accumulates_within_one_backward():
    x = var([3.0])
    with autograd.record():
        y = x * x + x + nd.sin(x) * x
    y.backward()
    check(x.grad, [2 * 3 + 1 + np.cos(3) * 3 + np.sin(3)], rtol=1e-6)


# ---------------------------------------------------------------- autograd.grad ---

def test_grad_returns_a_list_even_for_one_variable_and_leaves_grad_untouched():
    x = var([1.0, 2.0])
    y = var([3.0, 4.0])
    with autograd.record():
        z = (x * y).sum()
    gs = autograd.grad(z, [x, y], retain_graph=True)
    assert isinstance(gs, list) and len(gs) == 2
    check(gs[0], [3.0, 4.0])
    check(gs[1], [1.0, 2.0])
    g = autograd.grad(z, x, retain_graph=True)     # MXNet: a list of one
    assert isinstance(g, list) and len(g) == 1
    check(g[0], [3.0, 4.0])
    check(x.grad, [0.0, 0.0])              # .grad untouched
    check(y.grad, [0.0, 0.0])
    g = autograd.grad([z], [y])
    assert isinstance(g, list)
    check(g[0], [1.0, 2.0])
    check(y.grad, [0.0, 0.0])


def test_grad_with_head_grads():
    x = var([1.0, 2.0])
    with autograd.record():
        y = x * x
    g, = autograd.grad(y, x, head_grads=nd.array([10.0, 1.0]))
    check(g, [20.0, 4.0])


def test_grad_returns_new_arrays():
    x = var([1.0])
    with autograd.record():
        y = x * 2
    g, = autograd.grad(y, x)
    g[:] = 7
    check(x.grad, [0.0])


@pytest.mark.parametrize("dtype", FLOATS, ids=DT_IDS)
def test_second_derivative_of_cube(dtype):
    x = var([1.0, 2.0, -3.0], dtype=dtype)
    with autograd.record():
        y = x ** 3
        dy = autograd.grad(y, [x], create_graph=True)[0]
    check(dy, 3 * np.array([1.0, 2.0, -3.0]) ** 2, dtype)
    dy.backward()
    check(x.grad, 6 * np.array([1.0, 2.0, -3.0]), dtype)


def test_second_derivative_of_sin():
    a = np.array([0.3, 1.0, 2.5])
    x = var(a, dtype=np.float64)
    with autograd.record():
        y = nd.sin(x)
        dy, = autograd.grad(y, x, create_graph=True)
    check(dy, np.cos(a))
    dy.backward()
    check(x.grad, -np.sin(a))


def test_second_derivative_outside_record_block():
    x = var([2.0], dtype=np.float64)
    with autograd.record():
        y = nd.exp(x) * x
    dy, = autograd.grad(y, x, create_graph=True)      # recorded because create_graph
    dy.backward()
    check(x.grad, [np.exp(2.0) * (2 + 2)])


def test_mixed_second_derivative_of_product():
    p = var([3.0], dtype=np.float64)
    q = var([5.0], dtype=np.float64)
    with autograd.record():
        y = p * p * q
        gp, = autograd.grad(y, p, create_graph=True)     # 2 p q
    check(gp, [30.0])
    gp.backward()
    check(p.grad, [10.0])                                # 2 q
    check(q.grad, [6.0])                                 # 2 p


def test_third_derivative():
    x = var([1.5], dtype=np.float64)
    with autograd.record():
        y = x ** 4
        d1, = autograd.grad(y, x, create_graph=True)
        d2, = autograd.grad(d1, x, create_graph=True)
    check(d2, [12 * 1.5 ** 2])
    d2.backward()
    check(x.grad, [24 * 1.5])


def test_second_derivative_through_several_ops():
    a = np.array([0.5, -1.0, 2.0])
    x = var(a, dtype=np.float64)
    with autograd.record():
        y = (nd.tanh(x) * nd.sigmoid(x) / (x * x + 1)).sum()
        g = autograd.grad(y, x, create_graph=True)[0].sum()
    g.backward()

    def f(v):
        s = 1 / (1 + np.exp(-v))
        return np.tanh(v) * s / (v * v + 1)
    h = 1e-4
    d2 = (f(a + h) - 2 * f(a) + f(a - h)) / h ** 2
    check(x.grad, d2, rtol=1e-5, atol=1e-6)


# ---------------------------------------------------------------- mode flags ---

def test_flags_default():
    assert autograd.is_recording() is False
    assert autograd.is_training() is False


def test_record_pause_train_predict():
    with autograd.record():
        assert autograd.is_recording() and autograd.is_training()
        with autograd.pause():
            assert not autograd.is_recording() and not autograd.is_training()
        with autograd.pause(train_mode=True):
            assert not autograd.is_recording() and autograd.is_training()
        with autograd.predict_mode():
            assert autograd.is_recording() and not autograd.is_training()
        assert autograd.is_recording() and autograd.is_training()
    with autograd.record(train_mode=False):
        assert autograd.is_recording() and not autograd.is_training()
    with autograd.train_mode():
        assert not autograd.is_recording() and autograd.is_training()
        with autograd.predict_mode():
            assert not autograd.is_training()
        assert autograd.is_training()
    assert not autograd.is_recording() and not autograd.is_training()


def test_pause_stops_recording():
    x = var([2.0])
    with autograd.record():
        y = x * x
        with autograd.pause():
            c = x * 10                       # a constant
        z = y * c
    z.backward()
    check(x.grad, [2 * 2.0 * 20.0])


def test_set_recording_and_set_training_return_previous():
    assert autograd.set_recording(True) is False
    assert autograd.is_recording()
    assert autograd.set_recording(True) is True
    assert autograd.set_recording(False) is True
    assert not autograd.is_recording()
    assert autograd.set_training(True) is False
    assert autograd.is_training()
    assert autograd.set_training(False) is True
    assert not autograd.is_training()


@pytest.mark.parametrize("scope", ["record", "pause", "pause_train", "train", "predict"])
def test_flags_restored_after_exception(scope):
    make = {"record": autograd.record, "pause": autograd.pause,
            "pause_train": lambda: autograd.pause(train_mode=True),
            "train": autograd.train_mode, "predict": autograd.predict_mode}[scope]
    with autograd.record():
        with pytest.raises(KeyError):
            with make():
                raise KeyError("boom")
        assert autograd.is_recording() and autograd.is_training()
    with pytest.raises(ZeroDivisionError):
        with make():
            1 / 0
    assert not autograd.is_recording() and not autograd.is_training()


def test_recording_is_thread_local():
    seen = {}
    x = var([1.0])

    def worker():
        seen["flags"] = (autograd.is_recording(), autograd.is_training())
        y = x * 2                               # not recorded in this thread
        try:
            y.backward()
            seen["backward"] = "ok"
        except RuntimeError:
            seen["backward"] = "raised"
        with autograd.record():
            z = x * 3
        z.backward()
        seen["grad"] = x.grad.asnumpy().copy()

    with autograd.record():
        t = threading.Thread(target=worker)
        t.start()
        t.join()
        assert autograd.is_recording()          # this thread's flag untouched
    assert seen["flags"] == (False, False)
    assert seen["backward"] == "raised"
    np.testing.assert_array_equal(seen["grad"], [3.0])


def test_thread_recording_does_not_leak_into_main():
    started = threading.Event()
    release = threading.Event()

    def worker():
        autograd.set_recording(True)
        started.set()
        release.wait(5)
        autograd.set_recording(False)

    t = threading.Thread(target=worker)
    t.start()
    started.wait(5)
    try:
        assert not autograd.is_recording()
    finally:
        release.set()
        t.join()


# ------------------------------------------------------------- mark_variables ---

def test_mark_variables_write_and_add():
    v = nd.array([1.0, 2.0])
    w = nd.array([3.0])
    gv = nd.zeros(2)
    gw = nd.zeros(1)
    autograd.mark_variables([v, w], [gv, gw], grad_reqs=["write", "add"])
    assert v.grad_req == "write" and w.grad_req == "add"
    for _ in range(2):
        with autograd.record():
            y = (v * w).sum()
        y.backward()
    check(gv, [3.0, 3.0])                # written into the given buffer
    check(gw, [6.0])                     # (1 + 2) twice
    assert v.grad is gv and w.grad is gw


def test_mark_variables_single_array():
    v = nd.array([2.0])
    g = nd.zeros(1)
    autograd.mark_variables(v, g, "add")
    for _ in range(3):
        with autograd.record():
            y = v * v
        y.backward()
    check(g, [12.0])


# ------------------------------------------------------- ties and edge points ---

def test_max_min_along_axis_give_every_tie_the_full_gradient():
    x = var([[1.0, 3.0, 3.0], [2.0, 2.0, 0.0]])
    with autograd.record():
        y = x.max(axis=1)
    y.backward(nd.array([10.0, 20.0]))
    check(x.grad, [[0, 10, 10], [20, 20, 0]])
    with autograd.record():
        y = nd.min(x, axis=0)
    y.backward()
    check(x.grad, [[1, 0, 0], [0, 1, 1]])
    z = var([4.0, 1.0, 4.0, 4.0])
    with autograd.record():
        y = z.max()
    y.backward()
    check(z.grad, [1, 0, 1, 1])


def test_maximum_minimum_send_a_tie_to_the_left():
    a = var([1.0, 2.0, 5.0])
    b = var([1.0, 3.0, 4.0])
    with autograd.record():
        y = nd.maximum(a, b)
    y.backward()
    check(a.grad, [1, 0, 1])
    check(b.grad, [0, 1, 0])
    with autograd.record():
        y = nd.minimum(a, b)
    y.backward()
    check(a.grad, [1, 1, 0])
    check(b.grad, [0, 0, 1])
    with autograd.record():
        y = nd.maximum(b, a)                     # swap: the tie goes to b now
    y.backward()
    check(a.grad, [0, 0, 1])
    check(b.grad, [1, 1, 0])


def test_maximum_with_scalar_tie():
    a = var([1.0, 0.0, 2.0])
    with autograd.record():
        y = nd.maximum(a, 1.0)
    y.backward()
    check(a.grad, [1, 0, 1])


def test_clip_gradient_is_one_at_both_bounds():
    x = var([-1.0, 0.0, 0.5, 1.0, 2.0])
    with autograd.record():
        y = x.clip(0, 1)
    y.backward()
    check(x.grad, [0, 1, 1, 1, 0])


@pytest.mark.parametrize("dtype", FLOATS, ids=DT_IDS)
def test_relu_and_abs_derivative_at_zero(dtype):
    x = var([-2.0, 0.0, -0.0, 3.0], dtype=dtype)
    with autograd.record():
        y = nd.relu(x)
    y.backward()
    check(x.grad, [0, 0, 0, 1], dtype)
    with autograd.record():
        y = nd.abs(x)
    y.backward()
    check(x.grad, [-1, 0, 0, 1], dtype)
    with autograd.record():
        y = x.relu() + x.abs()
    y.backward()
    check(x.grad, [-1, 0, 0, 2], dtype)


def test_broadcast_inputs_get_gradients_of_their_own_shape():
    a = var(np.ones((2, 3)))
    b = var([1.0, 2.0, 3.0])
    c = var([[10.0], [20.0]])
    s = var([2.0])
    with autograd.record():
        y = a * b + c - s / b
    y.backward()
    assert a.grad.shape == (2, 3) and b.grad.shape == (3,)
    assert c.grad.shape == (2, 1) and s.grad.shape == (1,)
    bb = np.array([1.0, 2.0, 3.0])
    check(a.grad, np.tile(bb, (2, 1)))
    check(b.grad, 2 * (1.0 + 2.0 / bb ** 2))
    check(c.grad, [[3.0], [3.0]])
    check(s.grad, [-np.sum(2 / bb)], rtol=1e-6)


def test_gradients_of_structural_ops():
    a = np.arange(6.0).reshape(2, 3)
    x = var(a)
    with autograd.record():
        parts = nd.split(x, 3)
        y = nd.concat(parts[2], parts[0] * 2, dim=1)
        z = (nd.stack(y, y) * nd.array([[[1.0], [2.0]]])).sum() + x[1, 2] * 5 + x.T[0].sum()
    z.backward()
    # stacked twice, rows of y weighted 1 and 2: d/dx[i,2] = 2 w_i, d/dx[i,0] = 4 w_i
    w = np.array([1.0, 2.0])
    expected = np.zeros((2, 3))
    expected[:, 2] = 2 * w
    expected[:, 0] = 4 * w + 1                # + x.T[0].sum()
    expected[1, 2] += 5                       # + x[1, 2] * 5
    check(x.grad, expected)


def test_gradient_of_dot_and_softmax():
    rng = np.random.default_rng(0)
    a = rng.standard_normal((2, 3))
    w = rng.standard_normal((3, 4))
    X, W = var(a, np.float64), var(w, np.float64)
    with autograd.record():
        y = nd.log_softmax(nd.dot(X, W))[:, 1].sum()
    y.backward()
    logits = a @ w
    p = np.exp(logits - logits.max(1, keepdims=True))
    p /= p.sum(1, keepdims=True)
    g = -p
    g[:, 1] += 1
    check(X.grad, g @ w.T, rtol=1e-10)
    check(W.grad, a.T @ g, rtol=1e-10)


def test_integer_arrays_take_the_numpy_paths_not_the_float_loops():
    """Small ops on int32 arrays (the C loops handle only floats) keep int32,
    and integer arrays cannot become variables."""
    x = nd.array([1, 2, 3], dtype="int32")
    y = (x * 2 + 1 - x).sum()
    np.testing.assert_array_equal(y.asnumpy(), [9])
    assert y.dtype is np.int32
    with pytest.raises(TypeError, match="int32; differentiation needs a float dtype"):
        x.attach_grad()
