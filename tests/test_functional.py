"""The functional API and forward mode: modes agree with each other and with
closed forms; bad input raises and leaves nothing attached."""
import math
import threading

import numpy as np
import pytest

import dualtape as dt
from dualtape import autograd, nd


def chain(x):
    return nd.sum(nd.tanh(nd.sin(x) * x + nd.exp(-x * x)) * 0.5)


def chain_grad(x):
    s, c, e = np.sin(x), np.cos(x), np.exp(-x * x)
    u = s * x + e
    return 0.5 * (1 - np.tanh(u) ** 2) * (c * x + s - 2 * x * e)


def rosen(x):
    a, b = x[:-1], x[1:]
    return nd.sum(100 * (b - a * a) ** 2 + (1 - a) ** 2)


@pytest.fixture
def x64():
    return nd.array(np.linspace(-1.5, 1.3, 7), dtype="float64")


def test_grad_forward_and_reverse_agree_with_closed_form(x64):
    want = chain_grad(x64.asnumpy())
    for mode in ("reverse", "forward"):
        np.testing.assert_allclose(dt.grad(chain, mode=mode)(x64).asnumpy(), want, rtol=1e-12)


def test_value_and_grad_and_argnums():
    def f(a, b):
        return nd.sum(a * b * b)
    a, b = nd.array([1.0, 2.0]), nd.array([3.0, -1.0])
    for mode in ("reverse", "forward"):
        value, (ga, gb) = dt.value_and_grad(f, argnums=(0, 1), mode=mode)(a, b)
        assert value.asscalar() == pytest.approx(11.0)
        np.testing.assert_allclose(ga.asnumpy(), [9.0, 1.0])
        np.testing.assert_allclose(gb.asnumpy(), [6.0, -4.0])
        gb_only = dt.grad(f, argnums=1, mode=mode)(a, b)
        np.testing.assert_allclose(gb_only.asnumpy(), [6.0, -4.0])


def test_jvp_matches_grad_dot_v(x64):
    v = nd.array(np.arange(7.0) - 3, dtype="float64")
    out, tangent = dt.jvp(chain, (x64,), (v,))
    assert out.asscalar() == pytest.approx(chain(x64).asscalar())
    assert tangent.asscalar() == pytest.approx(float(chain_grad(x64.asnumpy()) @ v.asnumpy()))
    assert out.tangent is None                      # the level is closed
    assert x64.tangent is None


def test_vjp_fn_can_be_called_several_times():
    A = nd.array(np.arange(6.0).reshape(2, 3), dtype="float64")
    out, pull = dt.vjp(lambda x: nd.dot(A, x), nd.array([1.0, 2.0, 3.0], dtype="float64"))
    np.testing.assert_allclose(out.asnumpy(), A.asnumpy() @ [1, 2, 3])
    for u in ([1.0, 0.0], [0.0, 2.0], [1.0, 1.0]):
        (g,) = pull(nd.array(u, dtype="float64"))
        np.testing.assert_allclose(g.asnumpy(), np.array(u) @ A.asnumpy())


@pytest.mark.parametrize("n,m", [(4, 30), (30, 4), (10, 10)])
def test_jacobian_modes_agree(n, m):
    rng = np.random.default_rng(0)
    A = nd.array(rng.standard_normal((m, n)), dtype="float64")
    x = nd.array(rng.standard_normal(n), dtype="float64")

    def f(x):
        return nd.tanh(nd.dot(A, x))
    want = (1 - np.tanh(A.asnumpy() @ x.asnumpy()) ** 2)[:, None] * A.asnumpy()
    results = {}
    for mode in ("forward", "reverse", "auto"):
        J, used = dt.jacobian(f, mode=mode, return_mode=True)(x)
        assert J.shape == (m, n)
        np.testing.assert_allclose(J.asnumpy(), want, rtol=1e-12, atol=1e-14)
        results[mode] = used
    assert results["auto"] == ("forward" if n < m else "reverse")


@pytest.mark.parametrize("xshape", [(5,), (5, 1), (5, 3), (5, 0), (0,), (5, 2, 3)])
@pytest.mark.parametrize("transposed", [False, True])
def test_jacobian_of_a_matrix_product_in_every_layout(xshape, transposed):
    """Batched cotangents and tangents meet a matrix on the left (a stack of
    vectors or of matrices, C or transposed, empty): both modes give
    ``A`` placed on the diagonal of the other axes."""
    rng = np.random.default_rng(1)
    a = rng.standard_normal((xshape[0], 4)).T if transposed else rng.standard_normal((4, xshape[0]))
    A = nd.array(a, dtype="float64")
    x = nd.array(rng.standard_normal(xshape), dtype="float64")
    want = np.einsum("ik,jl->ijkl", a, np.eye(math.prod(xshape[1:]))).reshape(
        (4,) + xshape[1:] + xshape)
    for mode in ("forward", "reverse"):
        J = dt.jacobian(lambda x: nd.dot(A, x), mode=mode)(x)
        np.testing.assert_allclose(J.asnumpy(), want, atol=1e-14)


def test_jacobian_shapes_follow_jax():
    def f(x):
        return x.reshape((2, 3)) * 2.0
    J = dt.jacobian(f, mode="forward")(nd.arange(6, dtype="float64"))
    assert J.shape == (2, 3, 6)
    Jr = dt.jacobian(f, mode="reverse")(nd.arange(6, dtype="float64"))
    np.testing.assert_allclose(J.asnumpy(), Jr.asnumpy())
    np.testing.assert_allclose(J.asnumpy().reshape(6, 6), 2 * np.eye(6))


def test_jacobian_of_several_arguments_and_outputs():
    def f(a, b):
        return a * b, nd.sum(a)
    a, b = nd.array([1.0, 2.0], dtype="float64"), nd.array([3.0, 4.0], dtype="float64")
    for mode in ("forward", "reverse"):
        (ja, jb), (sa, sb) = dt.jacobian(f, argnums=(0, 1), mode=mode)(a, b)
        np.testing.assert_allclose(ja.asnumpy(), np.diag([3.0, 4.0]))
        np.testing.assert_allclose(jb.asnumpy(), np.diag([1.0, 2.0]))
        np.testing.assert_allclose(sa.asnumpy(), [[1.0, 1.0]])
        np.testing.assert_allclose(sb.asnumpy(), [[0.0, 0.0]])


def test_hvp_equals_hessian_times_v():
    x = nd.array([0.3, -0.7, 1.1, 0.5], dtype="float64")
    v = nd.array([1.0, 2.0, -1.0, 0.5], dtype="float64")
    H = dt.hessian(rosen)(x)
    assert H.shape == (4, 4)
    np.testing.assert_allclose(dt.hvp(rosen, x, v).asnumpy(), H.asnumpy() @ v.asnumpy(),
                               rtol=1e-12)
    np.testing.assert_allclose(H.asnumpy(), H.asnumpy().T)
    # closed-form Hessian of the Rosenbrock function at one point
    xs = x.asnumpy()
    assert H.asnumpy()[0, 0] == pytest.approx(1200 * xs[0] ** 2 - 400 * xs[1] + 2)
    assert H.asnumpy()[0, 1] == pytest.approx(-400 * xs[0])


def test_second_derivatives_in_all_four_mode_pairs():
    def f(x):
        return nd.sum(nd.sin(x) * x)
    x = nd.array([0.4, 1.3], dtype="float64")
    want = np.diag(2 * np.cos(x.asnumpy()) - x.asnumpy() * np.sin(x.asnumpy()))
    for outer in ("forward", "reverse"):
        for inner in ("forward", "reverse"):
            H = dt.jacobian(dt.grad(f, mode=inner), mode=outer)(x)
            np.testing.assert_allclose(H.asnumpy(), want, rtol=1e-12,
                                       err_msg="%s over %s" % (outer, inner))
    g2 = dt.grad(lambda x: nd.sum(dt.grad(f)(x) * x))(x)    # reverse over reverse
    np.testing.assert_allclose(g2.asnumpy(), np.diag(want) * x.asnumpy()
                               + (np.sin(x.asnumpy()) + x.asnumpy() * np.cos(x.asnumpy())))


def test_third_derivative_by_nesting():
    d3 = dt.grad(lambda x: dt.grad(lambda x: dt.grad(
        lambda x: nd.sum(x ** 4))(x).sum(), mode="forward")(x).sum())
    np.testing.assert_allclose(d3(nd.array([2.0], dtype="float64")).asnumpy(), [48.0])


def test_autograd_grad_create_graph_reverse_over_reverse():
    x = nd.array([0.5, 2.0], dtype="float64")
    x.attach_grad()
    with autograd.record():
        y = nd.sum(x * x * x)
        (gx,) = autograd.grad(y, [x], create_graph=True)
        z = nd.sum(gx * gx)
    z.backward()
    xs = x.asnumpy()
    np.testing.assert_allclose(gx.asnumpy(), 3 * xs ** 2)
    np.testing.assert_allclose(x.grad.asnumpy(), 36 * xs ** 3)


# ------------------------------------------------------------ forward mode ---

def test_attach_tangent_at_the_base_level_and_batched_tangents():
    x = nd.array([1.0, 2.0, 3.0])
    x.attach_tangent(nd.array([1.0, 0.0, 0.0]))
    y = nd.sin(x) * x
    want = np.cos(1.0) * 1 + np.sin(1.0)
    assert y.tangent.asnumpy()[0] == pytest.approx(want, rel=1e-6)
    with dt.forward_level():
        xb = dt.make_dual(nd.array([1.0, 2.0]), nd.array(np.eye(2)))
        yb = nd.exp(xb) * xb
        np.testing.assert_allclose(yb.tangent.asnumpy(),
                                   np.diag(np.exp([1.0, 2.0]) * (1 + np.array([1.0, 2.0]))),
                                   rtol=1e-6)


def test_nested_forward_levels_keep_tangents_apart():
    with dt.forward_level() as outer:
        x = dt.make_dual(nd.array([1.5], dtype="float64"), nd.array([1.0], dtype="float64"))
        with dt.forward_level() as inner:
            y = dt.make_dual(x, nd.array([1.0], dtype="float64"), inner)
            z = y * y * y
            dz_inner = z._tangents[inner]          # 3 x^2, itself dual at the outer level
        assert z.tangent is not None and z.tangent is z._tangents[outer]
        assert dz_inner.tangent.asscalar() == pytest.approx(6 * 1.5)   # second derivative
        assert z.tangent.asscalar() == pytest.approx(3 * 1.5 ** 2)


def test_forward_mode_composes_with_recording():
    x = nd.array([0.5, 1.0], dtype="float64")
    x.attach_grad()
    with autograd.record():
        with dt.forward_level():     # a level opened inside record() is recorded
            xd = dt.make_dual(x, nd.array([1.0, 1.0], dtype="float64"))
            y = nd.sum(nd.sin(xd) * xd)
            assert y.grad_req == "null" and y._node is not None   # recorded and dual
            t = y.tangent
    t.backward()   # reverse over forward: d/dx of the directional derivative
    xs = x.asnumpy()
    np.testing.assert_allclose(x.grad.asnumpy(), 2 * np.cos(xs) - xs * np.sin(xs))


def test_non_differentiable_ops_give_zero_tangents():
    x = nd.array([1.0, -2.0, 3.0])
    out, t = dt.jvp(lambda x: (x > 0) + nd.argmax(x), (x,), (nd.ones(3),))
    np.testing.assert_array_equal(t.asnumpy(), np.zeros(3))
    np.testing.assert_array_equal(out.asnumpy(), [1.0, 0.0, 1.0] + np.array(2.0))


def test_fused_kernel_path_matches_the_composite_rule():
    x = np.random.default_rng(1).uniform(0.2, 2.0, 1000)
    v = np.random.default_rng(2).standard_normal(1000)
    for fn in (nd.sin, nd.cos, nd.exp, nd.log, nd.sqrt, nd.tanh, nd.sigmoid, nd.square,
               nd.abs, nd.relu):
        _, fused = dt.jvp(fn, (nd.array(x, dtype="float64"),), (nd.array(v, dtype="float64"),))
        # a second, outer level forces the general (composite) rule
        with dt.forward_level():
            xd = dt.make_dual(nd.array(x, dtype="float64"), nd.array(v, dtype="float64"))
            xd.attach_tangent(nd.zeros(1000, dtype="float64"), dt._engine.BASE_LEVEL)
            general = fn(xd).tangent
        np.testing.assert_allclose(fused.asnumpy(), general.detach().asnumpy(),
                                   rtol=1e-13, atol=1e-15)


def test_forward_levels_are_thread_local():
    seen = []
    with dt.forward_level():
        x = dt.make_dual(nd.array([1.0]), nd.array([1.0]))

        def worker():
            seen.append((x * 2).tangent)
        th = threading.Thread(target=worker)
        th.start()
        th.join()
    assert seen == [None]


# ------------------------------------------------------------- bad input ---

def test_tangent_shape_and_dtype_mismatch():
    x = nd.array([1.0, 2.0])
    with pytest.raises(ValueError, match=r"shape \(3,\).*shape \(2,\)"):
        dt.jvp(nd.sin, (x,), (nd.array([1.0, 2.0, 3.0]),))
    with pytest.raises(ValueError, match="dtype float64.*float32"):
        dt.jvp(nd.sin, (x,), (nd.array([1.0, 2.0], dtype="float64"),))
    with pytest.raises(ValueError, match="does not match"):
        x.attach_tangent(nd.array([1.0, 2.0, 3.0]))
    assert x.tangent is None


def test_unknown_mode_lists_valid_ones():
    with pytest.raises(ValueError, match="'forward', 'reverse'"):
        dt.grad(chain, mode="sideways")
    with pytest.raises(ValueError, match="'auto'"):
        dt.jacobian(chain, mode="both")


def test_function_returning_a_non_array():
    with pytest.raises(TypeError, match="returned|return an NDArray.*float"):
        dt.grad(lambda x: 3.0)(nd.array([1.0]))
    with pytest.raises(TypeError, match="list"):
        dt.jvp(lambda x: [1, 2], (nd.array([1.0]),), (nd.array([1.0]),))


def test_grad_of_non_scalar_points_to_jacobian():
    with pytest.raises(ValueError, match="jacobian"):
        dt.grad(lambda x: x * 2)(nd.array([1.0, 2.0]))
    with pytest.raises(ValueError, match="jacobian"):
        dt.grad(lambda x: x * 2, mode="forward")(nd.array([1.0, 2.0]))


def test_integer_inputs_are_refused():
    with pytest.raises(TypeError, match="float dtype"):
        dt.grad(chain)(nd.array([1, 2], dtype="int32"))
    with pytest.raises(TypeError, match="float dtype"):
        dt.jvp(nd.sin, (np.array([1, 2]),), (np.array([1, 1]),))


def test_failed_calls_leave_nothing_attached():
    x = nd.array([1.0, 2.0])
    x.attach_grad()
    before = x.grad.asnumpy().copy()

    def boom(x):
        nd.sin(x)
        raise RuntimeError("inside f")
    for call in (lambda: dt.jvp(boom, (x,), (nd.ones(2),)), lambda: dt.grad(boom)(x),
                 lambda: dt.jacobian(boom, mode="reverse")(x)):
        with pytest.raises(RuntimeError, match="inside f"):
            call()
        assert not autograd.is_recording()
        assert x.tangent is None
        np.testing.assert_array_equal(x.grad.asnumpy(), before)
    assert x.grad_req == "write"


def test_numpy_and_python_inputs_give_numpy_results():
    """numpy in, numpy out (what SciPy expects); values read as numpy.asarray
    reads them (float64 for Python floats); NDArray in, NDArray out."""
    g = dt.grad(lambda x: nd.sum(x * x))
    r = g(np.array([1.0, 2.0], dtype=np.float32))
    assert type(r) is np.ndarray and r.dtype == np.float32
    np.testing.assert_allclose(r, [2.0, 4.0])
    assert g([1.0, 2.0]).dtype == np.float64
    np.testing.assert_allclose(g(3.0), 6.0)
    value, grad = dt.value_and_grad(lambda x: (x * x).sum())(np.array([3.0]))
    assert type(value) is np.ndarray and type(grad) is np.ndarray
    assert isinstance(g(nd.array([1.0, 2.0])), dt.NDArray)


@pytest.mark.parametrize("mode", ["forward", "reverse"])
def test_repeated_argnums_give_the_derivative_at_each_place(mode):
    """JAX: grad(f, argnums=(0, 0)) is (g, g), not (0, g)."""
    def f(a, b):
        return nd.sum(a * a * b)
    a, b = nd.array([1.0, 2.0], dtype="float64"), nd.array([3.0, 4.0], dtype="float64")
    ga, gb, ga2 = dt.grad(f, argnums=(0, 1, 0), mode=mode)(a, b)
    for g, want in ((ga, [6.0, 16.0]), (gb, [1.0, 4.0]), (ga2, [6.0, 16.0])):
        np.testing.assert_allclose(g.asnumpy(), want)
    J = dt.jacobian(lambda a, b: a * b, argnums=(1, 1), mode=mode)(a, b)
    for j in J:
        np.testing.assert_allclose(j.asnumpy(), np.diag([1.0, 2.0]))
