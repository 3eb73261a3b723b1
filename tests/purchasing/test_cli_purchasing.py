"""The purchasing commands end to end: real ``pos`` subprocesses on a real data folder (tests/cli/conftest.py:
seeded through the CLI with COLA, CHIPS, MILK (lot and expiry tracked), APPLE-KG and the users amy cashier,
mia manager, ken stock clerk). Exit codes, one JSON document, number formats and the error shape are checked
by ``Till.json`` for every call."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path

from tests.cli.conftest import COLA_6, MILK, Till, fresh, pick, sale_doc, template  # noqa: F401

GS1_MILK = f"(01)0{MILK}(17)301231(10)L3012"          # expires 2030-12-31, lot L3012
BAD_GS1 = f"(01)0{MILK[:-1]}9(17)301231(10)L3012"     # wrong GTIN check digit
TOMORROW = (datetime.now(timezone(timedelta(hours=8))) + timedelta(days=1)).date().isoformat()


def receipt(po: str | None, *lines: dict, user: str = "ken", pin: str = "4444", **head) -> dict:
    """A ``pos receive`` file exactly as issue 6 shows it."""
    doc = {"user": user, "pin": pin, "supplier": "SUP01", "location": "BACK", "lines": list(lines), **head}
    if po:
        doc["po"] = po
    return doc


def test_order_receive_invoice_and_pay_through_the_cli(fresh: Till) -> None:  # noqa: F811
    mia, ken = fresh.as_user("mia"), fresh.as_user("ken")
    added = fresh.json("supplier", "add", "SUP01", "--name", "太古可口可乐 Swire", "--lead-time", "3",
                       "--min-order", "50", "--payment-days", "30", "--contact", "王经理", "--phone", "13900000000",
                       "--email", "wang@swire.cn", *mia)
    assert (added["created"], added["min_order"], added["contacts"][0]["name"]) == (True, "50.00", "王经理")
    item = fresh.json("supplier", "item", "SUP01", "--sku", "COLA", "--price", "2.00", "--pack", "6", *mia)
    assert pick(item, "sku", "price", "pack_qty") == {"sku": "COLA", "price": "2.00", "pack_qty": "6.000"}
    listed = fresh.json("supplier", "list")
    assert pick(listed, "code", "lead_time_days", "min_order", "payment_days") == [
        {"code": "SUP01", "lead_time_days": 3, "min_order": "50.00", "payment_days": 30}]

    po = fresh.json("po", "create", "--supplier", "SUP01", "--line", "COLA:24", "--line", "MILK:12:1.80", *mia)
    assert (po["status"], po["total"], [ln["price"] for ln in po["lines"]]) == ("draft", "69.60", ["2.00", "1.80"])
    with fresh.unchanged():
        refused = fresh.json("po", "cancel", po["po"], "--reason", "not needed", *ken, expect=4)
    assert refused["error"] == "permission_denied" and "a manager must approve" in refused["message"]
    assert fresh.json("po", "send", po["po"], *mia)["status"] == "sent"

    pdf = fresh.files / "grn.pdf"
    done = fresh.json("receive", "--file", fresh.write(receipt(
        po["po"], {"barcode": COLA_6, "qty": "3", "unit_cost": "12.60"},
        {"gs1": GS1_MILK, "qty": "12", "lot": "L3012", "expiry": "2030-12-31", "rejected_qty": "1",
         "reject_reason": "damaged"})), "--pdf", pdf)
    assert set(done) >= {"receipt_id", "receipt_no", "lines", "po_status", "short", "note_text", "pdf"}
    assert done["po_status"] == "partly_received" and Path(done["pdf"]) == pdf
    assert pdf.read_bytes().startswith(b"%PDF")
    assert pick(done["lines"], "sku", "qty", "accepted_qty", "rejected_qty", "lot", "expiry", "delivery") == [
        {"sku": "COLA", "qty": "18.000", "accepted_qty": "18.000", "rejected_qty": "0.000", "lot": None,
         "expiry": None, "delivery": "under"},
        {"sku": "MILK", "qty": "12.000", "accepted_qty": "11.000", "rejected_qty": "1.000", "lot": "L3012",
         "expiry": "2030-12-31", "delivery": "under"}]
    milk = fresh.json("stock", "--sku", "MILK")
    assert pick(milk, "location", "batch", "expiry", "qty") == [
        {"location": "BACK", "batch": "L3012", "expiry": "2030-12-31", "qty": "11.000"},
        {"location": "QUAR", "batch": "L3012", "expiry": "2030-12-31", "qty": "1.000"}]
    again = fresh.json("grn", done["receipt_no"])
    assert again["note_text"] == done["note_text"] and any("L3012" in line for line in again["note_text"])

    shown = fresh.json("po", "show", po["po"])
    assert [(ln["sku"], ln["received_qty"], ln["outstanding_qty"]) for ln in shown["lines"]] == [
        ("COLA", "18.000", "6.000"), ("MILK", "11.000", "1.000")]
    invoice = fresh.json("invoice", "add", "--file", fresh.write({
        "user": "mia", "pin": "9999", "supplier": "SUP01", "invoice_no": "FP-2026-001",
        "invoice_date": "2026-11-21", "receipts": [done["receipt_no"]], "total": "59.40",
        "lines": [{"sku": "COLA", "qty": "18", "price": "2.20"}, {"sku": "MILK", "qty": "11", "price": "1.80"}]}))
    assert (invoice["match_status"], invoice["due_date"], invoice["total"]) == ("differences", "2026-12-21", "59.40")
    assert [(r["sku"], r["status"], r["price_difference"]) for r in invoice["lines"]] == [
        ("COLA", "price", "0.20"), ("MILK", "ok", "0.00")]
    ap = fresh.json("ap", "--as-of", "2026-12-22")
    assert pick(ap, "supplier", "invoice_no", "due_date", "amount", "days_overdue", "overdue") == [
        {"supplier": "SUP01", "invoice_no": "FP-2026-001", "due_date": "2026-12-21", "amount": "59.40",
         "days_overdue": 1, "overdue": True}]
    assert fresh.json("invoice", "pay", "FP-2026-001", "--supplier", "SUP01", *mia)["status"] == "paid"
    assert fresh.json("ap") == []


def test_bad_deliveries_say_what_is_wrong_and_change_nothing(fresh: Till) -> None:  # noqa: F811
    cases = [
        (receipt(None, {"sku": "NOPE", "qty": "1"}), 3, "unknown_product", "Line 1: Unknown SKU NOPE"),
        (receipt(None, {"gs1": BAD_GS1, "qty": "1"}), 3, "bad_barcode", "wrong check digit"),
        (receipt(None, {"gs1": GS1_MILK, "qty": "2", "lot": "OTHER"}), 3, "lot_mismatch",
         "the lot OTHER differs from the lot L3012 in the GS1 barcode"),
        (receipt(None, {"sku": "COLA", "qty": "1"}, {"sku": "COLA", "qty": "-2"}), 3, "bad_qty",
         "Line 2: the delivered quantity must be more than 0"),
        (receipt(None, {"sku": "COLA", "qty": 1.5}), 3, "bad_qty", "whole units"),
        (receipt(None, {"sku": "COLA", "qty": "1", "rejected": "1"}), 3, "unknown_field", "rejected"),
        (receipt(None, {"sku": "MILK", "qty": "1", "lot": "L1", "expiry": "31.12.2030"}), 3, "bad_date", "expiry"),
        (receipt(None, {"sku": "COLA", "qty": "1"}, user="amy", pin="1111"), 4, "permission_denied", "amy"),
        (receipt(None, {"sku": "COLA", "qty": "1"}, pin="0000"), 4, "wrong_pin", "Wrong PIN"),
        (receipt("PO-S01-T01-000042", {"sku": "COLA", "qty": "1"}), 3, "unknown_po", "PO-S01-T01-000042"),
    ]
    for doc, code, error, words in cases:
        doc.pop("supplier")
        with fresh.unchanged(exclude=("users",)):
            refused = fresh.json("receive", "--file", fresh.write(doc), expect=code)
        assert refused["error"] == error and words in refused["message"], (doc, refused)


def test_receiving_against_a_cancelled_order_and_suggestions(fresh: Till) -> None:  # noqa: F811
    mia = fresh.as_user("mia")
    fresh.json("supplier", "add", "SUP01", "--name", "Swire", "--lead-time", "2", *mia)
    fresh.json("supplier", "item", "SUP01", "--sku", "CHIPS", "--price", "4.80", "--pack", "10", *mia)
    po = fresh.json("po", "create", "--supplier", "SUP01", "--line", "CHIPS:10", *mia)["po"]
    assert fresh.json("po", "cancel", po, "--reason", "wrong supplier", *mia)["status"] == "cancelled"
    with fresh.unchanged():
        refused = fresh.json("receive", "--file", fresh.write(receipt(po, {"sku": "CHIPS", "qty": "10"})),
                             expect=3)
    assert refused["error"] == "po_cancelled" and "is cancelled" in refused["message"]

    fresh.sale(sale_doc({"sku": "CHIPS", "qty": "5"}, pay="50.00"))     # on hand now -5
    suggested = fresh.json("po", "suggest", "--as-of", TOMORROW)
    assert [g["supplier"] for g in suggested] == ["SUP01"]
    [line] = suggested[0]["lines"]
    # one day of 5 sales, counted as the first of at least 7 days: v = 5 / Σ weights(7 d) = 0.82, σ 1.86;
    # reorder point 0.82 × 2 + 1.645 × 1.86 × √2 = 5.96; up to 5.96 + 7 × 0.82 = 11.74, from -5: 16.74 → 20
    assert set(line) >= {"sku", "qty", "reason"} and line["sku"] == "CHIPS" and line["qty"] == "20.000"
    assert "sells 0.82/day" in line["reason"] and "on hand -5" in line["reason"] and "packs of 10" in line["reason"]
    created = fresh.json("po", "suggest", "--as-of", TOMORROW, "--create", *mia)
    drafted = fresh.json("po", "show", created[0]["po"])
    assert (drafted["status"], drafted["source"], drafted["lines"][0]["qty"]) == ("draft", "suggestion", "20.000")
    assert fresh.json("po", "suggest", "--as-of", TOMORROW) == []       # the draft covers it
    assert [p["status"] for p in fresh.json("po", "list")] == ["draft", "cancelled"]
