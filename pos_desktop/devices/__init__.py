"""Device glue: the finished ``drivers`` wired to the till, with no knowledge of the database.

- ``DeviceManager`` (``till_devices``): the devices of ``config.toml``, their status as data, driver faults
  as ``core.errors.DeviceError`` with a message for the cashier;
- ``ScanGate`` (``scans``): every scan's check digit is validated before anyone looks it up;
- ``receipt_layout``: a core ``Receipt`` (or a return's JSON) as ESC/POS bytes for 58/80 mm paper;
- ``ReceiptSpool`` (``spool``): the persistent reprint queue in ``<data_dir>/spool``;
- ``ReceiptPrinting`` (``receipt_printing``): sell first, print second, drawer for cash;
- ``SimPrinterTransport`` (``sim_printer``): ``[printer] kind = "sim"`` for demos without hardware.

It may import ``drivers``, ``pos_desktop.core``, ``pos_desktop.config`` and ``pos_desktop.paths``; never the
services, the store or Qt. Callers pass in what comes from the database (the receipt, the shop's header and
footer text, the in-store barcode layouts).
"""

from .faults import device_error, device_label
from .receipt_layout import ReceiptStyle, printer_test_page, return_slip, sale_receipt, text_job
from .receipt_printing import PrintOutcome, ReceiptPrinting
from .scans import ScanEvent, ScanGate, WedgeDetector, WedgeScan, WedgeTyping
from .sim_printer import SimPrinterTransport
from .spool import ReceiptSpool, SpoolJob, spool_dir
from .status import DeviceStatus
from .till_devices import DEVICES, DeviceManager, ScannerSession

__all__ = [
    "DEVICES",
    "DeviceManager",
    "DeviceStatus",
    "PrintOutcome",
    "ReceiptPrinting",
    "ReceiptSpool",
    "ReceiptStyle",
    "ScanEvent",
    "ScanGate",
    "ScannerSession",
    "SimPrinterTransport",
    "SpoolJob",
    "WedgeDetector",
    "WedgeScan",
    "WedgeTyping",
    "device_error",
    "device_label",
    "printer_test_page",
    "return_slip",
    "sale_receipt",
    "spool_dir",
    "text_job",
]
