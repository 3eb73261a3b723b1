"""The X or Z report as a PDF (reportlab, A4), from the report's JSON (``zreport``).

Chinese text needs a CJK font. When the till has a TrueType CJK font installed (``POS_CJK_FONT``, or one of
``CJK_FONT_FILES``: WenQuanYi, Droid Sans Fallback, AR PL UMing, Windows' SimHei/YaHei, …), it is *embedded*
(subset to the characters used), so the PDF shows the same everywhere. Otherwise the report falls back to
reportlab's built-in CID font ``STSong-Light``, which needs no file: the PDF names the font and the viewer
supplies one. Noto Sans CJK (Debian's fonts-noto-cjk) has PostScript outlines, which reportlab cannot embed;
it is tried and skipped. Latin text is set in Helvetica either way (wide characters in the CJK font).
Labels are bilingual (English / 中文) so the paper reads the same whatever the till's language.
"""

from __future__ import annotations

import os
import unicodedata
from decimal import Decimal
from pathlib import Path
from typing import Any, Mapping
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfbase.ttfonts import TTFError, TTFont
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from ..core.errors import InvalidInput
from ..core.i18n import _
from ..core.labels import method_name

CID_FONT = "STSong-Light"
EMBEDDED_FONT = "PosCJK"
LATIN_FONT = "Helvetica"
CJK_FONT_FILES = (
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf",
    "/usr/share/fonts/truetype/arphic/uming.ttc",
    "/usr/share/fonts/truetype/arphic/ukai.ttc",
    "C:/Windows/Fonts/simhei.ttf",
    "C:/Windows/Fonts/msyh.ttc",
    "C:/Windows/Fonts/simsun.ttc",
    "/Library/Fonts/Arial Unicode.ttf",
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
)
_chosen: str | None = None


def cjk_font() -> str:
    """The name of the CJK font the PDFs use: an embedded TrueType font when one can be loaded, else the CID
    font. Chosen once per process."""
    global _chosen
    if _chosen is None:
        _chosen = _load_embedded() or _load_cid()
    return _chosen


def font_file() -> str | None:
    """The font file embedded in the PDFs, or None when they use the CID font."""
    return getattr(pdfmetrics.getFont(cjk_font()), "_pos_path", None) if cjk_font() == EMBEDDED_FONT else None


def _load_embedded() -> str | None:
    wanted = os.environ.get("POS_CJK_FONT")
    for path in ([wanted] if wanted else []) + list(CJK_FONT_FILES):
        if not path or not Path(path).is_file():
            continue
        try:
            font = TTFont(EMBEDDED_FONT, path, subfontIndex=0) if path.endswith(".ttc") else TTFont(EMBEDDED_FONT, path)
        except (TTFError, OSError, ValueError, KeyError, AssertionError):
            continue  # PostScript outlines (Noto CJK), a damaged file, …: try the next one
        font._pos_path = path  # type: ignore[attr-defined]
        pdfmetrics.registerFont(font)
        return EMBEDDED_FONT
    return None


def _load_cid() -> str:
    if CID_FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(CID_FONT))
    return CID_FONT


def _wide(char: str) -> bool:
    return unicodedata.east_asian_width(char) in "WF"


def rich(text: str) -> str:
    """Paragraph markup for ``text``: runs of wide (CJK) characters in the CJK font, the rest in Helvetica."""
    font = cjk_font()
    out, run, wide = [], "", None
    for char in text:
        if wide is not None and _wide(char) != wide:
            out.append(f'<font name="{font if wide else LATIN_FONT}">{escape(run)}</font>')
            run = ""
        wide = _wide(char)
        run += char
    if run:
        out.append(f'<font name="{font if wide else LATIN_FONT}">{escape(run)}</font>')
    return "".join(out)


def write_report_pdf(report: Mapping[str, Any], path: Path) -> Path:
    """Write the X or Z report ``report`` (as ``pos report x|z --json`` prints it) to ``path``; returns it."""
    path = Path(path)
    if not path.parent.is_dir():
        raise InvalidInput(_("No folder {folder} to write the PDF into").format(folder=path.parent),
                           code="bad_path")
    body = ParagraphStyle("body", fontName=LATIN_FONT, fontSize=9, leading=12)
    right = ParagraphStyle("right", parent=body, alignment=2)
    title = ParagraphStyle("title", parent=body, fontSize=16, leading=22, spaceAfter=4)
    cell = lambda text: Paragraph(rich(str(text)), body)  # noqa: E731
    num = lambda text: Paragraph(rich(str(text)), right)  # noqa: E731
    kind = str(report.get("kind", "Z"))
    heading = _("Z report / Z 日结报表") if kind == "Z" else _("X report / X 读账报表")
    story: list[Any] = [Paragraph(rich(f'{report.get("store_name", "")}  {heading}'), title)]
    head = [(_("Store / 门店"), f'{report.get("store", "")} {report.get("store_name", "")}'),
            (_("Till / 收银台"), report.get("till", "")), (_("Business day / 营业日"), report["date"]),
            (_("Z number / Z 序号"), report.get("z_number") if report.get("z_number") is not None else "-"),
            (_("Closed at / 结账时间") if kind == "Z" else _("Printed at / 打印时间"),
             report.get("closed_at") or report.get("generated_at") or ""),
            (_("Closed by / 结账人"), report.get("closed_by") or "-")]
    story.append(_table([[cell(k), cell(v)] for k, v in head], [55 * mm, 120 * mm]))
    story.append(Spacer(1, 4 * mm))
    figures = [(_("Sales / 销售笔数"), report["sales_count"]), (_("Gross sales / 销售总额"), report["gross_sales"]),
               (_("Discounts / 折扣"), report["discounts"]),
               (_("Returns / 退货 ({n})").format(n=report["returns_count"]), report["returns"]),
               (_("Net sales / 净销售额"), report["net_sales"]), (_("Tax / 税额"), report["tax_total"]),
               (_("Voids / 作废 ({n})").format(n=report["voids_count"]), report.get("voids_amount", "")),
               (_("No-sales / 无销售开箱"), report.get("no_sales_count", 0)),
               (_("First receipt / 首张小票"), report.get("first_receipt") or "-"),
               (_("Last receipt / 末张小票"), report.get("last_receipt") or "-"),
               (_("Grand total / 累计总额"), report["grand_total"])]
    story.append(_table([[cell(k), num(v)] for k, v in figures], [90 * mm, 50 * mm], bold_row=4))
    sections = [
        (_("By tender / 按支付方式"), [(method_name(m), a) for m, a in report["by_tender"].items()]),
        (_("By category / 按品类"), [(n, v["net_sales"]) for n, v in report.get("by_category", {}).items()]),
        (_("By cashier / 按收银员"), [(f'{n} ({v["sales_count"]})', v["net_sales"])
                                    for n, v in report.get("by_cashier", {}).items()]),
        (_("By hour / 按小时"), [(f'{h}:00 ({v["sales_count"]})', v["net_sales"])
                                for h, v in report.get("by_hour", {}).items()]),
    ]
    rates = [[cell(_("Tax rate / 税率")), num(_("Amount / 金额")), num(_("Tax / 税额"))]] + \
        [[cell(_percent(rate)), num(v["net"]), num(v["tax"])] for rate, v in report["by_tax_rate"].items()]
    rates_title = _("By tax rate / 按税率")
    story += [Spacer(1, 4 * mm), Paragraph(f"<b>{rich(rates_title)}</b>", body),
              _table(rates, [50 * mm, 45 * mm, 45 * mm], bold_row=0)]
    for name, pairs in sections:
        if pairs:
            story += [Spacer(1, 4 * mm), Paragraph(f"<b>{rich(name)}</b>", body),
                      _table([[cell(k), num(v)] for k, v in pairs], [90 * mm, 50 * mm])]
    doc = SimpleDocTemplate(str(path), pagesize=A4, leftMargin=15 * mm, rightMargin=15 * mm, topMargin=15 * mm,
                            bottomMargin=15 * mm, title=f'{heading} {report["date"]}',
                            author=str(report.get("store", "")))
    doc.build(story)
    return path


def _table(rows: list[list[Any]], widths: list[float], bold_row: int | None = None) -> Table:
    style = [("VALIGN", (0, 0), (-1, -1), "TOP"), ("LINEBELOW", (0, 0), (-1, -1), 0.25, colors.lightgrey)]
    if bold_row is not None:
        style.append(("BACKGROUND", (0, bold_row), (-1, bold_row), colors.whitesmoke))
    return Table(rows, colWidths=widths, style=TableStyle(style), hAlign="LEFT")


def _percent(rate: str) -> str:
    return f"{(Decimal(rate) * 100).normalize():f}%"
