"""Column layout by display width: Chinese takes two columns, and no line is ever wider than asked."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from drivers.printing.text_width import (
    RECEIPT_58MM,
    RECEIPT_80MM,
    char_width,
    columns,
    display_width,
    pad,
    truncate,
    two_columns,
    wrap,
)

# Latin, CJK, full-width forms, ambiguous signs and a combining accent: the mix a Chinese shop prints
receipt_text = st.text(alphabet=st.sampled_from(list("abc XYZ012.-") + list("苹果可乐牛奶面包") +
                                                ["Ａ", "１", "×", "°", "é", "\u0301"]), max_size=60)


def test_widths_of_the_characters_a_receipt_uses():
    assert display_width("Cola 330ml") == 10
    assert display_width("可口可乐") == 8
    assert display_width("ＡＢ１") == 6  # full-width forms
    assert display_width("e\u0301") == 1  # a combining accent takes no column
    assert char_width("×") == 1 and char_width("×", 2) == 2  # ambiguous: narrow unless the printer is CJK
    assert display_width("ｶﾀｶﾅ") == 4  # half-width katakana


def test_truncate_never_splits_a_wide_character():
    assert truncate("可口可乐", 5) == "可口"
    assert truncate("可口可乐", 8) == "可口可乐"
    assert truncate("Coca-Cola 可口可乐", 12, ellipsis="…") == "Coca-Cola …"
    assert display_width(truncate("苹果苹果", 3, ellipsis="..")) <= 3


def test_pad_aligns_to_exact_width():
    assert pad("可乐", 8) == "可乐    "
    assert pad("可乐", 8, "right") == "    可乐"
    assert pad("可乐", 7, "center") == " 可乐  "


def test_wrap_breaks_latin_at_spaces_and_chinese_anywhere():
    assert wrap("Fuji apple extra large", 10) == ["Fuji apple", "extra", "large"]
    assert wrap("红富士苹果特级大果", 8) == ["红富士苹", "果特级大", "果"]
    assert wrap("abcdefghijkl", 5) == ["abcde", "fghij", "kl"]
    assert wrap("", 10) == [""]


def test_two_columns_for_58_and_80_mm_paper():
    for width in (RECEIPT_58MM, RECEIPT_80MM):
        [line] = two_columns("合计 Total", "¥128.50", width)
        assert display_width(line) == width
        assert line.startswith("合计 Total") and line.endswith("¥128.50")


def test_long_name_wraps_and_the_price_stays_flush_right():
    lines = two_columns("进口新西兰佳沛阳光金奇异果 Zespri SunGold Kiwifruit", "39.90", RECEIPT_58MM)
    assert len(lines) > 1
    assert all(display_width(line) == RECEIPT_58MM for line in lines)
    assert lines[-1].endswith("39.90")


def test_columns_row_is_exact_width_with_wrapped_cells():
    rows = columns(["可口可乐 Coca-Cola 330ml 罐装", "2", "7.00"], [20, 4, 6], ["left", "right", "right"])
    assert len(rows) == 2
    assert all(display_width(row) == 32 for row in rows)
    assert rows[0].endswith("   2   7.00")


@settings(max_examples=300, deadline=None)
@given(receipt_text, st.integers(min_value=2, max_value=48))
def test_wrap_never_exceeds_width_and_loses_no_visible_character(text, width):
    lines = wrap(text, width)
    assert all(display_width(line) <= width for line in lines)
    assert "".join(lines).replace(" ", "") == text.replace(" ", "")


@settings(max_examples=300, deadline=None)
@given(receipt_text, receipt_text, st.sampled_from([RECEIPT_58MM, RECEIPT_80MM]), st.sampled_from([1, 2]))
def test_layout_lines_are_exactly_the_paper_width(left, right, width, ambiguous):
    for line in two_columns(left, right, width, ambiguous=ambiguous):
        assert display_width(line, ambiguous=ambiguous) == width
    half = (width - 1) // 2
    for line in columns([left, right], [half, width - 1 - half], ambiguous=ambiguous):
        assert display_width(line, ambiguous=ambiguous) == width


@settings(max_examples=300, deadline=None)
@given(receipt_text, st.integers(min_value=0, max_value=40))
def test_truncate_is_a_prefix_that_fits(text, width):
    cut = truncate(text, width)
    assert display_width(cut) <= width
    assert text.startswith(cut)
