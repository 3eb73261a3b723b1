"""Our own text encoder: the printer's encoding, FS & / FS . around Chinese runs, code pages for the West."""

from __future__ import annotations

import pytest

from drivers.printing.text_encoder import FS_KANJI_OFF, FS_KANJI_ON, TextEncoder


def test_gb18030_and_gbk_produce_the_national_encodings():
    assert TextEncoder("gb18030").encode("可乐") == "可乐".encode("gb18030")
    assert TextEncoder("GBK").encode("牛奶 2瓶") == "牛奶 2瓶".encode("gbk")
    assert TextEncoder("big5").encode("鳳梨酥") == "鳳梨酥".encode("big5")


def test_kanji_mode_wraps_each_double_byte_run():
    data = TextEncoder("gbk", kanji_mode=True).encode("可乐 Cola 2瓶")
    assert data == (FS_KANJI_ON + "可乐".encode("gbk") + FS_KANJI_OFF + b" Cola 2"
                    + FS_KANJI_ON + "瓶".encode("gbk") + FS_KANJI_OFF)


def test_single_byte_code_page_is_selected_at_setup():
    enc = TextEncoder("cp858")
    assert enc.setup() == b"\x1bt\x13"  # ESC t 19
    assert enc.encode("Café 5€") == "Café 5€".encode("cp858")
    assert enc.ambiguous_width == 1
    assert TextEncoder("gb18030").ambiguous_width == 2


def test_what_cannot_be_encoded_becomes_a_question_mark_and_is_reported():
    enc = TextEncoder("cp437")
    assert not enc.can_encode("苹果")
    assert enc.encode("苹果 apple") == b"?? apple"
    assert enc.can_encode("apple")


def test_unknown_encodings_are_refused_up_front():
    with pytest.raises(ValueError):
        TextEncoder("utf-8")
    with pytest.raises(LookupError):
        TextEncoder("no-such-codec")
