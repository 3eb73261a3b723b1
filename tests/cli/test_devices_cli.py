"""The [drivers] commands end to end: ``pos`` runs as a real subprocess against a data folder whose config.toml
points at simulators running in this test process (a TCP printer, pseudo-terminal scanners). Receipts are
checked by decoding the bytes the simulator received, the way a person reads the paper."""

from __future__ import annotations

import json
import os
import select
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from drivers.sim.escpos_decoder import decode_escpos
from drivers.sim.pty_scanner import PtyScanner
from drivers.sim.tcp_printer import TcpPrinterSimulator
from pos_desktop import config
from tests.conftest import CHIPS, COLA

BAD_CHECK_DIGIT = "6901234567893"  # COLA with its check digit off by one
POS = [sys.executable, "-m", "pos_desktop"]


def env() -> dict[str, str]:
    out = {k: v for k, v in os.environ.items() if k not in ("POS_DATA_DIR", "POS_USER", "POS_PIN")}
    out.update(POS_LANG="en", PYTHONDONTWRITEBYTECODE="1")
    return out


def pos(folder: Path, *args: object, expect: int | None = 0) -> subprocess.CompletedProcess[str]:
    proc = subprocess.run(POS + ["--data-dir", str(folder)] + [str(a) for a in args], capture_output=True,
                          text=True, env=env(), timeout=90, check=False)
    if expect is not None:
        assert proc.returncode == expect, f"exit {proc.returncode}\n{proc.stdout}\n{proc.stderr}"
    return proc


def pos_json(folder: Path, *args: object, expect: int = 0) -> Any:
    proc = pos(folder, *args, "--json", expect=expect)
    doc = json.loads(proc.stdout)
    if expect:
        assert {"error", "message"} <= doc.keys() and doc["message"] in proc.stderr
    return doc


def configure(folder: Path, **sections: dict[str, Any]) -> None:
    doc = config.defaults()
    for name, values in sections.items():
        doc[name].update(values)
    config.save(folder / "config.toml", doc)


def network(sim: TcpPrinterSimulator) -> dict[str, Any]:
    return {"kind": "network", "host": "127.0.0.1", "port": sim.port, "timeout": 1, "encoding": "gbk", "width": 32}


def sale(folder: Path, *lines: dict[str, Any], pay: str = "50.00", method: str = "cash") -> Path:
    path = folder.parent / "sale.json"
    path.write_text(json.dumps({"user": "amy", "pin": "1111", "lines": list(lines),
                                "payments": [{"method": method, "amount": pay}]}), encoding="utf-8")
    return path


def query(folder: Path, sql: str, *params: object) -> list[tuple[Any, ...]]:
    con = sqlite3.connect(folder / "pos.db")
    try:
        return con.execute(sql, params).fetchall()
    finally:
        con.close()


def journal(folder: Path, kind: str) -> list[dict[str, Any]]:
    return [json.loads(e) for (e,) in query(folder, "SELECT entry FROM journal WHERE kind = ?", kind)]


def spooled(folder: Path) -> list[str]:
    """The job files of the reprint queue."""
    return sorted(p.name for p in (folder / "spool").glob("*.job"))


@pytest.fixture
def sim():
    with TcpPrinterSimulator() as printer:
        yield printer


# -------------------------------------------------------------------------------- sell first, print second
def test_a_sale_whose_printer_is_off_completes_and_a_reprint_prints_it_once(till_dir, sim):
    configure(till_dir, printer=network(sim))
    sim.go_offline()
    proc = pos(till_dir, "sale", "--file", sale(till_dir, {"barcode": COLA, "qty": "2"}), "--print", "--json")
    doc = json.loads(proc.stdout)
    no = doc["receipt_no"]
    assert doc["printed"] is False and "off or not connected" in doc["print_error"]
    assert doc["print_error_code"] == "device_offline"
    assert doc["drawer_opened"] is False and doc["drawer_error"]  # no printer, no drawer port either
    assert f"pos receipt print {no}" in proc.stderr and "warning" in proc.stderr
    assert query(till_dir, "SELECT receipt_no FROM sales") == [(no,)]  # the sale stands
    [job] = pos_json(till_dir, "receipt", "queue")
    assert job["receipt_no"] == no and job["error"] == doc["print_error"] and job["bytes"] > 0

    sim.go_online()
    printed = pos_json(till_dir, "receipt", "print", no)
    assert printed == {"receipt_no": no, "printed": True, "copy": True, "bytes": printed["bytes"],
                       "cleared_jobs": [job["job_id"]]}
    pages = decode_escpos(sim.received, "gbk").pages()
    assert len(pages) == 1  # exactly one receipt came out
    [page] = pages
    assert "*** COPY / 重印 ***" in page and page[0] == "测试店 Test Store"
    assert any(line.startswith("可口可乐 Coca-Cola 330ml") for line in page)
    assert [b.data for b in decode_escpos(sim.received, "gbk").barcodes] == [no]
    assert spooled(till_dir) == []


def test_out_of_paper_is_reported_and_the_drawer_still_opens(till_dir, sim):
    configure(till_dir, printer=network(sim))
    sim.set_state(paper_end=True)
    doc = pos_json(till_dir, "sale", "--file", sale(till_dir, {"barcode": CHIPS}), "--print")
    assert doc["printed"] is False and doc["print_error_code"] == "paper_out"
    assert doc["print_error"] == "The printer is out of paper: put in a new roll"
    assert doc["drawer_opened"] is True  # the cashier must give change: real-time pulse, nothing buffered
    assert sim.wait_for(lambda data: b"\x10\x14\x01" in data) and not decode_escpos(sim.received, "gbk").lines
    failed = pos_json(till_dir, "receipt", "print", doc["receipt_no"], expect=6)
    assert failed["error"] == "paper_out" and failed["device"] == "printer"
    listed = {d["name"]: d for d in pos_json(till_dir, "devices", "list")}
    assert listed["printer"]["ok"] is False and listed["printer"]["error"] == "paper_out"
    assert listed["printer"]["status"]["paper_end"] is True and listed["printer"]["summary"] == "Out of paper"
    assert len(spooled(till_dir)) == 1


def test_a_printed_cash_sale_and_return_in_gbk(till_dir, sim):
    configure(till_dir, printer=network(sim))
    doc = pos_json(till_dir, "sale", "--file", sale(till_dir, {"barcode": COLA, "qty": "2"}, {"barcode": CHIPS}),
                   "--print")
    assert doc["printed"] is True and doc["drawer_opened"] is True and "print_error" not in doc
    back = till_dir.parent / "return.json"
    back.write_text(json.dumps({"user": "amy", "pin": "1111", "original_receipt": doc["receipt_no"],
                                "lines": [{"line_no": 2, "qty": "1"}]}), encoding="utf-8")
    ret = pos_json(till_dir, "return", "--file", back, "--print")
    assert ret["printed"] is True and ret["drawer_opened"] is True  # a cash refund comes out of the drawer
    paper = decode_escpos(sim.received, "gbk")
    sold, returned = paper.pages()
    assert sold[0] == "测试店 Test Store" and any(line.startswith("乐事薯片 Lay's chips 75g") for line in sold)
    assert any(line.startswith("TOTAL") and line.endswith(doc["total"]) for line in sold)
    assert "*** RETURN / 退货 ***" in returned and any(line.startswith("乐事薯片") for line in returned)
    assert [b.data for b in paper.barcodes] == [doc["receipt_no"], ret["receipt_no"]]
    assert [(p.pin, p.on_ms, p.off_ms) for p in paper.drawer_pulses] == [(2, 50, 500), (2, 50, 500)]
    assert spooled(till_dir) == []


# ------------------------------------------------------------------------------------------- the drawer
def test_a_no_sale_is_refused_to_a_cashier_and_journaled_for_a_supervisor(till_dir, sim):
    configure(till_dir, printer=network(sim))
    refused = pos_json(till_dir, "drawer", "open", "--reason", "change for the bank", "--user", "amy",
                       "--pin", "1111", expect=4)
    assert refused["error"] == "permission_denied"
    assert b"\x1bp" not in sim.received and journal(till_dir, "no_sale") == []
    done = pos_json(till_dir, "drawer", "open", "--reason", "change for the bank", "--user", "sam", "--pin", "3333")
    assert done["drawer_opened"] is True and done["user"] == "sam"
    assert sim.wait_for(lambda data: b"\x1bp\x00" in data)
    [entry] = journal(till_dir, "no_sale")
    assert entry["user"] == "sam" and entry["payload"]["reason"] == "change for the bank"
    assert entry["doc_id"] == done["no_sale_id"]
    approved = pos_json(till_dir, "drawer", "open", "--reason", "coin jam", "--user", "amy", "--pin", "1111",
                        "--approver", "mia", "--approver-pin", "9999")
    assert approved["approver"] == "mia"
    [(entries,)] = query(till_dir, "SELECT count(*) FROM journal")
    assert pos_json(till_dir, "journal", "verify") == {"ok": True, "entries": entries}


# ------------------------------------------------------------------------------------------ devices test
def test_devices_list_and_the_printer_test_page(till_dir, sim):
    configure(till_dir, printer=network(sim))
    listed = pos_json(till_dir, "devices", "list")
    assert [d["name"] for d in listed] == ["printer", "drawer", "scanner", "display", "scale"]
    printer = listed[0]
    assert printer["kind"] == "network" and printer["where"] == f"tcp://127.0.0.1:{sim.port}"
    assert printer["ok"] is True and printer["summary"] == "Ready" and printer["status"]["reachable"] is True
    assert all(v is None or isinstance(v, bool) for v in printer["status"].values())
    assert listed[3] == {"name": "display", "kind": "none", "where": None, "configured": False, "ok": None,
                         "status": {}, "summary": "Not set up", "error": None}
    page = pos_json(till_dir, "devices", "test", "printer")
    assert page["ok"] is True and page["confirmed"] is True
    paper = decode_escpos(sim.received, "gbk")
    assert paper.lines[0] == "打印测试" and "中文测试：收银台 找零 谢谢惠顾" in paper.lines
    sim.go_offline()
    failed = pos_json(till_dir, "devices", "test", "printer", expect=6)
    assert failed["error"] == "device_offline"


def test_the_scanner_test_prints_each_read_as_a_json_line(till_dir):
    with PtyScanner(suffix="CR") as scanner:
        configure(till_dir, scanner={"kind": "serial", "device": scanner.path, "timeout": 1})
        proc = subprocess.Popen(POS + ["--data-dir", str(till_dir), "devices", "test", "scanner", "--seconds", "2"],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env())
        try:
            ready, _, _ = select.select([proc.stderr], [], [], 60)
            assert ready, "the scanner test never said it was listening"
            assert "listening to the scanner" in proc.stderr.readline()
            scanner.scan(COLA)
            scanner.scan(BAD_CHECK_DIGIT)
            out, err = proc.communicate(timeout=60)
        finally:
            proc.kill()
    assert proc.returncode == 0, err
    reads = [json.loads(line) for line in out.splitlines()]
    assert reads == [
        {"code": COLA, "valid": True, "error": None, "symbology": None},
        {"code": BAD_CHECK_DIGIT, "valid": False,
         "error": "Barcode 6901234567893 has a wrong check digit (expected 2)", "symbology": None},
    ]


def test_the_demo_prints_on_the_simulated_printer(tmp_path):
    folder = tmp_path / "demo"
    pos(folder, "demo", "--products", "30", "--days", "0")
    assert config.load(folder / "config.toml")["printer"]["kind"] == "sim"
    assert config.load(folder / "config.toml")["drawer"]["kind"] == "printer"
    pos_json(folder, "devices", "test", "printer")
    text = (folder / "sim" / "printer.txt").read_text(encoding="utf-8")
    assert "打印测试" in text and "[partial cut]" in text
    (folder / "sim" / "printer.state").write_text("cover_open\n", encoding="utf-8")
    listed = {d["name"]: d for d in pos_json(folder, "devices", "list")}
    assert listed["printer"]["error"] == "cover_open" and listed["printer"]["summary"] == "Cover open"
