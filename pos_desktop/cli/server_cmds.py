"""``pos server …``: run the central server, and head office's administration of its database (CLI.md,
[sync]; docs/server.md). Every command takes ``--db URL`` (default: ``server.db`` in the data folder); a
database that cannot be reached exits 7. The server package is imported only when one of these runs.

This module is the command table; the server's process and database are in ``server_run_cmds`` and the
``pos server admin …`` commands in ``server_admin_cmds`` (their names stay importable from here).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any

from .server_admin_cmds import (cmd_api_key, cmd_create_store, cmd_enrol_code, cmd_errors, cmd_import_catalog,
                                cmd_location, cmd_member, cmd_product, cmd_product_state, cmd_promotion,
                                cmd_ranking, cmd_replay_errors, cmd_revoke_till, cmd_setting, cmd_stock,
                                cmd_stores, cmd_summary, cmd_supplier, cmd_totp, cmd_trend, cmd_user)
from .server_run_cmds import cmd_server


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
