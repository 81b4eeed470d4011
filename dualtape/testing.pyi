"""Type information for ``dualtape.testing``."""
from typing import Any, Callable, Optional, Sequence

import numpy as np

from ._engine import _ArrayLike

__all__ = ["check_grad", "GradientCheckError"]

MODES: tuple[str, ...]
DEFAULTS: dict[np.dtype[Any], tuple[float, float, float]]

class GradientCheckError(AssertionError): ...

def check_grad(
    f: Callable[..., Any],
    *inputs: _ArrayLike,
    modes: Sequence[str] = ...,
    order: int = 1,
    rtol: Optional[float] = None,
    atol: Optional[float] = None,
    eps: Optional[float] = None,
    seed: int = 0,
) -> None: ...
