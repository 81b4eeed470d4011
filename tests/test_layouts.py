"""Every registered op on inputs off the usual path: byte-swapped, misaligned,
strided, Fortran-ordered and read-only numpy data, numpy scalars, 0-d and
float16 arrays.  Each enters through the public doors (``nd.array``, the
functional API, ``attach_tangent``, head gradients, ``mark_variables``) and
must give the values and derivatives of the plain case, with the output shape
given by one rule on every path (C loops, fast paths, kernels, general rules).
"""
import numpy as np
import pytest

import dualtape as dt
from dualtape import autograd, nd
from dualtape._engine import apply, as_data, close_level, open_level, wrap
from dualtape.registry import REGISTRY

DIFFERENTIABLE = [n for n, op in REGISTRY.items() if op.differentiable and op.kind != "loss"]
ELEMENTWISE = [n for n in DIFFERENTIABLE if REGISTRY[n].kind in ("elementwise", "piecewise")]


def _swapped(a):
    return a.astype(a.dtype.newbyteorder("S"))


def _misaligned(a):
    buf = np.zeros(a.nbytes + 1, np.uint8)[1:]
    out = buf.view(a.dtype).reshape(a.shape) if a.size else np.zeros(a.shape, a.dtype)
    out[...] = a
    return out


def _strided(a):
    big = np.zeros(a.shape + (2,), a.dtype)
    big[..., 0] = a
    return big[..., 0]


def _readonly(a):
    out = a.copy()
    out.flags.writeable = False
    return out


def _fortran(a):
    return np.asfortranarray(a)


LAYOUTS = {"swapped": _swapped, "misaligned": _misaligned, "strided": _strided,
           "readonly": _readonly, "fortran": _fortran}


def test_the_layouts_are_what_they_claim():
    a = np.arange(6.0).reshape(2, 3)
    assert not _swapped(a).dtype.isnative
    assert not _misaligned(a).flags.aligned
    assert not _strided(a).flags.c_contiguous
    assert not _readonly(a).flags.writeable
    assert not _fortran(a).flags.c_contiguous
    for f in LAYOUTS.values():
        np.testing.assert_array_equal(f(a), a)


@pytest.mark.parametrize("layout", sorted(LAYOUTS))
def test_as_data_gives_plain_native_arrays(layout):
    a = LAYOUTS[layout](np.arange(6.0).reshape(2, 3))
    d = as_data(a)
    assert type(d) is np.ndarray and d.dtype.isnative
    assert d.flags.c_contiguous and d.flags.aligned and d.flags.writeable
    np.testing.assert_array_equal(d, a)


@pytest.mark.parametrize("value", [np.float64(2.5), np.float32(2.5), np.int32(3),
                                   np.array(2.5), np.bool_(True)])
def test_numpy_scalars_become_0d_arrays(value):
    x = wrap(value)
    assert type(x._data) is np.ndarray and x.shape == ()
    assert x.item() == np.asarray(value).item()


@pytest.mark.parametrize("bad", [np.array([1 + 2j]), np.array(["a"]), np.array([None]),
                                 np.ma.masked_array([1.0, 2.0], [0, 1])],
                         ids=["complex", "str", "object", "masked"])
def test_values_an_ndarray_cannot_hold_are_refused(bad):
    with pytest.raises(TypeError, match="NDArray"):
        wrap(bad)
    with pytest.raises(TypeError):
        nd.array(bad)


def _cases():
    for name in DIFFERENTIABLE:
        for i in range(len(REGISTRY[name].samples(np.random.default_rng(0)))):
            yield pytest.param(name, i, id="%s-%d" % (name, i))


def _fn(op, params):
    def f(*xs):
        return apply(op, tuple(xs), params)
    f.__name__ = op.name
    return f


@pytest.mark.parametrize("layout", sorted(LAYOUTS))
@pytest.mark.parametrize("dtype", [np.float64, np.float32], ids=["f64", "f32"])
@pytest.mark.parametrize("name,i", list(_cases()))
def test_every_op_gives_the_same_results_on_every_layout(name, i, dtype, layout):
    op = REGISTRY[name]
    arrays, params = op.samples(np.random.default_rng(0))[i]
    plain = [np.ascontiguousarray(a, dtype=dtype) for a in arrays]
    odd = [LAYOUTS[layout](a) for a in plain]
    rng = np.random.default_rng(1)
    ts = [rng.standard_normal(a.shape).astype(dtype) for a in plain]
    f = _fn(op, params)

    out, tan = dt.jvp(f, plain, ts)           # numpy in, numpy out
    out2, tan2 = dt.jvp(f, odd, [LAYOUTS[layout](t) for t in ts])
    np.testing.assert_array_equal(out2, out)
    np.testing.assert_array_equal(tan2, tan)

    u = rng.standard_normal(out.shape).astype(dtype)
    grads = dt.vjp(f, *plain)[1](u)
    grads2 = dt.vjp(f, *odd)[1](LAYOUTS[layout](u))
    for g, g2 in zip(grads, grads2):
        np.testing.assert_array_equal(g2, g)

    # the recording API: arrays made from the odd data, an odd head gradient
    xs = [nd.array(a, dtype=a.dtype) for a in odd]
    for x in xs:
        x.attach_grad()
    with autograd.record():
        y = f(*xs)
    y.backward(LAYOUTS[layout](u))
    for x, g in zip(xs, grads):
        np.testing.assert_array_equal(x.grad.asnumpy(), g)


@pytest.mark.parametrize("layout", sorted(LAYOUTS))
def test_odd_layouts_through_attach_tangent_setitem_and_mark_variables(layout):
    a = np.linspace(-1.0, 1.0, 6).reshape(2, 3)
    x = nd.array(a, dtype="float64")
    with dt.forward_level():
        x.attach_tangent(LAYOUTS[layout](np.ones((2, 3))))
        t = nd.sin(x).tangent
        np.testing.assert_allclose(t.asnumpy(), np.cos(a), rtol=1e-15)
    y = nd.zeros((2, 3), dtype="float64")
    y[:] = LAYOUTS[layout](a)
    np.testing.assert_array_equal(y.asnumpy(), a)
    g = nd.zeros((2, 3), dtype="float64")
    autograd.mark_variables([x], [g])
    with autograd.record():
        z = (x * x).sum()
    z.backward()
    np.testing.assert_array_equal(g.asnumpy(), 2 * a)


# --------------------------------------------------------------- 0-d arrays ---

def _paths(op, arrays, params, dtype):
    """Value, tangent and cotangent of ``op`` through each engine path."""
    xs = [wrap(np.asarray(a, dtype=dtype)) for a in arrays]
    out = {"primal": apply(op, tuple(xs), params)}
    lv = open_level()
    try:                                   # first order: C loops / fast paths
        ds = [dt.make_dual(x, nd.ones(x.shape, dtype=dtype), lv) for x in xs]
        out["jvp-fast"] = apply(op, tuple(ds), params)._tangents[lv]
    finally:
        close_level(lv)
    outer, inner = open_level(), open_level()
    try:                                   # a second level forces the general rule
        ds = [dt.make_dual(dt.make_dual(x, nd.zeros(x.shape, dtype=dtype), outer),
                           nd.ones(x.shape, dtype=dtype), inner) for x in xs]
        out["jvp-general"] = apply(op, tuple(ds), params)._tangents[inner]
    finally:
        close_level(inner)
        close_level(outer)
    vs = [wrap(np.asarray(a, dtype=dtype)) for a in arrays]
    for v in vs:
        v.attach_grad()
    with autograd.record():
        y = apply(op, tuple(vs), params)
    y.backward(retain_graph=True)
    for k, v in enumerate(vs):
        out["vjp-fast-%d" % k] = v.grad.copy()
    with autograd.record():
        gs = autograd.grad(y, vs, create_graph=True)
    for k, g in enumerate(gs):
        out["vjp-general-%d" % k] = g.detach()
    return out


@pytest.mark.parametrize("dtype", [np.float16, np.float32, np.float64],
                         ids=["f16", "f32", "f64"])
@pytest.mark.parametrize("name", ELEMENTWISE)
def test_elementwise_ops_keep_0d_on_every_path(name, dtype):
    op = REGISTRY[name]
    arrays, params = op.samples(np.random.default_rng(0))[0]
    zero_d = [np.asarray(a).reshape(-1)[0] for a in arrays]
    one = [np.asarray([v]) for v in zero_d]
    got = _paths(op, [np.array(v) for v in zero_d], params, dtype)
    ref = _paths(op, one, params, dtype)
    for path, r in got.items():
        assert r.shape == (), (path, r.shape)
        assert r.dtype == np.dtype(dtype), (path, r.dtype)
        np.testing.assert_array_equal(r.asnumpy().reshape(1), ref[path].asnumpy(),
                                      err_msg=path)


@pytest.mark.parametrize("mode", ["forward", "reverse", "auto"])
def test_jacobian_of_0d_is_0d_in_every_mode(mode):
    x = nd.array(np.array(2.0), dtype="float64")
    J = dt.jacobian(lambda v: v * v * v, mode=mode)(x)
    assert J.shape == ()
    assert J.asscalar() == 12.0
    H = dt.hessian(lambda v: v * v * v)(x)
    assert H.shape == () and H.asscalar() == 12.0


def test_0d_variable_used_twice_backpropagates():
    """Was a segmentation fault: numpy returns scalars for 0-d sums."""
    for f in (lambda a: a + a, lambda a: nd.sin(a) + nd.cos(a), lambda a: a * a):
        a = nd.zeros(())
        a.attach_grad()
        with autograd.record():
            y = f(a)
        y.backward()
        assert a.grad.shape == ()
    a = nd.array(np.array(2.0), dtype="float64")
    a.attach_grad()
    with autograd.record():
        y = a * a * a
        g, = autograd.grad(y, [a], create_graph=True)
    g.backward()
    assert g.asscalar() == 12.0 and a.grad.asscalar() == 12.0
    assert dt.grad(lambda x: (lambda t: t * t + t)(x * 2).sum())(
        nd.array(np.array(1.5))).asscalar() == 14.0


def test_wrapped_numpy_scalar_variable_backpropagates():
    """Was a segmentation fault: ``wrap(np.float64(2.0))`` held a numpy scalar."""
    a = wrap(np.float64(2.0))
    a.attach_grad()
    with autograd.record():
        y = a * a
    y.backward()
    assert a.grad.asscalar() == 4.0


@pytest.mark.parametrize("expr", ["nd.exp(z)", "nd.log(z)", "nd.sqrt(z)", "nd.relu(z)",
                                  "z / 2", "z ** 2", "z > 0", "z.T", "-z", "z % 0.3",
                                  "z // 0.2", "nd.round(z)", "nd.dot(z, z)",
                                  "nd.maximum(z, 0.1)", "nd.where(z, z, z)"])
@pytest.mark.parametrize("dtype", ["float16", "float32", "float64"])
def test_0d_shape_is_one_rule_for_every_op_and_dtype(expr, dtype):
    z = nd.full((), 0.5, dtype=dtype)
    r = eval(expr)
    assert r.shape == () and r.dtype == np.dtype(dtype)


def test_full_reductions_give_1_as_in_mxnet_also_from_0d():
    z = nd.full((), 0.5)
    for r in (z.sum(), nd.mean(z), nd.max(z), nd.norm(z), nd.sum(nd.ones((2, 3)))):
        assert r.shape == (1,)


# ------------------------------------------------------------- empty arrays ---

def test_empty_arrays_where_numpy_handles_them():
    e = nd.zeros((0, 3))
    assert e.flatten().shape == (0, 3)
    assert nd.dot(e, nd.ones((3, 2))).shape == (0, 2)
    assert (e + 1).shape == (0, 3) and e.sum(axis=0).shape == (3,)
    for mode in ("forward", "reverse"):
        g = dt.grad(lambda x: nd.sum(x * x), mode=mode)(nd.zeros((0,), dtype="float64"))
        assert g.shape == (0,)
        J = dt.jacobian(nd.sin, mode=mode)(nd.zeros((0, 2), dtype="float64"))
        assert J.shape == (0, 2, 0, 2)
    with pytest.raises(ValueError, match="max of an empty array"):
        nd.max(e, axis=0)
    assert nd.max(e, axis=1).shape == (0,)
