"""``pos count start|record|finish|report|recount|approve|cancel|list``: stock counts (issue 6;
docs/backoffice.md). The commands are registered by ``backoffice_cmds.register``; the work is
``services.counts``' (imported when a command runs)."""

from __future__ import annotations

from typing import Any

from ..core.errors import InvalidInput
from ..core.i18n import _
from ..core.money import parse_money, parse_qty
from .backoffice_files import _list_of
from .common import approver, login, open_ctx
from .output import emit
from .sale_file import credentials, read_json_any

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
        doc = read_json_any(args.file)
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
