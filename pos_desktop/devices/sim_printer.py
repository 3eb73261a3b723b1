"""The demo printer (``[printer] kind = "sim"``): a transport into files of the data folder, no hardware.

Every job is appended to ``<data_dir>/sim/printer.bin`` as the bytes a real printer would receive, and to
``<data_dir>/sim/printer.txt`` decoded back to text (with the cuts, drawer pulses and codes marked), so a
demo can show what came out. The printer's condition comes from ``<data_dir>/sim/printer.state``: words among
``online`` (the default when the file is missing), ``offline`` (unreachable, as if switched off),
``paper_end``, ``paper_near_end``, ``cover_open``, ``error``, ``drawer_open`` and ``silent`` (never answers a
status query). Status queries are answered by the same model as the simulators the tests use.
"""

from __future__ import annotations

import os
import re
import threading
from pathlib import Path

from drivers.errors import DeviceOffline
from drivers.sim.escpos_decoder import decode_escpos
from drivers.sim.escpos_events import Barcode, Cut, DrawerPulse, QrCode, RasterImage, TextLine
from drivers.sim.printer_model import PrinterModel, PrinterState
from drivers.transports.base import DEFAULT_TIMEOUT, Transport

STATUS_QUERY = re.compile(rb"\x10\x04[\x01-\x04]")
STATE_WORDS = ("online", "offline", "paper_end", "paper_near_end", "cover_open", "error", "drawer_open", "silent")


def sim_dir(data_dir: Path) -> Path:
    return data_dir / "sim"


def read_state(path: Path) -> tuple[set[str], list[str]]:
    """The words of a ``printer.state`` file (known, unknown); a missing file means ``online``."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return {"online"}, []
    words = {w.strip().lower() for w in text.replace(",", " ").split() if w.strip()}
    return words & set(STATE_WORDS) or {"online"}, sorted(words - set(STATE_WORDS))


class SimPrinterTransport(Transport):
    """A printer that lives in files. Writes go to ``printer.bin`` (and ``printer.txt``) when closed."""

    _lock = threading.Lock()  # two threads of one process appending jobs must not interleave them

    def __init__(self, folder: Path, *, encoding: str = "gb18030", timeout: float = DEFAULT_TIMEOUT) -> None:
        super().__init__(timeout=timeout)
        self.folder = Path(folder)
        self.encoding = encoding
        self._model: PrinterModel | None = None
        self._replies = bytearray()
        self._job = bytearray()

    @property
    def name(self) -> str:
        return f"sim://{self.folder}"

    @property
    def bin_path(self) -> Path:
        return self.folder / "printer.bin"

    @property
    def text_path(self) -> Path:
        return self.folder / "printer.txt"

    @property
    def state_path(self) -> Path:
        return self.folder / "printer.state"

    @property
    def is_open(self) -> bool:
        return self._model is not None

    def open(self) -> None:
        if self._model is not None:
            return
        words, _unknown = read_state(self.state_path)
        if "offline" in words:
            raise DeviceOffline("simulated printer is switched off (printer.state says offline)", device=self.name)
        flags = {w: True for w in words if w not in ("online", "offline", "silent")}
        self._model = PrinterModel(PrinterState(**flags))
        self._model.answer_status = "silent" not in words
        self._replies.clear()
        self._job.clear()

    def write(self, data: bytes) -> None:
        model = self._require()
        self._replies += model.feed(data)
        self._job += data

    def read(self, n: int, timeout: float | None = None) -> bytes:
        self._require()
        out = bytes(self._replies[:n])
        del self._replies[:n]
        return out

    def close(self) -> None:
        if self._model is None:
            return
        self._model = None
        job, self._job = bytes(self._job), bytearray()
        if STATUS_QUERY.sub(b"", job):  # more than status queries: something was printed
            try:
                self._append(job)
            except OSError:
                pass  # close never raises; a demo folder that cannot be written only loses its copy

    def _append(self, job: bytes) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        with self._lock:
            with open(self.bin_path, "ab") as handle:
                handle.write(job)
                handle.flush()
                os.fsync(handle.fileno())
            with open(self.text_path, "a", encoding="utf-8") as handle:
                handle.write("\n".join(describe_job(job, self.encoding)) + "\n")

    def _require(self) -> PrinterModel:
        if self._model is None:
            raise DeviceOffline("simulated printer is not open", device=self.name)
        return self._model


def describe_job(job: bytes, encoding: str) -> list[str]:
    """What a person would see on the paper of one job, with the non-text events in brackets."""
    lines: list[str] = []
    for item in decode_escpos(job, encoding).items:
        if isinstance(item, TextLine):
            lines.append(item.text)
        elif isinstance(item, Cut):
            lines.append("[cut]" if not item.partial else "[partial cut]")
            lines.append("")
        elif isinstance(item, DrawerPulse):
            lines.append(f"[drawer kick: pin {item.pin}, {item.on_ms}/{item.off_ms} ms]")
        elif isinstance(item, Barcode):
            lines.append(f"[barcode {item.kind}: {item.data}]")
        elif isinstance(item, QrCode):
            lines.append(f"[QR code: {item.data}]")
        elif isinstance(item, RasterImage):
            lines.append(f"[image {item.width}x{item.height}]")
    return lines
