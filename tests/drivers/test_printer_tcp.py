"""A network printer over a real TCP socket: receipts, status, and every fault the till must survive."""

from __future__ import annotations

import socket
import time

import pytest

from drivers.errors import ConnectionLost, CoverOpen, DeviceError, DeviceOffline, DeviceTimeout, PaperOut
from drivers.printer import ReceiptPrinter
from drivers.printing import PrinterProfile, ReceiptDocument
from drivers.sim.escpos_decoder import decode_escpos
from drivers.transports import TcpTransport

TIMEOUT = 0.5


def printer_for(sim, **options) -> ReceiptPrinter:
    return ReceiptPrinter(TcpTransport(sim.host, sim.port, timeout=TIMEOUT), **options)


def receipt(encoding: str = "gb18030", lines: int = 5) -> bytes:
    doc = ReceiptDocument(PrinterProfile(encoding=encoding, width=32))
    doc.line("欢迎光临 Welcome")
    for i in range(lines):
        doc.pair(f"商品{i} item {i}", f"{i}.50")
    doc.cut()
    return doc.to_bytes()


@pytest.mark.parametrize("encoding", ["gb18030", "gbk"])
def test_a_receipt_arrives_whole_and_reads_back(printer_sim, encoding):
    report = printer_for(printer_sim).print_bytes(receipt(encoding))
    assert report.confirmed and report.status.ready
    assert printer_sim.wait_for(lambda data: b"\x1dV" in data)
    printed = decode_escpos(printer_sim.received, encoding)
    assert printed.lines[0] == "欢迎光临 Welcome"
    assert printed.lines[-1].startswith("商品4 item 4") and printed.lines[-1].endswith("4.50")
    assert len(printed.cuts) == 1
    assert printed.status_queries == [1, 2, 3, 4, 1, 2, 3, 4]  # checked before, confirmed after


def test_the_job_goes_in_one_connection_and_is_never_resent(printer_sim):
    printer = printer_for(printer_sim)
    printer.print_bytes(receipt())
    printer.print_bytes(receipt())
    assert printer_sim.wait_for(lambda data: data.count(b"\x1dV") == 2)
    assert printer_sim.connections == 2


@pytest.mark.parametrize("state, expected", [
    ({}, dict(online=True, paper_end=False, cover_open=False, paper_near_end=False, drawer_open=False, error=False)),
    ({"paper_end": True}, dict(online=False, paper_end=True)),
    ({"paper_near_end": True}, dict(online=True, paper_near_end=True, paper_end=False)),
    ({"cover_open": True}, dict(online=False, cover_open=True)),
    ({"drawer_open": True}, dict(drawer_open=True)),
    ({"error": True}, dict(error=True)),
])
def test_status_reports_the_printer_state(printer_sim, state, expected):
    printer_sim.set_state(**state)
    status = printer_for(printer_sim).status()
    for field, value in expected.items():
        assert getattr(status, field) is value, field


def test_out_of_paper_stops_the_job_before_any_byte_is_sent(printer_sim):
    printer_sim.set_state(paper_end=True)
    with pytest.raises(PaperOut):
        printer_for(printer_sim).print_bytes(receipt())
    assert decode_escpos(printer_sim.received).lines == []  # only status queries reached the printer
    printer_sim.set_state(cover_open=True, paper_end=False)
    with pytest.raises(CoverOpen):
        printer_for(printer_sim).print_bytes(receipt())


def test_no_status_reply_is_unknown_within_the_timeout(printer_sim):
    printer_sim.answer_status = False
    started = time.monotonic()
    status = printer_for(printer_sim, status_timeout=0.3).status()
    elapsed = time.monotonic() - started
    assert status.to_dict() == dict(online=None, cover_open=None, paper_near_end=None, paper_end=None,
                                    drawer_open=None, error=None)
    assert not status.ready
    assert elapsed < 0.3 + 0.25


def test_a_silent_printer_still_gets_the_job_unconfirmed(printer_sim):
    printer_sim.answer_status = False
    report = printer_for(printer_sim, status_timeout=0.1).print_bytes(receipt())
    assert not report.confirmed and not report.status.known
    assert printer_sim.wait_for(lambda data: b"\x1dV" in data)


def test_offline_printer_is_reported_quickly(printer_sim):
    printer_sim.go_offline("refuse")
    printer = printer_for(printer_sim)
    started = time.monotonic()
    with pytest.raises(DeviceOffline):
        printer.print_bytes(receipt())
    assert time.monotonic() - started < TIMEOUT
    printer_sim.go_online()
    assert printer.print_bytes(receipt()).confirmed  # back online: the same printer object works again


def test_printer_that_accepts_then_drops_every_connection(printer_sim):
    printer_sim.go_offline("drop")
    started = time.monotonic()
    with pytest.raises((DeviceOffline, ConnectionLost)):
        printer_for(printer_sim).print_bytes(receipt())
    assert time.monotonic() - started < TIMEOUT + 0.5


@pytest.mark.parametrize("size", [5, 400])  # a job that fits the socket buffers, and one that does not
def test_connection_dropped_in_the_middle_of_a_job(printer_sim, size):
    printer_sim.drop_after(200)
    job = receipt(lines=size)
    with pytest.raises(ConnectionLost):
        printer_for(printer_sim).print_bytes(job)
    assert printer_sim.wait_for(lambda data: len(data) >= 200)
    assert len(printer_sim.received) == 200  # the printer got part of it: the caller decides about a reprint
    assert printer_sim.connections == 1


def test_status_and_print_without_checks(printer_sim):
    printer = printer_for(printer_sim, check_before_print=False, confirm_after_print=False)
    report = printer.print_bytes(b"plain\n")
    assert report == type(report)(bytes_sent=6, confirmed=False, status=report.status)
    assert printer_sim.wait_for(lambda data: data == b"plain\n")


def test_an_open_transport_stays_open_between_jobs(printer_sim):
    transport = TcpTransport(printer_sim.host, printer_sim.port, timeout=TIMEOUT)
    with transport:
        printer = ReceiptPrinter(transport)
        printer.print_bytes(receipt())
        printer.status()
        assert transport.is_open
    assert printer_sim.connections == 1


def test_a_printer_that_never_reads_times_out_instead_of_hanging():
    # a listening socket nobody accepts from: the kernel completes the handshake, then the buffers fill up
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen(1)
        transport = TcpTransport("127.0.0.1", server.getsockname()[1], timeout=0.3)
        printer = ReceiptPrinter(transport, check_before_print=False, confirm_after_print=False)
        started = time.monotonic()
        with pytest.raises(DeviceTimeout):
            printer.print_bytes(bytes(64 * 1024 * 1024))
        assert time.monotonic() - started < 0.3 + 0.5


def test_unknown_host_is_offline_within_the_timeout():
    started = time.monotonic()
    with pytest.raises(DeviceOffline):
        TcpTransport("printer.invalid", 9100, timeout=0.3).open()
    assert time.monotonic() - started < 0.3 + 0.2


def test_localhost_by_name_works(printer_sim):
    printer = ReceiptPrinter(TcpTransport("localhost", printer_sim.port, timeout=TIMEOUT))
    try:
        assert printer.status().online is True
    except DeviceError:
        pytest.fail("localhost should resolve to the simulator")
