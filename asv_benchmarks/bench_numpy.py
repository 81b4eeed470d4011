"""numpy code differentiated through numpy's protocols (N1-N3 of
``python -m dualtape bench``): the gradient of an einsum contraction, of a
linear solve and of a logistic log-likelihood, each beside numpy's primal and
a hand-written numpy gradient."""
import numpy as np

import dualtape as dt
from dualtape import bench as W


class _NumpyCode:
    """One workload: ``f`` (numpy-written), its data and hand gradient."""

    f = data = hand = None
    keys = ()

    def setup(self, n):
        self.d = type(self).data(n)
        self.args = [self.d[k] for k in self.keys]
        f = type(self).f
        self.grad = dt.grad(lambda a, *rest: f(np, a, *rest))

    def time_grad(self, n):
        """dt.grad of the numpy function (numpy arrays in and out)."""
        self.grad(*self.args)

    def time_numpy_primal(self, n):
        """numpy baseline: the function's value."""
        type(self).f(np, *self.args)

    def time_numpy_hand_grad(self, n):
        """numpy baseline: the gradient written by hand."""
        type(self).hand(*self.args)


class Einsum(_NumpyCode):
    """N1: grad of sum(einsum('ij,jk,k->i', A, B, x)**2) w.r.t. A."""

    params = [64, 256]
    param_names = ["n"]
    f, data, keys = staticmethod(W.f_einsum), staticmethod(W.data_einsum), ("A", "B", "x")
    hand = staticmethod(W.np_einsum_grad)


class Solve(_NumpyCode):
    """N2: grad of sum(linalg.solve(A, b)**2) w.r.t. b."""

    params = [64, 256]
    param_names = ["n"]
    f, data, keys = staticmethod(W.f_solve), staticmethod(W.data_solve), ("b", "A")
    hand = staticmethod(lambda b, A: W.np_solve_grad(A, b))


class LogLikelihood(_NumpyCode):
    """N3: grad of a logistic regression's negative log-likelihood w.r.t. w."""

    params = [1000, 100_000]
    param_names = ["n"]
    f, data, keys = staticmethod(W.f_nll), staticmethod(W.data_nll), ("w", "X", "y")
    hand = staticmethod(W.np_nll_grad)
