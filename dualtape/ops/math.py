"""Elementwise math: trigonometric, hyperbolic, exponential and special
functions, rounding, and ops with MXNet-defined gradients."""

__all__ = []
