"""Reading ``pos sale`` and ``pos return`` files (CLI.md) into service inputs, with clear messages.

JSON numbers are read as Decimal exactly as written (``"qty": 0.755`` is 0.755, not a binary float).
"""

from __future__ import annotations

import json
import sys
from decimal import Decimal
from pathlib import Path
from typing import Any

from ..core.cart import Cart
from ..core.errors import InvalidInput, PosError
from ..core.i18n import _
from ..core.money import parse_money, parse_percent, parse_qty, round_half_up
from ..core.pricing import Discount
from ..services import catalog, members
from ..services.checkout import Tender
from ..services.context import Context
from ..services.returns import ReturnRequest


def read_json(path: str) -> dict[str, Any]:
    """A JSON file (``-``: standard input) holding an object, numbers as exact decimals."""
    doc = read_json_any(path)
    if not isinstance(doc, dict):
        raise InvalidInput(_("{path} must hold a JSON object").format(path=path), code="bad_json")
    return doc


def read_json_any(path: str) -> Any:
    """A JSON file (``-``: standard input) holding an object or a list, numbers as exact decimals."""
    try:
        text = sys.stdin.read() if path == "-" else Path(path).read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise InvalidInput(_("No such file: {path}").format(path=path), code="no_file") from None
    except IsADirectoryError:
        raise InvalidInput(_("{path} is a folder, not a file").format(path=path), code="no_file") from None
    except OSError as exc:
        raise InvalidInput(_("{path} cannot be read: {error}").format(path=path, error=exc.strerror),
                           code="no_file") from None
    except UnicodeDecodeError:
        raise InvalidInput(_("{path} is not UTF-8 text").format(path=path), code="bad_file") from None
    try:
        doc = json.loads(text, parse_float=Decimal)
    except json.JSONDecodeError as exc:
        raise InvalidInput(_("{path} is not valid JSON: {error}").format(path=path, error=exc),
                           code="bad_json") from None
    return doc


def field(doc: dict[str, Any], name: str, kind: type, where: str = "") -> Any:
    if name not in doc or doc[name] is None:
        raise InvalidInput(_("{where}missing field {name!r}").format(where=where, name=name), code="missing_field")
    value = doc[name]
    if not isinstance(value, kind) or (isinstance(value, bool) and bool not in _kinds(kind)):
        raise InvalidInput(_("{where}field {name!r} has the wrong type").format(where=where, name=name),
                           code="bad_field")
    return value


def _kinds(kind: type | tuple[type, ...]) -> tuple[type, ...]:
    return kind if isinstance(kind, tuple) else (kind,)


def credentials(doc: Any, what: str = "") -> tuple[str, str] | None:
    """``user``/``pin`` of the file (or of its ``approver`` object); None when there is no user."""
    if doc is None:
        return None
    if not isinstance(doc, dict):
        raise InvalidInput(_("{what}must be an object with user and pin").format(what=what), code="bad_field")
    if doc.get("user") is None:
        return None
    if not isinstance(doc["user"], str) or not isinstance(doc.get("pin", ""), (str, int)):
        raise InvalidInput(_("{what}user and pin must be text").format(what=what), code="bad_field")
    return doc["user"], str(doc.get("pin", ""))


def approver_credentials(doc: dict[str, Any]) -> tuple[str, str] | None:
    return credentials(doc.get("approver"), _("approver: "))


def _discount(line: dict[str, Any], where: str) -> Discount | None:
    pct, amount = line.get("discount_percent"), line.get("discount_amount")
    if pct is not None and amount is not None:
        raise InvalidInput(_("{where}give discount_percent or discount_amount, not both").format(where=where))
    if pct is not None:
        return Discount(percent=parse_percent(pct))
    if amount is not None:
        return Discount(amount=parse_money(amount, what=_("Discount amount")))
    return None


def build_cart(ctx: Context, doc: dict[str, Any]) -> Cart:
    """A cart with one line per file line, in order (line numbers match the file)."""
    cart = Cart()
    lines = field(doc, "lines", list)
    if not lines:
        raise InvalidInput(_("The sale has no lines"), code="empty_sale")
    for number, line in enumerate(lines, start=1):
        where = _("line {n}: ").format(n=number)
        if not isinstance(line, dict):
            raise InvalidInput(_("{where}must be an object").format(where=where), code="bad_field")
        try:
            _add_line(ctx, cart, line, where)
        except PosError as exc:
            if exc.message.startswith(where):
                raise
            raise type(exc)(where + exc.message, code=exc.code, line=number) from None
    _apply_cart_fields(ctx, cart, doc)
    return cart


def _add_line(ctx: Context, cart: Cart, line: dict[str, Any], where: str) -> None:
    if ("barcode" in line) == ("sku" in line):
        raise InvalidInput(_("{where}give either barcode or sku").format(where=where), code="missing_field")
    qty = parse_qty(line.get("qty", "1"))
    if "barcode" in line:
        found = catalog.lookup_scan(ctx, str(line["barcode"]))
        if found.fixed_gross is not None and qty != 1:
            raise InvalidInput(_("{where}a scale label is sold as labelled; leave qty out").format(where=where))
        added = cart.add(found.product, found.qty * qty, barcode=found.barcode, fixed_gross=found.fixed_gross,
                         merge=False)
    else:
        product = catalog.find_product(ctx, sku=str(line["sku"]))
        added = cart.add(product, qty, merge=False)
    if line.get("unit_price") is not None:
        cart.override_price(added.line_no, parse_money(line["unit_price"], ctx.places, _("Unit price")))
    discount = _discount(line, where)
    if discount is not None:
        gross = added.fixed_gross if added.fixed_gross is not None else added.unit_price * added.qty
        if discount.amount is not None and discount.amount > gross:
            raise InvalidInput(_("{where}a discount of {amount} is more than the line's {gross}").format(
                where=where, amount=discount.amount, gross=round_half_up(gross, ctx.places)), code="bad_discount")
        cart.set_line_discount(added.line_no, discount)


def _apply_cart_fields(ctx: Context, cart: Cart, doc: dict[str, Any]) -> None:
    cart_discount = doc.get("cart_discount")
    if cart_discount is not None:
        if not isinstance(cart_discount, dict):
            raise InvalidInput(_("cart_discount must be an object with percent or amount"), code="bad_field")
        discount = _discount({"discount_percent": cart_discount.get("percent"),
                              "discount_amount": cart_discount.get("amount")}, _("cart discount: "))
        cart.set_cart_discount(discount)
    if doc.get("customer"):
        member_id, code = members.member_by_code(ctx, str(doc["customer"]))
        cart.set_customer(member_id, code)


def tenders(doc: dict[str, Any], key: str, places: int) -> list[Tender]:
    items = field(doc, key, list)
    out = []
    for number, item in enumerate(items, start=1):
        where = _("{key} {n}: ").format(key=key, n=number)
        if not isinstance(item, dict):
            raise InvalidInput(_("{where}must be an object").format(where=where), code="bad_field")
        method = str(field(item, "method", str, where))
        amount = parse_money(field(item, "amount", (str, int, Decimal), where), places, _("Amount"))
        reference = item.get("reference")
        if reference is not None and not isinstance(reference, str):
            raise InvalidInput(_("{where}reference must be text").format(where=where), code="bad_field")
        out.append(Tender(method, amount, reference))
    return out


def return_lines(doc: dict[str, Any]) -> list[ReturnRequest]:
    out = []
    for number, item in enumerate(field(doc, "lines", list), start=1):
        where = _("line {n}: ").format(n=number)
        if not isinstance(item, dict):
            raise InvalidInput(_("{where}must be an object").format(where=where), code="bad_field")
        line_no = field(item, "line_no", int, where)
        out.append(ReturnRequest(line_no, parse_qty(item.get("qty", "1"))))
    return out
