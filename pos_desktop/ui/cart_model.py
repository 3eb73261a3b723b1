"""The cart as a table: name, quantity, price, discount, net — refreshed from the priced cart."""

from __future__ import annotations

from typing import Any

from ..core.cart import CartLine, PricedLines
from ..core.i18n import _
from ..core.money import format_money, format_qty
from .qt import QAbstractTableModel, QModelIndex, Qt

def columns() -> tuple[str, ...]:
    return ("#", _("Item"), _("Qty"), _("Price"), _("Discount"), _("Net"))


def plain_qty(line: CartLine) -> str:
    text = format_qty(line.qty)
    return text if line.product.is_weighed else text.split(".")[0]


class CartModel(QAbstractTableModel):
    def __init__(self, places: int = 2) -> None:
        super().__init__()
        self.places = places
        self.rows: list[tuple[str, ...]] = []

    def refresh(self, lines: list[CartLine], priced: PricedLines) -> None:
        m = lambda amount: format_money(amount, self.places)  # noqa: E731
        self.beginResetModel()
        self.rows = [(str(line.line_no), line.product.name, plain_qty(line), m(line.unit_price),
                      m(p.discount) if p.discount else "", m(p.net))
                     for line, p in zip(lines, priced.cart.lines)]
        self.endResetModel()

    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 6

    def data(self, index: QModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return self.rows[index.row()][index.column()]
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() >= 2:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return columns()[section]
        return None
