"""Member analysis for the CRM side: purchase history, RFM segments, and a segment's export for a campaign.

RFM, as of a day and over a window of days before it (365 by default), for members who bought in the window:
- recency: days since the last completed purchase; frequency: completed purchases (voids left out);
  monetary: what they spent, gross − discounts − what was refunded to them;
- each scored 1–5 by quintile among those members, by mid-rank: score = 1 + ⌊5 × (members worse + ½ × members
  equal) ÷ members⌋, so ties share a score and 5 is best (most recent, most frequent, most spent);
- FM = the mean of F and M, rounded half up; the segment is named from R and FM by the widely used map:

  ========  ==================  =====================  ===================
  R \\ FM    1                   2–3                    4–5
  ========  ==================  =====================  ===================
  5         new_customers       potential_loyalists    champions
  4         promising           potential_loyalists    loyal_customers
  3         about_to_sleep      about_to_sleep (2),    loyal_customers
                                need_attention (3)
  1–2       hibernating         hibernating (2),       at_risk (4),
                                at_risk (3)            cannot_lose_them (5)
  ========  ==================  =====================  ===================

Members who bought before the window but not in it are ``lost`` (not scored); members who never bought are
counted, not listed.
"""

from __future__ import annotations

import csv
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from ...core.errors import InvalidInput, NotFound
from ...core.i18n import _
from ...core.money import format_money, format_qty, round_half_up
from ..context import Context
from .export import _check_writable
from .reading import money, snapshot
from .table import DAYS, INT, MONEY, PCT, Column, Report, Table, percent

SEGMENTS = ("champions", "loyal_customers", "potential_loyalists", "new_customers", "promising", "need_attention",
            "about_to_sleep", "at_risk", "cannot_lose_them", "hibernating", "lost")
PURCHASES_SQL = """SELECT s.customer_id, count(*), sum(s.subtotal_minor - s.discount_minor), max(s.business_date)
FROM sales s WHERE s.customer_id IS NOT NULL AND s.business_date BETWEEN ? AND ?
  AND NOT EXISTS (SELECT 1 FROM sale_voids v WHERE v.sale_id = s.id)
GROUP BY s.customer_id"""
REFUNDS_SQL = """SELECT s.customer_id, sum(r.total_minor) FROM returns r JOIN sales s ON s.id = r.original_sale_id
WHERE r.business_date BETWEEN ? AND ? AND s.customer_id IS NOT NULL GROUP BY s.customer_id"""
LAST_EVER_SQL = """SELECT s.customer_id, max(s.business_date) FROM sales s
WHERE s.customer_id IS NOT NULL AND s.business_date < ?
  AND NOT EXISTS (SELECT 1 FROM sale_voids v WHERE v.sale_id = s.id) GROUP BY s.customer_id"""
MEMBERS_SQL = "SELECT id, code, name, phone FROM customers"


def segment_labels() -> dict[str, str]:
    return {"champions": _("Champions"), "loyal_customers": _("Loyal customers"),
            "potential_loyalists": _("Potential loyalists"), "new_customers": _("New customers"),
            "promising": _("Promising"), "need_attention": _("Need attention"), "about_to_sleep": _("About to sleep"),
            "at_risk": _("At risk"), "cannot_lose_them": _("Cannot lose them"), "hibernating": _("Hibernating"),
            "lost": _("Lost")}


def segment_of(r: int, fm: int) -> str:
    """The segment of an R score and an FM score (both 1–5); see the module's table."""
    if r == 5:
        return "new_customers" if fm == 1 else "potential_loyalists" if fm <= 3 else "champions"
    if r == 4:
        return "promising" if fm == 1 else "potential_loyalists" if fm <= 3 else "loyal_customers"
    if r == 3:
        return "about_to_sleep" if fm <= 2 else "need_attention" if fm == 3 else "loyal_customers"
    return "hibernating" if fm <= 2 else "at_risk" if fm <= 4 else "cannot_lose_them"


def quintile_scores(values: list[float], higher_is_better: bool = True) -> list[int]:
    """1–5 per value by its mid-rank: 1 + ⌊5 × (worse + ½ × equal) ÷ n⌋ (at most 5). Equal values share a
    score — the middle of the places they take — so a tie does not decide who is in which quintile."""
    n = len(values)
    ordered = sorted(values)
    scores = []
    for v in values:
        below, upto = bisect_left(ordered, v), bisect_right(ordered, v)
        worse = below if higher_is_better else n - upto
        scores.append(min(5, 1 + (5 * (2 * worse + (upto - below))) // (2 * n)))
    return scores


@dataclass
class MemberRfm:
    customer_id: str
    code: str
    name: str
    phone: str | None
    last: str
    recency: int
    frequency: int
    monetary: int
    r: int = 0
    f: int = 0
    m: int = 0
    segment: str = "lost"


def score_members(members: list[MemberRfm]) -> None:
    """Give each member (all bought in the window) its R, F, M scores and segment."""
    if not members:
        return
    rs = quintile_scores([m.recency for m in members], higher_is_better=False)
    fs = quintile_scores([m.frequency for m in members])
    ms = quintile_scores([m.monetary for m in members])
    for member, r, f, m in zip(members, rs, fs, ms):
        member.r, member.f, member.m = r, f, m
        fm = int(round_half_up(Decimal(f + m) / 2, 0))
        member.segment = segment_of(r, fm)


def rfm_segments(ctx: Context, *, as_of: date, window_days: int = 365) -> Report:
    """Every member's RFM scores and segment as of ``as_of``, and a summary per segment."""
    if not 1 <= window_days <= 3660:
        raise InvalidInput(_("--window must be between 1 and 3660 days"), code="bad_option")
    start = as_of - timedelta(days=window_days - 1)
    span = (start.isoformat(), as_of.isoformat())
    with snapshot(ctx) as conn:
        people = {row[0]: row for row in conn.execute(MEMBERS_SQL)}
        bought = conn.execute(PURCHASES_SQL, span).fetchall()
        refunds = dict(conn.execute(REFUNDS_SQL, span).fetchall())
        before = dict(conn.execute(LAST_EVER_SQL, (start.isoformat(),)).fetchall())
    scored = []
    for cid, count, spent, last in bought:
        _id, code, name, phone = people.get(cid, (cid, cid, "", None))
        scored.append(MemberRfm(cid, code, name, phone, last, (as_of - date.fromisoformat(last)).days, count,
                                int(spent or 0) - int(refunds.get(cid) or 0)))
    score_members(scored)
    active = {m.customer_id for m in scored}
    lost = [MemberRfm(cid, people[cid][1], people[cid][2], people[cid][3], last,
                      (as_of - date.fromisoformat(last)).days, 0, 0)
            for cid, last in before.items() if cid not in active and cid in people]
    everyone = sorted(scored, key=lambda m: (SEGMENTS.index(m.segment), -m.monetary, m.code)) + \
        sorted(lost, key=lambda m: (m.recency, m.code))
    labels = segment_labels()
    p = ctx.places
    rows = [{"code": m.code, "name": m.name, "phone": m.phone, "last_purchase": m.last, "recency_days": m.recency,
             "frequency": m.frequency, "monetary": money(m.monetary, p), "r": m.r or None, "f": m.f or None,
             "m": m.m or None, "segment": m.segment, "segment_label": labels[m.segment]} for m in everyone]
    columns = (Column("code", _("Member")), Column("name", _("Name")), Column("last_purchase", _("Last purchase")),
               Column("recency_days", _("Days since"), INT), Column("frequency", _("Purchases"), INT),
               Column("monetary", _("Spent"), MONEY), Column("r", "R", INT), Column("f", "F", INT),
               Column("m", "M", INT), Column("segment", _("Segment")), Column("segment_label", _("Segment name")))
    summary = _segments(everyone, p)
    params = {"as_of": as_of.isoformat(), "window_days": window_days, "from": start.isoformat(),
              "members_scored": len(scored), "members_lost": len(lost),
              "members_never_bought": len(people) - len(scored) - len(lost), "store": ctx.till.store_code,
              "currency": ctx.till.currency}
    return Report("members_rfm", _("Member RFM segments"), params,
                  [Table("members", _("Members"), columns, rows),
                   Table("segments", _("Segments"), (
                       Column("segment", _("Segment")), Column("segment_label", _("Segment name")),
                       Column("members", _("Members"), INT), Column("share_pct", _("Share %"), PCT),
                       Column("monetary", _("Spent"), MONEY), Column("avg_monetary", _("Average spent"), MONEY),
                       Column("avg_frequency", _("Average purchases"), DAYS),
                       Column("avg_recency", _("Average days since"), DAYS)), summary)], p)


def _segments(members: list[MemberRfm], places: int) -> list[dict[str, Any]]:
    labels = segment_labels()
    out = []
    total = len(members)
    for segment in SEGMENTS:
        group = [m for m in members if m.segment == segment]
        if not group:
            continue
        spent = sum(m.monetary for m in group)
        n = len(group)
        out.append({"segment": segment, "segment_label": labels[segment], "members": n,
                    "share_pct": percent(n, total), "monetary": money(spent, places),
                    "avg_monetary": round_half_up(money(spent, places) / n, places),
                    "avg_frequency": round_half_up(Decimal(sum(m.frequency for m in group)) / n, 1),
                    "avg_recency": round_half_up(Decimal(sum(m.recency for m in group)) / n, 1)})
    return out


def only_segment(report: Report, segment: str) -> Report:
    """The report with only ``segment``'s members listed."""
    _check_segment(segment)
    members = report.table("members")
    kept = Table(members.name, members.title, members.columns, [r for r in members.rows if r["segment"] == segment])
    return Report(report.kind, report.title, {**report.params, "segment": segment},
                  [kept, *report.tables[1:]], report.places, report.notes, report.extra)


EXPORT_COLUMNS = ("code", "name", "phone", "segment", "segment_label", "last_purchase", "recency_days", "frequency",
                  "monetary", "r", "f", "m")


def export_segment(report: Report, segment: str, path: Path) -> dict[str, Any]:
    """Write ``segment``'s members (with their phone numbers, for a campaign) to a CSV file (UTF-8 with BOM;
    header = the column names above); returns ``{"segment", "members", "file"}``."""
    _check_segment(segment)
    path = Path(path)
    _check_writable(path)
    rows = [r for r in report.table("members").rows if r["segment"] == segment]
    with path.open("w", encoding="utf-8-sig", newline="") as f:
        out = csv.writer(f)
        out.writerow(EXPORT_COLUMNS)
        for r in rows:
            out.writerow([format_money(r[k], report.places) if k == "monetary" else ("" if r[k] is None else r[k])
                          for k in EXPORT_COLUMNS])
    return {"segment": segment, "members": len(rows), "file": str(path), "as_of": report.params["as_of"]}


def _check_segment(segment: str) -> None:
    if segment not in SEGMENTS:
        raise InvalidInput(_("Unknown segment {segment}; use one of {choices}").format(
            segment=segment, choices=", ".join(SEGMENTS)), code="unknown_segment")


# ---------------------------------------------------------------------------------------------- history
HISTORY_SQL = """SELECT s.id, s.receipt_no, s.created_at, s.business_date, s.subtotal_minor - s.discount_minor,
       v.created_at FROM sales s LEFT JOIN sale_voids v ON v.sale_id = s.id
WHERE s.customer_id = ? AND s.business_date BETWEEN ? AND ? ORDER BY s.created_at, s.receipt_no"""
RETURNS_SQL = """SELECT r.id, r.receipt_no, r.created_at, r.business_date, r.total_minor, s.receipt_no
FROM returns r JOIN sales s ON s.id = r.original_sale_id
WHERE s.customer_id = ? AND r.business_date BETWEEN ? AND ? ORDER BY r.created_at"""
LINES_SQL = "SELECT sku, name, qty_milli, net_minor FROM sale_lines WHERE sale_id = ? ORDER BY line_no"


def member_history(ctx: Context, code: str, date_from: date | None = None,
                   date_to: date | None = None) -> dict[str, Any]:
    """One member's purchases (with their lines), voided sales and returns, oldest first, by code or phone."""
    lo, hi = (date_from or date.min).isoformat(), (date_to or date.max).isoformat()
    p = ctx.places
    m = lambda minor: format_money(money(minor, p), p)  # noqa: E731
    with snapshot(ctx) as conn:
        member = conn.execute("SELECT id, code, name, phone, points, created_at FROM customers "
                              "WHERE code = ? OR phone = ?", (code, code)).fetchone()
        if member is None:
            raise NotFound(_("No member with code or phone {code}").format(code=code), code="unknown_member")
        events = []
        for sid, no, at, day, total, voided in conn.execute(HISTORY_SQL, (member[0], lo, hi)).fetchall():
            items = [{"sku": sku, "name": name, "qty": format_qty(Decimal(q).scaleb(-3)), "net": m(net)}
                     for sku, name, q, net in conn.execute(LINES_SQL, (sid,))]
            events.append({"kind": "void" if voided else "sale", "receipt_no": no, "created_at": at,
                           "business_date": day, "total": m(total), "items": items, "_minor": 0 if voided else total})
        for _rid, no, at, day, total, original in conn.execute(RETURNS_SQL, (member[0], lo, hi)):
            events.append({"kind": "return", "receipt_no": no, "created_at": at, "business_date": day,
                           "total": m(-total), "original_receipt": original, "_minor": -total})
    events.sort(key=lambda e: (e["created_at"], e["receipt_no"]))
    spent = sum(e.pop("_minor") for e in events)
    purchases = sum(1 for e in events if e["kind"] == "sale")
    return {"member": {"code": member[1], "name": member[2], "phone": member[3], "points": member[4],
                       "since": member[5]},
            "from": date_from.isoformat() if date_from else None, "to": date_to.isoformat() if date_to else None,
            "purchases": purchases, "returns": sum(1 for e in events if e["kind"] == "return"),
            "voided": sum(1 for e in events if e["kind"] == "void"), "net_spent": m(spent),
            "average_purchase": m(int(round_half_up(Decimal(spent) / purchases, 0))) if purchases else None,
            "events": events}

