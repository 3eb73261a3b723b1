"""Errors become one dialog: a typed ``PosError`` shows its message for people; anything else is a crash
report with "copy details", logged with its traceback."""

from __future__ import annotations

import logging
import traceback

from ..core.errors import PosError
from ..core.i18n import _
from .qt import QApplication, QMessageBox, QWidget

log = logging.getLogger(__name__)


def message_for(exc: BaseException) -> str:
    if isinstance(exc, PosError):
        return exc.message
    return _("Something went wrong: {error}").format(error=f"{type(exc).__name__}: {exc}")


def show_error(parent: QWidget | None, exc: BaseException) -> QMessageBox:
    """Tell the cashier what went wrong, without blocking the event loop (the box is modeless-open)."""
    box = QMessageBox(parent)
    box.setObjectName("errorDialog")
    box.setWindowTitle(_("Cannot do that") if isinstance(exc, PosError) else _("Unexpected error"))
    box.setText(message_for(exc))
    if isinstance(exc, PosError):
        box.setIcon(QMessageBox.Icon.Warning)
    else:
        log.error("unexpected error", exc_info=exc)
        box.setIcon(QMessageBox.Icon.Critical)
        details = "".join(traceback.format_exception(exc))
        box.setDetailedText(details)
        copy = box.addButton(_("Copy details"), QMessageBox.ButtonRole.ActionRole)
        copy.clicked.connect(lambda: QApplication.clipboard().setText(details))
    box.addButton(QMessageBox.StandardButton.Ok)
    box.open()
    return box
