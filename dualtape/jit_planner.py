"""From a ``dt.jit`` trace to a ``_fused.Program``.

The trace is a flat list of entries ``(op, input slots, params, output
slots)`` over numbered values whose shapes and dtypes are known.  Planning

1. drops the entries no result depends on (dead code);
2. computes at once the entries whose inputs are all constants (folding);
3. simplifies: ``x ** 1``, ``x * 1`` and a product with a constant array of
   ones are ``x``, ``x ** 0`` is a constant, an entry that repeats an
   earlier one (same op, inputs and parameters) reuses its value, and
   scalings move into the op that reads them (``jit_scales``);
4. fuses: maximal sets of elementwise entries over the same number of
   elements and one float dtype, whose formulas ``kernel_table`` has, become
   one ``Group`` (one pass over memory, tile by tile); full sums and means of
   their values join the group as accumulators; every other entry is a
   ``Call`` of its primal;
5. gives each value computed by a group and used by a later step a buffer
   of an arena kept across calls, reusing a buffer once every value that may
   view it is dead, and marks the outputs that must be copied (arguments,
   constants) so that a result never aliases the program's state.
"""
import numpy as np

from . import _engine, _fused, kernel_table
from .jit_scales import fold_scales
from .ops.elementwise import _FLOATS

#: Ops whose primal reads its inputs in any layout (numpy hands BLAS a
#: transposed operand as it is).
STRIDED_READERS = {"matmul"}
_REAL_SCALARS = (int, float, bool, np.integer, np.floating, np.bool_)


def primal(op, datas, params):
    """One op's value(s) from numpy arrays, exactly as ``apply`` computes it
    off the tape: a tuple of arrays in the data form of NDArrays."""
    out = op.primal(*datas, *params)
    outs = out if op.nout != 1 else (out,)
    res = []
    for o in outs:
        if op.keep_dtype and np.asarray(o).dtype != datas[0].dtype:
            o = np.asarray(o).astype(datas[0].dtype)
        res.append(_engine.as_data(o))
    return tuple(res)


def _size(shape):
    n = 1
    for d in shape:
        n *= d
    return n


def _freeze(params):
    """A hashable key of ``params`` that tells 1 from 1.0 and True, and 0.0
    from -0.0, or None."""
    def one(p):
        if isinstance(p, (tuple, list)):
            return (type(p), tuple(one(q) for q in p))
        if isinstance(p, slice):
            return (slice, one(p.start), one(p.stop), one(p.step))
        if isinstance(p, (float, np.floating)):     # -0.0 is not 0.0; nan is nan
            return (type(p), float(p).hex())
        return (type(p), p)
    key = one(params)
    try:
        hash(key)
    except TypeError:
        return None
    return key


def _scalar(params):
    """The one real number of ``params``, or None."""
    if len(params) == 1 and isinstance(params[0], _REAL_SCALARS):
        try:
            return float(params[0])
        except OverflowError:
            return None
    return None


def _uniform(c):
    """The value of a constant array whose elements are all equal (signs of
    zero included), or None."""
    if c.size == 0 or c.dtype not in _FLOATS:
        return None
    first = c.reshape(-1)[0]
    if np.isnan(first) or not np.all(c == first) or \
            (first == 0 and not np.all(np.signbit(c) == np.signbit(first))):
        return None
    return float(first)


class Planner:
    """Plans one traced program (see the module docstring).

    Parameters
    ----------
    entries : list of (op, ins, params, outs)
        The trace, in order.
    meta : list of (shape, dtype)
        Of every slot's traced value.
    constants : dict
        slot -> array for the slots no entry computed that no argument holds.
    arg_slots, out_slots : list of int
    shares : dict
        slot -> (input index, element offset or None): the traced value was a
        view of that input of its entry (at that offset, when contiguous).
    windows : dict
        slot of a scatter -> the element its window of the input starts at.
    """

    def __init__(self, entries, meta, constants, arg_slots, out_slots, shares, windows):
        self.meta = list(meta)
        self.shares = shares
        self.windows = windows
        self.consts = dict(constants)
        self.arg_slots = list(arg_slots)
        self.out_slots = list(out_slots)
        self.nslots = len(meta)
        self.folded = 0
        self.traced_ops = len(entries)
        entries = self._live(entries)
        entries = self._fold(entries)
        entries, alias = self._simplify(entries)
        self.out_slots = [self._resolve(alias, s) for s in self.out_slots]
        from .registry import REGISTRY
        entries = fold_scales(self._live(entries), self.meta, self.out_slots, REGISTRY)
        entries, alias = self._simplify(entries)
        self.out_slots = [self._resolve(alias, s) for s in self.out_slots]
        self.nslots = len(self.meta)
        self.entries = self._live(entries)
        needed = set(self.out_slots)
        for _, ins, _, _ in self.entries:
            needed.update(ins)
        self.consts = {s: c for s, c in self.consts.items() if s in needed}
        self.view_of, self.window_of = self._views()
        self.strided = self._strided_transposes()

    # ------------------------------------------------ simplification ---

    def shape(self, s):
        return self.meta[s][0]

    def dtype(self, s):
        return self.meta[s][1]

    def _same(self, a, b):
        return self.shape(a) == self.shape(b) and self.dtype(a) == self.dtype(b)

    def _live(self, entries):
        needed = set(self.out_slots)
        out = []
        for entry in reversed(entries):
            if any(o in needed for o in entry[3]):
                out.append(entry)
                needed.update(entry[1])
        out.reverse()
        return out

    def _fold(self, entries):
        out = []
        for op, ins, params, outs in entries:
            if all(s in self.consts for s in ins):
                for s, r in zip(outs, primal(op, [self.consts[i] for i in ins], params)):
                    self.consts[s] = r
                self.folded += 1
            else:
                out.append((op, ins, params, outs))
        return out

    @staticmethod
    def _resolve(alias, s):
        while s in alias:
            s = alias[s]
        return s

    def _simplify(self, entries):
        alias, seen, out = {}, {}, []
        for op, ins, params, outs in entries:
            ins = [self._resolve(alias, s) for s in ins]
            if len(outs) == 1 and self._identity(op.name, ins, params, outs[0], alias):
                continue
            key = _freeze((id(op), tuple(ins), self._scalar_key(op, ins, params)))
            if key is not None and key in seen:
                for a, b in zip(outs, seen[key]):
                    alias[a] = b
                continue
            if key is not None:
                seen[key] = outs
            out.append((op, ins, params, outs))
        return out, alias

    def _scalar_key(self, op, ins, params):
        """``params``, with a Python number of an elementwise op on float data
        as a float (``x * 100`` and ``x * 100.0`` are the same op there)."""
        f = kernel_table.BY_NAME.get(op.name)
        if f is not None and f.arity == "xs" and type(params[0]) in (int, float) \
                and self.dtype(ins[0]) in _FLOATS:
            return (float(params[0]),) + tuple(params[1:])
        return params

    def _identity(self, name, ins, params, o, alias):
        """Whether the entry is ``x`` or a constant (recorded in ``alias`` or
        the constants): ``x ** 1``, ``x * 1``, ``x / 1``, a product with ones,
        ``x ** 0``."""
        s = _scalar(params)
        if (name in ("pow_scalar", "mul_scalar", "div_scalar") and s == 1.0 or
                name == "copy") and self._same(ins[0], o):
            alias[o] = ins[0]
            return True
        if name == "pow_scalar" and s == 0.0 and self.dtype(o) in _FLOATS:
            self.consts[o] = np.ones(self.shape(o), self.dtype(o))
            return True
        if name == "multiply":
            for i in (0, 1):
                c = self.consts.get(ins[i])
                if c is not None and _uniform(c) == 1.0 and self._same(ins[1 - i], o):
                    alias[o] = ins[1 - i]
                    return True
        return False

    # ---------------------------------------------------------- views ---

    def _views(self):
        """``(view_of, window_of)``.  ``view_of[o] = (slot, offset)``: value
        ``o`` is elements ``offset ..`` of ``slot``'s array, as a structural op
        (slicing, reshaping) made it a view there.  ``window_of[o] = (slot,
        offset, lo, m)``: ``o`` (a scatter of a basic index) is zeros but for
        ``m`` elements of ``slot``'s data from ``offset``, at elements ``lo ..``.  Groups read
        such values straight from ``slot``, with no op run for them."""
        view_of, window_of = {}, {}
        for op, ins, params, outs in self.entries:
            if len(ins) != 1 or len(outs) != 1 or op.kind != "linear":
                continue
            x, o = ins[0], outs[0]
            if op.name == "scatter":
                lo = self.windows.get(o)
                if lo is not None and self.dtype(x) == self.dtype(o):
                    window_of[o] = view_of.get(x, (x, 0)) + (lo, _size(self.shape(x)))
                continue
            off = self.shares.get(o, (None, None))[1]
            if off is not None:
                base, start = view_of.get(x, (x, 0))
                view_of[o] = (base, start + off)
        # a group reads a window only element for element (not broadcast)
        for entry in self.entries:
            fused = self._fusible(*entry)
            if fused is not None and fused[1] != "sum":
                for x in entry[1]:
                    if x in window_of and self._form(x, entry[3][0]) != ("array",):
                        del window_of[x]
        return view_of, window_of

    def _strided_transposes(self):
        """Outputs of transposes read only by matrix products: their calls
        return numpy's transposed view (BLAS reads it as is) instead of the
        C-contiguous copy every NDArray holds."""
        readers = {}
        for op, ins, _, _ in self.entries:
            for x in ins:
                readers.setdefault(x, set()).add(op.name)
        return {outs[0] for op, ins, params, outs in self.entries
                if op.name == "transpose" and outs[0] not in self.out_slots
                and readers.get(outs[0], {None}) <= STRIDED_READERS}

    # --------------------------------------------------------- fusion ---

    def _form(self, s, o):
        """How input ``s`` of an elementwise entry with output ``o`` is read:
        ("array",), ("bcast",), ("cyclic", L), or None."""
        if self.dtype(s) != self.dtype(o):
            return None
        n, m = _size(self.shape(o)), _size(self.shape(s))
        if m == n:
            return ("array",)
        if m == 1:
            return ("bcast",)
        inner = list(self.shape(s))
        while inner and inner[0] == 1:
            inner.pop(0)
        oshape = self.shape(o)
        if len(inner) <= len(oshape) and tuple(oshape[len(oshape) - len(inner):]) == \
                tuple(inner):
            return ("cyclic", m)
        return None

    def _fusible(self, op, ins, params, outs):
        """``(group key, micro-op name, scalar)`` of a fusible entry, or None."""
        if len(outs) != 1:
            return None
        o = outs[0]
        dt = self.dtype(o)
        name = op.name
        if name in ("sum", "mean"):
            x = ins[0]
            if self.dtype(x) in _FLOATS and self.dtype(x) == dt and len(ins) == 1 \
                    and _size(self.shape(o)) == 1 and _size(self.shape(x)) >= 1 \
                    and len(params[0]) == len(self.shape(x)):
                return (_size(self.shape(x)), dt), "sum", 0.0
            return None
        f = kernel_table.BY_NAME.get(name)
        n = _size(self.shape(o))
        if f is None or dt not in _FLOATS or n == 0:
            return None
        s = 0.0
        if f.arity == "xs":
            s = _scalar(params)
            if s is None:
                return None
            if name == "pow_scalar" and s == 2.0:
                name = "square"
        elif params:
            return None
        if len(ins) != (2 if f.arity == "xy" else 1):
            return None
        if any(self._form(x, o) is None for x in ins):
            return None
        return (n, dt), name, s

    def _partition(self):
        """Steps in an order that respects every dependency: ("call", entry)
        or ("group", key, [(entry, micro-op name, scalar)])."""
        steps = []
        open_groups = {}        # key -> step
        made_by = {}            # slot -> (step, final: a sum's total)

        def close(step):
            if open_groups.get(step[1]) is step:
                del open_groups[step[1]]
                steps.append(step)

        for entry in self.entries:
            op, ins, params, outs = entry
            fused = self._fusible(*entry)
            for s in ins:       # producers of other groups, or final values, first
                by = made_by.get(s)
                if by is not None and (fused is None or by[0][1] != fused[0] or by[1]):
                    close(by[0])
            if fused is None:
                steps.append(("call", entry))
                continue
            key, name, scalar = fused
            step = open_groups.get(key)
            if step is None:
                step = open_groups[key] = ("group", key, [])
            step[2].append((entry, name, scalar))
            for o in outs:
                made_by[o] = (step, name == "sum")
        for step in list(open_groups.values()):
            close(step)
        return steps

    # -------------------------------------------------------- program ---

    def _source(self, s):
        """The slot a group reads for its input ``s`` (``s`` itself, or the
        base of a view or window)."""
        if s in self.window_of:
            return self.window_of[s][0]
        return self.view_of.get(s, (s,))[0]

    def program(self, structure):
        """The ``_fused.Program`` of the plan."""
        steps = self._partition()
        reads, writes = [], []
        for step in steps:
            if step[0] == "call":
                reads.append(set(step[1][1]))
                writes.append(set(step[1][3]))
            else:
                ins, outs = set(), set()
                for (op, i, p, o), _, _ in step[2]:
                    ins.update(i)
                    outs.update(o)
                reads.append({self._source(x) for x in ins - outs if x not in self.consts
                              or _uniform(self.consts[x]) is None})
                writes.append(outs)
        # ops whose values groups read through views and windows drop out
        needed, keep = set(self.out_slots), []
        for i in reversed(range(len(steps))):
            if steps[i][0] == "group" or writes[i] & needed:
                keep.append(i)
                needed |= reads[i]
        keep.reverse()
        steps = [steps[i] for i in keep]
        reads = [reads[i] for i in keep]
        writes = [writes[i] for i in keep]
        outputs = set(self.out_slots)
        last_read = {}
        for i, r in enumerate(reads):
            for s in r:
                last_read[s] = i
        root = self._roots(steps)
        last = {}                   # root -> the last step reading it or a view of it
        for s, i in last_read.items():
            last[root[s]] = max(last.get(root[s], -1), i)
        fresh = {root[s] for s in outputs}      # results are new arrays every call
        specs, free, bid_of, released, built = [], {}, {}, {}, []
        for i, step in enumerate(steps):
            for b, spec in released.pop(i - 1, []):
                free.setdefault(spec, []).append(b)
            if step[0] == "call":
                op, ins, params, outs = step[1]
                built.append(_fused.Call(op, tuple(ins), tuple(params), tuple(outs),
                                         outs[0] in self.strided))
                continue
            escaping = {o for o in writes[i] if o in outputs or last_read.get(o, -1) > i}
            for o in sorted(escaping - fresh):
                spec = (self.shape(o), self.dtype(o).str)
                if free.get(spec):
                    b = free[spec].pop()
                else:
                    b = len(specs)
                    specs.append((self.shape(o), self.dtype(o)))
                bid_of[o] = b
                released.setdefault(max(last.get(o, i), i), []).append((b, spec))
            built.append(self._group(step, escaping, bid_of))
        dead = [tuple(sorted(s for s in reads[i] | writes[i]
                             if s not in outputs and last_read.get(s, -1) <= i))
                for i in range(len(steps))]
        # a result that is an argument, a constant, or a value already returned
        # (two results the simplifier merged) is copied
        copy_out = tuple(root[s] in self.consts or root[s] in self.arg_slots
                         or any(root[s] == root[t] for t in self.out_slots[:i])
                         for i, s in enumerate(self.out_slots))
        self.steps, self.specs = steps, specs
        consts = {s: c for s, c in self.consts.items() if any(s in r for r in reads)
                  or s in outputs}
        self.kept = consts          # the constants the program holds
        return _fused.Program(self.nslots, consts, tuple(self.arg_slots),
                              tuple(self.out_slots), built, dead, copy_out, specs, structure)

    def _roots(self, steps):
        """slot -> the slot whose memory it may share (itself for values a
        group computes or an op returns afresh)."""
        root = {s: s for s in range(self.nslots)}
        for step in steps:
            if step[0] != "call":
                continue
            op, ins, params, outs = step[1]
            for o in outs:
                if o in self.strided:       # a view at replay, a copy in the trace
                    root[o] = root[ins[0]]
                    continue
                if o in self.shares:        # a view of an input, as the trace saw
                    root[o] = root[ins[self.shares[o][0]]]
        return root

    def _group(self, step, escaping, bid_of):
        """The ``_fused.Group`` of a group step.  Values used only inside the
        group live in registers, reused once dead; broadcast operands
        (filled before the tile loop or at each tile's start) get registers
        of their own after those."""
        _, (n, dt), members = step
        operands, ops, outputs, sums = [], [], [], []
        opd = {}                        # (slot, form) -> operand index
        reg_of = {}                     # internal slot -> operand index
        free_regs, nregs, broadcast = [], 0, []
        last_use = {}
        for j, ((op, ins, p, outs), _, _) in enumerate(members):
            for s in ins:
                last_use[s] = j

        def operand(s, o):
            if s in reg_of:
                return reg_of[s]
            if (s, "out") in opd:       # an escaping value of this group
                return opd[(s, "out")]
            c = self.consts.get(s)
            value = _uniform(c) if c is not None else None
            form = ("const",) if value is not None else self._form(s, o)
            key = (s, form)
            if key not in opd:
                src, offset = self.view_of.get(s, (s, 0))
                extent, lo = form[1] if form[0] == "cyclic" else 0, 0
                if form[0] == "array" and s in self.window_of:
                    form = ("window",)
                    src, offset, lo, extent = self.window_of[s]
                opd[key] = len(operands)
                if form[0] != "array":
                    broadcast.append(len(operands))
                operands.append([_fused.KINDS[form[0]], src, -1, offset, extent, lo,
                                 0.0 if value is None else value])
            return opd[key]

        for j, ((op, ins, p, outs), name, scalar) in enumerate(members):
            o = outs[0]
            srcs = [operand(s, s if name == "sum" else o) for s in ins]
            if name == "sum":
                divisor = float(_size(self.shape(ins[0]))) if op.name == "mean" else 1.0
                sums.append((len(sums), o, self.shape(o), divisor, bid_of.get(o, -1)))
                ops.append((_fused.CODES["sum"], len(sums) - 1, srcs[0], -1, 0.0))
            else:
                dst = len(operands)
                if o in escaping:
                    opd[(o, "out")] = dst
                    operands.append([_fused.KINDS["array"], o, -1, 0, 0, 0, 0.0])
                    outputs.append((dst, o, self.shape(o), bid_of.get(o, -1)))
                else:
                    if free_regs:
                        r = free_regs.pop()
                    else:
                        r, nregs = nregs, nregs + 1
                    operands.append([_fused.KINDS["reg"], -1, r, 0, 0, 0, 0.0])
                    reg_of[o] = dst
                ops.append((_fused.CODES[name], dst, srcs[0],
                            srcs[1] if len(srcs) > 1 else -1, scalar))
            for s in set(ins):          # registers whose last use this was
                if s in reg_of and last_use[s] == j:
                    free_regs.append(operands[reg_of[s]][2])
        for k, i in enumerate(broadcast):
            operands[i][2] = nregs + k
        return _fused.Group(n, dt, ops, [tuple(x) for x in operands], outputs, sums)

    # ---------------------------------------------------------- stats ---

    def stats(self):
        groups = [s for s in self.steps if s[0] == "group"]
        fused = sum(len(s[2]) for s in groups)
        return {"traced_ops": self.traced_ops, "ops": len(self.entries),
                "folded": self.folded, "groups": len(groups), "fused_ops": fused,
                "calls": len(self.steps) - len(groups), "constants": len(self.kept),
                "constant_bytes": sum(int(np.asarray(c).nbytes) for c in self.kept.values()),
                "arena_bytes": sum(_size(sh) * np.dtype(dt).itemsize for sh, dt in self.specs)}
