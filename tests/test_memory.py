"""Memory: deep graphs backpropagate without recursion, saved buffers are
released after backward, and no reference cycle keeps a graph alive."""
import gc
import sys
import tracemalloc
import weakref

import numpy as np
import pytest

import dualtape as dt
from dualtape import _engine, autograd, nd
from dualtape._engine import NDArray
from helpers import Square

TAPE_TYPES = (NDArray, _engine.Node)


def live_tape_objects():
    """Arrays and tape nodes alive now (the engine counts them: they are not
    tracked by gc, so a reference cycle among them could never be freed)."""
    return sum(_engine.live_objects())


def tape_garbage():
    """Collect, and return how many of the objects found in unreachable
    cycles are dualtape's (arrays, tape nodes, custom Functions)."""
    gc.set_debug(gc.DEBUG_SAVEALL)
    try:
        gc.collect()
        return sum(1 for o in gc.garbage
                   if isinstance(o, TAPE_TYPES + (autograd.Function,)))
    finally:
        gc.garbage.clear()
        gc.set_debug(0)


@pytest.fixture
def gc_disabled():
    gc.collect()
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


def test_million_op_chain_backpropagates():
    n = 1_000_000
    factor = 1.0000001
    x = nd.array([1.0], dtype=np.float64)
    x.attach_grad()
    with autograd.record():
        y = x
        for _ in range(n):
            y = y * factor
    y.backward()
    np.testing.assert_allclose(y.asnumpy(), [factor ** n], rtol=1e-9)
    np.testing.assert_allclose(x.grad.asnumpy(), [factor ** n], rtol=1e-9)
    del y                                  # freeing the released chain must not crash


def test_deep_chain_without_backward_is_freed():
    x = nd.array([1.0], dtype=np.float64)
    x.attach_grad()
    with autograd.record():
        y = x
        for _ in range(100_000):
            y = y + 1.0
    ref = weakref.ref(y._data)
    del y                                   # dropping an unused deep graph
    assert ref() is None


def test_deep_chain_second_order():
    x = nd.array([0.5], dtype=np.float64)
    x.attach_grad()
    with autograd.record():
        y = x
        for _ in range(2_000):
            y = nd.sin(y) * 0.5 + y * 0.5
        g, = autograd.grad(y, x, create_graph=True)
    g.backward()
    assert np.isfinite(x.grad.asnumpy()).all()


def _graph_with_a_saved_buffer():
    x = nd.array([1.0, 2.0], dtype=np.float64)
    x.attach_grad()
    with autograd.record():
        h = x * 3                 # h is saved by exp's node (its input)
        y = nd.exp(h)             # y's values are saved too (exp's derivative)
    ref = weakref.ref(h._data)
    return x, y, ref


def test_saved_buffers_released_after_backward():
    x, y, ref = _graph_with_a_saved_buffer()
    gc.collect()
    assert ref() is not None                 # held by the tape for backward
    y.backward()
    assert ref() is None                     # released without gc: no cycle held it
    np.testing.assert_allclose(x.grad.asnumpy(), 3 * np.exp([3.0, 6.0]))
    assert y._node.inputs is None and y._node.released


def test_saved_buffers_kept_with_retain_graph_then_released():
    x, y, ref = _graph_with_a_saved_buffer()
    y.backward(retain_graph=True)
    assert ref() is not None
    y.backward(retain_graph=True)
    assert ref() is not None
    y.backward()
    assert ref() is None


def test_saved_buffers_released_after_autograd_grad():
    x, y, ref = _graph_with_a_saved_buffer()
    g, = autograd.grad(y, x)
    assert ref() is None
    np.testing.assert_allclose(g.asnumpy(), 3 * np.exp([3.0, 6.0]))


def test_graph_freed_by_refcount_alone(gc_disabled):
    x = nd.array([1.0, 2.0])
    x.attach_grad()
    before = live_tape_objects()
    with autograd.record():
        h = nd.sin(x) * x
        y = (h * h).sum()
    assert live_tape_objects() > before
    refs = [weakref.ref(o._data) for o in (h, y)]
    del h, y                                  # dropped without backward
    assert all(r() is None for r in refs)     # no gc needed: nothing in a cycle
    assert live_tape_objects() == before
    assert tape_garbage() == 0


def test_no_reference_cycles_after_backward(gc_disabled):
    x = nd.array([1.0, 2.0])
    x.attach_grad()
    for _ in range(10):
        with autograd.record():
            y = (nd.exp(x) * x).sum() + nd.dot(x, x)
        y.backward()
        with autograd.record():
            z = nd.tanh(x) ** 2
            g, = autograd.grad(z, x, create_graph=True)
        g.backward()
    del y, z, g
    assert tape_garbage() == 0


def test_custom_function_leaves_no_cycle(gc_disabled):
    x = nd.array([3.0])
    x.attach_grad()
    for _ in range(5):
        with autograd.record():
            y = Square()(x)
        y.backward()
    assert x.grad.asscalar() == 6.0
    del y
    gc.collect()          # a Function keeps itself alive through its bound _vjp
    n0 = live_tape_objects()
    for _ in range(50):
        with autograd.record():
            y = Square()(x)
        y.backward()
    del y
    gc.collect()
    assert live_tape_objects() <= n0 + 2


def _step(x, w):
    with autograd.record():
        y = (nd.dot(w, nd.sin(x) * x) ** 2).sum() + x.max()
    y.backward()


def test_many_record_backward_cycles_keep_memory_flat(gc_disabled):
    x = nd.array([0.5, 1.5, -2.0])
    x.attach_grad()
    w = nd.array([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])
    for _ in range(1_000):                       # warm caches
        _step(x, w)
    objects_before = live_tape_objects()
    blocks_before = sys.getallocatedblocks()
    for _ in range(20_000):
        _step(x, w)
    objects_after = live_tape_objects()
    blocks_after = sys.getallocatedblocks()
    assert objects_after <= objects_before, (objects_before, objects_after)
    # a leak of one small object per cycle would add 20,000 blocks
    assert blocks_after - blocks_before < 2_000, (blocks_before, blocks_after)
    assert tape_garbage() == 0
    assert x.grad.shape == (3,)


def test_record_backward_cycles_traced_memory_flat(gc_disabled):
    x = nd.array([0.5, 1.5, -2.0])
    x.attach_grad()
    w = nd.array([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])
    for _ in range(1_000):
        _step(x, w)
    tracemalloc.start()
    try:
        for _ in range(1_000):
            _step(x, w)
        mem_warm, _ = tracemalloc.get_traced_memory()
        for _ in range(3_000):
            _step(x, w)
        mem_end, _ = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    # 3,000 cycles leaking even one 3-element buffer each would add > 100 KB
    assert mem_end - mem_warm < 32 * 1024, (mem_warm, mem_end)
    assert tape_garbage() == 0


def test_tangents_attached_inside_a_level_leave_with_it():
    x = nd.array([1.0, 2.0])
    n0 = live_tape_objects()
    for _ in range(1000):
        with dt.forward_level():
            x.attach_tangent(nd.ones(2))
            y = x * 2
            assert y.tangent is not None
    del y
    assert x.tangent is None and x._tangents is None
    assert live_tape_objects() <= n0 + 2


def test_a_batched_tangent_at_the_base_level_does_not_fix_its_batch_shape():
    x = nd.array([1.0, 2.0])
    x.attach_tangent(nd.ones((3, 2)))
    y = nd.array([1.0, 2.0])
    y.attach_tangent(nd.ones(2))            # was "must share their batch shape"
    np.testing.assert_array_equal((y * 2).tangent.asnumpy(), [2.0, 2.0])
    with pytest.raises(ValueError, match="different batch shapes"):
        x * y                               # mixing them in one op is refused
