"""The decoder that tests read receipts with must itself read hand-written ESC/POS correctly."""

from __future__ import annotations

from drivers.sim.escpos_decoder import decode_escpos

ESC, GS, FS, DLE = b"\x1b", b"\x1d", b"\x1c", b"\x10"


def test_code_pages_switch_with_esc_t():
    data = ESC + b"t\x00" + "é".encode("cp437") + b"\n" + ESC + b"t\x13" + "€".encode("cp858") + b"\n"
    assert decode_escpos(data, "cp437").lines == ["é", "€"]


def test_fs_ampersand_runs_on_a_printer_that_starts_in_ascii_mode():
    data = FS + b"." + b"Cola " + FS + b"&" + "可乐".encode("gbk") + FS + b"." + b" 3.50\n"
    assert decode_escpos(data, "gbk", kanji_default=False).lines == ["Cola 可乐 3.50"]
    # outside Chinese mode the same bytes are read with the code page, as the printer would print them
    raw = "可".encode("gbk") + b"\n"
    assert decode_escpos(FS + b"." + raw, "gbk").lines == [raw[:-1].decode("cp437")]


def test_gb18030_four_byte_characters():
    text = "㐀 €"  # a CJK extension A character and the euro sign: four and two bytes in GB18030
    assert decode_escpos(text.encode("gb18030") + b"\n", "gb18030").lines == [text]


def test_styles_from_esc_bang_gs_bang_and_esc_e():
    data = (ESC + b"!\x38" + b"big bold\n" + ESC + b"!\x00" + GS + b"!\x21" + b"wide tall\n"
            + GS + b"!\x00" + ESC + b"E\x01" + ESC + b"a\x02" + b"right\n" + ESC + b"-\x01" + b"under\n")
    lines = decode_escpos(data).text_lines
    assert (lines[0].bold, lines[0].width, lines[0].height) == (True, 2, 2)
    assert (lines[1].bold, lines[1].width, lines[1].height) == (False, 3, 2)
    assert (lines[2].bold, lines[2].align) == (True, "right")
    assert lines[3].underline == 1


def test_esc_at_discards_what_was_not_printed():
    assert decode_escpos(b"lost" + ESC + b"@" + b"kept\n").lines == ["kept"]


def test_cut_variants_and_real_time_drawer_pulse():
    data = GS + b"V\x00" + GS + b"V\x31" + GS + b"VA\x03" + GS + b"VB\x00" + DLE + b"\x14\x01\x01\x03"
    receipt = decode_escpos(data)
    assert [c.partial for c in receipt.cuts] == [False, True, False, True]
    [pulse] = receipt.drawer_pulses
    assert (pulse.pin, pulse.on_ms) == (5, 300)


def test_status_queries_are_seen_and_print_nothing():
    receipt = decode_escpos(DLE + b"\x04\x01" + b"ok\n" + DLE + b"\x04\x04")
    assert receipt.status_queries == [1, 4]
    assert receipt.lines == ["ok"]


def test_barcode_function_a_and_b():
    data = GS + b"k\x02" + b"6901234567892\x00" + GS + b"kI\x08{Babc{{d"
    assert [(b.kind, b.data) for b in decode_escpos(data).barcodes] == [("EAN13", "6901234567892"),
                                                                        ("CODE128", "abc{d")]


def test_raster_graphics_via_gs_paren_l_and_column_images():
    bits = bytes([0xFF, 0x00]) * 2  # 16 x 2 dots: left half black
    store = b"0p0\x01\x011" + (16).to_bytes(2, "little") + (2).to_bytes(2, "little") + bits
    data = GS + b"(L" + len(store).to_bytes(2, "little") + store + GS + b"(L\x02\x0002"
    column = ESC + b"*\x00" + (8).to_bytes(2, "little") + bytes([0x80] * 8)  # top row black, 8 dots wide
    images = decode_escpos(data + column).images
    assert [(i.width, i.height) for i in images] == [(16, 2), (8, 8)]
    assert images[0].pixel(0, 0) and not images[0].pixel(8, 0)
    assert images[1].ink_rows() == [0]


def test_unknown_commands_are_reported_not_printed():
    receipt = decode_escpos(ESC + b"\x7f" + b"text\n")
    assert receipt.unknown == [ESC + b"\x7f"]
    assert receipt.lines == ["text"]
