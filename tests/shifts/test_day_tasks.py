"""End-of-day tasks: each task on the injected clock, and the real scheduler firing them."""

from __future__ import annotations

import json
import threading
from datetime import datetime, time, timedelta

from pos_desktop.core.clock import FixedClock
from pos_desktop.services import day_tasks, zreport
from pos_desktop.services.day_tasks import DayTasks, DayTaskTimes

from .helpers import sell


def test_the_reminder_names_the_open_day_until_it_is_closed(ctx, clock, cashier, manager):
    seen = []
    tasks = DayTasks(ctx, on_reminder=seen.append)
    assert tasks.check_day_closed() is None                          # nothing sold, no shift: nothing to close
    sell(ctx, cashier, ("COLA", 1))
    clock.advance(hours=12)
    reminder = tasks.check_day_closed()
    assert reminder is not None and seen == [reminder]
    assert [d.isoformat() for d in reminder.open_days] == ["2026-11-20"] and reminder.shift_open
    assert "2026-11-20" in reminder.message
    zreport.close_day(ctx, manager)
    assert tasks.check_day_closed() is None                          # closed (the carried shift is the next day's)


def test_a_forgotten_day_is_still_named_the_next_evening(ctx, clock, cashier):
    sell(ctx, cashier, ("COLA", 1))
    clock.advance(days=1)
    reminder = DayTasks(ctx).check_day_closed()
    assert [d.isoformat() for d in reminder.open_days] == ["2026-11-20"]


def test_the_automatic_x_report_is_saved_and_handed_on(ctx, clock, cashier):
    sell(ctx, cashier, ("CHIPS", 2))
    got = []
    report = DayTasks(ctx, on_x_report=got.append).run_x_report()
    assert got == [report] and report["kind"] == "X" and report["sales_count"] == 1
    saved = json.loads(open(report["saved_to"], encoding="utf-8").read())
    assert saved["net_sales"] == "15.80"
    assert "reports" in report["saved_to"] and "x-2026-11-20-100000" in report["saved_to"]


def test_the_daily_backup_keeps_seven(ctx, clock):
    tasks = DayTasks(ctx)
    for _day in range(9):
        path = tasks.run_backup()
        clock.advance(days=1)
    assert path.exists() and len(list(path.parent.glob("pos-*.db"))) == 7


def test_the_scheduler_runs_the_tasks_at_their_times(ctx, cashier):
    """A real BackgroundScheduler with cron times two seconds ahead; the tasks read the injected clock."""
    sell(ctx, cashier, ("COLA", 1))
    now = datetime.now().astimezone()
    clock = FixedClock(now)
    ctx.clock = clock
    soon = (now + timedelta(seconds=2)).time().replace(microsecond=0)
    reminded, reported, errors = threading.Event(), threading.Event(), []
    tasks = day_tasks.start_day_tasks(ctx, lambda reminder: reminded.set(), clock=clock,
                                      times=DayTaskTimes(x_report=soon, reminder=soon, backup=None,
                                                         reports_cache=None),
                                      on_x_report=lambda report: reported.set(),
                                      on_error=lambda name, exc: errors.append((name, exc)))
    try:
        assert set(tasks.jobs()) == {"x_report", "reminder"}
        assert reminded.wait(10) and reported.wait(10), errors
    finally:
        tasks.stop()
    assert errors == []


def test_a_failing_task_is_reported_not_raised(ctx):
    errors = []
    tasks = DayTasks(ctx, on_error=lambda name, exc: errors.append(name))

    def broken() -> None:
        raise RuntimeError("disk full")

    tasks._guard("backup", broken)()
    assert errors == ["backup"]


def test_default_times():
    times = DayTaskTimes()
    assert (times.x_report, times.reports_cache, times.reminder, times.backup) == (
        time(21), time(21, 10), time(22), time(23, 30))
