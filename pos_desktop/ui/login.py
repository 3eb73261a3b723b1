"""Log in with a user name and a PIN (keyboard or the on-screen pad), and the one-time code of an authenticator
app for a user with TOTP on (asked for once the login says so); wrong PINs and lockouts are said plainly."""

from __future__ import annotations

from ..core.i18n import _
from ..services import auth
from ..services.auth import Operator
from ..services.context import Context
from .dialogs import CodeRow
from .errors import message_for
from .operations import Runner
from .pin_pad import PinPad
from .qt import QFormLayout, QHBoxLayout, QLabel, QLineEdit, QPushButton, Qt, QVBoxLayout, QWidget, Signal


class LoginScreen(QWidget):
    logged_in = Signal(object)  # Operator

    def __init__(self, ctx: Context, runner: Runner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.runner = ctx, runner
        self.setObjectName("loginScreen")
        title = QLabel(f"{ctx.till.store_name} · {ctx.till.store_code}-{ctx.till.till_code}")
        title.setObjectName("loginTitle")
        title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.user = QLineEdit()
        self.user.setObjectName("loginUser")
        self.user.setPlaceholderText(_("User"))
        self.pin = QLineEdit()
        self.pin.setObjectName("loginPin")
        self.pin.setEchoMode(QLineEdit.EchoMode.Password)
        self.pin.setPlaceholderText(_("PIN"))
        self.pin.setMaxLength(12)
        self.button = QPushButton(_("Log in"))
        self.button.setObjectName("loginButton")
        self.button.setMinimumHeight(48)
        self.message = QLabel("")
        self.message.setObjectName("loginMessage")
        self.message.setWordWrap(True)
        self.shift = QLabel("")
        self.shift.setObjectName("shiftOwner")

        form = QFormLayout()
        form.addRow(_("User"), self.user)
        form.addRow(_("PIN"), self.pin)
        box = QVBoxLayout()
        box.addWidget(title)
        box.addLayout(form)
        pad = PinPad(self.pin)
        self.code = CodeRow(form, self.pin, pad, "loginOtp")
        box.addWidget(pad)
        box.addWidget(self.button)
        box.addWidget(self.message)
        box.addWidget(self.shift)
        outer = QHBoxLayout(self)
        outer.addStretch(1)
        outer.addLayout(box, 2)
        outer.addStretch(1)

        self.user.returnPressed.connect(self.pin.setFocus)
        self.user.textEdited.connect(lambda _text: self.code.user_changed())
        self.pin.returnPressed.connect(lambda: self.code.after_pin() or self.submit())
        self.code.field.returnPressed.connect(self.submit)
        self.button.clicked.connect(self.submit)

    def reset(self, shift_text: str = "") -> None:
        self.pin.clear()
        self.code.hide()
        self.message.clear()
        self.shift.setText(shift_text)
        (self.pin if self.user.text() else self.user).setFocus()

    def submit(self) -> None:
        name, pin, otp = self.user.text().strip(), self.pin.text(), self.code.value()
        if not name:
            self.message.setText(_("Enter your user name"))
            self.user.setFocus()
            return
        self.button.setEnabled(False)
        self.runner.run(lambda: auth.login(self.ctx, name, pin, otp=otp), success=self._ok, failure=self._refused)

    def _ok(self, operator: Operator) -> None:
        self.button.setEnabled(True)
        self.pin.clear()
        self.code.hide()
        self.message.clear()
        self.logged_in.emit(operator)

    def _refused(self, exc: BaseException) -> None:
        self.button.setEnabled(True)
        self.message.setText(message_for(exc))
        if not self.code.refused(exc):      # a wrong PIN or code: both typed again (the message says which may be)
            self.pin.clear()
            self.pin.setFocus()
