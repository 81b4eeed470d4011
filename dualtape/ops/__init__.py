"""The op namespace: every registered op's user-facing function.

Importing this package registers all ops in ``dualtape.registry.REGISTRY``.
Each module below lists in ``__all__`` the functions ``dualtape.nd`` exports
(MXNet's names and aliases) and, optionally, in ``METHODS`` the names of those
that are also NDArray methods (MXNet's fluent methods, ``x.tile(...)``).
Modules are in the order of the operator reference (``docs/operators.md``),
which takes its groups from their docstrings.
"""
from . import (conv, elementwise, indexing, linalg, math, nn, optim, reduction, shape,
               sorting, structural)
from .convert import as_nd
from .elementwise import floor_divide, inplace, rdivide, rpower, rsubtract
from .reduction import numpy_reduction
from .structural import astype, copy, copyto, getitem, reshape_method, setitem

#: The op modules, in reference order.
MODULES = (elementwise, math, reduction, sorting, indexing, structural, shape, nn, conv,
           linalg, optim)

__all__ = []
METHODS = {}
for _m in MODULES:
    for _name in _m.__all__:
        if _name in __all__:
            raise ImportError("dualtape.ops: %r is exported by two modules" % _name)
        __all__.append(_name)
        globals()[_name] = _f = getattr(_m, _name)
        if "<locals>" in getattr(_f, "__qualname__", ""):
            # made by a factory: give it a name pickle can find it by
            _f.__qualname__, _f.__module__ = _name, _m.__name__
    METHODS.update((_name, getattr(_m, _name)) for _name in getattr(_m, "METHODS", ()))

#: Functions NDArray's methods and operators reach besides ``__all__``.
ENGINE_HOOKS = {f.__name__: f for f in (
    as_nd, astype, copy, copyto, floor_divide, getitem, inplace, numpy_reduction,
    rdivide, reshape_method, rpower, rsubtract, setitem)}
# ``x.broadcast_to(shape)`` is numpy's (MXNet's method has no 0 code)
ENGINE_HOOKS["broadcast_method"] = structural.broadcast_to
