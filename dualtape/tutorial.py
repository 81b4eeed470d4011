"""The seed tutorial's five examples (``python -m dualtape`` runs them)."""
from . import autograd, nd


def simple_example():
    """1. A simple example: y = 2 x.x, dy/dx = 4x."""
    x = nd.arange(4)
    x.attach_grad()
    with autograd.record():
        y = 2 * nd.dot(x, x)
        print("y =", y)
    y.backward()
    print(x.grad)
    return x


def non_scalar_backward(x):
    """2. Backward from a non-scalar output sums it first."""
    with autograd.record():
        y = x * x
    y.backward()
    print("dy/dx = ", x.grad)
    u = x.copy()
    u.attach_grad()
    with autograd.record():
        v = (u * u).sum()
    v.backward()
    print("dv/du = ", u.grad)


def detach_computation(x):
    """3. detach() makes part of the computation a constant."""
    with autograd.record():
        y = x * x
        u = y.detach()
        z = u * x
    z.backward()
    print("Detach dz/dx = ", x.grad)
    with autograd.record():
        y = x * x
        z = y * x
    z.backward()
    print("dz/dx = ", x.grad)


def internal_variables():
    """4. attach_grad() inside record() cuts the graph there."""
    x = nd.arange(4)
    x.attach_grad()
    y = nd.ones(4) * 2
    y.attach_grad()
    with autograd.record():
        u = x * y
        u.attach_grad()
        z = u + x
    z.backward()
    print("dz/dx", x.grad)
    print("dz/dy", y.grad)
    print("dz/du", u.grad)
    return x


def head_gradients(x):
    """5. Chain rule by hand: backward with a head gradient."""
    y = nd.ones(4) * 2
    y.attach_grad()
    with autograd.record():
        u = x * y
        v = u.detach()
        v.attach_grad()
        z = v + x
    z.backward()
    print("dz/dv", v.grad)
    print("dz/dx", x.grad)
    print("dz/dy", y.grad)
    u.backward(v.grad)
    print("dz/dv", v.grad)
    print("dz/dx", x.grad)
    print("dz/dy", y.grad)


def run():
    """Run the five examples in order, as the tutorial does."""
    x = simple_example()
    non_scalar_backward(x)
    detach_computation(x)
    x = internal_variables()
    head_gradients(x)
