"""Settings (admin): the devices of config.toml with "test print", "open drawer" and a scanner check; the
receipt's header and footer; language; tax-inclusive or not; cash rounding; quick keys."""

from __future__ import annotations

from typing import Any, Callable

from .. import config, paths
from ..core.errors import PosError
from ..core.i18n import _
from ..core.pricing import CashRounding
from ..devices import DeviceManager, printer_test_page
from ..services import drawer, settings
from ..services.auth import Operator
from ..services.context import Context
from .errors import message_for
from .operations import Runner
from .qt import (QCheckBox, QComboBox, QDialog, QDialogButtonBox, QFormLayout, QHBoxLayout, QLabel, QLineEdit,
                 QPushButton, QTabWidget, QVBoxLayout, QWidget)

CHOICES = {
    ("printer", "kind"): ("none", "sim", "network", "serial", "usb", "file"),
    ("printer", "width"): ("48", "32"),
    ("printer", "encoding"): ("gb18030", "gbk", "big5", "cp437", "cp858"),
    ("drawer", "kind"): ("printer", "serial", "none"), ("drawer", "pin"): ("2", "5"),
    ("scanner", "kind"): ("keyboard", "serial", "hid", "none"), ("scanner", "suffix"): ("CR", "LF", "CRLF"),
    ("display", "kind"): ("none", "serial", "printer"), ("display", "protocol"): ("cd5220", "epson"),
    ("scale", "kind"): ("none", "serial"), ("scale", "protocol"): ("toledo", "w-request"),
}
FIELDS = {"printer": ("kind", "host", "port", "device", "baudrate", "width", "encoding"),
          "drawer": ("kind", "pin"), "scanner": ("kind", "device", "baudrate", "suffix"),
          "display": ("kind", "device", "protocol"), "scale": ("kind", "device", "protocol")}
INTS = {"port", "baudrate", "width", "pin"}


def section_names() -> dict[str, str]:
    return {"printer": _("Printer"), "drawer": _("Cash drawer"), "scanner": _("Scanner"),
            "display": _("Customer display"), "scale": _("Scale")}


class SettingsDialog(QDialog):
    def __init__(self, parent: QWidget, ctx: Context, operator: Operator, devices: DeviceManager, runner: Runner,
                 on_saved: Callable[[str], None]) -> None:
        super().__init__(parent)
        self.ctx, self.operator, self.devices, self.runner, self.on_saved = ctx, operator, devices, runner, on_saved
        self.setObjectName("settingsDialog")
        self.setWindowTitle(_("Settings"))
        self.config = config.load(paths.config_path(ctx.data_dir))
        self.inputs: dict[tuple[str, str], QLineEdit | QComboBox] = {}
        self.message = QLabel("")
        self.message.setObjectName("settingsMessage")
        self.message.setWordWrap(True)
        tabs = QTabWidget()
        tabs.addTab(self._store_tab(), _("Store"))
        tabs.addTab(self._devices_tab(), _("Devices"))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Save).setObjectName("saveSettingsButton")
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(tabs)
        layout.addWidget(self.message)
        layout.addWidget(buttons)

    # -- tabs ---------------------------------------------------------------------------------------------------

    def _store_tab(self) -> QWidget:
        tab = QWidget()
        form = QFormLayout(tab)
        self.tax_inclusive = QCheckBox(_("Prices include tax"))
        self.tax_inclusive.setObjectName("taxInclusive")
        self.tax_inclusive.setChecked(bool(self.ctx.setting("tax_inclusive")))
        self.rounding = QComboBox()
        self.rounding.setObjectName("cashRounding")
        for mode in CashRounding:
            self.rounding.addItem(mode.value, mode.value)
        self.rounding.setCurrentIndex(self.rounding.findData(self.ctx.setting("cash_rounding")))
        self.header = QLineEdit(str(self.ctx.setting("receipt_header")))
        self.header.setObjectName("receiptHeader")
        self.footer = QLineEdit(str(self.ctx.setting("receipt_footer")))
        self.footer.setObjectName("receiptFooter")
        self.quick_keys = QLineEdit(", ".join(self.ctx.setting("quick_keys")))
        self.quick_keys.setObjectName("quickKeys")
        self.language = QComboBox()
        self.language.setObjectName("languageChoice")
        self.language.addItem("中文", "zh_CN")
        self.language.addItem("English", "en")
        self.language.setCurrentIndex(self.language.findData(self.config["ui"]["language"]))
        form.addRow(self.tax_inclusive)
        form.addRow(_("Cash rounding"), self.rounding)
        form.addRow(_("Receipt header"), self.header)
        form.addRow(_("Receipt footer"), self.footer)
        form.addRow(_("Quick keys (SKUs)"), self.quick_keys)
        form.addRow(_("Language"), self.language)
        return tab

    def _devices_tab(self) -> QWidget:
        tab = QWidget()
        layout = QVBoxLayout(tab)
        for section, keys in FIELDS.items():
            form = QFormLayout()
            for key in keys:
                value = str(self.config[section][key])
                if (section, key) in CHOICES:
                    box = QComboBox()
                    box.addItems(CHOICES[(section, key)])
                    box.setCurrentText(value)
                    widget: QLineEdit | QComboBox = box
                else:
                    widget = QLineEdit(value)
                widget.setObjectName(f"{section}_{key}")
                self.inputs[(section, key)] = widget
                form.addRow(f"{section_names()[section]} · {key}", widget)
            layout.addLayout(form)
        row = QHBoxLayout()
        for name, text, action in (("testPrintButton", _("Test print"), self.test_print),
                                   ("openDrawerButton", _("Open drawer"), self.open_drawer),
                                   ("deviceStatusButton", _("Check devices"), self.check_devices)):
            button = QPushButton(text)
            button.setObjectName(name)
            button.clicked.connect(action)
            row.addWidget(button)
        layout.addLayout(row)
        self.last_scan = QLabel(_("Scan something to test the scanner"))
        self.last_scan.setObjectName("testScanLabel")
        layout.addWidget(self.last_scan)
        return tab

    # -- device checks (off the GUI thread: a printer that hangs must not freeze the screen) -------------------

    def _report(self, text: str) -> None:
        self.message.setText(text)

    def test_print(self) -> None:
        style = self.devices.receipt_style(header=self.header.text(), footer=self.footer.text())
        self.runner.run(lambda: self.devices.print_bytes(printer_test_page(style)),
                        success=lambda _r: self._report(_("Test page sent")),
                        failure=lambda exc: self._report(message_for(exc)))

    def open_drawer(self) -> None:
        def kick() -> None:
            drawer.record_no_sale(self.ctx, self.operator, reason=_("drawer test"))
            self.devices.open_drawer()
        self.runner.run(kick, success=lambda _r: self._report(_("Drawer opened")),
                        failure=lambda exc: self._report(message_for(exc)))

    def check_devices(self) -> None:
        self.runner.run(self.devices.statuses,
                        success=lambda found: self._report(" · ".join(f"{s.name}: {s.summary}" for s in found)),
                        failure=lambda exc: self._report(message_for(exc)))

    def show_scan(self, code: str, valid: bool, why: str = "") -> None:
        self.last_scan.setText(_("Scanned {code}: {verdict}").format(
            code=code, verdict=_("good") if valid else why))

    # -- saving ---------------------------------------------------------------------------------------------------

    def _device_values(self) -> dict[str, dict[str, Any]]:
        values = {section: dict(self.config[section]) for section in self.config}
        for (section, key), widget in self.inputs.items():
            text = widget.currentText() if isinstance(widget, QComboBox) else widget.text().strip()
            values[section][key] = int(text) if key in INTS and text.isdigit() else text
        values["ui"]["language"] = self.language.currentData()
        return values

    def save(self) -> None:
        try:
            values = config.validate(self._device_values())
            settings.update_settings(self.ctx, self.operator, {
                "tax_inclusive": self.tax_inclusive.isChecked(), "cash_rounding": self.rounding.currentData(),
                "receipt_header": self.header.text(), "receipt_footer": self.footer.text(),
                "quick_keys": self.quick_keys.text()})
            config.save(paths.config_path(self.ctx.data_dir), values)
        except PosError as exc:
            self.message.setText(exc.message)
            return
        self.accept()
        self.on_saved(str(values["ui"]["language"]))
