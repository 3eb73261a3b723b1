"""Returns against a receipt, and voiding a sale of the current shift.

A return is its own document (with its own receipt number) that references the original sale; the sale is
never edited. Across all returns of a receipt, no line is ever returned beyond what was sold, and the
refunded amounts of a line never exceed its net: the last return of a line refunds exactly what is left.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import func, insert, select

from ..core.errors import InvalidInput, NotFound
from ..core.i18n import _
from ..core.ids import new_id, parse_receipt_number, receipt_number
from ..core.money import ZERO, format_money, format_qty, from_minor, milli_to_qty, qty_to_milli, round_half_up, to_minor
from ..core.permissions import Action
from ..store import sql
from ..store.models import Refund, ReturnLine, Sale, SaleLine, SaleReturn, SaleVoid, StockMovement
from . import members
from .auth import Operator, require
from .business_day import business_date
from .checkout import Tender
from .shifts import current_shift_id, ensure_shift
from .unit import Movement, Unit, write


@dataclass(frozen=True)
class ReturnRequest:
    line_no: int
    qty: Decimal


@dataclass(frozen=True)
class ReturnResult:
    return_id: str
    receipt_no: str
    original_receipt: str
    created_at: str
    total: Decimal
    tax_total: Decimal
    lines: tuple[dict[str, Any], ...]
    refunds: tuple[tuple[str, Decimal], ...]
    places: int = 2

    def to_json(self) -> dict[str, Any]:
        m = lambda amount: format_money(amount, self.places)  # noqa: E731
        return {"receipt_no": self.receipt_no, "return_id": self.return_id,
                "original_receipt": self.original_receipt, "created_at": self.created_at,
                "total": m(self.total), "tax_total": m(self.tax_total), "lines": list(self.lines),
                "refunds": [{"method": method, "amount": m(amount)} for method, amount in self.refunds]}


def _sale_by_receipt(unit: Unit, receipt_no: str) -> Sale:
    parse_receipt_number(receipt_no)
    sale = unit.session.scalar(select(Sale).where(Sale.receipt_no == receipt_no.strip().upper()))
    if sale is None:
        raise NotFound(_("No sale with receipt number {no}").format(no=receipt_no), code="unknown_receipt")
    return sale


def _is_voided(unit: Unit, sale_id: str) -> bool:
    return unit.session.scalar(select(SaleVoid.id).where(SaleVoid.sale_id == sale_id)) is not None


def return_items(ctx, operator: Operator, *, receipt_no: str, lines: list[ReturnRequest],  # type: ignore[no-untyped-def]
                 refunds: list[Tender] | None = None, reason: str = "", approver: Operator | None = None,
                 refund_method: str = "cash") -> ReturnResult:
    """Take goods back against ``receipt_no`` (``sale.return``); stock goes back to the sales floor.

    ``refunds`` must add up to exactly what is due back (default: all of it by ``refund_method``, cash unless
    said otherwise). One transaction; emits
    ``sale.returned``; refuses to return more than was sold across all returns of the receipt.
    """
    approved = require(operator, Action.RETURN, approver)
    if not lines:
        raise InvalidInput(_("Choose at least one line to return"), code="empty_return")
    with write(ctx) as unit:
        return record_return(unit, operator, approved, receipt_no, lines, refunds, reason, refund_method)


def record_return(unit: Unit, operator: Operator, approved: Operator | None, receipt_no: str,
                  lines: list[ReturnRequest], refunds: list[Tender] | None, reason: str,
                  refund_method: str = "cash") -> ReturnResult:
    """The body of ``return_items`` inside a caller's transaction."""
    ctx = unit.ctx
    sale = _sale_by_receipt(unit, receipt_no)
    if _is_voided(unit, sale.id):
        raise InvalidInput(_("Sale {no} was voided; nothing can be returned").format(no=sale.receipt_no),
                           code="sale_voided")
    return_id = new_id()
    rows = _return_rows(unit, sale, lines, return_id)
    total = sum((r["amount_minor"] for r in rows), 0)
    tax = sum((r["tax_minor"] for r in rows), 0)
    if refunds is None:
        refunds = [Tender(refund_method, from_minor(total, ctx.places))] if total else []
    _check_refunds(refunds, from_minor(total, ctx.places))
    shift_id = ensure_shift(unit, operator.id, operator.username)
    no = receipt_number(ctx.till.store_code, ctx.till.till_code, unit.next_counter("receipt"))
    points = _reverse_points(unit, sale, total, return_id)
    head = {"id": return_id, "receipt_no": no, "original_sale_id": sale.id, "till_id": ctx.till.till_id,
            "shift_id": shift_id, "user_id": operator.id, "approver_id": approved.id if approved else None,
            "reason": reason or "", "created_at": unit.at, "business_date": business_date(unit),
            "total_minor": total, "tax_minor": tax, "points_reversed": points}
    refund_rows = [{"return_id": return_id, "seq": i, "method": t.method,
                    "amount_minor": to_minor(t.amount, ctx.places)} for i, t in enumerate(refunds, start=1)]
    unit.session.execute(insert(SaleReturn).values(head))
    unit.session.execute(insert(ReturnLine), rows)
    if refund_rows:
        unit.session.execute(insert(Refund), refund_rows)
    _restock(unit, sale.id, rows, return_id, operator)
    moves = unit.flush_moves()
    payload = {"receipt_no": no, "original_receipt": sale.receipt_no, "total_minor": total,
               "items": [[r["sale_line_no"], r["qty_milli"], r["amount_minor"]] for r in rows],
               "refunds": [[r["method"], r["amount_minor"]] for r in refund_rows], "reason": reason}
    digest = unit.journal("return", return_id, payload, user=operator.username,
                          approver=approved.username if approved else None)
    unit.outbox("sale.returned", {"return": head, "lines": rows, "refunds": refund_rows, "movements": moves,
                                  "original_receipt": sale.receipt_no}, digest)
    skus = dict(unit.session.execute(select(SaleLine.line_no, SaleLine.sku).where(SaleLine.sale_id == sale.id)).all())
    out_lines = tuple({"line_no": r["line_no"], "sale_line_no": r["sale_line_no"], "sku": skus[r["sale_line_no"]],
                       "qty": format_qty(milli_to_qty(r["qty_milli"])),
                       "amount": format_money(from_minor(r["amount_minor"], ctx.places), ctx.places),
                       "tax": format_money(from_minor(r["tax_minor"], ctx.places), ctx.places)} for r in rows)
    return ReturnResult(return_id, no, sale.receipt_no, head["created_at"], from_minor(total, ctx.places),
                        from_minor(tax, ctx.places), out_lines,
                        tuple((t.method, t.amount) for t in refunds), ctx.places)


def _return_rows(unit: Unit, sale: Sale, requests: list[ReturnRequest], return_id: str) -> list[dict[str, Any]]:
    sold = {ln.line_no: ln for ln in unit.session.scalars(select(SaleLine).where(SaleLine.sale_id == sale.id))}
    earlier = {no: (q, a, t) for no, q, a, t in unit.session.execute(
        select(ReturnLine.sale_line_no, func.sum(ReturnLine.qty_milli), func.sum(ReturnLine.amount_minor),
               func.sum(ReturnLine.tax_minor))
        .join(SaleReturn, SaleReturn.id == ReturnLine.return_id)
        .where(SaleReturn.original_sale_id == sale.id).group_by(ReturnLine.sale_line_no))}
    asked: dict[int, int] = {}
    rows = []
    for i, req in enumerate(requests, start=1):
        line = sold.get(req.line_no)
        if line is None:
            raise InvalidInput(_("Receipt {no} has no line {line}").format(no=sale.receipt_no, line=req.line_no),
                               code="unknown_line")
        if req.qty <= 0:
            raise InvalidInput(_("Quantity to return must be more than 0, not {qty}").format(qty=req.qty))
        if req.qty != req.qty.to_integral_value() and not _weighed(unit, line.product_id):
            raise InvalidInput(_("{sku} is sold in whole units; {qty} cannot be returned").format(
                sku=line.sku, qty=req.qty), code="bad_quantity")
        qty = qty_to_milli(req.qty)
        done_qty, done_amount, done_tax = earlier.get(req.line_no, (0, 0, 0))
        asked[req.line_no] = asked.get(req.line_no, 0) + qty
        left = line.qty_milli - done_qty - asked[req.line_no]
        if left < 0:
            raise InvalidInput(_("Line {line} ({sku}) sold {sold}, {returned} already returned: {qty} more is too "
                                 "many").format(line=req.line_no, sku=line.sku,
                                                sold=format_qty(milli_to_qty(line.qty_milli)),
                                                returned=format_qty(milli_to_qty(done_qty + asked[req.line_no] - qty)),
                                                qty=format_qty(req.qty)), code="over_return")
        if left == 0:  # the last of the line: refund exactly what is left, so the sums come out exact
            amount = line.net_minor - done_amount - _pending(rows, req.line_no, "amount_minor")
            tax = line.tax_minor - done_tax - _pending(rows, req.line_no, "tax_minor")
        else:
            amount = _share(line.net_minor, qty, line.qty_milli)
            tax = _share(line.tax_minor, qty, line.qty_milli)
        rows.append({"return_id": return_id, "line_no": i, "sale_line_no": req.line_no,
                     "product_id": line.product_id, "qty_milli": qty, "amount_minor": amount, "tax_minor": tax})
    return rows


def _weighed(unit: Unit, product_id: str) -> bool:
    return bool(sql.scalar(unit.conn, "SELECT is_weighed FROM products WHERE id = ?", product_id))


def _pending(rows: list[dict[str, Any]], line_no: int, key: str) -> int:
    return sum(r[key] for r in rows if r["sale_line_no"] == line_no)


def _share(total_minor: int, part: int, whole: int) -> int:
    return int(round_half_up(Decimal(total_minor) * part / whole, 0))


def _check_refunds(refunds: list[Tender], due: Decimal) -> None:
    paid = sum((t.amount for t in refunds), ZERO)
    if paid > due:
        raise InvalidInput(_("Refunds of {paid} are more than the {due} due back").format(paid=paid, due=due),
                           code="over_refund")
    if paid < due:
        raise InvalidInput(_("Refunds of {paid} are less than the {due} due back").format(paid=paid, due=due),
                           code="under_refund")


def _restock(unit: Unit, sale_id: str, rows: list[dict[str, Any]], return_id: str, operator: Operator) -> None:
    """Put returned goods back where they came from (the batches the sale drew on, in the same order)."""
    floor = unit.ctx.till.floor_location_id
    for row in rows:
        taken = unit.session.execute(
            select(StockMovement.batch_id, StockMovement.unit_cost_minor, StockMovement.qty_milli)
            .where(StockMovement.doc_id == sale_id, StockMovement.product_id == row["product_id"])).all()
        batch_id = next((b for b, _c, _q in taken if b), None)
        cost = taken[0][1] if taken else None
        unit.move(Movement(row["product_id"], floor, row["qty_milli"], "return", batch_id, cost),
                  doc_type="return", doc_id=return_id, user_id=operator.id)


def _reverse_points(unit: Unit, sale: Sale, refund_minor: int, return_id: str) -> int:
    if not sale.customer_id or not sale.points_earned or not sale.total_minor:
        return 0
    points = min(sale.points_earned, int(Decimal(sale.points_earned) * refund_minor / sale.total_minor))
    if points:
        members.post_points(unit, sale.customer_id, -points, "return", return_id)
    return points


def void_sale(ctx, operator: Operator, *, receipt_no: str, reason: str,  # type: ignore[no-untyped-def]
              approver: Operator | None = None) -> dict[str, Any]:
    """Void a sale of the till's current shift (``sale.void``, supervisor or approver).

    The sale stays as it was; a void document references it, every stock movement and points entry of the
    sale is reversed, and ``sale.voided`` is emitted. A sale with returns cannot be voided.
    """
    approved = require(operator, Action.VOID_SALE, approver)
    if not reason.strip():
        raise InvalidInput(_("A void needs a reason"), code="reason_required")
    with write(ctx) as unit:
        return record_void(unit, operator, approved, receipt_no, reason)


def record_void(unit: Unit, operator: Operator, approved: Operator | None, receipt_no: str,
                reason: str) -> dict[str, Any]:
    """The body of ``void_sale`` inside a caller's transaction."""
    ctx = unit.ctx
    sale = _sale_by_receipt(unit, receipt_no)
    if _is_voided(unit, sale.id):
        raise InvalidInput(_("Sale {no} is already voided").format(no=sale.receipt_no), code="already_voided")
    if sale.till_id != ctx.till.till_id or sale.shift_id != current_shift_id(unit):
        raise InvalidInput(_("Only sales of the current shift on this till can be voided; {no} is not one "
                             "(take a return instead)").format(no=sale.receipt_no), code="not_current_shift")
    if unit.session.scalar(select(SaleReturn.id).where(SaleReturn.original_sale_id == sale.id).limit(1)):
        raise InvalidInput(_("Sale {no} has returns; it cannot be voided").format(no=sale.receipt_no),
                           code="has_returns")
    void_id = new_id()
    unit.session.execute(insert(SaleVoid).values(
        id=void_id, sale_id=sale.id, user_id=operator.id, approver_id=approved.id if approved else None,
        reason=reason, created_at=unit.at))
    for batch_id, product_id, location_id, qty, cost in unit.session.execute(
            select(StockMovement.batch_id, StockMovement.product_id, StockMovement.location_id,
                   StockMovement.qty_milli, StockMovement.unit_cost_minor)
            .where(StockMovement.doc_id == sale.id)).all():
        unit.move(Movement(product_id, location_id, -qty, "void", batch_id, cost),
                  doc_type="void", doc_id=void_id, user_id=operator.id)
    if sale.customer_id:
        members.post_points(unit, sale.customer_id, sale.points_redeemed - sale.points_earned, "void", void_id)
    moves = unit.flush_moves()
    payload = {"receipt_no": sale.receipt_no, "total_minor": sale.total_minor, "reason": reason}
    digest = unit.journal("void", void_id, payload, user=operator.username,
                          approver=approved.username if approved else None)
    unit.outbox("sale.voided", {"void_id": void_id, "sale_id": sale.id, **payload, "movements": moves}, digest)
    return {"receipt_no": sale.receipt_no, "void_id": void_id, "status": "voided",
            "total": format_money(from_minor(sale.total_minor, ctx.places), ctx.places)}
