"""Looking a product up while typing — pinyin initials, name, SKU, barcode digits — and adding it with Enter."""

from __future__ import annotations


from pos_desktop.ui.qt import QListWidget, Qt
from tests.ui.conftest import find
from tests.ui.flows import WAIT_MS, cart_rows, has_keyboard, line_edit, logged_in, press, type_text


def results(win) -> list[str]:
    listing = find(win, QListWidget, "lookupResults")
    return [listing.item(i).text() for i in range(listing.count())] if listing.isVisible() else []


def test_pinyin_initials_find_coca_cola_while_typing_and_enter_adds_it(qtbot, window):
    logged_in(qtbot, window)
    press(qtbot, window, Qt.Key.Key_F2)
    lookup = line_edit(window, "lookupInput")
    assert has_keyboard(qtbot, lookup)
    panel = window.checkout.lookup
    with qtbot.waitSignal(panel.results_shown, timeout=WAIT_MS):
        qtbot.keyClicks(lookup, "kkkl")
    qtbot.waitUntil(lambda: bool(results(window)), timeout=WAIT_MS)
    assert results(window)[0].startswith("可口可乐 Coca-Cola 330ml")
    assert "COLA" in results(window)[0] and "3.50" in results(window)[0]
    qtbot.keyClick(lookup, Qt.Key.Key_Return)
    assert cart_rows(window) == [("1", "可口可乐 Coca-Cola 330ml", "1", "3.50", "", "3.50")]
    assert lookup.text() == "" and not results(window)
    assert has_keyboard(qtbot, line_edit(window, "scanInput"))                 # back to scanning


def test_results_follow_each_keystroke(qtbot, window):
    logged_in(qtbot, window)
    press(qtbot, window, Qt.Key.Key_F2)
    lookup = line_edit(window, "lookupInput")
    qtbot.keyClicks(lookup, "ls")                                    # 乐事薯片: le shi
    qtbot.waitUntil(lambda: bool(results(window)), timeout=WAIT_MS)
    assert any("乐事薯片" in r for r in results(window))
    qtbot.keyClicks(lookup, "sp")                                    # lssp
    qtbot.waitUntil(lambda: len(results(window)) == 1, timeout=WAIT_MS)
    assert results(window)[0].startswith("乐事薯片 Lay's chips 75g")
    lookup.clear()
    assert results(window) == []


def test_chinese_name_english_name_sku_and_barcode_digits_all_find(qtbot, window):
    logged_in(qtbot, window)
    lookup = line_edit(window, "lookupInput")
    for text, name in (("牛奶", "伊利纯牛奶"), ("soap", "舒肤佳香皂"), ("APPLE", "红富士苹果"), ("69012345679", None)):
        lookup.clear()
        type_text(qtbot, lookup, text)
        qtbot.waitUntil(lambda: bool(results(window)), timeout=WAIT_MS)
        if name:
            assert any(name in r for r in results(window)), (text, results(window))
        else:
            assert len(results(window)) >= 4                          # every seeded barcode starts like that


def first_result_at(qtbot, win):
    listing = find(win, QListWidget, "lookupResults")
    qtbot.waitUntil(lambda: listing.isVisible() and listing.count() > 0, timeout=WAIT_MS)
    point = listing.visualItemRect(listing.item(0)).center()
    qtbot.mouseMove(listing.viewport(), point)                       # the pointer comes over the list first
    return listing.viewport(), point


def test_double_clicking_a_result_adds_it_and_nothing_found_shows_nothing(qtbot, window):
    logged_in(qtbot, window)
    lookup = line_edit(window, "lookupInput")
    qtbot.keyClicks(lookup, "zzzz")
    assert results(window) == []
    lookup.clear()
    qtbot.keyClicks(lookup, "sfj")                                   # 舒肤佳
    viewport, point = first_result_at(qtbot, window)
    # a real double click is press, release, then the double-click event (QTest sends only the last)
    qtbot.mouseClick(viewport, Qt.MouseButton.LeftButton, pos=point)
    qtbot.mouseDClick(viewport, Qt.MouseButton.LeftButton, pos=point)
    assert cart_rows(window) == [("1", "舒肤佳香皂 Safeguard soap", "1", "4.50", "", "4.50")]


def test_a_single_tap_on_a_result_adds_it(qtbot, window):
    logged_in(qtbot, window)
    qtbot.keyClicks(line_edit(window, "lookupInput"), "sfj")
    viewport, point = first_result_at(qtbot, window)
    qtbot.mouseClick(viewport, Qt.MouseButton.LeftButton, pos=point)
    assert [row[1] for row in cart_rows(window)] == ["舒肤佳香皂 Safeguard soap"]


def test_escape_goes_back_to_scanning(qtbot, window):
    logged_in(qtbot, window)
    press(qtbot, window, Qt.Key.Key_F2)
    lookup = line_edit(window, "lookupInput")
    assert has_keyboard(qtbot, lookup)
    qtbot.keyClick(lookup, Qt.Key.Key_Escape)
    assert has_keyboard(qtbot, line_edit(window, "scanInput"))
