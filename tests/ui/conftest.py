"""UI tests: the real window on a real till folder, offscreen, with operations run inline."""

from __future__ import annotations

import pytest

from pos_desktop.ui.app import create_main_window
from pos_desktop.ui.operations import InlineExecutor


@pytest.fixture
def window(qtbot, till_dir, clock):
    win = create_main_window(till_dir, executor=InlineExecutor(), clock=clock)
    qtbot.addWidget(win)
    yield win


def find(win, kind, name):
    widget = win.findChild(kind, name)
    assert widget is not None, f"no {kind.__name__} named {name}"
    return widget
