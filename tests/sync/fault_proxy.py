"""A fault-injecting HTTP proxy for the sync tests: it sits between a till's agent and a real server on
127.0.0.1 and, request by request, forwards faithfully or breaks the exchange in one of the ways networks do.

Faults (``proxy.inject(path, *faults)`` queues them for the next requests whose path starts with ``path``):

- ``drop_before``  close the till's connection without forwarding anything (the server never hears);
- ``drop_after``   forward, let the server answer (and commit), then close without a byte to the till;
- ``cut_reply``    forward, send the till the first half of the server's answer, then close;
- ``delay``        forward, hold the answer ``delay_seconds`` (past the agent's read timeout), then send it;
- ``status_500``   answer 500 without forwarding; ``status_500_after`` forward, then answer 500 instead;
- ``status_429``   answer 429 with ``Retry-After: <retry_after>`` without forwarding;
- ``ok``           forward faithfully (to let some requests through between faults).

``proxy.offline = True`` drops every request before forwarding until it is set back (a till whose network
is down); queued faults wait meanwhile.

Requests are parsed just enough to find their end (``Content-Length``); each one goes to the server on a
connection of its own with ``Connection: close``, so the server's answer ends where its connection does.
"""

from __future__ import annotations

import socket
import threading
import time
from collections import deque
from dataclasses import dataclass, field

FAULTS = ("ok", "drop_before", "drop_after", "cut_reply", "delay", "status_500", "status_500_after",
          "status_429")


@dataclass
class Seen:
    method: str
    path: str
    fault: str
    status: int | None = None


@dataclass
class FaultProxy:
    upstream_port: int
    upstream_host: str = "127.0.0.1"
    delay_seconds: float = 2.0
    retry_after: int = 1
    seen: list[Seen] = field(default_factory=list)
    _plan: deque = field(default_factory=deque)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def __post_init__(self) -> None:
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.port = self._listener.getsockname()[1]
        self._closing = False
        self.offline = False
        self._thread = threading.Thread(target=self._accept, name="fault-proxy", daemon=True)
        self._thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def inject(self, path: str, *faults: str) -> None:
        for fault in faults:
            assert fault in FAULTS, fault
            with self._lock:
                self._plan.append((path, fault))

    def pending_faults(self) -> int:
        with self._lock:
            return len(self._plan)

    def close(self) -> None:
        self._closing = True
        self._listener.close()

    def faults_applied(self) -> list[str]:
        return [s.fault for s in self.seen if s.fault != "ok"]

    # -- plumbing --------------------------------------------------------------------------------------------------

    def _next_fault(self, path: str) -> str:
        if self.offline:
            return "drop_before"
        with self._lock:
            for i, (prefix, fault) in enumerate(self._plan):
                if path.startswith(prefix):
                    del self._plan[i]
                    return fault
        return "ok"

    def _accept(self) -> None:
        while not self._closing:
            try:
                client, _addr = self._listener.accept()
            except OSError:
                return
            threading.Thread(target=self._serve, args=(client,), daemon=True).start()

    def _serve(self, client: socket.socket) -> None:
        reader = client.makefile("rb")
        try:
            while True:
                request = _read_request(reader)
                if request is None:
                    return
                head, body, method, path = request
                fault = self._next_fault(path)
                seen = Seen(method, path, fault)
                self.seen.append(seen)
                if not self._answer(client, head, body, fault, seen):
                    return
        except OSError:
            pass
        finally:
            reader.close()
            client.close()

    def _answer(self, client: socket.socket, head: bytes, body: bytes, fault: str, seen: Seen) -> bool:
        """Handle one request; False when the till's connection is to be closed."""
        if fault == "drop_before":
            return False
        if fault == "status_500":
            client.sendall(_plain(500, b'{"error": "internal", "message": "injected"}'))
            return True
        if fault == "status_429":
            client.sendall(_plain(429, b'{"error": "too_many_requests", "message": "injected"}',
                                  {"Retry-After": str(self.retry_after)}))
            return True
        reply = self._forward(head, body)
        seen.status = int(reply.split(b" ", 2)[1]) if reply.startswith(b"HTTP/") else None
        if fault == "drop_after":
            return False
        if fault == "status_500_after":
            client.sendall(_plain(500, b'{"error": "internal", "message": "injected after commit"}'))
            return True
        if fault == "cut_reply":
            client.sendall(reply[:max(1, len(reply) // 2)])
            return False
        if fault == "delay":
            time.sleep(self.delay_seconds)
        client.sendall(reply)
        return False   # the server closed its side: so does the proxy (the client reconnects)

    def _forward(self, head: bytes, body: bytes) -> bytes:
        lines = head.split(b"\r\n")
        kept = [line for line in lines[1:] if line and not line.lower().startswith(b"connection:")]
        request = b"\r\n".join([lines[0], *kept, b"Connection: close", b"", b""]) + body
        with socket.create_connection((self.upstream_host, self.upstream_port), timeout=60) as upstream:
            upstream.sendall(request)
            chunks = []
            while True:
                chunk = upstream.recv(65536)
                if not chunk:
                    break
                chunks.append(chunk)
        reply = b"".join(chunks)
        head, sep, rest = reply.partition(b"\r\n\r\n")
        lines = [line for line in head.split(b"\r\n") if not line.lower().startswith(b"connection:")]
        return b"\r\n".join([*lines, b"Connection: close"]) + sep + rest   # the till must not reuse it


def _read_request(reader) -> tuple[bytes, bytes, str, str] | None:  # type: ignore[no-untyped-def]
    lines = []
    while True:
        line = reader.readline(65537)
        if not line:
            return None
        if line in (b"\r\n", b"\n"):
            break
        lines.append(line.rstrip(b"\r\n"))
    if not lines:
        return None
    length = 0
    for line in lines[1:]:
        name, _sep, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            length = int(value.strip())
    body = reader.read(length) if length else b""
    method, target = lines[0].split(b" ")[:2]
    return b"\r\n".join(lines), body, method.decode(), target.decode().split("?")[0]


def _plain(status: int, body: bytes, headers: dict[str, str] | None = None) -> bytes:
    reason = {429: "Too Many Requests", 500: "Internal Server Error"}.get(status, "Error")
    extra = "".join(f"{k}: {v}\r\n" for k, v in (headers or {}).items())
    return (f"HTTP/1.1 {status} {reason}\r\nContent-Type: application/json\r\nContent-Length: {len(body)}\r\n"
            f"Connection: close\r\n{extra}\r\n").encode() + body
