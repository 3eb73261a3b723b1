"""An on-screen PIN pad with large touch targets; it types into a line edit like a keyboard would."""

from __future__ import annotations

from ..core.i18n import _
from .qt import QGridLayout, QLineEdit, QPushButton, QSizePolicy, QWidget

KEYS = ("7", "8", "9", "4", "5", "6", "1", "2", "3", "C", "0", "⌫")


class PinPad(QWidget):
    def __init__(self, target: QLineEdit, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.target = target
        grid = QGridLayout(self)
        for index, key in enumerate(KEYS):
            button = QPushButton(key)
            button.setObjectName(f"pinKey_{'clear' if key == 'C' else 'back' if key == '⌫' else key}")
            button.setMinimumSize(64, 56)
            button.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
            button.setFocusPolicy(button.focusPolicy().NoFocus)
            button.setToolTip(_("Clear") if key == "C" else _("Delete") if key == "⌫" else key)
            button.clicked.connect(lambda _checked=False, k=key: self.press(k))
            grid.addWidget(button, index // 3, index % 3)

    def press(self, key: str) -> None:
        if key == "C":
            self.target.clear()
        elif key == "⌫":
            self.target.backspace()
        else:
            self.target.insert(key)
        self.target.setFocus()
