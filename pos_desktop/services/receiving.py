"""Receiving goods: against a purchase order or without one, by SKU, barcode or GS1-128 label.

``receive_goods`` takes one delivery in, in one transaction (``stock.receive``: stock clerk, manager):

- each line names its product by exactly one of ``sku``, ``barcode`` or ``gs1``. A GS1 element string
  (``(01)…(17)YYMMDD(10)LOT`` or the raw scanner form) gives the GTIN, the lot (AI 10) and the expiry (AI 17,
  else the best-before date AI 15); a lot or expiry also written on the line must agree with it. A pack barcode
  (a case GTIN) counts packs: ``qty``, ``rejected_qty`` and ``unit_cost`` are then per pack;
- ``qty`` is what was delivered, ``rejected_qty`` the part refused at the quality check (a reason is needed).
  The accepted rest goes to the receipt's location, the rejected part to quarantine (``QUAR``), both as ledger
  movements with the batch (lot + expiry; the batch is created when new). Batch-tracked products need a lot,
  expiry-tracked ones an expiry; an expired batch can only be rejected;
- the product's cost becomes the moving average of the stock on hand (every location but quarantine) and
  the accepted quantity at the line's unit cost, half-up to the minor unit. Without a ``unit_cost`` the order's
  price is used, else the supplier's contract price of the day, else the cost does not change. With no stock
  (or negative stock) on hand the new cost is the unit cost;
- against a purchase order (sent or partly received) each line is matched to the order's line of the same
  product: the answer says, per line, what was ordered, received before and now, and whether the delivery is
  ``exact``, ``over``, ``under`` or ``not_ordered``; order lines that did not come are listed under ``short``.
  The order becomes ``received`` when every line has all its quantity (accepted), else ``partly_received``;
- the receipt (``GR-STORE-TILL-000001``), a journal entry ``goods_received`` and an outbox event
  ``stock.received`` (with the movements described for the wire: sku, location, lot, expiry) are written with
  the movements. Any bad line refuses the whole delivery (nothing is written) with the line's number.

``goods_received_note`` gives the stored receipt as a note to print (``note_text``) or to save as PDF
(``documents_pdf.write_grn_pdf``). ``identify`` tells a screen what a scan means before anything is written.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from ..core.barcodes import gtin_lookup_code, normalize_barcode
from ..core.errors import InvalidInput, NotFound, PosError
from ..core.gs1 import looks_like_gs1, parse_gs1
from ..core.i18n import _
from ..core.ids import new_id
from ..core.money import format_money, format_qty, from_minor, milli_to_qty, qty_to_milli
from ..core.permissions import Action
from ..core.receipt_text import center, clip, pair
from ..store import sql
from .auth import Operator, require
from .context import Context
from .purchasing import PARTLY, RECEIVED, next_status, po_row, received_by_line
from .stock import ensure_location, location_id
from .suppliers import contract_price, supplier_row
from .unit import Movement, Unit, write


@dataclass(frozen=True)
class ReceiptLineInput:
    """One line of a delivery. Exactly one of ``sku``, ``barcode``, ``gs1``. Quantities and the unit cost are
    in units of what the code names (packs for a pack barcode)."""

    sku: str | None = None
    barcode: str | None = None
    gs1: str | None = None
    qty: Decimal = Decimal(0)
    lot: str | None = None
    expiry: date | None = None
    rejected_qty: Decimal = Decimal(0)
    reject_reason: str | None = None
    unit_cost: Decimal | None = None


@dataclass(frozen=True)
class ReceiptInput:
    lines: tuple[ReceiptLineInput, ...]
    location: str | None = None          # default: the order's location, else BACK
    supplier: str | None = None          # default: the order's supplier
    po: str | None = None
    note: str | None = None


@dataclass(frozen=True)
class Identified:
    """What a code names: the product, how many product units one scan is, and the lot/expiry it carries."""

    product_id: str
    sku: str
    name: str
    pack_milli: int
    lot: str | None
    expiry: date | None
    code: str | None
    is_weighed: bool
    track_batches: bool
    track_expiry: bool


PRODUCT_COLS = "p.id, p.sku, p.name, p.is_weighed, p.track_batches, p.track_expiry"


def identify(ctx: Context, *, sku: str | None = None, barcode: str | None = None,
             gs1: str | None = None) -> Identified:
    """What a scan or a typed code means (for the receiving screen, before anything is written). A bad check
    digit or malformed GS1 data is a BarcodeError, an unknown code NotFound (both exit 3)."""
    with ctx.db.raw() as conn:
        return _identify(conn, sku, barcode, gs1)


def _identify(conn: sqlite3.Connection, sku: str | None, barcode: str | None, gs1: str | None) -> Identified:
    given = [name for name, value in (("sku", sku), ("barcode", barcode), ("gs1", gs1)) if value]
    if len(given) != 1:
        raise InvalidInput(_("name the product by exactly one of sku, barcode or gs1"), code="product_key")
    if sku:
        row = sql.one(conn, f"SELECT {PRODUCT_COLS}, 1000 FROM products p WHERE p.sku = ?", sku.strip())
        if row is None:
            raise NotFound(_("Unknown SKU {sku}").format(sku=sku), code="unknown_product")
        return _identified(row, None, None, None)
    text = (gs1 or barcode or "").strip()
    lot = expiry = None
    if gs1 or looks_like_gs1(text):
        data = parse_gs1(text)
        if data.gtin is None:
            raise InvalidInput(_("The GS1 barcode {code} holds no GTIN (01)").format(code=text), code="bad_barcode")
        code = gtin_lookup_code(data.gtin)
        lot, expiry = data.lot, data.expiry or data.best_before
    else:
        code = normalize_barcode(text)
    row = sql.one(conn, f"SELECT {PRODUCT_COLS}, b.pack_qty_milli FROM barcodes b JOIN products p "
                        "ON p.id = b.product_id WHERE b.code = ?", code)
    if row is None:
        raise NotFound(_("Unknown barcode {code}").format(code=code), code="unknown_barcode")
    return _identified(row, lot, expiry, text)


def _identified(row: tuple, lot: str | None, expiry: date | None, code: str | None) -> Identified:
    pid, sku, name, weighed, batches, expires, pack = row
    return Identified(pid, sku, name, pack, lot, expiry, code, bool(weighed), bool(batches), bool(expires))


# ---------------------------------------------------------------------------------------------- receiving


@dataclass
class _Order:
    id: str
    po_no: str
    lines: dict[str, tuple[int, int, int | None]]     # product → (line_no, ordered, price)
    before: dict[int, int]                            # line_no → accepted before this receipt
    now: dict[int, int] = field(default_factory=dict)  # line_no → accepted in this receipt


@dataclass
class _Receiving:
    unit: Unit
    receipt_id: str
    location_id: str
    supplier_id: str | None
    order: _Order | None
    operator: Operator
    on_hand: dict[str, int] = field(default_factory=dict)
    costs: dict[str, tuple[int | None, int | None]] = field(default_factory=dict)   # product → (old, new)
    warnings: list[str] = field(default_factory=list)


def receive_goods(ctx: Context, operator: Operator, receipt: ReceiptInput,
                  approver: Operator | None = None) -> dict[str, Any]:
    """Take one delivery in (see the module docstring); returns the ``pos receive --json`` document:
    ``{"receipt_id", "receipt_no", "created_at", "supplier", "po", "po_status", "location", "lines": [...],
    "short": [...], "cost_updates": [...], "warnings": [...]}``."""
    approved = require(operator, Action.STOCK_RECEIVE, approver)
    if not receipt.lines:
        raise InvalidInput(_("A delivery needs at least one line"), code="no_lines")
    with write(ctx) as unit:
        conn = unit.conn
        order, supplier_id, loc_code = _order_and_supplier(conn, receipt)
        state = _Receiving(unit, new_id(), location_id(unit, loc_code), supplier_id, order, operator)
        receipt_no = f"GR-{ctx.till.store_code}-{ctx.till.till_code}-{unit.next_counter('goods_receipt'):06d}"
        unit.insert("goods_receipts", {"id": state.receipt_id, "receipt_no": receipt_no, "supplier_id": supplier_id,
                                       "po_id": order.id if order else None, "location_id": state.location_id,
                                       "user_id": operator.id, "note": receipt.note, "created_at": unit.at})
        lines = []
        for n, line in enumerate(receipt.lines, start=1):
            try:
                lines.append(_receive_line(state, n, line))
            except PosError as exc:
                if "line" not in exc.details:
                    exc.details["line"] = n
                    exc.message = _("Line {n}: {message}").format(n=n, message=exc.message)
                    exc.args = (exc.message,)
                raise
        moves = unit.flush_moves()
        po_status = _advance_order(conn, order, unit.at)
        doc = _answer(ctx, state, receipt_no, loc_code, po_status, lines)
        payload = {"receipt_id": state.receipt_id, "receipt_no": receipt_no, "supplier": doc["supplier"],
                   "po": doc["po"], "po_status": po_status, "location": loc_code, "note": receipt.note,
                   "lines": [{"sku": r["sku"], "lot": r["lot"], "expiry": r["expiry"],
                              "accepted_milli": r["_accepted"], "rejected_milli": r["_rejected"],
                              "reject_reason": r["reject_reason"], "unit_cost_minor": r["_cost"]} for r in lines],
                   "cost_updates": [{"sku": c["sku"], "old_cost_minor": c["_old"], "new_cost_minor": c["_new"]}
                                    for c in doc["cost_updates"]]}
        digest = unit.journal("goods_received", state.receipt_id, payload, user=operator.username,
                              approver=approved.username if approved else None)
        unit.outbox("stock.received", {**payload, "created_at": unit.at, "movements": moves}, digest)
    return _public(doc)


def _order_and_supplier(conn: sqlite3.Connection, receipt: ReceiptInput) -> tuple[_Order | None, str | None, str]:
    supplier_id = supplier_row(conn, receipt.supplier)[0] if receipt.supplier else None
    if not receipt.po:
        return None, supplier_id, (receipt.location or "BACK").strip().upper()
    po_id, po_no, status, po_supplier, po_location = po_row(conn, receipt.po)
    next_status(po_no, status, "receive")
    if supplier_id is not None and supplier_id != po_supplier:
        raise InvalidInput(_("Purchase order {po} is an order to {supplier}, not to {given}").format(
            po=po_no, supplier=sql.scalar(conn, "SELECT code FROM suppliers WHERE id = ?", po_supplier),
            given=receipt.supplier), code="supplier_mismatch")
    lines = {pid: (n, qty, price) for n, pid, qty, price in sql.rows(
        conn, "SELECT line_no, product_id, qty_milli, price_minor FROM purchase_order_lines WHERE po_id = ?", po_id)}
    location = receipt.location or sql.scalar(conn, "SELECT code FROM locations WHERE id = ?", po_location)
    return _Order(po_id, po_no, lines, received_by_line(conn, po_id)), po_supplier, location.strip().upper()


def _receive_line(state: _Receiving, n: int, line: ReceiptLineInput) -> dict[str, Any]:
    unit, conn = state.unit, state.unit.conn
    item = _identify(conn, line.sku, line.barcode, line.gs1)
    lot, expiry = _lot_and_expiry(item, line)
    delivered, rejected = _quantities(item, line)
    accepted = delivered - rejected
    if expiry is not None and expiry < unit.now.date() and accepted > 0:
        raise InvalidInput(_("lot {lot} of {name} expired on {expiry}; reject it (rejected_qty) instead").format(
            lot=lot or "-", name=item.name, expiry=expiry.isoformat()), code="expired")
    batch_id = _batch(unit, item, lot, expiry)
    order_line = state.order.lines.get(item.product_id) if state.order else None
    cost = _unit_cost(state, item, line, order_line)
    old, new = _average_cost(state, item.product_id, accepted, cost)
    if accepted:
        unit.move(Movement(item.product_id, state.location_id, accepted, "receipt", batch_id, cost),
                  doc_type="receipt", doc_id=state.receipt_id, user_id=state.operator.id)
    if rejected:
        unit.move(Movement(item.product_id, ensure_location(unit, "QUAR"), rejected, "rejected", batch_id, cost),
                  doc_type="receipt", doc_id=state.receipt_id, user_id=state.operator.id)
    if order_line is not None:
        state.order.now[order_line[0]] = state.order.now.get(order_line[0], 0) + accepted
    unit.insert("goods_receipt_lines", {
        "receipt_id": state.receipt_id, "line_no": n, "product_id": item.product_id,
        "po_line_no": order_line[0] if order_line else None, "batch_id": batch_id, "accepted_milli": accepted,
        "rejected_milli": rejected, "reject_reason": (line.reject_reason or "").strip() or None,
        "unit_cost_minor": cost, "code": item.code})
    return {"line_no": n, "sku": item.sku, "name": item.name, "code": item.code, "lot": lot,
            "expiry": expiry.isoformat() if expiry else None, "_delivered": delivered, "_accepted": accepted,
            "_rejected": rejected, "reject_reason": (line.reject_reason or "").strip() or None, "_cost": cost,
            "_old_cost": old, "_new_cost": new, "_product": item.product_id,
            "_po_line": order_line[0] if order_line else None}


def _lot_and_expiry(item: Identified, line: ReceiptLineInput) -> tuple[str | None, date | None]:
    lot = (line.lot or "").strip() or None
    if item.lot is not None and lot is not None and lot != item.lot:
        raise InvalidInput(_("the lot {lot} differs from the lot {barcode_lot} in the GS1 barcode").format(
            lot=lot, barcode_lot=item.lot), code="lot_mismatch")
    if item.expiry is not None and line.expiry is not None and line.expiry != item.expiry:
        raise InvalidInput(_("the expiry {expiry} differs from {barcode_expiry} in the GS1 barcode").format(
            expiry=line.expiry.isoformat(), barcode_expiry=item.expiry.isoformat()), code="expiry_mismatch")
    lot, expiry = lot or item.lot, line.expiry or item.expiry
    if item.track_batches and lot is None:
        raise InvalidInput(_("{name} is tracked by lot: give its lot").format(name=item.name), code="lot_required")
    if item.track_expiry and expiry is None:
        raise InvalidInput(_("{name} is tracked by expiry: give its expiry date").format(name=item.name),
                           code="expiry_required")
    if lot is not None and len(lot) > 40:
        raise InvalidInput(_("a lot number is at most 40 characters"), code="bad_lot")
    return lot, expiry


def _quantities(item: Identified, line: ReceiptLineInput) -> tuple[int, int]:
    if line.qty <= 0:
        raise InvalidInput(_("the delivered quantity must be more than 0, not {qty}").format(qty=line.qty),
                           code="bad_qty")
    if line.rejected_qty < 0:
        raise InvalidInput(_("the rejected quantity cannot be negative ({qty})").format(qty=line.rejected_qty),
                           code="bad_qty")
    if line.rejected_qty > line.qty:
        raise InvalidInput(_("{rejected} rejected is more than the {qty} delivered").format(
            rejected=line.rejected_qty, qty=line.qty), code="bad_qty")
    if line.rejected_qty > 0 and not (line.reject_reason or "").strip():
        raise InvalidInput(_("say why goods are rejected (reject_reason)"), code="reason_required")
    delivered = qty_to_milli(line.qty) * item.pack_milli // 1000
    rejected = qty_to_milli(line.rejected_qty) * item.pack_milli // 1000
    if not item.is_weighed and (delivered % 1000 or rejected % 1000):
        raise InvalidInput(_("{name} is counted in whole units").format(name=item.name), code="bad_qty")
    return delivered, rejected


def _batch(unit: Unit, item: Identified, lot: str | None, expiry: date | None) -> str | None:
    if lot is None:
        return None
    found = sql.one(unit.conn, "SELECT id, expiry FROM batches WHERE product_id = ? AND lot = ?", item.product_id, lot)
    day = expiry.isoformat() if expiry else None
    if found is None:
        batch_id = new_id()
        unit.insert("batches", {"id": batch_id, "product_id": item.product_id, "lot": lot, "expiry": day})
        return batch_id
    batch_id, known = found
    if day and known and known != day:
        raise InvalidInput(_("lot {lot} of {name} is already recorded with the expiry {known}, not {expiry}").format(
            lot=lot, name=item.name, known=known, expiry=day), code="expiry_conflict")
    if day and not known:
        sql.execute(unit.conn, "UPDATE batches SET expiry = ? WHERE id = ?", day, batch_id)
    return batch_id


def _unit_cost(state: _Receiving, item: Identified, line: ReceiptLineInput,
               order_line: tuple[int, int, int | None] | None) -> int | None:
    """Cost per product unit in minor units: the line's (per pack when a pack was scanned; rounded half-up to
    the minor unit per product unit), else the order's price, else the contract price of the day."""
    if line.unit_cost is not None:
        if line.unit_cost < 0:
            raise InvalidInput(_("a unit cost cannot be negative"), code="bad_amount")
        per_pack = line.unit_cost.scaleb(state.unit.ctx.places)
        return int((per_pack * 1000 / item.pack_milli).quantize(Decimal(1), rounding=ROUND_HALF_UP))
    if order_line is not None and order_line[2] is not None:
        return order_line[2]
    if state.supplier_id is not None:
        return contract_price(state.unit.conn, state.supplier_id, item.product_id, state.unit.now.date())
    return None


ON_HAND_SQL = """SELECT coalesce(sum(sl.qty_milli), 0) FROM stock_levels sl JOIN locations l ON l.id = sl.location_id
WHERE sl.product_id = ? AND l.kind != 'quarantine'"""


def _average_cost(state: _Receiving, product_id: str, accepted: int,
                  cost: int | None) -> tuple[int | None, int | None]:
    """(old cost, new cost) after ``accepted`` more units at ``cost``; written to the product."""
    conn = state.unit.conn
    if product_id not in state.on_hand:
        state.on_hand[product_id] = sql.scalar(conn, ON_HAND_SQL, product_id)
        state.costs[product_id] = (sql.scalar(conn, "SELECT cost_minor FROM products WHERE id = ?", product_id),) * 2
    first, current = state.costs[product_id]
    on_hand = state.on_hand[product_id]
    state.on_hand[product_id] = on_hand + accepted
    if cost is None or accepted <= 0:
        return first, current
    if current is None or on_hand <= 0:
        new = cost
    else:
        total = Decimal(on_hand) * current + Decimal(accepted) * cost
        new = int((total / (on_hand + accepted)).quantize(Decimal(1), rounding=ROUND_HALF_UP))
    state.costs[product_id] = (first, new)
    if new != current:
        sql.execute(conn, "UPDATE products SET cost_minor = ? WHERE id = ?", new, product_id)
    return first, new


def _advance_order(conn: sqlite3.Connection, order: _Order | None, at: str) -> str | None:
    if order is None:
        return None
    got = {n: order.before.get(n, 0) + order.now.get(n, 0) for n, _q, _p in order.lines.values()}
    if not any(got.values()):
        return sql.scalar(conn, "SELECT status FROM purchase_orders WHERE id = ?", order.id)
    complete = all(got[n] >= qty for n, qty, _p in order.lines.values())
    status = RECEIVED if complete else PARTLY
    sql.execute(conn, "UPDATE purchase_orders SET status = ?, closed_at = CASE WHEN ? THEN ? ELSE closed_at END "
                      "WHERE id = ?", status, complete, at, order.id)
    return status


def _answer(ctx: Context, state: _Receiving, receipt_no: str, loc_code: str, po_status: str | None,
            lines: list[dict[str, Any]]) -> dict[str, Any]:
    conn, places, order = state.unit.conn, ctx.places, state.order
    money = lambda minor: None if minor is None else format_money(from_minor(minor, places), places)
    qty = lambda milli: None if milli is None else format_qty(milli_to_qty(milli))
    for row in lines:
        row.update({"qty": qty(row["_delivered"]), "accepted_qty": qty(row["_accepted"]),
                    "rejected_qty": qty(row["_rejected"]), "unit_cost": money(row["_cost"]),
                    "ordered_qty": None, "received_before_qty": None, "outstanding_qty": None, "delivery": None})
        if order is None:
            continue
        if row["_po_line"] is None:
            row["delivery"] = "not_ordered"
            state.warnings.append(_("{sku} is not on purchase order {po}").format(sku=row["sku"], po=order.po_no))
            continue
        n, ordered, _price = order.lines[row["_product"]]
        total = order.before.get(n, 0) + order.now.get(n, 0)
        row.update({"ordered_qty": qty(ordered), "received_before_qty": qty(order.before.get(n, 0)),
                    "outstanding_qty": qty(max(ordered - total, 0)),
                    "delivery": "exact" if total == ordered else "over" if total > ordered else "under"})
    short = []
    if order is not None:
        for pid, (n, ordered, _price) in sorted(order.lines.items(), key=lambda item: item[1][0]):
            total = order.before.get(n, 0) + order.now.get(n, 0)
            if n not in order.now and total < ordered:
                sku, name = sql.one(conn, "SELECT sku, name FROM products WHERE id = ?", pid)
                short.append({"line_no": n, "sku": sku, "name": name, "ordered_qty": qty(ordered),
                              "received_qty": qty(total), "outstanding_qty": qty(ordered - total)})
    updates = []
    for pid, (old, new) in state.costs.items():
        if new != old:
            sku = sql.scalar(conn, "SELECT sku FROM products WHERE id = ?", pid)
            updates.append({"sku": sku, "old_cost": money(old), "new_cost": money(new), "_old": old, "_new": new})
    supplier = sql.scalar(conn, "SELECT code FROM suppliers WHERE id = ?", state.supplier_id) \
        if state.supplier_id else None
    return {"receipt_id": state.receipt_id, "receipt_no": receipt_no, "created_at": state.unit.at,
            "supplier": supplier, "po": order.po_no if order else None, "po_status": po_status, "location": loc_code,
            "lines": lines, "short": short, "cost_updates": updates, "warnings": state.warnings}


def _public(doc: dict[str, Any]) -> dict[str, Any]:
    """The answer without the internal (underscored) figures."""
    strip = lambda row: {k: v for k, v in row.items() if not k.startswith("_")}
    return {**doc, "lines": [strip(r) for r in doc["lines"]], "cost_updates": [strip(c) for c in doc["cost_updates"]]}


# ---------------------------------------------------------------------------------------------- the note


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
