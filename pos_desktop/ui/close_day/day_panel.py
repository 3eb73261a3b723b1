"""The day tab: an X report preview (reads only) and "Close day", which makes the Z report — shown here,
printed on the receipt printer and saved as a PDF. Closing needs ``report.z`` (a manager, or a manager's
approval) and is confirmed first, because a closed day never opens again."""

from __future__ import annotations

from typing import Any

from ...core.i18n import _
from ...services import business_day, zreport
from ...services.zreport import ZResult
from ..backoffice.panel_base import Panel
from ..backoffice.screen_base import WorkMixin, button, confirm
from ..qt import QFont, QHBoxLayout, QLabel, QPlainTextEdit, QTabWidget, QTimer, QVBoxLayout
from .report_text import report_lines
from .z_output import ZOutput, print_and_save


def report_view(name: str) -> QPlainTextEdit:
    view = QPlainTextEdit()
    view.setObjectName(name)
    view.setReadOnly(True)
    view.setFont(QFont("monospace"))
    return view


class DayPanel(Panel):
    def __init__(self, host: WorkMixin, printing, on_change, on_closed, on_output) -> None:  # type: ignore[no-untyped-def]
        super().__init__(host, "closeDayDayPanel")
        self.printing, self.on_change, self.on_closed, self.on_output = printing, on_change, on_closed, on_output
        self.x_button = button(_("X report (changes nothing)"), "closeDayXReport")
        self.x_button.clicked.connect(self.x_report)
        self.close_button = button(_("Close day (Z report)"), "closeDayCloseButton")
        self.close_button.clicked.connect(self.ask_close)
        self.x_text = report_view("closeDayXText")
        self.z_text = report_view("closeDayZText")
        self.views = QTabWidget()
        self.views.setObjectName("closeDayReports")
        self.views.addTab(self.x_text, _("X report"))
        self.views.addTab(self.z_text, _("Z report"))
        self.print_status = QLabel("")
        self.print_status.setObjectName("closeDayPrintStatus")
        self.print_status.setWordWrap(True)
        self.pdf_status = QLabel("")
        self.pdf_status.setObjectName("closeDayPdf")
        self.pdf_status.setWordWrap(True)
        buttons = QHBoxLayout()
        buttons.addWidget(self.x_button)
        buttons.addStretch(1)
        buttons.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        layout.addLayout(buttons)
        layout.addWidget(self.views, 1)
        layout.addWidget(self.print_status)
        layout.addWidget(self.pdf_status)
        self.z_result: ZResult | None = None

    def x_report(self) -> None:
        self.attempt(lambda who: zreport.x_report(self.ctx, self.operator, approver=who), self._show_x)

    def _show_x(self, report: dict[str, Any]) -> None:
        self.x_text.setPlainText("\n".join(report_lines(report)))
        self.views.setCurrentWidget(self.x_text)
        self.say(_("X report of {day}: net sales {net} so far").format(day=report["date"], net=report["net_sales"]))

    def ask_close(self) -> None:
        self.work(lambda: business_day.current_business_date(self.ctx), self._confirm)

    def _confirm(self, day) -> None:  # type: ignore[no-untyped-def]
        confirm(self, _("Close the day"), _("Close business day {day} with a Z report? A closed day cannot be "
                                            "changed: later sales belong to the next day.").format(day=day.isoformat()),
                lambda: QTimer.singleShot(0, lambda: self.close_day(day)))   # once the question has closed

    def close_day(self, day) -> None:  # type: ignore[no-untyped-def]
        self.attempt(lambda who: zreport.close_day(self.ctx, self.operator, day, approver=who), self._closed)

    def _closed(self, result: ZResult) -> None:
        self.z_result = result
        report = result.report
        self.z_text.setPlainText("\n".join(report_lines(report)))
        self.views.setCurrentWidget(self.z_text)
        if result.created:
            self.say(_("Business day {day} closed: Z report {number}, net sales {net}").format(
                day=report["date"], number=report["z_number"], net=report["net_sales"]))
        else:
            self.say(_("Business day {day} was already closed; this is its stored Z report {number}").format(
                day=report["date"], number=report["z_number"]))
        self.print_status.setText(_("Printing the Z report…"))
        self.on_change()
        self.on_closed(result)
        printing, folder = self.printing, self.ctx.data_dir
        self.work(lambda: print_and_save(printing, folder, report), self._output)

    def _output(self, out: ZOutput) -> None:
        if out.printed:
            self.print_status.setText(_("Z report printed ({n} bytes)").format(n=out.bytes_sent))
        elif out.queued_job is not None:
            self.print_status.setText(_("Z report not printed: {why} — it waits in the print queue").format(
                why=out.print_error))
        else:
            self.print_status.setText(_("Z report not printed: {why}").format(why=out.print_error))
        self.print_status.setProperty("error", not out.printed)
        if out.pdf is not None:
            self.pdf_status.setText(_("Saved as PDF: {path}").format(path=out.pdf))
        else:
            self.pdf_status.setText(_("The PDF was not written: {why}").format(why=out.pdf_error))
        self.on_output(out)
