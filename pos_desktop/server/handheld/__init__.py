"""The handheld web pages (``/handheld/``): stock look-up, counting, receiving and shelf labels from a phone,
served by a store's own server instance against its back-office data (docs/handheld.md)."""

from .routes import router
from .sessions import Sessions

__all__ = ["Sessions", "router"]
