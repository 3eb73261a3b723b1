"""``pos server admin …``: head office's administration of the server database — stores, tills, API keys,
master data (products, promotions, users, suppliers, locations, members, settings) and chain reports
(docs/server.md). Registered by ``server_cmds.register``; every command opens the database through
``server_run_cmds.open_db`` and asks for head office's one-time code when TOTP is on.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ..core.errors import InvalidInput
from .output import emit
from .server_run_cmds import _now, open_db

# --- administration ----------------------------------------------------------------------------------------


def _run(args: Any, action: Callable[[Any], Any], text: Callable[[Any], str | list[str]] | None = None) -> int:
    from ..server import admin
    with open_db(args) as db:
        admin.require_otp(db, getattr(args, "otp", None) or os.environ.get("POS_OTP"), _now())   # issue 9
        doc = action(db)
    emit(args, doc, text(doc) if text else None)
    return 0


def cmd_create_store(args: Any) -> int:
    from ..server import admin
    return _run(args, lambda db: admin.create_store(db, _now(), args.code, args.name, args.currency),
                lambda d: f"Store {d['code']} {d['name']} created with locations {', '.join(d['locations'])}")


def cmd_totp(args: Any) -> int:
    """``pos server admin totp enable|disable``: once on, every admin command and admin API call needs a code."""
    from ..server import admin
    return _run(args, lambda db: admin.totp(db, _now(), args.action),
                lambda d: ["Head office's one-time codes are on. Add this secret to an authenticator app now; "
                           "it is not shown again:", d["secret"], d["uri"]] if d["totp"] else
                ["Head office's one-time codes are off"])


def cmd_stores(args: Any) -> int:
    from ..server import admin
    return _run(args, admin.list_stores, lambda rows: [f"{r['code']}  {r['name']}" for r in rows] or ["No stores"])


def cmd_enrol_code(args: Any) -> int:
    from ..server import admin
    return _run(args, lambda db: {"code": (doc := admin.enrol_code(db, _now(), args.store, args.till))["code"],
                                  "store": doc["store"], "till": doc["till"], "expires_at": doc["expires_at"]},
                lambda d: [f"Enrolment code for till {d['till']} of {d['store']} (once, until {d['expires_at']}):",
                           d["code"]])


def cmd_revoke_till(args: Any) -> int:
    from ..server import admin
    return _run(args, lambda db: admin.revoke_till(db, _now(), args.store, args.till),
                lambda d: f"{d['revoked']} enrolment(s) of {args.till.upper()} revoked")


def cmd_import_catalog(args: Any) -> int:
    from ..server import admin
    return _run(args, lambda db: admin.import_catalog(db, _now(), Path(args.file), dry_run=args.dry_run))


def cmd_summary(args: Any) -> int:
    from ..server import admin
    return _run(args, lambda db: admin.summary(db, args.store))


def _dates(args: Any) -> tuple[Any, Any]:
    from .common import parse_date
    return parse_date(args.date_from, "--from"), parse_date(args.date_to, "--to")


def _read(action: Callable[[Any], Any]) -> Callable[[Any], Any]:
    def run(db: Any) -> Any:
        with db.read() as session:
            return action(session)
    return run


def cmd_ranking(args: Any) -> int:
    from ..core.i18n import _
    from ..server import chain_reports
    date_from, date_to = _dates(args)

    def text(d: dict[str, Any]) -> list[str]:
        lines = [_("Store ranking {start} … {end} (previous period {prev_start} … {prev_end})").format(
            start=d["from"], end=d["to"], prev_start=d["previous_from"], prev_end=d["previous_to"]),
            _("rank  store       net sales   sales  avg basket     margin   previous  change %")]
        for r in d["stores"]:
            lines.append(f"{r['rank']:>4}  {r['store']:<10} {r['net_sales']:>10} {r['sales_count']:>7} "
                         f"{r['avg_basket'] or '-':>11} {r['margin'] or '-':>10} {r['prev_net_sales']:>10} "
                         f"{r['change_pct'] or '-':>9}")
        return lines
    return _run(args, _read(lambda s: chain_reports.store_ranking(s, date_from, date_to)), text)


def cmd_trend(args: Any) -> int:
    from ..core.i18n import _
    from ..server import chain_reports
    date_from, date_to = _dates(args)

    def text(d: dict[str, Any]) -> list[str]:
        lines = [_("Chain sales by {by} {start} … {end}").format(by=d["by"], start=d["from"], end=d["to"]),
                 _("period        sales   net sales  stores   previous  change %")]
        for b in d["buckets"]:
            lines.append(f"{b['period']:<12} {b['sales_count']:>6} {b['net_sales']:>11} {b['stores_selling']:>7} "
                         f"{b['prev_net_sales'] or '-':>10} {b['change_pct'] or '-':>9}")
        return lines
    return _run(args, _read(lambda s: chain_reports.sales_trend(s, date_from, date_to, args.by)), text)


def cmd_stock(args: Any) -> int:
    from ..server import admin
    return _run(args, lambda db: admin.stock(db, args.store, sku=args.sku, location=args.location),
                lambda rows: [f"{r['sku']:<20} {r['location']:<8} {r['batch'] or '':<12} {r['qty']:>12}"
                              for r in rows] or ["No stock"])


def cmd_errors(args: Any) -> int:
    from ..server import admin
    return _run(args, lambda db: admin.event_errors(db, args.store, args.limit),
                lambda rows: [f"{r['at']} {r['kind']} {r['event_id']}: {r['message']}"
                              + (f" (resolved {r['resolved_at']})" if r["resolved_at"] else "") for r in rows]
                or ["None"])


def cmd_replay_errors(args: Any) -> int:
    from ..server import admin
    return _run(args, lambda db: admin.replay_errors(db, _now(), args.store),
                lambda d: f"{d['replayed']} replayed, {d['resolved']} resolved, {len(d['still_failing'])} still failing")


def cmd_api_key(args: Any) -> int:
    from ..server import admin
    return _run(args, lambda db: admin.create_api_key(db, _now(), args.name, args.scopes),
                lambda d: [f"API key {d['name']} ({', '.join(d['scopes'])}), shown once:", d["key"]])


def cmd_product(args: Any) -> int:
    from ..server import admin
    barcodes = []
    for text in args.barcode:
        code, _star, pack = text.partition("*")
        barcodes.append({"code": code.strip(), "pack_qty": pack.strip() or None})
    product = {"sku": args.sku, "name": args.name, "price": args.price, "barcodes": barcodes, "cost": args.cost,
               "member_price": args.member_price, "tax_rate": args.tax_rate, "unit": args.unit,
               "category": args.category, "supplier": args.supplier, "reorder_point": args.reorder_point,
               "reorder_qty": args.reorder_qty, "variant_of": args.variant_of,
               "track_batches": args.track_batches, "track_expiry": args.track_expiry}

    def run(db: Any) -> Any:
        report = admin.put_products(db, _now(), [product])
        if report["rejected"]:
            first = report["rejected"][0]
            raise InvalidInput(f"{first['field']}: {first['reason']}", code="rejected")
        return report
    return _run(args, run)


def cmd_product_state(args: Any) -> int:
    from ..server import admin

    def run(db: Any) -> Any:
        if not admin.set_product_active(db, _now(), args.sku, args.active):
            raise InvalidInput(f"Unknown SKU {args.sku}", code="unknown_product")
        return {"sku": args.sku, "active": args.active}
    return _run(args, run)


def cmd_promotion(args: Any) -> int:
    from ..server import admin
    data = {"name": args.name, "kind": args.kind, "sku": args.sku, "category": args.category,
            "percent": args.percent, "amount": args.amount, "buy_n": args.buy, "get_m": args.get,
            "starts": args.starts, "ends": args.ends, "members_only": args.members_only, "active": not args.inactive}
    return _run(args, lambda db: admin.put_promotion(db, _now(), data, args.id))


def cmd_user(args: Any) -> int:
    from ..server import admin
    return _run(args, lambda db: admin.put_user(db, _now(), args.username, role=args.role, pin=args.set_pin,
                                                display_name=args.display_name, active=args.active,
                                                store=args.store))


def cmd_supplier(args: Any) -> int:
    from ..server import admin
    return _run(args, lambda db: admin.put_supplier(db, _now(), args.code, args.name, contact=args.contact,
                                                    phone=args.phone, lead_time_days=args.lead_time_days))


def cmd_location(args: Any) -> int:
    from ..server import admin
    return _run(args, lambda db: admin.put_location(db, _now(), args.store, args.code, args.name, args.kind))


def cmd_member(args: Any) -> int:
    from ..server import admin
    return _run(args, lambda db: admin.put_member(db, _now(), args.code, args.name, args.phone))


def cmd_setting(args: Any) -> int:
    from ..server import admin
    try:
        value = json.loads(args.value)
    except ValueError:
        raise InvalidInput(f"--value must be JSON, such as true, 0.5 or \"text\"; not {args.value}",
                           code="bad_value") from None
    return _run(args, lambda db: admin.put_setting(db, _now(), args.key, value, args.store))
