"""``pos report sales|margin|sellers|hourly|baskets|turnover|shrinkage|cashiers``, ``pos forecast``,
``pos anomalies`` and ``pos members rfm|history|export`` (issue 7; docs/reports.md).

``pos report`` is one group shared with ``pos report x|z`` (shift_cmds): whichever module registers first makes
the group and the other adds to it (``report_group``). Every report command takes ``--from``/``--to`` (business
dates; default the 30 days ending today), prints the report as text or ``--json``, and writes ``--pdf``,
``--csv`` and ``--xlsx`` files when asked (the JSON then names them under ``"files"``). Reports read only: no
login, like the other read-only commands; the member commands show personal data and need a ``--user`` who
may see reports (``report.view``: manager, admin).
"""

from __future__ import annotations

import argparse
import unicodedata
from datetime import date, timedelta
from pathlib import Path
from typing import Any, Callable

from ..core.errors import InvalidInput, UsageError
from ..core.i18n import _
from .common import approver, login, open_ctx, parse_date
from .output import emit

DEFAULT_DAYS = 30


def report_group(commands: Any) -> Any:
    """The sub-command group ``pos report``, made on first use; others add their reports to the same group."""
    return subgroup(commands, "report", "reports: x, z, sales, margin, sellers, hourly, baskets, turnover, …")


def subgroup(commands: Any, name: str, help: str) -> Any:
    from .parser import Parser

    existing = commands.choices.get(name)
    if existing is not None:
        return next(a for a in existing._actions if isinstance(a, argparse._SubParsersAction))
    return commands.add_parser(name, help=help).add_subparsers(dest="sub", required=True, parser_class=Parser)


def register(commands: Any, command: Any) -> None:
    """Add this module's commands to ``pos`` (called once from ``parser.build_parser``)."""
    report = report_group(commands)
    sales = _report(command, report, "sales", cmd_sales, "sales by day, week or month beside the previous period")
    sales.add_argument("--by", choices=("day", "week", "month"), default="day")
    sales.add_argument("--no-compare", action="store_true", help="leave the previous period out")
    margin = _report(command, report, "margin", cmd_margin, "gross margin per item or category")
    margin.add_argument("--by", choices=("product", "category"), default="product")
    margin.add_argument("--sort", choices=("margin", "net_sales", "qty", "margin_pct", "cost", "sku"),
                        default="margin")
    margin.add_argument("--limit", type=int)
    sellers = _report(command, report, "sellers", cmd_sellers, "best (or --worst) sellers")
    sellers.add_argument("--by", choices=("product", "category"), default="product")
    sellers.add_argument("--metric", choices=("net_sales", "qty", "margin"), default="net_sales")
    sellers.add_argument("--limit", type=int, default=20)
    sellers.add_argument("--worst", action="store_true", help="the worst, and stocked items that did not sell")
    hourly = _report(command, report, "hourly", cmd_hourly, "heat map of sales by weekday and hour")
    hourly.add_argument("--measure", choices=("net_sales", "sales_count"), default="net_sales")
    hourly.add_argument("--by", choices=("weekday", "date"), default="weekday",
                        help="rows: the weekdays of the range (default), or each of its dates")
    baskets = _report(command, report, "baskets", cmd_baskets, "basket size and items per basket")
    baskets.add_argument("--by", choices=("day", "week", "month"), default="day")
    turnover = _report(command, report, "turnover", cmd_turnover, "inventory turnover and days of stock")
    turnover.add_argument("--by", choices=("product", "category"), default="category")
    turnover.add_argument("--sort", choices=("stock_value", "days_of_stock", "turnover", "sold_value", "sku"),
                          default="stock_value")
    turnover.add_argument("--limit", type=int)
    shrink = _report(command, report, "shrinkage", cmd_shrinkage, "stock lost through damage, loss, counts")
    shrink.add_argument("--by", choices=("category", "product", "reason"), default="category")
    cashiers = _report(command, report, "cashiers", cmd_cashiers, "voids, returns, discounts and no-sales per cashier")
    cashiers.add_argument("--by", choices=("cashier",), default="cashier",
                          help="one row per cashier (the only grouping: the figures are about people)")

    forecast = command("forecast", cmd_forecast,
                       "daily sales forecast of an item, a category or (neither given) all items, backtested")
    which = forecast.add_mutually_exclusive_group()
    which.add_argument("--sku")
    which.add_argument("--category", help="the category's name")
    forecast.add_argument("--days", type=int, default=14, help="how many days ahead (1–90)")
    forecast.add_argument("--history", type=int, default=365, help="days of history to learn from")
    forecast.add_argument("--origins", type=int, default=8, help="backtest forecasts made from this many days")
    forecast.add_argument("--as-of", help="forecast from the day after this date (default: yesterday)")
    _outputs(forecast)
    anomalies = command("anomalies", cmd_anomalies, "cashiers and categories far outside their peers")
    _range(anomalies)
    anomalies.add_argument("--threshold", default="3.5", help="robust z-score above which a figure is flagged")
    anomalies.add_argument("--min-sales", type=int, default=30, help="cashiers with fewer sales are not compared")
    _outputs(anomalies)

    members = subgroup(commands, "members", "member analysis: RFM segments, history, campaign export")
    rfm = command("rfm", cmd_members_rfm, "recency, frequency and monetary quintiles, named segments", members)
    _rfm_options(rfm)
    rfm.add_argument("--segment", help="list only this segment's members")
    _outputs(rfm)
    history = command("history", cmd_members_history, "one member's purchases and returns", members)
    history.add_argument("code", help="member code or phone")
    history.add_argument("--from", dest="date_from")
    history.add_argument("--to", dest="date_to")
    export = command("export", cmd_members_export, "a segment's members as CSV for a campaign", members)
    export.add_argument("--segment", required=True)
    export.add_argument("--csv", required=True, dest="csv_file")
    _rfm_options(export)


def _report(command: Callable, group: Any, name: str, handler: Callable, help: str) -> Any:
    cmd = command(name, handler, help, group)
    _range(cmd)
    _outputs(cmd)
    return cmd


def _range(cmd: Any) -> None:
    cmd.add_argument("--from", dest="date_from", help="first business date, YYYY-MM-DD (default: 29 days before --to)")
    cmd.add_argument("--to", dest="date_to", help="last business date, YYYY-MM-DD (default: today)")


def _outputs(cmd: Any) -> None:
    cmd.add_argument("--pdf", help="also write the report to this PDF file")
    cmd.add_argument("--csv", dest="csv_file", help="also write it as CSV (other tables beside it)")
    cmd.add_argument("--xlsx", help="also write it as an XLSX workbook")


def _rfm_options(cmd: Any) -> None:
    cmd.add_argument("--as-of", help="the day the analysis is made on (default: today)")
    cmd.add_argument("--window", type=int, default=365, help="days of purchases counted for frequency and money")


# ---------------------------------------------------------------------------------------------- reports
def _dates(args: Any, ctx: Any) -> tuple[date, date]:
    today = ctx.clock.now().date()
    date_to = parse_date(getattr(args, "date_to", None), "--to") or today
    date_from = parse_date(getattr(args, "date_from", None), "--from") or date_to - timedelta(days=DEFAULT_DAYS - 1)
    return date_from, date_to


def _run(args: Any, build: Callable[[Any, date, date], Any]) -> int:
    with open_ctx(args) as ctx:
        date_from, date_to = _dates(args, ctx)
        report = build(ctx, date_from, date_to)
        files = write_files(args, report, ctx.till.store_name)
    doc = report.to_json()
    if files:
        doc["files"] = files
    emit(args, doc, report_text(report) + [f"→ {path}" for paths in files.values() for path in _listed(paths)])
    return 0


def cmd_sales(args: Any) -> int:
    from ..services.reports import trends
    return _run(args, lambda ctx, a, b: trends.sales_trend(ctx, a, b, args.by, compare=not args.no_compare))


def cmd_margin(args: Any) -> int:
    from ..services.reports import margin
    return _run(args, lambda ctx, a, b: margin.margin_report(ctx, a, b, args.by, args.sort, args.limit))


def cmd_sellers(args: Any) -> int:
    from ..services.reports import sellers
    return _run(args, lambda ctx, a, b: sellers.sellers_report(ctx, a, b, args.by, args.metric, args.limit,
                                                               args.worst))


def cmd_hourly(args: Any) -> int:
    from ..services.reports import hourly
    return _run(args, lambda ctx, a, b: hourly.hourly_heatmap(ctx, a, b, args.measure, args.by))


def cmd_baskets(args: Any) -> int:
    from ..services.reports import baskets
    return _run(args, lambda ctx, a, b: baskets.basket_report(ctx, a, b, args.by))


def cmd_turnover(args: Any) -> int:
    from ..services.reports import inventory
    return _run(args, lambda ctx, a, b: inventory.turnover_report(ctx, a, b, args.by, args.sort, args.limit))


def cmd_shrinkage(args: Any) -> int:
    from ..services.reports import shrinkage
    return _run(args, lambda ctx, a, b: shrinkage.shrinkage_report(ctx, a, b, args.by))


def cmd_cashiers(args: Any) -> int:
    from ..services.reports import cashiers
    return _run(args, lambda ctx, a, b: cashiers.cashier_report(ctx, a, b))


def cmd_forecast(args: Any) -> int:
    from ..services.reports import forecast

    with open_ctx(args) as ctx:
        as_of = parse_date(args.as_of, "--as-of")
        report = forecast.forecast_sales(ctx, sku=args.sku, category=args.category, days=args.days,
                                         history_days=args.history, origins=args.origins, as_of=as_of)
        files = write_files(args, report, ctx.till.store_name)
    doc = report.to_json()
    if files:
        doc["files"] = files
    emit(args, doc, report_text(report))
    return 0


def cmd_anomalies(args: Any) -> int:
    from decimal import Decimal, InvalidOperation

    from ..services.reports import anomalies

    try:
        threshold = Decimal(args.threshold)
    except InvalidOperation:
        raise InvalidInput(_("--threshold must be a number, not {text!r}").format(text=args.threshold)) from None
    return _run(args, lambda ctx, a, b: anomalies.find_anomalies(ctx, a, b, threshold=threshold,
                                                                 min_sales=args.min_sales))


# ---------------------------------------------------------------------------------------------- members
def _member_viewer(ctx: Any, args: Any) -> None:
    """Member data is personal: only someone who may see reports (or with an approver who may) gets it."""
    import os

    from ..core.errors import AuthError
    from ..core.permissions import Action
    from ..services import auth

    if not (getattr(args, "user", None) or os.environ.get("POS_USER")):
        raise AuthError(_("Member data is personal: give --user and --pin of someone who may see reports"),
                        code="auth_required")
    auth.require(login(ctx, args), Action.REPORTS, approver(ctx, args))


def _rfm(ctx: Any, args: Any) -> Any:
    from ..services.reports import members_rfm

    as_of = parse_date(args.as_of, "--as-of") or ctx.clock.now().date()
    return members_rfm.rfm_segments(ctx, as_of=as_of, window_days=args.window)


def cmd_members_rfm(args: Any) -> int:
    from ..services.reports import members_rfm

    with open_ctx(args) as ctx:
        _member_viewer(ctx, args)
        report = _rfm(ctx, args)
        if args.segment:
            report = members_rfm.only_segment(report, args.segment)
        files = write_files(args, report, ctx.till.store_name)
    doc = report.to_json()
    if files:
        doc["files"] = files
    emit(args, doc, report_text(report))
    return 0


def cmd_members_export(args: Any) -> int:
    from ..services.reports import members_rfm

    with open_ctx(args) as ctx:
        _member_viewer(ctx, args)
        report = _rfm(ctx, args)
        doc = members_rfm.export_segment(report, args.segment, Path(args.csv_file))
    emit(args, doc, _("{n} members of segment {segment} written to {path}").format(
        n=doc["members"], segment=doc["segment"], path=doc["file"]))
    return 0


def cmd_members_history(args: Any) -> int:
    from ..services.reports import members_rfm

    with open_ctx(args) as ctx:
        _member_viewer(ctx, args)
        doc = members_rfm.member_history(ctx, args.code, parse_date(args.date_from, "--from"),
                                         parse_date(args.date_to, "--to"))
    lines = [_("{code} {name}: {n} purchases, {total} net").format(code=doc["member"]["code"],
                                                                   name=doc["member"]["name"], n=doc["purchases"],
                                                                   total=doc["net_spent"])]
    lines += [f'{e["created_at"][:16]}  {e["receipt_no"]:<18} {e["kind"]:<7} {e["total"]:>10}' for e in doc["events"]]
    emit(args, doc, lines)
    return 0


# ---------------------------------------------------------------------------------------------- output
def write_files(args: Any, report: Any, store_name: str) -> dict[str, Any]:
    from ..services.reports import export, pdf

    files: dict[str, Any] = {}
    if getattr(args, "pdf", None):
        files["pdf"] = str(pdf.write_pdf(report, _path(args.pdf), store_name))
    if getattr(args, "csv_file", None):
        files["csv"] = [str(p) for p in export.write_csv(report, _path(args.csv_file))]
    if getattr(args, "xlsx", None):
        files["xlsx"] = str(export.write_xlsx(report, _path(args.xlsx)))
    return files


def _path(text: str) -> Path:
    if not text or text.startswith("-"):
        raise UsageError(_("Give a file name, not {text!r}").format(text=text))
    return Path(text)


def _listed(paths: Any) -> list[str]:
    return paths if isinstance(paths, list) else [paths]


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def report_text(report: Any, max_rows: int = 200) -> list[str]:
    """The report's tables as aligned text (the first ``max_rows`` rows of each)."""
    from ..services.reports.table import TEXT, json_value

    lines = [report.title + "  " + "  ".join(f"{k}={v}" for k, v in report.params.items()
                                             if v not in (None, "") and k not in ("store", "currency"))]
    for table in report.tables:
        rows = table.rows[:max_rows] + ([table.totals] if table.totals is not None else [])
        cells = [[c.label for c in table.columns]]
        cells += [["" if (v := json_value(row.get(c.key), c.kind, report.places)) is None else str(v)
                   for c in table.columns] for row in rows]
        widths = [max(_width(r[i]) for r in cells) for i in range(len(table.columns))]
        if len(report.tables) > 1:
            lines += ["", table.title]
        for r in cells:
            lines.append("  ".join(
                (text + " " * (w - _width(text))) if c.kind == TEXT else (" " * (w - _width(text)) + text)
                for text, w, c in zip(r, widths, table.columns)).rstrip())
        if len(table.rows) > max_rows:
            lines.append(_("… {n} more rows (use --json, --csv or --xlsx for all)").format(n=len(table.rows) - max_rows))
    return lines + list(report.notes)
