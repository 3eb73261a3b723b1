"""Stock counts (issue 6 point 5): start or continue a count, count by scanning — a scan is one, ``5*code`` is
five, or type the quantity first (``countQtyInput``; "replace" sets your count instead of adding) — with
several counters taking turns on this PC, each with their own tally; finish for the variance report (a blind
count hides the expected quantities from the counters); a manager reviews, asks for recounts, and approves,
which posts the differences against the ledger at each line's counting moment (sales go on meanwhile).

Every service call runs off the GUI thread; scans wait in a queue and are recorded one after the other, so
none is lost or counted out of order while the previous one is still being written.
"""

from __future__ import annotations

from collections import deque
from decimal import Decimal

from ...core.errors import InvalidInput, NotFound, PosError
from ...core.gs1 import looks_like_gs1
from ...core.i18n import _
from ...core.money import format_money, parse_qty
from ...core.permissions import Action, allowed
from ...services import counts
from ...services.auth import Operator
from ...services.context import Context
from ...services.counts import Posting, Recorded, VarianceReport
from ..dialogs import ApproverDialog, AskDialog
from ..operations import Runner
from ..qt import QCheckBox, QHBoxLayout, QLabel, QLineEdit, Qt, QVBoxLayout, QWidget
from .count_start import CountStartBox, count_choices, count_status, line_status
from .screen_base import BackOfficeScreen, button, confirm, selected_rows, show_qty, split_scan, table
from .sign_in import SignInDialog

SKU, NAME, CATEGORY, YOURS, COUNTED, EXPECTED, VARIANCE, VALUE, COUNTERS, STATUS = range(10)
HIDDEN_WHEN_BLIND = (EXPECTED, VARIANCE, VALUE)
AFTER_FINISH = (VARIANCE, VALUE)    # while counting, a variance compares with a count not yet done


class CountScreen(BackOfficeScreen):
    def __init__(self, parent: QWidget, ctx: Context, operator: Operator, runner: Runner) -> None:
        super().__init__(parent, ctx, operator, runner, name="countScreen", title=_("Stock count"),
                         message_name="countMessage")
        self.counter = operator
        self.manager: Operator | None = None        # who reviews (a manager who stepped in)
        self.count: counts.CountInfo | None = None
        self.report: VarianceReport | None = None
        self.row_of: dict[str, int] = {}
        self.queue: deque[tuple[str, Decimal, bool]] = deque()
        self.busy = False
        self._build()
        self.load_choices()
        self._update()
        self.finish_setup()

    def _build(self) -> None:
        self.start_box = CountStartBox(self.start, self.resume)
        self.title = QLabel(_("No count chosen: start one or continue one"))
        self.title.setObjectName("countTitle")
        self.counter_label = QLabel("")
        self.counter_label.setObjectName("countCounter")
        self.counter_button = button(_("Next counter"), "countCounterButton")
        self.qty_input = QLineEdit("1")
        self.qty_input.setObjectName("countQtyInput")
        self.qty_input.setMaximumWidth(90)
        self.replace = QCheckBox(_("Replace my count"))
        self.replace.setObjectName("countReplace")
        self.scan_input = QLineEdit()
        self.scan_input.setObjectName("countScanInput")
        self.scan_input.setPlaceholderText(_("Scan or type a barcode or SKU (5*code for five)"))
        self.scan_input.setAttribute(Qt.WidgetAttribute.WA_InputMethodEnabled, False)
        self.last = QLabel("")
        self.last.setObjectName("countLastLabel")
        self.view, self.model = table("countLines", [
            _("SKU"), _("Product"), _("Category"), _("Your count"), _("Counted"), _("Expected"), _("Variance"),
            _("Value"), _("Counters"), _("Status")], multi=True)
        self.total = QLabel("")
        self.total.setObjectName("countTotalLabel")
        self.total.setWordWrap(True)
        self.buttons = {name: button(text, f"count{name.title()}Button") for name, text in (
            ("finish", _("Finish counting")), ("recount", _("Recount")), ("approve", _("Approve and post")),
            ("cancel", _("Cancel count")), ("close", _("Close")))}
        who = QHBoxLayout()
        who.addWidget(self.title, 1)
        who.addWidget(self.counter_label)
        who.addWidget(self.counter_button)
        scan_row = QHBoxLayout()
        scan_row.addWidget(QLabel(_("Qty")))
        scan_row.addWidget(self.qty_input)
        scan_row.addWidget(self.replace)
        scan_row.addWidget(self.scan_input, 1)
        actions = QHBoxLayout()
        actions.addWidget(self.total, 1)
        for name in ("finish", "recount", "approve", "cancel", "close"):
            actions.addWidget(self.buttons[name])
        layout = QVBoxLayout(self)
        layout.addWidget(self.start_box)
        layout.addLayout(who)
        layout.addLayout(scan_row)
        layout.addWidget(self.last)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.message)
        layout.addLayout(actions)
        self.scan_input.returnPressed.connect(self.on_scan_entered)
        self.qty_input.returnPressed.connect(self.scan_input.setFocus)
        self.counter_button.clicked.connect(self.next_counter)
        self.buttons["finish"].clicked.connect(self.finish)
        self.buttons["recount"].clicked.connect(self.recount)
        self.buttons["approve"].clicked.connect(self.approve)
        self.buttons["cancel"].clicked.connect(self.cancel)
        self.buttons["close"].clicked.connect(self.reject)

    # -- choosing a count -------------------------------------------------------------------------------------------

    def load_choices(self) -> None:
        self.work(lambda: count_choices(self.ctx), self.start_box.fill)

    def start(self, location: str, blind: bool, category: str | None, stale_days: int | None) -> None:
        if not location:
            return
        self.work(lambda: counts.start_count(self.ctx, self.counter, location=location, blind=blind,
                                             category=category, stale_days=stale_days), self._opened)

    def resume(self, count_id: str) -> None:
        self.work(lambda: counts.get_count(self.ctx, count_id), self._opened)

    def _opened(self, info: counts.CountInfo) -> None:
        self.count, self.manager = info, None
        self.say(_("Count {number} of {location}: scan what you find").format(number=info.number,
                                                                          location=info.location))
        self.load_choices()
        self.load_report()

    def load_report(self) -> None:
        if self.count is not None:
            count_id, viewer = self.count.id, self.manager or self.counter
            self.work(lambda: counts.variance_report(self.ctx, count_id, viewer), self.show_report)

    def show_report(self, report: VarianceReport) -> None:
        self.report, self.count = report, report.count
        viewer = (self.manager or self.counter).username
        counting = report.count.status == "open"
        m = lambda v: "" if v is None else format_money(v, report.places)
        rows = []
        for ln in report.lines:
            mine = dict(ln.counters).get(viewer)
            rows.append((ln.sku, ln.name, ln.category or "", show_qty(mine) if mine is not None else "",
                         show_qty(ln.counted) if ln.status != "pending" or not counting else "", show_qty(ln.expected),
                         show_qty(ln.variance), m(ln.variance_value),
                         ", ".join(f"{user} {show_qty(q)}" for user, q in ln.counters), line_status(ln.status)))
        self.model.set_rows(rows)
        self.row_of = {row[SKU]: n for n, row in enumerate(rows)}
        for column in HIDDEN_WHEN_BLIND:
            self.view.setColumnHidden(column, not report.shown or (counting and column in AFTER_FINISH))
        if counting:
            self._progress()
        elif report.shown:
            self.total.setText(_("Variance value {total} · shrinkage {shrinkage}").format(
                total=m(report.total_variance_value), shrinkage=m(report.total_shrinkage_value)))
        else:
            self.total.setText(_("A blind count: the expected quantities are for the manager"))
        self._update()

    def _progress(self) -> None:
        done = sum(1 for row in self.model.rows if row[STATUS] == line_status("counted"))
        self.total.setText(_("{counted} of {lines} lines counted").format(counted=done, lines=len(self.model.rows)))

    def _update(self) -> None:
        info = self.count
        status = info.status if info else None
        if info is not None:
            self.title.setText(_("Count {number} · {location} · {status}").format(
                number=info.number, location=info.location, status=count_status(status))
                + (" · " + _("blind") if info.blind else ""))
        self.counter_label.setText(_("Counting: {name}").format(name=self.counter.display_name))
        counting = status == "open"
        for widget in (self.scan_input, self.qty_input, self.replace, self.buttons["finish"]):
            widget.setEnabled(counting)
        self.buttons["recount"].setEnabled(status == "finished")
        self.buttons["approve"].setEnabled(status == "finished")
        self.buttons["cancel"].setEnabled(status in ("open", "finished"))
        if counting:
            self.scan_input.setFocus()

    # -- counting --------------------------------------------------------------------------------------------------

    def take_scan(self, code: str) -> None:
        """A serial/USB scanner's code (the main window hands it to the open dialog)."""
        if self.scan_input.isEnabled():
            self.scan(code)

    def on_scan_entered(self) -> None:
        text = self.scan_input.text().strip()
        self.scan_input.clear()
        if text:
            self.scan(text)

    def scan(self, text: str) -> None:
        """Queue one entry: the quantity of ``5*code``, else of the quantity field (then back to 1)."""
        try:
            qty, code = split_scan(text)
            qty = qty if qty is not None else parse_qty(self.qty_input.text().strip() or "1")
        except PosError as exc:
            self.say(exc.message, error=True)
            return
        self.queue.append((code, qty, self.replace.isChecked()))
        self.qty_input.setText("1")
        self.replace.setChecked(False)
        self._record_next()

    def _record_next(self) -> None:
        if self.busy or not self.queue or self.count is None:
            return
        self.busy = True
        code, qty, replace = self.queue.popleft()
        ctx, counter, count_id = self.ctx, self.counter, self.count.id

        def record() -> Recorded:
            by_code = code.isdigit() or looks_like_gs1(code)
            try:
                return counts.record_count(ctx, counter, count_id, qty=qty, replace=replace,
                                           **({"barcode": code} if by_code else {"sku": code}))
            except NotFound:
                if by_code:
                    raise
                return counts.record_count(ctx, counter, count_id, barcode=code, qty=qty, replace=replace)
        self.work(record, self._recorded, self._not_recorded)

    def _recorded(self, rec: Recorded) -> None:
        self.busy = False
        self.last.setText(_("{name}: your count {yours}, counted {counted}").format(
            name=rec.name, yours=show_qty(rec.your_count), counted=show_qty(rec.line_count)))
        row = self.row_of.get(rec.sku)
        if row is None:
            row = self.model.append([rec.sku, rec.name] + [""] * (len(self.model.headers) - 2))
            self.row_of[rec.sku] = row
        cells = list(self.model.rows[row])
        cells[YOURS], cells[COUNTED], cells[STATUS] = (show_qty(rec.your_count), show_qty(rec.line_count),
                                                       line_status("counted"))
        self.model.set_row(row, cells)
        self.view.selectRow(row)
        self._progress()
        self.say("")
        self._record_next()

    def _not_recorded(self, exc: BaseException) -> None:
        self.busy = False
        self.fail(exc)
        self._record_next()

    def next_counter(self) -> None:
        SignInDialog(self, self.ctx, Action.STOCK_COUNT, _("Next counter"), self._counter_changed).open()

    def _counter_changed(self, who: Operator) -> None:
        self.counter, self.manager = who, None
        self.say(_("{name} counts now").format(name=who.display_name))
        self._update()
        self.load_report()

    def finish(self) -> None:
        if self.count is not None and not self.queue and not self.busy:
            count_id = self.count.id
            self.work(lambda: counts.finish_count(self.ctx, self.counter, count_id), self._finished)

    def _finished(self, report: VarianceReport) -> None:
        self.say(_("Counting finished: the variance report is below"))
        self.show_report(report)
        self.load_choices()

    # -- the manager -------------------------------------------------------------------------------------------------

    def reviewer(self) -> Operator | None:
        """Who may approve here: the counter when their role may, else the manager who stepped in."""
        return self.counter if allowed(self.counter.role, Action.COUNT_APPROVE) else self.manager

    def _approver(self) -> Operator | None:
        return None if self.reviewer() is self.counter else self.manager

    def review(self) -> None:
        """A manager steps in (user and PIN) and sees the variances before approving or asking for a recount."""
        assert self.count is not None
        ApproverDialog(self, self.ctx, _("A manager reviews count {number} before it is posted").format(
            number=self.count.number), self._reviewed).open()

    def _reviewed(self, who: Operator) -> None:
        if not allowed(who.role, Action.COUNT_APPROVE):
            self.say(_("{name} may not approve a stock count").format(name=who.username), error=True)
            return
        self.manager = who
        self.say(_("{name} reviews: check the variances, then approve or ask for a recount").format(
            name=who.display_name))
        self.load_report()

    def approve(self) -> None:
        if self.count is None:
            return
        if self.reviewer() is None:
            self.review()
            return
        count_id, approver = self.count.id, self._approver()
        self.work(lambda: counts.approve_count(self.ctx, self.counter, count_id, approver), self._approved)

    def _approved(self, posting: Posting) -> None:
        self.say(_("Count {number} posted: {changed} of {lines} lines changed, variance value {value}").format(
            number=posting.number, changed=posting.changed_lines, lines=posting.lines,
            value=format_money(posting.total_variance_value, posting.places)))
        self.load_report()
        self.load_choices()

    def recount(self) -> None:
        if self.count is None:
            return
        if self.reviewer() is None:
            self.review()
            return
        skus = [self.model.rows[r][SKU] for r in selected_rows(self.view)]
        if skus:
            self._recount(skus, None)
            return
        AskDialog(self, _("Recount"), _("Recount every line whose variance is at least this many units"),
                  self._recount_over).open()

    def _recount_over(self, text: str) -> None:
        try:
            self._recount([], parse_qty(text))
        except InvalidInput as exc:
            self.say(exc.message, error=True)

    def _recount(self, skus: list[str], over: Decimal | None) -> None:
        assert self.count is not None
        count_id, approver = self.count.id, self._approver()
        self.work(lambda: counts.request_recount(self.ctx, self.counter, count_id, skus=skus, over_qty=over,
                                                 approver=approver), self._recount_asked)

    def _recount_asked(self, skus: list[str]) -> None:
        self.say(_("Recount asked for: {skus}").format(skus=", ".join(skus)) if skus
                 else _("No line is over that variance: nothing to recount"))
        if skus:
            self.manager = None   # the counters take over again; they do not see the expected quantities
        self.load_report()

    def cancel(self) -> None:
        if self.count is None:
            return
        if self.reviewer() is None:
            self.review()
            return
        count_id, number, approver = self.count.id, self.count.number, self._approver()
        confirm(self, _("Cancel count"), _("Cancel count {number}? Nothing of it will be posted.").format(
            number=number), lambda: self.work(
                lambda: counts.cancel_count(self.ctx, self.counter, count_id, approver), self._cancelled))

    def _cancelled(self, info: counts.CountInfo) -> None:
        self.count, self.report = info, None
        self.model.set_rows([])
        self.row_of = {}
        self.say(_("Count {number} cancelled").format(number=info.number))
        self.load_choices()
        self._update()
