"""The cells of a catalog file, one column at a time: text within its length limit, amounts, rates,
quantities, flags, attributes, and the ``barcode`` column (codes with pack quantities, or the product's
in-store scale registration) — each raw cell to its exact value, or InvalidInput with the reason.

``catalog_rows`` reads the rows with these parsers (``cell_parsers``) and checks the rows against each other
and the catalog; the conventions of every column are in its docstring.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from ..core.barcodes import InStoreLayouts, normalize_barcode, parse_instore_registration
from ..core.errors import InvalidInput
from ..core.i18n import _
from .tabular import amount_cell, flag_cell, pairs_cell, quantity_cell, rate_cell

DEFAULT_TAX_RATE = Decimal("0.13")
LIMITS = {"sku": 50, "name": 200, "unit": 10, "category": 100, "supplier": 30, "variant_of": 50, "barcode": 64}
_REGISTRATION = re.compile(r"2\d{6}")
_SCIENTIFIC = re.compile(r"[0-9.]+E\+?[0-9]+", re.IGNORECASE)


def cell_parsers(places: int, shop_layouts: InStoreLayouts) -> dict[str, Callable[[str], Any]]:
    return {
        "name": lambda raw: cell_text(raw, "name", _("Name"), True),
        "price": lambda raw: amount_cell(raw, places, _("Price"), required=True),
        "cost": lambda raw: amount_cell(raw, places, _("Cost")),
        "member_price": lambda raw: amount_cell(raw, places, _("Member price")),
        "tax_rate": lambda raw: rate_cell(raw, _("Tax rate"), DEFAULT_TAX_RATE),
        "unit": lambda raw: cell_text(raw, "unit", _("Unit")) or "pcs",
        "category": lambda raw: cell_text(raw, "category", _("Category")) or None,
        "supplier": lambda raw: cell_text(raw, "supplier", _("Supplier")) or None,
        "reorder_point": lambda raw: quantity_cell(raw, _("Reorder point")),
        "reorder_qty": lambda raw: quantity_cell(raw, _("Reorder quantity")),
        "track_batches": lambda raw: flag_cell(raw, _("Track batches")),
        "track_expiry": lambda raw: flag_cell(raw, _("Track expiry")),
        "variant_of": lambda raw: cell_text(raw, "variant_of", _("variant_of")) or None,
        "attributes": lambda raw: pairs_cell(raw, _("Attributes")),
        "barcode": lambda raw: _codes(raw, shop_layouts),
    }


def cell_text(raw: str, column: str, what: str, required: bool = False) -> str:
    raw = raw.strip()
    if not raw and required:
        raise InvalidInput(_("{what} is missing").format(what=what))
    if len(raw) > LIMITS[column]:
        raise InvalidInput(_("{what} is longer than {limit} characters").format(what=what, limit=LIMITS[column]))
    if not raw.isprintable():
        raise InvalidInput(_("{what} contains a line break or another control character").format(what=what))
    return raw


def _codes(raw: str, shop_layouts: InStoreLayouts) -> tuple[tuple[tuple[str, Decimal], ...], tuple[str, str] | None]:
    """((code, pack quantity), …) and the in-store registration (prefix, PLU), from ``A|B*6|2012345``."""
    codes: dict[str, Decimal] = {}
    registration: tuple[str, str] | None = None
    for part in filter(None, (part.strip() for part in raw.split("|"))):
        code, star, pack_text = (piece.strip() for piece in part.partition("*"))
        pack = quantity_cell(pack_text, _("Pack quantity")) if star else Decimal(1)
        if not pack:
            raise InvalidInput(_("The pack quantity of {code} must be more than 0").format(code=code))
        if _REGISTRATION.fullmatch(code):
            if star or registration is not None:
                raise InvalidInput(_("{code} is an in-store scale registration: a product has one, without a "
                                     "pack quantity").format(code=code))
            registration = _registration(code, shop_layouts)
            continue
        if _SCIENTIFIC.fullmatch(code):
            raise InvalidInput(_("Barcode {code} was turned into a number by the spreadsheet; format the barcode "
                                 "column as text and export again").format(code=code))
        normal = cell_text(normalize_barcode(code), "barcode", _("Barcode"))
        if shop_layouts.layout_for(normal) is not None:
            raise InvalidInput(_("{code} is a scale label with a price or weight in it; give the product's "
                                 "7-digit registration (such as 2012345) instead").format(code=code))
        if codes.setdefault(normal, pack) != pack:
            raise InvalidInput(_("Barcode {code} is given twice with different pack quantities").format(code=code))
    return tuple(codes.items()), registration


def _registration(code: str, shop_layouts: InStoreLayouts) -> tuple[str, str]:
    prefix, plu = parse_instore_registration(code)
    if not any(p == prefix for _length, p in shop_layouts.layouts):
        raise InvalidInput(_("No in-store label layout uses prefix {prefix}, so labels of {code} could not be "
                             "read at the till").format(prefix=prefix, code=code))
    return prefix, plu
