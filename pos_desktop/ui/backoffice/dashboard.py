"""The manager's dashboard (issue 6): one window, a tab each for the alerts, the replenishment suggestions,
purchase orders, transfers, lot tracing, labels and the catalog's quality. A tab loads what it shows the
first time it is opened (the alerts at once), always off the GUI thread."""

from __future__ import annotations

from ...core.i18n import _
from ...services.auth import Operator
from ...services.context import Context
from ..operations import Runner
from ..qt import QHBoxLayout, QTabWidget, QVBoxLayout, QWidget
from .alerts_panel import AlertsPanel
from .labels_panel import LabelsPanel
from .orders_panel import OrdersPanel
from .panel_base import Panel
from .quality_panel import QualityPanel
from .replenishment_panel import ReplenishmentPanel
from .screen_base import BackOfficeScreen, button
from .trace_panel import TracePanel
from .transfers_panel import TransfersPanel


class DashboardScreen(BackOfficeScreen):
    def __init__(self, parent: QWidget, ctx: Context, operator: Operator, runner: Runner) -> None:
        super().__init__(parent, ctx, operator, runner, name="backofficeDashboard", title=_("Manager dashboard"),
                         message_name="dashboardMessage")
        self.alerts = AlertsPanel(self)
        self.orders = OrdersPanel(self)
        self.replenishment = ReplenishmentPanel(self, lambda: self.orders.refresh())
        self.transfers = TransfersPanel(self)
        self.trace = TracePanel(self)
        self.labels = LabelsPanel(self)
        self.quality = QualityPanel(self)
        self.tabs = QTabWidget()
        self.tabs.setObjectName("dashboardTabs")
        for panel, title in ((self.alerts, _("Alerts")), (self.replenishment, _("Replenishment")),
                             (self.orders, _("Purchase orders")), (self.transfers, _("Transfers")),
                             (self.trace, _("Lot trace")), (self.labels, _("Labels")),
                             (self.quality, _("Catalog quality"))):
            self.tabs.addTab(panel, title)
        close = button(_("Close"), "closeButton")
        close.clicked.connect(self.reject)
        bottom = QHBoxLayout()
        bottom.addWidget(self.message, 1)
        bottom.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs, 1)
        layout.addLayout(bottom)
        self.tabs.currentChanged.connect(self._tab_shown)
        self.finish_setup()
        self.alerts.refresh()

    def show_tab(self, panel: Panel) -> None:
        self.tabs.setCurrentWidget(panel)

    def _tab_shown(self, _index: int) -> None:
        panel = self.tabs.currentWidget()
        if isinstance(panel, Panel) and not panel.loaded and panel not in (self.replenishment,):
            panel.refresh()

    def take_scan(self, code: str) -> None:
        """A serial/USB scan goes to the tab on screen, if it takes scans (labels, lot trace)."""
        panel = self.tabs.currentWidget()
        if hasattr(panel, "take_scan"):
            panel.take_scan(code)
