"""UI tests: the real window on a real till folder, offscreen, with operations run inline.

Besides ``window`` (keyboard-wedge scanner, no printer), there are windows whose ``config.toml`` points the
receipt printer at a ``TcpPrinterSimulator`` on 127.0.0.1 (``printer_window``) and the scanner at a
``PtyScanner`` (``scanner_window``); ``threaded_printer_window`` runs the slow parts on the real worker pool,
as the till does, to show the GUI thread never waits for the printer.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from shiboken6 import isValid

from drivers.sim.pty_scanner import PtyScanner
from drivers.sim.tcp_printer import TcpPrinterSimulator
from pos_desktop import config, paths
from pos_desktop.ui.app import create_main_window
from pos_desktop.ui.operations import InlineExecutor
from pos_desktop.ui.qt import QDialog, QEvent, QMainWindow, QObject, QTimer, QWidget

PRINTER_ENCODING = "gb18030"


def configure(data_dir: Path, **sections: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Write ``config.toml`` of ``data_dir`` with ``sections`` over what is there (before the window starts)."""
    path = paths.config_path(data_dir)
    doc = config.load(path)
    for name, values in sections.items():
        doc[name].update(values)
    config.save(path, doc)
    return doc


def network_printer(sim: TcpPrinterSimulator, timeout: float = 1) -> dict[str, Any]:
    return {"kind": "network", "host": "127.0.0.1", "port": sim.port, "timeout": timeout,
            "encoding": PRINTER_ENCODING, "width": 48}


class WindowManager(QObject):
    """What a desktop's window manager does and the offscreen platform does not: a window that is shown
    becomes the active one, and when a dialog closes its parent window is active again (so the function keys
    of the till's window work after a dialog, and a dialog's first field gets the keyboard)."""

    def eventFilter(self, watched, event):
        if isinstance(watched, (QDialog, QMainWindow)) and watched.isWindow():
            if event.type() == QEvent.Type.Show:
                QTimer.singleShot(0, lambda: self._activate(watched))
            elif event.type() == QEvent.Type.Hide and watched.parentWidget() is not None:
                parent = watched.parentWidget().window()
                QTimer.singleShot(0, lambda: self._activate(parent))
        return False

    @staticmethod
    def _activate(window: QWidget) -> None:
        if isValid(window) and window.isVisible():
            window.activateWindow()


@pytest.fixture(autouse=True)
def window_manager(qapp):
    manager = WindowManager()
    qapp.installEventFilter(manager)
    yield manager
    qapp.removeEventFilter(manager)


@pytest.fixture
def window(qtbot, till_dir, clock):
    win = create_main_window(till_dir, executor=InlineExecutor(), clock=clock)
    qtbot.addWidget(win)
    yield win


@pytest.fixture
def sim_printer():
    with TcpPrinterSimulator() as printer:
        yield printer


@pytest.fixture
def printer_window(qtbot, till_dir, clock, sim_printer):
    configure(till_dir, printer=network_printer(sim_printer), drawer={"kind": "printer"})
    win = create_main_window(till_dir, executor=InlineExecutor(), clock=clock)
    qtbot.addWidget(win)
    yield win


@pytest.fixture
def threaded_printer_window(qtbot, till_dir, clock, sim_printer):
    """The printer as above, but the commit and the printing run on the till's own worker threads."""
    configure(till_dir, printer=network_printer(sim_printer, timeout=0.5), drawer={"kind": "printer"})
    win = create_main_window(till_dir, clock=clock)
    qtbot.addWidget(win)
    yield win


@pytest.fixture
def pty_scanner():
    with PtyScanner(suffix="CR") as scanner:
        yield scanner


@pytest.fixture
def scanner_window(qtbot, till_dir, clock, pty_scanner):
    configure(till_dir, scanner={"kind": "serial", "device": pty_scanner.path, "suffix": "CR", "timeout": 1})
    win = create_main_window(till_dir, executor=InlineExecutor(), clock=clock)
    qtbot.addWidget(win)
    yield win


def find(win, kind, name):
    widget = win.findChild(kind, name)
    assert widget is not None, f"no {kind.__name__} named {name}"
    return widget
