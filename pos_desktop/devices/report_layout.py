"""X and Z reports on the receipt printer: the report's JSON (``services.zreport``) laid out as ESC/POS.

This layer never reads the database: the caller passes the report exactly as ``pos report x|z --json``
prints it (money already formatted). ``print_day_report`` sends it in one write; a fault is raised as
``DeviceError`` for the caller to report (the day is closed whether or not the paper comes out, and the stored
Z report can be printed again at any time).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from decimal import Decimal
from typing import Any

from drivers.errors import CjkFontMissing
from drivers.printing import ReceiptDocument, display_width

from ..core.errors import DeviceError
from ..core.i18n import _
from ..core.labels import method_name
from .receipt_layout import ReceiptStyle
from .till_devices import DeviceManager


def report_title(kind: str) -> str:
    return _("Z REPORT / 日结报表") if kind == "Z" else _("X REPORT / 读账报表")


def day_report(report: Mapping[str, Any], style: ReceiptStyle) -> bytes:
    """The report as one ESC/POS blob for the printer of ``style`` (58 or 80 mm)."""
    try:
        doc = ReceiptDocument(style.profile)
        _build(doc, report, style)
        return doc.to_bytes()
    except CjkFontMissing:
        doc = ReceiptDocument(replace(style.profile, fallback="replace"))
        _build(doc, report, style)
        return doc.to_bytes()


def print_day_report(devices: DeviceManager, report: Mapping[str, Any], style: ReceiptStyle) -> int:
    """Print the report; returns the bytes sent. ``DeviceError`` when no printer is set up or it fails."""
    if devices.kind("printer") == "none":
        raise DeviceError(_("No receipt printer is set up: see the [printer] section of config.toml"),
                          code="device_not_configured", device="printer")
    return devices.print_bytes(day_report(report, style)).bytes_sent


def _build(doc: ReceiptDocument, r: Mapping[str, Any], style: ReceiptStyle) -> None:
    _big(doc, str(r.get("store_name") or r.get("store", "")), height=2)
    _big(doc, report_title(str(r.get("kind", "Z"))))
    if r.get("z_number") is not None:
        doc.pair(_("Z number"), f'{int(r["z_number"]):04d}')
    doc.pair(_("Business day"), str(r["date"]))
    doc.pair(_("Store / till"), f'{r.get("store", "")} / {r.get("till", "")}')
    when = r.get("closed_at") or r.get("generated_at") or ""
    doc.pair(_("Closed at") if r.get("kind") == "Z" else _("Printed at"), str(when).replace("T", " ")[:19])
    if r.get("closed_by"):
        doc.pair(_("Closed by"), str(r["closed_by"]))
    doc.rule("=")
    doc.pair(_("Sales"), str(r["sales_count"]))
    doc.pair(_("Gross sales"), str(r["gross_sales"]))
    doc.pair(_("Discounts"), _neg(r["discounts"]))
    doc.pair(_("Returns ({n})").format(n=r["returns_count"]), _neg(r["returns"]))
    with doc.styled(bold=True, height=2):
        doc.pair(_("NET SALES"), str(r["net_sales"]))
    doc.pair(_("Tax"), str(r["tax_total"]))
    doc.pair(_("Voids ({n})").format(n=r["voids_count"]), str(r.get("voids_amount", "")))
    doc.pair(_("No-sales"), str(r.get("no_sales_count", 0)))
    if r.get("rounding") not in (None, "0.00", "0"):
        doc.pair(_("Rounding"), str(r["rounding"]))
    _section(doc, _("By tender"), [(method_name(m), str(a)) for m, a in r["by_tender"].items()])
    _tax_rates(doc, r["by_tax_rate"])
    _section(doc, _("By category"), [(name, str(v["net_sales"])) for name, v in r.get("by_category", {}).items()])
    _section(doc, _("By cashier"), [(f'{name} ({v["sales_count"]})', str(v["net_sales"]))
                                    for name, v in r.get("by_cashier", {}).items()])
    _section(doc, _("By hour"), [(f"{hour}:00 ({v['sales_count']})", str(v["net_sales"]))
                                 for hour, v in r.get("by_hour", {}).items()])
    doc.rule()
    doc.pair(_("First receipt"), str(r.get("first_receipt") or "-"))
    doc.pair(_("Last receipt"), str(r.get("last_receipt") or "-"))
    doc.rule("=")
    with doc.styled(bold=True):
        doc.pair(_("Grand total"), str(r["grand_total"]))
    if r.get("gross_grand_total") is not None:
        doc.pair(_("Gross grand total"), str(r["gross_grand_total"]))
    if style.cut != "none":
        doc.feed(2)
        doc.cut(partial=style.cut == "partial")
    else:
        doc.feed(4)


def _section(doc: ReceiptDocument, title: str, pairs: list[tuple[str, str]]) -> None:
    if not pairs:
        return
    doc.rule()
    with doc.styled(bold=True):
        doc.line(title)
    for left, right in pairs:
        doc.pair(left, right)


def _tax_rates(doc: ReceiptDocument, rates: Mapping[str, Mapping[str, str]]) -> None:
    if not rates:
        return
    doc.rule()
    third = (doc.columns - 2) // 3
    widths = [doc.columns - 2 - 2 * third, third, third]
    doc.row([_("Tax rate"), _("Amount"), _("Tax")], widths, ["left", "right", "right"])
    for rate, figures in rates.items():
        doc.row([_percent(rate), str(figures["net"]), str(figures["tax"])], widths, ["left", "right", "right"])


def _percent(rate: str) -> str:
    return f"{(Decimal(rate) * 100).normalize():f}%"


def _neg(amount: Any) -> str:
    text = str(amount)
    return text if text.startswith("-") or text.strip("0.") == "" else "-" + text


def _big(doc: ReceiptDocument, text: str, *, height: int = 1) -> None:
    fits = display_width(text, ambiguous=doc.ambiguous) * 2 <= doc.profile.width
    with doc.styled(align="center", bold=True, width=2 if fits else 1, height=height):
        doc.wrapped(text)
