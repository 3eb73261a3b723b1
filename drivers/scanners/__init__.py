"""Barcode scanners: serial, USB HID POS (usage page 0x8C), USB keyboard mode, and keyboard wedges."""

from drivers.scanners.aim import split_aim, symbology_name
from drivers.scanners.hid_keyboard import HidKeyboardDecoder
from drivers.scanners.hid_pos import HidPosDecoder
from drivers.scanners.hid_scanner import HidScanner
from drivers.scanners.serial_scanner import SerialScanner
from drivers.scanners.wedge import WedgeDetector, WedgeScan, WedgeTyping

__all__ = [
    "HidKeyboardDecoder",
    "HidPosDecoder",
    "HidScanner",
    "SerialScanner",
    "WedgeDetector",
    "WedgeScan",
    "WedgeTyping",
    "split_aim",
    "symbology_name",
]
