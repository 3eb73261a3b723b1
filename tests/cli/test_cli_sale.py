"""`pos sale --file`: the CLI.md example, stdin, the receipt JSON, and bad input refused with nothing changed."""

from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import pytest

from .conftest import (
    BAD_CHECK_DIGIT,
    COLA,
    COLA_6,
    OFFSET,
    SCALE_LABEL,
    UNKNOWN_EAN,
    Till,
    money,
    one_json,
    pick,
    query,
    sale_doc,
    tax_in,
)

RECEIPT_KEYS = {"receipt_no", "sale_id", "created_at", "subtotal", "discount_total", "tax_total", "total",
                "rounding", "paid", "change", "lines", "payments"}
LINE_KEYS = {"line_no", "sku", "name", "qty", "unit_price", "gross", "discount", "net", "tax_rate", "tax"}


def check_receipt(doc: dict[str, Any]) -> None:
    """The contract's fields, and totals that add up (tax-inclusive till)."""
    assert RECEIPT_KEYS <= doc.keys()
    for line in doc["lines"]:
        assert LINE_KEYS <= line.keys()
    for payment in doc["payments"]:
        assert {"method", "amount"} <= payment.keys()
    assert doc["created_at"].endswith(OFFSET), "times are ISO 8601 with the till's offset"
    datetime.fromisoformat(doc["created_at"])
    lines = doc["lines"]
    assert [ln["line_no"] for ln in lines] == list(range(1, len(lines) + 1))
    total = sum((money(ln["net"]) for ln in lines), Decimal(0))
    assert total == money(doc["total"]), "Σ line net = total"
    assert sum((money(ln["gross"]) for ln in lines), Decimal(0)) == money(doc["subtotal"])
    assert sum((money(ln["discount"]) for ln in lines), Decimal(0)) == money(doc["discount_total"])
    assert sum((money(ln["tax"]) for ln in lines), Decimal(0)) == money(doc["tax_total"])
    for ln in lines:
        assert money(ln["gross"]) - money(ln["discount"]) == money(ln["net"])
        assert abs(money(ln["tax"]) - tax_in(money(ln["net"]), Decimal(ln["tax_rate"]))) <= Decimal("0.01")
    assert money(doc["total"]) == money(doc["subtotal"]) - money(doc["discount_total"])
    assert sum((money(p["amount"]) for p in doc["payments"]), Decimal(0)) == money(doc["paid"])
    assert money(doc["paid"]) - money(doc["change"]) == money(doc["total"]) + money(doc["rounding"])


def test_the_cli_md_example_sale(shop: Till) -> None:
    """Barcode with qty and discount_percent, a weighed SKU at 0.755 kg, an in-store scale label, a cart
    discount, a member, cash, an approver — the shape CLI.md shows."""
    doc = shop.sale({
        "user": "amy", "pin": "1111",
        "lines": [{"barcode": COLA, "qty": "2", "discount_percent": "10"},
                  {"sku": "APPLE-KG", "qty": "0.755"},
                  {"barcode": SCALE_LABEL}],
        "cart_discount": {"percent": "5"},
        "customer": "M0001",
        "payments": [{"method": "cash", "amount": "100.00"}],
        "approver": {"user": "mia", "pin": "9999"},
    })
    check_receipt(doc)
    assert doc["receipt_no"].startswith("S01-T01-")
    cola, apples, label = doc["lines"]
    assert (cola["sku"], cola["qty"], cola["unit_price"], cola["gross"]) == ("COLA", "2.000", "3.50", "7.00")
    assert money(cola["discount"]) >= Decimal("0.70"), "10 % of 7.00, plus its share of the cart discount"
    assert cola["tax_rate"] == "0.13" and cola["name"] == "可口可乐 Coca-Cola 330ml"
    assert (apples["sku"], apples["qty"], apples["gross"], apples["tax_rate"]) == ("APPLE-KG", "0.755", "9.66",
                                                                                 "0.09")
    # the label carries the price (12.34); the weight is what that price buys at 12.80/kg
    assert (label["sku"], label["gross"], label["qty"]) == ("APPLE-KG", "12.34", "0.964")
    assert doc["subtotal"] == "29.00"
    cart_discount = money(doc["discount_total"]) - Decimal("0.70")
    assert cart_discount == (Decimal("28.30") * Decimal("0.05")).quantize(Decimal("0.01"), ROUND_HALF_UP)
    assert pick(doc["payments"], "method", "amount") == [{"method": "cash", "amount": "100.00"}]
    assert doc["paid"] == "100.00"
    assert doc.get("customer") == "M0001"
    # the sale is stored as printed
    [(status_total,)] = query(shop.path, "SELECT total_minor FROM sales WHERE receipt_no = ?", doc["receipt_no"])
    assert Decimal(status_total) / 100 == money(doc["total"])


def test_sale_from_stdin_with_credentials_from_the_environment(shop: Till) -> None:
    doc = {"lines": [{"barcode": COLA_6}], "payments": [{"method": "card", "amount": "21.00"}]}
    sold = shop.json("sale", "--file", "-", input=json.dumps(doc), env={"POS_USER": "amy", "POS_PIN": "1111"})
    check_receipt(sold)
    [line] = sold["lines"]
    assert (line["sku"], line["qty"], line["gross"]) == ("COLA", "6.000", "21.00")
    assert (sold["total"], sold["change"], sold["rounding"]) == ("21.00", "0.00", "0.00")
    assert pick(sold["payments"], "method", "amount") == [{"method": "card", "amount": "21.00"}]
    [(user,)] = query(shop.path, "SELECT u.username FROM sales s JOIN users u ON u.id = s.user_id "
                                 "WHERE s.receipt_no = ?", sold["receipt_no"])
    assert user == "amy"


def test_price_override_with_a_supervisor_approving(shop: Till) -> None:
    doc = shop.sale(sale_doc({"sku": "COLA", "unit_price": "3.00"}, approver={"user": "sam", "pin": "3333"}))
    check_receipt(doc)
    assert doc["lines"][0]["unit_price"] == "3.00" and doc["total"] == "3.00"
    rows = query(shop.path, "SELECT entry FROM journal WHERE kind = 'price_override'")
    assert any(doc["receipt_no"] in entry and '"approver":"sam"' in entry for (entry,) in rows), \
        "the override and its approver are recorded in the journal"


def test_sales_from_parallel_processes_get_their_own_receipt_numbers(shop: Till) -> None:
    """Integrators script the till while it sells: three `pos sale` at once all complete, none is lost."""
    files = [shop.write(sale_doc({"sku": "CHIPS"}, pay="10.00")) for _ in range(3)]
    with ThreadPoolExecutor(len(files)) as pool:
        results = list(pool.map(lambda f: shop.run("sale", "--file", f, "--json"), files))
    for result in results:
        assert result.code == 0, result.describe()
    numbers = [one_json(r.out)["receipt_no"] for r in results]
    assert len(set(numbers)) == 3
    stored = {no for (no,) in query(shop.path, "SELECT receipt_no FROM sales")}
    assert set(numbers) <= stored


COLA_LINE = {"sku": "COLA"}
BAD_SALES = [
    # id, file content, exit code, error code, words the message must hold
    ("wrong-check-digit", sale_doc({"barcode": BAD_CHECK_DIGIT}), 3, "bad_barcode", "check digit"),
    ("unknown-barcode", sale_doc({"barcode": UNKNOWN_EAN}), 3, "unknown_barcode", UNKNOWN_EAN),
    ("qty-zero", sale_doc({"sku": "COLA", "qty": "0"}), 3, None, "more than 0"),
    ("qty-negative", sale_doc({"sku": "COLA", "qty": "-1"}), 3, None, "more than 0"),
    ("qty-not-a-number", sale_doc({"sku": "COLA", "qty": "two"}), 3, None, "not a number"),
    ("discount-150-percent", sale_doc({"sku": "COLA", "discount_percent": "150"}), 3, None, "between 0 and 100"),
    ("discount-amount-above-line", sale_doc({"sku": "COLA", "discount_amount": "4.00"}), 3, None, "3.50"),
    ("override-without-approver", sale_doc({"sku": "COLA", "unit_price": "1.00"}), 4, "permission_denied",
     "override"),
    ("underpaid", sale_doc(COLA_LINE, pay="1.00"), 3, "underpaid", "Underpaid"),
    ("no-lines", {"user": "amy", "pin": "1111", "payments": [{"method": "cash", "amount": "5"}]}, 3,
     "missing_field", "lines"),
    ("no-payments", {"user": "amy", "pin": "1111", "lines": [COLA_LINE]}, 3, "missing_field", "payments"),
    ("malformed-json", '{"user": "amy", "lines": [{"sku": "COLA"}', 3, "bad_json", "not valid JSON"),
    ("not-utf-8", '{"user": "amy", "lines": [{"sku": "可乐"}]}'.encode("gb18030"), 3, "bad_file", "UTF-8"),
]


@pytest.mark.parametrize(("content", "exit_code", "error", "words"), [case[1:] for case in BAD_SALES],
                         ids=[case[0] for case in BAD_SALES])
def test_bad_sale_is_refused_and_changes_nothing(shop: Till, content: Any, exit_code: int, error: str | None,
                                                 words: str) -> None:
    with shop.unchanged():
        doc = shop.sale(content, expect=exit_code)
    if error:
        assert doc["error"] == error
    assert words in doc["message"]


def test_a_file_that_does_not_exist(shop: Till) -> None:
    with shop.unchanged():
        doc = shop.json("sale", "--file", shop.files / "no-such-sale.json", expect=3)
    assert doc["error"] == "no_file" and "no-such-sale.json" in doc["message"]


def test_a_directory_instead_of_a_file(shop: Till) -> None:
    with shop.unchanged():
        doc = shop.json("sale", "--file", shop.files, expect=3)
    assert doc["error"] != "internal"


def test_a_quantity_in_exponent_form(shop: Till) -> None:
    """'1e30' once crashed core.money's quantize (decimal.InvalidOperation, exit 1); now refused as input."""
    with shop.unchanged():
        doc = shop.sale(sale_doc({"sku": "COLA", "qty": "1e30"}), expect=3)
    assert "Quantity" in doc["message"] and doc["error"] != "internal"


def test_an_approver_that_is_not_an_object(shop: Till) -> None:
    with shop.unchanged():
        doc = shop.sale(sale_doc(COLA_LINE, approver="mia"), expect=3)
    assert "approver" in doc["message"]


def test_a_payment_reference_that_is_not_text(shop: Till) -> None:
    doc = sale_doc(COLA_LINE)
    doc["payments"][0]["reference"] = {"terminal": 7}
    with shop.unchanged():
        shop.sale(doc, expect=3)
