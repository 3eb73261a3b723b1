from decimal import Decimal as D

import pytest

from pos_desktop.core.cart import Cart
from pos_desktop.core.errors import InvalidInput
from pos_desktop.core.pricing import Discount
from pos_desktop.services import catalog, checkout, suspended
from pos_desktop.services.checkout import Tender
from tests.conftest import CHIPS, COLA


def test_suspend_and_resume_on_the_same_terms(ctx, cashier):
    cart = Cart()
    for code in (COLA, CHIPS, COLA):
        found = catalog.lookup_scan(ctx, code)
        cart.add(found.product, found.qty, barcode=found.barcode)
    cart.set_line_discount(2, Discount(percent=D(5)))
    cart.set_customer("x", "M0001")
    before = cart.price(at=ctx.clock.now()).cart.total
    cart_id = suspended.suspend(ctx, cashier, cart, "lady in red")
    with pytest.raises(InvalidInput, match="suspended"):
        cart.add(found.product)                            # the parked cart is no longer the cashier's
    assert [(s.label, s.lines) for s in suspended.list_suspended(ctx)] == [("lady in red", 2)]
    again = suspended.resume(ctx, cashier, cart_id)
    assert again.price(at=ctx.clock.now()).cart.total == before and again.customer_code == "M0001"
    assert suspended.list_suspended(ctx) == []
    with pytest.raises(InvalidInput, match="resumed already"):
        suspended.resume(ctx, cashier, cart_id)
    receipt = checkout.complete_sale(ctx, again, [Tender("cash", D(20))], cashier)
    assert receipt.total == before
