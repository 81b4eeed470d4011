"""``dualtape.autograd``: MXNet 1.x's recording API on the dualtape tape.

``record``/``pause``/``train_mode``/``predict_mode`` are context managers
that set this thread's flags and restore them on exit (exceptions included);
``backward`` and ``grad`` walk the tape; ``Function`` defines a custom op.
"""
import numpy as np

from . import _engine
from ._engine import NDArray, Op, is_recording, is_training, set_recording, set_training, wrap
from .ops.convert import as_nd

__all__ = ["record", "pause", "train_mode", "predict_mode", "is_recording", "is_training",
           "set_recording", "set_training", "mark_variables", "backward", "grad",
           "Function"]


_Scope = _engine.Scope


def record(train_mode=True):  # noqa: F811  (MXNet's parameter name)
    """Record operations for ``backward`` inside the block (training by default)."""
    return _Scope(True, train_mode)


def pause(train_mode=False):  # noqa: F811
    """Stop recording inside the block (and set training to ``train_mode``)."""
    return _Scope(False, train_mode)


def train_mode():
    """Training behaviour inside the block; recording unchanged."""
    return _Scope(None, True)


def predict_mode():
    """Inference behaviour inside the block; recording unchanged."""
    return _Scope(None, False)


def _as_list(value, what):
    if isinstance(value, NDArray):
        return [value], True
    if isinstance(value, (list, tuple)):
        return list(value), False
    raise TypeError("%s must be an NDArray or a list of them, got %s"
                    % (what, type(value).__name__))


def mark_variables(variables, gradients, grad_reqs="write"):
    """Make arrays variables whose gradients go into the given buffers.

    Parameters
    ----------
    variables : NDArray or list of NDArray
    gradients : NDArray or list of NDArray
        One buffer per variable, of the variable's shape.
    grad_reqs : str or list of str
        ``'write'``, ``'add'`` or ``'null'`` (one for all, or one each).
    """
    variables, _ = _as_list(variables, "variables")
    gradients, _ = _as_list(gradients, "gradients")
    reqs = [grad_reqs] * len(variables) if isinstance(grad_reqs, str) else list(grad_reqs)
    if not len(variables) == len(gradients) == len(reqs):
        raise ValueError("mark_variables: %d variables, %d gradients and %d grad_reqs"
                         % (len(variables), len(gradients), len(reqs)))
    for r in reqs:
        if r not in _engine.GRAD_REQS:
            raise ValueError("grad_req must be one of %s, got %r" % (_engine.GRAD_REQS, r))
    for v, g in zip(variables, gradients):
        if v.shape != g.shape:
            raise ValueError("mark_variables: gradient of shape %s for a variable of "
                             "shape %s" % (g.shape, v.shape))
    for v, g, r in zip(variables, gradients, reqs):
        v._mark(g, r)


def head_gradients(heads, head_grads):
    """One cotangent per head: ones where none is given; ``ValueError`` naming
    both shapes on a mismatch."""
    if head_grads is None:
        head_grads = [None] * len(heads)
    else:
        head_grads, _ = _as_list(head_grads, "head_grads")
    if len(head_grads) != len(heads):
        raise ValueError("%d head gradients for %d heads" % (len(head_grads), len(heads)))
    out = []
    for h, g in zip(heads, head_grads):
        if not isinstance(h, NDArray):
            raise TypeError("heads must be NDArrays, got %s" % type(h).__name__)
        if g is None:
            out.append(wrap(np.ones_like(h._data)))
            continue
        g = as_nd(g, h)
        if g.shape != h.shape:
            raise ValueError("head gradient has shape %s but its head has shape %s"
                             % (g.shape, h.shape))
        out.append(g if g._data.dtype == h._data.dtype
                   else wrap(g._data.astype(h._data.dtype)))
    return out


def backward(heads, head_grads=None, retain_graph=False, train_mode=True):  # noqa: F811
    """Backpropagate from ``heads`` into the gradients of the variables.

    Parameters
    ----------
    heads : NDArray or list of NDArray
    head_grads : NDArray or list of NDArray, optional
        Cotangents of the heads (ones by default).
    retain_graph : bool
        Keep the graph for another backward pass.
    train_mode : bool
        The training flag while the backward pass runs.
    """
    heads, _ = _as_list(heads, "heads")
    grads = head_gradients(heads, head_grads)
    with _Scope(None, train_mode):
        _engine.backward(heads, grads, None, retain_graph, False)


def grad(heads, variables, head_grads=None, retain_graph=None, create_graph=False,
         train_mode=True):  # noqa: F811
    """Gradients of ``heads`` with respect to ``variables``, as new arrays.

    ``.grad`` buffers are left untouched.  Returns a list when ``variables``
    is a list and one array when it is one array.  With ``create_graph``
    the result is itself recorded and can be differentiated again.
    """
    heads, _ = _as_list(heads, "heads")
    variables, single = _as_list(variables, "variables")
    for v in variables:
        if v._node is None:
            raise ValueError("autograd.grad: a variable (shape %s) is not on the tape; "
                             "call attach_grad() on it before recording" % (v.shape,))
    grads = head_gradients(heads, head_grads)
    if retain_graph is None:
        retain_graph = create_graph
    with _Scope(None, train_mode):
        result = _engine.backward(heads, grads, variables, retain_graph, create_graph)
    out = []
    for v, r in zip(variables, result):
        if r is None:
            out.append(wrap(np.zeros_like(v._data)))
        elif create_graph:
            out.append(r)
        else:
            out.append(wrap(r._data.copy()))
    return out[0] if single else out


class Function:
    """A custom differentiable function, as in MXNet.

    Subclass it, define ``forward(self, *inputs)`` and
    ``backward(self, *output_grads)`` (one gradient per input), and call an
    instance.  ``forward`` runs without recording; ``save_for_backward``
    keeps arrays for ``backward``.  Define ``jvp(self, *tangents)`` as well
    to let forward mode through.
    """

    def __init__(self):
        self._saved = ()

    def save_for_backward(self, *args):
        """Keep ``args`` for ``backward`` (read them from ``saved_tensors``)."""
        self._saved = args

    @property
    def saved_tensors(self):
        return self._saved

    def forward(self, *inputs):
        raise NotImplementedError("Function subclasses define forward()")

    def backward(self, *output_grads):
        raise NotImplementedError("Function subclasses define backward()")

    def __call__(self, *inputs):
        inputs = tuple(as_nd(x) for x in inputs)
        tangents = [x.tangent for x in inputs]
        with _Scope(False, None):
            outputs = self.forward(*[x.detach() for x in inputs])
        single = isinstance(outputs, NDArray)
        outs = (outputs,) if single else tuple(outputs)
        if not all(isinstance(o, NDArray) for o in outs):
            raise TypeError("%s.forward must return NDArrays" % type(self).__name__)
        outs = tuple(wrap(o._data) for o in outs)
        if any(t is not None for t in tangents):
            self._forward_mode(inputs, tangents, outs)
        op = Op(type(self).__name__, None, None, self._vjp, nout=len(outs))
        _engine.record_outputs(op, inputs, outs)
        return outs[0] if single else list(outs)

    def _forward_mode(self, inputs, tangents, outs):
        jvp = getattr(self, "jvp", None)
        if jvp is None:
            raise TypeError("%s defines no jvp(self, *tangents); forward mode cannot go "
                            "through it" % type(self).__name__)
        ts = [wrap(np.zeros_like(x._data)) if t is None else t
              for x, t in zip(inputs, tangents)]
        with _Scope(False, None):
            out_t = jvp(*ts)
        out_t = (out_t,) if isinstance(out_t, NDArray) else tuple(out_t)
        for o, t in zip(outs, out_t):
            o.attach_tangent(t)

    def _vjp(self, g, ans, xs, needs):
        gs = (g,) if isinstance(g, NDArray) else tuple(g)
        with _Scope(False, None):
            grads = self.backward(*gs)
        grads = (grads,) if isinstance(grads, NDArray) else tuple(grads)
        if len(grads) != len(xs):
            raise ValueError("%s.backward returned %d gradients for %d inputs"
                             % (type(self).__name__, len(grads), len(xs)))
        out = []
        for x, gx in zip(xs, grads):
            gx = as_nd(gx, x)
            if gx.shape != x.shape:
                raise ValueError("%s.backward returned a gradient of shape %s for an input "
                                 "of shape %s" % (type(self).__name__, gx.shape, x.shape))
            out.append(gx)
        return tuple(out)
