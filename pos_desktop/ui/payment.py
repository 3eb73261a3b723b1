"""The payment dialog: cash with quick-cash buttons and the change shown large, card, QR (the customer's code is
scanned; without a connection it is recorded as pending), points, vouchers, and any split of them.

Enter in the amount field adds the payment and, once the payments cover what is due, completes the sale.
"""

from __future__ import annotations

from decimal import Decimal

from ..core.errors import InvalidInput
from ..core.i18n import _
from ..core.labels import method_name
from ..core.money import ZERO, format_money, parse_money
from ..core.pricing import CashRounding, cash_rounding
from ..services.checkout import Tender
from .dialogs import plain_buttons
from .qt import (QButtonGroup, QDialog, QGridLayout, QHBoxLayout, QLabel, QLineEdit, QListWidget, QPushButton, Qt,
                 QVBoxLayout, QWidget, Signal)

METHODS = ("cash", "card", "qr", "points", "voucher")
NOTES = (10, 20, 50, 100)


class PaymentDialog(QDialog):
    complete_requested = Signal(list)   # [Tender]

    def __init__(self, parent: QWidget, total: Decimal, places: int, rounding: CashRounding,
                 online: bool = False) -> None:
        super().__init__(parent)
        self.setObjectName("paymentDialog")
        self.setWindowTitle(_("Payment"))
        self.setMinimumWidth(560)
        self.total, self.places, self.rounding, self.online = total, places, rounding, online
        self.tenders: list[Tender] = []
        self.method = "cash"
        self.busy = False
        self.due_label = QLabel()
        self.due_label.setObjectName("dueLabel")
        self.tender_input = QLineEdit()
        self.tender_input.setObjectName("tenderInput")
        self.tender_input.setPlaceholderText(_("Amount (Enter: exact)"))
        self.reference = QLineEdit()
        self.reference.setObjectName("referenceInput")
        self.reference.setPlaceholderText(_("Card slip no. or the customer's payment code (scan it)"))
        self.list = QListWidget()
        self.list.setObjectName("tendersList")
        self.change_label = QLabel()
        self.change_label.setObjectName("changeLabel")
        self.message = QLabel()
        self.message.setObjectName("paymentMessage")
        self.message.setWordWrap(True)
        self.complete_button = QPushButton(_("Complete sale (Enter)"))
        self.complete_button.setObjectName("completeSaleButton")
        self.complete_button.setMinimumHeight(56)
        self._layout()
        self.tender_input.returnPressed.connect(self.on_enter)
        self.reference.returnPressed.connect(self.on_enter)
        self.tender_input.textChanged.connect(self.refresh)
        self.complete_button.clicked.connect(self.on_enter)
        plain_buttons(self)
        self.refresh()
        self.tender_input.setFocus()

    def _layout(self) -> None:
        methods = QHBoxLayout()
        self.group = QButtonGroup(self)
        for name in METHODS:
            button = QPushButton(method_name(name))
            button.setObjectName(f"method_{name}")
            button.setCheckable(True)
            button.setChecked(name == "cash")
            button.setMinimumHeight(48)
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            button.clicked.connect(lambda _c=False, n=name: self.choose(n))
            self.group.addButton(button)
            methods.addWidget(button)
        quick = QGridLayout()
        exact = QPushButton(_("Exact"))
        exact.setObjectName("quickCash_exact")
        exact.clicked.connect(lambda: self.quick(self.remaining()))
        quick.addWidget(exact, 0, 0)
        for index, note in enumerate(NOTES, start=1):
            button = QPushButton(f"¥{note}")
            button.setObjectName(f"quickCash_{note}")
            button.clicked.connect(lambda _c=False, n=note: self.quick(Decimal(n)))
            quick.addWidget(button, index // 3, index % 3)
        for button in self.findChildren(QPushButton):
            button.setMinimumHeight(max(button.minimumHeight(), 44))
        layout = QVBoxLayout(self)
        layout.addWidget(self.due_label)
        layout.addLayout(methods)
        layout.addWidget(self.tender_input)
        layout.addWidget(self.reference)
        layout.addLayout(quick)
        layout.addWidget(self.list)
        layout.addWidget(self.change_label)
        layout.addWidget(self.message)
        layout.addWidget(self.complete_button)

    # -- amounts ------------------------------------------------------------------------------------------------

    def money(self, amount: Decimal) -> str:
        return format_money(amount, self.places)

    def due(self) -> Decimal:
        """What must be paid: the total, cash-rounded when cash is among the payments (as the service does)."""
        with_cash = any(t.method == "cash" for t in self.tenders) or self.method == "cash"
        return self.total + (cash_rounding(self.total, self.rounding, self.places) if with_cash else ZERO)

    def paid(self) -> Decimal:
        return sum((t.amount for t in self.tenders), ZERO)

    def remaining(self) -> Decimal:
        return max(self.due() - self.paid(), ZERO)

    def typed(self) -> Decimal | None:
        text = self.tender_input.text().strip().lstrip("¥￥")
        return parse_money(text, self.places) if text else None

    def refresh(self) -> None:
        self.due_label.setText(_("Due {amount}").format(amount=self.money(self.due())))
        try:
            pending = self.typed() or ZERO
        except InvalidInput:
            pending = ZERO
        change = self.paid() + pending - self.due()
        self.change_label.setText(_("Change {amount}").format(amount=self.money(max(change, ZERO))))

    # -- actions ------------------------------------------------------------------------------------------------

    def choose(self, method: str) -> None:
        self.method = method
        self.refresh()
        (self.reference if method in ("qr", "card", "voucher") else self.tender_input).setFocus()

    def quick(self, amount: Decimal) -> None:
        self.tender_input.setText(self.money(amount))
        self.on_enter()

    def add_tender(self) -> bool:
        """Add what is typed (or exactly what remains) in the chosen method; False when nothing was added."""
        try:
            amount = self.typed()
        except InvalidInput as exc:
            self.message.setText(exc.message)
            return False
        if amount is None:
            amount = self.remaining()
        if amount <= 0:
            return False
        reference = self.reference.text().strip() or None
        pending = self.method == "qr" and not self.online
        self.tenders.append(Tender(self.method, amount, reference, pending))
        note = _(" (pending: offline)") if pending else ""
        self.list.addItem(f"{method_name(self.method)}  {self.money(amount)}{note}")
        self.tender_input.clear()
        self.reference.clear()
        self.message.clear()
        self.refresh()
        return True

    def on_enter(self) -> None:
        if self.busy:
            return
        self.add_tender()
        if self.tenders and self.paid() >= self.due():
            self.busy = True
            self.complete_button.setEnabled(False)
            self.complete_requested.emit(list(self.tenders))
        elif self.tenders:
            self.message.setText(_("{amount} still to pay").format(amount=self.money(self.remaining())))

    def take_scan(self, code: str) -> None:
        """A scan while paying is the customer's payment code (QR pay) or a voucher: it is the reference."""
        self.reference.setText(code)
        self.reference.setFocus()

    def failed(self, message: str) -> None:
        """The service refused (underpaid, points, …): say so, keep the dialog, let the cashier fix it."""
        self.busy = False
        self.complete_button.setEnabled(True)
        self.tenders.clear()
        self.list.clear()
        self.message.setText(message)
        self.refresh()

    def completed(self, change: Decimal) -> None:
        self.busy = False
        self.change_label.setText(_("Change {amount}").format(amount=self.money(change)))
        self.accept()
