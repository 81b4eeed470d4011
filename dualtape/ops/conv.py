"""Neural-network layers: fully connected, convolution, pooling, embedding,
upsampling."""

__all__ = []
