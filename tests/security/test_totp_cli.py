"""``pos user totp enable|disable NAME`` and the codes on the command line: ``--otp``/``POS_OTP`` for the
user, ``--approver-otp``/``POS_APPROVER_OTP`` for an approver with TOTP switched on (in-process ``main``)."""

from __future__ import annotations

import contextlib
import io
import json
from pathlib import Path
from typing import Any

import pyotp

from pos_desktop.cli import main

ADJUST = ["stock", "adjust", "--sku", "COLA", "--location", "BACK", "--qty-delta", "1", "--reason", "found"]


def run(folder: Path, *argv: str) -> tuple[int, Any]:
    out = io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(io.StringIO()):
        code = main(["--data-dir", str(folder), "--json", *argv])
    return code, json.loads(out.getvalue().strip().splitlines()[-1])


def test_codes_for_users_and_approvers(till_dir: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    for name in ("POS_OTP", "POS_APPROVER_OTP", "POS_USER", "POS_PIN"):
        monkeypatch.delenv(name, raising=False)
    code, doc = run(till_dir, "user", "totp", "enable", "mia", "--user", "amy", "--pin", "1111")
    assert (code, doc["error"]) == (4, "permission_denied")   # a cashier cannot switch a manager's codes
    code, shown = run(till_dir, "user", "totp", "enable", "mia", "--user", "mia", "--pin", "9999")
    assert code == 0 and set(shown) == {"user", "secret", "uri"}
    totp = pyotp.TOTP(shown["secret"])

    cashier = ["--user", "amy", "--pin", "1111", "--approver", "mia", "--approver-pin", "9999"]
    code, doc = run(till_dir, *ADJUST, *cashier)
    assert (code, doc["error"]) == (4, "otp_required"), doc
    assert run(till_dir, *ADJUST, *cashier, "--approver-otp", totp.now())[0] == 0
    monkeypatch.setenv("POS_APPROVER_OTP", totp.now())
    assert run(till_dir, *ADJUST, *cashier)[0] == 0
    monkeypatch.delenv("POS_APPROVER_OTP")

    assert run(till_dir, *ADJUST, "--user", "mia", "--pin", "9999")[1]["error"] == "otp_required"
    monkeypatch.setenv("POS_OTP", totp.now())
    assert run(till_dir, *ADJUST, "--user", "mia", "--pin", "9999")[0] == 0
    code, doc = run(till_dir, "user", "totp", "disable", "mia", "--user", "admin", "--pin", "1234")
    assert code == 0 and doc == {"user": "mia", "totp": False}
    monkeypatch.delenv("POS_OTP")
    assert run(till_dir, *ADJUST, "--user", "mia", "--pin", "9999")[0] == 0
