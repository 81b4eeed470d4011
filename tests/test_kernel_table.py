"""Every compiled path of the ops in ``dualtape/kernel_table.py`` against the
registry's formula, on special values.

The reference is the general rule: the op's numpy primal and its registry
derivative, evaluated with the small-array C loops switched off on chunks
smaller than the kernels take.  The paths checked against it: eager
execution at sizes that take the small loops and the large-array kernels,
forward (JVP) and reverse (VJP) mode, and ``dt.jit``'s fused groups; float32
and float64; inputs that mix nan, infinities, signed zeros, subnormals,
huge and ordinary values, in every position of a vector.
"""
import numpy as np
import pytest

import dualtape as dt
from dualtape import _engine, tuning
from dualtape._engine import apply, wrap
from dualtape.kernel_table import FORMULAS
from dualtape.registry import REGISTRY

SPECIAL = [np.nan, np.inf, -np.inf, 0.0, -0.0, 5e-324, 1e-300, -1e-300, 1e300, -1e300,
           1.0, -1.0, 0.5, -2.5, 3.0, 80.0, -90.0, 700.0, -800.0]
#: the scalar parameters of the ``xs`` rows (numpy's power special-cases
#: some exponents: 0.5, 2, -1, 1, 0)
SCALARS = [2.5, -0.5, 0.0, -0.0, 0.5, 2.0, -1.0, 1.0, 3.0, np.inf, np.nan]
#: small loops, just past them (numpy or a kernel), kernels with a tail
SIZES = [17, 300, 1100]
REFERENCE_CHUNK = 128      # below tuning.KERNEL_MIN_SIZE: the general rule

assert REFERENCE_CHUNK < tuning.KERNEL_MIN_SIZE


@pytest.fixture
def general_rule():
    """A function running ``f`` with the small loops switched off."""
    def run(f):
        _engine.set_small_limits({k: (0, 0) for k in tuning.SMALL_LOOP_MAX})
        try:
            return f()
        finally:
            _engine.set_small_limits(tuning.SMALL_LOOP_MAX)
    return run


def _inputs(row, dtype, n):
    """The row's array inputs of ``n`` elements: the special values (every
    pair of them for a binary row) repeated, shifted by one per repeat so
    that each value meets every position of a vector tile."""
    v = np.array(SPECIAL)
    if row.arity == "xy":
        a, b = np.meshgrid(v, v)
        cols = [a.ravel(), b.ravel()]
    else:
        cols = [v]
    reps = -(-n // len(cols[0])) + 1
    out = []
    for c in cols:
        rolled = np.concatenate([np.roll(c, r) for r in range(reps)])[:n]
        with np.errstate(over="ignore", under="ignore"):
            out.append(np.ascontiguousarray(rolled.astype(dtype)))
    return out


def _weights(n, dtype, seed):
    return np.random.default_rng(seed).uniform(-2, 2, n).astype(dtype)


def _paths(op, params):
    """The value, JVP and VJP of the op as functions of NDArrays."""
    def value(*xs):
        return apply(op, tuple(xs), params)

    def tangent(*args):
        k = len(args) // 2
        return dt.jvp(value, args[:k], list(args[k:]))[1]

    def cotangent(*args):
        out, pull = dt.vjp(value, *args[:-1])
        r = pull(args[-1])
        return list(r) if isinstance(r, (tuple, list)) else [r]
    return {"value": value, "jvp": tangent, "vjp": cotangent}


def _chunked(f, arrays, chunk):
    """``f`` on consecutive chunks of the arrays, results concatenated."""
    n = arrays[0].shape[0]
    parts = []
    for lo in range(0, n, chunk):
        r = f(*[wrap(a[lo:lo + chunk].copy()) for a in arrays])
        parts.append([x.asnumpy() for x in (r if isinstance(r, list) else [r])])
    return [np.concatenate(p) for p in zip(*parts)]


def _assert_same(actual, expected, dtype, what, atol_scale=None):
    """nan where the reference is nan, the same infinities and signs of
    zero, finite values within a few ulp (vectorised libm against numpy's)."""
    actual, expected = np.asarray(actual), np.asarray(expected)
    assert actual.dtype == expected.dtype == dtype, what
    a, e = actual.astype(np.float64), expected.astype(np.float64)
    bad = np.isnan(a) != np.isnan(e)
    inf = np.isinf(e) | np.isinf(a)
    bad |= inf & (a != e)
    zero = (e == 0) & (a == 0)
    bad |= zero & (np.signbit(a) != np.signbit(e))
    fin = np.isfinite(a) & np.isfinite(e)
    eps = np.finfo(dtype).eps
    bound = 4 * eps * np.abs(e) + 8 * np.finfo(dtype).smallest_subnormal
    if atol_scale is not None:
        bound = bound + 4 * eps * np.abs(atol_scale.astype(np.float64))
    bad |= fin & ~(np.abs(a - e) <= bound)
    if bad.any():
        i = np.flatnonzero(bad)[:5]
        pytest.fail("%s: %d mismatches, e.g. at %s: got %s, want %s"
                    % (what, bad.sum(), i, actual[i], expected[i]))


CASES = [pytest.param(row, s, id="%s-%r" % (row.name, s) if row.arity == "xs" else row.name)
         for row in FORMULAS for s in (SCALARS if row.arity == "xs" else [None])]


@pytest.mark.parametrize("dtype", [np.float32, np.float64], ids=["f32", "f64"])
@pytest.mark.parametrize("row,scalar", CASES)
def test_compiled_paths_match_the_registry_formula(row, scalar, dtype, general_rule):
    op = REGISTRY[row.name]
    params = () if scalar is None else (scalar,)
    paths = _paths(op, params)
    kinds = ["value", "jvp", "vjp"] if op.differentiable else ["value"]
    with np.errstate(all="ignore"):
        for n in SIZES:
            xs = _inputs(row, dtype, n)
            k = len(xs)
            extra = {"value": [],
                     "jvp": [_weights(n, dtype, 1 + i) for i in range(k)],
                     "vjp": [_weights(n, dtype, 7)]}
            for kind in kinds:
                arrays = xs + extra[kind]
                f = paths[kind]
                want = general_rule(lambda: _chunked(f, arrays, REFERENCE_CHUNK))
                scale = None if kind == "value" else np.abs(np.stack(extra[kind])).sum(0)
                eager = _chunked(f, arrays, n)
                jitted = _chunked(dt.jit(f), arrays, n)
                for path, got in (("eager", eager), ("jit", jitted)):
                    for i, (g, w) in enumerate(zip(got, want)):
                        _assert_same(g, w, dtype, "%s %s %s n=%d output %d"
                                     % (row.name, kind, path, n, i), scale)


def test_every_row_is_a_registered_elementwise_op():
    for row in FORMULAS:
        op = REGISTRY[row.name]
        assert op.kind in ("elementwise", "mask"), row.name
        n_in = 2 if row.arity == "xy" else 1
        assert len(row.derivs) == n_in, row.name
