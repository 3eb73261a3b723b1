"""Customer pole display over a pseudo-terminal, read back as the two lines a customer sees."""

from __future__ import annotations

import pytest

from drivers.pole_display import PoleDisplay
from drivers.printing import ReceiptDocument
from drivers.sim.escpos_decoder import decode_escpos
from drivers.sim.pty_display import DisplayScreen, PtyPoleDisplay
from drivers.transports import SerialTransport


@pytest.mark.parametrize("protocol", ["cd5220", "epson"])
def test_item_total_and_change(protocol):
    with PtyPoleDisplay() as sim:
        display = PoleDisplay(SerialTransport(sim.path, 9600, timeout=0.5), protocol=protocol)
        display.clear()
        assert sim.wait_for_lines("", "")
        display.show_item("Coca-Cola 330ml", "3.50", qty="2")
        assert sim.wait_for_lines("Coca-Cola 330ml", "x2              3.50")
        display.show_total("18.06")
        assert sim.wait_for_lines("TOTAL", "               18.06")
        display.show_change("20.00", "1.94")
        assert sim.wait_for_lines("PAID           20.00", "CHANGE          1.94")


@pytest.mark.parametrize("protocol", ["cd5220", "epson"])
def test_each_line_can_be_written_alone(protocol):
    with PtyPoleDisplay() as sim:
        display = PoleDisplay(SerialTransport(sim.path, timeout=0.5), protocol=protocol)
        display.show("Welcome", "")
        display.write_line(2, "3.50", align="right")
        assert sim.wait_for_lines("Welcome", "                3.50")
        display.write_line(1, "Milk 1L")
        assert sim.wait_for_lines("Milk 1L", "                3.50")
        with pytest.raises(ValueError):
            display.write_line(3, "no such line")


def test_long_names_are_cut_to_twenty_columns():
    with PtyPoleDisplay() as sim:
        display = PoleDisplay(SerialTransport(sim.path, timeout=0.5), protocol="epson")
        display.show("Zespri SunGold Kiwifruit 1kg", "")
        assert sim.wait_for_lines("Zespri SunGold Kiwif", "")


def test_chinese_on_a_gb18030_display_counts_two_columns_per_character():
    with PtyPoleDisplay(encoding="gb18030") as sim:
        display = PoleDisplay(SerialTransport(sim.path, timeout=0.5), encoding="gb18030")
        display.show_item("可口可乐 Coca-Cola 330ml", "3.50")
        assert sim.wait_for_lines("可口可乐 Coca-Cola 3", "                3.50")
        display.show_total("￥18.06", label="合计")  # the full-width yen sign Chinese receipts use
        assert sim.wait_for_lines("合计", "             ￥18.06")


def test_chinese_on_a_western_display_becomes_question_marks():
    with PtyPoleDisplay() as sim:
        PoleDisplay(SerialTransport(sim.path, timeout=0.5)).show("可乐 Cola", "")
        assert sim.wait_for_lines("?? Cola", "")


def test_display_bytes_chained_behind_a_printer_job():
    display = PoleDisplay(protocol="epson", via_printer=True)
    job = ReceiptDocument().line("receipt").to_bytes() + display.render_total("9.90")
    screen = DisplayScreen()
    screen.feed(b"\x1b=\x01" + job)  # the port starts with the printer selected
    assert [line.rstrip() for line in screen.lines] == ["TOTAL", "                9.90"]
    assert decode_escpos(job).lines[0] == "receipt"
    assert job.endswith(b"\x1b=\x01")  # the port is handed back to the printer


def test_rendering_without_a_port_is_allowed_but_sending_is_not():
    display = PoleDisplay()
    assert display.render_clear() == b"\x1b@\x0c"
    with pytest.raises(RuntimeError):
        display.clear()
    with pytest.raises(ValueError):
        PoleDisplay(protocol="vfd-unknown")
