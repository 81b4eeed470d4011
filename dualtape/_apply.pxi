# Included by _engine.pyx: ops, the data an NDArray holds, ``apply`` and
# forward mode (dual values, one level at a time).

# ------------------------------------------------------------------- ops ---

cdef class Op:
    """One registered operation: its primal and both derivative rules.

    Attributes
    ----------
    name : str
    primal : callable
        ``primal(*arrays, *params) -> numpy.ndarray`` (or a tuple of them when
        ``nout != 1``), C-contiguous.
    jvp : callable or None
        ``jvp(tangents, ans, xs, *params)``: the output tangent, linear in
        ``tangents`` (a list with ``None`` for a zero tangent).
    vjp : callable or None
        ``vjp(g, ans, xs, needs, *params)``: a tuple with one cotangent (or
        ``None``) per input; ``needs[i]`` says whether input ``i`` wants one.
    fast_jvp, fast_vjp : callable or None
        Optional numpy-level paths for first-order use, when no higher-order
        structure is involved: ``fast_jvp(ts, xs, *params) -> (y, ty)`` and
        ``fast_vjp(g, ans, xs, needs, *params) -> tuple``, on numpy arrays;
        either may return ``None`` to fall back to the general rule.
    nout : int
        Number of outputs (registered ops have one; custom Functions may have
        several).
    differentiable : bool
        ``False``: never recorded, zero tangents.
    keep_dtype : bool
        The output has the first input's dtype (MXNet's rule: numpy's
        promotion of integer data, as in ``int32 / 2``, is cast back).
    samples, kind
        Test inputs and a label (see ``dualtape.registry.defop``).
    """
    # fields: _engine.pxd

    def __init__(self, name, primal, jvp=None, vjp=None, *, nout=1,
                 differentiable=True, fast_jvp=None,
                 fast_vjp=None, samples=None, kind="op", keep_dtype=False):
        self.name = name
        self.keep_dtype = keep_dtype
        self.primal = primal
        self.jvp = jvp
        self.vjp = vjp
        self.nout = nout
        self.differentiable = differentiable
        self.fast_jvp = fast_jvp
        self.fast_vjp = fast_vjp
        self.samples = samples
        self.kind = kind

    def __repr__(self):
        return "<Op %s>" % self.name


# ------------------------------------------------------------ data ---
#
# Every NDArray's ``_data`` is a plain ``numpy.ndarray`` (never a numpy
# scalar or a subclass) that is C-contiguous, aligned, writeable and in native
# byte order, of dtype bool, a signed/unsigned integer, float16, float32 or
# float64.  The C loops read raw pointers on that promise, so it is kept at the
# one place data enters an NDArray (``_wrap``): anything else is copied into
# that form there, or refused.

cdef inline bint _good(object data):
    """Whether ``data`` already keeps the promise above (a few flag reads)."""
    if not cnp.PyArray_CheckExact(data):
        return False
    cdef cnp.ndarray a = <cnp.ndarray>data
    cdef int t = cnp.PyArray_TYPE(a)
    return ((t <= cnp.NPY_DOUBLE or t == cnp.NPY_FLOAT16) and cnp.PyArray_ISCARRAY(a)
            and cnp.PyArray_ISNOTSWAPPED(a))


def as_data(data):
    """``data`` as an array that keeps the promise above: itself when it
    does, otherwise a native, C-contiguous copy (0-d stays 0-d).

    Raises
    ------
    TypeError
        For dtypes an NDArray cannot hold (complex, object, strings, dates,
        float128) and for masked arrays.
    """
    if _good(data):
        return data
    if isinstance(data, np.ma.MaskedArray):
        raise TypeError("NDArray cannot hold a masked array (its mask would be lost); "
                        "use .filled(value) or .compressed() first")
    a = np.asarray(data)
    dt = a.dtype
    if dt.kind not in "biuf" or dt.itemsize > 8:
        raise TypeError("NDArray holds bool, integer or float16/32/64 values, not %s"
                        % (dt,))
    return np.array(a, dtype=dt.newbyteorder("="), order="C", copy=True)


cdef inline NDArray _wrap(object data):
    cdef NDArray r = NDArray.__new__(NDArray)
    r._buf = data if _good(data) else as_data(data)
    return r


cdef inline NDArray _wrap_np(object data):
    cdef NDArray r = ndarray.__new__(ndarray)
    r._buf = data if _good(data) else as_data(data)
    return r


cdef inline NDArray _wrap_as(bint np_flavor, object data):
    """``data`` as an NDArray, or as a numpy-flavoured ``ndarray``."""
    return _wrap_np(data) if np_flavor else _wrap(data)


cdef inline bint _np_flavored(tuple args):
    """Whether any of ``args`` is a numpy-flavoured ``ndarray`` (its results
    are then numpy-flavoured too)."""
    for a in args:
        if type(a) is ndarray:
            return True
    return False


def wrap_np(data):
    """``data`` as a numpy-flavoured ``ndarray`` off the graph (see ``wrap``)."""
    return _wrap_np(data)


def wrap(data):
    """``data`` as an NDArray off the graph: no copy when it is a native,
    C-contiguous numpy array, else a copy in that form (see ``as_data``)."""
    return _wrap(data)


cdef NDArray wrap_data(bint np_flavor, object data):
    return _wrap_as(np_flavor, data)


cdef bint is_plain(NDArray a) noexcept:
    return _plain(a)


cdef bint recording() noexcept:
    return dt_recording


cdef inline NDArray _root(NDArray a):
    return a._alias if a._alias is not None else a


cdef object _wrap_out(Op op, object out, bint np_flavor):
    if op.nout == 1:
        return _wrap_as(np_flavor, out)
    return tuple([_wrap_as(np_flavor, o) for o in out])


cdef object _ones_like(cnp.ndarray a):
    """Ones of ``a``'s shape and dtype (the default head gradient), without
    numpy's Python-level ``ones_like``."""
    cdef cnp.ndarray out = cnp.PyArray_EMPTY(cnp.PyArray_NDIM(a), cnp.PyArray_DIMS(a),
                                             cnp.PyArray_TYPE(a), 0)
    cnp.PyArray_FillWithScalar(out, 1)
    return out


cpdef object apply(Op op, tuple args, tuple params=()):
    """Apply ``op`` to NDArrays ``args``: primal, tangents and tape node.

    Parameters
    ----------
    op : Op
    args : tuple of NDArray
        Already validated by the op layer (shapes, dtypes).
    params : tuple
        Non-array parameters passed to the rules after the arrays.
    """
    global dt_recording
    cdef NDArray a
    cdef bint dual = False, graph = False
    cdef Py_ssize_t i, n = len(args)
    cdef long k
    for i in range(n):
        a = <NDArray>args[i]
        if a._tangents is not None:
            dual = True
        if a._node is not None:
            graph = True
    cdef bint rec = dt_recording and graph and op.differentiable
    if dual:
        if dt_tracer != NULL and _tracing() is not None:
            _tracing().check_dual(args)
        k = _innermost_of(args)
        if k:
            if rec and dt_tape_level >= k:
                # The tape sits above level k: its node keeps the dual inputs.
                # A tape below k (a reverse pass around this forward level)
                # must also see the tangent arithmetic, so recording stays on
                # then, and the node goes on a fresh array.
                below = dt_tape_floor < k
                if not below:
                    dt_recording = 0
                try:
                    res = _apply_dual(op, args, params, k)
                finally:
                    dt_recording = 1
                if below:
                    res = _fresh(op, res)
                _record(op, args, params, res)
                return res
            return _apply_dual(op, args, params, k)
    cdef object prof = _profiler        # read once: another thread may stop it
    cdef object t0 = _clock() if prof is not None else None
    out = _small_primal(op.code, args, params) if op.code else None
    if out is not None:
        pass
    elif n == 1:
        out = op.primal((<NDArray>args[0])._buf, *params)
    elif n == 2:
        out = op.primal((<NDArray>args[0])._buf, (<NDArray>args[1])._buf, *params)
    else:
        out = op.primal(*[(<NDArray>x)._buf for x in args], *params)
    if op.keep_dtype:
        out = _keep_dtype(out, <NDArray>args[0])
    if t0 is not None:
        prof("forward", op.name, t0, _clock(), _nbytes(out))
    res = _wrap_out(op, out, _np_flavored(args))
    if dt_tracer != NULL:
        tracer = _tracing()
        if tracer is not None:
            tracer.record(op, args, params, res)
    if rec:
        _record(op, args, params, res)
    return res


cdef inline object _keep_dtype(object out, NDArray x):
    cdef cnp.ndarray xd = <cnp.ndarray>x._buf
    if cnp.PyArray_Check(out) and cnp.PyArray_TYPE(<cnp.ndarray>out) == cnp.PyArray_TYPE(xd):
        return out
    return np.asarray(out).astype(xd.dtype)


cdef object _fresh(Op op, object res):
    """New NDArrays on the same data and tangents (so that recording a second
    node does not rewrite the tape entry of arrays already saved elsewhere)."""
    if op.nout == 1:
        return _fresh_one(<NDArray>res)
    return tuple([_fresh_one(<NDArray>x) for x in res])


cdef NDArray _fresh_one(NDArray o):
    cdef NDArray r = _wrap_as(type(o) is ndarray, o._buf)
    r._tangents = o._tangents
    return r


cdef long _innermost_of(tuple args):
    cdef long best = 0
    cdef NDArray a
    for x in args:
        a = <NDArray>x
        if a._tangents is not None:
            for level in a._tangents:
                if level > best and _is_live(level):
                    best = level
    return best


cdef NDArray _strip(NDArray a, long k):
    """A view of ``a`` (same data, same tape entry) without its level-k tangent."""
    cdef NDArray r = _wrap_as(type(a) is ndarray, a._buf)
    r._node = a._node
    r._oidx = a._oidx
    r._alias = _root(a)
    rest = {lv: t for lv, t in a._tangents.items() if lv != k and _is_live(lv)}
    r._tangents = rest if rest else None
    return r


def strip(NDArray a, long level):
    """``a`` without its tangent at ``level`` (same data, same tape entry)."""
    if a._tangents is None or level not in a._tangents:
        return a
    return _strip(a, level)


def view(NDArray a, np_flavor=None):
    """A new NDArray on ``a``'s data, tape entry and tangents (of ``a``'s
    flavour, or numpy-flavoured when ``np_flavor`` says so)."""
    return _view(a, type(a) is ndarray if np_flavor is None else np_flavor)


cdef NDArray _view(NDArray a, bint np_flavor):
    cdef NDArray r = _wrap_as(np_flavor, a._buf)
    r._node = a._node
    r._oidx = a._oidx
    r._alias = _root(a)
    r._tangents = a._tangents
    return r


def level_batch(long level):
    """The batch shape of the tangents attached at ``level`` (``()`` if none)."""
    return _batches().get(level, ())


cdef inline bint _plain(NDArray a):
    return a._tangents is None and (a._node is None or not dt_recording)


cdef bint _all_plain(list arrays):
    for a in arrays:
        if a is not None and not _plain(<NDArray>a):
            return False
    return True


def all_plain(list arrays):
    """Whether no array in ``arrays`` (``None`` entries allowed) carries a
    tangent or, while recording, a tape entry: a rule applied to them is
    first-order."""
    return _all_plain(arrays)


cdef inline int _batch_ndim(NDArray t, NDArray x):
    return cnp.PyArray_NDIM(<cnp.ndarray>t._buf) - cnp.PyArray_NDIM(<cnp.ndarray>x._buf)


cdef _check_batches(Op op, tuple args, list ts):
    """Tangents at one level that meet in an op must share their batch shape."""
    cdef NDArray t0 = None, x0 = None, t, x
    cdef int i, nb
    for i in range(len(ts)):
        if ts[i] is None:
            continue
        t, x = <NDArray>ts[i], <NDArray>args[i]
        if t0 is None:
            t0, x0 = t, x
            continue
        nb = _batch_ndim(t0, x0)
        if _batch_ndim(t, x) != nb or t._buf.shape[:nb] != t0._buf.shape[:nb]:
            raise ValueError(
                "%s: the tangents of its inputs at one forward level have different "
                "batch shapes %s and %s; attach tangents with the same leading batch "
                "axes (or none) at one level" % (
                    op.name, t0._buf.shape[:nb], t._buf.shape[:_batch_ndim(t, x)]))


cdef object _apply_dual(Op op, tuple args, tuple params, long k):
    cdef NDArray a, r
    cdef list ts = []
    cdef list stripped = []
    cdef int n_t = 0
    for item in args:
        a = <NDArray>item
        if a._tangents is not None:
            t = a._tangents.get(k)
            ts.append(t)
            n_t += t is not None
            stripped.append(_strip(a, k))
        else:
            ts.append(None)
            stripped.append(a)
    if n_t > 1:
        _check_batches(op, args, ts)
    if not op.differentiable:
        return apply(op, tuple(stripped), params)
    cdef object prof = _profiler
    cdef object t0 = _clock() if prof is not None else None
    if op.fast_jvp is not None and _all_plain(stripped) and _all_plain(ts) \
            and _tracing() is None:
        fused = _small_jvp(op.code, stripped, ts, params) if op.code else None
        if fused is None:
            fused = op.fast_jvp(
                tuple([None if t is None else (<NDArray>t)._buf for t in ts]),
                tuple([(<NDArray>x)._buf for x in stripped]), *params)
        if fused is not None:
            np_flavor = _np_flavored(args)
            r = _wrap_as(np_flavor, fused[0])
            r._tangents = {k: _wrap_as(np_flavor, fused[1])}
            if t0 is not None:
                prof("jvp", op.name, t0, _clock(), _nbytes(fused))
            return r
    xs = tuple(stripped)
    out_p = apply(op, xs, params)
    if t0 is not None:
        t0 = _clock()
    out_t = op.jvp(ts, out_p, xs, *params)
    if t0 is not None:
        prof("jvp", op.name, t0, _clock(), _nbytes(out_t))
    if op.nout == 1:
        _set_tangent(<NDArray>out_p, k, out_t)
    else:
        for o, ot in zip(out_p, out_t):
            _set_tangent(<NDArray>o, k, ot)
    return out_p


cdef _set_tangent(NDArray r, long k, object t):
    if t is None:
        return
    tg = _live_tangents(r)
    tg[k] = t
    r._tangents = tg


cdef dict _live_tangents(NDArray a):
    """A new dict of ``a``'s tangents at live levels (dead ones are dropped)."""
    if a._tangents is None:
        return {}
    return {lv: t for lv, t in a._tangents.items() if _is_live(lv)}


cdef NDArray _saved_ans(NDArray o):
    cdef NDArray s = _wrap_as(type(o) is ndarray, o._buf)
    s._tangents = o._tangents
    return s


cdef _record(Op op, tuple args, tuple params, object res):
    cdef Node node = Node.__new__(Node)
    cdef NDArray a, o
    cdef Py_ssize_t i
    cdef bint changed = False
    node.op = op
    node.inputs = args
    node.params = params
    for x in args:
        if _root(<NDArray>x)._version:
            changed = True
            break
    if changed:
        node.versions = tuple([_root(<NDArray>x)._version for x in args])
    if op.nout == 1:
        o = <NDArray>res
        node.nout = 1
        node.ans = o._buf
        node.ans_t = o._tangents
        o._node = node
        o._oidx = 0
    else:
        node.nout = len(res)
        node.ans = tuple([_saved_ans(<NDArray>x) for x in res])
        for i in range(node.nout):
            o = <NDArray>res[i]
            o._node = node
            o._oidx = i
