"""Shelf-edge labels and barcode labels as PDF (reportlab), for chosen SKUs or for every price change since a date.

- Shelf-edge labels: A4, 3 × 8 labels of 70 × 37 mm: name (Chinese through reportlab's built-in CID font
  STSong-Light, so no font file is needed), price large, member price, unit, SKU, the barcode (EAN-13/EAN-8
  when the code is one, Code 128 otherwise) and the date the price is valid from.
- Barcode labels: A4, 4 × 10 labels of 52.5 × 29.7 mm: name, barcode, price.
The price is the one valid now (``price_versions``); "changed since" selects products with a price version
that became valid on or after that date (local midnight) and not later than now. Reads only.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal
from pathlib import Path

from ..core.barcodes import GTIN_LENGTHS
from ..core.clock import utc_text
from ..core.errors import InvalidInput, NotFound
from ..core.gs1 import has_valid_check_digit
from ..core.i18n import _
from ..core.money import format_money, from_minor
from ..store import sql
from .context import Context

CJK_FONT = "STSong-Light"
MM = 72 / 25.4
LAYOUTS = {  # kind: (columns, rows, label width mm, label height mm)
    "shelf": (3, 8, 70.0, 297 / 8),
    "barcode": (4, 10, 52.5, 29.7),
}
CURRENCY_SIGNS = {"CNY": "¥", "JPY": "¥", "HKD": "HK$", "TWD": "NT$", "MOP": "MOP$", "USD": "$", "EUR": "€"}


@dataclass(frozen=True)
class LabelItem:
    sku: str
    name: str
    unit: str
    price: Decimal
    member_price: Decimal | None
    barcode: str | None
    valid_from: str


@dataclass(frozen=True)
class LabelSheet:
    path: Path
    kind: str
    labels: int
    pages: int
    skus: tuple[str, ...]

    def to_json(self) -> dict[str, object]:
        return {"pdf": str(self.path), "kind": self.kind, "labels": self.labels, "pages": self.pages,
                "skus": list(self.skus)}


def label_items(ctx: Context, *, skus: Iterable[str] = (), changed_since: date | None = None) -> list[LabelItem]:
    """The products to label with today's price: the SKUs named (an unknown one raises), plus every product
    whose price changed since ``changed_since``. Neither given: an error (a million labels is never meant)."""
    skus = list(dict.fromkeys(skus))
    if not skus and changed_since is None:
        raise InvalidInput(_("Name the SKUs to label or give --changed-since"), code="nothing_to_label")
    now = utc_text(ctx.clock.now())
    with ctx.db.read() as session:
        conn = sql.dbapi(session.connection())
        ids = []
        for sku in skus:
            found = sql.scalar(conn, "SELECT id FROM products WHERE sku = ?", sku)
            if found is None:
                raise NotFound(_("Unknown SKU {sku}").format(sku=sku), code="unknown_product")
            ids.append(found)
        if changed_since is not None:
            since = utc_text(datetime.combine(changed_since, time(), tzinfo=ctx.clock.now().tzinfo))
            ids += [pid for (pid,) in conn.execute(
                "SELECT DISTINCT pv.product_id FROM price_versions pv JOIN products p ON p.id = pv.product_id "
                "WHERE pv.valid_from >= ? AND pv.valid_from <= ? AND p.active ORDER BY p.sku", (since, now))
                if pid not in ids]
        return [item for item in (_item(conn, pid, now, ctx.places) for pid in ids) if item is not None]


def _item(conn, product_id: str, now: str, places: int) -> LabelItem | None:  # type: ignore[no-untyped-def]
    row = sql.one(conn, """
        SELECT p.sku, p.name, p.unit, pv.price_minor, pv.member_price_minor, pv.valid_from FROM products p
        JOIN price_versions pv ON pv.rowid = (SELECT rowid FROM price_versions WHERE product_id = p.id
                                              AND valid_from <= ? ORDER BY valid_from DESC, rowid DESC LIMIT 1)
        WHERE p.id = ?""", now, product_id)
    if row is None:
        return None  # no price yet: nothing to put on a shelf
    sku, name, unit, price, member, valid_from = row
    codes = [c for (c,) in conn.execute("SELECT code FROM barcodes WHERE product_id = ? ORDER BY "
                                        "pack_qty_milli != 1000, length(code) != 13, code", (product_id,))]
    return LabelItem(sku, name, unit, from_minor(price, places),
                     from_minor(member, places) if member is not None else None,
                     codes[0] if codes else None, valid_from[:10])


def make_labels(ctx: Context, path: Path, *, skus: Iterable[str] = (), changed_since: date | None = None,
                kind: str = "shelf") -> LabelSheet:
    """Write the labels of ``label_items`` to ``path`` as one PDF; returns what was written."""
    if kind not in LAYOUTS:
        raise InvalidInput(_("The kind of label is shelf or barcode, not {kind}").format(kind=kind), code="bad_kind")
    items = label_items(ctx, skus=skus, changed_since=changed_since)
    if not items:
        raise InvalidInput(_("No product to label: none has a price change since {date}").format(
            date=changed_since), code="nothing_to_label")
    pages = render(items, Path(path), kind=kind, currency=ctx.till.currency, places=ctx.places)
    return LabelSheet(Path(path), kind, len(items), pages, tuple(i.sku for i in items))


def render(items: list[LabelItem], path: Path, *, kind: str = "shelf", currency: str = "CNY",
           places: int = 2) -> int:
    """Draw ``items`` onto A4 pages of labels; returns the number of pages."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen.canvas import Canvas

    _register_fonts()
    columns, rows, width, height = LAYOUTS[kind]
    per_page = columns * rows
    canvas = Canvas(str(path), pagesize=A4)
    canvas.setTitle(_("Shelf labels") if kind == "shelf" else _("Barcode labels"))
    sign = CURRENCY_SIGNS.get(currency.upper(), currency.upper() + " ")
    pages = 0
    for start in range(0, len(items), per_page):
        pages += 1
        for n, item in enumerate(items[start:start + per_page]):
            col, row = n % columns, n // columns
            x, y = col * width * MM, A4[1] - (row + 1) * height * MM
            draw = _shelf_label if kind == "shelf" else _barcode_label
            draw(canvas, item, x, y, width * MM, height * MM, sign, places)
        canvas.showPage()
    canvas.save()
    return pages


def _register_fonts() -> None:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont

    if CJK_FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(CJK_FONT))


def _shelf_label(canvas, item: LabelItem, x: float, y: float, w: float, h: float,  # type: ignore[no-untyped-def]
                 sign: str, places: int) -> None:
    pad = 2.5 * MM
    canvas.setLineWidth(0.3)
    canvas.setStrokeGray(0.6)
    canvas.rect(x + 1, y + 1, w - 2, h - 2)
    canvas.setFillGray(0)
    top = y + h - pad - 9
    for line in _wrap(item.name, 9, w - 2 * pad)[:2]:
        _mixed(canvas, x + pad, top, line, 9)
        top -= 11
    price = sign + format_money(item.price, places)
    canvas.setFont("Helvetica-Bold", 20)
    canvas.drawRightString(x + w - pad, y + pad + 9, price)
    per = "/" + item.unit if item.unit and item.unit != "pcs" else ""
    _text(canvas, x + w - pad, y + pad + 2, f"{per}  {item.valid_from}", 7)
    if item.member_price is not None:
        amount = sign + format_money(item.member_price, places)
        _text(canvas, x + w - pad, y + pad + 32, amount, 9, bold=True)
        _text(canvas, x + w - pad - _width(amount, 9, bold=True) - 3, y + pad + 32, _("Member price"), 8)
    canvas.setFont("Helvetica", 6)
    canvas.drawString(x + pad, y + pad + 1, item.sku)
    if item.barcode:
        _barcode(canvas, item.barcode, x + pad, y + pad + 8, w * 0.48, h * 0.38)


def _latin(char: str) -> bool:
    try:
        char.encode("cp1252")
    except UnicodeEncodeError:
        return False
    return True


def _runs(text: str, bold: bool = False) -> list[tuple[str, str]]:
    """(font, text) runs: Helvetica for what it can show (Latin letters look like Latin letters, digits stay
    digits in the PDF), the CJK font for the rest."""
    runs: list[tuple[str, str]] = []
    latin = "Helvetica-Bold" if bold else "Helvetica"
    for char in text:
        font = latin if _latin(char) else CJK_FONT
        if runs and runs[-1][0] == font:
            runs[-1] = (font, runs[-1][1] + char)
        else:
            runs.append((font, char))
    return runs


def _width(text: str, size: float, bold: bool = False) -> float:
    from reportlab.pdfbase.pdfmetrics import stringWidth

    return sum(stringWidth(part, font, size) for font, part in _runs(text, bold))


def _mixed(canvas, x: float, y: float, text: str, size: float, bold: bool = False) -> None:  # type: ignore[no-untyped-def]
    from reportlab.pdfbase.pdfmetrics import stringWidth

    for font, part in _runs(text, bold):
        canvas.setFont(font, size)
        canvas.drawString(x, y, part)
        x += stringWidth(part, font, size)


def _text(canvas, right: float, y: float, text: str, size: float, bold: bool = False) -> None:  # type: ignore[no-untyped-def]
    _mixed(canvas, right - _width(text, size, bold), y, text, size, bold)


def _barcode_label(canvas, item: LabelItem, x: float, y: float, w: float, h: float,  # type: ignore[no-untyped-def]
                   sign: str, places: int) -> None:
    pad = 2 * MM
    name = _wrap(item.name, 7, w - 2 * pad)[0] if item.name else ""
    _mixed(canvas, x + pad, y + h - pad - 7, name, 7)
    canvas.setFont("Helvetica-Bold", 9)
    canvas.drawRightString(x + w - pad, y + pad, sign + format_money(item.price, places))
    canvas.setFont("Helvetica", 5)
    canvas.drawString(x + pad, y + pad, item.sku)
    if item.barcode:
        # EAN digits hang below a drawing's origin: keep the bars clear of the price line
        _barcode(canvas, item.barcode, x + pad, y + pad + 16, w - 2 * pad, h - 2 * pad - 27)


def _barcode(canvas, code: str, x: float, y: float, w: float, h: float) -> None:  # type: ignore[no-untyped-def]
    """EAN-13 / EAN-8 for such codes (with their digits under the bars), Code 128 for anything else; scaled
    into the box."""
    from reportlab.graphics import renderPDF
    from reportlab.graphics.barcode import createBarcodeDrawing

    if code.isdigit() and len(code) in GTIN_LENGTHS and len(code) in (8, 13) and has_valid_check_digit(code):
        drawing = createBarcodeDrawing("EAN13" if len(code) == 13 else "EAN8", value=code[:-1], barHeight=h * 0.8)
    else:
        drawing = createBarcodeDrawing("Code128", value=code, barHeight=h * 0.7, humanReadable=True, fontSize=6)
    scale = min(w / drawing.width, h / drawing.height)
    drawing.scale(scale, scale)
    drawing.width, drawing.height = drawing.width * scale, drawing.height * scale
    renderPDF.draw(drawing, canvas, x, y)


def _wrap(text: str, size: float, width: float) -> list[str]:
    """Break ``text`` into lines no wider than ``width`` (at spaces, or between any two Chinese characters)."""
    lines, current = [], ""
    for char in text:
        trial = current + char
        if _width(trial, size) <= width or not current:
            current = trial
            continue
        cut = current.rfind(" ")
        if char != " " and cut > 0 and ord(char) < 0x2E80:   # keep a Latin word whole
            lines.append(current[:cut])
            current = current[cut + 1:] + char
        else:
            lines.append(current.rstrip())
            current = char.lstrip()
    if current:
        lines.append(current)
    return lines
