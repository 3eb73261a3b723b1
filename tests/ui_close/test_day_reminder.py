"""The window runs the end-of-day tasks: the X report, the backup and the reminder are scheduled while the till
is open, a reminder fired on the scheduler's thread shows in the status bar, and closing the window stops them."""

from __future__ import annotations

import threading

from pos_desktop.ui.qt import QLabel


def test_reminder_from_the_scheduler_thread_shows_in_the_status_bar(qtbot, reports_window):
    status = reports_window.status
    tasks = status.day_tasks
    assert tasks is not None
    assert set(tasks.jobs()) == {"x_report", "reports_cache", "reminder", "backup"}
    label = reports_window.findChild(QLabel, "dayReminder")
    assert label is not None and not label.isVisible()

    found = []
    worker = threading.Thread(target=lambda: found.append(tasks.check_day_closed()))   # as the scheduler would
    worker.start()
    worker.join(timeout=30)
    assert found and found[0] is not None, "the history's days are open: a reminder is due"
    reports_window.show()
    qtbot.waitUntil(lambda: label.isVisible(), timeout=5000)
    # what the manager reads: the open days, oldest first, and how to close them
    assert found[0].open_days[-1].isoformat() in label.text()
    assert "Z" in label.text()

    status.show_reminder("")           # what the close-day screen's day_closed does
    assert not label.isVisible()


def test_closing_the_window_stops_the_day_tasks(qtbot, reports_window):
    scheduler = reports_window.status.day_tasks._scheduler
    assert scheduler is not None and scheduler.running
    reports_window.close()
    assert reports_window.status.day_tasks is None
    assert not scheduler.running
