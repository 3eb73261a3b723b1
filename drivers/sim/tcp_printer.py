"""A network receipt printer on 127.0.0.1: a real TCP server on an ephemeral port.

It records every byte, answers ``DLE EOT`` from a scriptable state, and can be told to go offline (refuse
connections, or accept and drop them), to stop answering status, or to drop the connection in the middle
of a job. Each change is applied by the server thread before the call returns, so tests need no sleeps.
"""

from __future__ import annotations

import queue
import selectors
import socket
import struct
import threading
from collections.abc import Callable
from typing import Self

from drivers.sim.printer_model import PrinterModel, PrinterState


class TcpPrinterSimulator:
    """Use as a context manager, or ``start()`` / ``stop()``; connect to ``host``/``port``."""

    def __init__(self, state: PrinterState | None = None, *, host: str = "127.0.0.1", port: int = 0) -> None:
        self.model = PrinterModel(state)
        self.host = host
        self.port = port
        self.connections = 0
        self.jobs: list[bytes] = []  # bytes received per connection, once it closed
        self._mode = "online"
        self._drop_after: int | None = None
        self._listener: socket.socket | None = None
        self._conns: dict[socket.socket, bytearray] = {}
        self._sel = selectors.DefaultSelector()
        self._actions: queue.Queue = queue.Queue()
        self._wake_r, self._wake_w = socket.socketpair()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="sim-tcp-printer", daemon=True)

    # ------------------------------------------------------------ control
    def start(self) -> TcpPrinterSimulator:
        self._listen()
        self._sel.register(self._wake_r, selectors.EVENT_READ, "wake")
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        self._wake_w.send(b"x")
        self._thread.join(timeout=5)
        for conn in list(self._conns):
            self._close(conn)
        if self._listener is not None:
            self._listener.close()
        self._wake_r.close()
        self._wake_w.close()
        self._sel.close()

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def received(self) -> bytes:
        return self.model.received

    def set_state(self, **changes: bool) -> None:
        """E.g. ``set_state(paper_end=True)``; see ``PrinterState``."""
        self.model.set_state(**changes)

    @property
    def answer_status(self) -> bool:
        return self.model.answer_status

    @answer_status.setter
    def answer_status(self, value: bool) -> None:
        self.model.answer_status = value

    def go_offline(self, how: str = "refuse") -> None:
        """``"refuse"``: nothing listens any more (connection refused); ``"drop"``: accept, then reset."""
        if how not in ("refuse", "drop"):
            raise ValueError("how is 'refuse' or 'drop'")
        self._do(lambda: self._set_mode(how))

    def go_online(self) -> None:
        self._do(lambda: self._set_mode("online"))

    def drop_after(self, n_bytes: int | None) -> None:
        """Reset each later connection once it has received ``n_bytes`` (None: never)."""
        self._do(lambda: setattr(self, "_drop_after", n_bytes))

    def wait_for(self, predicate: Callable[[bytes], bool], timeout: float = 5.0) -> bool:
        """Block until ``predicate(received)`` holds (or ``timeout``); returns whether it held."""
        return self.model.wait_for(predicate, timeout)

    def wait_for_bytes(self, count: int, timeout: float = 5.0) -> bool:
        return self.wait_for(lambda data: len(data) >= count, timeout)

    # ------------------------------------------------------------- server
    def _do(self, action: Callable[[], None]) -> None:
        done = threading.Event()
        self._actions.put((action, done))
        self._wake_w.send(b"x")
        if not done.wait(timeout=5):
            raise RuntimeError("printer simulator thread did not respond")

    def _set_mode(self, mode: str) -> None:
        if mode == "refuse" and self._listener is not None:
            self._sel.unregister(self._listener)
            self._listener.close()
            self._listener = None
            for conn in list(self._conns):
                self._close(conn, reset=True)
        elif mode != "refuse" and self._listener is None:
            self._listen()
        self._mode = mode

    def _listen(self) -> None:
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((self.host, self.port))
        sock.listen(8)
        sock.setblocking(False)
        self.port = sock.getsockname()[1]  # keep the same port when coming back online
        self._listener = sock
        self._sel.register(sock, selectors.EVENT_READ, "listen")

    def _run(self) -> None:
        while not self._stop.is_set():
            for key, _ in self._sel.select(timeout=0.5):
                if key.data == "wake":
                    self._wake_r.recv(4096)
                    self._run_actions()
                elif key.data == "listen":
                    self._accept()
                else:
                    self._serve(key.fileobj)

    def _run_actions(self) -> None:
        while not self._actions.empty():
            action, done = self._actions.get()
            try:
                action()
            finally:
                done.set()

    def _accept(self) -> None:
        if self._listener is None:
            return
        try:
            conn, _ = self._listener.accept()
        except BlockingIOError:
            return
        self.connections += 1
        if self._mode == "drop":
            _reset(conn)
            return
        conn.setblocking(False)
        self._conns[conn] = bytearray()
        self._sel.register(conn, selectors.EVENT_READ, "conn")

    def _serve(self, conn: socket.socket) -> None:
        try:
            data = conn.recv(65536)
        except (BlockingIOError, InterruptedError):
            return
        except OSError:
            data = b""
        if not data:
            self._close(conn)
            return
        got = self._conns[conn]
        if self._drop_after is not None and len(got) + len(data) >= self._drop_after:
            data = data[: self._drop_after - len(got)]
            got += data
            self.model.feed(data)
            self._close(conn, reset=True)
            return
        got += data
        replies = self.model.feed(data)
        if replies:
            try:
                conn.sendall(replies)
            except OSError:
                self._close(conn)

    def _close(self, conn: socket.socket, *, reset: bool = False) -> None:
        got = self._conns.pop(conn, None)
        if got is not None:
            self.jobs.append(bytes(got))
            self._sel.unregister(conn)
        if reset:
            _reset(conn)
        else:
            conn.close()
        self.model.notify()


def _reset(conn: socket.socket) -> None:
    """Close with RST (SO_LINGER 0), as a printer that loses power or reboots does."""
    conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    conn.close()
