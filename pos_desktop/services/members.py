"""Members and their points: a ledger of signed entries, with the balance cached on the member."""

from __future__ import annotations

from decimal import ROUND_FLOOR, Decimal

from sqlalchemy import insert, select, update

from ..core.errors import InvalidInput, NotFound
from ..core.i18n import _
from ..core.ids import new_id
from ..store.models import Customer, PointsEntry
from .context import Context
from .unit import Unit


def find_member(unit: Unit, code: str) -> Customer:
    member = unit.session.scalar(select(Customer).where((Customer.code == code) | (Customer.phone == code)))
    if member is None:
        raise NotFound(_("No member with code or phone {code}").format(code=code), code="unknown_member")
    return member


def points_for_amount(ctx: Context, amount: Decimal) -> int:
    """How many points a redemption of ``amount`` costs; it must come to whole points."""
    value = Decimal(ctx.setting("points_value"))
    points = amount / value
    if points != points.to_integral_value():
        raise InvalidInput(_("{amount} cannot be paid in whole points (one point is worth {value})").format(
            amount=amount, value=value))
    return int(points)


def points_earned(ctx: Context, amount: Decimal) -> int:
    rate = Decimal(ctx.setting("points_per_yuan"))
    return int((amount * rate).to_integral_value(rounding=ROUND_FLOOR)) if amount > 0 else 0


def post_points(unit: Unit, customer_id: str, delta: int, reason: str, doc_id: str) -> int:
    """Add a ledger entry and move the cached balance; returns the new balance."""
    if delta == 0:
        return unit.session.scalar(select(Customer.points).where(Customer.id == customer_id)) or 0
    unit.session.execute(insert(PointsEntry).values(
        id=new_id(), customer_id=customer_id, delta=delta, reason=reason, doc_id=doc_id, created_at=unit.at))
    return unit.session.scalar(update(Customer).where(Customer.id == customer_id)
                               .values(points=Customer.points + delta).returning(Customer.points))
