# Included by _engine.pyx: tape nodes and the backward walk.

# ------------------------------------------------------------------ tape ---

# Nodes and arrays are not tracked by the cyclic garbage collector: the tape
# is a DAG whose edges point from newer to older nodes (a node saves its
# inputs and its output's data, never its output array), so reference
# counting alone frees it, and a long tape does not make every collection
# walk it.  tests/test_memory.py checks that no cycle forms.
cdef Py_ssize_t _live_arrays = 0
cdef Py_ssize_t _live_nodes = 0


def live_objects():
    """``(arrays, tape nodes)`` alive now: both are invisible to ``gc`` (see
    above), so this is how a leak of either shows."""
    return _live_arrays, _live_nodes


@cython.no_gc
cdef class Node:
    """A tape node: the op, its saved inputs, parameters and output data.
    Inputs point to older nodes only, so the tape holds no reference cycle."""

    def __cinit__(self):
        global _live_nodes
        _live_nodes += 1

    def __dealloc__(self):
        global _live_nodes
        _live_nodes -= 1
    # fields: _engine.pxd

    @property
    def is_leaf(self):
        return False


@cython.no_gc
cdef class Leaf(Node):
    """The tape entry of a variable: its gradient buffer and ``grad_req``."""

    @property
    def is_leaf(self):
        return True


def make_leaf(NDArray grad, str req):
    cdef Leaf leaf = Leaf.__new__(Leaf)
    leaf.grad = grad
    leaf.req = _REQ_CODE[req]
    leaf.nout = 1
    return leaf


cdef str _NOT_RECORDED = (
    "cannot differentiate: this array is not part of a recorded graph. Compute it "
    "inside `with autograd.record():` from an array on which attach_grad() was called. "
    "(Ops with no derivative, such as comparisons, floor, round, sign or argmax, are not "
    "recorded: an array computed only through them has a zero gradient everywhere, "
    "which MXNet would write into the variables' .grad)")


cdef str _FREED = (
    "the graph behind this array was freed by an earlier backward(); pass "
    "retain_graph=True to the first backward() (or autograd.grad) to differentiate "
    "through it again")


cdef list _topo(list heads):
    """Reachable nodes, outputs first: an iterative Kahn order.

    Raises before anything is computed if a node was freed or an array it
    saved was modified in place since it was recorded.
    """
    global _epoch
    _epoch += 1
    cdef long ep = _epoch
    cdef Node node, parent
    cdef NDArray a
    cdef list stack = []
    cdef Py_ssize_t i
    for h in heads:
        node = <Node>h
        if node._epoch != ep:
            node._epoch = ep
            node._deps = 0
            stack.append(node)
    while stack:
        node = <Node>stack.pop()
        if type(node) is Leaf:
            continue
        if node.released:
            raise RuntimeError(_FREED)
        for i in range(len(node.inputs)):
            a = <NDArray>node.inputs[i]
            if _root(a)._version != (0 if node.versions is None else node.versions[i]):
                raise RuntimeError(
                    "an input of %r (shape %s) saved for backward was modified in "
                    "place after it was recorded; the gradient would be wrong. Record "
                    "the computation again after the update" % (
                        node.op.name, "x".join(map(str, a._buf.shape))))
            if a._node is None:
                continue
            parent = a._node
            if parent._epoch != ep:
                parent._epoch = ep
                parent._deps = 0
                stack.append(parent)
            parent._deps += 1
    # Kahn: a node is ready once every consumer has been processed.
    cdef list order = []
    cdef list ready = [h for h in dict.fromkeys(heads) if (<Node>h)._deps == 0]
    while ready:
        node = <Node>ready.pop()
        order.append(node)
        if type(node) is Leaf:
            continue
        for x in node.inputs:
            a = <NDArray>x
            if a._node is None:
                continue
            parent = a._node
            parent._deps -= 1
            if parent._deps == 0:
                ready.append(parent)
    return order


cdef inline NDArray _slot(Node node, int idx):
    """The cotangent accumulated so far for output ``idx`` of ``node``."""
    if idx == 0:
        return node._g0
    return None if node._gs is None else node._gs[idx]


cdef inline void _set_slot(Node node, int idx, NDArray g, bint owned):
    if idx == 0:
        node._g0 = g
        node._own0 = owned
        return
    if node._gs is None:
        node._gs = [None] * node.nout
        node._owns = [False] * node.nout
    node._gs[idx] = g
    node._owns[idx] = owned


cdef _accumulate(Node node, int idx, NDArray g, bint graph):
    """Add cotangent ``g`` into ``node``'s slot ``idx``: in place when the slot
    holds an array the walk allocated itself, never into a caller's array."""
    cdef NDArray cur = _slot(node, idx)
    cdef bint owned
    if cur is None:
        _set_slot(node, idx, g, False)
    elif graph or cur._tangents is not None or g._tangents is not None \
            or _tracing() is not None:
        _set_slot(node, idx, cur + g, False)
    else:
        owned = node._own0 if idx == 0 else node._owns[idx]
        if owned and cur._buf.shape == g._buf.shape:
            np.add(cur._buf, g._buf, out=cur._buf)
        else:
            _set_slot(node, idx, _wrap(np.add(cur._buf, g._buf)), True)


cdef inline bint _has_grad(Node node):
    return node._g0 is not None or node._gs is not None


cdef tuple _NEED_1 = (True,)
cdef tuple _NEED_2 = ((False, False), (True, False), (False, True), (True, True))


cdef inline bint _leads(NDArray x) noexcept:
    return x._node is not None and x._node._needed


cdef tuple _needs(Node node):
    """Which inputs of ``node`` lead to a wanted gradient (None if none do)."""
    cdef NDArray x
    cdef bint any_needed = False
    cdef list out = []
    cdef Py_ssize_t n = len(node.inputs)
    cdef int k
    if n == 1:
        return _NEED_1 if _leads(<NDArray>node.inputs[0]) else None
    if n == 2:
        k = _leads(<NDArray>node.inputs[0]) + 2 * _leads(<NDArray>node.inputs[1])
        return <tuple>_NEED_2[k] if k else None
    for y in node.inputs:
        x = <NDArray>y
        if x._node is not None and x._node._needed:
            out.append(True)
            any_needed = True
        else:
            out.append(False)
    return tuple(out) if any_needed else None


cdef bint _has_tangents(tuple xs):
    for x in xs:
        if (<NDArray>x)._tangents is not None:
            return True
    return False


cdef tuple _run_vjp(Node node, tuple needs, bint create_graph):
    cdef Op op = node.op
    cdef NDArray g, x, ans
    cdef Py_ssize_t i
    if node.nout == 1:
        g = node._g0
        if (op.fast_vjp is not None and not create_graph and g._tangents is None
                and node.ans_t is None and not _has_tangents(node.inputs)
                and _tracing() is None):
            if op.code:
                small = _small_vjp(op.code, g, node.ans, node.inputs, needs, node.params)
                if small is not None:
                    return small
            raw = op.fast_vjp(g._buf, node.ans,
                              tuple([(<NDArray>x)._buf for x in node.inputs]), needs,
                              *node.params)
            if raw is not None:
                return tuple([None if r is None else _wrap(r) for r in raw])
        ans = _wrap(node.ans)
        ans._tangents = node.ans_t
        if create_graph:
            ans._node = node
        return op.vjp(g, ans, node.inputs, needs, *node.params)
    # several outputs: outputs that received nothing get zeros
    gs = [_slot(node, i) for i in range(node.nout)]
    batch = ()
    for i in range(node.nout):
        if gs[i] is not None:
            g = <NDArray>gs[i]
            batch = g._buf.shape[:g._buf.ndim - node.ans[i]._buf.ndim]
            break
    full = []
    anss = []
    for i in range(node.nout):
        a = _wrap(node.ans[i]._buf)
        (<NDArray>a)._tangents = (<NDArray>node.ans[i])._tangents
        if create_graph:
            (<NDArray>a)._node = node
            (<NDArray>a)._oidx = i
        anss.append(a)
        if gs[i] is None:
            full.append(_wrap(np.zeros(batch + node.ans[i]._buf.shape,
                                       node.ans[i]._buf.dtype)))
        else:
            full.append(gs[i])
    return op.vjp(tuple(full), tuple(anss), node.inputs, needs, *node.params)


def backward(list heads, list head_grads, list targets=None,
             bint retain_graph=False, bint create_graph=False):
    """Backpropagate from ``heads``.

    Parameters
    ----------
    heads : list of NDArray
        Arrays on the tape.
    head_grads : list of NDArray
        One cotangent per head (shape-checked by the caller; may carry leading
        batch axes when ``targets`` is given).
    targets : list of NDArray, optional
        If given, return the cotangents that reach these arrays' tape entries
        (``None`` where nothing reaches) and leave every ``.grad`` untouched.
        Otherwise write/add into the gradients of the variables reached,
        following each one's ``grad_req``.
    retain_graph : bool
        Keep the saved buffers so that the graph can be walked again.
    create_graph : bool
        Record the backward computation itself (for higher-order derivatives).
    """
    global dt_recording
    cdef NDArray h, x, gi
    cdef Node node, parent
    cdef Py_ssize_t i
    for x in heads:
        if x._node is None:
            raise RuntimeError(_NOT_RECORDED)
        # a recorded output is born at version 0 and its node may have saved its
        # values (``ans``); consumers check their inputs, heads are checked here
        if type(x._node) is not Leaf and x._alias is None and x._version != 0:
            raise RuntimeError(
                "this array (shape %s) was modified in place after %r recorded it; "
                "its saved value is stale and the gradient would be wrong. Record the "
                "computation again after the update" % (
                    "x".join(map(str, x._buf.shape)), x._node.op.name))
    cdef list order = _topo([x._node for x in heads])
    # which nodes lead to a gradient we want
    cdef list leaves = []
    for node in order:
        node._target = False
        node._needed = False
    if targets is None:
        for node in order:
            if type(node) is Leaf:
                leaves.append(node)
                if (<Leaf>node).req != 0:
                    node._target = True
        if not any([(<Node>n)._target for n in leaves]):
            raise RuntimeError(
                "cannot differentiate: no variable in this graph requires a gradient "
                "(every attach_grad() used grad_req='null')")
    else:
        for x in targets:
            if x._node is not None:
                x._node._target = True
    for node in reversed(order):
        if node._target:
            node._needed = True
        elif type(node) is not Leaf:
            for y in node.inputs:
                x = <NDArray>y
                if x._node is not None and x._node._needed:
                    node._needed = True
                    break
    cdef bint prev = dt_recording
    dt_recording = create_graph
    try:
        for i in range(len(heads)):
            h = <NDArray>heads[i]
            _accumulate(h._node, h._oidx, <NDArray>head_grads[i], create_graph)
        for node in order:
            if type(node) is Leaf or not _has_grad(node):
                continue
            needs = _needs(node)
            if needs is None:
                continue
            prof = _profiler
            if prof is None:
                grads = _run_vjp(node, needs, create_graph)
            else:
                t0 = _clock()
                grads = _run_vjp(node, needs, create_graph)
                prof("vjp", node.op.name, t0, _clock(), _nbytes(grads))
            for i in range(len(node.inputs)):
                g = grads[i]
                x = <NDArray>node.inputs[i]
                if g is None or x._node is None or not x._node._needed:
                    continue
                _accumulate(x._node, x._oidx, <NDArray>g, create_graph)
            # Done with this node: drop its cotangent now.  Its saved buffers
            # stay until the whole walk has succeeded, so that a rule that
            # raises leaves the graph as it was (a retry works).
            if not node._target:
                node._g0 = None
                node._gs = None
        if targets is not None:
            result = []
            for x in targets:
                result.append(None if x._node is None else _slot(x._node, x._oidx))
        else:
            result = None
            for node in leaves:
                _write_leaf(<Leaf>node)
    finally:
        dt_recording = prev
        for node in order:
            node._g0 = None
            node._gs = None
            node._owns = None
    if not retain_graph:
        for node in order:
            if type(node) is not Leaf:
                _release(node)
    return result


cdef inline void _release(Node node):
    node.inputs = None
    node.ans = None
    node.ans_t = None
    node.released = True


cdef _write_leaf(Leaf leaf):
    cdef NDArray g
    if leaf.req == 0:
        leaf.grad = None        # MXNet: a 'null' variable's .grad reads None now
        return
    buf = leaf.grad._buf
    if leaf._g0 is None:
        if leaf.req == 1:
            buf[...] = 0
        return
    g = leaf._g0
    if leaf.req == 1:
        cnp.PyArray_CopyInto(<cnp.ndarray>buf, <cnp.ndarray>g._buf)
    else:
        np.add(buf, g._buf, out=buf, casting="unsafe")
    leaf.grad._version += 1
