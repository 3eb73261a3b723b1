"""The kill -9 harness: start the driver, SIGKILL it at a random moment, reopen the till and check it.

Used by ``test_kill9.py`` (about 50 kills) and by ``scripts/killharness.py`` (the soak mode, ``--kills 1000``).
Every scenario works on a real data folder enrolled with a real server process on 127.0.0.1 (``tests/sync``
harness) and prints to a TCP printer simulator; after its kills the till syncs and the server must hold every
sale exactly once.
"""

from __future__ import annotations

import gzip
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from drivers.sim.tcp_printer import TcpPrinterSimulator
from pos_desktop import config, paths
from tests.reliability import checks
from tests.sync.harness import ROOT, ServerProcess, Till, child_env, pos

READY_TIMEOUT = 60.0
FIXTURE_0001 = Path(__file__).parent / "fixtures" / "pos-0001.db.gz"
MARKS = ("ready", "migrated", "synced")


@dataclass
class Tally:
    kills: int = 0
    phases: Counter = field(default_factory=Counter)   # what the driver was doing when it was killed
    reported: int = 0
    problems: list[str] = field(default_factory=list)
    seconds: float = 0.0

    def add(self, other: Tally) -> None:
        self.kills += other.kills
        self.phases.update(other.phases)
        self.reported += other.reported
        self.problems += other.problems
        self.seconds += other.seconds


def read_report(path: Path) -> tuple[list[str], str]:
    """The receipts the driver reported, and the phase it was in last (``sale``, ``print``, ``sync``, …)."""
    receipts, phase = [], "start"
    text = path.read_text() if path.exists() else ""
    for line in text.splitlines():
        if line.startswith("> "):
            phase = line[2:]
        elif line == "ready":
            phase = "idle"
        elif line.startswith(("failed", "crashed")):
            raise AssertionError(f"the driver's sale failed: {line}")
        elif line not in MARKS and not line.startswith("printed"):
            receipts.append(line)
            phase = "after-sale"
    return receipts, phase


class Zygote:
    """The driver's forking parent (``driver.py --zygote``): imports paid once, one child per kill."""

    def __init__(self, log: Path) -> None:
        with log.open("ab") as out:
            self.proc = subprocess.Popen([sys.executable, "-m", "tests.reliability.driver", "--zygote"],
                                         stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=out, text=True,
                                         env=child_env(), cwd=ROOT, start_new_session=True)

    def _ask(self, line: str) -> str:
        assert self.proc.stdin is not None and self.proc.stdout is not None
        self.proc.stdin.write(line + "\n")
        self.proc.stdin.flush()
        answer = self.proc.stdout.readline().strip()
        if not answer:
            raise AssertionError(f"the driver's zygote died ({self.proc.poll()})")
        return answer

    def fork(self, folder: Path, report: Path, *args: str) -> int:
        return int(self._ask(" ".join(["fork", "--data-dir", str(folder), "--report", str(report), *args])))

    def kill(self, pid: int) -> None:
        """SIGKILL the child's process group (the child and any ``pos sale`` it runs), then reap it."""
        try:
            os.killpg(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        self._ask(f"reap {pid}")

    def close(self) -> None:
        if self.proc.stdin is not None:
            self.proc.stdin.close()
        self.proc.wait(30)


def wait_for_line(report: Path, line: str, already: int) -> None:
    deadline = time.monotonic() + READY_TIMEOUT
    while time.monotonic() < deadline:
        text = report.read_text() if report.exists() else ""
        if "crashed" in text or "failed" in text:
            raise AssertionError(f"the driver crashed: {text[-2000:]}")
        if text.count(line + "\n") > already:
            return
        time.sleep(0.005)
    raise AssertionError(f"the driver did not report {line!r} within {READY_TIMEOUT} s")


# -- selling scenarios ----------------------------------------------------------------------------------------------

@dataclass
class SellingScenario:
    """One enrolled till, killed again and again while it sells (``services`` or ``cli``)."""

    server: ServerProcess
    store: str
    workdir: Path
    printer: TcpPrinterSimulator
    zygote: Zygote
    mode: str = "services"
    till_code: str = "T01"
    sync_every: int = 3
    max_delay: float = 0.8

    def __post_init__(self) -> None:
        self.folder = self.workdir / f"till-{self.till_code}"
        self.report = self.workdir / f"report-{self.till_code}.txt"
        till_ = Till.create(self.folder, self.store, self.till_code)
        try:
            till_.enrol(self.server.url, self.server.enrol_code(self.store, self.till_code))
            till_.drain()   # the catalog comes down from the server
        finally:
            till_.close()
        cfg = config.load(paths.config_path(self.folder))
        cfg["printer"].update(kind="network", host="127.0.0.1", port=self.printer.port, timeout=1)
        cfg["drawer"].update(kind="printer")
        config.save(paths.config_path(self.folder), cfg)

    def driver_args(self, seed: int) -> list[str]:
        args = ["--mode", self.mode, "--print", "--seed", str(seed)]
        return args + (["--sync", str(self.sync_every)] if self.mode == "services" else [])

    def kill_once(self, rng: random.Random) -> Tally:
        started = time.monotonic()
        ready = self.report.read_text().count("ready\n") if self.report.exists() else 0
        pid = self.zygote.fork(self.folder, self.report, *self.driver_args(rng.randrange(1 << 30)))
        try:
            wait_for_line(self.report, "ready", ready)
            if rng.random() < 0.5:   # half the time let one sale through first, so kills also find reports
                began = time.monotonic()
                wait_for_line(self.report, "> sale", self.report.read_text().count("> sale\n") + 1)
                if self.mode == "cli":   # a `pos sale` takes seconds on a busy machine: aim within one
                    self.max_delay = 1.2 * (time.monotonic() - began)
            time.sleep(rng.uniform(0.0, self.max_delay))
        finally:
            self.zygote.kill(pid)
        receipts, phase = read_report(self.report)
        problems = checks.till_folder(self.folder, receipts)
        return Tally(1, Counter({f"{self.mode}:{phase}": 1}), len(receipts),
                     [f"{self.mode} kill: {p}" for p in problems], time.monotonic() - started)

    def finish(self) -> list[str]:
        """After the kills: ``pos journal verify`` passes, the till syncs, the server holds each sale once."""
        problems = []
        verified = pos("--data-dir", str(self.folder), "journal", "verify", "--json", check=False)
        if verified.returncode != 0:
            problems.append(f"pos journal verify: {verified.stdout} {verified.stderr}")
        till_ = Till.open(self.folder)
        try:
            till_.drain()
        finally:
            till_.close()
        local = checks.local_receipts(paths.db_path(self.folder))
        on_server = checks.server_receipts(Path(self.server.db_url.removeprefix("sqlite:///")))
        mine = {no: n for no, n in on_server.items() if no.startswith(f"{self.store}-{self.till_code}-")}
        problems += [f"server lacks sale {no}" for no in local if no not in mine]
        problems += [f"server holds sale {no} {n} times" for no, n in mine.items() if n != 1]
        problems += [f"server holds sale {no} the till does not have" for no in mine if no not in local]
        return problems


# -- killing a schema upgrade ----------------------------------------------------------------------------------------

def unpack_fixture(target: Path) -> Path:
    target.parent.mkdir(parents=True, exist_ok=True)
    with gzip.open(FIXTURE_0001) as src, target.open("wb") as dst:
        shutil.copyfileobj(src, dst)
    return target


@dataclass
class MigrationScenario:
    """A copy of the revision-0001 fixture, upgraded by the driver and killed during the upgrade."""

    workdir: Path
    zygote: Zygote
    max_delay: float = 1.0
    runs: int = 0

    def kill_once(self, rng: random.Random) -> Tally:
        from tests.reliability.fixture_0001 import fingerprint
        from pos_desktop.store import migrate
        from pos_desktop.store.db import Database
        from datetime import datetime, timezone

        started = time.monotonic()
        self.runs += 1
        folder = self.workdir / f"migrate-{self.runs}"
        db_file = unpack_fixture(paths.db_path(folder))
        before = fingerprint(db_file)
        report = folder / "report.txt"
        pid = self.zygote.fork(folder, report, "--mode", "migrate")
        try:
            wait_for_line(report, "ready", 0)
            time.sleep(rng.uniform(0.0, self.max_delay))
        finally:
            self.zygote.kill(pid)
        finished = "migrated" in report.read_text()
        at_kill = "?"
        problems = checks.integrity(db_file)
        if not problems:
            db = Database(db_file)
            try:
                at_kill = migrate.current_revision(db)
                if finished and at_kill != migrate.head_revision():
                    problems.append(f"reported migrated but the revision is {at_kill}")
                migrate.upgrade(db, None, datetime.now(timezone.utc))   # the next start finishes the job
            finally:
                db.close()
            after = fingerprint(db_file)
            problems += [f"table {t}: {before[t]} before, {after.get(t)} after" for t in before
                         if after.get(t) != before[t]]
            problems += checks.integrity(db_file)
        shutil.rmtree(folder)
        phase = "migration:done" if finished else f"migration:at-{at_kill}"
        return Tally(1, Counter({phase: 1}), 0, [f"migration kill: {p}" for p in problems],
                     time.monotonic() - started)
