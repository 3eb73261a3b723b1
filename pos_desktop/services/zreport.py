"""X and Z reports: the figures of a business day (``day_figures``), read any time or closing the day.

- ``x_report``: the figures of a day so far (by default the day a sale made now would land on). Changes
  nothing; ``report.x`` (cashiers may).
- ``close_day``: the Z report. Closes one business day of this till, once: the report is numbered per till
  (1, 2, 3, …), stored whole and never changed (the database refuses any update or delete of it), journaled
  (``day_closed``, with the SHA-256 of the stored report) and sent as the ``day.closed`` outbox event.
  ``report.z`` (managers). Asked for a day that is already closed, it returns the stored report.
  From then on any sale or return belongs to the next day (``business_day``); if the open shift holds
  documents of the closed day it is ended uncounted and the next shift opens for the same cashier with the
  expected cash carried over as its float — so no sale of a closed day can still be voided.
- ``grand_total`` = Σ ``net_sales`` of every day closed on this till (``previous + today``); because returns
  can make a day's net negative, ``gross_grand_total`` (Σ ``gross_sales``) is kept beside it: that one only
  ever grows.
Closing needs nothing but the till's own database (no server).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import date
from typing import Any

from ..core.errors import InvalidInput
from ..core.i18n import _
from ..core.ids import new_id
from ..core.journal import canonical_json
from ..core.money import format_money, from_minor
from ..core.permissions import Action
from ..store import sql
from .auth import Operator, require
from .business_day import date_for, last_closed
from .day_figures import DayFigures, compute, report_json
from .shifts import carry_over
from .unit import Unit, write

PREVIOUS = """SELECT grand_total_minor, gross_grand_total_minor FROM z_reports WHERE till_id = ?
              ORDER BY z_number DESC LIMIT 1"""
STORED = "SELECT report FROM z_reports WHERE till_id = ? AND business_date = ?"
SHIFT_HAS_DAY = """SELECT 1 FROM sales WHERE shift_id = :shift AND business_date <= :day
                   UNION ALL SELECT 1 FROM returns WHERE shift_id = :shift AND business_date <= :day LIMIT 1"""


@dataclass(frozen=True)
class ZResult:
    """``report`` as ``pos report z --json`` prints it; ``created`` is False for a day closed before;
    ``carried`` says which shift was ended at the close and what it carried over (None if none was)."""

    report: dict[str, Any]
    created: bool
    carried: dict[str, Any] | None = None


def x_report(ctx, operator: Operator | None = None, day: date | None = None,  # type: ignore[no-untyped-def]
             approver: Operator | None = None) -> dict[str, Any]:
    """The X report of ``day`` (default: the current business day); ``report.x`` when an operator is given.

    Reads only (one snapshot); the grand total shown is the running one (last Z's + this day's net so far).
    """
    if operator is not None:
        require(operator, Action.REPORT_X, approver)
    with ctx.db.read() as session:
        conn = sql.dbapi(session.connection())
        now = ctx.clock.now()
        day = day or date_for(now, last_closed(conn, ctx.till.till_id))
        figures = compute(conn, ctx.till.till_id, day)
        previous = sql.one(conn, PREVIOUS, ctx.till.till_id) or (0, 0)
        closed = sql.scalar(conn, "SELECT z_number FROM z_reports WHERE till_id = ? AND business_date = ?",
                            ctx.till.till_id, day.isoformat())
    head = _head(ctx, "X", day, None)
    head.update(generated_at=now.isoformat(timespec="seconds"), day_closed=closed is not None,
                closed_by_z=closed)
    return _with_totals(report_json(figures, ctx.places, **head), figures, previous, ctx.places)


def close_day(ctx, operator: Operator, day: date | None = None,  # type: ignore[no-untyped-def]
              approver: Operator | None = None) -> ZResult:
    """Close business ``day`` (default: today's date) with a Z report, or return its stored report.

    Needs ``report.z`` (a manager, or a manager's approval). Refuses a day after the current business day.
    One transaction: the report, the journal entry ``day_closed``, the ``day.closed`` event (and, when the
    open shift held documents of the day, its uncounted end and the next shift: ``shift.closed``,
    ``shift.opened``).
    """
    approved = require(operator, Action.REPORT_Z, approver)
    with write(ctx) as unit:
        day = day or unit.now.date()
        stored = stored_report(unit.conn, ctx.till.till_id, day)
        if stored is not None:
            return ZResult(stored, created=False)
        current = date_for(unit.now, last_closed(unit.conn, ctx.till.till_id))
        if day > current:
            raise InvalidInput(_("Business day {day} has not begun; the current business day is {current}").format(
                day=day.isoformat(), current=current.isoformat()), code="day_not_begun")
        carried = _end_shift_of_day(unit, operator, day)
        report = _record(unit, day, operator, approved)
    return ZResult(report, created=True, carried=carried)


def stored_report(conn, till_id: str, day: date) -> dict[str, Any] | None:  # type: ignore[no-untyped-def]
    """The stored Z report of ``day``, exactly as it was closed; None if the day is open."""
    text = sql.scalar(conn, STORED, till_id, day.isoformat())
    return json.loads(text) if text else None


def z_report(ctx, day: date) -> dict[str, Any] | None:  # type: ignore[no-untyped-def]
    """The stored Z report of ``day`` on this till (None when the day is still open). Reads only."""
    with ctx.db.raw() as conn:
        return stored_report(conn, ctx.till.till_id, day)


def z_reports(ctx, limit: int = 31) -> list[dict[str, Any]]:  # type: ignore[no-untyped-def]
    """The latest Z reports of this till, newest first: date, number, net sales, grand total, who, when."""
    with ctx.db.raw() as conn:
        rows = conn.execute(
            "SELECT z.business_date, z.z_number, z.net_sales_minor, z.grand_total_minor, z.created_at, u.username "
            "FROM z_reports z JOIN users u ON u.id = z.closed_by WHERE z.till_id = ? "
            "ORDER BY z.z_number DESC LIMIT ?", (ctx.till.till_id, limit)).fetchall()
    m = lambda minor: format_money(from_minor(minor, ctx.places), ctx.places)  # noqa: E731
    return [{"date": d, "z_number": n, "net_sales": m(net), "grand_total": m(gt), "closed_at": at, "closed_by": who}
            for d, n, net, gt, at, who in rows]


def report_digest(report: dict[str, Any]) -> str:
    """SHA-256 of a report's canonical JSON: the ``report_sha256`` its ``day_closed`` journal entry holds."""
    return hashlib.sha256(canonical_json(report).encode("utf-8")).hexdigest()


def verify_reports(ctx) -> list[str]:  # type: ignore[no-untyped-def]
    """Check every stored Z report against its ``day_closed`` journal entry (the report's SHA-256 and its
    number); returns what is wrong, one line per report (empty when all agree). The chain itself is checked by
    ``journal.verify``."""
    problems = []
    with ctx.db.raw() as conn:
        found = conn.execute("SELECT z.business_date, z.z_number, z.report, j.entry FROM z_reports z "
                             "LEFT JOIN journal j ON j.seq = z.journal_seq WHERE z.till_id = ? ORDER BY z.z_number",
                             (ctx.till.till_id,)).fetchall()
    for day, number, text, entry in found:
        payload = json.loads(entry)["payload"] if entry else {}
        if payload.get("report_sha256") != report_digest(json.loads(text)) or payload.get("z_number") != number:
            problems.append(_("The Z report {n} of {day} differs from its journal entry").format(n=number, day=day))
    return problems


def _end_shift_of_day(unit: Unit, operator: Operator, day: date) -> dict[str, Any] | None:
    shift_id = sql.scalar(unit.conn, "SELECT id FROM shifts WHERE till_id = ? AND closed_at IS NULL",
                          unit.ctx.till.till_id)
    if shift_id is None:
        return None
    if unit.conn.execute(SHIFT_HAS_DAY, {"shift": shift_id, "day": day.isoformat()}).fetchone() is None:
        return None
    return carry_over(unit, operator)


def _record(unit: Unit, day: date, operator: Operator, approved: Operator | None) -> dict[str, Any]:
    ctx = unit.ctx
    figures = compute(unit.conn, ctx.till.till_id, day)
    z_number = unit.next_counter("z_report")
    previous = sql.one(unit.conn, PREVIOUS, ctx.till.till_id) or (0, 0)
    head = _head(ctx, "Z", day, z_number)
    head.update(closed_at=unit.at, closed_by=operator.username,
                approved_by=approved.username if approved else None)
    report = _with_totals(report_json(figures, ctx.places, **head), figures, previous, ctx.places)
    text = json.dumps(report, ensure_ascii=False, separators=(",", ":"))  # kept in the order it is printed
    digest_of_report = report_digest(report)
    payload = {"date": day.isoformat(), "z_number": z_number, "sales_count": figures.sales_count,
               "returns_count": figures.returns_count, "voids_count": figures.voids_count,
               "net_sales": report["net_sales"], "tax_total": report["tax_total"],
               "grand_total": report["grand_total"], "report_sha256": digest_of_report}
    z_id = new_id()
    digest = unit.journal("day_closed", z_id, payload, user=operator.username,
                          approver=approved.username if approved else None)
    journal_seq = sql.scalar(unit.conn, "SELECT max(seq) FROM journal")
    grand, gross_grand = previous[0] + figures.net_sales, previous[1] + figures.gross_sales
    unit.insert("z_reports", {
        "id": z_id, "till_id": ctx.till.till_id, "business_date": day.isoformat(), "z_number": z_number,
        "created_at": unit.at, "closed_by": operator.id, "net_sales_minor": figures.net_sales,
        "gross_sales_minor": figures.gross_sales, "grand_total_minor": grand,
        "gross_grand_total_minor": gross_grand, "report": text, "journal_seq": journal_seq,
        "journal_hash": digest})
    unit.outbox("day.closed", {"z_report_id": z_id, "till_id": ctx.till.till_id, "date": day.isoformat(),
                               "z_number": z_number, "report": report, "report_sha256": digest_of_report}, digest)
    return report


def _head(ctx, kind: str, day: date, z_number: int | None) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    return {"kind": kind, "date": day.isoformat(), "store": ctx.till.store_code, "store_name": ctx.till.store_name,
            "till": ctx.till.till_code, "z_number": z_number, "currency": ctx.till.currency}


def _with_totals(doc: dict[str, Any], figures: DayFigures, previous: tuple[int, int],
                 places: int) -> dict[str, Any]:
    m = lambda minor: format_money(from_minor(minor, places), places)  # noqa: E731
    fixed_end = list(doc).index("last_receipt") + 1
    items = list(doc.items())
    totals = [("grand_total", m(previous[0] + figures.net_sales))]
    extra = [("previous_grand_total", m(previous[0])),
             ("gross_grand_total", m(previous[1] + figures.gross_sales))]
    return dict(items[:fixed_end] + totals + items[fixed_end:] + extra)
