"""``pos sale``, ``return``, ``void-sale``, ``sales list``, ``receipt show``."""

from __future__ import annotations

from typing import Any

from ..core.i18n import _
from ..core.receipt_text import layout_receipt
from ..services import checkout, returns, sales_query
from . import sale_file
from .common import approver, login, open_ctx, parse_date
from .output import emit


def cmd_sale(args: Any) -> int:
    doc = sale_file.read_json(args.file)
    with open_ctx(args) as ctx:
        cart = sale_file.build_cart(ctx, doc)
        tenders = sale_file.tenders(doc, "payments", ctx.places)
        operator = login(ctx, args, sale_file.credentials(doc))
        approved_by = approver(ctx, args, sale_file.credentials(doc.get("approver") or {}))
        receipt = checkout.complete_sale(ctx, cart, tenders, operator, approved_by)
        result = receipt.to_json()
    emit(args, result, layout_receipt(receipt, 48))
    return 0


def cmd_return(args: Any) -> int:
    doc = sale_file.read_json(args.file)
    with open_ctx(args) as ctx:
        original = str(sale_file.field(doc, "original_receipt", str))
        lines = sale_file.return_lines(doc)
        refunds = sale_file.tenders(doc, "refunds", ctx.places) if doc.get("refunds") is not None else None
        operator = login(ctx, args, sale_file.credentials(doc))
        approved_by = approver(ctx, args, sale_file.credentials(doc.get("approver") or {}))
        result = returns.return_items(ctx, operator, receipt_no=original, lines=lines, refunds=refunds,
                                      reason=str(doc.get("reason") or ""), approver=approved_by)
    out = result.to_json()
    emit(args, out, _("Return {no} of {original}: refunded {total}").format(
        no=out["receipt_no"], original=out["original_receipt"], total=out["total"]))
    return 0


def cmd_void(args: Any) -> int:
    with open_ctx(args) as ctx:
        operator = login(ctx, args)
        result = returns.void_sale(ctx, operator, receipt_no=args.receipt_no, reason=args.reason,
                                   approver=approver(ctx, args))
    emit(args, result, _("Sale {no} voided").format(no=result["receipt_no"]))
    return 0


def cmd_sales_list(args: Any) -> int:
    date_from = parse_date(getattr(args, "from"), "--from")
    date_to = parse_date(args.to, "--to")
    with open_ctx(args) as ctx:
        rows = sales_query.list_sales(ctx, date_from, date_to)
    emit(args, rows, [f'{r["receipt_no"]}  {r["created_at"]}  {r["status"]:<9} {r["total"]:>10}' for r in rows])
    return 0


def cmd_receipt_show(args: Any) -> int:
    with open_ctx(args) as ctx:
        receipt = sales_query.receipt(ctx, args.receipt_no)
    emit(args, receipt.to_json(), layout_receipt(receipt, args.width))
    return 0
