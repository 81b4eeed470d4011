"""W5: the full Jacobian of ``tanh(A @ x)``, ``A`` of shape (m, n), float64."""
from dualtape import bench as W

SHAPES = ["4x1000", "1000x4", "100x100"]   # "n x m": n inputs, m outputs


def _shape(s):
    return tuple(int(k) for k in s.split("x"))


class JacobianNumpy:
    """numpy baselines.

    Parameters
    ----------
    shape : str
        ``"<n>x<m>"``: input and output sizes.
    """

    params = SHAPES
    param_names = ["shape"]

    def setup(self, shape):
        self.data = W.data_jac(_shape(shape))

    def time_primal(self, shape):
        """Forward pass only."""
        W.f_jac(W.NP, self.data["A"], self.data["x"])

    def time_jacobian(self, shape):
        """Hand-written Jacobian ``(1 - t**2)[:, None] * A``."""
        W.np_jac(self.data["A"], self.data["x"])


class Jacobian:
    """``dualtape.jacobian(f, mode=mode)``: forward pushes ``n`` basis tangents,
    reverse pulls ``m`` basis cotangents, auto picks by size.

    Parameters
    ----------
    shape : str
        ``"<n>x<m>"``: input and output sizes.
    mode : {'forward', 'reverse', 'auto'}
    """

    params = [SHAPES, ["forward", "reverse", "auto"]]
    param_names = ["shape", "mode"]

    def setup(self, shape, mode):
        self.step = W.dt_jacobian(None, W.data_jac(_shape(shape)), mode)

    def time_jacobian(self, shape, mode):
        """One call of the jacobian function."""
        self.step()
