"""Type information for the replay of ``dt.jit`` programs (``_fused.pyx``,
rendered from ``_fused.pyx.tp``): fused elementwise groups, calls of an op's
primal, planned programs and the call path of a jitted function."""
from typing import Any, Optional, final

import numpy as np

from typing_extensions import Self, disjoint_base

from ._engine import NDArray

_Array = np.ndarray[Any, Any]

#: elements per tile of a fused group
TILE: int
#: elements times ops from which a group runs without the GIL
NOGIL_WORK: int
#: micro-op name -> code
CODES: dict[str, int]
#: operand kind name -> code
KINDS: dict[str, int]

def as_data(data: Any) -> _Array: ...
def use_numpy_loops(choice: dict[str, Any]) -> dict[str, list[str]]: ...

@final
class Group:
    n: int
    nops: int
    nopd: int
    nregs: int
    typenum: int
    dtype: np.dtype[Any]
    def __new__(
        cls,
        n: int,
        dtype: Any,
        ops: list[Any],
        operands: list[Any],
        outputs: list[Any],
        sums: list[Any],
    ) -> Self: ...

@final
class Call:
    name: str
    def __new__(
        cls,
        op: Any,
        ins: tuple[int, ...],
        params: tuple[Any, ...],
        outs: tuple[int, ...],
        strided: bool = False,
    ) -> Self: ...

@final
class Program:
    structure: Any
    def __new__(
        cls,
        nslots: int,
        constants: dict[int, _Array],
        arg_slots: tuple[int, ...],
        out_slots: tuple[int, ...],
        steps: list[Any],
        dead: list[tuple[int, ...]],
        copy_out: tuple[bool, ...],
        buffers: list[Any],
        structure: Any,
    ) -> Self: ...
    def arena_bytes(self) -> int: ...
    def arenas(self) -> int: ...
    def run(self, args: list[_Array]) -> list[_Array]: ...
    def call(self, args: tuple[NDArray, ...]) -> Any: ...

@disjoint_base
class Dispatcher:
    _fast_hits: int
    def _remember(
        self,
        program: Optional[Program],
        args: tuple[NDArray, ...],
        guards: tuple[tuple[NDArray, int], ...] = (),
    ) -> None: ...
    def __call__(self, *args: Any) -> Any: ...
