"""Type information for the fused forward-mode kernels of the arithmetic
binary ops (``_binary.pyx``)."""
from typing import Any, Optional

import numpy as np

_Array = np.ndarray[Any, Any]

def jvp(
    op: str,
    x: _Array,
    y: _Array,
    tx: Optional[_Array],
    ty: Optional[_Array],
    out: _Array,
    tout: _Array,
) -> None: ...
