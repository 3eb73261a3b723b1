"""Checkout through the real service on a real SQLite file: what is stored, and what a cashier is told."""

import json
import sqlite3
from decimal import Decimal as D

import pytest

from pos_desktop.core.barcodes import append_check_digit
from pos_desktop.core.cart import Cart
from pos_desktop.core.errors import BarcodeError, InvalidInput, NotFound, PermissionDenied
from pos_desktop.core.pricing import Discount
from pos_desktop.services import catalog, checkout, stock
from pos_desktop.services.checkout import Tender
from tests.conftest import CHIPS, COLA, COLA_6, MILK


def scan(ctx, cart, code, qty=D(1)):
    found = catalog.lookup_scan(ctx, code)
    return cart.add(found.product, found.qty * qty, barcode=found.barcode, fixed_gross=found.fixed_gross)


def rows(ctx, query, *params):
    conn = sqlite3.connect(ctx.db.path)
    try:
        return conn.execute(query, params).fetchall()
    finally:
        conn.close()


def test_a_cash_sale_writes_everything_in_one_go(ctx, cashier):
    cart = Cart()
    scan(ctx, cart, COLA)
    scan(ctx, cart, COLA_6)                                   # pack barcode: six at once
    scan(ctx, cart, append_check_digit("201234501234"))       # scale label: 12.34 of apples
    receipt = checkout.complete_sale(ctx, cart, [Tender("cash", D("50"))], cashier)
    assert receipt.receipt_no == "S01-T01-000001"
    assert [ln.qty for ln in receipt.lines] == [D(1), D(6), D("0.964")]
    assert receipt.lines[2].gross == D("12.34")
    assert receipt.total == D("36.84") and receipt.change == D("13.16")
    assert rows(ctx, "SELECT count(*) FROM sale_lines") == [(3,)]
    assert rows(ctx, "SELECT count(*) FROM stock_movements WHERE doc_id = ?", receipt.sale_id) == [(3,)]
    (kind, payload), = rows(ctx, "SELECT kind, payload FROM outbox WHERE kind = 'sale.completed'")
    assert json.loads(payload)["sale"]["receipt_no"] == receipt.receipt_no
    assert rows(ctx, "SELECT count(*) FROM journal WHERE kind = 'sale' AND doc_id = ?", receipt.sale_id) == [(1,)]
    assert stock.on_hand(ctx, receipt.lines[0].sku and catalog.find_product(ctx, sku="COLA").id, "FLOOR") == D(-7)
    assert any("COLA" in w for w in receipt.warnings)         # negative stock is allowed, and said


def test_receipt_numbers_follow_each_other(ctx, cashier):
    numbers = []
    for _ in range(3):
        cart = Cart()
        scan(ctx, cart, COLA)
        numbers.append(checkout.complete_sale(ctx, cart, [Tender("card", D("3.50"))], cashier).receipt_no)
    assert numbers == ["S01-T01-000001", "S01-T01-000002", "S01-T01-000003"]


def test_split_tender_change_only_in_cash(ctx, cashier):
    cart = Cart()
    scan(ctx, cart, CHIPS, D(2))                              # 15.80
    receipt = checkout.complete_sale(ctx, cart, [Tender("qr", D("10.00")), Tender("cash", D("10.00"))], cashier)
    assert receipt.change == D("4.20")
    cart = Cart()
    scan(ctx, cart, CHIPS)
    with pytest.raises(InvalidInput, match="change is only given in cash"):
        checkout.complete_sale(ctx, cart, [Tender("card", D("10.00"))], cashier)


def test_underpaid_sale_is_refused_and_nothing_is_written(ctx, cashier):
    cart = Cart()
    scan(ctx, cart, CHIPS)
    with pytest.raises(InvalidInput, match="Underpaid: 7.90 is due but only 5.00 was paid") as err:
        checkout.complete_sale(ctx, cart, [Tender("cash", D("5.00"))], cashier)
    assert err.value.exit_code == 3
    assert rows(ctx, "SELECT count(*) FROM sales") == [(0,)]
    assert rows(ctx, "SELECT count(*) FROM stock_movements") == [(0,)]
    assert rows(ctx, "SELECT count(*) FROM outbox WHERE kind = 'sale.completed'") == [(0,)]


def test_bad_and_unknown_barcodes_never_guess(ctx):
    with pytest.raises(BarcodeError, match="check digit"):
        catalog.lookup_scan(ctx, "6901234567893")
    with pytest.raises(NotFound, match="Unknown barcode 6900000000014"):
        catalog.lookup_scan(ctx, append_check_digit("690000000001"))


def test_price_override_needs_a_supervisor(ctx, cashier, supervisor):
    cart = Cart()
    scan(ctx, cart, COLA)
    cart.override_price(1, D("3.00"))
    with pytest.raises(PermissionDenied, match="may not override a price"):
        checkout.complete_sale(ctx, cart, [Tender("cash", D("3.00"))], cashier)
    receipt = checkout.complete_sale(ctx, cart, [Tender("cash", D("3.00"))], cashier, approver=supervisor)
    assert receipt.total == D("3.00")
    (entry,), = rows(ctx, "SELECT entry FROM journal WHERE kind = 'price_override'")
    assert json.loads(entry)["approver"] == "sam"


def test_discount_above_the_cashier_limit_needs_a_manager(ctx, cashier, manager):
    cart = Cart()
    scan(ctx, cart, CHIPS)
    cart.set_line_discount(1, Discount(percent=D(10)))        # at the limit: fine
    assert checkout.complete_sale(ctx, cart, [Tender("cash", D("10"))], cashier).total == D("7.11")
    cart = Cart()
    scan(ctx, cart, CHIPS)
    cart.set_cart_discount(Discount(percent=D(20)))
    with pytest.raises(PermissionDenied, match="above amy's limit of 10"):
        checkout.complete_sale(ctx, cart, [Tender("cash", D("10"))], cashier)
    checkout.complete_sale(ctx, cart, [Tender("cash", D("10"))], cashier, approver=manager)
    assert rows(ctx, "SELECT count(*) FROM journal WHERE kind = 'discount_over_limit'") == [(1,)]


def test_member_earns_and_redeems_points(ctx, cashier):
    cart = Cart()
    scan(ctx, cart, CHIPS, D(10))
    cart.set_customer("x", "M0001")
    receipt = checkout.complete_sale(ctx, cart, [Tender("cash", D("100"))], cashier)
    assert receipt.total == D("69.00")                        # member price 6.90
    assert receipt.points_earned == 69 and receipt.points_balance == 69
    cart = Cart()
    scan(ctx, cart, COLA)
    cart.set_customer("x", "13800000001")                     # by phone
    receipt = checkout.complete_sale(ctx, cart, [Tender("points", D("0.50")), Tender("cash", D("3.00"))], cashier)
    assert receipt.points_balance == 69 - 50 + 3
    cart = Cart()
    scan(ctx, cart, COLA)
    cart.set_customer("x", "M0001")
    with pytest.raises(InvalidInput, match="has 22 points, not the 350"):
        checkout.complete_sale(ctx, cart, [Tender("points", D("3.50"))], cashier)


def test_first_expiry_first_out(ctx, cashier, manager):
    stock.adjust_stock(ctx, manager, sku="MILK", location="FLOOR", qty_delta=D(2), reason="found", lot="LATE")
    stock.adjust_stock(ctx, manager, sku="MILK", location="FLOOR", qty_delta=D(3), reason="found", lot="EARLY")
    conn = sqlite3.connect(ctx.db.path)
    conn.execute("UPDATE batches SET expiry = '2026-12-01' WHERE lot = 'EARLY'")
    conn.execute("UPDATE batches SET expiry = '2027-01-01' WHERE lot = 'LATE'")
    conn.commit()
    conn.close()
    cart = Cart()
    scan(ctx, cart, MILK, D(4))
    checkout.complete_sale(ctx, cart, [Tender("cash", D("20"))], cashier)
    left = {r["batch"]: r["qty"] for r in stock.stock_list(ctx, sku="MILK")}
    assert left == {"LATE": "1.000"}                           # EARLY emptied first, then one from LATE


def test_cash_rounding_is_recorded(ctx, cashier):
    ctx.settings["cash_rounding"] = "drop_fen"
    cart = Cart()
    scan(ctx, cart, CHIPS)
    scan(ctx, cart, COLA)                                      # 11.40
    cart.set_line_discount(1, Discount(amount=D("0.05")))      # 11.35
    receipt = checkout.complete_sale(ctx, cart, [Tender("cash", D("20"))], cashier)
    assert receipt.total == D("11.35") and receipt.rounding == D("-0.05") and receipt.change == D("8.70")
