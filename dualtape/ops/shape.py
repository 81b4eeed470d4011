"""Shape: tiling, repeating, flipping, padding, moving and reshaping axes."""

__all__ = []
