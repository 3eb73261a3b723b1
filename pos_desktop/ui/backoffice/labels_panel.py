"""Shelf-edge and barcode labels as PDF (issue 6 point 8): for the SKUs typed or scanned here, and/or every
product whose price changed since a date; written under ``documents/labels/`` and opened from here."""

from __future__ import annotations

from pathlib import Path

from ...core.errors import PosError
from ...core.i18n import _
from ...services import labels, receiving
from ...services.labels import LabelSheet
from ..qt import QComboBox, QDesktopServices, QFormLayout, QHBoxLayout, QLabel, QLineEdit, QUrl, QVBoxLayout
from .panel_base import Panel
from .receiving_lines import parse_day
from .screen_base import WorkMixin, button


class LabelsPanel(Panel):
    def __init__(self, host: WorkMixin) -> None:
        super().__init__(host, "labelsPanel")
        self.sheet: LabelSheet | None = None
        self.skus = QLineEdit()
        self.skus.setObjectName("labelSkus")
        self.skus.setPlaceholderText(_("SKUs separated by spaces, or scan the goods"))
        self.since = QLineEdit()
        self.since.setObjectName("labelSince")
        self.since.setPlaceholderText(_("YYYY-MM-DD (optional)"))
        self.kind = QComboBox()
        self.kind.setObjectName("labelKind")
        self.kind.addItem(_("Shelf-edge labels"), "shelf")
        self.kind.addItem(_("Barcode labels"), "barcode")
        self.result = QLabel("")
        self.result.setObjectName("labelsResult")
        self.result.setWordWrap(True)
        make = button(_("Make labels (PDF)"), "labelsButton")
        self.open_button = button(_("Open PDF"), "labelsOpenButton")
        self.open_button.setEnabled(False)
        form = QFormLayout()
        form.addRow(_("Products"), self.skus)
        form.addRow(_("Price changed since"), self.since)
        form.addRow(_("Kind"), self.kind)
        row = QHBoxLayout()
        row.addWidget(make)
        row.addWidget(self.open_button)
        row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addLayout(row)
        layout.addWidget(self.result)
        layout.addStretch(1)
        make.clicked.connect(self.make)
        self.open_button.clicked.connect(self.open_pdf)

    def take_scan(self, code: str) -> None:
        """A scanned product joins the list by its SKU."""
        try:
            sku = receiving.identify(self.ctx, barcode=code).sku
        except PosError as exc:
            self.say(exc.message, error=True)
            return
        skus = self.skus.text().split()
        if sku not in skus:
            self.skus.setText(" ".join(skus + [sku]))

    def make(self) -> None:
        try:
            since = parse_day(self.since.text())
        except PosError as exc:
            self.say(exc.message, error=True)
            return
        skus = self.skus.text().replace(",", " ").split()
        kind = self.kind.currentData()
        stamp = self.ctx.clock.now().strftime("%Y%m%d-%H%M%S")
        path = self.ctx.data_dir / "documents" / "labels" / f"labels-{kind}-{stamp}.pdf"

        def write() -> LabelSheet:
            Path(path).parent.mkdir(parents=True, exist_ok=True)
            return labels.make_labels(self.ctx, path, skus=skus, changed_since=since, kind=kind)
        self.work(write, self._made)

    def _made(self, sheet: LabelSheet) -> None:
        self.sheet = sheet
        self.open_button.setEnabled(True)
        self.result.setText(_("{labels} labels on {pages} pages: {path}").format(
            labels=sheet.labels, pages=sheet.pages, path=sheet.path))
        self.say("")

    def open_pdf(self) -> None:
        if self.sheet is not None:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.sheet.path)))
