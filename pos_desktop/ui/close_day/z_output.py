"""After the Z: the report on the receipt printer and as a PDF, off the GUI thread.

The day is already closed when this runs, so nothing here can fail it. Like a receipt, the printout goes to
the reprint queue (spool) before a byte is sent; a printer fault leaves the job queued and is only reported
(the stored report can also be printed again with ``pos report z --date D --print``). The PDF is written to
``<data_dir>/reports/z-<date>-<number>.pdf``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ...core.errors import DeviceError, PosError
from ...core.i18n import _
from ...devices import ReceiptPrinting
from ...devices.report_layout import day_report
from ...services.zreport_pdf import write_report_pdf

SPOOL_KIND = "z_report"


@dataclass
class ZOutput:
    printed: bool = False
    bytes_sent: int = 0
    print_error: str | None = None
    queued_job: str | None = None     # the spool job still waiting after a fault
    pdf: Path | None = None
    pdf_error: str | None = None


def pdf_path(data_dir: Path, report: Mapping[str, Any]) -> Path:
    return Path(data_dir) / "reports" / f'z-{report["date"]}-{int(report["z_number"]):04d}.pdf'


def spool_name(report: Mapping[str, Any]) -> str:
    return f'Z{int(report["z_number"]):04d}-{report["date"]}'


def print_and_save(printing: ReceiptPrinting, data_dir: Path, report: Mapping[str, Any]) -> ZOutput:
    """Print the Z report (queued first) and write its PDF; faults are in the outcome, never raised."""
    out = ZOutput()
    _print(printing, report, out)
    target = pdf_path(data_dir, report)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        out.pdf = write_report_pdf(report, target)
    except (OSError, PosError) as exc:
        out.pdf_error = getattr(exc, "message", None) or str(exc)
    return out


def _print(printing: ReceiptPrinting, report: Mapping[str, Any], out: ZOutput) -> None:
    devices = printing.devices
    if devices.kind("printer") == "none":
        out.print_error = _("No receipt printer is set up: see the [printer] section of config.toml")
        return
    data = day_report(report, printing.style)
    job = printing.spool.add(spool_name(report), SPOOL_KIND, data)   # the bytes are the whole job
    try:
        sent = devices.print_bytes(data)
    except DeviceError as exc:
        out.print_error = exc.message
        out.queued_job = printing.spool.failed(job, exc.message, exc.code).job_id
    else:
        printing.spool.done(job)
        out.printed, out.bytes_sent = True, sent.bytes_sent
