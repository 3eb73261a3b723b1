"""``pos alerts [settings]``, ``labels``, ``trace`` and ``catalog quality|fix``: stock alerts, shelf labels,
lot tracing and the catalog's data quality (issue 6; docs/backoffice.md). The commands are registered by
``backoffice_cmds.register``; the work is the services' (imported when a command runs)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..core.errors import InvalidInput
from ..core.i18n import _
from ..core.money import parse_money
from .backoffice_files import _list_of
from .sale_file import read_json_any
from .common import approver, login, open_ctx, parse_date
from .output import emit

# ------------------------------------------------------------------------------------- alerts, labels, trace


def cmd_alerts(args: Any) -> int:
    from ..services import alerts

    with open_ctx(args) as ctx:
        found = [a.to_json() for a in alerts.compute_alerts(ctx, tuple(args.kind) or alerts.KINDS)]
    emit(args, found, [f'{a["kind"]:<15} {a["message"]}' for a in found])
    return 0


def cmd_alert_settings(args: Any) -> int:
    from ..services import alerts

    values: dict[str, Any] = {}
    if args.near_expiry_days is not None:
        values["near_expiry_days"] = args.near_expiry_days
    if args.dead_stock_days is not None:
        values["dead_stock_days"] = args.dead_stock_days
    with open_ctx(args) as ctx:
        if args.category_days:
            by_category = dict(alerts.alert_settings(ctx).near_expiry_by_category)
            for text in args.category_days:
                name, sep, days = text.rpartition("=")
                if not sep or not name.strip():
                    raise InvalidInput(_("--category-days takes CATEGORY=DAYS, not {text!r}").format(text=text),
                                       code="bad_field")
                by_category[name.strip()] = days.strip()
            values["near_expiry_by_category"] = by_category
        if values:
            operator = login(ctx, args)
            current = alerts.update_alert_settings(ctx, operator, values, approver(ctx, args))
        else:
            current = alerts.alert_settings(ctx)
    doc = current.to_json()
    emit(args, doc, [f"{key}: {value}" for key, value in doc.items()])
    return 0


def cmd_labels(args: Any) -> int:
    from ..services import labels

    since = parse_date(args.changed_since, "--changed-since")
    with open_ctx(args) as ctx:
        sheet = labels.make_labels(ctx, Path(args.pdf), skus=args.sku, changed_since=since, kind=args.kind)
    emit(args, sheet.to_json(), _("{n} labels on {pages} pages: {path}").format(
        n=sheet.labels, pages=sheet.pages, path=sheet.path))
    return 0


def cmd_trace(args: Any) -> int:
    from ..services import trace

    with open_ctx(args) as ctx:
        doc = trace.trace_lot(ctx, args.lot, args.sku).to_json()
    text = [f'{e["at"]}  {e["kind"]:<10} {e["reference"] or "":<18} {e["sku"]:<12} {e["location"]:<8} {e["qty"]:>9}'
            + (f'  {e["member"]["code"]}' if e["member"] else "") for e in doc["events"]]
    emit(args, doc, text)
    return 0


# ------------------------------------------------------------------------------------------------- catalog


def cmd_catalog_quality(args: Any) -> int:
    from ..services import catalog_quality

    with open_ctx(args) as ctx:
        doc = catalog_quality.quality_report(ctx, limit=args.limit)
    emit(args, doc, [f'{name}: {finding["count"]}' for name, finding in doc.items()])
    return 0


def cmd_catalog_fix(args: Any) -> int:
    from ..services import catalog_quality

    fixes: list[catalog_quality.CatalogFix] = []
    with open_ctx(args) as ctx:
        cost = parse_money(args.set_cost, ctx.places, _("Cost")) if args.set_cost else None
        wanted = (args.set_category, cost, args.active, args.remove_barcode)
        if args.sku and not any(v not in (None, []) for v in wanted):
            raise InvalidInput(_("Say what to change: --set-category, --set-cost, --deactivate, --activate or "
                                 "--remove-barcode"), code="usage")
        for sku in args.sku:
            fixes.append(catalog_quality.CatalogFix(sku, args.set_category, cost, args.active,
                                                    tuple(args.remove_barcode)))
        if args.file:
            for n, item in enumerate(_list_of(read_json_any(args.file), "fixes", args.file), start=1):
                if "sku" not in item:
                    raise InvalidInput(_("Fix {n}: give the sku").format(n=n), code="missing_field", line=n)
                fixes.append(catalog_quality.CatalogFix(
                    str(item["sku"]), item.get("category"),
                    parse_money(item["cost"], ctx.places, _("Cost")) if item.get("cost") is not None else None,
                    item.get("active"), tuple(item.get("remove_barcodes", ()))))
        if not fixes and not args.deactivate_duplicates:
            raise InvalidInput(_("Nothing to fix: give --sku with a change, --file or --deactivate-duplicates"),
                               code="usage")
        operator = login(ctx, args)
        report = catalog_quality.FixReport()
        if fixes:
            report = catalog_quality.apply_fixes(ctx, operator, fixes, approver(ctx, args))
        if args.deactivate_duplicates:
            dupes = catalog_quality.deactivate_duplicates(ctx, operator, approver(ctx, args))
            report.changed += dupes.changed
            report.skipped += dupes.skipped
    doc = report.to_json()
    emit(args, doc, _("{n} products changed, {s} skipped").format(n=doc["changed"], s=len(doc["skipped"])))
    return 0
