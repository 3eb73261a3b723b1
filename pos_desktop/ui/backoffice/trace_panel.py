"""Lot traceability (issue 6 point 9): for a lot number — typed, or scanned from a GS1-128 label — every
receipt, transfer, count and sale that touched it, with receipt numbers and members, and where it is now."""

from __future__ import annotations

from ...core.errors import PosError
from ...core.gs1 import looks_like_gs1, parse_gs1
from ...core.i18n import _
from ...services import trace
from ...services.trace import LotTrace
from ..qt import QHBoxLayout, QLabel, QLineEdit, QVBoxLayout
from .panel_base import Panel
from .screen_base import WorkMixin, button, show_qty, table


def event_name(kind: str) -> str:
    names = {"receipt": _("goods receipt"), "transfer": _("transfer"), "count": _("stock count"), "sale": _("sale"),
             "return": _("return"), "void": _("void"), "adjustment": _("adjustment"), "opening": _("opening stock")}
    return names.get(kind, kind)


class TracePanel(Panel):
    def __init__(self, host: WorkMixin) -> None:
        super().__init__(host, "tracePanel")
        self.lot = QLineEdit()
        self.lot.setObjectName("traceLotInput")
        self.lot.setPlaceholderText(_("Lot number, or scan a GS1-128 label"))
        go = button(_("Trace"), "traceButton")
        self.summary = QLabel("")
        self.summary.setObjectName("traceSummary")
        self.summary.setWordWrap(True)
        self.view, self.model = table("traceEvents", [_("When"), _("What"), _("Document"), _("SKU"), _("Location"),
                                                      _("Qty"), _("User"), _("Member")], stretch=-1)
        top = QHBoxLayout()
        top.addWidget(self.lot, 1)
        top.addWidget(go)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.summary)
        layout.addWidget(self.view, 1)
        self.lot.returnPressed.connect(self.run_trace)
        go.clicked.connect(self.run_trace)

    def refresh(self) -> None:
        super().refresh()
        self.lot.setFocus()

    def take_scan(self, code: str) -> None:
        """A GS1-128 label gives its lot (AI 10); anything else is taken as the lot itself."""
        try:
            lot = parse_gs1(code).lot if looks_like_gs1(code) else code
        except PosError as exc:
            self.say(exc.message, error=True)
            return
        self.lot.setText(lot or "")
        self.run_trace()

    def run_trace(self) -> None:
        lot = self.lot.text().strip()
        if lot:
            self.work(lambda: trace.trace_lot(self.ctx, lot), self.show_trace)

    def show_trace(self, found: LotTrace) -> None:
        doc = found.to_json()
        where = "; ".join(f"{b['sku']} {b['expiry'] or ''}: " + (", ".join(
            f"{h['location']} {show_qty(h['qty'])}" for h in b["on_hand"]) or _("none left")) for b in doc["batches"])
        members = ", ".join(f"{m['code']} {m['name']} ({', '.join(m['receipts'])})" for m in doc["members"])
        self.summary.setText(_("Lot {lot}: sold {sold}, returned {returned}. Now: {where}. Members: {members}").format(
            lot=found.lot, sold=show_qty(doc["sold"]), returned=show_qty(doc["returned"]), where=where,
            members=members or "-"))
        self.model.set_rows([(e.at[:16].replace("T", " "), event_name(e.kind), e.reference or "", e.sku, e.location,
                              show_qty(e.qty), e.user or "", f"{e.member['code']} {e.member['name']}" if e.member
                              else "") for e in found.events])
