"""The page's check-digit test (static/barcode.js, run by node) agrees with core/barcodes.py on every code:
what the page lets through the server accepts, and what the server refuses for its check digit the page
refuses first."""

from __future__ import annotations

import json
import random
import shutil
import subprocess
from pathlib import Path

import pytest

from pos_desktop.core.barcodes import append_check_digit, normalize_barcode
from pos_desktop.core.errors import BarcodeError

SCRIPT = Path(__file__).resolve().parents[2] / "pos_desktop/server/handheld/static/barcode.js"


def codes() -> list[str]:
    rng = random.Random(8)
    found = ["6901234567892", "6901234567893", "036000291452", "036000291453", "96385074", "96385075",
             "01234565", "01234566", "04252614", "12345670", "10614141000415", "106141410004151",
             "SKU-1", "milk", "2012345012345"]
    for length in (8, 12, 13, 14):
        for _ in range(150):
            body = "".join(rng.choice("0123456789") for _ in range(length - 1))
            good = append_check_digit(body)
            found += [good, good[:-1] + str((int(good[-1]) + rng.randint(1, 9)) % 10)]
    return found


def test_the_page_and_the_server_agree_on_check_digits():
    node = shutil.which("node")
    if node is None:
        pytest.skip("node is not installed")
    every = codes()
    program = f"const b = require({json.dumps(str(SCRIPT))}); " \
              f"console.log(JSON.stringify({json.dumps(every)}.map((c) => b.checkBarcode(c).ok)));"
    page = json.loads(subprocess.run([node, "-e", program], capture_output=True, text=True, check=True,
                                     timeout=30).stdout)
    disagree = []
    for code, page_ok in zip(every, page):
        try:
            normalize_barcode(code)
            server_ok = True
        except BarcodeError:
            server_ok = False
        if page_ok != server_ok and code.isdigit():
            disagree.append((code, page_ok, server_ok))
        if not code.isdigit():
            assert page_ok, code      # text goes to the server, which searches it
    assert disagree == []
    assert page.count(False) > 500    # the wrong check digits were seen as wrong
