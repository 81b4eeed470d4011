"""The op namespace: every registered op's user-facing function.

Importing this package registers all ops in ``dualtape.registry.REGISTRY``.
``__all__`` is what ``dualtape.nd`` exports (MXNet's names);
``ENGINE_HOOKS`` adds what NDArray's methods and operators call besides.
"""
from .convert import as_nd
from .elementwise import (abs, add, clip, cos, divide, equal, exp, floor_divide, greater,
                          greater_equal, inplace, lesser, lesser_equal, log, maximum,
                          minimum, modulo, multiply, negative, not_equal, power, rdivide,
                          relu, round, rpower, rsubtract, sigmoid, sign, sin, sqrt, square,
                          subtract, tanh, where)
from .linalg import batch_dot, dot
from .nn import log_softmax, softmax
from .reduction import argmax, argmin, max, mean, min, norm, numpy_reduction, sum
from .structural import (astype, broadcast_to, concat, copy, copyto, expand_dims, flatten,
                         getitem, identity, ones_like, reshape, reshape_method, setitem,
                         split, stack, transpose, zeros_like)

__all__ = [
    "abs", "add", "clip", "cos", "divide", "equal", "exp", "greater", "greater_equal",
    "lesser", "lesser_equal", "log", "maximum", "minimum", "modulo", "multiply",
    "negative", "not_equal", "power", "relu", "round", "sigmoid", "sign", "sin", "sqrt",
    "square", "subtract", "tanh", "where", "batch_dot", "dot", "log_softmax", "softmax",
    "argmax", "argmin", "max", "mean", "min", "norm", "sum", "broadcast_to", "concat",
    "expand_dims", "flatten", "identity", "ones_like", "reshape", "split", "stack",
    "transpose", "zeros_like",
]

#: Functions NDArray's methods and operators reach besides ``__all__``.
ENGINE_HOOKS = {f.__name__: f for f in (
    as_nd, astype, copy, copyto, floor_divide, getitem, inplace, numpy_reduction,
    rdivide, reshape_method, rpower, rsubtract, setitem)}
