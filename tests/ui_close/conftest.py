"""Close-day and reports screen tests: the till's real window (fixtures of ``tests/ui``) with a network receipt
printer simulated on 127.0.0.1, and the three-week trading history of ``tests/reports`` for the reports."""

from __future__ import annotations

import shutil

import pytest

from pos_desktop.core.clock import FixedClock
from pos_desktop.ui.app import create_main_window
from pos_desktop.ui.operations import InlineExecutor
from tests.reports.conftest import AFTER, history_dir  # noqa: F401 — the shared history, built once per process
from tests.ui.conftest import configure, network_printer, sim_printer, window, window_manager  # noqa: F401


@pytest.fixture
def day_window(qtbot, till_dir, clock, sim_printer):  # noqa: F811 — the imported fixture
    """The till with its receipt printer on the simulator, work run inline."""
    configure(till_dir, printer=network_printer(sim_printer))
    win = create_main_window(till_dir, executor=InlineExecutor(), clock=clock)
    qtbot.addWidget(win)
    yield win


@pytest.fixture
def history_copy(history_dir, tmp_path):  # noqa: F811
    folder = tmp_path / "history"
    shutil.copytree(history_dir, folder)
    return folder


@pytest.fixture
def history_clock() -> FixedClock:
    return FixedClock(AFTER)


@pytest.fixture
def reports_window(qtbot, history_copy, history_clock):
    win = create_main_window(history_copy, executor=InlineExecutor(), clock=history_clock)
    qtbot.addWidget(win)
    yield win


@pytest.fixture
def threaded_reports_window(qtbot, history_copy, history_clock):
    """As ``reports_window``, but work runs on the till's own worker threads, as in the shop."""
    win = create_main_window(history_copy, clock=history_clock)
    qtbot.addWidget(win)
    yield win
