"""Random programs of dualtape ops, and how to check one.

A *program* is plain data (so that it can be printed, shrunk by hypothesis
and sent to a worker process)::

    {"dtype": "float64",
     "inputs": [{"shape": [2, 3], "layout": "swapped", "seed": 5}, ...],
     "steps": [["mul", 0, 1], ["sin", 2], ["sum", 3, 1]],
     "tangent_seed": 7}

Values are numbered: the inputs first, then one per step.  A step names an
entry of ``OPS`` and its operands (value numbers), then the entry's integer
options.  The program's output is its last value.

``run(program)`` executes it three ways: with dualtape (forward mode, reverse
mode, the recording API), and in float64 numpy (the reference).  It checks the
output's shape and values against the reference, the forward-mode tangent
against central differences of the reference, reverse mode by the dot-product
test, the recording API against reverse mode, and, for float64 programs, the
second derivatives by ``check_grad(order=2)``.  It raises ``Reject`` for
programs whose values leave the region where finite differences are valid
(near a kink, a tie, a pole or overflow), ``AssertionError`` for a wrong result.
"""
import numpy as np

import dualtape as dt
from dualtape import autograd, nd


class Reject(Exception):
    """The program is outside the region where it can be checked."""


LAYOUTS = ("plain", "swapped", "strided", "fortran", "readonly")


def _layout(a, layout):
    if layout == "swapped":
        return a.astype(a.dtype.newbyteorder("S"))
    if layout == "strided":
        big = np.zeros(a.shape + (2,), a.dtype)
        big[..., 0] = a
        return big[..., 0]
    if layout == "fortran":
        return np.asfortranarray(a)
    if layout == "readonly":
        a = a.copy()
        a.flags.writeable = False
    return a


def _away(values, points, margin):
    """Reject if any value lies within ``margin`` of one of ``points``."""
    for p in points:
        if np.any(np.abs(np.asarray(values) - p) < margin):
            raise Reject("near a non-smooth point")


def _full1(r):
    """MXNet's shape for a full reduction: (1,) instead of ()."""
    r = np.asarray(r)
    return r.reshape(1) if r.ndim == 0 else r


def _axis(x, k):
    """Option ``k`` as an axis of ``x`` (None for a 0-d array)."""
    return None if np.ndim(x) == 0 else k % np.ndim(x)


def _guard_positive(x):
    _away(x, [0.0], 0.05)


def _no_ties(x, axis):
    if np.size(x) == 0:
        raise Reject("empty extremum")
    s = np.sort(np.asarray(x), axis=axis if axis is not None else None)
    if s.ndim and s.shape[axis if axis is not None else 0] > 1:
        d = np.diff(s, axis=axis if axis is not None else 0)
        if np.any(np.abs(d) < 1e-3):
            raise Reject("a tie")


# name: (arity, number of int options, dualtape function, numpy reference,
#        precondition on the numpy operands or None)
OPS = {
    "add": (2, 0, lambda a, b: a + b, np.add, None),
    "sub": (2, 0, lambda a, b: a - b, np.subtract, None),
    "mul": (2, 0, lambda a, b: a * b, np.multiply, None),
    "div": (2, 0, lambda a, b: a / b, np.divide, lambda a, b: _guard_positive(np.abs(b))),
    "pow": (2, 0, lambda a, b: nd.abs(a) ** b, lambda a, b: np.abs(a) ** b,
            lambda a, b: _away(a, [0.0], 0.1)),
    "maximum": (2, 0, nd.maximum, np.maximum,
                lambda a, b: _away(np.subtract(a, b), [0.0], 1e-3)),
    "minimum": (2, 0, nd.minimum, np.minimum,
                lambda a, b: _away(np.subtract(a, b), [0.0], 1e-3)),
    "where": (2, 0, lambda a, b: nd.where(a > 0, a, b), lambda a, b: np.where(a > 0, a, b),
              lambda a, b: _away(a, [0.0], 1e-3)),
    "add_s": (1, 0, lambda a: a + 0.75, lambda a: a + 0.75, None),
    "rsub_s": (1, 0, lambda a: 0.5 - a, lambda a: 0.5 - a, None),
    "mul_s": (1, 0, lambda a: a * -1.25, lambda a: a * -1.25, None),
    "rdiv_s": (1, 0, lambda a: 1.0 / a, lambda a: 1.0 / a,
               lambda a: _guard_positive(np.abs(a))),
    "pow_s": (1, 0, lambda a: a ** 3, lambda a: a ** 3, None),
    "neg": (1, 0, lambda a: -a, np.negative, None),
    "sin": (1, 0, nd.sin, np.sin, None),
    "cos": (1, 0, nd.cos, np.cos, None),
    "tanh": (1, 0, nd.tanh, np.tanh, None),
    "sigmoid": (1, 0, nd.sigmoid, lambda a: 1 / (1 + np.exp(-a)), None),
    "exp": (1, 0, nd.exp, np.exp, None),
    "square": (1, 0, nd.square, np.square, None),
    "log": (1, 0, nd.log, np.log, _guard_positive),
    "sqrt": (1, 0, nd.sqrt, np.sqrt, _guard_positive),
    "abs": (1, 0, nd.abs, np.abs, lambda a: _away(a, [0.0], 1e-3)),
    "relu": (1, 0, nd.relu, lambda a: np.maximum(a, 0), lambda a: _away(a, [0.0], 1e-3)),
    "clip": (1, 0, lambda a: nd.clip(a, -0.8, 0.9), lambda a: np.clip(a, -0.8, 0.9),
             lambda a: _away(a, [-0.8, 0.9], 1e-3)),
    "sum": (1, 1, lambda a, k: nd.sum(a, axis=_axis(a, k)),
            lambda a, k: _full1(np.sum(a, axis=_axis(a, k))), None),
    "sum_all": (1, 0, nd.sum, lambda a: _full1(np.sum(a)), None),
    "mean": (1, 1, lambda a, k: nd.mean(a, axis=_axis(a, k), keepdims=True),
             lambda a, k: _full1(np.mean(a, axis=_axis(a, k), keepdims=True)),
             lambda a, k: None if np.size(a) else _reject("mean of nothing")),
    "max": (1, 1, lambda a, k: nd.max(a, axis=_axis(a, k)),
            lambda a, k: _full1(np.max(a, axis=_axis(a, k))),
            lambda a, k: _no_ties(a, _axis(a, k))),
    "norm": (1, 0, nd.norm, lambda a: _full1(np.sqrt(np.sum(np.square(a)))),
             lambda a: _away(np.sqrt(np.sum(np.square(a))), [0.0], 1e-2)),
    "softmax": (1, 0, lambda a: nd.softmax(a) if a.ndim else a,
                lambda a: (np.exp(a - a.max(-1, keepdims=True))
                           / np.exp(a - a.max(-1, keepdims=True)).sum(-1, keepdims=True))
                if np.ndim(a) else a, None),
    "log_softmax": (1, 0, lambda a: nd.log_softmax(a) if a.ndim else a,
                    lambda a: (a - a.max(-1, keepdims=True) - np.log(np.exp(
                        a - a.max(-1, keepdims=True)).sum(-1, keepdims=True)))
                    if np.ndim(a) else a, None),
    "transpose": (1, 0, lambda a: a.T, lambda a: np.transpose(a), None),
    "reshape": (1, 0, lambda a: a.reshape((-1,)), lambda a: np.reshape(a, (-1,)), None),
    "expand": (1, 1, lambda a, k: a.expand_dims(k % (a.ndim + 1)),
               lambda a, k: np.expand_dims(a, k % (np.ndim(a) + 1)), None),
    "flip": (1, 0, lambda a: a[::-1] if a.ndim else a, lambda a: a[::-1] if np.ndim(a) else a,
             None),
    "take": (1, 1, lambda a, k: a[[k % a.shape[0], 0]] if a.ndim and a.shape[0] else a,
             lambda a, k: a[[k % a.shape[0], 0]] if np.ndim(a) and np.shape(a)[0] else a,
             None),
    "row": (1, 1, lambda a, k: a[k % a.shape[0]] if a.ndim and a.shape[0] else a,
            lambda a, k: _full1(a[k % a.shape[0]]) if np.ndim(a) and np.shape(a)[0] else a,
            None),
    "mod": (1, 0, lambda a: a % 0.7, lambda a: np.mod(a, 0.7),
            lambda a: _away(np.mod(a, 0.7), [0.0, 0.7], 1e-3)),
    "rmod": (1, 0, lambda a: 1.3 % (a * a + 0.5), lambda a: np.mod(1.3, a * a + 0.5),
             lambda a: _away(np.mod(1.3, a * a + 0.5), [0.0], 1e-3) or _away(
                 np.mod(1.3, a * a + 0.5) - (a * a + 0.5), [0.0], 1e-3)),
    "floordiv": (1, 0, lambda a: a * (a // 0.6), lambda a: a * np.floor_divide(a, 0.6),
                 lambda a: _away(np.mod(a, 0.6), [0.0, 0.6], 1e-3)),
    "mask": (1, 0, lambda a: a[a.detach().asnumpy() > 0] if a.ndim else a,
             lambda a: a[a > 0] if np.ndim(a) else a, None),
    "newaxis": (1, 0, lambda a: a[None, ..., None], lambda a: a[None, ..., None], None),
    "bcast": (1, 1, lambda a, k: a.broadcast_to((k % 3 + 1,) + a.shape),
              lambda a, k: np.broadcast_to(a, (k % 3 + 1,) + np.shape(a)), None),
    "stack": (2, 0, lambda a, b: nd.stack(a, a * b if a.shape == (a * b).shape else a),
              lambda a, b: np.stack([a, a * b if np.shape(a) == np.shape(a * b) else a]),
              None),
    "matmul": (2, 0, lambda a, b: nd.dot(a.reshape((-1, 1)), b.reshape((1, -1))),
               lambda a, b: np.reshape(a, (-1, 1)) @ np.reshape(b, (1, -1)), None),
    "arctan": (1, 0, nd.arctan, np.arctan, None),
    "sinh": (1, 0, nd.sinh, np.sinh, None),
    "log1p": (1, 0, lambda a: nd.log1p(a * a), lambda a: np.log1p(a * a), None),
    "erf": (1, 0, nd.erf, lambda a: _erf(a), None),
    "softsign": (1, 0, nd.softsign, lambda a: a / (1 + np.abs(a)),
                 lambda a: _away(a, [0.0], 1e-3)),
    "hypot": (2, 0, nd.hypot, np.hypot,
              lambda a, b: _away(np.hypot(a, b), [0.0], 1e-2)),
    "prod": (1, 1, lambda a, k: nd.prod(a, axis=_axis(a, k)),
             lambda a, k: _full1(np.prod(a, axis=_axis(a, k))), None),
    "cumsum": (1, 1, lambda a, k: nd.cumsum(a, axis=_axis(a, k)) if a.ndim else a,
               lambda a, k: np.cumsum(a, axis=_axis(a, k)) if np.ndim(a) else a, None),
    "sort": (1, 0, lambda a: nd.sort(a) if a.ndim else a,
             lambda a: np.sort(a, axis=-1) if np.ndim(a) else a,
             lambda a: _no_ties(a, -1) if np.ndim(a) and np.shape(a)[-1] else None),
    "tile": (1, 1, lambda a, k: nd.tile(a, (k % 2 + 1, 2)),
             lambda a, k: np.tile(a, (k % 2 + 1, 2)), None),
    "repeat": (1, 1, lambda a, k: nd.repeat(a, k % 3 + 1, axis=0) if a.ndim else a,
               lambda a, k: np.repeat(a, k % 3 + 1, axis=0) if np.ndim(a) else a, None),
    "swapaxes": (1, 0, lambda a: nd.swapaxes(a, 0, a.ndim - 1) if a.ndim else a,
                 lambda a: np.swapaxes(a, 0, np.ndim(a) - 1) if np.ndim(a) else a, None),
    "activation": (1, 0, lambda a: nd.Activation(a, act_type="softrelu"),
                   lambda a: np.log1p(np.exp(a)), None),
    "elu": (1, 0, lambda a: nd.LeakyReLU(a, act_type="elu", slope=0.7),
            lambda a: np.where(a > 0, a, 0.7 * np.expm1(a)),
            lambda a: _away(a, [0.0], 1e-3)),
    "layernorm": (1, 0, lambda a: nd.LayerNorm(a, nd.ones(a.shape[-1:], dtype=a.dtype),
                                               nd.zeros(a.shape[-1:], dtype=a.dtype))
                  if a.ndim and a.shape[-1] > 1 else a,
                  lambda a: (a - a.mean(-1, keepdims=True)) / np.sqrt(
                      a.var(-1, keepdims=True) + 1e-5)
                  if np.ndim(a) and np.shape(a)[-1] > 1 else a,
                  lambda a: _reject("flat rows") if np.ndim(a) and np.shape(a)[-1] > 1 and
                  np.any(a.var(-1) < 1e-2) else None),
    "concat": (2, 0, lambda a, b: nd.concat(a.reshape((-1,)), b.reshape((-1,)), dim=0),
               lambda a, b: np.concatenate([np.reshape(a, -1), np.reshape(b, -1)]), None),
    "dot": (2, 0, lambda a, b: nd.dot(a.reshape((-1,)), b.reshape((-1,))[:a.size])
            if a.size <= b.size else nd.dot(a.reshape((-1,))[:b.size], b.reshape((-1,))),
            lambda a, b: _full1(np.dot(np.reshape(a, -1)[:min(np.size(a), np.size(b))],
                                       np.reshape(b, -1)[:min(np.size(a), np.size(b))])),
            None),
}


def _reject(why):
    raise Reject(why)


def _erf(a):
    from scipy.special import erf
    return erf(a)


def inputs(program):
    """The program's input arrays (numpy, in their layouts and dtype)."""
    dtype = np.dtype(program["dtype"])
    out = []
    for spec in program["inputs"]:
        rng = np.random.default_rng(spec["seed"])
        a = rng.uniform(-1.5, 1.5, tuple(spec["shape"])).astype(dtype)
        out.append(_layout(a, spec["layout"]))
    return out


class Invalid(Exception):
    """numpy refuses the program (shapes that do not broadcast)."""


def reference(program, xs):
    """Every value of the program in float64 numpy; checks preconditions."""
    vals = [np.asarray(x, dtype=np.float64) for x in xs]
    for name, *rest in program["steps"]:
        arity, nopt, _, ref, pre = OPS[name]
        args = [vals[i] for i in rest[:arity]] + list(rest[arity:arity + nopt])
        if arity == 2:
            try:
                np.broadcast_shapes(np.shape(args[0]), np.shape(args[1]))
            except ValueError:
                if name not in ("concat", "dot", "matmul", "stack"):   # these reshape first
                    raise Invalid(name) from None
        if pre is not None:
            pre(*args)
        with np.errstate(all="raise"):
            try:
                r = np.asarray(ref(*args), dtype=np.float64)
            except (FloatingPointError, ValueError):
                raise Reject("overflow or a domain error") from None
        if r.size and np.max(np.abs(r)) > 1e3:
            raise Reject("large values")
        vals.append(r)
    return vals


def function(program):
    """The program as a function of NDArrays (dualtape's ops)."""
    n_in = len(program["inputs"])

    def f(*xs):
        vals = [x.as_nd_ndarray() for x in xs]      # nd's semantics (numpy inputs
        # reach f as numpy-flavoured arrays)
        for name, *rest in program["steps"]:
            arity, nopt, fn, _, _ = OPS[name]
            vals.append(fn(*[vals[i] for i in rest[:arity]], *rest[arity:arity + nopt]))
        return vals[-1] if len(vals) > n_in else vals[0] * 1
    return f


def _finite_difference(program, xs, vs):
    """The float64 reference's derivative along ``vs`` by a fourth-order
    central difference; ``Reject`` where two step sizes disagree (the
    function is too steep or not smooth there for the check to mean much)."""
    def fd(h):
        def at(c):
            return reference(program, [np.asarray(x, np.float64) + c * h * v
                                       for x, v in zip(xs, vs)])[-1]
        values = [at(c) for c in (1, -1, 2, -2)]
        if len({np.shape(v) for v in values}) > 1:      # a mask selects differently
            raise Reject("the output's shape changes nearby")
        return (8 * (values[0] - values[1]) - (values[2] - values[3])) / (12 * h)
    a, b = fd(1e-3), fd(5e-4)
    if not np.allclose(a, b, rtol=1e-7, atol=1e-9):
        raise Reject("finite differences are unreliable here")
    return b


def run(program):
    """Check one program (see the module docstring)."""
    xs = inputs(program)
    f = function(program)
    try:
        ref = reference(program, xs)
    except Invalid as e:                # dualtape refuses it too, naming the shapes
        try:
            f(*[nd.array(x, dtype=x.dtype) for x in xs])
        except ValueError as err:
            assert "broadcast" in str(err), err
            return
        raise AssertionError("%s: numpy refuses these shapes, dualtape did not" % e)
    want = ref[-1]
    dtype = np.dtype(program["dtype"])
    tol = dict(rtol=1e-6, atol=1e-8) if dtype == np.float64 else dict(rtol=2e-3, atol=2e-3)

    rng = np.random.default_rng(program["tangent_seed"])
    vs = [rng.standard_normal(x.shape).astype(dtype) for x in xs]
    out, tan = dt.jvp(f, xs, vs)
    assert out.shape == want.shape, ("output shape", out.shape, want.shape)
    assert out.dtype == dtype, ("output dtype", out.dtype, dtype)     # numpy in, numpy out
    np.testing.assert_allclose(out, want, **tol, err_msg="value")

    fd = _finite_difference(program, xs, vs)
    assert tan.shape == want.shape, ("tangent shape", tan.shape, want.shape)
    np.testing.assert_allclose(tan, fd, **tol, err_msg="forward mode vs FD")

    u = rng.standard_normal(want.shape).astype(dtype)
    grads = dt.vjp(f, *xs)[1](u)
    lhs = float(np.sum(u * fd))
    rhs = sum(float(np.sum(np.asarray(g, np.float64) * v)) for g, v in zip(grads, vs))
    scale = 1 + np.sqrt(sum(np.size(v) for v in vs))
    np.testing.assert_allclose(rhs, lhs, rtol=tol["rtol"] * 10, atol=tol["atol"] * scale * 10,
                               err_msg="reverse mode: <u, J v> != <J^T u, v>")

    # the recording API gives reverse mode's gradients
    variables = [nd.array(x, dtype=dtype) for x in xs]
    for v in variables:
        v.attach_grad()
    with autograd.record():
        y = f(*variables)
    if y._node is not None:
        y.backward(nd.array(u, dtype=dtype))
    for v, g in zip(variables, grads):
        assert v.grad.shape == v.shape
        np.testing.assert_allclose(v.grad.asnumpy(), g, rtol=1e-5, atol=1e-6,
                                   err_msg="recording API vs vjp")

    _check_jit(program, f, xs, vs, u, dtype, tol)

    if dtype == np.float64 and sum(np.size(x) for x in xs) <= 12:
        dt.check_grad(f, *xs, order=2)


#: Steps that read array values in Python (dt.jit refuses to trace them).
VALUE_READING = {"mask"}


def _check_jit(program, f, xs, vs, u, dtype, tol):
    """``dt.jit`` of the value, the JVP and the VJP agree with eager execution,
    at the traced inputs and, replayed, at inputs moved a little."""
    k = len(xs)
    jobs = {"value": lambda *a: f(*a),
            "jvp": lambda *a: dt.jvp(f, a[:k], list(a[k:2 * k]))[1],
            "vjp": lambda *a: dt.vjp(f, *a[:k])[1](a[-1])}
    rng = np.random.default_rng(0)
    moved = [(x * (1 + 1e-3 * rng.uniform(-1, 1, np.shape(x)))).astype(dtype) for x in xs]
    for name, g in jobs.items():
        jg = dt.jit(g)
        for point in (xs, moved):
            args = [nd.array(a, dtype=dtype) for a in list(point) + list(vs) + [u]]
            args = args[:k] if name == "value" else args[:2 * k] if name == "jvp" \
                else args[:k] + args[-1:]
            want = g(*args)
            try:
                got = jg(*args)
            except dt.TracingError:     # the program reads values (a boolean mask)
                assert any(step[0] in VALUE_READING for step in program["steps"])
                return
            want = list(want) if isinstance(want, (tuple, list)) else [want]
            got = list(got) if isinstance(got, (tuple, list)) else [got]
            for w, r in zip(want, got):
                assert r.shape == w.shape and r.dtype == w.dtype, ("jit " + name, r.shape, w.shape)
                np.testing.assert_allclose(r.asnumpy(), w.asnumpy(), **tol,
                                           err_msg="jit %s vs eager" % name)
