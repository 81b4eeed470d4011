# Included by _engine.pyx: ``NDArray`` (MXNet flavour), ``ndarray`` (numpy
# flavour) and the fast paths of their arithmetic operators.

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
    if dt_tracer != NULL:
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
        if dt_tracer != NULL:
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
    def stype(self):
        """The storage type: always ``'default'`` (dense; MXNet's sparse
        ``'row_sparse'`` and ``'csr'`` are not supported)."""
        return "default"

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
        with np.printoptions(**_MX_PRINT):
            text = str(self._buf)
        return "\n%s\n<NDArray %s @cpu(0)>" % (
            text, "x".join(["%d" % s for s in self._buf.shape]))

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
                "this array is a copy of %s where numpy would give a view, so writing to "
                "it would not change that array. Write through the original array "
                "(X[:, 0] = ...), or call .copy() first for an independent array"
                % (root._copy_of,))
        if dt_recording and self._node is not None:
            raise RuntimeError(
                "in-place update of an array that is part of a recorded graph inside "
                "autograd.record(); compute a new array instead, or update it outside "
                "the record() block")
        if _live_tangent(self) or _live_tangent(root):
            # its tangent (and those of views of it) would keep the old values'
            raise RuntimeError(
                "in-place update of an array that carries a forward-mode tangent (inside "
                "dt.jvp, dt.grad(mode='forward'), a forward jacobian or forward_level()): "
                "its tangent would no longer match its values. Compute a new array "
                "instead (for example where(mask, 0.0, y) or concatenate)")

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
        if cnp.PyArray_TYPE(<cnp.ndarray>self._buf) == cnp.NPY_BOOL:
            return _ops.multiply(self, -1)      # in int64, as MXNet
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
        return _ops.broadcast_method(self, shape)

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
    if not reflected and _float_data(x) and _same_layout(x, y):
        return apply(array_op, (x, y))      # (integers: numpy's / and ** change dtype)
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
    def mT(self):
        return _np.matrix_transpose(self)

    @property
    def real(self):
        return _np.real(self)

    @property
    def imag(self):
        return _np.imag(self)

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

    # -- in-place operators: numpy's casting rules ('same_kind')
    def __iadd__(self, other):
        return _np.inplace(self, other, np.add)

    def __isub__(self, other):
        return _np.inplace(self, other, np.subtract)

    def __imul__(self, other):
        return _np.inplace(self, other, np.multiply)

    def __itruediv__(self, other):
        return _np.inplace(self, other, np.true_divide)

    def __ifloordiv__(self, other):
        return _np.inplace(self, other, np.floor_divide)

    def __imod__(self, other):
        return _np.inplace(self, other, np.remainder)

    def __ipow__(self, other):
        return _np.inplace(self, other, np.power)

    def __iand__(self, other):
        return _np.inplace(self, other, np.bitwise_and)

    def __ior__(self, other):
        return _np.inplace(self, other, np.bitwise_or)

    def __ixor__(self, other):
        return _np.inplace(self, other, np.bitwise_xor)

    def __and__(self, other):
        return _np.bitwise_and(self, other)

    def __rand__(self, other):
        return _np.bitwise_and(other, self)

    def __or__(self, other):
        return _np.bitwise_or(self, other)

    def __ror__(self, other):
        return _np.bitwise_or(other, self)

    def __xor__(self, other):
        return _np.bitwise_xor(self, other)

    def __rxor__(self, other):
        return _np.bitwise_xor(other, self)

    def __lshift__(self, other):
        return _np.left_shift(self, other)

    def __rlshift__(self, other):
        return _np.left_shift(other, self)

    def __rshift__(self, other):
        return _np.right_shift(self, other)

    def __rrshift__(self, other):
        return _np.right_shift(other, self)

    def __invert__(self):
        return _np.invert(self)

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

cdef inline bint _same_layout(NDArray x, object y):
    """Whether ``y`` is an array of ``x``'s class, shape and dtype."""
    if type(y) is not type(x):
        return False
    cdef cnp.ndarray a = <cnp.ndarray>x._buf
    cdef cnp.ndarray b = <cnp.ndarray>(<NDArray>y)._buf
    cdef int i, n = cnp.PyArray_NDIM(a)
    if cnp.PyArray_TYPE(a) != cnp.PyArray_TYPE(b) or cnp.PyArray_NDIM(b) != n \
            or cnp.PyArray_TYPE(a) == cnp.NPY_BOOL:
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
