"""Type information for ``dualtape.forward``."""
from typing import Optional

from ._engine import NDArray, _ArrayLike

__all__ = ["forward_level", "make_dual", "unpack_dual"]

class forward_level:
    level: Optional[int]
    def __init__(self) -> None: ...
    def __enter__(self) -> int: ...
    def __exit__(self, *exc: object) -> bool: ...

def make_dual(x: NDArray, tangent: _ArrayLike, level: Optional[int] = None) -> NDArray: ...
def unpack_dual(
    x: NDArray, level: Optional[int] = None
) -> tuple[NDArray, Optional[NDArray]]: ...
