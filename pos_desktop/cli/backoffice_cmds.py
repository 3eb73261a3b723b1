"""``pos count …``, ``transfer …``, ``location …``, ``stock pick``, ``alerts``, ``labels``, ``trace``,
``catalog quality|fix`` (issue 6; docs/backoffice.md): the command table of the back office.

The handlers live in ``count_cmds`` (counts), ``transfer_cmds`` (transfers, locations, stock pick) and
``alert_label_cmds`` (alerts, labels, trace, catalog quality|fix); they are imported here, so every name stays
importable from this module. Files are read there into the services' typed inputs (JSON numbers as exact
decimals); everything else is the services' (imported when a command runs, so that ``pos`` starts fast).
Read-only commands need no login, except that a blind count's expected quantities are shown only to
a ``--user`` who may approve counts.
"""

from __future__ import annotations

import argparse
from typing import Any

from .alert_label_cmds import (cmd_alert_settings, cmd_alerts, cmd_catalog_fix, cmd_catalog_quality, cmd_labels,
                               cmd_trace)
from .count_cmds import (cmd_count_approve, cmd_count_cancel, cmd_count_finish, cmd_count_list, cmd_count_recount,
                         cmd_count_record, cmd_count_report, cmd_count_start)
from .transfer_cmds import (cmd_location_add, cmd_location_list, cmd_stock_pick, cmd_transfer_cancel,
                            cmd_transfer_create, cmd_transfer_incoming, cmd_transfer_list, cmd_transfer_receive,
                            cmd_transfer_settle, cmd_transfer_ship, cmd_transfer_show)

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
