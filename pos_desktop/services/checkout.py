"""Completing a sale: the one place a cart becomes a stored, durable fact.

``complete_sale`` runs in one BEGIN IMMEDIATE transaction that writes the sale, its lines and payments, the
stock movements out of the sales floor (first-expiry-first-out for batch-tracked goods), member points, the
journal entries (the sale, and any price override or discount above the cashier's limit) and the
``sale.completed`` outbox event — all or nothing. It is committed before anything is printed. Stock may go
negative (a sale is a fact); an alert says so.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from ..core.cart import Cart, CartLine, PricedLines
from ..core.errors import InvalidInput
from ..core.i18n import _
from ..core.ids import new_id, receipt_number
from ..core.money import ZERO, format_money, qty_to_milli, rate_to_bp, to_minor
from ..core.permissions import Action
from ..core.pricing import CashRounding, Discount, cash_rounding
from ..store import sql
from . import members
from .auth import Operator, require, require_discount
from .business_day import business_date
from .receipts import Receipt, receipt_from_rows
from .shifts import ensure_shift
from .stock import fefo_moves, negative_stock_alerts
from .unit import Movement, Unit, write

METHODS = ("cash", "card", "qr", "points", "voucher")
HUNDRED = Decimal(100)


@dataclass(frozen=True)
class Tender:
    """One payment. A QR payment taken while the payment provider cannot be reached is ``pending``: the sale
    stands (the customer's code is kept as the reference) and the back office settles it later."""

    method: str
    amount: Decimal
    reference: str | None = None
    pending: bool = False

    def __post_init__(self) -> None:
        if self.method not in METHODS:
            raise InvalidInput(_("Unknown payment method {method!r}; use one of {methods}").format(
                method=self.method, methods=", ".join(METHODS)), code="bad_payment")
        if self.amount <= 0:
            raise InvalidInput(_("A payment must be more than 0, not {amount}").format(amount=self.amount),
                               code="bad_payment")


@dataclass(frozen=True)
class Settlement:
    due: Decimal
    rounding: Decimal
    paid: Decimal
    change: Decimal
    points_spent: int


def complete_sale(ctx, cart: Cart, tenders: list[Tender], operator: Operator,  # type: ignore[no-untyped-def]
                  approver: Operator | None = None) -> Receipt:
    """Complete ``cart`` as a sale paid by ``tenders``; needs ``sale.create`` (and more for overrides).

    Refuses an underpayment, card/QR/voucher/points beyond the amount due (change is given in cash only) and
    points a member does not have. One transaction; emits ``sale.completed``.
    """
    require(operator, Action.SELL, approver)
    if not cart.lines:
        raise InvalidInput(_("The sale has no items"), code="empty_sale")
    with write(ctx) as unit:
        receipt = record_sale(unit, cart, tenders, operator, approver)
    cart.complete()
    return receipt


def record_sale(unit: Unit, cart: Cart, tenders: list[Tender], operator: Operator,
                approver: Operator | None = None) -> Receipt:
    """The body of ``complete_sale`` inside a caller's transaction (the demo replays history with it)."""
    ctx = unit.ctx
    require(operator, Action.SELL, approver)
    priced = cart.price(at=unit.now, promotions=ctx.promotions(unit.conn),
                        tax_inclusive=bool(ctx.setting("tax_inclusive")), places=ctx.places)
    approvals = _approvals(ctx, cart, priced, operator, approver)
    member = members.find_member(unit, cart.customer_code) if cart.customer_code else None
    settlement = _settle(ctx, tenders, priced.cart.total, member.points if member else None)
    shift_id = ensure_shift(unit, operator.id, operator.username)
    receipt_no = receipt_number(ctx.till.store_code, ctx.till.till_code, unit.next_counter("receipt"))
    sale_id = new_id()
    approved_by = next((who for _kind, _doc, who in approvals if who is not None), None)
    sale = _sale_row(ctx, unit, sale_id, receipt_no, shift_id, operator, approved_by, member, priced, settlement)
    lines = _line_rows(ctx, unit, sale_id, cart.lines, priced)
    payments = [{"sale_id": sale_id, "seq": i, "method": t.method, "amount_minor": to_minor(t.amount, ctx.places),
                 "reference": t.reference, "status": "pending" if t.pending else "completed"}
                for i, t in enumerate(tenders, start=1)]
    unit.insert("sales", sale)
    unit.insert("sale_lines", lines)
    unit.insert("payments", payments)
    _take_stock(unit, cart.lines, lines, sale_id, operator)
    moves = unit.flush_moves()
    warnings = negative_stock_alerts(unit, moves, sale_id)
    balance = _post_points(unit, member, sale, settlement, sale_id) if member else None
    digest = _journal(unit, sale, lines, payments, operator, approved_by, approvals)
    unit.outbox("sale.completed", {"sale": sale, "lines": lines, "payments": payments, "movements": moves,
                                   "customer": member.code if member else None}, digest)
    return receipt_from_rows(sale, lines, payments, store_name=ctx.till.store_name, till_code=ctx.till.till_code,
                             cashier=operator.display_name, places=ctx.places,
                             customer=member.code if member else None, points_balance=balance,
                             warnings=tuple(warnings))


def _approvals(ctx, cart: Cart, priced: PricedLines, operator: Operator,  # type: ignore[no-untyped-def]
               approver: Operator | None) -> list[tuple[str, dict[str, Any], Operator | None]]:
    """Check overrides and discounts against the operator's rights; list what must be journaled."""
    found: list[tuple[str, dict[str, Any], Operator | None]] = []
    m = lambda amount: format_money(amount, ctx.places)  # noqa: E731
    for line, p in zip(cart.lines, priced.cart.lines):
        if line.price_overridden:
            who = require(operator, Action.PRICE_OVERRIDE, _approver(line.price_approved_by) or approver)
            found.append(("price_override", {"line_no": line.line_no, "sku": line.product.sku,
                                             "list_price": m(line.product.unit_price),
                                             "price": m(line.unit_price)}, who))
        if line.discount is not None and p.line_discount > 0:
            pct = _percent(line.discount, p.line_discount, p.gross - p.promo_discount)
            who = require_discount(ctx, operator, pct, _approver(line.discount_approved_by) or approver)
            if who is not None:
                found.append(("discount_over_limit", {"line_no": line.line_no, "sku": line.product.sku,
                                                      "discount": m(p.line_discount),
                                                      "percent": f"{pct:.2f}"}, who))
    if cart.cart_discount is not None and priced.cart.cart_discount > 0:
        base = sum((p.gross - p.promo_discount - p.line_discount for p in priced.cart.lines), ZERO)
        pct = _percent(cart.cart_discount, priced.cart.cart_discount, base)
        who = require_discount(ctx, operator, pct, _approver(cart.cart_discount_approved_by) or approver)
        if who is not None:
            found.append(("discount_over_limit", {"cart": True, "discount": m(priced.cart.cart_discount),
                                                  "percent": f"{pct:.2f}"}, who))
    return found


def _approver(who: object | None) -> Operator | None:
    """The approval a line carries (given on the screen when the cashier asked), if it is a real login."""
    return who if isinstance(who, Operator) else None


def _percent(discount: Discount, amount: Decimal, base: Decimal) -> Decimal:
    """The percentage a discount gives: as asked for, or what an amount comes to (for the limits)."""
    if discount.percent is not None:
        return discount.percent
    return (amount * HUNDRED / base).quantize(Decimal("0.01")) if base else ZERO


def _settle(ctx, tenders: list[Tender], total: Decimal, points_balance: int | None) -> Settlement:  # type: ignore[no-untyped-def]
    has_cash = any(t.method == "cash" for t in tenders)
    mode = CashRounding(ctx.setting("cash_rounding"))
    rounding = cash_rounding(total, mode, ctx.places) if has_cash else ZERO
    due = total + rounding
    paid = sum((t.amount for t in tenders), ZERO)
    not_cash = sum((t.amount for t in tenders if t.method != "cash"), ZERO)
    if not_cash > due:
        raise InvalidInput(_("Card, QR, voucher and points payments come to {paid}, more than the {due} due; "
                             "change is only given in cash").format(paid=not_cash, due=due), code="overpaid")
    if paid < due:
        raise InvalidInput(_("Underpaid: {due} is due but only {paid} was paid").format(due=due, paid=paid),
                           code="underpaid")
    points_spent = 0
    for tender in tenders:
        if tender.method == "points":
            if points_balance is None:
                raise InvalidInput(_("Paying with points needs a member on the sale"), code="no_member")
            points_spent += members.points_for_amount(ctx, tender.amount)
    if points_spent and points_balance is not None and points_spent > points_balance:
        raise InvalidInput(_("The member has {have} points, not the {need} this payment needs").format(
            have=points_balance, need=points_spent), code="not_enough_points")
    return Settlement(due, rounding, paid, paid - due, points_spent)


def _sale_row(ctx, unit: Unit, sale_id: str, receipt_no: str, shift_id: str, operator: Operator,  # type: ignore[no-untyped-def]
              approver: Operator | None, member, priced: PricedLines, st: Settlement) -> dict[str, Any]:
    c, p = priced.cart, ctx.places
    points_base = st.due - (Decimal(st.points_spent) * Decimal(ctx.setting("points_value")))
    return {
        "id": sale_id, "receipt_no": receipt_no, "till_id": ctx.till.till_id, "shift_id": shift_id,
        "user_id": operator.id, "approver_id": approver.id if approver else None,
        "customer_id": member.id if member else None, "created_at": unit.at,
        "business_date": business_date(unit), "tax_inclusive": c.tax_inclusive,
        "subtotal_minor": to_minor(c.subtotal, p), "discount_minor": to_minor(c.discount_total, p),
        "cart_discount_minor": to_minor(c.cart_discount, p), "tax_minor": to_minor(c.tax_total, p),
        "total_minor": to_minor(c.total, p), "rounding_minor": to_minor(st.rounding, p),
        "paid_minor": to_minor(st.paid, p), "change_minor": to_minor(st.change, p),
        "points_earned": members.points_earned(ctx, points_base) if member else 0,
        "points_redeemed": st.points_spent,
    }


def _line_rows(ctx, unit: Unit, sale_id: str, lines: list[CartLine], priced: PricedLines) -> list[dict[str, Any]]:  # type: ignore[no-untyped-def]
    p = ctx.places
    ids = list({line.product.id for line in lines})
    costs = dict(sql.rows(unit.conn, f"SELECT id, cost_minor FROM products WHERE id IN ({', '.join('?' * len(ids))})",
                          *ids))
    rows = []
    for line, pl, offer in zip(lines, priced.cart.lines, priced.offers):
        rows.append({
            "sale_id": sale_id, "line_no": line.line_no, "product_id": line.product.id, "sku": line.product.sku,
            "name": line.product.name, "barcode": line.barcode, "qty_milli": qty_to_milli(line.qty),
            "list_price_minor": to_minor(line.product.unit_price, p),
            "unit_price_minor": to_minor(line.unit_price, p), "price_version_id": line.product.price_version_id,
            "price_overridden": line.price_overridden, "gross_minor": to_minor(pl.gross, p),
            "promo_discount_minor": to_minor(pl.promo_discount, p),
            "line_discount_minor": to_minor(pl.line_discount, p), "cart_share_minor": to_minor(pl.cart_share, p),
            "net_minor": to_minor(pl.net, p), "tax_rate_bp": rate_to_bp(pl.tax_rate),
            "tax_minor": to_minor(pl.tax, p), "promotion_id": offer.promotion_id,
            "unit_cost_minor": costs.get(line.product.id),
        })
    return rows


def _take_stock(unit: Unit, lines: list[CartLine], rows: list[dict[str, Any]], sale_id: str,
                operator: Operator) -> None:
    floor = unit.ctx.till.floor_location_id
    taken: dict[tuple[str, str], int] = {}
    for line, row in zip(lines, rows):
        qty = row["qty_milli"]
        cost = row["unit_cost_minor"]
        if line.product.track_batches:
            for batch_id, take in fefo_moves(unit, line.product.id, floor, qty, taken):
                unit.move(Movement(line.product.id, floor, -take, "sale", batch_id, cost),
                          doc_type="sale", doc_id=sale_id, user_id=operator.id)
        else:
            unit.move(Movement(line.product.id, floor, -qty, "sale", None, cost),
                      doc_type="sale", doc_id=sale_id, user_id=operator.id)


def _post_points(unit: Unit, member, sale: dict[str, Any], st: Settlement, sale_id: str) -> int:  # type: ignore[no-untyped-def]
    balance = member.points
    if st.points_spent:
        balance = members.post_points(unit, member.id, -st.points_spent, "redeem", sale_id)
    if sale["points_earned"]:
        balance = members.post_points(unit, member.id, sale["points_earned"], "earn", sale_id)
    return balance


def _journal(unit: Unit, sale: dict[str, Any], lines: list[dict[str, Any]], payments: list[dict[str, Any]],
             operator: Operator, approver: Operator | None,
             approvals: list[tuple[str, dict[str, Any], Operator | None]]) -> str:
    payload = {"receipt_no": sale["receipt_no"], "total_minor": sale["total_minor"],
               "paid_minor": sale["paid_minor"], "change_minor": sale["change_minor"],
               "items": [[ln["sku"], ln["qty_milli"], ln["net_minor"]] for ln in lines],
               "payments": [[p["method"], p["amount_minor"]] for p in payments]}
    digest = unit.journal("sale", sale["id"], payload, user=operator.username,
                          approver=approver.username if approver else None)
    for kind, detail, who in approvals:
        digest = unit.journal(kind, sale["id"], {"receipt_no": sale["receipt_no"], **detail},
                              user=operator.username, approver=who.username if who else None)
    return digest
