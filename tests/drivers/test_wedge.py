"""Keyboard-wedge detection: a scanner types 8–16 ms apart, a person more than 80 ms apart."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from drivers.scanners import WedgeDetector, WedgeScan, WedgeTyping


def type_at(detector: WedgeDetector, text: str, start: float, gap: float) -> list:
    events = []
    for i, ch in enumerate(text):
        events += detector.feed(ch, start + i * gap)
    return events


def test_a_scan_ending_with_enter_is_reported_and_enter_is_swallowed():
    detector = WedgeDetector()
    events = type_at(detector, "6901234567892\r", 10.0, 0.012)
    assert events == [WedgeScan("6901234567892", 10.0, 10.0 + 12 * 0.012)]
    assert detector.pending == ""


def test_a_person_typing_is_typing():
    detector = WedgeDetector()
    events = type_at(detector, "1234", 0.0, 0.15) + detector.flush(1.0)
    assert events == [WedgeTyping("1"), WedgeTyping("2"), WedgeTyping("3"), WedgeTyping("4")]


def test_a_scan_without_suffix_is_closed_by_flush_at_the_deadline():
    detector = WedgeDetector()
    assert type_at(detector, "4006381333931", 5.0, 0.010) == []
    assert detector.deadline == 5.0 + 12 * 0.010 + detector.max_gap
    assert detector.flush(detector.deadline - 0.001) == []
    assert detector.flush(detector.deadline + 0.001) == [WedgeScan("4006381333931", 5.0, 5.12)]


def test_typing_then_scanning_then_typing():
    detector = WedgeDetector()
    events = type_at(detector, "ab", 0.0, 0.2)
    events += type_at(detector, "12345678\n", 1.0, 0.009)
    events += type_at(detector, "c", 2.0, 0.2) + detector.flush(3.0)
    assert events == [WedgeTyping("a"), WedgeTyping("b"), WedgeScan("12345678", 1.0, 1.063), WedgeTyping("c")]


def test_a_person_pressing_enter_is_typing():
    detector = WedgeDetector()
    assert type_at(detector, "12\r", 0.0, 0.3) == [WedgeTyping("1"), WedgeTyping("2"), WedgeTyping("\r")]


def test_thresholds_are_configurable_and_the_clock_injectable():
    now = [100.0]
    detector = WedgeDetector(max_gap=0.060, min_length=8, clock=lambda: now[0])
    for ch in "1234567":
        detector.feed(ch)
        now[0] += 0.05
    now[0] += 1
    assert detector.flush() == [WedgeTyping("1234567")]  # 7 characters: too short for this setting


@given(st.text(alphabet="0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ-", min_size=4, max_size=40),
       st.floats(min_value=0.008, max_value=0.016), st.floats(min_value=0, max_value=1e6))
def test_any_burst_at_scanner_speed_is_one_scan(code, gap, start):
    detector = WedgeDetector()
    events = type_at(detector, code, start, gap) + detector.flush(start + len(code) * gap + 1)
    assert [type(e) for e in events] == [WedgeScan] and events[0].code == code


@given(st.text(alphabet="0123456789abc", min_size=1, max_size=20), st.floats(min_value=0.081, max_value=2.0))
def test_keystrokes_at_human_speed_are_never_a_scan(text, gap):
    detector = WedgeDetector()
    events = type_at(detector, text, 0.0, gap) + detector.flush(len(text) * gap + 10)
    assert all(isinstance(e, WedgeTyping) for e in events)
    assert "".join(e.text for e in events) == text
