"""numpy's dispatch protocols (NEP 13 ``__array_ufunc__``, NEP 18
``__array_function__``): ``np.sin(x)``, ``np.sum(x)``, ``np.linalg.solve(A, b)``
with a dualtape array among the arguments run the ``dualtape.numpy``
function of the same name, on the tape and with tangents.  A numpy function
dualtape does not implement (``np.allclose``, ``np.median``, ...) runs on
the arrays' values when there is no derivative to lose (no array carries a
tangent or, while recording, a tape entry, and no ``dt.jit`` traces), its
array results returned as dualtape arrays; otherwise it raises
``TypeError`` naming it, never a plain numpy result that would drop the
derivative.

The flavour of the arrays decides the semantics.  With a numpy-flavoured
array among the arguments, numpy's.  With MXNet-flavoured arrays only (the
``nd`` facade's), a ufunc that ``nd`` also has runs ``nd``'s (so that
``np.float64(2) * x`` keeps ``x``'s float32, as in MXNet 1.9.1) and numpy's
reductions call the array's method (``np.sum(x)`` is ``x.sum()``, shape
``(1,)``); any other function runs with numpy's semantics and returns
MXNet-flavoured arrays.
"""
import numpy as np

from .. import _engine
from .._engine import NDArray, ndarray

#: numpy ufuncs whose ``nd`` function has another name.
_ND_NAMES = {"true_divide": "divide", "absolute": "abs", "mod": "modulo",
             "remainder": "modulo", "less": "lesser", "less_equal": "lesser_equal",
             "matmul": "dot", "positive": None}
#: numpy reductions that MXNet-flavoured arrays answer by their own method.
_METHOD_REDUCTIONS = {np.sum: "sum", np.mean: "mean", np.max: "max", np.min: "min",
                      np.amax: "max", np.amin: "min"}

_REDUCE = {np.add: "sum", np.multiply: "prod", np.maximum: "max", np.minimum: "min",
           np.logical_and: "all", np.logical_or: "any"}
_ACCUMULATE = {np.add: "cumsum", np.multiply: "cumprod"}


class Dispatcher:
    """The tables from numpy's callables to a namespace's functions."""

    def __init__(self, namespace, submodules, nd):
        self.ns = namespace
        self.ufuncs = {}
        self.functions = {}
        self.nd_ufuncs = {}
        for name in dir(np):
            u = getattr(np, name)
            nd_name = _ND_NAMES.get(name, name)
            if isinstance(u, np.ufunc) and nd_name and nd_name in nd.__all__:
                self.nd_ufuncs[u] = getattr(nd, nd_name)
        for name in namespace.__all__:
            target = getattr(np, name, None)
            f = getattr(namespace, name)
            if isinstance(target, np.ufunc):
                self.ufuncs[target] = f
            elif callable(target) and callable(f):
                self.functions[target] = f
        for np_module, module in submodules:
            for name in module.__all__:
                target = getattr(np_module, name, None)
                if callable(target):
                    self.functions[target] = getattr(module, name)

    def array_ufunc(self, ufunc, method, inputs, kwargs):
        if (method == "__call__" and not kwargs and ufunc in self.nd_ufuncs
                and not any(type(a) is ndarray for a in inputs)):
            return self.nd_ufuncs[ufunc](*inputs)
        name = _REDUCE.get(ufunc) if method == "reduce" else (
            _ACCUMULATE.get(ufunc) if method == "accumulate" else None)
        if method == "__call__":
            f = self.ufuncs.get(ufunc)
        else:
            f = getattr(self.ns, name, None) if name else None
        if f is None:
            return _on_values(getattr(ufunc, method), inputs, kwargs, "numpy.%s%s" % (
                ufunc.__name__, "" if method == "__call__" else "." + method))
        if method == "__call__":
            return f(*inputs, **kwargs)
        kwargs = {k: v for k, v in kwargs.items() if not (k == "out" and v is None)}
        kwargs.setdefault("axis", 0)        # numpy's default for reduce and accumulate
        return f(*inputs, **kwargs)

    def array_function(self, func, types, args, kwargs):
        method = _METHOD_REDUCTIONS.get(func)
        if method is not None and args and not any(t is ndarray for t in types):
            return getattr(args[0], method)(*args[1:], **kwargs)
        f = self.functions.get(func)
        if f is None:
            return _on_values(func, args, kwargs, "%s.%s" % (
                getattr(func, "__module__", "numpy"), func.__name__))
        return f(*args, **kwargs)


def _arrays_in(obj, found):
    """The dualtape arrays anywhere in ``obj`` (nested tuples, lists, dicts)."""
    if isinstance(obj, NDArray):
        found.append(obj)
    elif isinstance(obj, (tuple, list)):
        for o in obj:
            _arrays_in(o, found)
    elif isinstance(obj, dict):
        for o in obj.values():
            _arrays_in(o, found)
    return found


def _values(obj):
    """``obj`` with its arrays as read-only views of their values."""
    if isinstance(obj, NDArray):
        v = obj._buf.view()
        v.flags.writeable = False
        return v
    if isinstance(obj, (tuple, list)):
        return type(obj)(_values(o) for o in obj)
    if isinstance(obj, dict):
        return {k: _values(o) for k, o in obj.items()}
    return obj


def _wrapped(result, np_flavor):
    """numpy's result with its arrays as dualtape arrays (numbers stay numbers)."""
    if isinstance(result, np.ndarray) and result.dtype.kind in "biuf":
        return (_engine.wrap_np if np_flavor else _engine.wrap)(result)
    if isinstance(result, tuple):
        return type(result)(*[_wrapped(r, np_flavor) for r in result]) \
            if hasattr(result, "_fields") else tuple(_wrapped(r, np_flavor) for r in result)
    if isinstance(result, list):
        return [_wrapped(r, np_flavor) for r in result]
    return result


#: numpy functions whose results carry no derivative (truth values, shapes,
#: dtypes): they run on the values of differentiated arrays too, outside
#: dt.jit (a traced program cannot depend on values).
_NO_DERIVATIVE = {np.allclose, np.isclose, np.array_equal, np.array_equiv, np.shape, np.ndim,
                  np.size, np.result_type, np.iscomplexobj, np.isrealobj, np.count_nonzero}


def _on_values(func, args, kwargs, name):
    """``func`` (a numpy function dualtape does not implement) on the values
    of the arrays, when no derivative or trace depends on them."""
    arrays = _arrays_in((args, kwargs), [])
    if "out" in kwargs or _engine.get_tracer() is not None or \
            not (func in _NO_DERIVATIVE or _engine.all_plain(arrays)):
        raise TypeError(
            "dualtape does not implement %s on its arrays%s; use a function of "
            "dualtape.numpy, or leave the tape on purpose with x.asnumpy() (the "
            "derivative through this call is then lost)"
            % (name, " with out=" if "out" in kwargs else
               " that carry a derivative or are traced by dt.jit"))
    try:
        result = func(*_values(args), **_values(kwargs))
    except ValueError as e:
        if "read-only" not in str(e):
            raise
        raise TypeError(
            "%s writes into its array arguments, which dualtape does not implement "
            "(the write would bypass the tape); compute a new array with "
            "dualtape.numpy functions instead" % name) from None
    return _wrapped(result, any(type(a) is ndarray for a in arrays))
