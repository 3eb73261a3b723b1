"""Tamper evidence (issue 9, point 9): a journal row edited, deleted or moved directly in SQLite is named by
``pos journal verify`` (exit 5, ``first_bad_entry``) and by the server after the next sync — whether the row
was tampered with before it was sent or after (then the server's audit of the hashes it kept notices).
Head office sees the alert in ``pos server admin summary`` (``journal_alerts``) and at
``GET /api/v1/admin/stores/{store}/journal-alerts``."""

from __future__ import annotations

import contextlib
import io
import json
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from pos_desktop.cli import main
from pos_desktop.core.journal import canonical_json, entry_hash

TAMPERS = ("edit", "delete", "reorder")


def verify(folder: Path) -> tuple[int, dict[str, Any]]:
    out = io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(io.StringIO()):
        code = main(["--data-dir", str(folder), "journal", "verify", "--json"])
    return code, json.loads(out.getvalue())


def sale_seqs(folder: Path) -> list[int]:
    with contextlib.closing(sqlite3.connect(folder / "pos.db")) as db:
        return [seq for (seq,) in db.execute("SELECT seq FROM journal WHERE kind = 'sale' ORDER BY seq")]


def tamper(folder: Path, how: str, seq: int, *, rehash: bool = False) -> None:
    """What a curious cashier with a SQLite browser does to entry ``seq``."""
    with contextlib.closing(sqlite3.connect(folder / "pos.db")) as db, db:
        if how == "edit":
            text, prev = db.execute("SELECT entry, prev_hash FROM journal WHERE seq = ?", (seq,)).fetchone()
            entry = json.loads(text)
            entry["payload"]["total_minor"] = int(entry["payload"].get("total_minor") or 0) - 100
            db.execute("UPDATE journal SET entry = ? WHERE seq = ?", (canonical_json(entry), seq))
            if rehash:   # hide it: recompute every hash from here on, so the till's own chain verifies
                rows = db.execute("SELECT seq, entry FROM journal WHERE seq >= ? ORDER BY seq", (seq,)).fetchall()
                for number, body in rows:
                    digest = entry_hash(prev, json.loads(body))
                    db.execute("UPDATE journal SET prev_hash = ?, hash = ? WHERE seq = ?", (prev, digest, number))
                    prev = digest
        elif how == "delete":
            db.execute("DELETE FROM journal WHERE seq = ?", (seq,))
        else:   # swap two neighbouring rows' places in the sequence
            db.execute("UPDATE journal SET seq = -1 WHERE seq = ?", (seq,))
            db.execute("UPDATE journal SET seq = ? WHERE seq = ?", (seq, seq + 1))
            db.execute("UPDATE journal SET seq = ? WHERE seq = -1", (seq + 1,))


def alerts(server, store: str) -> list[dict[str, Any]]:  # type: ignore[no-untyped-def]
    return server.api("GET", f"/stores/{store}/journal-alerts")["alerts"]


@pytest.fixture
def shop(tills):  # type: ignore[no-untyped-def]
    t = tills("T01")
    for _ in range(3):
        t.sell(("COLA", 1))
    return t


@pytest.mark.parametrize("how", TAMPERS)
def test_tampered_before_it_was_sent(how: str, shop, tills) -> None:  # type: ignore[no-untyped-def]
    target = sale_seqs(shop.folder)[1]
    assert verify(shop.folder) == (0, {"ok": True, "entries": verify(shop.folder)[1]["entries"]})
    tamper(shop.folder, how, target)

    code, doc = verify(shop.folder)
    assert code == 5 and doc["ok"] is False and doc["first_bad_entry"] == target, doc
    assert doc["error"] == "journal_broken"

    result = shop.sync()
    assert result.ok and result.pending == 0, result   # a broken journal never stops the sales going up
    found = alerts(tills.server, tills.store)
    assert [(a["till"], a["first_bad_entry"]) for a in found] == [("T01", target)], found
    assert tills.server.summary(tills.store)["journal_alerts"][0]["first_bad_entry"] == target
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        assert main(["server", "admin", "summary", "--store", tills.store, "--db", tills.server.db_url, "--json"]) == 0
    assert [(a["till"], a["first_bad_entry"]) for a in json.loads(out.getvalue())["journal_alerts"]] == [
        ("T01", target)]
    shop.sync()   # the same broken chain sent again is not a second alert
    assert len(alerts(tills.server, tills.store)) == 1


@pytest.mark.parametrize("how", TAMPERS)
def test_tampered_after_it_was_sent(how: str, shop, tills) -> None:  # type: ignore[no-untyped-def]
    assert shop.sync().ok
    assert alerts(tills.server, tills.store) == []
    target = sale_seqs(shop.folder)[1]
    tamper(shop.folder, how, target)

    assert verify(shop.folder)[0] == 5
    shop.agent._audit_at = None   # the audit is due (it runs every 10 minutes, and in each new process)
    assert shop.sync().ok
    found = alerts(tills.server, tills.store)
    assert [(a["till"], a["first_bad_entry"]) for a in found] == [("T01", target)], found
    assert "after it was sent" in found[0]["reason"]


def test_a_recomputed_chain_still_differs_from_what_the_server_kept(shop, tills) -> None:  # type: ignore[no-untyped-def]
    """Rewriting every later hash hides an edit from the till's own chain check, not from the server."""
    assert shop.sync().ok
    target = sale_seqs(shop.folder)[0]
    tamper(shop.folder, "edit", target, rehash=True)
    shop.agent._audit_at = None
    assert shop.sync().ok
    assert [a["first_bad_entry"] for a in alerts(tills.server, tills.store)] == [target]


def test_an_honest_till_raises_no_alert_and_its_journal_is_kept(shop, tills) -> None:  # type: ignore[no-untyped-def]
    assert shop.sync().ok
    shop.sell(("CHIPS", 2))
    shop.agent._audit_at = None
    assert shop.sync().ok
    assert alerts(tills.server, tills.store) == []
    assert tills.server.summary(tills.store)["journal_alerts"] == []


@pytest.mark.postgres
def test_tamper_alerts_on_postgresql_too(any_tills) -> None:  # type: ignore[no-untyped-def]
    t = any_tills("T01")
    for _ in range(3):
        t.sell(("COLA", 1))
    assert t.sync().ok
    t.sell(("CHIPS", 1))
    target = sale_seqs(t.folder)[-1]
    tamper(t.folder, "edit", target)   # not sent yet: the server recomputes its hash
    assert t.sync().ok
    found = any_tills.server.api("GET", f"/stores/{any_tills.store}/journal-alerts")["alerts"]
    assert [(a["first_bad_entry"], a["reason"]) for a in found] == [(target, "content does not match its hash")]
