"""Transports built from the device sections of config.toml."""

from __future__ import annotations

import pytest

from drivers.factory import make_transport
from drivers.transports import FileTransport, SerialTransport, TcpTransport


def test_each_kind_builds_its_transport_with_the_configured_timeout():
    tcp = make_transport({"kind": "network", "host": "10.0.0.5", "timeout": 2})
    assert isinstance(tcp, TcpTransport) and tcp.port == 9100 and tcp.timeout == 2
    serial = make_transport({"kind": "serial", "device": "/dev/ttyUSB0", "baudrate": 19200})
    assert isinstance(serial, SerialTransport) and serial.baudrate == 19200 and serial.timeout == 2.0
    assert isinstance(make_transport({"kind": "file", "device": "/dev/usb/lp0"}), FileTransport)
    usb = make_transport({"kind": "usb", "vendor_id": "0x0416", "product_id": 0x5011, "timeout": 1})
    assert (usb.vendor_id, usb.product_id, usb.timeout) == (0x0416, 0x5011, 1.0)


def test_bad_settings_name_the_problem():
    with pytest.raises(ValueError, match="host"):
        make_transport({"kind": "network"})
    with pytest.raises(ValueError, match="kind"):
        make_transport({"kind": "bluetooth"})
