"""``dt.visualize``: the recorded graph behind arrays, drawn with Graphviz.

The tape is read once, breadth first from the heads and without recursion,
into plain lists (linear in its size); chains of ops that repeat an op
sequence are then collapsed into one box each, at most ``max_nodes`` boxes
(those nearest the heads) are kept, and the result is handed to the
``graphviz`` package as a ``Digraph``.
"""
import collections

import numpy as np

from . import _engine

_Leaf = _engine.Leaf
__all__ = ["visualize"]

_REQS = {0: "null", 1: "write", 2: "add"}
_MAX_PERIOD = 8         # longest op sequence that collapse looks for


def visualize(heads, max_nodes=500, collapse=3):
    """Draw the recorded graph behind ``heads``.

    One box per op (name, output shape and dtype, constant inputs), one
    ellipse per variable (its ``grad_req``), edges from inputs to the ops
    that use them (``in i``: the input's position, ``out j``: the output of
    an op with several), heads drawn bold, ops freed by a ``backward()``
    dashed, and the live forward levels of the tangents the arrays carry.

    Parameters
    ----------
    heads : NDArray or list of NDArray
    max_nodes : int
        Draw at most this many boxes of the tape, those nearest the heads; a
        note counts the tape nodes left out and points at the boxes whose
        inputs are among them. Heads off the tape are always drawn.
    collapse : int
        A chain of ops, each the only consumer of the one before (any other
        input a variable or a constant), that repeats a sequence of up to 8
        ops at least ``collapse`` times in a row is drawn as one box with the
        repeat count. ``0`` draws every op.

    Returns
    -------
    graphviz.Digraph
        ``.source`` is the DOT text; ``.render``, ``.pipe`` and Jupyter's
        inline display need Graphviz's ``dot`` program.

    Raises
    ------
    ImportError
        If the ``graphviz`` Python package is not installed.
    """
    try:
        import graphviz
    except ImportError as missing:
        raise ImportError(
            "dualtape.visualize builds its drawing with the graphviz Python package: "
            "pip install graphviz (rendering it also needs Graphviz's dot program, "
            "e.g. apt-get install graphviz)") from missing
    heads = _as_heads(heads)
    if isinstance(max_nodes, bool) or not isinstance(max_nodes, int) or max_nodes < 1:
        raise ValueError("visualize: max_nodes must be a positive int, got %r" % (max_nodes,))
    if (isinstance(collapse, bool) or not isinstance(collapse, int) or collapse < 0
            or collapse == 1):
        raise ValueError("visualize: collapse must be 0 (off) or a repeat count >= 2, "
                         "got %r" % (collapse,))
    tape = _Tape(heads)
    boxes, box_of = _boxes(tape, _runs(tape, collapse) if collapse else [])
    return _draw(graphviz, tape, boxes, box_of, max_nodes)


def _as_heads(heads):
    if isinstance(heads, _engine.NDArray):
        return [heads]
    if isinstance(heads, (list, tuple)) and heads:
        for h in heads:
            if not isinstance(h, _engine.NDArray):
                raise TypeError("visualize takes NDArrays, got %s" % type(h).__name__)
        return list(heads)
    if isinstance(heads, (list, tuple)):
        raise ValueError("visualize needs at least one array")
    raise TypeError("visualize takes an NDArray or a list of them, got %s"
                    % type(heads).__name__)


class _LiveLevels:
    """Whether a forward level is live on this thread (asked once per level)."""

    def __init__(self):
        self._probe = _engine.wrap(np.zeros(0))
        self._known = {}

    def __call__(self, level):
        live = self._known.get(level)
        if live is None:
            # NDArray.tangent answers only for tangents at live levels
            self._probe._tangents = {level: True}
            live = self._known[level] = self._probe.tangent is not None
            self._probe._tangents = None
        return live


class _Tape:
    """The tape behind ``heads``, read breadth first (node index = discovery
    order, so the nodes nearest the heads come first).

    Attributes
    ----------
    nodes : list of Node
    outs : dict
        ``(node index, output index) -> (shape, dtype, levels)``, ``levels``
        a sorted tuple of ``(live level, tangent batch shape)`` gathered from
        every array seen holding that output (an output no array showed and
        no saved value tells is missing).
    ins : list
        Per op node, a list with per input ``(node index, output index)`` for
        an input on the tape, ``(None, (shape, dtype, levels))`` for a
        constant; ``None`` for a variable or a freed op.
    consumers : list of int
        How many distinct ops use each node.
    heads : dict
        Node index -> ``[(head number, output index)]``.
    unrecorded : list
        ``(head number, (shape, dtype, levels))`` of each head not on the tape.
    """

    def __init__(self, heads):
        self.nodes, self.ins, self.consumers = [], [], []
        self.outs = {}
        self.heads = collections.defaultdict(list)
        self.unrecorded = []
        self._live = _LiveLevels()
        self._index = {}
        self._queue = collections.deque()
        for k, h in enumerate(heads):
            if h._node is None:
                self.unrecorded.append((k, self._entry(h)))
                continue
            self.heads[self._see(h)].append((k, h._oidx))
        nodes, consumers, index = self.nodes, self.consumers, self._index
        last_user = {}
        while self._queue:
            v = self._queue.popleft()
            node = nodes[v]
            if type(node) is _Leaf or node.released:
                continue
            ins = []
            for a in node.inputs:
                parent = a._node
                if parent is None:
                    ins.append((None, self._entry(a)))
                    continue
                u = index.get(id(parent))
                if u is None or a._tangents or parent.nout != 1:
                    u = self._see(a)
                ins.append((u, a._oidx))
                if last_user.get(u) != v:
                    last_user[u] = v
                    consumers[u] += 1
            self.ins[v] = ins

    def _see(self, a):
        """The index of the node behind array ``a`` (added when new), with
        what ``a`` tells about the output it holds merged into ``outs``."""
        node = a._node
        i = self._index.get(id(node))
        if i is None:
            i = self._index[id(node)] = len(self.nodes)
            self.nodes.append(node)
            self.ins.append(None)
            self.consumers.append(0)
            self._queue.append(i)
            if node.nout > 1 and node.ans is not None:
                for j, o in enumerate(node.ans):
                    self.outs[i, j] = self._entry(o)
        key = (i, a._oidx)
        entry = self.outs.get(key)
        if entry is None:
            self.outs[key] = self._entry(a)
        elif a._tangents:
            levels = self._levels(a)
            if levels:
                merged = tuple(sorted(dict(entry[2] + levels).items()))
                self.outs[key] = (entry[0], entry[1], merged)
        return i

    def _levels(self, a):
        """``(level, batch shape)`` of ``a``'s tangents at live levels."""
        if not a._tangents:
            return ()
        ndim = a._data.ndim
        return tuple(sorted((lv, t.shape[:t.ndim - ndim]) for lv, t in a._tangents.items()
                            if self._live(lv)))

    def _entry(self, a):
        return (a._data.shape, a._data.dtype, self._levels(a) if a._tangents else ())

    def is_op(self, i):
        return type(self.nodes[i]) is not _Leaf


# ---------------------------------------------------------------- collapse --

def _chains(tape):
    """Maximal chains of single-output ops, oldest first: each op's only
    input on the tape that is not a variable is the op before it, which no
    other op uses and which is no head."""
    n = len(tape.nodes)
    prev, nxt = [-1] * n, [-1] * n
    for v in range(n):
        ins = tape.ins[v]
        if ins is None or tape.nodes[v].nout != 1:
            continue
        ops = {u for u, _ in ins if u is not None and tape.is_op(u)}
        if len(ops) != 1:
            continue
        u = ops.pop()
        if tape.consumers[u] == 1 and u not in tape.heads and tape.nodes[u].nout == 1:
            prev[v], nxt[u] = u, v
    chains = []
    for v in range(n):
        if prev[v] == -1 and nxt[v] != -1:
            chain = [v]
            while nxt[chain[-1]] != -1:
                chain.append(nxt[chain[-1]])
            chains.append(chain)
    return chains


def _signature(tape, v):
    """What must agree for two ops of a chain to be drawn as one: the op, its
    output, and per input a constant's shape, dtype and tangents, which
    variable, or which output of the op before."""
    node = tape.nodes[v]
    ins = tuple(("variable", u) if u is not None and not tape.is_op(u) else what
                for u, what in tape.ins[v] or ())
    return (node.op.name, node.released, tape.outs[v, 0], ins)


def _runs(tape, repeats):
    """``(members, period, count)`` for each run of a chain that repeats an op
    sequence of ``period`` ops ``count >= repeats`` times; greedy from the
    oldest op, taking at each position the period that covers the most ops
    (the shortest among equals)."""
    codes = {}
    runs = []
    for chain in _chains(tape):
        if len(chain) < repeats:
            continue
        s = [codes.setdefault(_signature(tape, v), len(codes)) for v in chain]
        n, i = len(s), 0
        while i < n:
            best_p = best_k = 0
            for p in range(1, min(_MAX_PERIOD, (n - i) // repeats) + 1):
                if s[i + p] != s[i] or _reducible(s, i, p):
                    continue
                j = i + p
                while j < n and s[j] == s[j - p]:
                    j += 1
                k = (j - i) // p
                if k >= repeats and p * k > best_p * best_k:
                    best_p, best_k = p, k
            if best_k:
                runs.append((chain[i:i + best_p * best_k], best_p, best_k))
                i += best_p * best_k
            else:
                i += 1
    return runs


def _reducible(s, i, p):
    """Whether ``s[i:i + p]`` repeats a shorter block: a run of it is then a
    run of that block too, at least as long."""
    return any(p % q == 0 and s[i + q:i + p] == s[i:i + p - q] for q in range(1, p))


# ------------------------------------------------------------------ boxes --

class _Box:
    """One drawn node: an op, a variable, a collapsed run or an unrecorded head."""
    __slots__ = ("index", "kind", "members", "period", "count")

    def __init__(self, index, kind, members, period=1, count=1):
        self.index, self.kind, self.members = index, kind, members
        self.period, self.count = period, count


def _boxes(tape, runs):
    """The boxes in drawing order (nearest the heads first) and the box of
    every tape node."""
    boxes = [_Box(k, "unrecorded", []) for k in range(len(tape.unrecorded))]
    run_of = {}
    for r in runs:
        for v in r[0]:
            run_of[v] = r
    box_of = [None] * len(tape.nodes)
    for v in range(len(tape.nodes)):
        if box_of[v] is not None:
            continue
        r = run_of.get(v)
        if r is None:
            box_of[v] = _Box(len(boxes), "op" if tape.is_op(v) else "variable", [v])
        else:
            b = _Box(len(boxes), "run", r[0], r[1], r[2])
            for m in r[0]:
                box_of[m] = b
        boxes.append(box_of[v])
    return boxes, box_of


# ---------------------------------------------------------------- drawing --

def _shape(entry):
    if entry is None:
        return "shape unknown"
    return "%s %s" % (entry[0], entry[1].name)


def _tangents(entry):
    if entry is None or not entry[2]:
        return []
    parts = []
    for lv, batch in entry[2]:
        part = "%d (base)" % lv if lv == _engine.BASE_LEVEL else str(lv)
        parts.append(part + (" batch %s" % (batch,) if batch else ""))
    return ["tangents at level%s %s" % ("s" if len(parts) > 1 else "", ", ".join(parts))]


def _constants(tape, v):
    ins = tape.ins[v] or ()
    return ["in %d: constant %s" % (pos, _shape(what)) for pos, (u, what) in enumerate(ins)
            if u is None]


def _head_line(tape, marks, nout):
    total = len(tape.unrecorded) + sum(len(m) for m in tape.heads.values())
    parts = []
    for k, oidx in marks:
        part = "head %d" % k if total > 1 else "head"
        parts.append(part + (" (out %d)" % oidx if nout > 1 else ""))
    return ", ".join(parts)


def _label(tape, box):
    """The lines of a box's label and its Graphviz attributes."""
    if box.kind == "unrecorded":
        k, entry = tape.unrecorded[box.index]
        lines = ["not recorded", _shape(entry)] + _tangents(entry)
        return lines + [_head_line(tape, [(k, 0)], 1)], {"style": "dotted", "penwidth": "2"}
    last = box.members[-1]
    node = tape.nodes[last]
    outs = [tape.outs.get((last, j)) for j in range(node.nout)]
    attrs = {}
    if box.kind == "variable":
        lines = ["variable", _shape(outs[0]), "grad_req %s" % _REQS[node.req]]
        lines += _tangents(outs[0])
        attrs.update(shape="ellipse", style="filled", fillcolor="lightblue")
    else:
        name = node.op.name
        if box.kind == "run":
            seq = [tape.nodes[v].op.name for v in box.members[:box.period]]
            name = ("%s" if box.period == 1 else "(%s)") % " → ".join(seq)
            name = "%s × %s" % (name, format(box.count, ","))
            attrs["shape"] = "box3d"
        lines = [name + (" (freed)" if node.released else "")]
        if box.kind == "run":
            lines.append("%s ops" % format(len(box.members), ","))
        if node.nout == 1:
            lines += [_shape(outs[0])] + _tangents(outs[0])
        else:
            for j, entry in enumerate(outs):
                lines += ["out %d: %s" % (j, _shape(entry))] + _tangents(entry)
        if box.kind == "run":
            n_const = sum(len(_constants(tape, v)) for v in box.members)
            if n_const:
                lines.append("%s constant inputs" % format(n_const, ","))
        else:
            lines += _constants(tape, last)
        if node.released:
            lines.append("inputs freed by backward()")
            attrs.update(style="dashed", color="gray40", fontcolor="gray40")
    marks = tape.heads.get(last)
    if marks:
        lines.append(_head_line(tape, marks, node.nout))
        attrs["penwidth"] = "2"
    return lines, attrs


def _edges(tape, box_of):
    """``(from box, to box, label)`` between distinct boxes; the edges into a
    collapsed run are merged per source box and counted."""
    into_runs = collections.Counter()
    edges = []
    for v, ins in enumerate(tape.ins):
        bv = box_of[v]
        for pos, (u, oidx) in enumerate(ins or ()):
            if u is None or box_of[u] is bv:
                continue
            bu = box_of[u]
            if bv.kind == "run":
                into_runs[bu.index, bv.index] += 1
                continue
            parts = []
            if tape.nodes[u].nout > 1:
                parts.append("out %d" % oidx)
            if len(ins) > 1:
                parts.append("in %d" % pos)
            edges.append((bu.index, bv.index, " → ".join(parts)))
    for (bu, bv), count in into_runs.items():
        edges.append((bu, bv, "× %s" % format(count, ",") if count > 1 else ""))
    return edges


def _draw(graphviz, tape, boxes, box_of, max_nodes):
    """The ``Digraph``: the heads off the tape and the first ``max_nodes``
    boxes of the tape, with a note on the rest."""
    limit = len(tape.unrecorded) + max_nodes
    g = graphviz.Digraph("tape", node_attr={"shape": "box", "fontsize": "10"},
                         edge_attr={"fontsize": "9"})
    for box in boxes[:limit]:
        lines, attrs = _label(tape, box)
        g.node("n%d" % box.index, "\\n".join(lines), **attrs)
    hidden_into = {}
    for bu, bv, label in _edges(tape, box_of):
        if bv >= limit:
            continue
        if bu >= limit:
            hidden_into[bv] = True
            continue
        g.edge("n%d" % bu, "n%d" % bv, label or None)
    if len(boxes) > limit:
        left = sum(len(b.members) for b in boxes[limit:])
        g.node("omitted", "%s of %s tape nodes not shown\\n(max_nodes=%d)" % (
            format(left, ","), format(len(tape.nodes), ","), max_nodes),
            shape="note", style="dashed")
        for bv in hidden_into:
            g.edge("omitted", "n%d" % bv, style="dashed")
    return g
