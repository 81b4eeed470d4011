"""Fused forward-mode kernels of the arithmetic binary ops.

``x op y`` and its tangent in one pass over same-shape, C-contiguous float
arrays: read ``x, y, tx, ty`` once, write the value and the tangent once.
Done op by op with numpy, a product and its tangent ``tx*y + x*ty`` take four
passes over memory; for large arrays memory traffic is the whole cost.

The callers (``dualtape.ops.elementwise``) check shapes, dtypes and
contiguity; a missing tangent is passed as ``None``.
"""
cimport numpy as cnp

cnp.import_array()

ctypedef fused real:
    float
    double


cdef void _mul(const real[::1] x, const real[::1] y, const real[::1] tx,
               const real[::1] ty, bint has_tx, bint has_ty,
               real[::1] out, real[::1] tout) noexcept nogil:
    cdef Py_ssize_t i, n = x.shape[0]
    if has_tx and has_ty:
        for i in range(n):
            out[i] = x[i] * y[i]
            tout[i] = tx[i] * y[i] + x[i] * ty[i]
    elif has_tx:
        for i in range(n):
            out[i] = x[i] * y[i]
            tout[i] = tx[i] * y[i]
    else:
        for i in range(n):
            out[i] = x[i] * y[i]
            tout[i] = x[i] * ty[i]


cdef void _add(const real[::1] x, const real[::1] y, const real[::1] tx,
               const real[::1] ty, bint has_tx, bint has_ty, real sign,
               real[::1] out, real[::1] tout) noexcept nogil:
    cdef Py_ssize_t i, n = x.shape[0]
    if has_tx and has_ty:
        for i in range(n):
            out[i] = x[i] + sign * y[i]
            tout[i] = tx[i] + sign * ty[i]
    elif has_tx:
        for i in range(n):
            out[i] = x[i] + sign * y[i]
            tout[i] = tx[i]
    else:
        for i in range(n):
            out[i] = x[i] + sign * y[i]
            tout[i] = sign * ty[i]


def jvp(str op, cnp.ndarray x, cnp.ndarray y, tx, ty, cnp.ndarray out,
        cnp.ndarray tout):
    """Value and tangent of ``x op y`` for ``op`` in ``"multiply"``, ``"add"``,
    ``"subtract"``, into ``out`` and ``tout`` (1-d, one float dtype).  The
    loop runs without the GIL, so that other threads go on meanwhile."""
    cdef bint has_tx = tx is not None, has_ty = ty is not None
    cdef cnp.ndarray a = tx if has_tx else x
    cdef cnp.ndarray b = ty if has_ty else x
    cdef bint mul = op == "multiply"
    cdef double sign = 1.0 if op == "add" else -1.0
    cdef const double[::1] xd, yd, ad, bd
    cdef double[::1] od, tod
    cdef const float[::1] xf, yf, af, bf
    cdef float[::1] of, tof
    if cnp.PyArray_TYPE(x) == cnp.NPY_DOUBLE:
        xd, yd, ad, bd, od, tod = x, y, a, b, out, tout
        with nogil:
            if mul:
                _mul[double](xd, yd, ad, bd, has_tx, has_ty, od, tod)
            else:
                _add[double](xd, yd, ad, bd, has_tx, has_ty, sign, od, tod)
    else:
        xf, yf, af, bf, of, tof = x, y, a, b, out, tout
        with nogil:
            if mul:
                _mul[float](xf, yf, af, bf, has_tx, has_ty, of, tof)
            else:
                _add[float](xf, yf, af, bf, has_tx, has_ty, <float>sign, of, tof)
