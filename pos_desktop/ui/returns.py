"""Returns: scan or type the receipt number (works offline: the sale is in the local database), choose lines
and quantities, the refund method and a reason; a manager approves when the cashier may not."""

from __future__ import annotations

from typing import Callable

from ..core.errors import PosError
from ..core.i18n import _
from ..core.labels import method_name
from ..core.money import format_money, format_qty, parse_qty
from ..core.receipt import Receipt
from ..services import returns, sales_query
from ..services.auth import Operator
from ..services.context import Context
from ..services.returns import ReturnRequest, ReturnResult
from .dialogs import ApproverDialog, dispose_when_closed, plain_buttons
from .errors import message_for
from .qt import (Qt, QKeySequence, QShortcut, QComboBox, QDialog, QHBoxLayout, QHeaderView, QLabel, QLineEdit, QPushButton, QTableWidget,
                 QTableWidgetItem, QVBoxLayout, QWidget)
from .sale_session import needs_approval

REFUND_METHODS = ("cash", "card", "qr", "voucher")


class ReturnDialog(QDialog):
    def __init__(self, parent: QWidget, ctx: Context, operator: Operator,
                 on_done: Callable[[ReturnResult], None]) -> None:
        super().__init__(parent)
        self.ctx, self.operator, self.on_done = ctx, operator, on_done
        self.receipt: Receipt | None = None
        self.setObjectName("returnDialog")
        self.setWindowTitle(_("Return"))
        self.setMinimumSize(820, 540)
        self.receipt_input = QLineEdit()
        self.receipt_input.setObjectName("returnReceiptInput")
        self.receipt_input.setPlaceholderText(_("Scan or type the receipt number, e.g. S01-T01-000123"))
        self.table = QTableWidget(0, 4)
        self.table.setObjectName("returnLines")
        self.table.setHorizontalHeaderLabels([_("Item"), _("Sold"), _("Net"), _("Return qty")])
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column in (1, 2, 3):
            self.table.horizontalHeader().setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        self.method = QComboBox()
        self.method.setObjectName("refundMethod")
        for value in REFUND_METHODS:
            self.method.addItem(method_name(value), value)
        self.reason = QLineEdit()
        self.reason.setObjectName("returnReason")
        self.reason.setPlaceholderText(_("Reason (damaged, wrong size, …)"))
        self.message = QLabel()
        self.message.setObjectName("returnMessage")
        self.message.setWordWrap(True)
        self.confirm = QPushButton(_("Refund"))
        self.confirm.setObjectName("confirmReturnButton")
        self.confirm.setMinimumHeight(48)
        self.confirm.setEnabled(False)
        refund_row = QHBoxLayout()
        refund_row.addWidget(QLabel(_("Refund by")))
        refund_row.addWidget(self.method)
        layout = QVBoxLayout(self)
        layout.addWidget(self.receipt_input)
        layout.addWidget(self.table)
        layout.addLayout(refund_row)
        layout.addWidget(self.reason)
        layout.addWidget(self.message)
        layout.addWidget(self.confirm)
        self.receipt_input.returnPressed.connect(self.load)
        self.confirm.clicked.connect(lambda: self.submit(None))
        enter = QShortcut(QKeySequence(Qt.Key.Key_Return), self.table)
        enter.setContext(Qt.ShortcutContext.WidgetShortcut)
        enter.activated.connect(lambda: self.submit(None))  # Enter in the lines (not editing one) refunds
        plain_buttons(self)
        dispose_when_closed(self)

    def take_scan(self, code: str) -> None:
        """The receipt's barcode scanned by the serial scanner: load that sale."""
        self.receipt_input.setText(code)
        self.load()

    def load(self) -> None:
        try:
            self.receipt = sales_query.receipt(self.ctx, self.receipt_input.text())
        except PosError as exc:
            self.message.setText(exc.message)
            return
        self.table.setRowCount(len(self.receipt.lines))
        for row, line in enumerate(self.receipt.lines):
            sold = format_qty(line.qty) if line.qty != line.qty.to_integral_value() else str(int(line.qty))
            for col, text in enumerate((line.name, sold, format_money(line.net, self.ctx.places))):
                item = QTableWidgetItem(text)
                item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)  # only the quantity to return is typed
                self.table.setItem(row, col, item)
            self.table.setItem(row, 3, QTableWidgetItem("0"))
        self.message.setText(_("Sale {no} of {when}: enter the quantities to take back").format(
            no=self.receipt.receipt_no, when=self.receipt.created_at[:16].replace("T", " ")))
        self.confirm.setEnabled(True)

    def requests(self) -> list[ReturnRequest]:
        wanted = []
        assert self.receipt is not None
        for row, line in enumerate(self.receipt.lines):
            qty = parse_qty((self.table.item(row, 3).text() or "0").strip())
            if qty > 0:
                wanted.append(ReturnRequest(line.line_no, qty))
        return wanted

    def submit(self, approver: Operator | None) -> None:
        if self.receipt is None:
            return
        try:
            wanted = self.requests()
            result = returns.return_items(self.ctx, self.operator, receipt_no=self.receipt.receipt_no, lines=wanted,
                                          reason=self.reason.text().strip(), approver=approver,
                                          refund_method=self.method.currentData())
        except PosError as exc:
            if needs_approval(exc):
                ApproverDialog(self, self.ctx, exc.message, self.submit).open()
            else:
                self.message.setText(message_for(exc))
            return
        self.accept()
        self.on_done(result)
