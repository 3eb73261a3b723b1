"""Sell first, print second: the spool, faults, the reprint that prints once, and the drawer for cash."""

from __future__ import annotations

import pytest

from drivers.sim.escpos_decoder import decode_escpos
from drivers.sim.tcp_printer import TcpPrinterSimulator
from pos_desktop.core.errors import DeviceError, NotFound
from pos_desktop.devices import DeviceManager, ReceiptPrinting, ReceiptSpool, spool_dir
from tests.devices.receipts import RETURN_JSON, sample_receipt, write_config


@pytest.fixture
def sim():
    with TcpPrinterSimulator() as printer:
        yield printer


def printing(tmp_path, sim, **sections) -> ReceiptPrinting:
    write_config(tmp_path, printer={"kind": "network", "host": "127.0.0.1", "port": sim.port, "timeout": 1,
                                    "encoding": "gbk", "width": 32}, **sections)
    devices = DeviceManager.from_data_dir(tmp_path)
    return ReceiptPrinting(devices, ReceiptSpool(spool_dir(tmp_path)), devices.receipt_style(footer="谢谢"))


def receipts_in(data: bytes) -> list[list[str]]:
    """The pieces of paper that came out (one per cut)."""
    return decode_escpos(data, "gbk").pages()


def test_a_printed_sale_leaves_nothing_in_the_queue_and_kicks_the_drawer_after_it(tmp_path, sim):
    p = printing(tmp_path, sim)
    outcome = p.print_sale(sample_receipt(3), open_drawer=True)
    assert outcome.printed and outcome.error is None and outcome.drawer_opened is True
    assert outcome.to_json() == {"printed": True, "drawer_opened": True}
    assert p.spool.pending() == []
    assert sim.wait_for(lambda data: b"\x1bp\x00" in data)
    paper = decode_escpos(sim.received, "gbk")
    assert paper.lines[0] == "好又多超市 Haoyouduo" and paper.line_with("谢谢")
    kinds = [type(item).__name__ for item in paper.items if type(item).__name__ in ("Cut", "DrawerPulse")]
    assert kinds == ["Cut", "DrawerPulse"]  # the receipt is out before the drawer opens


def test_the_job_is_on_disk_before_a_byte_is_sent(tmp_path, sim):
    p = printing(tmp_path, sim)
    seen = []
    original = p.devices.print_bytes

    def spy(data: bytes):
        seen.append([job.receipt_no for job in p.spool.pending()])
        return original(data)

    p.devices.print_bytes = spy  # type: ignore[method-assign]
    p.print_sale(sample_receipt(1))
    assert seen == [["S01-T01-000123"]]


def test_a_printer_that_is_off_keeps_the_job_and_a_reprint_prints_it_once(tmp_path, sim):
    p = printing(tmp_path, sim)
    sim.go_offline()
    outcome = p.print_sale(sample_receipt(2), open_drawer=True)
    assert not outcome.printed and outcome.error.code == "device_offline"
    assert outcome.drawer_opened is False and outcome.drawer_error.code == "device_offline"
    doc = outcome.to_json()
    assert doc["print_error"] == outcome.error.message and doc["print_job"] == outcome.job.job_id
    [job] = p.spool.pending()
    assert job.receipt_no == "S01-T01-000123" and job.error == outcome.error.message
    assert "S01-T01-000123" in outcome.warnings()[0] and "reprint queue" in outcome.warnings()[0]
    sim.go_online()
    again = p.reprint(sample_receipt(2))
    assert again.cleared == (job.job_id,) and p.spool.pending() == []
    pages = receipts_in(sim.received)
    assert len(pages) == 1 and "*** COPY / 重印 ***" in pages[0]
    assert decode_escpos(sim.received, "gbk").drawer_pulses == []  # a reprint never opens the drawer


def test_out_of_paper_still_opens_the_drawer_at_once(tmp_path, sim):
    p = printing(tmp_path, sim)
    sim.set_state(paper_end=True)
    outcome = p.print_sale(sample_receipt(1), open_drawer=True)
    assert outcome.error.code == "paper_out" and outcome.drawer_opened is True
    assert sim.wait_for(lambda data: b"\x10\x14\x01\x00" in data)  # real-time pulse, not a buffered ESC p
    assert b"\x1bp" not in sim.received and not receipts_in(sim.received)
    with pytest.raises(DeviceError) as caught:
        p.reprint(sample_receipt(1))
    assert caught.value.code == "paper_out"
    assert len(p.spool.pending()) == 1  # still waiting


def test_a_connection_dropped_mid_job_keeps_the_job(tmp_path, sim):
    p = printing(tmp_path, sim)
    sim.drop_after(200)
    outcome = p.print_sale(sample_receipt(5))
    assert outcome.error.code == "connection_lost" and "may be incomplete" in outcome.error.message
    assert len(p.spool.pending()) == 1


def test_no_printer_set_up_is_a_print_error_not_a_crash(tmp_path):
    write_config(tmp_path)
    devices = DeviceManager.from_data_dir(tmp_path)
    p = ReceiptPrinting(devices, ReceiptSpool(spool_dir(tmp_path)), devices.receipt_style())
    outcome = p.print_sale(sample_receipt(1), open_drawer=True)
    assert outcome.error.code == "device_not_configured" and outcome.drawer_opened is None
    with pytest.raises(DeviceError):
        p.reprint(sample_receipt(1))


def test_a_return_slip_waits_and_is_reprinted_from_the_queue(tmp_path, sim):
    p = printing(tmp_path, sim)
    sim.set_state(cover_open=True)
    outcome = p.print_return(RETURN_JSON, store_name="好又多超市", till_code="T01", cashier="amy",
                             names={"SKU0": "可口可乐"}, open_drawer=True)
    assert outcome.error.code == "cover_open" and outcome.drawer_opened is True
    sim.set_state(cover_open=False)
    with pytest.raises(NotFound):
        p.reprint_queued("S01-T01-000999")
    again = p.reprint_queued("S01-T01-000124")
    assert again.printed and p.spool.pending() == []
    [page] = receipts_in(sim.received)
    assert "*** RETURN / 退货 ***" in page and "*** COPY / 重印 ***" in page
    assert any(line.startswith("可口可乐") for line in page)


def test_a_reprint_clears_every_pending_job_of_that_receipt_only(tmp_path, sim):
    p = printing(tmp_path, sim)
    sim.go_offline()
    p.print_sale(sample_receipt(1))
    p.print_sale(sample_receipt(1))  # the cashier tried twice
    other = p.spool.add("S01-T01-000200", "sale", b"\x1b@other\n")
    sim.go_online()
    outcome = p.reprint(sample_receipt(1))
    assert len(outcome.cleared) == 2
    assert [j.job_id for j in p.spool.pending()] == [other.job_id]
    assert len(receipts_in(sim.received)) == 1
    assert len(decode_escpos(sim.received, "gbk").barcodes) == 1
