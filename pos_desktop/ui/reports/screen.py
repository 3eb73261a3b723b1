"""The reports screen: pick a report, its option and a date range, run it (off the GUI thread: the till keeps
answering while a big report computes), read its tables and chart, export it as CSV, XLSX or PDF."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from typing import Any

from ...core.errors import InvalidInput
from ...core.i18n import _
from ...services.auth import Operator
from ...services.context import Context
from ...services.reports import export, pdf
from ...services.reports.table import Report, Table, json_value
from ..backoffice.screen_base import BackOfficeScreen, button, table
from ..operations import Runner
from ..qt import (QComboBox, QHBoxLayout, QHeaderView, QLabel, QLineEdit, QStackedWidget, QTabWidget, QVBoxLayout, QWidget,
                  Signal)
from .catalog import HEATMAP, ReportKind, report_kinds
from .chart import ReportChart
from .heatmap import HeatMap

DEFAULT_DAYS = 30
SIZED_ROWS = 60       # the rows a column's width is measured on (all of them: seconds for a long report)


def cell_text(value: Any, kind: str, places: int) -> str:
    shown = json_value(value, kind, places)
    return "" if shown is None else str(shown)


def parse_day(text: str, what: str) -> date:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise InvalidInput(_("{what} must be a date written YYYY-MM-DD, not {text!r}").format(what=what, text=text),
                           code="bad_date") from None


class ReportsScreen(BackOfficeScreen):
    report_shown = Signal(object)    # the Report on screen
    exported = Signal(object)        # list of the files written

    def __init__(self, parent: QWidget, ctx: Context, operator: Operator, runner: Runner) -> None:
        super().__init__(parent, ctx, operator, runner, name="reportsScreen", title=_("Reports"),
                         message_name="reportsMessage")
        self.kinds = report_kinds()
        self.report: Report | None = None
        self.kind = QComboBox()
        self.kind.setObjectName("reportsKind")
        for kind in self.kinds:
            self.kind.addItem(kind.title, kind.key)
        self.option = QComboBox()
        self.option.setObjectName("reportsOption")
        self.subject = QLineEdit()
        self.subject.setObjectName("reportsSubject")
        today = ctx.clock.now().date()
        self.date_from = QLineEdit((today - timedelta(days=DEFAULT_DAYS - 1)).isoformat())
        self.date_from.setObjectName("reportsFrom")
        self.date_to = QLineEdit(today.isoformat())
        self.date_to.setObjectName("reportsTo")
        self.run_button = button(_("Show report"), "reportsRun")
        self.run_button.clicked.connect(self.run_report)
        self.kind.currentIndexChanged.connect(self._kind_changed)
        top = QHBoxLayout()
        for label, widget in ((_("Report kind"), self.kind), (None, self.option), (None, self.subject),
                              (_("First day"), self.date_from), (_("Last day"), self.date_to)):
            if label:
                top.addWidget(QLabel(label))
            top.addWidget(widget)
        top.addWidget(self.run_button)

        self.tables = QTabWidget()
        self.tables.setObjectName("reportsTables")
        self.tables.addTab(table("reportsTable", [])[0], _("No report yet"))     # empty until a report is shown
        self.chart = ReportChart("reportsChart")
        self.heatmap = HeatMap("reportsHeatmap")
        self.pictures = QStackedWidget()
        self.pictures.setObjectName("reportsPictures")
        self.pictures.addWidget(self.chart)
        self.pictures.addWidget(self.heatmap)
        self.notes = QLabel("")
        self.notes.setObjectName("reportsNotes")
        self.notes.setWordWrap(True)

        self.folder = QLineEdit(str(Path(ctx.data_dir) / "exports"))
        self.folder.setObjectName("reportsFolder")
        self.export_buttons = []
        bottom = QHBoxLayout()
        bottom.addWidget(QLabel(_("Export to folder")))
        bottom.addWidget(self.folder, 1)
        for fmt, text, name in (("csv", _("CSV"), "reportsCsv"), ("xlsx", _("XLSX"), "reportsXlsx"),
                                ("pdf", _("PDF"), "reportsPdf")):
            made = button(text, name)
            made.clicked.connect(lambda _checked=False, f=fmt: self.export(f))
            made.setEnabled(False)
            self.export_buttons.append(made)
            bottom.addWidget(made)
        close = button(_("Close"), "closeButton")
        close.clicked.connect(self.reject)
        last = QHBoxLayout()
        last.addWidget(self.message, 1)
        last.addWidget(close)

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.tables, 3)
        layout.addWidget(self.pictures, 2)
        layout.addWidget(self.notes)
        layout.addLayout(bottom)
        layout.addLayout(last)
        self._kind_changed()
        self.finish_setup()

    # -------------------------------------------------------------------------------------------- choosing
    def current(self) -> ReportKind:
        return self.kinds[self.kind.currentIndex()]

    def choose(self, key: str, option: str | None = None) -> None:
        """Pick report ``key`` (and its option) as a person would in the two lists."""
        self.kind.setCurrentIndex(self.kind.findData(key))
        if option is not None:
            self.option.setCurrentIndex(self.option.findData(option))

    def _kind_changed(self, _index: int = 0) -> None:
        kind = self.current()
        self.option.clear()
        for value, text in kind.options:
            self.option.addItem(text, value)
        self.option.setVisible(bool(kind.options))
        self.subject.setVisible(bool(kind.subject))
        self.subject.setPlaceholderText(kind.subject)

    # --------------------------------------------------------------------------------------------- running
    def run_report(self) -> None:
        kind, option = self.current(), self.option.currentData() or ""
        subject, from_text, to_text = self.subject.text(), self.date_from.text(), self.date_to.text()
        ctx = self.ctx

        def job() -> Report:
            date_from, date_to = parse_day(from_text, _("First day")), parse_day(to_text, _("Last day"))
            return kind.build(ctx, date_from, date_to, option, subject)
        self.run_button.setEnabled(False)
        self.say(_("Computing {title}…").format(title=kind.title))
        self.work(job, lambda report: self.show_report(kind, option, report), self._failed)

    def _failed(self, exc: BaseException) -> None:
        self.run_button.setEnabled(True)
        self.fail(exc)

    def show_report(self, kind: ReportKind, option: str, report: Report) -> None:
        self.run_button.setEnabled(True)
        self.report = report
        while self.tables.count():
            page = self.tables.widget(0)
            self.tables.removeTab(0)
            page.setParent(None)  # type: ignore[call-overload]  # out of the tree at once (findChild)
            page.deleteLater()
        for i, tab in enumerate(report.tables):
            view, model = table("reportsTable" if i == 0 else f"reportsTable_{tab.name}",
                                [c.label for c in tab.columns], stretch=-1)
            model.set_rows(self._rows(tab, report.places))
            header = view.horizontalHeader()          # sized once, on the first rows: a year by day in no time
            header.setResizeContentsPrecision(SIZED_ROWS)
            header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
            view.resizeColumnsToContents()
            self.tables.addTab(view, tab.title)
        self._draw(kind, option, report)
        self.notes.setText("\n".join(report.notes))
        for made in self.export_buttons:
            made.setEnabled(True)
        self.say(_("{title}: {rows} rows").format(title=report.title, rows=len(report.main.rows)))
        self.report_shown.emit(report)

    @staticmethod
    def _rows(tab: Table, places: int) -> list[list[str]]:
        rows = tab.rows + ([tab.totals] if tab.totals is not None else [])
        return [[cell_text(row.get(c.key), c.kind, places) for c in tab.columns] for row in rows]

    def _draw(self, kind: ReportKind, option: str, report: Report) -> None:
        spec = kind.chart
        if spec.kind == HEATMAP:
            self._heatmap(report)
            return
        self.pictures.setCurrentWidget(self.chart)
        tab = report.table(spec.table) if spec.table else report.main
        keys = {c.key: c for c in tab.columns}
        label_key = next((k for k in spec.labels if k in keys), tab.columns[0].key)
        rows = tab.rows[:spec.limit] if spec.kind == "bar" else tab.rows
        labels = [str(row.get(label_key) or "") for row in rows]
        series = [(key, keys[key].label, [row.get(key) for row in rows]) for key in kind.series(option) if key in keys]
        self.chart.draw(spec.kind, labels, series)

    def _heatmap(self, report: Report) -> None:
        self.pictures.setCurrentWidget(self.heatmap)
        tab = report.main
        hours = [c for c in tab.columns if c.key.startswith("h")]
        self.heatmap.show_cells([row["weekday"] for row in tab.rows], [c.label for c in hours],
                                [[row.get(c.key) for c in hours] for row in tab.rows],
                                [[cell_text(row.get(c.key), c.kind, report.places) for c in hours]
                                 for row in tab.rows])

    # ------------------------------------------------------------------------------------------- exporting
    def export(self, fmt: str) -> None:
        report, folder, store = self.report, Path(self.folder.text().strip()), self.ctx.till.store_name
        if report is None:
            return
        stem = f'{report.kind}-{report.params.get("from") or report.params.get("as_of", "")}-' \
               f'{report.params.get("to") or ""}'.rstrip("-")

        def job() -> list[Path]:
            target = folder / f"{stem}.{fmt}"
            try:
                folder.mkdir(parents=True, exist_ok=True)
                if fmt == "csv":
                    return export.write_csv(report, target)
                if fmt == "xlsx":
                    return [export.write_xlsx(report, target)]
                return [pdf.write_pdf(report, target, store)]
            except OSError as exc:
                raise InvalidInput(_("Cannot write {path}: {error}").format(path=target, error=exc.strerror or exc),
                                   code="cannot_write") from None
        self.work(job, self._exported)

    def _exported(self, paths: list[Path]) -> None:
        self.say(_("Written: {files}").format(files=", ".join(str(p) for p in paths)))
        self.exported.emit(paths)
