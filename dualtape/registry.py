"""The op registry: every op's primal, forward rule and reverse rule, together.

An op is registered once with ``defop``; the registry refuses a differentiable
op that has one rule but not the other, so forward mode never lags behind
reverse mode.  Each differentiable op also carries ``samples``, inputs on
which the test suite checks both rules against finite differences: a new op
is tested the moment it is registered.

Rule conventions (see ``dualtape._engine.Op``):

``jvp(tangents, ans, xs, *params)``
    Linear in ``tangents``.  A tangent may carry extra *leading* axes (a batch
    of directions): ``t.ndim - x.ndim`` of them.  The result has the same
    leading axes followed by ``ans.shape``.
``vjp(g, ans, xs, needs, *params)``
    The transpose: one cotangent per input (``None`` where ``needs[i]`` is
    false).  ``g`` may carry leading batch axes too (``g.ndim - ans.ndim``).

Rules are written with NDArray operations, so they are themselves
differentiable: higher-order derivatives and forward-over-reverse come free.
"""
from ._engine import Op

#: name -> Op, in registration order.
REGISTRY = {}


def defop(name, primal, *, jvp=None, vjp=None, samples=None,
          differentiable=True, fast_jvp=None, fast_vjp=None,
          kind="op", keep_dtype=True):
    """Register an op and return it.

    Parameters
    ----------
    name : str
        Unique name.
    primal : callable
        ``primal(*arrays, *params) -> numpy.ndarray`` (C-contiguous).
    jvp, vjp : callable
        The forward and reverse rules; both required for a differentiable op.
    samples : callable
        ``samples(rng) -> list of (arrays, params)``: valid float64 inputs for
        the derivative checks.  Required for a differentiable op.
    differentiable : bool
        ``False`` for ops with no derivative (comparisons, argmax): they are
        never recorded and give zero tangents.
    fast_jvp, fast_vjp : callable, optional
        Fused numpy-level paths for first-order use (see ``Op``).
    kind : str
        A label for documentation and tests ("elementwise", "linear", ...).
    keep_dtype : bool
        Cast the output to the first input's dtype (the ``nd`` rule); false
        for ops whose output dtype is a parameter (``astype``).
    """
    if name in REGISTRY:
        raise ValueError("op %r is already registered" % name)
    if differentiable:
        needed = (("jvp", jvp), ("vjp", vjp)) + ((("samples", samples),)
                                                 if kind != "loss" else ())
        missing = [r for r, f in needed if f is None]
        if missing:
            raise ValueError("differentiable op %r is missing %s; give both rules "
                             "(and samples to test them), or mark it "
                             "differentiable=False" % (name, " and ".join(missing)))
    elif jvp is not None or vjp is not None:
        raise ValueError("op %r is marked non-differentiable but has a rule" % name)
    op = Op(name, primal, jvp, vjp, differentiable=differentiable,
            fast_jvp=fast_jvp, fast_vjp=fast_vjp,
            samples=samples, kind=kind, keep_dtype=keep_dtype)
    REGISTRY[name] = op
    return op


def nondiff(name, primal, kind="nondiff", keep_dtype=True):
    """Register an op without a derivative (never recorded; zero tangent)."""
    return defop(name, primal, differentiable=False, kind=kind, keep_dtype=keep_dtype)


def defloss(name, primal, *, jvp, vjp):
    """Register one of MXNet's output layers (``MakeLoss``, ``SoftmaxOutput``,
    the ``*RegressionOutput`` layers): its reverse rule is MXNet's gradient,
    which ignores the head gradient, not the transpose of its forward rule.
    Such an op has kind ``"loss"`` and no samples: the finite-difference
    sweeps skip it, and its module's tests pin the gradient MXNet gives."""
    return defop(name, primal, jvp=jvp, vjp=vjp, kind="loss")
