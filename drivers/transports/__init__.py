"""Byte transports: serial (and pseudo-terminals), raw TCP 9100, USB (pyusb) and files/character devices."""

from drivers.transports.base import DEFAULT_TIMEOUT, Transport
from drivers.transports.file import FileTransport
from drivers.transports.serial_port import SerialTransport
from drivers.transports.tcp import TcpTransport


def __getattr__(name: str):
    # pyusb is imported only by who needs USB, so a till without libusb still loads the other drivers
    if name == "UsbTransport":
        from drivers.transports.usb import UsbTransport

        return UsbTransport
    raise AttributeError(name)


__all__ = ["DEFAULT_TIMEOUT", "FileTransport", "SerialTransport", "TcpTransport", "Transport", "UsbTransport"]
