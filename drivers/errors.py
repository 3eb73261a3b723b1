"""Typed faults every driver raises.

These are the hardware layer's own errors: ``drivers`` never imports ``pos_desktop``. The device glue turns
them into the application's ``DeviceError`` (exit code 6) and into words a person reads; ``code`` is a stable
machine name for that mapping and ``message`` is an English detail for the log.
"""

from __future__ import annotations


class DeviceError(Exception):
    """Base of every hardware fault. ``device`` names the port or address involved, for the log."""

    code = "device_error"

    def __init__(self, message: str, *, device: str | None = None) -> None:
        super().__init__(message if device is None else f"{device}: {message}")
        self.message = message
        self.device = device


class DeviceOffline(DeviceError):
    """The device cannot be reached at all: refused, absent, unplugged, permission denied."""

    code = "device_offline"


NotConnected = DeviceOffline


class DeviceTimeout(DeviceError):
    """The device was reached but did not accept or answer within the configured timeout."""

    code = "device_timeout"


class ConnectionLost(DeviceError):
    """The connection dropped while in use (for a printer: the job may be partly printed)."""

    code = "connection_lost"


class PaperOut(DeviceError):
    """The printer reports that its paper roll is empty."""

    code = "paper_out"


class CoverOpen(DeviceError):
    """The printer reports that its cover is open."""

    code = "cover_open"


class PrinterFault(DeviceError):
    """The printer reports an error state (cutter jam, head overheated, unrecoverable error)."""

    code = "printer_error"


class CjkFontMissing(DeviceError):
    """Chinese text must be drawn as an image but no CJK font is installed on this computer."""

    code = "cjk_font_missing"


class ScaleNotReady(DeviceError):
    """A weight that must not be sold: ``reason`` is unstable, overload, underload, negative or not_ready."""

    code = "scale_not_ready"

    def __init__(self, message: str, *, reason: str, device: str | None = None) -> None:
        super().__init__(message, device=device)
        self.reason = reason
