from decimal import Decimal as D

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pos_desktop.core.errors import InvalidInput
from pos_desktop.core.money import (format_money, format_qty, format_rate, from_minor, parse_money, parse_percent,
                                    parse_qty, parse_rate, rate_to_bp, round_half_up, to_minor)


def test_round_half_up_rounds_halves_away_from_zero():
    assert round_half_up(D("2.345")) == D("2.35")
    assert round_half_up(D("2.344")) == D("2.34")
    assert round_half_up(D("0.005")) == D("0.01")
    assert round_half_up(D("-0.005")) == D("-0.01")


def test_parse_money_refuses_floats_and_extra_decimals():
    assert parse_money("12.3") == D("12.30")
    assert parse_money(5) == D("5.00")
    with pytest.raises(InvalidInput, match="float"):
        parse_money(12.3)
    with pytest.raises(InvalidInput, match="more than 2 decimals"):
        parse_money("1.005")
    with pytest.raises(InvalidInput, match="not a number"):
        parse_money("abc")
    with pytest.raises(InvalidInput, match="not a number"):
        parse_money("NaN")


def test_quantities_have_three_places():
    assert parse_qty("0.755") == D("0.755")
    assert format_qty(D("1.5")) == "1.500"
    with pytest.raises(InvalidInput, match="more than 3 decimals"):
        parse_qty("0.7555")
    with pytest.raises(InvalidInput, match="not a number"):
        parse_qty("two")


def test_percent_and_rate_ranges():
    assert parse_percent("10") == D("10.00")
    with pytest.raises(InvalidInput, match="between 0 and 100"):
        parse_percent("120")
    assert parse_rate("0.13") == D("0.13")
    assert rate_to_bp(D("0.13")) == 1300
    assert format_rate(D("0.1300")) == "0.13"
    assert format_rate(D("0")) == "0.00"
    with pytest.raises(InvalidInput, match="fraction"):
        parse_rate("13")


@given(st.integers(min_value=-10**12, max_value=10**12))
def test_minor_units_round_trip(minor):
    assert to_minor(from_minor(minor)) == minor
    assert format_money(from_minor(minor)) == f"{from_minor(minor):.2f}"


def test_to_minor_refuses_fractions_of_a_fen():
    with pytest.raises(ValueError):
        to_minor(D("1.005"))


def test_absurd_amounts_are_refused_not_crashed():
    with pytest.raises(InvalidInput, match="far too large"):
        parse_money("1e30")
    with pytest.raises(InvalidInput, match="far too large"):
        parse_qty("1e20")
    assert parse_money("999999999999.99") == D("999999999999.99")
