"""The reports screen on three weeks of real trading (tests/reports): a sales trend by week whose table and
chart hold the figures recomputed from the raw sale rows, the hourly heat map as a coloured grid, margins as
bars, exports written as CSV, XLSX and PDF, a refusal for a cashier, and a GUI thread that keeps running while
reports compute on a worker."""

from __future__ import annotations

import csv
import dataclasses
import subprocess
import threading
import time
from datetime import date

from pos_desktop.services.reports import hourly, margin, trends
from pos_desktop.services.reports.table import json_value
from pos_desktop.ui.qt import QAction, QDialog, QElapsedTimer, QLineEdit, QMessageBox, QTableView, QTimer
from pos_desktop.ui.reports.heatmap import HIGH, LOW
from tests.reports.conftest import FIRST, LAST
from tests.reports.expected import Raw, day_figures
from tests.ui.conftest import find
from tests.ui.flows import WAIT_MS, logged_in, visible_dialog
from tests.ui_backoffice.steps import click, rows, type_into
from tests.ui_close.steps import open_day_screen


def open_reports(qtbot, win):
    logged_in(qtbot, win, "mia", "9999")
    screen = open_day_screen(qtbot, win, "reports", "reportsScreen")
    type_into(qtbot, find(screen, QLineEdit, "reportsFrom"), FIRST.isoformat(), enter=False)
    type_into(qtbot, find(screen, QLineEdit, "reportsTo"), LAST.isoformat(), enter=False)
    return screen


def run(qtbot, screen, key: str, option: str | None = None):
    screen.choose(key, option)
    with qtbot.waitSignal(screen.report_shown, timeout=WAIT_MS) as shown:
        click(qtbot, screen, "reportsRun")
    return shown.args[0]


def test_sales_trend_by_week_with_the_previous_period(qtbot, reports_window, history_copy):
    screen = open_reports(qtbot, reports_window)
    report = run(qtbot, screen, "sales", "week")
    raw = Raw.read(history_copy / "pos.db")
    shown = rows(screen, "reportsTable")
    assert [row["Period"] for row in shown] == ["2026-W48", "2026-W49", "2026-W50", "Total"]
    for row in shown[:3]:
        expected = day_figures(raw, date.fromisoformat(row["From"]), date.fromisoformat(row["To"]))
        assert row["Net sales"] == str(expected["net_sales"]) and row["Sales"] == str(expected["sales_count"])
        assert row["Previous net sales"] == "0.00"                         # no trading before the history
    assert shown[3]["Net sales"] == str(day_figures(raw, FIRST, LAST)["net_sales"])
    # the same figures as the service gives (the table is the report, not a copy of it)
    service = trends.sales_trend(reports_window.ctx, FIRST, LAST, "week")
    columns = [c for c in service.main.columns]
    assert [[row[c.label] for c in columns] for row in shown] == [
        ["" if (v := json_value(r.get(c.key), c.kind, 2)) is None else str(v) for c in columns]
        for r in service.main.rows + [service.main.totals]]
    points = screen.chart.points()
    assert screen.chart.kind == "line" and set(points) == {"net_sales", "prev_net_sales"}
    assert [y for _x, y in points["net_sales"]] == [float(r["net_sales"]) for r in report.main.rows]
    assert len(points["prev_net_sales"]) == 3 and all(y == 0 for _x, y in points["prev_net_sales"])


def test_the_hourly_heat_map_is_a_coloured_grid(qtbot, reports_window):
    screen = open_reports(qtbot, reports_window)
    report = run(qtbot, screen, "hourly", "net_sales")
    grid = screen.heatmap
    assert screen.pictures.currentWidget() is grid and grid.rowCount() == 7
    hours = report.extra["hours"]
    assert grid.columnCount() == len(hours)
    service = hourly.hourly_heatmap(reports_window.ctx, FIRST, LAST, "net_sales")
    for r, row in enumerate(service.main.rows):
        assert [grid.item(r, c).text() for c in range(len(hours))] == [str(row[f"h{h:02d}"]) for h in hours]
    peak = report.extra["peak"]
    darkest = grid.item(peak["weekday"] - 1, hours.index(peak["hour"])).background().color()
    assert darkest.name() == HIGH.name()
    empty = [(r, c) for r, row in enumerate(service.main.rows) for c, h in enumerate(hours) if not row[f"h{h:02d}"]]
    assert empty, "the history has hours without sales"
    assert grid.item(*empty[0]).background().color().name() == LOW.name()


def test_margins_as_bars_and_the_three_exports(qtbot, reports_window, tmp_path):
    screen = open_reports(qtbot, reports_window)
    report = run(qtbot, screen, "margin", "product")
    service = margin.margin_report(reports_window.ctx, FIRST, LAST, "product")
    shown = rows(screen, "reportsTable")
    assert [(row["SKU"], row["Margin"]) for row in shown[:-1]] == [(r["sku"], str(r["margin"])) for r in service.main.rows]
    points = screen.chart.points()["margin"]
    assert screen.chart.kind == "bar" and len(points) == len(service.main.rows) == 5
    assert [y for _x, y in points] == [float(r["margin"]) for r in service.main.rows]

    type_into(qtbot, find(screen, QLineEdit, "reportsFolder"), str(tmp_path / "out"), enter=False)
    written = {}
    for name in ("reportsCsv", "reportsXlsx", "reportsPdf"):
        with qtbot.waitSignal(screen.exported, timeout=WAIT_MS) as done:
            click(qtbot, screen, name)
        written[name] = done.args[0]
    [csv_path] = written["reportsCsv"]
    with csv_path.open(encoding="utf-8-sig", newline="") as f:
        lines = list(csv.reader(f))
    assert lines[0][:2] == ["SKU", "Item"] and len(lines) == 1 + 5 + 1
    assert [line[0] for line in lines[1:-1]] == [r["sku"] for r in report.main.rows]
    from openpyxl import load_workbook
    sheet = load_workbook(written["reportsXlsx"][0]).worksheets[0]
    assert sheet.max_row == 7 and sheet.cell(2, 1).value == report.main.rows[0]["sku"]
    text = subprocess.run(["pdftotext", "-layout", str(written["reportsPdf"][0]), "-"], capture_output=True,
                          text=True, check=True).stdout
    assert report.main.rows[0]["sku"] in text and str(service.main.totals["margin"]) in text
    assert str(tmp_path / "out") in screen.message.text()


def test_a_bad_date_is_said_and_a_cashier_is_not_let_in(qtbot, reports_window):
    screen = open_reports(qtbot, reports_window)
    type_into(qtbot, find(screen, QLineEdit, "reportsFrom"), "2026-13-01", enter=False)
    click(qtbot, screen, "reportsRun")
    assert "must be a date written YYYY-MM-DD" in screen.message.text()
    assert screen.report is None and find(screen, QTableView, "reportsTable").model().rowCount() == 0
    assert screen.run_button.isEnabled()                                                     # try again
    screen.reject()
    qtbot.waitUntil(lambda: not screen.isVisible(), timeout=WAIT_MS)
    reports_window.logout()
    logged_in(qtbot, reports_window, "amy", "1111")
    find(reports_window, QAction, "action_day_reports").trigger()
    box = visible_dialog(qtbot, reports_window, "errorDialog")
    assert isinstance(box, QMessageBox) and "amy (cashier) may not" in box.text()
    assert not any(d.isVisible() for d in reports_window.findChildren(QDialog, "reportsScreen"))


def test_the_window_keeps_running_while_reports_compute(qtbot, threaded_reports_window):
    """Reports run on the till's worker threads. While a worker computes sales trends over and over, the GUI
    thread's timer keeps ticking and the screen takes typing; the report then arrives on screen."""
    screen = open_reports(qtbot, threaded_reports_window)
    screen.choose("sales", "day")
    index = [k.key for k in screen.kinds].index("sales")
    real = screen.kinds[index].build
    release, rounds = threading.Event(), []

    def big_report(ctx, a, b, option, subject):
        deadline = time.monotonic() + 20
        while True:                                     # keep the worker busy until the test has seen enough
            report = real(ctx, a.replace(year=a.year - 2), b, option, subject)
            rounds.append(1)
            if release.is_set() or time.monotonic() > deadline:
                return report
    screen.kinds[index] = dataclasses.replace(screen.kinds[index], build=big_report)

    ticks, gaps, clock = [], [], QElapsedTimer()
    timer = QTimer(screen)
    timer.setInterval(10)

    def tick():
        if ticks and not release.is_set():
            gaps.append(clock.restart())
        else:
            clock.start()
        ticks.append(1)
    timer.timeout.connect(tick)
    timer.start()
    click(qtbot, screen, "reportsRun")
    assert not find(screen, type(screen.run_button), "reportsRun").isEnabled()      # computing
    qtbot.waitUntil(lambda: len(ticks) >= 30 and len(rounds) >= 2, timeout=15000)
    subject = find(screen, QLineEdit, "reportsSubject")
    qtbot.keyClicks(subject, "typing")                     # the screen takes keys while the report computes
    assert subject.text() == "typing" and threaded_reports_window.runner.pending == 1
    with qtbot.waitSignal(screen.report_shown, timeout=15000) as shown:
        release.set()
    timer.stop()
    assert shown.args[0].params["by"] == "day" and len(shown.args[0].main.rows) > 700
    print(f"longest gap between 10 ms ticks while {len(rounds)} reports computed: {max(gaps)} ms")
    assert max(gaps) < 1000, f"the GUI thread stalled for {max(gaps)} ms"


def test_every_report_shows_a_table_and_its_chart(qtbot, reports_window):
    """Each report of the list runs with its first option: the table holds its rows (and totals), the chart one
    point per row (bars: at most 30), or the heat map one row per weekday."""
    screen = open_reports(qtbot, reports_window)
    type_into(qtbot, find(screen, QLineEdit, "reportsSubject"), "COLA", enter=False)   # for the forecast
    for kind in list(screen.kinds):
        report = run(qtbot, screen, kind.key, kind.options[0][0] if kind.options else None)
        table = report.table(kind.chart.table) if kind.chart.table else report.main
        shown = rows(screen, "reportsTable")
        assert len(shown) == len(report.main.rows) + (report.main.totals is not None), kind.key
        if kind.chart.kind == "heatmap":
            assert screen.heatmap.rowCount() == 7
            continue
        points = screen.chart.points()
        assert points, kind.key
        expected = len(table.rows) if kind.chart.kind == "line" else min(len(table.rows), kind.chart.limit)
        assert all(len(p) == expected for p in points.values()), kind.key
    assert screen.current().key == "members" and find(screen, QTableView, "reportsTable_segments")
