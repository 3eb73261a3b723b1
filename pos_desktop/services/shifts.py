"""The till's open shift. Selling on a till with no open shift opens one (float 0) for the cashier;
``pos shift open/close`` with counted floats arrive with the close-of-day work."""

from __future__ import annotations

from sqlalchemy import select

from ..core.ids import new_id
from ..store.models import Shift
from .unit import Unit


def current_shift_id(unit: Unit) -> str | None:
    return unit.session.scalar(
        select(Shift.id).where(Shift.till_id == unit.ctx.till.till_id, Shift.closed_at.is_(None))
        .order_by(Shift.opened_at.desc()).limit(1))


def ensure_shift(unit: Unit, user_id: str, username: str) -> str:
    """The open shift's id, opening one in this transaction if there is none."""
    shift_id = current_shift_id(unit)
    if shift_id is not None:
        return shift_id
    shift_id = new_id()
    unit.session.add(Shift(id=shift_id, till_id=unit.ctx.till.till_id, opened_by=user_id, opened_at=unit.at,
                           opening_float_minor=0))
    unit.session.flush()
    digest = unit.journal("shift_opened", shift_id, {"float": "0", "auto": True}, user=username)
    unit.outbox("shift.opened", {"shift_id": shift_id, "till_id": unit.ctx.till.till_id, "opened_at": unit.at,
                                 "opened_by": username, "float_minor": 0}, digest)
    return shift_id
