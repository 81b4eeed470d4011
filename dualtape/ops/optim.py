"""Optimizer updates: in-place, never on the tape."""

__all__ = []
