"""Cash drawers: kicked through the receipt printer's drawer port, or a standalone serial drawer."""

from __future__ import annotations

from drivers.printer import ReceiptPrinter
from drivers.printing import commands
from drivers.transports.base import Transport


class PrinterDrawer:
    """A drawer plugged into the printer's RJ11/RJ12 drawer port.

    ``open`` sends ``ESC p m t1 t2`` (pin 2 → m=0, pin 5 → m=1; times in ms, sent in 2 ms units, at most 510
    ms) without any paper check. ``is_open`` reads the drawer bit of ``DLE EOT 1``: None when the printer
    does not answer or has no drawer sensor wired.
    """

    def __init__(self, printer: ReceiptPrinter, *, pin: int = 2, on_ms: int = 50, off_ms: int = 500) -> None:
        commands.drawer_pulse_args(pin, on_ms, off_ms)  # reject a bad pin now, not at the first sale
        self.printer = printer
        self.pin, self.on_ms, self.off_ms = pin, on_ms, off_ms

    def kick_bytes(self) -> bytes:
        """The kick command, to append to a receipt job so both go in one write."""
        return commands.drawer_kick(self.pin, self.on_ms, self.off_ms)

    def open(self) -> None:
        self.printer.send(self.kick_bytes())

    def is_open(self) -> bool | None:
        return self.printer.status().drawer_open


class SerialDrawer:
    """A drawer with its own serial interface, opened by sending ``command`` (default: an ESC/POS kick).

    Such drawers report nothing back, so ``is_open`` is always None (unknown).
    """

    def __init__(self, transport: Transport, *, command: bytes | None = None) -> None:
        self.transport = transport
        self.command = command if command is not None else commands.drawer_kick(2, 50, 500)

    def open(self) -> None:
        opened_here = not self.transport.is_open
        if opened_here:
            self.transport.open()
        try:
            self.transport.write(self.command)
        finally:
            if opened_here:
                self.transport.close()

    def is_open(self) -> bool | None:
        return None
