"""Transfers of stock between locations of this store and between stores, and the store's locations.

draft (``create_transfer``) → shipped (``ship_transfer``: stock leaves its location and waits in TRANSIT) →
received (``receive_transfer``: what arrived in good order goes to the destination, damaged goods to QUAR, a
shortage leaves TRANSIT as ``transfer_short``, an excess is its own ``transfer_over`` movement).

Between stores the document travels through sync (see docs/backoffice.md, "Transfers between stores"):
- the sender's ``transfer.shipped`` event carries everything the other store needs; the server forwards it
  to the receiving store's tills, where ``receive_remote_shipment(ctx, payload)`` creates the incoming transfer
  (same id and number, status shipped, no movements: the goods are in the sender's TRANSIT);
- the receiver's ``transfer.received`` event is forwarded to the tills of both stores, where
  ``settle_remote_receipt(ctx, payload)`` takes the goods out of the sender's TRANSIT (delivered / short), or
  marks the incoming copy received on the receiving store's other tills. Both functions are idempotent.

Shipping more than is on hand at the source is refused (unlike a sale, nothing has happened yet: count or
correct the stock first). Batch-tracked goods without a named lot are picked first-expiry-first-out from the
batches that have not expired (expired ones first when the destination is quarantine).
Permission: ``stock.transfer`` for every step; ``settings.edit`` to add a location.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from ..core.errors import InvalidInput, NotFound
from ..core.i18n import _
from ..core.ids import check_code, new_id
from ..core.money import ZERO, format_qty, milli_to_qty, qty_to_milli
from ..core.permissions import Action
from ..store import sql
from .auth import Operator, require
from .context import Context
from .counts import resolve_item
from .stock import ensure_location, location_id
from .unit import Movement, Unit, write

LOCATION_KINDS = ("floor", "storage", "warehouse")


@dataclass(frozen=True)
class LineInput:
    """A line to move: by SKU or barcode, how many, optionally which lot."""

    qty: Decimal
    sku: str | None = None
    barcode: str | None = None
    lot: str | None = None


@dataclass(frozen=True)
class Received:
    """What arrived of a shipped line (``line_no``, or ``sku`` and ``lot``): in good order, damaged, and why
    it differs. A line not mentioned arrived in full; a SKU that was not shipped at all is an excess."""

    received: Decimal
    damaged: Decimal = ZERO
    line_no: int | None = None
    sku: str | None = None
    lot: str | None = None
    reason: str | None = None


@dataclass(frozen=True)
class Pick:
    lot: str | None
    expiry: str | None
    qty: Decimal
    expired: bool = False


@dataclass(frozen=True)
class TransferLineInfo:
    line_no: int
    sku: str
    lot: str | None
    expiry: str | None
    qty: Decimal
    received: Decimal | None
    damaged: Decimal | None
    reason: str | None
    picks: tuple[Pick, ...] = ()

    @property
    def short(self) -> Decimal:
        return max(self.qty - (self.received or ZERO) - (self.damaged or ZERO), ZERO) if self.received is not None \
            else ZERO

    @property
    def over(self) -> Decimal:
        return max((self.received or ZERO) + (self.damaged or ZERO) - self.qty, ZERO)


@dataclass(frozen=True)
class TransferInfo:
    id: str
    number: str
    direction: str
    status: str
    from_store: str
    from_location: str
    to_store: str
    to_location: str
    created_at: str
    shipped_at: str | None
    received_at: str | None
    lines: tuple[TransferLineInfo, ...]

    def to_json(self) -> dict[str, Any]:
        q = lambda v: format_qty(v) if v is not None else None
        return {"transfer_id": self.id, "number": self.number, "direction": self.direction, "status": self.status,
                "from": f"{self.from_store}:{self.from_location}", "to": f"{self.to_store}:{self.to_location}",
                "created_at": self.created_at, "shipped_at": self.shipped_at, "received_at": self.received_at,
                "lines": [{"line_no": ln.line_no, "sku": ln.sku, "lot": ln.lot, "expiry": ln.expiry,
                           "qty": q(ln.qty), "received": q(ln.received), "damaged": q(ln.damaged),
                           "short": q(ln.short), "over": q(ln.over), "reason": ln.reason,
                           "pick": [{"lot": p.lot, "expiry": p.expiry, "qty": q(p.qty)} for p in ln.picks]}
                          for ln in self.lines]}


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


def _pick(conn, line: dict[str, Any], source: str, today: date,  # type: ignore[no-untyped-def]
          expired_first: bool) -> tuple[list[tuple[str | None, str | None, str | None, int]], int]:
    """Which batches a line takes: (batch, lot, expiry, qty) and how much is missing."""
    want = line["qty_milli"]
    if line["lot"]:
        row = sql.one(conn, "SELECT b.id, b.expiry, coalesce(sl.qty_milli, 0) FROM batches b LEFT JOIN stock_levels sl "
                            "ON sl.batch_key = b.id AND sl.location_id = ? AND sl.product_id = b.product_id "
                            "WHERE b.product_id = ? AND b.lot = ?", source, line["product_id"], line["lot"])
        batch, expiry, have = row if row else (None, None, 0)
        return [(batch, line["lot"], expiry, want)], max(want - max(have, 0), 0)
    if not line["track_batches"]:
        have = sql.scalar(conn, "SELECT coalesce(sum(qty_milli), 0) FROM stock_levels WHERE product_id = ? AND "
                                "location_id = ? AND batch_key = ''", line["product_id"], source)
        return [(None, None, None, want)], max(want - max(have, 0), 0)
    picks = []
    for batch, lot, expiry, have in _fefo(conn, line["product_id"], source, today, expired_first):
        take = min(have, want)
        picks.append((batch, lot, expiry, take))
        want -= take
        if want == 0:
            break
    return picks, want


def _fefo(conn, product_id: str, loc: str, today: date,  # type: ignore[no-untyped-def]
          expired_first: bool) -> list[tuple[str, str, str | None, int]]:
    """Batches on hand, earliest expiry first; expired batches only when ``expired_first`` (then first)."""
    rows = sql.rows(conn, "SELECT b.id, b.lot, b.expiry, sl.qty_milli FROM stock_levels sl JOIN batches b "
                          "ON b.id = sl.batch_key WHERE sl.product_id = ? AND sl.location_id = ? AND sl.qty_milli > 0 "
                          "ORDER BY b.expiry IS NULL, b.expiry, b.lot", product_id, loc)
    expired = [r for r in rows if r[2] is not None and r[2] < today.isoformat()]
    fresh = [r for r in rows if r not in expired]
    return expired + fresh if expired_first else fresh


def fefo_pick(ctx: Context, *, sku: str, location: str, qty: Decimal) -> tuple[list[Pick], Decimal]:
    """First-expiry-first-out suggestion for taking ``qty`` of ``sku`` from ``location``: which lots, how many
    of each (expired lots are never suggested; they are listed with ``expired=True`` and qty on hand), and how
    much the location cannot cover. Reads only."""
    today = ctx.clock.now().date()
    with ctx.db.read() as session:
        conn = sql.dbapi(session.connection())
        row = sql.one(conn, "SELECT id FROM products WHERE sku = ?", sku)
        if row is None:
            raise NotFound(_("Unknown SKU {sku}").format(sku=sku), code="unknown_product")
        loc = location_id(session, location)
        want = qty_to_milli(qty)
        picks = []
        for _batch, lot, expiry, have in _fefo(conn, row[0], loc, today, False):
            if want <= 0:
                break
            take = min(have, want)
            picks.append(Pick(lot, expiry, milli_to_qty(take)))
            want -= take
        stale = [Pick(lot, expiry, milli_to_qty(have), True)
                 for _b, lot, expiry, have in _fefo(conn, row[0], loc, today, True) if expiry and expiry < today.isoformat()]
    return picks + stale, milli_to_qty(max(want, 0))


# ---------------------------------------------------------------------------------------------- receiving


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


# ------------------------------------------------------------------------------------ between two stores


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


# -------------------------------------------------------------------------------------- reading, cancelling


def cancel_transfer(ctx: Context, operator: Operator, transfer_id: str) -> TransferInfo:
    """Drop a draft (``stock.transfer``); a shipped transfer is received (short if need be), never cancelled."""
    require(operator, Action.TRANSFER)
    with write(ctx) as unit:
        head = _transfer_row(unit.conn, transfer_id)
        _expect_status(head, "draft")
        unit.conn.execute("UPDATE transfers SET status = 'cancelled' WHERE id = ?", (head["id"],))
    return get_transfer(ctx, head["id"])


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


# --------------------------------------------------------------------------------------------- locations


def list_locations(ctx: Context) -> list[dict[str, str]]:
    """The store's locations: FLOOR, BACK, any warehouse, and TRANSIT/QUAR once used."""
    with ctx.db.read() as session:
        return [{"code": c, "name": n, "kind": k} for c, n, k in sql.rows(
            sql.dbapi(session.connection()), "SELECT code, name, kind FROM locations ORDER BY code")]


def add_location(ctx: Context, operator: Operator, *, code: str, name: str, kind: str = "storage",
                 approver: Operator | None = None) -> dict[str, str]:
    """A new place for stock (``settings.edit``): kind floor, storage or warehouse. TRANSIT and QUAR are made
    when first needed. One transaction with a journal entry and the ``location.created`` event."""
    approved = require(operator, Action.SETTINGS, approver)
    code = check_code(code, _("Location code"))
    if kind not in LOCATION_KINDS:
        raise InvalidInput(_("The kind of a location is one of {kinds}").format(kinds=", ".join(LOCATION_KINDS)),
                           code="bad_kind")
    if not name.strip():
        raise InvalidInput(_("The location needs a name"), code="bad_name")
    with write(ctx) as unit:
        if sql.scalar(unit.conn, "SELECT 1 FROM locations WHERE code = ?", code):
            raise InvalidInput(_("There is already a location {code}").format(code=code), code="duplicate_location")
        row = {"id": new_id(), "store_id": ctx.till.store_id, "code": code, "name": name.strip(), "kind": kind}
        unit.insert("locations", row)
        digest = unit.journal("location_added", row["id"], {"code": code, "kind": kind}, user=operator.username,
                              approver=approved.username if approved else None)
        unit.outbox("location.created", {"store": ctx.till.store_code, "code": code, "name": row["name"],
                                         "kind": kind}, digest)
    return {"code": code, "name": row["name"], "kind": kind}
