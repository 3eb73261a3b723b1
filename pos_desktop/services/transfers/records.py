"""The stored transfer: reading it back (``get_transfer``, ``list_transfers``), its rows, the status checks of
each step, and the shape of a transfer and its lines in the events that travel through sync."""

from __future__ import annotations

from typing import Any

from ...core.errors import InvalidInput, NotFound
from ...core.i18n import _
from ...core.ids import new_id
from ...core.money import milli_to_qty
from ...store import sql
from ..context import Context
from ..unit import Unit
from .model import Pick, TransferInfo, TransferLineInfo
from .picking import _pick


# --------------------------------------------------------------------------------------------------- reading


def get_transfer(ctx: Context, transfer_id: str, *, with_picks: bool = False) -> TransferInfo:
    today = ctx.clock.now().date()
    with ctx.db.read() as session:
        conn = sql.dbapi(session.connection())
        head = _transfer_row(conn, transfer_id)
        source = sql.scalar(conn, "SELECT id FROM locations WHERE code = ?", head["from_location"])
        lines = []
        for ln in _lines(conn, head["id"]):
            picks: tuple[Pick, ...] = ()
            if with_picks and ln["track_batches"] and not ln["lot"] and source:
                found, _missing = _pick(conn, ln, source, today, head["to_location"] == "QUAR")
                picks = tuple(Pick(lot, expiry, milli_to_qty(q)) for _b, lot, expiry, q in found)
            m = lambda v: milli_to_qty(v) if v is not None else None
            lines.append(TransferLineInfo(ln["line_no"], ln["sku"], ln["lot"], ln["expiry"], milli_to_qty(ln["qty_milli"]),
                                          m(ln["received_milli"]), m(ln["damaged_milli"]), ln["reason"], picks))
    return TransferInfo(head["id"], head["number"], head["direction"], head["status"], head["from_store"],
                        head["from_location"], head["to_store"], head["to_location"], head["created_at"],
                        head["shipped_at"], head["received_at"], tuple(lines))


def list_transfers(ctx: Context, status: str | None = None) -> list[TransferInfo]:
    """Transfers, newest first (all, or one status: draft, shipped, received, cancelled)."""
    with ctx.db.read() as session:
        ids = [r[0] for r in sql.rows(sql.dbapi(session.connection()), "SELECT id FROM transfers WHERE ? IS NULL "
                                      "OR status = ? ORDER BY created_at DESC, number DESC", status, status)]
    return [get_transfer(ctx, i) for i in ids]


# ------------------------------------------------------------------------------------ rows and event shapes


def _transfer_row(conn, ref: str) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    cur = conn.execute("SELECT * FROM transfers WHERE id = ? OR number = ?", (ref, (ref or "").strip().upper()))
    row = cur.fetchone()
    if row is None:
        raise NotFound(_("No transfer {ref}").format(ref=ref), code="unknown_transfer")
    return dict(zip([d[0] for d in cur.description], row))


def _lines(conn, transfer_id: str) -> list[dict[str, Any]]:  # type: ignore[no-untyped-def]
    cur = conn.execute("SELECT tl.*, p.track_batches FROM transfer_lines tl JOIN products p ON p.id = tl.product_id "
                       "WHERE tl.transfer_id = ? ORDER BY tl.line_no", (transfer_id,))
    names = [d[0] for d in cur.description]
    return [dict(zip(names, row)) for row in cur.fetchall()]


LINE_COLUMNS = ("transfer_id", "line_no", "product_id", "sku", "lot", "expiry", "qty_milli", "received_milli",
                "damaged_milli", "reason", "unit_cost_minor")


def _stored(line: dict[str, Any]) -> dict[str, Any]:
    return {column: line.get(column) for column in LINE_COLUMNS}


def _expect_status(head: dict[str, Any], wanted: str) -> None:
    if head["status"] == wanted:
        return
    messages = {
        "draft": _("Transfer {number} is {status}: only a draft can be shipped or cancelled"),
        "shipped": _("Transfer {number} is {status}: only a shipped transfer can be received"),
    }
    raise InvalidInput(messages[wanted].format(number=head["number"], status=head["status"]),
                       code="already_received" if head["status"] == "received" else "bad_transfer_state")


def _header(head: dict[str, Any]) -> dict[str, Any]:
    return {"transfer_id": head["id"], "number": head["number"], "direction": head["direction"],
            "from_store": head["from_store"], "from_location": head["from_location"], "to_store": head["to_store"],
            "to_location": head["to_location"], "note": head["note"]}


def _wire_line(line: dict[str, Any]) -> dict[str, Any]:
    shipped, good, damaged = line["qty_milli"], line.get("received_milli"), line.get("damaged_milli")
    wire = {"line_no": line["line_no"], "sku": line["sku"], "lot": line["lot"], "expiry": line["expiry"],
            "qty_milli": shipped, "unit_cost_minor": line["unit_cost_minor"]}
    if good is not None:
        arrived = good + (damaged or 0)
        wire.update(received_milli=good, damaged_milli=damaged or 0, short_milli=max(shipped - arrived, 0),
                    over_milli=max(arrived - shipped, 0), reason=line.get("reason"))
    return wire


def _batch(unit: Unit, line: dict[str, Any]) -> str | None:
    if not line["lot"]:
        return None
    found = sql.scalar(unit.conn, "SELECT id FROM batches WHERE product_id = ? AND lot = ?", line["product_id"],
                       line["lot"])
    if found is None:
        found = new_id()
        unit.insert("batches", {"id": found, "product_id": line["product_id"], "lot": line["lot"],
                                "expiry": line["expiry"]})
    return found
