"""`pos journal verify` (and what tampering with the journal table looks like), `pos backup` / `pos restore`."""

from __future__ import annotations

import sqlite3
from pathlib import Path


from .conftest import Till, query, sale_doc


def journal_rows(folder: Path) -> list[tuple[int, str]]:
    return query(folder, "SELECT seq, entry FROM journal ORDER BY seq")


def tamper(folder: Path, sql: str, *params: object) -> None:
    con = sqlite3.connect(folder / "pos.db")
    try:
        con.execute(sql, params)
        con.commit()
    finally:
        con.close()


def test_an_edited_entry_is_named(fresh: Till) -> None:
    """Someone makes sam an admin in the journal's own text: the entry no longer matches its hash."""
    [(seq, entry)] = [(s, e) for s, e in journal_rows(fresh.path) if '"username":"sam"' in e]
    assert '"role":"supervisor"' in entry
    tamper(fresh.path, "UPDATE journal SET entry = ? WHERE seq = ?",
           entry.replace('"role":"supervisor"', '"role":"admin"'), seq)
    with fresh.unchanged():
        doc = fresh.json("journal", "verify", expect=5)
    assert doc["ok"] is False and doc["first_bad_entry"] == seq
    assert str(seq) in doc["message"]


def test_a_deleted_entry_is_named(fresh: Till) -> None:
    rows = journal_rows(fresh.path)
    middle = rows[len(rows) // 2][0]
    assert 1 < middle < rows[-1][0]
    tamper(fresh.path, "DELETE FROM journal WHERE seq = ?", middle)
    doc = fresh.json("journal", "verify", expect=5)
    assert doc["ok"] is False and doc["first_bad_entry"] == middle
    assert "missing" in doc["message"]


def test_an_entry_that_is_no_longer_json_is_named(fresh: Till) -> None:
    seq = journal_rows(fresh.path)[2][0]
    tamper(fresh.path, "UPDATE journal SET entry = 'deleted by accident' WHERE seq = ?", seq)
    doc = fresh.json("journal", "verify", expect=5)
    assert doc["ok"] is False and doc["first_bad_entry"] == seq


def test_a_damaged_database_is_an_integrity_failure(fresh: Till) -> None:
    db = fresh.path / "pos.db"
    data = bytearray(db.read_bytes())
    quarter = len(data) // 4  # pages in the middle half overwritten, the header left alone
    data[quarter:3 * quarter] = b"\xde\xad\xbe\xef" * ((3 * quarter - quarter) // 4) + b"\0" * ((2 * quarter) % 4)
    db.write_bytes(bytes(data))
    doc = fresh.json("journal", "verify", expect=5)
    assert doc["error"] == "database_corrupt" and "backup" in doc["message"]


def test_backup_then_restore_drops_the_later_sale(fresh: Till) -> None:
    backup = fresh.files / "before-lunch.db"
    done = fresh.json("backup", "--to", backup, *fresh.as_user("admin"))
    assert done["ok"] is True and Path(done["backup"]) == backup and backup.is_file()

    later = fresh.sale(sale_doc({"sku": "CHIPS"}, pay="10.00"))["receipt_no"]

    with fresh.unchanged(exclude=("users",)):
        refused = fresh.json("restore", "--from", backup, *fresh.as_user("mia"), expect=4)
    assert refused["error"] == "permission_denied" and "restore" in refused["message"]

    restored = fresh.json("restore", "--from", backup, *fresh.as_user("admin"))
    assert restored["ok"] is True
    assert later not in [row["receipt_no"] for row in fresh.json("sales", "list")]
    verified = fresh.json("journal", "verify")
    assert verified["ok"] is True and verified["entries"] == len(journal_rows(fresh.path))
    assert any("restored" in entry for _seq, entry in journal_rows(fresh.path)), "the restore is journaled"
    assert any("before-restore" in p.name for p in (fresh.path / "backups").iterdir()), \
        "the replaced database is kept"
