"""``pos shift open|cash-in|cash-out|drop|close|handover|status`` and ``pos report x|z`` (issue 7;
docs/close-of-day.md).

Amounts are parsed here; everything else is the services' (imported when a command runs). ``pos report z``
closes the business day if it is still open (manager) and prints its Z report; for a closed day it prints the
stored one. After a day is closed, printing or writing the PDF can no longer fail the command: a fault is a
warning on stderr and ``print_error``/``pdf_error`` in the JSON, exit 0 (print the stored report again later).
"""

from __future__ import annotations

import argparse
import os
from decimal import Decimal
from pathlib import Path
from typing import Any

from ..core.errors import DeviceError, InvalidInput, PosError, UsageError
from ..core.i18n import _
from ..core.money import parse_money
from .common import approver, data_dir, login, open_ctx, parse_date
from .output import emit, warn

CASH_COMMANDS = {"cash-in": "in", "cash-out": "out", "drop": "drop"}


def register(commands: Any, command: Any) -> None:
    """Add ``pos shift …`` and ``pos report x|z`` to the ``pos`` parser (called once from ``build_parser``)."""
    shift = subcommands(commands, "shift", "shifts: float, cash in and out, count and close, hand-over")
    opening = command("open", cmd_shift_open, "open a shift with a float", shift)
    opening.add_argument("--float", dest="float_amount", help="the float counted into the drawer")
    opening.add_argument("--denominations", help="the float by note and coin (JSON file)")
    for name, text in (("cash-in", "pay cash into the drawer (supervisor)"),
                       ("cash-out", "pay cash out of the drawer (supervisor)"),
                       ("drop", "take cash from the drawer to the safe (supervisor)")):
        move = command(name, cmd_cash_move, text, shift)
        move.add_argument("--amount", required=True)
        move.add_argument("--reason", required=True)
    close = command("close", cmd_shift_close, "close the shift with a blind cash count", shift)
    _count_arguments(close)
    handover = command("handover", cmd_shift_handover, "hand the drawer over to another cashier", shift)
    handover.add_argument("--to", required=True, dest="to_user", help="the cashier taking the drawer over")
    handover.add_argument("--to-pin", help="the new cashier's PIN, when they confirm the hand-over")
    _count_arguments(handover)
    command("status", cmd_shift_status, "the open shift (expected cash only for a supervisor's --user)", shift)

    report = subcommands(commands, "report", "reports")
    x = command("x", cmd_report_x, "the X report of the business day so far (changes nothing)", report)
    z = command("z", cmd_report_z, "close the business day with its Z report (manager), or show a closed day's",
                report)
    for cmd in (x, z):
        cmd.add_argument("--date", help="the business day, YYYY-MM-DD")
        cmd.add_argument("--pdf", help="also write the report to this PDF file")
        cmd.add_argument("--print", action="store_true", dest="print_report", help="print it on the receipt printer")


def subcommands(commands: Any, name: str, help: str) -> Any:
    """The sub-command group ``pos NAME``, made on first use: ``pos report`` is shared with the reports of
    other modules, so whoever registers first creates it and the others add to it."""
    from .parser import Parser

    existing = commands.choices.get(name)
    if existing is not None:
        return next(a for a in existing._actions if isinstance(a, argparse._SubParsersAction))
    return commands.add_parser(name, help=help).add_subparsers(dest="sub", required=True, parser_class=Parser)


def _count_arguments(cmd: Any) -> None:
    cmd.add_argument("--counted-cash", help="the cash counted in the drawer")
    cmd.add_argument("--denominations", help="the cash counted by note and coin (JSON file)")
    cmd.add_argument("--counted", action="append", default=[], metavar="METHOD=AMOUNT",
                     help="a counted amount of another tender (e.g. card=120.00); else taken as recorded")
    cmd.add_argument("--explanation", default="", help="why the count differs (needed above the limit)")


# ---------------------------------------------------------------------------------------------- shifts
def cmd_shift_open(args: Any) -> int:
    from ..services import shifts

    with open_ctx(args) as ctx:
        amount = _amount(args.float_amount, ctx.places, "--float")
        count = _count(args.denominations, ctx)
        if amount is None and count is None:
            raise UsageError(_("pos shift open: give --float AMOUNT (or --denominations FILE)"))
        doc = shifts.open_shift(ctx, login(ctx, args), float_amount=amount, count=count, approver=approver(ctx, args))
    emit(args, doc, _("Shift opened for {user} with a float of {amount}").format(user=doc["cashier"],
                                                                              amount=doc["float"]))
    return 0


def cmd_cash_move(args: Any) -> int:
    from ..services import shifts

    kind = CASH_COMMANDS[args.sub]
    with open_ctx(args) as ctx:
        amount = _amount(args.amount, ctx.places, "--amount")
        doc = shifts.move_cash(ctx, login(ctx, args), kind=kind, amount=amount, reason=args.reason,
                               approver=approver(ctx, args))
    emit(args, doc, _("{kind} of {amount}: {reason}").format(kind=args.sub, amount=doc["amount"],
                                                            reason=doc["reason"]))
    return 0


def cmd_shift_close(args: Any) -> int:
    from ..services import shifts

    with open_ctx(args) as ctx:
        counted, count, others = _counted(args, ctx, required=True)
        doc = shifts.close_shift(ctx, login(ctx, args), counted_cash=counted, count=count,
                                 explanation=args.explanation, counted_tenders=others, approver=approver(ctx, args))
    emit(args, doc, _shift_text(doc))
    return 0


def cmd_shift_handover(args: Any) -> int:
    from ..services import auth, shifts

    with open_ctx(args) as ctx:
        counted, count, others = _counted(args, ctx, required=False)
        operator = login(ctx, args)
        incoming = auth.login(ctx, args.to_user, args.to_pin) if args.to_pin else None
        doc = shifts.hand_over(ctx, operator, to_user=args.to_user, counted_cash=counted, count=count,
                               explanation=args.explanation, counted_tenders=others, incoming=incoming,
                               approver=approver(ctx, args))
    emit(args, doc, [_shift_text(doc["closed"]),
                     _("Shift handed over to {user} with a float of {amount}").format(
                         user=doc["to"], amount=doc["opened"]["float"])])
    return 0


def cmd_shift_status(args: Any) -> int:
    from ..services import shifts

    with open_ctx(args) as ctx:
        viewer = login(ctx, args) if _has_login(args) else None
        doc = shifts.shift_status(ctx, viewer)
    if not doc["open"]:
        text = _("No shift is open on till {till}; business day {day}").format(till=doc["till"],
                                                                              day=doc["business_date"])
    else:
        text = _("Shift of {user} since {at}, float {amount}, {n} sales").format(
            user=doc["cashier"], at=doc["opened_at"], amount=doc["float"], n=doc["sales_count"])
    emit(args, doc, text)
    return 0


def _shift_text(doc: dict[str, Any]) -> str:
    if doc.get("counted_cash") is None:
        return _("Shift of {user} closed uncounted; the drawer should hold {expected}").format(
            user=doc["cashier"], expected=doc["expected_cash"])
    return _("Shift of {user} closed: cash expected {expected}, counted {counted}, variance {variance}").format(
        user=doc["cashier"], expected=doc["expected_cash"], counted=doc["counted_cash"], variance=doc["variance"])


# --------------------------------------------------------------------------------------------- reports
def cmd_report_x(args: Any) -> int:
    from ..services import zreport

    day = parse_date(args.date, "--date")
    pdf = _pdf_path(args.pdf)
    with open_ctx(args) as ctx:
        operator = login(ctx, args) if _has_login(args) else None
        doc = zreport.x_report(ctx, operator, day, approver(ctx, args) if operator else None)
    if pdf is not None:
        _write_pdf(doc, pdf)
        doc["pdf"] = str(pdf)
    if args.print_report:
        doc.update(printed=True, print_bytes=_print(data_dir(args), doc))
    emit(args, doc, _report_text(doc))
    return 0


def cmd_report_z(args: Any) -> int:
    from ..services import zreport

    day = parse_date(args.date, "--date")
    pdf = _pdf_path(args.pdf)
    with open_ctx(args) as ctx:
        result = zreport.close_day(ctx, login(ctx, args), day, approver(ctx, args))
    doc = dict(result.report)
    doc["created"] = result.created
    if result.carried is not None:
        doc["shift_carried_over"] = result.carried
    if pdf is not None:
        _after_close(doc, result.created, "pdf_error", lambda: _write_pdf(result.report, pdf))
        doc.setdefault("pdf", str(pdf))
    if args.print_report:
        _after_close(doc, result.created, "print_error",
                     lambda: doc.update(printed=True, print_bytes=_print(data_dir(args), result.report)))
    emit(args, doc, _report_text(doc))
    return 0


def _after_close(doc: dict[str, Any], created: bool, key: str, step: Any) -> None:
    """Run ``step``; once the day was closed by this command a fault only warns (the Z stands)."""
    try:
        step()
    except PosError as exc:
        if not created:
            raise
        warn(exc.message)
        doc[key] = exc.message
        if key == "print_error":
            doc["printed"] = False
        else:
            doc.pop("pdf", None)
            doc["pdf"] = None


def _report_text(doc: dict[str, Any]) -> list[str]:
    title = _("Z report {n} of {day}").format(n=doc["z_number"], day=doc["date"]) if doc["kind"] == "Z" \
        else _("X report of {day}").format(day=doc["date"])
    return [title,
            _("Sales {n}, returns {r}, voids {v}").format(n=doc["sales_count"], r=doc["returns_count"],
                                                        v=doc["voids_count"]),
            _("Gross {gross}, discounts {disc}, returns {ret}, net {net}, tax {tax}").format(
                gross=doc["gross_sales"], disc=doc["discounts"], ret=doc["returns"], net=doc["net_sales"],
                tax=doc["tax_total"]),
            _("By tender: {tenders}").format(tenders=", ".join(f"{k} {v}" for k, v in doc["by_tender"].items())),
            _("Receipts {first} to {last}; grand total {total}").format(
                first=doc["first_receipt"] or "-", last=doc["last_receipt"] or "-", total=doc["grand_total"])]


def _pdf_path(text: str | None) -> Path | None:
    if not text:
        return None
    path = Path(text)
    if not path.parent.is_dir():  # found out before the day is closed
        raise InvalidInput(_("No folder {folder} to write the PDF into").format(folder=path.parent), code="bad_path")
    return path


def _write_pdf(report: dict[str, Any], path: Path) -> None:
    from ..services.zreport_pdf import write_report_pdf

    try:
        write_report_pdf(report, path)
    except OSError as exc:
        raise InvalidInput(_("The PDF {path} cannot be written: {error}").format(path=path, error=exc),
                           code="bad_path") from None


def _print(folder: Path, report: dict[str, Any]) -> int:
    from ..devices import DeviceManager
    from ..devices.report_layout import print_day_report

    try:
        with DeviceManager.from_data_dir(folder) as devices:
            return print_day_report(devices, report, devices.receipt_style())
    except DeviceError:
        raise
    except PosError as exc:  # config.toml cannot be read
        raise DeviceError(exc.message, code=exc.code) from None


# --------------------------------------------------------------------------------------------- helpers
def _has_login(args: Any) -> bool:
    return bool(getattr(args, "user", None) or os.environ.get("POS_USER"))


def _amount(text: str | None, places: int, what: str) -> Decimal | None:
    return None if text is None else parse_money(text, places, what)


def _count(path: str | None, ctx: Any) -> Any:
    if not path:
        return None
    from ..services.denominations import read_count_file

    return read_count_file(path, ctx.till.currency, ctx.places)


def _counted(args: Any, ctx: Any, *, required: bool) -> tuple[Decimal | None, Any, dict[str, Decimal]]:
    counted = _amount(args.counted_cash, ctx.places, "--counted-cash")
    count = _count(args.denominations, ctx)
    if required and counted is None and count is None:
        raise UsageError(_("pos shift close: give --counted-cash AMOUNT (or --denominations FILE)"))
    others: dict[str, Decimal] = {}
    for item in args.counted:
        method, sep, amount = item.partition("=")
        if not sep or not method.strip():
            raise UsageError(_("--counted takes METHOD=AMOUNT, not {item!r}").format(item=item))
        others[method.strip()] = parse_money(amount.strip(), ctx.places, "--counted")
    return counted, count, others
