"""Small non-blocking dialogs: ask for one value, or for a manager's approval. Both open with ``open()``
(never ``exec()``), so the event loop keeps running and tests can drive them like a cashier would. Also the
one-time-code row every PIN form has for users with TOTP switched on (``CodeRow``)."""

from __future__ import annotations

from typing import Callable

from ..core.i18n import _
from ..services import auth
from ..services.auth import Operator
from ..services.context import Context
from .errors import message_for
from .pin_pad import PinPad
from .qt import (
    QDialog, QEvent, QFormLayout, QHBoxLayout, QLabel, QLineEdit, QObject, QPushButton, QRegularExpression,
    QRegularExpressionValidator, Qt, QVBoxLayout, QWidget,
)

OTP_REQUIRED = "otp_required"


def ok_cancel(dialog: QDialog, on_ok, ok_name: str = "okButton", ok_text: str | None = None) -> QHBoxLayout:  # type: ignore[no-untyped-def]
    """OK and Cancel as plain buttons. QDialogButtonBox would make OK the dialog's default again when shown,
    and Enter in a field would then do the field's action *and* press OK."""
    row = QHBoxLayout()
    row.addStretch(1)
    ok = QPushButton(ok_text or _("OK"))
    ok.setObjectName(ok_name)
    cancel = QPushButton(_("Cancel"))
    cancel.setObjectName("cancelButton")
    for button in (ok, cancel):
        button.setAutoDefault(False)
        button.setMinimumHeight(44)
        row.addWidget(button)
    ok.clicked.connect(on_ok)
    cancel.clicked.connect(dialog.reject)
    return row


def plain_buttons(dialog: QDialog) -> None:
    """No button of ``dialog`` is "default": Enter in a field does exactly what that field says (add a
    payment, load a receipt, check a PIN) and never also clicks a button behind the cashier's back."""
    for button in dialog.findChildren(QPushButton):
        button.setAutoDefault(False)
        button.setDefault(False)


def dispose_when_closed(dialog: QDialog) -> None:
    """A closed dialog leaves the widget tree at once (so ``findChild`` only ever finds the open one) and is
    deleted by the event loop later."""
    def dispose(_result: int) -> None:
        dialog.setParent(None)  # type: ignore[call-overload]
        dialog.deleteLater()
    dialog.finished.connect(dispose)


class CodeRow(QObject):
    """The one-time code of an authenticator app, under a PIN field: hidden until a login answers
    ``otp_required``, then shown with the focus in it. The PIN pad types into whichever of PIN and code has
    the focus. ``value()`` is what goes to ``auth.login(..., otp=)``."""

    def __init__(self, form: QFormLayout, pin: QLineEdit, pad: PinPad | None, name: str) -> None:
        super().__init__(pin)
        self.pin, self.pad = pin, pad
        self.field = QLineEdit()
        self.field.setObjectName(name)
        self.field.setMaxLength(6)
        self.field.setValidator(QRegularExpressionValidator(QRegularExpression(r"\d{0,6}"), self.field))
        self.field.setInputMethodHints(Qt.InputMethodHint.ImhDigitsOnly)
        self.field.setPlaceholderText(_("6 digits"))
        self.label = QLabel(_("One-time code"))
        form.addRow(self.label, self.field)
        for field in (pin, self.field):
            field.installEventFilter(self)
        self.hide()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.FocusIn and watched in (self.pin, self.field) and self.pad:
            self.pad.target = watched
        return False

    @property
    def shown(self) -> bool:
        return not self.field.isHidden()

    def value(self) -> str | None:
        return (self.field.text() or None) if self.shown else None

    def ask(self) -> None:
        self.label.show()
        self.field.show()
        self.field.clear()
        if self.pad:
            self.pad.target = self.field
        self.field.setFocus()

    def hide(self) -> None:
        """Back to PIN only (another user name, or the screen starts again)."""
        self.label.hide()
        self.field.hide()
        self.field.clear()
        if self.pad:
            self.pad.target = self.pin

    def user_changed(self) -> None:
        """Another user name: the PIN kept for the code was someone else's, and so is the code."""
        if self.shown:
            self.pin.clear()
            self.hide()

    def after_pin(self) -> bool:
        """Enter in the PIN field: to the code when it is asked for and still empty (True), else False."""
        if self.shown and not self.field.text():
            self.field.setFocus()
            return True
        return False

    def refused(self, exc: BaseException) -> bool:
        """A failed login: True when it only wants the code (the PIN stays; the code field is asked for).
        Otherwise the code is cleared, like the PIN, and False."""
        if getattr(exc, "code", None) == OTP_REQUIRED:
            self.ask()
            return True
        self.field.clear()
        return False


class AskDialog(QDialog):
    """One line of input; ``on_value(text)`` runs when the cashier confirms."""

    def __init__(self, parent: QWidget, title: str, label: str, on_value: Callable[[str], None],
                 text: str = "") -> None:
        super().__init__(parent)
        self.setObjectName("askDialog")
        self.setWindowTitle(title)
        self.input = QLineEdit(text)
        self.input.setObjectName("askInput")
        self.input.selectAll()
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(label))
        layout.addWidget(self.input)
        layout.addLayout(ok_cancel(self, self.accept))
        self.input.returnPressed.connect(self.accept)
        self.accepted.connect(lambda: on_value(self.input.text().strip()))
        plain_buttons(self)
        dispose_when_closed(self)


class ApproverDialog(QDialog):
    """A manager steps in: user and PIN (and the one-time code when they have TOTP on). ``on_approved(operator)``
    runs when they are right."""

    def __init__(self, parent: QWidget, ctx: Context, reason: str, on_approved: Callable[[Operator], None]) -> None:
        super().__init__(parent)
        self.ctx, self.on_approved = ctx, on_approved
        self.setObjectName("approverDialog")
        self.setWindowTitle(_("Manager approval"))
        self.reason = QLabel(reason)
        self.reason.setWordWrap(True)
        self.user = QLineEdit()
        self.user.setObjectName("approverUser")
        self.pin = QLineEdit()
        self.pin.setObjectName("approverPin")
        self.pin.setEchoMode(QLineEdit.EchoMode.Password)
        self.message = QLabel("")
        self.message.setObjectName("approverMessage")
        form = QFormLayout()
        form.addRow(_("Manager"), self.user)
        form.addRow(_("PIN"), self.pin)
        layout = QVBoxLayout(self)
        layout.addWidget(self.reason)
        layout.addLayout(form)
        pad = PinPad(self.pin)
        self.code = CodeRow(form, self.pin, pad, "approvalOtp")
        layout.addWidget(pad)
        layout.addWidget(self.message)
        layout.addLayout(ok_cancel(self, self.check, "approveButton", _("Approve")))
        self.pin.returnPressed.connect(lambda: self.code.after_pin() or self.check())
        self.code.field.returnPressed.connect(self.check)
        self.user.returnPressed.connect(self.pin.setFocus)
        self.user.textEdited.connect(lambda _text: self.code.user_changed())
        plain_buttons(self)
        dispose_when_closed(self)

    def check(self) -> None:
        try:
            approver = auth.login(self.ctx, self.user.text().strip(), self.pin.text(), otp=self.code.value())
        except Exception as exc:  # noqa: BLE001 — shown in the dialog, which stays open
            if not self.code.refused(exc):
                self.pin.clear()
                self.pin.setFocus()
            self.message.setText(message_for(exc))
            return
        self.accept()
        self.on_approved(approver)
