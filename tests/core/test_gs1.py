"""GS1 Application Identifier element strings: both forms, dates, weights, and every way a label can be wrong."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pos_desktop.core.errors import BarcodeError, InvalidInput
from pos_desktop.core.gs1 import (
    AI_TABLE,
    GS,
    Gs1Data,
    gs1_check_digit,
    gs1_date,
    has_valid_check_digit,
    looks_like_gs1,
    parse_gs1,
)

GTIN = "06901234567892"
SSCC = "106141411234567897"


def test_bracketed_form_reads_gtin_expiry_and_lot():
    data = parse_gs1("(01)06901234567892(17)261231(10)LOT42")
    assert data.ais == {"01": GTIN, "17": "261231", "10": "LOT42"}
    assert data.gtin == GTIN
    assert data.expiry == datetime.date(2026, 12, 31)
    assert data.lot == "LOT42"
    assert data.serial is None and data.best_before is None and data.net_weight_kg is None


def test_raw_form_with_symbology_identifier_and_fnc1_separators():
    data = parse_gs1("]C1" + "01" + GTIN + "17261231" + "10LOT42" + GS + "21SER-9/1")
    assert data.ais == {"01": GTIN, "17": "261231", "10": "LOT42", "21": "SER-9/1"}
    assert data.serial == "SER-9/1"


@pytest.mark.parametrize("prefix", ["]C1", "]d2", "]Q3", "]e0", "]J1", "", GS])
def test_raw_form_with_each_gs1_symbology_prefix_or_leading_fnc1(prefix):
    assert parse_gs1(prefix + "01" + GTIN + "10AB12").ais == {"01": GTIN, "10": "AB12"}


def test_variable_field_first_needs_a_separator_and_then_any_order_works():
    data = parse_gs1("10LOT42" + GS + "15270115" + "01" + GTIN)
    assert data.lot == "LOT42"
    assert data.best_before == datetime.date(2027, 1, 15)
    assert data.gtin == GTIN


def test_separator_after_a_fixed_field_outside_the_predefined_list_is_accepted():
    # AI 422 is fixed-length but not in the GS1 predefined-length table, so labels put an FNC1 after it.
    data = parse_gs1("01" + GTIN + "422156" + GS + "10LOT")
    assert data.ais == {"01": GTIN, "422": "156", "10": "LOT"}


def test_same_result_from_both_forms():
    raw = "01" + GTIN + "3103001250" + "11250301" + "10L1" + GS + "30" + "12"
    bracketed = "(01)" + GTIN + "(3103)001250(11)250301(10)L1(30)12"
    assert parse_gs1(raw) == parse_gs1(bracketed)
    assert parse_gs1(raw).bracketed() == bracketed


def test_receiving_dock_label_with_sscc_glns_and_counts():
    data = parse_gs1("(00)" + SSCC + "(02)" + GTIN + "(37)24(410)6901234000009(400)PO-7781")
    assert data.sscc == SSCC
    assert data.gtin is None
    assert data.count == 24
    assert data.ais["410"] == "6901234000009"


def test_pharmacy_label_with_national_number_and_serial():
    data = parse_gs1("]d2" + "01" + GTIN + "17270600" + "21" + "A1B2C3" + GS + "7101234567")
    assert data.expiry == datetime.date(2027, 6, 30)
    assert data.serial == "A1B2C3"
    assert data.ais["710"] == "1234567"


# --- dates ---


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("261231", datetime.date(2026, 12, 31)),
        ("260200", datetime.date(2026, 2, 28)),
        ("240200", datetime.date(2024, 2, 29)),
        ("261100", datetime.date(2026, 11, 30)),
        ("260100", datetime.date(2026, 1, 31)),
        ("000101", datetime.date(2000, 1, 1)),
        ("991231", datetime.date(2099, 12, 31)),
    ],
)
def test_expiry_dates_and_day_00_means_last_day_of_month(value, expected):
    assert parse_gs1("(01)" + GTIN + "(17)" + value).expiry == expected


def test_production_and_best_before_dates():
    data = parse_gs1("(11)250301(15)250400")
    assert data.production_date == datetime.date(2025, 3, 1)
    assert data.best_before == datetime.date(2025, 4, 30)


@pytest.mark.parametrize("value", ["261301", "260000", "260230", "250229", "261232"])
def test_invalid_expiry_date_is_rejected_and_named(value):
    with pytest.raises(BarcodeError) as caught:
        parse_gs1("(01)" + GTIN + "(17)" + value)
    assert value in caught.value.message
    assert "(17)" in caught.value.message


def test_day_00_is_not_allowed_where_gs1_wants_a_real_day():
    with pytest.raises(BarcodeError, match="7006"):
        gs1_date("260100", "7006")


# --- check digits ---


def test_wrong_gtin_check_digit_inside_01_is_rejected_with_the_expected_digit():
    with pytest.raises(BarcodeError) as caught:
        parse_gs1("(01)06901234567891(10)LOT")
    assert "06901234567891" in caught.value.message
    assert "(01)" in caught.value.message
    assert "expected 2" in caught.value.message


def test_wrong_sscc_check_digit_is_rejected():
    with pytest.raises(BarcodeError, match="106141411234567890"):
        parse_gs1("00106141411234567890")


def test_gs1data_built_by_hand_is_checked_too():
    with pytest.raises(BarcodeError, match="wrong check digit"):
        Gs1Data({"01": "06901234567893"})
    with pytest.raises(BarcodeError, match="261331"):
        Gs1Data({"17": "261331"})


def test_gs1_errors_are_invalid_input_for_the_cli_and_the_ui():
    with pytest.raises(InvalidInput) as caught:
        parse_gs1("(01)06901234567891")
    assert caught.value.code == "bad_barcode"


# --- malformed strings ---


def test_truncated_fixed_field_names_the_position_and_the_ai():
    with pytest.raises(BarcodeError) as caught:
        parse_gs1("0106901234567")
    message = caught.value.message
    assert "position 3" in message and "(01)" in message and "14" in message


def test_fixed_field_cut_short_by_a_separator_names_the_position():
    with pytest.raises(BarcodeError) as caught:
        parse_gs1("]C1" + "01" + GTIN + "172612" + GS + "10LOT")
    assert "position 22" in caught.value.message and "(17)" in caught.value.message


def test_truncated_fixed_field_in_bracketed_form():
    with pytest.raises(BarcodeError) as caught:
        parse_gs1("(01)" + GTIN + "(17)2612(10)LOT")
    assert "(17)" in caught.value.message and "position 23" in caught.value.message


def test_unknown_ai_names_the_position():
    with pytest.raises(BarcodeError) as caught:
        parse_gs1("01" + GTIN + "05ABC")
    assert "unknown application identifier" in caught.value.message
    assert "position 17" in caught.value.message


def test_unknown_ai_in_bracketed_form_names_the_position():
    with pytest.raises(BarcodeError, match="position 19"):
        parse_gs1("(01)" + GTIN + "(05)ABC")


def test_text_before_the_first_bracket_is_an_unknown_ai_at_position_1():
    with pytest.raises(BarcodeError, match="position 1"):
        parse_gs1("(1)23")


def test_variable_field_too_long_suggests_a_missing_separator():
    with pytest.raises(BarcodeError) as caught:
        parse_gs1("10" + "A" * 21)
    message = caught.value.message
    assert "(10)" in message and "20" in message and "separator" in message


def test_letters_in_a_numeric_field_are_rejected():
    with pytest.raises(BarcodeError, match=r"\(17\) at position 5 must be digits"):
        parse_gs1("(17)26AB31")


def test_empty_variable_field_is_rejected():
    with pytest.raises(BarcodeError, match=r"\(10\)"):
        parse_gs1("(01)" + GTIN + "(10)")


def test_control_character_inside_data_is_rejected():
    with pytest.raises(BarcodeError, match="not allowed"):
        parse_gs1("(10)AB\x07C")


def test_the_same_ai_twice_with_different_values_is_rejected():
    with pytest.raises(BarcodeError, match=r"\(10\) twice"):
        parse_gs1("10A" + GS + "10B")


def test_the_same_ai_twice_with_the_same_value_is_harmless():
    assert parse_gs1("10A" + GS + "10A").lot == "A"


@pytest.mark.parametrize("text", ["]C1", "", GS, "]d2" + GS])
def test_no_data_is_rejected(text):
    with pytest.raises(BarcodeError, match="no data"):
        parse_gs1(text)


# --- measures and counts ---


@pytest.mark.parametrize(
    ("ai", "value", "expected"),
    [("3100", "000005", Decimal(5)), ("3103", "001250", Decimal("1.250")), ("3102", "001255", Decimal("12.55")),
     ("3105", "123456", Decimal("1.23456")), ("3103", "000000", Decimal("0.000"))],
)
def test_net_weight_in_kg_is_exact_with_n_decimals(ai, value, expected):
    weight = parse_gs1(f"({ai}){value}").net_weight_kg
    assert weight == expected
    assert weight.as_tuple().exponent == -int(ai[3])


@given(st.integers(0, 9), st.integers(0, 999_999))
def test_net_weight_property(decimals, units):
    weight = parse_gs1(f"310{decimals}{units:06d}").net_weight_kg
    assert weight * 10**decimals == units
    assert isinstance(weight, Decimal)


def test_amount_payable_prefers_392n_and_zero_is_an_amount():
    assert parse_gs1("(3922)0000").amount_payable == Decimal("0.00")
    assert parse_gs1("(3902)1299").amount_payable == Decimal("12.99")


def test_count_from_30_or_37():
    assert parse_gs1("(30)12").count == 12
    assert parse_gs1("(37)0024").count == 24
    assert parse_gs1("(01)" + GTIN).count is None


# --- the table, the value object and the helpers ---


def test_ai_table_is_prefix_free_so_raw_strings_have_one_reading():
    clashes = [(a, b) for a in AI_TABLE for b in AI_TABLE if a != b and b.startswith(a)]
    assert clashes == []


@pytest.mark.parametrize(
    ("ai", "length"),
    [("00", 18), ("01", 14), ("02", 14), ("11", 6), ("12", 6), ("13", 6), ("15", 6), ("16", 6), ("17", 6),
     ("20", 2), ("3100", 6), ("3695", 6), ("410", 13), ("417", 13), ("7003", 10)],
)
def test_fixed_lengths_follow_the_general_specifications(ai, length):
    assert AI_TABLE[ai].fixed and AI_TABLE[ai].max_len == length


@pytest.mark.parametrize(
    ("ai", "maximum"),
    [("10", 20), ("21", 20), ("22", 20), ("30", 8), ("37", 8), ("240", 30), ("241", 30), ("250", 30),
     ("251", 30), ("400", 30), ("401", 30), ("403", 30), ("420", 20), ("421", 12), ("8200", 70)],
)
def test_variable_lengths_follow_the_general_specifications(ai, maximum):
    assert not AI_TABLE[ai].fixed and AI_TABLE[ai].max_len == maximum


def test_gs1data_is_frozen_hashable_and_keeps_its_own_copy():
    source = {"01": GTIN}
    data = Gs1Data(source)
    source["10"] = "X"
    assert data.ais == {"01": GTIN}
    assert hash(data) == hash(Gs1Data({"01": GTIN}))
    with pytest.raises(AttributeError):
        data.ais = {}  # type: ignore[misc]


@pytest.mark.parametrize(
    ("text", "expected"),
    [("(01)" + GTIN, True), ("]C1" + "01" + GTIN, True), ("10A" + GS + "21B", True), ("6901234567892", False),
     ("ABC-123", False), ("(AB)", False)],
)
def test_looks_like_gs1(text, expected):
    assert looks_like_gs1(text) is expected


def test_check_digit_helpers():
    assert gs1_check_digit("0690123456789") == 2
    assert has_valid_check_digit(GTIN)
    assert not has_valid_check_digit("06901234567891")
    assert not has_valid_check_digit("7")
    assert not has_valid_check_digit("ABC")


# --- properties: generated element strings read back exactly ---

_lots = st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-./", min_size=1, max_size=20)
_dates = st.dates(datetime.date(2000, 1, 1), datetime.date(2099, 12, 31)).map(lambda d: d.strftime("%y%m%d"))
_gtins = st.text(alphabet="0123456789", min_size=13, max_size=13).map(lambda b: b + str(gs1_check_digit(b)))


@given(gtin=_gtins, expiry=_dates, lot=_lots, serial=_lots, count=st.integers(0, 99_999_999))
def test_generated_strings_read_back_in_both_forms(gtin, expiry, lot, serial, count):
    ais = {"01": gtin, "17": expiry, "10": lot, "21": serial, "30": str(count)}
    raw = "]C1" + "01" + gtin + "17" + expiry + "10" + lot + GS + "21" + serial + GS + "30" + str(count)
    assert parse_gs1(raw).ais == ais
    assert parse_gs1(Gs1Data(ais).bracketed()).ais == ais
    assert parse_gs1(raw).expiry == datetime.date(2000 + int(expiry[:2]), int(expiry[2:4]), int(expiry[4:]))


@given(gtin=_gtins, position=st.integers(0, 13), digit=st.sampled_from("0123456789"))
def test_every_single_digit_corruption_of_the_gtin_is_rejected(gtin, position, digit):
    corrupted = gtin[:position] + digit + gtin[position + 1:]
    if corrupted == gtin:
        return
    with pytest.raises(BarcodeError, match="wrong check digit"):
        parse_gs1("(01)" + corrupted)


@given(gtin=_gtins, cut=st.integers(1, 15))
def test_any_truncation_of_the_gtin_field_is_rejected_with_a_position(gtin, cut):
    text = ("01" + gtin)[:-cut]
    with pytest.raises(BarcodeError, match="position"):
        parse_gs1(text)
