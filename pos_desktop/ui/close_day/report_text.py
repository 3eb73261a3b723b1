"""An X or Z report (its JSON, as ``pos report x|z --json`` prints it) as lines of text for the screen."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from ...core.i18n import _
from ...core.labels import method_name


def report_lines(report: Mapping[str, Any]) -> list[str]:
    z = report.get("kind") == "Z"
    lines = [_("Z report {number} · business day {day}").format(number=report.get("z_number"), day=report["date"])
             if z else _("X report (changes nothing) · business day {day}").format(day=report["date"]),
             _("Store {store} · till {till}").format(store=report.get("store", ""), till=report.get("till", "")),
             ""]
    pairs = [(_("Sales"), report["sales_count"]), (_("Returns"), report["returns_count"]),
             (_("Voided sales"), report["voids_count"]), (_("Gross sales"), report["gross_sales"]),
             (_("Discounts"), report["discounts"]), (_("Returned"), report["returns"]),
             (_("Net sales"), report["net_sales"]), (_("Tax"), report["tax_total"])]
    lines += [_pair(label, value) for label, value in pairs]
    lines += ["", _("By tender")]
    lines += [_pair("  " + method_name(method), amount) for method, amount in sorted(report["by_tender"].items())]
    lines += ["", _("By tax rate (net · tax)")]
    for rate, figures in sorted(report["by_tax_rate"].items()):
        percent = f"{(Decimal(rate) * 100).normalize():f} %"
        lines.append(_pair("  " + percent, f'{figures["net"]} · {figures["tax"]}'))
    lines += ["", _pair(_("First receipt"), report.get("first_receipt") or "-"),
              _pair(_("Last receipt"), report.get("last_receipt") or "-"),
              _pair(_("Grand total"), report["grand_total"])]
    return lines


def _pair(label: str, value: Any) -> str:
    return f"{label:<28}{value!s:>16}"
