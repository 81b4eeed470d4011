# The engine's C-level boundary: the types other extension modules
# (``_fused``: the replay of dt.jit programs) reach without going through
# Python attribute lookups, and the few functions they may call.  The
# definitions, with their documentation, are in _engine.pyx.

cdef class NDArray

cdef class Op:
    cdef public str name
    cdef public object primal, jvp, vjp, fast_jvp, fast_vjp, samples, kind
    cdef public int nout
    cdef public bint differentiable, keep_dtype
    cdef public int code        # a small-array C loop (see _small.pxi), or 0


cdef class Node:
    cdef public Op op
    cdef public tuple inputs, params, versions
    cdef public object ans      # the output's data (a tuple of NDArrays if several)
    cdef public dict ans_t      # the output's tangents (one output)
    cdef public int nout
    cdef public bint released
    cdef long _epoch
    cdef int _deps
    cdef bint _needed, _target
    cdef NDArray _g0            # backward scratch: cotangent of output 0
    cdef bint _own0
    cdef list _gs, _owns        # the same for several outputs


cdef class Leaf(Node):
    cdef public NDArray grad
    cdef public int req


cdef class NDArray:
    cdef readonly object _buf      # the values (Python code reads them as ``_data``)
    cdef public Node _node
    cdef public int _oidx
    cdef public dict _tangents
    cdef public NDArray _alias
    cdef public long _version
    cdef public object _copy_of     # what this is a copy of, where numpy gives a view
    cdef object __weakref__


cdef class ndarray(NDArray):
    pass


# An NDArray (numpy-flavoured if ``np_flavor``) on ``data``, which must keep
# the data promise (plain, native, C-contiguous, aligned, writeable).
cdef NDArray wrap_data(bint np_flavor, object data)
# Whether ``a`` carries no tangent and, while this thread records, no tape entry.
cdef bint is_plain(NDArray a) noexcept
# Whether this thread records on the tape.
cdef bint recording() noexcept
# Whether this thread traces for dt.jit.
cdef bint tracing() noexcept
# Whether a forward level is open on this thread.
cdef bint forward_open() noexcept
