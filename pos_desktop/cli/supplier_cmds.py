"""``pos supplier add|list|show|item``: suppliers, their contacts and terms, pack sizes and contract prices
(issue 6; docs/purchasing.md). Registered by ``purchasing_cmds.register``; the work is
``services.suppliers``'."""

from __future__ import annotations

from typing import Any

from ..core.errors import InvalidInput
from ..core.i18n import _
from ..core.money import parse_money, parse_qty
from ..services import suppliers
from .common import approver, login, open_ctx, parse_date
from .output import emit
from .sale_file import read_json

# ---------------------------------------------------------------------------------------------- suppliers


def cmd_supplier_add(args: Any) -> int:
    doc = read_json(args.file) if args.file else {}
    code = args.code or doc.get("code")
    if not code:
        raise InvalidInput(_("Name the supplier's code"), code="missing_field")
    contacts = doc.get("contacts")
    if args.contact:
        contacts = [{"name": args.contact, "phone": args.phone, "email": args.email}]
    if contacts is not None and not isinstance(contacts, list):
        raise InvalidInput(_("contacts must be a list"), code="bad_field")
    with open_ctx(args) as ctx:
        existing = {s["code"]: s for s in suppliers.list_suppliers(ctx)}.get(str(code), {})
        pick = lambda flag, key, default: flag if flag is not None else doc.get(key, existing.get(key, default))
        data = suppliers.SupplierInput(
            code=str(code), name=str(pick(args.name, "name", "") or ""),
            lead_time_days=pick(args.lead_time, "lead_time_days", 3),
            min_order=parse_money(pick(args.min_order, "min_order", "0"), ctx.places, _("Minimum order value")),
            payment_days=pick(args.payment_days, "payment_days", 30),
            contacts=None if contacts is None else tuple(
                suppliers.Contact(str(c.get("name") or ""), c.get("phone"), c.get("email")) for c in contacts))
        operator = login(ctx, args)
        approved = approver(ctx, args)
        result = suppliers.save_supplier(ctx, operator, data, approved)
        for entry in doc.get("items") or []:
            result = _item_from_file(ctx, operator, approved, str(code), entry)
    emit(args, result, _("Supplier {code} {name} saved").format(code=result["code"], name=result["name"]))
    return 0


def _item_from_file(ctx: Any, operator: Any, approved: Any, code: str, entry: dict[str, Any]) -> dict[str, Any]:
    suppliers.set_item(ctx, operator, supplier=code, sku=str(entry.get("sku") or ""),
                       price=parse_money(entry["price"], ctx.places) if entry.get("price") is not None else None,
                       valid_from=parse_date(entry.get("valid_from"), "valid_from"),
                       valid_to=parse_date(entry.get("valid_to"), "valid_to"),
                       pack_qty=parse_qty(entry["pack_qty"]) if entry.get("pack_qty") is not None else None,
                       supplier_sku=entry.get("supplier_sku"), approver=approved)
    return suppliers.supplier_details(ctx, code) | {"created": False}


def cmd_supplier_list(args: Any) -> int:
    with open_ctx(args) as ctx:
        rows = suppliers.list_suppliers(ctx)
    emit(args, rows, [f'{r["code"]:<10} {r["name"]:<30} {r["lead_time_days"]:>3} d  min {r["min_order"]}'
                      for r in rows])
    return 0


def cmd_supplier_show(args: Any) -> int:
    with open_ctx(args) as ctx:
        doc = suppliers.supplier_details(ctx, args.code)
    emit(args, doc)
    return 0


def cmd_supplier_item(args: Any) -> int:
    with open_ctx(args) as ctx:
        operator = login(ctx, args)
        result = suppliers.set_item(
            ctx, operator, supplier=args.code, sku=args.sku,
            price=parse_money(args.price, ctx.places, _("Contract price")) if args.price is not None else None,
            valid_from=parse_date(args.valid_from, "--from"), valid_to=parse_date(args.valid_to, "--to"),
            pack_qty=parse_qty(args.pack, _("Pack size")) if args.pack is not None else None,
            supplier_sku=args.supplier_sku, approver=approver(ctx, args))
    emit(args, result, _("{supplier} {sku}: pack {pack}, price {price}").format(
        supplier=result["supplier"], sku=result["sku"], pack=result["pack_qty"], price=result["price"] or "-"))
    return 0
