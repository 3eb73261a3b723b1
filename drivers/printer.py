"""An ESC/POS receipt printer on any transport: send a job in one write, ask for status, kick the drawer."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from drivers.errors import ConnectionLost, CoverOpen, DeviceOffline, PaperOut, PrinterFault
from drivers.printer_status import UNKNOWN, PrinterStatus, is_status_byte, parse_status
from drivers.printing import commands
from drivers.transports.base import Transport


@dataclass(frozen=True)
class PrintReport:
    """What happened to a job that was handed over completely.

    ``confirmed`` is True when the printer answered a status query sent right after the job, which it can only
    do once it has received every byte before it. ``status`` is that answer (all None when unconfirmed).
    """

    bytes_sent: int
    confirmed: bool
    status: PrinterStatus


class ReceiptPrinter:
    """A receipt printer behind ``transport``.

    Each call opens the transport when it is closed and closes it again afterwards (a network printer then
    serves other tills between jobs, and a printer that was power-cycled is simply reconnected); a transport
    the caller opened stays open. Calls are serialised by a lock, so a status poll from another thread never
    lands in the middle of a job. A job is never re-sent by the driver: after a fault the caller decides.
    """

    def __init__(
        self,
        transport: Transport,
        *,
        status_timeout: float | None = None,
        check_before_print: bool = True,
        confirm_after_print: bool = True,
        drawer_open_level: str = "high",
    ) -> None:
        self.transport = transport
        # a printer answers DLE EOT in milliseconds; waiting long only slows every job on a silent one
        self.status_timeout = min(transport.timeout, 1.0) if status_timeout is None else status_timeout
        self.check_before_print = check_before_print
        self.confirm_after_print = confirm_after_print
        self.drawer_open_level = drawer_open_level
        self._lock = threading.Lock()

    @property
    def name(self) -> str:
        return self.transport.name

    @contextmanager
    def _session(self) -> Iterator[Transport]:
        with self._lock:
            opened_here = not self.transport.is_open
            if opened_here:
                self.transport.open()
            try:
                yield self.transport
            finally:
                if opened_here:
                    self.transport.close()

    def status(self) -> PrinterStatus:
        """Ask ``DLE EOT 1..4``; waits at most ``status_timeout`` (default 1 s) for the replies in all.

        A printer that does not answer gives an all-None status (never "paper OK"). Raises ``DeviceOffline``
        when the printer cannot be reached and ``ConnectionLost`` when the connection drops.
        """
        with self._session():
            return self._query_status()

    def _query_status(self) -> PrinterStatus:
        self.transport.discard_input()  # late replies to an earlier query must not be taken for these
        deadline = time.monotonic() + self.status_timeout
        replies: dict[int, int | None] = {}
        for n in (1, 2, 3, 4):
            self.transport.write(commands.status_query(n))
            reply = self._read_status_byte(deadline)
            if reply is None:
                break  # silent: the rest would only be slower, and a late byte could be misassigned
            replies[n] = reply
        return parse_status(replies, drawer_open_level=self.drawer_open_level)

    def _read_status_byte(self, deadline: float) -> int | None:
        """The next byte shaped like a status reply; other bytes (automatic status back, noise) are skipped."""
        while True:
            reply = self.transport.read(1, timeout=max(0.0, deadline - time.monotonic()))
            if not reply:
                return None
            if is_status_byte(reply[0]):
                return reply[0]

    def print_bytes(self, job: bytes) -> PrintReport:
        """Send ``job`` in one write.

        Before writing (``check_before_print``) a status that positively reports a fault raises
        ``PaperOut``, ``CoverOpen``, ``PrinterFault`` or ``DeviceOffline`` and nothing is sent; an unknown
        status does not stop the job. The write raises ``DeviceOffline``, ``DeviceTimeout`` or
        ``ConnectionLost`` (the job may be partly printed). With ``confirm_after_print`` a status query follows
        the job, so a connection that dropped while the bytes sat in a socket buffer is still reported as
        ``ConnectionLost`` instead of a silent success.
        """
        with self._session():
            if self.check_before_print:
                _raise_for(self._query_status(), self.name)
            self.transport.write(job)
            status = self._query_status() if self.confirm_after_print else UNKNOWN
            return PrintReport(bytes_sent=len(job), confirmed=status.known, status=status)

    def send(self, data: bytes) -> None:
        """Write raw bytes with no status checks (a drawer kick must work even without paper)."""
        with self._session():
            self.transport.write(data)

    def kick_drawer(self, pin: int = 2, on_ms: int = 50, off_ms: int = 500) -> None:
        """Pulse the drawer connector: ``ESC p m t1 t2``."""
        self.send(commands.drawer_kick(pin, on_ms, off_ms))

    def close(self) -> None:
        with self._lock:
            self.transport.close()


def _raise_for(status: PrinterStatus, device: str) -> None:
    if status.paper_end:
        raise PaperOut("out of paper", device=device)
    if status.cover_open:
        raise CoverOpen("cover is open", device=device)
    if status.error:
        raise PrinterFault("printer reports an error (cutter jam or overheating?)", device=device)
    if status.online is False:
        raise DeviceOffline("printer reports it is offline", device=device)


__all__ = ["ConnectionLost", "PrintReport", "PrinterStatus", "ReceiptPrinter"]
