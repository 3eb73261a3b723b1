"""The process the kill harness kills: it sells on a till until it is SIGKILLed.

    python -m tests.reliability.driver --data-dir DIR --report FILE --mode services|cli [--print] [--sync N]
    python -m tests.reliability.driver --mode migrate --data-dir DIR --report FILE
    python -m tests.reliability.driver --zygote     # forks one of the above per line on stdin

A sale's receipt number is appended to ``--report`` (one ``os.write`` of one line) only after the checkout
call returned — through ``checkout.complete_sale`` in this process (``services``), or after ``pos sale``
exited 0 (``cli``). A receipt the harness has read from the report must therefore survive any kill. After
``--print`` sales the receipt goes to the printer configured in the folder (a TCP simulator); with ``--sync N``
the real sync agent pushes every N sales. ``migrate`` upgrades the folder's database to head, then reports
``migrated``. The driver writes ``ready`` to the report when it has opened the till.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import traceback
from decimal import Decimal as D
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CODES = ("6901234567892", "6901234567915", "6901234567922", "6901234567939")


class Report:
    def __init__(self, path: Path) -> None:
        self.fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)

    def line(self, text: str) -> None:
        os.write(self.fd, (text + "\n").encode())  # one write: a kill cuts no line in half


def sale_doc(rng: random.Random) -> dict:
    lines = [{"barcode": rng.choice(CODES), "qty": str(rng.randint(1, 3))} for _ in range(rng.randint(1, 4))]
    return {"user": "admin", "pin": "1234", "lines": lines, "payments": [{"method": "cash", "amount": "500.00"}]}


def run_services(folder: Path, report: Report, rng: random.Random, printing: bool, sync_every: int) -> None:
    from pos_desktop.cli.device_cmds import print_after_sale
    from pos_desktop.core.cart import Cart
    from pos_desktop.services import auth, catalog, checkout, till
    from pos_desktop.services.checkout import Tender

    ctx = till.open_till(folder)
    admin = auth.login(ctx, "admin", "1234")
    agent = None
    if sync_every:
        from pos_desktop.sync.agent import SyncAgent
        agent = SyncAgent(ctx, timeout=(2.0, 5.0))
    report.line("ready")
    n = 0
    while True:
        report.line("> sale")
        cart = Cart()
        for line in sale_doc(rng)["lines"]:
            found = catalog.lookup_scan(ctx, line["barcode"])
            cart.add(found.product, found.qty * D(line["qty"]), barcode=found.barcode)
        receipt = checkout.complete_sale(ctx, cart, [Tender("cash", D("500.00"))], admin)
        report.line(receipt.receipt_no)
        n += 1
        if printing:
            report.line("> print")
            print_after_sale(folder, receipt, "", "")
            report.line("printed " + receipt.receipt_no)
        if agent is not None and n % sync_every == 0:
            report.line("> sync")
            agent.sync_once()
            report.line("synced")


def run_cli(folder: Path, report: Report, rng: random.Random, printing: bool) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("POS_")}
    env["PYTHONPATH"] = str(ROOT)
    report.line("ready")
    while True:
        report.line("> sale")
        cmd = [sys.executable, "-m", "pos_desktop", "--data-dir", str(folder), "sale", "--file", "-", "--json"]
        done = subprocess.run(cmd + (["--print"] if printing else []), input=json.dumps(sale_doc(rng)),
                              capture_output=True, text=True, env=env, cwd=ROOT, check=False)
        if done.returncode != 0:
            report.line("failed " + done.stdout.strip().replace("\n", " "))
            raise SystemExit(done.returncode)
        report.line(json.loads(done.stdout)["receipt_no"])


def run_migrate(folder: Path, report: Report) -> None:
    from datetime import datetime, timezone

    from pos_desktop import paths
    from pos_desktop.store import migrate
    from pos_desktop.store.db import Database

    db = Database(paths.db_path(folder))
    report.line("ready")
    migrate.upgrade(db, None, datetime.now(timezone.utc))
    db.close()
    report.line("migrated")


def warm_up() -> None:
    """Import what a sale, a print and a sync need, so a forked child starts working at once."""
    import drivers.factory  # noqa: F401
    import pos_desktop.cli.device_cmds  # noqa: F401
    import pos_desktop.devices  # noqa: F401
    import pos_desktop.devices.receipt_layout  # noqa: F401
    import pos_desktop.services.checkout  # noqa: F401
    import pos_desktop.sync.agent  # noqa: F401
    import pos_desktop.store.migrate  # noqa: F401


def zygote() -> None:
    """Fork a driver per request (``fork ARGS…`` on stdin → its pid on stdout; ``reap PID`` → ``reaped``).

    The kill harness SIGKILLs the forked child; the imports were paid once, here, so a kill cycle costs tens
    of milliseconds instead of seconds. Nothing is open in this process when it forks (no database, no
    thread), so each child starts like a fresh driver.
    """
    warm_up()
    for line in sys.stdin:
        word, *rest = line.split()
        if word == "fork":
            pid = os.fork()
            if pid == 0:
                child(rest)
            print(pid, flush=True)
        elif word == "reap":
            os.waitpid(int(rest[0]), 0)
            print("reaped", flush=True)


def child(argv: list[str]) -> None:
    """A forked driver: its own process group (so its ``pos sale`` children die with it), and a crash is
    written to the report for the harness to see."""
    os.setsid()
    null = os.open(os.devnull, os.O_RDWR)
    for fd in (0, 1):
        os.dup2(null, fd)
    args = parse(argv)
    try:
        run(args)
    except BaseException as exc:  # noqa: BLE001 - the harness must hear of it
        Report(args.report).line("crashed " + repr(exc).replace("\n", " "))
        traceback.print_exc()
    finally:
        os._exit(1)


def parse(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser()
    parser.add_argument("--data-dir", type=Path, required=True)
    parser.add_argument("--report", type=Path, required=True)
    parser.add_argument("--mode", choices=("services", "cli", "migrate"), required=True)
    parser.add_argument("--print", action="store_true", dest="printing")
    parser.add_argument("--sync", type=int, default=0, help="sync after every N sales (services mode)")
    parser.add_argument("--seed", type=int, default=0)
    return parser.parse_args(argv)


def run(args: argparse.Namespace) -> None:
    report = Report(args.report)
    rng = random.Random(args.seed)
    if args.mode == "services":
        run_services(args.data_dir, report, rng, args.printing, args.sync)
    elif args.mode == "cli":
        run_cli(args.data_dir, report, rng, args.printing)
    else:
        run_migrate(args.data_dir, report)


if __name__ == "__main__":
    if sys.argv[1:] == ["--zygote"]:
        zygote()
    else:
        run(parse(sys.argv[1:]))
