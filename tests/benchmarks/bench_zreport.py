"""Z report speed: closing a day of 5,000 sales (issue 7 target: ≤ 300 ms), on a till with a month of history.

Run on demand (not collected by pytest):
    .venv/bin/python -m tests.benchmarks.bench_zreport [--sales 5000] [--history-days 29] [--keep DIR]

The till: 2,000 products in 20 categories at four tax rates (13 %, 9 %, 6 %, 0 %). The measured day's sales
go through the real checkout (``record_sale``, in one transaction as the demo does): 1–8 lines, a fifth of them
members, cash/card/QR/split tenders, line and cart discounts, 0.5 % voided, 1 % returned. The history is that day
copied by SQL onto the ``--history-days`` days before it (so the Z reads its own day among a month of rows),
and those days are closed first, in order, each with a real Z (they are samples of ``close_day`` too).

Figures, all from the same run on the same file:
- ``close_day`` (the Z: figures + carry-over + journal + outbox + stored report, one transaction) of the
  measured day, and the median over the history days' closes;
- ``x_report`` of the measured day before it closes (the same figures, read-only), median of 5;
- baseline: one plain-sqlite3 aggregate of the same day (``count, Σ gross, Σ net, Σ tax`` over sales × lines,
  not voided), median of 5 — the least any report of the day has to read. Ratio = ours / baseline.
"""

from __future__ import annotations

import argparse
import random
import shutil
import sqlite3
import statistics
import tempfile
import time
from datetime import datetime, timedelta, timezone
from decimal import Decimal as D
from pathlib import Path

from pos_desktop.core.cart import Cart
from pos_desktop.core.clock import FixedClock
from pos_desktop.core.pricing import Discount
from pos_desktop.services import auth, catalog, till, zreport
from pos_desktop.services.checkout import Tender, record_sale
from pos_desktop.services.products import ProductRow, upsert_products
from pos_desktop.services.returns import ReturnRequest, record_return, record_void
from pos_desktop.services.unit import Unit, write
from pos_desktop.store import sql

TZ = timezone(timedelta(hours=8))
DAY = datetime(2026, 11, 20, tzinfo=TZ)
RATES = (D("0.13"), D("0.09"), D("0.06"), D("0"))
BASELINE = """SELECT count(DISTINCT s.id), sum(l.gross_minor), sum(l.net_minor), sum(l.tax_minor)
FROM sales s JOIN sale_lines l ON l.sale_id = s.id
WHERE s.business_date = ? AND NOT EXISTS (SELECT 1 FROM sale_voids v WHERE v.sale_id = s.id)"""


def timed(fn, *args, **kwargs):  # type: ignore[no-untyped-def]
    start = time.perf_counter()
    result = fn(*args, **kwargs)
    return time.perf_counter() - start, result


def build(folder: Path, sales: int, seed: int) -> tuple:  # type: ignore[type-arg]
    clock = FixedClock(DAY - timedelta(days=60))
    ctx = till.init_till(folder, store_code="S01", store_name="基准店 Bench", till_code="T01", admin_user="admin",
                         admin_pin="1234", clock=clock)
    admin = auth.login(ctx, "admin", "1234")
    for name, role, pin in (("amy", "cashier", "1111"), ("bob", "cashier", "2222"), ("mia", "manager", "9999")):
        auth.add_user(ctx, admin, name, role, pin)
    rng = random.Random(seed)
    rows = [ProductRow(f"P{i:05d}", f"商品 {i} item", D(rng.randint(100, 9900)) / 100, tax_rate=RATES[i % 4],
                       category=f"品类 {i % 20:02d} cat", cost=D(50) / 100) for i in range(2000)]
    with write(ctx) as unit:
        upsert_products(unit, rows, 2)
    clock.set(DAY.replace(hour=8))
    operators = [auth.login(ctx, n, p) for n, p in (("amy", "1111"), ("bob", "2222"))]
    manager = auth.login(ctx, "mia", "9999")
    skus = [r.sku for r in rows]
    products = {sku: catalog.find_product(ctx, sku=sku) for sku in skus}
    start = time.perf_counter()
    _sell_day(ctx, rng, sales, products, skus, operators, manager)
    print(f"  {sales} sales through the checkout in {time.perf_counter() - start:.1f} s")
    return ctx, clock, manager


def _sell_day(ctx, rng, count, products, skus, operators, manager) -> None:  # type: ignore[no-untyped-def]
    sold: list[tuple[str, int]] = []
    with ctx.db.write() as session:
        promotions = ctx.promotions(sql.dbapi(session.connection()))
        for n in range(count):
            at = DAY.replace(hour=8) + timedelta(seconds=int(n * 50400 / count))
            unit = Unit(session, ctx, at)
            cart = Cart()
            for sku in rng.sample(skus, rng.randint(1, 8)):
                cart.add(products[sku], D(rng.choice((1, 1, 1, 2, 3))))
            if rng.random() < 0.05:
                cart.set_line_discount(1, Discount(percent=D(5)))
            if rng.random() < 0.03:
                cart.set_cart_discount(Discount(percent=D(2)))
            total = cart.price(at=at, promotions=promotions, tax_inclusive=True, places=2).cart.total
            kind = rng.choice(("cash", "cash", "card", "qr", "split"))
            if kind == "split" and total > 1:
                tenders = [Tender("card", D(1)), Tender("cash", total)]
            elif kind in ("card", "qr"):
                tenders = [Tender(kind, total)]
            else:
                tenders = [Tender("cash", D(int(total) + 1))]
            who = rng.choice(operators)
            receipt = record_sale(unit, cart, tenders, who)
            unit.flush_moves()
            if rng.random() < 0.005:
                record_void(Unit(session, ctx, at), manager, None, receipt.receipt_no, "bench")
                continue
            sold.append((receipt.receipt_no, len(receipt.lines)))
            if rng.random() < 0.01 and len(sold) > 10:
                number, _lines = sold.pop(rng.randrange(len(sold) - 5))
                record_return(Unit(session, ctx, at), who, None, number, [ReturnRequest(1, D(1))], None, "bench")


def copy_history(db: Path, days: int) -> None:
    """The measured day's documents, copied by SQL onto each of ``days`` days before it."""
    conn = sqlite3.connect(db, isolation_level=None)
    conn.execute("BEGIN")
    day = DAY.date().isoformat()
    for back in range(1, days + 1):
        d = (DAY - timedelta(days=back)).date().isoformat()
        tag = f"H{back:02d}"
        conn.execute(f"""INSERT INTO sales SELECT '{tag}' || substr(id, 4), '{tag}-' || receipt_no, till_id, shift_id,
            user_id, approver_id, customer_id, '{d}' || substr(created_at, 11), '{d}', tax_inclusive, subtotal_minor,
            discount_minor, cart_discount_minor, tax_minor, total_minor, rounding_minor, paid_minor, change_minor,
            points_earned, points_redeemed FROM sales WHERE business_date = ?""", (day,))
        conn.execute(f"""INSERT INTO sale_lines SELECT '{tag}' || substr(sale_id, 4), line_no, product_id, sku, name,
            barcode, qty_milli, list_price_minor, unit_price_minor, price_version_id, price_overridden, gross_minor,
            promo_discount_minor, line_discount_minor, cart_share_minor, net_minor, tax_rate_bp, tax_minor,
            promotion_id, unit_cost_minor FROM sale_lines WHERE sale_id IN (SELECT id FROM sales WHERE business_date = ?)""",
                     (day,))
        conn.execute(f"""INSERT INTO payments SELECT '{tag}' || substr(sale_id, 4), seq, method, amount_minor, reference,
            status FROM payments WHERE sale_id IN (SELECT id FROM sales WHERE business_date = ?)""", (day,))
    conn.execute("COMMIT")
    conn.execute("ANALYZE")
    conn.close()


def median_ms(samples: list[float]) -> float:
    return statistics.median(samples) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sales", type=int, default=5000)
    parser.add_argument("--history-days", type=int, default=29)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--keep", type=Path, help="build the till here and keep it")
    args = parser.parse_args()
    work = args.keep or Path(tempfile.mkdtemp(prefix="pos-bench-z-"))
    folder = work / "till"
    shutil.rmtree(folder, ignore_errors=True)
    print(f"building a till with a {args.sales}-sale day in {folder} …")
    ctx, clock, manager = build(folder, args.sales, args.seed)
    copy_history(folder / "pos.db", args.history_days)
    history = []
    for back in range(args.history_days, 0, -1):
        clock.set((DAY - timedelta(days=back)).replace(hour=22))
        history.append(timed(zreport.close_day, ctx, manager)[0])
    clock.set(DAY.replace(hour=21, minute=59))
    xs = [timed(zreport.x_report, ctx)[0] for _ in range(5)]
    conn = sqlite3.connect(folder / "pos.db")
    base = []
    for _ in range(5):
        start = time.perf_counter()
        conn.execute(BASELINE, (DAY.date().isoformat(),)).fetchall()
        base.append(time.perf_counter() - start)
    conn.close()
    clock.set(DAY.replace(hour=22))
    z_time, result = timed(zreport.close_day, ctx, manager)
    report = result.report
    b = median_ms(base)
    rows = [
        ("Z report (close_day) of the measured day", f"{z_time * 1000:.0f} ms", f"{b:.0f} ms",
         f"{z_time * 1000 / b:.1f}×", f"{report['sales_count']} sales, {report['returns_count']} returns, "
         f"{report['voids_count']} voids; target ≤ 300 ms"),
        (f"Z report, median of {len(history)} earlier days", f"{median_ms(history):.0f} ms", f"{b:.0f} ms",
         f"{median_ms(history) / b:.1f}×", f"max {max(history) * 1000:.0f} ms"),
        ("X report of the same day (read-only), median of 5", f"{median_ms(xs):.0f} ms", f"{b:.0f} ms",
         f"{median_ms(xs) / b:.1f}×", ""),
    ]
    sales_rows = sql.scalar(sqlite3.connect(folder / "pos.db"), "SELECT count(*) FROM sales")
    print(f"\nZ report of a {args.sales}-sale day on a till with {sales_rows} sales "
          f"({args.history_days + 1} days); baseline: one plain SQL aggregate of the same day\n")
    print("| what | ours | plain SQL | ratio | notes |")
    print("|---|---|---|---|---|")
    for row in rows:
        print("| " + " | ".join(row) + " |")
    ctx.close()
    if args.keep is None:
        shutil.rmtree(work, ignore_errors=True)
    ok = z_time <= 0.300
    print(f"\ntarget {'met' if ok else 'MISSED'}: Z report ≤ 300 ms")


if __name__ == "__main__":
    main()
