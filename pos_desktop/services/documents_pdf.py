"""Back-office documents as PDF (reportlab): the goods-received note.

Chinese text needs a CJK font. reportlab's built-in CID font ``STSong-Light`` (Adobe's Song, Simplified
Chinese) needs no font file: the PDF names the font and the viewer supplies it, so this works on a till with no
fonts installed. Viewers' stand-in CJK fonts often lack Latin glyphs under that CID encoding, so every text is
split into runs: wide (CJK) characters in ``STSong-Light``, everything else in Helvetica (one of the PDF
standard fonts every viewer has).
"""

from __future__ import annotations

import unicodedata
from pathlib import Path
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from ..core.i18n import _
from ..core.money import format_money, format_qty
from .receiving import GoodsReceivedNote

CJK_FONT = "STSong-Light"
LATIN_FONT = "Helvetica"


def _font() -> str:
    if CJK_FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(CJK_FONT))
    return CJK_FONT


def _wide(char: str) -> bool:
    return unicodedata.east_asian_width(char) in "WF"


def rich(text: str) -> str:
    """Paragraph markup for ``text`` with CJK runs in the CID font and the rest in Helvetica."""
    out, run, wide = [], "", None
    for char in text:
        if wide is not None and _wide(char) != wide:
            out.append(f'<font name="{CJK_FONT if wide else LATIN_FONT}">{escape(run)}</font>')
            run = ""
        wide = _wide(char)
        run += char
    if run:
        out.append(f'<font name="{CJK_FONT if wide else LATIN_FONT}">{escape(run)}</font>')
    return "".join(out)


def write_grn_pdf(note: GoodsReceivedNote, path: Path) -> Path:
    """Write the note to ``path`` (A4, one table of lines, totals and signature boxes); returns ``path``."""
    _font()
    title = ParagraphStyle("title", fontName=LATIN_FONT, fontSize=15, leading=20, spaceAfter=6)
    body = ParagraphStyle("body", fontName=LATIN_FONT, fontSize=8, leading=10)
    right = ParagraphStyle("right", parent=body, alignment=2)
    cell = lambda text: Paragraph(rich(str(text)), body)
    num = lambda text: Paragraph(rich(str(text)), right)
    m = lambda amount: "" if amount is None else format_money(amount, note.places)
    head = [[cell(_("Receipt")), cell(note.receipt_no), cell(_("Date")), cell(note.created_at)],
            [cell(_("Supplier")), cell(note.supplier or "-"), cell(_("Purchase order")), cell(note.po or "-")],
            [cell(_("Location")), cell(note.location), cell(_("Received by")), cell(note.received_by)]]
    rows = [[cell(t) for t in ("#", _("SKU"), _("Product"), _("Lot"), _("Expiry"))]
            + [num(t) for t in (_("Ordered"), _("Accepted"), _("Rejected"), _("Unit cost"), _("Value"))]]
    for line in note.lines:
        name = line.name + (f" ({_('rejected')}: {line.reject_reason})" if line.rejected else "")
        rows.append([cell(line.line_no), cell(line.sku), cell(name), cell(line.lot or ""), cell(line.expiry or ""),
                     num(format_qty(line.ordered) if line.ordered is not None else ""), num(format_qty(line.accepted)),
                     num(format_qty(line.rejected) if line.rejected else ""), num(m(line.unit_cost)),
                     num(m(line.value))])
    rows.append(["", "", cell(_("Total accepted value")), "", "", "", "", "", "", num(m(note.total_value))])
    doc = SimpleDocTemplate(str(path), pagesize=A4, leftMargin=12 * mm, rightMargin=12 * mm, topMargin=14 * mm,
                            bottomMargin=14 * mm, title=f"{_('Goods received note')} {note.receipt_no}")
    grid = [("VALIGN", (0, 0), (-1, -1), "TOP")]
    header = Table(head, colWidths=[28 * mm, 62 * mm, 28 * mm, 62 * mm], style=TableStyle(grid))
    lines = Table(rows, repeatRows=1, colWidths=[8 * mm, 20 * mm, 40 * mm, 18 * mm, 19 * mm, 16 * mm, 16 * mm,
                                                 16 * mm, 16 * mm, 17 * mm],
                  style=TableStyle(grid + [
                      ("GRID", (0, 0), (-1, -2), 0.4, colors.grey),
                      ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#EEEEEE")),
                      ("LINEABOVE", (0, -1), (-1, -1), 0.8, colors.black)]))
    signatures = Table([[cell(_("Received by: ____________")), cell(_("Driver: ____________")),
                         cell(_("Checked by: ____________"))]], colWidths=[60 * mm] * 3, style=TableStyle(grid))
    heading = Paragraph(rich(f"{_('Goods received note')} · {note.store}"), title)
    doc.build([heading, header, Spacer(1, 6 * mm), lines, Spacer(1, 12 * mm), signatures])
    return path
