"""The sale-line totals cache behind the margin and sellers reports: new lines are folded in, voids are read
live, a restored database rebuilds it, and without a usable cache the lines are read directly — the figures
are those of the raw rows every time."""

from __future__ import annotations

import shutil
import sqlite3
from datetime import timedelta
from decimal import Decimal as D

from pos_desktop.services import auth, returns, till
from pos_desktop.services.reports import line_buckets, margin, sale_buckets
from tests.reports.conftest import FIRST, LAST
from tests.reports.expected import Raw, cents, margins
from tests.reports.test_trends import _sell

NEXT = LAST + timedelta(days=1)


def _check(ctx, lo=FIRST, hi=NEXT) -> dict:  # type: ignore[no-untyped-def]
    expected = margins(Raw.read(ctx.db.path), lo, hi)
    rows = {r["sku"]: r for r in margin.margin_report(ctx, lo, hi).main.rows}
    assert set(rows) == set(expected)
    for sku, want in expected.items():
        assert (rows[sku]["net_sales"], rows[sku]["cost"], rows[sku]["margin"]) == \
            (cents(want.net), cents(want.cost), cents(want.margin)), sku
    return rows


def _cached(ctx) -> int:  # type: ignore[no-untyped-def]
    conn = sqlite3.connect(sale_buckets.cache_path(ctx))
    try:
        return conn.execute("SELECT value FROM meta WHERE key = 'lines_mark'").fetchone()[0]
    finally:
        conn.close()


def test_new_lines_are_folded_in_and_voids_read_live(hctx):
    before = _check(hctx)
    mark = int(_cached(hctx))
    receipt = _sell(hctx, qty=D(3))                          # the morning after: business date NEXT
    _sell(hctx, sku="CHIPS", qty=D(1))
    after = _check(hctx)
    assert int(_cached(hctx)) == mark + 2
    assert after["COLA"]["qty"] == before["COLA"]["qty"] + 3
    returns.void_sale(hctx, auth.login(hctx, "sam", "3333"), receipt_no=receipt.receipt_no, reason="test")
    voided = _check(hctx)
    assert voided["COLA"]["qty"] == before["COLA"]["qty"] and int(_cached(hctx)) == mark + 2
    assert _check(hctx, NEXT, NEXT)["CHIPS"]["qty"] == D("1.000")


def test_a_restored_database_rebuilds_the_line_totals(hctx, history_dir, tmp_path):
    _sell(hctx)
    _check(hctx)                                             # the cache now holds a line the history has not
    folder = tmp_path / "restored"
    shutil.copytree(history_dir, folder)
    shutil.copy(sale_buckets.cache_path(hctx), folder / sale_buckets.CACHE_NAME)
    other = till.open_till(folder, hctx.clock)
    try:
        _check(other)
        with other.db.raw() as conn:
            top = conn.execute("SELECT max(rowid) FROM sale_lines").fetchone()[0]
        assert int(_cached(other)) == top
    finally:
        other.close()


def test_without_a_usable_cache_the_lines_are_read_directly(hctx, caplog):
    sale_buckets.cache_path(hctx).mkdir()                    # a folder where the file should be: unusable
    _check(hctx)
    assert "reading sale lines directly" in caplog.text
    with hctx.db.raw() as conn:
        assert line_buckets.line_totals(hctx, conn, FIRST, LAST) == \
            conn.execute(line_buckets.LIVE_SQL, (FIRST.isoformat(), LAST.isoformat())).fetchall()


def test_the_nightly_task_folds_every_sale_into_the_cache_beforehand(hctx):
    """After the X report the day tasks fold the day into the cache: the morning's first report folds nothing."""
    from pos_desktop.services.day_tasks import DayTasks

    assert not sale_buckets.cache_path(hctx).exists()
    assert DayTasks(hctx).warm_reports_cache() is True
    with hctx.db.raw() as conn:
        last_line = conn.execute("SELECT max(rowid) FROM sale_lines").fetchone()[0]
    assert int(_cached(hctx)) == last_line
    _check(hctx)                                             # and the figures are the raw rows'


def test_warming_an_unusable_cache_says_so_and_changes_nothing(hctx):
    from pos_desktop.services.reports.warm import warm_cache

    sale_buckets.cache_path(hctx).mkdir()                    # a folder where the file should be
    assert warm_cache(hctx) is False
    _check(hctx)
