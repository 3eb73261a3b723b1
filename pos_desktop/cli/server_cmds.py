"""``pos server …``: the central server and its head-office administration (CLI.md, [sync])."""

from __future__ import annotations

from typing import Any


def register(commands: Any, command: Any) -> None:
    """Add ``pos server`` and ``pos server admin …`` to the ``pos`` parser."""
