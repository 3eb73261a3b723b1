"""Head office's chain-wide reports (store ranking, sales trend) against what real tills sold.

Three stores on a real server process (a SQLite file, and PostgreSQL when POS_TEST_POSTGRES_URL is set): A
with two tills, B with one, C with none. The tills are real data folders that sell through the checkout
(discounts, an item without a cost), take returns (some days later), void sales, and push with the real sync
agent. Every figure of the API and of ``pos server admin ranking|trend`` is recomputed here from the rows in
the tills' own databases, and store B's margin and trend are also compared with the till's own reports.
"""

from __future__ import annotations

import json
import os
import random
import sqlite3
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal as D
from pathlib import Path
from typing import Any

import pytest
import requests

from pos_desktop.core.cart import Cart
from pos_desktop.core.clock import FixedClock
from pos_desktop.core.money import format_money, from_minor, round_half_up
from pos_desktop.core.pricing import Discount
from pos_desktop.server import chain_reports
from pos_desktop.services import catalog, checkout, returns
from pos_desktop.services.checkout import Tender
from pos_desktop.core import periods as period
from pos_desktop.services.reports import margin, trends
from pos_desktop.services.reports.table import json_value
from pos_desktop.services.returns import ReturnRequest
from tests.sync.harness import CATALOG_CSV, POSTGRES_ENV, ServerProcess, Till, pos, postgres_database

TZ = timezone(timedelta(hours=8))
FIRST, LAST = date(2026, 10, 26), date(2026, 11, 15)
WEEK = (date(2026, 11, 9), date(2026, 11, 15))           # the ranking's range; the week before is its previous
CATALOG = CATALOG_CSV + "GUM,绿箭口香糖 Doublemint gum,6901234567946,2.50,,0.13,pcs,零食 Snacks,,\n"
SELLING = ("COLA", "CHIPS", "SOAP", "GUM")                # GUM has no cost: its sales are not in the margin
FIELDS = ("sales", "voids", "returns_count", "gross", "discounts", "total", "tax", "returned", "returned_tax",
          "costed", "cost")


def money(minor: int) -> str:
    return format_money(from_minor(minor, 2), 2)


def pct(part: int, whole: int) -> str | None:
    return json_value(round_half_up(D(part) * 100 / D(whole), 2), "pct", 2) if whole else None


# --- the chain -------------------------------------------------------------------------------------------------


@dataclass
class Chain:
    server: ServerProcess
    stores: dict[str, str]                  # A, B, C → store code
    tills: dict[str, list[Till]]            # store code → its tills

    def raw(self, code: str, start: date, end: date) -> dict[str, int]:
        """A store's figures between two business dates, added up from its tills' own database rows."""
        acc = dict.fromkeys(FIELDS, 0)
        for t in self.tills.get(code, []):
            for day, figures in raw_days(t.folder).items():
                if start.isoformat() <= day <= end.isoformat():
                    for key in FIELDS:
                        acc[key] += figures[key]
        return acc


def raw_days(folder: Path) -> dict[str, dict[str, int]]:
    """business date → the till's figures, straight from its tables (minor units)."""
    conn = sqlite3.connect(f"file:{folder / 'pos.db'}?mode=ro", uri=True)
    days: dict[str, dict[str, int]] = defaultdict(lambda: dict.fromkeys(FIELDS, 0))
    live = "s.id NOT IN (SELECT sale_id FROM sale_voids)"
    for day, n, gross, disc, total, tax in conn.execute(
            f"""SELECT business_date, count(*), sum(subtotal_minor), sum(discount_minor), sum(total_minor),
                       sum(tax_minor) FROM sales s WHERE {live} GROUP BY 1"""):
        days[day].update(sales=n, gross=gross, discounts=disc, total=total, tax=tax)
    for day, n in conn.execute("""SELECT s.business_date, count(*) FROM sale_voids v JOIN sales s ON s.id = v.sale_id
                                  GROUP BY 1"""):
        days[day]["voids"] = n
    for day, n, total, tax in conn.execute("SELECT business_date, count(*), sum(total_minor), sum(tax_minor) "
                                           "FROM returns GROUP BY 1"):
        days[day].update(returns_count=n, returned=total, returned_tax=tax)
    for day, net, cost in conn.execute(
            f"""SELECT s.business_date, sum(l.net_minor), sum((l.unit_cost_minor * l.qty_milli + 500) / 1000)
                FROM sales s JOIN sale_lines l ON l.sale_id = s.id
                WHERE {live} AND l.unit_cost_minor IS NOT NULL GROUP BY 1"""):
        days[day]["costed"] += net
        days[day]["cost"] += cost
    for day, amount, cost in conn.execute(
            """SELECT r.business_date, sum(rl.amount_minor), sum((l.unit_cost_minor * rl.qty_milli + 500) / 1000)
               FROM returns r JOIN return_lines rl ON rl.return_id = r.id
               JOIN sale_lines l ON l.sale_id = r.original_sale_id AND l.line_no = rl.sale_line_no
               WHERE l.unit_cost_minor IS NOT NULL GROUP BY 1"""):
        days[day]["costed"] -= amount
        days[day]["cost"] -= cost
    conn.close()
    return dict(days)


def _server(backend: str, folder: Path) -> tuple[ServerProcess, Any]:
    if backend == "sqlite":
        return ServerProcess.sqlite(folder), None
    base = os.environ.get(POSTGRES_ENV)
    if not base:
        pytest.skip(f"{POSTGRES_ENV} is not set")
    try:
        url, drop = postgres_database(base)
    except Exception as exc:  # noqa: BLE001 - asked for and missing: fail, never skip
        pytest.fail(f"{POSTGRES_ENV}={base} cannot be used: {exc}", pytrace=False)
    folder.mkdir(parents=True, exist_ok=True)
    return ServerProcess(url, folder), drop


@pytest.fixture(scope="module", params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def chain(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Any:
    folder = tmp_path_factory.mktemp(f"chain-{request.param}")
    server, drop = _server(request.param, folder / "server")
    made: list[Till] = []
    try:
        server.start()
        server.import_catalog(CATALOG)
        stores = {name: server.new_store(f"{name} 店 Store {name}") for name in "ABC"}
        tills: dict[str, list[Till]] = {stores["A"]: [], stores["B"]: []}
        for store, till_code, seed in ((stores["A"], "T01", 1), (stores["A"], "T02", 2), (stores["B"], "T01", 3)):
            clock = FixedClock(datetime.combine(FIRST, datetime.min.time(), TZ).replace(hour=8))
            t = Till.create(folder / f"{store}-{till_code}", store, till_code, clock=clock)
            made.append(t)
            t.enrol(server.url, server.enrol_code(store, till_code))
            assert t.sync().ok
            trade(t, clock, random.Random(seed), busy=2 if store == stores["A"] else 3)
            t.drain()
            tills[store].append(t)
        for store in tills:
            assert server.event_errors(store) == []
        yield Chain(server, stores, tills)
    finally:
        for t in made:
            t.close()
        server.stop()
        if drop:
            drop()


def trade(t: Till, clock: FixedClock, rng: random.Random, busy: int) -> None:
    """Three weeks of a till: 0…``busy``+1 sales a day, some discounted, voided, or returned then or later."""
    products = {sku: catalog.find_product(t.ctx, sku=sku) for sku in SELLING}
    sold: list[str] = []
    day = FIRST
    while day <= LAST:
        clock.set(datetime.combine(day, datetime.min.time(), TZ).replace(hour=9))
        for _n in range(rng.randint(0, busy + 1)):
            clock.advance(minutes=rng.randint(5, 50))
            cart = Cart()
            for sku in rng.sample(SELLING, rng.randint(1, 3)):
                cart.add(products[sku], D(rng.randint(1, 3)))
            if rng.random() < 0.3:
                cart.set_line_discount(1, Discount(percent=D(10)))
            if rng.random() < 0.2:
                cart.set_cart_discount(Discount(amount=D("1.00")))
            total = cart.price(at=clock.now()).cart.total
            receipt = checkout.complete_sale(t.ctx, cart, [Tender(rng.choice(("cash", "card", "qr")), total)],
                                             t.admin).receipt_no
            roll = rng.random()
            if roll < 0.08:
                returns.void_sale(t.ctx, t.admin, receipt_no=receipt, reason="顾客取消 cancelled")
            elif roll < 0.2:
                sold.append(receipt)
            if sold and rng.random() < 0.15:        # a return of a sale of this or an earlier day
                returns.return_items(t.ctx, t.admin, receipt_no=sold.pop(rng.randrange(len(sold))),
                                     lines=[ReturnRequest(1, D(1))], reason="damaged")
        day += timedelta(days=1)


# --- the store ranking -----------------------------------------------------------------------------------------


def expected_row(chain: Chain, code: str, start: date, end: date) -> dict[str, Any]:
    f = chain.raw(code, start, end)
    net = f["total"] - f["returned"]
    has_cost = f["costed"] != 0 or f["cost"] != 0
    return {"sales_count": f["sales"], "voids_count": f["voids"], "returns_count": f["returns_count"],
            "gross_sales": money(f["gross"]), "discounts": money(f["discounts"]), "returns": money(f["returned"]),
            "net_sales": money(net), "tax": money(f["tax"] - f["returned_tax"]),
            "avg_basket": f"{round_half_up(from_minor(f['total'], 2) / f['sales'], 2):f}" if f["sales"] else None,
            "costed_sales": money(f["costed"]), "cost": money(f["cost"]),
            "margin": money(f["costed"] - f["cost"]) if has_cost else None,
            "margin_pct": pct(f["costed"] - f["cost"], f["costed"]) if has_cost else None,
            "uncosted_sales": money(net - f["costed"])}


def test_the_ranking_is_what_the_tills_sold(chain: Chain) -> None:
    doc = chain.server.api("GET", "/reports/ranking", **{"from": "2026-11-09", "to": "2026-11-15"})
    assert (doc["from"], doc["to"], doc["previous_from"], doc["previous_to"]) == \
        ("2026-11-09", "2026-11-15", "2026-11-02", "2026-11-08")
    rows = {r["store"]: r for r in doc["stores"]}
    assert set(rows) == set(chain.stores.values())
    prev = (WEEK[0] - timedelta(days=7), WEEK[1] - timedelta(days=7))
    nets = {}
    for code, row in rows.items():
        want = expected_row(chain, code, *WEEK)
        assert {k: row[k] for k in want} == want, code
        before = expected_row(chain, code, *prev)
        assert (row["prev_sales_count"], row["prev_net_sales"], row["prev_margin"]) == \
            (before["sales_count"], before["net_sales"], before["margin"])
        nets[code] = (D(want["net_sales"]), D(before["net_sales"]))
        now_minor, before_minor = (int(n * 100) for n in nets[code])
        assert row["change_pct"] == pct(now_minor - before_minor, abs(before_minor))
    a, b, c = (rows[chain.stores[n]] for n in "ABC")
    # the tills really made what the ranking is meant to show
    assert a["sales_count"] > 0 and b["sales_count"] > 0 and a["voids_count"] + b["voids_count"] > 0
    assert D(a["uncosted_sales"]) > 0 and a["margin"] is not None and D(a["cost"]) > 0
    assert c["sales_count"] == 0 and c["net_sales"] == "0.00" and c["margin"] is None and c["avg_basket"] is None
    order = sorted(rows, key=lambda code: (-nets[code][0], code))
    assert [r["store"] for r in doc["stores"]] == order and [r["rank"] for r in doc["stores"]] == [1, 2, 3]
    prev_order = sorted(rows, key=lambda code: (-nets[code][1], code))
    assert {code: rows[code]["prev_rank"] for code in rows} == {code: i + 1 for i, code in enumerate(prev_order)}
    total = sum(n for n, _p in nets.values())
    assert doc["totals"]["net_sales"] == f"{total:.2f}" and doc["totals"]["stores"] == 3
    assert doc["totals"]["sales_count"] == sum(r["sales_count"] for r in rows.values())
    assert sum(D(r["share_pct"]) for r in rows.values()) == pytest.approx(D(100), abs=D("0.02"))


def test_a_one_till_store_matches_the_tills_own_reports(chain: Chain) -> None:
    """Store B has one till: its row is that till's margin report, and its trend that till's sales trend."""
    code = chain.stores["B"]
    ctx = chain.tills[code][0].ctx
    row = next(r for r in chain.server.api("GET", "/reports/ranking", **{"from": "2026-11-09", "to": "2026-11-15"})
               ["stores"] if r["store"] == code)
    own = margin.margin_report(ctx, *WEEK).to_json()["totals"]
    assert {k: row[k] for k in ("net_sales", "cost", "margin", "margin_pct", "uncosted_sales")} == \
        {k: own[k] for k in ("net_sales", "cost", "margin", "margin_pct", "uncosted_sales")}
    trend = chain.server.api("GET", "/reports/trend", **{"from": "2026-11-01", "to": "2026-11-15", "by": "week"})
    till_trend = trends.sales_trend(ctx, date(2026, 11, 1), date(2026, 11, 15), by="week").to_json()["rows"]
    assert [b["period"] for b in trend["buckets"]] == [r["period"] for r in till_trend]
    assert [b["by_store"].get(code, {"sales_count": 0, "net_sales": "0.00"}) for b in trend["buckets"]] == \
        [{"sales_count": r["sales_count"], "net_sales": r["net_sales"]} for r in till_trend]


# --- the chain's trend -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("by,start,end", [("day", date(2026, 11, 9), date(2026, 11, 15)),
                                          ("week", date(2026, 11, 4), date(2026, 11, 15)),
                                          ("month", date(2026, 11, 1), date(2026, 11, 15))])
def test_the_trend_adds_up_every_store(chain: Chain, by: str, start: date, end: date) -> None:
    doc = chain.server.api("GET", "/reports/trend", **{"from": start.isoformat(), "to": end.isoformat(), "by": by})
    want_buckets = period.buckets(start, end, by)
    prev_from, prev_to = period.previous_range(start, end, by)
    assert (doc["previous_from"], doc["previous_to"]) == (prev_from.isoformat(), prev_to.isoformat())
    before = period.buckets(prev_from, prev_to, by)
    assert [b["period"] for b in doc["buckets"]] == [b.label for b in want_buckets]
    codes = sorted(chain.stores.values())
    for got, bucket, prev in zip(doc["buckets"], want_buckets, before):
        per_store = {code: expected_row(chain, code, bucket.start, bucket.end) for code in codes}
        for key in ("sales_count", "voids_count", "returns_count"):
            assert got[key] == sum(r[key] for r in per_store.values()), (bucket, key)
        for key in ("gross_sales", "discounts", "returns", "net_sales", "tax"):
            assert got[key] == f"{sum(D(r[key]) for r in per_store.values()):.2f}", (bucket, key)
        assert got["by_store"] == {code: {"sales_count": r["sales_count"], "net_sales": r["net_sales"]}
                                   for code, r in per_store.items() if r["sales_count"] or r["returns_count"]
                                   or r["voids_count"]}
        assert got["stores_selling"] == sum(1 for r in per_store.values() if r["sales_count"])
        earlier = [expected_row(chain, code, prev.start, prev.end) for code in codes]
        assert got["prev_period"] == prev.label
        assert got["prev_net_sales"] == f"{sum(D(r['net_sales']) for r in earlier):.2f}"
    total = [expected_row(chain, code, start, end) for code in codes]
    assert doc["totals"]["net_sales"] == f"{sum(D(r['net_sales']) for r in total):.2f}"
    assert doc["totals"]["sales_count"] == sum(r["sales_count"] for r in total) > 0


def test_the_server_cuts_periods_as_the_till_does() -> None:
    for start, end in ((date(2026, 1, 31), date(2026, 3, 31)), (date(2024, 2, 29), date(2024, 3, 10)),
                       (date(2026, 11, 4), date(2026, 12, 2)), (date(2026, 12, 31), date(2026, 12, 31))):
        for by in ("day", "week", "month"):
            assert [(b.label, b.start, b.end) for b in chain_reports.buckets(start, end, by)] == \
                [(b.label, b.start, b.end) for b in period.buckets(start, end, by)]
            assert chain_reports.previous_range(start, end, by) == period.previous_range(start, end, by)


# --- the command line and the API's gate -----------------------------------------------------------------------


def test_the_commands_print_what_the_api_serves(chain: Chain) -> None:
    db = ("--db", chain.server.db_url)
    week = ("--from", "2026-11-09", "--to", "2026-11-15")
    ranking = json.loads(pos("server", "admin", "ranking", *week, "--json", *db).stdout)
    api = chain.server.api("GET", "/reports/ranking", **{"from": "2026-11-09", "to": "2026-11-15"})
    api.pop("server_time")
    assert ranking == api
    trend = json.loads(pos("server", "admin", "trend", *week, "--by", "day", "--json", *db).stdout)
    api = chain.server.api("GET", "/reports/trend", **{"from": "2026-11-09", "to": "2026-11-15", "by": "day"})
    api.pop("server_time")
    assert trend == api
    text = pos("server", "admin", "ranking", *week, *db).stdout
    first = ranking["stores"][0]
    assert first["store"] in text.splitlines()[2] and first["net_sales"] in text.splitlines()[2]
    # what a user sees for a bad range or a bad date: a message and exit 3, JSON error on stdout
    bad = pos("server", "admin", "ranking", "--from", "2026-11-15", "--to", "2026-11-09", "--json", *db, check=False)
    assert bad.returncode == 3 and json.loads(bad.stdout)["error"] == "bad_range"
    assert "2026-11-09" in bad.stderr and "2026-11-15" in bad.stderr
    bad = pos("server", "admin", "trend", "--from", "11/09/2026", "--to", "2026-11-15", "--json", *db, check=False)
    assert bad.returncode == 3 and json.loads(bad.stdout)["error"] == "bad_date" and "--from" in bad.stderr
    bad = pos("server", "admin", "trend", *week, "--by", "fortnight", *db, check=False)
    assert bad.returncode == 2 and "fortnight" in bad.stderr


def test_the_reports_need_an_admin_key(chain: Chain) -> None:
    url = f"{chain.server.url}/api/v1/admin/reports/ranking"
    params = {"from": "2026-11-09", "to": "2026-11-15"}
    assert requests.get(url, params=params, timeout=30).status_code == 401
    key = chain.server.admin("api-key", "--name", "books", "--scopes", "sales:read")["key"]
    refused = requests.get(url, params=params, headers={"Authorization": f"Bearer {key}"}, timeout=30)
    assert refused.status_code == 403 and refused.json()["error"] == "missing_scope"
    backwards = chain.server.api  # an admin key: a range that ends before it starts is a 400 with its reason
    with pytest.raises(AssertionError, match="400.*bad_range"):
        backwards("GET", "/reports/trend", **{"from": "2026-11-15", "to": "2026-11-01", "by": "week"})
    with pytest.raises(AssertionError, match="422"):
        backwards("GET", "/reports/trend", **{"from": "2026-11-01", "to": "2026-11-15", "by": "year"})
