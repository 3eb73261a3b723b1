"""Members and their points: a ledger of signed entries, with the balance cached on the member."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_FLOOR, Decimal

from sqlalchemy import insert, select

from ..core.errors import InvalidInput, NotFound
from ..core.i18n import _
from ..core.ids import new_id
from ..core.permissions import Action
from ..store import sql
from ..store.models import Customer
from .auth import Operator, require
from .context import Context
from .unit import Unit, write


@dataclass(frozen=True)
class Member:
    id: str
    code: str
    points: int


def find_member(unit: Unit, code: str) -> Member:
    row = sql.one(unit.conn, "SELECT id, code, points FROM customers WHERE code = ? OR phone = ?", code, code)
    if row is None:
        raise NotFound(_("No member with code or phone {code}").format(code=code), code="unknown_member")
    return Member(*row)


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
        return sql.scalar(unit.conn, "SELECT points FROM customers WHERE id = ?", customer_id) or 0
    unit.insert("points_ledger", {"id": new_id(), "customer_id": customer_id, "delta": delta, "reason": reason,
                                  "doc_id": doc_id, "created_at": unit.at})
    return sql.scalar(unit.conn, "UPDATE customers SET points = points + ? WHERE id = ? RETURNING points",
                      delta, customer_id)


def member_by_code(ctx: Context, code: str) -> tuple[str, str]:
    """(id, code) of the member with this code or phone number."""
    with ctx.db.read() as session:
        row = session.execute(select(Customer.id, Customer.code)
                              .where((Customer.code == code) | (Customer.phone == code))).first()
    if row is None:
        raise NotFound(_("No member with code or phone {code}").format(code=code), code="unknown_member")
    return row[0], row[1]


def enrol_member(ctx: Context, operator: Operator, *, code: str, name: str, phone: str | None = None) -> str:
    """Quick enrolment at the till (``member.enrol``); pushed to the server like any document."""
    require(operator, Action.MEMBER_ENROL)
    if not code.strip() or not name.strip():
        raise InvalidInput(_("A member needs a code and a name"))
    with write(ctx) as unit:
        if unit.session.scalar(select(Customer.id).where(Customer.code == code)):
            raise InvalidInput(_("Member code {code} is taken").format(code=code))
        if phone and unit.session.scalar(select(Customer.id).where(Customer.phone == phone)):
            raise InvalidInput(_("Phone {phone} belongs to another member").format(phone=phone))
        member_id = new_id()
        unit.session.execute(insert(Customer).values(id=member_id, code=code, name=name, phone=phone, points=0,
                                                     created_at=unit.at))
        payload = {"member_id": member_id, "code": code, "name": name, "phone": phone}
        digest = unit.journal("member_enrolled", member_id, {"code": code}, user=operator.username)
        unit.outbox("member.enrolled", payload, digest)
    return member_id
