"""``check_grad``: cross-check forward mode, reverse mode and finite differences
on any function of NDArrays."""
import numpy as np

from ._engine import wrap
from .autograd import _Scope
from .functional import _input, _outputs, jvp, vjp

__all__ = ["check_grad", "GradientCheckError"]

MODES = ("forward", "reverse")
#: Default (step, rtol, atol) of the central differences, per dtype.
DEFAULTS = {np.dtype(np.float64): (1e-6, 1e-5, 1e-6),
            np.dtype(np.float32): (1e-3, 3e-2, 3e-2)}


class GradientCheckError(AssertionError):
    """Derivatives from two methods disagree (raised by ``check_grad``)."""


def _call(f, xs):
    with _Scope(False, None):
        outs, _ = _outputs(f(*xs), getattr(f, "__name__", "f"))
    return [o._data.astype(np.float64) for o in outs]


def _central(f, xs, i, v, eps):
    """Central difference of every output along ``v`` in input ``i``."""
    def shifted(sign):
        ys = list(xs)
        ys[i] = wrap((xs[i]._data + sign * eps * v).astype(xs[i]._data.dtype))
        return _call(f, ys)
    return [(p - m) / (2 * eps) for p, m in zip(shifted(1), shifted(-1))]


def _fail(what, i, x, got, want, rtol, atol):
    diff = np.max(np.abs(np.asarray(got) - np.asarray(want))) if np.size(got) else 0.0
    raise GradientCheckError(
        "%s for input %d (shape %s, dtype %s): largest difference %.3g "
        "(rtol=%g, atol=%g)" % (what, i, x.shape, x._data.dtype, diff, rtol, atol))


def check_grad(f, *inputs, modes=MODES, order=1, rtol=None, atol=None, eps=None, seed=0):
    """Check ``f``'s derivatives by forward mode, reverse mode and central
    finite differences.

    Forward mode is compared with the finite difference along a random
    direction ``v``; reverse mode with the dot-product test
    ``<u, J v> = <J^T u, v>``.  With ``order=2`` the same checks run on the
    derivative functions ``x -> J(x) v`` and ``x -> J(x)^T u`` (all four
    combinations of modes for second derivatives).

    Parameters
    ----------
    f : callable
        A function of NDArrays returning an NDArray or a tuple of them.
    *inputs : array_like
        The point at which to check (float arrays).
    modes : sequence of {'forward', 'reverse'}
    order : int
        1 or more.
    rtol, atol, eps : float, optional
        Tolerances and finite-difference step; defaults depend on the dtype.
    seed : int
        Seed of the random directions.

    Raises
    ------
    GradientCheckError
        Naming the input, the mode and the largest difference.
    """
    for m in modes:
        if m not in MODES:
            raise ValueError("modes must be among %s, got %r" % (MODES, m))
    if order < 1:
        raise ValueError("order must be at least 1, got %r" % (order,))
    xs = [_input(x, "input %d" % i) for i, x in enumerate(inputs)]
    step, rt, at = DEFAULTS[max((x._data.dtype for x in xs), key=lambda d: d.itemsize)]
    eps, rtol, atol = eps or step, rtol or rt, atol or at
    rng = np.random.default_rng(seed)
    vs = [rng.standard_normal(x.shape) for x in xs]
    us = [rng.standard_normal(o.shape) for o in _call(f, xs)]
    fds = [_central(f, xs, i, v, eps) for i, v in enumerate(vs)]
    if "forward" in modes:
        for i, (x, v) in enumerate(zip(xs, vs)):
            ts = [wrap((v if k == i else np.zeros(y.shape)).astype(y._data.dtype))
                  for k, y in enumerate(xs)]
            _, tans = jvp(f, xs, ts)
            tans = [tans] if not isinstance(tans, tuple) else tans
            for t, fd in zip(tans, fds[i]):
                got = t._data.astype(np.float64)
                if got.shape != fd.shape or not np.allclose(got, fd, rtol, atol):
                    _fail("forward mode disagrees with finite differences", i, x, got, fd,
                          rtol, atol)
    if "reverse" in modes:
        out, pull = vjp(f, *xs)
        cts = [wrap(u.astype(o._data.dtype)) for u, o in zip(
            us, [out] if not isinstance(out, tuple) else out)]
        grads = pull(*cts)
        for i, (x, v, g) in enumerate(zip(xs, vs, grads)):
            lhs = sum(float(np.sum(u * fd)) for u, fd in zip(us, fds[i]))
            rhs = float(np.sum(g._data.astype(np.float64) * v))
            if g.shape != x.shape or not np.isclose(rhs, lhs, rtol, atol * np.sqrt(x.size + 1)):
                _fail("reverse mode fails the dot-product test <u, J v> = <J^T u, v> "
                      "against finite differences", i, x, rhs, lhs, rtol, atol)
    if order > 1:
        for mode in modes:
            g = _derivative_function(f, xs, vs, us, mode)
            try:
                check_grad(g, *xs, modes=modes, order=order - 1, rtol=rtol, atol=atol,
                           eps=eps, seed=seed + 1)
            except GradientCheckError as e:
                raise GradientCheckError("derivative of the %s-mode derivative: %s"
                                         % (mode, e)) from None


def _derivative_function(f, xs, vs, us, mode):
    """``x -> J(x) v`` (forward) or ``x -> J(x)^T u`` (reverse) as a function
    of NDArrays, for checking second derivatives."""
    if mode == "forward":
        def jvp_f(*ys):
            ts = [wrap(v.astype(y._data.dtype)) for v, y in zip(vs, ys)]
            t = jvp(f, ys, ts)[1]
            return t
        return jvp_f

    def vjp_f(*ys):
        out, pull = vjp(f, *ys)
        outs = [out] if not isinstance(out, tuple) else list(out)
        return pull(*[wrap(u.astype(o._data.dtype)) for u, o in zip(us, outs)])
    return vjp_f
