"""USB transport over pyusb: bulk endpoints for printers, an interrupt IN endpoint for HID scanners."""

from __future__ import annotations

import errno
from collections.abc import Callable
from typing import Any

import usb.core
import usb.util

from drivers.errors import ConnectionLost, DeviceError, DeviceOffline, DeviceTimeout
from drivers.transports.base import DEFAULT_TIMEOUT, Transport

_GONE = {errno.ENODEV, errno.EIO, errno.EPIPE, errno.ENOENT}


class UsbTransport(Transport):
    """The first interface of the USB device ``vendor_id:product_id``.

    On open it detaches a kernel driver bound to the interface (usblp, usbhid), selects the configuration and
    finds the OUT and IN endpoints of ``transfer`` type ("bulk" or "interrupt"). ``backend`` is handed to
    ``usb.core.find`` and ``device`` replaces the search altogether, so tests can pass a fake pyusb backend or
    device. libusb treats a timeout of 0 as "wait forever", so every call uses at least 1 ms.
    """

    def __init__(
        self,
        vendor_id: int,
        product_id: int,
        *,
        timeout: float = DEFAULT_TIMEOUT,
        interface: int = 0,
        transfer: str = "bulk",
        backend: Any = None,
        device: Any = None,
        find: Callable[..., Any] = usb.core.find,
    ) -> None:
        super().__init__(timeout=timeout)
        if transfer not in ("bulk", "interrupt"):
            raise ValueError("transfer must be 'bulk' or 'interrupt'")
        self.vendor_id = vendor_id
        self.product_id = product_id
        self.interface = interface
        self.transfer = transfer
        self._backend = backend
        self._given_device = device
        self._find = find
        self._dev: Any = None
        self._ep_out: Any = None
        self._ep_in: Any = None
        self._detached = False
        self._pending = b""

    @property
    def name(self) -> str:
        return f"usb://{self.vendor_id:04x}:{self.product_id:04x}"

    @property
    def is_open(self) -> bool:
        return self._dev is not None

    @property
    def can_read(self) -> bool:
        """Whether the device has an IN endpoint (many cheap printers have none, so never answer status)."""
        return self._ep_in is not None

    def open(self) -> None:
        if self._dev is not None:
            return
        dev = self._locate()
        try:
            self._detach_kernel_driver(dev)
            intf = self._active_configuration(dev)[(self.interface, 0)]
        except usb.core.USBError as exc:
            raise DeviceOffline(_usb_reason(exc), device=self.name) from exc
        self._ep_out = _find_endpoint(intf, usb.util.ENDPOINT_OUT, self.transfer)
        self._ep_in = _find_endpoint(intf, usb.util.ENDPOINT_IN, self.transfer)
        if self._ep_out is None and self._ep_in is None:
            raise DeviceOffline(f"interface {self.interface} has no {self.transfer} endpoints", device=self.name)
        self._dev = dev
        self._pending = b""

    def close(self) -> None:
        dev, self._dev = self._dev, None
        if dev is None:
            return
        try:
            usb.util.dispose_resources(dev)
            if self._detached:
                dev.attach_kernel_driver(self.interface)  # give the device back to the OS as we found it
        except (usb.core.USBError, NotImplementedError):
            pass
        self._detached = False
        self._ep_out = self._ep_in = None

    def write(self, data: bytes) -> None:
        self._require_open()
        if self._ep_out is None:
            raise DeviceError("device has no OUT endpoint", device=self.name)
        try:
            written = self._ep_out.write(data, self._ms(self.timeout))
        except usb.core.USBTimeoutError as exc:
            raise DeviceTimeout(f"printer did not take the data within {self.timeout:g} s", device=self.name) from exc
        except usb.core.USBError as exc:
            raise ConnectionLost(_usb_reason(exc), device=self.name) from exc
        if written != len(data):
            raise DeviceTimeout(f"only {written} of {len(data)} bytes accepted", device=self.name)

    def read(self, n: int, timeout: float | None = None) -> bytes:
        """Up to ``n`` bytes; one USB packet (one HID report) per call, never two merged."""
        self._require_open()
        if self._pending:
            data, self._pending = self._pending[:n], self._pending[n:]
            return data
        if self._ep_in is None:
            return b""
        wait = self.timeout if timeout is None else max(0.0, timeout)
        size = max(n, int(getattr(self._ep_in, "wMaxPacketSize", 64) or 64))
        try:
            packet = bytes(self._ep_in.read(size, self._ms(wait)))
        except usb.core.USBTimeoutError:
            return b""
        except usb.core.USBError as exc:
            if exc.errno in _GONE or exc.errno is None:
                raise ConnectionLost(_usb_reason(exc), device=self.name) from exc
            return b""
        data, self._pending = packet[:n], packet[n:]
        return data

    def _locate(self) -> Any:
        if self._given_device is not None:
            return self._given_device
        try:
            dev = self._find(idVendor=self.vendor_id, idProduct=self.product_id, backend=self._backend)
        except usb.core.NoBackendError as exc:
            raise DeviceOffline("no USB library (libusb) found", device=self.name) from exc
        except usb.core.USBError as exc:
            raise DeviceOffline(_usb_reason(exc), device=self.name) from exc
        if dev is None:
            raise DeviceOffline("device not found (unplugged or switched off?)", device=self.name)
        return dev

    def _detach_kernel_driver(self, dev: Any) -> None:
        try:
            if dev.is_kernel_driver_active(self.interface):
                dev.detach_kernel_driver(self.interface)
                self._detached = True
        except NotImplementedError:
            pass  # Windows and macOS backends have no kernel driver to detach

    @staticmethod
    def _active_configuration(dev: Any) -> Any:
        try:
            return dev.get_active_configuration()
        except usb.core.USBError:
            dev.set_configuration()  # unconfigured device: take its first configuration
            return dev.get_active_configuration()

    def _require_open(self) -> None:
        if self._dev is None:
            raise DeviceError("device is not open", device=self.name)

    @staticmethod
    def _ms(seconds: float) -> int:
        return max(1, int(seconds * 1000))


def _find_endpoint(intf: Any, direction: int, transfer: str) -> Any:
    kind = usb.util.ENDPOINT_TYPE_BULK if transfer == "bulk" else usb.util.ENDPOINT_TYPE_INTR
    return usb.util.find_descriptor(
        intf,
        custom_match=lambda ep: usb.util.endpoint_direction(ep.bEndpointAddress) == direction
        and usb.util.endpoint_type(ep.bmAttributes) == kind,
    )


def _usb_reason(exc: usb.core.USBError) -> str:
    if exc.errno == errno.EACCES:
        return "permission denied (install installer/udev/60-pos-devices.rules)"
    if exc.errno == errno.EBUSY:
        return "device busy (claimed by another program)"
    if exc.errno in _GONE:
        return "device disconnected"
    return f"USB error: {exc}"
