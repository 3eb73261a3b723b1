"""The shape every report has: typed columns, rows of Python values, totals, and its JSON form.

A row holds what a chart wants (``Decimal`` money and quantities, ``int`` counts, ``Decimal`` percentages,
``None`` where a figure does not exist, e.g. a margin % of no sales). ``Report.to_json`` turns them into the
CLI's strings with fixed decimals; the CSV, XLSX and PDF writers read the same columns, so every output of a
report shows the same figures.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from ...core.money import format_money, format_qty, quantum

# column kinds: how a value is written in JSON, CSV, XLSX and PDF
TEXT, MONEY, QTY, INT, PCT, RATIO, DAYS = "text", "money", "qty", "int", "pct", "ratio", "days"
KINDS = (TEXT, MONEY, QTY, INT, PCT, RATIO, DAYS)
PLACES = {PCT: 2, RATIO: 2, DAYS: 1}


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    kind: str = TEXT

    def __post_init__(self) -> None:
        assert self.kind in KINDS, self.kind


@dataclass
class Table:
    """One table of a report; ``totals`` (same keys as a row, or None) is its last line."""

    name: str
    title: str
    columns: tuple[Column, ...]
    rows: list[dict[str, Any]]
    totals: dict[str, Any] | None = None

    def to_json(self, places: int) -> dict[str, Any]:
        return {"rows": [self._row(row, places) for row in self.rows],
                "totals": self._row(self.totals, places) if self.totals is not None else None}

    def _row(self, row: dict[str, Any], places: int) -> dict[str, Any]:
        return {c.key: json_value(row.get(c.key), c.kind, places) for c in self.columns}


@dataclass
class Report:
    """A report: its parameters as shown to people, one or more tables, notes in words, extra JSON fields."""

    kind: str
    title: str
    params: dict[str, str]
    tables: list[Table]
    places: int = 2
    notes: list[str] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def main(self) -> Table:
        return self.tables[0]

    def table(self, name: str) -> Table:
        return next(t for t in self.tables if t.name == name)

    def to_json(self) -> dict[str, Any]:
        """``{"report", "title", "params", "columns", "rows", "totals", <other tables by name>, "notes", …}``:
        the first table's rows at the top level, every other table under its name."""
        doc: dict[str, Any] = {"report": self.kind, "title": self.title, **self.params}
        main = self.main
        doc["columns"] = [{"key": c.key, "label": c.label, "kind": c.kind} for c in main.columns]
        doc.update(main.to_json(self.places))
        for other in self.tables[1:]:
            doc[other.name] = {"columns": [{"key": c.key, "label": c.label, "kind": c.kind} for c in other.columns],
                               **other.to_json(self.places)}
        doc.update(self.extra)
        doc["notes"] = list(self.notes)
        return doc


def json_value(value: Any, kind: str, places: int) -> Any:
    """Money and quantities as fixed-decimal strings, percentages and ratios as strings with their places."""
    if value is None:
        return None
    if kind == MONEY:
        return format_money(Decimal(value), places)
    if kind == QTY:
        return format_qty(Decimal(value))
    if kind in PLACES:
        return fixed(Decimal(value), PLACES[kind])
    if kind == INT:
        return int(value)
    return str(value)


def fixed(value: Decimal, places: int) -> str:
    return f"{value.quantize(quantum(places)):f}"


QUANTA = {places: quantum(places) for places in range(7)}


def percent(part: Decimal | int, whole: Decimal | int, places: int = 2) -> Decimal | None:
    """``part`` as a percentage of ``whole`` (half-up to ``places``, as ``round_half_up``); None when ``whole``
    is 0. (Called for every row of a report of tens of thousands: the quantum is made once.)"""
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(QUANTA.get(places) or quantum(places),
                                                           rounding=ROUND_HALF_UP)


def ratio(part: Decimal | int, whole: Decimal | int, places: int = 2) -> Decimal | None:
    if not whole:
        return None
    from ...core.money import round_half_up
    return round_half_up(Decimal(part) / Decimal(whole), places)
