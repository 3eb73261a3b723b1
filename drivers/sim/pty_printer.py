"""A serial receipt printer on a pseudo-terminal, with the same scriptable state as the network one."""

from __future__ import annotations

from drivers.sim.printer_model import PrinterModel, PrinterState
from drivers.sim.pty_device import PtyDevice


class PtyPrinter(PtyDevice):
    """Records what the driver wrote (``model.received``) and answers ``DLE EOT`` from ``model.state``."""

    def __init__(self, state: PrinterState | None = None) -> None:
        super().__init__()
        self.model = PrinterModel(state)

    def on_bytes(self, data: bytes) -> None:
        replies = self.model.feed(data)
        if replies:
            self.send(replies)
