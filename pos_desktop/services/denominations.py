"""Cash counted by denomination: the notes and coins of the till's currency, and counts read from JSON.

A count is JSON, either flat (value → how many; a value that exists as a note and as a coin, such as
1 yuan, is taken as a note)::

    {"100": 3, "50": 1, "20": 2, "10": 5, "5": 2, "1": 7, "0.5": 4, "0.1": 10}

or split into notes and coins::

    {"notes": {"100": 3, "50": 1, "1": 2}, "coins": {"1": 5, "0.5": 4, "0.1": 10}}

A ``{"denominations": …}`` wrapper is accepted too. Values are written as strings or numbers in the currency's
unit (yuan); counts are whole numbers ≥ 0. A value that is not a note or coin of the currency is refused.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from ..core.errors import InvalidInput
from ..core.i18n import _
from ..core.money import format_money, from_minor, to_minor

# Renminbi in circulation (People's Bank of China): 2019/2020 series notes 100, 50, 20, 10, 5 and 1 yuan, and
# the older 2 yuan, 5, 2 and 1 jiao notes still taken; coins 1 yuan, 5 jiao, 1 jiao and the fen coins.
DENOMINATIONS: dict[str, dict[str, tuple[str, ...]]] = {
    "CNY": {"note": ("100", "50", "20", "10", "5", "2", "1", "0.5", "0.2", "0.1"),
            "coin": ("1", "0.5", "0.1", "0.05", "0.02", "0.01")},
}
KINDS = ("note", "coin")
MAX_PIECES = 1_000_000


@dataclass(frozen=True)
class CountLine:
    kind: str  # note | coin
    value_minor: int
    quantity: int


@dataclass(frozen=True)
class DenominationCount:
    """What was counted, piece by piece; ``total_minor`` is the sum."""

    lines: tuple[CountLine, ...]
    places: int = 2

    @property
    def total_minor(self) -> int:
        return sum(line.value_minor * line.quantity for line in self.lines)

    @property
    def total(self) -> Decimal:
        return from_minor(self.total_minor, self.places)

    def to_json(self) -> dict[str, Any]:
        m = lambda minor: format_money(from_minor(minor, self.places), self.places)  # noqa: E731
        return {kind: {m(line.value_minor): line.quantity for line in self.lines if line.kind == kind}
                for kind in KINDS if any(line.kind == kind for line in self.lines)}


def known_values(currency: str, places: int) -> dict[str, set[int]]:
    table = DENOMINATIONS.get(currency.upper())
    if table is None:
        return {}
    return {kind: {to_minor(Decimal(v), places) for v in values} for kind, values in table.items()}


def parse_count(doc: Any, currency: str, places: int) -> DenominationCount:
    """A ``DenominationCount`` from a JSON document (see the module notes); ``InvalidInput`` when it is wrong."""
    if isinstance(doc, dict) and "denominations" in doc and len(doc) == 1:
        doc = doc["denominations"]
    if not isinstance(doc, dict) or not doc:
        raise InvalidInput(_("A cash count is a table of note or coin value → how many"), code="bad_denominations")
    known = known_values(currency, places)
    split = set(doc) <= set(KINDS) | {"notes", "coins"} and all(isinstance(v, dict) for v in doc.values())
    groups = ([(_kind(key), value) for key, value in doc.items()] if split else [(None, doc)])
    found: dict[tuple[str, int], int] = {}
    for kind, table in groups:
        for value_text, qty in table.items():
            value = _value(value_text, places)
            line_kind = kind or _default_kind(value, known)
            if known and value not in known.get(line_kind, set()):
                raise InvalidInput(_("{value} is not a {kind} of {currency}").format(
                    value=value_text, kind=_kind_word(line_kind), currency=currency), code="bad_denominations")
            found[(line_kind, value)] = found.get((line_kind, value), 0) + _quantity(qty, value_text)
    lines = tuple(CountLine(kind, value, qty) for (kind, value), qty in
                  sorted(found.items(), key=lambda item: (KINDS.index(item[0][0]), -item[0][1])) if qty)
    return DenominationCount(lines, places)


def read_count_file(path: str | Path, currency: str, places: int) -> DenominationCount:
    """Read a count from a JSON file (``-`` is not accepted: a count is kept as a file)."""
    try:
        doc = json.loads(Path(path).read_text(encoding="utf-8-sig"))
    except FileNotFoundError:
        raise InvalidInput(_("No denominations file at {path}").format(path=path), code="not_found") from None
    except (OSError, ValueError) as exc:
        raise InvalidInput(_("The denominations file {path} cannot be read: {error}").format(
            path=path, error=exc), code="bad_denominations") from None
    return parse_count(doc, currency, places)


def check_total(count: DenominationCount | None, amount: Decimal | None, what: str) -> Decimal:
    """The amount a command was given: ``amount``, the count's total, or both when they agree."""
    if count is None and amount is None:
        raise InvalidInput(_("Give {what} as an amount or as a count by denomination").format(what=what),
                           code="amount_required")
    if count is None:
        assert amount is not None
        return amount
    if amount is not None and amount != count.total:
        raise InvalidInput(_("{what} is {amount} but the notes and coins counted come to {total}").format(
            what=what, amount=amount, total=count.total), code="denominations_mismatch")
    return count.total


def _kind(key: str) -> str:
    return {"notes": "note", "coins": "coin"}.get(key, key)


def _kind_word(kind: str) -> str:
    return _("note") if kind == "note" else _("coin")


def _default_kind(value: int, known: dict[str, set[int]]) -> str:
    if not known or value in known.get("note", set()):
        return "note"
    return "coin"


def _value(text: Any, places: int) -> int:
    if isinstance(text, float) or isinstance(text, bool):
        raise InvalidInput(_("Write values as strings, not {value!r}").format(value=text), code="bad_denominations")
    try:
        value = Decimal(str(text).strip())
        minor = to_minor(value, places)
    except (InvalidOperation, ValueError):
        raise InvalidInput(_("{value!r} is not a note or coin value").format(value=text),
                           code="bad_denominations") from None
    if minor <= 0:
        raise InvalidInput(_("{value!r} is not a note or coin value").format(value=text), code="bad_denominations")
    return minor


def _quantity(qty: Any, value_text: Any) -> int:
    if isinstance(qty, bool) or not isinstance(qty, (int, str)) or not str(qty).strip().isdigit() \
            or int(qty) > MAX_PIECES:
        raise InvalidInput(_("The count of {value} must be a whole number from 0, not {qty!r}").format(
            value=value_text, qty=qty), code="bad_denominations")
    return int(qty)
