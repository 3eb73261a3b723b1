"""The till's open shift. Selling on a till with no open shift opens one (float 0) for the cashier;
``pos shift open/close`` with counted floats arrive with the close-of-day work."""

from __future__ import annotations

from ..core.ids import new_id
from ..store import sql
from .unit import Unit


def current_shift_id(unit: Unit) -> str | None:
    return sql.scalar(unit.conn, "SELECT id FROM shifts WHERE till_id = ? AND closed_at IS NULL "
                                 "ORDER BY opened_at DESC LIMIT 1", unit.ctx.till.till_id)


def ensure_shift(unit: Unit, user_id: str, username: str) -> str:
    """The open shift's id, opening one in this transaction if there is none."""
    shift_id = current_shift_id(unit)
    if shift_id is not None:
        return shift_id
    shift_id = new_id()
    unit.insert("shifts", {"id": shift_id, "till_id": unit.ctx.till.till_id, "opened_by": user_id,
                           "opened_at": unit.at, "opening_float_minor": 0, "closed_at": None, "closed_by": None})
    digest = unit.journal("shift_opened", shift_id, {"float": "0", "auto": True}, user=username)
    unit.outbox("shift.opened", {"shift_id": shift_id, "till_id": unit.ctx.till.till_id, "opened_at": unit.at,
                                 "opened_by": username, "float_minor": 0}, digest)
    return shift_id


def close_open_shift(unit: Unit, user_id: str, username: str) -> str | None:
    """Close the till's open shift, if any (the full cash-count close comes with the close-of-day work)."""
    shift_id = current_shift_id(unit)
    if shift_id is None:
        return None
    sql.execute(unit.conn, "UPDATE shifts SET closed_at = ?, closed_by = ? WHERE id = ?", unit.at, user_id, shift_id)
    digest = unit.journal("shift_closed", shift_id, {}, user=username)
    unit.outbox("shift.closed", {"shift_id": shift_id, "closed_at": unit.at, "closed_by": username}, digest)
    return shift_id


def open_shift_info(ctx) -> tuple[str, str] | None:  # type: ignore[no-untyped-def]
    """(who opened it, when) of the till's open shift, for the log-in screen; None when no shift is open."""
    rows = ctx.products.query(
        "SELECT u.display_name, s.opened_at FROM shifts s JOIN users u ON u.id = s.opened_by "
        "WHERE s.till_id = ? AND s.closed_at IS NULL ORDER BY s.opened_at DESC LIMIT 1", ctx.till.till_id)
    return (rows[0][0], rows[0][1]) if rows else None
