"""Admin settings on the window, quick keys for unbarcoded goods, and quick member enrolment."""

from __future__ import annotations

import sqlite3

from pos_desktop import config, paths
from pos_desktop.ui.qt import QComboBox, QDialog, QLabel, QLineEdit, QPushButton, Qt, QTableView
from tests.ui.conftest import find


def login(qtbot, win, user, pin):
    find(win, QLineEdit, "loginUser").clear()
    qtbot.keyClicks(find(win, QLineEdit, "loginUser"), user)
    qtbot.keyClicks(find(win, QLineEdit, "loginPin"), pin)
    qtbot.keyClick(find(win, QLineEdit, "loginPin"), Qt.Key.Key_Return)


def answer(qtbot, win, text):
    dialog = find(win, QDialog, "askDialog")
    field = find(dialog, QLineEdit, "askInput")
    field.clear()
    if text.isascii():
        qtbot.keyClicks(field, text)
    else:
        field.insert(text)  # QTest types ASCII only; an input method would deliver Chinese like this
    qtbot.keyClick(field, Qt.Key.Key_Return)


def test_settings_save_store_and_device_choices(qtbot, window, till_dir):
    login(qtbot, window, "admin", "1234")
    window.open_settings()
    dialog = find(window, QDialog, "settingsDialog")
    find(dialog, QComboBox, "cashRounding").setCurrentText("drop_fen")
    find(dialog, QLineEdit, "quickKeys").setText("APPLE-KG, SOAP")
    find(dialog, QComboBox, "printer_kind").setCurrentText("sim")
    find(dialog, QComboBox, "printer_width").setCurrentText("32")
    qtbot.mouseClick(find(dialog, QPushButton, "saveSettingsButton"), Qt.MouseButton.LeftButton)
    assert not dialog.isVisible()
    saved = config.load(paths.config_path(till_dir))
    assert saved["printer"]["kind"] == "sim" and saved["printer"]["width"] == 32
    assert window.ctx.setting("cash_rounding") == "drop_fen"
    assert window.findChild(QPushButton, "quickKey_APPLE-KG") is not None     # the checkout follows


def test_a_cashier_cannot_open_settings(qtbot, window):
    login(qtbot, window, "amy", "1111")
    window.open_settings()
    assert window.findChild(QDialog, "settingsDialog") is None
    assert "may not" in find(window, QLabel, "messageLabel").text()


def test_quick_key_for_a_weighed_item_asks_the_weight(qtbot, window):
    login(qtbot, window, "admin", "1234")
    from pos_desktop.services import settings
    settings.update_settings(window.ctx, window.session.operator, {"quick_keys": ["APPLE-KG"]})
    window.start_session(window.session.operator)
    qtbot.mouseClick(find(window, QPushButton, "quickKey_APPLE-KG"), Qt.MouseButton.LeftButton)
    answer(qtbot, window, "0.755")
    table = find(window, QTableView, "cartTable")
    assert table.model().index(0, 2).data() == "0.755"
    assert find(window, QLabel, "totalLabel").text() == "9.66"


def test_unknown_member_can_be_enrolled_on_the_spot(qtbot, window, till_dir):
    login(qtbot, window, "amy", "1111")
    qtbot.keyClick(find(window, QLineEdit, "scanInput"), Qt.Key.Key_F3)
    answer(qtbot, window, "13912345678")
    answer(qtbot, window, "李雷")
    assert "13912345678" in find(window, QLabel, "memberLabel").text()
    conn = sqlite3.connect(till_dir / "pos.db")
    assert conn.execute("SELECT name, phone FROM customers WHERE code = '13912345678'").fetchall() == [
        ("李雷", "13912345678")]
    conn.close()
