"""Every registered op: its forward rule (JVP) and reverse rule (VJP) against
central finite differences and against each other, in float64 and float32,
unbatched and batched.  New ops are picked up from the registry."""
import numpy as np
import pytest

import dualtape  # noqa: F401  (registers the ops)
from dualtape import autograd
from dualtape._engine import backward, close_level, open_level, wrap
from dualtape.registry import REGISTRY
from dualtape._engine import apply

RNG_SEED = 1234
TOL = {np.float64: dict(rtol=1e-6, atol=1e-7), np.float32: dict(rtol=2e-3, atol=2e-3)}


def _cases():
    out = []
    for name, op in REGISTRY.items():
        if not op.differentiable or op.kind == "loss":
            continue
        for i, _ in enumerate(op.samples(np.random.default_rng(RNG_SEED))):
            out.append(pytest.param(name, i, id="%s-%d" % (name, i)))
    return out


CASES = _cases()


def _sample(name, i, dtype):
    op = REGISTRY[name]
    arrays, params = op.samples(np.random.default_rng(RNG_SEED))[i]
    return op, [np.ascontiguousarray(np.asarray(a, dtype=dtype)) for a in arrays], params


def _primal(op, arrays, params):
    out = apply(op, tuple(wrap(a.copy()) for a in arrays), params)
    return out._data.astype(np.float64)


def _fd_jvp(op, arrays, params, k, v, eps=1e-6):
    """Central finite difference of the op along ``v`` in input ``k`` (float64)."""
    plus = [a.copy() for a in arrays]
    minus = [a.copy() for a in arrays]
    plus[k] = plus[k] + eps * v
    minus[k] = minus[k] - eps * v
    return (_primal(op, plus, params) - _primal(op, minus, params)) / (2 * eps)


def _jvp(op, arrays, params, k, v):
    level = open_level()
    try:
        xs = [wrap(a.copy()) for a in arrays]
        xs[k].attach_tangent(wrap(v.astype(arrays[k].dtype)), level)
        out = apply(op, tuple(xs), params)
        t = out._tangents.get(level) if out._tangents else None
        return np.zeros(v.shape[:v.ndim - arrays[k].ndim] + out.shape) if t is None \
            else t._data.astype(np.float64)
    finally:
        close_level(level)


def _vjp(op, arrays, params, u):
    xs = [wrap(a.copy()) for a in arrays]
    for x in xs:
        x.attach_grad()
    with autograd.record():
        out = apply(op, tuple(xs), params)
    out.backward(wrap(u.astype(out._data.dtype)))
    return [x.grad._data.astype(np.float64) for x in xs]


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("name,i", CASES)
def test_jvp_matches_finite_differences(name, i, dtype):
    op, arrays, params = _sample(name, i, dtype)
    rng = np.random.default_rng(7)
    exact = [a.astype(np.float64) for a in arrays]
    for k, a in enumerate(arrays):
        v = rng.standard_normal(a.shape)
        np.testing.assert_allclose(_jvp(op, arrays, params, k, v),
                                   _fd_jvp(op, exact, params, k, v), **TOL[dtype],
                                   err_msg="%s: JVP in input %d" % (name, k))


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("name,i", CASES)
def test_vjp_is_the_transpose_of_the_jvp(name, i, dtype):
    """<u, J v> from finite differences equals <J^T u, v> from the VJP."""
    op, arrays, params = _sample(name, i, dtype)
    rng = np.random.default_rng(11)
    exact = [a.astype(np.float64) for a in arrays]
    u = rng.standard_normal(_primal(op, exact, params).shape)
    grads = _vjp(op, arrays, params, u)
    for k, a in enumerate(arrays):
        for _ in range(3):
            v = rng.standard_normal(a.shape)
            lhs = float(np.sum(u * _fd_jvp(op, exact, params, k, v)))
            rhs = float(np.sum(grads[k] * v))
            np.testing.assert_allclose(rhs, lhs, **TOL[dtype],
                                       err_msg="%s: VJP in input %d" % (name, k))


@pytest.mark.parametrize("name,i", CASES)
def test_batched_rules_match_one_direction_at_a_time(name, i):
    op, arrays, params = _sample(name, i, np.float64)
    rng = np.random.default_rng(3)
    for k, a in enumerate(arrays):
        vs = rng.standard_normal((3,) + a.shape)
        batched = _jvp(op, arrays, params, k, vs)
        single = np.stack([_jvp(op, arrays, params, k, v) for v in vs])
        np.testing.assert_allclose(batched, single, rtol=1e-12, atol=1e-12)
    # batched cotangents through the engine (what a reverse-mode Jacobian uses)
    xs = [wrap(a.copy()) for a in arrays]
    for x in xs:
        x.attach_grad()
    with autograd.record():
        out = apply(op, tuple(xs), params)
    us = rng.standard_normal((3,) + out.shape)
    got = backward([out], [wrap(us)], xs, True, False)
    for k, x in enumerate(xs):
        each = np.stack([_vjp(op, arrays, params, u)[k] for u in us])
        g = np.zeros_like(each) if got[k] is None else got[k]._data
        np.testing.assert_allclose(g, each, rtol=1e-12, atol=1e-12)


def test_every_differentiable_op_has_both_rules_and_samples():
    missing = [n for n, op in REGISTRY.items() if op.differentiable and op.kind != "loss" and (
        op.jvp is None or op.vjp is None or not op.samples(np.random.default_rng(0)))]
    assert missing == [], "ops without a forward rule, reverse rule or samples: %s" % missing


def test_loss_layers_are_registered_with_both_rules():
    """MXNet's output layers: both rules, no samples (their gradient is not
    the derivative of their value, so their own tests pin it)."""
    losses = [n for n, op in REGISTRY.items() if op.kind == "loss"]
    assert {"make_loss", "SoftmaxOutput", "LinearRegressionOutput"} <= set(losses)
    for name in losses:
        op = REGISTRY[name]
        assert op.jvp is not None and op.vjp is not None and op.samples is None


def test_registry_refuses_an_op_with_one_rule():
    from dualtape.registry import defop
    with pytest.raises(ValueError, match="missing jvp"):
        defop("half_registered", np.negative, vjp=lambda g, ans, xs, needs: (-g,),
              samples=lambda rng: [])
    assert "half_registered" not in REGISTRY


FAST = [c for c in CASES if REGISTRY[c.values[0]].fast_jvp is not None
        or REGISTRY[c.values[0]].fast_vjp is not None]


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("name,i", FAST)
def test_fast_paths_match_the_general_rules(name, i, dtype):
    """The numpy-level first-order paths and the differentiable NDArray rules
    give the same derivatives.  The engine takes the general rules when an
    input carries a tangent of another open level (forward) or any tangent
    at all, even of a closed level (reverse)."""
    op, arrays, params = _sample(name, i, dtype)
    rng = np.random.default_rng(5)
    tol = dict(rtol=1e-12, atol=1e-12) if dtype == np.float64 else dict(rtol=1e-5, atol=1e-6)

    def with_other_tangents(level):
        xs = [wrap(a.copy()) for a in arrays]
        for x in xs:
            x.attach_tangent(wrap(np.zeros_like(x._data)), level)
        return xs

    for k, a in enumerate(arrays):
        v = rng.standard_normal(a.shape)
        fast = _jvp(op, arrays, params, k, v)
        outer = open_level()
        level = open_level()
        try:
            xs = with_other_tangents(outer)
            xs[k].attach_tangent(wrap(v.astype(dtype)), level)
            out = apply(op, tuple(xs), params)
            t = out._tangents.get(level)
            general = np.zeros_like(fast) if t is None else t._data
        finally:
            close_level(level)
            close_level(outer)
        np.testing.assert_allclose(general, fast, **tol, err_msg="%s JVP %d" % (name, k))
    u = rng.standard_normal(_primal(op, [a.astype(np.float64) for a in arrays], params).shape)
    fast = _vjp(op, arrays, params, u)
    stale = open_level()
    xs = with_other_tangents(stale)
    close_level(stale)
    for x in xs:
        x.attach_grad()
    with autograd.record():
        out = apply(op, tuple(xs), params)
    out.backward(wrap(u.astype(dtype)))
    for k, x in enumerate(xs):
        np.testing.assert_allclose(x.grad._data, fast[k], **tol, err_msg="%s VJP %d" % (name, k))
