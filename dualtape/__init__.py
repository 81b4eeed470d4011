"""dualtape: forward- and reverse-mode automatic differentiation for numpy-style
code, behind an MXNet 1.x-compatible NDArray/autograd facade.

>>> from dualtape import nd, autograd
>>> x = nd.arange(4); x.attach_grad()
>>> with autograd.record():
...     y = 2 * nd.dot(x, x)
>>> y.backward(); print(x.grad)
<BLANKLINE>
[ 0.  4.  8. 12.]
<NDArray 4 @cpu(0)>
"""
import types as _types

try:
    from . import _engine, _kernels
except ImportError as _missing:        # the source tree, never built
    raise ImportError(
        "dualtape's compiled extensions are missing from %s: build them with "
        "`pip install -e .` (or `python setup.py build_ext --inplace`), or run from "
        "another directory so that an installed dualtape is imported"
        % __path__[0]) from _missing

from . import autograd, nd, ops, tuning
from . import profiler
from ._engine import NDArray
from .context import Context, cpu
from .forward import forward_level, make_dual, unpack_dual
from .functional import grad, hessian, hvp, jacobian, jvp, value_and_grad, vjp
from .jit import TracingError, jit
from .registry import REGISTRY
from .testing import GradientCheckError, check_grad
from .visualize import visualize

__version__ = "0.1.0"

_engine.bind_ops(_types.SimpleNamespace(
    **{name: getattr(ops, name) for name in ops.__all__},
    **ops.ENGINE_HOOKS,
    cpu=cpu,
    autograd_backward=lambda heads, grads, retain, train: autograd.backward(
        heads, grads, retain, train),
    check_tangent=lambda x, t: _check_tangent(x, t),
), REGISTRY, ops.METHODS)
_engine.set_small_limits(tuning.SMALL_LOOP_MAX)


from . import numpy  # noqa: E402  (binds numpy's namespace and protocols to NDArray)
from . import special  # noqa: E402


def set_num_threads(n):
    """Threads for the Cython kernels on large arrays (default 1, or the
    ``DUALTAPE_NUM_THREADS`` environment variable); returns the previous
    count.  More threads pay on long elementwise chains, but fight numpy's
    BLAS threads in code that mixes matrix products with elementwise ops."""
    return _kernels._configure(num_threads=int(n))[1]


def _check_tangent(x, t):
    """A tangent for ``x``: same dtype, same shape or one leading batch axis."""
    t = ops.as_nd(t, x)
    if t.dtype != x.dtype:
        raise ValueError("tangent dtype %s does not match its primal's dtype %s"
                         % (t._data.dtype, x._data.dtype))
    if t.shape != x.shape and t.shape[1:] != x.shape:
        raise ValueError("tangent shape %s does not match its primal's shape %s (nor "
                         "a batch of them, (k,) + %s)" % (t.shape, x.shape, x.shape))
    return t


__all__ = ["nd", "autograd", "numpy", "special", "NDArray", "Context", "cpu", "REGISTRY", "__version__",
           "forward_level", "make_dual", "unpack_dual", "jvp", "vjp", "grad",
           "value_and_grad", "jacobian", "hessian", "hvp", "check_grad", "jit", "TracingError",
           "GradientCheckError", "set_num_threads", "visualize"]
