"""USB printers and HID scanners through pyusb itself, over a fake backend (the only fake in these tests)."""

from __future__ import annotations

import threading

import pytest

from drivers.errors import ConnectionLost, DeviceOffline
from drivers.printer import ReceiptPrinter
from drivers.printing import PrinterProfile, ReceiptDocument
from drivers.scanners import HidKeyboardDecoder, HidPosDecoder, HidScanner
from drivers.scanners.hid_keyboard import build_key_reports
from drivers.scanners.hid_pos import build_hid_pos_report
from drivers.sim.escpos_decoder import decode_escpos
from drivers.sim.printer_model import PrinterModel
from drivers.sim.usb_backend import BULK, HID_CLASS, INTERRUPT, FakeUsbBackend, FakeUsbDevice
from drivers.transports.usb import UsbTransport


def usb_printer(vid=0x0416, pid=0x5011, **device_options):
    model = PrinterModel()
    device = FakeUsbDevice(vid, pid, on_write=model.feed, **device_options)
    transport = UsbTransport(vid, pid, backend=FakeUsbBackend(device), timeout=0.3)
    return model, device, transport


@pytest.mark.parametrize("vid, pid", [(0x04B8, 0x0202), (0x0416, 0x5011), (0x0483, 0x5720)])
def test_usb_printer_prints_and_answers_status(vid, pid):
    model, device, transport = usb_printer(vid, pid)
    printer = ReceiptPrinter(transport)
    doc = ReceiptDocument(PrinterProfile(encoding="gb18030", width=32)).line("谢谢惠顾 Thank you").cut()
    report = printer.print_bytes(doc.to_bytes())
    assert report.confirmed and report.status.ready
    assert decode_escpos(bytes(device.written)).lines == ["谢谢惠顾 Thank you"]
    assert device.detach_count == 1  # usblp was detached for the job…
    assert device.kernel_driver_active  # …and given back afterwards
    model.set_state(paper_end=True)
    assert printer.status().paper_end is True


def test_endpoints_are_found_by_direction_and_type_not_by_number():
    _, device, transport = usb_printer(endpoints=[(0x81, INTERRUPT), (0x83, BULK), (0x02, BULK)])
    with transport:
        transport.write(b"abc")
        assert transport.can_read
    assert bytes(device.written) == b"abc"


def test_a_printer_without_an_in_endpoint_has_unknown_status_at_once():
    _, device, transport = usb_printer(endpoints=[(0x01, BULK)])
    printer = ReceiptPrinter(transport)
    report = printer.print_bytes(b"job\n")
    assert not report.confirmed and printer.status().known is False
    assert b"job\n" in bytes(device.written)


def test_absent_device_and_denied_permission_are_offline():
    with pytest.raises(DeviceOffline, match="not found"):
        UsbTransport(0x0416, 0x5011, backend=FakeUsbBackend(), timeout=0.3).open()
    _, _, transport = usb_printer(permission_denied=True)
    with pytest.raises(DeviceOffline, match="udev"):
        transport.open()


def test_unplugged_in_the_middle_is_connection_lost():
    _, device, transport = usb_printer()
    with transport:
        transport.write(b"first")
        device.unplug()
        with pytest.raises(ConnectionLost):
            transport.write(b"second")
    with pytest.raises(DeviceOffline):
        transport.open()


def test_a_pyusb_device_object_can_be_injected_directly():
    import usb.core

    model = PrinterModel()
    fake = FakeUsbDevice(0x0416, 0x5011, on_write=model.feed)
    [device] = list(usb.core.find(find_all=True, backend=FakeUsbBackend(fake)))
    printer = ReceiptPrinter(UsbTransport(0x0416, 0x5011, device=device, timeout=0.3))
    assert printer.status().online is True


# ------------------------------------------------------------------------------------- HID scanners
def hid_scanner(decoder, reports_device: FakeUsbDevice):
    found: list[tuple[str, str | None]] = []
    done = threading.Condition()

    def on_scan(code: str, symbology: str | None) -> None:
        with done:
            found.append((code, symbology))
            done.notify_all()

    transport = UsbTransport(reports_device.vendor_id, reports_device.product_id, transfer="interrupt",
                             backend=FakeUsbBackend(reports_device), timeout=0.3)
    return HidScanner(transport, decoder, on_scan=on_scan, poll=0.05), found, done


def test_hid_pos_scanner_over_interrupt_endpoint():
    device = FakeUsbDevice(0x0C2E, 0x0B87, endpoints=[(0x83, INTERRUPT)], interface_class=HID_CLASS)
    scanner, found, done = hid_scanner(HidPosDecoder(), device)
    with scanner:
        device.push(build_hid_pos_report("6901234567892", "]E0"), split=False)
        device.push(build_hid_pos_report("https://example.cn/q/1", "]Q1"), split=False)
        with done:
            assert done.wait_for(lambda: len(found) == 2, 3)
    assert found == [("6901234567892", "]E0"), ("https://example.cn/q/1", "]Q1")]
    assert device.detach_count == 1  # usbhid let go of the scanner while we read it


def test_keyboard_mode_scanner_over_interrupt_endpoint():
    device = FakeUsbDevice(0x05E0, 0x1200, endpoints=[(0x81, INTERRUPT)], interface_class=HID_CLASS)
    scanner, found, done = hid_scanner(HidKeyboardDecoder(), device)
    with scanner:
        for report in build_key_reports("Ab-0012"):
            device.push(report, split=False)
        with done:
            assert done.wait_for(lambda: found, 3)
    assert found == [("Ab-0012", None)]
