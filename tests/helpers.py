"""Assertions shared by the test modules."""
import numpy as np

from dualtape import autograd
from dualtape._engine import NDArray

FLOATS = [np.float32, np.float64]
DT_IDS = ["f32", "f64"]


def check(a, expected, dtype=None, rtol=1e-6, atol=1e-6):
    """``a`` is an NDArray with ``expected``'s shape and values (and ``dtype``)."""
    assert isinstance(a, NDArray), type(a)
    expected = np.asarray(expected)
    got = a.detach().asnumpy()
    assert got.shape == expected.shape, (got.shape, expected.shape)
    if dtype is not None:
        assert a.dtype is dtype, (a.dtype, dtype)
        assert got.dtype == np.dtype(dtype)
    np.testing.assert_allclose(got, expected, rtol=rtol, atol=atol)


class Square(autograd.Function):
    """A custom Function: x -> x * x, with a hand-written backward."""

    def forward(self, x):
        self.save_for_backward(x)
        return x * x

    def backward(self, dy):
        x, = self.saved_tensors
        return 2 * x * dy
