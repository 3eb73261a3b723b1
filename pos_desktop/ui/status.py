"""The status bar: sync state, unsent events, devices, user, shift and the clock. Device, outbox and sync
state are read off the GUI thread every few seconds.

Sync is honest: a till that is not enrolled says "Offline mode"; an enrolled one says online or offline, how
many events wait and when it last synced, and "Synced" only when the outbox is empty and the server
acknowledged the last push. The status bar also owns the till's sync agent (``pos_desktop.sync``), which runs
on its own background thread once the till is enrolled; ``wake_sync`` (after a sale) makes it push at once.
It also owns the end-of-day tasks (``services.day_tasks``: the automatic X report, the daily backup and the
reminder when the business day was not closed); a reminder reaches the GUI thread through a signal and shows in
the ``dayReminder`` label.
"""

from __future__ import annotations

from ..core.i18n import _
from ..devices import DeviceManager, device_label
from ..services import outbox
from ..services.day_tasks import DayTasks, Reminder, start_day_tasks
from ..services.context import Context
from ..sync.agent import SyncAgent
from ..sync.status import SyncStatus, read_status
from .operations import Runner
from .qt import QLabel, QSizePolicy, QStatusBar, QTimer, Signal

REFRESH_MS = 5000


class TillStatusBar(QStatusBar):
    reminded = Signal(str)   # from the day tasks' thread to the GUI thread

    def __init__(self, ctx: Context, devices: DeviceManager, runner: Runner) -> None:
        super().__init__()
        self.ctx, self.devices, self.runner = ctx, devices, runner
        self.sync = QLabel(_("Offline mode"))
        self.sync.setObjectName("syncStatus")
        self.device = QLabel(_("Devices: checking…"))
        self.device.setObjectName("deviceStatus")
        self.user = QLabel("")
        self.user.setObjectName("userStatus")
        self.clock = QLabel("")
        self.clock.setObjectName("clockStatus")
        for label in (self.sync, self.device, self.user):
            # long device texts must not make the window wider than the screen: they are cut, with a tooltip
            label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
            label.setMinimumWidth(120)
            self.addWidget(label, 1)
        self.reminder = QLabel("")
        self.reminder.setObjectName("dayReminder")
        self.reminder.setProperty("error", True)
        self.reminder.hide()
        self.addWidget(self.reminder, 1)
        self.addPermanentWidget(self.clock)
        self.reminded.connect(self.show_reminder)
        self.day_tasks: DayTasks | None = start_day_tasks(ctx, on_reminder=self._remind)
        self._busy = False
        self.agent: SyncAgent | None = None
        self.timer = QTimer(self)
        self.timer.timeout.connect(self.tick)
        self.timer.start(1000)
        self._seconds = 0
        self.tick()
        self.poll()

    def set_user(self, text: str) -> None:
        self.user.setText(text)

    def tick(self) -> None:
        self.clock.setText(self.ctx.clock.now().strftime("%Y-%m-%d %H:%M:%S"))
        self._seconds += 1
        if self._seconds * 1000 >= REFRESH_MS:
            self._seconds = 0
            self.poll()

    def poll(self) -> None:
        """Read outbox and device state on a worker; a printer that hangs never freezes the clock."""
        if self._busy:
            return
        self._busy = True
        self.runner.run(lambda: (outbox.state(self.ctx), self.devices.statuses(), read_status(self.ctx)),
                        success=self.show_state, failure=lambda exc: self._done())

    def _done(self) -> None:
        self._busy = False

    def show_state(self, state) -> None:  # type: ignore[no-untyped-def]
        self._busy = False
        box, statuses, sync = state
        self.sync.setText(sync_text(sync, box.unsent))
        self.sync.setToolTip(sync_details(sync))
        self.sync.setProperty("error", sync.needs_reenrol or sync.clock_off)
        if sync.enrolled and self.agent is None:
            self.agent = SyncAgent(self.ctx)
            self.agent.start()
        parts = [f"{device_label(s.name)}: {s.summary}" for s in statuses if s.kind != "none"]
        self.device.setText(" · ".join(parts) if parts else _("No devices set up"))
        self.device.setToolTip("\n".join(parts))
        self.device.setProperty("error", any(s.ok is False for s in statuses))

    def wake_sync(self, *_args: object) -> None:
        """A sale was made: the agent pushes it now (or when its backoff allows), on its own thread."""
        if self.agent is not None:
            self.agent.wake()

    def _remind(self, reminder: Reminder) -> None:
        self.reminded.emit(reminder.message)

    def show_reminder(self, message: str) -> None:
        self.reminder.setText(message)
        self.reminder.setToolTip(message)
        self.reminder.setVisible(bool(message))

    def stop_sync(self) -> None:
        """Closing the till: the agent finishes the request under way and stops; so do the day tasks."""
        agent, self.agent = self.agent, None
        if agent is not None:
            agent.stop()
        tasks, self.day_tasks = self.day_tasks, None
        if tasks is not None:
            tasks.stop()


def sync_text(sync: SyncStatus, unsent: int) -> str:
    if not sync.enrolled:
        return (_("Offline mode · {n} unsent").format(n=unsent) if unsent
                else _("Offline mode · nothing to send"))
    last = _short_time(sync.last_sync) if sync.last_sync else _("never")
    if sync.needs_reenrol:
        text = _("Refused by the server: enrol this till again · {n} unsent").format(n=unsent)
    elif sync.synced and unsent == 0:
        text = _("Synced · {time}").format(time=last)
    elif sync.online:
        text = _("Online · {n} unsent · last sync {time}").format(n=unsent, time=last)
    else:
        text = _("Offline · {n} unsent · last sync {time}").format(n=unsent, time=last)
    if sync.clock_off and sync.clock_skew_seconds is not None:
        text = _("{status} · clock {minutes} min off").format(status=text,
                                                               minutes=round(sync.clock_skew_seconds / 60))
    return text


def sync_details(sync: SyncStatus) -> str:
    if not sync.enrolled:
        return _("This till is not enrolled with a server (pos enrol)")
    lines = [_("Server: {server}").format(server=sync.server)]
    if sync.last_error:
        lines.append(_("Last error: {message}").format(message=sync.last_error.get("message", "")))
    return "\n".join(lines)


def _short_time(iso_text: str) -> str:
    """'2026-11-20T10:04:05+08:00' → '11-20 10:04' (the status bar is narrow)."""
    return f"{iso_text[5:10]} {iso_text[11:16]}"
