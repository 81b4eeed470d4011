"""``dualtape.numpy.linalg``: numpy.linalg on dualtape arrays, batched over
leading axes as numpy is."""

__all__ = []
