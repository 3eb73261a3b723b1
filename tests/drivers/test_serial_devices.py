"""Serial printer, drawer and scanner over pseudo-terminals: pyserial opens the slave, the simulator the master."""

from __future__ import annotations

import threading
import time

import pytest

from drivers.drawer import PrinterDrawer, SerialDrawer
from drivers.errors import ConnectionLost, DeviceError, DeviceOffline
from drivers.printer import ReceiptPrinter
from drivers.printing import PrinterProfile, ReceiptDocument
from drivers.scanners import SerialScanner
from drivers.sim.escpos_decoder import decode_escpos
from drivers.sim.pty_device import PtyDevice
from drivers.sim.pty_printer import PtyPrinter
from drivers.sim.pty_scanner import PtyScanner
from drivers.transports import SerialTransport


class Scans:
    """Collects on_scan calls from the scanner thread; ``wait`` blocks on a condition, never sleeps."""

    def __init__(self) -> None:
        self.items: list[tuple[str, str | None]] = []
        self.errors: list[DeviceError] = []
        self._cond = threading.Condition()

    def on_scan(self, code: str, symbology: str | None) -> None:
        with self._cond:
            self.items.append((code, symbology))
            self._cond.notify_all()

    def on_error(self, exc: DeviceError) -> None:
        with self._cond:
            self.errors.append(exc)
            self._cond.notify_all()

    def wait(self, count: int, timeout: float = 3.0) -> list[tuple[str, str | None]]:
        with self._cond:
            assert self._cond.wait_for(lambda: len(self.items) >= count, timeout), self.items
            return list(self.items)

    def wait_error(self, timeout: float = 3.0) -> DeviceError:
        with self._cond:
            assert self._cond.wait_for(lambda: self.errors, timeout)
            return self.errors[0]


# ---------------------------------------------------------------------------------------------- printer
def test_serial_printer_prints_gbk_and_answers_status():
    with PtyPrinter() as sim:
        printer = ReceiptPrinter(SerialTransport(sim.path, 19200, timeout=0.5))
        doc = ReceiptDocument(PrinterProfile(encoding="gbk", width=32)).line("收银员 Cashier 01").cut()
        report = printer.print_bytes(doc.to_bytes())
        assert report.confirmed and report.status.ready
        assert decode_escpos(sim.model.received, "gbk").lines == ["收银员 Cashier 01"]
        sim.model.set_state(paper_near_end=True, drawer_open=True)
        status = printer.status()
        assert status.paper_near_end is True and status.drawer_open is True and status.paper_end is False


def test_unplugged_serial_printer():
    sim = PtyPrinter().start()
    transport = SerialTransport(sim.path, timeout=0.5)
    transport.open()
    printer = ReceiptPrinter(transport)
    assert printer.status().online is True
    sim.hang_up()
    with pytest.raises(ConnectionLost):
        printer.print_bytes(b"job\n")
    transport.close()
    with pytest.raises(DeviceOffline):
        SerialTransport("/dev/ttyNOSUCHPORT9", timeout=0.2).open()


# ----------------------------------------------------------------------------------------------- drawer
def test_drawer_through_the_serial_printer_kicks_and_reports():
    with PtyPrinter() as sim:
        printer = ReceiptPrinter(SerialTransport(sim.path, timeout=0.5))
        drawer = PrinterDrawer(printer, pin=5, on_ms=120, off_ms=240)
        sim.model.set_state(paper_end=True)  # a drawer must open even when the paper ran out
        drawer.open()
        assert sim.model.wait_for(lambda data: b"\x1bp" in data)
        [pulse] = decode_escpos(sim.model.received).drawer_pulses
        assert (pulse.pin, pulse.on_ms, pulse.off_ms) == (5, 120, 240)
        assert drawer.is_open() is False
        sim.model.set_state(drawer_open=True)
        assert drawer.is_open() is True


def test_drawer_state_is_unknown_when_the_printer_is_silent():
    with PtyPrinter() as sim:
        sim.model.answer_status = False
        drawer = PrinterDrawer(ReceiptPrinter(SerialTransport(sim.path, timeout=0.5), status_timeout=0.1))
        assert drawer.is_open() is None


def test_standalone_serial_drawer_sends_its_configured_bytes():
    with PtyDevice() as sim:
        SerialDrawer(SerialTransport(sim.path, timeout=0.5), command=b"\x07OPEN").open()
        assert sim.wait_for(lambda data: data == b"\x07OPEN")
    with PtyDevice() as sim:
        drawer = SerialDrawer(SerialTransport(sim.path, timeout=0.5))
        drawer.open()
        assert sim.wait_for(lambda data: len(data) == 5)
        [pulse] = decode_escpos(sim.received).drawer_pulses
        assert pulse.pin == 2 and drawer.is_open() is None


# ---------------------------------------------------------------------------------------------- scanner
@pytest.mark.parametrize("suffix", ["CR", "LF", "CRLF"])
@pytest.mark.parametrize("baudrate", [9600, 115200])
def test_serial_scanner_reports_each_code(suffix, baudrate):
    scans = Scans()
    with PtyScanner(suffix=suffix) as sim:
        scanner = SerialScanner(SerialTransport(sim.path, baudrate, timeout=0.5), on_scan=scans.on_scan,
                                suffix=suffix, poll=0.05)
        with scanner:
            sim.scan("6901234567892")
            sim.scan("S01-T02-000123")
            assert scans.wait(2) == [("6901234567892", None), ("S01-T02-000123", None)]


def test_aim_symbology_is_returned_separately():
    scans = Scans()
    with PtyScanner() as sim, SerialScanner(SerialTransport(sim.path, timeout=0.5), on_scan=scans.on_scan,
                                            aim=True, poll=0.05):
        sim.scan("6901234567892", aim="]E0")
        sim.scan("https://example.cn/p/1", aim="]Q1")
        assert scans.wait(2) == [("6901234567892", "]E0"), ("https://example.cn/p/1", "]Q1")]


def test_codes_split_across_reads_and_several_in_one_read():
    scans = Scans()
    with PtyScanner() as sim, SerialScanner(SerialTransport(sim.path, timeout=0.5), on_scan=scans.on_scan,
                                            poll=0.05):
        sim.send(b"69012345")
        sim.send(b"67892\r4006381333931\r\x1d01095012345678903\r")
        assert scans.wait(3) == [("6901234567892", None), ("4006381333931", None),
                                 ("\x1d01095012345678903", None)]  # the GS1 separator is kept


def test_a_failing_callback_does_not_stop_the_scanner():
    scans = Scans()
    calls = []

    def flaky(code: str, symbology: str | None) -> None:
        calls.append(code)
        if len(calls) == 1:
            raise RuntimeError("bug in the screen")
        scans.on_scan(code, symbology)

    with PtyScanner() as sim, SerialScanner(SerialTransport(sim.path, timeout=0.5), on_scan=flaky, poll=0.05):
        sim.scan("111")
        sim.scan("222")
        assert scans.wait(1) == [("222", None)]


def test_unplugged_scanner_reports_the_fault_and_stops():
    scans = Scans()
    sim = PtyScanner().start()
    scanner = SerialScanner(SerialTransport(sim.path, timeout=0.5), on_scan=scans.on_scan,
                            on_error=scans.on_error, poll=0.05)
    scanner.start()
    sim.scan("123")
    scans.wait(1)
    sim.hang_up()
    assert isinstance(scans.wait_error(), ConnectionLost)
    started = time.monotonic()
    scanner.stop()
    assert not scanner.running and time.monotonic() - started < 1


def test_stop_returns_promptly_while_idle():
    with PtyScanner() as sim:
        scanner = SerialScanner(SerialTransport(sim.path, timeout=2), on_scan=lambda c, s: None, poll=0.05)
        scanner.start()
        started = time.monotonic()
        scanner.stop()
        assert time.monotonic() - started < 0.5
