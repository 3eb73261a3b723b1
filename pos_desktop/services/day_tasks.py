"""Scheduled end-of-day tasks of a till: the automatic X report, the daily backup, and a reminder when the
business day was not closed. For the window and for long-running commands (``pos sync``), which start them::

    tasks = start_day_tasks(ctx, on_reminder=lambda reminder: show(reminder.message))
    ...
    tasks.stop()

The tasks run on an APScheduler ``BackgroundScheduler`` (cron triggers at the till's local times, one
instance at a time, coalesced, a missed run still made within an hour). Each task is also a plain method
(``run_x_report``, ``run_backup``, ``check_day_closed``) that reads the time from the injected clock, so tests
and a "run now" button call them directly. Callbacks run on the scheduler's thread: a window must hand them
to its GUI thread (a Qt signal). A task never raises into the scheduler: a failure is logged and passed to
``on_error``.

- X report: ``zreport.x_report`` of the current business day, saved as JSON in ``<data_dir>/reports/`` and
  given to ``on_x_report`` (the window may print it).
- Reports cache: ``reports.warm.warm_cache`` folds the day's sales into the reports cache after the X report,
  so the morning's first report does not build it.
- Backup: ``backups.daily_backup`` (the newest seven backups are kept).
- Reminder: when today's business day is still open and had sales or returns, or a shift is still open,
  ``on_reminder`` gets a ``Reminder`` naming the open days (today's, and any of the last week).
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, time, timedelta
from pathlib import Path
from typing import Any

from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.cron import CronTrigger

from ..core.clock import Clock
from ..core.i18n import _
from . import backups, business_day, zreport
from .context import Context

log = logging.getLogger(__name__)
LOOK_BACK_DAYS = 7
MISFIRE_GRACE = 3600


@dataclass(frozen=True)
class DayTaskTimes:
    """When each task runs, in the till's local time; None leaves a task out."""

    x_report: time | None = time(21, 0)
    reports_cache: time | None = time(21, 10)
    reminder: time | None = time(22, 0)
    backup: time | None = time(23, 30)


@dataclass(frozen=True)
class Reminder:
    """The business day is not closed: ``open_days`` (oldest first) still need a Z report."""

    today: date
    open_days: tuple[date, ...]
    shift_open: bool
    message: str = ""


@dataclass
class DayTasks:
    ctx: Context
    on_reminder: Callable[[Reminder], None] | None = None
    on_x_report: Callable[[dict[str, Any]], None] | None = None
    on_error: Callable[[str, Exception], None] | None = None
    times: DayTaskTimes = field(default_factory=DayTaskTimes)
    clock: Clock | None = None
    _scheduler: BackgroundScheduler | None = field(default=None, init=False, repr=False)

    @property
    def now(self):  # type: ignore[no-untyped-def]
        return (self.clock or self.ctx.clock).now()

    # ------------------------------------------------------------------------------- the scheduler
    def start(self) -> BackgroundScheduler:
        """Schedule the tasks at ``times`` (the clock's time zone) and start the scheduler thread."""
        if self._scheduler is not None:
            return self._scheduler
        zone = self.now.tzinfo
        scheduler = BackgroundScheduler(timezone=zone)
        for name, at, job in (("x_report", self.times.x_report, self.run_x_report),
                              ("reports_cache", self.times.reports_cache, self.warm_reports_cache),
                              ("reminder", self.times.reminder, self.check_day_closed),
                              ("backup", self.times.backup, self.run_backup)):
            if at is None:
                continue
            scheduler.add_job(self._guard(name, job), CronTrigger(hour=at.hour, minute=at.minute, second=at.second,
                                                                  timezone=zone),
                              id=f"day_tasks.{name}", name=name, max_instances=1, coalesce=True,
                              misfire_grace_time=MISFIRE_GRACE)
        scheduler.start()
        self._scheduler = scheduler
        return scheduler

    def stop(self) -> None:
        if self._scheduler is not None:
            self._scheduler.shutdown(wait=False)
            self._scheduler = None

    def jobs(self) -> dict[str, Any]:
        """name → next run time (aware datetime), for a status line."""
        if self._scheduler is None:
            return {}
        return {job.name: job.next_run_time for job in self._scheduler.get_jobs()}

    def _guard(self, name: str, job: Callable[[], Any]) -> Callable[[], None]:
        def run() -> None:
            try:
                job()
            except Exception as exc:  # noqa: BLE001 - the scheduler thread must go on; the error is reported
                log.exception("day task %s failed", name)
                if self.on_error is not None:
                    self.on_error(name, exc)
        return run

    # ------------------------------------------------------------------------------------ the tasks
    def run_x_report(self) -> dict[str, Any]:
        """The X report of the current business day, saved in ``reports/`` and passed to ``on_x_report``."""
        report = zreport.x_report(self.ctx)
        folder = Path(self.ctx.data_dir) / "reports"
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"x-{report['date']}-{self.now:%H%M%S}.json"
        path.write_text(json.dumps(report, ensure_ascii=False, indent=1), encoding="utf-8")
        report = {**report, "saved_to": str(path)}
        if self.on_x_report is not None:
            self.on_x_report(report)
        return report

    def warm_reports_cache(self) -> bool:
        """Fold every sale so far into the reports cache (``reports.warm``)."""
        from .reports.warm import warm_cache   # the reports' modules load only when the task first runs
        return warm_cache(self.ctx)

    def run_backup(self) -> Path:
        """The daily backup (``backups.daily_backup``: the newest seven are kept)."""
        return backups.daily_backup(self.ctx)

    def check_day_closed(self) -> Reminder | None:
        """A ``Reminder`` (also given to ``on_reminder``) when the day is not closed; None when it is."""
        today = self.now.date()
        open_days = tuple(business_day.open_days(self.ctx, today - timedelta(days=LOOK_BACK_DAYS), today))
        with self.ctx.db.raw() as conn:  # this thread's own connection (not the GUI thread's lookup index)
            today_closed = business_day.is_closed(conn, self.ctx.till.till_id, today)
            shift_open = conn.execute("SELECT 1 FROM shifts WHERE till_id = ? AND closed_at IS NULL",
                                      (self.ctx.till.till_id,)).fetchone() is not None
        if today_closed and not [d for d in open_days if d < today]:
            return None
        if not open_days and not shift_open:
            return None
        days = open_days or (today,)
        reminder = Reminder(today, days, shift_open, _(
            "The business day is not closed: run the Z report for {days} (pos report z)").format(
            days=", ".join(d.isoformat() for d in days)))
        if self.on_reminder is not None:
            self.on_reminder(reminder)
        return reminder


def start_day_tasks(ctx: Context, on_reminder: Callable[[Reminder], None] | None = None, *,
                    times: DayTaskTimes | None = None, on_x_report: Callable[[dict[str, Any]], None] | None = None,
                    on_error: Callable[[str, Exception], None] | None = None,
                    clock: Clock | None = None) -> DayTasks:
    """Start the end-of-day tasks of this till; returns them (call ``stop()`` when the window closes)."""
    tasks = DayTasks(ctx, on_reminder, on_x_report, on_error, times or DayTaskTimes(), clock)
    tasks.start()
    return tasks
