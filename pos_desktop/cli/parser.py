"""The ``pos`` command line (CLI.md). Common options are accepted before or after the command."""

from __future__ import annotations

import argparse

from .. import __version__
from ..core.errors import UsageError
from ..services.stock import ADJUST_REASONS
from . import device_cmds, sale_cmds, setup_cmds, stock_cmds
from . import server_cmds  # pos server … (central server)
from . import sync_cmds  # pos enrol, pos sync … (the till's sync agent)
from . import purchasing_cmds  # pos receive, grn, supplier, po, invoice, ap (issue 6)
from . import backoffice_cmds  # pos count, transfer, location, alerts, labels, trace, catalog quality|fix
from . import shift_cmds  # pos shift …, pos report x|z (issue 7)
from . import report_cmds  # pos report sales|margin|…, forecast, anomalies, members (issue 7)
from . import security_cmds  # pos user totp … (issue 9)


class Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        raise UsageError(f"{self.prog}: {message}")


def _common() -> argparse.ArgumentParser:
    common = Parser(add_help=False)
    s = argparse.SUPPRESS
    common.add_argument("--data-dir", default=s, help="the till's data folder (else POS_DATA_DIR)")
    common.add_argument("--json", action="store_true", default=s, help="print one JSON document")
    common.add_argument("--user", default=s, help="user name (else POS_USER)")
    common.add_argument("--pin", default=s, help="PIN (else POS_PIN)")
    common.add_argument("--approver", default=s, help="manager approving an action the user may not do")
    common.add_argument("--approver-pin", default=s)
    common.add_argument("--otp", default=s, help="one-time code of a user with TOTP switched on (else POS_OTP)")
    common.add_argument("--approver-otp", default=s, help="the approver's one-time code (else POS_APPROVER_OTP)")
    return common


def build_parser() -> Parser:
    common = _common()
    parser = Parser(prog="pos", parents=[common], description="Headless till: everything the screen does.")
    parser.add_argument("--version", action="version", version=f"pos {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, parser_class=Parser)

    def command(name: str, handler, help: str, sub=commands) -> Parser:  # type: ignore[no-untyped-def]
        cmd = sub.add_parser(name, parents=[common], help=help)
        cmd.set_defaults(handler=handler)
        return cmd

    init = command("init", setup_cmds.cmd_init, "create the data folder and database")
    init.add_argument("--store-code", required=True)
    init.add_argument("--store-name", required=True)
    init.add_argument("--till-code", required=True)
    init.add_argument("--admin-user", required=True)
    init.add_argument("--admin-pin", required=True)
    init.add_argument("--currency", default="CNY")
    tax = init.add_mutually_exclusive_group()
    tax.add_argument("--tax-inclusive", dest="tax_inclusive", action="store_true", default=True)
    tax.add_argument("--tax-exclusive", dest="tax_inclusive", action="store_false")
    init.add_argument("--force", action="store_true", help="replace an existing database (it is backed up)")

    user = commands.add_parser("user", help="users").add_subparsers(dest="sub", required=True, parser_class=Parser)
    add = command("add", setup_cmds.cmd_user_add, "add a user (admin)", user)
    add.add_argument("name")
    add.add_argument("--role", required=True, choices=["cashier", "supervisor", "stock_clerk", "manager", "admin"])
    add.add_argument("--set-pin", required=True)
    add.add_argument("--display-name")
    security_cmds.register_user(user, command)   # pos user totp enable|disable (issue 9)

    demo = command("demo", setup_cmds.cmd_demo, "fill a fresh data folder with a demo store")
    demo.add_argument("--products", type=int, default=2000)
    demo.add_argument("--days", type=int, default=30)
    demo.add_argument("--seed", type=int, default=1)
    demo.add_argument("--force", action="store_true", help="replace an existing database")

    command("backup", setup_cmds.cmd_backup, "back up the database (admin)").add_argument("--to", required=True)
    restore = command("restore", setup_cmds.cmd_restore, "restore a backup (admin), or list the backups kept")
    which_backup = restore.add_mutually_exclusive_group(required=True)
    which_backup.add_argument("--from", dest="from")
    which_backup.add_argument("--latest", action="store_true", help="the newest kept backup that passes its check")
    which_backup.add_argument("--list", action="store_true", dest="list_backups",
                              help="the backups kept in the data folder, newest first, each checked")
    journal = commands.add_parser("journal", help="the tamper-evident journal").add_subparsers(
        dest="sub", required=True, parser_class=Parser)
    command("verify", setup_cmds.cmd_journal_verify, "recompute the hash chain", journal)

    catalog = commands.add_parser("catalog", help="products").add_subparsers(
        dest="sub", required=True, parser_class=Parser)
    imp = command("import", stock_cmds.cmd_catalog_import, "import products from CSV or XLSX", catalog)
    imp.add_argument("file")
    imp.add_argument("--dry-run", action="store_true")
    show = command("show", stock_cmds.cmd_catalog_show, "show one product", catalog)
    which = show.add_mutually_exclusive_group(required=True)
    which.add_argument("--barcode")
    which.add_argument("--sku")

    sale = command("sale", sale_cmds.cmd_sale, "complete a sale from a JSON file")
    sale.add_argument("--file", required=True, help="the sale as JSON, or - for stdin")
    sale.add_argument("--print", action="store_true", dest="print_receipt",
                      help="print the receipt after the sale is committed and open the drawer for cash")
    ret = command("return", sale_cmds.cmd_return, "take a return from a JSON file")
    ret.add_argument("--file", required=True)
    ret.add_argument("--print", action="store_true", dest="print_receipt",
                     help="print the return slip after the return is committed, drawer for a cash refund")
    void = command("void-sale", sale_cmds.cmd_void, "void a sale of the current shift (supervisor)")
    void.add_argument("receipt_no")
    void.add_argument("--reason", required=True)
    sales = commands.add_parser("sales", help="sales").add_subparsers(dest="sub", required=True, parser_class=Parser)
    listing = command("list", sale_cmds.cmd_sales_list, "list sales and returns", sales)
    listing.add_argument("--from", dest="from")
    listing.add_argument("--to")
    receipt = commands.add_parser("receipt", help="receipts").add_subparsers(
        dest="sub", required=True, parser_class=Parser)
    rshow = command("show", sale_cmds.cmd_receipt_show, "show a stored receipt as text", receipt)
    rshow.add_argument("receipt_no")
    rshow.add_argument("--width", type=int, default=48)
    rprint = command("print", device_cmds.cmd_receipt_print, "print a copy of a receipt (marked COPY)", receipt)
    rprint.add_argument("receipt_no")
    command("queue", device_cmds.cmd_receipt_queue, "receipts waiting in the reprint queue", receipt)

    devices = commands.add_parser("devices", help="printer, drawer, scanner, display, scale").add_subparsers(
        dest="sub", required=True, parser_class=Parser)
    command("list", device_cmds.cmd_devices_list, "each device of config.toml and its status", devices)
    dtest = command("test", device_cmds.cmd_devices_test, "try one device", devices)
    dtest.add_argument("device", choices=["printer", "drawer", "display", "scanner", "scale"])
    dtest.add_argument("--seconds", type=float, default=10, help="scanner: how long to listen")
    drawer = commands.add_parser("drawer", help="the cash drawer").add_subparsers(
        dest="sub", required=True, parser_class=Parser)
    dopen = command("open", device_cmds.cmd_drawer_open, "open the drawer without a sale (supervisor)", drawer)
    dopen.add_argument("--reason", required=True)

    gui = command("gui", setup_cmds.cmd_gui, "open the till's window (same as python main.py)")
    gui.add_argument("--demo", action="store_true", help="a demo store with simulated devices")

    stock = command("stock", stock_cmds.cmd_stock, "on-hand stock")
    stock.add_argument("--sku")
    stock.add_argument("--location")
    stock_sub = stock.add_subparsers(dest="sub", parser_class=Parser)
    adjust = command("adjust", stock_cmds.cmd_stock_adjust, "post a stock correction (manager)", stock_sub)
    adjust.add_argument("--sku", required=True)
    adjust.add_argument("--location", required=True)
    adjust.add_argument("--qty-delta", required=True)
    adjust.add_argument("--reason", required=True, choices=ADJUST_REASONS)
    adjust.add_argument("--lot")
    adjust.add_argument("--note")

    server_cmds.register(commands, command)   # pos server, pos server admin … (central server, issue 5)
    sync_cmds.register(commands, command)     # pos enrol, pos sync --once, pos sync status (issue 5)
    purchasing_cmds.register(commands, command)   # receiving, suppliers, orders, invoices (issue 6)
    backoffice_cmds.register(commands, command)   # counts, transfers, alerts, labels, trace (issue 6)
    shift_cmds.register(commands, command)    # shifts, cash, X and Z reports (issue 7)
    report_cmds.register(commands, command)   # BI reports, forecast, anomalies, members (issue 7)
    from . import diagnostics_cmds  # pos diagnostics --out FILE.zip (issue 9)
    diagnostics_cmds.register(commands, command)
    return parser
