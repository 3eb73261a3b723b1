"""``pos enrol``, ``pos sync --once`` and ``pos sync status``: the till's side of the sync (CLI.md, [sync])."""

from __future__ import annotations

from typing import Any


def register(commands: Any, command: Any) -> None:
    """Add ``pos enrol`` and ``pos sync …`` to the ``pos`` parser."""
