"""nd.linalg and the nd.linalg_* aliases: values, shapes and dtypes against
MXNet 1.9.1 (literal values recorded from it) and numpy formulas, gradients
through recording, second derivatives of the composite functions, and the
errors.  The registry sweeps check the rules of the registered ops."""
import itertools

import numpy as np
import pytest

import dualtape as dt
from dualtape import autograd, nd

from helpers import FLOATS, DT_IDS, check

L = nd.linalg
NAMES = ["gemm", "gemm2", "potrf", "potri", "trsm", "trmm", "syrk", "gelqf", "syevd",
         "inverse", "det", "slogdet", "sumlogdiag", "extractdiag", "makediag",
         "extracttrian", "maketrian"]
S3 = [[4.0, 2, -2], [2, 10, 2], [-2, 2, 5]]         # = L L^T, L = [[2,0,0],[1,3,0],[-1,1,3**.5]]
A3 = [[2.0, 7, 9], [1, 3, 8], [-1, 2, 4]]
B32 = [[1.0, 2], [3, 4], [5, 6]]
W3 = [[1.0, -2, 0.5], [0.3, 1, 2], [-1, 0.7, 1.5]]


def _grads(f, arrays, heads, dtype="float64"):
    """Outputs and input gradients of ``f`` with head gradients ``heads``."""
    xs = [nd.array(a, dtype=dtype) for a in arrays]
    for x in xs:
        x.attach_grad()
    with autograd.record():
        y = f(*xs)
    ys = y if isinstance(y, list) else [y]
    autograd.backward(ys, [nd.array(h, dtype=dtype) for h in heads])
    return ys, [x.grad for x in xs]


def _spd(rng, *shape):
    m = rng.standard_normal(shape)
    return m @ np.swapaxes(m, -1, -2) + shape[-1] * np.eye(shape[-1])


# --------------------------------------------------------------- exports ---

def test_namespace_and_flat_aliases_as_in_mxnet():
    assert sorted(n for n in vars(L)) == sorted(NAMES)
    for name in NAMES:
        if name == "syevd":     # MXNet 1.9.1 has no nd.linalg_syevd
            assert not hasattr(nd, "linalg_syevd")
        else:
            assert getattr(nd, "linalg_" + name) is getattr(L, name)
        assert getattr(L, name).__doc__
    assert not hasattr(nd.NDArray, "potrf") and not hasattr(nd.NDArray, "det")


# ------------------------------------------------------------ products ---

@pytest.mark.parametrize("dtype", FLOATS, ids=DT_IDS)
def test_gemm_and_gemm2_match_mxnet(dtype):
    a = nd.array([[1.0, 2], [3, 4]], dtype=dtype)
    c = nd.array([[1.0, 1, 1], [2, 2, 2]], dtype=dtype)
    # MXNet 1.9.1
    check(L.gemm(a, nd.array([[1.0, 0, 2], [0, 1, 1]], dtype=dtype), c, alpha=2.0, beta=-1.0),
          [[1.0, 3, 7], [4, 6, 18]], dtype)
    check(L.gemm(a, nd.array([[1.0, 0], [0, 1], [2, 1]], dtype=dtype), c, transpose_a=True,
                 transpose_b=True), [[2.0, 4, 6], [4, 6, 10]], dtype)
    x = nd.array([[[1.0, 1.0]], [[0.1, 0.1]]], dtype=dtype)
    check(L.gemm2(x, x, transpose_b=True, alpha=2.0), [[[4.0]], [[0.04]]], dtype)
    a3 = nd.array(np.arange(12.0).reshape(2, 3, 2), dtype=dtype)
    check(L.gemm2(a3, a3 - 5, axis=0, transpose_b=True),
          [[[-4.0, 2], [-12, 18], [-4, 50]], [[-58.0, 20], [-42, 60], [-10, 116]]], dtype)


@pytest.mark.parametrize("ta,tb", list(itertools.product([False, True], repeat=2)))
@pytest.mark.parametrize("dtype", FLOATS, ids=DT_IDS)
def test_gemm_options_and_axis_against_numpy(ta, tb, dtype):
    rng = np.random.default_rng(0)
    # rows on axis 1 of 4-d inputs: the matrices are a[i, :, j, :]
    a = rng.standard_normal((2, 4, 3, 5) if ta else (2, 5, 3, 4))
    b = rng.standard_normal((2, 6, 3, 4) if tb else (2, 4, 3, 6))
    c = rng.standard_normal((2, 5, 3, 6))
    ma, mb = np.swapaxes(a, 1, 2), np.swapaxes(b, 1, 2)
    ma = np.swapaxes(ma, -1, -2) if ta else ma
    mb = np.swapaxes(mb, -1, -2) if tb else mb
    want = np.swapaxes(0.5 * ma @ mb, 1, 2)
    args = [nd.array(v, dtype=dtype) for v in (a, b, c)]
    tol = dict(rtol=1e-5, atol=1e-5)
    check(L.gemm2(*args[:2], transpose_a=ta, transpose_b=tb, alpha=0.5, axis=1), want,
          dtype, **tol)
    check(L.gemm(*args, transpose_a=ta, transpose_b=tb, alpha=0.5, beta=2.0, axis=-3),
          want + 2 * c, dtype, **tol)


def test_gemm_gradients_match_mxnet():
    a = np.arange(12.0).reshape(2, 3, 2)
    ys, gs = _grads(lambda x, y, z: L.gemm(x, y, z, axis=0, transpose_a=True, alpha=2.0,
                                           beta=3.0), [a, a - 5, np.ones((2, 3, 2))], [a / 10])
    # MXNet 1.9.1
    check(ys[0], [[[15.0, 27], [39, 59], [95, 123]], [[7.0, 23], [39, 63], [103, 135]]])
    check(gs[0], [[[-0.8, -11.6], [-2.4, -8.4], [-0.8, -2.0]],
                  [[0.4, 4.0], [3.6, 12.0], [10.0, 23.2]]])
    check(gs[1], [[[1.2, 1.4], [5.6, 6.6], [13.2, 15.0]], [[8.4, 11.0], [17.6, 21.0],
                                                           [30.0, 34.2]]])
    check(gs[2], 0.3 * a)


@pytest.mark.parametrize("dtype", FLOATS, ids=DT_IDS)
def test_syrk_matches_mxnet(dtype):
    a = nd.array([[1.0, 2, 3], [4, 5, 6]], dtype=dtype)
    # MXNet 1.9.1
    check(L.syrk(a), [[14.0, 32], [32, 77]], dtype)
    check(L.syrk(a, transpose=True, alpha=0.5),
          [[8.5, 11, 13.5], [11, 14.5, 18], [13.5, 18, 22.5]], dtype)
    _, gs = _grads(lambda x: L.syrk(x, alpha=2.0), [a.asnumpy()], [[[1.0, 2], [-1, 0.5]]])
    check(gs[0], [[12.0, 18, 24], [10, 14, 18]])
    assert L.syrk(nd.ones((4, 2, 3), dtype=dtype), transpose=True).shape == (4, 3, 3)


# ------------------------------------------------- triangular matrices ---

# MXNet 1.9.1: trsm and trmm of A3 and B32 (B32^T on the right side), alpha=2,
# keyed by (transpose, rightside, lower)
TRSM = {
    (False, False, True): [[1.0, 2.0], [5 / 3, 2.0], [23 / 12, 2.5]],
    (False, False, False): [[73 / 12, 43 / 6], [-14 / 3, -16 / 3], [2.5, 3.0]],
    (False, True, True): [[25 / 12, 1 / 3, 2.5], [19 / 6, 2 / 3, 3.0]],
    (False, True, False): [[1.0, -1 / 3, 11 / 12], [2.0, -2.0, 2.5]],
    (True, False, True): [[25 / 12, 19 / 6], [1 / 3, 2 / 3], [2.5, 3.0]],
    (True, False, False): [[1.0, 2.0], [-1 / 3, -2.0], [11 / 12, 2.5]],
    (True, True, True): [[1.0, 5 / 3, 23 / 12], [2.0, 2.0, 2.5]],
    (True, True, False): [[73 / 12, -14 / 3, 2.5], [43 / 6, -16 / 3, 3.0]]}
TRMM = {
    (False, False, True): [[4.0, 8], [20, 28], [50, 60]],
    (False, False, False): [[136.0, 172], [98, 120], [40, 48]],
    (False, True, True): [[0.0, 38, 40], [4, 48, 48]],
    (False, True, False): [[4.0, 32, 106], [8, 52, 148]],
    (True, False, True): [[0.0, 4], [38, 48], [40, 48]],
    (True, False, False): [[4.0, 8], [32, 52], [106, 148]],
    (True, True, True): [[4.0, 20, 50], [8, 28, 60]],
    (True, True, False): [[136.0, 98, 40], [172, 120, 48]]}


@pytest.mark.parametrize("key", sorted(TRSM))
@pytest.mark.parametrize("dtype", FLOATS, ids=DT_IDS)
def test_trsm_and_trmm_match_mxnet(key, dtype):
    transpose, rightside, lower = key
    a = nd.array(A3, dtype=dtype)
    b = nd.array(np.array(B32).T if rightside else B32, dtype=dtype)
    kw = dict(transpose=transpose, rightside=rightside, lower=lower, alpha=2.0)
    check(L.trsm(a, b, **kw), TRSM[key], dtype, rtol=1e-5)
    check(L.trmm(a, b, **kw), TRMM[key], dtype, rtol=1e-6)


@pytest.mark.parametrize("key", sorted(TRSM))
def test_trsm_and_trmm_batched_against_numpy(key):
    transpose, rightside, lower = key
    rng = np.random.default_rng(1)
    a = rng.standard_normal((2, 3, 3)) + 3 * np.eye(3)
    b = rng.standard_normal((2, 4, 3) if rightside else (2, 3, 4))
    t = np.tril(a) if lower else np.triu(a)
    t = np.swapaxes(t, -1, -2) if transpose else t
    solved = np.swapaxes(np.linalg.solve(np.swapaxes(t, -1, -2), np.swapaxes(b, -1, -2)),
                         -1, -2) if rightside else np.linalg.solve(t, b)
    kw = dict(transpose=transpose, rightside=rightside, lower=lower, alpha=-0.5)
    x, y = nd.array(a, dtype="float64"), nd.array(b, dtype="float64")
    check(L.trsm(x, y, **kw), -0.5 * solved, np.float64, rtol=1e-12)
    check(L.trmm(x, y, **kw), -0.5 * (b @ t if rightside else t @ b), np.float64, rtol=1e-12)


def test_trsm_and_trmm_gradients_lie_on_the_triangle_read():
    # MXNet 1.9.1
    ys, gs = _grads(lambda a, b: L.trsm(a, b, transpose=True, alpha=2.0), [A3, B32],
                    [[[1.0, -1], [2, 0.5], [0, 1]]])
    check(ys[0], TRSM[(True, False, True)])
    check(gs[0], [[0.5416666666666665, 0, 0], [1 / 6, -0.38888888888888884, 0],
                  [0.25, -2.25, 0.4375]])
    check(gs[1], [[1.0, -1], [1, 2 / 3], [-0.25, -1 / 12]])
    _, gs = _grads(lambda a, b: L.trmm(a, b, rightside=True, lower=False),
                   [A3, np.array(B32).T], [[[1.0, -1, 2], [0.5, 0, 1]]])
    check(gs[0], [[2.0, -1, 4], [0, -3, 10], [0, 0, 16]])
    check(gs[1], [[13.0, 13, 8], [10, 8, 4]])


# -------------------------------------------------------------- Cholesky ---

@pytest.mark.parametrize("dtype", FLOATS, ids=DT_IDS)
def test_potrf_and_potri_match_mxnet(dtype):
    s = nd.array(S3, dtype=dtype)
    factor = [[2.0, 0, 0], [1, 3, 0], [-1, 1, 3 ** 0.5]]
    # MXNet 1.9.1
    check(L.potrf(s), factor, dtype)
    check(L.potrf(s, lower=False), np.transpose(factor), dtype)
    check(L.potrf(nd.array([[[4.0, 1.0], [1.0, 4.25]], [[16.0, 4.0], [4.0, 17.0]]],
                           dtype=dtype)), [[[2.0, 0], [0.5, 2.0]], [[4.0, 0], [1.0, 4.0]]], dtype)
    inv = [[0.265625, -0.0625], [-0.0625, 0.25]]
    check(L.potri(nd.array([[2.0, 0], [0.5, 2]], dtype=dtype)), inv, dtype)
    # only the triangle named by ``lower`` is read
    check(L.potri(nd.array([[2.0, 0.5], [7, 2]], dtype=dtype), lower=False), inv, dtype)
    check(L.potri(nd.array([[2.0, 9], [0.5, 2]], dtype=dtype)), inv, dtype)


def test_potrf_inverts_its_product_and_potri_inverts_the_matrix():
    rng = np.random.default_rng(2)
    a = _spd(rng, 2, 4, 4)
    f = L.potrf(nd.array(a, dtype="float64")).asnumpy()
    np.testing.assert_allclose(f @ np.swapaxes(f, -1, -2), a, rtol=1e-12, atol=1e-12)
    assert np.all(np.triu(f, 1) == 0) and np.all(np.diagonal(f, axis1=1, axis2=2) > 0)
    check(L.potri(nd.array(f, dtype="float64")), np.linalg.inv(a), np.float64, rtol=1e-10)
    u = L.potrf(nd.array(a, dtype="float64"), lower=False)
    check(L.potri(u, lower=False), np.linalg.inv(a), np.float64, rtol=1e-10)


def test_potrf_and_potri_gradients_match_mxnet():
    # MXNet 1.9.1: the potrf gradient is symmetric
    _, gs = _grads(L.potrf, [S3], [W3])
    check(gs[0], [[0.25356120084098643, -0.026780600420493215, -0.01965819873852039],
                  [-0.026780600420493225, 0.1758903002102466, -0.027670900630739813],
                  [-0.019658198738520354, -0.027670900630739827, 0.43301270189221946]])
    _, gs = _grads(lambda a: L.potrf(a, lower=False), [S3], [W3])
    check(gs[0], [[0.6021723119520975, -0.45733615597604876, 0.2470084679281463],
                  [-0.45733615597604876, 0.10366807798802438, 0.18899576603592685],
                  [0.2470084679281463, 0.18899576603592685, 0.43301270189221946]])
    # potri: a gradient only on the lower triangle it reads
    _, gs = _grads(L.potri, [[[2.0, 1], [0.5, 2]]], [[[1.0, 2], [-1, 0.5]]])
    check(gs[0], [[-0.234375, 0.0], [-0.0625, -0.078125]])


def test_potrf_reads_the_symmetric_part():
    """MXNet reads the lower triangle of a (documented) symmetric input;
    dualtape factors (A + A^T) / 2, the same on symmetric input."""
    a = np.array(S3)
    skew = np.array([[0.0, 1, 0], [-1, 0, 2], [0, -2, 0]])
    check(L.potrf(nd.array(a + skew, dtype="float64")), np.linalg.cholesky(a), np.float64,
          rtol=1e-12)


# ----------------------------------------------------- factorisations ---

@pytest.mark.parametrize("dtype", FLOATS, ids=DT_IDS)
def test_gelqf_matches_mxnet(dtype):
    q, l_ = L.gelqf(nd.array([[1.0, 2, 3], [4, 5, 6]], dtype=dtype))
    # MXNet 1.9.1 (LAPACK's signs)
    check(q, [[-0.2672612419124243, -0.5345224838248488, -0.8017837257372732],
              [0.8728715609439696, 0.21821789023599236, -0.43643578047198456]], dtype)
    check(l_, [[-3.7416573867739413, 0.0], [-8.55235974119758, 1.963961012123933]], dtype,
          rtol=1e-5)
    q, l_ = L.gelqf(nd.array([[1.0, 2], [-3, 1]], dtype=dtype))
    check(q, [[-0.4472135305404663, -0.8944271802902222],
              [-0.8944271802902222, 0.4472135901451111]], dtype)
    check(l_, [[-2.2360680103302, 0.0], [0.44721364974975586, 3.130495309829712]], dtype)


def test_gelqf_batched_factors_are_orthonormal_and_triangular():
    a = np.random.default_rng(3).standard_normal((3, 2, 5))
    q, l_ = (o.asnumpy() for o in L.gelqf(nd.array(a, dtype="float64")))
    assert q.shape == (3, 2, 5) and l_.shape == (3, 2, 2)
    np.testing.assert_allclose(l_ @ q, a, atol=1e-12)
    np.testing.assert_allclose(q @ np.swapaxes(q, 1, 2), np.broadcast_to(np.eye(2), (3, 2, 2)),
                               atol=1e-12)
    assert np.all(np.triu(l_, 1) == 0)


def test_gelqf_gradient_matches_mxnet():
    _, gs = _grads(L.gelqf, [[[1.0, 2, 3], [4, 5, 6]]],
                   [[[1.0, -1, 2], [0.5, 0, 1]], [[1.0, 2], [-1, 0.5]]])
    # MXNet 1.9.1
    check(gs[0], [[-1.487652486730964, 0.3161482042642889, -0.9621004361905183],
                  [0.8309907916887378, 0.38904389033418735, 0.7108596048056097]])


@pytest.mark.parametrize("dtype", FLOATS, ids=DT_IDS)
def test_syevd_matches_mxnet(dtype):
    u, lam = L.syevd(nd.array([[1.0, 2], [2, 4]], dtype=dtype))
    # MXNet 1.9.1: eigenvectors as rows, largest entry positive; ascending
    check(u, [[0.8944271802902222, -0.4472135901451111],
              [0.4472135901451111, 0.8944271802902222]], dtype)
    check(lam, [0.0, 5.0], dtype, atol=1e-5)
    u, lam = L.syevd(nd.array(S3, dtype=dtype))
    check(u, [[0.7347577723307529, -0.31458116727244023, 0.600973963826269],
              [-0.6480970801774257, -0.06401448638835777, 0.7588625173230853],
              [0.20025281687168495, 0.9470696039520763, 0.2509142774036821]], dtype, rtol=1e-5)
    check(lam, [1.507872211560437, 6.5393634036622075, 10.952764384777351], dtype, rtol=1e-5)


def test_syevd_batched_reconstructs_and_gradient_matches_mxnet():
    a = _spd(np.random.default_rng(4), 2, 4, 4)
    u, lam = (o.asnumpy() for o in L.syevd(nd.array(a, dtype="float64")))
    assert u.shape == (2, 4, 4) and lam.shape == (2, 4)
    np.testing.assert_allclose(u @ a, lam[..., None] * u, atol=1e-10)
    np.testing.assert_allclose(lam, np.linalg.eigvalsh(a), rtol=1e-12)
    big = np.take_along_axis(u, np.argmax(np.abs(u), -1)[..., None], -1)
    assert np.all(big > 0)
    _, gs = _grads(L.syevd, [S3], [W3, [1.0, -2, 0.5]])
    # MXNet 1.9.1: symmetric
    check(gs[0], [[-0.381534961346248, -0.1655887528423905, 1.4953365111525088],
                  [-0.1655887528423905, 0.49325048005407496, 0.0503603227469189],
                  [1.495336511152509, 0.050360322746918894, -0.6117155187078275]])


# ------------------------------------------------ inverse, determinants ---

@pytest.mark.parametrize("dtype", FLOATS, ids=DT_IDS)
def test_inverse_det_slogdet_match_mxnet(dtype):
    # MXNet 1.9.1
    check(L.inverse(nd.array([[1.0, 4], [2, 3]], dtype=dtype)),
          [[-0.6, 0.8], [0.4, -0.2]], dtype)
    check(L.det(nd.array([[[1.0, 4], [2, 3]], [[2.0, 3], [1, 4]]], dtype=dtype)),
          [-5.0, 5.0], dtype, rtol=1e-5)
    check(L.det(nd.array([[1.0, 4], [2, 3]], dtype=dtype)), [-5.0], dtype, rtol=1e-5)
    sign, logabs = L.slogdet(nd.array([[[2.0, 3], [1, 4]], [[1.0, 2], [2, 4]],
                                       [[1.0, 2], [4, 3]]], dtype=dtype))
    check(sign, [1.0, 0.0, -1.0], dtype)
    got = logabs.asnumpy()
    assert got[1] == -np.inf and logabs.dtype is dtype
    np.testing.assert_allclose(got[[0, 2]], [1.6094379124341003] * 2, rtol=1e-6)
    assert L.det(nd.ones((2, 1, 3, 3), dtype=dtype)).shape == (2, 1)


def test_determinant_and_inverse_gradients_match_mxnet():
    a = [[1.0, 4], [2, 3]]
    # MXNet 1.9.1
    _, gs = _grads(L.det, [a], [[2.0]])
    check(gs[0], [[6.0, -4.0], [-8.0, 2.0]])
    _, gs = _grads(lambda x: L.slogdet(x)[1], [a], [[2.0]])
    check(gs[0], [[-1.2, 0.8], [1.6, -0.4]])
    _, gs = _grads(L.inverse, [a], [[[1.0, 2], [-1, 0.5]]])
    check(gs[0], [[0.2, 0.2], [-0.6, -0.1]])
    # no gradient through the determinant of a singular matrix (MXNet)
    for f in (L.det, lambda x: L.slogdet(x)[1]):
        _, gs = _grads(f, [[[[1.0, 2], [2, 4]], [[1.0, 4], [2, 3]]]], [[1.0, 1.0]])
        check(gs[0][0], np.zeros((2, 2)))
        assert np.all(gs[0][1].asnumpy() != 0)


@pytest.mark.parametrize("dtype", FLOATS, ids=DT_IDS)
def test_sumlogdiag_matches_mxnet(dtype):
    # MXNet 1.9.1
    check(L.sumlogdiag(nd.array([[[1.0, 1.0], [1.0, 7.0]], [[3.0, 0], [0, 17.0]]],
                                dtype=dtype)), [1.945910096168518, 3.931825637817383], dtype)
    check(L.sumlogdiag(nd.array([[1.0, 1.0], [1.0, 7.0]], dtype=dtype)), [np.log(7.0)], dtype)
    _, gs = _grads(L.sumlogdiag, [[[1.0, 1.0], [1.0, 7.0]]], [[2.0]])
    check(gs[0], [[2.0, 0.0], [0.0, 2 / 7]])


# ---------------------------------------------- diagonals and triangles ---

M4 = np.arange(16.0).reshape(4, 4)
# MXNet 1.9.1, keyed by (offset, lower)
EXTRACTTRIAN = {
    (0, True): [0.0, 4, 5, 8, 9, 10, 12, 13, 14, 15],
    (0, False): [0.0, 1, 5, 2, 6, 10, 3, 7, 11, 15],
    (2, True): [2.0, 3, 7], (2, False): [2.0, 3, 7],
    (-1, True): [4.0, 8, 9, 12, 13, 14], (-1, False): [4.0, 8, 9, 12, 13, 14]}
MAKETRIAN = {
    (0, True): [[1.0, 0], [2, 3]], (0, False): [[1.0, 2], [0, 3]],
    (2, True): [[0.0, 0, 1, 2], [0, 0, 0, 3], [0, 0, 0, 0], [0, 0, 0, 0]],
    (-1, False): [[0.0, 0, 0], [1, 0, 0], [2, 3, 0]]}


@pytest.mark.parametrize("dtype", FLOATS, ids=DT_IDS)
def test_diagonals_match_mxnet(dtype):
    m = nd.array(M4, dtype=dtype)
    # MXNet 1.9.1
    check(L.extractdiag(m), [0.0, 5, 10, 15], dtype)
    check(L.extractdiag(m, 2), [2.0, 7], dtype)
    check(L.extractdiag(m, offset=-1), [4.0, 9, 14], dtype)
    v = nd.array([1.0, 2], dtype=dtype)
    check(L.makediag(v), [[1.0, 0], [0, 2]], dtype)
    check(L.makediag(v, 2), [[0.0, 0, 1, 0], [0, 0, 0, 2], [0, 0, 0, 0], [0, 0, 0, 0]], dtype)
    check(L.makediag(v, offset=-1), [[0.0, 0, 0], [1, 0, 0], [0, 2, 0]], dtype)
    batch = nd.array([[1.0, 2], [3, 4]], dtype=dtype)
    check(L.makediag(batch), [[[1.0, 0], [0, 2]], [[3.0, 0], [0, 4]]], dtype)
    check(L.extractdiag(L.makediag(batch)), batch.asnumpy(), dtype)


@pytest.mark.parametrize("key", sorted(EXTRACTTRIAN))
def test_extracttrian_matches_mxnet(key):
    offset, lower = key
    check(L.extracttrian(nd.array(M4), offset, lower=lower), EXTRACTTRIAN[key], np.float32)
    # maketrian is its inverse on the triangle
    back = np.tril(M4, offset) if offset < 0 or (offset == 0 and lower) else np.triu(M4, offset)
    check(L.maketrian(nd.array(EXTRACTTRIAN[key]), offset, lower), back)


@pytest.mark.parametrize("key", sorted(MAKETRIAN))
def test_maketrian_matches_mxnet(key):
    offset, lower = key
    check(L.maketrian(nd.array([1.0, 2, 3]), offset, lower=lower), MAKETRIAN[key], np.float32)


def test_triangles_batched_and_their_gradients():
    a = np.arange(18.0).reshape(2, 3, 3)
    check(L.extracttrian(nd.array(a)), [[0.0, 3, 4, 6, 7, 8], [9.0, 12, 13, 15, 16, 17]])
    check(L.maketrian(nd.array([[1.0, 2, 3], [4, 5, 6]])),
          [[[1.0, 0], [2, 3]], [[4.0, 0], [5, 6]]])
    # MXNet 1.9.1
    _, gs = _grads(lambda x: L.extracttrian(x, 1, lower=False), [M4[:3, :3]], [[1.0, 2, 3]])
    check(gs[0], [[0.0, 1, 2], [0, 0, 3], [0, 0, 0]])
    _, gs = _grads(lambda x: L.maketrian(x, lower=False), [[1.0, 2, 3]], [[[1.0, 2], [3, 4]]])
    check(gs[0], [1.0, 2, 4])
    _, gs = _grads(lambda x: L.makediag(x, -1), [[[1.0, 2], [3, 4]]],
                   [np.arange(18.0).reshape(2, 3, 3)])
    check(gs[0], [[3.0, 7], [12, 16]])


# --------------------------------------------- derivatives, second order ---

def _second_order_cases():
    rng = np.random.default_rng(5)
    r = rng.standard_normal
    tri = r((2, 3, 3)) + 3 * np.eye(3)
    return [
        ("gemm axis", lambda a, b, c: L.gemm(a, b, c, transpose_a=True, alpha=0.5, beta=2.0,
                                             axis=0), [r((3, 2, 2)), r((3, 2, 2)), r((2, 2, 2))]),
        ("gemm2", lambda a, b: L.gemm2(a, b, transpose_b=True), [r((2, 3)), r((4, 3))]),
        ("syrk", lambda a: L.syrk(a, transpose=True), [r((2, 3, 2))]),
        ("trmm", lambda a, b: L.trmm(a, b, transpose=True, lower=False, alpha=2.0),
         [tri, r((2, 3, 2))]),
        ("trsm", lambda a, b: L.trsm(a, b, rightside=True, alpha=-1.5), [tri, r((2, 2, 3))]),
        ("trsm t", lambda a, b: L.trsm(a, b, transpose=True, lower=False), [tri, r((2, 3, 1))]),
        ("potrf upper", lambda a: L.potrf(a, lower=False), [_spd(rng, 3, 3)]),
        ("potri", L.potri, [tri]),
        ("potri upper", lambda a: L.potri(a, lower=False), [tri[0]]),
        ("gelqf", lambda a: tuple(L.gelqf(a)), [r((2, 3)) + np.eye(2, 3) * 2]),
        ("syevd", lambda a: tuple(L.syevd(a)), [np.diag([1.0, 3, 6]) + 0.1 * _spd(rng, 3, 3)]),
        ("inverse", L.inverse, [tri]),
        ("det", L.det, [tri]),
        ("slogdet", lambda a: L.slogdet(a)[1], [tri * np.array([1.0, -1, 1])]),
        ("sumlogdiag", L.sumlogdiag, [tri]),
        ("extractdiag", lambda a: L.extractdiag(a, 1), [r((2, 3, 3))]),
        ("makediag", lambda a: L.makediag(a, -1), [r((2, 2))]),
        ("extracttrian", lambda a: L.extracttrian(a, lower=False), [r((3, 3))]),
        ("maketrian", lambda a: L.maketrian(a, 1), [r((2, 3))]),
    ]


@pytest.mark.parametrize("name,f,arrays", _second_order_cases(),
                         ids=[c[0] for c in _second_order_cases()])
def test_functions_differentiate_to_second_order(name, f, arrays):
    dt.check_grad(f, *[nd.array(a, dtype="float64") for a in arrays], order=2)


def test_potrf_hessian_vector_product_matches_finite_differences():
    """Forward over reverse through the Cholesky rules."""
    rng = np.random.default_rng(6)
    a = _spd(rng, 3, 3)
    v = rng.standard_normal((3, 3))
    w = rng.standard_normal((3, 3))

    def loss(x):
        return (L.potrf(x) * nd.array(w, dtype="float64")).sum()

    def grad_at(x):
        return dt.grad(loss)(nd.array(x, dtype="float64")).asnumpy()
    hv = dt.hvp(loss, nd.array(a, dtype="float64"), nd.array(v, dtype="float64"))
    eps = 1e-5
    check(hv, (grad_at(a + eps * v) - grad_at(a - eps * v)) / (2 * eps), rtol=1e-5, atol=1e-7)


# ---------------------------------------------------------------- errors ---

ERRORS = [
    (lambda: L.potrf(nd.array([[1.0, 2], [2, 1]])), ValueError,
     r"linalg\.potrf: the matrix is not symmetric positive definite"),
    (lambda: L.potrf(nd.ones((2, 3))), ValueError, r"potrf: A must hold square matrices"),
    (lambda: L.potrf(nd.ones((3,))), ValueError, r"potrf: A must be a matrix.*\(3,\)"),
    (lambda: L.potrf(nd.ones((2, 2), dtype="int32")), TypeError,
     "potrf supports float32 and float64 arrays only, got int32"),
    (lambda: L.det(nd.ones((2, 2), dtype="float16")), TypeError, "det supports float32"),
    (lambda: L.potri(nd.array([[0.0, 0], [1, 1]])), ValueError,
     "potri: A has a zero on its diagonal"),
    (lambda: L.inverse(nd.array([[1.0, 2], [2, 4]])), ValueError,
     r"linalg\.inverse: the matrix is singular"),
    (lambda: L.inverse(nd.ones((2, 3))), ValueError, "inverse: A must hold square"),
    (lambda: L.det(nd.ones((2, 3))), ValueError, "det: A must hold square"),
    (lambda: L.slogdet(nd.ones((3, 2))), ValueError, "slogdet: A must hold square"),
    (lambda: L.gemm(nd.ones((2, 3)), nd.ones((2, 3)), nd.ones((2, 3))), ValueError,
     r"gemm: op\(A\) has 3 columns but op\(B\) has 2 rows"),
    (lambda: L.gemm(nd.ones((2, 3)), nd.ones((3, 4)), nd.ones((2, 3))), ValueError,
     r"gemm: C must have the shape \(2, 4\)"),
    (lambda: L.gemm2(nd.ones((2, 2, 3)), nd.ones((1, 3, 4))), ValueError,
     "gemm2: A and B must have the same shape apart from"),
    (lambda: L.gemm2(nd.ones((2, 2, 3)), nd.ones((3, 4))), ValueError,
     "gemm2: A and B must have the same number of axes"),
    (lambda: L.gemm2(nd.ones((3, 3)), nd.ones((3, 3)), axis=-1), ValueError,
     r"gemm2: axis -1 is not a row axis of 2-d inputs; it must be in \[-2, 0\]"),
    (lambda: L.gemm2(nd.ones((3, 3)), nd.ones((3, 3)), axis=1.0), TypeError,
     "axis must be an integer"),
    (lambda: L.gemm2(nd.ones((3, 3)), nd.ones((3, 3), dtype="float64")), TypeError,
     "gemm2: operands have different dtypes"),
    (lambda: L.gemm2(nd.ones((3, 3)), nd.ones((3, 3)), alpha="2"), TypeError,
     "alpha must be a real number"),
    (lambda: L.trsm(nd.ones((3, 3)), nd.ones((2, 3))), ValueError,
     r"trsm: B of shape \(2, 3\) does not fit the 3x3 triangular matrix \(its rows"),
    (lambda: L.trmm(nd.ones((3, 3)), nd.ones((3, 2)), rightside=True), ValueError,
     r"trmm: B of shape \(3, 2\) does not fit .*its columns"),
    (lambda: L.trsm(nd.ones((3, 2)), nd.ones((3, 3))), ValueError, "trsm: A must hold square"),
    (lambda: L.trsm(nd.ones((2, 3, 3)), nd.ones((3, 3))), ValueError,
     "trsm: A and B must have the same leading axes"),
    (lambda: L.trsm(nd.array([[0.0, 0], [1, 1]]), nd.ones((2, 3))), ValueError,
     "trsm: the triangular matrix A is singular"),
    (lambda: L.syrk(nd.ones((3,))), ValueError, "syrk: A must be a matrix"),
    (lambda: L.gelqf(nd.ones((3, 2))), ValueError,
     "gelqf: A must have no more rows than columns"),
    (lambda: L.syevd(nd.ones((2, 3))), ValueError, "syevd: A must hold square"),
    (lambda: L.sumlogdiag(nd.ones((2, 3))), ValueError, "sumlogdiag: A must hold square"),
    (lambda: L.extractdiag(nd.ones((3, 3)), 3), ValueError,
     r"extractdiag: offset 3 is out of range for 3x3 matrices; it must be in \[-2, 2\]"),
    (lambda: L.extracttrian(nd.ones((3, 3)), -3), ValueError, "extracttrian: offset -3"),
    (lambda: L.extractdiag(nd.ones((3, 3)), 1.0), TypeError, "offset must be an integer"),
    (lambda: L.makediag(nd.ones(())), ValueError, "makediag: A must have at least one axis"),
    (lambda: L.maketrian(nd.ones((4,))), ValueError,
     "maketrian: the last axis of A has length 4, not a triangular number"),
]


@pytest.mark.parametrize("call,error,message", ERRORS)
def test_errors_name_the_op_and_the_problem(call, error, message):
    with pytest.raises(error, match=message):
        call()


def test_a_failed_call_records_nothing():
    x = nd.array([[1.0, 2], [2, 1]])
    x.attach_grad()
    with autograd.record():
        with pytest.raises(ValueError, match="positive definite"):
            L.potrf(x)
        y = (x * 2).sum()
    y.backward()
    check(x.grad, np.full((2, 2), 2.0))


def test_trsm_solves_with_a_triangle_whose_other_side_is_singular():
    a = nd.array([[1.0, 0], [1, 1]])        # the upper triangle is the identity
    check(L.trsm(a, nd.array([[1.0, 2], [3, 4]]), lower=False), [[1.0, 2], [3, 4]])


# --------------------------------------------------- lists, empty stacks ---

def test_lists_become_float32_and_float64_is_kept():
    check(L.inverse([[2.0, 0], [0, 4]]), [[0.5, 0], [0, 0.25]], np.float32)
    a = nd.array(np.eye(2), dtype="float64")
    assert L.gemm(a, [[1.0, 2], [3, 4]], a).dtype is np.float64
    for out in L.syevd(a) + L.gelqf(a) + L.slogdet(a):
        assert out.dtype is np.float64


def test_empty_stacks_of_matrices():
    e = nd.zeros((0, 2, 2))
    for f in (L.potrf, L.potri, L.inverse, L.syrk):
        assert f(e).shape == (0, 2, 2)
    assert L.det(e).shape == (0,) and L.sumlogdiag(e).shape == (0,)
    assert [o.shape for o in L.syevd(e)] == [(0, 2, 2), (0, 2)]
    assert [o.shape for o in L.gelqf(nd.zeros((0, 2, 3)))] == [(0, 2, 3), (0, 2, 2)]
    assert L.trsm(e, nd.zeros((0, 2, 3))).shape == (0, 2, 3)
    assert L.gemm(e, e, e).shape == (0, 2, 2)
    assert L.extractdiag(e).shape == (0, 2) and L.extracttrian(e).shape == (0, 3)
    assert L.makediag(nd.zeros((0, 2))).shape == (0, 2, 2)
    assert L.maketrian(nd.zeros((0, 3))).shape == (0, 2, 2)
    g = dt.grad(lambda x: L.extractdiag(x).sum())(nd.zeros((0, 2, 2), dtype="float64"))
    assert g.shape == (0, 2, 2)


@pytest.mark.parametrize("mode", ["forward", "reverse"])
def test_jacobian_of_products_with_an_empty_contraction(mode):
    """Batched tangents through a product whose contracted axis is empty (the
    single-GEMM path once reshaped with -1 and failed) give zero Jacobians
    of the right shapes."""
    A = nd.array(np.ones((3, 0)), dtype="float64")
    B = nd.array(np.ones((0, 4)), dtype="float64")
    J = dt.jacobian(lambda x: nd.dot(x, B), mode=mode)(nd.array(np.ones((2, 0)), dtype="float64"))
    assert J.shape == (2, 4, 2, 0)
    J = dt.jacobian(lambda x: nd.dot(A, x), mode=mode)(nd.array(np.ones((0, 2)), dtype="float64"))
    assert J.shape == (3, 2, 0, 2)
    J = dt.jacobian(lambda x: nd.dot(A, x), mode=mode)(nd.array(np.ones((0,)), dtype="float64"))
    assert J.shape == (3, 0) and J.asnumpy().size == 0
