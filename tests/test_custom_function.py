"""Custom ``autograd.Function``: one call per instance, forward levels kept
apart, and higher-order derivatives through the user's rules (or a clear
error), checked against the same function written with built-in ops."""
import numpy as np
import pytest

import dualtape as dt
from dualtape import autograd, nd

from helpers import Square, check  # noqa: E402


def var(values):
    x = nd.array(values)
    x.attach_grad()
    return x


class Exp(autograd.Function):
    """exp, saving its output; rules written with NDArray ops."""

    def forward(self, x):
        y = nd.exp(x)
        self.save_for_backward(y)
        return y

    def backward(self, dy):
        y, = self.saved_tensors
        return dy * y

    def jvp(self, t):
        y, = self.saved_tensors
        return t * y


class Mul(autograd.Function):
    """a * b, saving its inputs."""

    def forward(self, a, b):
        self.save_for_backward(a, b)
        return a * b

    def backward(self, g):
        a, b = self.saved_tensors
        return g * b, g * a

    def jvp(self, ta, tb):
        a, b = self.saved_tensors
        return ta * b + a * tb


class Intermediate(autograd.Function):
    """sin(x)**2, saving an intermediate that is neither input nor output."""

    def forward(self, x):
        s = nd.sin(x)
        self.save_for_backward(s, nd.cos(x))
        return s * s

    def backward(self, g):
        s, c = self.saved_tensors
        return g * 2 * s * c

    def jvp(self, t):
        s, c = self.saved_tensors
        return t * 2 * s * c


X = np.array([0.3, -0.7, 1.1])


def _x():
    return nd.array(X, dtype="float64")


def test_an_instance_is_called_once_as_in_mxnet():
    f = Exp()
    x = _x()
    x.attach_grad()
    with autograd.record():
        y = f(x)
    with pytest.raises(RuntimeError, match="only be called once.*new Exp"):
        with autograd.record():
            f(x * 3)
    y.backward()                            # the first call's graph is intact
    np.testing.assert_allclose(x.grad.asnumpy(), np.exp(X))


def test_a_failed_call_leaves_the_instance_usable():
    class Picky(autograd.Function):
        def forward(self, x):
            if x.shape[0] != 3:
                raise ValueError("needs 3 values")
            return x * 2

        def backward(self, g):
            return g * 2
    f = Picky()
    with pytest.raises(ValueError, match="needs 3"):
        f(nd.ones(2))
    np.testing.assert_array_equal(f(nd.ones(3)).asnumpy(), [2.0, 2.0, 2.0])


@pytest.mark.parametrize("how", ["hessian", "hvp", "create_graph", "forward-over-forward",
                                 "reverse-over-forward"])
def test_higher_order_through_a_function_matches_builtin_ops(how):
    def builtin(x):
        return (nd.exp(x) * x).sum()

    def custom(x):
        return Mul()(Exp()(x), x).sum()

    x = _x()
    v = nd.array([1.0, -2.0, 0.5], dtype="float64")
    if how == "hessian":
        got, want = dt.hessian(custom)(x), dt.hessian(builtin)(x)
    elif how == "hvp":
        got, want = dt.hvp(custom, x, v), dt.hvp(builtin, x, v)
    elif how == "create_graph":
        def second(f):
            w = _x()
            w.attach_grad()
            with autograd.record():
                g, = autograd.grad(f(w), [w], create_graph=True)
                h = (g * v).sum()
            h.backward()
            return w.grad
        got, want = second(custom), second(builtin)
    elif how == "forward-over-forward":
        def second(f):
            return dt.jvp(lambda w: dt.jvp(f, (w,), (v,))[1], (x,), (v,))[1]
        got, want = second(custom), second(builtin)
    else:
        def second(f):
            return dt.grad(lambda w: dt.jvp(f, (w,), (v,))[1])(x)
        got, want = second(custom), second(builtin)
    np.testing.assert_allclose(got.asnumpy(), want.asnumpy(), rtol=1e-12)
    assert np.abs(np.diag(np.atleast_2d(want.asnumpy()))).min() > 0.1   # not zero


def test_function_passes_check_grad_to_second_order():
    dt.check_grad(lambda x: Mul()(Exp()(x), nd.sin(x)), _x(), order=2)


def test_higher_order_with_a_saved_intermediate_raises_not_zero():
    x = _x()
    g = dt.grad(lambda w: Intermediate()(w).sum())(x)      # first order is fine
    np.testing.assert_allclose(g.asnumpy(), np.sin(2 * X), rtol=1e-12)
    with pytest.raises(RuntimeError, match="neither one of its inputs nor one of its "
                                           "outputs"):
        dt.hessian(lambda w: Intermediate()(w).sum())(x)
    with pytest.raises(RuntimeError, match="neither one of its inputs"):
        dt.jvp(lambda w: dt.jvp(lambda u: Intermediate()(u), (w,), (x,))[1], (x,), (x,))


def test_nested_levels_keep_a_functions_tangents_apart():
    """Perturbation confusion: the tangent of an outer level stays at it."""
    x = _x()
    with dt.forward_level() as outer:
        xd = dt.make_dual(x, nd.ones(3, dtype="float64"), outer)
        with dt.forward_level() as inner:
            a = Mul()(xd, xd)
            b = xd * xd
            assert set(a._tangents) == set(b._tangents) == {outer}
            np.testing.assert_allclose(a._tangents[outer].detach().asnumpy(),
                                       b._tangents[outer].detach().asnumpy())
            yd = dt.make_dual(nd.array(X + 1, dtype="float64"),
                              nd.ones(3, dtype="float64"), inner)
            c, d = Mul()(xd, yd), xd * yd
            for level in (outer, inner):
                np.testing.assert_allclose(c._tangents[level].detach().asnumpy(),
                                           d._tangents[level].detach().asnumpy())


def test_an_output_that_is_an_input_does_not_alias_it():
    class Ident(autograd.Function):
        def forward(self, x):
            return x

        def backward(self, g):
            return g
    x = nd.array([1.0, 2.0])
    y = Ident()(x)
    y[:] = 5.0
    np.testing.assert_array_equal(x.asnumpy(), [1.0, 2.0])


def test_rules_returning_the_wrong_shape_name_the_function():
    class BadJvp(autograd.Function):
        def forward(self, x):
            return x.sum()

        def backward(self, g):
            return g * nd.ones(3)

        def jvp(self, t):
            return t
    with pytest.raises(ValueError, match=r"BadJvp.jvp returned a tangent of shape \(3,\) "
                                         r"for an output of shape \(1,\)"):
        dt.jvp(BadJvp(), (nd.ones(3),), (nd.ones(3),))


# ------------------------------------------- MXNet's Function API, first order ---

class SumAndProduct(autograd.Function):
    """Two inputs, two outputs."""

    def forward(self, a, b):
        self.save_for_backward(a, b)
        return a + b, a * b

    def backward(self, g_sum, g_prod):
        a, b = self.saved_tensors
        return g_sum + g_prod * b, g_sum + g_prod * a


class ClippedExp(Exp):
    """A backward that differs from the true derivative, to prove it is used."""

    def backward(self, dy):
        y, = self.saved_tensors
        return dy * nd.clip(y, 0, 2)


def test_custom_function_inside_record():
    x = var([1.0, 2.0, 3.0])
    with autograd.record():
        y = Square()(x)
        z = (y * 3).sum()
    check(y, [1.0, 4.0, 9.0])
    z.backward()
    check(x.grad, [6.0, 12.0, 18.0])


def test_custom_function_backward_is_used():
    x = var([0.0, 1.0, 2.0])
    with autograd.record():
        y = ClippedExp()(x)
    y.backward()
    check(x.grad, np.clip(np.exp([0.0, 1.0, 2.0]), 0, 2))


def test_custom_function_outside_record():
    x = var([1.0, 2.0])
    y = Square()(x)
    check(y, [1.0, 4.0])
    with pytest.raises(RuntimeError, match="record"):
        y.backward()
    check(x.grad, [0.0, 0.0])


def test_custom_function_several_inputs_and_outputs():
    a = var([2.0, 1.0])
    b = var([5.0, -1.0])
    with autograd.record():
        s, p = SumAndProduct()(a, b)
        loss = (s + 2 * p).sum()
    check(s, [7.0, 0.0])
    check(p, [10.0, -1.0])
    loss.backward()
    check(a.grad, [1 + 2 * 5.0, 1 + 2 * -1.0])
    check(b.grad, [1 + 2 * 2.0, 1 + 2 * 1.0])


def test_custom_function_only_one_output_used():
    a = var([2.0])
    b = var([5.0])
    with autograd.record():
        s, p = SumAndProduct()(a, b)
        out = p * 1
    out.backward()
    check(a.grad, [5.0])
    check(b.grad, [2.0])


def test_custom_function_in_a_chain():
    x = var([0.5, -1.0])
    with autograd.record():
        y = nd.sin(Square()(nd.exp(x)))
    y.backward()
    a = np.array([0.5, -1.0])
    check(x.grad, np.cos(np.exp(a) ** 2) * 2 * np.exp(a) * np.exp(a), rtol=1e-5)


def test_custom_function_with_jvp():
    class Cube(autograd.Function):
        def forward(self, x):
            self.save_for_backward(x)
            return x * x * x

        def backward(self, dy):
            (x,) = self.saved_tensors
            return dy * 3 * x * x

        def jvp(self, t):
            (x,) = self.saved_tensors
            return t * 3 * x * x

    for x0 in (2.0, -0.5):      # the tangent follows the input, not a constant
        _, t = dt.jvp(Cube(), (nd.array([x0]),), (nd.array([1.0]),))
        assert t.asscalar() == pytest.approx(3 * x0 * x0)

    class NoJvp(autograd.Function):
        def forward(self, x):
            return x * 2

        def backward(self, dy):
            return dy * 2
    with pytest.raises(TypeError, match="defines no jvp"):
        dt.jvp(NoJvp(), (nd.array([2.0]),), (nd.array([1.0]),))


def test_batched_transforms_call_the_rules_once_per_direction():
    """Jacobians, forward-mode gradients and Hessians push several directions
    at once; a Function's rules are written for one (here along axis 0), so
    they must see one at a time."""
    class CumSum(autograd.Function):
        def forward(self, x):
            return nd.cumsum(x, axis=0)

        def backward(self, g):
            return nd.reverse(nd.cumsum(nd.reverse(g, axis=0), axis=0), axis=0)

        def jvp(self, t):
            return nd.cumsum(t, axis=0)
    x = nd.array([1.0, 2.0, 3.0, 4.0], dtype="float64")
    w = nd.array([1.0, 10.0, 100.0, 1000.0], dtype="float64")
    for mode in ("forward", "reverse"):
        g = dt.grad(lambda x: nd.sum(CumSum()(x) * w), mode=mode)(x)
        np.testing.assert_array_equal(g.asnumpy(), [1111, 1110, 1100, 1000])
        J = dt.jacobian(lambda x: CumSum()(x), mode=mode)(x)
        np.testing.assert_array_equal(J.asnumpy(), np.tril(np.ones((4, 4))))
    H = dt.hessian(lambda x: nd.sum(CumSum()(x) ** 2))(x)
    np.testing.assert_array_equal(H.asnumpy(), [[8, 6, 4, 2], [6, 6, 4, 2], [4, 4, 4, 2],
                                                [2, 2, 2, 2]])
    X = nd.array(np.arange(6.0).reshape(2, 3), dtype="float64")      # 2-d, batch of 6
    J = dt.jacobian(lambda x: CumSum()(x), mode="forward")(X)
    np.testing.assert_array_equal(J.asnumpy().reshape(6, 6),
                                  np.kron(np.tril(np.ones((2, 2))), np.eye(3)))


def test_backward_may_return_none_or_numpy_arrays():
    """None is a zero gradient (as in PyTorch), a numpy array one gradient;
    anything else is a clear error naming the Function."""
    class Mul(autograd.Function):
        def forward(self, x, y):
            return x * y

        def backward(self, g):
            return g * 2, None

    class Twice(autograd.Function):
        def forward(self, x):
            return x * 2

        def backward(self, g):
            return g.asnumpy() * 2

    class Wrong(autograd.Function):
        def forward(self, x):
            return x * 2

        def backward(self, g):
            return 3
    x, y = nd.array([1.0, 2.0, 3.0]), nd.array([4.0, 5.0, 6.0])
    x.attach_grad()
    y.attach_grad()
    with autograd.record():
        z = Mul()(x, y)
    z.backward()
    np.testing.assert_array_equal(x.grad.asnumpy(), [2, 2, 2])
    np.testing.assert_array_equal(y.grad.asnumpy(), [0, 0, 0])
    with autograd.record():
        z = Twice()(x)
    z.backward()
    np.testing.assert_array_equal(x.grad.asnumpy(), [2, 2, 2])
    with autograd.record():
        z = Wrong()(x)
    with pytest.raises(TypeError, match="Wrong.backward must return arrays"):
        z.backward()
    np.testing.assert_array_equal(x.grad.asnumpy(), [2, 2, 2])      # unchanged
