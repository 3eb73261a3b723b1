"""A full disk: the sale is refused with a clear message, nothing of it is stored, and selling resumes as soon
as there is space again.

Two ways to fill the disk: SQLite's own ``PRAGMA max_page_count`` on the till's connections (always), and a
real 3 MB tmpfs filled to the brim for ``pos sale`` (when this user may mount one: root, as in CI).
"""

from __future__ import annotations

import json
import shutil
import subprocess
from decimal import Decimal as D
from pathlib import Path

import pytest
from sqlalchemy import event

from pos_desktop import paths
from pos_desktop.core.cart import Cart
from pos_desktop.services import catalog, checkout
from pos_desktop.services.checkout import Tender
from pos_desktop.store.db import DiskFull
from tests.conftest import CHIPS, COLA
from tests.reliability import checks
from tests.sync.harness import pos

FULL_MESSAGE = "The disk holding the till's database is full: nothing was saved."


def cart_of(ctx, *codes: str) -> Cart:  # type: ignore[no-untyped-def]
    cart = Cart()
    for code in codes:
        found = catalog.lookup_scan(ctx, code)
        cart.add(found.product, found.qty, barcode=found.barcode)
    return cart


def limit_pages(ctx) -> dict[str, int]:  # type: ignore[no-untyped-def]
    """Cap the database at its current size on every connection the till uses; raise ``limit["pages"]`` to
    give the space back."""
    with ctx.db.raw() as conn:
        pages = conn.execute("PRAGMA page_count").fetchone()[0]
    limit = {"pages": pages}
    ctx.db.engine.dispose()   # connections made from now on get the cap
    event.listen(ctx.db.engine, "checkout",
                 lambda dbapi, _rec, _proxy: dbapi.execute(f"PRAGMA max_page_count={limit['pages']}"))
    return limit


def test_a_sale_on_a_full_disk_is_refused_whole_and_selling_resumes(ctx, cashier) -> None:
    limit = limit_pages(ctx)
    sold = 0
    with pytest.raises(DiskFull) as refused:
        for _ in range(500):   # the free space inside the file's pages runs out after some sales
            checkout.complete_sale(ctx, cart_of(ctx, COLA, CHIPS), [Tender("cash", D("20"))], cashier)
            sold += 1
    assert str(refused.value).startswith(FULL_MESSAGE)          # what the cashier reads
    assert refused.value.exit_code == 5 and refused.value.code == "disk_full"
    db_file = paths.db_path(ctx.data_dir)
    assert len(checks.local_receipts(db_file)) == sold           # the refused sale left nothing behind
    assert checks.integrity(db_file) == [] and checks.documents(db_file, []) == []

    waiting = cart_of(ctx, COLA, CHIPS)   # the same sale again: still no room
    with pytest.raises(DiskFull):
        checkout.complete_sale(ctx, waiting, [Tender("cash", D("20"))], cashier)
    assert waiting.lines, "the cart is kept so the cashier can try again"

    limit["pages"] += 1000                                      # space comes back
    receipt = checkout.complete_sale(ctx, waiting, [Tender("cash", D("20"))], cashier)
    assert receipt.receipt_no in checks.local_receipts(db_file)
    assert checks.documents(db_file, [receipt.receipt_no]) == [] and checks.journal(ctx.data_dir) == []


@pytest.fixture
def small_disk(tmp_path: Path):
    mount = tmp_path / "disk"
    mount.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=3m", "tmpfs", str(mount)], capture_output=True,
                          text=True, check=False)
    if done.returncode != 0:
        pytest.skip(f"cannot mount a small tmpfs here ({done.stderr.strip()}); the max_page_count test covers it")
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)


def fill(disk: Path, leave: int) -> Path:
    """Fill ``disk`` with one file until only ``leave`` bytes are free."""
    filler = disk / "filler"
    free = shutil.disk_usage(disk).free
    with filler.open("wb") as f:
        f.write(b"\0" * max(0, free - leave))
    return filler


SALE = {"user": "amy", "pin": "1111", "lines": [{"barcode": COLA, "qty": "2"}],
        "payments": [{"method": "cash", "amount": "10.00"}]}


def test_pos_sale_on_a_full_filesystem_exits_5_with_disk_full(small_disk: Path, till_dir: Path) -> None:
    folder = small_disk / "till"
    shutil.copytree(till_dir, folder)
    sale_file = small_disk.parent / "sale.json"
    sale_file.write_text(json.dumps(SALE))
    first = pos("--data-dir", str(folder), "sale", "--file", str(sale_file), "--json")
    filler = fill(small_disk, leave=0)

    refused = pos("--data-dir", str(folder), "sale", "--file", str(sale_file), "--json", check=False)
    assert refused.returncode == 5, refused.stdout + refused.stderr
    doc = json.loads(refused.stdout)
    assert doc["error"] == "disk_full" and doc["message"].startswith(FULL_MESSAGE)
    assert "pos: The disk holding the till's database is full" in refused.stderr
    filler.unlink()                                            # space comes back

    db_file = paths.db_path(folder)
    assert list(checks.local_receipts(db_file)) == [json.loads(first.stdout)["receipt_no"]]
    again = pos("--data-dir", str(folder), "sale", "--file", str(sale_file), "--json")
    assert len(checks.local_receipts(db_file)) == 2
    assert checks.till_folder(folder, [json.loads(again.stdout)["receipt_no"]]) == []
