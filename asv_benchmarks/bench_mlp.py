"""W4: gradient of a 3-layer tanh MLP's mean-square loss (float32)."""
from dualtape import bench as W


class MLP:
    """Batch 64, width 256, float32; the gradient w.r.t. all six parameters.

    Parameters
    ----------
    size : str
        ``"<batch>x<width>"``.
    """

    params = ["64x256"]
    param_names = ["size"]

    def setup(self, size):
        batch, width = map(int, size.split("x"))
        self.data = W.data_mlp(batch=batch, width=width)
        self.step = W.dt_mlp(size, self.data)

    def time_numpy_forward(self, size):
        """numpy baseline: the loss only."""
        d = self.data
        W.f_mlp(W.NP, d["params"], d["X"], d["Y"])

    def time_numpy_value_and_grad(self, size):
        """numpy baseline: loss and hand-written backpropagation."""
        d = self.data
        W.np_mlp_value_and_grad(d["params"], d["X"], d["Y"])

    def time_facade(self, size):
        """dualtape: recorded forward pass and ``loss.backward()``."""
        self.step()
