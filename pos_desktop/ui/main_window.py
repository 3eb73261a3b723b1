"""The till's main window: it only assembles the screens and routes between them (login → checkout →
payment → receipt), and runs the slow parts (commit, printing) off the GUI thread."""

from __future__ import annotations

from pathlib import Path

from ..core.errors import DeviceError, PosError
from ..core.permissions import Action
from ..core.i18n import _, current_language, set_language
from ..core.labels import role_name
from ..core.money import format_money
from ..core.pricing import CashRounding
from ..core.receipt import Receipt
from ..devices import DeviceManager, PrintOutcome, ReceiptPrinting
from ..services import auth, shifts, suspended
from ..services.till import damaged
from ..services.auth import Operator
from ..services.context import Context
from ..services.returns import ReturnResult
from . import backoffice, geometry
from .checkout import CheckoutScreen
from .close_day import menu as day_menu
from .customer_view import CustomerView
from .dialogs import dispose_when_closed, ok_cancel, plain_buttons
from .errors import message_for, show_error
from .help import HelpDialog
from .login import LoginScreen
from .operations import Runner
from .payment import PaymentDialog
from .qt import (QApplication, QDialog, QKeySequence, QListWidget, QMainWindow, QObject, QShortcut,
                 QStackedWidget, QVBoxLayout, Signal)
from .returns import ReturnDialog
from .sale_session import SaleSession
from .settings_screen import SettingsDialog
from .status import TillStatusBar
from .wedge import WedgeFilter


class ScanBridge(QObject):
    """Scans from a serial/USB scanner arrive on the scanner's thread; this carries them to the GUI thread."""

    good = Signal(str, str)      # code, symbology ('' when the scanner sent none): no bare None across threads
    bad = Signal(str, str)


class MainWindow(QMainWindow):
    sale_completed = Signal(object)   # Receipt, once committed
    printed = Signal(object)          # PrintOutcome of the last receipt

    def __init__(self, ctx: Context, devices: DeviceManager, printing: ReceiptPrinting, runner: Runner) -> None:
        super().__init__()
        self.ctx, self.devices, self.printing, self.runner = ctx, devices, printing, runner
        self.setObjectName("mainWindow")
        self.setWindowTitle(_("Till {store}-{till}").format(store=ctx.till.store_code, till=ctx.till.till_code))
        self.session: SaleSession | None = None
        self.checkout: CheckoutScreen | None = None
        self.payment: PaymentDialog | None = None
        self.customer_view: CustomerView | None = None
        self.stack = QStackedWidget()
        self.login = LoginScreen(ctx, runner)
        self.stack.addWidget(self.login)
        self.setCentralWidget(self.stack)
        self.status = TillStatusBar(ctx, devices, runner)
        self.setStatusBar(self.status)
        self.sale_completed.connect(self.status.wake_sync)   # a sale goes to the server at once when online
        self.scans = ScanBridge()
        self.scans.good.connect(self._device_scan)
        self.scans.bad.connect(self._bad_scan)
        self.login.logged_in.connect(self.start_session)
        QShortcut(QKeySequence("F1"), self, activated=self.open_help)
        QShortcut(QKeySequence("Ctrl+L"), self, activated=self.logout)
        self._build_menu()
        self.runner.on_error = lambda exc: show_error(self, exc)
        self._start_scanner()
        self.locked = False
        self.wedge = WedgeFilter(self._wedge_scan, active=lambda: self.checkout is not None and
                                 self.stack.currentWidget() is self.checkout and self.isActiveWindow())
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self.wedge)
        self.login.reset(self._shift_text())

    def _build_menu(self) -> None:
        self.menuBar().clear()
        menu = self.menuBar().addMenu(_("Till"))
        for text, key, action in ((_("Settings"), "Ctrl+,", self.open_settings),
                                  (_("Customer display"), "Ctrl+D", self.show_customer_view),
                                  (_("Keys"), "F1", self.open_help),
                                  (_("Log out"), "Ctrl+L", self.logout)):
            item = menu.addAction(text)
            item.setObjectName(f"action_{key}")
            item.triggered.connect(action)
        backoffice.add_menu(self.menuBar(), self.open_backoffice, lambda: self.session and self.session.operator)
        day_menu.add_menu(self.menuBar(), self.open_day_screen, lambda: self.session and self.session.operator)

    def open_day_screen(self, screen: str) -> None:
        """The close-day flow or the reports screen (``ui/close_day/``, ``ui/reports/``) for the logged-in user."""
        if self.session is not None and not self.locked:
            self.day_screen = day_menu.open_screen(self, screen, self.ctx, self.session.operator, self.runner,
                                                   self.printing)
            closed = getattr(self.day_screen, "day_closed", None)
            if closed is not None:
                closed.connect(lambda _z: self.status.show_reminder(""))  # the Z was taken: no reminder now

    def open_backoffice(self, screen: str) -> None:
        """A back-office screen (``ui/backoffice/``) for the logged-in user, when their role may use it."""
        if self.session is not None and not self.locked:
            self.backoffice = backoffice.open_screen(self, screen, self.ctx, self.session.operator, self.runner,
                                                     self.devices)

    def retranslate(self, language: str) -> None:
        """Switch the language now: the screens are built again in it (a sale in progress keeps its screen
        until it is finished)."""
        set_language(language)
        old = self.login
        self.login = LoginScreen(self.ctx, self.runner)
        self.login.logged_in.connect(self.start_session)
        showing_login = self.stack.currentWidget() is old
        self.stack.insertWidget(0, self.login)
        self.stack.removeWidget(old)
        old.setParent(None)  # type: ignore[call-overload]
        old.deleteLater()
        if showing_login:
            self.stack.setCurrentWidget(self.login)
            self.login.reset(self._shift_text())
        self._build_menu()
        self.setWindowTitle(_("Till {store}-{till}").format(store=self.ctx.till.store_code,
                                                           till=self.ctx.till.till_code))
        if self.session is not None and not self.session.lines:
            self.start_session(self.session.operator)
        self.status.poll()

    def _shift_text(self) -> str:
        info = shifts.open_shift_info(self.ctx)
        if info is None:
            return _("No shift open: the first sale opens one")
        return _("Shift open since {time} by {name}").format(time=info[1][11:16], name=info[0])

    def check_database(self) -> None:
        """The full integrity check of a big database runs after the window is up; selling stops if it fails."""
        self.runner.run(self.ctx.db.quick_check, success=self._checked,
                        failure=lambda exc: self._checked(str(exc)))

    def _checked(self, result: str) -> None:
        if result == "ok":
            return
        self.locked = True
        self.stack.setEnabled(False)
        show_error(self, damaged(result))

    # -- sessions ------------------------------------------------------------------------------------------------

    def start_session(self, operator: Operator) -> None:
        self.session = SaleSession(self.ctx, operator)
        if self.checkout is not None:  # a new cashier gets a new screen; the old one leaves the tree at once
            self.stack.removeWidget(self.checkout)
            self.checkout.setParent(None)  # type: ignore[call-overload]
            self.checkout.deleteLater()
        self.checkout = CheckoutScreen(self.session, self.runner,
                                       weigh=self.weigh if self.devices.configured("scale") else None)
        self.checkout.pay_requested.connect(self.open_payment)
        self.checkout.return_requested.connect(self.open_return)
        self.checkout.resume_requested.connect(self.open_resume)
        self.stack.addWidget(self.checkout)
        self.stack.setCurrentWidget(self.checkout)
        self.status.set_user(_("{name} ({role})").format(name=operator.display_name, role=role_name(operator.role)))
        if self.customer_view is not None:
            self.customer_view.follow(self.session)
        self.checkout.focus_scan()

    def logout(self) -> None:
        if self.session is not None and self.session.lines:
            self.checkout and self.checkout.say(_("Finish or suspend the sale before logging out"), error=True)
            return
        self.session = None
        self.stack.setCurrentWidget(self.login)
        self.status.set_user("")
        self.login.reset(self._shift_text())

    def show_customer_view(self) -> CustomerView:
        if self.customer_view is None:
            self.customer_view = CustomerView(self.ctx.places)
            if self.session is not None:
                self.customer_view.follow(self.session)
        self.customer_view.show()
        return self.customer_view

    # -- scanner --------------------------------------------------------------------------------------------------

    def _start_scanner(self) -> None:
        if self.devices.kind("scanner") not in ("serial", "hid"):
            return  # keyboard-wedge scanners type into the scan field
        try:
            self.devices.start_scanner(lambda code, sym: self.scans.good.emit(code, sym or ""),
                                       lambda code, sym, err: self.scans.bad.emit(code, err.message))
        except DeviceError as exc:
            self.status.device.setText(exc.message)
            return
        self.status.poll()  # say at once that the scanner listens

    def open_help(self) -> None:
        dialog = HelpDialog(self)
        dispose_when_closed(dialog)
        dialog.open()

    def weigh(self, then, failed) -> None:  # type: ignore[no-untyped-def]
        """Read the scale on a worker (a serial scale may take a moment); unstable readings are refused."""
        self.runner.run(self.devices.read_weight, success=then, failure=failed)

    def open_settings(self) -> None:
        if self.session is None:
            return
        try:
            auth.require(self.session.operator, Action.SETTINGS)
        except PosError as exc:
            self.checkout and self.checkout.say(exc.message, error=True)
            return
        self.settings = SettingsDialog(self, self.ctx, self.session.operator, self.devices, self.runner,
                                       self.settings_saved)
        dispose_when_closed(self.settings)
        self.settings.open()

    def settings_saved(self, language: str) -> None:
        self.reload_devices()
        if language != current_language():
            self.retranslate(language)

    def reload_devices(self) -> None:
        """Settings were saved: the devices of the new config.toml, from now on."""
        self.devices.close()
        self.devices = DeviceManager.from_data_dir(self.ctx.data_dir)
        style = self.devices.receipt_style(header=str(self.ctx.setting("receipt_header")),
                                           footer=str(self.ctx.setting("receipt_footer")))
        self.printing = ReceiptPrinting(self.devices, self.printing.spool, style)
        self.status.devices = self.devices
        self._start_scanner()
        if self.session is not None and not self.session.lines:
            self.start_session(self.session.operator)   # quick keys and scale follow the new settings
        self.status.poll()

    def _bad_scan(self, code: str, why: str) -> None:
        settings = getattr(self, "settings", None)
        if settings is not None and settings.isVisible():
            settings.show_scan(code, False, why)
        elif self.checkout is not None:
            self.checkout.say(why, error=True)

    def _wedge_scan(self, code: str) -> None:
        if self.checkout is not None and self.stack.currentWidget() is self.checkout:
            self.checkout.scan(code)

    def _open_dialog(self) -> QDialog | None:
        """The dialog the cashier is in, if any: a scan belongs to it, not to the cart behind it."""
        dialogs = [d for d in self.findChildren(QDialog) if d.isVisible()]
        return dialogs[-1] if dialogs else None

    def _device_scan(self, code: str, symbology: str) -> None:
        settings = getattr(self, "settings", None)
        if settings is not None and settings.isVisible():
            settings.show_scan(code, True)
            return
        dialog = self._open_dialog()
        if dialog is not None:
            if hasattr(dialog, "take_scan"):
                dialog.take_scan(code)
            return
        if self.checkout is not None and self.stack.currentWidget() is self.checkout:
            self.checkout.scan(code, symbology or None)

    # -- payment ---------------------------------------------------------------------------------------------------

    def open_payment(self) -> None:
        assert self.session is not None
        total = self.session.priced().cart.total
        if self.payment is not None:  # the last sale's dialog (kept so its change could still be read)
            self.payment.setParent(None)  # type: ignore[call-overload]
            self.payment.deleteLater()
        self.payment = PaymentDialog(self, total, self.ctx.places, CashRounding(self.ctx.setting("cash_rounding")))
        self.payment.complete_requested.connect(self.complete_sale)
        if self.customer_view is not None:
            self.customer_view.show_total(total)
        self.payment.open()

    def complete_sale(self, tenders: list) -> None:  # type: ignore[type-arg]
        session = self.session
        assert session is not None and self.payment is not None
        cash = any(t.method == "cash" for t in tenders)
        self.runner.run(lambda: session.complete(tenders),
                        success=lambda receipt: self._sale_done(receipt, cash),
                        failure=lambda exc: self.payment and self.payment.failed(message_for(exc)))

    def _sale_done(self, receipt: Receipt, cash: bool) -> None:
        assert self.session is not None and self.checkout is not None and self.payment is not None
        self.payment.completed(receipt.change)
        self.session.start_new()
        money = lambda amount: format_money(amount, self.ctx.places)  # noqa: E731
        self.checkout.last_item.setText(_("Change {change}").format(change=money(receipt.change)))
        self.checkout.say(_("Sale {no} done · total {total} · change {change}").format(
            no=receipt.receipt_no, total=money(receipt.total), change=money(receipt.change)))
        for warning in receipt.warnings:
            self.checkout.note(warning)
        if self.customer_view is not None:
            self.customer_view.show_change(receipt)
        self.sale_completed.emit(receipt)
        self._print(lambda: self.printing.print_sale(receipt, open_drawer=cash), cash)

    def _print(self, job, cash: bool) -> None:  # type: ignore[no-untyped-def]
        """Print (off the GUI thread) — or, on a till without a receipt printer, just open the drawer for cash."""
        if self.devices.configured("printer"):
            self.runner.run(job, success=self._printed)
        elif cash and self.devices.configured("drawer"):
            self.runner.run(self.devices.open_drawer, success=lambda _r: None,
                            failure=lambda exc: self.checkout and self.checkout.note(message_for(exc), error=True))

    def _printed(self, outcome: PrintOutcome) -> None:
        if outcome.error is not None and self.checkout is not None:
            waiting = _(" — it waits in the reprint queue") if outcome.job is not None else ""
            self.checkout.note(_("Receipt {no} not printed: {why}").format(
                no=outcome.receipt_no, why=outcome.error.message) + waiting, error=True)
        if outcome.drawer_error is not None and self.checkout is not None:
            self.checkout.note(outcome.drawer_error.message, error=True)
        self.printed.emit(outcome)

    # -- returns and suspended sales -----------------------------------------------------------------------------------

    def open_return(self) -> None:
        assert self.session is not None
        ReturnDialog(self, self.ctx, self.session.operator, self._returned).open()

    def _returned(self, result: ReturnResult) -> None:
        assert self.checkout is not None and self.session is not None
        doc = result.to_json()
        self.checkout.say(_("Return {no}: refund {total}").format(no=result.receipt_no, total=doc["total"]))
        session = self.session
        cash = any(m == "cash" for m, _a in result.refunds)
        self._print(lambda: self.printing.print_return(doc, store_name=self.ctx.till.store_name,
                                                       till_code=self.ctx.till.till_code,
                                                       cashier=session.operator.display_name, open_drawer=cash), cash)

    def open_resume(self) -> None:
        parked = suspended.list_suspended(self.ctx)
        if not parked:
            self.checkout and self.checkout.say(_("No suspended sales"))
            return
        dialog = QDialog(self)
        dialog.setObjectName("resumeDialog")
        dialog.setWindowTitle(_("Resume a sale"))
        listing = QListWidget()
        listing.setObjectName("suspendedList")
        for item in parked:
            listing.addItem(f"{item.created_at[11:16]}  {item.label}  ({item.lines})")
        listing.setCurrentRow(0)
        layout = QVBoxLayout(dialog)
        layout.addWidget(listing)
        layout.addLayout(ok_cancel(dialog, dialog.accept))
        listing.itemActivated.connect(lambda _item: dialog.accept())
        dialog.accepted.connect(lambda: self._resume(parked[listing.currentRow()].id))
        plain_buttons(dialog)
        dispose_when_closed(dialog)
        dialog.open()

    def _resume(self, cart_id: str) -> None:
        assert self.session is not None and self.checkout is not None
        if self.session.lines:
            self.checkout.say(_("Finish or suspend the current sale first"), error=True)
            return
        self.checkout._guard(lambda: self.session.resume(cart_id))  # type: ignore[union-attr]

    def closeEvent(self, event) -> None:  # type: ignore[no-untyped-def]
        """Closing the window closes the till: workers finish, ports and the database are released; the
        window's size and place are kept for the next start."""
        geometry.save(self, Path(self.ctx.data_dir))
        self.status.timer.stop()
        self.status.stop_sync()
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self.wedge)
        self.runner.shutdown()
        self.devices.close()
        if self.customer_view is not None:
            self.customer_view.close()
        self.ctx.close()
        super().closeEvent(event)
