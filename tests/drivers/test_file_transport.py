"""Files and character devices: a receipt file, /dev/usb/lp0-style printers and /dev/hidraw-style scanners.

A pseudo-terminal slave stands in for the character device: it is one, with real blocking behaviour.
"""

from __future__ import annotations

import threading
import time

import pytest

from drivers.errors import DeviceOffline, DeviceTimeout
from drivers.printer import ReceiptPrinter
from drivers.printing import PrinterProfile, ReceiptDocument
from drivers.scanners import HidKeyboardDecoder, HidPosDecoder, HidScanner
from drivers.scanners.hid_keyboard import build_key_reports
from drivers.scanners.hid_pos import build_hid_pos_report
from drivers.sim.escpos_decoder import decode_escpos
from drivers.sim.pty_device import PtyDevice
from drivers.sim.pty_printer import PtyPrinter
from drivers.transports import FileTransport


def test_jobs_are_appended_to_a_plain_file(tmp_path):
    path = tmp_path / "receipts.bin"
    printer = ReceiptPrinter(FileTransport(str(path), timeout=0.3), status_timeout=0.1)
    for text in ("第一张 first", "第二张 second"):
        report = printer.print_bytes(ReceiptDocument(PrinterProfile(width=32)).line(text).cut().to_bytes())
        assert not report.confirmed  # a file never answers
    assert decode_escpos(path.read_bytes()).pages() == [["第一张 first"], ["第二张 second"]]


def test_a_missing_device_is_offline_and_never_created(tmp_path):
    with pytest.raises(DeviceOffline):
        FileTransport("/dev/usb/lp9-not-here", timeout=0.2).open()
    with pytest.raises(DeviceOffline):
        FileTransport(str(tmp_path / "no" / "dir" / "file"), timeout=0.2).open()


def test_character_device_printer_with_status(tmp_path):
    with PtyPrinter() as sim:
        printer = ReceiptPrinter(FileTransport(sim.path, timeout=0.5))
        assert printer.print_bytes(ReceiptDocument().line("lp0").to_bytes()).confirmed
        assert decode_escpos(sim.model.received).lines == ["lp0"]
        sim.model.set_state(cover_open=True)
        assert printer.status().cover_open is True


def test_a_stalled_device_times_out_instead_of_blocking():
    with PtyDevice() as sim:
        sim.reading = False  # the "printer" stops taking bytes: the terminal buffer fills up
        transport = FileTransport(sim.path, timeout=0.3)
        with transport:
            started = time.monotonic()
            with pytest.raises(DeviceTimeout):
                transport.write(bytes(4 * 1024 * 1024))
            assert time.monotonic() - started < 0.3 + 0.3


def collect(scanner_factory):
    found, cond = [], threading.Condition()

    def on_scan(code, symbology):
        with cond:
            found.append((code, symbology))
            cond.notify_all()

    return scanner_factory(on_scan), found, cond


def test_hid_pos_scanner_read_from_a_hidraw_style_device():
    with PtyDevice() as sim:
        scanner, found, cond = collect(lambda on_scan: HidScanner(
            FileTransport(sim.path, timeout=0.3), HidPosDecoder(), on_scan=on_scan, poll=0.05))
        with scanner:
            sim.send(build_hid_pos_report("6901234567892", "]E0"))
            sim.send(build_hid_pos_report("S01-T02-000123", "]C0"))
            with cond:
                assert cond.wait_for(lambda: len(found) == 2, 3)
        assert found == [("6901234567892", "]E0"), ("S01-T02-000123", "]C0")]


def test_keyboard_mode_scanner_read_from_a_hidraw_style_device():
    with PtyDevice() as sim:
        scanner, found, cond = collect(lambda on_scan: HidScanner(
            FileTransport(sim.path, timeout=0.3), HidKeyboardDecoder(), on_scan=on_scan, poll=0.05,
            report_size=8))
        with scanner:
            sim.send(b"".join(build_key_reports("4006381333931")))
            with cond:
                assert cond.wait_for(lambda: found, 3)
        assert found == [("4006381333931", None)]
