"""The device manager on real byte streams: a TCP printer simulator and pseudo-terminal devices."""

from __future__ import annotations

import threading
from decimal import Decimal as D

import pytest

from drivers.sim.escpos_decoder import decode_escpos
from drivers.sim.pty_device import PtyDevice
from drivers.sim.pty_display import PtyPoleDisplay
from drivers.sim.pty_scale import PtyScale
from drivers.sim.pty_scanner import PtyScanner
from drivers.sim.tcp_printer import TcpPrinterSimulator
from pos_desktop.core.errors import DeviceError, InvalidInput
from pos_desktop.core.i18n import _
from pos_desktop.devices import DeviceManager
from pos_desktop.devices.faults import device_error
from tests.conftest import COLA
from tests.devices.receipts import write_config


@pytest.fixture
def printer_sim():
    with TcpPrinterSimulator() as sim:
        yield sim


def network(sim: TcpPrinterSimulator, **extra) -> dict:
    return {"kind": "network", "host": "127.0.0.1", "port": sim.port, "timeout": 1, **extra}


def manager(tmp_path, **sections) -> DeviceManager:
    write_config(tmp_path, **sections)
    return DeviceManager.from_data_dir(tmp_path)


class Reads:
    """on_scan / on_bad_scan from the scanner thread, waited on with a condition (no sleeps)."""

    def __init__(self) -> None:
        self.good: list[tuple[str, str | None]] = []
        self.bad: list[tuple[str, str]] = []
        self.errors: list[DeviceError] = []
        self._cond = threading.Condition()

    def on_scan(self, code, symbology) -> None:
        with self._cond:
            self.good.append((code, symbology))
            self._cond.notify_all()

    def on_bad_scan(self, code, symbology, error) -> None:
        with self._cond:
            self.bad.append((code, error.message))
            self._cond.notify_all()

    def on_error(self, exc) -> None:
        with self._cond:
            self.errors.append(exc)
            self._cond.notify_all()

    def wait(self, predicate, timeout: float = 5.0) -> None:
        with self._cond:
            assert self._cond.wait_for(lambda: predicate(self), timeout), (self.good, self.bad, self.errors)


# ----------------------------------------------------------------------------------------------- status
def test_status_of_every_device_as_data(tmp_path, printer_sim):
    printer_sim.set_state(paper_near_end=True, drawer_open=True)
    with PtyScale() as scale, PtyDevice() as display:
        scale.set("1.234")
        with manager(tmp_path, printer=network(printer_sim), scanner={"kind": "keyboard"},
                     display={"kind": "serial", "device": display.path},
                     scale={"kind": "serial", "device": scale.path, "timeout": 2}) as devices:
            found = {s.name: s.to_json() for s in devices.statuses()}
    assert list(found) == ["printer", "drawer", "scanner", "display", "scale"]
    printer = found["printer"]
    assert printer["where"] == f"tcp://127.0.0.1:{printer_sim.port}"
    assert printer["ok"] is True and printer["summary"] == _("Ready; the paper is running low")
    assert printer["status"] == {"reachable": True, "online": True, "cover_open": False, "paper_near_end": True,
                                 "paper_end": False, "drawer_open": True, "error": False}
    assert found["drawer"]["status"] == {"reachable": True, "drawer_open": True}
    assert found["drawer"]["summary"] == _("Open")
    assert found["scanner"]["ok"] is None and found["scanner"]["kind"] == "keyboard"
    assert found["display"]["ok"] is True and found["display"]["status"] == {"reachable": True}
    assert found["scale"]["status"] == {"reachable": True, "stable": True, "weight": "1.234"}


def test_a_printer_that_is_off_or_out_of_paper_is_said_so(tmp_path, printer_sim):
    with manager(tmp_path, printer=network(printer_sim)) as devices:
        printer_sim.set_state(paper_end=True)
        status = devices.status("printer")
        assert (status.ok, status.error, status.state["paper_end"]) == (False, "paper_out", True)
        assert status.summary == _("Out of paper")
        with pytest.raises(DeviceError) as caught:
            devices.print_bytes(b"\x1b@receipt\n")
        assert caught.value.code == "paper_out" and caught.value.exit_code == 6
        assert caught.value.message == _("The printer is out of paper: put in a new roll")
        assert b"receipt" not in printer_sim.received  # refused before a byte of the job went out
        printer_sim.go_offline()
        status = devices.status("printer")
        assert (status.ok, status.error, status.state["reachable"]) == (False, "device_offline", False)
        drawer = devices.status("drawer")
        assert drawer.ok is False and drawer.state == {"reachable": False, "drawer_open": None}
        with pytest.raises(DeviceError) as caught:
            devices.print_bytes(b"\x1b@receipt\n")
        assert caught.value.code == "device_offline"
        assert "off or not connected" in caught.value.message


def test_a_printer_that_does_not_answer_status_still_prints(tmp_path, printer_sim):
    printer_sim.answer_status = False
    with manager(tmp_path, printer=network(printer_sim, timeout=0.5)) as devices:
        status = devices.status("printer")
        assert status.ok is None and all(status.state[k] is None for k in ("online", "paper_end", "cover_open"))
        report = devices.print_bytes(b"\x1b@receipt\n")
        assert not report.confirmed
        assert printer_sim.wait_for(lambda data: b"receipt" in data)


def test_nothing_set_up(tmp_path):
    with manager(tmp_path, scanner={"kind": "none"}) as devices:
        assert [s.ok for s in devices.statuses()] == [None] * 5
        for call in (lambda: devices.print_bytes(b"x"), devices.open_drawer, lambda: devices.show("a"),
                     devices.read_weight, lambda: devices.start_scanner(lambda c, s: None)):
            with pytest.raises(DeviceError) as caught:
                call()
            assert caught.value.code == "device_not_configured"


def test_every_driver_fault_has_words_for_people():
    from drivers import errors as hw

    faults = [hw.DeviceOffline("x"), hw.DeviceTimeout("x"), hw.ConnectionLost("x"), hw.PaperOut("x"),
              hw.CoverOpen("x"), hw.PrinterFault("x"), hw.CjkFontMissing("x"),
              hw.ScaleNotReady("x", reason="unstable")]
    messages = {device_error("printer", f).message for f in faults}
    assert len(messages) == len(faults) and not any(m.endswith(": x") for m in messages)
    assert device_error("scale", hw.ScaleNotReady("x", reason="overload")).code == "scale_not_ready"


# ----------------------------------------------------------------------------------------------- drawer
def test_drawer_through_the_printer_and_in_real_time_when_it_is_stopped(tmp_path, printer_sim):
    with manager(tmp_path, printer=network(printer_sim), drawer={"pin": 5, "on_ms": 100, "off_ms": 250}) as devices:
        devices.open_drawer()
        assert printer_sim.wait_for(lambda data: b"\x1bp\x01\x32\x7d" in data)
        printer_sim.set_state(paper_end=True)
        devices.open_drawer(printer_stopped=True)  # ESC p would wait in the buffer of a stopped printer
        assert printer_sim.wait_for(lambda data: b"\x10\x14\x01\x01\x01" in data)
    pulses = decode_escpos(printer_sim.received).drawer_pulses
    assert [(p.pin, p.on_ms, p.off_ms) for p in pulses] == [(5, 100, 250), (5, 100, 100)]


def test_a_serial_drawer(tmp_path):
    with PtyDevice() as port:
        with manager(tmp_path, drawer={"kind": "serial", "device": port.path, "timeout": 1}) as devices:
            devices.open_drawer()
            assert port.wait_for(lambda data: data == b"\x1bp\x00\x19\xfa")
            assert devices.status("drawer").ok is True
            assert devices.drawer_is_open() is None
    with manager(tmp_path, drawer={"kind": "serial", "device": "/dev/ttyNOSUCH7", "timeout": 1}) as devices:
        with pytest.raises(DeviceError) as caught:
            devices.open_drawer()
        assert caught.value.code == "device_offline" and "cash drawer" in caught.value.message


# ---------------------------------------------------------------------------------------------- display
def test_a_serial_pole_display_shows_the_change(tmp_path):
    with PtyPoleDisplay() as display:
        with manager(tmp_path, display={"kind": "serial", "device": display.path, "timeout": 1}) as devices:
            devices.show_total("18.06")
            assert display.wait_for_lines("TOTAL", "               18.06")
            devices.show_change("20.00", "1.94")
            assert display.wait_for_lines("PAID           20.00", "CHANGE          1.94")


def test_a_display_behind_the_printer(tmp_path, printer_sim):
    with manager(tmp_path, printer=network(printer_sim), display={"kind": "printer", "protocol": "epson"}) as devices:
        devices.show("Welcome", "欢迎")  # cp437 has no Chinese: replaced, never a crash
        assert printer_sim.wait_for(lambda data: data.startswith(b"\x1b=\x02") and data.endswith(b"\x1b=\x01"))
        assert devices.status("display").ok is True


# ------------------------------------------------------------------------------------------------ scale
def test_a_scale_gives_a_stable_weight_and_refuses_an_unsteady_one(tmp_path):
    with PtyScale(protocol="w-request") as scale:
        scale.set("0.755")
        with manager(tmp_path, scale={"kind": "serial", "device": scale.path, "protocol": "w-request",
                                      "timeout": 2}) as devices:
            assert devices.read_weight() == D("0.755")
            scale.set(stable=False)
            with pytest.raises(DeviceError) as caught:
                devices.read_weight()
            assert caught.value.code == "scale_not_ready" and "steady" in caught.value.message
            scale.set(silent=True)
            with pytest.raises(DeviceError) as caught:
                devices.read_weight()
            assert caught.value.code == "device_timeout"


# ---------------------------------------------------------------------------------------------- scanner
def test_a_serial_scanner_checks_every_code_before_passing_it_on(tmp_path):
    with PtyScanner(suffix="CRLF") as sim:
        with manager(tmp_path, scanner={"kind": "serial", "device": sim.path, "suffix": "CRLF", "aim": True,
                                        "timeout": 1}) as devices:
            reads = Reads()
            session = devices.start_scanner(reads.on_scan, reads.on_bad_scan, on_error=reads.on_error)
            assert devices.status("scanner").state == {"reachable": True, "listening": True}
            sim.scan(COLA, aim="]E0")
            sim.scan("6901234567893", aim="]E0")  # wrong check digit
            sim.scan("ABC-123", aim="]C0")
            reads.wait(lambda r: len(r.good) + len(r.bad) == 3)
            assert reads.good == [(COLA, "]E0"), ("ABC-123", "]C0")]
            assert reads.bad == [("6901234567893", "Barcode 6901234567893 has a wrong check digit (expected 2)")]
            assert [e.valid for e in session.gate.events] == [True, False, True]
            sim.hang_up()  # unplugged
            reads.wait(lambda r: r.errors)
            assert reads.errors[0].code == "connection_lost" and reads.errors[0].exit_code == 6


@pytest.mark.parametrize("mode", ["pos", "keyboard"])
def test_a_hid_scanner_on_a_hidraw_style_device(tmp_path, mode):
    from drivers.scanners.hid_keyboard import build_key_reports
    from drivers.scanners.hid_pos import build_hid_pos_report

    with PtyDevice() as sim:  # a pty slave stands in for /dev/hidrawN: a character device, one report a read
        with manager(tmp_path, scanner={"kind": "hid", "device": sim.path, "hid_mode": mode, "timeout": 1}) as devices:
            reads = Reads()
            devices.start_scanner(reads.on_scan, reads.on_bad_scan)
            for code in (COLA, "6901234567893"):
                sim.send(build_hid_pos_report(code, "]E0") if mode == "pos" else b"".join(build_key_reports(code)))
            reads.wait(lambda r: len(r.good) + len(r.bad) == 2)
    assert reads.good == [(COLA, "]E0" if mode == "pos" else None)]
    assert [code for code, _ in reads.bad] == ["6901234567893"]


def test_a_missing_scanner_port_is_a_device_error(tmp_path):
    with manager(tmp_path, scanner={"kind": "serial", "device": "/dev/ttyNOSUCH8", "timeout": 1}) as devices:
        with pytest.raises(DeviceError) as caught:
            devices.start_scanner(lambda c, s: None)
        assert caught.value.code == "device_offline"
        assert devices.status("scanner").ok is False


# ----------------------------------------------------------------------------------------------- config
@pytest.mark.parametrize("section, values, words", [
    ("printer", {"kind": "network", "host": ""}, "needs host"),
    ("printer", {"kind": "serial"}, "needs device"),
    ("printer", {"kind": "usb"}, "needs vendor_id"),
    ("printer", {"encoding": "utf-8"}, "encoding"),
    ("printer", {"timeout": 60}, "timeout"),
    ("printer", {"barcode": "ean13"}, "barcode"),
    ("scanner", {"kind": "hid"}, "vendor_id and product_id"),
    ("scale", {"kind": "serial"}, "needs device"),
    ("drawer", {"pin": 3}, "pin"),
])
def test_config_mistakes_name_the_key(tmp_path, section, values, words):
    path = tmp_path / "config.toml"
    lines = [f"[{section}]"] + [f"{k} = {v!r}".replace("'", '"') for k, v in values.items()]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(InvalidInput) as caught:
        DeviceManager.from_data_dir(tmp_path)
    assert f"[{section}]" in caught.value.message and words in caught.value.message


def test_the_keys_of_cli_md_keep_their_names():
    from pos_desktop import config

    cli_md = {"printer": ["kind", "host", "port", "device", "baudrate", "vendor_id", "product_id", "encoding",
                          "width", "timeout"],
              "drawer": ["kind", "pin", "on_ms", "off_ms"],
              "scanner": ["kind", "device", "baudrate", "suffix"],
              "display": ["kind", "device", "protocol"],
              "scale": ["kind", "device", "protocol"]}
    for section, keys in cli_md.items():
        assert set(keys) <= set(config.SECTIONS[section]), section
