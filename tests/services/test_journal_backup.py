"""Tamper evidence of the journal, and backup/restore."""

import sqlite3
from decimal import Decimal as D

import pytest

from pos_desktop.core.cart import Cart
from pos_desktop.core.errors import IntegrityFailure, PermissionDenied
from pos_desktop.services import auth, backups, catalog, checkout, journal, sales_query, till
from pos_desktop.services.checkout import Tender
from tests.conftest import COLA


def sell(ctx, cashier):
    cart = Cart()
    found = catalog.lookup_scan(ctx, COLA)
    cart.add(found.product, found.qty)
    return checkout.complete_sale(ctx, cart, [Tender("cash", D("3.50"))], cashier)


def tamper(path, sql, *params):
    conn = sqlite3.connect(path)
    conn.execute(sql, params)
    conn.commit()
    conn.close()


def test_untouched_journal_verifies(ctx, cashier):
    for _ in range(3):
        sell(ctx, cashier)
    report = journal.verify(ctx)
    assert report.ok and report.entries > 3


def test_edited_entry_is_named(ctx, cashier):
    sales = [sell(ctx, cashier) for _ in range(3)]
    conn = sqlite3.connect(ctx.db.path)
    (seq, text), = conn.execute("SELECT seq, entry FROM journal WHERE doc_id = ? AND kind = 'sale'",
                                (sales[1].sale_id,)).fetchall()
    conn.close()
    tamper(ctx.db.path, "UPDATE journal SET entry = ? WHERE seq = ?", text.replace("350", "35"), seq)
    report = journal.verify(ctx)
    assert not report.ok and report.first_bad_entry == seq and "hash" in report.reason


def test_deleted_and_reordered_entries_are_named(ctx, cashier):
    for _ in range(3):
        sell(ctx, cashier)
    tamper(ctx.db.path, "DELETE FROM journal WHERE seq = 5")
    assert journal.verify(ctx).first_bad_entry == 5


def test_removed_tail_entry_is_found_through_its_document(ctx, cashier):
    sell(ctx, cashier)
    last = sell(ctx, cashier)
    tamper(ctx.db.path, "DELETE FROM journal WHERE doc_id = ?", last.sale_id)
    report = journal.verify(ctx)
    assert not report.ok and last.receipt_no in report.reason


def test_edited_sale_no_longer_matches_its_entry(ctx, cashier):
    sale = sell(ctx, cashier)
    tamper(ctx.db.path, "UPDATE sales SET total_minor = 1 WHERE id = ?", sale.sale_id)
    report = journal.verify(ctx)
    assert not report.ok and "total_minor" in report.reason


def test_backup_restore_round_trip(ctx, till_dir, admin, cashier, tmp_path):
    kept = sell(ctx, cashier)
    copy = backups.backup(ctx, admin, tmp_path / "backup.db")
    lost = sell(ctx, cashier)
    with pytest.raises(PermissionDenied):
        backups.backup(ctx, cashier, tmp_path / "x.db")
    backups.restore(ctx, admin, copy)
    reopened = till.open_till(till_dir)
    try:
        numbers = [r["receipt_no"] for r in sales_query.list_sales(reopened)]
        assert kept.receipt_no in numbers and lost.receipt_no not in numbers
        again = sell(reopened, auth.login(reopened, "amy", "1111"))
        assert again.receipt_no > lost.receipt_no          # the lost sale's number is never given twice
        assert journal.verify(reopened).ok
        assert any(p.name.startswith("pos-") and "before-restore" in p.name for p in (till_dir / "backups").iterdir())
    finally:
        reopened.close()


def test_a_damaged_backup_is_refused(ctx, admin, tmp_path):
    bad = tmp_path / "bad.db"
    bad.write_bytes(b"SQLite format 3\x00" + b"\x00" * 200)
    with pytest.raises(IntegrityFailure, match="cannot be restored"):
        backups.restore(ctx, admin, bad)
    other = tmp_path / "other.db"
    sqlite3.connect(other).execute("CREATE TABLE x (y)").connection.close()
    with pytest.raises(IntegrityFailure, match="not a till database"):
        backups.restore(ctx, admin, other)
