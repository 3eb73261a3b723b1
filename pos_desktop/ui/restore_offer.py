"""At start, a damaged or missing till database: say so, stop selling, offer the newest good backup.

An administrator types a user name and PIN, and the one-time code when the backup asks for one (checked against the backup: the damaged file cannot say who is
admin); the restore runs off the GUI thread; the dialog is accepted when the till can be opened again.
"""

from __future__ import annotations

from pathlib import Path

from ..core.errors import IntegrityFailure
from ..core.i18n import _
from ..services import backups
from .dialogs import CodeRow
from .errors import message_for
from .operations import Runner
from .qt import QDialog, QFormLayout, QHBoxLayout, QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget

RESTORABLE = ("database_corrupt", "database_missing")


def can_offer_restore(exc: BaseException) -> bool:
    return isinstance(exc, IntegrityFailure) and exc.code in RESTORABLE


class RestoreOffer(QDialog):
    def __init__(self, folder: Path, problem: IntegrityFailure, runner: Runner,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.folder, self.runner = folder, runner
        self.source: Path | None = None
        self.setObjectName("restoreOfferDialog")
        self.setWindowTitle(_("The till database cannot be used"))
        self.problem = QLabel(problem.message)
        self.problem.setObjectName("restoreProblem")
        self.problem.setWordWrap(True)
        self.backup = QLabel(_("Looking for a good backup…"))
        self.backup.setObjectName("restoreBackup")
        self.user, self.pin = QLineEdit(), QLineEdit()
        self.user.setObjectName("restoreUser")
        self.pin.setObjectName("restorePin")
        self.pin.setEchoMode(QLineEdit.EchoMode.Password)
        self.message = QLabel("")
        self.message.setObjectName("restoreMessage")
        self.message.setWordWrap(True)
        self.restore_button = QPushButton(_("Restore this backup"))
        self.restore_button.setObjectName("restoreButton")
        self.restore_button.setEnabled(False)
        quit_button = QPushButton(_("Quit"))
        quit_button.setObjectName("restoreQuitButton")
        form = QFormLayout()
        form.addRow(_("Administrator"), self.user)
        form.addRow(_("PIN"), self.pin)
        self.code = CodeRow(form, self.pin, None, "restoreOtp")
        buttons = QHBoxLayout()
        buttons.addWidget(self.restore_button)
        buttons.addWidget(quit_button)
        layout = QVBoxLayout(self)
        for widget in (self.problem, self.backup):
            layout.addWidget(widget)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addLayout(buttons)
        self.restore_button.clicked.connect(self.restore)
        self.pin.returnPressed.connect(lambda: self.code.after_pin() or self.restore())
        self.code.field.returnPressed.connect(self.restore)
        self.user.textEdited.connect(lambda _text: self.code.user_changed())
        quit_button.clicked.connect(self.reject)
        runner.run(lambda: backups.newest_good(folder), success=self._found, failure=self._none_found)

    def _found(self, path: Path) -> None:
        self.source = path
        self.backup.setText(_("Newest good backup: {name}. Sales made after it are lost; receipt numbers "
                              "continue.").format(name=path.name))
        self.restore_button.setEnabled(True)
        self.user.setFocus()

    def _none_found(self, exc: BaseException) -> None:
        self.backup.setText(message_for(exc))

    def restore(self) -> None:
        if self.source is None or not self.restore_button.isEnabled():
            return
        self.restore_button.setEnabled(False)
        self.message.setText(_("Restoring…"))
        user, pin, otp, source = self.user.text().strip(), self.pin.text(), self.code.value(), self.source
        self.runner.run(lambda: backups.recover(self.folder, source, user, pin, otp=otp),
                        success=lambda _path: self.accept(), failure=self._failed)

    def _failed(self, exc: BaseException) -> None:
        self.message.setText(message_for(exc))
        if not self.code.refused(exc):
            self.pin.clear()
        self.restore_button.setEnabled(True)
