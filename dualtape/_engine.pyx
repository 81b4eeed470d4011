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

The module is one compilation unit split by concern: this file holds the
module state and the bindings the layers above install; ``_state.pxi`` the
tracer and profiler hooks, the recording flags and forward levels;
``_apply.pxi`` ops, array data, ``apply`` and forward mode; ``_tape.pxi``
nodes and the backward walk; ``_array.pxi`` the array classes.
``_engine.pxd`` is what other compiled modules (``_fused``) see of it.
"""
import threading
import time
import weakref

import numpy as np

cimport cython
cimport numpy as cnp
from cpython.pythread cimport PyThread_get_thread_ident
from cpython.ref cimport PyObject

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
    static DT_THREAD_LOCAL PyObject *dt_tracer = NULL;  /* borrowed: _tracers owns it */
    static DT_THREAD_LOCAL int dt_levels_open = 0;      /* forward_level() blocks open */
    """
    int dt_recording
    int dt_training
    long dt_tape_level
    long dt_tape_floor
    PyObject* dt_tracer
    int dt_levels_open

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
cdef dict _tracers = {}         # thread id -> dualtape.jit's tracer of that thread
cdef object _clock = time.perf_counter_ns
# MXNet 1.x prints with numpy 1.x's float format; numpy 2.2 moved float32's
# switch to scientific notation from 1e8 down to 2**24
cdef dict _MX_PRINT = ({"legacy": "2.1"} if tuple(map(int, np.__version__.split(".")[:2]))
                       >= (2, 2) else {})
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


# The engine by concern (textual includes: one module, one set of globals)
include "_state.pxi"
include "_apply.pxi"
include "_tape.pxi"
include "_array.pxi"
