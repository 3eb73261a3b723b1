"""Exact money and quantities.

Money is ``Decimal`` in code and integer minor units (fen) in the database; quantities are ``Decimal`` with
three places (kg for weighed goods) stored as integer thousandths; tax rates are fractions (``0.13``) stored as
integer ten-thousandths. Rounding is half-up everywhere. A float never comes near any of them: the parsers
refuse one.
"""

from __future__ import annotations

from decimal import ROUND_FLOOR, ROUND_HALF_UP, Decimal, InvalidOperation

from .errors import InvalidInput
from .i18n import _

# ISO 4217 minor-unit exponents of the currencies a shop here is likely to keep its books in.
CURRENCY_EXPONENTS = {"CNY": 2, "HKD": 2, "MOP": 2, "TWD": 2, "USD": 2, "EUR": 2, "GBP": 2, "SGD": 2,
                      "JPY": 0, "KRW": 0, "VND": 0}
QTY_PLACES = 3
RATE_PLACES = 4
ZERO = Decimal(0)


def exponent_of(currency: str) -> int:
    try:
        return CURRENCY_EXPONENTS[currency.upper()]
    except KeyError:
        raise InvalidInput(_("Unknown currency {currency}").format(currency=currency)) from None


def quantum(places: int) -> Decimal:
    return Decimal(1).scaleb(-places)


def round_half_up(value: Decimal, places: int = 2) -> Decimal:
    """Round to ``places`` decimals, halves away from zero (what a cashier expects, unlike banker's)."""
    return value.quantize(quantum(places), rounding=ROUND_HALF_UP)


def round_down(value: Decimal, places: int) -> Decimal:
    return value.quantize(quantum(places), rounding=ROUND_FLOOR)


def _parse_decimal(text: object, what: str) -> Decimal:
    if isinstance(text, bool) or isinstance(text, float):
        raise InvalidInput(_("{what} must be written as a string or integer, not a float").format(what=what))
    if isinstance(text, Decimal):
        value = text
    else:
        try:
            value = Decimal(str(text).strip())
        except InvalidOperation:
            raise InvalidInput(_("{what} is not a number: {text!r}").format(what=what, text=text)) from None
    if not value.is_finite():
        raise InvalidInput(_("{what} is not a number: {text!r}").format(what=what, text=text))
    return value


MAX_DIGITS = 15  # a trillion yuan in fen fits; SQLite's 64-bit integers hold 18 digits


def _check_places(value: Decimal, places: int, what: str, text: object) -> Decimal:
    if value.adjusted() >= MAX_DIGITS - places:
        raise InvalidInput(_("{what} is far too large to be right: {text}").format(what=what, text=text))
    if value != value.quantize(quantum(places), rounding=ROUND_HALF_UP):
        raise InvalidInput(_("{what} has more than {places} decimals: {text!r}").format(
            what=what, places=places, text=text))
    return value.quantize(quantum(places))


def parse_money(text: object, places: int = 2, what: str | None = None) -> Decimal:
    """``"12.3"`` → ``Decimal("12.30")``; refuses floats, NaN, and more decimals than the currency has."""
    what = what or _("Amount")
    return _check_places(_parse_decimal(text, what), places, what, text)


def parse_qty(text: object, what: str | None = None) -> Decimal:
    """A quantity with at most three decimals, e.g. ``"0.755"`` kg."""
    what = what or _("Quantity")
    return _check_places(_parse_decimal(text, what), QTY_PLACES, what, text)


def parse_percent(text: object, what: str | None = None) -> Decimal:
    what = what or _("Discount percent")
    value = _check_places(_parse_decimal(text, what), 2, what, text)
    if not ZERO <= value <= 100:
        raise InvalidInput(_("{what} must be between 0 and 100, not {value}").format(what=what, value=value))
    return value


def parse_rate(text: object, what: str | None = None) -> Decimal:
    """A tax rate as a fraction, ``"0.13"``; 0 ≤ rate < 1."""
    what = what or _("Tax rate")
    value = _check_places(_parse_decimal(text, what), RATE_PLACES, what, text)
    if not ZERO <= value < 1:
        raise InvalidInput(_("{what} must be a fraction between 0 and 1 (e.g. 0.13), not {value}").format(
            what=what, value=value))
    return value


def to_minor(amount: Decimal, places: int = 2) -> int:
    """Exact conversion to integer minor units; an amount with more decimals is a bug, so it raises."""
    scaled = amount.scaleb(places)
    if scaled != scaled.to_integral_value():
        raise ValueError(f"{amount} has more than {places} decimals")
    return int(scaled)


def from_minor(minor: int, places: int = 2) -> Decimal:
    return Decimal(minor).scaleb(-places).quantize(quantum(places))


def qty_to_milli(qty: Decimal) -> int:
    return to_minor(qty, QTY_PLACES)


def milli_to_qty(milli: int) -> Decimal:
    return from_minor(milli, QTY_PLACES)


def rate_to_bp(rate: Decimal) -> int:
    """0.13 → 1300 (ten-thousandths)."""
    return to_minor(rate, RATE_PLACES)


def bp_to_rate(bp: int) -> Decimal:
    return from_minor(bp, RATE_PLACES).normalize() if bp else Decimal("0.00")


def format_money(amount: Decimal, places: int = 2) -> str:
    """The JSON and receipt form: fixed decimals, ``"12.30"``."""
    return f"{amount.quantize(quantum(places)):f}"


def format_qty(qty: Decimal) -> str:
    return f"{qty.quantize(quantum(QTY_PLACES)):f}"


def format_rate(rate: Decimal) -> str:
    """0.1300 → "0.13", 0 → "0.00": at least two decimals, no trailing zeros beyond."""
    text = f"{rate.normalize():f}"
    whole, _sep, frac = text.partition(".")
    return f"{whole}.{frac.ljust(2, '0')}"
