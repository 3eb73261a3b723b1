"""Receipts as ESC/POS bytes: a core ``Receipt`` (or a return's JSON) laid out for 58 or 80 mm paper.

Columns are display columns (a Chinese character takes two), measured the way the printer draws them. The
shop's own words (``receipt_header``, ``receipt_footer``) are passed in as strings: this layer never reads
the database. Every function returns one bytes blob, sent to the printer in one write.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import Any

from drivers.errors import CjkFontMissing
from drivers.printing import PrinterProfile, ReceiptDocument, display_width

from ..core.i18n import _
from ..core.labels import method_name
from ..core.money import format_money, format_qty
from ..core.receipt import Receipt


# Bilingual on purpose: the customer and the cashier read the same paper. Literals inside _() so that
# xgettext finds them.
def copy_mark() -> str:
    return _("COPY / 重印")


def voided_mark() -> str:
    return _("VOIDED / 已作废")


def return_mark() -> str:
    return _("RETURN / 退货")


@dataclass(frozen=True)
class ReceiptStyle:
    """How this shop's receipts look on this printer: the printer profile plus the ``[printer]`` choices."""

    profile: PrinterProfile = field(default_factory=PrinterProfile)
    barcode: str = "code128"  # code128 | qr | none: how the receipt number is printed
    cut: str = "partial"  # full | partial | none
    header: str = ""  # the receipt_header setting: printed under the store name
    footer: str = ""  # the receipt_footer setting

    @property
    def width(self) -> int:
        return self.profile.width


def method_label(method: str) -> str:
    return method_name(method)


def _when(created_at: str) -> str:
    return created_at.replace("T", " ")[:19]


def _qty(qty: Decimal) -> str:
    text = format_qty(qty)
    return text.rstrip("0").rstrip(".") if "." in text else text


def _rate(rate: Decimal) -> str:
    return f"{(rate * 100).normalize():f}%"


def _big(doc: ReceiptDocument, text: str, *, height: int = 1) -> None:
    """Centred bold text, at double width when it fits one line that way."""
    fits = display_width(text, ambiguous=doc.ambiguous) * 2 <= doc.profile.width
    with doc.styled(align="center", bold=True, width=2 if fits else 1, height=height):
        doc.wrapped(text)


def _mark(doc: ReceiptDocument, text: str) -> None:
    _big(doc, text)


def _head(doc: ReceiptDocument, style: ReceiptStyle, store_name: str, marks: list[str]) -> None:
    _big(doc, store_name, height=2)
    if style.header.strip():
        with doc.styled(align="center"):
            for line in style.header.strip().splitlines():
                doc.wrapped(line)
    for mark in marks:
        _mark(doc, f"*** {mark} ***")


def _number_code(doc: ReceiptDocument, style: ReceiptStyle, number: str) -> None:
    if style.barcode == "none":
        return
    doc.feed(1)
    if style.barcode == "qr":
        doc.qr(number, size=5)
        return
    # CODE128 set B: 11 modules a character plus start, check and stop; thinner bars on narrow paper
    module = 2 if (len(number) * 11 + 35) * 2 <= doc.profile.paper_dots else 1
    doc.barcode(number, "CODE128", height=60, module=module)


def _tail(doc: ReceiptDocument, style: ReceiptStyle, number: str, marks: list[str]) -> None:
    _number_code(doc, style, number)
    for mark in marks:
        _mark(doc, f"*** {mark} ***")
    if style.footer.strip():
        with doc.styled(align="center"):
            for line in style.footer.strip().splitlines():
                doc.wrapped(line)
    if style.cut != "none":
        doc.cut(partial=style.cut == "partial")
    else:
        doc.feed(4)


def text_job(lines: list[str], style: ReceiptStyle) -> bytes:
    """Plain text lines (a goods-received note, a report laid out elsewhere) as one printer job: the printer's
    own encoding, the raster fallback for what it cannot print, then the cut."""
    def build(doc: ReceiptDocument) -> None:
        for line in lines:
            doc.line(line)
        if style.cut != "none":
            doc.cut(partial=style.cut == "partial")
        else:
            doc.feed(4)
    return _document(style, build)


def _document(style: ReceiptStyle, build) -> bytes:  # type: ignore[no-untyped-def]
    """Run ``build(doc)``; when a line needs the raster fallback and no CJK font exists, print ``?`` instead."""
    try:
        doc = ReceiptDocument(style.profile)
        build(doc)
        return doc.to_bytes()
    except CjkFontMissing:
        doc = ReceiptDocument(replace(style.profile, fallback="replace"))
        build(doc)
        return doc.to_bytes()


# -------------------------------------------------------------------------------------------------- sales
def sale_receipt(receipt: Receipt, style: ReceiptStyle, *, copy: bool = False) -> bytes:
    """The customer's receipt of a completed sale; ``copy`` marks a reprint, ``receipt.voided`` a void."""
    return _document(style, lambda doc: _sale(doc, receipt, style, copy))


def _sale(doc: ReceiptDocument, receipt: Receipt, style: ReceiptStyle, copy: bool) -> None:
    m = lambda amount: format_money(amount, receipt.places)
    marks = ([copy_mark()] if copy else []) + ([voided_mark()] if receipt.voided else [])
    _head(doc, style, receipt.store_name, marks)
    doc.pair(_("Receipt"), receipt.receipt_no)
    doc.pair(_when(receipt.created_at), _("Till {till}").format(till=receipt.till_code))
    doc.pair(_("Cashier"), receipt.cashier)
    doc.rule()
    for line in receipt.lines:
        doc.wrapped(line.name)
        doc.pair(f"  {_qty(line.qty)} x {m(line.unit_price)}", m(line.gross))
        if line.discount:
            doc.pair("  " + _("Discount"), "-" + m(line.discount))
    doc.rule()
    doc.pair(_("Items"), str(len(receipt.lines)))
    doc.pair(_("Subtotal"), m(receipt.subtotal))
    if receipt.discount_total:
        doc.pair(_("Discounts"), "-" + m(receipt.discount_total))
    with doc.styled(bold=True, height=2):
        doc.pair(_("TOTAL"), m(receipt.total))
    if receipt.rounding:
        doc.pair(_("Rounding"), m(receipt.rounding))
    for method, amount in receipt.payments:
        doc.pair(method_label(method), m(amount))
    doc.pair(_("Change"), m(receipt.change))
    _tax_summary(doc, receipt)
    if receipt.customer:
        doc.rule()
        doc.pair(_("Member"), receipt.customer)
        doc.pair(_("Points earned"), str(receipt.points_earned))
        if receipt.points_balance is not None:
            doc.pair(_("Points balance"), str(receipt.points_balance))
    _tail(doc, style, receipt.receipt_no, [voided_mark()] if receipt.voided else [])


def _tax_summary(doc: ReceiptDocument, receipt: Receipt) -> None:
    summary = receipt.tax_summary()
    if not summary:
        return
    m = lambda amount: format_money(amount, receipt.places)
    doc.rule()
    third = (doc.columns - 2) // 3
    widths = [doc.columns - 2 - 2 * third, third, third]
    doc.row([_("Tax rate"), _("Amount"), _("Tax")], widths, ["left", "right", "right"])
    for rate, (net, tax) in sorted(summary.items()):
        doc.row([_rate(rate), m(net), m(tax)], widths, ["left", "right", "right"])


# ------------------------------------------------------------------------------------------------ returns
def return_slip(result: Mapping[str, Any], style: ReceiptStyle, *, store_name: str, till_code: str = "",
                cashier: str = "", names: Mapping[str, str] | None = None, copy: bool = False) -> bytes:
    """The slip of a return, from ``ReturnResult.to_json()`` (amounts are already formatted strings).

    ``names`` maps SKUs to product names when the caller has them; otherwise the SKU is printed.
    """
    return _document(style, lambda doc: _return(doc, result, style, store_name, till_code, cashier,
                                                names or {}, copy))


def _return(doc: ReceiptDocument, result: Mapping[str, Any], style: ReceiptStyle, store_name: str,
            till_code: str, cashier: str, names: Mapping[str, str], copy: bool) -> None:
    marks = [return_mark()] + ([copy_mark()] if copy else [])
    _head(doc, style, store_name, marks)
    doc.pair(_("Return"), str(result["receipt_no"]))
    doc.pair(_("Original receipt"), str(result["original_receipt"]))
    doc.pair(_when(str(result["created_at"])), _("Till {till}").format(till=till_code) if till_code else "")
    if cashier:
        doc.pair(_("Cashier"), cashier)
    doc.rule()
    for line in result.get("lines", []):
        sku = str(line.get("sku", ""))
        doc.wrapped(names.get(sku) or sku)
        doc.pair(f"  x {_qty(Decimal(str(line['qty'])))}", "-" + str(line["amount"]))
    doc.rule()
    with doc.styled(bold=True, height=2):
        doc.pair(_("REFUND"), str(result["total"]))
    for refund in result.get("refunds", []):
        doc.pair(method_label(str(refund["method"])), str(refund["amount"]))
    doc.pair(_("Tax included"), str(result.get("tax_total", "")))
    _tail(doc, style, str(result["receipt_no"]), [])


# -------------------------------------------------------------------------------------------- test page
def printer_test_page(style: ReceiptStyle, *, printer_name: str = "") -> bytes:
    """A page that shows whether Chinese, the paper width, styles, codes and the cutter work."""
    def build(doc: ReceiptDocument) -> None:
        with doc.styled(align="center", bold=True, width=2, height=2):
            doc.line("打印测试")
        with doc.styled(align="center"):
            doc.line(_("Printer test"))
        doc.rule("=")
        doc.pair(_("Encoding"), style.profile.encoding)
        doc.pair(_("Columns"), str(style.width))
        if printer_name:
            doc.wrapped(printer_name)
        doc.line(("1234567890" * 8)[: style.width])
        doc.line("中文测试：收银台 找零 谢谢惠顾")
        doc.pair("可口可乐 Coca-Cola 330ml", "3.50")
        with doc.styled(bold=True):
            doc.pair("合计 TOTAL", "3.50")
        _number_code(doc, style, "TEST-0001")
        if style.cut != "none":
            doc.cut(partial=style.cut == "partial")
        else:
            doc.feed(4)
    return _document(style, build)
