"""Matrix products and MXNet's ``linalg`` namespace.

One primitive, ``matmul`` (numpy semantics on operands of two or more axes,
leading axes broadcast), carries the product rules; ``dot``, ``batch_dot``,
``gemm``, ``gemm2``, ``syrk`` and ``trmm`` are built on it with reshapes,
transposes and triangle masks.  The factorisations and solves are primitives
whose rules are written with ``matmul`` and the triangular solve, so every
derivative is itself differentiable.  Every ``linalg`` op works on the last
two axes and batches over the leading ones, which must agree exactly (MXNet
does not broadcast them).
"""
import math
import numbers
import types

import numpy as np

from .._engine import NDArray, all_plain, apply, get_tracer, wrap
from ..registry import defop, nondiff
from .convert import as_nd, same_dtype
from .reduction import SUM
from .elementwise import MULTIPLY, _np_lift, log
from .structural import (GATHER, SCATTER_ADD, _reshape, _sum_to_primal, fit, getitem, lift,
                         sum_to, swap_last, transpose)


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
    """``np.matmul`` that turns a stack of matrices times one matrix, or one
    matrix times a stack (the shapes batched tangents and cotangents give),
    into a single BLAS product instead of one small product per matrix
    (sizes spelled out, not -1, so that empty stacks and empty contractions
    reshape too)."""
    if b.ndim == 2 and a.ndim > 2:
        rows = math.prod(a.shape[:-1])
        return (a.reshape(rows, a.shape[-1]) @ b).reshape(a.shape[:-1] + b.shape[-1:])
    if a.ndim == 2 and b.ndim > 2:
        k, lead = b.shape[-2], b.shape[:-2]
        if b.shape[-1] == 1:    # a stack of vectors: rows times a.T, C order out
            return (b.reshape(math.prod(lead), k) @ a.T).reshape(lead + (a.shape[0], 1))
        nd = b.ndim
        moved = b.transpose((nd - 2,) + tuple(range(nd - 2)) + (nd - 1,))   # (k, ..., p)
        out = (a @ moved.reshape(k, math.prod(moved.shape[1:]))).reshape(
            (a.shape[0],) + moved.shape[1:])
        return out.transpose(tuple(range(1, nd - 1)) + (0, nd - 1))
    return np.matmul(a, b)


def _matmul_primal(a, b):
    out = _mm(a, b)
    return out if out.flags.c_contiguous else np.ascontiguousarray(out)


def _matmul_fast_jvp(ts, xs):
    (ta, tb), (a, b) = ts, xs
    y = _matmul_primal(a, b)
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


MATMUL = defop("matmul", _matmul_primal, jvp=_matmul_jvp, vjp=_matmul_vjp, kind="bilinear",
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


# ------------------------------------------------- helpers for the rules ---
#
# Rules below take NDArrays whose leading axes may include a batch of
# tangents or cotangents; every product and solve broadcasts over leading
# axes, so the batch axes simply ride along in front.

def _matmul(a, b):
    return apply(MATMUL, (a, b))


def _times(x, m):
    """``x`` times the constant numpy array ``m`` (a mask: no derivative)."""
    return apply(MULTIPLY, (x, wrap(m.astype(x._data.dtype))))


def _tril(x, k=0):
    """The lower triangle of a stack of square matrices (diagonal ``k`` and below)."""
    n = x.shape[-1]
    return _times(x, np.tri(n, n, k))


def _triu(x, k=0):
    """The upper triangle (diagonal ``k`` and above)."""
    n = x.shape[-1]
    return _times(x, 1.0 - np.tri(n, n, k - 1))


def _tri(x, lower):
    return _tril(x) if lower else _triu(x)


def _sym(x):
    return (x + swap_last(x)) * 0.5


def _np_sym(a):
    return (a + np.swapaxes(a, -1, -2)) * 0.5


def _per_matrix(v, ans, a):
    """Values ``v`` with one entry per matrix of ``a`` (batch axes + the shape
    ``ans`` of a determinant) reshaped to broadcast against the matrices."""
    nb = v.ndim - ans.ndim
    return _reshape(v, v.shape[:nb] + a.shape[:-2] + (1, 1))


def _contract(x, t, ans):
    """``sum_ij x_ij t_ij`` per matrix, shaped as batch axes + ``ans.shape``."""
    p = x * t
    r = apply(SUM, (p,), ((p.ndim - 2, p.ndim - 1), False))
    return _reshape(r, t.shape[:t.ndim - x.ndim] + ans.shape)


# ------------------------------------------------------ triangular solve ---

def _trsm_primal(a, b, lower):
    try:
        return np.linalg.solve(np.tril(a) if lower else np.triu(a), b)
    except np.linalg.LinAlgError:
        raise ValueError("linalg.trsm: the triangular matrix A is singular (a zero on "
                         "its diagonal)") from None


def _solve(a, b, lower):
    """``tri(a)^-1 b`` with ``tri`` the lower or upper triangle; leading axes
    broadcast."""
    return apply(TRSM, (a, b), (lower,))


def _trsm_jvp(ts, ans, xs, lower):
    (ta, tb), (a, b) = ts, xs
    rhs = None if tb is None else lift(tb, b.ndim, ans.ndim)
    if ta is not None:
        term = _matmul(_tri(lift(ta, a.ndim, ans.ndim), lower), ans)
        rhs = -term if rhs is None else rhs - term
    return fit(_solve(a, rhs, lower), ans)


def _trsm_vjp(g, ans, xs, needs, lower):
    a, b = xs
    nb = g.ndim - ans.ndim
    gb = _solve(swap_last(a), g, not lower)
    ga = sum_to(-_tri(_matmul(gb, swap_last(ans)), lower), a.shape, nb) if needs[0] else None
    return (ga, sum_to(gb, b.shape, nb) if needs[1] else None)


def _trsm_samples(rng):
    a = rng.standard_normal((3, 3)) + 4 * np.eye(3)
    return [([a, rng.standard_normal((3, 2))], (True,)),
            ([a, rng.standard_normal((3, 2))], (False,)),
            ([rng.standard_normal((2, 2, 2)) + 3 * np.eye(2),
              rng.standard_normal((2, 2, 3))], (True,)),
            ([rng.standard_normal((2, 2)) + 3 * np.eye(2),
              rng.standard_normal((2, 2, 1))], (False,))]


#: ``tri(A)^-1 B`` for the lower (``lower=True``) or upper triangle of ``A``,
#: which alone is read: the gradient of ``A`` lies on that triangle.
TRSM = defop("linalg_trsm", _trsm_primal, jvp=_trsm_jvp, vjp=_trsm_vjp,
             samples=_trsm_samples, kind="linalg")


# -------------------------------------------------------------- Cholesky ---

def _potrf_primal(a):
    try:
        return np.linalg.cholesky(_np_sym(a))
    except np.linalg.LinAlgError:
        raise ValueError("linalg.potrf: the matrix is not symmetric positive definite "
                         "(its Cholesky factorisation fails)") from None


def _phi(x):
    """The lower triangle with the diagonal halved."""
    n = x.shape[-1]
    return _times(x, np.tri(n) - 0.5 * np.eye(n))


def _potrf_jvp(ts, ans, xs):
    # L^-1 dL = phi(L^-1 dA L^-T) for the symmetric part dA
    p = _solve(ans, swap_last(_solve(ans, _sym(ts[0]), True)), True)
    return _matmul(ans, _phi(p))


def _potrf_vjp(g, ans, xs, needs):
    lt = swap_last(ans)
    w = _solve(lt, swap_last(_solve(lt, _phi(_matmul(lt, g)), False)), False)
    return (_sym(w),)


def _spd(rng, *shape):
    m = rng.standard_normal(shape)
    return m @ np.swapaxes(m, -1, -2) + shape[-1] * np.eye(shape[-1])


POTRF = defop("linalg_potrf", _potrf_primal, jvp=_potrf_jvp, vjp=_potrf_vjp,
              samples=lambda rng: [([_spd(rng, 2, 2)], ()), ([_spd(rng, 3, 3)], ()),
                                   ([_spd(rng, 2, 3, 3)], ())], kind="linalg")


# ------------------------------------------- inverse and determinants ---

def _inverse_primal(a):
    try:
        return np.linalg.inv(a)
    except np.linalg.LinAlgError:
        raise ValueError("linalg.inverse: the matrix is singular") from None


def _inverse_vjp(g, ans, xs, needs):
    xt = swap_last(ans)
    return (-_matmul(xt, _matmul(g, xt)),)


def _regular_samples(rng):
    return [([rng.standard_normal((3, 3)) + 3 * np.eye(3)], ()),
            ([rng.standard_normal((2, 2, 2)) + np.diag([3.0, -3.0])], ()),
            ([rng.standard_normal((1, 1)) + 2.0], ())]


INVERSE = defop("linalg_inverse", _inverse_primal,
                jvp=lambda ts, ans, xs: -_matmul(ans, _matmul(ts[0], ans)), vjp=_inverse_vjp,
                samples=_regular_samples, kind="linalg")


_SINGULAR = nondiff("mask_singular", lambda d: (d == 0).astype(d.dtype), kind="mask")
_NEGINF = nondiff("mask_neginf", lambda d: np.isneginf(d).astype(d.dtype), kind="mask")


def _inverse_t(a, singular):
    """``A^-T`` for each matrix, and zeros for the matrices where ``singular``
    (an NDArray mask with one 0/1 entry per matrix, made by an op) is 1:
    MXNet sends no gradient through the determinant of a singular matrix.
    A singular matrix is swapped for the identity before the inversion."""
    m = _reshape(singular, a.shape[:-2] + (1, 1))
    eye = wrap(np.eye(a.shape[-1], dtype=a._data.dtype))
    regular = a * (1.0 - m) + m * eye
    return swap_last(apply(INVERSE, (regular,))) * (1.0 - m)


def _per_matrix_primal(f):
    """``f`` on a stack of matrices, with MXNet's shape ``(1,)`` for one matrix."""
    def primal(a):
        r = np.asarray(f(a))
        return r.reshape(1) if r.ndim == 0 else r
    return primal


def _det_jvp(ts, ans, xs):
    return ans * _contract(_inverse_t(xs[0], apply(_SINGULAR, (ans,))), ts[0], ans)


def _det_vjp(g, ans, xs, needs):
    a = xs[0]
    return (_per_matrix(g * ans, ans, a) * _inverse_t(a, apply(_SINGULAR, (ans,))),)


DET = defop("linalg_det", _per_matrix_primal(np.linalg.det), jvp=_det_jvp, vjp=_det_vjp,
            samples=_regular_samples, kind="linalg")

def _svd_cofactor_primal(a):
    """The cofactor matrices ``det(A) A^-T``, valid for singular ``A`` too:
    with ``A = U S V^T``, ``det(U) det(V) U diag(prod_{j != i} s_j) V^T``."""
    u, s, vh = np.linalg.svd(a)
    left = np.concatenate([np.ones_like(s[..., :1]), np.cumprod(s, -1)[..., :-1]], -1)
    right = np.concatenate([np.cumprod(s[..., ::-1], -1)[..., :-1][..., ::-1],
                            np.ones_like(s[..., :1])], -1)
    sign = np.linalg.det(u) * np.linalg.det(vh)
    return (u * (left * right)[..., None, :]) @ vh * sign[..., None, None]


#: Above 3 x 3: the singular matrices' cofactors, as constants.
_SVD_COFACTOR = nondiff("linalg_svd_cofactor", _svd_cofactor_primal, kind="linalg")


def _minor_cofactor(a):
    """The cofactor matrices of 1 x 1 to 3 x 3 matrices from their minors,
    with differentiable ops (exact at singular matrices, to every order):
    ``C_ij = A[i+1, j+1] A[i+2, j+2] - A[i+1, j+2] A[i+2, j+1]`` (indices
    modulo 3) for 3 x 3, ``C_ij = (-1)**(i+j) A[1-i, 1-j]`` for 2 x 2."""
    n = a.shape[-1]
    if n == 1:
        return wrap(np.ones(a.shape, a._data.dtype))
    i, j = np.indices((n, n))

    def at(rows, cols):             # entries rows[i, j], cols[i, j] of each matrix
        return getitem(a, (Ellipsis, rows % n, cols % n))
    if n == 2:
        return at(1 - i, 1 - j) * wrap(np.array([[1.0, -1.0], [-1.0, 1.0]], a._data.dtype))
    return at(i + 1, j + 1) * at(i + 2, j + 2) - at(i + 1, j + 2) * at(i + 2, j + 1)


def _cofactor(a, ans):
    """``det(A) A^-T`` per matrix, exact at singular matrices too (where the
    inverse does not exist): the derivative of the determinant."""
    n = a.shape[-1]
    if n == 0:
        return wrap(np.zeros(a.shape, a._data.dtype))
    if n <= 3:
        return _minor_cofactor(a)
    singular = apply(_SINGULAR, (ans,))
    out = _per_matrix(ans, ans, a) * _inverse_t(a, singular)
    if get_tracer() is None:
        if not singular._data.any():
            return out
        if not all_plain([a]):
            raise NotImplementedError(
                "det: a derivative of order 2 or more at an exactly singular matrix larger "
                "than 3 x 3 is not supported (the first derivative is: the cofactor "
                "matrix)")
    # (a traced program keeps both branches; there the cofactors of a singular
    # matrix are constants, so that higher orders would miss their change)
    m = _reshape(singular, a.shape[:-2] + (1, 1))
    return out + m * apply(_SVD_COFACTOR, (a,))


def _numpy_det_jvp(ts, ans, xs):
    return _contract(_cofactor(xs[0], ans), ts[0], ans)


def _numpy_det_vjp(g, ans, xs, needs):
    return (_per_matrix(g, ans, xs[0]) * _cofactor(xs[0], ans),)


#: numpy's (and JAX's) determinant: the derivative is the cofactor matrix,
#: also at a singular matrix (MXNet's ``linalg_det`` gives 0 there).
NUMPY_DET = defop("numpy_det", _per_matrix_primal(np.linalg.det), jvp=_numpy_det_jvp,
                  vjp=_numpy_det_vjp, kind="linalg", samples=lambda rng: _regular_samples(rng) + [
                      ([np.array([[1.0, 2.0], [2.0, 4.0]])], ()),
                      ([np.array([[[0.0, 0.0], [0.0, 1.0]], [[2.0, 1.0], [1.0, 3.0]]])], ()),
                      ([np.diag([0.0, 1.5, -2.0])], ())])


def _logabsdet_jvp(ts, ans, xs):
    return _contract(_inverse_t(xs[0], apply(_NEGINF, (ans,))), ts[0], ans)


def _logabsdet_vjp(g, ans, xs, needs):
    a = xs[0]
    return (_per_matrix(g, ans, a) * _inverse_t(a, apply(_NEGINF, (ans,))),)


LOGABSDET = defop("linalg_logabsdet", _per_matrix_primal(lambda a: np.linalg.slogdet(a)[1]),
                  jvp=_logabsdet_jvp, vjp=_logabsdet_vjp, samples=_regular_samples,
                  kind="linalg")
#: The sign of the determinant (-1, 0 or 1): no derivative.
SLOGDET_SIGN = nondiff("linalg_slogdet_sign",
                       _per_matrix_primal(lambda a: np.linalg.slogdet(a)[0]), kind="linalg")


# -------------------------------------------------------- LQ factorisation ---
#
# A = L Q with Q Q^T = I.  With C = L^-1 dA Q^T, the skew part of dQ Q^T and
# the triangular L^-1 dL split C: L^-1 dL = M = tril(C) + triu(C, 1)^T, so
# dL = L M and dQ = L^-1 dA - M Q.  Each factor is its own op; the rules of one
# apply the other to A.

def _lq(a):
    q, r = np.linalg.qr(np.swapaxes(a, -1, -2))
    return np.swapaxes(q, -1, -2), np.swapaxes(r, -1, -2)


def _lq_tangents(t, l, q):
    """``(L^-1 dA, M)`` for tangent ``dA``."""
    lt = _solve(l, t, True)
    c = _matmul(lt, swap_last(q))
    return lt, _tril(c) + swap_last(_triu(c, 1))


def _lq_pullback(gm, gq, l, q):
    """The cotangent of A from that of M (and of Q itself, ``gq``):
    ``L^-T (gq + gC Q)``."""
    gc = _tril(gm) + _triu(swap_last(gm), 1)
    r = _matmul(gc, q)
    return _solve(swap_last(l), r if gq is None else gq + r, False)


def _gelqf_l_jvp(ts, ans, xs):
    return _matmul(ans, _lq_tangents(ts[0], ans, apply(GELQF_Q, xs))[1])


def _gelqf_l_vjp(g, ans, xs, needs):
    return (_lq_pullback(_matmul(swap_last(ans), g), None, ans, apply(GELQF_Q, xs)),)


def _gelqf_q_jvp(ts, ans, xs):
    lt, m = _lq_tangents(ts[0], apply(GELQF_L, xs), ans)
    return lt - _matmul(m, ans)


def _gelqf_q_vjp(g, ans, xs, needs):
    return (_lq_pullback(-_matmul(g, swap_last(ans)), g, apply(GELQF_L, xs), ans),)


def _gelqf_samples(rng):
    return [([rng.standard_normal((2, 3)) + np.eye(2, 3) * 2], ()),
            ([rng.standard_normal((2, 2)) + np.diag([2.0, -2.0])], ()),
            ([rng.standard_normal((2, 2, 4)) + np.eye(2, 4) * 3], ())]


GELQF_Q = defop("linalg_gelqf_q", lambda a: _lq(a)[0], jvp=_gelqf_q_jvp, vjp=_gelqf_q_vjp,
                samples=_gelqf_samples, kind="linalg")
GELQF_L = defop("linalg_gelqf_l", lambda a: _lq(a)[1], jvp=_gelqf_l_jvp, vjp=_gelqf_l_vjp,
                samples=_gelqf_samples, kind="linalg")


# ------------------------------------------- symmetric eigendecomposition ---
#
# Rows u_i of U and ascending eigenvalues l_i of the symmetric part of A.
# dl_i = u_i^T dA u_i;  dU = (G o (U dS U^T)) U with dS the symmetric part of
# dA and G_ij = 1 / (l_i - l_j) off the diagonal, 0 on it.

def _eigh(a):
    w, v = np.linalg.eigh(_np_sym(a))
    u = np.swapaxes(v, -1, -2)
    if u.size:      # each row's largest-magnitude entry positive, as MXNet
        big = np.take_along_axis(u, np.argmax(np.abs(u), axis=-1)[..., None], -1)
        u = u * np.sign(big)
    return u, w


def _gaps(lam):
    """``G`` above, from the eigenvalues (differentiable)."""
    n = lam.shape[-1]
    d = _reshape(lam, lam.shape[:-1] + (n, 1)) - _reshape(lam, lam.shape[:-1] + (1, n))
    eye = np.eye(n, dtype=lam._data.dtype)
    return wrap(1.0 - eye) / (d + wrap(eye))


def _syevd_u_jvp(ts, ans, xs):
    g = _gaps(apply(SYEVD_LAM, xs))
    return _matmul(g * _sym(_matmul(_matmul(ans, ts[0]), swap_last(ans))), ans)


def _syevd_u_vjp(g, ans, xs, needs):
    gaps = _gaps(apply(SYEVD_LAM, xs))
    return (_sym(_matmul(swap_last(ans), _matmul(gaps * _matmul(g, swap_last(ans)), ans))),)


def _syevd_lam_jvp(ts, ans, xs):
    u = apply(SYEVD_U, xs)
    p = _matmul(u, ts[0]) * u
    return apply(SUM, (p,), ((p.ndim - 1,), False))


def _syevd_lam_vjp(g, ans, xs, needs):
    u = apply(SYEVD_U, xs)
    return (_matmul(swap_last(u), _reshape(g, g.shape + (1,)) * u),)


def _symmetric_samples(rng):
    """Distinct eigenvalues, and eigenvectors near the axes (so that the
    largest entry of each, made positive, is never close to a tie)."""
    def sample(*shape):
        q = np.linalg.qr(np.eye(shape[-1]) + 0.3 * rng.standard_normal(shape))[0]
        w = np.arange(shape[-1]) * 2.5 - 1.0
        return (q * w[..., None, :]) @ np.swapaxes(q, -1, -2)
    return [([sample(2, 2)], ()), ([sample(3, 3)], ()), ([sample(2, 3, 3)], ())]


SYEVD_U = defop("linalg_syevd_u", lambda a: _eigh(a)[0], jvp=_syevd_u_jvp,
                vjp=_syevd_u_vjp, samples=_symmetric_samples, kind="linalg")
SYEVD_LAM = defop("linalg_syevd_lambda", lambda a: _eigh(a)[1], jvp=_syevd_lam_jvp,
                  vjp=_syevd_lam_vjp, samples=_symmetric_samples, kind="linalg")


# ------------------------------------------------------- the user API ---

_FLOATS = (np.dtype(np.float32), np.dtype(np.float64))


def _operands(name, *arrays):
    """``linalg.<name>``'s array arguments as NDArrays of one float dtype
    (lists and numpy arrays take the first operand's dtype, float32 for a
    first operand that is not an NDArray)."""
    first = as_nd(arrays[0])
    xs = [first] + [as_nd(x, first) for x in arrays[1:]]
    for x in xs:
        if x._data.dtype not in _FLOATS:
            raise TypeError("linalg.%s supports float32 and float64 arrays only, got %s"
                            % (name, x._data.dtype))
    same_dtype("linalg." + name, *xs)
    return xs


def _matrices(name, x, arg="A"):
    if x.ndim < 2:
        raise ValueError("linalg.%s: %s must be a matrix or a stack of matrices (two or "
                         "more axes), got shape %s" % (name, arg, x.shape))


def _square(name, x, arg="A"):
    _matrices(name, x, arg)
    if x.shape[-1] != x.shape[-2]:
        raise ValueError("linalg.%s: %s must hold square matrices in its last two axes, "
                         "got shape %s" % (name, arg, x.shape))


def _same_stack(name, a, b, arg="B"):
    if a.ndim != b.ndim or a.shape[:-2] != b.shape[:-2]:
        raise ValueError("linalg.%s: A and %s must have the same leading axes (MXNet "
                         "does not broadcast them), got shapes %s and %s"
                         % (name, arg, a.shape, b.shape))


def _real(name, arg, value):
    if not isinstance(value, numbers.Real) or isinstance(value, bool):
        raise TypeError("linalg.%s: %s must be a real number, got %r" % (name, arg, value))
    return float(value)


def _scale(x, alpha):
    return x if alpha == 1.0 else x * alpha


def _offset(name, offset):
    if not isinstance(offset, numbers.Integral) or isinstance(offset, bool):
        raise TypeError("linalg.%s: offset must be an integer, got %r" % (name, offset))
    return int(offset)


def _row_axis(name, axis, ndim):
    """MXNet's ``axis`` of gemm: the row axis, any axis but the last."""
    if not isinstance(axis, numbers.Integral) or isinstance(axis, bool):
        raise TypeError("linalg.%s: axis must be an integer, got %r" % (name, axis))
    r = axis + ndim if axis < 0 else axis
    if not 0 <= r < ndim - 1:
        raise ValueError("linalg.%s: axis %d is not a row axis of %d-d inputs; it must be "
                         "in [%d, %d] (not the last axis)" % (name, axis, ndim, -ndim, ndim - 2))
    return r


def _rows_last(x, r):
    """Swap row axis ``r`` with the second-to-last axis (its own inverse)."""
    if r == x.ndim - 2:
        return x
    axes = list(range(x.ndim))
    axes[r], axes[-2] = axes[-2], axes[r]
    return transpose(x, tuple(axes))


def _product_shape(name, a, b, transpose_a, transpose_b, axis):
    """Check the operands of ``op(A) op(B)`` with rows on ``axis``; return the
    row axis and the product's shape."""
    _matrices(name, a)
    _matrices(name, b, "B")
    if a.ndim != b.ndim:
        raise ValueError("linalg.%s: A and B must have the same number of axes, got shapes "
                         "%s and %s" % (name, a.shape, b.shape))
    r = _row_axis(name, axis, a.ndim)
    sa, sb = _swap_shape(a.shape, r), _swap_shape(b.shape, r)
    sa = sa[:-2] + (sa[-1:] + sa[-2:-1] if transpose_a else sa[-2:])
    sb = sb[:-2] + (sb[-1:] + sb[-2:-1] if transpose_b else sb[-2:])
    if sa[:-2] != sb[:-2]:
        raise ValueError("linalg.%s: A and B must have the same shape apart from the row "
                         "axis %d and the last axis (MXNet does not broadcast), got shapes "
                         "%s and %s" % (name, r, a.shape, b.shape))
    if sa[-1] != sb[-2]:
        raise ValueError("linalg.%s: op(A) has %d columns but op(B) has %d rows (shapes %s "
                         "and %s, transpose_a=%s, transpose_b=%s)" % (
                             name, sa[-1], sb[-2], a.shape, b.shape, bool(transpose_a),
                             bool(transpose_b)))
    return r, _swap_shape(sa[:-1] + sb[-1:], r)


def _swap_shape(shape, r):
    shape = list(shape)
    shape[r], shape[-2] = shape[-2], shape[r]
    return tuple(shape)


def _matmul_t(a, b, transpose_a, transpose_b):
    return _matmul(swap_last(a) if transpose_a else a, swap_last(b) if transpose_b else b)


def _product(a, b, transpose_a, transpose_b, r):
    """``op(A) op(B)`` with rows on axis ``r``."""
    out = _matmul_t(_rows_last(a, r), _rows_last(b, r), transpose_a, transpose_b)
    return _rows_last(out, r)


def gemm(A, B, C, transpose_a=False, transpose_b=False, alpha=1.0, beta=1.0, axis=-2):
    """``alpha * op(A) op(B) + beta * C`` (BLAS gemm) for each matrix of a stack.

    ``op`` transposes when ``transpose_a`` / ``transpose_b`` is set.  Rows are
    on ``axis`` (default -2) and columns on the last axis; the other axes are
    a batch, the same for ``A``, ``B`` and ``C``.  Derivative: the product
    rule, ``beta`` times the identity in ``C``.
    """
    A, B, C = _operands("gemm", A, B, C)
    alpha, beta = _real("gemm", "alpha", alpha), _real("gemm", "beta", beta)
    r, shape = _product_shape("gemm", A, B, transpose_a, transpose_b, axis)
    if C.shape != shape:
        raise ValueError("linalg.gemm: C must have the shape %s of op(A) op(B), got %s"
                         % (shape, C.shape))
    return _scale(_product(A, B, transpose_a, transpose_b, r), alpha) + _scale(C, beta)


def gemm2(A, B, transpose_a=False, transpose_b=False, alpha=1.0, axis=-2):
    """``alpha * op(A) op(B)`` for each matrix of a stack (see ``gemm``)."""
    A, B = _operands("gemm2", A, B)
    alpha = _real("gemm2", "alpha", alpha)
    r, _ = _product_shape("gemm2", A, B, transpose_a, transpose_b, axis)
    return _scale(_product(A, B, transpose_a, transpose_b, r), alpha)


def syrk(A, transpose=False, alpha=1.0):
    """``alpha * A A^T`` (or ``alpha * A^T A`` with ``transpose``) for each
    matrix of a stack (BLAS syrk)."""
    A, = _operands("syrk", A)
    alpha = _real("syrk", "alpha", alpha)
    _matrices("syrk", A)
    return _scale(_matmul_t(A, A, transpose, not transpose), alpha)


def _triangular_args(name, A, B, rightside, alpha):
    A, B = _operands(name, A, B)
    _square(name, A)
    _matrices(name, B, "B")
    _same_stack(name, A, B)
    side = B.shape[-1] if rightside else B.shape[-2]
    if side != A.shape[-1]:
        raise ValueError("linalg.%s: B of shape %s does not fit the %dx%d triangular matrix "
                         "(its %s must have length %d)" % (
                             name, B.shape, A.shape[-1], A.shape[-1],
                             "columns" if rightside else "rows", A.shape[-1]))
    return A, B, _real(name, "alpha", alpha)


def trmm(A, B, transpose=False, rightside=False, lower=True, alpha=1.0):
    """``alpha * op(T) B`` (or ``alpha * B op(T)`` with ``rightside``), ``T``
    the lower (or, with ``lower=False``, upper) triangle of ``A`` and ``op``
    a transpose when ``transpose`` is set (BLAS trmm).

    Only that triangle of ``A`` is read, so ``A``'s gradient lies on it.
    """
    A, B, alpha = _triangular_args("trmm", A, B, rightside, alpha)
    t = _tri(A, lower)
    if transpose:
        t = swap_last(t)
    return _scale(_matmul(B, t) if rightside else _matmul(t, B), alpha)


def trsm(A, B, transpose=False, rightside=False, lower=True, alpha=1.0):
    """Solve ``op(T) X = alpha * B`` (or ``X op(T) = alpha * B`` with
    ``rightside``) for ``X``, ``T`` the lower (or upper) triangle of ``A`` and
    ``op`` a transpose when ``transpose`` is set (BLAS trsm).

    Only that triangle of ``A`` is read, so ``A``'s gradient lies on it.
    Raises ``ValueError`` when ``T`` has a zero on its diagonal (MXNet returns
    infinities).  Derivative: ``dX = op(T)^-1 (alpha dB - op(dT) X)`` (left).
    """
    A, B, alpha = _triangular_args("trsm", A, B, rightside, alpha)
    diag = np.diagonal(A._data, axis1=-2, axis2=-1)
    if not np.all(diag):
        raise ValueError("linalg.trsm: the triangular matrix A is singular (a zero on "
                         "its diagonal)")
    # X op(T) = B  is  op(T)^T X^T = B^T: a right side flips the transpose
    if transpose != rightside:
        A, lower = swap_last(A), not lower
    x = _solve(A, _scale(swap_last(B) if rightside else B, alpha), lower)
    return swap_last(x) if rightside else x


def potrf(A, lower=True):
    """The Cholesky factor ``L`` of a symmetric positive definite ``A``:
    ``A = L L^T`` with ``L`` lower triangular (or ``A = U^T U`` with ``U``
    upper triangular, ``lower=False``), with a positive diagonal.

    ``A`` is first made symmetric, ``(A + A^T) / 2``: on symmetric input (the
    only input MXNet documents) this gives MXNet's values, and MXNet's
    symmetric gradient is then the derivative (MXNet itself reads only the
    lower triangle).  Raises ``ValueError`` when ``A`` is not positive
    definite.  Derivative: ``dL = L phi(L^-1 dA L^-T)``, ``phi`` the lower
    triangle with its diagonal halved.
    """
    A, = _operands("potrf", A)
    _square("potrf", A)
    L = apply(POTRF, (A,))
    return L if lower else swap_last(L)


def potri(A, lower=True):
    """The inverse ``(L L^T)^-1`` of a matrix from its Cholesky factor ``L``
    (the lower triangle of ``A``), or ``(U^T U)^-1`` from the upper triangle
    ``U`` with ``lower=False``.

    Only that triangle is read, so ``A``'s gradient lies on it.  Raises
    ``ValueError`` when the factor has a zero on its diagonal (MXNet raises).
    """
    A, = _operands("potri", A)
    _square("potri", A)
    if not np.all(np.diagonal(A._data, axis1=-2, axis2=-1)):
        raise ValueError("linalg.potri: A has a zero on its diagonal, so it is not a "
                         "Cholesky factor")
    L = A if lower else swap_last(A)
    n = A.shape[-1]
    inv = _solve(L, wrap(np.eye(n, dtype=A._data.dtype)), True)
    return _matmul(swap_last(inv), inv)


def gelqf(A):
    """The LQ factorisation ``A = L Q`` of each matrix (``x`` rows, ``y >= x``
    columns, full rank): returns ``[Q, L]``, ``Q`` of shape ``(x, y)`` with
    orthonormal rows and ``L`` lower triangular ``(x, x)``.

    Signs are LAPACK's (gelqf then orglq; the diagonal of ``L`` may be
    negative), as in MXNet.  Derivative: with ``M = tril(C) + triu(C, 1)^T``,
    ``C = L^-1 dA Q^T``: ``dL = L M``, ``dQ = L^-1 dA - M Q``.
    """
    A, = _operands("gelqf", A)
    _matrices("gelqf", A)
    if A.shape[-2] > A.shape[-1]:
        raise ValueError("linalg.gelqf: A must have no more rows than columns, got shape "
                         "%s" % (A.shape,))
    return [apply(GELQF_Q, (A,)), apply(GELQF_L, (A,))]


def syevd(A):
    """The eigendecomposition of a symmetric matrix: returns ``[U, lam]`` with
    ``U A = diag(lam) U``, the eigenvectors as the rows of ``U`` (each with
    its largest-magnitude entry made positive, as MXNet) and the eigenvalues
    ``lam`` in ascending order.

    ``A`` is first made symmetric, ``(A + A^T) / 2`` (MXNet reads the lower
    triangle), which makes MXNet's symmetric gradient the derivative.  The
    derivative needs distinct eigenvalues: ``dlam_i = u_i^T dA u_i``,
    ``du_i = sum_j u_j (u_j^T dA u_i) / (lam_i - lam_j)``.
    """
    A, = _operands("syevd", A)
    _square("syevd", A)
    return [apply(SYEVD_U, (A,)), apply(SYEVD_LAM, (A,))]


def inverse(A):
    """The inverse of each square matrix; ``ValueError`` for a singular one
    (MXNet raises).  Derivative: ``dX = -X dA X``."""
    A, = _operands("inverse", A)
    _square("inverse", A)
    return apply(INVERSE, (A,))


def det(A):
    """The determinant of each square matrix (shape ``(1,)`` for one matrix).

    Derivative: ``det(A) A^-T``; for a singular matrix the gradient is zero
    (MXNet's gradient, not the mathematical one, the adjugate).
    """
    A, = _operands("det", A)
    _square("det", A)
    return apply(DET, (A,))


def slogdet(A):
    """``[sign, logabsdet]``: the sign (-1, 0 or 1, no derivative) and the log
    of the absolute value of each determinant (``-inf`` for a singular
    matrix).  Derivative of ``logabsdet``: ``A^-T``, zero for a singular
    matrix (MXNet)."""
    A, = _operands("slogdet", A)
    _square("slogdet", A)
    return [apply(SLOGDET_SIGN, (A,)), apply(LOGABSDET, (A,))]


def sumlogdiag(A):
    """The sum of the logs of the diagonal of each square matrix (shape
    ``(1,)`` for one matrix); a diagonal entry that is not positive gives nan,
    as in MXNet.  Derivative: ``1 / A_ii`` on the diagonal."""
    A, = _operands("sumlogdiag", A)
    _square("sumlogdiag", A)
    logs = log(extractdiag(A))
    return apply(SUM, (logs,), ((logs.ndim - 1,), False))


def _diag_index(n, offset):
    """Flat positions in an ``n x n`` matrix of its diagonal ``offset``."""
    i = np.arange(n - abs(offset))
    rows, cols = (i, i + offset) if offset >= 0 else (i - offset, i)
    return rows * n + cols


def _trian_index(n, offset, lower):
    """Flat positions in an ``n x n`` matrix of MXNet's triangle, in MXNet's
    order: the lower triangle (``offset < 0``, or 0 with ``lower``) row by
    row, the upper one column by column."""
    if offset < 0 or (offset == 0 and lower):
        rows, cols = np.tril_indices(n, offset)
    else:
        cols, rows = np.tril_indices(n, -offset)
    return rows * n + cols


def _gather(A, index):
    """The entries of each matrix of ``A`` at flat positions ``index``."""
    nb = A.ndim - 2
    if A.size == 0:         # no values to move (GATHER cannot flatten an empty array)
        return _reshape(A, A.shape[:nb] + index.shape)
    return apply(GATHER, (A,), (index, nb))


def _extract_checks(name, A, offset):
    A, = _operands(name, A)
    _square(name, A)
    offset = _offset(name, offset)
    if abs(offset) >= A.shape[-1]:
        raise ValueError("linalg.%s: offset %d is out of range for %dx%d matrices; it must "
                         "be in [%d, %d]" % (name, offset, A.shape[-1], A.shape[-1],
                                             1 - A.shape[-1], A.shape[-1] - 1))
    return A, offset


def _make_checks(name, A, offset):
    A, = _operands(name, A)
    if A.ndim < 1:
        raise ValueError("linalg.%s: A must have at least one axis, got a 0-d array" % name)
    return A, _offset(name, offset)


def extractdiag(A, offset=0):
    """The diagonal ``offset`` (0 the main one, > 0 above, < 0 below) of each
    square matrix.  Linear: its gradient is the transpose, ``makediag``."""
    A, offset = _extract_checks("extractdiag", A, offset)
    return _gather(A, _diag_index(A.shape[-1], offset))


def makediag(A, offset=0):
    """Square matrices with the vectors of ``A`` (last axis) on their diagonal
    ``offset`` and zeros elsewhere.  Linear: its gradient is ``extractdiag``."""
    A, offset = _make_checks("makediag", A, offset)
    n = A.shape[-1] + abs(offset)
    return apply(SCATTER_ADD, (A,), (_diag_index(n, offset), (n, n), A.ndim - 1))


def extracttrian(A, offset=0, lower=True):
    """A triangle of each square matrix as a vector: the lower one (row by
    row) for ``offset < 0`` or ``offset == 0`` with ``lower``, otherwise the
    upper one (column by column), starting at diagonal ``offset``.  Linear:
    its gradient is ``maketrian``."""
    A, offset = _extract_checks("extracttrian", A, offset)
    return _gather(A, _trian_index(A.shape[-1], offset, lower))


def maketrian(A, offset=0, lower=True):
    """Square matrices from triangles stored as vectors (the inverse of
    ``extracttrian``): a last axis of length ``m (m + 1) / 2`` gives
    ``(m + |offset|) x (m + |offset|)`` matrices, zero outside the triangle.
    Linear: its gradient is ``extracttrian``."""
    A, offset = _make_checks("maketrian", A, offset)
    size = A.shape[-1]
    m = int((np.sqrt(8 * size + 1) - 1) / 2)
    if m * (m + 1) // 2 != size:
        raise ValueError("linalg.maketrian: the last axis of A has length %d, not a "
                         "triangular number m (m + 1) / 2" % size)
    n = m + abs(offset)
    return apply(SCATTER_ADD, (A,), (_trian_index(n, offset, lower), (n, n), A.ndim - 1))


_LINALG = (gemm, gemm2, potrf, potri, trsm, trmm, syrk, gelqf, syevd, inverse, det,
           slogdet, sumlogdiag, extractdiag, makediag, extracttrian, maketrian)


class _Namespace(types.SimpleNamespace):
    """MXNet's ``nd.linalg``: ``nd.linalg.gemm`` is ``nd.linalg_gemm``, and so on."""


#: ``nd.linalg.<name>``.
linalg = _Namespace(**{f.__name__: f for f in _LINALG})

# MXNet 1.9.1's flat aliases (it has none for syevd)
linalg_gemm, linalg_gemm2, linalg_potrf, linalg_potri = gemm, gemm2, potrf, potri
linalg_trsm, linalg_trmm, linalg_syrk, linalg_gelqf = trsm, trmm, syrk, gelqf
linalg_inverse, linalg_det, linalg_slogdet = inverse, det, slogdet
linalg_sumlogdiag, linalg_extractdiag, linalg_makediag = sumlogdiag, extractdiag, makediag
linalg_extracttrian, linalg_maketrian = extracttrian, maketrian

__all__ = ["dot", "batch_dot", "linalg"] + ["linalg_" + f.__name__ for f in _LINALG
                                            if f is not syevd]
