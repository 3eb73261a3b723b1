"""Each device's condition as data: for ``pos devices list --json`` and the status bar of the till screen."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from drivers.printer_status import PrinterStatus

from ..core.i18n import _


@dataclass(frozen=True)
class DeviceStatus:
    """``state`` holds facts as True/False/None (None: the device did not say); ``ok`` is the verdict:
    True usable, False not usable, None cannot tell (not set up, or it does not report)."""

    name: str
    kind: str
    where: str | None
    ok: bool | None
    summary: str
    state: dict[str, Any] = field(default_factory=dict)
    error: str | None = None  # machine code of the fault, when there is one

    def to_json(self) -> dict[str, Any]:
        return {"name": self.name, "kind": self.kind, "where": self.where, "configured": self.kind != "none",
                "ok": self.ok, "status": dict(self.state), "summary": self.summary, "error": self.error}


def not_set_up(name: str, kind: str = "none") -> DeviceStatus:
    return DeviceStatus(name, kind, None, None, _("Not set up"))


def printer_summary(status: PrinterStatus) -> tuple[bool | None, str, str | None]:
    """(ok, words, fault code) for what a printer answered to ``DLE EOT``. The codes are those of the
    errors a print job would raise (``paper_out``, ``cover_open``, ``printer_error``, ``device_offline``)."""
    if status.paper_end:
        return False, _("Out of paper"), "paper_out"
    if status.cover_open:
        return False, _("Cover open"), "cover_open"
    if status.error:
        return False, _("Printer error (paper jam or overheating?)"), "printer_error"
    if status.online is False:
        return False, _("Offline"), "device_offline"
    if not status.known:
        return None, _("Connected, but it does not report its status"), None
    if status.paper_near_end:
        return True, _("Ready; the paper is running low"), None
    return True, _("Ready"), None


def printer_state(status: PrinterStatus, *, reachable: bool | None) -> dict[str, Any]:
    return {"reachable": reachable, **status.to_dict()}
