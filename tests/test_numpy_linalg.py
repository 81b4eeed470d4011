"""dualtape.numpy's products (dot, vdot, inner, outer, matmul, tensordot,
einsum, kron), matrix structure (diag, diagonal, tril, triu) and
dualtape.numpy.linalg: values, dtypes and shapes against numpy itself,
numpy's exceptions, derivatives to second order, and numpy's own functions
reaching them through the dispatch protocols."""
import numpy as np
import pytest

import dualtape as dt
import dualtape.numpy as dnp
from dualtape import nd
from dualtape.numpy import _linalg
from dualtape.ops.linalg import MATMUL

from helpers import DT_IDS, FLOATS

L = dnp.linalg
TOL = {np.dtype(np.float32): dict(rtol=2e-4, atol=2e-4),
       np.dtype(np.float64): dict(rtol=1e-10, atol=1e-10)}


def rng():
    return np.random.default_rng(0)


def D(x):
    """A numpy-flavoured dualtape array of ``x`` (numbers pass through)."""
    return dnp.asarray(x) if isinstance(x, np.ndarray) else x


def same(got, expected):
    """``got`` is a numpy-flavoured dualtape array with numpy's shape, dtype
    and values (tuples element by element)."""
    if isinstance(expected, tuple):
        assert isinstance(got, tuple) and len(got) == len(expected)
        for g, e in zip(got, expected):
            same(g, e)
        return
    expected = np.asarray(expected)
    assert type(got) is dnp.ndarray, type(got)
    assert got.shape == expected.shape, (got.shape, expected.shape)
    assert got.dtype == expected.dtype, (got.dtype, expected.dtype)
    tol = TOL.get(expected.dtype, dict(rtol=0, atol=0))
    np.testing.assert_allclose(got.asnumpy(), expected, **tol)


def both(npf, args, kwargs=None):
    """numpy's ``npf`` and dualtape.numpy's function of the same name agree on
    ``args``."""
    kwargs = kwargs or {}
    expected = npf(*args, **kwargs)
    module = L if npf.__module__.startswith("numpy.linalg") else dnp
    got = getattr(module, npf.__name__)(*[D(a) for a in args], **kwargs)
    same(got, tuple(expected) if isinstance(expected, tuple) else expected)


def raises_like(npf, f, *args, **kwargs):
    """``f`` raises the exception numpy's ``npf`` raises on the same input."""
    with pytest.raises(Exception) as np_err:
        npf(*args, **kwargs)
    with pytest.raises(np_err.type):
        f(*[D(a) for a in args], **kwargs)


def grad2(f, *xs):
    dt.check_grad(f, *[dnp.asarray(x) for x in xs], order=2)


def regular(r, *shape, dtype=np.float64):
    return (r.standard_normal(shape) + 3 * np.eye(shape[-1])).astype(dtype)


def spd(r, *shape, dtype=np.float64):
    m = r.standard_normal(shape)
    return (m @ np.swapaxes(m, -1, -2) + shape[-1] * np.eye(shape[-1])).astype(dtype)


def separated(r, *shape, dtype=np.float64):
    """Matrices with well separated nonzero singular values."""
    m, n = shape[-2:]
    k = min(m, n)
    q1 = np.linalg.qr(r.standard_normal(shape[:-1] + (m,)))[0][..., :k]
    q2 = np.linalg.qr(r.standard_normal(shape[:-2] + (n, n)))[0][..., :k]
    return ((q1 * (3.0 - 0.8 * np.arange(k))) @ np.swapaxes(q2, -1, -2)).astype(dtype)


def symmetric(r, *shape):
    """Symmetric matrices with well separated eigenvalues."""
    q = np.linalg.qr(r.standard_normal(shape))[0]
    w = np.arange(shape[-1]) * 1.5 - 2.0
    return (q * w[..., None, :]) @ np.swapaxes(q, -1, -2)


# ------------------------------------------------------------ products ---

PRODUCT_SHAPES = [((), (3,)), ((3,), ()), ((3,), (3,)), ((2, 3), (3,)), ((3,), (3, 4)),
                  ((2, 3), (3, 4)), ((2, 2, 3), (3,)), ((3,), (2, 3, 4)),
                  ((2, 2, 3), (4, 3, 5)), ((2, 3), (2, 3, 2)), ((0, 3), (3, 2))]


@pytest.mark.parametrize("dtype", FLOATS, ids=DT_IDS)
@pytest.mark.parametrize("sa,sb", PRODUCT_SHAPES)
def test_dot_matches_numpy_for_every_rank(sa, sb, dtype):
    r = rng()
    both(np.dot, (r.standard_normal(sa).astype(dtype), r.standard_normal(sb).astype(dtype)))


def test_dot_promotes_as_numpy_and_python_scalars_are_0d_arrays():
    f = np.ones(3, np.float32)
    both(np.dot, (f, np.arange(3)))
    both(np.dot, (f, 2.0))
    both(np.dot, (2, f))
    both(np.dot, (np.arange(6).reshape(2, 3), np.arange(3)))


@pytest.mark.parametrize("sa,sb", [((3,), (2, 4)), ((2, 3), (2, 3)), ((2, 2, 3), (4, 2, 5))])
def test_dot_refuses_misaligned_shapes_as_numpy(sa, sb):
    raises_like(np.dot, dnp.dot, np.ones(sa), np.ones(sb))


@pytest.mark.parametrize("dtype", FLOATS, ids=DT_IDS)
@pytest.mark.parametrize("sa,sb", [((3,), (3,)), ((2, 3), (2, 3)), ((4,), (2, 2)), ((), ())])
def test_vdot_flattens(sa, sb, dtype):
    r = rng()
    both(np.vdot, (r.standard_normal(sa).astype(dtype), r.standard_normal(sb).astype(dtype)))


def test_vdot_refuses_different_sizes():
    raises_like(np.vdot, dnp.vdot, np.ones(3), np.ones(4))


@pytest.mark.parametrize("dtype", FLOATS, ids=DT_IDS)
@pytest.mark.parametrize("sa,sb", [((), (2, 3)), ((3,), (3,)), ((2, 3), (4, 3)),
                                   ((2, 2, 3), (3,)), ((2, 3), (4, 1, 3))])
def test_inner_sums_over_the_last_axes(sa, sb, dtype):
    r = rng()
    both(np.inner, (r.standard_normal(sa).astype(dtype), r.standard_normal(sb).astype(dtype)))


def test_inner_refuses_different_last_axes():
    raises_like(np.inner, dnp.inner, np.ones((2, 3)), np.ones((3, 2)))


@pytest.mark.parametrize("dtype", FLOATS, ids=DT_IDS)
@pytest.mark.parametrize("sa,sb", [((3,), (4,)), ((2, 3), (2,)), ((), (3,)), ((0,), (2,))])
def test_outer_flattens_both(sa, sb, dtype):
    r = rng()
    both(np.outer, (r.standard_normal(sa).astype(dtype), r.standard_normal(sb).astype(dtype)))
    both(np.outer, (r.standard_normal(sa).astype(dtype), 2.0))


@pytest.mark.parametrize("dtype", FLOATS, ids=DT_IDS)
@pytest.mark.parametrize("sa,sb", [((2, 3), (3, 4)), ((3,), (3,)), ((2, 3), (3,)),
                                   ((3,), (3, 4)), ((5, 2, 3), (3, 4)), ((2, 3), (5, 3, 4)),
                                   ((1, 2, 3), (4, 3, 2)), ((2, 1, 2, 3), (3, 3, 1)),
                                   ((3,), (2, 3, 4)), ((2, 2, 3), (3,)), ((0, 2, 3), (3, 1))])
def test_matmul_broadcasts_batches_as_numpy(sa, sb, dtype):
    r = rng()
    a, b = r.standard_normal(sa).astype(dtype), r.standard_normal(sb).astype(dtype)
    both(np.matmul, (a, b))
    same(D(a) @ D(b), a @ b)


@pytest.mark.parametrize("sa,sb", [((3,), (4,)), ((2, 3), (2, 3)), ((2, 2, 3), (3, 3, 1)),
                                   ((), (3,))])
def test_matmul_refuses_what_numpy_refuses(sa, sb):
    raises_like(np.matmul, dnp.matmul, np.ones(sa), np.ones(sb))


@pytest.mark.parametrize("dtype", FLOATS, ids=DT_IDS)
@pytest.mark.parametrize("sa,sb,axes", [
    ((2, 3, 4), (3, 4, 5), 2), ((2, 3), (3, 4), 1), ((2, 3), (4, 5), 0), ((3, 4), (3, 4), 2),
    ((2, 3, 4), (4, 3, 2), ([1, 2], [1, 0])), ((2, 3, 4), (5, 2), (0, 1)),
    ((2, 3, 4), (4, 2), ([-1], [0])), ((2, 3), (2, 3), ((0, 1), (0, 1))),
    ((0, 3), (3, 2), 1)])
def test_tensordot_axes_int_or_pair(sa, sb, axes, dtype):
    r = rng()
    both(np.tensordot, (r.standard_normal(sa).astype(dtype), r.standard_normal(sb).astype(dtype)),
         dict(axes=axes))


@pytest.mark.parametrize("sa,sb,axes", [((2, 3), (4, 5), 1), ((2, 3), (3, 2), ([0], [0, 1])),
                                        ((2, 3), (3, 2), ([5], [0]))])
def test_tensordot_refuses_what_numpy_refuses(sa, sb, axes):
    raises_like(np.tensordot, dnp.tensordot, np.ones(sa), np.ones(sb), axes=axes)


@pytest.mark.parametrize("dtype", FLOATS, ids=DT_IDS)
@pytest.mark.parametrize("sa,sb", [((2, 3), (2, 2)), ((3,), (2, 2)), ((2, 2), (3,)),
                                   ((2, 1, 3), (2, 2)), ((), (2, 3)), ((2,), ())])
def test_kron(sa, sb, dtype):
    r = rng()
    both(np.kron, (r.standard_normal(sa).astype(dtype), r.standard_normal(sb).astype(dtype)))


def test_products_keep_integer_dtypes():
    a, b = np.arange(6).reshape(2, 3), np.arange(12).reshape(3, 4)
    for f, args in [(np.dot, (a, b)), (np.inner, (a, a)), (np.outer, (a, b)),
                    (np.vdot, (a, a)), (np.kron, (a, a)), (np.matmul, (a, b)),
                    (np.tensordot, (a, b, 1))]:
        both(f, args)
    same(dnp.einsum("ij,jk", D(a), D(b)), np.einsum("ij,jk", a, b))


# ------------------------------------------------------------- einsum ---

EINSUM = [
    ("ij,jk->ik", [(2, 3), (3, 4)]), ("ij,jk", [(2, 3), (3, 4)]), ("ij,j->i", [(2, 3), (3,)]),
    ("i,i", [(3,), (3,)]), ("i,i->", [(3,), (3,)]), ("i,j->ij", [(2,), (3,)]),
    ("ii->i", [(3, 3)]), ("ii", [(3, 3)]), ("bii->bi", [(2, 3, 3)]), ("bii", [(2, 3, 3)]),
    ("iii->i", [(3, 3, 3)]), ("iji->j", [(3, 2, 3)]), ("ijij->ji", [(2, 3, 2, 3)]),
    ("jii,ij->", [(3, 2, 2), (2, 3)]), ("iij,jkk->ik", [(3, 3, 2), (2, 4, 4)]),
    ("ij->ji", [(2, 3)]), ("ij->", [(2, 3)]), ("ij", [(2, 3)]), ("ji", [(2, 3)]),
    ("ba,aB", [(2, 3), (3, 4)]),
    ("Ba,aC", [(2, 3), (3, 4)]), ("bij,bjk->bik", [(2, 2, 3), (2, 3, 4)]),
    ("...ij,...jk->...ik", [(2, 2, 3), (3, 4)]), ("...ij,...jk", [(5, 1, 2, 3), (4, 3, 2)]),
    ("i...,...", [(2, 3), (3,)]), ("...,...", [(2, 3), (3,)]), ("...ii->...i", [(2, 3, 3)]),
("...i->...", [(2, 3)]),
    ("ij,ij->ij", [(1, 3), (2, 3)]), ("i,i", [(1,), (3,)]), ("ij,jk", [(2, 3), (1, 4)]),
    ("ij,jk,kl->il", [(2, 3), (3, 4), (4, 5)]), ("ij,jk,kl", [(2, 3), (3, 4), (4, 5)]),
    ("i,j,k->ijk", [(2,), (3,), (4,)]), ("abc,cd,bd,a->", [(2, 3, 4), (4, 5), (3, 5), (2,)]),
    ("ij,jk,ki->", [(2, 3), (3, 4), (4, 2)]),
    ("bij,bjk,bkl->bil", [(2, 2, 3), (2, 3, 4), (2, 4, 2)]),
    ("ii,ij,jj->j", [(3, 3), (3, 3), (3, 3)]), ("...i,...i,...i", [(2, 3), (3,), (1, 3)]),
    (",i", [(), (3,)]), ("", [()]), ("i", [(0,)]), ("ij,jk", [(0, 2), (2, 3)]),
]


@pytest.mark.parametrize("dtype", FLOATS, ids=DT_IDS)
@pytest.mark.parametrize("subscripts,shapes", EINSUM, ids=[s for s, _ in EINSUM])
def test_einsum_matches_numpy(subscripts, shapes, dtype):
    r = rng()
    ops = [r.standard_normal(s).astype(dtype) for s in shapes]
    expected = np.einsum(subscripts, *ops)
    same(dnp.einsum(subscripts, *[D(o) for o in ops]), expected)
    if len(ops) > 2:
        for optimize in (True, "greedy", "optimal",
                         np.einsum_path(subscripts, *ops, optimize="optimal")[0]):
            same(dnp.einsum(subscripts, *[D(o) for o in ops], optimize=optimize), expected)


def test_einsum_sublist_form():
    r = rng()
    a, b = r.standard_normal((2, 3)), r.standard_normal((3, 4))
    same(dnp.einsum(D(a), [0, 1], D(b), [1, 27]), np.einsum(a, [0, 1], b, [1, 27]))
    same(dnp.einsum(D(a), [0, 1], D(b), [1, 2], [2, 0]), np.einsum(a, [0, 1], b, [1, 2], [2, 0]))
    same(dnp.einsum(D(a), [Ellipsis, 1], [Ellipsis]), np.einsum(a, [Ellipsis, 1], [Ellipsis]))


def test_einsum_dtypes_as_numpy():
    f, i = np.ones(3, np.float32), np.arange(3)
    same(dnp.einsum("i,i", D(f), D(i)), np.einsum("i,i", f, i))
    same(dnp.einsum(",i", 2.0, D(f)), np.einsum(",i", 2.0, f))
    same(dnp.einsum("i,i", D(i), D(i), dtype=np.float64), np.einsum("i,i", i, i, dtype=np.float64))
    raises_like(np.einsum, dnp.einsum, "i,i", i, i, dtype=np.float32)


@pytest.mark.parametrize("subscripts,shapes", [
    ("ii", [(2, 3)]), ("i,i", [(3,), (4,)]), ("i->ii", [(3,)]), ("ij->k", [(2, 2)]),
    ("i", [(3,), (3,)]), ("i,i", [(3,)]), ("...i->i", [(2, 3)]), ("ij...->j", [(2, 3, 4)]),
    ("ij", [(2, 3, 4)]),
    ("i$", [(3,)]), ("i-j", [(3,)]), ("i..j", [(3,)])])
def test_einsum_refuses_what_numpy_refuses(subscripts, shapes):
    raises_like(np.einsum, dnp.einsum, subscripts, *[np.ones(s) for s in shapes])


def test_einsum_contracts_in_numpys_greedy_order(monkeypatch):
    """(A B) v costs a 100 x 100 intermediate, A (B v) a vector: the
    products dualtape runs are those of numpy's greedy path."""
    r = rng()
    a, b, v = r.standard_normal((100, 2)), r.standard_normal((2, 100)), r.standard_normal(100)
    seen = []
    real = _linalg.apply

    def spy(op, xs, *params):
        if op is MATMUL:
            seen.append(tuple(x.shape for x in xs))
        return real(op, xs, *params)
    monkeypatch.setattr(_linalg, "apply", spy)
    same(dnp.einsum("ij,jk,k->i", D(a), D(b), D(v)), np.einsum("ij,jk,k->i", a, b, v))
    assert np.einsum_path("ij,jk,k->i", a, b, v, optimize="greedy")[0][1] == (1, 2)
    assert seen == [((2, 100), (100, 1)), ((100, 2), (2, 1))], seen


# --------------------------------------------------- matrix structure ---

@pytest.mark.parametrize("dtype", FLOATS, ids=DT_IDS)
@pytest.mark.parametrize("shape,k", [((3,), 0), ((3,), 2), ((3,), -1), ((0,), 1),
                                     ((3, 3), 0), ((3, 5), 1), ((4, 2), -1), ((3, 4), -2),
                                     ((2, 3), 5), ((3, 2), -4)])
def test_diag_both_directions(shape, k, dtype):
    both(np.diag, (rng().standard_normal(shape).astype(dtype), k))


def test_diag_refuses_other_ranks():
    raises_like(np.diag, dnp.diag, np.ones((2, 2, 2)))
    raises_like(np.diag, dnp.diag, np.ones(()))


@pytest.mark.parametrize("dtype", FLOATS, ids=DT_IDS)
@pytest.mark.parametrize("shape,offset,axis1,axis2", [
    ((3, 3), 0, 0, 1), ((3, 4), 1, 0, 1), ((3, 4), -2, 0, 1), ((2, 3, 4), 0, 1, 2),
    ((2, 3, 4), 1, 2, 0), ((2, 3, 4), -1, -1, -3), ((2, 3, 4, 3), 0, 1, 3),
    ((2, 3), 5, 0, 1), ((0, 3), 0, 0, 1)])
def test_diagonal_offset_and_axes(shape, offset, axis1, axis2, dtype):
    x = rng().standard_normal(shape).astype(dtype)
    both(np.diagonal, (x, offset, axis1, axis2))
    same(D(x).diagonal(offset, axis1, axis2), x.diagonal(offset, axis1, axis2))


def test_diagonal_refuses_what_numpy_refuses():
    raises_like(np.diagonal, dnp.diagonal, np.ones(3))
    raises_like(np.diagonal, dnp.diagonal, np.ones((2, 2)), 0, 1, 1)
    raises_like(np.diagonal, dnp.diagonal, np.ones((2, 2)), 0, 0, 2)


@pytest.mark.parametrize("f", [np.tril, np.triu])
@pytest.mark.parametrize("dtype", FLOATS + [np.int64], ids=DT_IDS + ["i64"])
@pytest.mark.parametrize("shape,k", [((3, 3), 0), ((3, 4), 1), ((4, 3), -1), ((2, 3, 3), 0),
                                     ((2, 3, 3), 2), ((3,), 0), ((3,), -1), ((2, 3), -5)])
def test_tril_triu(f, shape, k, dtype):
    x = (rng().standard_normal(shape) * 5).astype(dtype)
    both(f, (x, k))


def test_tril_triu_zero_infinite_entries_as_numpy():
    x = np.array([[1.0, np.inf], [np.nan, 2.0]])
    same(dnp.tril(D(x)), np.tril(x))
    same(dnp.triu(D(x)), np.triu(x))


# ---------------------------------------------------------- derivatives ---

PRODUCT_GRADS = [
    ("dot N-d M-d", lambda a, b: dnp.dot(a, b), [(2, 3), (4, 3, 2)]),
    ("dot N-d 1-d", lambda a, b: dnp.dot(a, b), [(2, 2, 3), (3,)]),
    ("dot 0-d", lambda a, b: dnp.dot(a, b), [(), (2, 3)]),
    ("vdot", lambda a, b: dnp.vdot(a, b), [(2, 3), (3, 2)]),
    ("inner", lambda a, b: dnp.inner(a, b), [(2, 3), (4, 3)]),
    ("outer", lambda a, b: dnp.outer(a, b), [(2, 2), (3,)]),
    ("matmul batched", lambda a, b: dnp.matmul(a, b), [(2, 1, 2, 3), (3, 3, 2)]),
    ("matmul 1-d", lambda a, b: a @ b, [(3,), (2, 3, 2)]),
    ("tensordot", lambda a, b: dnp.tensordot(a, b, axes=([0, 2], [2, 0])), [(2, 3, 4), (4, 2, 2)]),
    ("kron", lambda a, b: dnp.kron(a, b), [(2, 3), (2, 2)]),
    ("einsum ij,jk", lambda a, b: dnp.einsum("ij,jk", a, b), [(2, 3), (3, 2)]),
    ("einsum trace", lambda a: dnp.einsum("ii", a), [(3, 3)]),
    ("einsum diag", lambda a: dnp.einsum("bii->bi", a), [(2, 3, 3)]),
    ("einsum broadcast", lambda a, b: dnp.einsum("...ij,...j", a, b), [(2, 2, 3), (1, 3)]),
    ("einsum chain", lambda a, b, c: dnp.einsum("ij,jk,kl->il", a, b, c),
     [(2, 3), (3, 4), (4, 2)]),
    ("einsum 4 ops", lambda a, b, c, d: dnp.einsum("abc,cd,bd,a->", a, b, c, d),
     [(2, 3, 4), (4, 2), (3, 2), (2,)]),
    ("diag make", lambda a: dnp.diag(a, -1), [(3,)]),
    ("diag take", lambda a: dnp.diag(a, 1), [(3, 4)]),
    ("diagonal", lambda a: dnp.diagonal(a, 1, 2, 0), [(3, 2, 4)]),
    ("tril", lambda a: dnp.tril(a, -1), [(2, 3, 3)]),
    ("triu 1-d", lambda a: dnp.triu(a, 1), [(3,)]),
]


@pytest.mark.parametrize("f,shapes", [p[1:] for p in PRODUCT_GRADS],
                         ids=[p[0] for p in PRODUCT_GRADS])
def test_products_and_structure_are_differentiable_to_second_order(f, shapes):
    r = rng()
    grad2(f, *[r.standard_normal(s) for s in shapes])


# ---------------------------------------------------------------- linalg ---

@pytest.mark.parametrize("dtype", FLOATS, ids=DT_IDS)
@pytest.mark.parametrize("shape", [(3, 3), (2, 4, 4), (2, 1, 2, 2), (1, 1), (0, 0), (0, 2, 2)])
def test_inv_det_slogdet(shape, dtype):
    a = regular(rng(), *shape, dtype=dtype)
    both(np.linalg.inv, (a,))
    both(np.linalg.det, (a,))
    both(np.linalg.slogdet, (a,))
    s = L.slogdet(D(a))
    assert s.sign is s[0] and s.logabsdet is s[1]


def test_linalg_computes_integers_in_float64_and_refuses_float16():
    a = np.array([[2, 1], [1, 3]])
    for f in (np.linalg.inv, np.linalg.det, np.linalg.cholesky, np.linalg.eigvalsh,
              np.linalg.pinv):
        both(f, (a,))
    both(np.linalg.solve, (a.astype(np.float32), np.array([1, 2])))
    both(np.linalg.solve, (a.astype(np.float32), np.array([1.0, 2.0], np.float32)))
    both(np.linalg.norm, (a,))
    raises_like(np.linalg.inv, L.inv, a.astype(np.float16))


@pytest.mark.parametrize("f", [np.linalg.inv, np.linalg.det, np.linalg.slogdet,
                               np.linalg.cholesky, np.linalg.eigh, np.linalg.eigvalsh])
@pytest.mark.parametrize("shape", [(3,), (2, 3), (2, 3, 2), ()])
def test_not_a_stack_of_square_matrices_is_a_linalgerror(f, shape):
    raises_like(f, getattr(L, f.__name__), np.ones(shape))
    with pytest.raises(np.linalg.LinAlgError, match=f.__name__):
        getattr(L, f.__name__)(D(np.ones(shape)))


def test_singular_and_indefinite_matrices_are_linalgerrors():
    singular = np.array([[1.0, 2.0], [2.0, 4.0]])
    raises_like(np.linalg.inv, L.inv, singular)
    raises_like(np.linalg.solve, L.solve, singular, np.ones(2))
    raises_like(np.linalg.inv, L.inv, np.stack([np.eye(2), singular]))
    raises_like(np.linalg.cholesky, L.cholesky, -np.eye(2))
    raises_like(np.linalg.matrix_power, L.matrix_power, singular, -1)
    raises_like(np.linalg.svd, L.svd, np.ones(3))
    raises_like(np.linalg.pinv, L.pinv, np.ones(3))
    raises_like(np.linalg.qr, L.qr, np.ones(3))
    same(L.det(D(singular)), np.linalg.det(singular))
    same(L.slogdet(D(singular)), tuple(np.linalg.slogdet(singular)))


@pytest.mark.parametrize("dtype", FLOATS, ids=DT_IDS)
@pytest.mark.parametrize("sa,sb", [((3, 3), (3,)), ((3, 3), (3, 2)), ((2, 3, 3), (3,)),
                                   ((2, 3, 3), (2, 3, 1)), ((3, 3), (4, 3, 2)),
                                   ((2, 1, 3, 3), (4, 3, 2)), ((0, 2, 2), (2,)), ((2, 2), (2, 0))])
def test_solve_vector_or_matrix_batched_as_numpy_2(sa, sb, dtype):
    r = rng()
    both(np.linalg.solve, (regular(r, *sa, dtype=dtype), r.standard_normal(sb).astype(dtype)))


@pytest.mark.parametrize("sa,sb", [((3, 3), (2,)), ((3, 3), (2, 3)), ((2, 3, 3), (3, 3, 1)),
                                   ((3, 3), ())])
def test_solve_refuses_what_numpy_refuses(sa, sb):
    raises_like(np.linalg.solve, L.solve, regular(rng(), *sa), np.ones(sb))


@pytest.mark.parametrize("dtype", FLOATS, ids=DT_IDS)
@pytest.mark.parametrize("shape", [(3, 3), (2, 4, 4), (1, 1)])
def test_cholesky_reads_one_triangle_as_numpy(shape, dtype):
    r = rng()
    a = spd(r, *shape, dtype=dtype)
    both(np.linalg.cholesky, (a,))
    both(np.linalg.cholesky, (a,), dict(upper=True))
    lower_only = np.tril(a) + np.triu(r.standard_normal(shape), 1).astype(dtype)
    both(np.linalg.cholesky, (lower_only,))
    upper_only = np.triu(a) + np.tril(r.standard_normal(shape), -1).astype(dtype)
    both(np.linalg.cholesky, (upper_only,), dict(upper=True))


@pytest.mark.parametrize("dtype", FLOATS, ids=DT_IDS)
@pytest.mark.parametrize("uplo", ["L", "U", "l"])
@pytest.mark.parametrize("shape", [(3, 3), (2, 4, 4), (1, 1)])
def test_eigh_values_and_lapack_signed_vectors(shape, uplo, dtype):
    a = rng().standard_normal(shape).astype(dtype)       # one triangle is read
    both(np.linalg.eigh, (a,), dict(UPLO=uplo))
    both(np.linalg.eigvalsh, (a,), dict(UPLO=uplo))
    r = L.eigh(D(a), uplo)
    assert r.eigenvalues is r[0] and r.eigenvectors is r[1]


def test_eigh_refuses_a_bad_uplo():
    raises_like(np.linalg.eigh, L.eigh, np.eye(2), UPLO="X")
    raises_like(np.linalg.eigvalsh, L.eigvalsh, np.eye(2), UPLO="X")


@pytest.mark.parametrize("dtype", FLOATS, ids=DT_IDS)
@pytest.mark.parametrize("shape", [(3, 3), (4, 2), (2, 4), (2, 3, 2), (2, 1, 2, 3), (1, 1)])
def test_svd_reduced_with_lapack_signs(shape, dtype):
    a = rng().standard_normal(shape).astype(dtype)
    both(np.linalg.svd, (a,), dict(full_matrices=False))
    both(np.linalg.svd, (a,), dict(compute_uv=False))
    both(np.linalg.svd, (a,), dict(compute_uv=False, hermitian=False))
    r = L.svd(D(a), full_matrices=False)
    assert (r.U, r.S, r.Vh) == tuple(r)
    if shape[-1] == shape[-2]:
        both(np.linalg.svd, (a,))


def test_svd_hermitian_singular_values():
    s = symmetric(rng(), 3, 3)
    same(L.svd(D(s), compute_uv=False, hermitian=True),
         np.linalg.svd(s, compute_uv=False, hermitian=True))


@pytest.mark.parametrize("shape", [(4, 2), (2, 4), (2, 3, 2)])
def test_svd_full_matrices_of_a_rectangular_matrix(shape):
    """numpy's default: values as numpy's; no derivative (the completion of
    U or Vh is arbitrary), as in JAX."""
    a = rng().standard_normal(shape)
    for got, want in zip(L.svd(D(a)), np.linalg.svd(a)):
        assert got.shape == want.shape
        np.testing.assert_allclose(got._data, want, atol=1e-12)
    with pytest.raises(NotImplementedError, match="full_matrices=False"):
        dt.grad(lambda x: dnp.sum(L.svd(x)[1]))(a)


@pytest.mark.parametrize("dtype", FLOATS, ids=DT_IDS)
@pytest.mark.parametrize("shape", [(3, 3), (4, 2), (2, 4), (2, 3, 2), (2, 2, 3)])
def test_qr_reduced(shape, dtype):
    a = rng().standard_normal(shape).astype(dtype)
    both(np.linalg.qr, (a,))
    both(np.linalg.qr, (a,), dict(mode="r"))
    if shape[-2] <= shape[-1]:
        both(np.linalg.qr, (a,), dict(mode="complete"))


def test_qr_modes_it_does_not_support_and_bad_modes():
    with pytest.raises(NotImplementedError):
        L.qr(D(np.ones((3, 2))), mode="complete")
    with pytest.raises(NotImplementedError):
        L.qr(D(np.ones((3, 2))), mode="raw")
    raises_like(np.linalg.qr, L.qr, np.ones((2, 2)), mode="nope")


@pytest.mark.parametrize("dtype", FLOATS, ids=DT_IDS)
@pytest.mark.parametrize("shape", [(3, 3), (4, 2), (2, 4), (2, 3, 2)])
def test_pinv_rcond_and_rtol(shape, dtype):
    r = rng()
    a = r.standard_normal(shape).astype(dtype)
    both(np.linalg.pinv, (a,))
    both(np.linalg.pinv, (a,), dict(rtol=None))
    both(np.linalg.pinv, (a,), dict(rtol=0.5))
    both(np.linalg.pinv, (a,), dict(rcond=0.5))
    rank1 = np.outer(r.standard_normal(3), r.standard_normal(3)).astype(dtype)
    both(np.linalg.pinv, (rank1,), dict(rtol=None))
    raises_like(np.linalg.pinv, L.pinv, a, rcond=0.1, rtol=0.1)


@pytest.mark.parametrize("dtype", FLOATS + [np.int64], ids=DT_IDS + ["i64"])
@pytest.mark.parametrize("n", [0, 1, 2, 3, 5, 8, -1, -3])
def test_matrix_power(n, dtype):
    a = np.array([[2, 1], [1, 1]], dtype) if dtype is np.int64 else regular(
        rng(), 2, 3, 3, dtype=dtype) / 3
    both(np.linalg.matrix_power, (a, n))


def test_matrix_power_errors():
    raises_like(np.linalg.matrix_power, L.matrix_power, np.eye(2), 1.5)
    raises_like(np.linalg.matrix_power, L.matrix_power, np.ones((2, 3)), 2)
    raises_like(np.linalg.matrix_power, L.matrix_power, np.ones(3), 2)


VECTOR_ORDS = [None, 2, 1, np.inf, -np.inf, 0, 3, 0.5, -1, -2]
MATRIX_ORDS = [None, "fro", "nuc", 1, -1, 2, -2, np.inf, -np.inf]


@pytest.mark.parametrize("dtype", FLOATS, ids=DT_IDS)
@pytest.mark.parametrize("keepdims", [False, True])
@pytest.mark.filterwarnings("ignore:divide by zero")
@pytest.mark.parametrize("ord", VECTOR_ORDS)
def test_vector_norms(ord, keepdims, dtype):
    x = rng().standard_normal((2, 3, 4)).astype(dtype)
    x[0, 0, 0] = 0.0
    for axis in (None, 0, -1, (1,)):
        if axis is None and ord is not None:
            continue
        both(np.linalg.norm, (x, ord, axis, keepdims))
    both(np.linalg.norm, (x[0, 0], ord), dict(keepdims=keepdims))


@pytest.mark.parametrize("dtype", FLOATS, ids=DT_IDS)
@pytest.mark.parametrize("keepdims", [False, True])
@pytest.mark.parametrize("ord", MATRIX_ORDS)
def test_matrix_norms(ord, keepdims, dtype):
    x = rng().standard_normal((2, 3, 4)).astype(dtype)
    for axis in ((1, 2), (2, 0), (-1, -2)):
        both(np.linalg.norm, (x, ord, axis, keepdims))
    both(np.linalg.norm, (x[0], ord), dict(keepdims=keepdims))


def test_norm_edge_cases_as_numpy():
    both(np.linalg.norm, (np.arange(6).reshape(2, 3),))
    both(np.linalg.norm, (np.zeros((0, 3)), np.inf, 1))
    both(np.linalg.norm, (np.zeros((0, 3)), 1, (0, 1)))
    both(np.linalg.norm, (np.zeros((0, 3)),))
    both(np.linalg.norm, (np.array(3.0),))
    both(np.linalg.norm, (np.ones((2, 3)), "f"))
    both(np.linalg.norm, (np.ones((2, 2), np.float16), np.inf))
    raises_like(np.linalg.norm, L.norm, np.ones((2, 2), np.float16), 2)
    for args in [(np.ones((2, 3, 4)), 2), (np.ones(3), "fro"), (np.ones((2, 3)), 3, (0, 1)),
                 (np.ones((2, 3)), None, (0, 0)), (np.ones((2, 3)), None, (0, 1, 2)),
                 (np.ones((2, 3)), None, 2), (np.ones((2, 3)), None, "a"),
                 (np.zeros((0, 3)), -np.inf, 0), (np.ones((2, 3)), "nuc", 1)]:
        raises_like(np.linalg.norm, L.norm, *args)


LINALG_GRADS = [
    ("inv", lambda a: L.inv(a), lambda r: [regular(r, 2, 3, 3)]),
    ("solve matrix", lambda a, b: L.solve(a, b), lambda r: [regular(r, 2, 3, 3),
                                                            r.standard_normal((3, 2))]),
    ("solve vector", lambda a, b: L.solve(a, b), lambda r: [regular(r, 2, 3, 3),
                                                            r.standard_normal(3)]),
    ("det", lambda a: L.det(a), lambda r: [regular(r, 2, 3, 3)]),
    ("slogdet", lambda a: L.slogdet(a).logabsdet, lambda r: [regular(r, 2, 3, 3)]),
    ("cholesky", lambda a: L.cholesky(a), lambda r: [spd(r, 2, 3, 3)]),
    ("cholesky upper", lambda a: L.cholesky(a, upper=True), lambda r: [spd(r, 3, 3)]),
    ("eigh values", lambda a: L.eigh(a)[0], lambda r: [symmetric(r, 2, 3, 3)]),
    ("eigh vectors", lambda a: L.eigh(a)[1], lambda r: [symmetric(r, 2, 3, 3)]),
    ("eigh U", lambda a: L.eigh(a, UPLO="U").eigenvectors, lambda r: [symmetric(r, 3, 3)]),
    ("eigvalsh", lambda a: L.eigvalsh(a, "U"), lambda r: [symmetric(r, 3, 3)]),
    ("svd tall", lambda a: tuple(L.svd(a, full_matrices=False)),
     lambda r: [separated(r, 2, 4, 3)]),
    ("svd wide", lambda a: tuple(L.svd(a, full_matrices=False)),
     lambda r: [separated(r, 3, 4)]),
    ("svd square", lambda a: tuple(L.svd(a)), lambda r: [separated(r, 3, 3)]),
    ("svd values", lambda a: L.svd(a, compute_uv=False), lambda r: [separated(r, 2, 2, 3)]),
    ("qr tall", lambda a: tuple(L.qr(a)),
     lambda r: [r.standard_normal((2, 4, 3)) + 3 * np.eye(4, 3)]),
    ("qr wide", lambda a: tuple(L.qr(a)), lambda r: [regular(r, 3, 3)[:2]]),
    ("pinv tall", lambda a: L.pinv(a), lambda r: [separated(r, 2, 4, 3)]),
    ("pinv wide", lambda a: L.pinv(a), lambda r: [separated(r, 2, 3)]),
    ("matrix_power 3", lambda a: L.matrix_power(a, 3), lambda r: [regular(r, 2, 3, 3)]),
    ("matrix_power -2", lambda a: L.matrix_power(a, -2), lambda r: [regular(r, 3, 3)]),
    ("norm", lambda a: L.norm(a), lambda r: [r.standard_normal((2, 3))]),
    ("norm 2 axis", lambda a: L.norm(a, axis=1, keepdims=True),
     lambda r: [r.standard_normal((2, 3))]),
    ("norm 1", lambda a: L.norm(a, 1, axis=0), lambda r: [r.standard_normal((2, 3))]),
    ("norm 3", lambda a: L.norm(a, 3, axis=-1), lambda r: [r.standard_normal((2, 3))]),
    ("norm -1.5", lambda a: L.norm(a, -1.5), lambda r: [r.standard_normal(4)]),
    ("norm inf", lambda a: L.norm(a, np.inf), lambda r: [r.standard_normal(4)]),
    ("norm -inf", lambda a: L.norm(a, -np.inf, axis=1), lambda r: [r.standard_normal((2, 3))]),
    ("norm fro", lambda a: L.norm(a, "fro", axis=(0, 2)),
     lambda r: [r.standard_normal((2, 3, 2))]),
    ("norm nuc", lambda a: L.norm(a, "nuc"), lambda r: [separated(r, 3, 4)]),
    ("norm 2 matrix", lambda a: L.norm(a, 2, axis=(1, 2)), lambda r: [separated(r, 2, 3, 2)]),
    ("norm -2 matrix", lambda a: L.norm(a, -2), lambda r: [separated(r, 4, 3)]),
    ("norm 1 matrix", lambda a: L.norm(a, 1), lambda r: [r.standard_normal((3, 4))]),
    ("norm -1 matrix", lambda a: L.norm(a, -1), lambda r: [r.standard_normal((3, 4))]),
    ("norm inf matrix", lambda a: L.norm(a, np.inf), lambda r: [r.standard_normal((3, 4))]),
    ("norm -inf matrix", lambda a: L.norm(a, -np.inf, axis=(2, 0)),
     lambda r: [r.standard_normal((3, 4, 2))]),
]


@pytest.mark.parametrize("f,inputs", [p[1:] for p in LINALG_GRADS],
                         ids=[p[0] for p in LINALG_GRADS])
def test_linalg_is_differentiable_to_second_order(f, inputs):
    grad2(f, *inputs(rng()))


def test_norm_count_has_a_zero_derivative():
    g = dt.grad(lambda x: L.norm(x, 0))(D(np.array([1.0, 0.0, -2.0])))
    np.testing.assert_array_equal(g.asnumpy(), np.zeros(3))


def test_two_norm_gradient_is_zero_at_zero():
    g = dt.grad(lambda x: L.norm(x))(D(np.zeros(3)))
    np.testing.assert_array_equal(g.asnumpy(), np.zeros(3))


def test_eigh_and_svd_derivatives_match_formulas():
    """dw_i = v_i^T dS v_i (dS the symmetric matrix of dA's lower triangle,
    the one eigvalsh reads) and ds_i = u_i^T dA v_i, from numpy's factors."""
    r = rng()
    s, t = symmetric(r, 3, 3), r.standard_normal((3, 3))
    w, v = np.linalg.eigh(s)
    _, tw = dt.jvp(lambda a: L.eigvalsh(a), (D(s),), (D(t),))
    ds = np.tril(t) + np.tril(t, -1).T
    np.testing.assert_allclose(tw.asnumpy(), np.einsum("ji,jk,ki->i", v, ds, v))
    a = separated(r, 4, 3)
    u, _, vh = np.linalg.svd(a, full_matrices=False)
    t = r.standard_normal((4, 3))
    _, ts = dt.jvp(lambda x: L.svd(x, compute_uv=False), (D(a),), (D(t),))
    np.testing.assert_allclose(ts.asnumpy(), np.einsum("ji,jk,ik->i", u, t, vh))


# ------------------------------------------------ numpy's own functions ---

def test_numpy_functions_reach_these_through_the_protocols():
    r = rng()
    a, x, b = regular(r, 3, 3), r.standard_normal(3), r.standard_normal(3)
    same(np.einsum("ij,j->i", D(a), D(x)), np.einsum("ij,j->i", a, x))
    same(np.linalg.solve(D(a), D(b)), np.linalg.solve(a, b))
    same(np.linalg.norm(D(x)), np.linalg.norm(x))
    for f, args in [(np.dot, (a, x)), (np.vdot, (x, b)), (np.inner, (a, x)), (np.outer, (x, b)),
                    (np.tensordot, (a, a)), (np.kron, (x, b)), (np.diag, (x,)),
                    (np.diagonal, (a,)), (np.tril, (a,)), (np.triu, (a,)),
                    (np.linalg.inv, (a,)), (np.linalg.det, (a,)), (np.linalg.pinv, (a,)),
                    (np.linalg.matrix_power, (a, 2)), (np.linalg.eigvalsh, (a,))]:
        same(f(*[D(v) for v in args]), f(*args))
    same(np.linalg.eigh(D(a)), tuple(np.linalg.eigh(a)))
    same(np.linalg.svd(D(a)), tuple(np.linalg.svd(a)))
    same(np.linalg.qr(D(a)), tuple(np.linalg.qr(a)))
    same(np.linalg.slogdet(D(a)), tuple(np.linalg.slogdet(a)))
    m = spd(r, 3, 3)
    same(np.linalg.cholesky(D(m)), np.linalg.cholesky(m))


def test_numpy_functions_differentiate_with_grad():
    r = rng()
    a, x, b = regular(r, 3, 3), r.standard_normal(3), r.standard_normal(3)
    g = dt.grad(lambda m: np.sum(np.einsum("ij,j->i", m, x)))(a)
    np.testing.assert_allclose(g, np.outer(np.ones(3), x))
    g = dt.grad(lambda m: np.sum(np.linalg.solve(m, b)))(a)
    y = np.linalg.solve(a, b)
    np.testing.assert_allclose(g, -np.outer(np.linalg.solve(a.T, np.ones(3)), y))
    g = dt.grad(lambda v: np.linalg.norm(v))(x)
    np.testing.assert_allclose(g, x / np.linalg.norm(x))
    g = dt.grad(lambda v: np.linalg.solve(a, v).sum())(b)
    np.testing.assert_allclose(g, np.linalg.solve(a.T, np.ones(3)))


def test_mxnet_flavoured_arrays_get_numpy_semantics_and_keep_their_flavour():
    a = nd.array([[2.0, 1.0], [1.0, 3.0]])
    r = np.linalg.inv(a)
    assert type(r) is nd.NDArray
    np.testing.assert_allclose(r.asnumpy(), np.linalg.inv(a.asnumpy()), rtol=1e-6)
    assert np.linalg.det(a).shape == ()
    assert type(dnp.einsum("ij,jk", a, a)) is nd.NDArray


def test_numpy_inputs_give_dualtape_arrays():
    a = np.eye(2)
    assert isinstance(dnp.linalg.inv(a), nd.NDArray)
    assert isinstance(dnp.einsum("ii", a), nd.NDArray)


# ------------------------------------- numpy 2's array-API functions ---

@pytest.mark.parametrize("dtype", FLOATS, ids=DT_IDS)
def test_array_api_functions_of_numpy_linalg(dtype):
    r = rng()
    x = r.standard_normal((2, 3, 4)).astype(dtype)
    y = r.standard_normal((3, 4)).astype(dtype)
    for kwargs in [{}, dict(axis=(0, 2)), dict(axis=1, ord=1), dict(ord=3, keepdims=True),
                   dict(axis=(-1, 0), keepdims=True, ord=np.inf)]:
        both(np.linalg.vector_norm, (x,), kwargs)
    for kwargs in [{}, dict(ord=2), dict(ord="nuc", keepdims=True), dict(ord=-np.inf)]:
        both(np.linalg.matrix_norm, (x,), kwargs)
    both(np.linalg.svdvals, (x,))
    both(np.linalg.matmul, (x, y.T))
    both(np.linalg.tensordot, (x, y))
    both(np.linalg.tensordot, (x, y.T), dict(axes=1))
    both(np.linalg.outer, (y[0], y[1]))
    both(np.linalg.vecdot, (x, y))
    both(np.linalg.vecdot, (x, y[:, :1]), dict(axis=-2))
    both(np.linalg.diagonal, (x,), dict(offset=1))
    both(np.linalg.trace, (x,), dict(offset=-1))
    both(np.linalg.trace, (np.arange(9).reshape(3, 3),))
    both(np.linalg.matrix_transpose, (x,))
    raises_like(np.linalg.outer, L.outer, x, y)
    raises_like(np.linalg.matrix_transpose, L.matrix_transpose, y[0])


def test_array_api_functions_are_differentiable():
    r = rng()
    grad2(lambda a: L.vector_norm(a, axis=(0, 2), ord=3), r.standard_normal((2, 3, 2)))
    grad2(lambda a: L.matrix_norm(a, ord="nuc"), separated(r, 2, 3, 2))
    grad2(lambda a, b: L.vecdot(a, b), r.standard_normal((2, 3)), r.standard_normal(3))
    grad2(lambda a: L.trace(a, offset=1), r.standard_normal((2, 3, 3)))


def test_det_derivative_is_the_cofactor_matrix_at_singular_matrices():
    """As in JAX: ``d det(A) / dA`` is the cofactor matrix everywhere (MXNet's
    nd.linalg.det gives 0 at a singular matrix); from the minors up to 3 x 3
    (all orders, whatever the scales) and an SVD above (first order)."""
    cases = [(np.array([[0.0, 0.0], [0.0, 1.0]]), [[1.0, 0.0], [0.0, 0.0]]),
             (np.array([[1.0, 2.0], [2.0, 4.0]]), [[4.0, -2.0], [-2.0, 1.0]]),
             (np.diag([0.0, 1.5, -2.0]), np.diag([-3.0, 0.0, 0.0])),
             (np.zeros((3, 3)), np.zeros((3, 3)))]
    for a, cof in cases:
        for mode in ("forward", "reverse"):
            np.testing.assert_allclose(dt.grad(dnp.linalg.det, mode=mode)(a), cof, atol=1e-14)
    # det of a 2 x 2 matrix is ad - bc: its Hessian is constant, singular or not
    h = np.zeros((4, 4))
    h[0, 3] = h[3, 0] = 1.0
    h[1, 2] = h[2, 1] = -1.0
    for a in (np.array([[1.0, 2.0], [2.0, 4.0]]), np.array([[3.0, 1.0], [0.5, 2.0]])):
        np.testing.assert_allclose(np.reshape(dt.hessian(dnp.linalg.det)(a), (4, 4)), h,
                                   atol=1e-13)
    batch = np.stack([np.array([[1.0, 2.0], [2.0, 4.0]]), 2.0 * np.eye(2)])
    np.testing.assert_allclose(dt.grad(lambda a: dnp.sum(dnp.linalg.det(a)))(batch),
                               [[[4.0, -2.0], [-2.0, 1.0]], 2.0 * np.eye(2)], atol=1e-14)
    np.testing.assert_allclose(dt.grad(lambda x: dnp.linalg.det(dnp.diag(x)))(
        np.array([0.0, 1.0])), [1.0, 0.0])
    # spread scales (a polynomial in the entries' sums would cancel here)
    np.testing.assert_allclose(dt.grad(dnp.linalg.det)(np.diag([0.0, 1e200, 1e-200])),
                               np.diag([1.0, 0.0, 0.0]))
    big = np.diag([0.0, 10.0, 100.0, 1e3, 1e4, 1e5, 1e6, 1e7])
    np.testing.assert_allclose(dt.grad(dnp.linalg.det)(big), np.diag([1e28] + [0.0] * 7))
    for shape in ((0, 0), (3, 0, 0)):
        assert dt.grad(lambda a: dnp.sum(dnp.linalg.det(a)))(np.zeros(shape)).shape == shape
        j = dt.jit(dt.grad(lambda a: dnp.sum(dnp.linalg.det(a))))
        assert j(np.zeros(shape)).shape == shape


@pytest.mark.parametrize("n", [5, 12])
def test_det_derivative_at_a_singular_matrix_matches_finite_differences(n):
    rng = np.random.default_rng(n)
    a = rng.standard_normal((n, n))
    a[:, 3] = a[:, 1]                       # rank n - 1: the cofactors are not 0
    g = np.asarray(dt.grad(dnp.linalg.det)(a))
    fd = np.zeros_like(a)
    h = 1e-6
    for i in range(n):
        for j in range(n):
            e = np.zeros_like(a)
            e[i, j] = h
            fd[i, j] = (np.linalg.det(a + e) - np.linalg.det(a - e)) / (2 * h)
    assert np.abs(g).max() > 1e-3
    np.testing.assert_allclose(g, fd, atol=1e-6 * np.abs(fd).max())
    if n > 3 and np.linalg.det(a) == 0.0:
        with pytest.raises(NotImplementedError, match="order 2 or more at an exactly singular"):
            dt.hessian(dnp.linalg.det)(a)


def test_forward_mode_refuses_in_place_writes_into_dual_arrays():
    """Writing a constant into an array that carries a tangent would leave
    its tangent stale (a silently wrong derivative): refused, as reverse
    mode refuses writes into recorded arrays."""
    w, x0 = np.array([1.0, 2.0, 3.0]), np.array([0.5, -1.0, 2.0])

    def write(x):
        y = x * 1.0
        y[0] = 0.0
        return dnp.sum(y * w)

    def scale(x):
        y = x * 1.0
        y *= 0.0
        return dnp.sum(y * w)

    def mask(x):
        y = x * 1.0
        y[x > 0] = 0.0
        return dnp.sum(y)
    for f in (write, scale, mask):
        with pytest.raises(RuntimeError, match="carries a forward-mode tangent"):
            dt.grad(f, mode="forward")(x0)
        with pytest.raises(RuntimeError, match="carries a forward-mode tangent"):
            dt.jvp(f, (x0,), (np.ones(3),))
    x = nd.array([1.0, 2.0])
    with dt.forward_level():
        x.attach_tangent(nd.ones(2))
        y = x * 2
        with pytest.raises(RuntimeError, match="carries a forward-mode tangent"):
            y[:] = 0.0
        np.testing.assert_array_equal(y.detach().asnumpy(), [2.0, 4.0])    # not written
