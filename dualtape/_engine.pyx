"""The engine: ``NDArray``, tape nodes, op application and the backward walk.

Everything the two modes share lives here.  An op (``Op``) is applied by
``apply``, which computes the primal, carries tangents through the op's JVP
rule (forward mode, one dual level at a time, innermost first) and records a
tape node (reverse mode) when recording is on and an input is on the tape.

Forward levels and the tape are ordered, as in JAX: the tape sits above every
forward level that was live when recording started, so a node records inputs
that still carry those tangents (forward-over-reverse works), while levels
opened later are stripped before the node is recorded and their tangent
arithmetic is itself recorded (reverse-over-forward works).

The backward walk is iterative (Kahn's algorithm over the reachable nodes),
checks every node before it computes anything, frees each node's buffers as
soon as its rule has run (unless the graph is retained), and writes leaf
gradients only once every rule has run, so a failed ``backward()`` leaves all
arrays and gradients as they were.
"""
import threading
import time
import weakref

import numpy as np

cimport cython
cimport numpy as cnp
from cpython.pythread cimport PyThread_get_thread_ident

cnp.import_array()

include "_small.pxi"

cdef extern from *:
    """
    #if defined(_MSC_VER)
    #define DT_THREAD_LOCAL __declspec(thread)
    #else
    #define DT_THREAD_LOCAL __thread
    #endif
    static DT_THREAD_LOCAL int dt_recording = 0;
    static DT_THREAD_LOCAL int dt_training = 0;
    static DT_THREAD_LOCAL long dt_tape_level = 0;
    static DT_THREAD_LOCAL long dt_tape_floor = 0;
    """
    int dt_recording
    int dt_training
    long dt_tape_level
    long dt_tape_floor

#: The forward level that is always live: tangents attached outside any
#: ``forward_level()`` block live here.
BASE_LEVEL = 1
cdef long _level_counter = BASE_LEVEL
cdef object _tls = threading.local()

cdef object _ops = None     # the op namespace (dualtape.ops), bound at import
cdef dict _methods = {}     # fluent methods: name -> function(x, *args, **kwargs)
cdef object _np = None         # dualtape.numpy's hooks, bound when it is imported
cdef dict _np_methods = {}      # numpy-style methods of ``ndarray`` beyond its own
cdef object _profiler = None    # callback of dualtape.profiler while it runs, else None
cdef object _tracer = None      # dualtape.jit's tracer while one traces, else None
cdef unsigned long _tracer_thread = 0
cdef object _clock = time.perf_counter_ns
cdef long _epoch = 0        # marks nodes seen by the current backward walk

GRAD_REQS = ("write", "add", "null")
cdef dict _REQ_CODE = {"null": 0, "write": 1, "add": 2}


# The arithmetic ops, bound at import: NDArray's operators apply them
# directly for a Python number or an array of the same shape and dtype.
cdef Op _ADD, _SUB, _MUL, _DIV, _POW, _NEG
cdef Op _ADD_S, _SUB_S, _RSUB_S, _MUL_S, _DIV_S, _RDIV_S, _POW_S, _RPOW_S


def bind_numpy(namespace, dict methods):
    """Give ``ndarray`` the numpy namespace its operators and methods call
    (``dualtape.numpy`` binds itself when imported) and the protocols
    (``__array_ufunc__``, ``__array_function__``) their dispatchers;
    ``methods`` are numpy's array methods that ``ndarray`` does not define."""
    global _np
    _np = namespace
    _np_methods.clear()
    _np_methods.update(methods)


def bind_ops(namespace, dict registry, dict methods):
    """Give NDArray's methods the op namespace they call, its operators the
    arithmetic ops, and the ops of ``SMALL_CODES`` their small-array loops
    (``registry`` maps names to ops).  ``methods`` maps the names of MXNet's
    fluent methods (``x.tile(...)`` for ``nd.tile(x, ...)``) to functions;
    NDArray looks them up only when its own attributes do not match."""
    global _ops, _ADD, _SUB, _MUL, _DIV, _POW, _NEG
    global _ADD_S, _SUB_S, _RSUB_S, _MUL_S, _DIV_S, _RDIV_S, _POW_S, _RPOW_S
    _ops = namespace
    _methods.clear()
    _methods.update(methods)
    for name, code in SMALL_CODES.items():
        (<Op>registry[name]).code = code
    _ADD, _SUB, _MUL, _DIV, _POW, _NEG = [registry[n] for n in (
        "add", "subtract", "multiply", "divide", "power", "negative")]
    _ADD_S, _SUB_S, _RSUB_S, _MUL_S, _DIV_S, _RDIV_S, _POW_S, _RPOW_S = [registry[n] for n in (
        "add_scalar", "sub_scalar", "rsub_scalar", "mul_scalar", "div_scalar",
        "rdiv_scalar", "pow_scalar", "rpow_scalar")]


cdef inline bint _same_layout(NDArray x, object y):
    """Whether ``y`` is an array of ``x``'s class, shape and dtype."""
    if type(y) is not type(x):
        return False
    cdef cnp.ndarray a = <cnp.ndarray>x._buf
    cdef cnp.ndarray b = <cnp.ndarray>(<NDArray>y)._buf
    cdef int i, n = cnp.PyArray_NDIM(a)
    if cnp.PyArray_TYPE(a) != cnp.PyArray_TYPE(b) or cnp.PyArray_NDIM(b) != n:
        return False
    cdef cnp.npy_intp* da = cnp.PyArray_DIMS(a)
    cdef cnp.npy_intp* db = cnp.PyArray_DIMS(b)
    for i in range(n):
        if da[i] != db[i]:
            return False
    return True


cdef inline bint _number(object y):
    cdef type t = type(y)
    return t is float or t is int


cdef inline bint _float_data(NDArray x):
    cdef int t = cnp.PyArray_TYPE(<cnp.ndarray>x._buf)
    return t == cnp.NPY_DOUBLE or t == cnp.NPY_FLOAT or t == cnp.NPY_FLOAT16


cdef inline object _arith(Op array_op, Op scalar_op, NDArray x, object y, object slow):
    """``x op y`` without the Python layer in the common cases (integer
    arrays take the Python layer, which converts the scalar as MXNet does)."""
    if _number(y) and _float_data(x):
        return apply(scalar_op, (x,), (y,))
    if _same_layout(x, y):
        return apply(array_op, (x, y))
    return slow(x, y)


cdef inline object _rarith(Op scalar_op, NDArray x, object y, object slow):
    """``y op x`` for a number ``y`` (the reflected operators)."""
    if _number(y) and _float_data(x):
        return apply(scalar_op, (x,), (y,))
    return slow(x, y)


# --------------------------------------------------------------- tracing ---

def set_tracer(tracer):
    """Install ``tracer`` (``None`` removes it) for the calling thread and
    return the previous one.  While installed, ``apply`` reports every primal
    it computes (``tracer.record(op, args, params, result)``), the first-order
    fast paths are off (so that every derivative is made of recorded ops),
    and Python code reading a traced array's values goes through
    ``tracer.data_of`` (see ``NDArray._data``) and ``tracer.check``."""
    global _tracer, _tracer_thread
    prev = _tracer
    _tracer = tracer
    _tracer_thread = PyThread_get_thread_ident() if tracer is not None else 0
    return prev


cdef inline object _tracing():
    """The tracer of this thread, or None."""
    if _tracer is not None and PyThread_get_thread_ident() == _tracer_thread:
        return _tracer
    return None


# ------------------------------------------------------------ profiling ---

def set_profiler(callback):
    """Install ``callback(phase, name, start_ns, end_ns, nbytes)`` (``None``
    removes it) and return the previous one.  While installed, every op's
    primal (phase ``"forward"``), JVP rule (``"jvp"``; a fused first-order path
    computes the value too) and VJP rule in the backward walk (``"vjp"``) is
    timed, with the bytes of the arrays it returned.  When none is installed
    each of those places costs one pointer comparison."""
    global _profiler
    prev = _profiler
    _profiler = callback
    return prev


cdef Py_ssize_t _nbytes(object out):
    """Bytes of an op's result: an NDArray, numpy array, or a tuple of them."""
    cdef Py_ssize_t n = 0
    if isinstance(out, NDArray):
        return (<NDArray>out)._buf.nbytes
    if cnp.PyArray_Check(out):
        return (<cnp.ndarray>out).nbytes
    if isinstance(out, (tuple, list)):
        for o in out:
            if o is not None:
                n += _nbytes(o)
    return n


# ---------------------------------------------------------------- state ---

def is_recording():
    """Whether operations are being recorded on the tape (this thread)."""
    return bool(dt_recording)


cdef class Scope:
    """Set this thread's recording and training flags inside a ``with`` block
    and restore them on exit (exceptions included).  ``None`` leaves a flag
    as it is."""
    cdef int _rec, _train, _prev_rec, _prev_train

    def __cinit__(self, recording, training):
        self._rec = -1 if recording is None else int(bool(recording))
        self._train = -1 if training is None else int(bool(training))

    def __enter__(self):
        global dt_recording, dt_training, dt_tape_level, dt_tape_floor
        self._prev_rec = dt_recording
        self._prev_train = dt_training
        if self._rec >= 0:
            if self._rec and not dt_recording:
                dt_tape_level = dt_tape_floor = _innermost_live()
            dt_recording = self._rec
        if self._train >= 0:
            dt_training = self._train
        return self

    def __exit__(self, *exc):
        global dt_recording, dt_training
        if self._rec >= 0:
            dt_recording = self._prev_rec
        if self._train >= 0:
            dt_training = self._prev_train
        return False


def raise_tape():
    """Move the tape above every forward level open now (a reverse pass nested
    inside them); return the previous position for ``restore_tape``."""
    global dt_tape_level
    prev = dt_tape_level
    dt_tape_level = _innermost_live()
    return prev


def restore_tape(long prev):
    """Undo ``raise_tape``."""
    global dt_tape_level
    dt_tape_level = prev


def is_training():
    """Whether the train-mode flag is set (this thread)."""
    return bool(dt_training)


def set_recording(bint flag):
    """Set recording on or off for this thread; return the previous state."""
    global dt_recording, dt_tape_level, dt_tape_floor
    prev = bool(dt_recording)
    if flag and not prev:
        dt_tape_level = dt_tape_floor = _innermost_live()
    dt_recording = flag
    return prev


def set_training(bint flag):
    """Set the train-mode flag for this thread; return the previous state."""
    global dt_training
    prev = bool(dt_training)
    dt_training = flag
    return prev


cdef list _live():
    try:
        return _tls.levels
    except AttributeError:
        _tls.levels = []
        return _tls.levels


cdef long _innermost_live():
    cdef list live = _live()
    return live[len(live) - 1] if live else BASE_LEVEL


cdef inline bint _is_live(long level):
    return level == BASE_LEVEL or level in _live()


def open_level():
    """Open a new forward level on this thread and return its id."""
    global _level_counter
    _level_counter += 1
    _live().append(_level_counter)
    return _level_counter


def close_level(long level):
    """Close a forward level: tangents at it are no longer seen, and arrays
    given one there by ``attach_tangent`` drop it."""
    cdef NDArray a
    live = _live()
    if level in live:
        live.remove(level)
    _batches().pop(level, None)
    for ref in _attached().pop(level, ()):
        a = ref()
        if a is not None and a._tangents is not None and level in a._tangents:
            rest = {lv: t for lv, t in a._tangents.items() if lv != level}
            a._tangents = rest if rest else None


cdef dict _attached():
    """Per open level, weak references to the arrays ``attach_tangent`` gave a
    tangent at it (dropped when the level closes)."""
    try:
        return _tls.attached
    except AttributeError:
        _tls.attached = {}
        return _tls.attached


cdef dict _batches():
    """Per opened level, the batch shape of its tangents (``()`` unbatched).
    The base level has none: it never closes, so fixing its batch shape would
    fix it for the rest of the thread; ops check their own inputs instead."""
    try:
        return _tls.batches
    except AttributeError:
        _tls.batches = {}
        return _tls.batches


def innermost_level():
    """The id of the innermost live forward level on this thread."""
    return _innermost_live()


cdef class _FluentMethod:
    """``x.name`` for a fluent method: calls ``f(x, *args, **kwargs)``."""
    cdef object f
    cdef NDArray x

    def __cinit__(self, f, NDArray x):
        self.f = f
        self.x = x

    def __call__(self, *args, **kwargs):
        return self.f(self.x, *args, **kwargs)

    def __repr__(self):
        return "<method %s of NDArray>" % (getattr(self.f, "__name__", "?"),)


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
    if _tracer is not None:
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
    "inside `with autograd.record():` from an array on which attach_grad() was called")


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


cdef tuple _needs(Node node):
    """Which inputs of ``node`` lead to a wanted gradient (None if none do)."""
    cdef NDArray x
    cdef bint any_needed = False
    cdef list out = []
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
        ans = _wrap(node.ans)
        ans._tangents = node.ans_t
        if create_graph:
            ans._node = node
        if (op.fast_vjp is not None and not create_graph and g._tangents is None
                and ans._tangents is None and not _has_tangents(node.inputs)
                and _tracing() is None):
            if op.code:
                small = _small_vjp(op.code, g, ans._buf, node.inputs, needs, node.params)
                if small is not None:
                    return small
            raw = op.fast_vjp(g._buf, ans._buf,
                              tuple([(<NDArray>x)._buf for x in node.inputs]), needs,
                              *node.params)
            if raw is not None:
                return tuple([None if r is None else _wrap(r) for r in raw])
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


# --------------------------------------------------------------- NDArray ---

def require_float(NDArray a, str what):
    """Raise ``TypeError`` unless ``a`` has a float dtype: integer data has no
    derivative (a gradient would be truncated into an integer buffer)."""
    if a._buf.dtype.kind != "f":
        raise TypeError("%s has dtype %s; differentiation needs a float dtype (use "
                        "astype('float32') or astype('float64'))" % (what, a._buf.dtype))


cdef bint _leaves_tape(NDArray a):
    """Whether a numpy or Python value of ``a`` would silently drop a
    derivative: ``a`` is on the tape while recording, or carries a tangent at
    a live forward level."""
    if a._node is not None and dt_recording:
        return True
    if a._tangents is not None:
        for level in a._tangents:
            if _is_live(level):
                return True
    return False


cdef inline _check_trace(NDArray a, str how):
    """While ``dt.jit`` traces: ``how`` (reading ``a``'s values into Python)
    raises if ``a`` is traced (``tracer.check``)."""
    if _tracer is not None:
        tracer = _tracing()
        if tracer is not None:
            tracer.check(a, how)


cdef _check_leave(NDArray a, str how):
    _check_trace(a, how)
    if _leaves_tape(a):
        raise RuntimeError(
            "%s on an array that is being differentiated (shape %s: recorded inside "
            "autograd.record() or a transform, or carrying a forward-mode tangent) "
            "would silently drop its derivative. Keep the computation in dualtape "
            "ops, or take the value as a constant with x.detach()%s"
            % (how, "x".join(map(str, a._buf.shape)) or "()",
               how[how.index("."):] if how.startswith("x.") else ""))


def check_leave(NDArray a, str how):
    """``RuntimeError`` if turning ``a`` into numpy/Python values (``how``)
    would drop a derivative (see ``_leaves_tape``)."""
    _check_leave(a, how)


def _rebuild(data):
    """Unpickle an NDArray (its values only, as MXNet does)."""
    return _wrap(data)


@cython.no_gc
cdef class NDArray:
    """An n-dimensional array on the CPU that autograd can differentiate.

    Created by the functions in ``dualtape.nd`` (``array``, ``arange``,
    ``ones``, ...).  Arithmetic broadcasts like numpy; printing follows
    MXNet 1.x.  ``attach_grad()`` makes it a variable of reverse mode,
    ``attach_tangent()`` gives it a tangent for forward mode.
    """
    # fields: _engine.pxd

    __array_priority__ = 1000.0

    def __cinit__(self, *args, **kwargs):
        global _live_arrays
        _live_arrays += 1

    def __dealloc__(self):
        global _live_arrays
        _live_arrays -= 1

    def __init__(self, data):
        self._buf = as_data(data)

    # -- attributes
    @property
    def _data(self):
        """The numpy array holding the values.  While ``dt.jit`` traces, a
        traced array's values cannot be read from Python (only its shape,
        dtype and size), so that nothing computed from them is baked into the
        program as a constant."""
        if _tracer is not None:
            tracer = _tracing()
            if tracer is not None:
                return tracer.data_of(self)
        return self._buf

    @property
    def shape(self):
        return self._buf.shape

    @property
    def dtype(self):
        return self._buf.dtype.type

    @property
    def size(self):
        return self._buf.size

    @property
    def ndim(self):
        return self._buf.ndim

    @property
    def context(self):
        return _ops.cpu()

    @property
    def ctx(self):
        return _ops.cpu()

    @property
    def T(self):
        return _ops.transpose(self)

    @property
    def grad(self):
        """The gradient buffer of a variable (``None`` before ``attach_grad``)."""
        if type(self._node) is Leaf:
            return (<Leaf>self._node).grad
        return None

    @property
    def grad_req(self):
        """``'write'``, ``'add'`` or ``'null'``."""
        if type(self._node) is Leaf:
            return GRAD_REQS[[1, 2, 0].index((<Leaf>self._node).req)]
        return "null"

    @property
    def tangent(self):
        """The tangent at the innermost live forward level, or ``None``."""
        if self._tangents is None:
            return None
        best = 0
        for level in self._tangents:
            if level > best and _is_live(level):
                best = level
        return self._tangents[best] if best else None

    # -- autograd
    def attach_grad(self, grad_req="write", stype=None):
        """Allocate a zero gradient and make this array a variable.

        Inside ``record()`` this also cuts the graph here: nothing flows
        further upstream.

        Parameters
        ----------
        grad_req : {'write', 'add', 'null'}
            ``write`` overwrites the gradient on each backward, ``add``
            accumulates into it, ``null`` keeps none.
        stype : None
            Accepted for MXNet compatibility (arrays are dense).
        """
        if grad_req not in _REQ_CODE:
            raise ValueError("grad_req must be one of %s, got %r" % (GRAD_REQS, grad_req))
        require_float(self, "attach_grad: this array")
        self._node = make_leaf(_wrap_as(type(self) is ndarray, np.zeros_like(self._buf)),
                               grad_req)
        self._oidx = 0

    def _mark(self, NDArray grad, str grad_req):
        """Make this array a variable whose gradient goes into ``grad``
        (``None``: a point to differentiate at, gradients returned only)."""
        if grad_req not in _REQ_CODE:
            raise ValueError("grad_req must be one of %s, got %r" % (GRAD_REQS, grad_req))
        require_float(self, "a variable")
        self._node = make_leaf(grad, grad_req)
        self._oidx = 0

    def detach(self):
        """A view of the same values that the graph treats as a constant."""
        cdef NDArray r = _wrap(self._buf)
        r._alias = _root(self)
        return r

    def attach_tangent(self, tangent, level=None):
        """Attach a forward-mode tangent (in place) at ``level``.

        Parameters
        ----------
        tangent : NDArray or array_like
            Same shape and dtype as this array, or with one extra leading axis
            of ``k`` directions (a batched tangent).
        level : int, optional
            A forward level from ``dualtape.forward_level()``; the innermost
            live one by default.
        """
        lv = _innermost_live() if level is None else level
        if not _is_live(lv):
            raise ValueError("forward level %r is closed" % (lv,))
        require_float(self, "attach_tangent: this array")
        t = _ops.check_tangent(self, tangent)
        if type(t) is not type(self):
            t = _view(t, type(self) is ndarray)
        batch = t.shape[:t.ndim - self._buf.ndim]
        if lv != BASE_LEVEL:
            known = _batches().setdefault(lv, batch)
            if known != batch:
                raise ValueError(
                    "tangents at one forward level must share their batch shape: this "
                    "one has %s, an earlier one %s" % (batch, known))
            _attached().setdefault(lv, []).append(weakref.ref(self))
        tg = _live_tangents(self)
        tg[lv] = t
        self._tangents = tg

    def backward(self, out_grad=None, retain_graph=False, train_mode=True):
        """Backpropagate from this array into the variables' gradients.

        Parameters
        ----------
        out_grad : NDArray, optional
            Head gradient, the shape of this array; ones by default.
        retain_graph : bool
            Keep the graph so that it can be backpropagated again.
        """
        global dt_training
        if out_grad is not None:
            _ops.autograd_backward([self], [out_grad], retain_graph, train_mode)
            return
        cdef int prev = dt_training
        dt_training = bool(train_mode)
        try:
            backward([self], [_wrap(_ones_like(self._buf))], None, retain_graph, False)
        finally:
            dt_training = prev

    # -- conversion (each raises where it would silently drop a derivative)
    def asnumpy(self):
        """A numpy copy of the values."""
        _check_leave(self, "x.asnumpy()")
        return self._buf.copy()

    def asscalar(self):
        """The single value of a size-1 array, as a numpy scalar."""
        _check_leave(self, "x.asscalar()")
        if self._buf.size != 1:
            raise ValueError("asscalar() needs an array of size 1, got shape %s"
                             % (self._buf.shape,))
        return self._buf.reshape(-1)[0]

    def item(self, *args):
        """One value as a Python number (``numpy.ndarray.item``)."""
        _check_leave(self, "x.item()")
        return self._buf.item(*args)

    def tolist(self):
        """The values as nested Python lists."""
        _check_leave(self, "x.tolist()")
        return self._buf.tolist()

    def __reduce__(self):
        _check_leave(self, "pickling x")
        return (_rebuild, (self._buf,))

    def __copy__(self):
        """``copy.copy``: a new array with its own values, as ``copy()``
        (recorded while recording, so never sharing a tape node)."""
        return _ops.copy(self)

    def __deepcopy__(self, memo):
        return _ops.copy(self)

    def __format__(self, spec):
        if not spec:
            return str(self)
        if self._buf.size != 1:
            raise TypeError("unsupported format string passed to NDArray.__format__ "
                            "(a format spec needs an array of one element, got shape %s)"
                            % (self._buf.shape,))
        return format(self._buf.reshape(-1)[0], spec)

    def __round__(self, ndigits=None):
        return _ops.round(self) if ndigits is None else _ops.round(self, ndigits)

    def wait_to_read(self):
        """No-op: computation is synchronous."""
        return None

    def __array__(self, dtype=None, copy=None):
        _check_leave(self, "numpy conversion (np.asarray, a numpy function)")
        view = self._buf.view()
        view.flags.writeable = False
        if dtype is not None and np.dtype(dtype) != view.dtype:
            return view.astype(dtype)
        return view.copy() if copy else view

    def __repr__(self):
        return "\n%s\n<NDArray %s @cpu(0)>" % (
            str(self._buf), "x".join(["%d" % s for s in self._buf.shape]))

    __str__ = __repr__

    def __len__(self):
        if self._buf.ndim == 0:
            raise TypeError("len() of a 0-d array")
        return self._buf.shape[0]

    def __iter__(self):
        for i in range(len(self)):
            yield self[i]

    def __bool__(self):
        _check_trace(self, "bool(x) (a Python if or while on an array)")
        if self._buf.size == 1:
            return bool(self._buf.reshape(-1)[0])
        if self._buf.size == 0:
            return False
        raise ValueError("the truth value of an NDArray with more than one element "
                         "is ambiguous")

    def __float__(self):
        _check_leave(self, "float(x)")
        return float(self.asscalar())

    def __int__(self):
        _check_leave(self, "int(x)")
        return int(self.asscalar())

    def __hash__(self):
        return id(self)

    # -- numpy's protocols and the numpy flavour
    def __array_ufunc__(self, ufunc, method, *inputs, **kwargs):
        """numpy's ufuncs on NDArrays run dualtape's ops (on the tape, with
        tangents); see ``dualtape.numpy``."""
        return _np.array_ufunc(ufunc, method, inputs, kwargs)

    def __array_function__(self, func, types, args, kwargs):
        """numpy's functions on NDArrays run dualtape's ops; see
        ``dualtape.numpy``."""
        return _np.array_function(func, types, args, kwargs)

    def as_np_ndarray(self):
        """This array with numpy's semantics (a ``dualtape.numpy.ndarray``):
        the same data, tape entry and tangents, no copy (MXNet's name)."""
        return _view(self, True)

    def as_nd_ndarray(self):
        """This array with MXNet's semantics (an ``NDArray``): the same data,
        tape entry and tangents, no copy (MXNet's name)."""
        return _view(self, False)

    # -- in-place updates
    def _check_inplace(self):
        cdef NDArray root = _root(self)
        _check_trace(root, "an in-place update (the program would not repeat it)")
        if root._copy_of is not None:
            raise ValueError(
                "this array is a copy of a strided slice of an array of shape %s (basic "
                "indexing gives a view only when the result is contiguous, as X[0] or "
                "X[1:3]), so writing to it would not change that array. Write through "
                "the original array (X[:, 0] = ...), or call .copy() first for an "
                "independent array" % (root._copy_of,))
        if dt_recording and self._node is not None:
            raise RuntimeError(
                "in-place update of an array that is part of a recorded graph inside "
                "autograd.record(); compute a new array instead, or update it outside "
                "the record() block")

    def _bump(self):
        cdef NDArray root = _root(self)
        root._version += 1

    def __setitem__(self, key, value):
        self._check_inplace()
        _ops.setitem(self, key, value)
        self._bump()

    def __iadd__(self, other):
        return _ops.inplace(self, other, np.add)

    def __isub__(self, other):
        return _ops.inplace(self, other, np.subtract)

    def __imul__(self, other):
        return _ops.inplace(self, other, np.multiply)

    def __itruediv__(self, other):
        return _ops.inplace(self, other, np.true_divide)

    def __imod__(self, other):
        return _ops.inplace(self, other, np.mod)

    # -- operators
    def __add__(self, other):
        return _arith(_ADD, _ADD_S, self, other, _ops.add)

    def __radd__(self, other):
        return _arith(_ADD, _ADD_S, self, other, _ops.add)

    def __sub__(self, other):
        return _arith(_SUB, _SUB_S, self, other, _ops.subtract)

    def __rsub__(self, other):
        return _rarith(_RSUB_S, self, other, _ops.rsubtract)

    def __mul__(self, other):
        return _arith(_MUL, _MUL_S, self, other, _ops.multiply)

    def __rmul__(self, other):
        return _arith(_MUL, _MUL_S, self, other, _ops.multiply)

    def __truediv__(self, other):
        return _arith(_DIV, _DIV_S, self, other, _ops.divide)

    def __rtruediv__(self, other):
        return _rarith(_RDIV_S, self, other, _ops.rdivide)

    def __pow__(self, other, mod):
        return _arith(_POW, _POW_S, self, other, _ops.power)

    def __rpow__(self, other, mod):
        return _rarith(_RPOW_S, self, other, _ops.rpower)

    def __neg__(self):
        return apply(_NEG, (self,))

    def __pos__(self):
        return self

    def __abs__(self):
        return _ops.abs(self)

    def __matmul__(self, other):
        return _ops.dot(self, other)

    def __rmatmul__(self, other):
        return _ops.dot(other, self)

    def __mod__(self, other):
        return _ops.modulo(self, other)

    def __rmod__(self, other):
        return _ops.modulo(other, self)

    def __floordiv__(self, other):
        return _ops.floor_divide(self, other)

    def __rfloordiv__(self, other):
        return _ops.floor_divide(other, self)

    def __eq__(self, other):
        return _ops.equal(self, other)

    def __ne__(self, other):
        return _ops.not_equal(self, other)

    def __lt__(self, other):
        return _ops.lesser(self, other)

    def __le__(self, other):
        return _ops.lesser_equal(self, other)

    def __gt__(self, other):
        return _ops.greater(self, other)

    def __ge__(self, other):
        return _ops.greater_equal(self, other)

    def __getitem__(self, key):
        return _ops.getitem(self, key)

    # -- methods (thin forwards to the op namespace)
    def __getattr__(self, name):
        """MXNet's fluent methods: ``x.name(*args)`` is ``nd.name(x, *args)``
        for the ops listed in ``dualtape.ops.METHODS``."""
        f = _methods.get(name)
        if f is None:
            raise AttributeError("'NDArray' object has no attribute %r" % (name,))
        return _FluentMethod(f, self)

    def copy(self):
        return _ops.copy(self)

    def copyto(self, other):
        return _ops.copyto(self, other)

    def astype(self, dtype, copy=True):
        return _ops.astype(self, dtype, copy)

    def as_in_context(self, context):
        return self

    def reshape(self, *shape, **kwargs):
        return _ops.reshape_method(self, shape, kwargs)

    def transpose(self, *axes, **kwargs):
        """``x.transpose(1, 0)``, ``x.transpose((1, 0))`` or MXNet's
        ``x.transpose(axes=(1, 0))``; all axes reversed by default."""
        if "axes" in kwargs:
            if axes:
                raise TypeError("transpose() got axes both by position and by keyword")
            axes = (kwargs.pop("axes"),)
        if kwargs:
            raise TypeError("transpose() got unexpected arguments %s" % sorted(kwargs))
        return _ops.transpose(self, axes[0] if len(axes) == 1 and (
            axes[0] is None or isinstance(axes[0], (tuple, list))) else (axes or None))

    def expand_dims(self, axis, inplace=False):
        """``inplace`` is accepted for MXNet compatibility: the result is a
        view either way."""
        return _ops.expand_dims(self, axis)

    def flatten(self, inplace=False):
        """``inplace`` is accepted for MXNet compatibility: the result is a
        view either way."""
        return _ops.flatten(self)

    def broadcast_to(self, shape):
        return _ops.broadcast_to(self, shape)

    # Reductions take MXNet's arguments by position and numpy's by keyword,
    # so that np.sum(x), np.mean(x), np.max(x) call them.
    def sum(self, axis=None, keepdims=False, exclude=False, **numpy_kwargs):
        return _ops.numpy_reduction(_ops.sum, self, axis, keepdims, exclude,
                                    numpy_kwargs)

    def mean(self, axis=None, keepdims=False, exclude=False, **numpy_kwargs):
        return _ops.numpy_reduction(_ops.mean, self, axis, keepdims, exclude,
                                    numpy_kwargs)

    def max(self, axis=None, keepdims=False, exclude=False, **numpy_kwargs):
        return _ops.numpy_reduction(_ops.max, self, axis, keepdims, exclude,
                                    numpy_kwargs)

    def min(self, axis=None, keepdims=False, exclude=False, **numpy_kwargs):
        return _ops.numpy_reduction(_ops.min, self, axis, keepdims, exclude,
                                    numpy_kwargs)

    def norm(self, *args, **kwargs):
        return _ops.norm(self, *args, **kwargs)

    def exp(self):
        return _ops.exp(self)

    def log(self):
        return _ops.log(self)

    def sqrt(self):
        return _ops.sqrt(self)

    def square(self):
        return _ops.square(self)

    def abs(self):
        return _ops.abs(self)

    def sin(self):
        return _ops.sin(self)

    def cos(self):
        return _ops.cos(self)

    def tanh(self):
        return _ops.tanh(self)

    def sigmoid(self):
        return _ops.sigmoid(self)

    def relu(self):
        return _ops.relu(self)

    def clip(self, a_min, a_max):
        return _ops.clip(self, a_min, a_max)

    def argmax(self, *args, **kwargs):
        return _ops.argmax(self, *args, **kwargs)

    def argmin(self, *args, **kwargs):
        return _ops.argmin(self, *args, **kwargs)

    def split(self, num_outputs, axis=1, squeeze_axis=False):
        return _ops.split(self, num_outputs, axis, squeeze_axis)

    def dot(self, other, transpose_a=False, transpose_b=False):
        return _ops.dot(self, other, transpose_a, transpose_b)

    def zeros_like(self):
        return _ops.zeros_like(self)

    def ones_like(self):
        return _ops.ones_like(self)


cdef inline object _np_arith(Op array_op, Op scalar_op, NDArray x, object y, object slow,
                             bint reflected):
    """``x op y`` (``y op x`` when ``reflected``) for a numpy-flavoured ``x``:
    straight to the op when numpy's promotion cannot change a dtype (a float
    array with a Python number, or an array of the same class, shape and
    dtype), else the numpy namespace's function."""
    if _number(y) and _float_data(x):
        return apply(scalar_op, (x,), (y,))
    if not reflected and _same_layout(x, y):
        return apply(array_op, (x, y))
    return slow(y, x) if reflected else slow(x, y)


@cython.no_gc
cdef class ndarray(NDArray):
    """An array with numpy's semantics, from ``dualtape.numpy``.

    Arithmetic promotes dtypes as numpy does (float64 by default), full
    reductions and integer indexing give 0-d arrays, methods and printing
    follow ``numpy.ndarray``.  It is an NDArray underneath: one engine, one
    tape; ``as_nd_ndarray()`` and ``as_np_ndarray()`` convert without a copy.
    """

    def __repr__(self):
        return repr(self._buf)

    def __str__(self):
        return str(self._buf)

    def __getattr__(self, name):
        f = _np_methods.get(name)
        if f is None:
            raise AttributeError("'ndarray' object has no attribute %r" % (name,))
        return _FluentMethod(f, self)

    def __getitem__(self, key):
        return _np.getitem(self, key)

    def __setitem__(self, key, value):
        """numpy's assignment rules (with NDArray's checks on the tape)."""
        _np.setitem(self, key, value)

    def __len__(self):
        if self._buf.ndim == 0:
            raise TypeError("len() of unsized object")
        return self._buf.shape[0]

    @property
    def T(self):
        return _np.transpose(self)

    @property
    def dtype(self):
        """The dtype, a ``numpy.dtype`` as numpy's arrays have (``NDArray``
        gives the scalar type, as MXNet)."""
        return self._buf.dtype

    @property
    def itemsize(self):
        return self._buf.itemsize

    @property
    def nbytes(self):
        return self._buf.nbytes

    # -- operators: numpy's promotion rules
    def __add__(self, other):
        return _np_arith(_ADD, _ADD_S, self, other, _np.add, False)

    def __radd__(self, other):
        return _np_arith(_ADD, _ADD_S, self, other, _np.add, True)

    def __sub__(self, other):
        return _np_arith(_SUB, _SUB_S, self, other, _np.subtract, False)

    def __rsub__(self, other):
        return _np_arith(_SUB, _RSUB_S, self, other, _np.subtract, True)

    def __mul__(self, other):
        return _np_arith(_MUL, _MUL_S, self, other, _np.multiply, False)

    def __rmul__(self, other):
        return _np_arith(_MUL, _MUL_S, self, other, _np.multiply, True)

    def __truediv__(self, other):
        return _np_arith(_DIV, _DIV_S, self, other, _np.true_divide, False)

    def __rtruediv__(self, other):
        return _np_arith(_DIV, _RDIV_S, self, other, _np.true_divide, True)

    def __pow__(self, other, mod):
        return _np_arith(_POW, _POW_S, self, other, _np.power, False)

    def __rpow__(self, other, mod):
        return _np_arith(_POW, _RPOW_S, self, other, _np.power, True)

    def __floordiv__(self, other):
        return _np.floor_divide(self, other)

    def __rfloordiv__(self, other):
        return _np.floor_divide(other, self)

    def __mod__(self, other):
        return _np.mod(self, other)

    def __rmod__(self, other):
        return _np.mod(other, self)

    def __matmul__(self, other):
        return _np.matmul(self, other)

    def __rmatmul__(self, other):
        return _np.matmul(other, self)

    def __neg__(self):
        return _np.negative(self)

    def __pos__(self):
        return _np.positive(self)

    def __abs__(self):
        return _np.absolute(self)

    def __eq__(self, other):
        return _np.equal(self, other)

    def __ne__(self, other):
        return _np.not_equal(self, other)

    def __lt__(self, other):
        return _np.less(self, other)

    def __le__(self, other):
        return _np.less_equal(self, other)

    def __gt__(self, other):
        return _np.greater(self, other)

    def __ge__(self, other):
        return _np.greater_equal(self, other)

    def __hash__(self):
        return id(self)

    # -- methods with numpy's semantics where NDArray has MXNet's
    def sum(self, *args, **kwargs):
        return _np.sum(self, *args, **kwargs)

    def mean(self, *args, **kwargs):
        return _np.mean(self, *args, **kwargs)

    def max(self, *args, **kwargs):
        return _np.max(self, *args, **kwargs)

    def min(self, *args, **kwargs):
        return _np.min(self, *args, **kwargs)

    def argmax(self, *args, **kwargs):
        return _np.argmax(self, *args, **kwargs)

    def argmin(self, *args, **kwargs):
        return _np.argmin(self, *args, **kwargs)

    def reshape(self, *shape, **kwargs):
        return _np.reshape_method(self, shape, kwargs)

    def transpose(self, *axes):
        return _np.transpose(self, axes[0] if len(axes) == 1 and (
            axes[0] is None or isinstance(axes[0], (tuple, list))) else (axes or None))

    def flatten(self, order="C"):
        return _np.flatten(self, order)

    def astype(self, dtype, copy=True):
        return _np.astype(self, dtype, copy)

    def dot(self, other):
        return _np.dot(self, other)

    def clip(self, *args, **kwargs):
        return _np.clip(self, *args, **kwargs)

    def round(self, decimals=0):
        return _np.round(self, decimals)

    def __round__(self, ndigits=None):
        return _np.round(self, 0 if ndigits is None else ndigits)
