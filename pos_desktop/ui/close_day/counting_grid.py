"""Cash counted by denomination: a spin box per note and coin of the till's currency and the running total.

The grid only counts pieces; it never knows what the drawer should hold, so a blind count stays blind.
``count()`` hands the pieces to ``denominations.parse_count`` (the service's own check of values and counts).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from ...core.i18n import _
from ...core.money import format_money
from ...services.denominations import DENOMINATIONS, MAX_PIECES, DenominationCount, parse_count
from ..qt import QGridLayout, QLabel, QSpinBox, QWidget, Signal


def piece_name(grid: str, kind: str, value: str) -> str:
    """The objectName of one spin box: ``closeDayCount_note_100``, ``closeDayCount_coin_0.5``."""
    return f"{grid}_{kind}_{value}"


class DenominationGrid(QWidget):
    changed = Signal()

    def __init__(self, name: str, currency: str, places: int) -> None:
        super().__init__()
        self.setObjectName(name)
        self.currency, self.places = currency, places
        table = DENOMINATIONS.get(currency.upper(), {"note": (), "coin": ()})
        self.spins: dict[tuple[str, str], QSpinBox] = {}
        layout = QGridLayout(self)
        layout.addWidget(QLabel(_("Notes")), 0, 0)
        layout.addWidget(QLabel(_("Coins")), 0, 2)
        for column, kind in ((0, "note"), (2, "coin")):
            for row, value in enumerate(table.get(kind, ()), start=1):
                spin = QSpinBox()
                spin.setObjectName(piece_name(name, kind, value))
                spin.setRange(0, MAX_PIECES)
                spin.setAccelerated(True)
                spin.valueChanged.connect(self._changed)
                layout.addWidget(QLabel(format_money(Decimal(value), places)), row, column)
                layout.addWidget(spin, row, column + 1)
                self.spins[(kind, value)] = spin
        self.total_label = QLabel("")
        self.total_label.setObjectName(name + "Total")
        layout.addWidget(self.total_label, len(table.get("note", ())) + 1, 0, 1, 4)
        self._changed()

    def pieces(self) -> dict[str, dict[str, int]]:
        """``{"notes": {"100": 3}, "coins": {"0.5": 4}}``: what was counted, zeros left out."""
        doc: dict[str, dict[str, int]] = {}
        for (kind, value), spin in self.spins.items():
            if spin.value():
                doc.setdefault(kind + "s", {})[value] = spin.value()
        return doc

    def count(self) -> DenominationCount | None:
        """The count for a service call; None when nothing was counted (an empty drawer)."""
        doc: Any = self.pieces()
        return parse_count(doc, self.currency, self.places) if doc else None

    def total(self) -> Decimal:
        count = self.count()
        return count.total if count is not None else Decimal(0).scaleb(-self.places)

    def clear(self) -> None:
        for spin in self.spins.values():
            spin.setValue(0)

    def _changed(self, _value: int = 0) -> None:
        self.total_label.setText(_("Counted: {total}").format(total=format_money(self.total(), self.places)))
        self.changed.emit()
