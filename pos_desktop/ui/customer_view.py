"""The customer's screen (a second monitor): what was scanned, the total, the change, then thank you."""

from __future__ import annotations

from decimal import Decimal

from ..core.i18n import _
from ..core.money import format_money
from ..core.receipt import Receipt
from .qt import QLabel, QListWidget, QVBoxLayout, QWidget
from .sale_session import SaleSession


class CustomerView(QWidget):
    def __init__(self, places: int) -> None:
        super().__init__()
        self.places = places
        self.session: SaleSession | None = None
        self.setObjectName("customerView")
        self.setWindowTitle(_("Welcome"))
        self.items = QListWidget()
        self.items.setObjectName("customerItems")
        self.total = QLabel("")
        self.total.setObjectName("customerTotal")
        self.note = QLabel(_("Welcome · 欢迎光临"))
        self.note.setObjectName("customerNote")
        layout = QVBoxLayout(self)
        layout.addWidget(self.note)
        layout.addWidget(self.items, 1)
        layout.addWidget(self.total)

    def follow(self, session: SaleSession) -> None:
        self.session = session
        session.changed.connect(self.refresh)
        self.refresh()

    def money(self, amount: Decimal) -> str:
        return format_money(amount, self.places)

    def refresh(self) -> None:
        if self.session is None:
            return
        priced = self.session.priced()
        self.items.clear()
        for line, p in zip(self.session.lines, priced.cart.lines):
            self.items.addItem(f"{line.product.name}   × {line.qty.normalize():f}   {self.money(p.net)}")
        if self.session.lines:
            self.note.setText(_("Welcome · 欢迎光临"))
            self.total.setText(_("Total {amount}").format(amount=self.money(priced.cart.total)))

    def show_total(self, total: Decimal) -> None:
        self.total.setText(_("Please pay {amount}").format(amount=self.money(total)))

    def show_change(self, receipt: Receipt) -> None:
        self.items.clear()
        self.total.setText(_("Change {amount}").format(amount=self.money(receipt.change)))
        self.note.setText(_("Thank you · 谢谢惠顾"))
