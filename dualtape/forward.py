"""Forward mode: dual numbers on NDArrays.

A tangent rides along with its primal through every op (each op's JVP rule
runs in the same call that computes the value).  Tangents live at *levels*:
``forward_level()`` opens one and its exit drops the tangents attached at it;
nested levels keep their tangents apart, so forward-over-forward gives
second derivatives.  Tangents attached outside any block live at a base level
that is always open.
"""
from . import _engine
from ._engine import NDArray

__all__ = ["forward_level", "make_dual", "unpack_dual"]


class forward_level:  # noqa: N801  (used like a function, as torch's dual_level)
    """Open a forward level for the ``with`` block; ``as`` gives its id.

    Examples
    --------
    >>> from dualtape import nd, forward_level, make_dual
    >>> with forward_level():
    ...     x = make_dual(nd.array([1.0, 2.0]), nd.array([1.0, 0.0]))
    ...     y = x * x
    ...     print(y.tangent.asnumpy())
    [2. 0.]
    """

    def __init__(self):
        self.level = None

    def __enter__(self):
        self.level = _engine.open_level()
        return self.level

    def __exit__(self, *exc):
        _engine.close_level(self.level)
        return False


def make_dual(x, tangent, level=None):
    """A new array with ``x``'s values (and tape entry) carrying ``tangent``.

    Parameters
    ----------
    x : NDArray
    tangent : NDArray or array_like
        Same shape and dtype as ``x``, or with one leading axis of ``k``
        directions (a batched tangent, pushed through every op in one pass).
    level : int, optional
        A level from ``forward_level()``; the innermost open one by default.
    """
    if not isinstance(x, NDArray):
        raise TypeError("make_dual takes an NDArray, got %s" % type(x).__name__)
    dual = _engine.view(x)
    dual.attach_tangent(tangent, level)
    return dual


def unpack_dual(x, level=None):
    """``(primal, tangent)`` of ``x`` at ``level`` (innermost by default);
    the tangent is ``None`` when ``x`` has none there."""
    level = _engine.innermost_level() if level is None else level
    tangent = x._tangents.get(level) if x._tangents else None
    return _engine.strip(x, level), tangent
