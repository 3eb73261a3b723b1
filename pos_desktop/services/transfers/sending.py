"""The sending side of a transfer: a draft (``create_transfer``), shipping it into TRANSIT
(``ship_transfer``), or dropping the draft (``cancel_transfer``)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from ...core.errors import InvalidInput
from ...core.i18n import _
from ...core.ids import check_code, new_id
from ...core.money import format_qty, milli_to_qty
from ...core.permissions import Action
from ..auth import Operator, require
from ..context import Context
from ..counts import resolve_item
from ..stock import ensure_location, location_id
from ..unit import Movement, Unit, write
from .model import LineInput, TransferInfo
from .picking import _pick
from .records import _expect_status, _header, _lines, _stored, _transfer_row, _wire_line, get_transfer


# ----------------------------------------------------------------------------------------------- creating


def create_transfer(ctx: Context, operator: Operator, *, from_location: str, to: str, lines: Iterable[LineInput],
                    note: str | None = None) -> TransferInfo:
    """A draft transfer (``stock.transfer``) from a location here to ``LOC`` or ``STORE:LOC``. Nothing moves
    yet; each batch-tracked line without a lot carries a first-expiry-first-out picking suggestion."""
    require(operator, Action.TRANSFER)
    lines = list(lines)
    if not lines:
        raise InvalidInput(_("A transfer needs at least one line"), code="empty_transfer")
    store = ctx.till.store_code
    to_store, _sep, to_loc = to.rpartition(":")
    to_store = check_code(to_store, _("Store code")) if to_store else store
    to_loc = check_code(to_loc, _("Location code"))
    with write(ctx) as unit:
        source = _movable_location(unit, from_location)
        if to_store == store:
            _movable_location(unit, to_loc)
            if to_loc == from_location.upper():
                raise InvalidInput(_("A transfer goes from one location to another"), code="same_location")
        transfer_id = new_id()
        rows = _line_rows(unit, transfer_id, lines)
        unit.insert("transfers", {
            "id": transfer_id, "number": f"{store}-{ctx.till.till_code}-T{unit.next_counter('transfer'):06d}",
            "direction": "internal" if to_store == store else "outgoing", "status": "draft",
            "from_store": store, "from_location": source, "to_store": to_store, "to_location": to_loc,
            "note": note, "created_by": operator.id, "created_at": unit.at, "shipped_by": None, "shipped_at": None,
            "received_by": None, "received_at": None, "settled_at": None})
        unit.insert("transfer_lines", rows)
    return get_transfer(ctx, transfer_id, with_picks=True)


def _movable_location(unit: Unit, code: str) -> str:
    code = code.upper()
    if code == "TRANSIT":
        raise InvalidInput(_("Goods reach TRANSIT only by being shipped"), code="bad_location")
    if code == "QUAR":
        ensure_location(unit, code)
    else:
        location_id(unit, code)
    return code


def _line_rows(unit: Unit, transfer_id: str, lines: list[LineInput]) -> list[dict[str, Any]]:
    merged: dict[tuple[str, str | None], dict[str, Any]] = {}
    for line in lines:
        if line.qty <= 0:
            raise InvalidInput(_("A quantity to move must be more than 0, not {qty}").format(qty=line.qty),
                               code="bad_qty")
        item = resolve_item(unit, barcode=line.barcode, sku=line.sku, qty=line.qty, lot=line.lot)
        key = (item.product_id, item.lot)
        if key in merged:
            merged[key]["qty_milli"] += item.qty_milli
            continue
        merged[key] = {"transfer_id": transfer_id, "line_no": len(merged) + 1, "product_id": item.product_id,
                       "sku": item.sku, "lot": item.lot, "expiry": item.expiry, "qty_milli": item.qty_milli,
                       "received_milli": None, "damaged_milli": None, "reason": None,
                       "unit_cost_minor": item.cost_minor}
    return list(merged.values())


# ----------------------------------------------------------------------------------------------- shipping


def ship_transfer(ctx: Context, operator: Operator, transfer_id: str) -> TransferInfo:
    """Ship a draft (``stock.transfer``): each line leaves its location (batch by batch) into TRANSIT. Refuses
    the whole transfer, naming the lines, when any is more than the location has. One transaction with the
    ``transfer_shipped`` journal entry and the ``transfer.shipped`` outbox event."""
    require(operator, Action.TRANSFER)
    with write(ctx) as unit:
        head = _transfer_row(unit.conn, transfer_id)
        _expect_status(head, "draft")
        source = location_id(unit, head["from_location"])
        transit = ensure_location(unit, "TRANSIT")
        quarantine = head["to_location"] == "QUAR" and head["direction"] == "internal"
        lines = _lines(unit.conn, head["id"])
        shipped, problems = [], []
        for line in lines:
            picks, missing = _pick(unit.conn, line, source, unit.now.date(), quarantine)
            if missing:
                problems.append(_("{sku}: {qty} asked, {have} on hand at {location}").format(
                    sku=line["sku"], qty=format_qty(milli_to_qty(line["qty_milli"])),
                    have=format_qty(milli_to_qty(line["qty_milli"] - missing)), location=head["from_location"]))
            shipped += [{**line, "line_no": len(shipped) + n, "lot": lot, "expiry": expiry, "qty_milli": qty,
                         "_batch": batch} for n, (batch, lot, expiry, qty) in enumerate(picks, start=1)]
        if problems:
            raise InvalidInput(_("Not enough stock to ship: {lines}").format(lines="; ".join(problems)),
                               code="insufficient_stock")
        for line in shipped:
            cost = line["unit_cost_minor"]
            unit.move(Movement(line["product_id"], source, -line["qty_milli"], "transfer_out", line["_batch"], cost),
                      doc_type="transfer", doc_id=head["id"], user_id=operator.id)
            unit.move(Movement(line["product_id"], transit, line["qty_milli"], "in_transit", line["_batch"], cost),
                      doc_type="transfer", doc_id=head["id"], user_id=operator.id)
        unit.conn.execute("DELETE FROM transfer_lines WHERE transfer_id = ?", (head["id"],))
        unit.insert("transfer_lines", [_stored(ln) for ln in shipped])
        unit.conn.execute("UPDATE transfers SET status = 'shipped', shipped_by = ?, shipped_at = ? WHERE id = ?",
                          (operator.username, unit.at, head["id"]))
        moves = unit.flush_moves()
        payload = {**_header(head), "shipped_at": unit.at, "shipped_by": operator.username,
                   "lines": [_wire_line(ln) for ln in shipped]}
        digest = unit.journal("transfer_shipped", head["id"], {
            "number": head["number"], "to": f'{head["to_store"]}:{head["to_location"]}',
            "lines": [[ln["sku"], ln["lot"], ln["qty_milli"]] for ln in shipped]}, user=operator.username)
        unit.outbox("transfer.shipped", {**payload, "movements": moves}, digest)
    return get_transfer(ctx, head["id"])


# --------------------------------------------------------------------------------------------- cancelling


def cancel_transfer(ctx: Context, operator: Operator, transfer_id: str) -> TransferInfo:
    """Drop a draft (``stock.transfer``); a shipped transfer is received (short if need be), never cancelled."""
    require(operator, Action.TRANSFER)
    with write(ctx) as unit:
        head = _transfer_row(unit.conn, transfer_id)
        _expect_status(head, "draft")
        unit.conn.execute("UPDATE transfers SET status = 'cancelled' WHERE id = ?", (head["id"],))
    return get_transfer(ctx, head["id"])
