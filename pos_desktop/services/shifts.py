"""The till's shifts: who holds the drawer, its float, cash paid in and out, and the count at the close.

- ``open_shift``: a float counted by denomination (or just an amount). Selling with no open shift still opens
  one by itself for the cashier, with a float of 0 (``ensure_shift``): a till never refuses a sale for want
  of a shift; the shift then shows the float as ``auto``.
- ``move_cash``: pay-ins, pay-outs and safe drops, each with a reason (``shift.cash_move``).
- ``close_shift``: a blind count — the cashier gives what is in the drawer (an amount, or notes and coins)
  before seeing what was expected; expected against counted is recorded per tender with the variance, and a
  variance above the limit (``cash_variance_limit``, default 10.00) needs an explanation.
- ``hand_over``: the drawer passes to another cashier: one shift closes (counted, or carried uncounted) and the
  next opens for them with what the drawer holds as its float.
Everything is local: closing a shift never needs the server. Each step is one transaction with its journal
entry and outbox event (``shift.opened``, ``shift.cash_moved``, ``shift.closed``).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from ..core.errors import InvalidInput, NotFound
from ..core.i18n import _
from ..core.ids import new_id
from ..core.money import format_money, from_minor, to_minor
from ..core.permissions import Action, Role, allowed
from ..store import sql
from . import cash
from .auth import Operator, require
from .denominations import DenominationCount, check_total
from .unit import Unit, write

CASH_MOVE_KINDS = ("in", "out", "drop")
DEFAULT_VARIANCE_LIMIT = Decimal("10.00")
MAX_TEXT = 200
MAX_EXPLANATION = 500
OPEN_SHIFT = """SELECT s.id, s.opened_by, s.opened_at, s.opening_float_minor, s.float_source, u.username,
                       u.display_name
                FROM shifts s JOIN users u ON u.id = s.opened_by
                WHERE s.till_id = ? AND s.closed_at IS NULL ORDER BY s.opened_at DESC LIMIT 1"""


def current_shift_id(unit: Unit) -> str | None:
    return sql.scalar(unit.conn, "SELECT id FROM shifts WHERE till_id = ? AND closed_at IS NULL "
                                 "ORDER BY opened_at DESC LIMIT 1", unit.ctx.till.till_id)


def ensure_shift(unit: Unit, user_id: str, username: str) -> str:
    """The open shift's id, opening one (float 0, ``auto``) in this transaction if there is none."""
    shift_id = current_shift_id(unit)
    if shift_id is not None:
        return shift_id
    return _open(unit, user_id, username, 0, "auto", None, None, username)


def close_open_shift(unit: Unit, user_id: str, username: str) -> str | None:
    """Close the till's open shift, if any, without a count (the demo's end of day); expected is recorded."""
    shift = _open_shift(unit)
    if shift is None:
        return None
    _close(unit, shift, user_id, username, "auto", None, None, "", {})
    return shift["id"]


def open_shift_info(ctx) -> tuple[str, str] | None:  # type: ignore[no-untyped-def]
    """(who opened it, when) of the till's open shift, for the log-in screen; None when no shift is open."""
    rows = ctx.products.query(
        "SELECT u.display_name, s.opened_at FROM shifts s JOIN users u ON u.id = s.opened_by "
        "WHERE s.till_id = ? AND s.closed_at IS NULL ORDER BY s.opened_at DESC LIMIT 1", ctx.till.till_id)
    return (rows[0][0], rows[0][1]) if rows else None


def variance_limit(ctx) -> Decimal:  # type: ignore[no-untyped-def]
    """The largest cash variance a close may have without an explanation (store setting ``cash_variance_limit``)."""
    return Decimal(str(ctx.settings.get("cash_variance_limit", DEFAULT_VARIANCE_LIMIT)))


# ------------------------------------------------------------------------------------------- opening
def open_shift(ctx, operator: Operator, *, float_amount: Decimal | None = None,  # type: ignore[no-untyped-def]
               count: DenominationCount | None = None, approver: Operator | None = None) -> dict[str, Any]:
    """Open a shift for ``operator`` with a float (``shift.operate``).

    The float is ``float_amount``, the total of ``count`` (notes and coins), or both when they agree. Refused
    while the till has an open shift. One transaction; emits ``shift.opened``.
    """
    require(operator, Action.SHIFT, approver)
    amount = check_total(count, float_amount, _("The float"))
    minor = _money_minor(amount, ctx.places, _("The float"))
    with write(ctx) as unit:
        if current_shift_id(unit) is not None:
            raise InvalidInput(_("A shift is already open on this till; close it (or hand it over) first"),
                               code="shift_open")
        shift_id = _open(unit, operator.id, operator.username, minor, "counted", None, count, operator.username)
        return _opened_json(unit, shift_id, operator.username, minor, "counted", None, count)


def _open(unit: Unit, holder_id: str, holder: str, float_minor: int, source: str, previous: str | None,
          count: DenominationCount | None, by: str) -> str:
    shift_id = new_id()
    unit.insert("shifts", {"id": shift_id, "till_id": unit.ctx.till.till_id, "opened_by": holder_id,
                           "opened_at": unit.at, "opening_float_minor": float_minor, "closed_at": None,
                           "closed_by": None, "float_source": source, "previous_shift_id": previous})
    if count is not None:
        _insert_count(unit, shift_id, "opening", count, holder_id)
    m = _m(unit)
    payload = {"float": m(float_minor), "source": source, "holder": holder, "previous_shift": previous,
               "auto": source == "auto", "denominations": count.to_json() if count else None}
    digest = unit.journal("shift_opened", shift_id, payload, user=by)
    unit.outbox("shift.opened", {"shift_id": shift_id, "till_id": unit.ctx.till.till_id, "opened_at": unit.at,
                                 "opened_by": holder, "float_minor": float_minor, "float_source": source,
                                 "previous_shift_id": previous,
                                 "denominations": count.to_json() if count else None}, digest)
    return shift_id


def _opened_json(unit: Unit, shift_id: str, holder: str, float_minor: int, source: str, previous: str | None,
                 count: DenominationCount | None) -> dict[str, Any]:
    return {"shift_id": shift_id, "till": unit.ctx.till.till_code, "cashier": holder, "opened_at": unit.at,
            "float": _m(unit)(float_minor), "float_source": source, "previous_shift_id": previous,
            "denominations": count.to_json() if count else None}


# ---------------------------------------------------------------------------------------- cash moves
def move_cash(ctx, operator: Operator, *, kind: str, amount: Decimal, reason: str,  # type: ignore[no-untyped-def]
              approver: Operator | None = None) -> dict[str, Any]:
    """A pay-in (``in``), pay-out (``out``) or safe drop (``drop``) of the open shift (``shift.cash_move``).

    ``reason`` is required. A pay-out or drop larger than the cash the drawer should hold is refused. One
    transaction; emits ``shift.cash_moved``.
    """
    approved = require(operator, Action.CASH_MOVE, approver)
    if kind not in CASH_MOVE_KINDS:
        raise InvalidInput(_("A cash movement is one of {kinds}, not {kind!r}").format(
            kinds=", ".join(CASH_MOVE_KINDS), kind=kind), code="bad_cash_move")
    reason = _text(reason, _("A cash movement needs a reason"), MAX_TEXT)
    minor = _money_minor(amount, ctx.places, _("The amount"))
    if minor <= 0:
        raise InvalidInput(_("The amount must be more than 0, not {amount}").format(amount=amount),
                           code="bad_amount")
    with write(ctx) as unit:
        shift = _open_shift(unit)
        if shift is None:
            raise InvalidInput(_("No shift is open on this till; open one first (pos shift open)"),
                               code="no_open_shift")
        if kind != "in" and minor > cash.expected(unit.conn, shift["id"]).cash:
            raise InvalidInput(_("The drawer does not hold that much cash"), code="not_enough_cash")
        move_id = new_id()
        unit.insert("cash_movements", {
            "id": move_id, "shift_id": shift["id"], "till_id": ctx.till.till_id, "kind": kind,
            "amount_minor": minor, "reason": reason, "user_id": operator.id,
            "approver_id": approved.id if approved else None, "created_at": unit.at})
        m = _m(unit)
        payload = {"shift_id": shift["id"], "kind": kind, "amount": m(minor), "reason": reason}
        digest = unit.journal("cash_moved", move_id, payload, user=operator.username,
                              approver=approved.username if approved else None)
        unit.outbox("shift.cash_moved", {"movement_id": move_id, "till_id": ctx.till.till_id, "at": unit.at,
                                         "amount_minor": minor, "user": operator.username,
                                         "approver": approved.username if approved else None,
                                         **{k: v for k, v in payload.items() if k != "amount"}}, digest)
        return {"movement_id": move_id, "shift_id": shift["id"], "kind": kind, "amount": m(minor),
                "reason": reason, "at": unit.at, "user": operator.username,
                "approver": approved.username if approved else None}


# -------------------------------------------------------------------------------------------- closing
def close_shift(ctx, operator: Operator, *, counted_cash: Decimal | None = None,  # type: ignore[no-untyped-def]
                count: DenominationCount | None = None, explanation: str = "",
                counted_tenders: dict[str, Decimal] | None = None,
                approver: Operator | None = None) -> dict[str, Any]:
    """Close the open shift with a blind cash count (``shift.operate``).

    ``counted_cash`` and/or ``count`` say what is in the drawer; ``counted_tenders`` may give counted amounts
    of other tenders (else they count as recorded). Expected, counted and variance are stored per tender; a
    variance above ``variance_limit`` needs ``explanation`` (refused otherwise, nothing stored). Works offline:
    it reads and writes only the till's database. One transaction; emits ``shift.closed``.
    """
    require(operator, Action.SHIFT, approver)
    counted = _money_minor(check_total(count, counted_cash, _("The counted cash")), ctx.places,
                           _("The counted cash"))
    others = _others(counted_tenders, ctx.places)
    with write(ctx) as unit:
        shift = _open_shift(unit)
        if shift is None:
            raise InvalidInput(_("No shift is open on this till"), code="no_open_shift")
        return _close(unit, shift, operator.id, operator.username, "count", counted, count, explanation, others)[0]


def hand_over(ctx, operator: Operator, *, to_user: str,  # type: ignore[no-untyped-def]
              counted_cash: Decimal | None = None, count: DenominationCount | None = None, explanation: str = "",
              counted_tenders: dict[str, Decimal] | None = None, incoming: Operator | None = None,
              approver: Operator | None = None) -> dict[str, Any]:
    """Hand the open shift's drawer over to ``to_user`` (``shift.operate``).

    The open shift closes — with a count when ``counted_cash``/``count`` is given (as ``close_shift``), else
    uncounted — and a new shift opens for ``to_user`` with what the drawer holds as its float: the count, or
    the expected cash carried over. ``incoming`` is the new cashier's own log-in when they confirmed it. One
    transaction; emits ``shift.closed`` and ``shift.opened``.
    """
    require(operator, Action.SHIFT, approver)
    to_id, to_name, to_role = _user(ctx, to_user)
    if not allowed(Role(to_role), Action.SELL):
        raise InvalidInput(_("{name} may not sell, so cannot take the drawer over").format(name=to_name),
                           code="cannot_sell")
    if incoming is not None and incoming.id != to_id:
        raise InvalidInput(_("The confirming log-in is not {name}'s").format(name=to_name), code="wrong_user")
    counted = None
    if counted_cash is not None or count is not None:
        counted = _money_minor(check_total(count, counted_cash, _("The counted cash")), ctx.places,
                               _("The counted cash"))
    others = _others(counted_tenders, ctx.places)
    with write(ctx) as unit:
        shift = _open_shift(unit)
        if shift is None:
            raise InvalidInput(_("No shift is open on this till"), code="no_open_shift")
        if shift["opened_by"] == to_id:
            raise InvalidInput(_("{name} already holds this shift").format(name=to_name), code="same_user")
        closed, expected_cash = _close(unit, shift, operator.id, operator.username, "handover", counted, count,
                                       explanation, others, handed_to=to_id)
        float_minor = counted if counted is not None else expected_cash
        source = "counted" if counted is not None else "carried"
        new_id_ = _open(unit, to_id, to_name, float_minor, source, shift["id"], count, operator.username)
        unit.journal("shift_handed_over", new_id_, {"from_shift": shift["id"], "from": shift["username"],
                                                    "to": to_name, "float": _m(unit)(float_minor),
                                                    "confirmed": incoming is not None},
                     user=operator.username)
        opened = _opened_json(unit, new_id_, to_name, float_minor, source, shift["id"], count)
        return {"from": shift["username"], "to": to_name, "closed": closed, "opened": opened}


def carry_over(unit: Unit, by: Operator) -> dict[str, Any] | None:
    """Inside a Z report's transaction: end the open shift uncounted at the day's close and open the next one
    for the same cashier, carrying the expected cash as its float (so no sale of a closed day stays in an
    open shift, where it could still be voided). None when no shift is open."""
    shift = _open_shift(unit)
    if shift is None:
        return None
    float_minor = _close(unit, shift, by.id, by.username, "day_close", None, None, "", {})[1]
    new_shift = _open(unit, shift["opened_by"], shift["username"], float_minor, "carried", shift["id"], None,
                      by.username)
    return {"closed_shift_id": shift["id"], "new_shift_id": new_shift, "carried": _m(unit)(float_minor)}


def _close(unit: Unit, shift: dict[str, Any], by_id: str, by: str, kind: str, counted: int | None,
           count: DenominationCount | None, explanation: str, others: dict[str, int],
           handed_to: str | None = None) -> tuple[dict[str, Any], int]:
    """Close ``shift``; returns its summary and the cash it was expected to hold."""
    exp = cash.expected(unit.conn, shift["id"])
    rows = []
    for method in sorted(set(exp.tenders) | set(others)):
        expected_minor = exp.tenders.get(method, 0)
        if counted is None:
            got = None
        else:
            got = counted if method == "cash" else others.get(method, expected_minor)
        rows.append({"shift_id": shift["id"], "method": method, "expected_minor": expected_minor,
                     "counted_minor": got, "variance_minor": None if got is None else got - expected_minor})
    explanation = (explanation or "").strip()
    if len(explanation) > MAX_EXPLANATION:
        raise InvalidInput(_("The explanation is longer than {n} characters").format(n=MAX_EXPLANATION),
                           code="explanation_too_long")
    limit = to_minor(variance_limit(unit.ctx), unit.ctx.places)
    if not explanation and any(r["variance_minor"] is not None and abs(r["variance_minor"]) > limit for r in rows):
        raise InvalidInput(_("The count differs from what the drawer should hold by more than {limit}: count "
                             "again, or give an explanation").format(limit=variance_limit(unit.ctx)),
                           code="explanation_required")
    variance = None if counted is None else counted - exp.cash
    sql.execute(unit.conn, "UPDATE shifts SET closed_at = ?, closed_by = ?, close_kind = ?, handed_to = ?, "
                           "expected_cash_minor = ?, counted_cash_minor = ?, variance_minor = ?, variance_note = ? "
                           "WHERE id = ?", unit.at, by_id, kind, handed_to, exp.cash, counted, variance,
                explanation or None, shift["id"])
    unit.insert("shift_tenders", rows)
    if count is not None:
        _insert_count(unit, shift["id"], "handover" if kind == "handover" else "closing", count, by_id)
    m = _m(unit)
    opt = lambda minor: None if minor is None else m(minor)  # noqa: E731
    tenders = {r["method"]: {"expected": m(r["expected_minor"]), "counted": opt(r["counted_minor"]),
                             "variance": opt(r["variance_minor"])} for r in rows}
    payload = {"kind": kind, "expected_cash": m(exp.cash), "counted_cash": opt(counted), "variance": opt(variance),
               "tenders": tenders, "explanation": explanation or None, "handed_to": handed_to}
    digest = unit.journal("shift_closed", shift["id"], payload, user=by)
    unit.outbox("shift.closed", {"shift_id": shift["id"], "till_id": unit.ctx.till.till_id, "closed_at": unit.at,
                                 "closed_by": by, "close_kind": kind, "expected_cash_minor": exp.cash,
                                 "counted_cash_minor": counted, "variance_minor": variance,
                                 "tenders": rows, "explanation": explanation or None,
                                 "denominations": count.to_json() if count else None}, digest)
    return {"shift_id": shift["id"], "till": unit.ctx.till.till_code, "cashier": shift["username"],
            "opened_at": shift["opened_at"], "closed_at": unit.at, "closed_by": by, "close_kind": kind,
            "float": m(shift["opening_float_minor"]), "float_source": shift["float_source"],
            "sales_count": exp.sales_count, "returns_count": exp.returns_count,
            "expected_cash": m(exp.cash), "counted_cash": opt(counted), "variance": opt(variance),
            "cash": {**exp.cash_json(unit.ctx.places), "counted": opt(counted), "variance": opt(variance)},
            "tenders": tenders, "explanation": explanation or None,
            "denominations": count.to_json() if count else None}, exp.cash


# --------------------------------------------------------------------------------------------- status
def shift_status(ctx, viewer: Operator | None = None) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    """The open shift (or that none is open) with its cash moves; the expected amounts only for a ``viewer``
    who may move cash (supervisors and up): a cashier counts blind. Reads only."""
    from .business_day import current_business_date, is_closed  # noqa: PLC0415 (business_day imports unit)

    m = lambda minor: format_money(from_minor(minor, ctx.places), ctx.places)  # noqa: E731
    day = current_business_date(ctx)
    with ctx.db.read() as session:  # one snapshot
        conn = sql.dbapi(session.connection())
        shift = _shift_row(conn, ctx.till.till_id)
        doc: dict[str, Any] = {"open": shift is not None, "till": ctx.till.till_code,
                               "business_date": day.isoformat(), "day_closed": is_closed(conn, ctx.till.till_id, day)}
        if shift is None:
            return doc
        exp = cash.expected(conn, shift["id"])
        moves = sql.rows(conn, "SELECT c.kind, c.amount_minor, c.reason, c.created_at, u.username "
                               "FROM cash_movements c JOIN users u ON u.id = c.user_id WHERE c.shift_id = ? "
                               "ORDER BY c.created_at, c.rowid", shift["id"])
    see = viewer is not None and allowed(viewer.role, Action.CASH_MOVE)
    doc.update({"shift_id": shift["id"], "cashier": shift["username"], "cashier_name": shift["display_name"],
                "opened_at": shift["opened_at"], "float": m(shift["opening_float_minor"]),
                "float_source": shift["float_source"], "sales_count": exp.sales_count,
                "returns_count": exp.returns_count, "blind": not see,
                "cash_moves": [{"kind": k, "amount": m(a), "reason": r, "at": at, "user": u}
                               for k, a, r, at, u in moves]})
    if see:
        doc["cash"] = exp.cash_json(ctx.places)
        doc["expected"] = {method: m(amount) for method, amount in exp.tenders.items()}
    return doc


# ------------------------------------------------------------------------------------------- helpers
def _open_shift(unit: Unit) -> dict[str, Any] | None:
    return _shift_row(unit.conn, unit.ctx.till.till_id)


def _shift_row(conn, till_id: str) -> dict[str, Any] | None:  # type: ignore[no-untyped-def]
    row = sql.one(conn, OPEN_SHIFT, till_id)
    if row is None:
        return None
    keys = ("id", "opened_by", "opened_at", "opening_float_minor", "float_source", "username", "display_name")
    return dict(zip(keys, row))


def _insert_count(unit: Unit, shift_id: str, purpose: str, count: DenominationCount, user_id: str) -> None:
    count_id = new_id()
    unit.insert("cash_counts", {"id": count_id, "shift_id": shift_id, "purpose": purpose,
                                "total_minor": count.total_minor, "user_id": user_id, "created_at": unit.at})
    unit.insert("cash_count_lines", [{"count_id": count_id, "kind": line.kind, "value_minor": line.value_minor,
                                      "quantity": line.quantity} for line in count.lines])


def _user(ctx, username: str) -> tuple[str, str, str]:  # type: ignore[no-untyped-def]
    with ctx.db.raw() as conn:
        row = conn.execute("SELECT id, username, role FROM users WHERE username = ? AND active = 1",
                           ((username or "").strip(),)).fetchone()
    if row is None:
        raise NotFound(_("Unknown user {name}").format(name=username), code="unknown_user")
    return row[0], row[1], row[2]


def _others(counted: dict[str, Decimal] | None, places: int) -> dict[str, int]:
    """Counted amounts of the tenders other than cash, checked."""
    from .checkout import METHODS  # noqa: PLC0415 (checkout imports this module)

    out = {}
    for method, amount in (counted or {}).items():
        if method not in METHODS or method == "cash":
            raise InvalidInput(_("Count cash with the counted cash; other tenders are {methods}, not {method!r}").format(
                methods=", ".join(m for m in METHODS if m != "cash"), method=method), code="bad_payment")
        out[method] = _money_minor(amount, places, method)
    return out


def _money_minor(amount: Decimal, places: int, what: str) -> int:
    if amount < 0:
        raise InvalidInput(_("{what} cannot be negative").format(what=what), code="bad_amount")
    try:
        return to_minor(amount, places)
    except ValueError:
        raise InvalidInput(_("{what} has more than {n} decimals: {amount}").format(
            what=what, n=places, amount=amount), code="bad_amount") from None


def _text(text: str, missing: str, limit: int) -> str:
    text = (text or "").strip()
    if not text:
        raise InvalidInput(missing, code="reason_required")
    if len(text) > limit:
        raise InvalidInput(_("The reason is longer than {n} characters").format(n=limit), code="reason_too_long")
    return text


def _m(unit: Unit):  # type: ignore[no-untyped-def]
    places = unit.ctx.places
    return lambda minor: format_money(from_minor(minor, places), places)
