"""The weekday × hour heat map and the basket figures, against the raw rows."""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import date, timedelta
from decimal import Decimal as D

from pos_desktop.core import periods as period
from pos_desktop.services.reports import baskets, hourly
from tests.reports.conftest import FIRST, LAST
from tests.reports.expected import Raw, cents


def test_heat_map_cells_match_the_raw_rows(hctx):
    raw = Raw.read(hctx.db.path)
    cells: dict[tuple[int, int], list[int]] = defaultdict(lambda: [0, 0])
    for s in raw.completed(FIRST, LAST):
        key = (date.fromisoformat(s["business_date"]).isoweekday(), int(s["created_at"][11:13]))
        cells[key][0] += 1
        cells[key][1] += s["subtotal_minor"] - s["discount_minor"]
    report = hourly.hourly_heatmap(hctx, FIRST, LAST)
    doc = report.to_json()
    assert {(c["weekday"], c["hour"]): [c["sales_count"], c["net_sales"]] for c in doc["cells"]} == \
        {k: [v[0], f"{cents(v[1]):.2f}"] for k, v in cells.items()}
    hours = doc["hours"]
    assert hours == list(range(min(h for _w, h in cells), max(h for _w, h in cells) + 1))
    monday = report.main.rows[0]
    assert monday["days"] == 3 and monday["weekday"] == "Monday"
    for hour in hours:
        assert monday[f"h{hour:02d}"] == cents(cells.get((1, hour), [0, 0])[1])
    assert report.main.totals["total"] == cents(sum(v[1] for v in cells.values()))
    peak = max(cells, key=lambda k: cells[k][1])
    assert doc["peak"] == {"weekday": peak[0], "hour": peak[1]}
    counts = hourly.hourly_heatmap(hctx, FIRST, LAST, measure="sales_count")
    assert counts.main.totals["total"] == sum(v[0] for v in cells.values())
    assert sum(r["days"] for r in counts.main.rows) == 21


def test_baskets_match_the_raw_rows(hctx):
    raw = Raw.read(hctx.db.path)
    weighed = {pid for pid, p in raw.products.items() if p["is_weighed"]}
    per_sale: dict[str, list] = {}
    for s in raw.completed(FIRST, LAST):
        per_sale[s["id"]] = [s["business_date"], s["subtotal_minor"] - s["discount_minor"], 0, D(0)]
    for ln in raw.lines:
        if ln["sale_id"] in per_sale:
            b = per_sale[ln["sale_id"]]
            b[2] += 1
            b[3] += D(1) if ln["product_id"] in weighed else D(ln["qty_milli"]) / 1000
    report = baskets.basket_report(hctx, FIRST, LAST, "week")
    for row, bucket in zip(report.main.rows, period.buckets(FIRST, LAST, "week")):
        mine = [b for b in per_sale.values() if bucket.start.isoformat() <= b[0] <= bucket.end.isoformat()]
        n = len(mine)
        assert row["sales_count"] == n
        assert row["net_sales"] == cents(sum(b[1] for b in mine))
        assert row["avg_value"] == (cents(sum(b[1] for b in mine)) / n).quantize(D("0.01"))
        assert row["lines"] == sum(b[2] for b in mine)
        assert row["items"] == sum(b[3] for b in mine)
        assert row["avg_items"] == (sum(b[3] for b in mine) / n).quantize(D("0.01"))
        assert row["max_items"] == max(b[3] for b in mine)
    sizes = Counter()
    for b in per_sale.values():
        whole = int(-(-b[3] // 1))
        sizes[next(label for label, lo, hi in (("1", 1, 1), ("2", 2, 2), ("3–5", 3, 5), ("6–10", 6, 10),
                                               ("11–20", 11, 20), ("21 or more", 21, 10**9)) if lo <= whole <= hi)] += 1
    spread = {r["size"]: r["baskets"] for r in report.table("sizes").rows}
    assert spread == {label: sizes.get(label, 0) for label in spread}
    assert sum(spread.values()) == len(per_sale) == report.main.totals["sales_count"]


def test_an_empty_range_has_empty_baskets_and_no_heat(hctx):
    day = LAST + timedelta(days=5)
    report = baskets.basket_report(hctx, day, day)
    assert report.main.rows[0]["sales_count"] == 0 and report.main.rows[0]["avg_value"] is None
    heat = hourly.hourly_heatmap(hctx, day, day)
    assert heat.to_json()["hours"] == [] and heat.to_json()["peak"] is None
