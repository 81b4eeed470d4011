"""``dualtape.autograd``: MXNet 1.x's recording API on the dualtape tape.

``record``/``pause``/``train_mode``/``predict_mode`` are context managers
that set this thread's flags and restore them on exit (exceptions included);
``backward`` and ``grad`` walk the tape; ``Function`` defines a custom op.
"""
import numpy as np

from . import _engine
from ._engine import NDArray, Op, is_recording, is_training, set_recording, set_training, wrap
from .ops.convert import as_nd
from .ops.structural import copy as _copy
from .ops.structural import getitem as _getitem, reshape as _reshape, stack as _stack
from .visualize import visualize

__all__ = ["record", "pause", "train_mode", "predict_mode", "is_recording", "is_training",
           "set_recording", "set_training", "mark_variables", "backward", "grad",
           "Function", "visualize"]


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
        if not isinstance(v, NDArray) or not isinstance(g, NDArray):
            raise TypeError("mark_variables takes NDArrays, got %s and %s"
                            % (type(v).__name__, type(g).__name__))
        _engine.require_float(v, "mark_variables: a variable")
        if v.shape != g.shape or v.dtype != g.dtype:
            raise ValueError("mark_variables: gradient of shape %s and dtype %s for a "
                             "variable of shape %s and dtype %s" % (
                                 g.shape, g._data.dtype, v.shape, v._data.dtype))
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

    ``.grad`` buffers are left untouched.  Returns a list with one gradient
    per variable, also for a single NDArray variable (as MXNet does).  With
    ``create_graph`` the result is itself recorded and can be differentiated
    again.
    """
    heads, _ = _as_list(heads, "heads")
    variables, _ = _as_list(variables, "variables")
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
    return out


class Function:
    """A custom differentiable function, as in MXNet.

    Subclass it, define ``forward(self, *inputs)`` and
    ``backward(self, *output_grads)`` (one gradient per input; None for
    zeros), and call an
    instance.  ``forward`` runs without recording; ``save_for_backward``
    keeps arrays for ``backward``.  Define ``jvp(self, *tangents)`` (one
    tangent per output) as well to let forward mode through.

    Each instance may be called once, as in MXNet: create one per call.

    ``backward`` and ``jvp`` always receive one direction, shaped as the
    outputs (inputs): the transforms that push several at once (jacobians,
    forward-mode ``grad``, ``hessian``) call them once per direction.

    Higher-order derivatives (``create_graph``, ``hessian``, ``hvp``, nested
    forward levels) go through a Function whose ``backward``/``jvp`` are
    written with NDArray operations on ``saved_tensors``: inputs and outputs
    saved by ``forward`` are handed to the rules as the live, differentiable
    arrays, as PyTorch does.  An array saved that is neither an input nor an
    output would be a constant there, so such a derivative raises instead.
    Values kept any other way (attributes of ``self``) are constants.
    """

    def __init__(self):
        self._saved = ()
        self._used = False
        self._swap = None       # while a rule runs: id(saved array) -> live array
        self._seen = None       # (forward's inputs, forward's outputs)
        self._single = True

    def save_for_backward(self, *args):
        """Keep ``args`` for ``backward`` (read them from ``saved_tensors``)."""
        self._saved = args

    @property
    def saved_tensors(self):
        """What ``save_for_backward`` kept (inputs and outputs as the live arrays
        while a derivative rule runs)."""
        if self._swap is None:
            return self._saved
        return tuple(self._swap.get(id(s), s) if isinstance(s, NDArray) else s
                     for s in self._saved)

    def forward(self, *inputs):
        raise NotImplementedError("Function subclasses define forward()")

    def backward(self, *output_grads):
        raise NotImplementedError("Function subclasses define backward()")

    def __call__(self, *inputs):
        name = type(self).__name__
        if self._used:
            raise RuntimeError("each Function instance can only be called once (as in "
                               "MXNet); create a new %s() for each call" % name)
        inputs = tuple(as_nd(x) for x in inputs)
        op = Op(name, self._primal, self._jvp_rule, self._vjp_rule, kind="function")
        self._op, self._args = op, inputs
        try:
            out = _engine.apply(op, inputs)
        finally:
            self._op = self._args = None
        self._used = True
        if op.nout == 1:
            return out if self._single else [out]
        return list(out)

    def _primal(self, *data):
        """Run ``forward`` (not recorded) on the call's inputs; numpy results."""
        name = type(self).__name__
        xs = [x.detach() for x in self._args]
        with _Scope(False, None):
            outputs = self.forward(*xs)
        self._single = isinstance(outputs, NDArray)
        outs = (outputs,) if self._single else tuple(outputs)
        if not outs or not all(isinstance(o, NDArray) for o in outs):
            raise TypeError("%s.forward must return an NDArray or a tuple of them" % name)
        self._seen = (xs, outs)
        self._op.nout = len(outs)
        # an output on an input's memory is copied (by the copy op, so that a
        # trace records it), so that writing to one never changes the other
        # behind the tape's back
        res = [_copy(o)._buf if any(np.may_share_memory(o._buf, d) for d in data)
               else o._buf for o in outs]
        return res[0] if len(res) == 1 else tuple(res)

    def _rule(self, rule, args, xs, anss):
        """Call ``rule(*args)`` with the saved inputs and outputs replaced by the
        live ``xs`` and ``anss``."""
        name = type(self).__name__
        seen_in, seen_out = self._seen
        swap = {id(a): x for a, x in zip(seen_in, xs)}
        swap.update((id(a), y) for a, y in zip(seen_out, anss))
        if not _engine.all_plain(list(xs) + list(anss) + list(args)):
            for s in self._saved:
                if isinstance(s, NDArray) and id(s) not in swap:
                    raise RuntimeError(
                        "%s saved an array for backward that is neither one of its "
                        "inputs nor one of its outputs; a higher-order derivative "
                        "(create_graph, hessian, hvp, nested forward levels) through it "
                        "would treat that array as a constant and be wrong. Save only "
                        "inputs and outputs and recompute the rest in backward()/jvp()"
                        % name)
        self._swap = swap
        try:
            return rule(*args)
        finally:
            self._swap = None

    def _jvp_rule(self, ts, ans, xs):
        name = type(self).__name__
        jvp = getattr(self, "jvp", None)
        if jvp is None:
            raise TypeError("%s defines no jvp(self, *tangents); forward mode cannot go "
                            "through it" % name)
        k = next(i for i, t in enumerate(ts) if t is not None)
        batch = ts[k].shape[:ts[k].ndim - xs[k].ndim]
        ts = [wrap(np.zeros(batch + x.shape, x._data.dtype)) if t is None else t
              for x, t in zip(xs, ts)]
        anss = (ans,) if isinstance(ans, NDArray) else tuple(ans)
        out = self._per_direction(jvp, "jvp", "tangents", "output", ts, batch, xs, anss)
        return out[0] if len(anss) == 1 else tuple(out)

    def _vjp_rule(self, g, ans, xs, needs):
        gs = (g,) if isinstance(g, NDArray) else tuple(g)
        anss = (ans,) if isinstance(ans, NDArray) else tuple(ans)
        batch = gs[0].shape[:gs[0].ndim - anss[0].ndim]
        return tuple(self._per_direction(self.backward, "backward", "gradients", "input",
                                         gs, batch, xs, anss))

    def _per_direction(self, rule, rule_name, what, per, args, batch, xs, anss):
        """The user's ``rule`` on ``args`` (tangents or cotangents), checked.
        Batched transforms (jacobians, forward-mode gradients, Hessians) pass
        several directions along leading ``batch`` axes; a rule is written
        for one, so it runs once per direction and the results are stacked
        (with differentiable ops)."""
        name = type(self).__name__
        likes = anss if per == "output" else xs
        if not batch:
            out = _as_tuple(name, rule_name, self._rule(rule, args, xs, anss))
            return _check_results(name, rule_name, what, per, out, [a.shape for a in likes],
                                  likes)
        n = int(np.prod(batch))
        flat = [_reshape(a, (n,) + a.shape[len(batch):]) for a in args]
        rows = []
        for i in range(n):
            one = [_reshape(_getitem(f, i), a.shape[len(batch):]) for f, a in zip(flat, args)]
            out = _as_tuple(name, rule_name, self._rule(rule, one, xs, anss))
            rows.append(_check_results(name, rule_name, what, per, out,
                                       [a.shape for a in likes], likes))
        if n == 0:
            return [wrap(np.zeros(tuple(batch) + a.shape, a._data.dtype)) for a in likes]
        return [_reshape(_stack(*[r[j] for r in rows], axis=0), tuple(batch) + likes[j].shape)
                for j in range(len(likes))]


def _as_tuple(name, rule, result):
    """A rule's result as a tuple: one array (an NDArray, a numpy array, None)
    or a tuple or list of them."""
    if result is None or isinstance(result, (NDArray, np.ndarray)):
        return (result,)
    if isinstance(result, (tuple, list)):
        return tuple(result)
    raise TypeError("%s.%s must return arrays (an NDArray, or a tuple of them), got %s"
                    % (name, rule, type(result).__name__))


def _check_results(name, rule, what, per, results, shapes, likes):
    """Results of a Function's rule as NDArrays: one per ``per`` of the expected
    shapes (None is zeros, as in PyTorch), or a ``ValueError`` naming the
    Function and the shapes."""
    if len(results) != len(shapes):
        raise ValueError("%s.%s returned %d %s for %d %ss"
                         % (name, rule, len(results), what, len(shapes), per))
    out = []
    for r, shape, like in zip(results, shapes, likes):
        if r is None:
            out.append(wrap(np.zeros(shape, like._data.dtype)))
            continue
        r = as_nd(r, like)
        if r.dtype != like.dtype:
            r = r.astype(like.dtype)
        if r.shape != shape:
            raise ValueError("%s.%s returned a %s of shape %s for an %s of shape %s"
                             % (name, rule, what[:-1], r.shape, per, shape))
        out.append(r)
    return out
