"""Barcodes at the till and in the catalog: check digits, EAN/UPC forms, in-store codes, symbology hints."""

from __future__ import annotations

import ast
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pos_desktop.core import barcodes
from pos_desktop.core.barcodes import (
    DEFAULT_LAYOUTS,
    InStoreLayouts,
    Scan,
    append_check_digit,
    expand_upce,
    gs1_check_digit,
    gtin_lookup_code,
    has_valid_check_digit,
    normalize_barcode,
    parse_instore_registration,
    parse_scan,
)
from pos_desktop.core.errors import BarcodeError, InvalidInput

GS = "\x1d"


def digits(size: int) -> st.SearchStrategy[str]:
    return st.text(alphabet="0123456789", min_size=size, max_size=size)


def with_check(size: int) -> st.SearchStrategy[str]:
    """Valid codes of ``size`` digits."""
    return digits(size - 1).map(append_check_digit)


def corruptions(code: str):
    """Every code that differs from ``code`` in exactly one digit."""
    for position, original in enumerate(code):
        for digit in "0123456789":
            if digit != original:
                yield code[:position] + digit + code[position + 1:]


# --- check digits ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "code",
    ["6901234567892", "4006381333931", "5901234123457", "9780306406157", "036000291452", "012345678905",
     "96385074", "00012345600012", "10012345678902", "106141411234567897"],
)
def test_real_codes_have_valid_check_digits(code):
    assert has_valid_check_digit(code)
    assert gs1_check_digit(code[:-1]) == int(code[-1])


@pytest.mark.parametrize(("body", "check"), [("690123456789", 2), ("03600029145", 2), ("9638507", 4),
                                             ("0", 0), ("1", 7), ("7", 9)])
def test_check_digit_weights_three_one_from_the_right(body, check):
    assert gs1_check_digit(body) == check


@pytest.mark.parametrize("body", ["", "12A4", "１２３", " 123"])
def test_check_digit_of_something_that_is_not_a_number_is_an_error(body):
    with pytest.raises(BarcodeError, match="not a number"):
        gs1_check_digit(body)


@pytest.mark.parametrize("code", ["", "5", "ABCDEFGH", "690123456789X", "６９０１２３４５６７８９２"])
def test_has_valid_check_digit_is_false_for_non_codes(code):
    assert not has_valid_check_digit(code)


@given(st.text(alphabet="0123456789", min_size=1, max_size=30))
def test_round_trip_body_plus_check_digit_is_valid(body):
    assert has_valid_check_digit(append_check_digit(body))


@given(st.sampled_from([8, 12, 13, 14, 18]).flatmap(with_check))
def test_every_single_digit_corruption_is_detected(code):
    assert all(not has_valid_check_digit(bad) for bad in corruptions(code))


@given(st.sampled_from([12, 13, 14, 18]).flatmap(with_check))
def test_every_single_digit_corruption_is_rejected_by_scan_and_catalog(code):
    layouts = InStoreLayouts({})
    for bad in corruptions(code):
        with pytest.raises(BarcodeError) as caught:
            parse_scan(bad, layouts)
        assert bad in caught.value.message and "check digit" in caught.value.message
        with pytest.raises(BarcodeError, match=bad):
            normalize_barcode(bad)


@given(with_check(8))
def test_every_single_digit_corruption_of_an_ean8_is_rejected_when_the_scanner_says_ean8(code):
    for bad in corruptions(code):
        with pytest.raises(BarcodeError, match="check digit"):
            parse_scan("]E4" + bad)
        with pytest.raises(BarcodeError, match="check digit"):
            normalize_barcode(bad, symbology="ean8")


@given(st.sampled_from("01"), digits(6))
def test_every_single_digit_corruption_of_a_upce_is_rejected_when_the_scanner_says_upce(system, middle):
    # All but the sixth digit: that one picks the zero-suppression rule, so changing it moves the other digits
    # and may give another valid UPC-E (0000003 and 0000000 even stand for the same UPC-A). GS1 accepts this.
    code = _upce(system + middle)
    for bad in corruptions(code):
        if bad[6] != code[6]:
            continue
        with pytest.raises(BarcodeError) as caught:
            parse_scan(bad, symbology="upce")
        assert bad in caught.value.message


# --- EAN-13, UPC-A, GTIN-14, EAN-8 -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "lookup"),
    [("6901234567892", "6901234567892"), ("4006381333931", "4006381333931"), ("036000291452", "0036000291452"),
     ("0036000291452", "0036000291452"), ("00036000291452", "0036000291452"), ("06901234567892", "6901234567892"),
     ("10012345678902", "10012345678902"), ("96385074", "96385074"), ("00000096385074", "96385074"),
     ("0000096385074", "96385074")],
)
def test_gtins_of_every_length_normalise_to_one_lookup_code(code, lookup):
    assert normalize_barcode(code) == lookup
    assert gtin_lookup_code(code) == lookup
    scan = parse_scan(code)
    assert (scan.kind, scan.code) == ("gtin", lookup)


def test_china_prefix_690_ean13():
    scan = parse_scan("6901234567892")
    assert scan == Scan(raw="6901234567892", kind="gtin", code="6901234567892")


@given(with_check(12))
def test_upca_and_its_13_and_14_digit_forms_look_up_alike(upca):
    assert normalize_barcode(upca) == normalize_barcode("0" + upca) == normalize_barcode("00" + upca)
    assert normalize_barcode(upca) == "0" + upca or upca.startswith("0000")


@given(with_check(8))
def test_ean8_and_its_gtin14_form_look_up_alike(ean8):
    assert normalize_barcode(ean8, "ean8") == ean8
    assert normalize_barcode("000000" + ean8) == ean8
    assert normalize_barcode("00000" + ean8) == ean8


@given(st.sampled_from([8, 12, 13, 14]).flatmap(with_check))
def test_normalising_twice_changes_nothing(code):
    once = normalize_barcode(code)
    assert normalize_barcode(once) == once


def test_gtin_lookup_code_rejects_other_lengths():
    with pytest.raises(BarcodeError, match="123456789"):
        gtin_lookup_code("123456789")


# --- UPC-E -------------------------------------------------------------------------------------------------------


def _upce(seven: str) -> str:
    """A UPC-E: number system, six digits, and the check digit of the UPC-A it stands for."""
    return seven + str(gs1_check_digit(barcodes._upce_body(seven + "0")))


@pytest.mark.parametrize(
    ("seven", "upca_body"),
    [
        ("0123450", "01200000345"),  # last digit 0, 1, 2: manufacturer d1 d2 d6 00, item 00 d3 d4 d5
        ("0123451", "01210000345"),
        ("0123452", "01220000345"),
        ("0123453", "01230000045"),  # 3: manufacturer d1 d2 d3 00, item 000 d4 d5
        ("0123454", "01234000005"),  # 4: manufacturer d1 d2 d3 d4 0, item 0000 d5
        ("0123455", "01234500005"),  # 5-9: manufacturer d1…d5, item 0000 d6
        ("0123456", "01234500006"),
        ("0123457", "01234500007"),
        ("0123458", "01234500008"),
        ("0123459", "01234500009"),
        ("1987650", "19800000765"),  # number system 1
        ("1987653", "19870000065"),
        ("1987654", "19876000005"),
        ("1987659", "19876500009"),
    ],
)
def test_upce_expansion_for_each_last_digit_rule(seven, upca_body):
    upce = seven + str(gs1_check_digit(upca_body))
    assert expand_upce(upce) == upca_body + upce[-1]
    assert normalize_barcode(upce, "upce") == "0" + upca_body + upce[-1]


@pytest.mark.parametrize(("upce", "upca"), [("04252614", "042100005264"), ("01234565", "012345000065"),
                                            ("06543217", "065100004327")])
def test_real_upce_codes(upce, upca):
    assert expand_upce(upce) == upca
    assert parse_scan(upce, symbology="upce").code == normalize_barcode(upca) == "0" + upca


@given(st.sampled_from("01"), digits(6))
def test_upce_expands_to_a_valid_upca_that_looks_up_alike(system, middle):
    upce = _upce(system + middle)
    upca = expand_upce(upce)
    assert has_valid_check_digit(upca) and upca[0] == system and upca[-1] == upce[-1]
    assert normalize_barcode(upce, "upce") == normalize_barcode(upca)
    assert parse_scan("]E0" + upce).code == normalize_barcode(upca)


def test_upce_with_number_system_2_is_rejected():
    with pytest.raises(BarcodeError) as caught:
        expand_upce("21234565")
    assert "21234565" in caught.value.message and "0 or 1" in caught.value.message


def test_upce_with_a_wrong_check_digit_names_the_expected_digit():
    with pytest.raises(BarcodeError) as caught:
        expand_upce("04252615")
    assert "04252615" in caught.value.message and "expected 4" in caught.value.message


@pytest.mark.parametrize("code", ["0425261", "042526140", "0425261A"])
def test_upce_must_be_8_digits(code):
    with pytest.raises(BarcodeError, match="8 digits"):
        expand_upce(code)


# --- 8 digits: EAN-8 or UPC-E ----------------------------------------------------------------------------------


def test_eight_digits_valid_only_as_ean8_are_an_ean8():
    assert parse_scan("96385074").code == "96385074"


def test_eight_digits_valid_only_as_upce_are_a_upce():
    assert not has_valid_check_digit("04252614")
    assert parse_scan("04252614").code == "0042100005264"


def test_eight_digits_valid_as_both_prefer_ean8_without_a_hint():
    assert has_valid_check_digit("00000147") and expand_upce("00000147") == "000000000017"
    assert parse_scan("00000147").code == "00000147"
    assert parse_scan("]E000000147").code == normalize_barcode("000000000017")


def test_eight_digits_valid_as_neither_are_rejected_not_guessed():
    with pytest.raises(BarcodeError) as caught:
        parse_scan("04252615")
    assert "04252615" in caught.value.message and "check digit" in caught.value.message


def test_eight_digits_starting_2_to_9_are_never_a_upce():
    with pytest.raises(BarcodeError, match="96385075"):
        parse_scan("96385075")


@pytest.mark.parametrize("hint", ["ean8", "EAN-8", "]E4"])
def test_ean8_hint_rejects_a_code_only_valid_as_upce(hint):
    with pytest.raises(BarcodeError, match="04252614"):
        parse_scan("04252614", symbology=hint)


@pytest.mark.parametrize("hint", ["upce", "UPC-E", "]E0"])
def test_upce_hint_rejects_a_code_only_valid_as_ean8(hint):
    with pytest.raises(BarcodeError, match="96385074"):
        parse_scan("96385074", symbology=hint)


# --- the shop's own codes ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "stored"),
    [("ABC-123", "ABC-123"), ("abc-123", "ABC-123"), ("  x1.5/b_2 \r\n", "X1.5/B_2"), ("12345", "12345"),
     ("2012345", "2012345"), ("0012", "0012"), ("1234567890123456789012", "1234567890123456789012")],
)
def test_internal_codes_are_kept_upper_cased(code, stored):
    assert normalize_barcode(code) == stored
    scan = parse_scan(code)
    assert (scan.kind, scan.code) == ("internal", stored)


@pytest.mark.parametrize(
    ("code", "words"),
    [("", "empty"), ("  \r\n", "empty"), ("AB C", "space"), ("AB\tC", "space"), ("69012\u300034567892", "space"),
     ("AB\x00C", "control"), ("AB\x1bC", "control"), ("商品", "商品"), ("AB*C", "AB*C"), ("A" * 65, "64"),
     ("]E0", "no data")],
)
def test_codes_a_person_must_fix_are_rejected_with_what_is_wrong(code, words):
    for parse in (normalize_barcode, parse_scan):
        with pytest.raises(BarcodeError) as caught:
            parse(code)
        assert words in caught.value.message


def test_control_character_is_shown_visibly_in_the_message():
    with pytest.raises(BarcodeError, match="<00>"):
        normalize_barcode("AB\x00C")


def test_barcode_errors_are_invalid_input():
    with pytest.raises(InvalidInput) as caught:
        normalize_barcode("6901234567891")
    assert caught.value.code == "bad_barcode"
    assert caught.value.message == "Barcode 6901234567891 has a wrong check digit (expected 2)"


def test_eighteen_digits_are_validated_and_kept():
    sscc = "106141411234567897"
    assert normalize_barcode(sscc) == sscc
    assert parse_scan(sscc) == Scan(raw=sscc, kind="internal", code=sscc)
    with pytest.raises(BarcodeError, match="106141411234567898"):
        normalize_barcode("106141411234567898")


@pytest.mark.parametrize("hint", ["code128", "]C0", "]A0", "qr"])
def test_numbers_in_a_code128_are_the_shops_own_codes_without_check_digit(hint):
    assert parse_scan("12345678", symbology=hint) == Scan(raw="12345678", kind="internal", code="12345678")
    assert normalize_barcode("6901234567891", symbology=hint) == "6901234567891"


# --- in-store codes -----------------------------------------------------------------------------------------------


def test_price_embedded_code():
    code = append_check_digit("20" + "12345" + "01234")
    scan = parse_scan(code)
    assert scan == Scan(raw=code, kind="instore", code="12345", plu="12345", price_minor=1234, prefix="20")
    assert scan.registration == "2012345"


def test_weight_embedded_code():
    code = append_check_digit("25" + "00042" + "00750")
    scan = parse_scan(code)
    assert (scan.kind, scan.plu, scan.weight_g, scan.price_minor) == ("instore", "00042", 750, None)


def test_eighteen_digit_chinese_scale_code_carries_money_and_weight():
    code = append_check_digit("26" + "00042" + "00598" + "00450")
    assert len(code) == 18
    scan = parse_scan("]C0" + code + "\r\n")
    assert (scan.kind, scan.code, scan.price_minor, scan.weight_g, scan.prefix) == ("instore", "00042", 598, 450, "26")


def test_in_store_code_with_a_wrong_check_digit_is_rejected():
    code = append_check_digit("20" + "12345" + "01234")
    bad = code[:-1] + str((int(code[-1]) + 1) % 10)
    with pytest.raises(BarcodeError) as caught:
        parse_scan(bad)
    assert bad in caught.value.message and "expected " + code[-1] in caught.value.message


@given(st.integers(20, 24), digits(5), st.integers(0, 99_999))
def test_price_codes_read_back_what_the_scale_printed(prefix, plu, price):
    scan = parse_scan(append_check_digit(f"{prefix}{plu}{price:05d}"))
    assert (scan.kind, scan.plu, scan.code, scan.price_minor, scan.weight_g) == ("instore", plu, plu, price, None)


@given(st.integers(25, 29), digits(5), st.integers(0, 99_999))
def test_weight_codes_read_back_what_the_scale_printed(prefix, plu, grams):
    scan = parse_scan(append_check_digit(f"{prefix}{plu}{grams:05d}"))
    assert (scan.kind, scan.plu, scan.weight_g, scan.price_minor) == ("instore", plu, grams, None)


def test_custom_layout_with_count_and_price_check_digit():
    layouts = InStoreLayouts.from_dict({"13": {"21": "PPIIIIXQQQQQC"}})
    code = append_check_digit("21" + "1234" + "9" + "00012")
    scan = parse_scan(code, layouts)
    assert (scan.plu, scan.count, scan.price_minor, scan.weight_g) == ("1234", 12, None, None)


def test_custom_layout_for_12_digit_upca_in_store_codes_with_one_prefix_digit():
    layouts = InStoreLayouts.from_dict({"12": {"21": "PIIIIIMMMMMC"}})
    code = append_check_digit("2" + "12345" + "00599")
    scan = parse_scan(code, layouts)
    assert (scan.prefix, scan.plu, scan.price_minor) == ("2", "12345", 599)


def test_prefix_without_a_layout_is_an_ordinary_gtin():
    code = append_check_digit("20" + "12345" + "01234")
    assert parse_scan(code, InStoreLayouts({})) == Scan(raw=code, kind="gtin", code=code)


def test_catalog_keeps_an_in_store_code_as_a_gtin():
    code = append_check_digit("20" + "12345" + "01234")
    assert normalize_barcode(code) == code


def test_registration_codes():
    assert parse_instore_registration("2012345") == ("20", "12345")
    assert parse_instore_registration(" 2912345 ") == ("29", "12345")


@pytest.mark.parametrize("code", ["1012345", "201234", "20123456", "20A2345", ""])
def test_bad_registration_codes_are_named(code):
    with pytest.raises(BarcodeError) as caught:
        parse_instore_registration(code)
    assert code in caught.value.message and "7 digits" in caught.value.message


# --- layouts -------------------------------------------------------------------------------------------------------


def test_default_layouts():
    layouts = InStoreLayouts.default()
    assert layouts.layout_for("2012345012344") == "PPIIIIIMMMMMC"
    assert layouts.layout_for("2412345012344") == "PPIIIIIMMMMMC"
    assert layouts.layout_for("2512345012344") == "PPIIIIIWWWWWC"
    assert layouts.layout_for("2912345012344") == "PPIIIIIWWWWWC"
    assert layouts.layout_for("261234501234012345") == "PPIIIIIMMMMMWWWWWC"
    assert layouts.layout_for("271234501234012345") is None
    assert layouts.layout_for("6901234567892") is None
    assert layouts.to_dict() == DEFAULT_LAYOUTS


def test_layouts_from_settings_round_trip():
    settings = {"13": {"20": "ppiiiiimmmmmc"}, "18": {"26": "PPIIIIIMMMMMWWWWWC"}}
    layouts = InStoreLayouts.from_dict(settings)
    assert layouts.layouts == {(13, "20"): "PPIIIIIMMMMMC", (18, "26"): "PPIIIIIMMMMMWWWWWC"}
    assert InStoreLayouts.from_dict(layouts.to_dict()) == layouts
    assert hash(layouts) == hash(InStoreLayouts.from_dict(layouts.to_dict()))


@pytest.mark.parametrize(
    ("settings", "words"),
    [
        ({"13": {"20": "PPIIIIIMMMMC"}}, ["PPIIIIIMMMMC", "13 letters", "not 12"]),
        ({"13": {"20": "PPIIIIIMMMMMZ"}}, ["PPIIIIIMMMMMZ", "only the letters"]),
        ({"13": {"20": "PPIIIIIMMMMMM"}}, ["PPIIIIIMMMMMM", "one C"]),
        ({"13": {"20": "PPIIIIIMMMMCC"}}, ["PPIIIIIMMMMCC", "one C"]),
        ({"13": {"20": "PPIIIIICMMMMC"}}, ["PPIIIIICMMMMC", "one C"]),
        ({"13": {"20": "IIIIIIIMMMMMC"}}, ["IIIIIIIMMMMMC", "P (the prefix)"]),
        ({"13": {"20": "PPPIIIIMMMMMC"}}, ["PPPIIIIMMMMMC", "P (the prefix)"]),
        ({"13": {"20": "PPIIIIPMMMMMC"}}, ["PPIIIIPMMMMMC", "P (the prefix)"]),
        ({"13": {"20": "PPXXXXXMMMMMC"}}, ["PPXXXXXMMMMMC", "at least one I"]),
        ({"13": {"20": "PPIIIMMIIMMMC"}}, ["PPIIIMMIIMMMC", "letters I must stand together"]),
        ({"13": {"20": "PPIIIIIWWMWWC"}}, ["PPIIIIIWWMWWC", "letters W must stand together"]),
        ({"13": {"30": "PPIIIIIMMMMMC"}}, ["30", "20 to 29"]),
        ({"13": {"2": "PPIIIIIMMMMMC"}}, ["prefix 2 ", "20 to 29"]),
        ({"7": {"20": "PPIIIIC"}}, ["not 7", "8 to 18"]),
        ({"abc": {"20": "PPIIIIIMMMMMC"}}, ["abc", "code length"]),
        ({"13": "PPIIIIIMMMMMC"}, ["13", "code length"]),
        ({"13": {"20": 12}}, ["prefix 20", "text"]),
    ],
)
def test_bad_layouts_are_rejected_with_a_clear_reason(settings, words):
    with pytest.raises(BarcodeError) as caught:
        InStoreLayouts.from_dict(settings)
    for word in words:
        assert word in caught.value.message


def test_layouts_built_directly_are_checked_too():
    with pytest.raises(BarcodeError, match="13 letters"):
        InStoreLayouts({(13, "20"): "PPIIIIIMMMMMMC"})


# --- symbology identifiers and hints -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "code"),
    [("]E06901234567892", "6901234567892"), ("]E00036000291452", "0036000291452"),
     ("]E0036000291452", "0036000291452"), ("]E496385074", "96385074"), ("]E004252614", "0042100005264"),
     ("]I110012345678902", "10012345678902"), ("]X06901234567892", "6901234567892"),
     ("]E3690123456789212", "6901234567892"), ("]E3690123456789212345", "6901234567892"),
     (" ]E06901234567892\r\n", "6901234567892")],
)
def test_aim_identifiers_are_stripped_and_used_as_hint(raw, code):
    scan = parse_scan(raw)
    assert (scan.kind, scan.code, scan.raw) == ("gtin", code, raw)
    assert normalize_barcode(raw) == code


def test_aim_identifier_in_the_scan_wins_over_the_symbology_argument():
    assert parse_scan("]E496385074", symbology="upce").code == "96385074"


def test_unknown_symbology_name_is_no_hint():
    assert parse_scan("04252614", symbology="something-new").code == "0042100005264"


def test_code128_numbers_with_an_in_store_layout_are_still_in_store():
    code = append_check_digit("26" + "00042" + "00598" + "00450")
    assert parse_scan(code, symbology="code128").kind == "instore"


# --- GS1-128 through parse_scan ------------------------------------------------------------------------------------


def test_gs1_128_raw_scan():
    scan = parse_scan("]C1" + "0106901234567892" + "17261231" + "10LOT42" + GS + "3103001250")
    assert (scan.kind, scan.code, scan.weight_g) == ("gs1_128", "6901234567892", 1250)
    assert scan.gs1 is not None and scan.gs1.lot == "LOT42"


def test_gs1_bracketed_scan_with_price_and_weight():
    scan = parse_scan("(01)06901234567892(3102)001255(3922)2599")
    assert (scan.code, scan.weight_g, scan.price_minor) == ("6901234567892", 12550, 2599)


def test_gs1_weight_finer_than_a_gram_gives_no_weight_in_grams():
    scan = parse_scan("(01)06901234567892(3104)012345")
    assert scan.weight_g is None and scan.gs1.net_weight_kg == Decimal("1.2345")


def test_gs1_string_with_a_separator_but_no_prefix():
    scan = parse_scan("10LOT42" + GS + "0106901234567892")
    assert (scan.kind, scan.code) == ("gs1_128", "6901234567892")


def test_gs1_databar_scan_without_separator():
    scan = parse_scan("]e00100012345600012")
    assert (scan.kind, scan.code) == ("gs1_128", "0012345600012")


def test_gs1_symbology_name_hint():
    assert parse_scan("0106901234567892", symbology="gs1_128").code == "6901234567892"


def test_gs1_without_gtin_is_known_by_its_sscc_or_its_text():
    assert parse_scan("(00)106141411234567897").code == "106141411234567897"
    assert parse_scan("(10)LOT42(21)S1").code == "(10)LOT42(21)S1"
    assert parse_scan("(30)12").count == 12


def test_gs1_errors_come_through_with_their_position():
    with pytest.raises(BarcodeError, match="position 6"):
        parse_scan("]C101069012345")
    with pytest.raises(BarcodeError, match="06901234567891"):
        parse_scan("(01)06901234567891")


def test_catalog_takes_the_gtin_of_a_gs1_string():
    assert normalize_barcode("(01)06901234567892(10)LOT") == "6901234567892"
    with pytest.raises(BarcodeError, match="no GTIN"):
        normalize_barcode("(10)LOT")


# --- the catalog and the till agree ----------------------------------------------------------------------------


_raw_codes = st.one_of(
    st.sampled_from([8, 12, 13, 14, 18]).flatmap(with_check),
    st.text(alphabet="ABCXYZabc0123456789-./_", min_size=1, max_size=20),
    st.tuples(st.sampled_from("01"), digits(6)).map(lambda t: _upce(t[0] + t[1])),
)


@given(_raw_codes)
def test_catalog_code_equals_scan_code(raw):
    try:
        scan = parse_scan(raw, InStoreLayouts({}))
    except BarcodeError:
        with pytest.raises(BarcodeError):
            normalize_barcode(raw)
        return
    assert scan.kind in ("gtin", "internal")
    assert normalize_barcode(raw) == scan.code


# --- purity -----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("module", ["barcodes", "gs1"])
def test_core_barcode_modules_use_only_the_standard_library_and_no_float(module):
    source = Path(barcodes.__file__).with_name(f"{module}.py").read_text(encoding="utf-8")
    tree = ast.parse(source)
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            names = [node.module or ""]
        else:
            continue
        for name in names:
            top = name.split(".")[0]
            assert top in sys.stdlib_module_names or name.startswith("pos_desktop.core"), name
    assert not any(isinstance(node, ast.Name) and node.id == "float" for node in ast.walk(tree))
    assert not any(isinstance(node, ast.Constant) and isinstance(node.value, float) for node in ast.walk(tree))
