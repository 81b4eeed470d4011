"""``dualtape.numpy.linalg``: numpy.linalg on dualtape arrays, batched over
leading axes as numpy is, differentiable in both modes to any order.

Inputs follow ``numpy.linalg``'s dtype rules: integer and bool arrays are
computed in float64, float32 stays float32 (float64 when mixed with an
integer array), float16 raises ``TypeError``.  Where numpy raises
``numpy.linalg.LinAlgError`` (fewer than two axes, non-square matrices,
singular or indefinite matrices), so do these functions, naming the function
and the shape.

Derivatives.  ``inv``, ``solve``, ``det``, ``slogdet``, ``cholesky``,
``matrix_power`` and ``pinv`` have theirs wherever the function is smooth
(``det``'s is the cofactor matrix, also at a singular matrix, as JAX's;
``slogdet``'s is zero there, as dualtape's ``nd.linalg.slogdet``; ``pinv``
needs a constant rank).  The
factorisations need a simple spectrum: ``eigh``'s eigenvectors distinct
eigenvalues, ``svd``'s factors distinct nonzero singular values, ``qr``
full column rank of the leading square block; at a repeated value the
derivative divides by zero (inf or nan).
"""
import collections
import operator

import numpy as np

from .._engine import all_plain, apply, wrap
from ..ops.linalg import (NUMPY_DET, GELQF_L, GELQF_Q, INVERSE, LOGABSDET, MATMUL, POTRF,
                          SLOGDET_SIGN, SYEVD_LAM, _gaps,
                          _symmetric_samples, _sym)
from ..ops.reduction import NORM, SUM
from ..ops.structural import _reshape, fit, lift, sum_to, swap_last, view_as
from ..registry import defop, nondiff
from . import _linalg, _reductions, _ufuncs
from ._core import asarray, like_inputs

__all__ = ["inv", "solve", "det", "slogdet", "cholesky", "eigh", "eigvalsh", "svd", "qr",
           "pinv", "matrix_power", "norm", "vector_norm", "matrix_norm", "svdvals", "matmul",
           "tensordot", "outer", "vecdot", "diagonal", "trace", "matrix_transpose"]

#: numpy's exception, raised where numpy.linalg raises it.
LinAlgError = np.linalg.LinAlgError

SlogdetResult = collections.namedtuple("SlogdetResult", ["sign", "logabsdet"])
EighResult = collections.namedtuple("EighResult", ["eigenvalues", "eigenvectors"])
SVDResult = collections.namedtuple("SVDResult", ["U", "S", "Vh"])
QRResult = collections.namedtuple("QRResult", ["Q", "R"])


# -------------------------------------------------------------- checks ---

def _dtype(name, *arrays):
    """numpy.linalg's computing dtype: float64 if any operand is not a float
    array, else the widest float; float16 is refused."""
    dts = [a._data.dtype for a in arrays]
    if any(d == np.float16 for d in dts):
        raise TypeError("%s: array type float16 is unsupported in linalg" % name)
    if any(d.kind != "f" for d in dts):
        return np.dtype(np.float64)
    return np.result_type(*dts)


def _stacked(name, a, dtype=None):
    """``a`` as a stack of matrices of numpy.linalg's dtype."""
    x = asarray(a)
    x = asarray(x, dtype or _dtype(name, x))
    if x.ndim < 2:
        raise LinAlgError("%s: %d-dimensional array given. Array must be at least "
                          "two-dimensional" % (name, x.ndim))
    return x


def _square(name, a, dtype=None):
    x = _stacked(name, a, dtype)
    if x.shape[-1] != x.shape[-2]:
        raise LinAlgError("%s: Last 2 dimensions of the array must be square, got shape %s"
                          % (name, x.shape))
    return x


def _per_matrix(r, x):
    """An op's per-matrix result in numpy's shape (0-d for one matrix)."""
    shape = x.shape[:-2]
    return r if r.shape == shape else view_as(r, shape)


def _matmul(a, b):
    return apply(MATMUL, (a, b))


def _const(m, like):
    return wrap(np.asarray(m, like._data.dtype))


def _row(v):
    """A stack of vectors as rows ``(..., 1, k)``, to scale columns."""
    return _reshape(v, v.shape[:-1] + (1, v.shape[-1]))


def _col(v):
    return _reshape(v, v.shape + (1,))


def _from_triangle(x, lower):
    """The symmetric matrix numpy.linalg reads from one triangle of ``x``."""
    if lower:
        return _linalg.tril(x) + swap_last(_linalg.tril(x, -1))
    return _linalg.triu(x) + swap_last(_linalg.triu(x, 1))


def _uplo(name, UPLO):
    u = str(UPLO).upper()
    if u not in ("L", "U"):
        raise ValueError("%s: UPLO argument must be 'L' or 'U', got %r" % (name, UPLO))
    return u


# ------------------------------------------------- inverse and solving ---

def inv(a):
    """numpy.linalg.inv of each matrix of a stack.  Derivative:
    ``dX = -X dA X``."""
    x = _square("inv", a)
    try:
        r = apply(INVERSE, (x,))
    except ValueError:
        raise LinAlgError("inv: Singular matrix (a matrix of the stack of shape %s)"
                          % (x.shape,)) from None
    return like_inputs(r, (a,))


def _solve_jvp(ts, ans, xs):
    (ta, tb), (a, b) = ts, xs
    rhs = None if tb is None else lift(tb, b.ndim, ans.ndim)
    if ta is not None:
        term = _matmul(lift(ta, a.ndim, ans.ndim), ans)
        rhs = -term if rhs is None else rhs - term
    return fit(apply(SOLVE, (a, rhs)), ans)


def _solve_vjp(g, ans, xs, needs):
    a, b = xs
    nb = g.ndim - ans.ndim
    gb = apply(SOLVE, (swap_last(a), g))
    ga = sum_to(-_matmul(gb, swap_last(ans)), a.shape, nb) if needs[0] else None
    return (ga, sum_to(gb, b.shape, nb) if needs[1] else None)


def _solve_samples(rng):
    def reg(*shape):
        return rng.standard_normal(shape) + 3 * np.eye(shape[-1])
    return [([reg(3, 3), rng.standard_normal((3, 2))], ()),
            ([reg(2, 2, 2), rng.standard_normal((2, 2, 1))], ()),
            ([reg(2, 2), rng.standard_normal((3, 2, 2))], ()),
            ([reg(2, 1, 2, 2), rng.standard_normal((3, 2, 1))], ())]


#: ``A^-1 B`` for stacks of matrices ``B`` (leading axes broadcast), by
#: LAPACK's gesv as numpy.linalg.solve.
SOLVE = defop("numpy_linalg_solve", np.linalg.solve, jvp=_solve_jvp, vjp=_solve_vjp,
              samples=_solve_samples, kind="linalg")


def solve(a, b):
    """numpy.linalg.solve: ``x`` with ``a @ x == b``.  As numpy 2, ``b`` is
    one vector when 1-d (shape ``(M,)``), otherwise a stack of ``M x K``
    matrices; leading axes broadcast.  Derivative: ``dx = A^-1 (db - dA x)``."""
    x = asarray(a)
    y = asarray(b)
    dt = _dtype("solve", x, y)
    x = _square("solve", x, dt)
    y = asarray(y, dt)
    vector = y.ndim == 1
    if y.ndim == 0:
        raise ValueError("solve: b must have at least one axis, got a 0-d array")
    y2 = view_as(y, y.shape + (1,)) if vector else y
    m = x.shape[-1]
    if y2.shape[-2] != m:
        raise ValueError("solve: a holds %dx%d matrices but b of shape %s has %d rows"
                         % (m, m, y.shape, y2.shape[-2]))
    try:
        np.broadcast_shapes(x.shape[:-2], y2.shape[:-2])
    except ValueError:
        raise ValueError("solve: the stacks of a (shape %s) and b (shape %s) do not "
                         "broadcast" % (x.shape, y.shape)) from None
    try:
        r = apply(SOLVE, (x, y2))
    except LinAlgError:
        raise LinAlgError("solve: Singular matrix (a of shape %s)" % (x.shape,)) from None
    return like_inputs(view_as(r, r.shape[:-1]) if vector else r, (a, b))


# --------------------------------------------------------- determinants ---

def det(a):
    """numpy.linalg.det of each matrix of a stack.  Derivative: the cofactor
    matrix ``det(A) A^-T``, also at a singular matrix (as JAX; MXNet's
    ``nd.linalg.det`` gives 0 there).  Up to 3 x 3 the cofactors come from
    the minors, differentiable to every order; above, a singular matrix's
    (determinant exactly 0) from an SVD, to first order: a higher-order
    derivative there raises ``NotImplementedError`` (under ``dt.jit`` it
    treats them as constants)."""
    x = _square("det", a)
    return like_inputs(_per_matrix(apply(NUMPY_DET, (x,)), x), (a,))


def slogdet(a):
    """numpy.linalg.slogdet: ``(sign, logabsdet)`` of each matrix, as a named
    tuple.  The sign has no derivative; ``logabsdet``'s is ``A^-T`` (zero at
    a singular matrix, where it is ``-inf``)."""
    x = _square("slogdet", a)
    sign = _per_matrix(apply(SLOGDET_SIGN, (x,)), x)
    return SlogdetResult(*like_inputs((sign, _per_matrix(apply(LOGABSDET, (x,)), x)), (a,)))


# ------------------------------------------------------ factorisations ---

def cholesky(a, /, *, upper=False):
    """numpy.linalg.cholesky: the lower factor ``L`` with ``A = L L^T`` (or
    the upper ``U = L^T`` with ``upper=True``), read, as numpy, from the
    lower (upper) triangle of ``A`` only; ``LinAlgError`` unless positive
    definite.  Derivative: ``dL = L phi(L^-1 dA L^-T)``, ``phi`` the lower
    triangle with its diagonal halved."""
    x = _square("cholesky", a)
    try:
        r = apply(POTRF, (_from_triangle(x, not upper),))
    except ValueError:
        raise LinAlgError("cholesky: Matrix is not positive definite (shape %s)"
                          % (x.shape,)) from None
    return like_inputs(swap_last(r) if upper else r, (a,))


def _eigh_v_jvp(ts, ans, xs, uplo):
    gaps = _gaps(apply(SYEVD_LAM, xs))
    return -_matmul(ans, gaps * _matmul(_matmul(swap_last(ans), _sym(ts[0])), ans))


def _eigh_v_vjp(g, ans, xs, needs, uplo):
    gaps = _gaps(apply(SYEVD_LAM, xs))
    vt = swap_last(ans)
    return (-_sym(_matmul(ans, _matmul(gaps * _matmul(vt, g), vt))),)


def _eigh_samples(rng):
    return [(arrays, (uplo,)) for (arrays, _), uplo in
            zip(_symmetric_samples(rng), ("L", "U", "L"))]


#: The eigenvectors (columns) of the symmetric part of ``A``, with the signs
#: LAPACK gives numpy.linalg.eigh for triangle ``uplo``.
EIGH_VECTORS = defop(
    "numpy_linalg_eigh_vectors",
    lambda a, uplo: np.linalg.eigh((a + np.swapaxes(a, -1, -2)) * 0.5, UPLO=uplo)[1],
    jvp=_eigh_v_jvp, vjp=_eigh_v_vjp, samples=_eigh_samples, kind="linalg")


def eigh(a, UPLO="L"):
    """numpy.linalg.eigh: ``(eigenvalues, eigenvectors)`` of the symmetric
    matrices read from the lower (``UPLO='L'``) or upper triangle, the
    eigenvalues ascending, the eigenvectors the columns, with LAPACK's signs
    as numpy.  Derivative (distinct eigenvalues only): ``dw_i = v_i^T dA
    v_i``, ``dv_i = sum_j v_j (v_j^T dA v_i) / (w_i - w_j)``."""
    uplo = _uplo("eigh", UPLO)
    x = _square("eigh", a)
    s = _from_triangle(x, uplo == "L")
    r = EighResult(apply(SYEVD_LAM, (s,)), apply(EIGH_VECTORS, (s,), (uplo,)))
    return EighResult(*like_inputs(r, (a,)))


def eigvalsh(a, UPLO="L"):
    """numpy.linalg.eigvalsh: the ascending eigenvalues of the symmetric
    matrices read from one triangle (see ``eigh``).  Derivative:
    ``dw_i = v_i^T dA v_i`` (distinct eigenvalues)."""
    uplo = _uplo("eigvalsh", UPLO)
    x = _square("eigvalsh", a)
    return like_inputs(apply(SYEVD_LAM, (_from_triangle(x, uplo == "L"),)), (a,))


# ----- singular value decomposition: A = U diag(s) Vh, k = min(m, n) -----
#
# With dS = U^T dA V and F_ij = 1 / (s_j^2 - s_i^2) off the diagonal:
# ds = diag(dS), dU = U (F o (dS S + S dS^T)) + (I - U U^T) dA V S^-1,
# dV = V (F o (S dS + dS^T S)) + (I - V V^T) dA^T U S^-1.

def _svd_gaps(s):
    k = s.shape[-1]
    sq = s * s
    eye = np.eye(k)
    return _const(1.0 - eye, s) / (_row(sq) - _col(sq) + _const(eye, s))


def _svd_u_jvp(ts, ans, xs):
    u, s, vh = ans, apply(SVD_S, xs), apply(SVD_VH, xs)
    tv = _matmul(ts[0], swap_last(vh))
    ds = _matmul(swap_last(u), tv)
    du = _matmul(u, _svd_gaps(s) * (ds * _row(s) + _col(s) * swap_last(ds)))
    if u.shape[-2] > u.shape[-1]:
        du = du + (tv - _matmul(u, _matmul(swap_last(u), tv))) / _row(s)
    return du


def _svd_u_vjp(g, ans, xs, needs):
    u, s, vh = ans, apply(SVD_S, xs), apply(SVD_VH, xs)
    gu = _matmul(swap_last(u), g)
    ga = _matmul(_matmul(u, _svd_gaps(s) * (gu - swap_last(gu)) * _row(s)), vh)
    if u.shape[-2] > u.shape[-1]:
        ga = ga + _matmul((g - _matmul(u, gu)) / _row(s), vh)
    return (ga,)


def _svd_vh_jvp(ts, ans, xs):
    u, s, vh = apply(SVD_U, xs), apply(SVD_S, xs), ans
    v = swap_last(vh)
    tu = _matmul(swap_last(ts[0]), u)
    ds = _matmul(swap_last(tu), v)
    dv = _matmul(v, _svd_gaps(s) * (_col(s) * ds + swap_last(ds) * _row(s)))
    if vh.shape[-1] > vh.shape[-2]:
        dv = dv + (tu - _matmul(v, _matmul(vh, tu))) / _row(s)
    return swap_last(dv)


def _svd_vh_vjp(g, ans, xs, needs):
    u, s, vh = apply(SVD_U, xs), apply(SVD_S, xs), ans
    gv = _matmul(vh, swap_last(g))
    ga = _matmul(_matmul(u, _col(s) * (_svd_gaps(s) * (gv - swap_last(gv)))), vh)
    if vh.shape[-1] > vh.shape[-2]:
        ga = ga + _matmul(u / _row(s), g - _matmul(_matmul(g, swap_last(vh)), vh))
    return (ga,)


def _svd_s_jvp(ts, ans, xs):
    p = _matmul(swap_last(apply(SVD_U, xs)), ts[0]) * apply(SVD_VH, xs)
    return apply(SUM, (p,), ((p.ndim - 1,), False))


def _svd_s_vjp(g, ans, xs, needs):
    return (_matmul(apply(SVD_U, xs) * _row(g), apply(SVD_VH, xs)),)


def _svd_samples(rng):
    """Well separated singular values of both signs' worth of rotations."""
    def sample(*shape):
        m, n = shape[-2:]
        k = min(m, n)
        q1 = np.linalg.qr(rng.standard_normal(shape[:-1] + (m,)))[0][..., :k]
        q2 = np.linalg.qr(rng.standard_normal(shape[:-2] + (n, n)))[0][..., :k]
        return (q1 * (3.0 - 0.8 * np.arange(k))) @ np.swapaxes(q2, -1, -2)
    return [([sample(3, 3)], ()), ([sample(4, 2)], ()), ([sample(2, 4)], ()),
            ([sample(2, 3, 2)], ())]


SVD_U = defop("numpy_linalg_svd_u", lambda a: np.linalg.svd(a, full_matrices=False)[0],
              jvp=_svd_u_jvp, vjp=_svd_u_vjp, samples=_svd_samples, kind="linalg")
SVD_S = defop("numpy_linalg_svd_s", lambda a: np.linalg.svd(a, compute_uv=False),
              jvp=_svd_s_jvp, vjp=_svd_s_vjp, samples=_svd_samples, kind="linalg")
SVD_VH = defop("numpy_linalg_svd_vh", lambda a: np.linalg.svd(a, full_matrices=False)[2],
               jvp=_svd_vh_jvp, vjp=_svd_vh_vjp, samples=_svd_samples, kind="linalg")


#: The full SVD of a matrix that nothing differentiates (values only).
_SVD_FULL = tuple(nondiff("numpy_linalg_svd_full_" + part,
                          lambda a, i=i: np.linalg.svd(a, full_matrices=True)[i], kind="linalg")
                  for i, part in enumerate(("u", "s", "vh")))


def svd(a, full_matrices=True, compute_uv=True, hermitian=False):
    """numpy.linalg.svd: ``(U, S, Vh)`` with ``A = U diag(S) Vh``, singular
    values descending, LAPACK's signs as numpy; only ``S`` with
    ``compute_uv=False``.

    ``full_matrices=True`` (numpy's default) of a non-square matrix gives
    numpy's full ``U`` and ``Vh``, but not where ``a`` is differentiated:
    their extra columns are any orthonormal completion, which has no
    derivative (JAX refuses the same); pass ``full_matrices=False`` there.
    ``hermitian=True`` only with ``compute_uv=False`` (the singular values
    are the same).  Derivative (distinct nonzero singular values):
    ``dS_i = u_i^T dA v_i``, and ``dU``, ``dVh`` by the formulas above
    ``_svd_gaps`` in the source.
    """
    x = _stacked("svd", a)
    m, n = x.shape[-2:]
    if compute_uv and full_matrices and m != n:
        if not all_plain([x]):
            raise NotImplementedError(
                "svd: full_matrices=True of a non-square matrix (shape %s) has no "
                "derivative (the extra columns of U or Vh are any orthonormal "
                "completion); pass full_matrices=False for the reduced SVD" % (x.shape,))
        r = SVDResult(*(apply(op, (x,)) for op in _SVD_FULL))
        return SVDResult(*like_inputs(r, (a,)))
    if compute_uv and hermitian:
        raise NotImplementedError("svd: hermitian=True is supported with compute_uv=False "
                                  "only")
    if not compute_uv:
        return like_inputs(apply(SVD_S, (x,)), (a,))
    r = SVDResult(*(apply(op, (x,)) for op in (SVD_U, SVD_S, SVD_VH)))
    return SVDResult(*like_inputs(r, (a,)))


def qr(a, mode="reduced"):
    """numpy.linalg.qr: ``(Q, R)`` with ``Q`` of orthonormal columns and ``R``
    upper triangular, LAPACK's signs as numpy (through dualtape's LQ ops on
    ``A^T``); ``mode='r'`` returns ``R`` only.

    Differs from numpy: ``mode='complete'`` is accepted only where it is the
    reduced one (no more rows than columns), ``'raw'`` not at all.  A wide
    matrix ``[X Y]`` gives ``Q`` of ``X`` and ``R = triu(Q^T A)``.
    Derivative: that of the LQ factorisation, which needs the leading
    square block to have full rank.
    """
    if mode not in ("reduced", "complete", "r", "raw"):
        raise ValueError("qr: Unrecognized mode %r" % (mode,))
    x = _stacked("qr", a)
    m, n = x.shape[-2:]
    if mode == "raw" or (mode == "complete" and m > n):
        raise NotImplementedError("qr: mode=%r is not supported%s; use mode='reduced'"
                                  % (mode, " for more rows than columns" * (mode != "raw")))
    lead = x if m >= n else x[..., :m]
    xt = swap_last(lead)
    q = swap_last(apply(GELQF_Q, (xt,)))
    r = swap_last(apply(GELQF_L, (xt,))) if m >= n else _linalg.triu(
        _matmul(swap_last(q), x))
    if mode == "r":
        return like_inputs(r, (a,))
    return QRResult(*like_inputs((q, r), (a,)))


# ---------------------------------------------------------- pseudo-inverse ---
#
# dP = -P dA P + P P^T dA^T (I - A P) + (I - P A) dA^T P^T P  (constant rank)

def _pinv_jvp(ts, ans, xs, rcond):
    a, p, t = xs[0], ans, ts[0]
    pt, dt = swap_last(p), swap_last(t)
    out = -_matmul(p, _matmul(t, p))
    out = out + _matmul(p, _matmul(pt, dt - _matmul(_matmul(dt, a), p)))
    return out + _matmul(dt - _matmul(p, _matmul(a, dt)), _matmul(pt, p))


def _pinv_vjp(g, ans, xs, needs, rcond):
    a, p = xs[0], ans
    pt, gt = swap_last(p), swap_last(g)
    ga = -_matmul(pt, _matmul(g, pt))
    ga = ga + _matmul(gt - _matmul(a, _matmul(p, gt)), _matmul(p, pt))
    return (ga + _matmul(_matmul(pt, p), gt - _matmul(_matmul(gt, p), a)),)


def _pinv_primal(a, rcond):
    return np.linalg.pinv(a, rcond=rcond)


PINV = defop("numpy_linalg_pinv", _pinv_primal, jvp=_pinv_jvp, vjp=_pinv_vjp,
             samples=lambda rng: [(arrays, (1e-15,)) for arrays, _ in _svd_samples(rng)],
             kind="linalg")


def pinv(a, rcond=None, hermitian=False, *, rtol=np._NoValue):
    """numpy.linalg.pinv: the Moore-Penrose pseudo-inverse by SVD, singular
    values at most ``rcond`` (default 1e-15, or ``rtol``; ``rtol=None`` is
    ``max(M, N) * eps``) times the largest dropped.  ``hermitian`` is
    accepted and the general SVD used (the same values up to rounding).
    Derivative (constant rank): ``dP = -P dA P + P P^T dA^T (I - A P) +
    (I - P A) dA^T P^T P``."""
    x = _stacked("pinv", a)
    if rcond is None:
        if rtol is np._NoValue:
            rcond = 1e-15
        elif rtol is None:
            rcond = max(x.shape[-2:]) * np.finfo(x._data.dtype).eps
        else:
            rcond = rtol
    elif rtol is not np._NoValue:
        raise ValueError("pinv: `rtol` and `rcond` can't be both set.")
    rcond = float(rcond) if np.ndim(rcond) == 0 else np.asarray(rcond, np.float64)
    return like_inputs(apply(PINV, (x,), (rcond,)), (a,))


def matrix_power(a, n):
    """numpy.linalg.matrix_power: ``a`` multiplied by itself ``n`` times by
    repeated squaring (the identity for ``n == 0``, powers of ``inv(a)`` for
    ``n < 0``); integer matrices stay integer for ``n >= 0``."""
    try:
        n = operator.index(n)
    except TypeError:
        raise TypeError("matrix_power: exponent must be an integer, got %r" % (n,)) from None
    x = asarray(a)
    if x.ndim < 2:
        raise LinAlgError("matrix_power: %d-dimensional array given. Array must be at "
                          "least two-dimensional" % x.ndim)
    if x.shape[-1] != x.shape[-2]:
        raise LinAlgError("matrix_power: Last 2 dimensions of the array must be square, "
                          "got shape %s" % (x.shape,))
    if n == 0:
        eye = np.broadcast_to(np.eye(x.shape[-1], dtype=x._data.dtype), x.shape)
        return like_inputs(asarray(np.ascontiguousarray(eye)), (a,))
    if n < 0:
        x, n = inv(x), -n
    result, z = None, x
    while True:
        if n & 1:
            result = z if result is None else _linalg.matmul(result, z)
        n >>= 1
        if not n:
            break
        z = _linalg.matmul(z, z)
    return like_inputs(result if result is not x else x.copy(), (a,))


# ---------------------------------------------------------------- norms ---

def _two_norm(x, axes, keepdims):
    """sqrt(sum(x**2)) over ``axes`` by the registered ``norm`` op (gradient 0
    where the norm is 0)."""
    r = apply(NORM, (x,), (2, tuple(axes), bool(keepdims)))
    shape = tuple(1 if i in axes else s for i, s in enumerate(x.shape) if keepdims or i not in axes)
    return r if r.shape == shape else view_as(r, shape)


def _max0(x, axis, keepdims=False):
    """numpy's ``max(..., initial=0)`` of non-negative values: 0 over an
    empty axis."""
    axes = _reductions.normalize_axes("norm", axis, x.ndim)
    if any(x.shape[i] == 0 for i in axes):
        shape = tuple(1 if i in axes else s for i, s in enumerate(x.shape)
                      if keepdims or i not in axes)
        return asarray(np.zeros(shape, x._data.dtype))
    return _reductions.max(x, axis=axis, keepdims=keepdims)


def _vector_norm(x, ord, axis, keepdims):
    if ord == np.inf:
        return _max0(_ufuncs.absolute(x), axis, keepdims)
    if ord == -np.inf:
        return _reductions.min(_ufuncs.absolute(x), axis=axis, keepdims=keepdims)
    if ord == 0:
        nonzero = _ufuncs.not_equal(x, 0).astype(x._data.dtype)
        return _reductions.sum(nonzero, axis=axis, keepdims=keepdims)
    if ord is None or ord == 2:
        return _two_norm(x, (axis,), keepdims)
    if ord == 1:
        r = apply(NORM, (x,), (1, (axis,), bool(keepdims)))
        shape = x.shape[:axis] + (1,) * bool(keepdims) + x.shape[axis + 1:]
        return r if r.shape == shape else view_as(r, shape)
    if isinstance(ord, str):
        raise ValueError("norm: Invalid norm order '%s' for vectors" % ord)
    p = float(ord)
    s = _reductions.sum(_ufuncs.power(_ufuncs.absolute(x), p), axis=axis, keepdims=keepdims)
    return _ufuncs.power(s, 1.0 / p)


def _singular_values(x, row, col):
    _dtype("norm", x)                   # float16 raises, as numpy's svd
    y = _linalg._permute(x, [i for i in range(x.ndim) if i not in (row, col)] + [row, col])
    return apply(SVD_S, (y,))


def _matrix_norm(x, ord, row, col):
    if row == col:
        raise ValueError("norm: Duplicate axes given (%d and %d)." % (row, col))
    if ord in (2, -2, "nuc"):
        s = _singular_values(x, row, col)
        if ord == 2:
            return _max0(s, -1)
        if ord == -2:
            return _reductions.min(s, axis=-1)
        return _reductions.sum(s, axis=-1)
    if ord in (1, -1):
        inner, outer = row, col - (col > row)
    elif ord in (np.inf, -np.inf):
        inner, outer = col, row - (row > col)
    elif ord is None or ord in ("fro", "f"):
        return _two_norm(x, (row, col), False)
    else:
        raise ValueError("norm: Invalid norm order %r for matrices." % (ord,))
    sums = _reductions.sum(_ufuncs.absolute(x), axis=inner)
    if ord in (1, np.inf):
        return _max0(sums, outer)
    return _reductions.min(sums, axis=outer)


def norm(x, ord=None, axis=None, keepdims=False):
    """numpy.linalg.norm: vector norms (``ord`` None or 2, 1, inf, -inf, 0,
    any other number p: ``sum(|x|**p)**(1/p)``) over one axis, matrix norms
    ('fro', 'nuc', 1, -1, 2, -2, inf, -inf) over two, the flat 2-norm by
    default; integer input is computed in float64.

    Derivatives where the norm is differentiable: the 2-norm's is ``x /
    norm`` (0 at 0, as ``nd.norm``), the max/min norms' go to every entry
    tied for the extreme, the spectral norms' need a simple extreme singular
    value, ``ord=0`` has none.
    """
    a = asarray(x)
    if a._data.dtype.kind != "f":
        a = asarray(a, np.float64)
    if axis is None:
        if ord is None or (isinstance(ord, str) and ord in ("f", "fro") and a.ndim == 2) or (
                not isinstance(ord, str) and ord == 2 and a.ndim == 1):
            return like_inputs(_two_norm(a, tuple(range(a.ndim)), keepdims), (x,))
        axis = tuple(range(a.ndim))
    elif not isinstance(axis, tuple):
        try:
            axis = int(axis)
        except Exception:
            raise TypeError("norm: 'axis' must be None, an integer or a tuple of integers, "
                            "got %r" % (axis,)) from None
        axis = (axis,)
    axes = [int(_reductions.normalize_axes("norm", i, a.ndim)[0]) for i in axis]
    if len(axes) == 1:
        return like_inputs(_vector_norm(a, ord, axes[0], keepdims), (x,))
    if len(axes) != 2:
        raise ValueError("norm: Improper number of dimensions to norm (axis %s of an array "
                         "of shape %s)." % (axis, a.shape))
    r = _matrix_norm(a, ord, *axes)
    if keepdims:
        r = view_as(r, tuple(1 if i in axes else s for i, s in enumerate(a.shape)))
    return like_inputs(r, (x,))


# ------------------------------------- numpy 2's array-API functions ---

def vector_norm(x, /, *, axis=None, keepdims=False, ord=2):
    """numpy.linalg.vector_norm: a vector norm (``ord`` as ``norm``'s) of the
    flattened array, or over any number of axes taken together."""
    a = asarray(x)
    shape = a.shape
    if axis is None:
        a, ax = _linalg._reshaped(a, (a.size,)), 0
    elif isinstance(axis, tuple):
        axes = tuple(int(_reductions.normalize_axes("vector_norm", i, a.ndim)[0])
                     for i in axis)
        rest = [i for i in range(a.ndim) if i not in axes]
        a = _linalg._permute(a, list(axes) + rest)
        a = _linalg._reshaped(a, (int(np.prod([shape[i] for i in axes], dtype=np.int64)),)
                              + tuple(shape[i] for i in rest))
        ax = 0
    else:
        ax = axis
    r = norm(a, axis=ax, ord=ord)
    if keepdims:
        kept = _reductions.normalize_axes("vector_norm", axis, len(shape))
        r = view_as(r, tuple(1 if i in kept else n for i, n in enumerate(shape)))
    return like_inputs(r, (x,))


def matrix_norm(x, /, *, keepdims=False, ord="fro"):
    """numpy.linalg.matrix_norm: ``norm`` over the last two axes."""
    return norm(x, axis=(-2, -1), keepdims=keepdims, ord=ord)


def svdvals(x, /):
    """numpy.linalg.svdvals: the singular values, descending (see ``svd``)."""
    return svd(x, compute_uv=False)


def matmul(x1, x2, /):
    """numpy.linalg.matmul: ``dualtape.numpy.matmul``."""
    return _linalg.matmul(x1, x2)


def tensordot(x1, x2, /, *, axes=2):
    """numpy.linalg.tensordot: ``dualtape.numpy.tensordot``."""
    return _linalg.tensordot(x1, x2, axes)


def outer(x1, x2, /):
    """numpy.linalg.outer: the outer product of two 1-d arrays."""
    if np.ndim(x1) != 1 or np.ndim(x2) != 1:
        raise ValueError("outer: input arrays must be one-dimensional, got shapes %s and %s"
                         % (np.shape(x1), np.shape(x2)))
    return _linalg.outer(x1, x2)


def vecdot(x1, x2, /, *, axis=-1):
    """numpy.linalg.vecdot: the dot products of vectors along ``axis``
    (leading axes broadcast)."""
    a, b = _linalg._pair("vecdot", x1, x2)
    if a.ndim == 0 or b.ndim == 0:
        raise ValueError("vecdot: 0-d operands have no vector axis")
    try:
        shape = np.broadcast_shapes(a.shape, b.shape)
    except ValueError:
        raise ValueError("vecdot: shapes %s and %s do not broadcast" % (a.shape, b.shape)
                         ) from None
    ax = _reductions.normalize_axes("vecdot", axis, len(shape))[0]
    if a.shape[ax - len(shape)] != b.shape[ax - len(shape)]:
        raise ValueError("vecdot: the vectors (axis %d) of shapes %s and %s differ in length"
                         % (axis, a.shape, b.shape))
    return like_inputs(_reductions.sum(_ufuncs.multiply(a, b), axis=ax), (x1, x2))


def diagonal(x, /, *, offset=0):
    """numpy.linalg.diagonal: the diagonal ``offset`` of the last two axes."""
    return _linalg.diagonal(x, offset, -2, -1)


def trace(x, /, *, offset=0, dtype=None):
    """numpy.linalg.trace: the sums of the diagonals ``offset`` of the last
    two axes (integers sum in numpy's default integer)."""
    return _reductions.sum(_linalg.diagonal(x, offset, -2, -1), axis=-1, dtype=dtype)


def matrix_transpose(x, /):
    """numpy.linalg.matrix_transpose: the last two axes swapped."""
    a = asarray(x)
    if a.ndim < 2:
        raise ValueError("matrix_transpose: input must be at least 2-d, got shape %s"
                         % (a.shape,))
    return like_inputs(swap_last(a), (x,))
