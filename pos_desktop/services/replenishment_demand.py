"""The demand figures of replenishment: the ``Policy`` (service level, history window, half-life, review
period, default lead time) and, per product, the velocity and σ of its daily sales — EWMA weights over the
``window_days`` complete days before the day asked for, read from ``sales_daily`` (the sum of sale and void
movements per product and day, kept by a trigger on the ledger). ``rebuild_sales_daily`` recomputes that
cache.

``replenishment`` turns these figures into suggestions (its docstring has the whole rule) and re-exports every
name here, so they stay importable from there.
"""

from __future__ import annotations

import math
import sqlite3
from dataclasses import dataclass
from datetime import date
from statistics import NormalDist

from ..core.errors import IntegrityFailure, InvalidInput
from ..core.i18n import _
from ..store import sql
from ..store.models.purchasing import SALES_DAILY_FILL
from .context import Context
from .unit import write


@dataclass(frozen=True)
class Policy:
    service_level: float = 0.95
    window_days: int = 90
    half_life_days: float = 14.0
    review_days: int = 7
    default_lead_days: int = 3

    def check(self) -> Policy:
        if not 0.5 <= self.service_level < 1:
            raise InvalidInput(_("The service level is a fraction from 0.5 to below 1 (e.g. 0.95)"),
                               code="bad_service_level")
        if not 1 <= self.window_days <= 730 or self.half_life_days <= 0 or self.review_days < 0:
            raise InvalidInput(_("The history window is 1 to 730 days, the half-life more than 0 and the review "
                                 "period 0 days or more"), code="bad_policy")
        return self

    @property
    def z(self) -> float:
        return NormalDist().inv_cdf(self.service_level)

    @property
    def alpha(self) -> float:
        """The daily smoothing factor whose weights halve every ``half_life_days``."""
        return 1 - 0.5 ** (1 / self.half_life_days)



SALES_DAILY_TRIGGER = "stock_movements_sales_daily"


def window_weights(as_of: date, policy: Policy) -> list[tuple[int, float]]:
    """(day number, weight) for the ``window_days`` complete days before ``as_of``; yesterday weighs 1."""
    keep = 1 - policy.alpha
    end = as_of.toordinal() + JULIAN_OFFSET
    return [(end - age - 1, keep ** age) for age in range(policy.window_days)]


WEIGHTS_TABLE = "CREATE TEMP TABLE IF NOT EXISTS replenishment_weights (day INTEGER PRIMARY KEY, weight REAL)"
JULIAN_OFFSET = 1721424      # date.toordinal() + this = SQLite's julianday(date) - 0.5: sales_daily.day
# products drive the loop (CROSS JOIN fixes the order): each product's window is one key range of sales_daily,
# so days older than the window are never read, however long the history grows.
DEMAND_SQL = """SELECT p.id, sum(d.qty_milli * w.weight), sum(1.0 * d.qty_milli * d.qty_milli * w.weight), min(d.day)
FROM products p CROSS JOIN sales_daily d ON d.product_id = p.id
CROSS JOIN temp.replenishment_weights w ON w.day = d.day
WHERE d.day >= ? AND d.day < ? GROUP BY p.id"""


MIN_HISTORY_DAYS = 7


def demand(conn: sqlite3.Connection, as_of: date, policy: Policy,
           created: dict[str, str] | None = None) -> dict[str, tuple[float, float]]:
    """product id → (velocity, σ) in product units per day, for every product sold in the window.

    Reads ``sales_daily`` (Σ sale and void movements per product and day, kept by a trigger in the ledger's
    transactions); the weights go in a temporary table so that the join is a key look-up.

    A history shorter than the window is not read as days without sales: a product's days start at the later
    of the store's first sale in the window and the product's own start (its ``created`` date, or its first
    sale if that is earlier — products may arrive after their sales, through sync), and count at least
    ``MIN_HISTORY_DAYS`` so that one busy first day does not set the velocity."""
    if not sql.scalar(conn, "SELECT 1 FROM sqlite_master WHERE type = 'trigger' AND name = ?", SALES_DAILY_TRIGGER):
        raise IntegrityFailure(_("The daily sales history is not kept up to date (its trigger is missing); "
                                 "replenishment cannot be trusted until the database is upgraded again"),
                               code="sales_history_missing")
    weights = window_weights(as_of, policy)
    end = weights[0][0] + 1
    running, totals = 0.0, [0.0]              # totals[n]: the weight of the last n days
    for _day, weight in weights:
        running += weight
        totals.append(running)
    conn.execute(WEIGHTS_TABLE)
    conn.execute("DELETE FROM temp.replenishment_weights")
    conn.executemany("INSERT INTO temp.replenishment_weights (day, weight) VALUES (?, ?)", weights)
    found = sql.rows(conn, DEMAND_SQL, weights[-1][0], end)
    store_start = min((first for *_sums, first in found), default=end)
    created = created or {}
    out = {}
    for product_id, s1, s2, first in found:
        start = first
        made = created.get(product_id)
        if made:
            start = min(start, date.fromisoformat(made[:10]).toordinal() + JULIAN_OFFSET)
        days = min(max(end - max(start, store_start), MIN_HISTORY_DAYS), policy.window_days)
        total = totals[days]
        mean = s1 / total
        variance = max(s2 / total - mean * mean, 0.0)
        out[product_id] = (mean / 1000, math.sqrt(variance) / 1000)
    return out


def rebuild_sales_daily(ctx: Context) -> int:
    """Recompute ``sales_daily`` from the ledger (after a restore, or to prove it agrees); returns its rows."""
    with write(ctx) as unit:
        sql.execute(unit.conn, "DELETE FROM sales_daily")
        sql.execute(unit.conn, SALES_DAILY_FILL)
        return sql.scalar(unit.conn, "SELECT count(*) FROM sales_daily")
