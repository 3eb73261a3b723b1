"""``pos server …``: run the central server, and head office's administration of its database (CLI.md,
[sync]; docs/server.md). Every command takes ``--db URL`` (default: ``server.db`` in the data folder); a
database that cannot be reached exits 7. The server package is imported only when one of these runs.
"""

from __future__ import annotations

import json
import logging
import os
import socket
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from .. import paths
from ..core.errors import InvalidInput, ServerError
from .output import emit

SERVER_DB = "server.db"


def register(commands: Any, command: Any) -> None:
    """Add ``pos server`` and ``pos server admin …`` to the ``pos`` parser."""
    import argparse

    server = command("server", cmd_server, "run the central server (SQLite file or PostgreSQL)")
    _db_option(server, default=None)
    server.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    server.add_argument("--port", type=int, default=8700, help="port (default 8700; 0 picks a free one)")
    server.add_argument("--workers", type=int, default=1, help="server processes sharing the port")
    server.add_argument("--push-rate", type=float, default=5.0, help="pushes per second per till (0: no limit)")
    server.add_argument("--enrol-rate", type=float, default=20.0,
                        help="enrolments per minute per client address (0: no limit)")
    server.add_argument("--ssl-keyfile", help="TLS private key (else run behind a reverse proxy)")
    server.add_argument("--ssl-certfile", help="TLS certificate chain")
    server.add_argument("--log-level", default="warning", choices=["debug", "info", "warning", "error"])
    server.add_argument("--handheld-data", metavar="DIR", default=os.environ.get("POS_SERVER_HANDHELD_DATA"),
                        help="a store's data folder: serve the handheld pages at /handheld/ on it (docs/handheld.md)")
    sub = server.add_subparsers(dest="server_sub", parser_class=type(server))
    admin = sub.add_parser("admin", help="head office: stores, tills, master data, reports").add_subparsers(
        dest="sub", required=True, parser_class=type(server))

    def cmd(name: str, handler: Callable[[Any], int], text: str) -> argparse.ArgumentParser:
        parser = command(name, handler, text, admin)
        _db_option(parser, default=argparse.SUPPRESS)
        return parser

    p = cmd("create-store", cmd_create_store, "create a store with the locations FLOOR and BACK")
    p.add_argument("--code", required=True)
    p.add_argument("--name", required=True)
    p.add_argument("--currency", default="CNY")
    cmd("stores", cmd_stores, "list the stores")
    cmd("totp", cmd_totp, "head office's one-time codes (TOTP): enable shows the secret once").add_argument(
        "action", choices=["enable", "disable"])
    for name, handler, text in (("enrol-code", cmd_enrol_code, "a one-time enrolment code for a till (24 h)"),
                                ("revoke-till", cmd_revoke_till, "revoke every enrolment of a till")):
        p = cmd(name, handler, text)
        p.add_argument("--store", required=True)
        p.add_argument("--till", required=True)
    p = cmd("import-catalog", cmd_import_catalog, "import products from CSV or XLSX (as pos catalog import)")
    p.add_argument("file")
    p.add_argument("--dry-run", action="store_true")
    p = cmd("summary", cmd_summary, "a store's sales and returns, by till")
    p.add_argument("--store", required=True)
    p = cmd("ranking", cmd_ranking, "stores ranked by net sales, beside the previous period")
    p.add_argument("--from", dest="date_from", required=True, help="first business date, YYYY-MM-DD")
    p.add_argument("--to", dest="date_to", required=True, help="last business date (inclusive)")
    p = cmd("trend", cmd_trend, "the chain's sales by day, week or month, beside the previous period")
    p.add_argument("--from", dest="date_from", required=True, help="first business date, YYYY-MM-DD")
    p.add_argument("--to", dest="date_to", required=True, help="last business date (inclusive)")
    p.add_argument("--by", choices=("day", "week", "month"), default="day")
    p = cmd("stock", cmd_stock, "a store's stock per location and lot (as pos stock)")
    p.add_argument("--store", required=True)
    p.add_argument("--sku")
    p.add_argument("--location")
    p = cmd("errors", cmd_errors, "events whose projection failed, newest first")
    p.add_argument("--store")
    p.add_argument("--limit", type=int, default=100)
    p = cmd("replay-errors", cmd_replay_errors, "project the failed events again (after fixing their cause)")
    p.add_argument("--store")
    p = cmd("api-key", cmd_api_key, "create an API key for head office or an integration (shown once)")
    p.add_argument("--name", required=True)
    p.add_argument("--scopes", required=True, help="comma-separated: admin, sales:read, stock:read, catalog:write")
    _master_data_commands(cmd)


def _db_option(parser: Any, default: Any) -> None:
    parser.add_argument("--db", default=default, metavar="URL",
                        help="sqlite:///PATH or postgresql+psycopg://… (default: server.db in the data folder)")


def _master_data_commands(cmd: Callable[..., Any]) -> None:
    p = cmd("product", cmd_product, "create or replace a product (fields left out take their defaults)")
    p.add_argument("--sku", required=True)
    p.add_argument("--name", required=True)
    p.add_argument("--price", required=True)
    p.add_argument("--barcode", action="append", default=[], help="CODE or CODE*PACK_QTY; repeat for more")
    for option in ("--cost", "--member-price", "--tax-rate", "--unit", "--category", "--supplier",
                   "--reorder-point", "--reorder-qty", "--variant-of"):
        p.add_argument(option)
    p.add_argument("--track-batches", action="store_true")
    p.add_argument("--track-expiry", action="store_true")
    p = cmd("product-state", cmd_product_state, "switch a product off (--inactive) or on (--active)")
    p.add_argument("--sku", required=True)
    state = p.add_mutually_exclusive_group(required=True)
    state.add_argument("--active", dest="active", action="store_true")
    state.add_argument("--inactive", dest="active", action="store_false")
    p = cmd("promotion", cmd_promotion, "create (or with --id replace) a promotion")
    p.add_argument("--id")
    p.add_argument("--name", required=True)
    p.add_argument("--kind", required=True, choices=["percent_off", "amount_off", "buy_n_get_m"])
    target = p.add_mutually_exclusive_group(required=True)
    target.add_argument("--sku")
    target.add_argument("--category")
    p.add_argument("--percent")
    p.add_argument("--amount")
    p.add_argument("--buy", type=int, default=0)
    p.add_argument("--get", type=int, default=0)
    p.add_argument("--starts", help="ISO 8601 with offset")
    p.add_argument("--ends", help="ISO 8601 with offset")
    p.add_argument("--members-only", action="store_true")
    p.add_argument("--inactive", action="store_true")
    p = cmd("user", cmd_user, "create or change a till user (all stores, or --store)")
    p.add_argument("username")
    p.add_argument("--role", choices=["cashier", "supervisor", "stock_clerk", "manager", "admin"])
    p.add_argument("--set-pin", dest="set_pin")
    p.add_argument("--display-name")
    p.add_argument("--store")
    on = p.add_mutually_exclusive_group()
    on.add_argument("--active", dest="active", action="store_true", default=None)
    on.add_argument("--inactive", dest="active", action="store_false")
    p = cmd("supplier", cmd_supplier, "create or change a supplier")
    p.add_argument("--code", required=True)
    p.add_argument("--name", required=True)
    p.add_argument("--contact")
    p.add_argument("--phone")
    p.add_argument("--lead-time-days", type=int)
    p = cmd("location", cmd_location, "create or change a stock location of a store")
    p.add_argument("--store", required=True)
    p.add_argument("--code", required=True)
    p.add_argument("--name")
    p.add_argument("--kind")
    p = cmd("member", cmd_member, "create or change a member")
    p.add_argument("--code", required=True)
    p.add_argument("--name", required=True)
    p.add_argument("--phone")
    p = cmd("setting", cmd_setting, "set a till setting for the chain (or one --store)")
    p.add_argument("--key", required=True)
    p.add_argument("--value", required=True, help="a JSON value (\"true\", \"0.5\", '\"text\"')")
    p.add_argument("--store")


# --- the database ------------------------------------------------------------------------------------------


def db_url(args: Any) -> str:
    url = getattr(args, "db", None) or os.environ.get("POS_SERVER_DB")
    if url:
        return url
    return f"sqlite:///{paths.data_dir(getattr(args, 'data_dir', None)) / SERVER_DB}"


@contextmanager
def open_db(args: Any) -> Iterator[Any]:
    """The server database, reachable and at the schema's head; ServerError (exit 7) if it cannot be."""
    from sqlalchemy.exc import DBAPIError

    from ..server import schema
    from ..server.db import Database, unreachable

    db = Database(db_url(args), pool_size=2)
    try:
        db.check()
        try:
            schema.upgrade(db)
            yield db
        except DBAPIError as exc:   # the database went away meanwhile (exit 7), or a real error
            try:
                db.check()
            except ServerError:
                raise unreachable(db.url, exc) from None
            raise
    finally:
        db.close()


def _now() -> datetime:
    return datetime.now(UTC)


# --- running the server ------------------------------------------------------------------------------------


def cmd_server(args: Any) -> int:
    """Run the server in the foreground until SIGINT/SIGTERM; prints ``pos server: listening on URL``."""
    from ..server.app import ServerSettings

    if args.workers < 1:
        raise InvalidInput("--workers must be 1 or more", code="bad_workers")
    if args.handheld_data and args.workers > 1:
        raise InvalidInput("--handheld-data runs in one process (its sign-ins are kept in memory); "
                           "leave out --workers", code="bad_workers")
    if bool(args.ssl_keyfile) != bool(args.ssl_certfile):
        raise InvalidInput("--ssl-keyfile and --ssl-certfile go together", code="bad_tls")
    logging.basicConfig(level=getattr(logging, args.log_level.upper()), stream=sys.stderr,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    settings = ServerSettings(push_rate=args.push_rate, enrol_rate=args.enrol_rate)
    with open_db(args) as db:
        url = db.url
    floor = _handheld_floor(args.handheld_data) if args.handheld_data else None   # its errors before listening
    try:
        return _serve(args, url, settings, floor)
    finally:
        if floor is not None:
            floor.close()


def _serve(args: Any, url: str, settings: Any, floor: Any) -> int:
    import uvicorn

    from ..server.app import create_app

    sock = _listen(args.host, args.port)
    scheme = "https" if args.ssl_certfile else "http"
    host, port = sock.getsockname()[:2]
    shown = f"[{host}]" if ":" in host else host
    sys.stdout.write(json.dumps({"url": f"{scheme}://{shown}:{port}", "db": _safe(url)}) + "\n"
                     if getattr(args, "json", False) else f"pos server: listening on {scheme}://{shown}:{port}\n")
    sys.stdout.flush()
    common = {"log_level": args.log_level, "access_log": args.log_level == "debug", "proxy_headers": True,
              "ssl_keyfile": args.ssl_keyfile, "ssl_certfile": args.ssl_certfile, "timeout_graceful_shutdown": 10}
    if args.workers > 1:
        from uvicorn.supervisors import Multiprocess
        os.environ.update({"POS_SERVER_DB": url, "POS_SERVER_PUSH_RATE": str(args.push_rate),
                           "POS_SERVER_ENROL_RATE": str(args.enrol_rate)})
        config = uvicorn.Config("pos_desktop.server.app:app_from_env", factory=True, workers=args.workers, **common)
        Multiprocess(config, sockets=[sock]).run()
        return 0
    from ..server.db import Database
    idle = float(os.environ.get("POS_SERVER_HANDHELD_IDLE") or 0) or None
    config = uvicorn.Config(create_app(Database(url), settings, handheld=floor, handheld_idle=idle), **common)
    uvicorn.Server(config).run(sockets=[sock])
    return 0


def _handheld_floor(folder: str) -> Any:
    """The store's back office for the handheld pages, printing shelf labels on its configured printer."""
    from ..devices import DeviceManager, text_job
    from ..services.handheld import StoreFloor

    data = Path(folder).expanduser()

    def print_lines(lines: list[str]) -> None:
        with DeviceManager.from_data_dir(data) as devices:
            devices.print_bytes(text_job(lines, devices.receipt_style()))
    return StoreFloor.open(data, print_lines)


def _listen(host: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)   # asyncio sets TCP_NODELAY only then
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as exc:
        sock.close()
        raise ServerError(f"Cannot listen on {host}:{port}: {exc.strerror or exc}", code="cannot_listen") from None
    sock.listen(2048)
    sock.set_inheritable(True)
    return sock


def _safe(url: str) -> str:
    from sqlalchemy.engine import make_url
    return make_url(url).render_as_string(hide_password=True)


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
