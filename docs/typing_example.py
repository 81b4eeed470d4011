"""A small typed program on dualtape's public API.

``.ci/packaging.sh`` checks it with ``mypy --strict`` against the installed
package (its type stubs and ``py.typed``) and runs it, so the stubs keep
describing what the compiled modules really do.  It fits a line with
``nd``/``autograd`` and SGD, then takes the same derivatives with the
functional API (``dt.grad``, ``dt.jvp``, ``dt.vjp``, ``dt.jacobian``,
``dt.hessian``, ``dt.hvp``, ``dt.check_grad``) and a custom ``Function``.
"""
from typing import Callable

import numpy as np

import dualtape as dt
from dualtape import NDArray, autograd, nd


def mse(w: NDArray, b: NDArray, x: NDArray, y: NDArray) -> NDArray:
    """Mean squared error of the line ``x @ w + b``."""
    return nd.mean(nd.square(nd.dot(x, w) + b - y))


def fit(steps: int, lr: float) -> tuple[NDArray, NDArray]:
    """Fit ``y = 2 x - 1`` with ``record``/``backward`` and ``sgd_update``."""
    x = nd.arange(0, 1, 0.1, dtype="float64").reshape((10, 1))
    y = 2.0 * x - 1.0
    w = nd.zeros((1, 1), dtype="float64")
    b = nd.zeros(1, dtype="float64")
    params = [w, b]
    for p in params:
        p.attach_grad()
    for _ in range(steps):
        with autograd.record():
            loss = mse(w, b, x, y)
        loss.backward()
        for p in params:
            g = p.grad
            assert g is not None
            nd.sgd_update(p, g, lr=lr, out=p)
    return w, b


class Cube(autograd.Function):
    """``x ** 3`` with hand-written derivative rules."""

    def forward(self, x: NDArray) -> NDArray:
        self.save_for_backward(x)
        return x * x * x

    def backward(self, dy: NDArray) -> NDArray:
        (x,) = self.saved_tensors
        return 3.0 * x * x * dy

    def jvp(self, dx: NDArray) -> NDArray:
        (x,) = self.saved_tensors
        return 3.0 * x * x * dx


def cube(x: NDArray) -> NDArray:
    out: NDArray = Cube()(x)
    return out


def functional_api() -> None:
    f: Callable[[NDArray], NDArray] = lambda x: nd.sum(nd.tanh(nd.sin(x) * x))
    x = nd.array([0.1, 0.2, 0.3], dtype="float64")
    v = nd.ones(3, dtype="float64")

    g_rev: NDArray = dt.grad(f)(x)
    g_fwd: NDArray = dt.grad(f, mode="forward")(x)
    out, tangent = dt.jvp(f, (x,), (v,))
    value, pullback = dt.vjp(f, x)
    (cotangent,) = pullback(nd.ones(1, dtype="float64"))
    jac: NDArray = dt.jacobian(nd.sin)(x)
    jac_fwd, used = dt.jacobian(nd.sin, mode="auto", return_mode=True)(x)
    hess: NDArray = dt.hessian(f)(x)
    hv: NDArray = dt.hvp(f, x, v)

    np.testing.assert_allclose(g_rev.asnumpy(), g_fwd.asnumpy(), rtol=1e-12)
    np.testing.assert_allclose(out.asnumpy(), value.asnumpy())
    np.testing.assert_allclose(tangent.asscalar(), float(nd.sum(g_rev * v).asscalar()))
    np.testing.assert_allclose(cotangent.asnumpy(), g_rev.asnumpy())
    np.testing.assert_allclose(jac.asnumpy(), np.diag(np.cos(x.asnumpy())))
    np.testing.assert_allclose(jac_fwd.asnumpy(), jac.asnumpy())
    assert used in ("forward", "reverse"), used
    np.testing.assert_allclose(nd.dot(hess, v).asnumpy(), hv.asnumpy(), rtol=1e-12)

    dt.check_grad(f, x, order=2)
    dt.check_grad(cube, x)


def main() -> None:
    w, b = fit(steps=500, lr=0.5)
    print("w = %.3f, b = %.3f" % (w.asscalar(), b.asscalar()))
    np.testing.assert_allclose([w.asscalar(), b.asscalar()], [2.0, -1.0], atol=1e-3)
    functional_api()
    print("typing example: ok")


if __name__ == "__main__":
    main()
