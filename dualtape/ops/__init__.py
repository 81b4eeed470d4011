"""The op namespace: every registered op's user-facing function.

Importing this package registers all ops in ``dualtape.registry.REGISTRY``.
"""
from .convert import as_nd
from .elementwise import (abs, add, clip, cos, divide, equal, exp, greater,
                          greater_equal, inplace, lesser, lesser_equal, log, maximum,
                          minimum, multiply, negative, not_equal, power, rdivide, relu,
                          rpower, rsubtract, sigmoid, sign, sin, sqrt, square, subtract,
                          tanh, where)
from .linalg import batch_dot, dot
from .nn import log_softmax, softmax
from .reduction import argmax, argmin, max, mean, min, norm, sum
from .structural import (astype, broadcast_to, concat, copy, copyto, expand_dims, flatten,
                         getitem, identity, ones_like, reshape, reshape_method, setitem,
                         split, stack, transpose, zeros_like)

__all__ = [
    "as_nd", "abs", "add", "clip", "cos", "divide", "equal", "exp", "greater",
    "greater_equal", "inplace", "lesser", "lesser_equal", "log", "maximum", "minimum",
    "multiply", "negative", "not_equal", "power", "rdivide", "relu", "rpower",
    "rsubtract", "sigmoid", "sign", "sin", "sqrt", "square", "subtract", "tanh", "where",
    "batch_dot", "dot", "log_softmax", "softmax", "argmax", "argmin", "max", "mean",
    "min", "norm", "sum", "astype", "broadcast_to", "concat", "copy", "copyto",
    "expand_dims", "flatten", "getitem", "identity", "ones_like", "reshape",
    "reshape_method", "setitem", "split", "stack", "transpose", "zeros_like",
]
