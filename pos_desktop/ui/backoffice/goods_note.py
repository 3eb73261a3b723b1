"""The goods-received note after a delivery is committed: its text as the receipt printer prints it, a button
to print it there, and the PDF (saved under ``documents/goods-received/`` like ``pos receive`` does) to open.

The receipt is already committed when this opens: a PDF that cannot be written or a printer that fails is
said here, never a failed delivery.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ...core.i18n import _
from ...devices import DeviceManager, text_job
from ...services import receiving
from ...services.context import Context
from ..dialogs import dispose_when_closed, plain_buttons
from ..errors import message_for
from ..operations import Runner
from ..qt import (
    QDesktopServices,
    QDialog,
    QFont,
    QFontDatabase,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QUrl,
    QVBoxLayout,
    QWidget,
    isValid,
)
from .screen_base import button



@dataclass(frozen=True)
class Received:
    """What the worker hands back after a delivery: the service's answer, the note's text, the PDF."""

    doc: dict[str, Any]
    text: list[str]
    pdf: Path | None
    pdf_error: str | None


def commit_delivery(ctx: Context, operator, entry: receiving.ReceiptInput, approver, width: int) -> Received:  # type: ignore[no-untyped-def]
    """Receive (one transaction), then build the note and write its PDF (outside the transaction)."""
    from ...services import documents_pdf  # reportlab is loaded only when a note is written

    doc = receiving.receive_goods(ctx, operator, entry, approver)
    note = receiving.goods_received_note(ctx, doc["receipt_no"])
    target = ctx.data_dir / "documents" / "goods-received" / f"{note.receipt_no}.pdf"
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        documents_pdf.write_grn_pdf(note, target)
    except Exception as exc:  # noqa: BLE001 — the goods are in; the PDF is only a copy
        return Received(doc, receiving.note_text(note, width), None, message_for(exc))
    return Received(doc, receiving.note_text(note, width), target, None)


class GoodsNoteDialog(QDialog):
    def __init__(self, parent: QWidget, received: Received, devices: DeviceManager, runner: Runner) -> None:
        super().__init__(parent)
        self.received, self.devices, self.runner = received, devices, runner
        self.setObjectName("grnDialog")
        self.setWindowTitle(_("Goods received note {no}").format(no=received.doc["receipt_no"]))
        self.resize(620, 720)
        self.text = QPlainTextEdit("\n".join(received.text))
        self.text.setObjectName("grnText")
        self.text.setReadOnly(True)
        mono = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        mono.setStyleHint(QFont.StyleHint.Monospace)
        self.text.setFont(mono)
        self.pdf_label = QLabel(_("PDF: {path}").format(path=received.pdf) if received.pdf
                                else _("The PDF was not written: {why}").format(why=received.pdf_error))
        self.pdf_label.setObjectName("grnPdfLabel")
        self.pdf_label.setWordWrap(True)
        self.message = QLabel("")
        self.message.setObjectName("grnMessage")
        self.print_button = button(_("Print"), "grnPrintButton")
        self.print_button.setEnabled(devices.configured("printer"))
        self.pdf_button = button(_("Open PDF"), "grnPdfButton")
        self.pdf_button.setEnabled(received.pdf is not None)
        close = button(_("Close"), "closeButton")
        row = QHBoxLayout()
        row.addWidget(self.print_button)
        row.addWidget(self.pdf_button)
        row.addStretch(1)
        row.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.text, 1)
        layout.addWidget(self.pdf_label)
        layout.addWidget(self.message)
        layout.addLayout(row)
        self.print_button.clicked.connect(self.print_note)
        self.pdf_button.clicked.connect(self.open_pdf)
        close.clicked.connect(self.accept)
        plain_buttons(self)
        dispose_when_closed(self)

    def print_note(self) -> None:
        data = text_job(self.received.text, self.devices.receipt_style())
        self.print_button.setEnabled(False)
        self.message.setText(_("Printing…"))
        self.runner.run(lambda: self.devices.print_bytes(data), success=lambda _r: self._printed(None),
                        failure=self._printed)

    def _printed(self, exc: BaseException | None) -> None:
        if not isValid(self):
            return
        self.print_button.setEnabled(True)
        self.message.setText(_("Printed") if exc is None else message_for(exc))

    def open_pdf(self) -> None:
        if self.received.pdf is not None:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.received.pdf)))
