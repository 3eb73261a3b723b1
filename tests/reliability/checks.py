"""What must hold in a till's data folder after any crash: the checks of the kill harness and the soak.

Each function reads the database with plain ``sqlite3`` (opening it replays the WAL, as the till would) and
returns a list of problems in words; an empty list means the folder is sound.
"""

from __future__ import annotations

import json
import sqlite3
from collections import Counter
from pathlib import Path

from pos_desktop import paths


def integrity(db_file: Path) -> list[str]:
    conn = sqlite3.connect(db_file)
    try:
        result = [r[0] for r in conn.execute("PRAGMA integrity_check")]
    finally:
        conn.close()
    return [] if result == ["ok"] else [f"integrity_check: {'; '.join(result[:5])}"]


def documents(db_file: Path, reported: list[str]) -> list[str]:
    """Every reported receipt stored once; every sale and return whole; outbox events one to one; levels
    equal to the ledger."""
    conn = sqlite3.connect(db_file)
    try:
        return (_reported(conn, reported) + _whole_sales(conn) + _whole_returns(conn) + _outbox(conn)
                + _levels(conn))
    finally:
        conn.close()


def _reported(conn: sqlite3.Connection, reported: list[str]) -> list[str]:
    stored = Counter(r[0] for r in conn.execute("SELECT receipt_no FROM sales UNION ALL "
                                                "SELECT receipt_no FROM returns"))
    problems = [f"reported receipt {no} is missing" for no in reported if no not in stored]
    problems += [f"receipt {no} stored {n} times" for no, n in stored.items() if n > 1]
    dupes = [no for no, n in Counter(reported).items() if n > 1]
    return problems + [f"receipt {no} reported twice (numbers went back)" for no in dupes]


def _whole_sales(conn: sqlite3.Connection) -> list[str]:
    rows = conn.execute("""
        SELECT s.receipt_no, s.total_minor, s.paid_minor, s.change_minor, s.rounding_minor,
               (SELECT count(*) FROM sale_lines l WHERE l.sale_id = s.id),
               (SELECT coalesce(sum(net_minor), 0) FROM sale_lines l WHERE l.sale_id = s.id),
               (SELECT coalesce(sum(qty_milli), 0) FROM sale_lines l WHERE l.sale_id = s.id),
               (SELECT coalesce(sum(amount_minor), 0) FROM payments p WHERE p.sale_id = s.id),
               (SELECT coalesce(-sum(qty_milli), 0) FROM stock_movements m
                 WHERE m.doc_type = 'sale' AND m.doc_id = s.id),
               (SELECT count(*) FROM journal j WHERE j.kind = 'sale' AND j.doc_id = s.id)
          FROM sales s""").fetchall()
    problems = []
    for no, total, paid, change, rounding, nlines, net, qty, pay, moved, journaled in rows:
        if nlines == 0 or net != total or pay != paid or paid - change != total + rounding or moved != qty \
                or journaled != 1:
            problems.append(f"sale {no} is half-written: lines={nlines} net={net} total={total} paid={paid} "
                            f"payments={pay} qty={qty} moved={moved} journal={journaled}")
    return problems


def _whole_returns(conn: sqlite3.Connection) -> list[str]:
    rows = conn.execute("""
        SELECT r.receipt_no,
               (SELECT count(*) FROM return_lines l WHERE l.return_id = r.id),
               (SELECT count(*) FROM journal j WHERE j.kind = 'return' AND j.doc_id = r.id)
          FROM returns r""").fetchall()
    return [f"return {no} is half-written: lines={n} journal={j}" for no, n, j in rows if n == 0 or j != 1]


DOCUMENT_EVENTS = {"sale.completed": ("sales", "sale"), "sale.returned": ("returns", "return")}


def _outbox(conn: sqlite3.Connection) -> list[str]:
    problems = []
    seqs = [r[0] for r in conn.execute("SELECT till_seq FROM outbox ORDER BY till_seq")]
    if seqs and seqs != list(range(seqs[0], seqs[0] + len(seqs))):
        problems.append("outbox till_seq has a gap")
    events: dict[str, Counter] = {kind: Counter() for kind in DOCUMENT_EVENTS}
    for kind, payload in conn.execute("SELECT kind, payload FROM outbox"):
        if kind in DOCUMENT_EVENTS:
            doc = json.loads(payload)[DOCUMENT_EVENTS[kind][1]]
            events[kind][doc["id"]] += 1
    for kind, (table, _key) in DOCUMENT_EVENTS.items():
        ids = {r[0] for r in conn.execute(f"SELECT id FROM {table}")}  # noqa: S608 - fixed names
        if set(events[kind]) != ids:
            problems.append(f"{kind}: {len(ids - set(events[kind]))} documents without an event, "
                            f"{len(set(events[kind]) - ids)} events without a document")
        problems += [f"{kind} {doc} has {n} events" for doc, n in events[kind].items() if n > 1]
    return problems


def _levels(conn: sqlite3.Connection) -> list[str]:
    ledger = dict(((p, loc, b or ""), q) for p, loc, b, q in conn.execute(
        "SELECT product_id, location_id, batch_id, sum(qty_milli) FROM stock_movements "
        "GROUP BY product_id, location_id, coalesce(batch_id, '')"))
    cached = {(p, loc, b): q for p, loc, b, q in conn.execute(
        "SELECT product_id, location_id, batch_key, qty_milli FROM stock_levels")}
    wrong = [k for k in set(ledger) | set(cached) if ledger.get(k, 0) != cached.get(k, 0)]
    return [f"stock_levels differ from the ledger for {len(wrong)} keys"] if wrong else []


def spool(folder: Path) -> list[str]:
    """The reprint queue still loads (a job cut off mid-write is left aside, never an error)."""
    from pos_desktop.devices import ReceiptSpool, spool_dir
    try:
        ReceiptSpool(spool_dir(folder)).pending()
    except Exception as exc:  # noqa: BLE001 - any failure here is the finding
        return [f"the reprint queue cannot be read: {exc}"]
    return []


def journal(folder: Path) -> list[str]:
    """The services' own verification (the same as ``pos journal verify``)."""
    from pos_desktop.services import journal as journal_service
    from pos_desktop.services import till
    ctx = till.open_till(folder)
    try:
        report = journal_service.verify(ctx)
    finally:
        ctx.close()
    return [] if report.ok else [f"journal broken at entry {report.first_bad_entry}: {report.reason}"]


def till_folder(folder: Path, reported: list[str]) -> list[str]:
    db_file = paths.db_path(folder)
    problems = integrity(db_file)
    if problems:
        return problems
    return documents(db_file, reported) + spool(folder) + journal(folder)


def local_receipts(db_file: Path) -> dict[str, int]:
    """Receipt number → total (minor units) of every sale of this till."""
    conn = sqlite3.connect(db_file)
    try:
        return dict(conn.execute("SELECT receipt_no, total_minor FROM sales"))
    finally:
        conn.close()


def server_receipts(server_db: Path) -> Counter:
    """How many times the server stored each receipt number (must be exactly once each)."""
    conn = sqlite3.connect(f"file:{server_db}?mode=ro", uri=True)
    try:
        return Counter(r[0] for r in conn.execute("SELECT receipt_no FROM sales"))
    finally:
        conn.close()
