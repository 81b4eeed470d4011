# Included by _engine.pyx: C loops for the hottest ops on small arrays.
#
# On a few elements a numpy ufunc call (~3,000 instructions of dispatch) and
# the Python-level fast rule around it cost far more than the arithmetic.
# For the ops listed in SMALL_CODES, arrays of at most SMALL_SIZE elements
# (C-contiguous float32/float64, no broadcasting, no batch axes) take these
# loops instead: the primal in ``apply``, value and tangent together in
# first-order forward mode, and the first-order VJP in the backward walk.  The formulas are the registry's (dualtape/ops/elementwise.py);
# tests/test_registry.py checks every one against the general rules and
# finite differences on samples small enough to come here.

from libc.math cimport sin as c_sin, cos as c_cos, tanh as c_tanh, exp as c_exp

cdef extern from "math.h" nogil:
    float sinf(float)
    float cosf(float)
    float tanhf(float)
    float expf(float)

ctypedef fused real:
    float
    double

cdef enum:
    K_ADD_S = 1
    K_SUB_S
    K_RSUB_S
    K_MUL_S
    K_NEG
    K_SIN
    K_COS
    K_TANH
    K_EXP
    K_SQUARE
    K_ADD
    K_SUB
    K_MUL
    K_SUM       # full sums: the VJP only (numpy's pairwise sum keeps the primal)

#: registry name -> small-loop code (assigned to the ops by ``bind_ops``).
SMALL_CODES = {"add_scalar": K_ADD_S, "sub_scalar": K_SUB_S, "rsub_scalar": K_RSUB_S,
               "mul_scalar": K_MUL_S, "negative": K_NEG, "sin": K_SIN, "cos": K_COS,
               "tanh": K_TANH, "exp": K_EXP, "square": K_SQUARE, "add": K_ADD,
               "subtract": K_SUB, "multiply": K_MUL, "sum": K_SUM}
#: Per code, the most elements the loops take (index 0: float64, 1: float32);
#: set from ``dualtape.tuning.SMALL_LOOP_MAX`` by ``bind_ops``.
cdef Py_ssize_t _small_max[K_SUM + 1][2]


def set_small_limits(dict limits):
    """``limits`` maps each name of ``SMALL_CODES`` to ``(float64, float32)``
    element counts up to which its C loops are used."""
    for name, code in SMALL_CODES.items():
        f64, f32 = limits[name]
        _small_max[code][0] = f64
        _small_max[code][1] = f32


cdef inline real _fsin(real v) noexcept nogil:
    return sinf(v) if real is float else c_sin(v)


cdef inline real _fcos(real v) noexcept nogil:
    return cosf(v) if real is float else c_cos(v)


cdef inline real _ftanh(real v) noexcept nogil:
    return tanhf(v) if real is float else c_tanh(v)


cdef inline real _fexp(real v) noexcept nogil:
    return expf(v) if real is float else c_exp(v)


cdef void _primal_loop(int code, const real* x, const real* y, real s, real* out,
                       Py_ssize_t n) noexcept nogil:
    cdef Py_ssize_t i
    if code == K_ADD_S:
        for i in range(n):
            out[i] = x[i] + s
    elif code == K_SUB_S:
        for i in range(n):
            out[i] = x[i] - s
    elif code == K_RSUB_S:
        for i in range(n):
            out[i] = s - x[i]
    elif code == K_MUL_S:
        for i in range(n):
            out[i] = x[i] * s
    elif code == K_NEG:
        for i in range(n):
            out[i] = -x[i]
    elif code == K_SIN:
        for i in range(n):
            out[i] = _fsin(x[i])
    elif code == K_COS:
        for i in range(n):
            out[i] = _fcos(x[i])
    elif code == K_TANH:
        for i in range(n):
            out[i] = _ftanh(x[i])
    elif code == K_EXP:
        for i in range(n):
            out[i] = _fexp(x[i])
    elif code == K_SQUARE:
        for i in range(n):
            out[i] = x[i] * x[i]
    elif code == K_ADD:
        for i in range(n):
            out[i] = x[i] + y[i]
    elif code == K_SUB:
        for i in range(n):
            out[i] = x[i] - y[i]
    elif code == K_MUL:
        for i in range(n):
            out[i] = x[i] * y[i]


cdef void _vjp_loop(int code, int which, const real* g, const real* x, const real* y,
                    const real* ans, real s, real* out, Py_ssize_t n) noexcept nogil:
    """Cotangent of input ``which`` (0 or 1) of ``code``, into ``out``."""
    cdef Py_ssize_t i
    if code == K_RSUB_S or code == K_NEG or (code == K_SUB and which == 1):
        for i in range(n):
            out[i] = -g[i]
    elif code == K_MUL_S:
        for i in range(n):
            out[i] = g[i] * s
    elif code == K_SIN:
        for i in range(n):
            out[i] = g[i] * _fcos(x[i])
    elif code == K_COS:
        for i in range(n):
            out[i] = g[i] * -_fsin(x[i])
    elif code == K_TANH:
        for i in range(n):
            out[i] = g[i] * (1 - ans[i] * ans[i])
    elif code == K_EXP:
        for i in range(n):
            out[i] = g[i] * ans[i]
    elif code == K_SQUARE:
        for i in range(n):
            out[i] = g[i] * (2 * x[i])
    elif code == K_MUL:
        for i in range(n):
            out[i] = g[i] * (y[i] if which == 0 else x[i])


cdef inline bint _is_small(int code, object data, int typenum):
    """``data`` is C-contiguous, of ``typenum``, and small enough for
    ``code``'s loops (callers check that ``typenum`` is float32 or float64)."""
    cdef cnp.ndarray a = <cnp.ndarray>data
    return (cnp.PyArray_TYPE(a) == typenum and cnp.PyArray_IS_C_CONTIGUOUS(a)
            and cnp.PyArray_SIZE(a) <= _small_max[code][typenum == cnp.NPY_FLOAT])


cdef inline bint _same_dims(cnp.ndarray a, cnp.ndarray b):
    cdef int i, n = cnp.PyArray_NDIM(a)
    if cnp.PyArray_NDIM(b) != n:
        return False
    for i in range(n):
        if cnp.PyArray_DIMS(a)[i] != cnp.PyArray_DIMS(b)[i]:
            return False
    return True


cdef inline cnp.ndarray _empty_as(cnp.ndarray a):
    return cnp.PyArray_EMPTY(cnp.PyArray_NDIM(a), cnp.PyArray_DIMS(a),
                             cnp.PyArray_TYPE(a), 0)


cdef inline bint _binary_code(int code):
    return code == K_ADD or code == K_SUB or code == K_MUL


cdef object _small_primal(int code, tuple args, tuple params):
    """The op's value by a C loop, or None when the arrays do not qualify."""
    cdef cnp.ndarray x = <cnp.ndarray>(<NDArray>args[0])._buf
    cdef cnp.ndarray y = x, out
    cdef int t = cnp.PyArray_TYPE(x)
    cdef double s = 0
    if code == K_SUM or (t != cnp.NPY_DOUBLE and t != cnp.NPY_FLOAT) or not _is_small(code, x, t):
        return None
    if _binary_code(code):
        y = <cnp.ndarray>(<NDArray>args[1])._buf
        if not _is_small(code, y, t) or not _same_dims(x, y):
            return None
    elif params:
        if type(params[0]) is not float and type(params[0]) is not int:
            return None
        s = params[0]
    out = _empty_as(x)
    if t == cnp.NPY_DOUBLE:
        _primal_loop[double](code, <double*>cnp.PyArray_DATA(x), <double*>cnp.PyArray_DATA(y),
                             s, <double*>cnp.PyArray_DATA(out), cnp.PyArray_SIZE(x))
    else:
        _primal_loop[float](code, <float*>cnp.PyArray_DATA(x), <float*>cnp.PyArray_DATA(y),
                            <float>s, <float*>cnp.PyArray_DATA(out), cnp.PyArray_SIZE(x))
    return out


cdef object _small_cotangent(int code, int which, cnp.ndarray g, cnp.ndarray x,
                             cnp.ndarray y, cnp.ndarray ans, double s):
    if code == K_ADD_S or code == K_SUB_S or (which == 0 and (code == K_ADD or code == K_SUB)) \
            or (code == K_ADD and which == 1):
        return g            # the identity: no new array
    cdef cnp.ndarray out = _empty_as(g)
    if cnp.PyArray_TYPE(g) == cnp.NPY_DOUBLE:
        _vjp_loop[double](code, which, <double*>cnp.PyArray_DATA(g),
                          <double*>cnp.PyArray_DATA(x), <double*>cnp.PyArray_DATA(y),
                          <double*>cnp.PyArray_DATA(ans), s,
                          <double*>cnp.PyArray_DATA(out), cnp.PyArray_SIZE(g))
    else:
        _vjp_loop[float](code, which, <float*>cnp.PyArray_DATA(g),
                         <float*>cnp.PyArray_DATA(x), <float*>cnp.PyArray_DATA(y),
                         <float*>cnp.PyArray_DATA(ans), <float>s,
                         <float*>cnp.PyArray_DATA(out), cnp.PyArray_SIZE(g))
    return out


cdef tuple _small_vjp(int code, NDArray g, object ans, tuple inputs, tuple needs,
                      tuple params):
    """First-order cotangents by C loops, or None when the arrays do not
    qualify (batched cotangents, broadcasting, other dtypes, large arrays)."""
    cdef cnp.ndarray gd = <cnp.ndarray>g._buf
    cdef cnp.ndarray x = <cnp.ndarray>(<NDArray>inputs[0])._buf
    cdef cnp.ndarray y = x
    cdef int t = cnp.PyArray_TYPE(x)
    cdef double s = 0
    if t != cnp.NPY_DOUBLE and t != cnp.NPY_FLOAT:
        return None
    if code == K_SUM:
        return _small_sum_vjp(gd, x, params)
    if not _is_small(code, gd, t) or not _same_dims(gd, x):
        return None
    if _binary_code(code):
        y = <cnp.ndarray>(<NDArray>inputs[1])._buf
        if cnp.PyArray_TYPE(y) != t or not _same_dims(x, y):
            return None
        return (_wrap(_small_cotangent(code, 0, gd, x, y, ans, s)) if needs[0] else None,
                _wrap(_small_cotangent(code, 1, gd, x, y, ans, s)) if needs[1] else None)
    if params:
        s = params[0]
    return (_wrap(_small_cotangent(code, 0, gd, x, y, ans, s)),)


cdef tuple _small_sum_vjp(cnp.ndarray g, cnp.ndarray x, tuple params):
    """A full sum's cotangent: its one value spread over the input's shape."""
    cdef int t = cnp.PyArray_TYPE(x)
    if (len(params[0]) != cnp.PyArray_NDIM(x) or params[1] or cnp.PyArray_SIZE(g) != 1
            or cnp.PyArray_TYPE(g) != t or not _is_small(K_SUM, x, t)):
        return None
    cdef cnp.ndarray out = _empty_as(x)
    cdef Py_ssize_t i, n = cnp.PyArray_SIZE(x)
    cdef double* od
    cdef float* of
    if t == cnp.NPY_DOUBLE:
        od = <double*>cnp.PyArray_DATA(out)
        for i in range(n):
            od[i] = (<double*>cnp.PyArray_DATA(g))[0]
    else:
        of = <float*>cnp.PyArray_DATA(out)
        for i in range(n):
            of[i] = (<float*>cnp.PyArray_DATA(g))[0]
    return (_wrap(out),)


cdef void _jvp_loop(int code, const real* x, const real* y, const real* tx,
                    const real* ty, bint has_tx, bint has_ty, real s, real* out,
                    real* tout, Py_ssize_t n) noexcept nogil:
    """Value and tangent in one loop (``tx``/``ty``: the operands' tangents)."""
    cdef Py_ssize_t i
    cdef real v
    _primal_loop(code, x, y, s, out, n)
    if code == K_ADD_S or code == K_SUB_S:
        for i in range(n):
            tout[i] = tx[i]
    elif code == K_RSUB_S or code == K_NEG:
        for i in range(n):
            tout[i] = -tx[i]
    elif code == K_MUL_S:
        for i in range(n):
            tout[i] = tx[i] * s
    elif code == K_SIN:
        for i in range(n):
            tout[i] = tx[i] * _fcos(x[i])
    elif code == K_COS:
        for i in range(n):
            tout[i] = tx[i] * -_fsin(x[i])
    elif code == K_TANH:
        for i in range(n):
            tout[i] = tx[i] * (1 - out[i] * out[i])
    elif code == K_EXP:
        for i in range(n):
            tout[i] = tx[i] * out[i]
    elif code == K_SQUARE:
        for i in range(n):
            tout[i] = tx[i] * (2 * x[i])
    elif code == K_MUL:
        for i in range(n):
            if has_tx and has_ty:
                tout[i] = tx[i] * y[i] + x[i] * ty[i]
            elif has_tx:
                tout[i] = tx[i] * y[i]
            else:
                tout[i] = x[i] * ty[i]
    else:                               # K_ADD, K_SUB
        for i in range(n):
            v = ty[i] if code == K_ADD else -ty[i]
            if has_tx and has_ty:
                tout[i] = tx[i] + v
            elif has_tx:
                tout[i] = tx[i]
            else:
                tout[i] = v


cdef tuple _small_jvp(int code, list xs, list ts, tuple params):
    """``(value, tangent)`` by C loops for unbatched tangents, or None."""
    cdef cnp.ndarray x = <cnp.ndarray>(<NDArray>xs[0])._buf
    cdef cnp.ndarray y = x, a = x, b = x, out, tout
    cdef int t = cnp.PyArray_TYPE(x)
    cdef bint has_a = ts[0] is not None, has_b = False
    cdef double s = 0
    if code == K_SUM or (t != cnp.NPY_DOUBLE and t != cnp.NPY_FLOAT) or not _is_small(code, x, t):
        return None
    if has_a:
        a = <cnp.ndarray>(<NDArray>ts[0])._buf
        if not _is_small(code, a, t) or not _same_dims(a, x):
            return None
    if _binary_code(code):
        y = <cnp.ndarray>(<NDArray>xs[1])._buf
        has_b = ts[1] is not None
        if not _is_small(code, y, t) or not _same_dims(x, y):
            return None
        if has_b:
            b = <cnp.ndarray>(<NDArray>ts[1])._buf
            if not _is_small(code, b, t) or not _same_dims(b, x):
                return None
    elif params:
        if type(params[0]) is not float and type(params[0]) is not int:
            return None
        s = params[0]
    if not (has_a or has_b):
        return None
    out = _empty_as(x)
    tout = _empty_as(x)
    if t == cnp.NPY_DOUBLE:
        _jvp_loop[double](code, <double*>cnp.PyArray_DATA(x), <double*>cnp.PyArray_DATA(y),
                          <double*>cnp.PyArray_DATA(a), <double*>cnp.PyArray_DATA(b),
                          has_a, has_b, s, <double*>cnp.PyArray_DATA(out),
                          <double*>cnp.PyArray_DATA(tout), cnp.PyArray_SIZE(x))
    else:
        _jvp_loop[float](code, <float*>cnp.PyArray_DATA(x), <float*>cnp.PyArray_DATA(y),
                         <float*>cnp.PyArray_DATA(a), <float*>cnp.PyArray_DATA(b),
                         has_a, has_b, <float>s, <float*>cnp.PyArray_DATA(out),
                         <float*>cnp.PyArray_DATA(tout), cnp.PyArray_SIZE(x))
    return (out, tout)
