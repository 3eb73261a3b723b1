"""F1: every action's key, so the whole till works from the keyboard."""

from __future__ import annotations

from ..core.i18n import _
from .qt import QDialog, QDialogButtonBox, QLabel, QVBoxLayout, QWidget


def key_map() -> list[tuple[str, str]]:
    return [("F1", _("This help")), ("F2", _("Look up a product (name, SKU, barcode, pinyin initials)")),
            ("F3", _("Member")), ("F4", _("Quantity of the selected line")), ("F5", _("Line discount")),
            ("F6", _("Discount on the whole sale")), ("F7", _("Price of the selected line")),
            ("F8", _("Suspend the sale")), ("F9", _("Resume a suspended sale")), ("F10", _("Return")),
            ("F12", _("Pay")), ("Del", _("Void the selected line")), ("3*code", _("Three of an item")),
            ("Esc", _("Back to scanning")), ("Ctrl+,", _("Settings")), ("Ctrl+D", _("Customer display")),
            ("Ctrl+Shift+R", _("Receive goods")), ("Ctrl+Shift+C", _("Stock count")),
            ("Ctrl+Shift+M", _("Back-office dashboard")), ("Ctrl+Shift+D", _("Close of day")),
            ("Ctrl+Shift+T", _("Reports")), ("Ctrl+L", _("Log out"))]


class HelpDialog(QDialog):
    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("helpDialog")
        self.setWindowTitle(_("Keys"))
        rows = "".join(f"<tr><td><b>{key}</b></td><td>{text}</td></tr>" for key, text in key_map())
        label = QLabel(f"<table cellpadding='4'>{rows}</table>")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(label)
        layout.addWidget(buttons)
