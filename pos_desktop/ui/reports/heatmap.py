"""The hourly heat map as a coloured grid: weekdays down, hours across, each cell's colour from white (no
sales) to deep blue (the busiest cell), its figure written in it."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from ..qt import QAbstractItemView, QColor, QTableWidget, QTableWidgetItem

LOW, HIGH = QColor(255, 255, 255), QColor(31, 111, 178)


def shade(value: Decimal, top: Decimal) -> QColor:
    """White for 0, ``HIGH`` for ``top``, in between in proportion."""
    share = float(value / top) if top > 0 else 0.0
    share = min(max(share, 0.0), 1.0)
    mix = lambda a, b: round(a + (b - a) * share)  # noqa: E731
    return QColor(mix(LOW.red(), HIGH.red()), mix(LOW.green(), HIGH.green()), mix(LOW.blue(), HIGH.blue()))


class HeatMap(QTableWidget):
    def __init__(self, name: str) -> None:
        super().__init__()
        self.setObjectName(name)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)

    def show_cells(self, rows: Sequence[str], columns: Sequence[str], values: Sequence[Sequence[Any]],
                   texts: Sequence[Sequence[str]]) -> None:
        """``values[r][c]`` sets the colour, ``texts[r][c]`` is written in the cell."""
        self.clear()
        self.setRowCount(len(rows))
        self.setColumnCount(len(columns))
        self.setVerticalHeaderLabels(list(rows))
        self.setHorizontalHeaderLabels(list(columns))
        top = max((Decimal(v) for row in values for v in row if v is not None), default=Decimal(0))
        for r, row in enumerate(values):
            for c, value in enumerate(row):
                item = QTableWidgetItem(texts[r][c])
                colour = shade(Decimal(value or 0), top)
                item.setBackground(colour)
                item.setForeground(QColor("white") if colour.lightness() < 140 else QColor("black"))
                self.setItem(r, c, item)
        self.resizeColumnsToContents()
