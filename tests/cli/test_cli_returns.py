"""`pos return --file`, `pos void-sale`, `pos sales list`."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from .conftest import OFFSET, Till, money, pick, return_doc, sale_doc

RETURN_KEYS = {"receipt_no", "original_receipt", "created_at", "total", "lines", "refunds"}


def check_return(doc: dict[str, Any], original: str) -> None:
    assert RETURN_KEYS <= doc.keys()
    assert doc["original_receipt"] == original and doc["receipt_no"] != original
    assert doc["created_at"].endswith(OFFSET)
    assert sum((money(ln["amount"]) for ln in doc["lines"]), Decimal(0)) == money(doc["total"])
    assert sum((money(r["amount"]) for r in doc["refunds"]), Decimal(0)) == money(doc["total"])


def test_partial_then_over_return_then_the_rest(fresh: Till) -> None:
    sale = fresh.sale(sale_doc({"sku": "COLA", "qty": "3"}, {"sku": "APPLE-KG", "qty": "0.500"}, pay="20.00"))
    receipt = sale["receipt_no"]
    assert sale["total"] == "16.90"

    first = fresh.ret(return_doc(receipt, {"line_no": 1, "qty": "1"}, reason="damaged"))
    check_return(first, receipt)
    assert first["total"] == "3.50"
    assert pick(first["refunds"], "method", "amount") == [{"method": "cash", "amount": "3.50"}], "refunded in cash by default"
    [line] = first["lines"]
    assert (line["sale_line_no"], line["sku"], line["qty"], line["amount"]) == (1, "COLA", "1.000", "3.50")

    listed, stock = fresh.json("sales", "list"), fresh.json("stock")
    for row in listed:
        assert set(row) >= {"receipt_no", "sale_id", "created_at", "status", "total"}
    assert [(r["receipt_no"], r["sale_id"], r["status"], r["total"]) for r in listed] == [
        (receipt, sale["sale_id"], "completed", "16.90"), (first["receipt_no"], first["return_id"], "return", "-3.50")]

    # never more than sold across all earlier returns: 1 of 3 is back, 3 more is too many
    with fresh.unchanged():
        over = fresh.ret(return_doc(receipt, {"line_no": 1, "qty": "3"}), expect=3)
    assert over["error"] == "over_return"
    assert "already returned" in over["message"] and "COLA" in over["message"]
    assert fresh.json("sales", "list") == listed and fresh.json("stock") == stock

    with fresh.unchanged():
        short = fresh.ret(return_doc(receipt, {"line_no": 1, "qty": "2"},
                                     refunds=[{"method": "cash", "amount": "1.00"}]), expect=3)
    assert short["error"] == "under_refund" and "7.00" in short["message"]

    rest = fresh.ret(return_doc(receipt, {"line_no": 1, "qty": "2"}, {"line_no": 2, "qty": "0.500"},
                                refunds=[{"method": "cash", "amount": "13.40"}]))
    check_return(rest, receipt)
    assert rest["total"] == "13.40"
    assert money(first["total"]) + money(rest["total"]) == money(sale["total"]), "everything back, to the fen"


def test_void_and_the_sales_list(fresh: Till) -> None:
    voided = fresh.sale(sale_doc({"sku": "COLA", "qty": "2"}, pay="10.00"))
    receipt = voided["receipt_no"]

    with fresh.unchanged():
        refused = fresh.json("void-sale", receipt, "--reason", "customer changed mind", *fresh.as_user("amy"),
                             expect=4)
    assert refused["error"] == "permission_denied" and "void" in refused["message"]

    done = fresh.json("void-sale", receipt, "--reason", "customer changed mind", *fresh.as_user("amy"),
                      "--approver", "sam", "--approver-pin", "3333")
    assert done["receipt_no"] == receipt and done["status"] == "voided" and done["total"] == "7.00"

    with fresh.unchanged():
        twice = fresh.json("void-sale", receipt, "--reason", "again", *fresh.as_user("sam"), expect=3)
    assert twice["error"] == "already_voided" and receipt in twice["message"]
    with fresh.unchanged():
        back = fresh.ret(return_doc(receipt, {"line_no": 1}), expect=3)
    assert "voided" in back["message"]

    today = voided["created_at"][:10]  # the business date, in the till's time zone
    listed = fresh.json("sales", "list", "--from", today, "--to", today)
    assert pick(listed, "receipt_no", "sale_id", "created_at", "status", "total") == [
        {"receipt_no": receipt, "sale_id": voided["sale_id"], "created_at": voided["created_at"],
         "status": "voided", "total": "7.00"}]

    assert fresh.json("sales", "list", "--from", "2020-01-01", "--to", "2020-12-31") == []
    bad = fresh.json("sales", "list", "--from", "2026-02-30", expect=3)
    assert bad["error"] == "bad_date" and "2026-02-30" in bad["message"]


@pytest.fixture(scope="module")
def three_colas(shop: Till) -> str:
    """A sale of three cans (a whole-unit product) to return against."""
    return shop.sale(sale_doc({"sku": "COLA", "qty": "3"}, pay="20.00"))["receipt_no"]


def test_half_a_can_cannot_be_returned(shop: Till, three_colas: str) -> None:
    with shop.unchanged():
        doc = shop.ret(return_doc(three_colas, {"line_no": 1, "qty": "0.5"}), expect=3)
    assert "whole units" in doc["message"]


def test_a_line_number_must_be_a_number(shop: Till, three_colas: str) -> None:
    with shop.unchanged():
        doc = shop.ret(return_doc(three_colas, {"line_no": True, "qty": "1"}), expect=3)
    assert doc["error"] == "bad_field"
