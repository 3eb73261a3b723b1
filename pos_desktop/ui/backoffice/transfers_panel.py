"""Transfers (issue 6 point 6): the list, and the moves a store makes — ship a draft (the goods go in
transit), receive a shipped one in full (discrepancies: ``pos transfer receive --file``)."""

from __future__ import annotations

from collections.abc import Callable

from ...core.i18n import _
from ...services import transfers
from ...services.transfers import TransferInfo
from ..qt import QHBoxLayout, QVBoxLayout
from .panel_base import Panel
from .screen_base import WorkMixin, button, selected_rows, show_qty, table


def transfer_status(status: str) -> str:
    names = {"draft": _("draft"), "shipped": _("shipped"), "received": _("received"), "cancelled": _("cancelled")}
    return names.get(status, status)


def direction_name(direction: str) -> str:
    names = {"internal": _("within the store"), "outgoing": _("to another store"),
             "incoming": _("from another store")}
    return names.get(direction, direction)


class TransfersPanel(Panel):
    def __init__(self, host: WorkMixin) -> None:
        super().__init__(host, "transfersPanel")
        self.found: list[TransferInfo] = []
        self.view, self.model = table("transfersTable", [_("Number"), _("Direction"), _("State"), _("From"), _("To"),
                                                         _("Created"), _("Lines")], stretch=-1)
        self.lines_view, self.lines_model = table("transferLines", [
            "#", _("SKU"), _("Lot"), _("Qty"), _("Received"), _("Damaged"), _("Short"), _("Reason")], stretch=7)
        self.buttons = {name: button(text, f"transfer{name.title()}Button") for name, text in (
            ("ship", _("Ship")), ("receive", _("Receive in full")), ("refresh", _("Refresh")))}
        top = QHBoxLayout()
        top.addStretch(1)
        for name in ("ship", "receive", "refresh"):
            top.addWidget(self.buttons[name])
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.lines_view, 1)
        self.view.selectionModel().selectionChanged.connect(lambda *_a: self.show_transfer())
        self.buttons["refresh"].clicked.connect(self.refresh)
        self.buttons["ship"].clicked.connect(lambda: self.move(
            lambda tid: transfers.ship_transfer(self.ctx, self.operator, tid)))
        self.buttons["receive"].clicked.connect(lambda: self.move(
            lambda tid: transfers.receive_transfer(self.ctx, self.operator, tid)))
        self.show_transfer()

    def refresh(self, select: str | None = None) -> None:
        super().refresh()
        self.work(lambda: transfers.list_transfers(self.ctx), lambda found: self._listed(found, select))

    def _listed(self, found: list[TransferInfo], select: str | None) -> None:
        keep = select or (self.current().id if self.current() else None)
        self.found = found
        self.model.set_rows([(t.number, direction_name(t.direction), transfer_status(t.status),
                              f"{t.from_store}:{t.from_location}", f"{t.to_store}:{t.to_location}",
                              t.created_at[:16], len(t.lines)) for t in found])
        row = next((n for n, t in enumerate(found) if t.id == keep), None)
        if row is not None:
            self.view.selectRow(row)
        self.show_transfer()

    def current(self) -> TransferInfo | None:
        rows = selected_rows(self.view)
        return self.found[rows[0]] if rows and rows[0] < len(self.found) else None

    def show_transfer(self) -> None:
        info = self.current()
        self.lines_model.set_rows([] if info is None else [
            (ln.line_no, ln.sku, ln.lot or "", show_qty(ln.qty), show_qty(ln.received), show_qty(ln.damaged),
             show_qty(ln.short) if ln.received is not None else "", ln.reason or "") for ln in info.lines])
        status = info.status if info else None
        self.buttons["ship"].setEnabled(status == "draft" and info is not None and info.direction != "incoming")
        self.buttons["receive"].setEnabled(status == "shipped" and info is not None and info.direction != "outgoing")

    def move(self, action: Callable[[str], TransferInfo]) -> None:
        info = self.current()
        if info is not None:
            tid = info.id
            self.work(lambda: action(tid), self._moved)

    def _moved(self, info: TransferInfo) -> None:
        self.say(_("Transfer {number} is now {status}").format(number=info.number,
                                                               status=transfer_status(info.status)))
        self.refresh(select=info.id)
