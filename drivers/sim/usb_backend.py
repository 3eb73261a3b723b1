"""A fake pyusb backend: real ``usb.core.Device`` objects over simulated USB devices.

Tests hand ``FakeUsbBackend(...)`` to ``UsbTransport(backend=...)``; pyusb's own ``find``, descriptors,
interface claiming and ``dispose_resources`` then run unchanged, and only the wire is simulated. A device
bound to a kernel driver refuses to be claimed (EBUSY), as on Linux, so the detach path is exercised.
"""

from __future__ import annotations

import errno
import threading
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from types import SimpleNamespace

import usb.core
import usb.util
from usb.backend import IBackend

BULK, INTERRUPT = usb.util.ENDPOINT_TYPE_BULK, usb.util.ENDPOINT_TYPE_INTR
PRINTER_CLASS, HID_CLASS = 7, 3


@dataclass
class FakeUsbDevice:
    """One device with one interface. ``endpoints`` is a list of (address, type); bit 7 of the address = IN.

    ``on_write`` receives every OUT transfer and returns bytes to queue on the IN endpoint (a printer's
    status replies); ``push`` queues device-initiated input (a scanner's reports).
    """

    vendor_id: int
    product_id: int
    endpoints: list[tuple[int, int]] = field(default_factory=lambda: [(0x01, BULK), (0x82, BULK)])
    interface_class: int = PRINTER_CLASS
    kernel_driver_active: bool = True
    permission_denied: bool = False
    on_write: Callable[[bytes], bytes] | None = None
    max_packet: int = 64
    address: int = 1

    def __post_init__(self) -> None:
        self.written = bytearray()
        self.configuration = 0
        self.unplugged = False
        self.claimed: set[int] = set()
        self.detach_count = 0
        self._in: deque[bytes] = deque()
        self._cond = threading.Condition()

    def push(self, data: bytes, *, split: bool = True) -> None:
        """Queue input for the host: split into packets, or one report as is (``split=False``)."""
        with self._cond:
            if split:
                for i in range(0, len(data), self.max_packet):
                    self._in.append(data[i : i + self.max_packet])
            else:
                self._in.append(data)
            self._cond.notify_all()

    def unplug(self) -> None:
        with self._cond:
            self.unplugged = True
            self._cond.notify_all()

    def take(self, timeout_ms: int) -> bytes | None:
        with self._cond:
            self._cond.wait_for(lambda: self._in or self.unplugged, timeout_ms / 1000)
            if self.unplugged:
                raise _gone()
            return self._in.popleft() if self._in else None


def _gone() -> usb.core.USBError:
    return usb.core.USBError("No such device (it may have been disconnected)", errno=errno.ENODEV)


class FakeUsbBackend(IBackend):
    """The pyusb backend interface over ``FakeUsbDevice`` objects."""

    def __init__(self, *devices: FakeUsbDevice) -> None:
        self.devices = list(devices)

    def enumerate_devices(self):
        return iter([d for d in self.devices if not d.unplugged])

    def get_device_descriptor(self, dev: FakeUsbDevice):
        return SimpleNamespace(
            bLength=18, bDescriptorType=1, bcdUSB=0x0200, bDeviceClass=0, bDeviceSubClass=0, bDeviceProtocol=0,
            bMaxPacketSize0=64, idVendor=dev.vendor_id, idProduct=dev.product_id, bcdDevice=0x0100,
            iManufacturer=0, iProduct=0, iSerialNumber=0, bNumConfigurations=1, address=dev.address, bus=1,
            port_number=dev.address, port_numbers=(dev.address,), speed=2,
        )

    def get_configuration_descriptor(self, dev: FakeUsbDevice, config: int):
        if config != 0:
            raise IndexError(config)
        return SimpleNamespace(bLength=9, bDescriptorType=2, wTotalLength=9 + 9 + 7 * len(dev.endpoints),
                               bNumInterfaces=1, bConfigurationValue=1, iConfiguration=0, bmAttributes=0xC0,
                               bMaxPower=50, extra_descriptors=[])

    def get_interface_descriptor(self, dev: FakeUsbDevice, intf: int, alt: int, config: int):
        if intf != 0 or alt != 0 or config != 0:
            raise IndexError((intf, alt))
        return SimpleNamespace(bLength=9, bDescriptorType=4, bInterfaceNumber=0, bAlternateSetting=0,
                               bNumEndpoints=len(dev.endpoints), bInterfaceClass=dev.interface_class,
                               bInterfaceSubClass=1 if dev.interface_class == PRINTER_CLASS else 0,
                               bInterfaceProtocol=2 if dev.interface_class == PRINTER_CLASS else 0,
                               iInterface=0, extra_descriptors=[])

    def get_endpoint_descriptor(self, dev: FakeUsbDevice, ep: int, intf: int, alt: int, config: int):
        address, kind = dev.endpoints[ep]
        return SimpleNamespace(bLength=7, bDescriptorType=5, bEndpointAddress=address, bmAttributes=kind,
                               wMaxPacketSize=dev.max_packet, bInterval=1, bRefresh=0, bSynchAddress=0,
                               extra_descriptors=[])

    def open_device(self, dev: FakeUsbDevice) -> FakeUsbDevice:
        if dev.unplugged:
            raise _gone()
        if dev.permission_denied:
            raise usb.core.USBError("Access denied (insufficient permissions)", errno=errno.EACCES)
        return dev

    def close_device(self, handle: FakeUsbDevice) -> None:
        handle.claimed.clear()

    def set_configuration(self, handle: FakeUsbDevice, config_value: int) -> None:
        handle.configuration = config_value

    def get_configuration(self, handle: FakeUsbDevice) -> int:
        return handle.configuration

    def set_interface_altsetting(self, handle: FakeUsbDevice, intf: int, altsetting: int) -> None:
        pass

    def claim_interface(self, handle: FakeUsbDevice, intf: int) -> None:
        if handle.unplugged:
            raise _gone()
        if handle.kernel_driver_active:
            raise usb.core.USBError("Resource busy", errno=errno.EBUSY)
        handle.claimed.add(intf)

    def release_interface(self, handle: FakeUsbDevice, intf: int) -> None:
        handle.claimed.discard(intf)

    def bulk_write(self, handle: FakeUsbDevice, ep: int, intf: int, data, timeout: int) -> int:
        if handle.unplugged:
            raise _gone()
        payload = bytes(data)
        handle.written += payload
        if handle.on_write is not None:
            reply = handle.on_write(payload)
            if reply:
                handle.push(reply)
        return len(payload)

    intr_write = bulk_write

    def bulk_read(self, handle: FakeUsbDevice, ep: int, intf: int, buff, timeout: int) -> int:
        packet = handle.take(timeout)
        if packet is None:
            raise usb.core.USBTimeoutError("Operation timed out", error_code=-7, errno=errno.ETIMEDOUT)
        n = min(len(packet), len(buff))
        buff[:n] = type(buff)(buff.typecode, packet[:n])
        return n

    intr_read = bulk_read

    def ctrl_transfer(self, handle, bmRequestType, bRequest, wValue, wIndex, data, timeout):
        return 0

    def is_kernel_driver_active(self, handle: FakeUsbDevice, intf: int) -> bool:
        return handle.kernel_driver_active

    def detach_kernel_driver(self, handle: FakeUsbDevice, intf: int) -> None:
        handle.kernel_driver_active = False
        handle.detach_count += 1

    def attach_kernel_driver(self, handle: FakeUsbDevice, intf: int) -> None:
        handle.kernel_driver_active = True
