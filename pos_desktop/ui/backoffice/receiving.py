"""Receiving goods (issue 6 point 2): choose the supplier and, optionally, the purchase order (its open lines
shown with ordered and received), scan what came — a keyboard-wedge scanner types into ``receiveScanInput``,
a serial/USB scanner's code arrives through ``take_scan``; ``5*code`` is five; a GS1-128 label fills the lot
and the expiry — then set per line the quantity, lot, expiry, rejected quantity with its reason and the unit
cost. Each line says early what is wrong (over or under the order, not ordered, expired, lot missing).
Receive commits through ``receiving.receive_goods`` off the GUI thread, then the goods-received note opens.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

from ...core.errors import PosError
from ...core.i18n import _
from ...devices import DeviceManager
from ...services import purchasing, suppliers, transfers
from ...services.auth import Operator
from ...services.context import Context
from ...services.receiving import ReceiptInput
from ..operations import Runner
from ..qt import (
    QComboBox,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    Qt,
    QVBoxLayout,
    QWidget,
    Signal,
)
from .goods_note import GoodsNoteDialog, Received, commit_delivery
from .receiving_lines import DraftLine, OrderLine, check_lines, identify_scan
from .screen_base import BackOfficeScreen, button, selected_rows, show_qty, split_scan, table

RECEIVABLE = ("sent", "partly_received")
NOT_FOR_GOODS = ("transit", "quarantine")


class ReceivingScreen(BackOfficeScreen):
    delivered = Signal(object)   # the service's answer, once a delivery is committed

    def __init__(self, parent: QWidget, ctx: Context, operator: Operator, runner: Runner,
                 devices: DeviceManager) -> None:
        super().__init__(parent, ctx, operator, runner, name="receivingScreen", title=_("Receiving goods"),
                         message_name="receiveMessage")
        self.devices = devices
        self.lines: list[DraftLine] = []
        self.order: list[OrderLine] | None = None
        self.order_no: str | None = None
        self._build()
        self._wire()
        self.load_choices()
        self.finish_setup()

    # -- layout --------------------------------------------------------------------------------------------------

    def _build(self) -> None:
        self.supplier = QComboBox()
        self.supplier.setObjectName("receiveSupplier")
        self.po = QComboBox()
        self.po.setObjectName("receivePo")
        self.location = QComboBox()
        self.location.setObjectName("receiveLocation")
        self.order_view, self.order_model = table("receivePoLines", [
            _("SKU"), _("Product"), _("Ordered"), _("Received"), _("Outstanding"), _("Price")])
        self.order_view.setMaximumHeight(160)
        self.scan_input = QLineEdit()
        self.scan_input.setObjectName("receiveScanInput")
        self.scan_input.setPlaceholderText(_("Scan or type a barcode, GS1-128 label or SKU (5*code for five)"))
        self.scan_input.setAttribute(Qt.WidgetAttribute.WA_InputMethodEnabled, False)
        self.last = QLabel(_("Ready to scan"))
        self.last.setObjectName("receiveLastLabel")
        self.view, self.model = table("receiveLines", [
            "#", _("SKU"), _("Product"), _("Qty"), _("Units"), _("Lot"), _("Expiry"), _("Rejected"), _("Reason"),
            _("Unit cost"), _("Check")], stretch=2)
        self.fields = {name: QLineEdit() for name in ("qty", "lot", "expiry", "rejected", "reason", "cost")}
        names = {"qty": _("Qty"), "lot": _("Lot"), "expiry": _("Expiry (YYYY-MM-DD)"), "rejected": _("Rejected"),
                 "reason": _("Reason"), "cost": _("Unit cost")}
        editor = QGridLayout()
        for column, (key, field) in enumerate(self.fields.items()):
            field.setObjectName("receive" + key.title())
            editor.addWidget(QLabel(names[key]), 0, column)
            editor.addWidget(field, 1, column)
        self.remove_button = button(_("Remove line"), "receiveRemoveLine")
        editor.addWidget(self.remove_button, 1, len(self.fields))
        self.summary = QLabel("")
        self.summary.setObjectName("receiveSummary")
        self.summary.setWordWrap(True)
        self.receive_button = button(_("Receive"), "receiveButton")
        self.receive_button.setMinimumHeight(52)
        close = button(_("Close"), "closeButton")
        close.clicked.connect(self.reject)
        head = QFormLayout()
        head.addRow(_("Supplier"), self.supplier)
        head.addRow(_("Purchase order"), self.po)
        head.addRow(_("Location"), self.location)
        bottom = QHBoxLayout()
        bottom.addWidget(self.summary, 1)
        bottom.addWidget(self.receive_button)
        bottom.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addLayout(head)
        layout.addWidget(self.order_view)
        layout.addWidget(self.last)
        layout.addWidget(self.scan_input)
        layout.addWidget(self.view, 1)
        layout.addLayout(editor)
        layout.addWidget(self.message)
        layout.addLayout(bottom)

    def _wire(self) -> None:
        self.scan_input.returnPressed.connect(self.on_scan_entered)
        self.supplier.activated.connect(lambda _i: self.supplier_chosen())
        self.po.activated.connect(lambda _i: self.po_chosen())
        self.view.selectionModel().selectionChanged.connect(lambda *_a: self.show_line())
        setters: dict[str, Callable[[DraftLine, str], None]] = {
            "qty": lambda ln, v: setattr(ln, "qty", v), "lot": lambda ln, v: setattr(ln, "lot", v),
            "expiry": lambda ln, v: setattr(ln, "expiry", v), "rejected": lambda ln, v: setattr(ln, "rejected", v),
            "reason": lambda ln, v: setattr(ln, "reason", v), "cost": lambda ln, v: setattr(ln, "unit_cost", v)}
        for key, field in self.fields.items():
            field.textEdited.connect(lambda text, set_=setters[key]: self.edit_line(set_, text))
            field.returnPressed.connect(self.scan_input.setFocus)   # Enter: back to scanning
        self.remove_button.clicked.connect(self.remove_line)
        self.receive_button.clicked.connect(self.receive)

    # -- choices ---------------------------------------------------------------------------------------------------

    def load_choices(self) -> None:
        def read():  # type: ignore[no-untyped-def]
            orders = [po for po in purchasing.list_pos(self.ctx) if po["status"] in RECEIVABLE]
            places = [loc for loc in transfers.list_locations(self.ctx) if loc["kind"] not in NOT_FOR_GOODS]
            return suppliers.list_suppliers(self.ctx), orders, places
        self.work(read, self._choices)

    def _choices(self, found) -> None:  # type: ignore[no-untyped-def]
        supplier_list, self.orders, places = found
        self.supplier.clear()
        self.supplier.addItem(_("(no supplier)"), None)
        for s in supplier_list:
            self.supplier.addItem(f"{s['code']} {s['name']}", s["code"])
        self.location.clear()
        for loc in places:
            self.location.addItem(f"{loc['code']} {loc['name']}", loc["code"])
        self.location.setCurrentIndex(max(self.location.findData("BACK"), 0))
        self._fill_orders()
        self.scan_input.setFocus()

    def _fill_orders(self) -> None:
        supplier = self.supplier.currentData()
        self.po.clear()
        self.po.addItem(_("(no purchase order)"), None)
        for po in self.orders:
            if supplier is None or po["supplier"] == supplier:
                self.po.addItem(f"{po['po']} · {po['supplier']} · {purchasing.status_name(po['status'])}", po["po"])

    def supplier_chosen(self) -> None:
        keep = self.po.currentData()
        self._fill_orders()
        self.po.setCurrentIndex(max(self.po.findData(keep), 0))
        if self.po.currentData() is None:
            self._show_order(None)

    def po_chosen(self) -> None:
        po_no = self.po.currentData()
        if po_no is None:
            self._show_order(None)
            return
        self.work(lambda: purchasing.po_details(self.ctx, po_no), self._show_order)

    def _show_order(self, details: dict | None) -> None:  # type: ignore[type-arg]
        if details is None:
            self.order, self.order_no = None, None
            self.order_model.set_rows([])
        else:
            self.order_no = details["po"]
            self.order = [OrderLine.from_details(line) for line in details["lines"]]
            self.order_model.set_rows([(o.sku, o.name, show_qty(o.ordered), show_qty(o.received),
                                        show_qty(o.outstanding), o.price) for o in self.order])
            self.supplier.setCurrentIndex(max(self.supplier.findData(details["supplier"]), 0))
            self.location.setCurrentIndex(max(self.location.findData(details["location"]), 0))
            self._fill_orders()
            self.po.setCurrentIndex(max(self.po.findData(details["po"]), 0))
        self.refresh()
        self.scan_input.setFocus()

    # -- scanning ----------------------------------------------------------------------------------------------------

    def take_scan(self, code: str) -> None:
        """A serial/USB scanner's code (the main window hands it to the open dialog)."""
        self.scan(code)

    def on_scan_entered(self) -> None:
        text = self.scan_input.text().strip()
        self.scan_input.clear()
        if text:
            self.scan(text)

    def scan(self, text: str) -> None:
        """Add what the scan names to the delivery: another scan of the same goods adds to its line."""
        try:
            qty, code = split_scan(text)
            item, key = identify_scan(self.ctx, code)
        except PosError as exc:
            self.say(exc.message, error=True)
            return
        qty = qty or Decimal(1)
        line = next((ln for ln in self.lines if ln.same_goods(item)), None)
        try:
            if line is None:
                line = DraftLine.scanned(item, key, code, qty)
                self.lines.append(line)
            else:
                line.add(qty)
        except PosError as exc:
            self.say(exc.message, error=True)
            return
        self.last.setText(_("{name}: {qty}").format(name=item.name, qty=line.qty))
        self.say("")
        self.refresh(select=self.lines.index(line))

    # -- lines -------------------------------------------------------------------------------------------------------

    def current(self) -> DraftLine | None:
        rows = selected_rows(self.view)
        return self.lines[rows[0]] if rows and rows[0] < len(self.lines) else None

    def show_line(self) -> None:
        line = self.current()
        values = {"qty": "", "lot": "", "expiry": "", "rejected": "", "reason": "", "cost": ""} if line is None else {
            "qty": line.qty, "lot": line.lot, "expiry": line.expiry, "rejected": line.rejected,
            "reason": line.reason, "cost": line.unit_cost}
        for key, field in self.fields.items():
            field.setText(values[key])
            field.setEnabled(line is not None)
        if line is not None:   # a lot or expiry read from the GS1 label is what the goods carry
            self.fields["lot"].setReadOnly(line.lot_from_barcode)
            self.fields["expiry"].setReadOnly(line.expiry_from_barcode)
            price = next((o.price for o in self.order or () if o.sku == line.item.sku), None)
            self.fields["cost"].setPlaceholderText(price or _("cost price"))

    def edit_line(self, setter: Callable[[DraftLine, str], None], text: str) -> None:
        line = self.current()
        if line is not None:
            setter(line, text.strip())
            self.refresh(select=self.lines.index(line), keep_fields=True)

    def remove_line(self) -> None:
        line = self.current()
        if line is not None:
            self.lines.remove(line)
            self.refresh()
        self.scan_input.setFocus()

    def refresh(self, select: int | None = None, keep_fields: bool = False) -> None:
        """Check every line again and show them (keep_fields: the clerk is typing in a line's field)."""
        notes = check_lines(self.lines, self.order, self.ctx.clock.now().date(), self.ctx.places)
        rows = []
        for n, line in enumerate(self.lines, start=1):
            try:
                units = show_qty(line.units(Decimal(line.qty)))
            except ArithmeticError:
                units = ""
            rows.append((n, line.item.sku, line.item.name, line.qty, units, line.lot, line.expiry, line.rejected,
                         line.reason, line.unit_cost, "; ".join(line.checks) or _("OK")))
        if keep_fields:
            for row, cells in enumerate(rows):
                self.model.set_row(row, cells)
        else:
            self.model.set_rows(rows)
            if select is not None:
                self.view.selectRow(select)
            self.show_line()
        units = sum((ln.units(Decimal(ln.qty)) for ln in self.lines if _number(ln.qty)), Decimal(0))
        self.summary.setText("\n".join([_("{n} lines, {units} units").format(n=len(self.lines), units=show_qty(units))]
                                       + notes))
        self.receive_button.setEnabled(bool(self.lines))

    # -- receiving --------------------------------------------------------------------------------------------------

    def receive(self) -> None:
        if not self.lines:
            return
        try:
            entry = ReceiptInput(tuple(ln.to_input(self.ctx.places) for ln in self.lines),
                                 location=self.location.currentData(), supplier=self.supplier.currentData(),
                                 po=self.order_no)
        except PosError as exc:
            self.say(exc.message, error=True)
            return
        width = self.devices.receipt_style().width
        self.receive_button.setEnabled(False)
        self.say(_("Receiving…"))
        self.attempt(lambda approver: commit_delivery(self.ctx, self.operator, entry, approver, width),
                     self._received, self._refused)

    def _refused(self, exc: BaseException) -> None:
        self.receive_button.setEnabled(True)
        self.fail(exc)

    def _received(self, done: Received) -> None:
        doc = done.doc
        words = [_("{no} received").format(no=doc["receipt_no"])]
        if doc["po"]:
            words.append(_("order {po} is now {status}").format(po=doc["po"],
                                                                 status=purchasing.status_name(doc["po_status"])))
        self.say(" · ".join(words) + "".join("\n" + w for w in doc["warnings"]))
        self.lines = []
        self.order, self.order_no = None, None
        self.order_model.set_rows([])
        self.refresh()
        self.load_choices()
        GoodsNoteDialog(self, done, self.devices, self.runner).open()
        self.delivered.emit(doc)


def _number(text: str) -> bool:
    try:
        Decimal(text)
    except ArithmeticError:
        return False
    return True
