"""The dashboard's alerts (issue 6 point 7): ``alerts.compute_alerts`` off the GUI thread, grouped by kind —
low stock, negative stock, near expiry, expired, dead stock — each group with its count and one row per alert."""

from __future__ import annotations

from ...core.i18n import _, ngettext
from ...services import alerts
from ...services.alerts import StockAlert
from ..qt import QHBoxLayout, QLabel, Qt, QVBoxLayout
from .panel_base import Panel, branch, tree
from .screen_base import WorkMixin, button, show_qty

SHOWN_PER_KIND = 1000   # a big store can have thousands; the rest is counted, and `pos alerts --json` has all


def kind_name(kind: str) -> str:
    names = {"low_stock": _("Low stock"), "negative_stock": _("Negative stock"), "near_expiry": _("Near expiry"),
             "expired": _("Expired"), "dead_stock": _("Dead stock")}
    return names.get(kind, kind)


class AlertsPanel(Panel):
    def __init__(self, host: WorkMixin) -> None:
        super().__init__(host, "alertsPanel")
        self.tree = tree("alertsTree", [_("Alert"), _("SKU"), _("Location"), _("Lot"), _("Expiry"), _("Qty")])
        self.summary = QLabel("")
        self.summary.setObjectName("alertsSummary")
        refresh = button(_("Refresh"), "alertsRefreshButton")
        refresh.clicked.connect(self.refresh)
        top = QHBoxLayout()
        top.addWidget(self.summary, 1)
        top.addWidget(refresh)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.tree, 1)

    def refresh(self) -> None:
        super().refresh()
        self.summary.setText(_("Computing the alerts…"))
        self.work(lambda: alerts.compute_alerts(self.ctx), self.show_alerts)

    def show_alerts(self, found: list[StockAlert]) -> None:
        self.tree.clear()
        groups: dict[str, list[StockAlert]] = {}
        for alert in found:
            groups.setdefault(alert.kind, []).append(alert)
        for kind in alerts.KINDS:
            if kind not in groups:
                continue
            items = groups[kind]
            head = branch(self.tree, [_("{kind} ({n})").format(kind=kind_name(kind), n=len(items))])
            head.setData(0, Qt.ItemDataRole.UserRole, kind)
            for alert in items[:SHOWN_PER_KIND]:
                branch(head, [alert.message, alert.sku, alert.location, alert.lot, alert.expiry,
                              show_qty(alert.qty)], alert.message)
            if len(items) > SHOWN_PER_KIND:
                branch(head, [_("… and {n} more").format(n=len(items) - SHOWN_PER_KIND)])
            head.setExpanded(True)
        self.tree.resizeColumnToContents(1)
        self.summary.setText(ngettext("{n} alert", "{n} alerts", len(found)).format(n=len(found)) if found
                             else _("No alerts"))
