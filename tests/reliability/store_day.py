"""A busy store's day, played faster than real time: the soak of ``scripts/soak.py`` and its short test.

One real till (services, as the window calls them) sells about every 12 simulated seconds, takes a return
every 25 sales and counts the back room every simulated hour; receipts go to a TCP printer simulator that is
switched off for 2 minutes every 20; the real sync agent (its own scheduler thread) pushes through a proxy to
a real server process, and the proxy cuts the network every other simulated minute. The run records the
till process's RSS, the latency of each kind of operation, errors, and at the end checks that nothing was
lost: every receipt stored, whole, on paper or in the reprint queue, and on the server exactly once.
"""

from __future__ import annotations

import random
import statistics
import time
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal as D
from pathlib import Path
from typing import Any, Callable

from drivers.sim.tcp_printer import TcpPrinterSimulator
from pos_desktop import config, paths
from pos_desktop.malloc import limit_arenas
from pos_desktop.core.cart import Cart
from pos_desktop.services import auth, catalog, checkout, counts, returns
from pos_desktop.services.checkout import Tender
from pos_desktop.services.returns import ReturnRequest
from tests.reliability import checks
from tests.sync.fault_proxy import FaultProxy
from tests.sync.harness import CODES, ServerProcess, Till

SALE_EVERY, RETURN_EVERY, COUNT_EVERY = 12.0, 25, 3600.0      # simulated seconds / sales / seconds
NETWORK_FLIP, PRINTER_CYCLE, PRINTER_DOWN = 60.0, 1200.0, 120.0
RSS_EVERY = 300.0


def rss_kib(pid: str = "self") -> int:
    with open(f"/proc/{pid}/status") as status:
        return next(int(line.split()[1]) for line in status if line.startswith("VmRSS:"))


def memory_kib() -> dict[str, int]:
    """This process's memory, split: anonymous (heap: Python objects, SQLite's page caches), file-backed
    (the product index's memory map, shared libraries: the kernel may drop these pages at any time), and the
    heap SQLite itself holds (``sqlite3_memory_used``)."""
    with open("/proc/self/status") as status:
        fields = dict(line.split(":", 1) for line in status)
    kib = lambda name: int(fields[name].split()[0])  # noqa: E731
    return {"rss": kib("VmRSS"), "anon": kib("RssAnon"), "file": kib("RssFile"), "sqlite": sqlite_heap_kib()}


def sqlite_heap_kib() -> int:
    try:
        import _sqlite3
        import ctypes
        used = ctypes.CDLL(_sqlite3.__file__).sqlite3_memory_used
        used.restype = ctypes.c_int64
        return int(used()) // 1024
    except (OSError, AttributeError):
        return -1


def db_kib(path: Path) -> int:
    """The database and its WAL on disk."""
    return sum(Path(f"{path}{s}").stat().st_size for s in ("", "-wal") if Path(f"{path}{s}").exists()) // 1024


def percentiles(values: list[float]) -> dict[str, float]:
    if not values:
        return {}
    ordered = sorted(values)
    pick = lambda q: ordered[min(len(ordered) - 1, int(q * len(ordered)))]  # noqa: E731
    return {"n": len(values), "p50_ms": round(pick(0.50) * 1000, 1), "p95_ms": round(pick(0.95) * 1000, 1),
            "p99_ms": round(pick(0.99) * 1000, 1), "max_ms": round(ordered[-1] * 1000, 1)}


@dataclass
class Day:
    workdir: Path
    hours: float
    speed: float = 10.0
    seed: int = 1
    progress: Callable[[str], None] = lambda _text: None
    count_every: float = COUNT_EVERY
    printer_cycle: float = PRINTER_CYCLE
    printer_down: float = PRINTER_DOWN
    rss_every: float = RSS_EVERY
    latency: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    errors: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    rss: list[tuple[float, int, int, int]] = field(default_factory=list)  # (sim s, till, server, db file) KiB
    memory: list[dict[str, int]] = field(default_factory=list)             # the till's RSS split, KiB
    receipts: list[str] = field(default_factory=list)
    returned: set[str] = field(default_factory=set)
    queued: dict[str, Any] = field(default_factory=dict)               # receipt no → Receipt waiting to print
    printed: set[str] = field(default_factory=set)
    outages: dict[str, int] = field(default_factory=lambda: defaultdict(int))

    def timed(self, kind: str, fn: Callable[[], Any]) -> Any:
        started = time.perf_counter()
        try:
            return fn()
        except Exception as exc:  # noqa: BLE001 - every failure is counted; the day goes on
            self.errors[f"{kind}: {type(exc).__name__}: {str(exc)[:400]}"] += 1
            return None
        finally:
            self.latency[kind].append(time.perf_counter() - started)

    def run(self) -> dict[str, Any]:
        limit_arenas()      # as the till's entry points do (main.py, pos): the till's memory, not the harness's
        server = ServerProcess.sqlite(self.workdir / "server").start()
        try:
            server.import_catalog()
            proxy = FaultProxy(server.port)
            try:
                with TcpPrinterSimulator() as printer:
                    return self._day(server, proxy, printer)
            finally:
                proxy.close()
        finally:
            server.stop()

    def _day(self, server: ServerProcess, proxy: FaultProxy, printer: TcpPrinterSimulator) -> dict[str, Any]:
        from pos_desktop.devices import DeviceManager, ReceiptPrinting, ReceiptSpool, spool_dir

        store = server.new_store()
        till = Till.create(self.workdir / "till", store, "T01")
        till.enrol(proxy.url, server.enrol_code(store, "T01"))
        till.drain()
        till.close()
        cfg = config.load(paths.config_path(self.workdir / "till"))
        cfg["printer"].update(kind="network", host="127.0.0.1", port=printer.port, timeout=0.5)
        cfg["drawer"].update(kind="printer")
        config.save(paths.config_path(self.workdir / "till"), cfg)
        till = Till.open(self.workdir / "till", interval=2.0)
        ctx = till.ctx
        devices = DeviceManager.from_data_dir(ctx.data_dir)
        printing = ReceiptPrinting(devices, ReceiptSpool(spool_dir(ctx.data_dir)), devices.receipt_style())
        cashier, manager = auth.login(ctx, "admin", "1234"), auth.login(ctx, "admin", "1234")
        rng = random.Random(self.seed)
        till.agent.start()
        end, step = self.hours * 3600.0, 1.0
        started = time.monotonic()
        events = {"sale": rng.expovariate(1 / SALE_EVERY), "count": self.count_every / 2,
                  "network": NETWORK_FLIP, "printer": self.printer_cycle, "rss": 0.0}
        printer_down_until = None
        try:
            now = 0.0
            while now < end:
                lag = (started + now / self.speed) - time.monotonic()
                if lag > 0:
                    time.sleep(lag)
                if now >= events["rss"]:
                    self._sample(now, server, ctx)
                    events["rss"] += self.rss_every
                    self.progress(f"{now / 3600:.2f} h: {len(self.receipts)} sales, RSS {self.rss[-1][1]} KiB "
                                  f"(anon {self.memory[-1]['anon']}, file {self.memory[-1]['file']}, sqlite "
                                  f"{self.memory[-1]['sqlite']}, db {self.rss[-1][3]}), {sum(self.errors.values())} errors")
                if now >= events["network"]:
                    proxy.offline = not proxy.offline
                    self.outages["network"] += proxy.offline
                    events["network"] += NETWORK_FLIP
                if now >= events["printer"]:
                    printer.go_offline()
                    self.outages["printer"] += 1
                    printer_down_until = now + self.printer_down
                    events["printer"] += self.printer_cycle
                if printer_down_until is not None and now >= printer_down_until:
                    printer.go_online()
                    printer_down_until = None
                    for no, receipt in list(self.queued.items()):   # the cashier reprints what waited
                        if self.timed("reprint", lambda r=receipt: printing.reprint(r)) is not None:
                            self.printed.add(no)
                            del self.queued[no]
                if now >= events["sale"]:
                    self._sale(ctx, till, printing, cashier, rng)
                    events["sale"] += rng.expovariate(1 / SALE_EVERY)
                if now >= events["count"]:
                    self.timed("count", lambda: self._count(ctx, manager))
                    events["count"] += self.count_every
                now += step
            self._sample(now, server, ctx)
        finally:
            till.agent.stop()
            devices.close()
        wall = time.monotonic() - started
        proxy.offline = False
        drained = self.timed("final sync", lambda: self._final_sync(till))
        till.close()
        return self._figures(server, store, wall, bool(drained))

    def _sample(self, now: float, server: ServerProcess, ctx) -> None:  # type: ignore[no-untyped-def]
        memory = memory_kib()
        self.memory.append(memory)
        self.rss.append((now, memory["rss"], rss_kib(str(server.proc.pid)), db_kib(ctx.db.path)))

    def _final_sync(self, till: Till) -> bool:
        """The network is back for good: sync until the outbox is empty (the backoff's waits are skipped).
        A stopped agent pushes nothing more, so this is a fresh one, as at the next start of the till."""
        from pos_desktop.sync.agent import SyncAgent
        till.agent = SyncAgent(till.ctx, timeout=(2.0, 5.0))
        for _ in range(30):
            result = till.sync()
            if result.ok and result.pending == 0:
                return True
        raise AssertionError(f"the outbox did not drain: {result}")

    def _sale(self, ctx, till: Till, printing, cashier, rng: random.Random) -> None:  # type: ignore[no-untyped-def]
        cart = Cart()
        for _ in range(rng.randint(1, 6)):
            found = catalog.lookup_scan(ctx, CODES[rng.choice(list(CODES))])
            cart.add(found.product, found.qty * rng.randint(1, 3), barcode=found.barcode)
        total = cart.price(at=ctx.clock.now()).cart.total
        method = rng.choice(("cash", "card", "qr"))
        paid = total if method != "cash" else (total + rng.choice((D(0), D(1), D(10)))).quantize(D("1"))
        paid = max(paid, total)
        receipt = self.timed("sale", lambda: checkout.complete_sale(ctx, cart, [Tender(method, paid)], cashier))
        if receipt is None:
            return
        self.receipts.append(receipt.receipt_no)
        till.agent.wake()
        outcome = self.timed("print", lambda: printing.print_sale(receipt, open_drawer=method == "cash"))
        if outcome is not None and outcome.printed:
            self.printed.add(receipt.receipt_no)
        else:
            self.queued[receipt.receipt_no] = receipt
        if len(self.receipts) % RETURN_EVERY == 0:
            candidates = [no for no in self.receipts[-RETURN_EVERY:-1] if no not in self.returned]
            if candidates:
                no = rng.choice(candidates)
                if self.timed("return", lambda: returns.return_items(ctx, cashier, receipt_no=no,
                                                                     lines=[ReturnRequest(1, D(1))],
                                                                     reason="damaged")) is not None:
                    self.returned.add(no)

    def _count(self, ctx, manager) -> None:  # type: ignore[no-untyped-def]
        count = counts.start_count(ctx, manager, location="BACK")
        counts.record_count(ctx, manager, count.id, sku="SOAP", qty=D(24))
        counts.finish_count(ctx, manager, count.id)
        counts.approve_count(ctx, manager, count.id)

    def _figures(self, server: ServerProcess, store: str, wall: float, drained: bool) -> dict[str, Any]:
        folder = self.workdir / "till"
        db_file = paths.db_path(folder)
        local = checks.local_receipts(db_file)
        on_server = checks.server_receipts(Path(server.db_url.removeprefix("sqlite:///")))
        mine = {no: n for no, n in on_server.items() if no.startswith(f"{store}-T01-")}
        problems = checks.till_folder(folder, self.receipts)
        lost_on_server = [no for no in local if no not in mine]
        duplicates = [no for no, n in mine.items() if n != 1]
        unprinted = [no for no in self.receipts if no not in self.printed and no not in self.queued]
        samples = [kib for _t, kib, _s, _d in self.rss]
        warm = max(1, len(samples) // 8)                 # the first eighth of the day is warm-up
        after_warmup, last = samples[warm - 1], statistics.median(samples[-max(1, len(samples) // 10):])
        return {
            "simulated_hours": self.hours, "speed": self.speed, "wall_seconds": round(wall, 1),
            "sales": len(self.receipts), "returns": len(self.returned), "counts": len(self.latency["count"]),
            "printer_outages": self.outages["printer"], "network_cuts": self.outages["network"],
            "errors": dict(self.errors), "error_count": sum(self.errors.values()),
            "latency": {kind: percentiles(values) for kind, values in self.latency.items()},
            "rss_kib": {"start": samples[0], "after_warmup": after_warmup, "end": last, "max": max(samples),
                        "growth_after_warmup_pct": round(100 * (last - after_warmup) / after_warmup, 1),
                        "server_start": self.rss[0][2], "server_end": self.rss[-1][2],
                        "db_file_start": self.rss[0][3], "db_file_end": self.rss[-1][3],
                        "samples": [[round(t / 3600, 2), kib, db] for t, kib, _s, db in self.rss],
                        "split_samples": [[round(t / 3600, 2), m["anon"], m["file"], m["sqlite"]]
                                          for (t, *_r), m in zip(self.rss, self.memory)]},
            "printed": len(self.printed), "waiting_to_print": len(self.queued), "receipts_unaccounted": unprinted,
            "final_sync_ok": drained, "server_missing": lost_on_server, "server_duplicates": duplicates,
            "problems": problems,
        }
