"""The X/Z report on receipt paper, read back from the ESC/POS bytes; printed through a real device manager."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from drivers.printing import PrinterProfile, display_width
from drivers.sim.escpos_decoder import decode_escpos
from pos_desktop.core.errors import DeviceError
from pos_desktop.devices import DeviceManager, ReceiptStyle
from pos_desktop.devices.report_layout import day_report, print_day_report
from pos_desktop.services import returns, zreport
from tests.devices.receipts import write_config

from .helpers import sell


@pytest.fixture
def report(ctx, cashier, supervisor, manager):
    a = sell(ctx, cashier, ("COLA", 2), tendered="10.00")
    sell(ctx, cashier, ("MILK", 1), pay="qr")
    voided = sell(ctx, cashier, ("SOAP", 1))
    returns.void_sale(ctx, supervisor, receipt_no=voided.receipt_no, reason="mistake")
    returns.return_items(ctx, cashier, receipt_no=a.receipt_no, lines=[returns.ReturnRequest(1, D(1))])
    return zreport.close_day(ctx, manager).report


@pytest.mark.parametrize("width", [32, 48])
@pytest.mark.parametrize("encoding", ["gb18030", "gbk"])
def test_the_z_report_reads_back(report, width, encoding):
    paper = decode_escpos(day_report(report, ReceiptStyle(PrinterProfile(encoding=encoding, width=width))), encoding)
    text = paper.text
    assert paper.lines[0].startswith("测试店") and "日结报表" in text
    assert all(display_width(line, ambiguous=2) <= width for line in paper.lines)
    for label, value in (("Z number", "0001"), ("Sales", "2"), ("NET SALES", "6.30"), ("Voids (1)", "4.50"),
                         ("Returns (1)", "-3.50"), ("Grand total", "6.30")):
        line = next(ln for ln in paper.lines if ln.startswith(label))
        assert line.rstrip().endswith(value), line
    assert "QR pay" in text and "饮料 Drinks" in text and report["last_receipt"] in text


def test_printed_on_the_configured_printer(report, tmp_path):
    out = tmp_path / "printer.bin"
    write_config(tmp_path, printer={"kind": "file", "device": str(out)})
    with DeviceManager.from_data_dir(tmp_path) as devices:
        sent = print_day_report(devices, report, devices.receipt_style())
    assert sent > 0 and out.stat().st_size >= sent
    assert "NET SALES" in decode_escpos(out.read_bytes()).text


def test_no_printer_is_a_device_error(report, tmp_path):
    write_config(tmp_path, printer={"kind": "none"})
    with DeviceManager.from_data_dir(tmp_path) as devices, pytest.raises(DeviceError):
        print_day_report(devices, report, devices.receipt_style())
