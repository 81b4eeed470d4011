"""``dt.jit``: trace a function of arrays once, then replay a planned program.

Tracing runs ``f`` on its arguments with the engine's tracer installed.
Every primal an op computes is recorded (the first-order fast paths step
aside, so derivatives — JVP rules, VJP rules in a backward walk, higher
orders — are recorded as the ops they are made of); the program is the flat
list of those primals from the arguments to the results.  Planning drops what
no result depends on and computes at once what depends on no argument; each
value's buffer is released after its last use.  Later calls with the same
signature run the program without running ``f``'s Python.

Tracing is honest: Python code that reads the values of a traced array —
``float(x)``, ``bool(x)`` (a Python ``if`` on an array), ``x.asnumpy()``,
numpy on ``x._data``, or an op that computes its parameters from its
input's values — raises ``TracingError`` naming the line, instead of baking
the traced call's values into the program.
"""
import collections
import linecache
import numbers
import os
import sys
import threading
import weakref

import numpy as np

from . import _engine, _fused, functional, tuning
from ._engine import NDArray, ndarray
from .jit_planner import Planner

_fused.use_numpy_loops(tuning.FUSED_PRIMITIVES_FROM_NUMPY)

__all__ = ["jit", "TracingError"]

_PACKAGE = os.path.dirname(os.path.abspath(__file__))


class TracingError(RuntimeError):
    """A traced function read the values of a traced array (see ``jit``)."""


def _user_line():
    """``file:line: source`` of the innermost frame outside dualtape."""
    frame = sys._getframe(1)
    while frame is not None and os.path.abspath(frame.f_code.co_filename).startswith(
            _PACKAGE):
        frame = frame.f_back
    if frame is None:
        return "an unknown line"
    src = linecache.getline(frame.f_code.co_filename, frame.f_lineno).strip()
    return "%s:%d: %s" % (frame.f_code.co_filename, frame.f_lineno, src)


def _refuse(how, shape):
    raise TracingError(
        "%s reads the values of an array traced by dt.jit (shape %s) at %s. A jitted "
        "program cannot depend on values through Python: they would be baked in from "
        "the first call. Pass the value as a static argument (static_argnums), compute "
        "it outside the jitted function, or keep it in dualtape ops"
        % (how, shape, _user_line()))


#: numpy functions that need only an array's shape and dtype.
_METADATA = {np.zeros_like, np.ones_like, np.empty_like, np.full_like, np.shape, np.ndim,
             np.size, np.result_type}


class _ValuesRefused:
    """What Python code gets for a traced array's ``_data``: its shape, dtype
    and size (and numpy's functions of those alone, ``np.zeros_like``...),
    but not its values."""

    __slots__ = ("shape", "dtype", "ndim", "size", "itemsize", "nbytes")

    def __init__(self, data):
        self.shape, self.dtype, self.ndim = data.shape, data.dtype, data.ndim
        self.size, self.itemsize, self.nbytes = data.size, data.itemsize, data.nbytes

    def __len__(self):
        if not self.shape:
            raise TypeError("len() of unsized object")
        return self.shape[0]

    def __array_function__(self, func, types, args, kwargs):
        if func not in _METADATA:
            _refuse("numpy.%s on it" % func.__name__, self.shape)
        shell = np.broadcast_to(np.zeros((), self.dtype), self.shape)   # no values
        return func(*[shell if a is self else a for a in args], **kwargs)

    def _refused(self, *args, **kwargs):
        _refuse("reading its values in Python", self.shape)

    __array__ = __getitem__ = __iter__ = __float__ = __int__ = __bool__ = _refused
    __array_ufunc__ = tolist = item = copy = astype = reshape = ravel = view = _refused

    def __getattr__(self, name):
        _refuse("numpy's %r on it" % name, self.shape)


# ---------------------------------------------------------------- tracing ---

def _offset(view, base):
    """The element at which the C-contiguous ``view`` starts in ``base`` (of
    the same dtype), or None if it is not such a view."""
    if view.dtype != base.dtype or not (view.flags.c_contiguous and base.flags.c_contiguous) \
            or not np.may_share_memory(view, base) or view.size == 0:
        return None
    delta = view.__array_interface__["data"][0] - base.__array_interface__["data"][0]
    k, rem = divmod(delta, base.itemsize)
    if rem or k < 0 or k + view.size > base.size:
        return None
    return k


class _CarriesTangent(Exception):
    """A traced function read an array that carries a forward-mode tangent."""


class _Tracer:
    """Records the primals computed while ``f`` runs on traced arguments.

    Values are numbered by the identity of their numpy buffer while it lives
    (NDArrays that share a buffer — views made by the engine, detached
    copies — are one value); the tracer keeps each value's shape and dtype,
    and which outputs are views of an input, not the value itself.  A buffer no recorded primal produced and no argument holds is a
    constant of the program; the array it belongs to is *captured*: its
    version (bumped by every in-place write) guards the program.
    """

    def __init__(self):
        self.slot = {}          # id(buffer) -> value number, while the buffer lives
        self.meta = []          # value number -> (shape, dtype)
        self.consts = []        # value number -> buffer, for constants
        self.entries = []       # (op, input numbers, params, output numbers)
        self.shares = {}        # output number -> (input index, element offset or None)
        self.windows = {}       # scatter output number -> element its window starts at
        self.captured = {}      # id(array) -> (array, its version when first read)

    def value(self, buf, const):
        s = self.slot.get(id(buf))
        if s is None:
            s = self.slot[id(buf)] = len(self.meta)
            self.meta.append((buf.shape, buf.dtype))
            self.consts.append(buf if const else None)
            # values are not kept alive (the trace peaks as eagerly); when a
            # buffer dies, its id may name another one
            weakref.finalize(buf, self._forget, id(buf), s)
        return s

    def _forget(self, key, s):
        if self.slot.get(key) == s:
            del self.slot[key]

    def argument(self, x):
        return self.value(x._buf, False)

    def record(self, op, args, params, res):
        if op.kind == "function":       # a custom Function: its ops are recorded
            return
        ins = [self.value(a._buf, True) for a in args]
        for a, s in zip(args, ins):
            self.capture(a, s)
        outs = res if isinstance(res, tuple) else (res,)
        nums = [self.value(o._buf, False) for o in outs]
        for o, n in zip(outs, nums):    # outputs that are views of an input
            for i, a in enumerate(args):
                if np.may_share_memory(o._buf, a._buf):
                    self.shares[n] = (i, _offset(o._buf, a._buf))
                    break
        if op.name == "scatter":        # zeros but for a window of the input's values
            shape, key, nb = params
            out = outs[0]._buf
            w = out[(slice(None),) * nb + key + (Ellipsis,)]
            if w.size == args[0]._buf.size:
                self.windows[nums[0]] = _offset(w, out)
        self.entries.append((op, ins, params, nums))

    def check_dual(self, args):
        """Stop the trace (the call then runs eagerly) if an op reads a value
        from outside it that carries a tangent at the base level (one given by
        ``attach_tangent`` outside any ``forward_level``)."""
        for a in args:
            if a._tangents and _engine.BASE_LEVEL in a._tangents and not self.traced(a):
                raise _CarriesTangent()

    def capture(self, a, s):
        """Guard the program by ``a``'s version if its value ``s`` is a constant."""
        if self.consts[s] is not None:
            root = a._alias if a._alias is not None else a
            self.captured.setdefault(id(root), (root, root._version))

    def guards(self):
        """``(array, version)`` of every captured array; raises
        ``TracingError`` if ``f`` wrote to one after reading it."""
        for root, version in self.captured.values():
            if root._version != version:
                raise TracingError(
                    "the traced function wrote to an array it had read as a constant "
                    "(shape %s): dt.jit cannot replay that; pass the array as an "
                    "argument, or write to a copy" % (root._buf.shape,))
        return tuple(self.captured.values())

    def traced(self, a):
        s = self.slot.get(id(a._buf))
        return s is not None and self.consts[s] is None

    def data_of(self, a):
        return _ValuesRefused(a._buf) if self.traced(a) else a._buf

    def check(self, a, how):
        if self.traced(a):
            _refuse(how, a._buf.shape)


# -------------------------------------------------------------------- jit ---

def _value_key(a):
    """A cache key for a static value: floats by their bits, so that 0.0 and
    -0.0 (equal, yet 1/x tells them apart) trace apart and nan finds itself."""
    return (type(a), float(a).hex()) if isinstance(a, (float, np.floating)) else a


def _fresh(guards):
    """Whether no captured array was written since the trace."""
    for root, version in guards:
        if root._version != version:
            return False
    return True


def _flatten(out, fname):
    """The arrays of ``f``'s result and a structure to rebuild it."""
    if isinstance(out, NDArray):
        return [out], (None, type(out) is ndarray)
    if isinstance(out, (tuple, list)) and all(isinstance(o, NDArray) for o in out):
        return list(out), (type(out), [type(o) is ndarray for o in out])
    raise TypeError("%s (under dt.jit) must return an NDArray or a tuple or list of them, "
                    "got %s" % (fname, type(out).__name__))




class Jitted(_fused.Dispatcher):
    """``f`` traced once per signature and replayed (see ``jit``)."""

    def __init__(self, f, static_argnums=(), cache_size=64):
        self.f = f
        self.static_argnums = tuple(static_argnums)
        self.cache_size = int(cache_size)
        self._cache = collections.OrderedDict()
        self._lock = threading.Lock()
        self.traces = 0
        self.hits = 0
        self.__name__ = "jit_" + getattr(f, "__name__", "f")
        self.__doc__ = getattr(f, "__doc__", None)

    def _key(self, args):
        key = []
        for i, a in enumerate(args):
            if i in self.static_argnums:
                try:
                    hash(a)
                except TypeError:
                    raise TypeError("static argument %d of %s must be hashable, got %s"
                                    % (i, self.__name__, type(a).__name__)) from None
                key.append(("static", _value_key(a)))
            elif isinstance(a, NDArray):
                d = a._buf
                key.append((d.shape, d.dtype.str, type(a) is ndarray))
            else:
                try:        # numbers, strings, None...: static by their value
                    hash(a)
                except TypeError:
                    raise TypeError(
                        "argument %d of %s is a %s: dt.jit traces NDArray arguments and "
                        "takes hashable ones as static; wrap arrays with nd.array (or "
                        "dualtape.numpy.asarray)" % (i, self.__name__, type(a).__name__)
                    ) from None
                key.append(("value", type(a), _value_key(a)))
        return tuple(key)

    def _dispatch(self, args):
        """A call that the last signature's program does not take at once
        (``_fused.Dispatcher.__call__`` has checked that)."""
        if any(isinstance(a, np.ndarray) for i, a in enumerate(args)
               if i not in self.static_argnums):
            # numpy arrays in, numpy arrays out, as the transforms do
            numpy_io = functional._numpy_io(args)
            args = tuple(_engine.wrap_np(_engine.as_data(a)) if isinstance(a, np.ndarray)
                         and i not in self.static_argnums else a for i, a in enumerate(args))
            result = self._dispatch(args)
            return functional._to_numpy(result) if numpy_io else result
        if not _engine.all_plain([a for a in args if isinstance(a, NDArray)]) or \
                _engine.is_recording() or _engine.levels_open() or \
                _engine.get_tracer() is not None:
            # inside a transform the ops differentiate themselves (arrays f
            # reads from a closure may carry tangents too); inside an outer
            # dt.jit's trace they are recorded into its program
            return self.f(*args)
        key = self._key(args)
        with self._lock:
            entry = self._cache.get(key)
            if entry is not None and not _fresh(entry[2]):
                del self._cache[key]            # a captured array changed: trace again
                entry = None
            dual = entry is not None and any(a._tangents for a, _ in entry[2])
            if entry is not None and not dual:
                self._cache.move_to_end(key)
                self.hits += 1
        if dual:
            return self.f(*args)        # a captured array was given a tangent
        if entry is None:
            try:
                entry, result = self._trace(args)
            except _CarriesTangent:
                return self.f(*args)    # a closure's array carries a tangent
            with self._lock:
                self._cache[key] = entry
                while len(self._cache) > self.cache_size:
                    self._cache.popitem(last=False)
        else:
            dynamic = tuple(a for i, a in enumerate(args) if self._dynamic(i, a))
            result = entry[0].call(dynamic)
        if all(self._dynamic(i, a) for i, a in enumerate(args)):
            self._remember(entry[0], args, entry[2])    # the next such call skips this method
        return result

    def _dynamic(self, i, a):
        """Whether argument ``i`` is traced (an NDArray not marked static)."""
        return i not in self.static_argnums and isinstance(a, NDArray)

    def _trace(self, args):
        tracer = _Tracer()
        traced = list(args)
        for i, a in enumerate(args):
            if self._dynamic(i, a):
                # a fresh array on the same values, with a buffer object of its
                # own: an array passed twice, or passed and also captured, is
                # a value per argument
                wrap = _engine.wrap_np if type(a) is ndarray else _engine.wrap
                traced[i] = wrap(a._buf.view())
                tracer.argument(traced[i])
        prev = _engine.set_tracer(tracer)
        try:
            out = self.f(*traced)
        finally:
            _engine.set_tracer(prev)
        arrays, structure = _flatten(out, self.__name__)
        out_slots = [tracer.value(o._buf, True) for o in arrays]
        for o, s in zip(arrays, out_slots):     # a captured array returned as is
            tracer.capture(o, s)
        guards = tracer.guards()
        arg_slots = [tracer.slot[id(t._buf)] for i, t in enumerate(traced)
                     if self._dynamic(i, t)]
        self.traces += 1
        constants = {s: c for s, c in enumerate(tracer.consts) if c is not None}
        plan = Planner(tracer.entries, tracer.meta, constants, arg_slots, out_slots,
                       tracer.shares, tracer.windows)
        program = plan.program(structure)
        # as replays do (copy_out), results never share memory with the
        # arguments, the program's constants or each other
        state = [traced[i]._buf for i in range(len(args)) if self._dynamic(i, traced[i])]
        state += constants.values()
        bufs = []
        for o in arrays:
            shared = any(np.may_share_memory(o._buf, s) for s in state)
            bufs.append(np.array(o._buf) if shared else o._buf)
            state.append(bufs[-1])
        # the plan holds the trace's values: keep its figures, not the plan
        return (program, plan.stats(), guards), self._wrap_result(structure, bufs)

    @staticmethod
    def _wrap_result(structure, bufs):
        kind, flavors = structure
        wrap = lambda np_flavor, b: _engine.wrap_np(b) if np_flavor else _engine.wrap(b)  # noqa: E731
        if kind is None:
            return wrap(flavors, bufs[0])
        return kind(wrap(f, b) for f, b in zip(flavors, bufs))

    def clear_cache(self):
        """Forget every traced program (the next call traces again)."""
        with self._lock:
            self._cache.clear()
            self._remember(None, ())

    def stats(self):
        """Traces, cache hits, and per cached signature the program's plan:
        ops traced and replayed, ops folded into constants, fused groups and
        the ops in them, other ops (calls), constants and their bytes, and
        the bytes of the buffers kept between calls (``arena_bytes``, per
        concurrent call; ``arenas``: how many exist)."""
        with self._lock:
            programs = {}
            for k, (program, figures, _) in self._cache.items():
                programs[k] = dict(figures, arenas=program.arenas())
        return {"traces": self.traces, "hits": self.hits + self._fast_hits,
                "programs": programs}


def jit(f=None, *, static_argnums=(), cache_size=64):
    """Trace ``f`` once per signature and replay the planned program.

    Parameters
    ----------
    f : callable
        A function of NDArrays returning an NDArray or a tuple/list of them;
        it may call any dualtape op and transform (``dt.grad``, ``dt.jvp``,
        ``dt.jacobian``, ``dt.hvp``, ...).  Also usable as a decorator
        (``@dt.jit`` or ``@dt.jit(static_argnums=(1,))``).
    static_argnums : int or tuple of int
        Arguments that are not arrays, or whose values the program may depend
        on: they are part of the signature (hashable) and are not traced.
    cache_size : int
        Signatures kept (least recently used ones are dropped).

    Returns
    -------
    Jitted
        Called like ``f``.  The signature is the arguments' shapes, dtypes
        and flavours plus the static arguments; a new one traces again.
        Inside a transform or ``autograd.record()`` (arguments carrying
        tangents or on the tape) ``f`` runs as it is, so ``dt.grad(dt.jit(f))``
        is exact.  ``.stats()`` and ``.clear_cache()`` as documented there.

    Raises
    ------
    TracingError
        When ``f`` reads the values of a traced array from Python (see the
        module docstring).
    """
    if isinstance(static_argnums, numbers.Integral):
        static_argnums = (static_argnums,)
    if f is None:
        return lambda g: Jitted(g, static_argnums, cache_size)
    return Jitted(f, static_argnums, cache_size)
