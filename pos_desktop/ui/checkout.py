"""The checkout screen: the scan field always has the focus; the cart, the totals and the last item large.

Keyboard map (F1 shows it): F2 look up · F3 member · F4 quantity · F5 line discount · F6 sale discount ·
F7 price · F8 suspend · F9 resume · F10 return · F12 pay · Del void line · Esc back to scanning.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Callable

from ..core.cart import ProductInfo
from ..core.errors import InvalidInput, NotFound, PosError
from ..core.i18n import _, ngettext
from ..core.money import format_money, parse_money, parse_percent, parse_qty
from ..core.pricing import Discount
from ..services import catalog, members
from ..services.auth import Operator
from .cart_model import CartModel
from .dialogs import ApproverDialog, AskDialog
from .errors import message_for, show_error
from .lookup import LookupPanel
from .operations import Runner
from .qt import (QEvent, QAbstractItemView, QApplication, QGridLayout, QHBoxLayout, QHeaderView, QKeySequence, QLabel,
                 QLineEdit, QPushButton, QShortcut, Qt, QTableView, QVBoxLayout, QWidget, Signal)
from .sale_session import SaleSession, needs_approval

Weigh = Callable[[Callable[[Decimal], None], Callable[[BaseException], None]], None]
KEYS = {"lookup": "F2", "member": "F3", "qty": "F4", "discount": "F5", "cart_discount": "F6", "price": "F7",
        "suspend": "F8", "resume": "F9", "return": "F10", "pay": "F12", "void": "Del"}


def camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(word.title() for word in rest)


class CheckoutScreen(QWidget):
    pay_requested = Signal()
    return_requested = Signal()
    resume_requested = Signal()

    def __init__(self, session: SaleSession, runner: Runner, parent: QWidget | None = None,
                 weigh: Weigh | None = None) -> None:
        super().__init__(parent)
        self.session, self.runner, self.weigh = session, runner, weigh
        self.setObjectName("checkoutScreen")
        places = session.ctx.places
        self.money = lambda amount: format_money(amount, places)
        self.messages: list[str] = []
        self.last_item = QLabel(_("Ready to scan"))
        self.last_item.setObjectName("lastItemLabel")
        self.message = QLabel("")
        self.message.setObjectName("messageLabel")
        self.message.setWordWrap(True)
        self.scan_input = QLineEdit()
        self.scan_input.setObjectName("scanInput")
        self.scan_input.setPlaceholderText(_("Scan or type a barcode (3*code for three)"))
        self.scan_input.setAttribute(Qt.WidgetAttribute.WA_InputMethodEnabled, False)  # no IME on scans
        self.model = CartModel(places)
        self.table = QTableView()
        self.table.setObjectName("cartTable")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.table.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.totals = {name: QLabel("") for name in ("subtotal", "discount", "tax", "total", "member", "items")}
        for name, label in self.totals.items():
            label.setObjectName(f"{name}Label")
        self.lookup = LookupPanel(session.ctx, self._add_sku, runner)
        self._layout()
        self._wire()
        self.refresh()

    # -- layout -------------------------------------------------------------------------------------------------

    def _layout(self) -> None:
        side = QVBoxLayout()
        for name in ("items", "subtotal", "discount", "tax", "member"):
            side.addWidget(self.totals[name])
        side.addWidget(self.totals["total"])
        self.buttons: dict[str, QPushButton] = {}
        grid = QGridLayout()
        labels = [("qty", _("Quantity")), ("discount", _("Discount")), ("cart_discount", _("Sale discount")),
                  ("price", _("Price")), ("void", _("Void line")), ("member", _("Member")),
                  ("suspend", _("Suspend")), ("resume", _("Resume")), ("return", _("Return")), ("pay", _("Pay"))]
        for index, (name, text) in enumerate(labels):
            button = QPushButton(f"{text}\n{KEYS[name]}")
            button.setObjectName(camel(name) + "Button")
            button.setMinimumSize(96, 56)
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            self.buttons[name] = button
            grid.addWidget(button, index // 2, index % 2)
        side.addLayout(grid)
        side.addLayout(self._quick_keys())
        side.addStretch(1)
        left = QVBoxLayout()
        left.addWidget(self.last_item)
        left.addWidget(self.table, 1)
        left.addWidget(self.message)
        left.addWidget(self.scan_input)
        left.addWidget(self.lookup)
        outer = QHBoxLayout(self)
        outer.addLayout(left, 3)
        outer.addLayout(side, 1)

    def _quick_keys(self) -> QGridLayout:
        """Favourite and unbarcoded goods (fruit, bags) on buttons, from the ``quick_keys`` setting."""
        grid = QGridLayout()
        for index, sku in enumerate(self.session.ctx.setting("quick_keys")):
            try:
                product = catalog.find_product(self.session.ctx, sku=sku)
            except PosError:
                continue  # a key for a product that is gone: leave it out rather than fail the screen
            button = QPushButton(product.name[:12])
            button.setObjectName(f"quickKey_{sku}")
            button.setToolTip(product.name)
            button.setMinimumSize(96, 48)
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            button.clicked.connect(lambda _c=False, p=product: self.add_quick(p))
            grid.addWidget(button, index // 3, index % 3)
        return grid

    def add_quick(self, product: ProductInfo) -> None:
        if not product.is_weighed:
            self._add_sku(product.sku)
        elif self.weigh is not None:
            self.weigh(lambda weight: self._guard(lambda: self.session.add_product(product.sku, weight)),
                       lambda exc: self.say(message_for(exc), error=True))
        else:
            self._ask(_("Weight"), _("Weight of {name} in kg").format(name=product.name),
                      lambda v: self.session.add_product(product.sku, parse_qty(v)))

    def _wire(self) -> None:
        self.scan_input.returnPressed.connect(self.on_scan_entered)
        self.session.changed.connect(self.refresh)
        actions: dict[str, Callable[[], None]] = {
            "qty": self.ask_qty, "discount": self.ask_line_discount, "cart_discount": self.ask_cart_discount,
            "price": self.ask_price, "void": self.void_line, "member": self.ask_member,
            "suspend": self.suspend, "resume": self.resume_requested.emit, "return": self.return_requested.emit,
            "pay": self.request_pay}
        for name, action in actions.items():
            self.buttons[name].clicked.connect(action)
            if name != "void":  # Delete is taken in the scan field (eventFilter)
                QShortcut(QKeySequence(KEYS[name]), self, activated=action)
        QShortcut(QKeySequence("F2"), self, activated=self.lookup.focus)
        QShortcut(QKeySequence("Escape"), self, activated=self.focus_scan)
        self.scan_input.installEventFilter(self)

    def eventFilter(self, watched, event) -> bool:  # type: ignore[no-untyped-def]  # noqa: N802 — Qt's name
        """Delete in the (empty) scan field voids the selected line: the field has the focus all the time and
        would otherwise keep the key for itself."""
        if (watched is self.scan_input and event.type() == QEvent.Type.KeyPress
                and event.key() == Qt.Key.Key_Delete and not self.scan_input.text()):
            self.void_line()
            return True
        return False

    # -- state --------------------------------------------------------------------------------------------------

    def refresh(self) -> None:
        priced = self.session.priced()
        cart = priced.cart
        self.model.refresh(self.session.lines, priced)
        if self.session.lines:
            self.table.selectRow(len(self.session.lines) - 1)
        count = len(self.session.lines)
        self.totals["items"].setText(ngettext("{n} line", "{n} lines", count).format(n=count))
        self.totals["subtotal"].setText(_("Subtotal {amount}").format(amount=self.money(cart.subtotal)))
        self.totals["discount"].setText(_("Discount {amount}").format(amount=self.money(cart.discount_total)))
        self.totals["tax"].setText(_("Tax {amount}").format(amount=self.money(cart.tax_total)))
        self.totals["total"].setText(self.money(cart.total))
        code = self.session.cart.customer_code
        self.totals["member"].setText(_("Member {code}").format(code=code) if code else "")
        self.focus_scan()

    def focus_scan(self) -> None:
        self.scan_input.setFocus()

    def say(self, text: str, error: bool = False) -> None:
        """Replace the messages with ``text`` (a new action starts a new story)."""
        self.messages = [text] if text else []
        self._show_messages(error)

    def note(self, text: str, error: bool = False) -> None:
        """Add ``text`` under what is already said (the sale is done · stock went negative · no receipt)."""
        self.messages = (self.messages + [text])[-4:]
        self._show_messages(error or bool(self.message.property("error")))

    def _show_messages(self, error: bool) -> None:
        self.message.setText("\n".join(self.messages))
        self.message.setProperty("error", error)
        self.message.style().unpolish(self.message)
        self.message.style().polish(self.message)
        if error:
            QApplication.beep()

    def current_line(self) -> int | None:
        rows = self.table.selectionModel().selectedRows()
        if rows:
            return rows[0].row() + 1
        return len(self.session.lines) or None

    # -- scanning -------------------------------------------------------------------------------------------------

    def on_scan_entered(self) -> None:
        text = self.scan_input.text().strip()
        self.scan_input.clear()
        if text:
            self.scan(text)

    def scan(self, text: str, symbology: str | None = None) -> None:
        """A scan from the field, a wedge burst or a serial scanner: add it, or say why not (never guess)."""
        qty = Decimal(1)
        if "*" in text:
            count, _sep, text = text.partition("*")
            try:
                qty = parse_qty(count)
            except InvalidInput as exc:
                self.say(exc.message, error=True)
                return
        try:
            found = self.session.scan(text, qty, symbology)
        except PosError as exc:
            self.say(exc.message, error=True)
            return
        self.last_item.setText(f"{found.product.name}   {self.money(found.fixed_gross or found.product.unit_price)}")
        self.say("")

    def _add_sku(self, sku: str) -> None:
        self._guard(lambda: self.session.add_product(sku))
        self.focus_scan()

    # -- actions ----------------------------------------------------------------------------------------------------

    def _guard(self, action: Callable[[], None], approve: Callable[[Operator], None] | None = None) -> None:
        """Run ``action``; a refusal a manager can lift opens the approval dialog, then ``approve`` retries."""
        try:
            action()
        except PosError as exc:
            if needs_approval(exc) and approve is not None:
                ApproverDialog(self, self.session.ctx, exc.message, lambda who: self._guard(lambda: approve(who))).open()
            else:
                self.say(exc.message, error=True)

    def _ask(self, title: str, label: str, then: Callable[[str], None], text: str = "") -> None:
        AskDialog(self, title, label, lambda value: self._guard(lambda: then(value)), text).open()

    def ask_qty(self) -> None:
        line = self.current_line()
        if line:
            self._ask(_("Quantity"), _("New quantity for line {n}").format(n=line),
                      lambda v: self.session.set_qty(line, parse_qty(v)))

    def ask_line_discount(self) -> None:
        line = self.current_line()
        if line:
            self._ask(_("Discount"), _("Discount for line {n}: 10% or an amount").format(n=line),
                      lambda v: self._discount(v, lambda d, who=None: self.session.line_discount(line, d, who)))

    def ask_cart_discount(self) -> None:
        if self.session.lines:
            self._ask(_("Sale discount"), _("Discount on the whole sale: 10% or an amount"),
                      lambda v: self._discount(v, lambda d, who=None: self.session.cart_discount(d, who)))

    def _discount(self, text: str, apply: Callable[..., None]) -> None:
        discount = None
        if text:
            discount = (Discount(percent=parse_percent(text.rstrip("%"))) if text.endswith("%")
                        else Discount(amount=parse_money(text, self.session.ctx.places)))
        self._guard(lambda: apply(discount), lambda who: apply(discount, who))

    def ask_price(self) -> None:
        line = self.current_line()
        if line:
            def set_price(value: str) -> None:
                price = parse_money(value, self.session.ctx.places, _("Price"))
                self._guard(lambda: self.session.override_price(line, price),
                            lambda who: self.session.override_price(line, price, who))
            self._ask(_("Price"), _("New price for line {n}").format(n=line), set_price)

    def void_line(self) -> None:
        line = self.current_line()
        if line:
            self._guard(lambda: self.session.void_line(line), lambda who: self.session.void_line(line, who))

    def ask_member(self) -> None:
        self._ask(_("Member"), _("Member code or phone number (empty to remove)"), self._member)

    def _member(self, code: str) -> None:
        try:
            self.session.set_member(code or None)
        except NotFound:
            self._ask(_("New member"), _("{code} is not a member yet. Name, to enrol now:").format(code=code),
                      lambda name: self._enrol(code, name))

    def _enrol(self, code: str, name: str) -> None:
        phone = code if code.isdigit() and len(code) == 11 else None
        members.enrol_member(self.session.ctx, self.session.operator, code=code, name=name, phone=phone)
        self.session.set_member(code)
        self.say(_("{name} is now member {code}").format(name=name, code=code))

    def suspend(self) -> None:
        if self.session.lines:
            self._guard(lambda: self.session.suspend())
            self.say(_("Sale suspended; F9 resumes it"))

    def request_pay(self) -> None:
        if not self.session.lines:
            self.say(_("Scan something first"), error=True)
            return
        self.pay_requested.emit()

    def show_failure(self, exc: BaseException) -> None:
        if isinstance(exc, PosError):
            self.say(message_for(exc), error=True)
        else:
            show_error(self, exc)
