"""Device glue speed: a receipt's ESC/POS bytes from a core Receipt, and a serial scan reaching the services.

Run on demand (not collected by pytest):
    .venv/bin/python -m tests.benchmarks.bench_devices [--runs N] [--scans N] [--products N]
Prints a markdown table. Targets (issue 3):
- layout: the ESC/POS bytes of a 30-line receipt built from a core ``Receipt`` through
  ``devices.sale_receipt`` (our layout, GB18030, 80 mm), median ≤ 5 ms. Baseline in the same run: the same
  text lines (``core.receipt_text.layout_receipt``) sent through python-escpos's ``Dummy.textln`` with its own
  encoder and nothing else;
- scan: a code typed by a pseudo-terminal scanner reaches the services — read by the serial driver, check
  digit validated by ``ScanGate``, looked up with ``services.catalog.lookup_scan`` on a demo catalog — within
  10 ms of its last byte (median and p99). Baseline: the same codes looked up directly, without the serial path.
"""

from __future__ import annotations

import argparse
import sqlite3
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from escpos.printer import Dummy

from drivers.printing import PrinterProfile
from drivers.sim.escpos_decoder import decode_escpos
from drivers.sim.pty_scanner import PtyScanner
from pos_desktop import config
from pos_desktop.core.receipt_text import layout_receipt
from pos_desktop.devices import DeviceManager, ReceiptStyle, sale_receipt
from pos_desktop.services import catalog, till
from pos_desktop.services.demo import build_demo
from tests.devices.receipts import sample_receipt

LAYOUT_TARGET_MS = 5.0
SCAN_TARGET_MS = 10.0


def measure(fn, runs: int) -> tuple[float, float]:  # type: ignore[no-untyped-def]
    """Median and 99th percentile in milliseconds, after a warm-up."""
    for _ in range(min(20, runs)):
        fn()
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return summary(times)


def summary(times_ms: list[float]) -> tuple[float, float]:
    ordered = sorted(times_ms)
    return statistics.median(ordered), ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]


# ------------------------------------------------------------------------------------------------ layout
def bench_layout(runs: int) -> list[tuple[str, float, float, str]]:
    receipt = sample_receipt(30)
    style80 = ReceiptStyle(PrinterProfile(encoding="gb18030", width=48), header="欢迎光临", footer="谢谢惠顾 Thank you")
    style58 = ReceiptStyle(PrinterProfile(encoding="gbk", width=32, kanji_mode=True), footer="谢谢惠顾")
    data = sale_receipt(receipt, style80)
    assert decode_escpos(data).line_with("红富士苹果"), "the receipt did not read back"
    text = layout_receipt(receipt, 48)

    def baseline() -> bytes:
        printer = Dummy()
        for line in text:
            printer.textln(line)
        printer.cut()
        return printer.output

    return [
        ("layout: 30-line Receipt → ESC/POS, GB18030, 80 mm (devices.sale_receipt)",
         *measure(lambda: sale_receipt(receipt, style80), runs), f"{len(data)} bytes"),
        ("layout: the same, GBK with FS & wrapping, 58 mm",
         *measure(lambda: sale_receipt(receipt, style58), runs), ""),
        ("baseline: the same text lines through python-escpos Dummy.textln (its own encoder)",
         *measure(baseline, runs), f"{len(baseline())} bytes"),
    ]


# -------------------------------------------------------------------------------------------------- scan
def bench_scan(scans: int, products: int) -> list[tuple[str, float, float, str]]:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "till"
        build_demo(folder, products=products, days=0)
        ctx = till.open_till(folder)
        try:
            codes = _codes(folder, scans)
            direct = []
            for code in codes[:20]:
                catalog.lookup_scan(ctx, code)
            for code in codes:
                start = time.perf_counter()
                catalog.lookup_scan(ctx, code)
                direct.append((time.perf_counter() - start) * 1000)
            serial = _serial_scans(folder, ctx, codes)
        finally:
            ctx.close()
    return [
        (f"scan: pty scanner → driver → check digit → lookup_scan ({products:,} products)", *summary(serial),
         f"{len(serial)} scans, from the last byte written"),
        ("baseline: lookup_scan of the same codes, called directly", *summary(direct), ""),
    ]


def _codes(folder: Path, n: int) -> list[str]:
    """``n`` barcodes of the catalog, spread over it (13-digit GTINs, as most scans are)."""
    con = sqlite3.connect(folder / "pos.db")
    try:
        codes = [c for (c,) in con.execute("SELECT code FROM barcodes WHERE length(code) = 13 ORDER BY rowid")]
    finally:
        con.close()
    step = max(1, len(codes) // n)
    return (codes[::step] * (n // max(1, len(codes[::step])) + 1))[:n]


def _serial_scans(folder: Path, ctx, codes: list[str]) -> list[float]:  # type: ignore[no-untyped-def]
    done = threading.Event()
    found: list[float] = []
    failures: list[str] = []

    def on_scan(code: str, symbology: str | None) -> None:
        try:
            catalog.lookup_scan(ctx, code, symbology)
        except Exception as exc:  # noqa: BLE001 - counted, not hidden
            failures.append(f"{code}: {exc}")
        found.append(time.perf_counter())
        done.set()

    with PtyScanner(suffix="CR") as scanner:
        settings = config.defaults()
        settings["scanner"].update(kind="serial", device=scanner.path, suffix="CR", timeout=1)
        config.save(folder / "config.toml", settings)
        with DeviceManager.from_data_dir(folder) as devices:
            devices.start_scanner(on_scan, lambda code, sym, err: failures.append(f"{code}: {err}"))
            latencies = []
            for i, code in enumerate(codes):
                done.clear()
                scanner.scan(code)  # returns once the last byte is written to the pty
                sent = time.perf_counter()
                if not done.wait(5):
                    raise RuntimeError(f"scan {i} ({code}) never reached the services")
                latencies.append((found[-1] - sent) * 1000)
    if failures:
        raise RuntimeError(f"{len(failures)} scans failed, e.g. {failures[0]}")
    return latencies[10:]  # the first reads warm the reader thread and the lookup connection


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=500, help="layout builds to time")
    parser.add_argument("--scans", type=int, default=300, help="serial scans to time")
    parser.add_argument("--products", type=int, default=20000, help="demo catalog size for the scan")
    args = parser.parse_args(argv)

    rows = bench_layout(args.runs) + bench_scan(args.scans, args.products)
    print("| what | median ms | p99 ms | notes |")
    print("|---|---:|---:|---|")
    for name, median, p99, note in rows:
        print(f"| {name} | {median:.3f} | {p99:.3f} | {note} |")
    layout_ok = rows[0][1] <= LAYOUT_TARGET_MS
    scan_row = rows[3]
    scan_ok = scan_row[1] <= SCAN_TARGET_MS and scan_row[2] <= SCAN_TARGET_MS
    print(f"\nlayout target: median ≤ {LAYOUT_TARGET_MS:g} ms — {'met' if layout_ok else 'MISSED'}")
    print(f"scan target: median and p99 ≤ {SCAN_TARGET_MS:g} ms after the last byte — {'met' if scan_ok else 'MISSED'}")
    return 0 if layout_ok and scan_ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
