"""``pos devices list|test``, ``pos receipt print|queue``, ``pos drawer open``, and printing after a sale.

The device commands fail with exit 6 and the error JSON when the device fails, because the device is what
they are about. Printing after ``pos sale --print`` / ``pos return --print`` never fails the command: the
sale is committed, so a fault becomes ``"print_error"`` in the JSON and a warning on stderr.
"""

from __future__ import annotations

import json
import logging
import sys
import threading
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .. import paths
from ..core.errors import DeviceError, NotFound, PosError, UsageError
from ..core.i18n import _
from ..core.receipt import Receipt
from ..services import catalog, drawer, sales_query
from .common import approver, data_dir, login, open_ctx
from .output import emit, warn

# The device glue pulls in python-escpos and Pillow (a fifth of a second): only the commands that use a
# device pay for it, not every `pos` command that imports this module through the parser.
if TYPE_CHECKING:
    from ..devices import DeviceManager, ReceiptPrinting

log = logging.getLogger(__name__)
MAX_LISTEN_SECONDS = 3600


def _devices(folder: Path) -> DeviceManager:
    from .. import logs
    from ..devices import DeviceManager

    logs.setup(folder)
    return DeviceManager.from_data_dir(folder)


def _printing(folder: Path, devices: DeviceManager, header: str = "", footer: str = "") -> ReceiptPrinting:
    from ..devices import ReceiptPrinting, ReceiptSpool, spool_dir

    return ReceiptPrinting(devices, ReceiptSpool(spool_dir(folder)), devices.receipt_style(header=header,
                                                                                          footer=footer))


def _shop_text(ctx: Any) -> tuple[str, str]:  # type: ignore[no-untyped-def]
    return str(ctx.setting("receipt_header") or ""), str(ctx.setting("receipt_footer") or "")


# ------------------------------------------------------------------------------ printing after a sale
def print_after_sale(folder: Path, receipt: Receipt, header: str, footer: str) -> dict[str, Any]:
    """Print a committed sale's receipt, open the drawer for cash, show the change. Never raises."""
    from ..devices import PrintOutcome

    cash = any(method == "cash" for method, _amount in receipt.payments)
    try:
        devices = _devices(folder)
        try:
            outcome = _printing(folder, devices, header, footer).print_sale(receipt, open_drawer=cash)
            doc = outcome.to_json()
            doc.update(_show_change(devices, receipt))
        finally:
            devices.close()
    except PosError as exc:  # a config.toml that cannot be read: the sale stands all the same
        outcome = PrintOutcome(receipt.receipt_no, printed=False, error=DeviceError(exc.message, code=exc.code))
        doc = outcome.to_json()
    except Exception as exc:
        log.exception("printing receipt %s failed", receipt.receipt_no)
        outcome = PrintOutcome(receipt.receipt_no, printed=False,
                               error=DeviceError(f"{type(exc).__name__}: {exc}", code="internal"))
        doc = outcome.to_json()
    for line in outcome.warnings():
        warn(line)
    return doc


def _show_change(devices: DeviceManager, receipt: Receipt) -> dict[str, Any]:
    if not devices.configured("display"):
        return {}
    places = receipt.places
    try:
        devices.show_change(f"{receipt.paid:.{places}f}", f"{receipt.change:.{places}f}")
    except DeviceError as exc:
        warn(_("The customer display shows nothing: {problem}").format(problem=exc.message))
        return {"display_error": exc.message}
    return {}


def print_after_return(folder: Path, result: dict[str, Any], *, store_name: str, till_code: str, cashier: str,
                       names: dict[str, str], header: str, footer: str) -> dict[str, Any]:
    """Print a committed return's slip and open the drawer for a cash refund. Never raises."""
    from ..devices import PrintOutcome

    cash = any(r.get("method") == "cash" for r in result.get("refunds", []))
    try:
        devices = _devices(folder)
        try:
            outcome = _printing(folder, devices, header, footer).print_return(
                result, store_name=store_name, till_code=till_code, cashier=cashier, names=names, open_drawer=cash)
        finally:
            devices.close()
    except PosError as exc:
        outcome = PrintOutcome(str(result["receipt_no"]), printed=False,
                               error=DeviceError(exc.message, code=exc.code))
    except Exception as exc:
        log.exception("printing return slip %s failed", result.get("receipt_no"))
        outcome = PrintOutcome(str(result["receipt_no"]), printed=False,
                               error=DeviceError(f"{type(exc).__name__}: {exc}", code="internal"))
    for line in outcome.warnings():
        warn(line)
    return outcome.to_json()


# ---------------------------------------------------------------------------------------------- receipts
def cmd_receipt_print(args: Any) -> int:
    folder = data_dir(args)
    with open_ctx(args) as ctx:
        header, footer = _shop_text(ctx)
        try:
            receipt: Receipt | None = sales_query.receipt(ctx, args.receipt_no)
        except NotFound:
            receipt = None
    with _devices(folder) as devices:
        printing = _printing(folder, devices, header, footer)
        outcome = printing.reprint(receipt) if receipt is not None else printing.reprint_queued(args.receipt_no)
    doc = {"receipt_no": outcome.receipt_no, "printed": True, "copy": True, "bytes": outcome.bytes_sent,
           "cleared_jobs": list(outcome.cleared)}
    emit(args, doc, _("Printed a copy of {no}").format(no=outcome.receipt_no))
    return 0


def cmd_receipt_queue(args: Any) -> int:
    from ..devices.spool import ReceiptSpool, spool_dir

    folder = data_dir(args)
    jobs = [job.to_json() for job in ReceiptSpool(spool_dir(folder)).pending()]
    text = [f'{j["receipt_no"]}  {j["created_at"]}  {j["kind"]:<6} {j["error"] or ""}' for j in jobs] or \
        [_("The reprint queue is empty")]
    emit(args, jobs, text)
    return 0


# ------------------------------------------------------------------------------------------------ drawer
def cmd_drawer_open(args: Any) -> int:
    from ..devices.faults import not_configured

    folder = data_dir(args)
    with _devices(folder) as devices:
        if not devices.configured("drawer"):
            raise not_configured("drawer")  # before anything is journaled
        with open_ctx(args) as ctx:
            operator = login(ctx, args)
            record = drawer.record_no_sale(ctx, operator, reason=args.reason, approver=approver(ctx, args))
        _kick(devices, record)
    doc = {**record, "drawer_opened": True}
    emit(args, doc, _("Drawer opened (no sale, recorded in the journal)"))
    return 0


def _kick(devices: DeviceManager, record: dict[str, Any]) -> None:
    try:
        devices.open_drawer()
    except DeviceError as exc:
        exc.details.setdefault("no_sale_id", record["no_sale_id"])
        exc.message = _("{problem} (the opening was recorded in the journal)").format(problem=exc.message)
        exc.args = (exc.message,)
        raise


# ----------------------------------------------------------------------------------------------- devices
def cmd_devices_list(args: Any) -> int:
    with _devices(data_dir(args)) as devices:
        statuses = devices.statuses()
    docs = [s.to_json() for s in statuses]
    text = [f'{s.name:<8} {s.kind:<8} {s.where or "-":<32} {s.summary}' for s in statuses]
    emit(args, docs, text)
    return 0


def cmd_devices_test(args: Any) -> int:
    folder = data_dir(args)
    with _devices(folder) as devices:
        if args.device == "scanner":
            return _test_scanner(args, folder, devices)
        doc = {"printer": _test_printer, "drawer": _test_drawer, "display": _test_display,
               "scale": _test_scale}[args.device](args, devices)
    emit(args, doc, doc.pop("_text", None) or json.dumps(doc, ensure_ascii=False))
    return 0


def _test_printer(args: Any, devices: DeviceManager) -> dict[str, Any]:
    from ..devices import printer_test_page

    style = devices.receipt_style()
    report = devices.print_bytes(printer_test_page(style, printer_name=devices.printer_where() or ""))
    return {"device": "printer", "ok": True, "where": devices.printer_where(), "bytes": report.bytes_sent,
            "confirmed": report.confirmed, "status": report.status.to_dict(),
            "_text": _("Test page printed ({n} bytes)").format(n=report.bytes_sent)}


def _test_drawer(args: Any, devices: DeviceManager) -> dict[str, Any]:
    """Opening the drawer is a no-sale whatever the reason: it needs the permission and goes in the journal."""
    from ..devices.faults import not_configured

    if not devices.configured("drawer"):
        raise not_configured("drawer")
    with open_ctx(args) as ctx:
        operator = login(ctx, args)
        record = drawer.record_no_sale(ctx, operator, reason=_("drawer test"), approver=approver(ctx, args))
    _kick(devices, record)
    return {"device": "drawer", "ok": True, "no_sale_id": record["no_sale_id"],
            "_text": _("Drawer kicked (recorded in the journal as a no-sale)")}


def _test_display(args: Any, devices: DeviceManager) -> dict[str, Any]:
    width = devices.config["display"]["width"]
    lines = [_("Display test"), ("1234567890" * 4)[:width]]
    devices.show(*lines)
    return {"device": "display", "ok": True, "lines": lines, "_text": "\n".join(lines)}


def _test_scale(args: Any, devices: DeviceManager) -> dict[str, Any]:
    reading = devices.read_scale()
    weight = None if reading.weight is None else f"{reading.weight:.3f}"
    return {"device": "scale", "ok": True, "weight": weight, "stable": reading.stable, "state": reading.state,
            "_text": f"{weight} kg ({reading.state})"}


# ----------------------------------------------------------------------------------------------- scanner
def _test_scanner(args: Any, folder: Path, devices: DeviceManager) -> int:
    """Listen ``--seconds`` and print each read as one JSON line ``{"code", "valid", "error", "symbology"}``."""
    from ..devices.scans import ScanEvent, ScanGate

    seconds = float(args.seconds)
    if not 0 < seconds <= MAX_LISTEN_SECONDS:
        raise UsageError(_("--seconds must be more than 0 and at most {n}").format(n=MAX_LISTEN_SECONDS))
    layouts = None
    if paths.db_path(folder).exists():
        with open_ctx(args) as ctx:
            layouts = catalog.layouts(ctx)
    lock = threading.Lock()
    failed: list[DeviceError] = []
    finished = threading.Event()

    def show(event_doc: dict[str, Any]) -> None:
        with lock:
            sys.stdout.write(json.dumps(event_doc, ensure_ascii=False) + "\n")
            sys.stdout.flush()

    def on_error(exc: DeviceError) -> None:
        failed.append(exc)
        finished.set()

    good = lambda code, symbology: show(ScanEvent(code, symbology).to_json())
    bad = lambda code, symbology, error: show(ScanEvent(code, symbology, error=error).to_json())
    if devices.kind("scanner") == "keyboard":
        _listen_stdin(ScanGate(good, bad, layouts=layouts))
        where = _("the keyboard (scan into this terminal)")
    else:
        session = devices.start_scanner(good, bad, on_error=on_error, layouts=layouts)
        where = session.reader.transport.name
    sys.stderr.write(_("pos: listening to the scanner on {where} for {seconds:g} s").format(
        where=where, seconds=seconds) + "\n")
    sys.stderr.flush()
    finished.wait(seconds)
    devices.close()
    if failed:
        raise failed[0]
    return 0


def _listen_stdin(gate: Any) -> None:
    """A keyboard-wedge scanner types the code and Enter into the terminal: each line is one read."""
    def run() -> None:
        for line in sys.stdin:
            code = line.strip("\r\n")
            if code:
                gate(code, None)
    threading.Thread(target=run, name="stdin-scanner", daemon=True).start()
