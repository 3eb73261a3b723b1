"""Serial scales over pseudo-terminals: only a stable, positive weight can be sold."""

from __future__ import annotations

import time
from decimal import Decimal

import pytest

from drivers.errors import DeviceTimeout, ScaleNotReady
from drivers.scale import SerialScale
from drivers.scale_protocols import parse_toledo_frame, parse_w_reply, toledo_frame
from drivers.sim.pty_scale import PtyScale
from drivers.transports import SerialTransport

PROTOCOLS = ["toledo", "w-request"]


def scale_for(sim: PtyScale, timeout: float = 0.5) -> SerialScale:
    return SerialScale(SerialTransport(sim.path, 9600, timeout=timeout), protocol=sim.protocol)


@pytest.mark.parametrize("protocol", PROTOCOLS)
def test_stable_weight_is_decimal_kilograms_with_three_places(protocol):
    with PtyScale(protocol=protocol) as sim:
        sim.set("0.755")
        reading = scale_for(sim).read()
        assert reading.weight == Decimal("0.755") and reading.weight.as_tuple().exponent == -3
        assert reading.stable and reading.unit == "kg"
        sim.set("1.2")
        assert scale_for(sim).read_weight() == Decimal("1.200")


@pytest.mark.parametrize("protocol", PROTOCOLS)
@pytest.mark.parametrize("setting, reason", [
    (dict(weight="0.500", stable=False), "unstable"),
    (dict(weight="0", overload=True), "overload"),
    (dict(weight="-0.020"), "negative"),
])
def test_readings_that_must_not_be_sold_are_refused(protocol, setting, reason):
    with PtyScale(protocol=protocol) as sim:
        sim.set(**setting)
        reading = scale_for(sim).read()
        assert reading.state == reason and not reading.stable
        with pytest.raises(ScaleNotReady) as refused:
            scale_for(sim).read_weight()
        assert refused.value.reason == reason


@pytest.mark.parametrize("protocol", PROTOCOLS)
def test_a_silent_scale_times_out(protocol):
    with PtyScale(protocol=protocol) as sim:
        sim.set("1.000", silent=True)
        started = time.monotonic()
        with pytest.raises(DeviceTimeout):
            scale_for(sim, timeout=0.3).read()
        assert time.monotonic() - started < 0.3 + 0.3


def test_toledo_takes_a_fresh_frame_not_one_that_waited_in_the_buffer():
    with PtyScale(protocol="toledo") as sim:
        transport = SerialTransport(sim.path, timeout=0.5)
        with transport:
            sim.set("2.000")
            assert transport.read(64, timeout=0.5)  # frames of 2 kg are now waiting unread
            sim.set("0.250")
            scale = SerialScale(transport)
            deadline = time.monotonic() + 2
            while scale.read().weight != Decimal("0.250"):  # at most a frame or two in flight
                assert time.monotonic() < deadline


def test_toledo_frames_parsed_directly():
    assert parse_toledo_frame(toledo_frame(Decimal("12.345"))).weight == Decimal("12.345")
    lb = bytes([0x02, 0x20 | 0x08 | 4, 0x20, 0x20]) + b"000250000000\r"  # 2.50 lb, SWB bit 4 clear
    reading = parse_toledo_frame(lb)
    assert reading.unit == "lb" and reading.weight == Decimal("1.134")
    parity = bytes(b | 0x80 for b in toledo_frame(Decimal("1.000")))  # 7E1 read as 8N1
    assert parse_toledo_frame(parity).weight == Decimal("1.000")
    not_zeroed = bytearray(toledo_frame(Decimal("0.100")))
    not_zeroed[2] |= 0x40
    assert parse_toledo_frame(bytes(not_zeroed)).state == "not_ready"
    with pytest.raises(ValueError):
        parse_toledo_frame(b"\x02garbage")


@pytest.mark.parametrize("reply, weight, state", [
    (b"\n  1.234kg\r\n00\r\x03", "1.234", "stable"),
    (b"\n  1.234kg\r\n10\r\x03", "1.234", "unstable"),
    (b"\n^^^^^^\r\n02\r\x03", None, "overload"),
    (b"\n______\r\n01\r\x03", None, "underload"),
    (b"ST,GS,+0001.234  kg\r\n", "1.234", "stable"),
    (b"US,NT,+0000.980  kg\r\n", "0.980", "unstable"),
    (b"OL,GS,+9999.999  kg\r\n", None, "overload"),
    (b"\n  500g\r\n00\r\x03", "0.500", "stable"),
])
def test_w_replies(reply, weight, state):
    reading = parse_w_reply(reply)
    assert reading.state == state
    assert reading.weight == (Decimal(weight) if weight else None)
