# Included by _engine.pyx: the tracer and profiler hooks, the recording and
# training flags, forward levels and the per-thread state behind them.

# --------------------------------------------------------------- tracing ---

def set_tracer(tracer):
    """Install ``tracer`` (``None`` removes it) for the calling thread and
    return the previous one.  While installed, ``apply`` reports every primal
    it computes (``tracer.record(op, args, params, result)``), the first-order
    fast paths are off (so that every derivative is made of recorded ops),
    and Python code reading a traced array's values goes through
    ``tracer.data_of`` (see ``NDArray._data``) and ``tracer.check``.  Each
    thread has its own tracer: threads trace concurrently."""
    global dt_tracer
    cdef unsigned long me = PyThread_get_thread_ident()
    prev = _tracers.pop(me, None)
    if tracer is None:
        dt_tracer = NULL
    else:
        _tracers[me] = tracer
        dt_tracer = <PyObject*>tracer
    return prev


def get_tracer():
    """The calling thread's tracer, or None."""
    return _tracing()


cdef inline object _tracing():
    """The tracer of this thread, or None."""
    if dt_tracer == NULL:
        return None
    return <object>dt_tracer


cdef bint tracing() noexcept:
    return dt_tracer != NULL


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


cdef bint _live_tangent(NDArray a):
    """Whether ``a`` carries a tangent at a live forward level."""
    if not a._tangents:
        return False
    for level in a._tangents:
        if _is_live(level):
            return True
    return False


def open_level():
    """Open a new forward level on this thread and return its id."""
    global _level_counter, dt_levels_open
    _level_counter += 1
    _live().append(_level_counter)
    dt_levels_open += 1
    return _level_counter


def close_level(long level):
    """Close a forward level: tangents at it are no longer seen, and arrays
    given one there by ``attach_tangent`` drop it."""
    global dt_levels_open
    cdef NDArray a
    live = _live()
    if level in live:
        live.remove(level)
        dt_levels_open -= 1
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


cdef bint forward_open() noexcept:
    return dt_levels_open != 0


def levels_open():
    """Whether a forward level (other than the base level) is open on this
    thread."""
    return dt_levels_open != 0


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
