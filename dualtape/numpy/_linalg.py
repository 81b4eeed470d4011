"""numpy's products and matrix structure on dualtape arrays: ``matmul`` (and
``@``), ``dot``, ``vdot``, ``inner``, ``outer``, ``tensordot``, ``einsum``,
``kron``, ``diag``, ``diagonal``, ``tril`` and ``triu``.

Every contraction ends in the registered ``matmul`` op after transposes and
reshapes, and every diagonal is a ``gather`` by flat index, so the
derivatives (of any order, in both modes) are those of these linear ops.
"""
import numbers

import numpy as np

from .._engine import NDArray, apply, wrap
from ..ops.elementwise import WHERE
from ..ops.linalg import MATMUL
from ..ops.reduction import SUM
from ..ops.structural import GATHER, SCATTER_ADD, transpose as _transpose, view_as
from ._core import asarray, common_dtype, like_inputs
from ._reductions import normalize_axes
from ._ufuncs import multiply

__all__ = ["matmul", "dot", "vdot", "inner", "outer", "tensordot", "einsum", "kron",
           "diag", "diagonal", "tril", "triu"]


# ------------------------------------------------------------- helpers ---

def _permute(x, axes):
    """``x`` with its axes in the order ``axes`` (no op for the identity)."""
    axes = tuple(axes)
    return x if axes == tuple(range(x.ndim)) else _transpose(x, axes)


def _reshaped(x, shape):
    shape = tuple(int(s) for s in shape)
    return x if x.shape == shape else view_as(x, shape)


def _sum_axes(x, axes):
    """The sum of ``x`` over ``axes`` (numpy's shape: 0-d when all go)."""
    if not axes:
        return x
    r = apply(SUM, (x,), (tuple(sorted(axes)), False))
    return _reshaped(r, [s for i, s in enumerate(x.shape) if i not in axes])


def _contract(x, y, ax, ay):
    """``x``'s axes ``ax`` against ``y``'s axes ``ay`` (same lengths): the
    free axes of ``x`` then those of ``y``, by one 2-d matrix product."""
    fx = [i for i in range(x.ndim) if i not in ax]
    fy = [i for i in range(y.ndim) if i not in ay]
    k = int(np.prod([x.shape[i] for i in ax], dtype=np.int64))
    m = int(np.prod([x.shape[i] for i in fx], dtype=np.int64))
    n = int(np.prod([y.shape[i] for i in fy], dtype=np.int64))
    a = _reshaped(_permute(x, fx + list(ax)), (m, k))
    b = _reshaped(_permute(y, list(ay) + fy), (k, n))
    r = apply(MATMUL, (a, b))
    return _reshaped(r, [x.shape[i] for i in fx] + [y.shape[i] for i in fy])


def _strong_dtype(name, *args):
    """The dtype numpy's products compute in: unlike ufuncs, they read a
    Python scalar as a 0-d array of its own dtype (``2.0`` is float64)."""
    return common_dtype(name, *[a if isinstance(a, NDArray) else np.asarray(a) for a in args])


def _pair(name, a, b):
    """``a`` and ``b`` as arrays of the dtype numpy's products give."""
    dt = _strong_dtype(name, a, b)
    return asarray(a, dt), asarray(b, dt)


def _diag_flat(n1, n2, offset):
    """Flat positions in an ``n1 x n2`` matrix of its diagonal ``offset``."""
    length = max(0, min(n1 + min(offset, 0), n2 - max(offset, 0)))
    i = np.arange(length)
    return (i + max(-offset, 0)) * n2 + i + max(offset, 0)


def _gather_last(x, index, nkeep):
    """``x``'s first ``nkeep`` axes, then the entries of the rest (flattened)
    at positions ``index``."""
    return apply(GATHER, (x,), (np.asarray(index, np.int64), nkeep))


# ------------------------------------------------------------ products ---

def matmul(x1, x2, /, out=None, **kwargs):
    """numpy.matmul: 1-d operands are promoted to matrices and the added axis
    removed again; leading axes broadcast.  Derivative: the product rule
    (the registered ``matmul`` op)."""
    if out is not None or kwargs:
        raise TypeError("matmul: only out=None and no further arguments are supported")
    a, b = _pair("matmul", x1, x2)
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
    return like_inputs(_reshaped(r, shape), (x1, x2))


def dot(a, b, out=None):
    """numpy.dot: a 0-d operand multiplies; otherwise the last axis of ``a``
    meets the only axis of a 1-d ``b``, or the second-to-last axis of ``b``
    (``dot(a, b)[i, j, k, m] = sum(a[i, j, :] * b[k, :, m])``)."""
    if out is not None:
        raise TypeError("dot: out= is not supported (dualtape returns new arrays)")
    x, y = _pair("dot", a, b)
    if x.ndim == 0 or y.ndim == 0:
        return like_inputs(multiply(x, y), (a, b))
    ay = max(y.ndim - 2, 0)
    if x.shape[-1] != y.shape[ay]:
        raise ValueError("dot: shapes %s and %s not aligned: %d (dim %d) != %d (dim %d)"
                         % (x.shape, y.shape, x.shape[-1], x.ndim - 1, y.shape[ay], ay))
    return like_inputs(_contract(x, y, [x.ndim - 1], [ay]), (a, b))


def vdot(a, b, /):
    """numpy.vdot: the dot product of the flattened operands (a 0-d array)."""
    x, y = _pair("vdot", a, b)
    if x.size != y.size:
        raise ValueError("vdot: vectors have different lengths (%d and %d elements, shapes "
                         "%s and %s)" % (x.size, y.size, x.shape, y.shape))
    return like_inputs(_contract(_reshaped(x, (x.size,)), _reshaped(y, (y.size,)), [0], [0]),
                       (a, b))


def inner(a, b, /):
    """numpy.inner: a 0-d operand multiplies; otherwise the sum over the last
    axes, shape ``a.shape[:-1] + b.shape[:-1]``."""
    x, y = _pair("inner", a, b)
    if x.ndim == 0 or y.ndim == 0:
        return like_inputs(multiply(x, y), (a, b))
    if x.shape[-1] != y.shape[-1]:
        raise ValueError("inner: shapes %s and %s not aligned: %d (dim %d) != %d (dim %d)"
                         % (x.shape, y.shape, x.shape[-1], x.ndim - 1, y.shape[-1],
                            y.ndim - 1))
    return like_inputs(_contract(x, y, [x.ndim - 1], [y.ndim - 1]), (a, b))


def outer(a, b, out=None):
    """numpy.outer: ``a.ravel()[:, None] * b.ravel()[None, :]``."""
    if out is not None:
        raise TypeError("outer: out= is not supported (dualtape returns new arrays)")
    x, y = _pair("outer", a, b)
    return like_inputs(multiply(_reshaped(x, (x.size, 1)), _reshaped(y, (1, y.size))), (a, b))


def _tensordot_axes(axes):
    """numpy's ``axes``: an int N (the last N of ``a``, the first N of
    ``b``) or a pair of axis sequences (or of single axes)."""
    try:
        iter(axes)
    except TypeError:
        if not isinstance(axes, numbers.Integral):
            raise TypeError("tensordot: axes must be an integer or a pair of sequences, "
                            "got %r" % (axes,)) from None
        return list(range(-axes, 0)), list(range(0, axes))
    try:
        xa, xb = axes
    except ValueError:
        raise ValueError("tensordot: axes must be an integer or a pair of axis sequences, "
                         "got %r" % (axes,)) from None
    xa = [xa] if np.ndim(xa) == 0 else list(xa)
    xb = [xb] if np.ndim(xb) == 0 else list(xb)
    return [int(i) for i in xa], [int(i) for i in xb]


def tensordot(a, b, axes=2):
    """numpy.tensordot: sum over ``axes`` (an int N: the last N axes of ``a``
    with the first N of ``b``; or a pair of axis sequences); the free axes
    of ``a`` then those of ``b``."""
    x, y = _pair("tensordot", a, b)
    xa, xb = _tensordot_axes(axes)
    if len(xa) != len(xb):
        raise ValueError("tensordot: shape-mismatch for sum (%d axes of a, %d of b)"
                         % (len(xa), len(xb)))
    try:
        xa = [int(normalize_axes("tensordot", i, x.ndim)[0]) for i in xa]
        xb = [int(normalize_axes("tensordot", i, y.ndim)[0]) for i in xb]
    except np.exceptions.AxisError as e:
        raise IndexError(str(e)) from None
    if len(set(xa)) != len(xa) or len(set(xb)) != len(xb):
        raise ValueError("tensordot: repeated axis in axes %r" % (axes,))
    for i, j in zip(xa, xb):
        if x.shape[i] != y.shape[j]:
            raise ValueError("tensordot: shape-mismatch for sum: axis %d of a (shape %s) "
                             "has length %d, axis %d of b (shape %s) %d"
                             % (i, x.shape, x.shape[i], j, y.shape, y.shape[j]))
    return like_inputs(_contract(x, y, xa, xb), (a, b))


def kron(a, b):
    """numpy.kron: the Kronecker product (blocks ``a[i, j] * b``), shapes
    padded with leading 1s to the same length."""
    x, y = _pair("kron", a, b)
    if x.ndim == 0 or y.ndim == 0:
        return like_inputs(multiply(x, y), (a, b))
    nd = max(x.ndim, y.ndim)
    xs = (1,) * (nd - x.ndim) + x.shape
    ys = (1,) * (nd - y.ndim) + y.shape
    xi = _reshaped(x, [d for s in xs for d in (s, 1)])
    yi = _reshaped(y, [d for s in ys for d in (1, s)])
    r = multiply(xi, yi)
    return like_inputs(_reshaped(r, [p * q for p, q in zip(xs, ys)]), (a, b))


# ------------------------------------------------------------- einsum ---

_LABELS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"


def _sublist_string(args):
    """numpy's interleaved form ``einsum(op0, sublist0, op1, sublist1, ...,
    [sublistout])`` as a subscripts string and the operands (as numpy's C
    einsum: 0-25 are 'A'-'Z', 26-51 'a'-'z')."""
    def labels(sub):
        out = []
        for s in sub:
            if s is Ellipsis:
                out.append("...")
            elif isinstance(s, numbers.Integral) and 0 <= s < 52:
                out.append(_LABELS[s])
            else:
                raise ValueError("einsum: subscript %r in a sublist is not an integer in "
                                 "[0, 52) or Ellipsis" % (s,))
        return "".join(out)
    ops, subs = list(args[0::2]), [labels(s) for s in args[1::2]]
    if len(args) % 2:
        return ",".join(subs[:len(ops) - 1]) + "->" + labels(args[-1]), ops[:-1]
    return ",".join(subs), ops


def _parse_einsum(subscripts, shapes):
    """The labels of each operand's axes and of the output; the axes under
    an ellipsis get integer labels, right-aligned across the operands."""
    s = subscripts.replace(" ", "")
    bad = set(s) - set(_LABELS + ".,->")
    if bad:
        raise ValueError("einsum: character %r is not a valid symbol" % sorted(bad)[0])
    if s.count("->") > 1 or s.count("-") != s.count(">") or (
            "-" in s and "->" not in s):
        raise ValueError("einsum: subscripts string %r has an invalid '->'" % subscripts)
    explicit = "->" in s
    ins, out = s.split("->") if explicit else (s, None)
    terms = ins.split(",")
    if len(terms) != len(shapes):
        raise ValueError("einsum: %s operands provided to einstein sum function than "
                         "specified in the subscripts string (%d operands, %d terms)"
                         % ("more" if len(shapes) > len(terms) else "fewer", len(shapes),
                            len(terms)))

    def split(term, what):
        if term.count("...") > 1 or term.replace("...", "").count("."):
            raise ValueError("einsum: %s %r has an invalid ellipsis" % (what, term))
        head, _, tail = term.partition("...")
        return list(head), "..." in term, list(tail)

    parsed = [split(t, "term") for t in terms]
    widths = []
    for (head, ell, tail), shape, term in zip(parsed, shapes, terms):
        w = len(shape) - len(head) - len(tail)
        if w < 0 or (w > 0 and not ell):
            raise ValueError("einsum: operand of shape %s has %d axes but its subscripts "
                             "%r name %d" % (shape, len(shape), term, len(head) + len(tail)))
        widths.append(w if ell else 0)
    ne = max(widths, default=0)
    labels = [head + list(range(ne - w, ne)) + tail
              for (head, _, tail), w in zip(parsed, widths)]
    if not explicit:
        letters = [c for t in labels for c in t if isinstance(c, str)]
        return labels, list(range(ne)) + sorted(c for c in set(letters)
                                                if letters.count(c) == 1)
    head, ell, tail = split(out, "output")
    if ell:
        res = head + list(range(ne)) + tail
    elif ne and any(widths):
        raise ValueError("einsum: output has more dimensions than subscripts given in "
                         "einstein sum, but no '...' ellipsis provided to broadcast the "
                         "extra dimensions.")
    else:
        res = head + tail
    seen = {c for t in labels for c in t}
    for c in head + tail:
        if (head + tail).count(c) > 1:
            raise ValueError("einsum: einstein sum subscripts string includes output "
                             "subscript %r multiple times" % c)
        if c not in seen:
            raise ValueError("einsum: einstein sum subscripts string included output "
                             "subscript %r which never appeared in an input" % c)
    return labels, res


def _label_sizes(labels, shapes):
    """Each label's length: equal within an operand (a diagonal), 1 or the
    same length across operands (broadcasting)."""
    sizes = {}
    for k, (lab, shape) in enumerate(zip(labels, shapes)):
        own = {}
        for c, n in zip(lab, shape):
            if own.setdefault(c, n) != n:
                raise ValueError("einsum: dimensions in operand %d for collapsing index %r "
                                 "don't match (%d != %d)" % (k, c, own[c], n))
        for c, n in own.items():
            old = sizes.get(c, 1)
            if n != 1 and old != 1 and n != old:
                raise ValueError("einsum: operands could not be broadcast together: "
                                 "subscript %r has length %d in one operand and %d in "
                                 "operand %d (shapes %s)" % (c, old, n, k, list(shapes)))
            sizes[c] = n if old == 1 else old
    return sizes


def _prepare(x, lab, sizes):
    """One operand with its repeated labels reduced to their diagonal and
    its broadcast (length-1) axes dropped: every label once, at full size."""
    drop = [i for i, c in enumerate(lab) if x.shape[i] == 1 and sizes[c] != 1]
    if drop:
        x = _reshaped(x, [n for i, n in enumerate(x.shape) if i not in drop])
        lab = [c for i, c in enumerate(lab) if i not in drop]
    unique = list(dict.fromkeys(lab))
    if len(unique) == len(lab):
        return x, lab
    single = [c for c in unique if lab.count(c) == 1]
    rep = [c for c in unique if lab.count(c) > 1]
    moved = [i for c in rep for i, d in enumerate(lab) if d == c]
    x = _permute(x, [lab.index(c) for c in single] + moved)
    core = [sizes[lab[i]] for i in moved]
    grids = np.indices([sizes[c] for c in rep])
    coords = [grids[rep.index(lab[i])] for i in moved]
    index = np.ravel_multi_index(coords, core) if core else np.zeros((), np.int64)
    return _gather_last(x, index, len(single)), single + rep


def _reduce_to(x, lab, keep):
    """Sum ``x`` over its labels that are not in ``keep``."""
    axes = [i for i, c in enumerate(lab) if c not in keep]
    return _sum_axes(x, axes), [c for c in lab if c in keep]


def _contract_pair(x, lx, y, ly, keep, sizes):
    """Contract two prepared operands, keeping the labels in ``keep``:
    shared kept labels are batch axes of one ``matmul``, shared others its
    inner axis."""
    x, lx = _reduce_to(x, lx, keep | set(ly))
    y, ly = _reduce_to(y, ly, keep | set(lx))
    batch = [c for c in lx if c in ly and c in keep]
    inner_ = [c for c in lx if c in ly and c not in keep]
    xo = [c for c in lx if c not in ly]
    yo = [c for c in ly if c not in lx]

    def size(cs):
        return int(np.prod([sizes[c] for c in cs], dtype=np.int64))
    bs = [sizes[c] for c in batch]
    a = _reshaped(_permute(x, [lx.index(c) for c in batch + xo + inner_]),
                  bs + [size(xo), size(inner_)])
    b = _reshaped(_permute(y, [ly.index(c) for c in batch + inner_ + yo]),
                  bs + [size(inner_), size(yo)])
    r = apply(MATMUL, (a, b))
    return _reshaped(r, bs + [sizes[c] for c in xo + yo]), batch + xo + yo


def _einsum_path(subscripts, shapes, dtype, optimize):
    """The pairwise order numpy's ``einsum_path`` chooses (greedy unless
    ``optimize`` names another strategy or gives the path)."""
    if len(shapes) < 3:
        return [tuple(range(len(shapes)))]
    strategy = "greedy" if optimize is True or optimize is False else optimize
    dummies = [np.broadcast_to(np.zeros((), dtype), s) for s in shapes]
    return list(np.einsum_path(subscripts, *dummies, optimize=strategy)[0][1:])


def einsum(*operands, out=None, dtype=None, order="K", casting="safe", optimize=False):
    """numpy.einsum: explicit (``'ij,jk->ik'``) or implicit output (the labels
    seen once, sorted), ``...`` broadcasting, repeated labels within an
    operand as diagonals (``'ii->i'``, ``'ii'``, ``'bii->bi'``), and numpy's
    sublist form.

    Two or more operands are contracted pairwise, each pair by one
    ``matmul``, in the order ``numpy.einsum_path`` gives (``optimize``:
    ``'greedy'`` for ``False`` and ``True``, or ``'optimal'``, or an explicit
    path): the order changes the cost, not the result.  Derivative: that of
    the transposes, diagonals (gathers) and products it is made of.
    ``order`` is accepted and ignored (results are C-contiguous).
    """
    if out is not None:
        raise TypeError("einsum: out= is not supported (dualtape returns new arrays)")
    if not operands:
        raise TypeError("einsum: no subscripts given")
    if isinstance(operands[0], str):
        subscripts, ops = operands[0], list(operands[1:])
    else:
        subscripts, ops = _sublist_string(operands)
    if not ops:
        raise ValueError("einsum: no operands given")
    dt = _strong_dtype("einsum", *ops)
    if dtype is not None:
        dtype = np.dtype(dtype)
        for o in ops:
            src = asarray(o)._data.dtype
            if not np.can_cast(src, dtype, casting):
                raise TypeError("einsum: cannot cast operand of dtype %s to dtype %s "
                                "according to the rule %r" % (src, dtype, casting))
        dt = common_dtype("einsum", np.zeros((), dtype))
    xs = [asarray(x, dt) for x in ops]
    shapes = [x.shape for x in xs]
    labels, res = _parse_einsum(subscripts, shapes)
    sizes = _label_sizes(labels, shapes)
    path = _einsum_path(subscripts, shapes, dt, optimize)
    terms = [_prepare(x, lab, sizes) for x, lab in zip(xs, labels)]
    for step in path:
        chosen = [terms[i] for i in step]
        terms = [t for i, t in enumerate(terms) if i not in step]
        needed = set(res).union(*[set(lab) for _, lab in terms])
        x, lx = chosen[0]
        for k, (y, ly) in enumerate(chosen[1:], 1):
            later = set().union(*[set(lab) for _, lab in chosen[k + 1:]])
            x, lx = _contract_pair(x, lx, y, ly, needed | later, sizes)
        terms.append(_reduce_to(x, lx, needed))
    (x, lx), = terms
    return like_inputs(_permute(x, [lx.index(c) for c in res]), tuple(ops))


# --------------------------------------------------- matrix structure ---

def diagonal(a, offset=0, axis1=0, axis2=1):
    """numpy.diagonal: the diagonal ``offset`` of the matrices on axes
    ``axis1`` and ``axis2``, as the last axis after the others (a copy, not
    numpy's read-only view).  Linear: its gradient scatters back."""
    x = asarray(a)
    if x.ndim < 2:
        raise ValueError("diagonal: diag requires an array of at least two dimensions, "
                         "got shape %s" % (x.shape,))
    i = normalize_axes("diagonal", axis1, x.ndim)[0]
    j = normalize_axes("diagonal", axis2, x.ndim)[0]
    if i == j:
        raise ValueError("diagonal: axis1 and axis2 cannot be the same (both %d)" % i)
    if not isinstance(offset, numbers.Integral):
        raise TypeError("diagonal: offset must be an integer, got %r" % (offset,))
    rest = [k for k in range(x.ndim) if k not in (i, j)]
    y = _permute(x, rest + [i, j])
    index = _diag_flat(x.shape[i], x.shape[j], int(offset))
    return like_inputs(_gather_last(y, index, len(rest)), (a,))


def diag(v, k=0):
    """numpy.diag: a 1-d ``v`` gives the square matrix with ``v`` on its
    diagonal ``k``; a 2-d ``v`` gives its diagonal ``k``.  Linear."""
    x = asarray(v)
    if not isinstance(k, numbers.Integral):
        raise TypeError("diag: k must be an integer, got %r" % (k,))
    k = int(k)
    if x.ndim == 2:
        return diagonal(v, k)
    if x.ndim != 1:
        raise ValueError("diag: input must be 1- or 2-d, got shape %s" % (x.shape,))
    n = x.shape[0] + abs(k)
    index = _diag_flat(n, n, k)
    return like_inputs(apply(SCATTER_ADD, (x,), (index, (n, n), 0)), (v,))


def _triangle(name, m, k, lower):
    x = asarray(m)
    if x.ndim == 0:
        raise ValueError("%s: m must have at least one axis, got a 0-d array" % name)
    if not isinstance(k, numbers.Integral):
        raise TypeError("%s: k must be an integer, got %r" % (name, k))
    keep = np.tri(*x.shape[-2:], k=int(k) if lower else int(k) - 1, dtype=bool)
    if not lower:
        keep = ~keep
    dt = x._data.dtype
    r = apply(WHERE, (wrap(keep.astype(dt)), x, wrap(np.zeros((), dt))))
    return like_inputs(r, (m,))


def tril(m, k=0):
    """numpy.tril: zeros above diagonal ``k`` of the last two axes (a 1-d
    ``m`` is broadcast to a square matrix first, as numpy does).  Linear:
    the gradient is masked the same way."""
    return _triangle("tril", m, k, True)


def triu(m, k=0):
    """numpy.triu: zeros below diagonal ``k`` of the last two axes (see
    ``tril``)."""
    return _triangle("triu", m, k, False)
