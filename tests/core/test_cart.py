from datetime import datetime, timezone
from decimal import Decimal as D

import pytest

from pos_desktop.core.cart import Cart, CartState, ProductInfo
from pos_desktop.core.errors import InvalidInput
from pos_desktop.core.pricing import Discount
from pos_desktop.core.promotions import PromoKind, Promotion

AT = datetime(2026, 11, 20, 10, tzinfo=timezone.utc)
COLA = ProductInfo("p1", "COLA", "Cola", D("3.50"), D("0.13"), category_id="drinks")
APPLE = ProductInfo("p2", "APPLE", "Apple", D("12.80"), D("0.09"), unit="kg", is_weighed=True)
CHIPS = ProductInfo("p3", "CHIPS", "Chips", D("7.90"), D("0.13"), member_price=D("6.90"), category_id="snacks")


def test_a_second_scan_raises_the_quantity_and_packs_multiply():
    cart = Cart()
    cart.add(COLA, barcode="690")
    cart.add(COLA, barcode="690")
    cart.add(COLA, D(6), barcode="pack")
    assert [(ln.line_no, ln.qty) for ln in cart.lines] == [(1, D(2)), (2, D(6))]
    assert cart.item_count == D(8)


def test_weighed_items_never_merge_and_piece_goods_need_whole_units():
    cart = Cart()
    cart.add(APPLE, D("0.755"))
    cart.add(APPLE, D("0.500"))
    assert len(cart.lines) == 2
    with pytest.raises(InvalidInput, match="whole units"):
        cart.add(COLA, D("1.5"))


@pytest.mark.parametrize("qty", [D(0), D(-1)])
def test_zero_or_negative_quantity_is_refused(qty):
    with pytest.raises(InvalidInput, match="more than 0"):
        Cart().add(COLA, qty)


def test_change_qty_remove_and_renumber():
    cart = Cart()
    cart.add(COLA)
    cart.add(CHIPS)
    cart.add(APPLE, D("1.000"))
    cart.set_qty(1, D(3))
    cart.remove(2)
    assert [(ln.line_no, ln.product.sku, ln.qty) for ln in cart.lines] == [(1, "COLA", D(3)), (2, "APPLE", D(1))]
    with pytest.raises(InvalidInput, match="no line 5"):
        cart.set_qty(5, D(1))


def test_price_override_and_discounts_price_the_cart():
    cart = Cart()
    cart.add(COLA, D(2))
    cart.override_price(1, D("3.00"))
    cart.set_line_discount(1, Discount(percent=D(10)))
    priced = cart.price(at=AT).cart
    assert priced.lines[0].gross == D("6.00") and priced.total == D("5.40")


def test_suspend_resume_and_closed_states():
    cart = Cart()
    with pytest.raises(InvalidInput, match="empty"):
        cart.suspend()
    cart.add(COLA)
    cart.suspend()
    with pytest.raises(InvalidInput, match="suspended"):
        cart.add(COLA)
    cart.resume()
    cart.add(COLA)
    cart.complete()
    assert cart.state is CartState.COMPLETED
    with pytest.raises(InvalidInput, match="completed"):
        cart.remove(1)


def test_best_single_promotion_wins_and_member_price_needs_a_member():
    promos = [Promotion("x", "10% snacks", PromoKind.PERCENT_OFF, category_id="snacks", percent=D(10)),
              Promotion("y", "buy 2 get 1 cola", PromoKind.BUY_N_GET_M, product_id="p1", buy_n=2, get_m=1)]
    cart = Cart()
    cart.add(CHIPS, D(2))
    cart.add(COLA, D(7))
    priced = cart.price(at=AT, promotions=promos)
    assert priced.offers[0].promotion_id == "x" and priced.cart.lines[0].promo_discount == D("1.58")
    assert priced.cart.lines[1].promo_discount == D("7.00")        # 7 cola: 2 free
    cart.set_customer("m1", "M0001")
    priced = cart.price(at=AT, promotions=promos)
    assert priced.offers[0].label == "member_price" and priced.cart.lines[0].promo_discount == D("2.00")


def test_promotion_date_range_and_members_only():
    promo = Promotion("z", "members", PromoKind.AMOUNT_OFF, product_id="p1", amount=D("0.50"),
                      starts=datetime(2026, 11, 21, tzinfo=timezone.utc), members_only=True)
    cart = Cart()
    cart.add(COLA, D(2))
    cart.set_customer("m1", "M1")
    assert cart.price(at=AT, promotions=[promo]).cart.lines[0].promo_discount == 0
    later = datetime(2026, 11, 22, tzinfo=timezone.utc)
    assert cart.price(at=later, promotions=[promo]).cart.lines[0].promo_discount == D("1.00")
