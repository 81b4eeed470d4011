"""``python -m dualtape bench [--quick] [--only W2,torch] [--json PATH] [--plot FILE]``:
time dualtape beside numpy, and beside torch, jax and HIPS autograd where they import.

The workloads are those of the shared performance anchors (W1-W7), written once
here over a math namespace ``F`` (``F.sin``, ``F.tanh``, ``F.exp``, ``F.sum``,
``F.mean``, ``F.dot``).  The asv suites in ``asv_benchmarks/`` import the same
functions, data makers and ``dt_*`` set-ups, so both tools time the same code.

Every cell is the median of several repeats (gc disabled inside a repeat) of a
thunk built outside the timing.  Its derivative is checked once against a
hand-written numpy reference ('!' in the table).  The last columns give the time
as a multiple of numpy's forward-only (primal) time of the same column;
``--plot`` draws those ratios (matplotlib, one log-scale panel per workload).
"""
import argparse
import gc
import json
import math
import os
import platform
import statistics
import sys
import time
from types import SimpleNamespace as NS

import numpy as np

perf = time.perf_counter

# --------------------------------------------------------------- workloads ---


def f_seed(F, x):                                   # W1
    return 2 * F.dot(x, x)


def f_chain(F, x):                                  # W2, W3
    return F.sum(F.tanh(F.sin(x) * x + F.exp(-x * x)) * 0.5)


def f_mlp(F, params, X, Y):                         # W4
    W1, b1, W2, b2, W3, b3 = params
    h1 = F.tanh(F.dot(X, W1) + b1)
    h2 = F.tanh(F.dot(h1, W2) + b2)
    d = F.dot(h2, W3) + b3 - Y
    return F.mean(d * d)


def f_jac(F, A, x):                                 # W5
    return F.tanh(F.dot(A, x))


def f_rosen(F, x):                                  # W6
    a, b = x[:-1], x[1:]
    d, e = b - a * a, 1 - a
    return F.sum(100 * d * d + e * e)


TAPE_CYCLE = 5


def f_tape(F, x, nops):                             # W7
    for _ in range(nops // TAPE_CYCLE):
        x = F.tanh(F.sin(x * 1.0001 + 0.001) - 0.001)
    return F.sum(x)


NP = NS(sin=np.sin, tanh=np.tanh, exp=np.exp, sum=np.sum, mean=np.mean, dot=np.dot)


# N1-N3: numpy code (F is numpy itself, jax.numpy, torch or autograd.numpy;
# dualtape runs the numpy version on its arrays through numpy's protocols)
def f_einsum(F, A, B, x):                            # N1
    return F.sum(F.einsum("ij,jk,k->i", A, B, x) ** 2)


def f_solve(F, b, A):                                # N2
    return F.sum(F.linalg.solve(A, b) ** 2)


def f_nll(F, w, X, y):                               # N3
    z = X @ w
    return F.sum(F.logaddexp(0.0, z) - y * z)


def np_einsum_grad(A, B, x):
    y = A @ (B @ x)
    return 2 * np.outer(y, B @ x)


def np_solve_grad(A, b):
    s = np.linalg.solve(A, b)
    return 2 * np.linalg.solve(A.T, s)


def np_nll_grad(w, X, y):
    return X.T @ (1 / (1 + np.exp(-(X @ w))) - y)


def data_einsum(n):
    r = np.random.default_rng(7)
    return {"A": r.standard_normal((n, n)) / n, "B": r.standard_normal((n, n)) / n,
            "x": r.standard_normal(n)}


def data_solve(n):
    r = np.random.default_rng(8)
    return {"A": r.standard_normal((n, n)) + n * np.eye(n), "b": r.standard_normal(n)}


def data_nll(n, d=10):
    r = np.random.default_rng(9)
    X = r.standard_normal((n, d))
    w = r.standard_normal(d) / d
    return {"X": X, "y": (r.uniform(size=n) < 0.5).astype(float), "w": w}


def nd_ns():
    from dualtape import nd
    return NS(sin=nd.sin, tanh=nd.tanh, exp=nd.exp, sum=nd.sum, mean=nd.mean, dot=nd.dot)


# ------------------------------------------ hand-written numpy derivatives ---

def np_chain_value_and_grad(x):
    s, g = np.sin(x), np.exp(-x * x)
    t = np.tanh(s * x + g)
    inner = np.cos(x) * x + s - 2 * x * g            # d/dx (sin(x) x + exp(-x^2))
    return 0.5 * t.sum(), 0.5 * (1 - t * t) * inner


def np_chain_jvp(x, v):
    s, g = np.sin(x), np.exp(-x * x)
    t = np.tanh(s * x + g)
    return 0.5 * t.sum(), 0.5 * np.dot(1 - t * t, (np.cos(x) * x + s - 2 * x * g) * v)


def np_mlp_value_and_grad(params, X, Y):
    W1, b1, W2, b2, W3, b3 = params
    h1 = np.tanh(X @ W1 + b1)
    h2 = np.tanh(h1 @ W2 + b2)
    d = h2 @ W3 + b3 - Y
    g3 = (d * (2.0 / d.size)).astype(X.dtype)        # d loss / d output
    g2 = (g3 @ W3.T) * (1 - h2 * h2)                 # ... / d pre-activation 2
    g1 = (g2 @ W2.T) * (1 - h1 * h1)
    grads = [X.T @ g1, g1.sum(0, keepdims=True), h1.T @ g2, g2.sum(0, keepdims=True),
             h2.T @ g3, g3.sum(0, keepdims=True)]
    return np.mean(d * d), grads


def np_jac(A, x):
    t = np.tanh(A @ x)
    return (1 - t * t)[:, None] * A


def np_rosen_hvp(x, v):
    a, b = x[:-1], x[1:]
    hv = np.zeros_like(x)                            # tridiagonal Hessian times v
    hv[:-1] += (1200 * a * a - 400 * b + 2) * v[:-1] - 400 * a * v[1:]
    hv[1:] += 200 * v[1:] - 400 * a * v[:-1]
    return hv


def py_tape_grad(x0, nops):
    x, d = float(x0), 1.0
    for _ in range(nops // TAPE_CYCLE):
        u = x * 1.0001 + 0.001
        x = math.tanh(math.sin(u) - 0.001)
        d *= 1.0001 * math.cos(u) * (1 - x * x)
    return np.array([d])


# -------------------------------------------------------------------- data ---

def data_seed(p=None):
    return {"x": np.arange(4, dtype=np.float32)}


def data_chain(n):
    r = np.random.default_rng(2)
    return {"x": r.standard_normal(n), "v": r.standard_normal(n)}


def data_mlp(p=None, batch=64, width=256):
    r = np.random.default_rng(4)
    w = lambda: (r.standard_normal((width, width)) / math.sqrt(width)).astype(np.float32)
    b = lambda: (0.1 * r.standard_normal((1, width))).astype(np.float32)
    return {"params": [w(), b(), w(), b(), w(), b()],
            "X": r.standard_normal((batch, width)).astype(np.float32),
            "Y": r.standard_normal((batch, width)).astype(np.float32)}


def data_jac(p):
    n, m = p
    r = np.random.default_rng(5)
    return {"A": r.standard_normal((m, n)) / math.sqrt(n), "x": r.standard_normal(n)}


def data_rosen(n):
    r = np.random.default_rng(6)
    return {"x": 1.0 + 0.5 * r.standard_normal(n), "v": r.standard_normal(n)}


def data_tape(nops):
    return {"x": np.array([0.5]), "nops": nops}


# ------------------------- dualtape set-ups: (param, data) -> thunk -> derivative ---

def _arr(a):
    from dualtape import nd
    return nd.array(a, dtype=a.dtype)


def _facade(fn, *leaves):
    """MXNet style: attach grads, record ``fn()``, backward, return the grads."""
    from dualtape import autograd
    for t in leaves:
        t.attach_grad()

    def thunk():
        with autograd.record():
            y = fn()
        y.backward()
        return [t.grad for t in leaves] if len(leaves) > 1 else leaves[0].grad
    return thunk


def dt_seed(p, d):
    F, x = nd_ns(), _arr(d["x"])
    return _facade(lambda: f_seed(F, x), x)


def dt_chain_facade(p, d):
    F, x = nd_ns(), _arr(d["x"])
    return _facade(lambda: f_chain(F, x), x)


def dt_chain_grad(p, d, mode="reverse"):
    import dualtape
    if mode == "forward" and d["x"].size > 1000:
        raise NotImplementedError("grad(mode='forward') pushes n basis tangents of n values")
    F, x = nd_ns(), _arr(d["x"])
    g = dualtape.grad(lambda x: f_chain(F, x), mode=mode)
    return lambda: g(x)


def dt_chain_jvp(p, d):
    import dualtape
    F, x, v = nd_ns(), _arr(d["x"]), _arr(d["v"])
    f = lambda x: f_chain(F, x)
    return lambda: dualtape.jvp(f, (x,), (v,))[1]


def dt_mlp(p, d):
    F, X, Y = nd_ns(), _arr(d["X"]), _arr(d["Y"])
    ps = [_arr(a) for a in d["params"]]
    return _facade(lambda: f_mlp(F, ps, X, Y), *ps)


def dt_jacobian(p, d, mode="auto", return_mode=False):
    import dualtape
    F, A, x = nd_ns(), _arr(d["A"]), _arr(d["x"])
    j = dualtape.jacobian(lambda x: f_jac(F, A, x), mode=mode, return_mode=return_mode)
    return lambda: j(x)


def dt_hvp(p, d):
    import dualtape
    F, x, v = nd_ns(), _arr(d["x"]), _arr(d["v"])
    f = lambda x: f_rosen(F, x)
    return lambda: dualtape.hvp(f, x, v)


def dt_tape_record(nops):
    """A function recording ``nops`` scalar ops; returns (leaf, output)."""
    from dualtape import autograd
    F = nd_ns()

    def record():
        x = _arr(np.array([0.5]))
        x.attach_grad()
        with autograd.record():
            y = f_tape(F, x, nops)
        return x, y
    return record


def dt_tape(p, d):
    record = dt_tape_record(d["nops"])

    def thunk():
        x, y = record()
        y.backward()
        return x.grad
    return thunk


# ------------------------------------------------------ workload registry ---

def dt_numpy_grad(f, argkey, *rest):
    """dualtape.grad of numpy-written ``f(F=numpy, ...)`` w.r.t. ``argkey``:
    numpy arrays in, numpy out (the protocols route numpy's calls)."""
    import dualtape as dt

    def setup(p, d):
        g = dt.grad(lambda a, *others: f(np, a, *others))
        return lambda: g(d[argkey], *[d[k] for k in rest])
    return setup


def dt_jit_cases():
    """dt.jit rows of W1-W6: the transform traced once, then replayed."""
    import dualtape as dt
    from dualtape import nd
    J, F = dt.jit, nd_ns()

    def seed(p, d):
        g, x = J(dt.grad(lambda x: f_seed(F, x))), _arr(d["x"])
        return lambda: g(x)

    def chain(p, d):
        g, x = J(dt.grad(lambda x: f_chain(F, x))), _arr(d["x"])
        return lambda: g(x)

    def chain_jvp(p, d):
        g = J(lambda x, v: dt.jvp(lambda x: f_chain(F, x), (x,), (v,))[1])
        x, v = _arr(d["x"]), _arr(d["v"])
        return lambda: g(x, v)

    def mlp(p, d):
        ps = [_arr(a) for a in d["params"]]
        X, Y = _arr(d["X"]), _arr(d["Y"])
        g = J(dt.grad(lambda X, Y, *ps: f_mlp(F, list(ps), X, Y),
                      argnums=tuple(range(2, 2 + len(ps)))))
        return lambda: g(X, Y, *ps)

    def jac(p, d):
        j = J(dt.jacobian(lambda x, A: f_jac(F, A, x), mode="auto"))
        x, A = _arr(d["x"]), _arr(d["A"])
        return lambda: j(x, A)

    def hvp(p, d):
        h = J(lambda x, v: dt.hvp(lambda x: f_rosen(F, x), x, v))
        x, v = _arr(d["x"]), _arr(d["v"])
        return lambda: h(x, v)
    return {"W1": [("jit", seed)], "W2": [("jit", chain)], "W3": [("jit jvp", chain_jvp)],
            "W4": [("jit", mlp)], "W5": [("jit jacobian mode=auto", jac)], "W6": [("jit hvp", hvp)]}


def _numpy_cases():
    return {
        "N1": [("primal", lambda p, d: lambda: f_einsum(np, d["A"], d["B"], d["x"])),
               ("f+grad (hand)", lambda p, d: lambda: np_einsum_grad(d["A"], d["B"], d["x"]))],
        "N2": [("primal", lambda p, d: lambda: f_solve(np, d["b"], d["A"])),
               ("f+grad (hand)", lambda p, d: lambda: np_solve_grad(d["A"], d["b"]))],
        "N3": [("primal", lambda p, d: lambda: f_nll(np, d["w"], d["X"], d["y"])),
               ("f+grad (hand)", lambda p, d: lambda: np_nll_grad(d["w"], d["X"], d["y"]))],
        "W1": [("fwd only", lambda p, d: lambda: f_seed(NP, d["x"]))],
        "W2": [("primal", lambda p, d: lambda: f_chain(NP, d["x"])),
               ("f+grad (hand)", lambda p, d: lambda: np_chain_value_and_grad(d["x"])[1])],
        "W3": [("primal", lambda p, d: lambda: f_chain(NP, d["x"])),
               ("f+jvp (hand)", lambda p, d: lambda: np_chain_jvp(d["x"], d["v"])[1])],
        "W4": [("fwd loss", lambda p, d: lambda: f_mlp(NP, d["params"], d["X"], d["Y"])),
               ("f+grad (hand)", lambda p, d: lambda: np_mlp_value_and_grad(d["params"], d["X"], d["Y"])[1])],
        "W5": [("primal", lambda p, d: lambda: f_jac(NP, d["A"], d["x"])),
               ("jac (hand)", lambda p, d: lambda: np_jac(d["A"], d["x"]))],
        "W6": [("primal", lambda p, d: lambda: f_rosen(NP, d["x"])),
               ("hvp (hand)", lambda p, d: lambda: np_rosen_hvp(d["x"], d["v"]))],
        "W7": [("fwd only", lambda p, d: lambda: f_tape(NP, d["x"], p))],
    }


def _dualtape_cases():
    jac = [("jacobian mode=%s" % m, lambda p, d, m=m: dt_jacobian(p, d, m))
           for m in ("forward", "reverse", "auto")]
    return {
        "W1": [("nd facade", dt_seed)], "W4": [("nd facade", dt_mlp)], "W5": jac,
        "W2": [("nd facade", dt_chain_facade), ("grad(mode=reverse)", dt_chain_grad),
               ("grad(mode=forward)", lambda p, d: dt_chain_grad(p, d, "forward"))],
        "W3": [("jvp", dt_chain_jvp)], "W6": [("hvp", dt_hvp)], "W7": [("nd facade", dt_tape)],
        "N1": [("grad of numpy code", dt_numpy_grad(f_einsum, "A", "B", "x"))],
        "N2": [("grad of numpy code", dt_numpy_grad(f_solve, "b", "A"))],
        "N3": [("grad of numpy code", dt_numpy_grad(f_nll, "w", "X", "y"))],
    }


def _torch_cases():
    import torch
    from torch.func import grad, jacfwd, jacrev, jvp
    T = NS(sin=torch.sin, tanh=torch.tanh, exp=torch.exp, sum=torch.sum, mean=torch.mean,
           dot=torch.matmul)
    t = lambda a, rg=False: torch.tensor(a, requires_grad=rg)

    def eager(fn, *leaves):
        def thunk():
            for x in leaves:
                x.grad = None
            fn().backward()
            return [x.grad for x in leaves] if len(leaves) > 1 else leaves[0].grad
        return thunk

    def mlp(p, d):
        ps = [t(a, True) for a in d["params"]]
        X, Y = t(d["X"]), t(d["Y"])
        return eager(lambda: f_mlp(T, ps, X, Y), *ps)

    def jac(how):
        return lambda p, d: (lambda j=how(lambda x, A=t(d["A"]): f_jac(T, A, x)), x=t(d["x"]): j(x))
    def rev(f, key):
        return lambda p, d: (lambda x: eager(lambda: f(T, x), x))(t(d[key], True))

    def tape(p, d):
        def thunk():
            x = t(d["x"], True)
            f_tape(T, x, p).backward()
            return x.grad
        return thunk
    return {
        "W1": [("eager", rev(f_seed, "x"))], "W2": [("eager", rev(f_chain, "x"))],
        "W3": [("func.jvp", lambda p, d, f=lambda x: f_chain(T, x):
                (lambda x=t(d["x"]), v=t(d["v"]): jvp(f, (x,), (v,))[1]))],
        "W4": [("eager", mlp)], "W5": [("jacfwd", jac(jacfwd)), ("jacrev", jac(jacrev))],
        "W6": [("fwd-over-rev", lambda p, d, g=grad(lambda x: f_rosen(T, x)):
                (lambda x=t(d["x"]), v=t(d["v"]): jvp(g, (x,), (v,))[1]))],
        "W7": [("eager", tape)],
        "N1": [("eager", _peer_grad(torch.func.grad, torch, f_einsum, t, "A", "B", "x"))],
        "N2": [("eager", _peer_grad(torch.func.grad, torch, f_solve, t, "b", "A"))],
        "N3": [("eager", _peer_grad(torch.func.grad, torch, f_nll, t, "w", "X", "y"))],
    }


def _peer_grad(grad, F, f, convert, *keys, jit=None, ready=lambda r: r):
    """A peer's gradient of numpy-style ``f(F, ...)`` w.r.t. its first array."""
    def setup(p, d):
        g = grad(lambda a, *rest: f(F, a, *rest))
        g = jit(g) if jit is not None else g
        args = [convert(d[k]) for k in keys]
        return lambda: ready(g(*args))
    return setup


def _jax_cases():
    os.environ.setdefault("JAX_PLATFORMS", "cpu")
    import jax
    jax.config.update("jax_enable_x64", True)
    J = NS(sin=jax.numpy.sin, tanh=jax.numpy.tanh, exp=jax.numpy.exp, sum=jax.numpy.sum,
           mean=jax.numpy.mean, dot=jax.numpy.dot)
    ready = lambda r: jax.block_until_ready(r)

    def jit(fn, *keys):
        def setup(p, d):
            f = jax.jit(fn)
            args = [jax.numpy.asarray(d[k]) if k != "params" else [jax.numpy.asarray(a) for a in d[k]]
                    for k in keys]
            return lambda: ready(f(*args))
        return setup
    jac = lambda how: jit(lambda A, x: how(lambda x: f_jac(J, A, x))(x), "A", "x")
    return {
        "W1": [("jit grad", jit(jax.grad(lambda x: f_seed(J, x)), "x"))],
        "W2": [("jit grad", jit(jax.grad(lambda x: f_chain(J, x)), "x"))],
        "W3": [("jit jvp", jit(lambda x, v: jax.jvp(lambda x: f_chain(J, x), (x,), (v,))[1], "x", "v"))],
        "W4": [("jit grad", jit(jax.grad(lambda ps, X, Y: f_mlp(J, ps, X, Y)), "params", "X", "Y"))],
        "W5": [("jit jacfwd", jac(jax.jacfwd)), ("jit jacrev", jac(jax.jacrev))],
        "W6": [("jit fwd-over-rev", jit(lambda x, v: jax.jvp(jax.grad(lambda x: f_rosen(J, x)), (x,), (v,))[1],
                                        "x", "v"))],
        "N1": [("jit grad", _peer_grad(jax.grad, jax.numpy, f_einsum, jax.numpy.asarray,
                                       "A", "B", "x", jit=jax.jit, ready=ready))],
        "N2": [("jit grad", _peer_grad(jax.grad, jax.numpy, f_solve, jax.numpy.asarray,
                                       "b", "A", jit=jax.jit, ready=ready))],
        "N3": [("jit grad", _peer_grad(jax.grad, jax.numpy, f_nll, jax.numpy.asarray,
                                       "w", "X", "y", jit=jax.jit, ready=ready))],
    }                                   # W7: jit of a 10,000-op Python loop only measures XLA's compiler


def _autograd_cases():
    import autograd
    import autograd.numpy as anp
    A_ = NS(sin=anp.sin, tanh=anp.tanh, exp=anp.exp, sum=anp.sum, mean=anp.mean, dot=anp.dot)
    g = lambda f, *keys: (lambda p, d, gf=autograd.grad(f): (lambda: gf(*[d[k] for k in keys])))
    return {
        "W1": [("grad", g(lambda x: f_seed(A_, x), "x"))],
        "W2": [("grad", g(lambda x: f_chain(A_, x), "x"))],
        "W3": [("make_jvp", lambda p, d, j=autograd.make_jvp(lambda x: f_chain(A_, x)):
                (lambda: j(d["x"])(d["v"])[1]))],
        "W4": [("grad", g(lambda ps, X, Y: f_mlp(A_, ps, X, Y), "params", "X", "Y"))],
        "W5": [("jacobian (rev)", lambda p, d: (lambda j=autograd.jacobian(lambda x: f_jac(A_, d["A"], x)): j(d["x"])))],
        "W6": [("hvp (rev-over-rev)", lambda p, d, h=autograd.hessian_vector_product(lambda x: f_rosen(A_, x)):
                (lambda: h(d["x"], d["v"])))],
        "W7": [("grad", lambda p, d: (lambda gf=autograd.grad(lambda x: f_tape(A_, x, p)): gf(d["x"])))],
        "N1": [("grad", _peer_grad(autograd.grad, anp, f_einsum, np.asarray, "A", "B", "x"))],
        "N2": [("grad", _peer_grad(autograd.grad, anp, f_solve, np.asarray, "b", "A"))],
        "N3": [("grad", _peer_grad(autograd.grad, anp, f_nll, np.asarray, "w", "X", "y"))],
    }


PEERS = {"torch": _torch_cases, "jax": _jax_cases, "autograd": _autograd_cases}

WORKLOADS = {   # title, params (full), params (quick), data, reference derivative, rtol
    "W1": NS(title="seed: y = 2*dot(x,x), x = arange(4) f32, record + backward", params=[4], quick=[4],
             data=data_seed, ref=lambda p, d: 4 * d["x"], rtol=1e-5),
    "W2": NS(title="chain reverse: grad of sum(tanh(sin(x)*x + exp(-x*x)) * 0.5), f64",
             params=[16, 1000, 10**5, 10**6], quick=[16, 1000, 10**5], data=data_chain,
             ref=lambda p, d: np_chain_value_and_grad(d["x"])[1], rtol=1e-7),
    "W3": NS(title="chain forward: JVP of the same f along a random v, f64",
             params=[16, 1000, 10**5, 10**6], quick=[16, 1000, 10**5], data=data_chain,
             ref=lambda p, d: np_chain_jvp(d["x"], d["v"])[1], rtol=1e-7),
    "W4": NS(title="MLP: 3 tanh layers, batch 64, width 256, f32; grad w.r.t. 6 params",
             params=["64x256"], quick=["64x256"], data=data_mlp,
             ref=lambda p, d: np_mlp_value_and_grad(d["params"], d["X"], d["Y"])[1], rtol=2e-3),
    "W5": NS(title="Jacobian of tanh(A@x), A (m x n) f64; size = (n, m)",
             params=[(4, 1000), (1000, 4), (100, 100)], quick=[(4, 1000), (1000, 4), (100, 100)],
             data=data_jac, ref=lambda p, d: np_jac(d["A"], d["x"]), rtol=1e-7),
    "W6": NS(title="Hessian-vector product of Rosenbrock, f64", params=[10**4, 10**5],
             quick=[10**4, 10**5], data=data_rosen, ref=lambda p, d: np_rosen_hvp(d["x"], d["v"]), rtol=1e-7),
    "W7": NS(title="scalar tape: 10,000 shape-(1,) f64 ops recorded + backward; time PER OP",
             params=[10000], quick=[10000], data=data_tape, ref=lambda p, d: py_tape_grad(0.5, p), rtol=1e-7),
    "N1": NS(title="numpy code: grad of sum(einsum('ij,jk,k->i', A, B, x)**2) w.r.t. A, f64",
             params=[64, 256], quick=[64], data=data_einsum,
             ref=lambda p, d: np_einsum_grad(d["A"], d["B"], d["x"]), rtol=1e-7),
    "N2": NS(title="numpy code: grad of sum(linalg.solve(A, b)**2) w.r.t. b, f64",
             params=[64, 256], quick=[64], data=data_solve,
             ref=lambda p, d: np_solve_grad(d["A"], d["b"]), rtol=1e-7),
    "N3": NS(title="numpy code: grad of a logistic log-likelihood (logaddexp) w.r.t. w, f64",
             params=[1000, 10**5], quick=[1000], data=data_nll,
             ref=lambda p, d: np_nll_grad(d["w"], d["X"], d["y"]), rtol=1e-7),
}

MODES = {"full": NS(min_time=0.05, repeats=7, max_cell=3.0),
         "quick": NS(min_time=0.005, repeats=5, max_cell=0.25)}

# ---------------------------------------------------------------- measuring ---


def to_numpy(r):
    if isinstance(r, (list, tuple)):
        return [to_numpy(a) for a in r]
    for attr in ("asnumpy", "detach"):
        if hasattr(r, attr):
            return r.asnumpy() if attr == "asnumpy" else r.detach().numpy()
    return np.asarray(r)


def check(result, ref, rtol):
    got, want = to_numpy(result), ref
    pairs = zip(got, want) if isinstance(want, list) else [(got, want)]
    for g, w in pairs:
        g, w = np.asarray(g, np.float64).reshape(np.shape(w)), np.asarray(w, np.float64)
        if not np.allclose(g, w, rtol=rtol, atol=rtol * max(1.0, np.abs(w).max())):
            return "max abs err %.2e" % np.abs(g - w).max()
    return "ok"


def measure(thunk, cfg):
    """The first call (its result is checked), then the median time per call over
    up to ``cfg.repeats`` repeats of ``number`` calls each, gc disabled inside a
    repeat; ``number`` makes a repeat last about ``cfg.min_time``, and slow cells
    get fewer repeats (at least two, counting the calibration call)."""
    t0 = perf()
    result = thunk()
    first = perf() - t0
    t0 = perf()
    thunk()
    one = perf() - t0
    number = max(1, int(cfg.min_time / max(one, 1e-7)))
    times = [one] if number == 1 else []
    repeats = max(2 - len(times), min(cfg.repeats, int(cfg.max_cell / (one * number))) - len(times))
    for _ in range(repeats):
        gc.disable()
        try:
            t0 = perf()
            for _ in range(number):
                thunk()
            times.append((perf() - t0) / number)
        finally:
            gc.enable()
    return result, statistics.median(times), first


def fmt_t(s):
    for unit, scale in (("s", 1), ("ms", 1e-3), ("us", 1e-6)):
        if s >= scale:
            return "%.3g %s" % (s / scale, unit)
    return "%.3g ns" % (s * 1e9)


def size_label(p):
    if isinstance(p, tuple):
        return "(%d,%d)" % p
    return "n=1e%d" % round(math.log10(p)) if isinstance(p, int) and p >= 1000 else str(p)


def plot_ratios(results, path):
    """Draw the ratios of one run, one panel per workload, and save to ``path``.

    Parameters
    ----------
    results : list of dict
        The run's cells (``workload``, ``size``, ``impl``, ``variant`` and, for
        a timed cell, ``ratio``); numpy's first cell of a size is the baseline.
    path : str
        The file to write; its extension picks the format (png, svg, pdf...).

    Returns
    -------
    matplotlib.figure.Figure
    """
    from matplotlib.figure import Figure
    from matplotlib.ticker import FuncFormatter, NullFormatter
    plain = FuncFormatter(lambda v, _: "%g" % v)
    wids = [w for w in WORKLOADS if any(r["workload"] == w for r in results)]
    ncols = min(3, len(wids))
    nrows = -(-len(wids) // ncols)
    fig = Figure(figsize=(5.2 * ncols, 4.0 * nrows), layout="constrained")
    for k, wid in enumerate(wids):
        ax = fig.add_subplot(nrows, ncols, k + 1)
        rows = [r for r in results if r["workload"] == wid]
        sizes = list(dict.fromkeys(r["size"] for r in rows))
        series = {}
        for r in rows:
            if "ratio" in r and r.get("check") != "baseline":
                series.setdefault("%s %s" % (r["impl"], r["variant"]), []).append(
                    (sizes.index(r["size"]), r["ratio"]))
        ax.axhline(1.0, color="0.6", lw=1, ls="--", label="numpy forward only (= 1)")
        for label, pts in series.items():
            xs, ys = zip(*pts)
            ax.plot(xs, ys, marker="o", label=label)
        ax.set_yscale("log")
        lo, hi = ax.get_ylim()
        ax.yaxis.set_major_formatter(plain)
        ax.yaxis.set_minor_formatter(plain if hi / lo < 10 else NullFormatter())   # < 1 decade
        ax.set_xticks(range(len(sizes)), sizes)
        ax.set_xlim(-0.5, len(sizes) - 0.5)
        ax.set_title("%s  %s" % (wid, WORKLOADS[wid].title.split(":")[0]), fontsize=10)
        ax.set_ylabel("time / numpy forward time")
        ax.grid(True, which="both", axis="y", alpha=0.3)
        ax.legend(fontsize=7)
    fig.savefig(path)
    return fig


def _plot_check(path):
    """None if ``--plot path`` can be written, else the error to print."""
    try:
        from matplotlib.backend_bases import FigureCanvasBase
    except ImportError:
        return "dualtape bench --plot needs matplotlib: pip install matplotlib"
    ext = os.path.splitext(path)[1].lstrip(".").lower()
    kinds = FigureCanvasBase.get_supported_filetypes()
    if ext not in kinds:
        return "dualtape bench --plot: cannot write %r; use a file ending in %s" % (
            path, ", ".join("." + k for k in sorted(kinds)))
    return None


def main(argv=None):
    ap = argparse.ArgumentParser(prog="python -m dualtape bench",
                                 description=" ".join(__doc__.split("\n\n")[0].split()).split("``: ", 1)[1])
    ap.add_argument("--quick", action="store_true", help="fewer sizes and repeats (< 1 min)")
    ap.add_argument("--only", default="", help="comma list of workloads (W1..W7) and/or frameworks")
    ap.add_argument("--json", metavar="PATH", help="also write the results as JSON")
    ap.add_argument("--plot", metavar="FILE", help="also draw the ratios (matplotlib; .png, .svg, .pdf...)")
    args = ap.parse_args(argv)
    if args.plot:
        problem = _plot_check(args.plot)
        if problem:
            print(problem, file=sys.stderr)
            return 1
    try:
        from tqdm import tqdm
    except ImportError:
        print('dualtape bench needs tqdm: pip install "dualtape[bench]"', file=sys.stderr)
        return 1
    import dualtape
    mode = "quick" if args.quick else "full"
    cfg = MODES[mode]
    only = [s.strip() for s in args.only.split(",") if s.strip()]
    wsel = {s.upper() for s in only if s.upper() in WORKLOADS}
    fsel = [s for s in only if s.upper() not in WORKLOADS]

    cases, unavailable = {}, {}
    sources = [("numpy", _numpy_cases), ("dualtape", _dualtape_cases),
               ("dualtape.jit", dt_jit_cases)] + list(PEERS.items())
    for name, make in sources:
        if fsel and name not in ("numpy",) + tuple(fsel):
            continue
        try:
            for wid, rows in make().items():
                cases.setdefault(wid, []).extend((name, var, setup) for var, setup in rows)
        except Exception as e:   # ImportError, or a binary built for another numpy
            unavailable[name] = "%s: %s" % (type(e).__name__, str(e).splitlines()[0][:80] if str(e) else "")

    todo = [(wid, p) for wid, W in WORKLOADS.items() if not wsel or wid in wsel
            for p in (W.quick if args.quick else W.params)]
    results, auto_pick = [], {}
    with tqdm(total=sum(len(cases.get(w, [])) for w, _ in todo), unit="cell", file=sys.stderr) as bar:
        for wid, p in todo:
            W = WORKLOADS[wid]
            d = W.data(p)
            ref = W.ref(p, d)
            base = None
            for impl, var, setup in cases.get(wid, []):
                bar.set_description("%s %s %s" % (wid, size_label(p), impl))
                rec = dict(workload=wid, size=size_label(p), impl=impl, variant=var)
                try:
                    res, med, first = measure(setup(p, d), cfg)
                    rec.update(median=med, first=first,
                               check="baseline" if impl == "numpy" and base is None else check(res, ref, W.rtol))
                    base = med if base is None else base
                    rec["ratio"] = med / base
                except NotImplementedError as e:
                    rec["skipped"] = str(e)
                except Exception as e:  # noqa: BLE001 - one failing cell must not end the run
                    rec["error"] = "%s: %s" % (type(e).__name__, e)
                results.append(rec)
                bar.update()
            if wid == "W5" and "dualtape" in dict.fromkeys(c[0] for c in cases.get(wid, [])):
                auto_pick[size_label(p)] = dt_jacobian(p, d, "auto", return_mode=True)()[1]

    lines = ["dualtape %s bench (%s)  numpy %s  python %s  %s cpus  %s" % (
        dualtape.__version__, mode, np.__version__, platform.python_version(), os.cpu_count(),
        time.strftime("%Y-%m-%d %H:%M"))]
    lines += ["unavailable: %s (%s)" % kv for kv in unavailable.items()]
    lines.append("median of repeats (gc off); 'x np-fwd' = time / numpy forward-only time of the same "
                 "size; W7 times are per op; '!' = derivative differs from the numpy reference")
    hdr = "  %-9s %-10s %-22s %-10s %10s %9s" % ("size", "impl", "variant", "check", "median", "x np-fwd")
    for wid, W in WORKLOADS.items():
        rows = [r for r in results if r["workload"] == wid]
        if not rows:
            continue
        lines += ["", "%s  %s" % (wid, W.title), hdr]
        per = 10000 if wid == "W7" else 1
        for r in rows:
            if "median" in r:
                flag = r["check"] if r["check"] in ("ok", "baseline") else "! " + r["check"]
                cells = (fmt_t(r["median"] / per), "x%.2f" % r["ratio"])
            else:
                flag, cells = ("skipped", ("-", "-")) if "skipped" in r else ("ERROR", ("-", "-"))
            lines.append("  %-9s %-10s %-22s %-10s %10s %9s" % ((r["size"], r["impl"], r["variant"], flag) + cells))
            if "error" in r or r.get("check") not in (None, "ok", "baseline"):
                lines.append("      ! %s" % (r.get("error") or r["check"])[:150])
    if auto_pick:
        lines += ["", "W5 dualtape jacobian: faster mode vs the mode auto picked"]
        for size, picked in auto_pick.items():
            t = {r["variant"].split("=")[1]: r["median"] for r in results if r["workload"] == "W5"
                 and r["size"] == size and r["impl"] == "dualtape" and "median" in r}
            if "forward" in t and "reverse" in t:
                win = min(("forward", "reverse"), key=t.get)
                lines.append("  %-11s forward %9s  reverse %9s  -> %s wins by x%.2f; auto picked %s%s" % (
                    size, fmt_t(t["forward"]), fmt_t(t["reverse"]), win,
                    max(t["forward"], t["reverse"]) / min(t["forward"], t["reverse"]), picked,
                    "" if picked == win else "  (not the faster one)"))
    print("\n".join(lines))
    if args.json:
        with open(args.json, "w") as fh:
            json.dump(dict(mode=mode, dualtape=dualtape.__version__, numpy=np.__version__,
                           unavailable=unavailable, results=results, auto_pick=auto_pick), fh, indent=1)
    if args.plot:
        plot_ratios(results, args.plot)
    return 0
