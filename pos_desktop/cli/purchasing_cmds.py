"""``pos receive``, ``grn``, ``supplier …``, ``po …``, ``invoice …``, ``ap`` (issue 6; docs/purchasing.md):
the command table of purchasing.

The handlers live in ``receive_cmds`` (receive, grn), ``supplier_cmds`` (suppliers) and ``order_cmds`` (orders,
invoices, accounts payable); they are imported here, so every name stays importable from this module. The
files (``RECEIPT.json``, ``INVOICE.json``, order lines) are read there into the services' typed inputs;
everything else is the services'. JSON numbers are read as exact decimals.
"""

from __future__ import annotations

from typing import Any

from ..services import purchasing
from .order_cmds import (cmd_ap, cmd_invoice_add, cmd_invoice_pay, cmd_invoice_show, cmd_po_cancel,
                         cmd_po_close, cmd_po_create, cmd_po_list, cmd_po_send, cmd_po_show, cmd_po_suggest)
from .receive_cmds import cmd_grn, cmd_receive
from .supplier_cmds import cmd_supplier_add, cmd_supplier_item, cmd_supplier_list, cmd_supplier_show


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
