"""Catalog import from CSV and XLSX: good rows in, bad rows reported, unreadable files refused whole."""

from __future__ import annotations

import io
import json
import shutil
import zipfile
from datetime import datetime, timedelta, timezone
from decimal import Decimal as D
from pathlib import Path

import openpyxl
import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import func, select

from pos_desktop.core.barcodes import append_check_digit
from pos_desktop.core.clock import FixedClock
from pos_desktop.core.errors import InvalidInput, NotFound, PermissionDenied
from pos_desktop.services.auth import add_user, login
from pos_desktop.services.catalog import find_product, lookup_scan
from pos_desktop.services.catalog_import import ImportReport, import_catalog
from pos_desktop.services.tabular import decimal_text
from pos_desktop.services.till import init_till
from pos_desktop.store.models import Barcode, JournalEntry, OutboxEvent, PriceVersion, Product

DATA = Path(__file__).resolve().parents[1] / "data" / "catalog"
T0 = datetime(2026, 3, 2, 9, 0, tzinfo=timezone(timedelta(hours=8)))
COLA, COLA_6, MILK = "6901234567892", "6901234567908", "6901234567915"


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(T0)


@pytest.fixture
def till(tmp_path: Path, clock: FixedClock):
    ctx = init_till(tmp_path / "till", store_code="S01", store_name="Test", till_code="T01", admin_user="admin",
                    admin_pin="1234", clock=clock)
    yield ctx
    ctx.close()


@pytest.fixture
def admin(till):
    return login(till, "admin", "1234")


def csv_file(tmp_path: Path, text: str, name: str = "catalog.csv", encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def data_file(tmp_path: Path, name: str) -> Path:
    return Path(shutil.copy(DATA / name, tmp_path / name))


def counts(ctx) -> dict[str, int]:
    with ctx.db.read() as session:
        return {model.__tablename__: session.scalar(select(func.count()).select_from(model))
                for model in (Product, Barcode, PriceVersion, JournalEntry, OutboxEvent)}


def rejected(report: ImportReport) -> dict[int, tuple[str, str]]:
    return {r.row: (r.field, r.reason) for r in report.rejected}


# --- good files -------------------------------------------------------------------------------------------------


def test_clean_csv_imports_products_that_can_be_found(till, admin, tmp_path):
    report = import_catalog(till, data_file(tmp_path, "clean.csv"), admin)

    assert report.to_json() == {"created": 3, "updated": 0, "rejected": []}
    cola = find_product(till, sku="COLA")
    assert (cola.name, cola.unit_price, cola.tax_rate, cola.is_weighed) == ("可口可乐 Coca-Cola 330ml", D("3.50"),
                                                                           D("0.13"), False)
    assert lookup_scan(till, COLA).product.sku == "COLA"
    six = lookup_scan(till, COLA_6)
    assert (six.product.sku, six.qty) == ("COLA", D(6))
    milk = find_product(till, barcode=MILK)
    assert (milk.sku, milk.tax_rate, milk.track_batches) == ("MILK", D("0.09"), True)
    apple = find_product(till, sku="APPLE-KG")
    assert apple.is_weighed and apple.unit == "kg"
    label = lookup_scan(till, append_check_digit("251234501500"))     # the scale's label: PLU 12345, 1.500 kg
    assert (label.product.sku, label.qty) == ("APPLE-KG", D("1.500"))


def test_import_writes_one_journal_entry_and_outbox_events(till, admin, tmp_path):
    before = counts(till)
    import_catalog(till, data_file(tmp_path, "clean.csv"), admin)

    with till.db.read() as session:
        entry = json.loads(session.scalars(select(JournalEntry.entry).order_by(JournalEntry.seq.desc())).first())
        events = session.execute(select(OutboxEvent.kind, OutboxEvent.payload, OutboxEvent.journal_hash)).all()
        journal_hash = session.scalar(select(JournalEntry.hash).order_by(JournalEntry.seq.desc()))
        product = session.execute(select(Product.reorder_point_milli, Product.supplier_id, Product.category_id)
                                  .where(Product.sku == "COLA")).one()
    assert entry["kind"] == "catalog_import" and entry["user"] == "admin"
    assert entry["payload"]["file"] == "clean.csv" and len(entry["payload"]["sha256"]) == 64
    assert {k: entry["payload"][k] for k in ("created", "updated", "rejected")} == \
        {"created": 3, "updated": 0, "rejected": 0}
    assert counts(till)[JournalEntry.__tablename__] == before[JournalEntry.__tablename__] + 1
    assert [(kind, digest) for kind, _payload, digest in events] == [("catalog.upserted", journal_hash)]
    products = {p["sku"]: p for p in json.loads(events[0][1])["products"]}
    assert products["COLA"]["price"] == "3.50" and products["COLA"]["cost"] == "2.10"
    assert products["COLA"]["barcodes"] == [{"code": COLA, "pack_qty": "1.000"}, {"code": COLA_6, "pack_qty": "6.000"}]
    assert products["APPLE-KG"]["plu"] == "12345" and products["APPLE-KG"]["reorder_point"] == "5.500"
    assert product[0] == 24000 and product[1] is not None and product[2] is not None


def test_outbox_events_carry_at_most_500_products(till, admin, tmp_path):
    lines = ["sku,name,price"] + [f"P{i:04d},Product {i},1.00" for i in range(1201)]
    report = import_catalog(till, csv_file(tmp_path, "\n".join(lines)), admin)

    assert report.created == 1201
    with till.db.read() as session:
        payloads = session.scalars(select(OutboxEvent.payload).order_by(OutboxEvent.till_seq)).all()
    assert [len(json.loads(p)["products"]) for p in payloads] == [500, 500, 201]


def test_reimport_updates_and_a_new_price_is_a_new_version(till, admin, tmp_path, clock):
    import_catalog(till, data_file(tmp_path, "clean.csv"), admin)
    clock.advance(hours=1)
    changed = (DATA / "clean.csv").read_text(encoding="utf-8").replace(",3.50,", ",3.80,")
    report = import_catalog(till, csv_file(tmp_path, changed, "clean2.csv"), admin)

    assert (report.created, report.updated, report.rejected) == (0, 3, [])
    assert counts(till)["products"] == 3
    with till.db.read() as session:
        prices = session.scalars(select(PriceVersion.price_minor).join(Product, Product.id == PriceVersion.product_id)
                                 .where(Product.sku == "COLA").order_by(PriceVersion.valid_from)).all()
        milk_versions = session.scalar(select(func.count()).select_from(PriceVersion)
                                       .join(Product, Product.id == PriceVersion.product_id)
                                       .where(Product.sku == "MILK"))
    assert sorted(prices) == [350, 380]
    assert milk_versions == 1                      # an unchanged price makes no new version
    assert lookup_scan(till, COLA).product.sku == "COLA"   # its own barcodes are no conflict


def test_a_column_missing_from_the_file_keeps_the_current_value(till, admin, tmp_path):
    import_catalog(till, data_file(tmp_path, "clean.csv"), admin)
    report = import_catalog(till, csv_file(tmp_path, "sku,name,price\nMILK,Yili milk 250ml,2.90\n"), admin)

    assert report.updated == 1
    milk = find_product(till, sku="MILK")
    assert (milk.name, milk.unit_price, milk.tax_rate, milk.track_batches) == ("Yili milk 250ml", D("2.90"),
                                                                               D("0.09"), True)
    assert find_product(till, sku="APPLE-KG").is_weighed
    assert lookup_scan(till, MILK).product.sku == "MILK"


def test_headers_in_any_order_and_case_with_unknown_columns_warned(till, admin, tmp_path):
    report = import_catalog(till, data_file(tmp_path, "messy_header.csv"), admin)

    assert (report.created, report.rejected) == (1, [])
    assert report.warnings and "notes" in report.warnings[0]
    assert set(report.to_json()) == {"created", "updated", "rejected", "warnings"}
    soap = find_product(till, sku="SOAP")
    assert (soap.name, soap.unit_price, soap.tax_rate) == ("Soap", D("4.50"), D("0.13"))


def test_minus_zero_is_zero(till, admin, tmp_path):
    import_catalog(till, csv_file(tmp_path, "sku,name,price,tax_rate,cost\nZ,Zero,-0,-0,-0.00\n"), admin)
    with till.db.read() as session:
        payload = json.loads(session.scalar(select(OutboxEvent.payload)))["products"][0]
    assert (payload["price"], payload["tax_rate"], payload["cost"]) == ("0.00", "0.00", "0.00")


def test_defaults_and_a_tab_separated_file(till, admin, tmp_path):
    path = csv_file(tmp_path, "sku\tname\tprice\ttax_rate\tunit\nA\tPlain\t1\t\t\nB\t散装大米 rice\t5.6\t0\t斤\n")
    report = import_catalog(till, path, admin)

    assert report.to_json() == {"created": 2, "updated": 0, "rejected": []}
    plain, rice = find_product(till, sku="A"), find_product(till, sku="B")
    assert (plain.tax_rate, plain.unit, plain.is_weighed, plain.unit_price) == (D("0.13"), "pcs", False, D("1.00"))
    assert (rice.tax_rate, rice.is_weighed) == (D("0.00"), True)


# --- bad rows ---------------------------------------------------------------------------------------------------


def test_mixed_rows_report_each_bad_row_and_import_the_good_ones(till, admin, tmp_path):
    report = import_catalog(till, data_file(tmp_path, "mixed.csv"), admin)
    bad = rejected(report)

    assert (report.created, report.updated) == (2, 0)
    assert sorted(bad) == list(range(3, 15))
    assert bad[3][0] == "barcode" and "check digit" in bad[3][1]
    assert bad[4] == ("sku", "SKU is missing")
    assert bad[5] == ("name", "Name is missing")
    assert bad[6] == ("price", "Price is missing")
    assert bad[7][0] == "price" and "negative" in bad[7][1]
    assert bad[8][0] == "price" and "not a number" in bad[8][1]
    assert bad[9][0] == "cost" and "negative" in bad[9][1]
    assert bad[10][0] == "tax_rate" and "between 0 and 1" in bad[10][1]
    assert bad[11][0] == "reorder_point" and "not a number" in bad[11][1]
    assert bad[12][0] == "variant_of" and "NOPE" in bad[12][1]
    assert bad[13][0] == "sku" and "row 2" in bad[13][1]
    assert bad[14][0] == "barcode" and COLA in bad[14][1] and "row 2" in bad[14][1]
    assert lookup_scan(till, COLA).product.sku == "GOOD1"
    assert lookup_scan(till, COLA_6).qty == D(6)
    with pytest.raises(NotFound):
        find_product(till, sku="BAD-CHECK")
    assert report.to_json()["rejected"][0] == {"row": 3, "field": "barcode", "reason": bad[3][1]}


def test_a_barcode_of_another_product_in_the_database_is_rejected(till, admin, tmp_path):
    import_catalog(till, data_file(tmp_path, "clean.csv"), admin)
    path = csv_file(tmp_path, f"sku,name,price,barcode\nPEPSI,Pepsi,3.00,{COLA}\nCOLA,Cola,3.50,{COLA}\n")
    report = import_catalog(till, path, admin)

    assert (report.created, report.updated) == (0, 1)
    assert rejected(report) == {2: ("barcode", f"Barcode {COLA} already belongs to 可口可乐 Coca-Cola 330ml (SKU COLA)")}
    assert lookup_scan(till, COLA).product.sku == "COLA"


def test_a_scale_registration_of_another_product_is_rejected(till, admin, tmp_path):
    import_catalog(till, data_file(tmp_path, "clean.csv"), admin)
    report = import_catalog(till, csv_file(tmp_path, "sku,name,price,barcode\nPEAR,Pear,9.9,2512345\n"), admin)

    assert rejected(report)[2][0] == "barcode" and "APPLE-KG" in rejected(report)[2][1]


@pytest.mark.parametrize(("cell", "words"), [
    (append_check_digit("201234500100"), "scale label"),   # a whole in-store label is no product barcode
    ("6.90123E+12", "text"),                     # Excel turned the code into a number
    ("6901234567892*0", "more than 0"),
    ("6901234567892*x", "not a number"),
    ("6901234567892|6901234567892*6", "different pack"),
    ("2012345|2054321", "registration"),
    ("12 34", "space"),
])
def test_bad_barcode_cells_are_explained(till, admin, tmp_path, cell, words):
    report = import_catalog(till, csv_file(tmp_path, f'sku,name,price,barcode\nX,X,1,"{cell}"\n'), admin)

    field, reason = rejected(report)[2]
    assert field == "barcode" and words in reason


@pytest.mark.parametrize(("column", "value", "words"), [
    ("track_batches", "maybe", "yes or no"),
    ("attributes", "size", "name=value"),
    ("attributes", "{not json", "JSON object"),
    ("tax_rate", "13", "between 0 and 1"),
    ("price", "1.234", "decimals"),
    ("reorder_qty", "-1", "negative"),
    ("price", "1e30", "far too large"),                       # beyond Decimal's 28 digits: no traceback
    ("reorder_point", "99999999999999999999", "far too large"),  # beyond SQLite's 64-bit integers
    ("tax_rate", "1e30%", "far too large"),
])
def test_bad_cells_name_their_column(till, admin, tmp_path, column, value, words):
    text = f"sku,name,price\nX,X,{value}\n" if column == "price" else f"sku,name,price,{column}\nX,X,1,{value}\n"
    report = import_catalog(till, csv_file(tmp_path, text), admin)

    field, reason = rejected(report)[2]
    assert field == column and words in reason


def test_row_numbers_are_the_spreadsheet_rows(till, admin, tmp_path):
    # a blank line is a blank spreadsheet row; a quoted cell with a line break is still one row
    path = csv_file(tmp_path, 'sku,name,price,notes\nA,A,1,"Two\nlines"\n\nB,B,x,\nC,"C\nD",1,\n')
    report = import_catalog(till, path, admin)

    assert report.created == 1 and list(rejected(report)) == [4, 5]
    assert rejected(report)[5] == ("name", "Name contains a line break or another control character")


def test_a_header_without_rows_imports_nothing_and_says_so(till, admin, tmp_path):
    before = counts(till)
    report = import_catalog(till, csv_file(tmp_path, "sku,name,price\n"), admin)

    assert (report.created, report.updated, report.rejected) == (0, 0, [])
    assert report.warnings and counts(till) == before


# --- variants ---------------------------------------------------------------------------------------------------


def test_a_variant_may_come_before_its_template(till, admin, tmp_path):
    report = import_catalog(till, data_file(tmp_path, "variants.csv"), admin)

    assert (report.created, report.rejected) == (3, [])
    with till.db.read() as session:
        template_id = session.scalar(select(Product.id).where(Product.sku == "TEE"))
        variants = dict(session.execute(select(Product.sku, Product.template_id).where(Product.sku != "TEE")).all())
        attributes = json.loads(session.scalar(select(Product.attributes).where(Product.sku == "TEE-L")))
    assert variants == {"TEE-L": template_id, "TEE-M": template_id}
    assert attributes == {"size": "L", "colour": "red"}


def test_variants_of_a_rejected_template_or_in_a_loop_are_rejected(till, admin, tmp_path):
    path = csv_file(tmp_path, "sku,name,price,variant_of\nV1,V1,1,T\nT,Template,-1,\nA,A,1,B\nB,B,1,A\nS,S,1,S\n"
                              "OK,Ok,1,\nOK2,Ok2,1,OK\n")
    report = import_catalog(till, path, admin)
    bad = rejected(report)

    assert report.created == 2
    assert bad[2][0] == "variant_of" and "row 3" in bad[2][1]
    assert bad[3][0] == "price"
    assert bad[4][0] == bad[5][0] == "variant_of" and "loop" in bad[4][1]
    assert bad[6] == ("variant_of", "A product cannot be a variant of itself")


def test_variant_of_a_product_already_in_the_database(till, admin, tmp_path):
    import_catalog(till, csv_file(tmp_path, "sku,name,price\nTEE,T-shirt,59\n"), admin)
    report = import_catalog(till, csv_file(tmp_path, "sku,name,price,variant_of\nTEE-S,T-shirt S,59,TEE\n", "b.csv"),
                            admin)

    assert (report.created, report.rejected) == (1, [])


# --- encodings and formats --------------------------------------------------------------------------------------


def test_utf8_with_bom(till, admin, tmp_path):
    path = csv_file(tmp_path, "\ufeffsku,name,price\nTEA,绿茶 Green tea,4.00\n")
    assert import_catalog(till, path, admin).created == 1
    assert find_product(till, sku="TEA").name == "绿茶 Green tea"


def test_gbk_encoded_chinese_file(till, admin, tmp_path):
    text = "sku,name,price,category\nTEA,康师傅绿茶 500ml,4.00,饮料\nRICE,东北大米 5公斤,59.90,粮油\n"
    report = import_catalog(till, csv_file(tmp_path, text, encoding="gbk"), admin)

    assert (report.created, report.rejected) == (2, [])
    assert find_product(till, sku="RICE").name == "东北大米 5公斤"


def test_utf16_unicode_text_from_excel(till, admin, tmp_path):
    path = csv_file(tmp_path, "sku\tname\tprice\nTEA\t绿茶\t4.00\n", encoding="utf-16")
    assert import_catalog(till, path, admin).created == 1


def test_xlsx_with_numbers_as_exact_decimals(till, admin, tmp_path):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["SKU", "Name", "Price", "Barcode", "Tax_Rate", "Reorder_Point", "Track_Expiry"])
    sheet.append([1001, "可乐", 3.5, int(COLA), 0.13, 12, True])
    sheet.append([])                                                    # a blank row keeps the numbering
    sheet.append(["B2", "Formula price", 0.1 + 0.2, None, None, None, False])
    sheet.append(["B3", "Bad", "x", None, None, None, None])
    path = tmp_path / "catalog.xlsx"
    workbook.save(path)

    report = import_catalog(till, path, admin)

    assert (report.created, list(rejected(report))) == (2, [5])
    cola = lookup_scan(till, COLA).product
    assert (cola.sku, cola.unit_price, cola.tax_rate) == ("1001", D("3.50"), D("0.13"))
    assert find_product(till, sku="B2").unit_price == D("0.30")


def test_xlsx_uses_the_sheet_that_has_the_columns(till, admin, tmp_path):
    workbook = openpyxl.Workbook()
    workbook.active.append(["How to fill this in"])
    workbook.create_sheet("products").append(["sku", "name", "price"])
    workbook["products"].append(["A", "A", "1"])
    path = tmp_path / "catalog.xlsx"
    workbook.save(path)
    assert import_catalog(till, path, admin).created == 1


@given(st.decimals(min_value=0, max_value=10_000_000, places=2, allow_nan=False, allow_infinity=False))
def test_a_typed_spreadsheet_number_reads_back_exactly(value):
    assert D(decimal_text(float(value))) == value


# --- whole-file failures: nothing imported -----------------------------------------------------------------------


def zip_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("readme.txt", "not a workbook")
    return buffer.getvalue()


@pytest.mark.parametrize(("name", "content", "words"), [
    ("logo.png", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10", "PNG"),
    ("random.csv", bytes(range(256)) * 4, "not a CSV or XLSX"),
    ("archive.xlsx", zip_bytes(), "not an Excel workbook"),
    ("old.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64, ".xls"),
    ("empty.csv", b"", "empty"),
    ("blank.csv", b"\n\n  \n", "empty"),
    ("cut.csv", "sku,name,price\nA,苹果,1\n".encode()[:-4], "cut off"),
    ("cut_gbk.csv", "sku,name,price\nA,1,苹果".encode("gbk")[:-1], "cut off"),
    ("quote.csv", b'sku,name,price\nA,"Apple,1\nB,Pear,2\n', "never closed"),
    ("latin1.csv", "sku,name,price\nA,苹果,1\nB,Café\xff,2\n".encode().replace(b"\xc3\xbf", b"\xff"),
     "damaged"),
    ("header.csv", b"sku,name,cost\nA,Apple,1\n", "price"),
    ("data_only.csv", b"A,Apple,1\n", "sku, name, price"),
    ("twice.csv", b"sku,name,price,Price\nA,Apple,1,2\n", "twice"),
])
def test_a_file_that_cannot_be_read_imports_nothing(till, admin, tmp_path, name, content, words):
    path = tmp_path / name
    path.write_bytes(content)
    before = counts(till)

    with pytest.raises(InvalidInput) as caught:
        import_catalog(till, path, admin)

    assert words in caught.value.message
    assert caught.value.exit_code == 3
    assert counts(till) == before


def test_a_missing_file_is_invalid_input(till, admin, tmp_path):
    with pytest.raises(InvalidInput, match="Cannot read"):
        import_catalog(till, tmp_path / "nowhere.csv", admin)


# --- dry run and permission ---------------------------------------------------------------------------------------


def test_dry_run_changes_nothing_and_needs_no_operator(till, admin, tmp_path):
    import_catalog(till, csv_file(tmp_path, f"sku,name,price,barcode\nCOLA,Cola,3.50,{COLA}\n", "first.csv"), admin)
    before = counts(till)
    path = csv_file(tmp_path, f"sku,name,price,barcode\nCOLA,Cola,3.90,\nNEW,New,1,\nPEPSI,Pepsi,3,{COLA}\n")

    report = import_catalog(till, path, None, dry_run=True)

    assert report.to_json() == {"created": 1, "updated": 1, "rejected": [
        {"row": 4, "field": "barcode", "reason": f"Barcode {COLA} already belongs to Cola (SKU COLA)"}]}
    assert counts(till) == before
    assert find_product(till, sku="COLA").unit_price == D("3.50")


def test_a_cashier_may_not_import(till, admin, tmp_path):
    cashier = add_user(till, admin, "amy", "cashier", "1111")
    before = counts(till)
    with pytest.raises(PermissionDenied):
        import_catalog(till, data_file(tmp_path, "clean.csv"), cashier)
    with pytest.raises(PermissionDenied):
        import_catalog(till, data_file(tmp_path, "clean.csv"), None)
    assert counts(till) == before
    assert import_catalog(till, data_file(tmp_path, "clean.csv"), cashier, dry_run=True).created == 3


def test_a_manager_may_import(till, admin, tmp_path):
    manager = add_user(till, admin, "mia", "manager", "9999")
    assert import_catalog(till, data_file(tmp_path, "clean.csv"), manager).created == 3

