"""Receipts laid out from a core Receipt, read back from the ESC/POS bytes the way a person reads the paper."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal as D

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from drivers.printing import PrinterProfile, display_width
from drivers.sim.escpos_decoder import decode_escpos
from pos_desktop.core.cart import Cart
from pos_desktop.devices import ReceiptStyle, printer_test_page, return_slip, sale_receipt
from pos_desktop.services import catalog, checkout, sales_query
from pos_desktop.services.checkout import Tender
from tests.conftest import CHIPS, COLA
from tests.devices.receipts import RETURN_JSON, sample_receipt

ENCODINGS = [("gb18030", False), ("gbk", False), ("gbk", True)]


def style(encoding="gb18030", width=48, kanji=False, **kw) -> ReceiptStyle:
    return ReceiptStyle(PrinterProfile(encoding=encoding, width=width, kanji_mode=kanji), **kw)


def m(amount: D) -> str:
    return f"{amount:.2f}"


def starting(paper, label: str) -> str:
    """The printed line that starts with ``label``."""
    found = [line for line in paper.lines if line.startswith(label + " ")]
    assert found, f"no line starts with {label!r}"
    return found[0]


def fits(lines: list[str], width: int) -> bool:
    return all(display_width(line, ambiguous=2) <= width for line in lines)


@pytest.mark.parametrize("encoding, kanji", ENCODINGS)
@pytest.mark.parametrize("width", [32, 48])
def test_a_sale_reads_back_in_chinese(encoding, kanji, width):
    receipt = sample_receipt(4)
    data = sale_receipt(receipt, style(encoding, width, kanji, header="欢迎光临 Welcome", footer="谢谢惠顾 Thank you"))
    paper = decode_escpos(data, encoding)
    text = paper.text
    assert paper.lines[0].startswith("好又多超市")
    assert "欢迎光临 Welcome" in text and paper.lines[-1] == "谢谢惠顾 Thank you"
    for line in receipt.lines:
        assert line.name[:6] in text
    assert paper.line_with("红富士苹果").text  # the weighed line: name, then qty × price and the amount
    assert any(ln.strip().startswith(f"0.755 x {m(receipt.lines[1].unit_price)}") and ln.endswith(m(receipt.lines[1].gross))
               for ln in paper.lines)
    assert paper.line_with("Discount").text.endswith("-0.50")
    total = paper.line_with("TOTAL")
    assert total.bold and total.text.endswith(m(receipt.total))
    assert starting(paper, "Change").endswith(m(receipt.change))
    assert starting(paper, "Cash").endswith(m(receipt.paid))
    assert starting(paper, "13%").split()[-1] == m(sum(ln.tax for ln in receipt.lines if ln.tax_rate == D("0.13")))
    assert starting(paper, "Member").endswith("M0001")
    assert starting(paper, "Points balance").endswith("1200")
    assert [b.data for b in paper.barcodes] == ["S01-T01-000123"] and paper.barcodes[0].kind == "CODE128"
    assert [c.partial for c in paper.cuts] == [True]
    assert not any("COPY" in line or "VOIDED" in line for line in paper.lines)
    assert fits(paper.lines, width)
    assert paper.unknown == [] and not paper.images  # every character was in the printer's own font


def test_a_reprint_says_copy_and_a_void_says_voided():
    paper = decode_escpos(sale_receipt(sample_receipt(2, voided=True), style(width=32), copy=True))
    assert "*** COPY / 重印 ***" in paper.lines
    assert paper.lines.count("*** VOIDED / 已作废 ***") == 2  # at the top and next to the number
    assert paper.lines.index("*** COPY / 重印 ***") < paper.lines.index("Receipt           S01-T01-000123")
    assert fits(paper.lines, 32)


def test_receipt_number_as_qr_or_not_at_all_and_a_full_cut():
    qr = decode_escpos(sale_receipt(sample_receipt(1), style(barcode="qr", cut="full")))
    assert [q.data for q in qr.qr_codes] == ["S01-T01-000123"] and not qr.barcodes
    assert [c.partial for c in qr.cuts] == [False]
    bare = decode_escpos(sale_receipt(sample_receipt(1), style(barcode="none", cut="none")))
    assert not bare.barcodes and not bare.qr_codes and not bare.cuts


def test_a_sale_without_a_member_has_no_points_and_shows_every_tender():
    receipt = sample_receipt(2, customer=None, payments=(("card", D("10.00")), ("cash", D("100.00"))))
    paper = decode_escpos(sale_receipt(receipt, style()))
    assert "Member" not in paper.text and "Points" not in paper.text
    assert starting(paper, "Card").endswith("10.00") and starting(paper, "Cash").endswith("100.00")


def test_a_real_sale_from_the_checkout_service(ctx, cashier):
    cart = Cart()
    for code in (COLA, COLA, CHIPS):
        found = catalog.lookup_scan(ctx, code)
        cart.add(found.product, found.qty, barcode=found.barcode)
    sold = checkout.complete_sale(ctx, cart, [Tender("cash", D(20))], cashier)
    stored = sales_query.receipt(ctx, sold.receipt_no)
    for receipt in (sold, stored):
        paper = decode_escpos(sale_receipt(receipt, style("gbk", 32)), "gbk")
        assert paper.lines[0] == "测试店 Test Store"
        assert paper.line_with("可口可乐 Coca-Cola 330ml")
        assert paper.line_with("乐事薯片")
        assert paper.line_with("TOTAL").text.endswith(m(sold.total))
        assert starting(paper, "Change").endswith(m(sold.change))
        assert [b.data for b in paper.barcodes] == [sold.receipt_no]


def test_a_return_slip_from_the_return_json():
    paper = decode_escpos(return_slip(RETURN_JSON, style("gbk", 32), store_name="好又多超市", till_code="T01",
                                      cashier="amy", names={"SKU0": "可口可乐 Coca-Cola 330ml"}), "gbk")
    assert paper.lines[0] == "好又多超市"
    assert "*** RETURN / 退货 ***" in paper.lines
    assert paper.line_with("Original receipt").text.endswith("S01-T01-000123")
    assert paper.line_with("可口可乐")
    assert paper.line_with("x 1").text.endswith("-3.15")
    assert paper.line_with("REFUND").text.endswith("3.15")
    assert [b.data for b in paper.barcodes] == ["S01-T01-000124"]
    copy = decode_escpos(return_slip(RETURN_JSON, style(), store_name="S", copy=True))
    assert "*** COPY / 重印 ***" in copy.lines and copy.line_with("SKU0")  # no names: the SKU is printed


@pytest.mark.parametrize("encoding, kanji", ENCODINGS)
def test_the_test_page_prints_chinese(encoding, kanji):
    paper = decode_escpos(printer_test_page(style(encoding, 32, kanji), printer_name="tcp://10.0.0.5:9100"),
                          encoding)
    assert paper.lines[0] == "打印测试"
    assert "中文测试：收银台 找零 谢谢惠顾" in paper.lines
    assert paper.line_with("Encoding").text.endswith(encoding)
    assert "12345678901234567890123456789012" in paper.lines
    assert [b.data for b in paper.barcodes] == ["TEST-0001"]


def test_a_character_outside_gbk_is_drawn_or_replaced_but_the_receipt_prints():
    odd = sample_receipt(1)
    odd = replace(odd, lines=(replace(odd.lines[0], name="𠮷野家 牛丼"),))  # 𠮷 is in GB18030, not in GBK
    paper = decode_escpos(sale_receipt(odd, style("gb18030")))
    assert paper.line_with("𠮷野家 牛丼")
    replaced = ReceiptStyle(PrinterProfile(encoding="gbk", fallback="replace"))
    assert decode_escpos(sale_receipt(odd, replaced), "gbk").line_with("?野家 牛丼")


@settings(max_examples=40, deadline=None)
@given(name=st.text(st.sampled_from("可口乐红富士苹果abcdefgXYZ 0123456789-"), min_size=1, max_size=60),
       header=st.text(st.sampled_from("欢迎光临好又多 Welcome to our shop"), max_size=80),
       width=st.sampled_from([32, 48]))
def test_every_line_fits_the_paper(name, header, width):
    receipt = sample_receipt(2)
    receipt = replace(receipt, lines=(replace(receipt.lines[0], name=name), receipt.lines[1]), store_name=name)
    paper = decode_escpos(sale_receipt(receipt, style("gbk", width, header=header)), "gbk")
    assert fits(paper.lines, width)
