"""Opening a till: a damaged or missing database is detected and named, never half-used."""

import subprocess
import sys

import pytest

from pos_desktop.core.errors import IntegrityFailure, InvalidInput
from pos_desktop.services import till


def test_missing_database_says_what_to_do(tmp_path):
    with pytest.raises(InvalidInput, match="pos init"):
        till.open_till(tmp_path)


def test_garbage_file_is_an_integrity_failure(till_dir):
    (till_dir / "pos.db").write_bytes(b"this is not a database" * 100)
    for suffix in ("-wal", "-shm"):
        (till_dir / f"pos.db{suffix}").unlink(missing_ok=True)
    with pytest.raises(IntegrityFailure, match="damaged") as err:
        till.open_till(till_dir)
    assert err.value.exit_code == 5


def test_damaged_pages_are_found_by_the_quick_check(till_dir):
    data = bytearray((till_dir / "pos.db").read_bytes())
    assert len(data) > 40 * 4096
    for page in range(10, 30):                       # scribble over table pages, keep the header intact
        data[page * 4096 + 8: page * 4096 + 400] = b"\xff" * 392
    (till_dir / "pos.db").write_bytes(bytes(data))
    with pytest.raises(IntegrityFailure, match="damaged"):
        till.open_till(till_dir)


def test_cli_reports_a_damaged_database_with_exit_5(till_dir):
    (till_dir / "pos.db").write_bytes(b"garbage" * 1000)
    done = subprocess.run([sys.executable, "-m", "pos_desktop", "--data-dir", str(till_dir), "stock", "--json"],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 5
    assert '"error": "database_corrupt"' in done.stdout and "restore" in done.stdout
