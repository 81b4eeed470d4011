"""Type information for ``dualtape.functional``.

A function ``f`` that returns one NDArray gives NDArrays; one that returns a
tuple of NDArrays gives tuples.  ``argnums`` as an int gives one gradient, as
a sequence a tuple of them.
"""
from typing import Any, Callable, Literal, Sequence, overload

from ._engine import NDArray, _ArrayLike

__all__ = ["jvp", "vjp", "grad", "value_and_grad", "jacobian", "hessian", "hvp"]

MODES: tuple[str, ...]

_One = Callable[..., NDArray]
_Many = Callable[..., tuple[NDArray, ...]]
_Pullback = Callable[..., tuple[NDArray, ...]]

@overload
def jvp(
    f: _One, primals: Sequence[_ArrayLike], tangents: Sequence[_ArrayLike]
) -> tuple[NDArray, NDArray]: ...
@overload
def jvp(
    f: _Many, primals: Sequence[_ArrayLike], tangents: Sequence[_ArrayLike]
) -> tuple[tuple[NDArray, ...], tuple[NDArray, ...]]: ...
@overload
def vjp(f: _One, *primals: _ArrayLike) -> tuple[NDArray, _Pullback]: ...
@overload
def vjp(f: _Many, *primals: _ArrayLike) -> tuple[tuple[NDArray, ...], _Pullback]: ...
@overload
def value_and_grad(
    f: _One, argnums: int = 0, mode: str = "reverse"
) -> Callable[..., tuple[NDArray, NDArray]]: ...
@overload
def value_and_grad(
    f: _One, argnums: Sequence[int], mode: str = "reverse"
) -> Callable[..., tuple[NDArray, tuple[NDArray, ...]]]: ...
@overload
def grad(f: _One, argnums: int = 0, mode: str = "reverse") -> Callable[..., NDArray]: ...
@overload
def grad(
    f: _One, argnums: Sequence[int], mode: str = "reverse"
) -> Callable[..., tuple[NDArray, ...]]: ...
def choose_mode(n_in: int, n_out: int) -> str: ...
@overload
def jacobian(
    f: _One, argnums: int = 0, mode: str = "auto", return_mode: Literal[False] = False
) -> Callable[..., NDArray]: ...
@overload
def jacobian(
    f: _One, argnums: int = 0, mode: str = "auto", *, return_mode: Literal[True]
) -> Callable[..., tuple[NDArray, str]]: ...
@overload
def jacobian(
    f: Callable[..., Any],
    argnums: int | Sequence[int] = 0,
    mode: str = "auto",
    return_mode: bool = False,
) -> Callable[..., Any]: ...
@overload
def hessian(f: _One, argnums: int = 0) -> Callable[..., NDArray]: ...
@overload
def hessian(f: _One, argnums: Sequence[int]) -> Callable[..., Any]: ...
def hvp(f: _One, x: _ArrayLike, v: _ArrayLike) -> NDArray: ...
