"""``pos count …``, ``transfer …``, ``location …``, ``stock pick``, ``alerts``, ``labels``, ``trace``,
``catalog quality|fix`` (issue 6; docs/backoffice.md).

Files are read here into the services' typed inputs (JSON numbers as exact decimals); everything else is the
services' (imported when a command runs, so that ``pos`` starts fast). Read-only commands need no login, except that a blind count's expected quantities are shown only to
a ``--user`` who may approve counts.
"""

from __future__ import annotations

import argparse
from decimal import Decimal
from pathlib import Path
from typing import Any

from ..core.errors import InvalidInput
from ..core.i18n import _
from ..core.money import parse_money, parse_qty
from .common import approver, login, open_ctx, parse_date
from .output import emit
from .sale_file import credentials, read_json

# The services' own lists (checked equal by tests/backoffice/test_cli_backoffice.py).
LOCATION_KINDS = ("floor", "storage", "warehouse")
ALERT_KINDS = ("low_stock", "negative_stock", "near_expiry", "expired", "dead_stock")
LABEL_KINDS = ("shelf", "barcode")


def register(commands: Any, command: Any) -> None:
    """Add this module's commands to ``pos`` (called once from ``parser.build_parser``)."""
    from .parser import Parser

    def group(name: str, help: str) -> Any:
        return commands.add_parser(name, help=help).add_subparsers(dest="sub", required=True, parser_class=Parser)

    count = group("count", "stock counts: start, record, finish, recount, approve")
    start = command("start", cmd_count_start, "open a count of a location (stock clerk)", count)
    start.add_argument("--location", required=True)
    start.add_argument("--blind", action="store_true", help="counters never see the expected quantities")
    start.add_argument("--category", help="only this category (a cycle count)")
    start.add_argument("--not-counted-days", type=int, help="only products not counted here for N days")
    start.add_argument("--note")
    record = command("record", cmd_count_record, "record what was counted (a scan, or SKU and quantity)", count)
    record.add_argument("count_id")
    what = record.add_mutually_exclusive_group(required=True)
    what.add_argument("--barcode")
    what.add_argument("--sku")
    what.add_argument("--file", help='many entries as JSON: [{"barcode"|"sku", "qty", "lot", "replace"}]')
    record.add_argument("--qty", default="1", help="how many (a barcode counts its pack size per unit)")
    record.add_argument("--lot")
    record.add_argument("--replace", action="store_true", help="replace your earlier count of this item")
    for name, handler, text in (("finish", cmd_count_finish, "close counting; print the variance report"),
                                ("report", cmd_count_report, "the variance report of a count again"),
                                ("approve", cmd_count_approve, "post the differences to stock (manager)"),
                                ("cancel", cmd_count_cancel, "abandon a count (manager)")):
        command(name, handler, text, count).add_argument("count_id")
    recount = command("recount", cmd_count_recount, "ask for lines to be counted again (manager)", count)
    recount.add_argument("count_id")
    recount.add_argument("--sku", action="extend", nargs="+", default=[])
    recount.add_argument("--over-qty", help="every line whose variance is at least this many units")
    recount.add_argument("--over-value", help="every line whose variance is worth at least this much")
    command("list", cmd_count_list, "counts, newest first", count).add_argument("--status")

    transfer = group("transfer", "transfers between locations and stores")
    create = command("create", cmd_transfer_create, "a draft transfer (stock clerk)", transfer)
    create.add_argument("--from", dest="source", required=True, help="a location of this store")
    create.add_argument("--to", required=True, help="LOC, or STORE:LOC for another store")
    create.add_argument("--file", help='lines as JSON: [{"sku"|"barcode", "qty", "lot"}]')
    create.add_argument("--line", action="append", default=[], metavar="SKU:QTY[:LOT]")
    create.add_argument("--note")
    command("ship", cmd_transfer_ship, "ship a draft: the stock leaves into TRANSIT", transfer).add_argument("id")
    receive = command("receive", cmd_transfer_receive, "receive a shipped transfer here", transfer)
    receive.add_argument("id")
    receive.add_argument("--file", help='differences as JSON: [{"line_no"|"sku", "received", "damaged", "reason"}]')
    command("cancel", cmd_transfer_cancel, "drop a draft", transfer).add_argument("id")
    command("show", cmd_transfer_show, "one transfer", transfer).add_argument("id")
    command("list", cmd_transfer_list, "transfers, newest first", transfer).add_argument("--status")
    incoming = command("incoming", cmd_transfer_incoming, "create the incoming transfer of another store's "
                                                          "transfer.shipped event (what sync does)", transfer)
    incoming.add_argument("--file", required=True)
    settle = command("settle", cmd_transfer_settle, "apply another store's transfer.received event (what sync "
                                                    "does)", transfer)
    settle.add_argument("--file", required=True)

    location = group("location", "the store's stock locations")
    command("list", cmd_location_list, "every location", location)
    add = command("add", cmd_location_add, "add a location (admin)", location)
    add.add_argument("code")
    add.add_argument("--name", required=True)
    add.add_argument("--kind", default="storage", choices=LOCATION_KINDS)

    pick = command("pick", cmd_stock_pick, "which lots to take, first expiry first out", _subcommands(commands, "stock"))
    pick.add_argument("--sku", required=True)
    pick.add_argument("--location", required=True)
    pick.add_argument("--qty", required=True)

    alert = command("alerts", cmd_alerts, "low, negative, near-expiry, expired and dead stock")
    alert.add_argument("--kind", action="extend", nargs="+", choices=ALERT_KINDS, default=[])
    alert_sub = alert.add_subparsers(dest="sub", parser_class=Parser)
    settings = command("settings", cmd_alert_settings, "show or change the alert settings (admin)", alert_sub)
    settings.add_argument("--near-expiry-days", help="days before expiry (default for every category)")
    settings.add_argument("--category-days", action="append", default=[], metavar="CATEGORY=DAYS")
    settings.add_argument("--dead-stock-days")

    label = command("labels", cmd_labels, "shelf-edge or barcode labels as PDF")
    label.add_argument("--pdf", required=True, help="the PDF file to write")
    label.add_argument("--sku", action="extend", nargs="+", default=[])
    label.add_argument("--changed-since", help="every product whose price changed since this date")
    label.add_argument("--kind", default="shelf", choices=LABEL_KINDS)

    tracing = command("trace", cmd_trace, "everything that touched a lot (recalls)")
    tracing.add_argument("--lot", required=True)
    tracing.add_argument("--sku")

    catalog = _subcommands(commands, "catalog")
    quality = command("quality", cmd_catalog_quality, "the catalog's data-quality report", catalog)
    quality.add_argument("--limit", type=int, default=1000, help="at most this many items per finding")
    fix = command("fix", cmd_catalog_fix, "fix products in bulk (manager)", catalog)
    fix.add_argument("--sku", action="extend", nargs="+", default=[])
    fix.add_argument("--set-category")
    fix.add_argument("--set-cost")
    state = fix.add_mutually_exclusive_group()
    state.add_argument("--deactivate", dest="active", action="store_false", default=None)
    state.add_argument("--activate", dest="active", action="store_true")
    fix.add_argument("--remove-barcode", action="extend", nargs="+", default=[])
    fix.add_argument("--deactivate-duplicates", action="store_true",
                     help="keep one of each group of same-named products, deactivate the others")
    fix.add_argument("--file", help='fixes as JSON: [{"sku", "category", "cost", "active", "remove_barcodes"}]')


def _subcommands(commands: Any, name: str) -> Any:
    """The sub-command table of an existing ``pos`` command (``stock``, ``catalog``)."""
    parser = commands.choices[name]
    return next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))


def _list_of(doc: Any, key: str, what: str) -> list[dict[str, Any]]:
    items = doc.get(key) if isinstance(doc, dict) else doc
    if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
        raise InvalidInput(_("{what}: the file must hold a list of objects").format(what=what), code="bad_json")
    return items


def _read_any(path: str) -> Any:
    """A JSON file holding an object or a list (numbers as exact decimals)."""
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


# ------------------------------------------------------------------------------------------------- counts


def cmd_count_start(args: Any) -> int:
    from ..services import counts

    with open_ctx(args) as ctx:
        operator = login(ctx, args)
        info = counts.start_count(ctx, operator, location=args.location, blind=args.blind, category=args.category,
                                  stale_days=args.not_counted_days, note=args.note)
    emit(args, info.to_json(), _("Count {number} ({id}) of {location}: {n} lines").format(
        number=info.number, id=info.id, location=info.location, n=info.lines))
    return 0


def cmd_count_record(args: Any) -> int:
    from ..services import counts

    if args.file:
        doc = _read_any(args.file)
        entries = [_count_input(item, n) for n, item in enumerate(_list_of(doc, "entries", args.file), start=1)]
        creds = credentials(doc) if isinstance(doc, dict) and "user" in doc else None
    else:
        creds = None
        entries = [counts.CountInput(args.barcode, args.sku, parse_qty(args.qty), args.lot, args.replace)]
    with open_ctx(args) as ctx:
        operator = login(ctx, args, creds)
        done = counts.record_counts(ctx, operator, args.count_id, entries)
    if args.file:
        emit(args, {"recorded": len(done), "entries": [r.to_json() for r in done]},
             _("{n} entries recorded").format(n=len(done)))
    else:
        r = done[0]
        emit(args, r.to_json(), _("{sku} {name}: you {yours}, in all {total}").format(
            sku=r.sku, name=r.name, yours=r.to_json()["your_count"], total=r.to_json()["counted"]))
    return 0


def _count_input(item: dict[str, Any], n: int) -> Any:
    from ..services import counts

    if ("barcode" in item) == ("sku" in item):
        raise InvalidInput(_("Entry {n}: give barcode or sku").format(n=n), code="missing_field", line=n)
    return counts.CountInput(item.get("barcode"), item.get("sku"), parse_qty(item.get("qty", 1)),
                             item.get("lot"), bool(item.get("replace", False)))


def _report_text(doc: dict[str, Any]) -> list[str]:
    out = [_("Count {number} at {location}: {status}").format(**doc)]
    for ln in doc["lines"]:
        out.append(f'  {ln["sku"]:<16} {ln["expected"] or "":>10} {ln["counted"]:>10} {ln["variance"] or "":>10} '
                   f'{ln["variance_value"] or "":>10}')
    if doc["total_variance_value"] is not None:
        out.append(_("Total variance {value}, shrinkage {loss}").format(
            value=doc["total_variance_value"], loss=doc["total_shrinkage_value"]))
    return out


def cmd_count_finish(args: Any) -> int:
    from ..services import counts

    with open_ctx(args) as ctx:
        operator = login(ctx, args)
        doc = counts.finish_count(ctx, operator, args.count_id).to_json()
    emit(args, doc, _report_text(doc))
    return 0


def cmd_count_report(args: Any) -> int:
    from ..services import counts

    with open_ctx(args) as ctx:
        viewer = login(ctx, args) if getattr(args, "user", None) else None
        doc = counts.variance_report(ctx, args.count_id, viewer).to_json()
    emit(args, doc, _report_text(doc))
    return 0


def cmd_count_recount(args: Any) -> int:
    from ..services import counts

    over_qty = parse_qty(args.over_qty) if args.over_qty else None
    with open_ctx(args) as ctx:
        over_value = parse_money(args.over_value, ctx.places) if args.over_value else None
        if not (args.sku or over_qty or over_value):
            raise InvalidInput(_("Name the SKUs to recount, or give --over-qty or --over-value"), code="usage")
        operator = login(ctx, args)
        skus = counts.request_recount(ctx, operator, args.count_id, skus=args.sku, over_qty=over_qty,
                                      over_value=over_value, approver=approver(ctx, args))
        info = counts.get_count(ctx, args.count_id)
    emit(args, {"count_id": info.id, "number": info.number, "status": info.status, "recount": skus},
         _("Recount: {skus}").format(skus=", ".join(skus) or "-"))
    return 0


def cmd_count_approve(args: Any) -> int:
    from ..services import counts

    with open_ctx(args) as ctx:
        operator = login(ctx, args)
        posting = counts.approve_count(ctx, operator, args.count_id, approver(ctx, args))
    doc = posting.to_json()
    emit(args, doc, _("Count {number} posted: {changed} of {lines} lines changed, {value}").format(
        number=doc["number"], changed=doc["changed_lines"], lines=doc["lines"], value=doc["total_variance_value"]))
    return 0


def cmd_count_cancel(args: Any) -> int:
    from ..services import counts

    with open_ctx(args) as ctx:
        operator = login(ctx, args)
        info = counts.cancel_count(ctx, operator, args.count_id, approver(ctx, args))
    emit(args, info.to_json(), _("Count {number} cancelled").format(number=info.number))
    return 0


def cmd_count_list(args: Any) -> int:
    from ..services import counts

    with open_ctx(args) as ctx:
        found = [c.to_json() for c in counts.list_counts(ctx, args.status)]
    emit(args, found, [f'{c["number"]:<18} {c["location"]:<8} {c["kind"]:<9} {c["status"]:<10} {c["created_at"]}'
                       for c in found])
    return 0


# ---------------------------------------------------------------------------------------------- transfers


def _transfer_text(doc: dict[str, Any]) -> list[str]:
    out = [f'{doc["number"]}  {doc["from"]} → {doc["to"]}  {doc["status"]}']
    out += [f'  {ln["line_no"]:>3} {ln["sku"]:<16} {ln["lot"] or "":<12} {ln["qty"]:>10} {ln["received"] or "":>10}'
            for ln in doc["lines"]]
    return out


def cmd_transfer_create(args: Any) -> int:
    from ..services import transfers

    lines = []
    for text in args.line:
        parts = text.split(":")
        if len(parts) not in (2, 3) or not parts[0]:
            raise InvalidInput(_("--line takes SKU:QTY or SKU:QTY:LOT, not {text!r}").format(text=text),
                               code="bad_field")
        lines.append(transfers.LineInput(parse_qty(parts[1]), sku=parts[0], lot=parts[2] if len(parts) == 3 else None))
    note = args.note
    if args.file:
        doc = _read_any(args.file)
        for n, item in enumerate(_list_of(doc, "lines", args.file), start=1):
            if ("sku" in item) == ("barcode" in item) or "qty" not in item:
                raise InvalidInput(_("Line {n}: give sku or barcode, and qty").format(n=n), code="missing_field",
                                   line=n)
            lines.append(transfers.LineInput(parse_qty(item["qty"]), sku=item.get("sku"), barcode=item.get("barcode"),
                                             lot=item.get("lot")))
        if isinstance(doc, dict):
            note = note or doc.get("note")
    with open_ctx(args) as ctx:
        operator = login(ctx, args)
        doc = transfers.create_transfer(ctx, operator, from_location=args.source, to=args.to, lines=lines,
                                        note=note).to_json()
    emit(args, doc, _transfer_text(doc))
    return 0


def _transfer_step(args: Any, step: Any, *extra: Any) -> int:
    with open_ctx(args) as ctx:
        operator = login(ctx, args)
        doc = step(ctx, operator, args.id, *extra).to_json()
    emit(args, doc, _transfer_text(doc))
    return 0


def cmd_transfer_ship(args: Any) -> int:
    from ..services import transfers

    return _transfer_step(args, transfers.ship_transfer)


def cmd_transfer_cancel(args: Any) -> int:
    from ..services import transfers

    return _transfer_step(args, transfers.cancel_transfer)


def cmd_transfer_receive(args: Any) -> int:
    from ..services import transfers

    received = []
    if args.file:
        for n, item in enumerate(_list_of(_read_any(args.file), "lines", args.file), start=1):
            if "line_no" not in item and "sku" not in item:
                raise InvalidInput(_("Line {n}: give line_no or sku").format(n=n), code="missing_field", line=n)
            if "received" not in item:
                raise InvalidInput(_("Line {n}: give received (what arrived in good order)").format(n=n),
                                   code="missing_field", line=n)
            received.append(transfers.Received(
                parse_qty(item["received"]), parse_qty(item.get("damaged", 0)), item.get("line_no"),
                item.get("sku"), item.get("lot"), item.get("reason")))
    return _transfer_step(args, transfers.receive_transfer, received)


def cmd_transfer_show(args: Any) -> int:
    from ..services import transfers

    with open_ctx(args) as ctx:
        doc = transfers.get_transfer(ctx, args.id).to_json()
    emit(args, doc, _transfer_text(doc))
    return 0


def cmd_transfer_list(args: Any) -> int:
    from ..services import transfers

    with open_ctx(args) as ctx:
        found = [t.to_json() for t in transfers.list_transfers(ctx, args.status)]
    emit(args, found, [f'{t["number"]:<18} {t["from"]:<12} {t["to"]:<12} {t["status"]}' for t in found])
    return 0


def _event_payload(path: str) -> dict[str, Any]:
    """An outbox event as pushed (``{"kind", "payload"}``) or its payload alone."""
    doc = read_json(path)
    payload = doc.get("payload", doc)
    if not isinstance(payload, dict) or "transfer_id" not in payload or "lines" not in payload:
        raise InvalidInput(_("{path} holds no transfer event").format(path=path), code="bad_json")
    return payload


def cmd_transfer_incoming(args: Any) -> int:
    from ..services import transfers

    payload = _event_payload(args.file)
    with open_ctx(args) as ctx:
        doc = transfers.receive_remote_shipment(ctx, payload).to_json()
    emit(args, doc, _transfer_text(doc))
    return 0


def cmd_transfer_settle(args: Any) -> int:
    from ..services import transfers

    payload = _event_payload(args.file)
    with open_ctx(args) as ctx:
        found = transfers.settle_remote_receipt(ctx, payload)
    doc = found.to_json() if found else {"transfer_id": payload["transfer_id"], "status": "unknown_here"}
    emit(args, doc, _transfer_text(doc) if found else _("This till never had transfer {number}").format(
        number=payload.get("number")))
    return 0


def cmd_location_list(args: Any) -> int:
    from ..services import transfers

    with open_ctx(args) as ctx:
        found = transfers.list_locations(ctx)
    emit(args, found, [f'{loc["code"]:<10} {loc["kind"]:<11} {loc["name"]}' for loc in found])
    return 0


def cmd_location_add(args: Any) -> int:
    from ..services import transfers

    with open_ctx(args) as ctx:
        operator = login(ctx, args)
        doc = transfers.add_location(ctx, operator, code=args.code, name=args.name, kind=args.kind,
                                     approver=approver(ctx, args))
    emit(args, doc, f'{doc["code"]} {doc["name"]}')
    return 0


def cmd_stock_pick(args: Any) -> int:
    from ..services import transfers

    qty = parse_qty(args.qty)
    with open_ctx(args) as ctx:
        picks, short = transfers.fefo_pick(ctx, sku=args.sku, location=args.location, qty=qty)
    from ..core.money import format_qty

    doc = {"sku": args.sku, "location": args.location.upper(), "qty": format_qty(qty), "short": format_qty(short),
           "pick": [{"lot": p.lot, "expiry": p.expiry, "qty": format_qty(p.qty)} for p in picks if not p.expired],
           "expired": [{"lot": p.lot, "expiry": p.expiry, "qty": format_qty(p.qty)} for p in picks if p.expired]}
    emit(args, doc, [f'{p["lot"] or "-":<14} {p["expiry"] or "":<10} {p["qty"]:>10}' for p in doc["pick"]])
    return 0


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
            for n, item in enumerate(_list_of(_read_any(args.file), "fixes", args.file), start=1):
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
