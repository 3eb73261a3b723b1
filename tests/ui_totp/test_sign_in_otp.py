"""The back office's sign-in (another person takes over a screen, e.g. the next counter of a stock count) for
a user with TOTP on: the code of the authenticator app is asked for after the PIN, and only the right one
signs in."""

from __future__ import annotations

import pytest

from pos_desktop.core.permissions import Action
from pos_desktop.services import till
from pos_desktop.ui.backoffice.sign_in import SignInDialog
from pos_desktop.ui.qt import QLabel, QLineEdit, QPushButton, Qt, QWidget
from tests.ui.conftest import find
from tests.ui.flows import WAIT_MS, has_keyboard, settle


@pytest.fixture
def screen(qtbot, till_dir, clock, totp_secrets):
    """A back-office screen on a real till folder (TOTP already on for mia), and who signed in on it."""
    ctx = till.open_till(till_dir, clock)
    parent = QWidget()
    qtbot.addWidget(parent)
    parent.show()
    signed_in: list = []
    dialog = SignInDialog(parent, ctx, Action.STOCK_COUNT, "Next counter", signed_in.append)
    dialog.open()
    settle(qtbot, dialog)
    yield dialog, signed_in
    ctx.close()


def test_the_back_office_sign_in_needs_the_right_code_of_a_user_with_totp(qtbot, screen, code_of, wrong_code_of):
    dialog, signed_in = screen
    user, pin = find(dialog, QLineEdit, "signInUser"), find(dialog, QLineEdit, "signInPin")
    code_field, message = find(dialog, QLineEdit, "signInOtp"), find(dialog, QLabel, "signInMessage")
    assert code_field.isHidden()

    qtbot.keyClicks(user, "mia")
    qtbot.keyClick(user, Qt.Key.Key_Return)
    qtbot.keyClicks(pin, "9999")
    qtbot.keyClick(pin, Qt.Key.Key_Return)
    assert message.text() == "mia also needs the one-time code of their authenticator app"
    assert code_field.isVisible() and has_keyboard(qtbot, code_field) and not signed_in

    qtbot.keyClicks(code_field, wrong_code_of("mia"))
    qtbot.keyClick(code_field, Qt.Key.Key_Return)
    assert message.text() == "Wrong PIN or one-time code for mia (4 tries left)"
    assert code_field.text() == "" and pin.text() == "" and dialog.isVisible() and not signed_in

    qtbot.keyClicks(pin, "9999")
    qtbot.keyClicks(code_field, code_of("mia"))
    qtbot.mouseClick(find(dialog, QPushButton, "signInButton"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=WAIT_MS)
    assert [who.username for who in signed_in] == ["mia"]
