"""The close-day screen (issue 7): one window with a tab for the shift (status, float, cash moves), the blind
count at the close (and hand-over), and the day (X preview, Z report printed and saved). Every service call
runs off the GUI thread; a refusal a manager may lift opens the approval dialog."""

from __future__ import annotations

from ...core.i18n import _
from ...devices import ReceiptPrinting
from ...services.auth import Operator
from ...services.context import Context
from ..backoffice.screen_base import BackOfficeScreen, button
from ..operations import Runner
from ..qt import QHBoxLayout, QTabWidget, QVBoxLayout, QWidget, Signal
from .count_panel import CountPanel
from .day_panel import DayPanel
from .shift_panel import ShiftPanel


class CloseDayScreen(BackOfficeScreen):
    day_closed = Signal(object)     # ZResult, once the Z is made (or the stored one was read)
    z_output = Signal(object)       # ZOutput: what the printer and the PDF writer did
    shift_changed = Signal()        # a shift opened, closed, handed over, or cash moved

    def __init__(self, parent: QWidget, ctx: Context, operator: Operator, runner: Runner,
                 printing: ReceiptPrinting) -> None:
        super().__init__(parent, ctx, operator, runner, name="closeDayScreen", title=_("Close of day"),
                         message_name="closeDayMessage")
        self.shift = ShiftPanel(self, self.changed)
        self.count = CountPanel(self, self.changed)
        self.day = DayPanel(self, printing, self.changed, self.day_closed.emit, self.z_output.emit)
        self.tabs = QTabWidget()
        self.tabs.setObjectName("closeDayTabs")
        self.tabs.addTab(self.shift, _("Shift and cash"))
        self.tabs.addTab(self.count, _("Count and close shift"))
        self.tabs.addTab(self.day, _("Close the day"))
        close = button(_("Close"), "closeButton")
        close.clicked.connect(self.reject)
        bottom = QHBoxLayout()
        bottom.addWidget(self.message, 1)
        bottom.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs, 1)
        layout.addLayout(bottom)
        self.finish_setup()
        self.shift.refresh()

    def changed(self) -> None:
        self.shift.refresh()
        self.shift_changed.emit()
