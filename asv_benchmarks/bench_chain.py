"""The elementwise chain ``sum(tanh(sin(x)*x + exp(-x*x)) * 0.5)`` in float64:
reverse gradient (W2) and forward-mode JVP (W3)."""
from dualtape import bench as W

SIZES = [16, 1000, 100000, 1000000]


class _Chain:
    params = SIZES
    param_names = ["n"]
    timeout = 120

    def setup(self, n):
        self.data = W.data_chain(n)


class ChainNumpy(_Chain):
    """numpy baselines for the chain.

    Parameters
    ----------
    n : int
        Length of the float64 input vector.
    """

    def time_primal(self, n):
        """Forward pass only: the denominator of every ratio."""
        W.f_chain(W.NP, self.data["x"])

    def time_value_and_grad(self, n):
        """Hand-written value and gradient."""
        W.np_chain_value_and_grad(self.data["x"])

    def time_value_and_jvp(self, n):
        """Hand-written value and directional derivative along ``v``."""
        W.np_chain_jvp(self.data["x"], self.data["v"])


class ChainReverse(_Chain):
    """W2: the reverse-mode gradient, through the MXNet-style facade and through
    ``dualtape.grad(mode="reverse")``.

    Parameters
    ----------
    n : int
        Length of the float64 input vector.
    """

    def setup(self, n):
        super().setup(n)
        self.facade = W.dt_chain_facade(n, self.data)
        self.grad = W.dt_chain_grad(n, self.data, mode="reverse")

    def time_facade(self, n):
        """``attach_grad``, ``record``, ``backward``."""
        self.facade()

    def time_grad_reverse(self, n):
        """``dualtape.grad(f, mode="reverse")(x)``."""
        self.grad()


class ChainForward(_Chain):
    """W3: the JVP along a random ``v`` with ``dualtape.jvp``.

    Parameters
    ----------
    n : int
        Length of the float64 input vector.
    """

    def setup(self, n):
        super().setup(n)
        self.jvp = W.dt_chain_jvp(n, self.data)

    def time_jvp(self, n):
        """``dualtape.jvp(f, (x,), (v,))``."""
        self.jvp()


class ChainForwardGrad(_Chain):
    """The full gradient by forward mode, ``dualtape.grad(f, mode="forward")``:
    one pass with ``n`` basis tangents, so ``n * n`` values; sizes above 1000
    are skipped (80 GB at n = 10**5).

    Parameters
    ----------
    n : int
        Length of the float64 input vector.
    """

    def setup(self, n):
        super().setup(n)
        self.grad = W.dt_chain_grad(n, self.data, mode="forward")   # NotImplementedError: skip

    def time_grad_forward(self, n):
        """``dualtape.grad(f, mode="forward")(x)``."""
        self.grad()
