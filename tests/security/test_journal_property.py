"""The server's journal check agrees with ``pos journal verify`` (hypothesis): for a chain of entries made as
the till makes them, with one edit, deletion or swap anywhere (or none), the server — sent the entries as
they stand, or sent them whole first and audited after the tampering — names the same first bad entry as
the till's own check (``core.journal.verify_chain``)."""

from __future__ import annotations

import copy
import uuid
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pos_desktop.core.journal import GENESIS, StoredEntry, canonical_json, entry_hash, verify_chain
from pos_desktop.server import access, journal_check, masterdata, schema
from pos_desktop.server.db import Database
from pos_desktop.services.journal import check_value
from tests.server.conftest import BACKENDS, database_url

NOW = datetime(2026, 11, 27, 2, 0, tzinfo=UTC)


@pytest.fixture(scope="module", params=BACKENDS)
def db(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    """The server database on SQLite, and on PostgreSQL when POS_TEST_POSTGRES_URL names one."""
    folder: Path = tmp_path_factory.mktemp("journal-db")
    with database_url(request.param, folder) as url:
        database = Database(url)
        schema.upgrade(database)
        with database.write() as session:
            masterdata.create_store(session, "S01", "Store", "2026-11-27T00:00:00Z")
        yield database
        database.close()


def till_identity(db: Database) -> access.TillIdentity:
    with db.write() as session:
        code, _expires = access.issue_enrol_code(session, "S01", "T01", NOW)
        enrolment, _secret, store = access.enrol(session, code=code, till_uuid=str(uuid.uuid4()), store_code="S01",
                                                 till_code="T01", next_seq=1, now=NOW)
        return access.TillIdentity(enrolment, store)


def chain(n: int) -> list[dict]:
    rows, prev = [], GENESIS
    for seq in range(1, n + 1):
        entry = {"seq": seq, "kind": "sale", "doc_id": f"d{seq}", "at": "2026-11-27T10:00:00+08:00", "till": "T01",
                 "user": "amy", "approver": None, "payload": {"total_minor": 100 * seq}}
        digest = entry_hash(prev, entry)
        rows.append({"seq": seq, "entry": canonical_json(entry), "prev_hash": prev, "hash": digest})
        prev = digest
    return rows


def tamper(rows: list[dict], how: str, at: int) -> list[dict]:
    rows = copy.deepcopy(rows)
    i = at - 1
    if how == "edit":
        rows[i]["entry"] = rows[i]["entry"].replace(f'"total_minor":{100 * at}', '"total_minor":1')
    elif how == "delete":
        del rows[i]
    elif how == "swap":
        a, b = rows[i], rows[i + 1]
        rows[i], rows[i + 1] = {**b, "seq": a["seq"]}, {**a, "seq": b["seq"]}
    return rows


def local_verdict(rows: list[dict]) -> int | None:
    import json
    report = verify_chain([StoredEntry(r["seq"], json.loads(r["entry"]), r["prev_hash"], r["hash"]) for r in rows])
    return report.first_bad_entry


def audit(rows: list[dict], upto: int) -> dict:
    import json
    checks = []
    for r in rows:
        if r["seq"] <= upto:
            checks.append((r["seq"], check_value(r["prev_hash"], r["hash"], entry_hash(r["prev_hash"],
                                                                                      json.loads(r["entry"])))))
    return {"from": 1, "to": upto, "checks": checks}


TAMPERING = st.integers(3, 12).flatmap(lambda n: st.tuples(
    st.just(n), st.sampled_from(["none", "edit", "delete", "swap"]), st.integers(1, n - 1), st.booleans()))


@settings(max_examples=40, deadline=None, database=None, suppress_health_check=list(HealthCheck))
@given(case=TAMPERING)
def test_the_server_names_the_entry_the_till_names(db, case) -> None:  # type: ignore[no-untyped-def]
    n, how, at, sent_first = case
    honest = chain(n)
    rows = tamper(honest, how, at)
    expected = local_verdict(rows)
    assert (expected is None) == (how == "none")
    till = till_identity(db)
    with db.write() as session:
        if sent_first:   # the server holds the honest chain; the tampering comes to light in the audit
            assert journal_check.receive(session, till, honest, None, NOW).ok
            verdict = journal_check.receive(session, till, [], audit(rows, n), NOW)
        else:
            verdict = journal_check.receive(session, till, rows, None, NOW)
    assert verdict.first_bad_entry == expected, (how, at, verdict)
