"""The till window comes back where the cashier left it: size and place are kept in the data folder."""

from __future__ import annotations

from pos_desktop.ui import geometry
from pos_desktop.ui.app import create_main_window
from pos_desktop.ui.operations import InlineExecutor
from pos_desktop.ui.qt import QSize


def test_the_window_reopens_at_the_size_it_was_closed_at(qtbot, till_dir, clock) -> None:
    first = create_main_window(till_dir, executor=InlineExecutor(), clock=clock)
    qtbot.addWidget(first)
    assert first.size() == QSize(1280, 800), "the first start: the default size"
    assert not (till_dir / geometry.FILE_NAME).exists()
    first.resize(720, 520)
    qtbot.waitUntil(lambda: first.size() == QSize(720, 520), timeout=5000)
    first.close()
    assert (till_dir / geometry.FILE_NAME).is_file()

    second = create_main_window(till_dir, executor=InlineExecutor(), clock=clock)
    qtbot.addWidget(second)
    assert second.size() == QSize(720, 520)    # (within the offscreen screen of 800 × 600: Qt keeps it on a screen)
    second.close()


def test_an_unreadable_file_leaves_the_default_size(qtbot, till_dir, clock) -> None:
    (till_dir / geometry.FILE_NAME).write_text("[main]\ngeometry=@ByteArray(not a geometry)\n")
    win = create_main_window(till_dir, executor=InlineExecutor(), clock=clock)
    qtbot.addWidget(win)
    assert win.size() == QSize(1280, 800) and win.isVisible()
    win.close()
