"""How long building one receipt's bytes takes: our document builder vs python-escpos's Dummy alone.

Run on demand: ``.venv/bin/python -m tests.benchmarks.bench_escpos [--runs N]``. Not collected by pytest.
The receipt has 30 item lines of Chinese and English; the target is a median of at most 5 ms. The baseline
sends the same text through ``Dummy.textln`` with python-escpos's own "magic" encoder, without our layout.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from escpos.printer import Dummy

from drivers.printing import PrinterProfile, ReceiptDocument
from drivers.sim.escpos_decoder import decode_escpos

TARGET_MEDIAN_MS = 5.0
NAMES = ["可口可乐 Coca-Cola 330ml", "红富士苹果 Fuji apple", "农夫山泉 550ml", "康师傅红烧牛肉面 noodles",
         "蒙牛纯牛奶 250ml milk", "徐福记沙琪玛 snack", "金龙鱼大米 5kg rice", "海天酱油 soy sauce 500ml",
         "德芙巧克力 Dove chocolate", "青岛啤酒 Tsingtao beer"]
ITEMS = [(NAMES[i % len(NAMES)], f"{i % 3 + 1}", f"{(i * 137) % 9000 // 100}.{(i * 37) % 100:02d}")
         for i in range(30)]


def build_receipt(profile: PrinterProfile) -> bytes:
    doc = ReceiptDocument(profile)
    with doc.styled(align="center", bold=True, width=2, height=2):
        doc.line("好又多超市")
    with doc.styled(align="center"):
        doc.line("S01-T02-000123  2024-05-01 18:30")
    doc.rule()
    for name, qty, amount in ITEMS:
        doc.pair(f"{name} x{qty}", amount)
    doc.rule()
    with doc.styled(bold=True):
        doc.pair("合计 Total", "1234.56")
    doc.pair("现金 Cash", "1300.00").pair("找零 Change", "65.44")
    doc.barcode("S01-T02-000123")
    doc.qr("https://shop.example.cn/r/S01-T02-000123")
    doc.cut()
    return doc.to_bytes()


def build_baseline() -> bytes:
    printer = Dummy()
    printer.textln("好又多超市")
    printer.textln("S01-T02-000123  2024-05-01 18:30")
    for name, qty, amount in ITEMS:
        printer.textln(f"{name} x{qty} {amount}")
    for line in ("合计 Total 1234.56", "现金 Cash 1300.00", "找零 Change 65.44"):
        printer.textln(line)
    printer.cut()
    return printer.output


def measure(fn, runs: int) -> tuple[float, float]:
    """Median and 99th percentile in milliseconds, after a warm-up."""
    for _ in range(min(20, runs)):
        fn()
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    times.sort()
    return statistics.median(times), times[min(len(times) - 1, int(len(times) * 0.99))]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=500)
    args = parser.parse_args(argv)

    profile = PrinterProfile(encoding="gb18030", width=48)
    lines = decode_escpos(build_receipt(profile)).lines
    assert any("好又多超市" in line for line in lines), "the receipt did not read back"
    rows = [
        ("our builder, GB18030, 80 mm", *measure(lambda: build_receipt(profile), args.runs)),
        ("our builder, GBK + FS &, 58 mm",
         *measure(lambda: build_receipt(PrinterProfile(encoding="gbk", width=32, kanji_mode=True)), args.runs)),
        ("python-escpos Dummy, magic encoder (baseline)", *measure(build_baseline, args.runs)),
    ]
    print(f"30-line Chinese + English receipt, {args.runs} runs, {len(build_receipt(profile))} bytes\n")
    print("| build | median ms | p99 ms |")
    print("|---|---:|---:|")
    for name, median, p99 in rows:
        print(f"| {name} | {median:.3f} | {p99:.3f} |")
    ok = rows[0][1] <= TARGET_MEDIAN_MS
    print(f"\ntarget: median ≤ {TARGET_MEDIAN_MS} ms — {'met' if ok else 'MISSED'}")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
