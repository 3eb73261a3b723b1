"""Five minutes of a busy store at 10× (30 s): sales, returns, a count, the network cut every other minute,
the printer off for a while. Nothing is lost (every receipt stored whole, on paper or queued, on the server
exactly once), no operation fails, and memory stays bounded. The long run is ``scripts/soak.py``."""

from __future__ import annotations

from pathlib import Path

from tests.reliability.store_day import Day

SHORT_GROWTH_PCT = 15.0   # 30 s is mostly warm-up; the 10 % bound is the long soak's


def test_a_short_store_day_loses_nothing(tmp_path: Path) -> None:
    figures = Day(tmp_path, hours=300 / 3600, speed=10, count_every=120, printer_cycle=100, printer_down=30,
                  rss_every=15).run()
    assert figures["sales"] >= 15 and figures["returns"] >= 1 and figures["counts"] >= 2
    assert figures["printer_outages"] >= 2 and figures["network_cuts"] >= 2
    assert figures["errors"] == {}
    assert figures["problems"] == [] and figures["receipts_unaccounted"] == []
    assert figures["final_sync_ok"] and figures["server_missing"] == [] and figures["server_duplicates"] == []
    assert figures["printed"] + figures["waiting_to_print"] == figures["sales"]
    assert figures["rss_kib"]["growth_after_warmup_pct"] <= SHORT_GROWTH_PCT, figures["rss_kib"]
