"""A store day under load: ``python scripts/soak.py [--hours 8] [--speed 10] [--seed 1] [--out FILE.json]``.

Plays ``--hours`` of a busy store at ``--speed``× (8 hours at 10× is 48 minutes): sales, returns, back-room
counts, the network to the real server cut every other minute, the receipt printer off for 2 minutes in
every 20 (see ``tests/reliability/store_day.py``). Prints one JSON document with RSS, latency percentiles,
errors and what was lost (nothing may be); exits 1 when anything was lost or memory grew more than 10 %
after the warm-up.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.reliability.store_day import Day  # noqa: E402

MAX_GROWTH_PCT = 10.0


def lost(figures: dict) -> bool:
    return bool(figures["problems"] or figures["server_missing"] or figures["server_duplicates"]
                or figures["receipts_unaccounted"] or not figures["final_sync_ok"])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--hours", type=float, default=8.0, help="simulated hours of trading")
    parser.add_argument("--speed", type=float, default=10.0, help="simulated seconds per wall-clock second")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="soak-") as tmp:
        figures = Day(Path(tmp), args.hours, args.speed, args.seed,
                      progress=lambda text: print(text, file=sys.stderr, flush=True)).run()
    text = json.dumps(figures, indent=2, ensure_ascii=False)
    print(text)
    if args.out:
        args.out.write_text(text + "\n")
    return 1 if lost(figures) or figures["rss_kib"]["growth_after_warmup_pct"] > MAX_GROWTH_PCT else 0


if __name__ == "__main__":
    raise SystemExit(main())
