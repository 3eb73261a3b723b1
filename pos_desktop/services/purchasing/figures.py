"""Small helpers the orders and the invoices share: a line's amount in minor units, money and
quantities as text, a message about one line of a document, and the check of a line's quantity.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from ...core.errors import InvalidInput
from ...core.i18n import _
from ...core.money import format_money, format_qty, from_minor, milli_to_qty


def _at(n: int, message: str) -> str:
    """A message about line ``n`` of a document."""
    return _("Line {n}: {message}").format(n=n, message=message)


def _check_qty(qty: Decimal, is_weighed: bool, name: str, n: int) -> None:
    if qty <= 0:
        raise InvalidInput(_at(n, _("the quantity must be more than 0, not {qty}").format(qty=qty)),
                           code="bad_qty", line=n)
    if not is_weighed and qty != qty.to_integral_value():
        raise InvalidInput(_at(n, _("{name} is counted in whole units").format(name=name)), code="bad_qty", line=n)


def _line_amount(qty_milli_times_price: int, divisor: int = 1000) -> int:
    """qty (thousandths) × price (minor) → minor units, half-up."""
    return int((Decimal(qty_milli_times_price) / divisor).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def _money(minor: int | None, places: int) -> str | None:
    return None if minor is None else format_money(from_minor(minor, places), places)


def _qty(milli: int | None) -> str | None:
    return None if milli is None else format_qty(milli_to_qty(milli))
