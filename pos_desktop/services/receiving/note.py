"""The goods-received note of a stored receipt (``goods_received_note``) and its text for a receipt
printer (``note_text``); ``documents_pdf.write_grn_pdf`` saves it as PDF.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from ...core.errors import NotFound
from ...core.i18n import _
from ...core.money import format_money, format_qty, from_minor, milli_to_qty
from ...core.receipt_text import center, clip, pair
from ...store import sql
from ..context import Context


@dataclass(frozen=True)
class NoteLine:
    line_no: int
    sku: str
    name: str
    lot: str | None
    expiry: str | None
    accepted: Decimal
    rejected: Decimal
    reject_reason: str | None
    unit_cost: Decimal | None
    value: Decimal | None
    ordered: Decimal | None


@dataclass(frozen=True)
class GoodsReceivedNote:
    """A stored goods receipt, as the printed or PDF note shows it."""

    receipt_id: str
    receipt_no: str
    created_at: str
    store: str
    supplier: str | None
    po: str | None
    location: str
    received_by: str
    lines: tuple[NoteLine, ...]
    total_value: Decimal
    places: int


def goods_received_note(ctx: Context, receipt: str) -> GoodsReceivedNote:
    """The note of a stored receipt, by its number (``GR-…``) or id. NotFound when there is none."""
    with ctx.db.raw() as conn:
        head = sql.one(conn, """SELECT g.id, g.receipt_no, g.created_at, s.code || ' ' || s.name, o.po_no,
                                       l.code || ' ' || l.name, u.display_name, g.po_id
                                FROM goods_receipts g LEFT JOIN suppliers s ON s.id = g.supplier_id
                                LEFT JOIN purchase_orders o ON o.id = g.po_id JOIN locations l ON l.id = g.location_id
                                JOIN users u ON u.id = g.user_id WHERE g.receipt_no = ? OR g.id = ?""",
                       receipt.strip().upper(), receipt.strip())
        if head is None:
            raise NotFound(_("Unknown goods receipt {no}").format(no=receipt), code="unknown_receipt")
        receipt_id, receipt_no, created, supplier, po_no, location, user, po_id = head
        rows = sql.rows(conn, """SELECT l.line_no, p.sku, p.name, b.lot, b.expiry, l.accepted_milli, l.rejected_milli,
                                        l.reject_reason, l.unit_cost_minor, ol.qty_milli
                                 FROM goods_receipt_lines l JOIN products p ON p.id = l.product_id
                                 LEFT JOIN batches b ON b.id = l.batch_id
                                 LEFT JOIN purchase_order_lines ol ON ol.po_id = ? AND ol.line_no = l.po_line_no
                                 WHERE l.receipt_id = ? ORDER BY l.line_no""", po_id, receipt_id)
    places = ctx.places
    lines, total = [], Decimal(0)
    for n, sku, name, lot, expiry, accepted, rejected, reason, cost, ordered in rows:
        unit_cost = from_minor(cost, places) if cost is not None else None
        value = (unit_cost * milli_to_qty(accepted)).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP) \
            if unit_cost is not None else None
        total += value or 0
        lines.append(NoteLine(n, sku, name, lot, expiry, milli_to_qty(accepted), milli_to_qty(rejected), reason,
                              unit_cost, value, milli_to_qty(ordered) if ordered is not None else None))
    store = f"{ctx.till.store_code} {ctx.till.store_name}"
    return GoodsReceivedNote(receipt_id, receipt_no, created, store, supplier, po_no, location, user, tuple(lines),
                             total, places)


def note_text(note: GoodsReceivedNote, columns: int = 48) -> list[str]:
    """The note as lines of text for a receipt printer (a Chinese character takes two columns)."""
    m = lambda amount: "" if amount is None else format_money(amount, note.places)
    rule = "-" * columns
    out = [center(_("GOODS RECEIVED NOTE"), columns), center(note.store, columns), rule,
           pair(_("Receipt"), note.receipt_no, columns), pair(_("Date"), note.created_at, columns)]
    if note.supplier:
        out.append(pair(_("Supplier"), note.supplier, columns))
    if note.po:
        out.append(pair(_("Purchase order"), note.po, columns))
    out += [pair(_("Location"), note.location, columns), pair(_("Received by"), note.received_by, columns), rule]
    for line in note.lines:
        out.append(pair(f"{line.line_no}. {line.sku}", m(line.value), columns))
        out.append(clip("   " + line.name, columns))
        if line.lot or line.expiry:
            out.append(clip("   " + _("lot {lot}  expiry {expiry}").format(lot=line.lot or "-",
                                                                       expiry=line.expiry or "-"), columns))
        out.append("   " + _("accepted {qty} × {cost}").format(qty=format_qty(line.accepted), cost=m(line.unit_cost)))
        if line.ordered is not None:
            out.append("   " + _("ordered {qty}").format(qty=format_qty(line.ordered)))
        if line.rejected:
            out.append(clip("   " + _("rejected {qty}: {reason}").format(qty=format_qty(line.rejected),
                                                                        reason=line.reject_reason or ""), columns))
    out += [rule, pair(_("Total accepted value"), m(note.total_value), columns), "",
            clip(_("Received by: ____________"), columns), "", clip(_("Driver: ____________"), columns)]
    return out
