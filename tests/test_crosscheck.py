"""Every registered op through ``check_grad`` to second order: forward mode,
reverse mode and finite differences agree, on the registered samples and on
shapes drawn by hypothesis (broadcasting, size-1 and empty axes)."""
import numpy as np
import pytest
from hypothesis import given, settings, strategies as st
from hypothesis.extra import numpy as hnp

import dualtape as dt
from dualtape._engine import apply, wrap
from dualtape.registry import REGISTRY

#: Ops whose rules are derivatives (MXNet's loss layers are not: kind 'loss').
DIFFERENTIABLE = [n for n, op in REGISTRY.items() if op.differentiable and op.kind != "loss"]


def _op_fn(op, params):
    def f(*xs):
        return apply(op, tuple(xs), params)
    f.__name__ = op.name
    return f


def _sample_cases():
    for name in DIFFERENTIABLE:
        samples = REGISTRY[name].samples(np.random.default_rng(0))
        for i in range(len(samples)):
            yield pytest.param(name, i, id="%s-%d" % (name, i))


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("name,i", list(_sample_cases()))
def test_check_grad_second_order_on_samples(name, i, dtype):
    op = REGISTRY[name]
    arrays, params = op.samples(np.random.default_rng(0))[i]
    xs = [wrap(np.ascontiguousarray(a, dtype=dtype)) for a in arrays]
    dt.check_grad(_op_fn(op, params), *xs, order=2)


def _value_range(op):
    """The range of the op's sample values: draws stay in its domain."""
    arrays = [a for arrays, _ in op.samples(np.random.default_rng(0)) for a in arrays]
    return float(min(a.min() for a in arrays)), float(max(a.max() for a in arrays))


def _arity(op):
    return len(op.samples(np.random.default_rng(0))[0][0])


ELEMENTWISE = [n for n in DIFFERENTIABLE
               if REGISTRY[n].kind == "elementwise" and _arity(REGISTRY[n]) <= 2]
REDUCTIONS = [n for n in ("sum", "mean", "max", "min", "norm") if n in REGISTRY]


@settings(max_examples=8, deadline=None)
@given(data=st.data(), name=st.sampled_from(ELEMENTWISE),
       dtype=st.sampled_from([np.float64, np.float32]))
def test_elementwise_ops_on_drawn_broadcast_shapes(data, name, dtype):
    op = REGISTRY[name]
    arity = _arity(op)
    shapes = data.draw(hnp.mutually_broadcastable_shapes(
        num_shapes=arity, min_dims=1, max_dims=3, min_side=0, max_side=3)).input_shapes
    lo, hi = _value_range(op)
    seed = data.draw(st.integers(0, 2**16))
    rng = np.random.default_rng(seed)
    params = op.samples(rng)[0][1]
    xs = [wrap(rng.uniform(lo, hi, s).astype(dtype)) for s in shapes]
    dt.check_grad(_op_fn(op, params), *xs, order=2, seed=seed)


@settings(max_examples=8, deadline=None)
@given(data=st.data(), name=st.sampled_from(REDUCTIONS),
       dtype=st.sampled_from([np.float64, np.float32]))
def test_reductions_on_drawn_shapes_and_axes(data, name, dtype):
    op = REGISTRY[name]
    nonempty = name in ("max", "min", "norm", "mean")   # undefined on empty input
    shape = data.draw(hnp.array_shapes(min_dims=1, max_dims=3, min_side=1 if nonempty else 0,
                                       max_side=3))
    axes = tuple(sorted(data.draw(st.sets(st.integers(0, len(shape) - 1), min_size=1))))
    keepdims = data.draw(st.booleans())
    params = ((2,) if name == "norm" else ()) + (axes, keepdims)
    seed = data.draw(st.integers(0, 2**16))
    # distinct values: max/min have no derivative at a tie
    x = np.random.default_rng(seed).permutation(np.prod(shape)).reshape(shape) / 4.0 - 1.1
    dt.check_grad(_op_fn(op, params), wrap(x.astype(dtype)), order=2, seed=seed)


def test_check_grad_names_the_input_mode_and_difference():
    """A wrong rule is caught: an op whose VJP is off by a factor of 2."""
    from dualtape._engine import Op
    bad = Op("bad_square", np.square,
             lambda ts, ans, xs: ts[0] * 2.0 * xs[0],
             lambda g, ans, xs, needs: (g * 4.0 * xs[0],))
    x = wrap(np.array([0.5, -1.0, 2.0]))
    dt.check_grad(_op_fn(bad, ()), x, modes=("forward",))
    with pytest.raises(dt.GradientCheckError, match=r"reverse mode .*input 0 .*largest "
                                                    r"difference"):
        dt.check_grad(_op_fn(bad, ()), x)


def test_check_grad_catches_a_wrong_forward_rule():
    from dualtape._engine import Op
    bad = Op("bad_sin", np.sin, lambda ts, ans, xs: ts[0] * dt.nd.sin(xs[0]),
             lambda g, ans, xs, needs: (g * dt.nd.cos(xs[0]),))
    with pytest.raises(dt.GradientCheckError, match="forward mode disagrees"):
        dt.check_grad(_op_fn(bad, ()), wrap(np.array([0.3, 1.2])))


def test_check_grad_catches_a_wrong_second_derivative():
    """First derivatives right, the rule itself not differentiable correctly."""
    from dualtape._engine import Op
    # d/dx x^3 = 3x^2, written with a constant that hides x: wrong second order
    bad = Op("bad_cube", lambda x: x ** 3,
             lambda ts, ans, xs: ts[0] * wrap(3 * xs[0]._data ** 2),
             lambda g, ans, xs, needs: (g * wrap(3 * xs[0]._data ** 2),))
    x = wrap(np.array([0.5, -1.0]))
    dt.check_grad(_op_fn(bad, ()), x, order=1)
    with pytest.raises(dt.GradientCheckError, match="derivative of the"):
        dt.check_grad(_op_fn(bad, ()), x, order=2)
