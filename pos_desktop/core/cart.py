"""The cart a cashier builds, as a small state machine: open → completed | suspended | cancelled.

Pure: it knows products as ``ProductInfo`` values handed to it and prices itself with ``pricing`` and
``promotions``. Permission checks (price overrides, discounts above a limit) belong to the services, which
read what the cart asks for through ``needs``.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime
from decimal import Decimal
from enum import StrEnum

from .errors import InvalidInput
from .i18n import _
from .labels import state_name
from .money import ZERO, round_half_up
from .pricing import Discount, LineInput, PricedCart, price_cart
from .promotions import NO_OFFER, Offer, Promotion, best_offer


@dataclass(frozen=True)
class ProductInfo:
    id: str
    sku: str
    name: str
    unit_price: Decimal
    tax_rate: Decimal
    unit: str = "pcs"
    member_price: Decimal | None = None
    category_id: str | None = None
    is_weighed: bool = False
    track_batches: bool = False
    price_version_id: str | None = None


@dataclass(frozen=True)
class CartLine:
    line_no: int
    product: ProductInfo
    qty: Decimal
    unit_price: Decimal
    price_overridden: bool = False
    discount: Discount | None = None
    fixed_gross: Decimal | None = None
    barcode: str | None = None
    # who approved this line's price override / discount: an opaque approver the services hand in (the core
    # only carries it, so the approval stays with the line through edits, suspend and resume)
    price_approved_by: object | None = None
    discount_approved_by: object | None = None

    def mergeable_with(self, product: ProductInfo, fixed_gross: Decimal | None) -> bool:
        return (self.product.id == product.id and not product.is_weighed and fixed_gross is None
                and self.fixed_gross is None and not self.price_overridden and self.discount is None)


class CartState(StrEnum):
    OPEN = "open"
    SUSPENDED = "suspended"
    COMPLETED = "completed"
    CANCELLED = "cancelled"


@dataclass(frozen=True)
class PricedLines:
    """A priced cart with the promotion chosen for each line."""

    cart: PricedCart
    offers: tuple[Offer, ...]


def check_qty(product: ProductInfo, qty: Decimal) -> Decimal:
    if qty <= 0:
        raise InvalidInput(_("Quantity must be more than 0, not {qty}").format(qty=qty))
    if not product.is_weighed and qty != qty.to_integral_value():
        raise InvalidInput(_("{name} is sold in whole units, not {qty}").format(name=product.name, qty=qty))
    return qty


@dataclass
class Cart:
    lines: list[CartLine] = field(default_factory=list)
    cart_discount: Discount | None = None
    customer_id: str | None = None
    customer_code: str | None = None
    state: CartState = CartState.OPEN
    cart_discount_approved_by: object | None = None

    # -- building ---------------------------------------------------------------------------------

    def add(self, product: ProductInfo, qty: Decimal = Decimal(1), *, barcode: str | None = None,
            fixed_gross: Decimal | None = None, merge: bool = True) -> CartLine:
        """Add a scanned or chosen item; a second scan of a plain item raises the quantity of its line
        (unless ``merge`` is off, as for a sale file whose lines must stay as written)."""
        self._require_open()
        check_qty(product, qty)
        for index, line in enumerate(self.lines if merge else ()):
            if line.mergeable_with(product, fixed_gross) and line.barcode == barcode:
                self.lines[index] = replace(line, qty=line.qty + qty)
                return self.lines[index]
        line = CartLine(len(self.lines) + 1, product, qty, product.unit_price,
                        fixed_gross=fixed_gross, barcode=barcode)
        self.lines.append(line)
        return line

    def set_qty(self, line_no: int, qty: Decimal) -> CartLine:
        line = self._line(line_no)
        check_qty(line.product, qty)
        if line.fixed_gross is not None:
            raise InvalidInput(_("The quantity of a scale-labelled item cannot be changed"))
        return self._put(replace(line, qty=qty))

    def remove(self, line_no: int) -> CartLine:
        line = self._line(line_no)
        self.lines = [replace(other, line_no=i) for i, other in
                      enumerate((o for o in self.lines if o.line_no != line_no), start=1)]
        return line

    def override_price(self, line_no: int, price: Decimal, approved_by: object | None = None) -> CartLine:
        if price < 0:
            raise InvalidInput(_("A price cannot be negative"))
        line = self._line(line_no)
        return self._put(replace(line, unit_price=price, price_overridden=True, fixed_gross=None,
                                 price_approved_by=approved_by))

    def set_line_discount(self, line_no: int, discount: Discount | None,
                          approved_by: object | None = None) -> CartLine:
        return self._put(replace(self._line(line_no), discount=discount, discount_approved_by=approved_by))

    def set_cart_discount(self, discount: Discount | None, approved_by: object | None = None) -> None:
        self._require_open()
        self.cart_discount = discount
        self.cart_discount_approved_by = approved_by

    def set_customer(self, customer_id: str | None, code: str | None) -> None:
        self._require_open()
        self.customer_id, self.customer_code = customer_id, code

    # -- state ------------------------------------------------------------------------------------

    def suspend(self) -> None:
        self._require_open()
        if not self.lines:
            raise InvalidInput(_("An empty sale cannot be suspended"))
        self.state = CartState.SUSPENDED

    def resume(self) -> None:
        if self.state is not CartState.SUSPENDED:
            raise InvalidInput(_("Only a suspended sale can be resumed"))
        self.state = CartState.OPEN

    def complete(self) -> None:
        self._require_open()
        if not self.lines:
            raise InvalidInput(_("The sale has no items"))
        self.state = CartState.COMPLETED

    def cancel(self) -> None:
        self._require_open()
        self.state = CartState.CANCELLED

    # -- pricing ----------------------------------------------------------------------------------

    def price(self, *, at: datetime, promotions: list[Promotion] | None = None,
              tax_inclusive: bool = True, places: int = 2) -> PricedLines:
        is_member = self.customer_id is not None
        inputs, offers = [], []
        for line in self.lines:
            offer = NO_OFFER
            gross = line.fixed_gross if line.fixed_gross is not None else round_half_up(
                line.unit_price * line.qty, places)
            if not line.price_overridden:
                offer = best_offer(
                    product_id=line.product.id, category_id=line.product.category_id,
                    unit_price=line.unit_price, qty=line.qty, gross=gross,
                    member_price=line.product.member_price, is_member=is_member, at=at,
                    promotions=promotions or [], places=places)
            offers.append(offer)
            inputs.append(LineInput(line.unit_price, line.qty, line.product.tax_rate, line.discount,
                                    offer.discount, line.fixed_gross))
        priced = price_cart(inputs, self.cart_discount, tax_inclusive=tax_inclusive, places=places)
        return PricedLines(priced, tuple(offers))

    @property
    def item_count(self) -> Decimal:
        return sum((line.qty for line in self.lines), ZERO)

    # -- internals --------------------------------------------------------------------------------

    def _require_open(self) -> None:
        if self.state is not CartState.OPEN:
            raise InvalidInput(_("The sale is {state}; it cannot be changed").format(state=state_name(self.state.value)))

    def _line(self, line_no: int) -> CartLine:
        self._require_open()
        for line in self.lines:
            if line.line_no == line_no:
                return line
        raise InvalidInput(_("There is no line {line_no} in this sale").format(line_no=line_no))

    def _put(self, line: CartLine) -> CartLine:
        self.lines[line.line_no - 1] = line
        return line


# -- suspended carts are stored as JSON --------------------------------------------------------------------------

def _money(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


def _dec(value: str | None) -> Decimal | None:
    return None if value is None else Decimal(value)


def product_to_dict(p: ProductInfo) -> dict[str, object]:
    return {"id": p.id, "sku": p.sku, "name": p.name, "unit_price": str(p.unit_price), "tax_rate": str(p.tax_rate),
            "unit": p.unit, "member_price": _money(p.member_price), "category_id": p.category_id,
            "is_weighed": p.is_weighed, "track_batches": p.track_batches, "price_version_id": p.price_version_id}


def product_from_dict(d: dict) -> ProductInfo:  # type: ignore[type-arg]
    return ProductInfo(id=d["id"], sku=d["sku"], name=d["name"], unit_price=Decimal(d["unit_price"]),
                       tax_rate=Decimal(d["tax_rate"]), unit=d["unit"], member_price=_dec(d["member_price"]),
                       category_id=d["category_id"], is_weighed=d["is_weighed"], track_batches=d["track_batches"],
                       price_version_id=d["price_version_id"])


def _discount_to_dict(d: Discount | None) -> dict[str, str | None] | None:
    return None if d is None else {"percent": _money(d.percent), "amount": _money(d.amount)}


def _discount_from_dict(d: dict | None) -> Discount | None:  # type: ignore[type-arg]
    return None if d is None else Discount(percent=_dec(d["percent"]), amount=_dec(d["amount"]))


def cart_to_dict(cart: Cart, approver_key=lambda who: None) -> dict[str, object]:  # type: ignore[no-untyped-def]
    """A cart as plain JSON-able data (Decimals as strings), to suspend it and resume it later.
    ``approver_key`` turns an approver into something storable (the services use the user id)."""
    key = lambda who: None if who is None else approver_key(who)  # noqa: E731
    return {
        "lines": [{"product": product_to_dict(ln.product), "qty": str(ln.qty), "unit_price": str(ln.unit_price),
                   "price_overridden": ln.price_overridden, "discount": _discount_to_dict(ln.discount),
                   "fixed_gross": _money(ln.fixed_gross), "barcode": ln.barcode,
                   "price_approved_by": key(ln.price_approved_by),
                   "discount_approved_by": key(ln.discount_approved_by)} for ln in cart.lines],
        "cart_discount": _discount_to_dict(cart.cart_discount),
        "cart_discount_approved_by": key(cart.cart_discount_approved_by),
        "customer_id": cart.customer_id, "customer_code": cart.customer_code,
    }


def cart_from_dict(data: dict, approver=lambda key: None) -> Cart:  # type: ignore[type-arg, no-untyped-def]
    """The cart ``cart_to_dict`` made, open again, with the prices and approvals it had when suspended."""
    who = lambda key: None if key is None else approver(key)  # noqa: E731
    lines = [CartLine(i, product_from_dict(ln["product"]), Decimal(ln["qty"]), Decimal(ln["unit_price"]),
                      ln["price_overridden"], _discount_from_dict(ln["discount"]), _dec(ln["fixed_gross"]),
                      ln["barcode"], who(ln.get("price_approved_by")), who(ln.get("discount_approved_by")))
             for i, ln in enumerate(data["lines"], start=1)]
    return Cart(lines=lines, cart_discount=_discount_from_dict(data["cart_discount"]),
                customer_id=data["customer_id"], customer_code=data["customer_code"],
                cart_discount_approved_by=who(data.get("cart_discount_approved_by")))
