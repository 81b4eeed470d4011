"""Type information for the package ``dualtape``."""
from . import autograd as autograd
from . import nd as nd
from . import numpy as numpy
from . import ops as ops
from . import profiler as profiler
from . import special as special
from . import tuning as tuning
from ._engine import NDArray as NDArray
from .context import Context as Context
from .context import cpu as cpu
from .forward import forward_level as forward_level
from .forward import make_dual as make_dual
from .forward import unpack_dual as unpack_dual
from .functional import grad as grad
from .functional import hessian as hessian
from .functional import hvp as hvp
from .functional import jacobian as jacobian
from .functional import jvp as jvp
from .functional import value_and_grad as value_and_grad
from .functional import vjp as vjp
from .jit import TracingError as TracingError
from .jit import jit as jit
from .registry import REGISTRY as REGISTRY
from .testing import GradientCheckError as GradientCheckError
from .testing import check_grad as check_grad
from .visualize import visualize as visualize

__version__: str

__all__ = ["nd", "autograd", "numpy", "special", "NDArray", "Context", "cpu", "REGISTRY",
           "__version__", "forward_level", "make_dual", "unpack_dual", "jvp", "vjp", "grad",
           "value_and_grad", "jacobian", "hessian", "hvp", "check_grad", "jit",
           "TracingError", "GradientCheckError", "set_num_threads", "visualize"]

def set_num_threads(n: int) -> int: ...
