"""First start on a new till: store, till, the administrator's PIN and the devices; then the database is made."""

from __future__ import annotations

from pathlib import Path

from .. import config, paths
from ..core.errors import PosError
from ..core.i18n import _
from ..services import till
from .qt import QComboBox, QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QVBoxLayout, QWidget

PRINTER_KINDS = ("none", "sim", "network", "serial", "usb", "file")


class SetupWizard(QDialog):
    def __init__(self, folder: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.folder = folder
        self.setObjectName("setupWizard")
        self.setWindowTitle(_("Set up this till"))
        self.fields = {name: QLineEdit(default) for name, default in (
            ("store_code", "S01"), ("store_name", ""), ("till_code", "T01"), ("admin_user", "admin"),
            ("admin_pin", ""), ("printer_host", "127.0.0.1"))}
        for name, field in self.fields.items():
            field.setObjectName(f"setup_{name}")
        self.fields["admin_pin"].setEchoMode(QLineEdit.EchoMode.Password)
        self.printer = QComboBox()
        self.printer.setObjectName("setup_printer_kind")
        self.printer.addItems(PRINTER_KINDS)
        self.message = QLabel("")
        self.message.setObjectName("setupMessage")
        form = QFormLayout()
        labels = {"store_code": _("Store code"), "store_name": _("Store name"), "till_code": _("Till code"),
                  "admin_user": _("Administrator"), "admin_pin": _("Administrator PIN"),
                  "printer_host": _("Network printer address")}
        for name, label in labels.items():
            form.addRow(label, self.fields[name])
        form.addRow(_("Receipt printer"), self.printer)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(_("Data folder: {path}").format(path=folder)))
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(buttons)
        buttons.accepted.connect(self.create)
        buttons.rejected.connect(self.reject)

    def create(self) -> None:
        value = {name: field.text().strip() for name, field in self.fields.items()}
        try:
            ctx = till.init_till(self.folder, store_code=value["store_code"], store_name=value["store_name"],
                                 till_code=value["till_code"], admin_user=value["admin_user"],
                                 admin_pin=value["admin_pin"])
            ctx.close()
            settings = config.load(paths.config_path(self.folder))
            settings["printer"]["kind"] = self.printer.currentText()
            settings["printer"]["host"] = value["printer_host"]
            config.save(paths.config_path(self.folder), settings)
        except PosError as exc:
            self.message.setText(exc.message)
            return
        self.accept()
