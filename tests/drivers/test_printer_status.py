"""DLE EOT replies: every field is True/False as reported, and None when the printer did not say."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from drivers.printer_status import PrinterStatus, is_status_byte, parse_status


def test_all_clear():
    status = parse_status({1: 0x12, 2: 0x12, 3: 0x12, 4: 0x12})
    assert status == PrinterStatus(online=True, cover_open=False, paper_near_end=False, paper_end=False,
                                   drawer_open=False, error=False)
    assert status.ready and status.problems() == []


def test_paper_out_cover_open_and_near_end():
    assert parse_status({4: 0x72}).paper_end is True
    assert parse_status({4: 0x1E}).paper_near_end is True
    assert parse_status({2: 0x32}).paper_end is True  # printing stopped for paper end
    status = parse_status({1: 0x1A, 2: 0x16})
    assert status.online is False and status.cover_open is True
    assert status.problems() == ["offline", "cover_open"]


def test_errors_from_offline_and_error_cause_bytes():
    assert parse_status({2: 0x52}).error is True
    assert parse_status({3: 0x1A}).error is True  # autocutter error
    assert parse_status({3: 0x12}).error is False


def test_drawer_bit_polarity_is_configurable():
    assert parse_status({1: 0x16}).drawer_open is True
    assert parse_status({1: 0x16}, drawer_open_level="low").drawer_open is False


def test_no_reply_is_unknown_never_paper_ok():
    status = parse_status({})
    assert status == PrinterStatus()
    assert not status.known and not status.ready
    partial = parse_status({1: 0x12})
    assert partial.online is True and partial.paper_end is None and not partial.ready


def test_bytes_that_are_not_status_replies_are_ignored():
    assert not is_status_byte(0xFF) and not is_status_byte(0x00) and is_status_byte(0x12)
    assert parse_status({1: 0xFF, 4: ord("A")}) == PrinterStatus()


@given(st.dictionaries(st.sampled_from([1, 2, 3, 4]), st.one_of(st.none(), st.integers(0, 255))))
def test_paper_is_never_reported_present_without_a_paper_reply(replies):
    status = parse_status(replies)
    paper_reply = replies.get(4)
    if paper_reply is None or not is_status_byte(paper_reply):
        assert status.paper_end in (None, True)
    if not status.known:
        assert not status.ready


def test_bytes_that_are_not_status_are_skipped_while_waiting_for_a_reply():
    from drivers.printer import ReceiptPrinter
    from drivers.sim.pty_printer import PtyPrinter
    from drivers.transports import SerialTransport

    class NoisyPrinter(PtyPrinter):
        def on_bytes(self, data: bytes) -> None:
            self.send(b"\xff\x00")  # automatic status back or line noise ahead of the reply
            super().on_bytes(data)

    with NoisyPrinter() as sim:
        sim.model.set_state(paper_near_end=True)
        status = ReceiptPrinter(SerialTransport(sim.path, timeout=0.5)).status()
        assert status.online is True and status.paper_near_end is True and status.paper_end is False
