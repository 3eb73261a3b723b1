"""The Z report as a PDF, checked by extracting its text with ``pdftotext`` (Debian's poppler-utils).

The test fails — it does not skip — when ``pdftotext`` is missing: ``apt-get install -y poppler-utils``.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from pos_desktop.services import zreport, zreport_pdf

from .helpers import sell


def pdf_text(path: Path) -> str:
    tool = shutil.which("pdftotext")
    if tool is None:
        pytest.fail("pdftotext is needed to check the PDF's text: apt-get install -y poppler-utils "
                    "(docs/close-of-day.md)")
    done = subprocess.run([tool, "-layout", "-enc", "UTF-8", str(path), "-"], capture_output=True, check=True,
                          timeout=60)
    return done.stdout.decode("utf-8")


@pytest.fixture
def closed(ctx, cashier, supervisor, manager):
    sell(ctx, cashier, ("COLA", 2), tendered="10.00")
    sell(ctx, cashier, ("MILK", 1), pay="card")
    return zreport.close_day(ctx, manager).report


def check(text: str, report: dict) -> None:
    for words in ("测试店 Test Store", "Z 日结报表", "净销售额", "饮料 Drinks", "乳制品 Dairy", "按支付方式",
                  report["first_receipt"], report["last_receipt"], "2026-11-20"):
        assert words in text, words
    assert "9.80" in text and "13%" in text and "9%" in text           # net sales 7.00 + 2.80, both tax rates


def test_the_pdf_holds_the_report_in_chinese_with_an_embedded_font(closed, tmp_path):
    path = zreport_pdf.write_report_pdf(closed, tmp_path / "z.pdf")
    check(pdf_text(path), closed)
    if zreport_pdf.font_file() is not None:                            # a TrueType CJK font is installed
        assert b"/FontFile2" in path.read_bytes()


def test_without_a_cjk_font_file_the_cid_font_is_used(closed, tmp_path, monkeypatch):
    monkeypatch.setattr(zreport_pdf, "CJK_FONT_FILES", ())
    monkeypatch.setattr(zreport_pdf, "_chosen", None)
    monkeypatch.delenv("POS_CJK_FONT", raising=False)
    path = zreport_pdf.write_report_pdf(closed, tmp_path / "z-cid.pdf")
    assert zreport_pdf.cjk_font() == "STSong-Light" and zreport_pdf.font_file() is None
    assert b"/FontFile2" not in path.read_bytes() and b"STSong-Light" in path.read_bytes()
    check(pdf_text(path), closed)


def test_an_x_report_pdf(ctx, cashier, tmp_path):
    sell(ctx, cashier, ("CHIPS", 1))
    text = pdf_text(zreport_pdf.write_report_pdf(zreport.x_report(ctx), tmp_path / "x.pdf"))
    assert "X 读账报表" in text and "零食 Snacks" in text and "7.90" in text
