"""Receipts are built with the document builder and read back with the decoder, like a person reads paper."""

from __future__ import annotations

from dataclasses import replace

import pytest
from PIL import Image, ImageFont

from drivers.errors import CjkFontMissing
from drivers.printing import PrinterProfile, ReceiptDocument, display_width, load_cjk_font
from drivers.printing.raster_text import find_cjk_font
from drivers.sim.escpos_decoder import decode_escpos
from drivers.sim.escpos_events import TextLine

ITEMS = [("可口可乐 Coca-Cola 330ml", "2", "7.00"), ("红富士苹果 Fuji apple", "0.755", "9.06"),
         ("农夫山泉 550ml", "1", "2.00")]
# Big5 printers (Taiwan, Hong Kong) print traditional characters; simplified ones are not in Big5
TO_TRADITIONAL = str.maketrans("乐红苹农计现", "樂紅蘋農計現")
TO_SIMPLIFIED = str.maketrans("樂紅蘋農計現", "乐红苹农计现")


SAME_SCRIPT = str.maketrans("", "")


def sample_receipt(profile: PrinterProfile, script: dict = SAME_SCRIPT) -> ReceiptDocument:
    doc = ReceiptDocument(profile)
    with doc.styled(align="center", bold=True, width=2, height=2):
        doc.line("好又多超市")
    doc.line("S01-T02-000123")
    doc.rule()
    for name, qty, amount in ITEMS:
        doc.pair(name.translate(script), amount)
        doc.line(f"  x{qty}")
    doc.rule()
    with doc.styled(bold=True):
        doc.pair("合计 Total".translate(script), "18.06")
    doc.pair("现金 Cash".translate(script), "20.00").pair("找零 Change", "1.94")
    doc.barcode("S01-T02-000123")
    doc.qr("https://shop.example.cn/r/S01-T02-000123")
    doc.drawer_kick(pin=2, on_ms=50, off_ms=500)
    doc.cut()
    return doc


@pytest.mark.parametrize("encoding, kanji", [("gb18030", False), ("gbk", False), ("gbk", True), ("big5", False)])
@pytest.mark.parametrize("width", [32, 48])
def test_chinese_receipt_reads_back(encoding, kanji, width):
    profile = PrinterProfile(encoding=encoding, width=width, kanji_mode=kanji)
    big5 = encoding == "big5"
    data = sample_receipt(profile, TO_TRADITIONAL if big5 else SAME_SCRIPT).to_bytes()
    receipt = decode_escpos(data, encoding)
    if big5:  # read it back in simplified characters, so the checks below are the same for every printer
        receipt.items = [replace(i, text=i.text.translate(TO_SIMPLIFIED)) if isinstance(i, TextLine) else i
                         for i in receipt.items]
    lines = receipt.lines
    assert lines[0] == "好又多超市"
    assert "S01-T02-000123" in lines
    header = receipt.line_with("好又多超市")
    assert (header.bold, header.width, header.height, header.align) == (True, 2, 2, "center")
    assert receipt.line_with("现金 Cash").bold is False
    total = receipt.line_with("合计 Total")
    assert total.bold and total.text.endswith("18.06")
    apple = receipt.line_with("红富士苹果")
    assert apple.text.endswith("9.06")
    # every text line fits the paper, measured as the printer draws it (GB/Big5 glyphs are full width)
    assert all(display_width(line, ambiguous=2) <= width for line in lines)
    assert [b.data for b in receipt.barcodes] == ["S01-T02-000123"]
    assert receipt.barcodes[0].kind == "CODE128"
    assert [q.data for q in receipt.qr_codes] == ["https://shop.example.cn/r/S01-T02-000123"]
    [pulse] = receipt.drawer_pulses
    assert (pulse.pin, pulse.on_ms, pulse.off_ms) == (2, 50, 500)
    assert [c.partial for c in receipt.cuts] == [False]
    assert receipt.unknown == []


def test_big5_printer_gets_simplified_names_as_images():
    doc = ReceiptDocument(PrinterProfile(encoding="big5"), font=ImageFont.load_default())
    receipt = decode_escpos(doc.line("紅富士蘋果").line("红富士苹果").to_bytes(), "big5")
    assert receipt.lines == ["紅富士蘋果"]
    assert len(receipt.images) == 1


def test_the_job_starts_by_resetting_the_printer():
    data = ReceiptDocument(PrinterProfile(encoding="cp858")).line("Café").to_bytes()
    assert data.startswith(b"\x1b@\x1bt\x13")
    assert decode_escpos(data, "cp858").lines == ["Café"]


@pytest.mark.parametrize("pin, on_ms, off_ms, expected", [
    (2, 50, 500, (2, 50, 500)),
    (5, 100, 200, (5, 100, 200)),
    (5, 25, 1000, (5, 26, 510)),  # rounded to 2 ms units, capped at 255 units
])
def test_drawer_kick_pin_and_times(pin, on_ms, off_ms, expected):
    doc = ReceiptDocument().drawer_kick(pin=pin, on_ms=on_ms, off_ms=off_ms)
    [pulse] = decode_escpos(doc.to_bytes()).drawer_pulses
    assert (pulse.pin, pulse.on_ms, pulse.off_ms) == expected


def test_drawer_pin_must_be_2_or_5():
    with pytest.raises(ValueError):
        ReceiptDocument().drawer_kick(pin=3)


def test_numeric_code128_is_packed_and_still_reads_back():
    doc = ReceiptDocument().barcode("6901234567892").barcode("12345678").barcode("A{B}")
    assert [b.data for b in decode_escpos(doc.to_bytes()).barcodes] == ["6901234567892", "12345678", "A{B}"]
    assert b"{C" in doc.to_bytes()


def test_partial_cut_and_feed():
    doc = ReceiptDocument().line("a").feed(3).cut(partial=True)
    receipt = decode_escpos(doc.to_bytes())
    assert [c.partial for c in receipt.cuts] == [True]
    assert receipt.pages() == [["a"]]


def test_double_width_halves_the_columns():
    doc = ReceiptDocument(PrinterProfile(width=32))
    with doc.styled(width=2):
        assert doc.columns == 16
        doc.pair("合计", "128.50")
    assert doc.columns == 32
    line = decode_escpos(doc.to_bytes()).line_with("合计")
    assert line.width == 2 and display_width(line.text) == 16


def test_row_that_does_not_fit_is_refused():
    with pytest.raises(ValueError):
        ReceiptDocument(PrinterProfile(width=32)).row(["a", "b"], [20, 20])


# ----------------------------------------------------------------------------------------- raster fallback
def _any_font():
    return ImageFont.load_default()  # whatever Pillow can load here; we check image bits, not glyph shapes


def test_lines_the_code_page_cannot_print_become_images():
    doc = ReceiptDocument(PrinterProfile(encoding="cp437", width=48), font=_any_font())
    doc.line("Thank you")
    doc.line("谢谢惠顾 Thank you")
    receipt = decode_escpos(doc.to_bytes(), "cp437")
    assert receipt.lines == ["Thank you"]
    [image] = receipt.images
    assert image.width == 576
    rows = image.ink_rows()
    assert rows and rows[-1] < image.height  # the text band has ink…
    assert image.black_dots() < image.width * image.height // 4  # …and most of the band is paper
    assert not any(image.pixel(x, 0) for x in range(image.width))  # a white margin on top


def test_replace_fallback_prints_question_marks_instead():
    doc = ReceiptDocument(PrinterProfile(encoding="cp437", fallback="replace"))
    assert decode_escpos(doc.line("谢谢 Thanks").to_bytes(), "cp437").lines == ["?? Thanks"]


def test_raster_lines_stack_one_band_per_line():
    doc = ReceiptDocument(PrinterProfile(width=32), font=_any_font())
    doc.raster_lines(["第一行 one", "", "第三行 three"])
    [image] = decode_escpos(doc.to_bytes()).images
    assert image.width == 384
    band = image.height // 3
    ink = image.ink_rows()
    assert any(y < band for y in ink) and any(y >= 2 * band for y in ink)
    assert not any(band + 1 < y < 2 * band - 1 for y in ink)  # the empty middle line stays white


def test_a_logo_wider_than_the_paper_is_scaled_down():
    logo = Image.new("1", (1000, 100), 0)  # all black
    [image] = decode_escpos(ReceiptDocument(PrinterProfile(width=32)).image(logo).to_bytes()).images
    assert image.width == 384 and 30 <= image.height <= 40


def test_missing_cjk_font_is_said_clearly():
    assert find_cjk_font(candidates=(), fontconfig=False) is None
    with pytest.raises(CjkFontMissing, match="font"):
        load_cjk_font(path="/nonexistent/NotoSansCJK-Regular.ttc")
    doc = ReceiptDocument(PrinterProfile(encoding="cp437", font_path="/nonexistent/wqy-microhei.ttc"))
    with pytest.raises(CjkFontMissing):
        doc.line("谢谢")


def test_the_installed_cjk_font_if_any_draws_chinese():
    path = find_cjk_font()
    if path is None:
        with pytest.raises(CjkFontMissing, match="fonts-noto-cjk"):
            load_cjk_font()
        return
    doc = ReceiptDocument(PrinterProfile(encoding="cp437"))
    [image] = decode_escpos(doc.line("谢谢惠顾").to_bytes(), "cp437").images
    assert image.black_dots() > 0
