"""The status bar: sync state (honest: "offline mode" until the sync agent exists), unsent events, devices,
user, shift and the clock. Device and outbox state are read off the GUI thread every few seconds."""

from __future__ import annotations

from ..core.i18n import _
from ..devices import DeviceManager, device_label
from ..services import outbox
from ..services.context import Context
from .operations import Runner
from .qt import QLabel, QSizePolicy, QStatusBar, QTimer

REFRESH_MS = 5000


class TillStatusBar(QStatusBar):
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
        self.addPermanentWidget(self.clock)
        self._busy = False
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
        self.runner.run(lambda: (outbox.state(self.ctx), self.devices.statuses()), success=self.show_state,
                        failure=lambda exc: self._done())

    def _done(self) -> None:
        self._busy = False

    def show_state(self, state) -> None:  # type: ignore[no-untyped-def]
        self._busy = False
        box, statuses = state
        self.sync.setText(_("Offline mode · {n} unsent").format(n=box.unsent) if box.unsent
                          else _("Offline mode · nothing to send"))
        parts = [f"{device_label(s.name)}: {s.summary}" for s in statuses if s.kind != "none"]
        self.device.setText(" · ".join(parts) if parts else _("No devices set up"))
        self.device.setToolTip("\n".join(parts))
        self.device.setProperty("error", any(s.ok is False for s in statuses))
