"""Optimizer updates: never on the tape.

MXNet 1.x's fused update ops.  Each reads ``weight`` and ``grad``, updates its
state arrays (momentum, moments) in place and returns the new weight: written
into ``out`` when given (``out=weight`` updates the weight in place, which is
how MXNet's optimizers call them), otherwise as a new array, leaving
``weight`` unchanged, as in MXNet.  They are not differentiable and never
recorded; an array they write (a state or ``out``) must not be part of a
graph recorded inside ``autograd.record()``.

All arrays share the weight's shape and float dtype (the ``mp_*``
multi-precision updates keep float32 states and compute in float32).
Arithmetic is done in that dtype, in MXNet's order of operations, with the hyperparameters at that
precision (MXNet first rounds them to float32, so float64 results differ
from MXNet's in the last digits) -- except for float16 weights, computed in
float32 and rounded once (MXNet computes in float16, where the default
``epsilon`` of 1e-8 is 0 and a zero gradient gives NaN in ``adam_update``
and ``rmsprop_update``).  As in MXNet 1.9.1, any
``clip_gradient >= 0`` clips (``0`` clips every gradient to zero; MXNet's
documentation says ``<= 0`` turns clipping off, its code does not); a
negative value turns clipping off.
"""
import numpy as np

from .._engine import NDArray, wrap
from .convert import is_scalar, scalar


def _arrays(name, weight, grad, states, out, float32_states=False):
    """Check the arrays of an update: NDArrays of the weight's float dtype
    (float32 states with ``float32_states``) and shape; the ones written
    (states, ``out``) must accept an in-place write.  Returns the type to
    compute in (float32 for float16 weights and for multi-precision
    updates)."""
    named = [("weight", weight), ("grad", grad)] + list(states)
    if out is not None:
        named.append(("out", out))
    for arg, a in named:
        if not isinstance(a, NDArray):
            raise TypeError("%s: %s must be an NDArray, got %s" % (name, arg, type(a).__name__))
    dtype = weight._data.dtype
    if dtype.kind != "f":
        raise TypeError("%s: weight must be float16, float32 or float64, got %s"
                        % (name, dtype))
    for i, (arg, a) in enumerate(named[1:]):
        want = np.dtype(np.float32) if float32_states and 0 < i <= len(states) else dtype
        if a._data.dtype != want:
            raise TypeError("%s: %s has dtype %s, it must be %s"
                            % (name, arg, a._data.dtype, want))
        if a.shape != weight.shape:
            raise ValueError("%s: %s has shape %s, weight has %s"
                             % (name, arg, a.shape, weight.shape))
    for _, a in named[2:]:
        a._check_inplace()
    return np.float32 if dtype == np.float16 or float32_states else dtype.type


def _get(a, t):
    """``a``'s values in the compute type ``t``."""
    return a._data.astype(t, copy=False)


def _params(name, cast, **params):
    """The hyperparameters as scalars of the compute type."""
    out = []
    for arg, value in params.items():
        if not is_scalar(value):
            raise TypeError("%s: %s must be a real number, got %r" % (name, arg, value))
        out.append(cast(scalar(value)))
    return out


def _clip(g, bound):
    """MXNet's gradient clipping: any ``bound >= 0`` clips."""
    return np.clip(g, -bound, bound) if bound >= 0 else g


def _finish(weight, new_weight, states, out):
    """Write the new states and the new weight; nothing is written before
    every value has been computed."""
    for a, values in states:
        np.copyto(a._data, values, casting="same_kind")
        a._bump()
    if out is None:
        return wrap(np.asarray(new_weight, dtype=weight._data.dtype))
    np.copyto(out._data, new_weight, casting="same_kind")
    out._bump()
    return out


def sgd_update(weight, grad, lr, wd=0.0, rescale_grad=1.0, clip_gradient=-1.0,
               lazy_update=True, out=None, name=None):
    """Stochastic gradient descent:
    ``weight = (1 - lr*wd)*weight - lr*clip(rescale_grad*grad)``.

    The rescaled gradient is clipped before the weight decay is added.  Not
    differentiable.  ``lazy_update`` (row-sparse gradients) and ``name`` are
    accepted for compatibility.

    Parameters
    ----------
    weight, grad : NDArray
    lr : float
        Learning rate.
    wd : float
        Weight decay.
    rescale_grad : float
        Factor applied to the gradient first.
    clip_gradient : float
        Clip the rescaled gradient to ``[-clip_gradient, clip_gradient]``
        when ``>= 0``.
    out : NDArray, optional
        Where to write the new weight (``out=weight`` updates in place).

    Returns
    -------
    NDArray
        The new weight (``out`` when given).
    """
    t = _arrays("sgd_update", weight, grad, [], out)
    lr, wd, rescale, clip = _params("sgd_update", t, lr=lr, wd=wd, rescale_grad=rescale_grad,
                                    clip_gradient=clip_gradient)
    w, g = _get(weight, t), _get(grad, t)
    if clip >= 0:
        new = (t(1) - lr * wd) * w - lr * _clip(rescale * g, clip)
    else:
        new = (t(1) - lr * wd) * w - (lr * rescale) * g
    return _finish(weight, new, [], out)


def sgd_mom_update(weight, grad, mom, lr, momentum=0.0, wd=0.0, rescale_grad=1.0,
                   clip_gradient=-1.0, lazy_update=True, out=None, name=None):
    """SGD with momentum:
    ``mom = momentum*mom - lr*wd*weight - lr*clip(rescale_grad*grad)``, then
    ``weight = weight + mom``.

    ``mom`` (updated in place) holds the step already multiplied by ``-lr``.
    Not differentiable.  ``lazy_update`` and ``name`` are accepted for
    compatibility.

    Parameters
    ----------
    weight, grad : NDArray
    mom : NDArray
        Momentum state, updated in place.
    lr, momentum, wd, rescale_grad, clip_gradient : float
        As in ``sgd_update``; ``momentum`` is the decay of the momentum.
    out : NDArray, optional
        Where to write the new weight (``out=weight`` updates in place).

    Returns
    -------
    NDArray
        The new weight (``out`` when given).
    """
    t = _arrays("sgd_mom_update", weight, grad, [("mom", mom)], out)
    lr, momentum, wd, rescale, clip = _params(
        "sgd_mom_update", t, lr=lr, momentum=momentum, wd=wd, rescale_grad=rescale_grad,
        clip_gradient=clip_gradient)
    w, g = _get(weight, t), _get(grad, t)
    new_mom = momentum * _get(mom, t) - lr * wd * w - lr * _clip(rescale * g, clip)
    return _finish(weight, w + new_mom, [(mom, new_mom)], out)


def nag_mom_update(weight, grad, mom, lr, momentum=0.0, wd=0.0, rescale_grad=1.0,
                   clip_gradient=-1.0, out=None, name=None):
    """Nesterov accelerated gradient: with
    ``g = clip(rescale_grad*grad) + wd*weight``,
    ``mom = momentum*mom - lr*g`` and ``weight = weight + momentum*mom - lr*g``.

    ``mom`` (updated in place) holds the step already multiplied by ``-lr``.
    The weight decay uses the old weight; MXNet 1.9.1 uses the new one in
    ``mom`` when ``out`` is the weight (its kernel reads the weight after
    writing it).  Not differentiable.  ``name`` is accepted for compatibility.

    Parameters
    ----------
    weight, grad : NDArray
    mom : NDArray
        Momentum state, updated in place.
    lr, momentum, wd, rescale_grad, clip_gradient : float
        As in ``sgd_mom_update``.
    out : NDArray, optional
        Where to write the new weight (``out=weight`` updates in place).

    Returns
    -------
    NDArray
        The new weight (``out`` when given).
    """
    t = _arrays("nag_mom_update", weight, grad, [("mom", mom)], out)
    lr, momentum, wd, rescale, clip = _params(
        "nag_mom_update", t, lr=lr, momentum=momentum, wd=wd, rescale_grad=rescale_grad,
        clip_gradient=clip_gradient)
    w = _get(weight, t)
    step = lr * (_clip(rescale * _get(grad, t), clip) + wd * w)
    decayed = momentum * _get(mom, t)
    new = w - decayed + (momentum + t(1)) * (decayed - step)
    return _finish(weight, new, [(mom, decayed - step)], out)


def adam_update(weight, grad, mean, var, lr, beta1=0.9, beta2=0.999, epsilon=1e-8, wd=0.0,
                rescale_grad=1.0, clip_gradient=-1.0, lazy_update=True, out=None,
                name=None):
    """Adam without bias correction: with
    ``g = clip(rescale_grad*grad + wd*weight)``,
    ``mean = beta1*mean + (1-beta1)*g``, ``var = beta2*var + (1-beta2)*g**2``
    and ``weight = weight - lr*mean/(sqrt(var) + epsilon)``.

    The weight decay is added before clipping; the caller folds the bias
    correction into ``lr`` (as MXNet's ``Adam`` optimizer does).  Not
    differentiable.  ``lazy_update`` and ``name`` are accepted for
    compatibility.

    Parameters
    ----------
    weight, grad : NDArray
    mean, var : NDArray
        First and second moment estimates, updated in place.
    lr, wd, rescale_grad, clip_gradient : float
        As in ``sgd_update``.
    beta1, beta2 : float
        Decay rates of the moment estimates.
    epsilon : float
        Added to ``sqrt(var)``.
    out : NDArray, optional
        Where to write the new weight (``out=weight`` updates in place).

    Returns
    -------
    NDArray
        The new weight (``out`` when given).
    """
    t = _arrays("adam_update", weight, grad, [("mean", mean), ("var", var)], out)
    lr, beta1, beta2, eps, wd, rescale, clip = _params(
        "adam_update", t, lr=lr, beta1=beta1, beta2=beta2, epsilon=epsilon, wd=wd,
        rescale_grad=rescale_grad, clip_gradient=clip_gradient)
    w = _get(weight, t)
    g = _clip(_get(grad, t) * rescale + w * wd, clip)
    new_mean = beta1 * _get(mean, t) + (t(1) - beta1) * g
    new_var = beta2 * _get(var, t) + (t(1) - beta2) * np.square(g)
    new = w - lr * new_mean / (np.sqrt(new_var) + eps)
    return _finish(weight, new, [(mean, new_mean), (var, new_var)], out)


def rmsprop_update(weight, grad, n, lr, gamma1=0.95, epsilon=1e-8, wd=0.0, rescale_grad=1.0,
                   clip_gradient=-1.0, clip_weights=-1.0, out=None, name=None):
    """RMSProp (Tieleman and Hinton): with
    ``g = clip(rescale_grad*grad + wd*weight)``,
    ``n = (1-gamma1)*g**2 + gamma1*n`` and
    ``weight = weight - lr*g/sqrt(n + epsilon)``, then clipped to
    ``[-clip_weights, clip_weights]`` when ``clip_weights >= 0``.

    Note ``epsilon`` is inside the square root.  Not differentiable.
    ``name`` is accepted for compatibility.

    Parameters
    ----------
    weight, grad : NDArray
    n : NDArray
        Mean square of the gradients, updated in place.
    lr, wd, rescale_grad, clip_gradient : float
        As in ``sgd_update``.
    gamma1 : float
        Decay rate of ``n``.
    epsilon : float
        Added to ``n`` under the square root.
    clip_weights : float
        Clip the new weight when ``>= 0``.
    out : NDArray, optional
        Where to write the new weight (``out=weight`` updates in place).

    Returns
    -------
    NDArray
        The new weight (``out`` when given).
    """
    t = _arrays("rmsprop_update", weight, grad, [("n", n)], out)
    lr, gamma1, eps, wd, rescale, clip, clip_w = _params(
        "rmsprop_update", t, lr=lr, gamma1=gamma1, epsilon=epsilon, wd=wd,
        rescale_grad=rescale_grad, clip_gradient=clip_gradient, clip_weights=clip_weights)
    w = _get(weight, t)
    g = _clip(rescale * _get(grad, t) + wd * w, clip)
    new_n = (t(1) - gamma1) * g * g + gamma1 * _get(n, t)
    new = _clip(w - lr * (g / np.sqrt(new_n + eps)), clip_w)
    return _finish(weight, new, [(n, new_n)], out)


def signsgd_update(weight, grad, lr, wd=0.0, rescale_grad=1.0, clip_gradient=-1.0, out=None,
                   name=None):
    """SignSGD: ``weight = (1 - lr*wd)*weight - lr*sign(grad)``.

    ``rescale_grad`` and ``clip_gradient`` are accepted and, as in MXNet,
    ignored (a positive rescaling or a clip does not change a sign).  Not
    differentiable.  ``name`` is accepted for compatibility.

    Parameters
    ----------
    weight, grad : NDArray
    lr, wd : float
        Learning rate and weight decay.
    out : NDArray, optional
        Where to write the new weight (``out=weight`` updates in place).

    Returns
    -------
    NDArray
        The new weight (``out`` when given).
    """
    t = _arrays("signsgd_update", weight, grad, [], out)
    lr, wd, _, _ = _params("signsgd_update", t, lr=lr, wd=wd, rescale_grad=rescale_grad,
                           clip_gradient=clip_gradient)
    new = (t(1) - lr * wd) * _get(weight, t) - lr * np.sign(_get(grad, t))
    return _finish(weight, new, [], out)


def signum_update(weight, grad, mom, lr, momentum=0.0, wd=0.0, rescale_grad=1.0,
                  clip_gradient=-1.0, wd_lh=0.0, out=None, name=None):
    """Signum (sign of the momentum):
    ``mom = momentum*mom - (1-momentum)*(wd*weight + clip(rescale_grad*grad))``,
    then ``weight = (1 - lr*wd_lh)*weight + lr*sign(mom)``.

    ``mom`` (updated in place) holds the negated moving average of the
    gradient.  Not differentiable.  ``name`` is accepted for compatibility.

    Parameters
    ----------
    weight, grad : NDArray
    mom : NDArray
        Momentum state, updated in place.
    lr, momentum, wd, rescale_grad, clip_gradient : float
        As in ``sgd_mom_update``.
    wd_lh : float
        Decoupled weight decay (Loshchilov and Hutter), applied to the weight.
    out : NDArray, optional
        Where to write the new weight (``out=weight`` updates in place).

    Returns
    -------
    NDArray
        The new weight (``out`` when given).
    """
    t = _arrays("signum_update", weight, grad, [("mom", mom)], out)
    lr, momentum, wd, rescale, clip, wd_lh = _params(
        "signum_update", t, lr=lr, momentum=momentum, wd=wd, rescale_grad=rescale_grad,
        clip_gradient=clip_gradient, wd_lh=wd_lh)
    w = _get(weight, t)
    new_mom = (momentum * _get(mom, t) - (t(1) - momentum) * wd * w
               - (t(1) - momentum) * _clip(rescale * _get(grad, t), clip))
    new = (t(1) - lr * wd_lh) * w + lr * np.sign(new_mom)
    return _finish(weight, new, [(mom, new_mom)], out)


def mp_sgd_update(weight, grad, weight32, lr, wd=0.0, rescale_grad=1.0, clip_gradient=-1.0,
                  lazy_update=True, out=None, name=None):
    """Multi-precision ``sgd_update``: the update is applied to the float32
    master copy ``weight32`` (updated in place), and the new weight is that
    copy cast to the weight's dtype (usually float16).

    Not differentiable.  ``lazy_update`` and ``name`` are accepted for
    compatibility.

    Parameters
    ----------
    weight, grad : NDArray
        Of one float dtype.
    weight32 : NDArray
        float32 master copy of the weight, updated in place.
    lr, wd, rescale_grad, clip_gradient : float
        As in ``sgd_update``.
    out : NDArray, optional
        Where to write the new weight (``out=weight`` updates in place).

    Returns
    -------
    NDArray
        The new weight (``out`` when given).
    """
    t = _arrays("mp_sgd_update", weight, grad, [("weight32", weight32)], out, True)
    lr, wd, rescale, clip = _params("mp_sgd_update", t, lr=lr, wd=wd,
                                    rescale_grad=rescale_grad, clip_gradient=clip_gradient)
    w, g = _get(weight32, t), _get(grad, t)
    if clip >= 0:
        new = (t(1) - lr * wd) * w - lr * _clip(rescale * g, clip)
    else:
        new = (t(1) - lr * wd) * w - (lr * rescale) * g
    return _finish(weight, new, [(weight32, new)], out)


def mp_sgd_mom_update(weight, grad, mom, weight32, lr, momentum=0.0, wd=0.0, rescale_grad=1.0,
                      clip_gradient=-1.0, lazy_update=True, out=None, name=None):
    """Multi-precision ``sgd_mom_update``: ``mom`` and the master copy
    ``weight32`` are float32 and updated in place; the new weight is
    ``weight32`` cast to the weight's dtype.

    Not differentiable.  ``lazy_update`` and ``name`` are accepted for
    compatibility.

    Parameters
    ----------
    weight, grad : NDArray
        Of one float dtype.
    mom, weight32 : NDArray
        float32 momentum and master copy of the weight, updated in place.
    lr, momentum, wd, rescale_grad, clip_gradient : float
        As in ``sgd_mom_update``.
    out : NDArray, optional
        Where to write the new weight (``out=weight`` updates in place).

    Returns
    -------
    NDArray
        The new weight (``out`` when given).
    """
    t = _arrays("mp_sgd_mom_update", weight, grad, [("mom", mom), ("weight32", weight32)],
                out, True)
    lr, momentum, wd, rescale, clip = _params(
        "mp_sgd_mom_update", t, lr=lr, momentum=momentum, wd=wd, rescale_grad=rescale_grad,
        clip_gradient=clip_gradient)
    w = _get(weight32, t)
    new_mom = momentum * _get(mom, t) - lr * wd * w - lr * _clip(rescale * _get(grad, t), clip)
    new = w + new_mom
    return _finish(weight, new, [(mom, new_mom), (weight32, new)], out)


def mp_nag_mom_update(weight, grad, mom, weight32, lr, momentum=0.0, wd=0.0, rescale_grad=1.0,
                      clip_gradient=-1.0, out=None, name=None):
    """Multi-precision ``nag_mom_update``: ``mom`` and the master copy
    ``weight32`` are float32 and updated in place; the new weight is
    ``weight32`` cast to the weight's dtype.

    As in ``nag_mom_update``, the weight decay in ``mom`` uses the old
    ``weight32`` (MXNet 1.9.1 uses the updated one: its kernel writes
    ``weight32`` first).  Not differentiable.  ``name`` is accepted for
    compatibility.

    Parameters
    ----------
    weight, grad : NDArray
        Of one float dtype.
    mom, weight32 : NDArray
        float32 momentum and master copy of the weight, updated in place.
    lr, momentum, wd, rescale_grad, clip_gradient : float
        As in ``sgd_mom_update``.
    out : NDArray, optional
        Where to write the new weight (``out=weight`` updates in place).

    Returns
    -------
    NDArray
        The new weight (``out`` when given).
    """
    t = _arrays("mp_nag_mom_update", weight, grad, [("mom", mom), ("weight32", weight32)],
                out, True)
    lr, momentum, wd, rescale, clip = _params(
        "mp_nag_mom_update", t, lr=lr, momentum=momentum, wd=wd, rescale_grad=rescale_grad,
        clip_gradient=clip_gradient)
    w = _get(weight32, t)
    step = lr * (_clip(rescale * _get(grad, t), clip) + wd * w)
    decayed = momentum * _get(mom, t)
    new = w - decayed + (momentum + t(1)) * (decayed - step)
    return _finish(weight, new, [(mom, decayed - step), (weight32, new)], out)


__all__ = ["adam_update", "mp_nag_mom_update", "mp_sgd_mom_update", "mp_sgd_update",
           "nag_mom_update", "rmsprop_update", "sgd_mom_update", "sgd_update",
           "signsgd_update", "signum_update"]
