"""What the stock-count services return and take: a count's summary (``CountInfo``), one entry as its
counter sees it (``Recorded``), the variance report and its lines, the approval's ``Posting``, and one entry
to record (``CountInput``)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from ...core.money import format_money, format_qty


@dataclass(frozen=True)
class CountInfo:
    id: str
    number: str
    location: str
    kind: str
    category: str | None
    stale_days: int | None
    blind: bool
    status: str
    created_at: str
    lines: int
    counted_lines: int

    def to_json(self) -> dict[str, Any]:
        return {"count_id": self.id, "number": self.number, "location": self.location, "kind": self.kind,
                "category": self.category, "stale_days": self.stale_days, "blind": self.blind,
                "status": self.status, "created_at": self.created_at, "line_count": self.lines,
                "counted_lines": self.counted_lines}


@dataclass(frozen=True)
class Recorded:
    """One entry as the counter sees it: their own tally and the line's total, never the expected quantity."""

    count_id: str
    sku: str
    name: str
    lot: str | None
    qty: Decimal
    your_count: Decimal
    line_count: Decimal
    round: int

    def to_json(self) -> dict[str, Any]:
        return {"count_id": self.count_id, "sku": self.sku, "name": self.name, "lot": self.lot,
                "qty": format_qty(self.qty), "your_count": format_qty(self.your_count),
                "counted": format_qty(self.line_count), "round": self.round}


@dataclass(frozen=True)
class VarianceLine:
    sku: str
    name: str
    category: str | None
    status: str
    round: int
    counted: Decimal
    expected: Decimal | None          # None when hidden (blind count, viewer may not approve)
    variance: Decimal | None
    unit_cost: Decimal | None
    variance_value: Decimal | None
    expected_at: str | None
    counters: tuple[tuple[str, Decimal], ...]


@dataclass(frozen=True)
class VarianceReport:
    count: CountInfo
    lines: tuple[VarianceLine, ...]
    shown: bool                       # expected quantities and values are shown
    total_variance_value: Decimal | None
    total_shrinkage_value: Decimal | None
    by_category: tuple[tuple[str | None, Decimal, Decimal], ...]   # (category, variance value, shrinkage value)
    places: int = 2

    def to_json(self) -> dict[str, Any]:
        q = lambda v: format_qty(v) if v is not None else None
        m = lambda v: format_money(v, self.places) if v is not None else None
        return {
            **self.count.to_json(), "expected_shown": self.shown,
            "lines": [{"sku": ln.sku, "name": ln.name, "category": ln.category, "status": ln.status,
                       "round": ln.round, "expected": q(ln.expected), "counted": q(ln.counted),
                       "variance": q(ln.variance), "unit_cost": m(ln.unit_cost),
                       "variance_value": m(ln.variance_value), "counted_at": ln.expected_at,
                       "counters": [{"user": user, "qty": q(qty)} for user, qty in ln.counters]}
                      for ln in self.lines],
            "total_variance_value": m(self.total_variance_value),
            "total_shrinkage_value": m(self.total_shrinkage_value),
            "by_category": [{"category": c, "variance_value": m(v), "shrinkage_value": m(s)}
                            for c, v, s in self.by_category] if self.shown else [],
        }


@dataclass(frozen=True)
class Posting:
    count_id: str
    number: str
    lines: int
    changed_lines: int
    movements: int
    total_variance_value: Decimal
    places: int = 2

    def to_json(self) -> dict[str, Any]:
        return {"count_id": self.count_id, "number": self.number, "status": "approved", "lines": self.lines,
                "changed_lines": self.changed_lines, "movements": self.movements,
                "total_variance_value": format_money(self.total_variance_value, self.places)}


@dataclass(frozen=True)
class CountInput:
    """One entry to record: a scan (``barcode``, GS1-128 carries its lot) or a SKU, and how many."""

    barcode: str | None = None
    sku: str | None = None
    qty: Decimal = Decimal(1)
    lot: str | None = None
    replace: bool = False
