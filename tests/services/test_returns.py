"""Returns and voids: documents that reference the sale; never more back than was sold."""

from decimal import Decimal as D

import pytest

from pos_desktop.core.cart import Cart
from pos_desktop.core.errors import InvalidInput, PermissionDenied
from pos_desktop.core.pricing import Discount
from pos_desktop.services import catalog, checkout, journal, returns, sales_query, stock
from pos_desktop.services.checkout import Tender
from pos_desktop.services.returns import ReturnRequest
from tests.conftest import CHIPS, COLA


def sell(ctx, cashier, *codes_qty, discount=None, customer=None):
    cart = Cart()
    for code, qty in codes_qty:
        found = catalog.lookup_scan(ctx, code)
        cart.add(found.product, found.qty * qty, barcode=found.barcode)
    if discount:
        cart.set_cart_discount(discount)
    if customer:
        cart.set_customer("x", customer)
    total = cart.price(at=ctx.clock.now()).cart.total
    return checkout.complete_sale(ctx, cart, [Tender("cash", total)], cashier)


def test_partial_returns_add_up_to_exactly_the_line(ctx, cashier):
    sale = sell(ctx, cashier, (CHIPS, D(3)), (COLA, D(1)), discount=Discount(percent=D(7)))
    line = sale.lines[0]
    parts = [returns.return_items(ctx, cashier, receipt_no=sale.receipt_no, lines=[ReturnRequest(1, D(1))])
             for _ in range(3)]
    assert sum((p.total for p in parts), D(0)) == line.net
    assert [p.receipt_no for p in parts] == ["S01-T01-000002", "S01-T01-000003", "S01-T01-000004"]
    with pytest.raises(InvalidInput, match="sold 3.000, 3.000 already returned") as err:
        returns.return_items(ctx, cashier, receipt_no=sale.receipt_no, lines=[ReturnRequest(1, D(1))])
    assert err.value.code == "over_return"
    cola_id = catalog.find_product(ctx, sku="CHIPS").id
    assert stock.on_hand(ctx, cola_id, "FLOOR") == D(0)


def test_one_request_cannot_ask_twice_for_the_same_units(ctx, cashier):
    sale = sell(ctx, cashier, (CHIPS, D(2)))
    with pytest.raises(InvalidInput, match="too many"):
        returns.return_items(ctx, cashier, receipt_no=sale.receipt_no,
                             lines=[ReturnRequest(1, D(1)), ReturnRequest(1, D(2))])


def test_refunds_must_match_what_is_due(ctx, cashier):
    sale = sell(ctx, cashier, (CHIPS, D(1)))
    with pytest.raises(InvalidInput, match="more than the 7.90 due back"):
        returns.return_items(ctx, cashier, receipt_no=sale.receipt_no, lines=[ReturnRequest(1, D(1))],
                             refunds=[Tender("cash", D("10.00"))])
    done = returns.return_items(ctx, cashier, receipt_no=sale.receipt_no, lines=[ReturnRequest(1, D(1))],
                                refunds=[Tender("card", D("5.00")), Tender("cash", D("2.90"))])
    assert done.to_json()["refunds"] == [{"method": "card", "amount": "5.00"}, {"method": "cash", "amount": "2.90"}]


def test_unknown_receipt_and_line(ctx, cashier):
    with pytest.raises(InvalidInput, match="No sale with receipt number S01-T01-000099"):
        returns.return_items(ctx, cashier, receipt_no="S01-T01-000099", lines=[ReturnRequest(1, D(1))])
    sale = sell(ctx, cashier, (COLA, D(1)))
    with pytest.raises(InvalidInput, match="has no line 4"):
        returns.return_items(ctx, cashier, receipt_no=sale.receipt_no, lines=[ReturnRequest(4, D(1))])


def test_void_needs_a_supervisor_and_reverses_stock_and_points(ctx, cashier, supervisor):
    sale = sell(ctx, cashier, (CHIPS, D(2)), customer="M0001")
    chips = catalog.find_product(ctx, sku="CHIPS").id
    assert stock.on_hand(ctx, chips) == D(-2)
    with pytest.raises(PermissionDenied, match="may not void a sale"):
        returns.void_sale(ctx, cashier, receipt_no=sale.receipt_no, reason="mistake")
    returns.void_sale(ctx, cashier, receipt_no=sale.receipt_no, reason="mistake", approver=supervisor)
    assert stock.on_hand(ctx, chips) == D(0)
    listed = {r["receipt_no"]: r["status"] for r in sales_query.list_sales(ctx)}
    assert listed[sale.receipt_no] == "voided"
    with pytest.raises(InvalidInput, match="already voided"):
        returns.void_sale(ctx, supervisor, receipt_no=sale.receipt_no, reason="again")
    with pytest.raises(InvalidInput, match="was voided"):
        returns.return_items(ctx, cashier, receipt_no=sale.receipt_no, lines=[ReturnRequest(1, D(1))])
    assert journal.verify(ctx).ok


def test_only_current_shift_sales_can_be_voided(ctx, cashier, supervisor):
    from pos_desktop.services.shifts import close_open_shift
    from pos_desktop.services.unit import write
    sale = sell(ctx, cashier, (COLA, D(1)))
    with write(ctx) as unit:
        close_open_shift(unit, supervisor.id, supervisor.username)
    with pytest.raises(InvalidInput, match="current shift"):
        returns.void_sale(ctx, supervisor, receipt_no=sale.receipt_no, reason="late")


def test_sale_with_returns_cannot_be_voided(ctx, cashier, supervisor):
    sale = sell(ctx, cashier, (COLA, D(2)))
    returns.return_items(ctx, cashier, receipt_no=sale.receipt_no, lines=[ReturnRequest(1, D(1))])
    with pytest.raises(InvalidInput, match="has returns"):
        returns.void_sale(ctx, supervisor, receipt_no=sale.receipt_no, reason="x")
