"""numpy's products on dualtape arrays: ``matmul`` (and ``@``) and ``dot``."""
import numpy as np

from .._engine import apply
from ..ops.linalg import MATMUL
from ..ops.structural import view_as
from ._core import asarray, common_dtype, like_inputs, operands
from ._ufuncs import multiply
from ._reductions import sum as _sum

__all__ = ["matmul", "dot"]


def matmul(x1, x2, /, out=None, **kwargs):
    """numpy.matmul: 1-d operands are promoted to matrices and the added axis
    removed again; leading axes broadcast."""
    if out is not None or kwargs:
        raise TypeError("matmul: only out=None and no further arguments are supported")
    a, b = operands((asarray(x1), asarray(x2)), common_dtype("matmul", x1, x2))
    if a.ndim == 0 or b.ndim == 0:
        raise ValueError("matmul: input operand does not have enough dimensions "
                         "(0-d operand; use multiply)")
    a2 = view_as(a, (1,) + a.shape) if a.ndim == 1 else a
    b2 = view_as(b, b.shape + (1,)) if b.ndim == 1 else b
    if a2.shape[-1] != b2.shape[-2]:
        raise ValueError("matmul: shapes %s and %s do not align (%d != %d)"
                         % (a.shape, b.shape, a2.shape[-1], b2.shape[-2]))
    try:
        batch = np.broadcast_shapes(a2.shape[:-2], b2.shape[:-2])
    except ValueError:
        raise ValueError("matmul: batch shapes %s and %s do not broadcast"
                         % (a.shape[:-2], b.shape[:-2])) from None
    r = apply(MATMUL, (a2, b2))
    shape = batch + (a2.shape[-2],) * (a.ndim > 1) + (b2.shape[-1],) * (b.ndim > 1)
    return like_inputs(r if r.shape == shape else view_as(r, shape), (x1, x2))


def dot(a, b, out=None):
    """numpy.dot: a scalar operand multiplies, two vectors give their inner
    product (0-d), otherwise the last axis of ``a`` meets the second-to-last
    of ``b`` (as ``matmul`` for 2-d operands)."""
    if out is not None:
        raise TypeError("dot: out= is not supported")
    x, y = asarray(a), asarray(b)
    if x.ndim == 0 or y.ndim == 0:
        return multiply(a, b)
    if x.ndim == 1 and y.ndim == 1:
        if x.shape != y.shape:
            raise ValueError("dot: shapes %s and %s not aligned" % (x.shape, y.shape))
        return like_inputs(_sum(multiply(x, y)), (a, b))
    if y.ndim <= 2:
        return like_inputs(matmul(x, y), (a, b))
    raise NotImplementedError("dot of an operand with more than 2 axes; use matmul, "
                              "tensordot or einsum")
