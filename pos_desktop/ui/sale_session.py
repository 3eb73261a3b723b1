"""The sale on the screen: the cart, who rings it up, who approved what — and the service calls behind it.

Widgets call these methods and redraw on ``changed``; nothing here draws. Overrides are checked when the
cashier asks for them (so the manager-override dialog comes at the right moment, once per override) and the
approval stays with the line it was given for; the checkout service checks them all again at completion.
"""

from __future__ import annotations

from decimal import Decimal

from ..core.cart import Cart, CartLine, PricedLines
from ..core.errors import PermissionDenied
from ..core.permissions import Action
from ..core.pricing import Discount
from ..core.receipt import Receipt
from ..services import auth, catalog, checkout, members, suspended
from ..services.auth import Operator
from ..services.catalog import ScanResult
from ..services.checkout import Tender
from ..services.context import Context
from .qt import QObject, Signal

HUNDRED = Decimal(100)


class SaleSession(QObject):
    changed = Signal()
    scanned = Signal(object)          # the ScanResult of the last item added

    def __init__(self, ctx: Context, operator: Operator) -> None:
        super().__init__()
        self.ctx = ctx
        self.operator = operator
        self.cart = Cart()
        self.last_scan: ScanResult | None = None

    # -- reading ----------------------------------------------------------------------------------------------

    def priced(self) -> PricedLines:
        return self.cart.price(at=self.ctx.clock.now(), promotions=self.ctx.promotions(),
                               tax_inclusive=bool(self.ctx.setting("tax_inclusive")), places=self.ctx.places)

    @property
    def lines(self) -> list[CartLine]:
        return self.cart.lines

    # -- building the cart ------------------------------------------------------------------------------------

    def scan(self, code: str, qty: Decimal = Decimal(1), symbology: str | None = None) -> ScanResult:
        """Look the code up (check digit first; never a guess) and add it; raises for a bad or unknown code."""
        found = catalog.lookup_scan(self.ctx, code, symbology)
        self.cart.add(found.product, found.qty * qty, barcode=found.barcode, fixed_gross=found.fixed_gross,
                      merge=bool(self.ctx.setting("merge_scans")))
        self.last_scan = found
        self.scanned.emit(found)
        self.changed.emit()
        return found

    def add_product(self, sku: str, qty: Decimal = Decimal(1)) -> None:
        product = catalog.find_product(self.ctx, sku=sku)
        self.cart.add(product, qty, merge=bool(self.ctx.setting("merge_scans")))
        self.changed.emit()

    def set_qty(self, line_no: int, qty: Decimal) -> None:
        self.cart.set_qty(line_no, qty)
        self.changed.emit()

    def void_line(self, line_no: int, approver: Operator | None = None) -> None:
        auth.require(self.operator, Action.VOID_LINE, approver)
        self.cart.remove(line_no)
        self.changed.emit()

    def override_price(self, line_no: int, price: Decimal, approver: Operator | None = None) -> None:
        who = auth.require(self.operator, Action.PRICE_OVERRIDE, approver)
        self.cart.override_price(line_no, price, approved_by=who)
        self.changed.emit()

    def line_discount(self, line_no: int, discount: Discount | None, approver: Operator | None = None) -> None:
        who = None
        if discount is not None:
            line = next(ln for ln in self.cart.lines if ln.line_no == line_no)
            base = line.fixed_gross if line.fixed_gross is not None else line.unit_price * line.qty
            who = auth.require_discount(self.ctx, self.operator, self._percent(discount, base), approver)
        self.cart.set_line_discount(line_no, discount, approved_by=who)
        self.changed.emit()

    def cart_discount(self, discount: Discount | None, approver: Operator | None = None) -> None:
        who = None
        if discount is not None:
            who = auth.require_discount(self.ctx, self.operator,
                                        self._percent(discount, self.priced().cart.total), approver)
        self.cart.set_cart_discount(discount, approved_by=who)
        self.changed.emit()

    def set_member(self, code: str | None) -> None:
        if code:
            member_id, member_code = members.member_by_code(self.ctx, code)
            self.cart.set_customer(member_id, member_code)
        else:
            self.cart.set_customer(None, None)
        self.changed.emit()

    # -- finishing ----------------------------------------------------------------------------------------------

    def complete(self, tenders: list[Tender]) -> Receipt:
        """Runs on a worker thread (the commit waits for the disk); the cart is replaced on success."""
        return checkout.complete_sale(self.ctx, self.cart, tenders, self.operator)

    def start_new(self) -> None:
        self.cart = Cart()
        self.last_scan = None
        self.changed.emit()

    def suspend(self, label: str = "") -> str:
        cart_id = suspended.suspend(self.ctx, self.operator, self.cart, label)
        self.start_new()
        return cart_id

    def resume(self, cart_id: str) -> None:
        self.cart = suspended.resume(self.ctx, self.operator, cart_id)
        self.changed.emit()

    # -- permissions ----------------------------------------------------------------------------------------------

    @staticmethod
    def _percent(discount: Discount, base: Decimal) -> Decimal:
        if discount.percent is not None:
            return discount.percent
        return (discount.amount or Decimal(0)) * HUNDRED / base if base else Decimal(0)


def needs_approval(exc: BaseException) -> bool:
    """A refusal a manager could lift on the spot (as opposed to a wrong PIN)."""
    return isinstance(exc, PermissionDenied)
