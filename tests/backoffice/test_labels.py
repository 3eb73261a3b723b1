"""Shelf-edge and barcode labels: real PDFs, read back (content streams inflated) to see what was drawn."""

from __future__ import annotations

import base64
import re
import zlib
from dataclasses import replace
from datetime import date
from decimal import Decimal as D

import pytest

from pos_desktop.core.errors import InvalidInput, NotFound
from pos_desktop.services import labels
from pos_desktop.services.products import upsert_products
from pos_desktop.services.unit import write
from tests.conftest import CATALOG


def pdf_text(path) -> tuple[bytes, int]:
    """All content of the PDF (streams inflated) and its number of pages."""
    raw = path.read_bytes()
    assert raw.startswith(b"%PDF-")
    parts = [raw]
    for stream in re.findall(rb"stream\r?\n(.*?)\s*endstream", raw, re.DOTALL):
        data = stream.strip()
        if data.endswith(b"~>"):                    # reportlab: /ASCII85Decode then /FlateDecode
            data = base64.a85decode(data[:-2])
        try:
            parts.append(zlib.decompress(data))
        except zlib.error:
            parts.append(data)
    return b"\n".join(parts), len(re.findall(rb"/Type /Page\b(?!s)", raw))


def test_shelf_labels_for_chosen_skus(ctx, tmp_path):
    with write(ctx) as unit:
        unit.insert("barcodes", {"code": "IN-APPLE", "product_id": unit.conn.execute(
            "SELECT id FROM products WHERE sku = 'APPLE-KG'").fetchone()[0], "pack_qty_milli": 1000})
    sheet = labels.make_labels(ctx, tmp_path / "shelf.pdf", skus=["COLA", "CHIPS", "APPLE-KG"])
    assert (sheet.labels, sheet.pages, sheet.skus) == (3, 1, ("COLA", "CHIPS", "APPLE-KG"))
    content, pages = pdf_text(sheet.path)
    assert pages == 1
    assert b"/STSong-Light" in content                                  # Chinese names, no font file needed
    assert b"3.50" in content and b"7.90" in content and b"12.80" in content
    assert b"6.90" in content                                           # CHIPS' member price
    assert b"901234" in content and b"567892" in content               # COLA's EAN-13 digits under the bars
    assert b"IN-APPLE" in content                                       # Code 128 for a shop's own code
    assert b"Coca-Cola 330ml" in content                                # Latin words in Helvetica
    assert b"/kg" in content                                            # price per kilogram for weighed goods


def test_barcode_labels_fill_pages(ctx, tmp_path):
    many = [replace(CATALOG[0], sku=f"X{n:03d}", name=f"商品 Item {n}", barcodes=()) for n in range(45)]
    with write(ctx) as unit:
        upsert_products(unit, many, 2)
    sheet = labels.make_labels(ctx, tmp_path / "codes.pdf", skus=[p.sku for p in many], kind="barcode")
    assert (sheet.labels, sheet.pages) == (45, 2)                       # 40 a page
    assert pdf_text(sheet.path)[1] == 2


def test_labels_for_every_price_change_since_a_date(ctx, tmp_path, clock):
    chips = next(p for p in CATALOG if p.sku == "CHIPS")
    with write(ctx) as unit:                                            # a new price from now (2026-11-20)
        upsert_products(unit, [replace(chips, price=D("8.50"))], 2)
    items = labels.label_items(ctx, changed_since=date(2026, 11, 20))
    assert [(i.sku, i.price) for i in items] == [("CHIPS", D("8.50"))]
    assert [i.sku for i in labels.label_items(ctx, changed_since=date(2026, 11, 1))] == [
        "APPLE-KG", "CHIPS", "COLA", "MILK", "SOAP"]
    assert [i.sku for i in labels.label_items(ctx, skus=["SOAP"], changed_since=date(2026, 11, 20))] == [
        "SOAP", "CHIPS"]
    sheet = labels.make_labels(ctx, tmp_path / "changed.pdf", changed_since=date(2026, 11, 20))
    assert sheet.skus == ("CHIPS",) and b"8.50" in pdf_text(sheet.path)[0]


def test_what_cannot_be_labelled(ctx, tmp_path):
    with pytest.raises(InvalidInput) as nothing:
        labels.make_labels(ctx, tmp_path / "x.pdf")
    assert nothing.value.code == "nothing_to_label"
    with pytest.raises(InvalidInput) as no_change:
        labels.make_labels(ctx, tmp_path / "x.pdf", changed_since=date(2027, 1, 1))
    assert no_change.value.code == "nothing_to_label"
    with pytest.raises(NotFound):
        labels.make_labels(ctx, tmp_path / "x.pdf", skus=["NOPE"])
    with pytest.raises(InvalidInput):
        labels.make_labels(ctx, tmp_path / "x.pdf", skus=["COLA"], kind="poster")
    assert not (tmp_path / "x.pdf").exists()


def test_long_names_wrap_at_spaces_or_between_chinese_characters():
    labels._register_fonts()
    lines = labels._wrap("伊利纯牛奶全脂灭菌乳利乐砖 Yili whole milk 250ml x 24 cartons", 9, 150)
    assert len(lines) > 1 and all(lines)
    assert "".join(lines).replace(" ", "") == "伊利纯牛奶全脂灭菌乳利乐砖Yiliwholemilk250mlx24cartons"
    assert not any(line.startswith(" ") or line.endswith(" ") for line in lines)
