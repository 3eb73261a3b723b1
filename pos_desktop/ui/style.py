"""The look: a clean, high-contrast style sheet from resources/, large touch targets."""

from __future__ import annotations

from pathlib import Path

from .qt import QApplication

STYLE = Path(__file__).resolve().parents[2] / "resources" / "style.qss"


def apply_style(app: QApplication) -> None:
    if STYLE.exists():
        app.setStyleSheet(STYLE.read_text(encoding="utf-8"))
