"""``pos stock``, ``stock adjust``, ``catalog import``, ``catalog show``."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..core.i18n import _
from ..core.money import format_qty, parse_qty
from ..services import catalog, stock
from .common import approver, login, open_ctx
from .output import emit


def cmd_stock(args: Any) -> int:
    with open_ctx(args) as ctx:
        rows = stock.stock_list(ctx, sku=args.sku, location=args.location)
    emit(args, rows, [f'{r["sku"]:<20} {r["location"]:<6} {(r["batch"] or ""):<12} {r["qty"]:>12}' for r in rows])
    return 0


def cmd_stock_adjust(args: Any) -> int:
    qty = parse_qty(args.qty_delta, _("Quantity change"))
    with open_ctx(args) as ctx:
        operator = login(ctx, args)
        result = stock.adjust_stock(ctx, operator, sku=args.sku, location=args.location, qty_delta=qty,
                                    reason=args.reason, lot=args.lot, note=args.note, approver=approver(ctx, args))
    doc = {"document_id": result.document_id, "sku": result.sku, "location": result.location,
           "qty_delta": format_qty(result.qty_delta), "on_hand": format_qty(result.on_hand)}
    emit(args, doc, _("{sku} at {location}: {delta}, now {qty}").format(
        sku=result.sku, location=result.location, delta=doc["qty_delta"], qty=doc["on_hand"]))
    return 0


def cmd_catalog_import(args: Any) -> int:
    from ..services import catalog_import  # openpyxl is only loaded when a file is imported
    with open_ctx(args) as ctx:
        operator = None if args.dry_run else login(ctx, args)
        report = catalog_import.import_catalog(ctx, Path(args.file), operator, dry_run=args.dry_run)
    doc = report.to_json()
    lines = [_("created {c}, updated {u}, rejected {r}").format(
        c=doc["created"], u=doc["updated"], r=len(doc["rejected"]))]
    lines += [_("row {row}: {field}: {reason}").format(**r) for r in doc["rejected"]]
    lines += [_("warning: {text}").format(text=w) for w in doc.get("warnings", [])]
    emit(args, doc, lines)
    return 0


def cmd_catalog_show(args: Any) -> int:
    with open_ctx(args) as ctx:
        doc = catalog.product_details(ctx, sku=args.sku, barcode=args.barcode)
    emit(args, doc)
    return 0
