"""Raw TCP transport (port 9100, "JetDirect" style) for network receipt printers."""

from __future__ import annotations

import ipaddress
import socket
import threading
import time

from drivers.errors import ConnectionLost, DeviceError, DeviceOffline, DeviceTimeout
from drivers.transports.base import DEFAULT_TIMEOUT, Transport


class TcpTransport(Transport):
    """One TCP connection to ``host:port``.

    ``open`` gives up after ``timeout`` (python-escpos's 60 s default is never used); ``write`` hands the
    whole blob to the socket within ``timeout`` (Python bounds ``sendall`` as a whole, not per chunk).
    """

    def __init__(self, host: str, port: int = 9100, *, timeout: float = DEFAULT_TIMEOUT) -> None:
        super().__init__(timeout=timeout)
        self.host = host
        self.port = int(port)
        self._sock: socket.socket | None = None

    @property
    def name(self) -> str:
        return f"tcp://{self.host}:{self.port}"

    @property
    def is_open(self) -> bool:
        return self._sock is not None

    def open(self) -> None:
        if self._sock is not None:
            return
        deadline = time.monotonic() + self.timeout
        addresses = _resolve(self.host, self.port, self.timeout, self.name)
        failure: OSError | None = None
        for family, sockaddr in addresses:  # "localhost" may be ::1 first while the printer is on IPv4
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                break
            sock = socket.socket(family, socket.SOCK_STREAM)
            sock.settimeout(remaining)
            try:
                sock.connect(sockaddr)
            except OSError as exc:
                sock.close()
                failure = exc
                continue
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            self._sock = sock
            return
        if isinstance(failure, ConnectionRefusedError):
            raise DeviceOffline("connection refused", device=self.name) from failure
        if failure is None or isinstance(failure, (TimeoutError, socket.timeout)):
            raise DeviceOffline(f"no answer within {self.timeout:g} s", device=self.name) from failure
        raise DeviceOffline(f"cannot connect: {failure}", device=self.name) from failure

    def close(self) -> None:
        sock, self._sock = self._sock, None
        if sock is not None:
            try:
                sock.close()
            except OSError:
                pass

    def write(self, data: bytes) -> None:
        sock = self._require_open()
        try:
            sock.settimeout(self.timeout)
            sock.sendall(data)
        except TimeoutError as exc:
            raise DeviceTimeout(f"printer did not take the data within {self.timeout:g} s", device=self.name) from exc
        except OSError as exc:  # reset, broken pipe, aborted
            raise ConnectionLost(f"connection dropped while sending: {exc}", device=self.name) from exc

    def read(self, n: int, timeout: float | None = None) -> bytes:
        sock = self._require_open()
        wait = self.timeout if timeout is None else max(0.0, timeout)
        try:
            sock.settimeout(wait if wait > 0 else 0.0)
            data = sock.recv(n)
        except (TimeoutError, BlockingIOError):
            return b""
        except OSError as exc:
            raise ConnectionLost(f"connection dropped: {exc}", device=self.name) from exc
        if not data:
            raise ConnectionLost("connection closed by the printer", device=self.name)
        return data

    def _require_open(self) -> socket.socket:
        if self._sock is None:
            raise DeviceError("connection is not open", device=self.name)
        return self._sock


def _resolve(host: str, port: int, timeout: float, name: str) -> list[tuple[int, tuple]]:
    """(family, address) pairs to try. A name is looked up on a helper thread, because ``getaddrinfo`` has
    no timeout of its own and a broken DNS server could otherwise hold the till for many seconds."""
    try:
        ip = ipaddress.ip_address(host)
        return [(socket.AF_INET6 if ip.version == 6 else socket.AF_INET, (host, port))]
    except ValueError:
        pass
    found: list = []
    lookup = threading.Thread(target=lambda: found.append(_lookup(host, port)), daemon=True)
    lookup.start()
    lookup.join(timeout)
    if not found:
        raise DeviceOffline(f"name lookup took longer than {timeout:g} s", device=name)
    if isinstance(found[0], OSError):
        raise DeviceOffline(f"unknown host: {found[0]}", device=name) from found[0]
    return found[0]


def _lookup(host: str, port: int) -> list[tuple[int, tuple]] | OSError:
    try:
        return [(family, sockaddr) for family, _, _, _, sockaddr in
                socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)]
    except OSError as exc:
        return exc
