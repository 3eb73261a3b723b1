"""Another person takes over a screen on the same PC (the next counter of a count): user and PIN, and the
one-time code of their authenticator app when they have TOTP on."""

from __future__ import annotations

from collections.abc import Callable

from ...core.errors import PermissionDenied
from ...core.i18n import _
from ...core.permissions import Action, allowed, describe
from ...services import auth
from ...services.auth import Operator
from ...services.context import Context
from ..dialogs import CodeRow, dispose_when_closed, ok_cancel, plain_buttons
from ..errors import message_for
from ..pin_pad import PinPad
from ..qt import QDialog, QFormLayout, QLabel, QLineEdit, QVBoxLayout, QWidget


class SignInDialog(QDialog):
    """``on_signed_in(operator)`` runs when the PIN is right and the user may do ``action``."""

    def __init__(self, parent: QWidget, ctx: Context, action: Action, title: str,
                 on_signed_in: Callable[[Operator], None]) -> None:
        super().__init__(parent)
        self.ctx, self.action, self.on_signed_in = ctx, action, on_signed_in
        self.setObjectName("signInDialog")
        self.setWindowTitle(title)
        self.user = QLineEdit()
        self.user.setObjectName("signInUser")
        self.pin = QLineEdit()
        self.pin.setObjectName("signInPin")
        self.pin.setEchoMode(QLineEdit.EchoMode.Password)
        self.message = QLabel("")
        self.message.setObjectName("signInMessage")
        self.message.setWordWrap(True)
        form = QFormLayout()
        form.addRow(_("User"), self.user)
        form.addRow(_("PIN"), self.pin)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        pad = PinPad(self.pin)
        self.code = CodeRow(form, self.pin, pad, "signInOtp")
        layout.addWidget(pad)
        layout.addWidget(self.message)
        layout.addLayout(ok_cancel(self, self.check, "signInButton", _("Sign in")))
        self.user.returnPressed.connect(self.pin.setFocus)
        self.user.textEdited.connect(lambda _text: self.code.user_changed())
        self.pin.returnPressed.connect(lambda: self.code.after_pin() or self.check())
        self.code.field.returnPressed.connect(self.check)
        plain_buttons(self)
        dispose_when_closed(self)

    def check(self) -> None:
        try:
            who = auth.login(self.ctx, self.user.text().strip(), self.pin.text(), otp=self.code.value())
            if not allowed(who.role, self.action):
                raise PermissionDenied(_("{name} may not {action}").format(name=who.username,
                                                                          action=describe(self.action)))
        except Exception as exc:  # noqa: BLE001 — said in the dialog, which stays open
            if not self.code.refused(exc):
                self.pin.clear()
                self.pin.setFocus()
            self.message.setText(message_for(exc))
            return
        self.accept()
        self.on_signed_in(who)
