"""Receiving a shipped transfer here (``receive_transfer``), internal or incoming from another store: what
arrived in good order goes to the destination, damaged goods to QUAR, a shortage or an excess is its own
movement."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from ...core.errors import InvalidInput, NotFound
from ...core.i18n import _
from ...core.money import qty_to_milli
from ...core.permissions import Action
from ..auth import Operator, require
from ..context import Context
from ..counts import resolve_item
from ..stock import ensure_location, location_id
from ..unit import Movement, Unit, write
from .model import Received, TransferInfo
from .records import _batch, _expect_status, _header, _lines, _stored, _transfer_row, _wire_line, get_transfer


def receive_transfer(ctx: Context, operator: Operator, transfer_id: str,
                     received: Iterable[Received] = ()) -> TransferInfo:
    """Receive a shipped transfer here (``stock.transfer``), internal or incoming from another store. Lines
    not named in ``received`` arrived in full. Good goods go to the destination, damaged ones to QUAR; a
    shortage leaves TRANSIT as ``transfer_short`` (internal), an excess is a ``transfer_over`` movement. One
    transaction with the ``transfer_received`` journal entry and the ``transfer.received`` outbox event."""
    require(operator, Action.TRANSFER)
    with write(ctx) as unit:
        head = _transfer_row(unit.conn, transfer_id)
        if head["direction"] == "outgoing":
            raise InvalidInput(_("Transfer {number} is received by store {store}, not here").format(
                number=head["number"], store=head["to_store"]), code="not_for_this_store")
        _expect_status(head, "shipped")
        lines = _apply_received(unit, head, _lines(unit.conn, head["id"]), list(received))
        dest = location_id(unit, head["to_location"])
        quarantine = ensure_location(unit, "QUAR")
        transit = ensure_location(unit, "TRANSIT") if head["direction"] == "internal" else None
        for line in lines:
            _receive_moves(unit, head, line, dest, quarantine, transit, operator)
        unit.conn.executemany("UPDATE transfer_lines SET received_milli = ?, damaged_milli = ?, reason = ? "
                              "WHERE transfer_id = ? AND line_no = ?",
                              [(ln["received_milli"], ln["damaged_milli"], ln["reason"], head["id"], ln["line_no"])
                               for ln in lines if not ln.get("_new")])
        unit.insert("transfer_lines", [_stored(ln) for ln in lines if ln.get("_new")])
        unit.conn.execute("UPDATE transfers SET status = 'received', received_by = ?, received_at = ? WHERE id = ?",
                          (operator.username, unit.at, head["id"]))
        moves = unit.flush_moves()
        digest = unit.journal("transfer_received", head["id"], {
            "number": head["number"], "lines": [[ln["sku"], ln["lot"], ln["qty_milli"], ln["received_milli"],
                                                 ln["damaged_milli"]] for ln in lines]}, user=operator.username)
        unit.outbox("transfer.received", {**_header(head), "received_at": unit.at, "received_by": operator.username,
                                          "lines": [_wire_line(ln) for ln in lines], "movements": moves}, digest)
    return get_transfer(ctx, head["id"])


def _apply_received(unit: Unit, head: dict[str, Any], lines: list[dict[str, Any]],
                    received: list[Received]) -> list[dict[str, Any]]:
    for line in lines:
        line.update(received_milli=line["qty_milli"], damaged_milli=0, reason=None)
    for got in received:
        if got.received < 0 or got.damaged < 0:
            raise InvalidInput(_("Received and damaged quantities cannot be negative"), code="bad_qty")
        line = _match(lines, got)
        if line is None:
            if got.sku is None:
                raise NotFound(_("Transfer {number} has no line {line}").format(number=head["number"],
                                                                              line=got.line_no), code="unknown_line")
            item = resolve_item(unit, sku=got.sku, qty=Decimal(1), lot=got.lot)
            line = {"transfer_id": head["id"], "line_no": len(lines) + 1, "product_id": item.product_id,
                    "sku": item.sku, "lot": item.lot, "expiry": None, "qty_milli": 0, "unit_cost_minor": item.cost_minor,
                    "track_batches": item.track_batches, "_new": True}
            lines.append(line)
        line.update(received_milli=qty_to_milli(got.received), damaged_milli=qty_to_milli(got.damaged),
                    reason=got.reason)
    return lines


def _match(lines: list[dict[str, Any]], got: Received) -> dict[str, Any] | None:
    for line in lines:
        if got.line_no is not None and line["line_no"] == got.line_no:
            return line
        if got.line_no is None and line["sku"] == got.sku and (got.lot is None or line["lot"] == got.lot):
            return line
    return None


def _receive_moves(unit: Unit, head: dict[str, Any], line: dict[str, Any], dest: str, quarantine: str,
                   transit: str | None, operator: Operator) -> None:
    shipped, good, damaged = line["qty_milli"], line["received_milli"], line["damaged_milli"]
    arrived = good + damaged
    batch = _batch(unit, line)
    cost = line["unit_cost_minor"]

    def move(loc: str, qty: int, reason: str) -> None:
        if qty:
            unit.move(Movement(line["product_id"], loc, qty, reason, batch, cost), doc_type="transfer",
                      doc_id=head["id"], user_id=operator.id)

    if transit is not None:
        move(transit, -min(shipped, arrived), "transfer_in")
        move(transit, -max(shipped - arrived, 0), "transfer_short")
    over = max(arrived - shipped, 0)
    move(dest, good - min(over, good), "transfer_in")
    move(dest, min(over, good), "transfer_over")
    move(quarantine, damaged - (over - min(over, good)), "damaged")
    move(quarantine, over - min(over, good), "transfer_over")
