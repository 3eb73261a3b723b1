"""What a shift's drawer should hold, tender by tender.

Cash expected = the float + cash taken − change given − cash refunds + pay-ins − pay-outs − safe drops. Every
other tender is expected as recorded: what was taken in it less the refunds paid out in it. Voided sales are
left out (their money went back to the customer). All amounts are integer minor units.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field

from ..core.money import format_money, from_minor
from ..store import sql

NOT_VOIDED = "NOT EXISTS (SELECT 1 FROM sale_voids v WHERE v.sale_id = s.id)"
TAKEN = f"""SELECT p.method, sum(p.amount_minor) FROM payments p JOIN sales s ON s.id = p.sale_id
            WHERE s.shift_id = ? AND {NOT_VOIDED} GROUP BY p.method"""
CHANGE = f"SELECT coalesce(sum(s.change_minor), 0), count(*) FROM sales s WHERE s.shift_id = ? AND {NOT_VOIDED}"
REFUNDED = """SELECT f.method, sum(f.amount_minor) FROM refunds f JOIN returns r ON r.id = f.return_id
              WHERE r.shift_id = ? GROUP BY f.method"""
RETURNS = "SELECT count(*) FROM returns WHERE shift_id = ?"
MOVES = "SELECT kind, sum(amount_minor) FROM cash_movements WHERE shift_id = ? GROUP BY kind"
FLOAT = "SELECT opening_float_minor FROM shifts WHERE id = ?"


@dataclass(frozen=True)
class DrawerExpectation:
    """The parts of a shift's expected cash, and the expected amount of every tender it saw."""

    float_minor: int
    cash_taken: int
    change: int
    cash_refunds: int
    pay_ins: int
    pay_outs: int
    drops: int
    sales_count: int
    returns_count: int
    tenders: dict[str, int] = field(default_factory=dict)  # method → expected, cash included

    @property
    def cash(self) -> int:
        return self.tenders["cash"]

    def cash_json(self, places: int) -> dict[str, str]:
        m = lambda minor: format_money(from_minor(minor, places), places)  # noqa: E731
        return {"float": m(self.float_minor), "sales": m(self.cash_taken), "change": m(self.change),
                "refunds": m(self.cash_refunds), "pay_ins": m(self.pay_ins), "pay_outs": m(self.pay_outs),
                "drops": m(self.drops), "expected": m(self.cash)}


def expected(conn: sqlite3.Connection, shift_id: str) -> DrawerExpectation:
    """The drawer expectation of ``shift_id`` as the database stands in ``conn``'s transaction."""
    taken = dict(sql.rows(conn, TAKEN, shift_id))
    change, sales_count = sql.one(conn, CHANGE, shift_id) or (0, 0)
    refunded = dict(sql.rows(conn, REFUNDED, shift_id))
    moves = dict(sql.rows(conn, MOVES, shift_id))
    float_minor = int(sql.scalar(conn, FLOAT, shift_id) or 0)
    tenders = {method: int(taken.get(method, 0)) - int(refunded.get(method, 0))
               for method in sorted(set(taken) | set(refunded)) if method != "cash"}
    cash = (float_minor + int(taken.get("cash", 0)) - int(change) - int(refunded.get("cash", 0))
            + int(moves.get("in", 0)) - int(moves.get("out", 0)) - int(moves.get("drop", 0)))
    return DrawerExpectation(
        float_minor=float_minor, cash_taken=int(taken.get("cash", 0)), change=int(change),
        cash_refunds=int(refunded.get("cash", 0)), pay_ins=int(moves.get("in", 0)),
        pay_outs=int(moves.get("out", 0)), drops=int(moves.get("drop", 0)), sales_count=int(sales_count),
        returns_count=int(sql.scalar(conn, RETURNS, shift_id) or 0), tenders={"cash": cash, **tenders})
