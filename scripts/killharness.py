"""The kill -9 soak: ``python scripts/killharness.py --kills 1000 [--seed S] [--out FILE.json]``.

The same harness as ``tests/reliability/test_kill9.py``, many more times: a real server on 127.0.0.1, a TCP
printer simulator, one till killed while selling through the services (printing, syncing), one killed while
running ``pos sale`` subprocesses, and copies of the revision-0001 fixture killed while upgrading. After the
kills both tills sync and the server must hold each of their sales exactly once. Prints one JSON document
(kills by phase, sales reported, problems) and exits 1 if anything was lost, half-written or duplicated.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from drivers.sim.tcp_printer import TcpPrinterSimulator  # noqa: E402
from tests.reliability import checks  # noqa: E402
from tests.reliability.killing import MigrationScenario, SellingScenario, Tally, Zygote, read_report  # noqa: E402
from tests.sync.harness import ServerProcess  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kills", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--cli-share", type=float, default=0.05, help="share of kills of `pos sale` processes")
    parser.add_argument("--migration-share", type=float, default=0.15, help="share of kills during an upgrade")
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="killharness-") as tmp:
        work = Path(tmp)
        server = ServerProcess.sqlite(work / "server").start()
        zygote = Zygote(work / "driver.log")
        try:
            server.import_catalog()
            with TcpPrinterSimulator() as printer:
                scenarios = {
                    "services": SellingScenario(server, server.new_store(), work, printer, zygote, "services", "T01",
                                                sync_every=5),
                    "cli": SellingScenario(server, server.new_store(), work, printer, zygote, "cli", "T02",
                                           max_delay=3.0),
                    "migration": MigrationScenario(work, zygote),
                }
                tally = Tally()
                for n in range(args.kills):
                    roll = rng.random()
                    name = "cli" if roll < args.cli_share else \
                        "migration" if roll < args.cli_share + args.migration_share else "services"
                    tally.add(scenarios[name].kill_once(rng))
                    if (n + 1) % 50 == 0:
                        print(f"{n + 1} kills, {len(tally.problems)} problems, {time.monotonic() - started:.0f} s",
                              file=sys.stderr, flush=True)
                finish = scenarios["services"].finish() + scenarios["cli"].finish()  # type: ignore[union-attr]
                tills = [scenarios["services"], scenarios["cli"]]
                sales = {"reported": sum(len(read_report(t.report)[0]) for t in tills),  # type: ignore[union-attr]
                         "stored": sum(len(checks.local_receipts(t.folder / "pos.db")) for t in tills)}  # type: ignore[union-attr]
        finally:
            zygote.close()
            server.stop()
    result = {"kills": tally.kills, "phases": dict(sorted(tally.phases.items())), "sales_reported": sales["reported"],
              "sales_stored": sales["stored"], "problems": tally.problems + finish, "lost": sum("missing" in p for p in
              tally.problems + finish), "duplicates": sum("times" in p for p in tally.problems + finish),
              "seconds": round(time.monotonic() - started), "seed": args.seed}
    text = json.dumps(result, indent=2, ensure_ascii=False)
    print(text)
    if args.out:
        args.out.write_text(text + "\n")
    return 1 if result["problems"] else 0


if __name__ == "__main__":
    raise SystemExit(main())
