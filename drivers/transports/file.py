"""Character-device or plain-file transport: ``/dev/usb/lp0``, ``/dev/hidraw3``, or a file that collects jobs."""

from __future__ import annotations

import errno
import os
import select
import stat
import time

from drivers.errors import ConnectionLost, DeviceError, DeviceOffline, DeviceTimeout
from drivers.transports.base import DEFAULT_TIMEOUT, Transport


class FileTransport(Transport):
    """A path opened without blocking, so a stalled printer cannot hold a write beyond ``timeout``.

    A character device is opened read-write (read-only or write-only when that is all it allows); a regular
    file is appended to and never answers reads. A missing path is ``DeviceOffline`` unless ``create`` is
    true (default: create plain files, never invent anything under ``/dev``).
    """

    def __init__(self, path: str, *, timeout: float = DEFAULT_TIMEOUT, create: bool | None = None) -> None:
        super().__init__(timeout=timeout)
        self.path = path
        self.create = (not path.startswith("/dev/")) if create is None else create
        self._fd: int | None = None
        self._is_device = False
        self._readable = False

    @property
    def name(self) -> str:
        return f"file://{self.path}"

    @property
    def is_open(self) -> bool:
        return self._fd is not None

    def open(self) -> None:
        if self._fd is not None:
            return
        try:
            mode = os.stat(self.path).st_mode
        except FileNotFoundError as exc:
            if not self.create:
                raise DeviceOffline("no such device (unplugged?)", device=self.name) from exc
            mode = stat.S_IFREG
        except OSError as exc:
            raise DeviceOffline(f"cannot open: {exc}", device=self.name) from exc
        self._is_device = stat.S_ISCHR(mode)
        if self._is_device:
            self._fd, self._readable = self._open_device()
        else:
            try:
                self._fd = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
            except OSError as exc:
                raise DeviceOffline(f"cannot open: {exc}", device=self.name) from exc
            self._readable = False

    def _open_device(self) -> tuple[int, bool]:
        attempts = ((os.O_RDWR, True), (os.O_WRONLY, False), (os.O_RDONLY, True))
        last: OSError | None = None
        for flags, readable in attempts:
            try:
                return os.open(self.path, flags | os.O_NONBLOCK | getattr(os, "O_NOCTTY", 0)), readable
            except OSError as exc:
                last = exc
                if exc.errno not in (errno.EACCES, errno.EPERM, errno.EINVAL, errno.EROFS):
                    break
        raise DeviceOffline(f"cannot open: {last}", device=self.name) from last

    def close(self) -> None:
        fd, self._fd = self._fd, None
        if fd is not None:
            try:
                os.close(fd)
            except OSError:
                pass

    def write(self, data: bytes) -> None:
        fd = self._require_open()
        deadline = time.monotonic() + self.timeout
        view = memoryview(data)
        while view:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                sent = len(data) - len(view)
                raise DeviceTimeout(f"only {sent} of {len(data)} bytes accepted", device=self.name)
            if self._is_device:
                _, ready, _ = select.select([], [fd], [], remaining)
                if not ready:
                    continue
            try:
                view = view[os.write(fd, view):]
            except BlockingIOError:
                continue
            except OSError as exc:
                raise ConnectionLost(f"write failed: {exc}", device=self.name) from exc

    def read(self, n: int, timeout: float | None = None) -> bytes:
        fd = self._require_open()
        if not self._readable:
            return b""  # a plain file or a write-only device never answers
        wait = self.timeout if timeout is None else max(0.0, timeout)
        ready, _, _ = select.select([fd], [], [], wait)
        if not ready:
            return b""
        try:
            data = os.read(fd, n)
        except BlockingIOError:
            return b""
        except OSError as exc:
            raise ConnectionLost(f"read failed: {exc}", device=self.name) from exc
        if not data:  # readable yet empty: the device went away
            raise ConnectionLost("device closed", device=self.name)
        return data

    def _require_open(self) -> int:
        if self._fd is None:
            raise DeviceError("file is not open", device=self.name)
        return self._fd
