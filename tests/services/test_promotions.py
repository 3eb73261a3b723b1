from datetime import timedelta
from decimal import Decimal as D

import pytest

from pos_desktop.core.cart import Cart
from pos_desktop.core.errors import InvalidInput, PermissionDenied
from pos_desktop.services import catalog, checkout, promotions, till
from pos_desktop.services.checkout import Tender
from tests.conftest import CHIPS, COLA


def test_a_new_promotion_applies_at_once_even_on_another_open_till(ctx, till_dir, manager, cashier, clock):
    other = till.open_till(till_dir, clock)                     # a second open context (another window)
    try:
        assert other.promotions() == []                          # cached empty
        promotions.add_promotion(ctx, manager, name="可乐买二送一", kind="buy_n_get_m", sku="COLA", buy_n=2, get_m=1)
        assert [p.name for p in other.promotions()] == ["可乐买二送一"]   # the counter moved: reloaded
    finally:
        other.close()
    cart = Cart()
    found = catalog.lookup_scan(ctx, COLA)
    cart.add(found.product, D(3))
    receipt = checkout.complete_sale(ctx, cart, [Tender("cash", D(10))], cashier)
    assert receipt.total == D("7.00")


def test_promotion_window_and_category(ctx, manager, cashier, clock):
    promotions.add_promotion(ctx, manager, name="snacks", kind="percent_off", category="零食 Snacks",
                             percent=D(20), starts=clock.now() + timedelta(days=1))
    cart = Cart()
    found = catalog.lookup_scan(ctx, CHIPS)
    cart.add(found.product)
    assert cart.price(at=clock.now(), promotions=ctx.promotions()).cart.total == D("7.90")
    assert cart.price(at=clock.now() + timedelta(days=2), promotions=ctx.promotions()).cart.total == D("6.32")


def test_bad_promotions_are_refused(ctx, manager, cashier):
    with pytest.raises(PermissionDenied):
        promotions.add_promotion(ctx, cashier, name="x", kind="percent_off", sku="COLA", percent=D(5))
    with pytest.raises(InvalidInput, match="percent between 0 and 100"):
        promotions.add_promotion(ctx, manager, name="x", kind="percent_off", sku="COLA", percent=D(150))
    with pytest.raises(InvalidInput, match="one product or one category"):
        promotions.add_promotion(ctx, manager, name="x", kind="amount_off", amount=D(1))
