"""Threads: four threads each record and differentiate their own programs (in
both modes) while a fifth runs backward again and again through one shared,
retained graph; every result is bitwise the single-threaded one."""
import threading

import numpy as np

import dualtape as dt
from dualtape import autograd, nd

ITERATIONS = 10_000


def _program(k):
    """Thread ``k``'s function: a few ops, different per thread."""
    def f(x):
        return (nd.tanh(x * (k + 1)) * nd.sin(x) + x ** 2 / (k + 2)).sum()
    return f


def _recorded_grad(f, a):
    x = nd.array(a, dtype="float64")
    x.attach_grad()
    with autograd.record():
        y = f(x)
    y.backward()
    return x.grad.asnumpy()


def _forward_grad(f, a):
    return dt.grad(f, mode="forward")(nd.array(a, dtype="float64")).asnumpy()


def test_threads_differentiate_their_own_programs_and_a_shared_graph():
    a = np.linspace(-1.0, 1.0, 5)
    expected = [(_recorded_grad(_program(k), a), _forward_grad(_program(k), a))
                for k in range(4)]

    shared_x = nd.array(a, dtype="float64")
    shared_x.attach_grad()
    with autograd.record():
        shared_y = (nd.exp(shared_x) * nd.cos(shared_x)).sum()
    shared_expected = autograd.grad(shared_y, [shared_x], retain_graph=True)[0].asnumpy()

    errors = []
    start = threading.Barrier(5)

    def worker(k):
        try:
            f = _program(k)
            start.wait()
            for i in range(ITERATIONS):
                g = _recorded_grad(f, a) if i % 2 else _forward_grad(f, a)
                if not np.array_equal(g, expected[k][i % 2 == 0]):
                    errors.append("thread %d, iteration %d: %s" % (k, i, g))
                    return
        except Exception as e:          # noqa: BLE001  (reported below)
            errors.append("thread %d raised %r" % (k, e))

    def shared_worker():
        try:
            start.wait()
            for i in range(ITERATIONS):
                g = autograd.grad(shared_y, [shared_x], retain_graph=True)[0]
                if not np.array_equal(g.asnumpy(), shared_expected):
                    errors.append("shared graph, iteration %d" % i)
                    return
        except Exception as e:          # noqa: BLE001
            errors.append("shared graph raised %r" % (e,))

    threads = [threading.Thread(target=worker, args=(k,)) for k in range(4)]
    threads.append(threading.Thread(target=shared_worker))
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert not autograd.is_recording()
