"""Sell first, print second: printing a committed sale's receipt, the reprint queue, and the cash drawer.

A sale is already committed when it reaches this module. Its receipt is spooled (on disk, fsynced) before a
byte is sent; a printer fault never fails anything: the job stays in the queue, the outcome carries the
cashier's message, and nothing is re-sent on its own. ``reprint`` prints a copy (marked as such) and clears
the pending jobs of that receipt, so a receipt that never came out is printed exactly once more.

Drawer: for a cash sale it opens after the print attempt, *even when printing failed* — the sale is done and
the cashier must give change. When the printer just reported paper end or an open cover, the real-time pulse
(``DLE DC4``) is used, because ``ESC p`` would wait in the stopped printer's buffer and open the drawer
later, unattended, when the paper is changed. When the printer cannot be reached at all the kick fails too
and the outcome says so (the cashier opens the drawer with its key).
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ..core.errors import DeviceError, NotFound
from ..core.i18n import _
from ..core.receipt import Receipt
from .receipt_layout import ReceiptStyle, return_slip, sale_receipt
from .spool import ReceiptSpool, SpoolJob
from .till_devices import DeviceManager

log = logging.getLogger(__name__)
# faults after which the printer holds buffered commands until someone fixes it
PRINTER_STOPPED = frozenset({"paper_out", "cover_open", "printer_error"})


@dataclass
class PrintOutcome:
    """What happened to one receipt. ``error``/``drawer_error`` are for the cashier; ``job`` is the spooled
    job still waiting (None once printed)."""

    receipt_no: str
    printed: bool
    job: SpoolJob | None = None
    error: DeviceError | None = None
    drawer_opened: bool | None = None  # None: the drawer was not asked to open
    drawer_error: DeviceError | None = None
    bytes_sent: int = 0
    cleared: tuple[str, ...] = ()

    def to_json(self) -> dict[str, Any]:
        doc: dict[str, Any] = {"printed": self.printed}
        if self.error is not None:
            doc["print_error"] = self.error.message
            doc["print_error_code"] = self.error.code
            if self.job is not None:
                doc["print_job"] = self.job.job_id
        if self.drawer_opened is not None:
            doc["drawer_opened"] = self.drawer_opened
        if self.drawer_error is not None:
            doc["drawer_error"] = self.drawer_error.message
        return doc

    def warnings(self) -> list[str]:
        """Lines for the cashier (stderr in the CLI, a banner in the window)."""
        out = []
        if self.error is not None:
            out.append(_("{problem}. The receipt {no} was not printed; it waits in the reprint queue "
                         "(pos receipt print {no})").format(problem=self.error.message.rstrip("."),
                                                           no=self.receipt_no))
        if self.drawer_error is not None:
            out.append(_("The cash drawer did not open: {problem}").format(problem=self.drawer_error.message))
        return out


class ReceiptPrinting:
    """Prints receipts of committed sales and returns through ``devices``, with the queue in ``spool``."""

    def __init__(self, devices: DeviceManager, spool: ReceiptSpool, style: ReceiptStyle) -> None:
        self.devices = devices
        self.spool = spool
        self.style = style

    # ------------------------------------------------------------------------------------------ new sales
    def print_sale(self, receipt: Receipt, *, open_drawer: bool = False) -> PrintOutcome:
        """Spool and print the receipt of a committed sale; never raises a device fault.

        ``open_drawer``: a cash sale; the drawer opens after the print attempt (see the module notes).
        """
        data = sale_receipt(receipt, self.style)
        return self._print_new(receipt.receipt_no, "sale", data, None, open_drawer)

    def print_return(self, result: Mapping[str, Any], *, store_name: str, till_code: str = "",
                     cashier: str = "", names: Mapping[str, str] | None = None,
                     open_drawer: bool = False) -> PrintOutcome:
        """The slip of a committed return (``ReturnResult.to_json()``); as ``print_sale``."""
        source = {"return": dict(result), "store_name": store_name, "till_code": till_code, "cashier": cashier,
                  "names": dict(names or {})}
        data = self._return_bytes(source, copy=False)
        return self._print_new(str(result["receipt_no"]), "return", data, source, open_drawer)

    def _print_new(self, receipt_no: str, kind: str, data: bytes, source: dict[str, Any] | None,
                   open_drawer: bool) -> PrintOutcome:
        outcome = PrintOutcome(receipt_no, printed=False)
        if self.devices.kind("printer") == "none":
            outcome.error = _not_set_up()
        else:
            job = self.spool.add(receipt_no, kind, data, source=source)
            try:
                report = self.devices.print_bytes(data)
            except DeviceError as exc:
                outcome.error = exc
                outcome.job = self.spool.failed(job, exc.message, exc.code)
            else:
                self.spool.done(job)
                outcome.printed, outcome.bytes_sent = True, report.bytes_sent
        if open_drawer:
            self._open_drawer(outcome)
        return outcome

    def _open_drawer(self, outcome: PrintOutcome) -> None:
        if not self.devices.configured("drawer"):
            return  # no drawer set up: nothing to report
        stopped = outcome.error is not None and outcome.error.code in PRINTER_STOPPED
        try:
            self.devices.open_drawer(printer_stopped=stopped)
        except DeviceError as exc:
            outcome.drawer_opened, outcome.drawer_error = False, exc
        else:
            outcome.drawer_opened = True

    # ------------------------------------------------------------------------------------------- reprints
    def reprint(self, receipt: Receipt) -> PrintOutcome:
        """Print a copy (marked COPY) of a stored sale's receipt; raises ``DeviceError`` on a fault.

        Once it is on paper, every pending job of that receipt leaves the queue: the customer has it now.
        """
        data = sale_receipt(receipt, self.style, copy=True)
        return self._reprint(receipt.receipt_no, data)

    def reprint_queued(self, receipt_no: str) -> PrintOutcome:
        """A copy of a receipt known only to the queue (a return slip); ``NotFound`` when it is not there."""
        jobs = self.spool.for_receipt(receipt_no)
        source = next((job.source for job in jobs if job.source), None)
        if source is None:
            raise NotFound(_("No sale and no queued receipt with number {no}").format(no=receipt_no),
                           code="unknown_receipt")
        return self._reprint(jobs[0].receipt_no, self._return_bytes(source, copy=True))

    def _reprint(self, receipt_no: str, data: bytes) -> PrintOutcome:
        if self.devices.kind("printer") == "none":
            raise _not_set_up()
        report = self.devices.print_bytes(data)
        cleared = []
        for job in self.spool.for_receipt(receipt_no):
            self.spool.done(job)
            cleared.append(job.job_id)
        return PrintOutcome(receipt_no, printed=True, bytes_sent=report.bytes_sent, cleared=tuple(cleared))

    def _return_bytes(self, source: Mapping[str, Any], *, copy: bool) -> bytes:
        return return_slip(source["return"], self.style, store_name=source.get("store_name", ""),
                           till_code=source.get("till_code", ""), cashier=source.get("cashier", ""),
                           names=source.get("names") or {}, copy=copy)


def _not_set_up() -> DeviceError:
    return DeviceError(_("No receipt printer is set up: see the [printer] section of config.toml"),
                       code="device_not_configured", device="printer")

