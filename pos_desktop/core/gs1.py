"""GS1 Application Identifier (AI) element strings: GS1-128, GS1 DataMatrix, GS1 QR and GS1 DataBar.

Two forms are read:

- the bracketed form people type or see under a barcode: ``(01)06901234567892(17)261231(10)LOT42``;
- the raw form a scanner sends: AIs and data run together, a GS character (``\\x1d``, FNC1) ends each
  variable-length field that is not last, and a symbology identifier such as ``]C1`` may lead.

`parse_gs1` returns a `Gs1Data` whose keys (00, 01, 02, 410-417, …) have valid check digits and whose dates
are real dates; anything else is a `BarcodeError` that names the position or the AI at fault.
"""

from __future__ import annotations

import calendar
import datetime
import re
from dataclasses import dataclass
from decimal import Decimal
from typing import NamedTuple

from pos_desktop.core.errors import BarcodeError
from pos_desktop.core.i18n import _

GS = "\x1d"
# Symbology identifiers of the symbols that carry GS1 element strings: GS1-128, GS1 DataMatrix, GS1 QR Code,
# GS1 DataBar, GS1 DotCode.
GS1_SYMBOLOGY_IDS = ("]C1", "]d2", "]Q3", "]e0", "]J1")


class AiSpec(NamedTuple):
    min_len: int
    max_len: int
    numeric: bool

    @property
    def fixed(self) -> bool:
        return self.min_len == self.max_len


def _n(length: int) -> AiSpec:
    return AiSpec(length, length, True)


def _n_upto(length: int, minimum: int = 1) -> AiSpec:
    return AiSpec(minimum, length, True)


def _x_upto(length: int, minimum: int = 1) -> AiSpec:
    return AiSpec(minimum, length, False)


def _build_table() -> dict[str, AiSpec]:
    """The AIs of the GS1 General Specifications a shop, a warehouse or a pharmacy meets."""
    table = {
        "00": _n(18), "01": _n(14), "02": _n(14), "03": _n(14),
        "10": _x_upto(20), "11": _n(6), "12": _n(6), "13": _n(6), "15": _n(6), "16": _n(6), "17": _n(6),
        "20": _n(2), "21": _x_upto(20), "22": _x_upto(20), "235": _x_upto(28),
        "240": _x_upto(30), "241": _x_upto(30), "242": _n_upto(6), "243": _x_upto(20),
        "250": _x_upto(30), "251": _x_upto(30), "253": _x_upto(30, 13), "254": _x_upto(20),
        "255": _n_upto(25, 13), "30": _n_upto(8), "37": _n_upto(8),
        "400": _x_upto(30), "401": _x_upto(30), "402": _n(17), "403": _x_upto(30),
        "420": _x_upto(20), "421": _x_upto(12, 4), "422": _n(3), "423": _n_upto(15, 3), "424": _n(3),
        "425": _n_upto(15, 3), "426": _n(3), "427": _x_upto(3),
        "7001": _n(13), "7002": _x_upto(30), "7003": _n(10), "7004": _n_upto(4), "7005": _x_upto(12),
        "7006": _n(6), "7007": _n_upto(12, 6), "7008": _x_upto(3), "7009": _x_upto(10), "7010": _x_upto(2),
        "7011": _n_upto(10, 6), "7020": _x_upto(20), "7021": _x_upto(20), "7022": _x_upto(20),
        "7023": _x_upto(30), "7040": AiSpec(4, 4, False), "7240": _x_upto(20),
        "8001": _n(14), "8002": _x_upto(20), "8003": _x_upto(30, 14), "8004": _x_upto(30), "8005": _n(6),
        "8006": _n(18), "8007": _x_upto(34), "8008": _n_upto(12, 8), "8009": _x_upto(50),
        "8010": _x_upto(30), "8011": _n_upto(12), "8012": _x_upto(20), "8013": _x_upto(25),
        "8017": _n(18), "8018": _n(18), "8019": _n_upto(10), "8020": _x_upto(25), "8026": _n(18),
        "8110": _x_upto(70), "8111": _n(4), "8112": _x_upto(70), "8200": _x_upto(70), "90": _x_upto(30),
    }
    table.update({f"41{digit}": _n(13) for digit in "01234567"})  # GLNs: ship to, bill to, …
    table.update({f"703{digit}": _x_upto(30, 4) for digit in "0123456789"})  # processor approval numbers
    table.update({f"71{digit}": _x_upto(20) for digit in "0123456"})  # national healthcare numbers (PZN, NDC…)
    table.update({f"723{digit}": _x_upto(30, 3) for digit in "0123456789"})  # certification references
    table.update({str(ai): _x_upto(90) for ai in range(91, 100)})  # company internal
    for family in [*range(310, 317), *range(320, 330), *range(330, 338), *range(340, 358), *range(360, 370)]:
        table.update({f"{family}{decimals}": _n(6) for decimals in "0123456789"})  # measures, n decimals
    for family, spec in (("390", _n_upto(15)), ("391", _n_upto(18, 4)), ("392", _n_upto(15)),
                         ("393", _n_upto(18, 4)), ("394", _n(4)), ("395", _n(6))):
        table.update({f"{family}{decimals}": spec for decimals in "0123456789"})  # amounts, n decimals
    return table


AI_TABLE: dict[str, AiSpec] = _build_table()

# Keys whose last digit is a GS1 mod-10 check digit.
_CHECKED_KEYS = {"00", "01", "02", "03", "402", "8017", "8018", *(f"41{digit}" for digit in "01234567")}
# YYMMDD dates where day "00" means the last day of the month.
_DATES_DAY_00 = {"11", "12", "13", "15", "16", "17"}
_STRICT_DATES = {"7006"}
_BRACKETED_AI = re.compile(r"\((\d{2,4})\)")


def gs1_check_digit(body: str) -> int:
    """The GS1 mod-10 check digit of ``body`` (weights 3, 1, 3, … from the right). Digits only, else BarcodeError."""
    if not body or not body.isascii() or not body.isdigit():
        raise BarcodeError(_("{code} is not a number, so it has no GS1 check digit").format(code=body))
    total = 3 * sum(map(int, body[-1::-2])) + sum(map(int, body[-2::-2]))  # weight 3 on the rightmost digit
    return (10 - total % 10) % 10


def has_valid_check_digit(code: str) -> bool:
    """True when ``code`` is at least two ASCII digits and its last digit is the GS1 check digit of the rest."""
    if len(code) < 2 or not code.isascii() or not code.isdigit():
        return False
    return gs1_check_digit(code[:-1]) == int(code[-1])


def require_check_digit(code: str) -> None:
    """Raise BarcodeError, naming the code and the expected digit, unless ``code`` ends in its check digit."""
    if not has_valid_check_digit(code):
        expected = gs1_check_digit(code[:-1])
        raise BarcodeError(
            _("Barcode {code} has a wrong check digit (expected {expected})").format(code=code, expected=expected)
        )


def _require_key_check_digit(ai: str, value: str) -> None:
    if not has_valid_check_digit(value):
        raise BarcodeError(_("{code} in AI ({ai}) has a wrong check digit (expected {expected})")
                           .format(code=value, ai=ai, expected=gs1_check_digit(value[:-1])))


def gs1_date(value: str, ai: str) -> datetime.date:
    """A GS1 YYMMDD date as 20YY-MM-DD; day 00 is the last day of the month. Not a date → BarcodeError."""
    if len(value) != 6 or not value.isdigit():
        raise _bad_date(value, ai)
    year, month, day = 2000 + int(value[:2]), int(value[2:4]), int(value[4:])
    if not 1 <= month <= 12:
        raise _bad_date(value, ai)
    if day == 0 and ai in _DATES_DAY_00:
        day = calendar.monthrange(year, month)[1]
    try:
        return datetime.date(year, month, day)
    except ValueError:
        raise _bad_date(value, ai) from None


def _bad_date(value: str, ai: str) -> BarcodeError:
    return BarcodeError(_("Date {value} in AI ({ai}) is not a valid date").format(value=value, ai=ai))


@dataclass(frozen=True)
class Gs1Data:
    """The AIs of one element string, by AI. Construction guarantees valid check digits and dates.

    Dates are read as 2000-2099 (``20YY``).
    """

    ais: dict[str, str]

    def __post_init__(self) -> None:
        object.__setattr__(self, "ais", dict(self.ais))
        for ai, value in self.ais.items():
            if ai in _CHECKED_KEYS:
                _require_key_check_digit(ai, value)
            elif ai in _DATES_DAY_00 or ai in _STRICT_DATES:
                gs1_date(value, ai)

    def __hash__(self) -> int:
        return hash(tuple(sorted(self.ais.items())))

    @property
    def gtin(self) -> str | None:
        """The 14-digit GTIN of AI (01), check digit verified."""
        return self._checked("01")

    @property
    def sscc(self) -> str | None:
        """The 18-digit serial shipping container code of AI (00), check digit verified."""
        return self._checked("00")

    @property
    def lot(self) -> str | None:
        return self.ais.get("10")

    @property
    def serial(self) -> str | None:
        return self.ais.get("21")

    @property
    def expiry(self) -> datetime.date | None:
        return self._date("17")

    @property
    def best_before(self) -> datetime.date | None:
        return self._date("15")

    @property
    def production_date(self) -> datetime.date | None:
        return self._date("11")

    @property
    def net_weight_kg(self) -> Decimal | None:
        """AI (310n): net weight in kg with n decimals, exact."""
        return self._with_decimals("310")

    @property
    def amount_payable(self) -> Decimal | None:
        """AI (392n), else (390n): the amount to pay in local currency with n decimals, exact."""
        amount = self._with_decimals("392")
        return self._with_decimals("390") if amount is None else amount

    @property
    def count(self) -> int | None:
        """AI (30) variable count of items, else AI (37) count of trade items."""
        value = self.ais.get("30", self.ais.get("37"))
        return None if value is None else int(value)

    def bracketed(self) -> str:
        """The human-readable form, e.g. ``(01)06901234567892(10)LOT42``, in the order read."""
        return "".join(f"({ai}){value}" for ai, value in self.ais.items())

    def _checked(self, ai: str) -> str | None:
        value = self.ais.get(ai)
        if value is not None:
            _require_key_check_digit(ai, value)
        return value

    def _date(self, ai: str) -> datetime.date | None:
        value = self.ais.get(ai)
        return None if value is None else gs1_date(value, ai)

    def _with_decimals(self, family: str) -> Decimal | None:
        for ai, value in self.ais.items():
            if ai.startswith(family) and len(ai) == 4:
                return Decimal(int(value)).scaleb(-int(ai[3]))
        return None


def looks_like_gs1(text: str) -> bool:
    """True for a symbology identifier of a GS1 symbol, a GS (FNC1) inside, or the bracketed ``(01)…`` form."""
    return text.startswith(GS1_SYMBOLOGY_IDS) or GS in text or _BRACKETED_AI.match(text) is not None


def parse_gs1(text: str) -> Gs1Data:
    """Read a GS1 element string in bracketed or raw form (see the module docstring).

    Every AI must be known, fixed-length fields complete, variable-length fields within their maximum, numeric
    fields digits only. Errors are BarcodeError naming the 1-based position in ``text``.
    """
    offset = len(text) - len(text.lstrip())
    body = text.strip()
    if body.startswith(GS1_SYMBOLOGY_IDS):
        body, offset = body[3:], offset + 3
    if not body.strip(GS):
        raise BarcodeError(_("The GS1 barcode {code} holds no data").format(code=_visible(text)))
    parse = _parse_bracketed if body.startswith("(") else _parse_raw
    return Gs1Data(parse(body, offset, _visible(text)))


def _parse_bracketed(body: str, offset: int, shown: str) -> dict[str, str]:
    ais: dict[str, str] = {}
    matches = list(_BRACKETED_AI.finditer(body))
    if not matches or matches[0].start() != 0:
        raise _unknown_ai(offset + 1, shown)
    for match, following in zip(matches, [*matches[1:], None]):
        end = following.start() if following else len(body)
        ai, value = match.group(1), body[match.end():end]
        if ai not in AI_TABLE:
            raise _unknown_ai(offset + match.start() + 1, shown)
        _check_value(ai, value, offset + match.end() + 1, shown)
        _add(ais, ai, value, shown)
    return ais


def _parse_raw(body: str, offset: int, shown: str) -> dict[str, str]:
    ais: dict[str, str] = {}
    pos = 0
    while pos < len(body):
        if body[pos] == GS:
            pos += 1
            continue
        ai = _read_ai(body, pos, offset, shown)
        value, pos = _read_value(body, ai, pos + len(ai), offset, shown)
        _add(ais, ai, value, shown)
    return ais


def _read_ai(body: str, pos: int, offset: int, shown: str) -> str:
    # The AI table is prefix-free, so the first length that matches is the AI.
    for length in (2, 3, 4):
        if body[pos:pos + length] in AI_TABLE:
            return body[pos:pos + length]
    raise _unknown_ai(offset + pos + 1, shown)


def _read_value(body: str, ai: str, start: int, offset: int, shown: str) -> tuple[str, int]:
    spec = AI_TABLE[ai]
    if spec.fixed:
        end = start + spec.max_len
        value = body[start:end]
        if GS in value:
            value = value[:value.index(GS)]
    else:
        end = body.find(GS, start)
        end = len(body) if end == -1 else end
        value = body[start:end]
    _check_value(ai, value, offset + start + 1, shown)
    return value, start + len(value)


def _check_value(ai: str, value: str, position: int, shown: str) -> None:
    spec = AI_TABLE[ai]
    fields = {"ai": ai, "position": position, "code": shown, "length": spec.max_len, "minimum": spec.min_len}
    if len(value) < spec.min_len:
        if spec.fixed:
            message = _("GS1 barcode {code} ends too early at position {position}: AI ({ai}) needs {length} "
                        "characters")
        else:
            message = _("GS1 barcode {code}: AI ({ai}) at position {position} needs at least {minimum} characters")
        raise BarcodeError(message.format(**fields))
    if len(value) > spec.max_len:
        raise BarcodeError(_("GS1 barcode {code}: AI ({ai}) at position {position} is longer than {length} "
                             "characters; a separator (FNC1) may be missing").format(**fields))
    if spec.numeric and not (value.isascii() and value.isdigit()):
        raise BarcodeError(_("GS1 barcode {code}: AI ({ai}) at position {position} must be digits only")
                           .format(**fields))
    if not all("!" <= char <= "~" for char in value):
        raise BarcodeError(_("GS1 barcode {code}: AI ({ai}) at position {position} holds a character that is "
                             "not allowed").format(**fields))


def _add(ais: dict[str, str], ai: str, value: str, shown: str) -> None:
    if ais.get(ai, value) != value:
        raise BarcodeError(_("GS1 barcode {code} has AI ({ai}) twice with different values")
                           .format(code=shown, ai=ai))
    ais[ai] = value


def _unknown_ai(position: int, shown: str) -> BarcodeError:
    return BarcodeError(_("GS1 barcode {code} has an unknown application identifier at position {position}")
                        .format(code=shown, position=position))


def _visible(text: str) -> str:
    return text.strip().replace(GS, "<GS>")
