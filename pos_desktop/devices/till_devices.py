"""The till's hardware as one object, built from ``config.toml``: printer, drawer, scanner, display, scale.

``DeviceManager`` builds the drivers lazily from the typed settings of ``pos_desktop.config``, bounds every
call by the configured timeout, reports each device's status as data, and turns every driver fault into a
``core.errors.DeviceError`` (exit code 6) whose message a cashier understands. Pass it in (no globals): the
CLI makes one per command, the window one per session. Nothing here blocks longer than a device timeout; the
UI still calls it off the GUI thread.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from decimal import Decimal
from pathlib import Path
from typing import Any, Self

from drivers import errors as hw
from drivers.drawer import PrinterDrawer, SerialDrawer
from drivers.factory import make_transport
from drivers.pole_display import PoleDisplay
from drivers.printer import PrintReport, ReceiptPrinter
from drivers.printer_status import UNKNOWN, PrinterStatus
from drivers.printing import PrinterProfile, commands
from drivers.reader_thread import ReaderThread
from drivers.scale import SerialScale
from drivers.scale_protocols import WeightReading
from drivers.transports.base import Transport
from drivers.transports.file import FileTransport
from drivers.transports.serial_port import SerialTransport

from .. import config as settings
from .. import paths
from ..core.barcodes import InStoreLayouts
from ..core.errors import DeviceError
from ..core.i18n import _
from ..core.labels import fits
from .faults import device_error, not_configured, setup_error
from .receipt_layout import ReceiptStyle
from .scans import OnBadScan, OnScan, ScanGate
from .sim_printer import SimPrinterTransport, sim_dir
from .status import DeviceStatus, not_set_up, printer_state, printer_summary

log = logging.getLogger(__name__)
DEVICES = ("printer", "drawer", "scanner", "display", "scale")


class DeviceManager:
    """The devices one till has. ``config`` is the validated content of ``config.toml``."""

    def __init__(self, config: dict[str, dict[str, Any]], data_dir: Path) -> None:
        self.config = config
        self.data_dir = Path(data_dir)
        self._printer: ReceiptPrinter | None = None
        self._scanner: ScannerSession | None = None

    @classmethod
    def from_data_dir(cls, data_dir: Path) -> DeviceManager:
        """Read ``<data_dir>/config.toml`` (``InvalidInput`` naming a bad key)."""
        return cls(settings.load(paths.config_path(Path(data_dir))), Path(data_dir))

    def kind(self, device: str) -> str:
        return str(self.config[device]["kind"])

    def configured(self, device: str) -> bool:
        if device == "drawer" and self.kind("drawer") == "printer":
            return self.kind("printer") != "none"
        if device == "display" and self.kind("display") == "printer":
            return self.kind("printer") != "none"
        return self.kind(device) != "none"

    def close(self) -> None:
        if self._scanner is not None:
            self._scanner.stop()
            self._scanner = None
        if self._printer is not None:
            self._printer.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ---------------------------------------------------------------------------------------------- printer
    def receipt_style(self, *, header: str = "", footer: str = "") -> ReceiptStyle:
        """How receipts are laid out for this printer; ``header``/``footer`` are the shop's settings."""
        p = self.config["printer"]
        profile = PrinterProfile(encoding=p["encoding"], width=p["width"], kanji_mode=p["kanji_mode"],
                                 fallback=p["fallback"], font_path=p["font"] or None)
        return ReceiptStyle(profile, barcode=p["barcode"], cut=p["cut"], header=header, footer=footer)

    def printer(self) -> ReceiptPrinter:
        """The receipt printer (``DeviceError`` when none is set up)."""
        if self._printer is None:
            if self.kind("printer") == "none":
                raise not_configured("printer")
            with self._guard("printer"):
                self._printer = ReceiptPrinter(
                    self._printer_transport(), check_before_print=self.config["printer"]["check_status"],
                    drawer_open_level=self.config["drawer"]["open_level"])
        return self._printer

    def _printer_transport(self) -> Transport:
        p = self.config["printer"]
        if p["kind"] == "sim":
            return SimPrinterTransport(sim_dir(self.data_dir), encoding=p["encoding"], timeout=p["timeout"])
        return make_transport(p)

    def printer_where(self) -> str | None:
        if self.kind("printer") == "none":
            return None
        try:
            return self.printer().name
        except DeviceError:
            return None

    def print_bytes(self, data: bytes) -> PrintReport:
        """Send one job; a reported fault (paper, cover, offline…) raises ``DeviceError`` and sends nothing."""
        printer = self.printer()
        with self._guard("printer"):
            return printer.print_bytes(data)

    def printer_status(self) -> PrinterStatus:
        printer = self.printer()
        with self._guard("printer"):
            return printer.status()

    # ----------------------------------------------------------------------------------------------- drawer
    def open_drawer(self, *, printer_stopped: bool = False) -> None:
        """Kick the drawer. ``printer_stopped``: the printer just reported paper end or an open cover, so the
        real-time pulse is used (``ESC p`` would wait in its buffer and open the drawer when paper is loaded)."""
        d = self.config["drawer"]
        if d["kind"] == "none" or not self.configured("drawer"):
            raise not_configured("drawer")
        with self._guard("drawer"):
            if d["kind"] == "serial":
                transport = SerialTransport(d["device"], d["baudrate"], timeout=d["timeout"])
                SerialDrawer(transport, command=commands.drawer_kick(d["pin"], d["on_ms"], d["off_ms"])).open()
                return
            drawer = PrinterDrawer(self.printer(), pin=d["pin"], on_ms=d["on_ms"], off_ms=d["off_ms"])
            if printer_stopped:
                self.printer().send(commands.drawer_kick_realtime(d["pin"], d["on_ms"]))
            else:
                drawer.open()

    def drawer_is_open(self) -> bool | None:
        """What the drawer sensor says through the printer (None: no sensor, or no answer)."""
        if self.kind("drawer") != "printer" or not self.configured("drawer"):
            return None
        return self.printer_status().drawer_open

    # ---------------------------------------------------------------------------------------------- display
    def pole_display(self) -> PoleDisplay:
        d = self.config["display"]
        if not self.configured("display"):
            raise not_configured("display")
        with self._guard("display"):
            if d["kind"] == "printer":
                return PoleDisplay(None, protocol=d["protocol"], width=d["width"], encoding=d["encoding"],
                                   via_printer=True)
            transport = SerialTransport(d["device"], d["baudrate"], timeout=d["timeout"])
            return PoleDisplay(transport, protocol=d["protocol"], width=d["width"], encoding=d["encoding"])

    def _display(self, render: Callable[[PoleDisplay], bytes]) -> None:
        display = self.pole_display()
        with self._guard("display"):
            data = render(display)
            if display.via_printer:
                self.printer().send(data)
                return
            with display.transport as port:  # type: ignore[union-attr]
                port.write(data)

    def show(self, line1: str, line2: str = "") -> None:
        self._display(lambda d: d.render_lines(line1, line2))

    def show_item(self, name: str, price: str, *, qty: str | None = None) -> None:
        self._display(lambda d: d.render_item(name, price, qty=qty))

    def _label(self, text: str, english: str) -> str:
        """A pole display with a single-byte code page cannot show 合计: it gets the English word."""
        return text if fits(text, str(self.config["display"].get("encoding", "cp437"))) else english

    def show_total(self, total: str) -> None:
        label = self._label(_("TOTAL"), "TOTAL")
        self._display(lambda d: d.render_total(total, label=label))

    def show_change(self, paid: str, change: str) -> None:
        paid_label, change_label = self._label(_("PAID"), "PAID"), self._label(_("CHANGE"), "CHANGE")
        self._display(lambda d: d.render_change(paid, change, paid_label=paid_label, change_label=change_label))

    # ------------------------------------------------------------------------------------------------ scale
    def scale(self) -> SerialScale:
        s = self.config["scale"]
        if s["kind"] == "none":
            raise not_configured("scale")
        with self._guard("scale"):
            transport = SerialTransport(s["device"], s["baudrate"], timeout=s["timeout"])
            return SerialScale(transport, protocol=s["protocol"], timeout=s["timeout"])

    def read_scale(self) -> WeightReading:
        """The current reading, stable or not."""
        scale = self.scale()
        with self._guard("scale"):
            return scale.read()

    def read_weight(self) -> Decimal:
        """A stable weight in kg to sell; an unstable, overloaded or negative reading raises ``DeviceError``."""
        scale = self.scale()
        with self._guard("scale"):
            return scale.read_weight()

    # ---------------------------------------------------------------------------------------------- scanner
    def start_scanner(self, on_scan: OnScan | None = None, on_bad_scan: OnBadScan | None = None, *,
                      on_error: Callable[[DeviceError], None] | None = None,
                      layouts: InStoreLayouts | None = None) -> ScannerSession:
        """Listen to the serial or HID scanner. Each read is validated first (``ScanGate``): a good code goes
        to ``on_scan(code, symbology)``, a bad one to ``on_bad_scan(code, symbology, error)``; a fault that
        stops the scanner (unplugged) to ``on_error``. Callbacks run on the scanner's thread."""
        s = self.config["scanner"]
        if s["kind"] in ("none", "keyboard"):
            raise not_configured("scanner") if s["kind"] == "none" else DeviceError(
                _("A keyboard scanner types into the screen; there is no port to listen to"),
                code="keyboard_scanner", device="scanner")
        gate = ScanGate(on_scan, on_bad_scan, layouts=layouts)
        forward = (lambda exc: on_error(device_error("scanner", exc))) if on_error else None
        with self._guard("scanner"):
            reader = self._scanner_reader(s, gate, forward)
            reader.start()
        session = ScannerSession(reader, gate)
        if self._scanner is not None:
            self._scanner.stop()
        self._scanner = session
        return session

    def _scanner_reader(self, s: dict[str, Any], gate: ScanGate,
                        on_error: Callable[[hw.DeviceError], None] | None) -> ReaderThread:
        if s["kind"] == "serial":
            from drivers.scanners import SerialScanner

            transport = SerialTransport(s["device"], s["baudrate"], timeout=s["timeout"])
            return SerialScanner(transport, on_scan=gate, suffix=s["suffix"], aim=s["aim"], on_error=on_error,
                                 poll=0.05)
        from drivers.scanners import HidKeyboardDecoder, HidPosDecoder, HidScanner

        hid: Transport
        if s["device"]:
            hid = FileTransport(s["device"], timeout=s["timeout"], create=False)
        else:
            hid = make_transport({"kind": "usb", "vendor_id": s["vendor_id"], "product_id": s["product_id"],
                                  "timeout": s["timeout"]}, usb_transfer="interrupt")
        if s["hid_mode"] == "pos":
            return HidScanner(hid, HidPosDecoder(), on_scan=gate, on_error=on_error, poll=0.05)
        # boot keyboard reports are 8 bytes: read one at a time
        return HidScanner(hid, HidKeyboardDecoder(), on_scan=gate, on_error=on_error, poll=0.05, report_size=8)

    def _scanner_where(self) -> str | None:
        s = self.config["scanner"]
        if s["kind"] == "serial":
            return f"serial://{s['device']}@{s['baudrate']}"
        if s["kind"] == "hid":
            return f"file://{s['device']}" if s["device"] else f"usb://{s['vendor_id']:04x}:{s['product_id']:04x}"
        return None

    # ----------------------------------------------------------------------------------------------- status
    def statuses(self) -> list[DeviceStatus]:
        """Every device's status, probed at once (in parallel, each within its own timeout)."""
        with ThreadPoolExecutor(max_workers=4, thread_name_prefix="device-probe") as pool:
            printer = pool.submit(self._printer_probe)
            others = {name: pool.submit(getattr(self, f"_{name}_probe")) for name in ("scanner", "display", "scale")}
            printer_result, printer_raw = printer.result()
            found = {"printer": printer_result, **{name: f.result() for name, f in others.items()}}
        found["drawer"] = self._drawer_probe(printer_raw)
        if self.kind("display") == "printer":
            found["display"] = self._via_printer("display", printer_result)
        return [found[name] for name in DEVICES]

    def status(self, device: str) -> DeviceStatus:
        return {s.name: s for s in self.statuses()}[device]

    def _printer_probe(self) -> tuple[DeviceStatus, PrinterStatus | DeviceError | None]:
        kind = self.kind("printer")
        if kind == "none":
            return not_set_up("printer"), None
        where = self.printer_where()
        try:
            raw = self.printer_status()
        except DeviceError as exc:
            return DeviceStatus("printer", kind, where, False, exc.message,
                                printer_state(UNKNOWN, reachable=False), exc.code), exc
        ok, summary, code = printer_summary(raw)
        return DeviceStatus("printer", kind, where, ok, summary, printer_state(raw, reachable=True), code), raw

    def _drawer_probe(self, printer_raw: PrinterStatus | DeviceError | None) -> DeviceStatus:
        d = self.config["drawer"]
        kind = d["kind"]
        if kind == "none":
            return not_set_up("drawer")
        if kind == "serial":
            where = f"serial://{d['device']}@{d['baudrate']}"
            return self._port_probe("drawer", kind, where, lambda: SerialTransport(d["device"], d["baudrate"],
                                                                                     timeout=d["timeout"]))
        where = _("printer drawer port, pin {pin}").format(pin=d["pin"])
        if printer_raw is None:
            return DeviceStatus("drawer", kind, where, None, _("No printer to open it through"))
        if isinstance(printer_raw, DeviceError):
            return DeviceStatus("drawer", kind, where, False, printer_raw.message,
                                {"reachable": False, "drawer_open": None}, printer_raw.code)
        is_open = printer_raw.drawer_open
        summary = {True: _("Open"), False: _("Closed"), None: _("Ready (no open/closed sensor reported)")}[is_open]
        return DeviceStatus("drawer", kind, where, True, summary, {"reachable": True, "drawer_open": is_open})

    def _via_printer(self, name: str, printer: DeviceStatus) -> DeviceStatus:
        where = _("behind the printer")
        if printer.kind == "none":
            return DeviceStatus(name, "printer", where, None, _("No printer to reach it through"))
        reachable = printer.state.get("reachable")
        return DeviceStatus(name, "printer", where, bool(reachable),
                            _("Ready") if reachable else printer.summary, {"reachable": reachable},
                            None if reachable else printer.error)

    def _scanner_probe(self) -> DeviceStatus:
        s = self.config["scanner"]
        kind = s["kind"]
        if kind == "none":
            return not_set_up("scanner")
        if kind == "keyboard":
            return DeviceStatus("scanner", kind, _("keyboard"), None,
                                _("Keyboard wedge: scans arrive as typing in the till window"),
                                {"reachable": None})
        where = self._scanner_where()
        if self._scanner is not None and self._scanner.running:
            return DeviceStatus("scanner", kind, where, True, _("Listening"), {"reachable": True, "listening": True})
        return self._port_probe("scanner", kind, where, lambda: self._scanner_reader(s, ScanGate(), None).transport)

    def _display_probe(self) -> DeviceStatus:
        d = self.config["display"]
        if d["kind"] != "serial":
            return not_set_up("display", d["kind"])
        where = f"serial://{d['device']}@{d['baudrate']}"
        return self._port_probe("display", "serial", where,
                                lambda: SerialTransport(d["device"], d["baudrate"], timeout=d["timeout"]))

    def _scale_probe(self) -> DeviceStatus:
        s = self.config["scale"]
        if s["kind"] == "none":
            return not_set_up("scale")
        where = f"serial://{s['device']}@{s['baudrate']}"
        try:
            reading = self.read_scale()
        except DeviceError as exc:
            return DeviceStatus("scale", "serial", where, False, exc.message,
                                {"reachable": exc.code != "device_offline", "stable": None, "weight": None}, exc.code)
        weight = None if reading.weight is None else f"{reading.weight:.3f}"
        summary = _("Ready: {weight} kg").format(weight=weight) if reading.stable else \
            _("Not steady ({state})").format(state=reading.state.replace("_", " "))
        return DeviceStatus("scale", "serial", where, True, summary,
                            {"reachable": True, "stable": reading.stable, "weight": weight})

    def _port_probe(self, name: str, kind: str, where: str | None,
                    transport: Callable[[], Transport]) -> DeviceStatus:
        """A device that reports nothing: it is there when its port opens."""
        try:
            with self._guard(name):
                port = transport()
                port.open()
                port.close()
        except DeviceError as exc:
            return DeviceStatus(name, kind, where, False, exc.message, {"reachable": False}, exc.code)
        return DeviceStatus(name, kind, where, True, _("Connected"), {"reachable": True})

    # ----------------------------------------------------------------------------------------------- errors
    @contextmanager
    def _guard(self, device: str) -> Iterator[None]:
        try:
            yield
        except hw.DeviceError as exc:
            raise device_error(device, exc) from exc
        except (ValueError, LookupError) as exc:  # a setting the driver refuses (encoding, pin, path)
            raise setup_error(device, str(exc)) from exc


class ScannerSession:
    """A running scanner: ``stop()`` it when done. ``gate`` holds the last reads."""

    def __init__(self, reader: ReaderThread, gate: ScanGate) -> None:
        self.reader = reader
        self.gate = gate

    @property
    def running(self) -> bool:
        return self.reader.running

    def stop(self) -> None:
        self.reader.stop()
