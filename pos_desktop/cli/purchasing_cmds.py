"""``pos receive``, ``grn``, ``supplier …``, ``po …``, ``invoice …``, ``ap`` (issue 6; docs/purchasing.md).

The files (``RECEIPT.json``, ``INVOICE.json``, order lines) are read here into the services' typed inputs;
everything else is the services'. JSON numbers are read as exact decimals.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

from ..core.errors import InvalidInput, PosError
from ..core.i18n import _
from ..core.money import parse_money, parse_qty
from ..services import purchasing, receiving, replenishment, suppliers
from .common import approver, data_dir, login, open_ctx, parse_date
from .output import emit, warn
from .sale_file import credentials, read_json

RECEIPT_KEYS = {"user", "pin", "approver", "supplier", "po", "location", "note", "lines"}
RECEIPT_LINE_KEYS = {"sku", "barcode", "gs1", "qty", "lot", "expiry", "rejected_qty", "reject_reason", "unit_cost"}


def register(commands: Any, command: Any) -> None:
    """Add this module's commands to ``pos`` (called once from ``parser.build_parser``)."""
    from .parser import Parser

    def group(name: str, help: str) -> Any:
        return commands.add_parser(name, help=help).add_subparsers(dest="sub", required=True, parser_class=Parser)

    receive = command("receive", cmd_receive, "take a delivery in from a JSON file (stock clerk)")
    receive.add_argument("--file", required=True, help="the delivery as JSON, or - for stdin")
    receive.add_argument("--pdf", help="where to save the goods-received note (default: documents/ in the data "
                                       "folder)")
    receive.add_argument("--width", type=int, default=48, help="columns of the printed note")
    grn = command("grn", cmd_grn, "show a goods-received note again, as text and PDF")
    grn.add_argument("receipt_no")
    grn.add_argument("--pdf", help="save the note as PDF to this file")
    grn.add_argument("--width", type=int, default=48)

    supplier = group("supplier", "suppliers: contacts, terms, packs, contract prices")
    add = command("add", cmd_supplier_add, "add a supplier, or update one (manager)", supplier)
    add.add_argument("code", nargs="?")
    add.add_argument("--file", help="the supplier as JSON (contacts, items, prices)")
    add.add_argument("--name")
    add.add_argument("--lead-time", type=int, help="days from order to delivery")
    add.add_argument("--min-order", help="minimum order value")
    add.add_argument("--payment-days", type=int, help="days from invoice to payment")
    add.add_argument("--contact", help="contact person")
    add.add_argument("--phone")
    add.add_argument("--email")
    command("list", cmd_supplier_list, "every supplier", supplier)
    command("show", cmd_supplier_show, "one supplier with its products and prices", supplier).add_argument("code")
    item = command("item", cmd_supplier_item, "a product's pack size and contract price (manager)", supplier)
    item.add_argument("code")
    item.add_argument("--sku", required=True)
    item.add_argument("--price", help="contract price per product unit")
    item.add_argument("--from", dest="valid_from", help="first day the price is valid (default today)")
    item.add_argument("--to", dest="valid_to", help="last day the price is valid (default open)")
    item.add_argument("--pack", help="pack size: orders are rounded up to it")
    item.add_argument("--supplier-sku")

    po = group("po", "purchase orders")
    create = command("create", cmd_po_create, "a draft order (manager)", po)
    create.add_argument("--supplier", required=True)
    create.add_argument("--file", help='lines as JSON: [{"sku", "qty", "price"}] or {"lines": [...]}')
    create.add_argument("--line", action="append", default=[], metavar="SKU:QTY[:PRICE]")
    create.add_argument("--location", default="BACK")
    create.add_argument("--note")
    command("send", cmd_po_send, "mark a draft sent to the supplier (manager)", po).add_argument("po")
    for name, handler, text in (("cancel", cmd_po_cancel, "cancel a draft or sent order (manager)"),
                                ("close", cmd_po_close, "close a partly received order short (manager)")):
        sub = command(name, handler, text, po)
        sub.add_argument("po")
        sub.add_argument("--reason", required=True)
    command("show", cmd_po_show, "an order with received and outstanding quantities", po).add_argument("po")
    listing = command("list", cmd_po_list, "orders, newest first", po)
    listing.add_argument("--status", choices=purchasing.STATUSES)
    listing.add_argument("--supplier")
    suggest = command("suggest", cmd_po_suggest, "what to order now, per supplier, and why", po)
    suggest.add_argument("--supplier")
    suggest.add_argument("--service-level", default="0.95", help="target service level (default 0.95)")
    suggest.add_argument("--days", type=int, default=90, help="days of sales history (default 90)")
    suggest.add_argument("--half-life", default="14", help="days after which a day's sales weigh half")
    suggest.add_argument("--review-days", type=int, default=7, help="days an order must last beyond the reorder "
                                                                    "point (default 7)")
    suggest.add_argument("--as-of", help="suggest as on this day (default today)")
    suggest.add_argument("--create", action="store_true", help="also make draft orders of them (manager)")

    invoice = group("invoice", "supplier invoices")
    command("add", cmd_invoice_add, "record an invoice and match it to order and receipts (manager)",
            invoice).add_argument("--file", required=True)
    for name, handler, text in (("pay", cmd_invoice_pay, "mark an invoice paid (manager)"),
                                ("show", cmd_invoice_show, "an invoice and its three-way match")):
        sub = command(name, handler, text, invoice)
        sub.add_argument("invoice_no")
        sub.add_argument("--supplier", required=True)
    ap = command("ap", cmd_ap, "accounts payable: open supplier invoices by due date")
    ap.add_argument("--all", action="store_true", help="paid invoices too")
    ap.add_argument("--as-of", help="count overdue days on this day (default today)")


# ---------------------------------------------------------------------------------------------- receiving


def cmd_receive(args: Any) -> int:
    doc = read_json(args.file)
    receipt = receipt_input(doc)
    with open_ctx(args) as ctx:
        operator = login(ctx, args, credentials(doc))
        approved = approver(ctx, args, credentials(doc.get("approver"), _("approver: ")))
        result = receiving.receive_goods(ctx, operator, receipt, approved)
        note = receiving.goods_received_note(ctx, result["receipt_id"])
    result["note_text"] = receiving.note_text(note, args.width)
    result.update(_save_pdf(args, note))   # the receipt is committed: a PDF that fails is only a warning
    emit(args, result, result["note_text"] + [_("PDF: {path}").format(path=result.get("pdf") or "-")])
    return 0


def cmd_grn(args: Any) -> int:
    with open_ctx(args) as ctx:
        note = receiving.goods_received_note(ctx, args.receipt_no)
    doc: dict[str, Any] = {"receipt_no": note.receipt_no, "receipt_id": note.receipt_id,
                           "note_text": receiving.note_text(note, args.width)}
    if args.pdf:
        doc.update(_save_pdf(args, note))
    emit(args, doc, doc["note_text"])
    return 0


def _save_pdf(args: Any, note: receiving.GoodsReceivedNote) -> dict[str, Any]:
    from ..services import documents_pdf  # reportlab is only loaded when a note is written

    target = Path(args.pdf) if getattr(args, "pdf", None) else \
        data_dir(args) / "documents" / "goods-received" / f"{note.receipt_no}.pdf"
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        documents_pdf.write_grn_pdf(note, target)
    except OSError as exc:
        message = _("The goods-received note could not be saved to {path}: {error}").format(
            path=target, error=exc.strerror or exc)
        warn(message)
        return {"pdf": None, "pdf_error": message}
    return {"pdf": str(target)}


def receipt_input(doc: dict[str, Any]) -> receiving.ReceiptInput:
    """``RECEIPT.json`` (the shape of issue 6) as the service's input; a bad field names its line."""
    unknown = set(doc) - RECEIPT_KEYS
    if unknown:
        raise InvalidInput(_("Unknown field(s) {fields} in the delivery").format(fields=", ".join(sorted(unknown))),
                           code="unknown_field")
    lines = doc.get("lines")
    if not isinstance(lines, list) or not lines:
        raise InvalidInput(_("The delivery needs a list of lines"), code="no_lines")
    parsed = []
    for n, line in enumerate(lines, start=1):
        try:
            parsed.append(_receipt_line(line))
        except PosError as exc:
            raise type(exc)(_("Line {n}: {message}").format(n=n, message=exc.message), code=exc.code,
                            line=n) from None
    return receiving.ReceiptInput(tuple(parsed), location=_text(doc, "location"), supplier=_text(doc, "supplier"),
                                  po=_text(doc, "po"), note=_text(doc, "note"))


def _receipt_line(line: Any) -> receiving.ReceiptLineInput:
    if not isinstance(line, dict):
        raise InvalidInput(_("must be an object"), code="bad_field")
    unknown = set(line) - RECEIPT_LINE_KEYS
    if unknown:
        raise InvalidInput(_("unknown field(s) {fields}").format(fields=", ".join(sorted(unknown))),
                           code="unknown_field")
    if "qty" not in line:
        raise InvalidInput(_("missing field {name!r}").format(name="qty"), code="missing_field")
    unit_cost = line.get("unit_cost")
    return receiving.ReceiptLineInput(
        sku=_text(line, "sku"), barcode=_text(line, "barcode"), gs1=_text(line, "gs1"),
        qty=parse_qty(line["qty"], _("Quantity")), lot=_text(line, "lot"),
        expiry=parse_date(_text(line, "expiry"), "expiry"),
        rejected_qty=parse_qty(line.get("rejected_qty") or "0", _("Rejected quantity")),
        reject_reason=_text(line, "reject_reason"),
        unit_cost=parse_money(unit_cost, 4, _("Unit cost")) if unit_cost is not None else None)


def _text(doc: dict[str, Any], key: str) -> str | None:
    value = doc.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        raise InvalidInput(_("{name} must be text").format(name=key), code="bad_field")
    return str(value).strip() or None


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


def read_json_any(path: str) -> Any:
    """A JSON file that may hold a list as well as an object."""
    import json

    try:
        return read_json(path)
    except InvalidInput as exc:
        if exc.code != "bad_json":
            raise
        try:
            return json.loads(Path(path).read_text(encoding="utf-8-sig"), parse_float=Decimal)
        except ValueError:
            raise exc from None


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

