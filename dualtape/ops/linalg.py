"""Matrix products.  One primitive, ``matmul`` (numpy semantics on operands of
two or more axes, leading axes broadcast), carries the rules; ``dot`` and
``batch_dot`` are built on it with reshapes and transposes."""
import numpy as np

from .._engine import NDArray, apply
from ..registry import defop
from .convert import as_nd, same_dtype
from .reduction import SUM
from .elementwise import MULTIPLY, _np_lift
from .structural import _reshape, _sum_to_primal, fit, lift, sum_to, swap_last, transpose


def _matmul_jvp(ts, ans, xs):
    (ta, tb), (a, b) = ts, xs
    out = None
    if ta is not None:
        out = apply(MATMUL, (lift(ta, a.ndim, ans.ndim), b))
    if tb is not None:
        term = apply(MATMUL, (a, lift(tb, b.ndim, ans.ndim)))
        out = term if out is None else out + term
    return fit(out, ans)


def _matmul_vjp(g, ans, xs, needs):
    a, b = xs
    nb = g.ndim - ans.ndim
    ga = sum_to(apply(MATMUL, (g, swap_last(b))), a.shape, nb) if needs[0] else None
    gb = sum_to(apply(MATMUL, (swap_last(a), g)), b.shape, nb) if needs[1] else None
    return (ga, gb)


def _swap(a):
    return np.swapaxes(a, -1, -2)


def _mm(a, b):
    """``np.matmul`` that turns a stack of matrices times one matrix (the
    shape batched tangents and cotangents give) into a single BLAS product
    instead of one small product per matrix."""
    if b.ndim == 2 and a.ndim > 2:
        return (a.reshape(-1, a.shape[-1]) @ b).reshape(a.shape[:-1] + b.shape[-1:])
    if a.ndim == 2 and b.ndim > 2:
        moved = np.moveaxis(b, -2, 0)                   # (n, ..., p)
        out = (a @ moved.reshape(b.shape[-2], -1)).reshape((a.shape[0],) + moved.shape[1:])
        return np.moveaxis(out, 0, -2)
    return np.matmul(a, b)


def _matmul_fast_jvp(ts, xs):
    (ta, tb), (a, b) = ts, xs
    y = np.matmul(a, b)
    out = None
    if ta is not None:
        out = _mm(_np_lift(ta, a.ndim, y.ndim), b)
    if tb is not None:
        term = _mm(a, _np_lift(tb, b.ndim, y.ndim))
        out = term if out is None else out + term
    nb = out.ndim - y.ndim
    return y, np.broadcast_to(out, out.shape[:nb] + y.shape)


def _matmul_fast_vjp(g, ans, xs, needs):
    a, b = xs
    nb = g.ndim - ans.ndim
    return (_sum_to_primal(_mm(g, _swap(b)), a.shape, nb) if needs[0] else None,
            _sum_to_primal(_mm(_swap(a), g), b.shape, nb) if needs[1] else None)


MATMUL = defop("matmul", np.matmul, jvp=_matmul_jvp, vjp=_matmul_vjp, kind="bilinear",
               fast_jvp=_matmul_fast_jvp, fast_vjp=_matmul_fast_vjp,
               samples=lambda rng: [
                   ([rng.standard_normal((2, 3)), rng.standard_normal((3, 4))], ()),
                   ([rng.standard_normal((2, 2, 3)), rng.standard_normal((3, 2))], ()),
                   ([rng.standard_normal((1, 3)), rng.standard_normal((3, 1))], ())])


def dot(a, b, transpose_a=False, transpose_b=False):
    """MXNet's ``dot``: contract the last axis of ``a`` with the first of ``b``.

    Vector·vector gives shape ``(1,)``.  ``transpose_a``/``transpose_b``
    reverse the axes of an operand first.
    """
    if type(a) is NDArray and type(b) is NDArray and not (transpose_a or transpose_b):
        da, db = a._data, b._data
        if da.ndim == 1 and da.shape == db.shape and da.dtype == db.dtype:
            # vector . vector: two recorded ops instead of reshapes and a matmul
            return apply(SUM, (apply(MULTIPLY, (a, b)),), ((0,), False))
    if not isinstance(a, NDArray):
        a = as_nd(a, b if isinstance(b, NDArray) else None)
    b = as_nd(b, a)
    same_dtype("dot", a, b)
    if a.ndim == 0 or b.ndim == 0:      # numpy: a scalar operand scales the other
        return a * b
    if transpose_a:
        a = transpose(a)
    if transpose_b:
        b = transpose(b)
    if a.shape[-1] != b.shape[0]:
        raise ValueError("dot: shapes %s and %s do not align (%d != %d)"
                         % (a.shape, b.shape, a.shape[-1], b.shape[0]))
    if a.ndim == 1 and b.ndim == 1:
        return apply(SUM, (a * b,), ((0,), False))
    out_shape = a.shape[:-1] + b.shape[1:]
    n = a.shape[-1]
    a2 = a if a.ndim == 2 else _reshape(a, (int(np.prod(a.shape[:-1])), n))
    b2 = b if b.ndim == 2 else _reshape(b, (n, int(np.prod(b.shape[1:]))))
    return _reshape(apply(MATMUL, (a2, b2)), out_shape)


def batch_dot(a, b, transpose_a=False, transpose_b=False):
    """Matrix products of two stacks of matrices, shapes ``(B, m, n)`` and
    ``(B, n, p)``."""
    a = as_nd(a)
    b = as_nd(b, a)
    same_dtype("batch_dot", a, b)
    if a.ndim != 3 or b.ndim != 3:
        raise ValueError("batch_dot needs two 3-d arrays, got shapes %s and %s"
                         % (a.shape, b.shape))
    if transpose_a:
        a = swap_last(a)
    if transpose_b:
        b = swap_last(b)
    if a.shape[0] != b.shape[0] or a.shape[2] != b.shape[1]:
        raise ValueError("batch_dot: shapes %s and %s do not align" % (a.shape, b.shape))
    return apply(MATMUL, (a, b))


__all__ = ["dot", "batch_dot"]
