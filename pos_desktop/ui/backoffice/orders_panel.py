"""Purchase orders (issue 6 point 3): the list by state, an order's lines with what was received, and its
moves — send a draft, cancel a draft or sent order, close a partly received one (with a reason)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ...core.i18n import _
from ...services import purchasing
from ..dialogs import AskDialog
from ..qt import QComboBox, QHBoxLayout, QLabel, QVBoxLayout
from .panel_base import Panel
from .screen_base import WorkMixin, button, selected_rows, show_qty, table


class OrdersPanel(Panel):
    def __init__(self, host: WorkMixin) -> None:
        super().__init__(host, "ordersPanel")
        self.orders: list[dict[str, Any]] = []
        self.status = QComboBox()
        self.status.setObjectName("ordersStatus")
        self.status.addItem(_("All states"), None)
        for state in purchasing.STATUSES:
            self.status.addItem(purchasing.status_name(state), state)
        self.view, self.model = table("ordersTable", [_("Order"), _("Supplier"), _("State"), _("Created"),
                                                      _("Expected"), _("Total")], stretch=0)
        self.lines_view, self.lines_model = table("orderLines", [
            "#", _("SKU"), _("Product"), _("Qty"), _("Received"), _("Outstanding"), _("Price"), _("Amount")], stretch=2)
        self.detail = QLabel("")
        self.detail.setObjectName("orderDetail")
        self.buttons = {name: button(text, f"order{name.title()}Button") for name, text in (
            ("send", _("Send")), ("cancel", _("Cancel order")), ("close", _("Close short")),
            ("refresh", _("Refresh")))}
        top = QHBoxLayout()
        top.addWidget(QLabel(_("State")))
        top.addWidget(self.status)
        top.addStretch(1)
        for name in ("send", "cancel", "close", "refresh"):
            top.addWidget(self.buttons[name])
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.detail)
        layout.addWidget(self.lines_view, 1)
        self.status.activated.connect(lambda _i: self.refresh())
        self.view.selectionModel().selectionChanged.connect(lambda *_a: self.show_order())
        self.buttons["refresh"].clicked.connect(self.refresh)
        self.buttons["send"].clicked.connect(lambda: self.move(lambda po, who: purchasing.send_po(
            self.ctx, self.operator, po, who)))
        self.buttons["cancel"].clicked.connect(lambda: self.move_with_reason(
            _("Why is the order cancelled?"), lambda po, who, why: purchasing.cancel_po(
                self.ctx, self.operator, po, why, who)))
        self.buttons["close"].clicked.connect(lambda: self.move_with_reason(
            _("Why will the rest not come?"), lambda po, who, why: purchasing.close_po(
                self.ctx, self.operator, po, why, who)))
        self._enable(None)

    def refresh(self, select: str | None = None) -> None:
        super().refresh()
        state = self.status.currentData()
        self.work(lambda: purchasing.list_pos(self.ctx, status=state), lambda found: self._listed(found, select))

    def _listed(self, orders: list[dict[str, Any]], select: str | None) -> None:
        keep = select or (self.current() or {}).get("po")
        self.orders = orders
        self.model.set_rows([(o["po"], o["supplier"], purchasing.status_name(o["status"]), o["created_at"][:16],
                              o["expected_date"] or "", o["total"]) for o in orders])
        row = next((n for n, o in enumerate(orders) if o["po"] == keep), None)
        if row is not None:
            self.view.selectRow(row)
        else:
            self.lines_model.set_rows([])
            self.detail.setText("")
            self._enable(None)

    def current(self) -> dict[str, Any] | None:
        rows = selected_rows(self.view)
        return self.orders[rows[0]] if rows and rows[0] < len(self.orders) else None

    def show_order(self) -> None:
        order = self.current()
        self._enable(order)
        if order is not None:
            po = order["po"]
            self.work(lambda: purchasing.po_details(self.ctx, po), self._details)

    def _details(self, doc: dict[str, Any]) -> None:
        self.detail.setText(_("{po} · {supplier} {name} · {status} · to {location} · receipts: {receipts}").format(
            po=doc["po"], supplier=doc["supplier"], name=doc["supplier_name"],
            status=purchasing.status_name(doc["status"]), location=doc["location"],
            receipts=", ".join(doc["receipts"]) or "-"))
        self.lines_model.set_rows([(ln["line_no"], ln["sku"], ln["name"], show_qty(ln["qty"]),
                                    show_qty(ln["received_qty"]), show_qty(ln["outstanding_qty"]), ln["price"],
                                    ln["amount"]) for ln in doc["lines"]])

    def _enable(self, order: dict[str, Any] | None) -> None:
        status = order["status"] if order else None
        self.buttons["send"].setEnabled(status == purchasing.DRAFT)
        self.buttons["cancel"].setEnabled(status in (purchasing.DRAFT, purchasing.SENT))
        self.buttons["close"].setEnabled(status == purchasing.PARTLY)

    def move(self, action: Callable[[str, Any], dict[str, Any]]) -> None:
        order = self.current()
        if order is not None:
            po = order["po"]
            self.attempt(lambda who: action(po, who), self._moved)

    def move_with_reason(self, question: str, action: Callable[[str, Any, str], dict[str, Any]]) -> None:
        order = self.current()
        if order is not None:
            po = order["po"]
            AskDialog(self.host, _("Reason"), question,  # type: ignore[arg-type]
                      lambda why: self.attempt(lambda who: action(po, who, why), self._moved)).open()

    def _moved(self, doc: dict[str, Any]) -> None:
        self.say(_("{po} is now {status}").format(po=doc["po"], status=purchasing.status_name(doc["status"])))
        self.refresh(select=doc["po"])
