"""The till's login with a second factor: a user with TOTP on is asked for the code of their authenticator app
after the PIN, gets in only with the right one, and a wrong one is said and typed again."""

from __future__ import annotations

from pos_desktop.ui.qt import QLineEdit, QPushButton, Qt
from tests.ui.conftest import find
from tests.ui.flows import WAIT_MS, has_keyboard, label, line_edit, logged_in, login, query


def no_till_yet(window) -> bool:
    return window.findChild(QLineEdit, "scanInput") is None


def test_an_admin_with_totp_gets_in_only_with_the_right_code(qtbot, window, till_dir, code_of, wrong_code_of):
    code_field = line_edit(window, "loginOtp")
    assert code_field.isHidden()                                      # nobody is asked before it is needed

    login(qtbot, window, "admin", "1234")                             # PIN and Enter, no code
    assert label(window, "loginMessage") == "admin also needs the one-time code of their authenticator app"
    assert code_field.isVisible() and has_keyboard(qtbot, code_field)
    assert line_edit(window, "loginPin").text() == "1234"             # kept: only the code is missing
    assert no_till_yet(window)
    assert query(till_dir, "SELECT failed_attempts FROM users WHERE username = 'admin'") == [(0,)]

    qtbot.keyClicks(code_field, wrong_code_of("admin"))
    qtbot.keyClick(code_field, Qt.Key.Key_Return)
    assert label(window, "loginMessage") == "Wrong PIN or one-time code for admin (4 tries left)"
    assert code_field.text() == "" and line_edit(window, "loginPin").text() == ""   # both typed again
    assert code_field.isVisible() and no_till_yet(window)
    assert query(till_dir, "SELECT failed_attempts FROM users WHERE username = 'admin'") == [(1,)]

    pin = line_edit(window, "loginPin")
    assert has_keyboard(qtbot, pin)
    qtbot.keyClicks(pin, "1234")
    qtbot.keyClick(pin, Qt.Key.Key_Return)                            # Enter in the PIN: on to the code
    assert has_keyboard(qtbot, code_field) and no_till_yet(window)
    for digit in code_of("admin"):                                    # the PIN pad types into the code now
        qtbot.mouseClick(find(window, QPushButton, f"pinKey_{digit}"), Qt.MouseButton.LeftButton)
    assert code_field.text() == code_of("admin") and pin.text() == "1234"
    qtbot.mouseClick(find(window, QPushButton, "loginButton"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not no_till_yet(window), timeout=WAIT_MS)
    assert "admin" in label(window, "userStatus").lower()
    assert query(till_dir, "SELECT failed_attempts FROM users WHERE username = 'admin'") == [(0,)]

    window.logout()                                                   # the next login starts with PIN only
    assert line_edit(window, "loginOtp").isHidden() and line_edit(window, "loginOtp").text() == ""


def test_the_code_field_takes_six_digits_and_a_user_without_totp_never_sees_it(qtbot, window, code_of):
    login(qtbot, window, "mia", "9999")
    code_field = line_edit(window, "loginOtp")
    assert code_field.isVisible()
    qtbot.keyClicks(code_field, "12ab3-45678")
    assert code_field.text() == "123456"                              # digits only, six at most

    user = line_edit(window, "loginUser")                             # another name: the code row goes
    user.setFocus()
    qtbot.keyClick(user, Qt.Key.Key_Backspace)
    assert code_field.isHidden() and code_field.text() == ""
    assert line_edit(window, "loginPin").text() == ""                 # and mia's PIN with it
    logged_in(qtbot, window, "amy", "1111")                           # amy has no second factor
    assert "amy" in label(window, "userStatus").lower()


def test_the_pin_pad_types_into_the_pin_again_when_the_pin_has_the_focus(qtbot, window, code_of):
    login(qtbot, window, "mia", "0000")                               # a wrong PIN: still asked for the code first
    code_field, pin = line_edit(window, "loginOtp"), line_edit(window, "loginPin")
    assert code_field.isVisible()
    pin.setFocus()
    pin.clear()
    for digit in "9999":
        qtbot.mouseClick(find(window, QPushButton, f"pinKey_{digit}"), Qt.MouseButton.LeftButton)
    assert pin.text() == "9999" and code_field.text() == ""
    qtbot.keyClicks(code_field, code_of("mia"))
    qtbot.keyClick(code_field, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not no_till_yet(window), timeout=WAIT_MS)
    assert "manager" in label(window, "userStatus")
