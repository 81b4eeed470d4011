"""Scalings moved into the ops that read them, for ``dt.jit``'s planner.

Derivative rules are full of scalings: ``-x``, ``x * 100``, ``x + x``.  A
scaling that only one op reads need not be computed on its own: ``(-a) * b``
is ``-(a * b)``, ``a + (-b)`` is ``a - b``, ``(x * 100) + (x * 100)`` is
``x * 200``.  This pass carries each such value as *pending* ``(base, c)``
(the value is ``c * base``) to its reader, which either absorbs it or
computes it there; no rewrite adds an op.

What moves where, and why it gives the eager values:

* a sign (``c = -1``) moves through products and is absorbed by sums and
  differences with an operand of sign +1 (``a + (-b)``, ``(-a) + b``,
  ``a - (-b)``): IEEE arithmetic is symmetric in sign, so these are exact,
  signed zeros included (``(-a) + (-b)`` is not folded: ``-(a + b)`` would
  turn its +0 into -0);
* a sign composes with any scaling, and a growth by a power of two
  (``x + x``, ``x * 4``) with any scaling before it (``(x * 100) + (x *
  100)`` is ``x * 200``): scaling up by ``2**k`` commutes with rounding and
  overflows exactly where the eager product does, so the values agree but
  where an intermediate value is subnormal.  Nothing else composes: ``(x *
  3) / 4`` is ``inf`` eagerly where ``x * 0.75`` would not be;
* every other reader gets the value computed by one ``negative`` or
  ``mul_scalar`` just before it, as the eager program does.
"""
import math

import numpy as np

from .ops.elementwise import _FLOATS


def _pow2(c):
    """Whether ``c`` is plus or minus a power of two (scaling by it is exact)."""
    return c != 0 and math.isfinite(c) and abs(math.frexp(c)[0]) == 0.5


def _composes(c0, c, dtype):
    """Whether scaling by ``c0`` then by ``c`` is scaling by ``c0 * c`` in
    ``dtype`` (see the module docstring)."""
    if abs(c0) != 1.0 and not (_pow2(c) and abs(c) > 1.0):
        return abs(c) == 1.0
    prod = c0 * c
    info = np.finfo(dtype)
    return math.isfinite(prod) and float(info.tiny) <= abs(prod) <= float(info.max)


def _scale_param(params):
    """The scale of ``x * s`` or ``x / s``: a finite nonzero Python number (the
    ops' other scalars, numpy's included, are left alone)."""
    if len(params) == 1 and type(params[0]) in (int, float):
        try:
            c = float(params[0])
        except OverflowError:
            return None
        return c if math.isfinite(c) and c != 0 else None
    return None


def fold_scales(entries, meta, out_slots, ops):
    """``entries`` with single-use scalings moved into their readers.

    Parameters
    ----------
    entries : list of (op, ins, params, outs)
        A planned trace (inputs resolved), in order.
    meta : list of (shape, dtype)
        Per slot; slots made here are appended.
    out_slots : list of int
        The program's results (never left pending).
    ops : dict
        The registry (``negative``, ``mul_scalar``, ``copy``, ``add``,
        ``subtract``, ``multiply``).
    """
    uses = {}
    for _, ins, _, _ in entries:
        for s in set(ins):          # x + x and x * x read x once
            uses[s] = uses.get(s, 0) + 1
    for s in out_slots:
        uses[s] = uses.get(s, 0) + 2
    pending, out = {}, []

    def same(*slots):
        return all(meta[s] == meta[slots[0]] for s in slots) and meta[slots[0]][1] in _FLOATS

    def new_slot(like):
        meta.append(meta[like])
        return len(meta) - 1

    def emit(op, ins, params, o):
        out.append((ops[op], list(ins), params, [o]))

    def compute(s):
        """Emit the op that gives pending ``s`` its value."""
        base, c = pending.pop(s)
        if c == 1.0:
            emit("copy", [base], (), s)
        elif c == -1.0:
            emit("negative", [base], (), s)
        else:
            emit("mul_scalar", [base], (c,), s)

    def settle(o, base, c):
        """``o`` is ``c * base``: pending if only one op reads it."""
        pending[o] = (base, c)
        if uses.get(o, 0) != 1:
            compute(o)

    def scaling(name, ins, params):
        if name == "negative":
            return -1.0
        if name in ("mul_scalar", "div_scalar"):
            c = _scale_param(params)
            if c is not None and name == "div_scalar":
                c = 1.0 / c if _pow2(c) else None
            return c
        if name == "add" and ins[0] == ins[1]:
            return 2.0
        return None

    for op, ins, params, outs in entries:
        name, o = op.name, outs[0]
        c = scaling(name, ins, params) if len(outs) == 1 and same(ins[0], o) else None
        if c is not None:
            base, c0 = pending.pop(ins[0], (ins[0], 1.0))
            if not _composes(c0, c, meta[o][1]):
                if base != ins[0]:              # its input was pending
                    pending[ins[0]] = (base, c0)
                    compute(ins[0])
                out.append((op, ins, params, outs))     # the op as traced
                continue
            if base == ins[0] and uses.get(o, 0) != 1:
                out.append((op, ins, params, outs))     # nothing to move
            else:
                settle(o, base, c0 * c)
            continue
        signs = None
        if name in ("multiply", "add", "subtract") and len(ins) == 2 and same(ins[0], ins[1], o):
            if ins[0] == ins[1] and name != "multiply" and ins[0] in pending:
                compute(ins[0])             # x - x
            signs = []
            for s in ins:
                if s in pending and abs(pending[s][1]) != 1.0:
                    compute(s)          # (splitting off its sign could cost an op)
                signs.append(pending[s][1] if s in pending else 1.0)
            if name == "add" and signs == [-1.0, -1.0]:
                compute(ins[0])
                signs[0] = 1.0
            if name == "subtract" and signs == [-1.0, 1.0]:
                compute(ins[0])
                signs[0] = 1.0
        if signs is None or signs == [1.0, 1.0]:
            for s in ins:
                if s in pending:
                    compute(s)
            out.append((op, ins, params, outs))
            continue
        a, b = (pending[s][0] if s in pending else s for s in ins)
        for s in ins:
            pending.pop(s, None)
        if name == "multiply":
            sign = signs[0] * signs[1]
            r = new_slot(o) if sign < 0 else o
            emit("multiply", [a, b], (), r)
            if sign < 0:
                settle(o, r, -1.0)
            continue
        sb = signs[1] if name == "add" else -signs[1]
        if signs[0] > 0:                    # a + sb*b
            emit("add" if sb > 0 else "subtract", [a, b], (), o)
        else:                               # -a + b
            emit("subtract", [b, a], (), o)
    assert not pending, pending
    return out
