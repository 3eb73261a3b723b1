"""Reports as PDF (reportlab), Chinese included.

Chinese needs a CJK font: reportlab's built-in CID font ``STSong-Light`` (Adobe's Song for Simplified Chinese)
needs no font file — the PDF names it and the viewer supplies it — so this works on a till with no fonts.
Viewers' stand-in CJK fonts often lack Latin glyphs under that encoding, so text is split into runs: wide
(CJK) characters in ``STSong-Light``, the rest in Helvetica (a PDF standard font every viewer has).

A4, landscape when the table is wide; the title, the store and the parameters on top, each table with its
header repeated on every page, totals shaded, notes below. A table longer than ``MAX_ROWS`` is cut there with
a note (the CSV and XLSX have every row).
"""

from __future__ import annotations

import unicodedata
from pathlib import Path
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table as PdfTable, TableStyle

from ...core.i18n import _
from .export import _check_writable
from .table import TEXT, Report, Table, json_value

CJK_FONT = "STSong-Light"
LATIN_FONT = "Helvetica"
MAX_ROWS = 1000
WIDE = 9          # columns from which the page turns landscape


def _register() -> None:
    if CJK_FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(CJK_FONT))


def _wide(char: str) -> bool:
    return unicodedata.east_asian_width(char) in "WF"


def rich(text: str) -> str:
    """Paragraph markup of ``text`` with CJK runs in the CID font and the rest in Helvetica."""
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


def write_pdf(report: Report, path: Path, store_name: str = "") -> Path:
    """Write ``report`` to ``path``; returns ``path``."""
    path = Path(path)
    _check_writable(path)
    _register()
    widest = max(len(t.columns) for t in report.tables)
    size = landscape(A4) if widest >= WIDE else A4
    font_size = 8 if widest < WIDE else (6.5 if widest < 16 else 5.5)
    title = ParagraphStyle("title", fontName=LATIN_FONT, fontSize=14, leading=18, spaceAfter=4)
    small = ParagraphStyle("small", fontName=LATIN_FONT, fontSize=8, leading=10)
    cell = ParagraphStyle("cell", fontName=LATIN_FONT, fontSize=font_size, leading=font_size + 2)
    head = ParagraphStyle("head", parent=cell, textColor=colors.white)
    story: list = [Paragraph(rich(report.title), title)]
    if store_name:
        story.append(Paragraph(rich(store_name), small))
    shown = [f"{k}: {v}" for k, v in report.params.items() if v not in (None, "") and k not in ("currency",)]
    story.append(Paragraph(rich("  ·  ".join(shown)), small))
    story.append(Spacer(1, 4 * mm))
    for table in report.tables:
        if len(report.tables) > 1:
            story.append(Paragraph(rich(table.title), ParagraphStyle("h2", parent=title, fontSize=11, leading=14)))
        story.append(_table(table, report.places, cell, head, size[0] - 24 * mm))
        if len(table.rows) > MAX_ROWS:
            story.append(Paragraph(rich(_("Only the first {n} of {total} rows are shown; the CSV and XLSX files have "
                                          "them all.").format(n=MAX_ROWS, total=len(table.rows))), small))
        story.append(Spacer(1, 5 * mm))
    for note in report.notes:
        story.append(Paragraph(rich(note), small))
    doc = SimpleDocTemplate(str(path), pagesize=size, leftMargin=12 * mm, rightMargin=12 * mm, topMargin=12 * mm,
                            bottomMargin=12 * mm, title=report.title, author=store_name or "pos")
    doc.build(story)
    return path


def _table(table: Table, places: int, cell: ParagraphStyle, head: ParagraphStyle, width: float) -> PdfTable:
    columns = table.columns
    rows = table.rows[:MAX_ROWS]
    data = [[Paragraph(rich(c.label), head) for c in columns]]
    for row in rows + ([table.totals] if table.totals is not None else []):
        data.append([_text(row.get(c.key), c.kind, places, cell) for c in columns])
    weights = [3.0 if c.kind == TEXT else 1.6 for c in columns]
    widths = [width * w / sum(weights) for w in weights]
    out = PdfTable(data, colWidths=widths, repeatRows=1)
    style = [("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#33475b")),
             ("FONT", (0, 1), (-1, -1), LATIN_FONT, cell.fontSize),
             ("VALIGN", (0, 0), (-1, -1), "TOP"),
             ("GRID", (0, 0), (-1, -1), 0.25, colors.HexColor("#c0c8d0")),
             ("ROWBACKGROUNDS", (0, 1), (-1, -1), [colors.white, colors.HexColor("#f3f5f7")])]
    style += [("ALIGN", (i, 1), (i, -1), "RIGHT") for i, c in enumerate(columns) if c.kind != TEXT]
    if table.totals is not None:
        style.append(("BACKGROUND", (0, -1), (-1, -1), colors.HexColor("#dde3e9")))
    out.setStyle(TableStyle(style))
    return out


def _text(value, kind: str, places: int, style: ParagraphStyle):  # type: ignore[no-untyped-def]
    text = json_value(value, kind, places)
    if text is None:
        return ""
    text = str(text)
    if kind == TEXT and any(_wide(ch) for ch in text):
        return Paragraph(rich(text), style)
    return Paragraph(escape(text), style) if kind == TEXT and len(text) > 14 else text
