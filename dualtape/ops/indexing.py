"""Indexing: pick, take, one_hot, gather_nd, scatter_nd, slicing and sequences."""

__all__ = []
