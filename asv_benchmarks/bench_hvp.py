"""W6: Hessian-vector product of the Rosenbrock function (float64)."""
from dualtape import bench as W


class RosenbrockHVP:
    """``dualtape.hvp`` (forward over reverse) beside numpy.

    Parameters
    ----------
    n : int
        Dimension of ``x``.
    """

    params = [10000, 100000]
    param_names = ["n"]

    def setup(self, n):
        self.data = W.data_rosen(n)
        self.step = W.dt_hvp(n, self.data)

    def time_numpy_primal(self, n):
        """numpy baseline: the function value only."""
        W.f_rosen(W.NP, self.data["x"])

    def time_numpy_hvp(self, n):
        """numpy baseline: the hand-written tridiagonal Hessian times ``v``."""
        W.np_rosen_hvp(self.data["x"], self.data["v"])

    def time_hvp(self, n):
        """``dualtape.hvp(f, x, v)``."""
        self.step()
