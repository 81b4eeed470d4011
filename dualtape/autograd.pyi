"""Type information for ``dualtape.autograd``."""
from typing import Any, Optional, Sequence, Union

from ._engine import NDArray, Scope, _ArrayLike
from ._engine import Op as Op
from ._engine import is_recording as is_recording
from ._engine import is_training as is_training
from ._engine import set_recording as set_recording
from ._engine import set_training as set_training
from .visualize import visualize as visualize

__all__ = ["record", "pause", "train_mode", "predict_mode", "is_recording", "is_training",
           "set_recording", "set_training", "mark_variables", "backward", "grad",
           "Function", "visualize"]

_Arrays = Union[NDArray, Sequence[NDArray]]

def record(train_mode: bool = True) -> Scope: ...
def pause(train_mode: bool = False) -> Scope: ...
def train_mode() -> Scope: ...
def predict_mode() -> Scope: ...
def mark_variables(
    variables: _Arrays, gradients: _Arrays, grad_reqs: Union[str, Sequence[str]] = "write"
) -> None: ...
def head_gradients(
    heads: list[NDArray], head_grads: Union[None, _ArrayLike, Sequence[_ArrayLike]]
) -> list[NDArray]: ...
def backward(
    heads: _Arrays,
    head_grads: Union[None, _ArrayLike, Sequence[_ArrayLike]] = None,
    retain_graph: bool = False,
    train_mode: bool = True,
) -> None: ...
def grad(
    heads: _Arrays,
    variables: _Arrays,
    head_grads: Union[None, _ArrayLike, Sequence[_ArrayLike]] = None,
    retain_graph: Optional[bool] = None,
    create_graph: bool = False,
    train_mode: bool = True,
) -> list[NDArray]: ...

class Function:
    """A custom differentiable function: subclass it and define
    ``forward(self, *inputs)``, ``backward(self, *output_grads)`` and,
    for forward mode, ``jvp(self, *tangents)``."""

    def __init__(self) -> None: ...
    def save_for_backward(self, *args: NDArray) -> None: ...
    @property
    def saved_tensors(self) -> tuple[NDArray, ...]: ...
    # Subclasses define these with their own arity.
    def forward(self, *inputs: Any) -> Any: ...
    def backward(self, *output_grads: Any) -> Any: ...
    # one NDArray, or a list of them when forward returns a tuple
    def __call__(self, *inputs: _ArrayLike) -> Any: ...
