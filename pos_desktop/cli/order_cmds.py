"""``pos po …``, ``invoice add|pay|show`` and ``ap``: purchase orders and order suggestions, supplier
invoices with their three-way match, and accounts payable (issue 6; docs/purchasing.md). Registered by
``purchasing_cmds.register``; order lines and ``INVOICE.json`` are read here into the services' typed inputs
(JSON numbers as exact decimals), everything else is the services'."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from ..core.errors import InvalidInput
from ..core.i18n import _
from ..core.money import parse_money, parse_qty
from ..services import purchasing, replenishment
from .common import approver, login, open_ctx, parse_date
from .output import emit
from .receive_cmds import _text
from .sale_file import credentials, read_json, read_json_any

# ---------------------------------------------------------------------------------------------- orders


def cmd_po_create(args: Any) -> int:
    raw: list[tuple[Any, Any, Any]] = []
    for text in args.line:
        parts = text.split(":")
        if len(parts) not in (2, 3) or not parts[0]:
            raise InvalidInput(_("--line takes SKU:QTY or SKU:QTY:PRICE, not {text!r}").format(text=text),
                               code="bad_field")
        raw.append((parts[0], parts[1], parts[2] if len(parts) == 3 else None))
    if args.file:
        doc = read_json_any(args.file)
        items = doc.get("lines") if isinstance(doc, dict) else doc
        if not isinstance(items, list):
            raise InvalidInput(_("The file must hold a list of lines"), code="bad_json")
        for n, item in enumerate(items, start=1):
            if not isinstance(item, dict) or "sku" not in item or "qty" not in item:
                raise InvalidInput(_("Line {n}: give sku and qty").format(n=n), code="missing_field", line=n)
            raw.append((str(item["sku"]), item["qty"], item.get("price")))
    with open_ctx(args) as ctx:
        lines = [purchasing.PoLineInput(sku, parse_qty(qty), None if price is None else
                                        parse_money(price, ctx.places, _("Price"))) for sku, qty, price in raw]
        operator = login(ctx, args)
        doc = purchasing.create_po(ctx, operator, supplier=args.supplier, lines=lines, location=args.location,
                                   note=args.note, approver=approver(ctx, args))
    emit(args, doc, _po_text(doc))
    return 0


def _po_text(doc: dict[str, Any]) -> list[str]:
    out = [f'{doc["po"]}  {doc["supplier"]}  {doc["status"]}  {doc["total"]}']
    out += [f'  {ln["line_no"]:>3} {ln["sku"]:<16} {ln["qty"]:>10} {ln["received_qty"]:>10} {ln["price"] or "":>8}'
            for ln in doc["lines"]]
    return out


def _po_move(args: Any, action: Any, *extra: Any) -> int:
    with open_ctx(args) as ctx:
        operator = login(ctx, args)
        doc = action(ctx, operator, args.po, *extra, approver=approver(ctx, args))
    emit(args, doc, _po_text(doc))
    return 0


def cmd_po_send(args: Any) -> int:
    return _po_move(args, purchasing.send_po)


def cmd_po_cancel(args: Any) -> int:
    return _po_move(args, purchasing.cancel_po, args.reason)


def cmd_po_close(args: Any) -> int:
    return _po_move(args, purchasing.close_po, args.reason)


def cmd_po_show(args: Any) -> int:
    with open_ctx(args) as ctx:
        doc = purchasing.po_details(ctx, args.po)
    emit(args, doc, _po_text(doc))
    return 0


def cmd_po_list(args: Any) -> int:
    with open_ctx(args) as ctx:
        rows = purchasing.list_pos(ctx, status=args.status, supplier=args.supplier)
    emit(args, rows, [f'{r["po"]}  {r["supplier"]:<10} {r["status"]:<16} {r["total"]:>10}' for r in rows])
    return 0


def cmd_po_suggest(args: Any) -> int:
    policy = replenishment.Policy(service_level=float(_decimal(args.service_level, "--service-level")),
                                  window_days=args.days, half_life_days=float(_decimal(args.half_life, "--half-life")),
                                  review_days=args.review_days)
    with open_ctx(args) as ctx:
        operator = login(ctx, args) if args.create else None
        groups = replenishment.suggest(ctx, policy, as_of=parse_date(args.as_of, "--as-of"), supplier=args.supplier)
        doc = [group.to_json(ctx.places) for group in groups]
        if args.create and operator is not None:
            numbers = iter(replenishment.create_drafts(ctx, operator, groups, approver(ctx, args)))
            for group in doc:
                group["po"] = next(numbers) if group["supplier"] is not None and group["lines"] else None
    text = []
    for group in doc:
        text.append(f'{group["supplier"] or _("(no supplier)")}  {group["total"]}  {group.get("po") or ""}')
        text += [f'  {ln["sku"]:<16} {ln["qty"]:>10}  {ln["reason"]}' for ln in group["lines"]]
    emit(args, doc, text or [_("Nothing to order")])
    return 0


def _decimal(text: str, what: str) -> Decimal:
    try:
        return Decimal(text)
    except ArithmeticError:
        raise InvalidInput(_("{what} must be a number, not {text!r}").format(what=what, text=text),
                           code="bad_field") from None


# ---------------------------------------------------------------------------------------------- invoices


def cmd_invoice_add(args: Any) -> int:
    doc = read_json(args.file)
    with open_ctx(args) as ctx:
        data = invoice_input(doc, ctx.places)
        operator = login(ctx, args, credentials(doc))
        result = purchasing.record_invoice(ctx, operator, data, approver(ctx, args))
    emit(args, result, _invoice_text(result))
    return 0


def invoice_input(doc: dict[str, Any], places: int) -> purchasing.InvoiceInput:
    lines = doc.get("lines")
    if not isinstance(lines, list) or not lines:
        raise InvalidInput(_("The invoice needs a list of lines"), code="no_lines")
    parsed = []
    for n, line in enumerate(lines, start=1):
        if not isinstance(line, dict) or not {"sku", "qty", "price"} <= set(line):
            raise InvalidInput(_("Line {n}: give sku, qty and price").format(n=n), code="missing_field", line=n)
        parsed.append(purchasing.InvoiceLineInput(str(line["sku"]), parse_qty(line["qty"]),
                                                  parse_money(line["price"], places, _("Price"))))
    receipts = doc.get("receipts") or []
    if not isinstance(receipts, list):
        raise InvalidInput(_("receipts must be a list of goods-receipt numbers"), code="bad_field")
    invoice_date = parse_date(_text(doc, "invoice_date"), "invoice_date")
    if not _text(doc, "supplier") or not _text(doc, "invoice_no") or invoice_date is None:
        raise InvalidInput(_("The invoice needs supplier, invoice_no and invoice_date"), code="missing_field")
    return purchasing.InvoiceInput(
        supplier=str(_text(doc, "supplier")), invoice_no=str(_text(doc, "invoice_no")), invoice_date=invoice_date,
        lines=tuple(parsed), receipts=tuple(str(r) for r in receipts), po=_text(doc, "po"),
        due_date=parse_date(_text(doc, "due_date"), "due_date"),
        total=parse_money(doc["total"], places, _("Total")) if doc.get("total") is not None else None)


def _invoice_text(doc: dict[str, Any]) -> list[str]:
    out = [f'{doc["supplier"]} {doc["invoice_no"]}  {doc["total"]}  due {doc["due_date"]}  {doc["match_status"]}']
    out += [f'  {r["sku"]:<16} ordered {r["ordered_qty"] or "-"} received {r["received_qty"]} invoiced '
            f'{r["invoiced_qty"] or "-"} at {r["invoice_price"] or "-"} (expected {r["expected_price"] or "-"}): '
            f'{r["status"]}' for r in doc["lines"]]
    return out


def cmd_invoice_pay(args: Any) -> int:
    with open_ctx(args) as ctx:
        operator = login(ctx, args)
        doc = purchasing.pay_invoice(ctx, operator, supplier=args.supplier, invoice_no=args.invoice_no,
                                     approver=approver(ctx, args))
    emit(args, doc, _invoice_text(doc))
    return 0


def cmd_invoice_show(args: Any) -> int:
    with open_ctx(args) as ctx:
        doc = purchasing.invoice_details(ctx, supplier=args.supplier, invoice_no=args.invoice_no)
    emit(args, doc, _invoice_text(doc))
    return 0


def cmd_ap(args: Any) -> int:
    as_of = parse_date(args.as_of, "--as-of")
    with open_ctx(args) as ctx:
        rows = purchasing.accounts_payable(ctx, as_of=as_of, include_paid=args.all)
    emit(args, rows, [f'{r["due_date"]}  {r["supplier"]:<10} {r["invoice_no"]:<16} {r["amount"]:>12}  '
                      f'{r["status"]:<5} {"OVERDUE " + str(r["days_overdue"]) + " d" if r["overdue"] else ""}'
                      for r in rows] or [_("No open supplier invoices")])
    return 0
