"""Logging under one ``pos`` root: a rotating, owner-only file in the data folder. Never log a PIN."""

from __future__ import annotations

import logging
import logging.handlers
import os
from pathlib import Path

from . import paths

FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


def setup(data_dir: Path | None, level: int = logging.INFO) -> None:
    """``POS_LOG_LEVEL`` (debug, info, warning, error) overrides ``level``, for support and the tests."""
    level = getattr(logging, os.environ.get("POS_LOG_LEVEL", "").upper(), None) or level
    root = logging.getLogger("pos_desktop")
    root.setLevel(level)
    if data_dir is None or not data_dir.exists() or any(
            isinstance(h, logging.handlers.RotatingFileHandler) for h in root.handlers):
        return
    folder = paths.make_private_dir(paths.logs_dir(data_dir))
    log_file = folder / "pos.log"
    handler = logging.handlers.RotatingFileHandler(log_file, maxBytes=2_000_000, backupCount=5, encoding="utf-8")
    handler.setFormatter(logging.Formatter(FORMAT))
    root.addHandler(handler)
    if os.name == "posix":
        log_file.chmod(0o600)
