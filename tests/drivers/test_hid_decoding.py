"""HID report decoding: HID POS scanned-data reports and boot keyboard reports (US layout)."""

from __future__ import annotations

from drivers.scanners import HidKeyboardDecoder, HidPosDecoder, split_aim, symbology_name
from drivers.scanners.hid_keyboard import LEFT_CTRL, LEFT_SHIFT, build_key_reports, key_char
from drivers.scanners.hid_pos import build_hid_pos_report


def key(usage: int, modifiers: int = 0) -> bytes:
    return bytes([modifiers, 0, usage, 0, 0, 0, 0, 0])


RELEASE = bytes(8)


def test_hid_pos_single_report():
    assert HidPosDecoder().feed(build_hid_pos_report("4006381333931", "]E0")) == ("4006381333931", "]E0")


def test_hid_pos_long_code_over_continued_reports():
    decoder = HidPosDecoder()
    first, second = "A" * 50, "B" * 20
    assert decoder.feed(build_hid_pos_report(first, "]Q1", continued=True)) is None
    assert decoder.feed(build_hid_pos_report(second, "\x00\x00\x00")) == (first + second, "]Q1")


def test_hid_pos_ignores_other_reports_and_handles_variants():
    decoder = HidPosDecoder()
    assert decoder.feed(bytes([0x04, 1, 2, 3, 4, 5, 6])) is None  # not the scanned-data report
    no_id = build_hid_pos_report("123", "E0\x00")[1:]
    assert HidPosDecoder(report_id=None).feed(no_id) == ("123", "]E0")  # bracket added
    counted = bytearray(build_hid_pos_report("123", "]E0"))
    counted[1] += 3  # a scanner whose length byte also counts the AIM bytes
    assert HidPosDecoder(length_includes_aim=True).feed(bytes(counted)) == ("123", "]E0")
    utf8 = build_hid_pos_report("价格12.50", "]Q1")
    assert HidPosDecoder().feed(utf8) == ("价格12.50", "]Q1")


def test_keyboard_reports_with_shift_repeats_and_enter():
    decoder = HidKeyboardDecoder()
    reports = [key(0x04, LEFT_SHIFT), RELEASE, key(0x1E), RELEASE, key(0x1E), RELEASE, key(0x2D, LEFT_SHIFT),
               key(0x2D, LEFT_SHIFT), RELEASE, key(0x28)]  # "A11_" where "_" is held over two reports
    codes = [code for report in reports for code in decoder.feed(report)]
    assert codes == ["A11_"]


def test_keyboard_ctrl_bracket_gives_the_gs1_separator():
    assert key_char(0x30, LEFT_CTRL) == "\x1d"
    decoder = HidKeyboardDecoder()
    reports = build_key_reports("01", enter=False) + [key(0x30, LEFT_CTRL), RELEASE] + build_key_reports("10")
    assert [c for r in reports for c in decoder.feed(r)] == ["01\x1d10"]


def test_keyboard_rollover_error_and_report_id():
    decoder = HidKeyboardDecoder(report_id=1)
    assert decoder.feed(b"\x01" + bytes([0, 0, 1, 1, 1, 1, 1, 1])) == []
    assert decoder.feed(b"\x02" + key(0x04)) == []  # another report ID
    codes = [c for report in build_key_reports("x9") for c in decoder.feed(b"\x01" + report)]
    assert codes == ["x9"] and decoder.pending == ""


def test_every_printable_ascii_character_round_trips():
    text = "".join(chr(c) for c in range(0x20, 0x7F))
    decoder = HidKeyboardDecoder()
    assert [c for r in build_key_reports(text) for c in decoder.feed(r)] == [text]


def test_aim_identifiers():
    assert split_aim("]E06901234567892") == ("6901234567892", "]E0")
    assert split_aim("6901234567892") == ("6901234567892", None)
    assert symbology_name("]E0") == "EAN-13 / UPC-A"
    assert symbology_name("]Q1") == "QR Code"
    assert symbology_name(None) is None
