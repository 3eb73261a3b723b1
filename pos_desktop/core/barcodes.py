"""What a scanned or typed barcode means: a GTIN, an in-store weighed or priced item, a GS1-128 label, or one of
the shop's own codes.

Lookup codes. Every GTIN is stored and looked up in one form, whatever symbol carried it: the GTIN-14 without
its leading zeros down to 13 digits (UPC-A ``036000291452`` → ``0036000291452``, UPC-E → expanded UPC-A → 13
digits, GTIN-14 ``0…`` → 13 digits), except an EAN-8, which stays 8 digits (in 14 digits it is six zeros and the
EAN-8; GS1 keeps those 13-digit numbers free so they never collide). A GTIN-14 of a case (indicator 1-9) stays 14.
A wrong check digit is always a `BarcodeError`; nothing is guessed.

Symbology hints: an AIM identifier (``]E0``, ``]E4``, ``]C1``, …) leading the scan, or the ``symbology`` argument
(an AIM identifier or a name: ``ean13``, ``ean8``, ``upce``, ``upca``, ``code128``, ``gs1_128``, …). They only
matter where digits alone are ambiguous: 8 digits (EAN-8 or UPC-E) and numbers in a Code 128 symbol (the shop's
own codes, which have no GS1 check digit). An unknown name is no hint.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

from pos_desktop.core.errors import BarcodeError
from pos_desktop.core.gs1 import (
    GS,
    GS1_SYMBOLOGY_IDS,
    Gs1Data,
    gs1_check_digit,
    has_valid_check_digit,
    looks_like_gs1,
    parse_gs1,
    require_check_digit,
)
from pos_desktop.core.i18n import _

__all__ = [
    "DEFAULT_LAYOUTS", "InStoreLayouts", "Scan", "append_check_digit", "expand_upce", "gs1_check_digit",
    "gtin_lookup_code", "has_valid_check_digit", "normalize_barcode", "parse_instore_registration", "parse_scan",
]

ScanKind = Literal["gtin", "instore", "gs1_128", "internal"]
MAX_CODE_LENGTH = 64
GTIN_LENGTHS = (8, 12, 13, 14)
_AIM_ID = re.compile(r"\][A-Za-z][0-9A-Za-z]")
_INTERNAL_CODE = re.compile(r"[A-Za-z0-9./_-]+")
_LINE_WHITESPACE = " \t\r\n\v\f"

# Hint values: None (decide by length), "ean8", "upce", "ean_upc" (8 digits are a UPC-E), "addon" (EAN/UPC
# followed by a 2- or 5-digit add-on), "text" (not an EAN/UPC symbol: numbers are the shop's own codes), "gs1".
_AIM_HINTS = {"]E0": "ean_upc", "]E3": "addon", "]E4": "ean8", "]E1": "text", "]E2": "text"}
_AIM_LETTER_HINTS = {"E": None, "I": None, "X": None, "e": "gs1"}
_NAMED_HINTS = {
    "ean13": None, "upca": None, "ean": None, "upc": None, "gtin": None, "gtin14": None, "itf": None,
    "itf14": None, "ean8": "ean8", "upce": "upce", "code128": "text", "code39": "text", "code93": "text",
    "codabar": "text", "qr": "text", "qrcode": "text", "datamatrix": "text", "pdf417": "text",
    "gs1128": "gs1", "gs1": "gs1", "gs1datamatrix": "gs1", "gs1qr": "gs1", "gs1databar": "gs1", "databar": "gs1",
}


# --- check digits, UPC-E, lookup codes ---------------------------------------------------------------------


def append_check_digit(body: str) -> str:
    """``body`` followed by its GS1 check digit."""
    return body + str(gs1_check_digit(body))


def expand_upce(code: str) -> str:
    """The 12-digit UPC-A a UPC-E (8 digits, number system 0 or 1) stands for, check digit verified."""
    if len(code) != 8 or not _is_digits(code):
        raise BarcodeError(_("UPC-E {code} must be 8 digits").format(code=code))
    if code[0] not in "01":
        raise BarcodeError(_("UPC-E {code} must start with 0 or 1").format(code=code))
    upca = _upce_body(code) + code[7]
    if not has_valid_check_digit(upca):
        expected = gs1_check_digit(upca[:-1])
        raise BarcodeError(_("Barcode {code} has a wrong check digit (expected {expected})")
                           .format(code=code, expected=expected))
    return upca


def _upce_body(code: str) -> str:
    """The first 11 digits of the UPC-A, by the last of the six UPC-E digits (GS1 zero-suppression rules)."""
    system, d = code[0], code[1:7]
    last = d[5]
    if last in "012":
        return system + d[0:2] + last + "0000" + d[2:5]
    if last == "3":
        return system + d[0:3] + "00000" + d[3:5]
    if last == "4":
        return system + d[0:4] + "00000" + d[4]
    return system + d[0:5] + "0000" + last


def gtin_lookup_code(gtin: str) -> str:
    """The lookup code of a GTIN of 8, 12, 13 or 14 digits (see the module docstring). Check digit verified."""
    if len(gtin) not in GTIN_LENGTHS or not _is_digits(gtin):
        raise BarcodeError(_("{code} is not a GTIN (8, 12, 13 or 14 digits)").format(code=gtin))
    require_check_digit(gtin)
    gtin14 = gtin.rjust(14, "0")
    if gtin14.startswith("000000"):
        return gtin14[6:]
    return gtin14.removeprefix("0")


# --- in-store variable-measure codes -----------------------------------------------------------------------

DEFAULT_LAYOUTS: dict[str, dict[str, str]] = {
    "13": {
        **{str(prefix): "PPIIIIIMMMMMC" for prefix in range(20, 25)},
        **{str(prefix): "PPIIIIIWWWWWC" for prefix in range(25, 30)},
    },
    "18": {"26": "PPIIIIIMMMMMWWWWWC"},
}
_LAYOUT_LETTERS = set("PIMWQXC")


@dataclass(frozen=True)
class InStoreLayouts:
    """Layouts of in-store codes by (code length, two-digit prefix 20-29), each one checked on construction.

    A layout has one letter per digit: P prefix, I item number (PLU), M money in fen, W weight in grams,
    Q count, X ignored (e.g. a price check digit), C the GS1 check digit over all digits before it.
    """

    layouts: dict[tuple[int, str], str]

    def __post_init__(self) -> None:
        object.__setattr__(self, "layouts", dict(self.layouts))
        for (length, prefix), layout in self.layouts.items():
            _check_layout(length, prefix, layout)

    def __hash__(self) -> int:
        return hash(tuple(sorted(self.layouts.items())))

    @classmethod
    def default(cls) -> InStoreLayouts:
        """Price in fen for 13-digit prefixes 20-24, weight in grams for 25-29, the 18-digit scale code 26."""
        return cls.from_dict(DEFAULT_LAYOUTS)

    @classmethod
    def from_dict(cls, data: Mapping[str, Mapping[str, str]]) -> InStoreLayouts:
        """From the settings form ``{"13": {"20": "PPIIIIIMMMMMC"}, …}``; bad entries raise BarcodeError."""
        layouts: dict[tuple[int, str], str] = {}
        for length, by_prefix in data.items():
            if not str(length).isdigit() or not isinstance(by_prefix, Mapping):
                raise BarcodeError(_("In-store layouts need a code length such as \"13\" with prefixes under it, "
                                     "not {length}").format(length=length))
            for prefix, layout in by_prefix.items():
                if not isinstance(layout, str):
                    raise BarcodeError(_("In-store layout for prefix {prefix} must be text such as "
                                         "PPIIIIIMMMMMC").format(prefix=prefix))
                layouts[(int(length), str(prefix))] = layout.strip().upper()
        return cls(layouts)

    def to_dict(self) -> dict[str, dict[str, str]]:
        """The settings form, which `from_dict` reads back."""
        data: dict[str, dict[str, str]] = {}
        for (length, prefix), layout in sorted(self.layouts.items()):
            data.setdefault(str(length), {})[prefix] = layout
        return data

    def layout_for(self, code: str) -> str | None:
        """The layout of ``code`` by its length and first two digits, None if it is no in-store code."""
        return self.layouts.get((len(code), code[:2]))


def _check_layout(length: int, prefix: str, layout: str) -> None:
    if not isinstance(length, int) or not 8 <= length <= 18:
        raise BarcodeError(_("In-store codes must be 8 to 18 digits long, not {length}").format(length=length))
    if not (isinstance(prefix, str) and len(prefix) == 2 and prefix.isdigit() and prefix[0] == "2"):
        raise BarcodeError(_("In-store prefix {prefix} must be two digits from 20 to 29").format(prefix=prefix))
    problem = _layout_problem(length, layout)
    if problem:
        raise BarcodeError(_("In-store layout {layout} ({length} digits, prefix {prefix}): {problem}")
                           .format(layout=layout, length=length, prefix=prefix, problem=problem))


def _layout_problem(length: int, layout: str) -> str | None:
    if len(layout) != length:
        return _("it must have {length} letters, not {count}").format(length=length, count=len(layout))
    if not set(layout) <= _LAYOUT_LETTERS:
        return _("only the letters P, I, M, W, Q, X and C may be used")
    if layout.count("C") != 1 or not layout.endswith("C"):
        return _("it must end with one C (the check digit) and have no other C")
    if not re.fullmatch(r"P{1,2}[^P]*", layout):
        return _("it must start with one or two P (the prefix) and have no other P")
    if "I" not in layout:
        return _("it needs at least one I (the item number)")
    for letter in "IMWQ":
        if layout.count(letter) and letter * layout.count(letter) not in layout:
            return _("the letters {letter} must stand together").format(letter=letter)
    return None


def parse_instore_registration(code: str) -> tuple[str, str]:
    """(prefix, PLU) of a 7-digit in-store registration such as ``2012345`` → ("20", "12345")."""
    text = code.strip()
    if len(text) != 7 or not _is_digits(text) or text[0] != "2":
        raise BarcodeError(_("{code} is not an in-store registration (7 digits starting with 2)").format(code=code))
    return text[:2], text[2:]


# --- scans ---------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Scan:
    """One scan, understood. ``code`` is what to look the product up by: the GTIN lookup code (gtin, gs1_128
    with a GTIN), the PLU (instore) or the shop's own code (internal). Amounts are integers: fen and grams.
    """

    raw: str
    kind: ScanKind
    code: str
    plu: str | None = None
    price_minor: int | None = None
    weight_g: int | None = None
    count: int | None = None
    gs1: Gs1Data | None = None
    prefix: str | None = None

    @property
    def registration(self) -> str | None:
        """For an in-store code, prefix and PLU together (``2012345``), as `parse_instore_registration` reads."""
        return None if self.plu is None or self.prefix is None else self.prefix + self.plu


def parse_scan(raw: str, layouts: InStoreLayouts | None = None, symbology: str | None = None) -> Scan:
    """Understand one scan (a leading AIM identifier wins over ``symbology``). Wrong check digits, bad
    characters and malformed GS1 data raise BarcodeError; nothing is guessed.
    """
    text, aim, body, hint = _read(raw, symbology)
    if hint == "gs1" or looks_like_gs1(body):
        return _gs1_scan(raw, parse_gs1(text if aim in GS1_SYMBOLOGY_IDS else body))
    if not _is_digits(body):
        return Scan(raw=raw, kind="internal", code=_internal_code(body))
    if hint == "addon":
        body = _without_addon(body)
    layout = (layouts if layouts is not None else InStoreLayouts.default()).layout_for(body)
    if layout is not None and hint != "upce":
        return _instore_scan(raw, body, layout)
    if hint == "text":
        return Scan(raw=raw, kind="internal", code=body)
    kind: ScanKind = "gtin" if len(body) in GTIN_LENGTHS else "internal"
    return Scan(raw=raw, kind=kind, code=_numeric_code(body, hint))


def normalize_barcode(code: str, symbology: str | None = None) -> str:
    """The form a barcode is stored in the catalog (the same ``code`` `parse_scan` gives a GTIN or an internal
    code): GTINs validated and in lookup form, 18 digits validated, other numbers and codes of letters, digits,
    ``-``, ``.``, ``/``, ``_`` kept (upper-cased). A GS1 element string gives its GTIN. Else BarcodeError.
    """
    text, aim, body, hint = _read(code, symbology)
    if hint == "gs1" or looks_like_gs1(body):
        gtin = parse_gs1(text if aim in GS1_SYMBOLOGY_IDS else body).gtin
        if gtin is None:
            raise BarcodeError(_("GS1 barcode {code} holds no GTIN (01)").format(code=_shown(text)))
        return gtin_lookup_code(gtin)
    if not _is_digits(body):
        return _internal_code(body)
    if hint == "addon":
        body = _without_addon(body)
    return body if hint == "text" else _numeric_code(body, hint)


def _read(raw: str, symbology: str | None) -> tuple[str, str | None, str, str | None]:
    """(cleaned text, AIM identifier or None, text after it, hint)."""
    text = _clean(raw)
    aim = text[:3] if _AIM_ID.match(text) else None
    body = text[3:] if aim else text
    if not body:
        raise BarcodeError(_("The barcode {code} holds no data").format(code=_shown(text)))
    return text, aim, body, _hint(aim or symbology)


def _clean(raw: str) -> str:
    text = raw.strip(_LINE_WHITESPACE)
    if not text:
        raise BarcodeError(_("The barcode is empty"))
    if text.isascii() and text.isalnum():  # the common case (a plain EAN/UPC) needs no character scan
        return text
    if any(char.isspace() and char != GS for char in text):
        raise BarcodeError(_("Barcode {code} contains a space").format(code=_shown(text)))
    if any(not char.isprintable() and char != GS for char in text):
        raise BarcodeError(_("Barcode {code} contains a control character").format(code=_shown(text)))
    return text


def _hint(symbology: str | None) -> str | None:
    if symbology is None:
        return None
    if _AIM_ID.fullmatch(symbology):
        if symbology in GS1_SYMBOLOGY_IDS:
            return "gs1"
        if symbology in _AIM_HINTS:
            return _AIM_HINTS[symbology]
        return _AIM_LETTER_HINTS.get(symbology[1], "text")
    name = re.sub(r"[\s_\-]", "", symbology).lower()
    return _NAMED_HINTS.get(name)


def _internal_code(text: str) -> str:
    if len(text) > MAX_CODE_LENGTH:
        raise BarcodeError(_("Barcode {code} is longer than {length} characters")
                           .format(code=text, length=MAX_CODE_LENGTH))
    if not _INTERNAL_CODE.fullmatch(text):
        raise BarcodeError(_("Barcode {code} may only hold letters, digits, '-', '.', '/' and '_'")
                           .format(code=_shown(text)))
    return text.upper()


def _numeric_code(digits: str, hint: str | None) -> str:
    if len(digits) == 8:
        return _eight_digit_code(digits, hint)
    if len(digits) in GTIN_LENGTHS:
        return gtin_lookup_code(digits)
    if len(digits) == 18:
        require_check_digit(digits)
    return _internal_code(digits)


def _eight_digit_code(digits: str, hint: str | None) -> str:
    """EAN-8 unless the hint says UPC-E; without a hint, a UPC-E only when the EAN-8 check digit fails."""
    if hint in ("upce", "ean_upc"):
        return gtin_lookup_code(expand_upce(digits))
    if hint == "ean8" or has_valid_check_digit(digits) or digits[0] not in "01":
        return gtin_lookup_code(digits)
    if has_valid_check_digit(_upce_body(digits) + digits[7]):
        return gtin_lookup_code(expand_upce(digits))
    return gtin_lookup_code(digits)  # raises: wrong check digit as an EAN-8


def _without_addon(digits: str) -> str:
    """An EAN-13/UPC-A followed by a 2- or 5-digit add-on (``]E3``) without the add-on."""
    return digits[:13] if len(digits) in (15, 18) else digits


def _instore_scan(raw: str, code: str, layout: str) -> Scan:
    require_check_digit(code)
    parts = {letter: "".join(d for d, l in zip(code, layout) if l == letter) for letter in "PIMWQ"}
    plu = parts["I"]
    return Scan(raw=raw, kind="instore", code=plu, plu=plu, prefix=parts["P"], price_minor=_number(parts["M"]),
                weight_g=_number(parts["W"]), count=_number(parts["Q"]))


def _number(digits: str) -> int | None:
    return int(digits) if digits else None


def _gs1_scan(raw: str, data: Gs1Data) -> Scan:
    gtin = data.gtin
    code = gtin_lookup_code(gtin) if gtin else data.sscc or data.bracketed()
    return Scan(raw=raw, kind="gs1_128", code=code, gs1=data, count=data.count,
                weight_g=_whole(data.net_weight_kg, 1000), price_minor=_whole(data.amount_payable, 100))


def _whole(amount: Decimal | None, factor: int) -> int | None:
    """``amount × factor`` if that is a whole number (grams of kg, fen of yuan), else None."""
    if amount is None:
        return None
    scaled = amount * factor
    return int(scaled) if scaled == scaled.to_integral_value() else None


def _is_digits(text: str) -> bool:
    return text.isascii() and text.isdigit()


def _shown(text: str) -> str:
    return "".join(char if char.isprintable() else f"<{ord(char):02X}>" for char in text)
