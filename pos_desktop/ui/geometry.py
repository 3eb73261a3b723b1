"""The till window's size, place and maximised state, kept between starts in ``<data folder>/window.ini``
(Qt's own ``saveGeometry`` blob through ``QSettings``: it knows screens that went away and keeps the window on one
that is still there)."""

from __future__ import annotations

from pathlib import Path

from .qt import QSettings, QWidget

FILE_NAME = "window.ini"
KEY = "main/geometry"


def _settings(data_dir: Path) -> QSettings:
    return QSettings(str(Path(data_dir) / FILE_NAME), QSettings.Format.IniFormat)


def restore(window: QWidget, data_dir: Path) -> bool:
    """Put ``window`` where it was when the till last closed; False (and left as it is) the first time or when
    the file is unreadable."""
    saved = _settings(data_dir).value(KEY)
    return bool(saved) and window.restoreGeometry(saved)


def save(window: QWidget, data_dir: Path) -> None:
    settings = _settings(data_dir)
    settings.setValue(KEY, window.saveGeometry())
    settings.sync()
