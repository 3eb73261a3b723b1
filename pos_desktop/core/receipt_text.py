"""A receipt laid out as lines of text, measured in display columns (a Chinese character takes two).

The printer glue sends these lines through ESC/POS; the CLI prints them as they are.
"""

from __future__ import annotations

import unicodedata

from .i18n import _
from .labels import method_name
from .money import format_money, format_qty
from .receipt import Receipt


def width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def clip(text: str, columns: int) -> str:
    out, used = [], 0
    for ch in text:
        w = width(ch)
        if used + w > columns:
            break
        out.append(ch)
        used += w
    return "".join(out)


def pair(left: str, right: str, columns: int) -> str:
    """``left`` and ``right`` on one line, right-aligned; the left side is cut if both do not fit."""
    left = clip(left, max(columns - width(right) - 1, 0))
    return left + " " * max(columns - width(left) - width(right), 1) + right


def center(text: str, columns: int) -> str:
    text = clip(text, columns)
    pad = (columns - width(text)) // 2
    return " " * pad + text


def layout_receipt(receipt: Receipt, columns: int = 48, *, copy: bool = False) -> list[str]:
    m = lambda amount: format_money(amount, receipt.places)  # noqa: E731
    rule = "-" * columns
    lines = [center(receipt.store_name, columns)]
    if copy:
        lines.append(center(_("*** COPY ***"), columns))
    if receipt.voided:
        lines.append(center(_("*** VOIDED ***"), columns))
    lines += [pair(_("Receipt"), receipt.receipt_no, columns),
              pair(receipt.created_at.replace("T", " ")[:19], _("Till {till}").format(till=receipt.till_code),
                   columns),
              pair(_("Cashier"), receipt.cashier, columns), rule]
    for line in receipt.lines:
        lines.append(clip(line.name, columns))
        lines.append(pair(f"  {format_qty(line.qty).rstrip('0').rstrip('.')} x {m(line.unit_price)}",
                          m(line.gross), columns))
        if line.discount:
            lines.append(pair("  " + _("Discount"), "-" + m(line.discount), columns))
    lines += [rule, pair(_("Subtotal"), m(receipt.subtotal), columns)]
    if receipt.discount_total:
        lines.append(pair(_("Discounts"), "-" + m(receipt.discount_total), columns))
    lines.append(pair(_("TOTAL"), m(receipt.total), columns))
    if receipt.rounding:
        lines.append(pair(_("Rounding"), m(receipt.rounding), columns))
    for method, amount in receipt.payments:
        lines.append(pair(method_name(method), m(amount), columns))
    lines.append(pair(_("Change"), m(receipt.change), columns))
    for rate, (net, tax) in sorted(receipt.tax_summary().items()):
        lines.append(pair(_("Tax {rate}%").format(rate=(rate * 100).normalize()), m(tax), columns))
    if receipt.customer:
        lines.append(pair(_("Member"), receipt.customer, columns))
        lines.append(pair(_("Points earned"), str(receipt.points_earned), columns))
        if receipt.points_balance is not None:
            lines.append(pair(_("Points balance"), str(receipt.points_balance), columns))
    return lines
