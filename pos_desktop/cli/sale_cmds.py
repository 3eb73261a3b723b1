"""``pos sale``, ``return``, ``void-sale``, ``sales list``, ``receipt show``."""

from __future__ import annotations

from typing import Any

from ..core.i18n import _
from ..core.receipt_text import layout_receipt
from ..services import checkout, returns, sales_query
from . import device_cmds, sale_file
from .common import approver, data_dir, login, open_ctx, parse_date
from .output import emit


def cmd_sale(args: Any) -> int:
    doc = sale_file.read_json(args.file)
    with open_ctx(args) as ctx:
        cart = sale_file.build_cart(ctx, doc)
        tenders = sale_file.tenders(doc, "payments", ctx.places)
        operator = login(ctx, args, sale_file.credentials(doc))
        approved_by = approver(ctx, args, sale_file.approver_credentials(doc))
        receipt = checkout.complete_sale(ctx, cart, tenders, operator, approved_by)
        result = receipt.to_json()
        shop_text = (str(ctx.setting("receipt_header") or ""), str(ctx.setting("receipt_footer") or ""))
    if getattr(args, "print_receipt", False):  # the sale is committed: printing can no longer fail it
        result.update(device_cmds.print_after_sale(data_dir(args), receipt, *shop_text))
    emit(args, result, layout_receipt(receipt, 48))
    return 0


def cmd_return(args: Any) -> int:
    doc = sale_file.read_json(args.file)
    with open_ctx(args) as ctx:
        original = str(sale_file.field(doc, "original_receipt", str))
        lines = sale_file.return_lines(doc)
        refunds = sale_file.tenders(doc, "refunds", ctx.places) if doc.get("refunds") is not None else None
        operator = login(ctx, args, sale_file.credentials(doc))
        approved_by = approver(ctx, args, sale_file.approver_credentials(doc))
        result = returns.return_items(ctx, operator, receipt_no=original, lines=lines, refunds=refunds,
                                      reason=str(doc.get("reason") or ""), approver=approved_by)
        out = result.to_json()
        if getattr(args, "print_receipt", False):
            slip = {"store_name": ctx.till.store_name, "till_code": ctx.till.till_code,
                    "cashier": operator.display_name, "names": _names(ctx, result.original_receipt),
                    "header": str(ctx.setting("receipt_header") or ""),
                    "footer": str(ctx.setting("receipt_footer") or "")}
    if getattr(args, "print_receipt", False):  # the return is committed: printing can no longer fail it
        out.update(device_cmds.print_after_return(data_dir(args), out, **slip))
    emit(args, out, _("Return {no} of {original}: refunded {total}").format(
        no=out["receipt_no"], original=out["original_receipt"], total=out["total"]))
    return 0


def _names(ctx: Any, receipt_no: str) -> dict[str, str]:
    """Product names of the original sale, by SKU, for the return slip."""
    try:
        return {line.sku: line.name for line in sales_query.receipt(ctx, receipt_no).lines}
    except Exception:  # noqa: BLE001 - the slip then shows SKUs; the return itself is done
        return {}


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
