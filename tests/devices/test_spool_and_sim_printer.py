"""The reprint queue on disk, and the demo printer that lives in files of the data folder."""

from __future__ import annotations

import json
import os
import stat

import pytest

from drivers.printer import ReceiptPrinter
from drivers.printing import PrinterProfile
from drivers.sim.escpos_decoder import decode_escpos
from pos_desktop.core.errors import DeviceError
from pos_desktop.devices import DeviceManager, ReceiptSpool, ReceiptStyle, SimPrinterTransport, sale_receipt
from pos_desktop.devices.sim_printer import read_state
from tests.devices.receipts import sample_receipt, write_config


# ------------------------------------------------------------------------------------------------- spool
def test_jobs_are_on_disk_in_order_until_done(tmp_path):
    spool = ReceiptSpool(tmp_path / "spool")
    assert spool.pending() == []
    first = spool.add("S01-T01-000001", "sale", b"\x1b@one\n")
    second = spool.add("S01-T01-000002", "return", b"\x1b@two\n", source={"return": {"receipt_no": "x"}})
    assert [j.receipt_no for j in spool.pending()] == ["S01-T01-000001", "S01-T01-000002"]
    assert spool.pending()[0].data == b"\x1b@one\n"
    assert spool.pending()[1].source == {"return": {"receipt_no": "x"}}
    if os.name == "posix":
        assert stat.S_IMODE((tmp_path / "spool").stat().st_mode) == 0o700  # receipts name members
        assert stat.S_IMODE(first.path.stat().st_mode) == 0o600
    failed = spool.failed(first, "The printer is out of paper", "paper_out")
    assert failed.path == first.path
    assert spool.for_receipt("s01-t01-000001")[0].error == "The printer is out of paper"
    assert spool.pending()[0].to_json()["error_code"] == "paper_out"
    spool.done(first)
    spool.done(first)  # twice is harmless
    assert [j.job_id for j in spool.pending()] == [second.job_id]
    assert not list((tmp_path / "spool").glob("*.tmp"))


def test_an_unreadable_job_is_left_alone(tmp_path):
    spool = ReceiptSpool(tmp_path)
    good = spool.add("S01-T01-000003", "sale", b"x")
    (tmp_path / "00000000000000000000-broken.job").write_text("{not json", encoding="utf-8")
    assert [j.job_id for j in spool.pending()] == [good.job_id]
    assert (tmp_path / "00000000000000000000-broken.job").exists()
    assert json.loads(good.path.read_text(encoding="utf-8"))["receipt_no"] == "S01-T01-000003"


# --------------------------------------------------------------------------------------------- sim printer
def test_the_sim_printer_writes_bytes_and_text_and_answers_status(tmp_path):
    printer = ReceiptPrinter(SimPrinterTransport(tmp_path / "sim", encoding="gbk"))
    assert printer.status().ready
    assert not (tmp_path / "sim" / "printer.bin").exists()  # a status query prints nothing
    job = sale_receipt(sample_receipt(2), ReceiptStyle(PrinterProfile(encoding="gbk", width=32)))
    report = printer.print_bytes(job)
    assert report.confirmed
    raw = (tmp_path / "sim" / "printer.bin").read_bytes()
    assert job in raw
    assert decode_escpos(raw, "gbk").line_with("可口可乐")
    text = (tmp_path / "sim" / "printer.txt").read_text(encoding="utf-8")
    assert "好又多超市 Haoyouduo" in text and "[barcode CODE128: S01-T01-000123]" in text and "[partial cut]" in text
    printer.kick_drawer()
    assert "[drawer kick: pin 2, 50/500 ms]" in (tmp_path / "sim" / "printer.txt").read_text(encoding="utf-8")


@pytest.mark.parametrize("state, code", [("offline", "device_offline"), ("paper_end", "paper_out"),
                                         ("cover_open", "cover_open"), ("error", "printer_error")])
def test_the_sim_printer_state_file_makes_faults(tmp_path, state, code):
    write_config(tmp_path, printer={"kind": "sim"})
    (tmp_path / "sim").mkdir()
    (tmp_path / "sim" / "printer.state").write_text(state + "\n", encoding="utf-8")
    with DeviceManager.from_data_dir(tmp_path) as devices:
        with pytest.raises(DeviceError) as caught:
            devices.print_bytes(b"\x1b@hello\n")
        assert caught.value.code == code and caught.value.exit_code == 6
        listed = devices.status("printer")
        assert listed.ok is False and listed.error == code
    assert not (tmp_path / "sim" / "printer.bin").exists()


def test_a_silent_sim_printer_prints_with_an_unknown_status(tmp_path):
    (tmp_path / "sim").mkdir()
    (tmp_path / "sim" / "printer.state").write_text("silent paper_near_end", encoding="utf-8")
    assert read_state(tmp_path / "sim" / "printer.state") == ({"silent", "paper_near_end"}, [])
    assert read_state(tmp_path / "nothing") == ({"online"}, [])
    printer = ReceiptPrinter(SimPrinterTransport(tmp_path / "sim"))
    assert not printer.status().known  # unknown, never "paper OK"
    assert not printer.print_bytes(b"\x1b@hello\n").confirmed
    assert "hello" in (tmp_path / "sim" / "printer.txt").read_text(encoding="utf-8")
