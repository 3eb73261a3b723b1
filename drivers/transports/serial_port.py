"""RS-232 / USB-serial / pseudo-terminal transport over pyserial."""

from __future__ import annotations

import serial

from drivers.errors import ConnectionLost, DeviceError, DeviceOffline, DeviceTimeout
from drivers.transports.base import DEFAULT_TIMEOUT, Transport


class SerialTransport(Transport):
    """A serial port by path (``/dev/ttyUSB0``, ``COM3``, or a pty slave such as ``/dev/pts/5``).

    Reads and writes are bounded by pyserial's ``timeout`` and ``write_timeout``, both set from ``timeout``.
    """

    def __init__(
        self,
        port: str,
        baudrate: int = 9600,
        *,
        timeout: float = DEFAULT_TIMEOUT,
        bytesize: int = 8,
        parity: str = "N",
        stopbits: float = 1,
        xonxoff: bool = False,
        rtscts: bool = False,
        dsrdtr: bool = False,
    ) -> None:
        super().__init__(timeout=timeout)
        self.port = port
        self.baudrate = baudrate
        self._settings = {"bytesize": bytesize, "parity": parity, "stopbits": stopbits, "xonxoff": xonxoff,
                          "rtscts": rtscts, "dsrdtr": dsrdtr}
        self._serial: serial.Serial | None = None
        self._read_timeout: float | None = None

    @property
    def name(self) -> str:
        return f"serial://{self.port}@{self.baudrate}"

    @property
    def is_open(self) -> bool:
        return self._serial is not None and self._serial.is_open

    def open(self) -> None:
        if self.is_open:
            return
        port = serial.Serial()
        port.port = self.port
        port.baudrate = self.baudrate
        for key, value in self._settings.items():
            setattr(port, key, value)
        port.timeout = self.timeout
        port.write_timeout = self.timeout
        try:
            port.open()
        except (serial.SerialException, OSError, ValueError) as exc:
            raise DeviceOffline(f"cannot open serial port: {exc}", device=self.name) from exc
        self._serial = port
        self._read_timeout = self.timeout

    def close(self) -> None:
        port, self._serial = self._serial, None
        if port is not None:
            try:
                port.close()
            except (serial.SerialException, OSError):
                pass  # the device is already gone; there is nothing left to release

    def write(self, data: bytes) -> None:
        port = self._require_open()
        try:
            # no flush(): tcdrain() has no timeout and could hang on a stalled line
            written = port.write(data)
        except serial.SerialTimeoutException as exc:
            raise DeviceTimeout(f"write not accepted within {self.timeout:g} s", device=self.name) from exc
        except (serial.SerialException, OSError) as exc:
            raise ConnectionLost(f"write failed: {exc}", device=self.name) from exc
        if written is not None and written != len(data):
            raise DeviceTimeout(f"only {written} of {len(data)} bytes accepted", device=self.name)

    def read(self, n: int, timeout: float | None = None) -> bytes:
        port = self._require_open()
        wanted = self.timeout if timeout is None else max(0.0, timeout)
        try:
            if wanted != self._read_timeout:
                port.timeout = wanted  # reconfigures the port, so only when it changes
                self._read_timeout = wanted
            first = port.read(1)
            if not first or n == 1:
                return first
            waiting = port.in_waiting
            return first + (port.read(min(waiting, n - 1)) if waiting else b"")
        except (serial.SerialException, OSError) as exc:
            raise ConnectionLost(f"read failed: {exc}", device=self.name) from exc

    def _require_open(self) -> serial.Serial:
        if self._serial is None:
            raise DeviceError("serial port is not open", device=self.name)
        return self._serial
