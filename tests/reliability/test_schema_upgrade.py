"""A till database of the first released schema (revision 0001), full of a week's data, upgrades to head with
every row intact: per table the same rows, the same sums and the same contents of 0001's columns, and the
journal verifies (the sales and returns still match their entries)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from pos_desktop import paths
from pos_desktop.services import journal, till
from pos_desktop.store import migrate
from tests.reliability.fixture_0001 import fingerprint, layout
from tests.reliability.killing import unpack_fixture


def test_the_fixture_is_revision_0001_and_full(tmp_path: Path) -> None:
    db_file = unpack_fixture(tmp_path / "pos.db")
    conn = sqlite3.connect(db_file)
    try:
        assert conn.execute("SELECT version_num FROM alembic_version").fetchone()[0] == "0001"
        tables = layout(conn)
        counts = {t: conn.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in tables}
    finally:
        conn.close()
    for table in ("products", "users", "sales", "sale_lines", "payments", "returns", "return_lines",
                  "stock_movements", "stock_levels", "stock_documents", "journal", "outbox", "customers"):
        assert counts[table] > 0, f"the fixture has no {table}"
    assert counts["sales"] >= 400 and counts["journal"] >= 450


def test_upgrading_0001_to_head_keeps_every_row(tmp_path: Path) -> None:
    folder = tmp_path / "till"
    db_file = unpack_fixture(paths.db_path(folder))
    before = fingerprint(db_file)

    ctx = till.open_till(folder)   # what the till does at start: back up, upgrade to head, open
    try:
        assert migrate.current_revision(ctx.db) == migrate.head_revision()
        report = journal.verify(ctx)
        assert report.ok, report
        assert report.entries == before["journal"][0]
    finally:
        ctx.close()

    after = fingerprint(db_file, layout_of(db_file))
    changed = {t: (before[t], after.get(t)) for t in before if after.get(t) != before[t]}
    assert not changed, changed
    backups = list(paths.backups_dir(folder).glob("pos-*-before-*.db"))
    assert len(backups) == 1, "the old database is backed up before the upgrade"
    assert fingerprint(backups[0]) == before


def layout_of(db_file: Path) -> dict[str, list[str]]:
    """0001's columns of each table (later revisions add columns; those are not compared)."""
    from tests.reliability.fixture_0001 import layout_of_fixture
    old = layout_of_fixture()
    conn = sqlite3.connect(db_file)
    try:
        now = layout(conn)
    finally:
        conn.close()
    missing = {t: [c for c in cols if c not in now.get(t, [])] for t, cols in old.items()}
    assert not any(missing.values()), f"the upgrade dropped columns: {missing}"
    return old
