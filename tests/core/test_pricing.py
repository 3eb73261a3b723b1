"""Pricing exactly as ARCHITECTURE.md states it, and its invariants as properties."""

from decimal import Decimal as D

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pos_desktop.core.errors import InvalidInput
from pos_desktop.core.pricing import CashRounding, Discount, LineInput, allocate, cash_rounding, price_cart

RATES = [D("0"), D("0.03"), D("0.06"), D("0.09"), D("0.13")]


def test_worked_example_tax_inclusive():
    cart = price_cart([LineInput(D("3.50"), D("2"), D("0.13"), Discount(percent=D("10"))),
                       LineInput(D("12.80"), D("0.755"), D("0.09"))], Discount(percent=D("5")))
    first, second = cart.lines
    assert first.gross == D("7.00") and first.line_discount == D("0.70")
    assert second.gross == D("9.66")                      # 12.80 × 0.755 = 9.664 → 9.66
    # cart discount 5 % of (6.30 + 9.66) = 0.798 → 0.80, split 6.30 : 9.66
    assert cart.cart_discount == D("0.80")
    assert (first.cart_share, second.cart_share) == (D("0.32"), D("0.48"))
    assert first.net == D("5.98") and second.net == D("9.18")
    assert first.tax == D("5.98") - D("5.29")             # 5.98 / 1.13 = 5.292… → 5.29
    assert second.tax == D("9.18") - D("8.42")            # 9.18 / 1.09 = 8.422… → 8.42
    assert cart.total == D("15.16")
    assert cart.subtotal == D("16.66") and cart.discount_total == D("1.50")


def test_tax_exclusive_adds_tax_on_top():
    cart = price_cart([LineInput(D("10.00"), D("1"), D("0.13"))], tax_inclusive=False)
    assert cart.lines[0].tax == D("1.30")
    assert cart.total == D("11.30")


def test_leftover_cent_goes_to_the_first_largest_line():
    # 0.10 over three equal lines: 0.03 each, the leftover 0.01 to the first of the largest
    assert allocate(D("0.10"), [D("1.00"), D("1.00"), D("1.00")], 2) == [D("0.04"), D("0.03"), D("0.03")]
    assert allocate(D("0.10"), [D("1.00"), D("2.00"), D("2.00")], 2) == [D("0.02"), D("0.04"), D("0.04")]


def test_discount_amount_above_the_line_is_refused():
    with pytest.raises(InvalidInput, match="more than"):
        price_cart([LineInput(D("3.50"), D("1"), D("0.13"), Discount(amount=D("4.00")))])


def test_discount_over_100_percent_is_refused():
    with pytest.raises(InvalidInput, match="between 0 and 100"):
        Discount(percent=D("101"))


def test_cash_rounding_modes():
    assert cash_rounding(D("12.34"), CashRounding.NONE) == D("0.00")
    assert cash_rounding(D("12.34"), CashRounding.DROP_FEN) == D("-0.04")
    assert cash_rounding(D("12.35"), CashRounding.ROUND_JIAO) == D("0.05")
    assert cash_rounding(D("12.34"), CashRounding.ROUND_JIAO) == D("-0.04")
    assert cash_rounding(D("12.34"), CashRounding.DROP_JIAO) == D("-0.34")


money = st.integers(min_value=0, max_value=500_000).map(lambda n: D(n) / 100)
qty = st.integers(min_value=1, max_value=50_000).map(lambda n: D(n) / 1000)
line = st.builds(
    LineInput, unit_price=money, qty=qty, tax_rate=st.sampled_from(RATES),
    discount=st.one_of(st.none(), st.integers(0, 100).map(lambda p: Discount(percent=D(p)))))
cart_discount = st.one_of(st.none(), st.integers(0, 100).map(lambda p: Discount(percent=D(p))))


@given(st.lists(line, min_size=1, max_size=25), cart_discount, st.booleans())
def test_pricing_invariants(lines, discount, inclusive):
    cart = price_cart(lines, discount, tax_inclusive=inclusive)
    nets = sum((ln.net for ln in cart.lines), D(0))
    taxes = sum((ln.tax for ln in cart.lines), D(0))
    assert cart.total == (nets if inclusive else nets + taxes)             # Σ line nets = total
    assert sum((ln.cart_share for ln in cart.lines), D(0)) == cart.cart_discount  # allocation is exact
    assert cart.subtotal - cart.discount_total == nets
    for ln in cart.lines:
        assert ln.tax >= 0 and ln.net >= 0                                  # tax never negative
        assert ln.net == ln.net.quantize(D("0.01"))
        if inclusive:
            assert ln.tax <= ln.net


@given(st.integers(0, 10**7).map(lambda n: D(n) / 100),
       st.lists(st.integers(0, 10**6).map(lambda n: D(n) / 100), min_size=1, max_size=30))
def test_allocation_sums_exactly_and_never_exceeds_a_line(total, weights):
    total = min(total, sum(weights, D(0)))
    shares = allocate(total, weights, 2)
    assert sum(shares, D(0)) == (total if sum(weights, D(0)) else 0)
    assert all(0 <= s <= w for s, w in zip(shares, weights))
