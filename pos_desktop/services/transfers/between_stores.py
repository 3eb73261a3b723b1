"""Transfers between two stores, applied from the events sync brings: another store's shipment becomes an
incoming transfer here (``receive_remote_shipment`` / ``apply_remote_shipment``), and the receiving store's
receipt takes the goods out of the sender's TRANSIT (``settle_remote_receipt`` / ``apply_remote_receipt``)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from ...core.errors import InvalidInput
from ...core.i18n import _
from ...store import sql
from ..context import Context
from ..counts import resolve_item
from ..stock import ensure_location, location_id
from ..unit import Movement, Unit, write
from .model import TransferInfo
from .records import _batch, _expect_status, _header, _lines, _transfer_row, _wire_line, get_transfer


def receive_remote_shipment(ctx: Context, payload: dict[str, Any]) -> TransferInfo:
    """Create the incoming transfer from another store's ``transfer.shipped`` event (forwarded by the server),
    in a transaction of its own; see ``apply_remote_shipment``."""
    with write(ctx) as unit:
        transfer_id = apply_remote_shipment(unit, payload)
    return get_transfer(ctx, transfer_id)


def apply_remote_shipment(unit: Unit, payload: dict[str, Any]) -> str:
    """Inside the caller's transaction (the sync agent applying a pulled page): make the incoming transfer of a
    ``transfer.shipped`` payload — same id and number as the sender's, status shipped, no movements (the goods
    are in the sender's TRANSIT), a ``transfer_incoming`` journal entry, no outbox event. Idempotent: a
    transfer already here is left as it is. Refuses (InvalidInput) a payload for another store, or naming a
    SKU or a location unknown here. Returns the transfer id."""
    if payload.get("to_store") != unit.ctx.till.store_code:
        raise InvalidInput(_("Transfer {number} is for store {store}, not this one").format(
            number=payload.get("number"), store=payload.get("to_store")), code="not_for_this_store")
    transfer_id = str(payload["transfer_id"])
    if sql.scalar(unit.conn, "SELECT 1 FROM transfers WHERE id = ?", transfer_id) is not None:
        return transfer_id
    location_id(unit, payload["to_location"])
    rows = []
    for n, line in enumerate(payload["lines"], start=1):
        item = resolve_item(unit, sku=line["sku"], qty=Decimal(1))
        rows.append({"transfer_id": transfer_id, "line_no": int(line.get("line_no", n)),
                     "product_id": item.product_id, "sku": item.sku, "lot": line.get("lot"),
                     "expiry": line.get("expiry"), "qty_milli": int(line["qty_milli"]), "received_milli": None,
                     "damaged_milli": None, "reason": None, "unit_cost_minor": line.get("unit_cost_minor")})
    unit.insert("transfers", {
        "id": transfer_id, "number": payload["number"], "direction": "incoming", "status": "shipped",
        "from_store": payload["from_store"], "from_location": payload["from_location"],
        "to_store": payload["to_store"], "to_location": str(payload["to_location"]).upper(),
        "note": payload.get("note"), "created_by": None, "created_at": unit.at,
        "shipped_by": payload.get("shipped_by"), "shipped_at": payload.get("shipped_at"), "received_by": None,
        "received_at": None, "settled_at": None})
    unit.insert("transfer_lines", rows)
    unit.journal("transfer_incoming", transfer_id, {
        "number": payload["number"], "from": f'{payload["from_store"]}:{payload["from_location"]}',
        "lines": [[r["sku"], r["lot"], r["qty_milli"]] for r in rows]}, user=None)
    return transfer_id


def settle_remote_receipt(ctx: Context, payload: dict[str, Any]) -> TransferInfo | None:
    """Apply another store's (or till's) ``transfer.received`` event in a transaction of its own; see
    ``apply_remote_receipt``. None for a transfer this till never had."""
    with write(ctx) as unit:
        transfer_id = apply_remote_receipt(unit, payload)
    return get_transfer(ctx, transfer_id) if transfer_id else None


def apply_remote_receipt(unit: Unit, payload: dict[str, Any]) -> str | None:
    """Inside the caller's transaction: apply a ``transfer.received`` payload. On the sending till the goods
    leave TRANSIT (``delivered``, and ``transfer_short`` for what never arrived), with a ``transfer_settled``
    journal entry and a ``transfer.settled`` outbox event carrying those movements (they are this till's own
    new facts, so they are pushed like any other). On another till of the receiving store the incoming copy is
    marked received, without movements (they come down the movement feed). Idempotent; None when this till
    never had the transfer."""
    transfer_id = str(payload["transfer_id"])
    if sql.scalar(unit.conn, "SELECT 1 FROM transfers WHERE id = ?", transfer_id) is None:
        return None
    head = _transfer_row(unit.conn, transfer_id)
    done = head["settled_at"] is not None or (head["direction"] != "outgoing" and head["status"] == "received")
    if not done:
        _settle(unit, head, payload)
    return transfer_id


def _settle(unit: Unit, head: dict[str, Any], payload: dict[str, Any]) -> None:
    _expect_status(head, "shipped")
    outgoing = head["direction"] == "outgoing"
    lines = {ln["line_no"]: ln for ln in _lines(unit.conn, head["id"])}
    got = {int(ln["line_no"]): ln for ln in payload["lines"]}
    unit.conn.executemany("UPDATE transfer_lines SET received_milli = ?, damaged_milli = ?, reason = ? "
                          "WHERE transfer_id = ? AND line_no = ?",
                          [(int(g.get("received_milli") or 0), int(g.get("damaged_milli") or 0), g.get("reason"),
                            head["id"], no) for no, g in got.items() if no in lines])
    unit.conn.execute("UPDATE transfers SET status = 'received', received_by = ?, received_at = ?, settled_at = ? "
                      "WHERE id = ?", (payload.get("received_by"), payload.get("received_at"),
                                       unit.at if outgoing else None, head["id"]))
    if not outgoing:
        return
    transit = ensure_location(unit, "TRANSIT")
    for no, line in lines.items():
        arrived = line["qty_milli"]
        if no in got:
            arrived = int(got[no].get("received_milli") or 0) + int(got[no].get("damaged_milli") or 0)
        batch = _batch(unit, line)
        for qty, reason in ((min(line["qty_milli"], arrived), "delivered"),
                            (max(line["qty_milli"] - arrived, 0), "transfer_short")):
            if qty:
                unit.move(Movement(line["product_id"], transit, -qty, reason, batch, line["unit_cost_minor"]),
                          doc_type="transfer", doc_id=head["id"], user_id=None)
    moves = unit.flush_moves()
    digest = unit.journal("transfer_settled", head["id"], {"number": head["number"],
                                                           "received_by": payload.get("received_by")}, user=None)
    unit.outbox("transfer.settled", {**_header(head), "received_at": payload.get("received_at"),
                                     "lines": [{**_wire_line(ln), **{k: v for k, v in got.get(no, {}).items()
                                                                     if k.endswith("_milli") or k == "reason"}}
                                               for no, ln in lines.items()],
                                     "movements": moves}, digest)
