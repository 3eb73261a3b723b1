"""How the demo store trades: hours, weekdays, basket size and which products sell (simulation weights)."""

from __future__ import annotations

# share of a day's customers in each opening hour (08:00–21:59): a lunch and an after-work peak
HOURLY = (3, 5, 6, 8, 10, 9, 6, 5, 6, 8, 11, 10, 8, 5)
WEEKDAY = (1.0, 0.95, 1.0, 1.05, 1.15, 1.35, 1.3)  # Monday … Sunday
FAST_MOVERS = 2000
FAST_SHARE = 0.5           # half of all lines are the fast movers, by a Zipf law; the rest spread evenly
LINES_PER_SALE = 5.5
UNITS_PER_LINE = 1.4


def sales_per_day(products: int) -> int:
    return max(20, min(400, products // 5))


def popularity(assortment: int) -> list[float]:
    """Each shelf product's share of the lines sold (they sum to 1); a simulation weight, not money."""
    fast = min(FAST_MOVERS, assortment)
    harmonic = sum(1 / k for k in range(1, fast + 1))
    return [(FAST_SHARE / k / harmonic if k <= fast else 0.0) + (1 - FAST_SHARE) / assortment
            for k in range(1, assortment + 1)]


def expected_daily_units(products: int, assortment: int) -> list[float]:
    lines = sales_per_day(products) * max(WEEKDAY) * LINES_PER_SALE * UNITS_PER_LINE
    return [share * lines for share in popularity(assortment)]
