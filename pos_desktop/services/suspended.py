"""Suspending a sale (the customer went to fetch something) and resuming it, on any till of the store."""

from __future__ import annotations

import json
from dataclasses import dataclass

from sqlalchemy import select

from ..core.cart import Cart, CartState, cart_from_dict, cart_to_dict
from ..core.errors import InvalidInput, NotFound
from ..core.i18n import _, ngettext
from ..core.ids import new_id
from ..core.permissions import Action
from ..store import sql
from ..store.models import SuspendedCart
from .auth import Operator, operator_by_id, require
from .context import Context
from .unit import write


@dataclass(frozen=True)
class Suspended:
    id: str
    label: str
    created_at: str
    lines: int


def suspend(ctx: Context, operator: Operator, cart: Cart, label: str = "") -> str:
    """Park ``cart`` (``sale.create``); it leaves the screen and waits in the database. One transaction."""
    require(operator, Action.SELL)
    cart.suspend()
    with write(ctx) as unit:
        cart_id = new_id()
        unit.insert("suspended_carts", {"id": cart_id, "till_id": ctx.till.till_id, "user_id": operator.id,
                                        "label": label or ngettext("{n} line", "{n} lines", len(cart.lines)).format(
                                            n=len(cart.lines)),
                                        "payload": json.dumps(cart_to_dict(cart, _approver_id), ensure_ascii=False),
                                        "created_at": unit.at, "resumed_at": None})
    return cart_id


def _approver_id(who: object) -> str | None:
    return who.id if isinstance(who, Operator) else None


def list_suspended(ctx: Context) -> list[Suspended]:
    with ctx.db.read() as session:
        rows = session.scalars(select(SuspendedCart).where(SuspendedCart.resumed_at.is_(None))
                               .order_by(SuspendedCart.created_at))
        return [Suspended(r.id, r.label, r.created_at, len(json.loads(r.payload)["lines"])) for r in rows]


def resume(ctx: Context, operator: Operator, cart_id: str) -> Cart:
    """Take a parked cart back (once: a second resume is refused), open for more scanning."""
    require(operator, Action.SELL)
    with write(ctx) as unit:
        row = sql.one(unit.conn, "SELECT payload, resumed_at FROM suspended_carts WHERE id = ?", cart_id)
        if row is None:
            raise NotFound(_("No suspended sale {id}").format(id=cart_id), code="unknown_suspended")
        if row[1] is not None:
            raise InvalidInput(_("That sale was resumed already"), code="already_resumed")
        sql.execute(unit.conn, "UPDATE suspended_carts SET resumed_at = ? WHERE id = ?", unit.at, cart_id)
    cart = cart_from_dict(json.loads(row[0]), lambda user_id: operator_by_id(ctx, user_id))
    assert cart.state is CartState.OPEN
    return cart
