"""Sorting: sort, argsort, topk, cumulative sums."""

__all__ = []
