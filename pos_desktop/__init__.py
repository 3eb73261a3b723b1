"""Offline-first POS terminal."""

__version__ = "0.1.0"
