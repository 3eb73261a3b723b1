"""Build a transport from one device section of ``config.toml`` (``[printer]``, ``[scanner]``, …).

The keys are those of the ``[drivers]`` part of CLI.md: ``kind`` network | serial | usb | file, then ``host``
and ``port``, ``device`` and ``baudrate``, ``vendor_id`` and ``product_id``, and ``timeout`` in seconds.
Kinds that need no transport (``none``, ``sim``, ``printer``, ``keyboard``) are the caller's business.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from drivers.transports.base import DEFAULT_TIMEOUT, Transport
from drivers.transports.file import FileTransport
from drivers.transports.serial_port import SerialTransport
from drivers.transports.tcp import TcpTransport


def make_transport(settings: Mapping[str, Any], *, usb_transfer: str = "bulk") -> Transport:
    """The transport ``settings`` describe; ``ValueError`` naming the missing or unknown key."""
    kind = settings.get("kind")
    timeout = float(settings.get("timeout", DEFAULT_TIMEOUT))
    if kind == "network":
        return TcpTransport(_need(settings, "host"), int(settings.get("port", 9100)), timeout=timeout)
    if kind == "serial":
        return SerialTransport(_need(settings, "device"), int(settings.get("baudrate", 9600)), timeout=timeout,
                               rtscts=bool(settings.get("rtscts", False)),
                               xonxoff=bool(settings.get("xonxoff", False)))
    if kind == "file":
        return FileTransport(_need(settings, "device"), timeout=timeout)
    if kind == "usb":
        from drivers.transports.usb import UsbTransport  # pyusb only for who uses USB

        return UsbTransport(_int(_need(settings, "vendor_id")), _int(_need(settings, "product_id")),
                            timeout=timeout, transfer=usb_transfer)
    raise ValueError(f"no transport for kind {kind!r}: use network, serial, usb or file")


def _need(settings: Mapping[str, Any], key: str) -> Any:
    if settings.get(key) in (None, ""):
        raise ValueError(f"device setting {key!r} is missing")
    return settings[key]


def _int(value: Any) -> int:
    return value if isinstance(value, int) else int(str(value), 0)  # "0x0416" as well as 1046
