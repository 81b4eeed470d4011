"""``dualtape.numpy``: numpy's namespace on dualtape arrays, differentiable in
both modes.

``import dualtape.numpy as dnp`` gives numpy's names, signatures, defaults and
semantics (float64 by default, numpy's broadcasting and dtype promotion,
Python scalars as numpy 2 treats them, 0-d results of full reductions) on
``dnp.ndarray``, which is an NDArray with numpy's behaviour: one engine and
one tape underneath (``x.as_nd_ndarray()`` / ``x.as_np_ndarray()`` convert
without a copy).  numpy's own functions reach these functions through
numpy's dispatch protocols, so ``np.sin(x)`` on a dualtape array is recorded
and carries tangents.
"""
import sys
import types

from .. import _engine
from .. import nd as _nd
import numpy as _numpy

from . import _creation, _linalg, _reductions, _shape, _ufuncs, linalg
from ._core import array, asarray, ndarray
from ._protocols import Dispatcher

_MODULES = (_creation, _ufuncs, _reductions, _shape, _linalg)

__all__ = ["ndarray", "array", "asarray"]
for _m in _MODULES:
    for _name in _m.__all__:
        if _name in __all__:
            raise ImportError("dualtape.numpy: %r is defined twice" % _name)
        __all__.append(_name)
        globals()[_name] = _f = getattr(_m, _name)
        if "<locals>" in getattr(_f, "__qualname__", ""):
            _f.__qualname__, _f.__module__ = _name, _m.__name__

#: numpy's array methods that ``ndarray`` gets from this namespace.
METHODS = {name: globals()[name] for name in (
    "ravel", "squeeze", "std", "var", "prod", "cumsum", "cumprod", "all", "any", "ptp",
    "nonzero", "repeat", "swapaxes", "trace", "diagonal", "argsort", "take",
    "fill") if name in globals()}
METHODS["sort"] = _shape.sort_method          # in place, as numpy's method

_dispatch = Dispatcher(sys.modules[__name__], ((_numpy.linalg, linalg),), _nd)
_engine.bind_numpy(types.SimpleNamespace(
    **{name: globals()[name] for name in __all__},
    getitem=_shape.getitem, setitem=_shape.setitem, inplace=_shape.inplace,
    reshape_method=_shape.reshape_method, flatten=_shape.flatten,
    astype=_shape.astype, array_ufunc=_dispatch.array_ufunc,
    array_function=_dispatch.array_function), METHODS)
