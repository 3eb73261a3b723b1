"""The schema-upgrade fixture: a till database of the first released schema (alembic revision 0001), full.

    python -m tests.reliability.fixture_0001            # rewrites tests/reliability/fixtures/pos-0001.db.gz

How it is made: a day's worth of real documents (products, users, a member, sales, returns, a void, stock
adjustments, their stock movements, journal and outbox) is produced through today's services in a scratch
till; then an empty file is brought to ``alembic upgrade 0001`` and every table of 0001 is filled with SQL
(``INSERT … SELECT`` of exactly 0001's columns). The journal rows are copied verbatim, so the hash chain of the
old database verifies. ``fingerprint`` is what the upgrade test compares: rows, sums and a digest per table.
"""

from __future__ import annotations

import gzip
import hashlib
import random
import shutil
import sqlite3
import tempfile
from datetime import datetime, timedelta, timezone
from decimal import Decimal as D
from pathlib import Path

from alembic import command
from sqlalchemy import create_engine

FIXTURE = Path(__file__).parent / "fixtures" / "pos-0001.db.gz"
TZ = timezone(timedelta(hours=8))
START = datetime(2026, 3, 2, 9, 0, tzinfo=TZ)


def schema_0001(target: Path) -> None:
    from pos_desktop.store.migrate import alembic_config
    engine = create_engine(f"sqlite:///{target}")
    config = alembic_config()
    with engine.begin() as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, "0001")
    engine.dispose()


def layout(conn: sqlite3.Connection) -> dict[str, list[str]]:
    tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table' "
                                         "AND name NOT LIKE 'sqlite_%' AND name != 'alembic_version' ORDER BY name")]
    return {t: [r[1] for r in conn.execute(f'PRAGMA table_info("{t}")')] for t in tables}


def fill_from(target: Path, source: Path) -> dict[str, int]:
    """Copy the rows of ``source`` (a head database) into the 0001 tables of ``target``, 0001 columns only."""
    conn = sqlite3.connect(target)
    try:
        conn.execute("PRAGMA foreign_keys=OFF")
        conn.execute("ATTACH DATABASE ? AS src", (str(source),))
        counts = {}
        with conn:
            for table, cols in layout(conn).items():
                names = ", ".join(f'"{c}"' for c in cols)
                conn.execute(f'INSERT INTO main."{table}" ({names}) SELECT {names} FROM src."{table}"')
                counts[table] = conn.execute(f'SELECT count(*) FROM main."{table}"').fetchone()[0]
        conn.execute("DETACH DATABASE src")
        problems = conn.execute("PRAGMA foreign_key_check").fetchall()
        assert not problems, f"foreign keys broken in the fixture: {problems[:5]}"
        conn.execute("VACUUM")
    finally:
        conn.close()
    return counts


def fingerprint(db_file: Path, tables: dict[str, list[str]] | None = None) -> dict[str, tuple]:
    """Per table of 0001: (rows, Σ of each integer column, sha256 of the sorted rows of 0001's columns)."""
    conn = sqlite3.connect(db_file)
    try:
        tables = tables or layout_of_fixture()
        result = {}
        for table, cols in tables.items():
            names = ", ".join(f'"{c}"' for c in cols)
            rows = conn.execute(f'SELECT {names} FROM "{table}"').fetchall()
            sums = tuple(sum(r[i] for r in rows if isinstance(r[i], int)) for i in range(len(cols)))
            digest = hashlib.sha256("\n".join(sorted(repr(r) for r in rows)).encode()).hexdigest()[:16]
            result[table] = (len(rows), sums, digest)
        return result
    finally:
        conn.close()


def layout_of_fixture() -> dict[str, list[str]]:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "pos.db"
        with gzip.open(FIXTURE) as src, path.open("wb") as dst:
            shutil.copyfileobj(src, dst)
        conn = sqlite3.connect(path)
        try:
            return layout(conn)
        finally:
            conn.close()


def business(folder: Path, seed: int = 1) -> None:
    """A store's week through the services: the data the fixture carries."""
    from pos_desktop.core.cart import Cart
    from pos_desktop.core.clock import FixedClock
    from pos_desktop.services import auth, catalog, checkout, members, returns, stock, till
    from pos_desktop.services.checkout import Tender
    from pos_desktop.services.products import upsert_products
    from pos_desktop.services.returns import ReturnRequest
    from pos_desktop.services.unit import write
    from tests.conftest import CATALOG

    rng = random.Random(seed)
    clock = FixedClock(START)
    ctx = till.init_till(folder, store_code="S01", store_name="老店 Old store", till_code="T01",
                         admin_user="admin", admin_pin="1234", clock=clock)
    admin = auth.login(ctx, "admin", "1234")
    for name, role, pin in (("amy", "cashier", "1111"), ("sam", "supervisor", "3333"), ("mia", "manager", "9999")):
        auth.add_user(ctx, admin, name, role, pin)
    with write(ctx) as unit:
        upsert_products(unit, CATALOG, 2)
    member_id = members.enrol_member(ctx, admin, code="M0001", name="王芳", phone="13800000001")
    codes = [b for row in CATALOG for b, _pack in row.barcodes]
    receipts = []
    for day in range(7):
        clock.set(START + timedelta(days=day))
        stock.adjust_stock(ctx, admin, sku="SOAP", location="BACK", qty_delta=D(24), reason="found")
        for _ in range(60):
            clock.advance(minutes=rng.randint(1, 9))
            cart = Cart()
            for _line in range(rng.randint(1, 4)):
                found = catalog.lookup_scan(ctx, rng.choice(codes))
                cart.add(found.product, found.qty * rng.randint(1, 3), barcode=found.barcode)
            if rng.random() < 0.2:
                cart.set_customer(member_id, "M0001")
            total = cart.price(at=clock.now()).cart.total
            method = rng.choice(("cash", "card", "qr"))
            paid = total if method != "cash" else total + D(rng.choice((0, 1, 5, 20)))
            receipts.append(checkout.complete_sale(ctx, cart, [Tender(method, paid)], admin).receipt_no)
        for no in rng.sample(receipts[-60:], 3):
            returns.return_items(ctx, admin, receipt_no=no, lines=[ReturnRequest(1, D(1))], reason="damaged")
        stock.adjust_stock(ctx, admin, sku="COLA", location="FLOOR", qty_delta=D(-1), reason="damaged")
    returns.void_sale(ctx, admin, receipt_no=receipts[-1], reason="customer changed mind")
    ctx.close()


def build(target: Path = FIXTURE, seed: int = 1) -> dict[str, int]:
    with tempfile.TemporaryDirectory() as tmp:
        scratch = Path(tmp) / "till"
        business(scratch, seed)
        old = Path(tmp) / "pos-0001.db"
        schema_0001(old)
        counts = fill_from(old, scratch / "pos.db")
        target.parent.mkdir(parents=True, exist_ok=True)
        with old.open("rb") as src, gzip.GzipFile(target, "wb", mtime=0) as dst:
            shutil.copyfileobj(src, dst)
    return counts


if __name__ == "__main__":
    for table, n in build().items():
        print(f"{table:24} {n}")
    print(f"{FIXTURE} {FIXTURE.stat().st_size} bytes")
