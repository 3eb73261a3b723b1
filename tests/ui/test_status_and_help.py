"""The status bar says what is true — offline mode with the unsent count from the outbox, the devices' state,
who is logged in — and F1 shows the key map."""

from __future__ import annotations

from pos_desktop.ui.qt import QDialogButtonBox, QLabel, QLineEdit, Qt
from tests.conftest import COLA
from tests.ui.conftest import configure, find, network_printer
from tests.ui.flows import WAIT_MS, label, logged_in, no_dialog, pay_cash, press, query, scan, visible_dialog


def unsent(till_dir) -> int:
    return query(till_dir, "SELECT count(*) FROM outbox WHERE sent_at IS NULL")[0][0]


def test_sync_status_says_offline_mode_with_the_unsent_count_and_follows_a_sale(qtbot, window, till_dir):
    before = unsent(till_dir)
    assert before > 0                                                 # the seeded users and member
    assert label(window, "syncStatus") == f"Offline mode · {before} unsent"
    logged_in(qtbot, window)
    scan(qtbot, window, COLA)
    pay_cash(qtbot, window, "5")
    after = unsent(till_dir)
    assert after > before                                             # the sale (and its shift) wait to be sent
    # the status bar reads the outbox again every few seconds, off the GUI thread
    qtbot.waitUntil(lambda: label(window, "syncStatus") == f"Offline mode · {after} unsent", timeout=8000)


def test_device_status_shows_a_ready_printer_and_its_drawer(qtbot, printer_window):
    status = label(printer_window, "deviceStatus")
    assert "printer: Ready" in status and "drawer: Closed" in status
    assert "scanner: Keyboard wedge" in status
    assert find(printer_window, QLabel, "deviceStatus").property("error") is False


def test_device_status_says_the_printer_is_off(qtbot, till_dir, clock, sim_printer):
    from pos_desktop.ui.app import create_main_window
    from pos_desktop.ui.operations import InlineExecutor

    configure(till_dir, printer=network_printer(sim_printer))
    sim_printer.go_offline()
    win = create_main_window(till_dir, executor=InlineExecutor(), clock=clock)
    qtbot.addWidget(win)
    status = label(win, "deviceStatus")
    assert "The printer: The printer is off or not connected: check its power and cable" in status
    assert find(win, QLabel, "deviceStatus").property("error") is True


def test_no_printer_set_up_is_not_shown_as_a_fault(qtbot, window):
    parts = label(window, "deviceStatus").split(" · ")
    assert not any(part.startswith("The printer:") for part in parts)      # kind = "none" is not listed
    assert "The cash drawer: No printer to open it through" in parts
    assert any(part.startswith("The scanner: Keyboard wedge") for part in parts)
    assert find(window, QLabel, "deviceStatus").property("error") is not True


def test_the_user_and_the_clock_are_shown(qtbot, window):
    assert label(window, "clockStatus") == "2026-11-20 10:00:00"       # the till's clock
    assert label(window, "userStatus") == ""
    logged_in(qtbot, window, "mia", "9999")
    assert "manager" in label(window, "userStatus")


def test_f1_shows_every_key_and_closes_again(qtbot, window):
    logged_in(qtbot, window)
    press(qtbot, window, Qt.Key.Key_F1)
    dialog = visible_dialog(qtbot, window, "helpDialog")
    text = " ".join(lbl.text() for lbl in dialog.findChildren(QLabel))
    for key in ("F2", "F3", "F4", "F5", "F6", "F7", "F8", "F9", "F10", "F12", "Del", "3*code", "Esc", "Ctrl+L"):
        assert f"<b>{key}</b>" in text, key
    assert "pinyin initials" in text
    close = dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Close)
    qtbot.mouseClick(close, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: no_dialog(window, "helpDialog"), timeout=WAIT_MS)


def test_f1_works_on_the_login_screen_too_and_escape_closes_it(qtbot, window):
    qtbot.keyClick(find(window, QLineEdit, "loginUser"), Qt.Key.Key_F1)
    dialog = visible_dialog(qtbot, window, "helpDialog")
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: no_dialog(window, "helpDialog"), timeout=WAIT_MS)
