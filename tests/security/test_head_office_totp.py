"""Head office's optional second factor (issue 9, point 7): once ``pos server admin totp enable`` has shown
the secret, every ``pos server admin`` command needs ``--otp``/``POS_OTP`` and every admin API call the
``X-POS-OTP`` header; integration keys (machines) are not asked. Exit 4 / HTTP 401 with ``otp_required`` or
``wrong_otp`` otherwise."""

from __future__ import annotations

import contextlib
import io
import json
from datetime import UTC, datetime, timedelta
from typing import Any

import pyotp
import pytest

from pos_desktop.cli import main
from pos_desktop.server import admin
from tests.security.server_fixture import hq  # noqa: F401


def pos_admin(server, *argv: str) -> tuple[int, Any]:  # type: ignore[no-untyped-def]
    out = io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(io.StringIO()):
        code = main(["server", "admin", *argv, "--db", server.db_url, "--json"])
    return code, json.loads(out.getvalue().strip().splitlines()[-1])


def test_head_office_needs_a_code_once_switched_on(hq, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.delenv("POS_OTP", raising=False)
    now = datetime.now(UTC)
    key = admin.create_api_key(hq.db, now, "hq", ["admin"])["key"]
    reader = admin.create_api_key(hq.db, now, "books", ["sales:read"])["key"]
    assert pos_admin(hq, "stores")[0] == 0   # off: as before

    code, shown = pos_admin(hq, "totp", "enable")
    assert code == 0 and shown["totp"] is True and shown["uri"].startswith("otpauth://totp/")
    totp = pyotp.TOTP(shown["secret"])

    code, doc = pos_admin(hq, "stores")
    assert (code, doc["error"]) == (4, "otp_required"), doc
    wrong = f"{(int(totp.now()) + 1) % 1_000_000:06d}"
    assert pos_admin(hq, "stores", "--otp", wrong)[1]["error"] == "wrong_otp"
    stale = totp.at(datetime.now(UTC) - timedelta(minutes=5))
    assert pos_admin(hq, "stores", "--otp", stale)[1]["error"] == "wrong_otp"
    assert pos_admin(hq, "stores", "--otp", totp.now())[0] == 0
    monkeypatch.setenv("POS_OTP", totp.now())
    assert pos_admin(hq, "stores")[0] == 0
    monkeypatch.delenv("POS_OTP")

    with hq.client() as c:
        refused = c.get("/api/v1/admin/stores", headers={"Authorization": f"Bearer {key}"})
        assert refused.status_code == 401 and refused.json()["error"] == "otp_required"
        wrong_reply = c.get("/api/v1/admin/stores", headers={"Authorization": f"Bearer {key}", "X-POS-OTP": wrong})
        assert wrong_reply.status_code == 401 and wrong_reply.json()["error"] == "wrong_otp"
        ok = c.get("/api/v1/admin/stores", headers={"Authorization": f"Bearer {key}", "X-POS-OTP": totp.now()})
        assert ok.status_code == 200, ok.text
        no_key = c.get("/api/v1/admin/stores", headers={"X-POS-OTP": totp.now()})
        assert no_key.status_code == 401 and no_key.json()["error"] == "unauthorized"   # a code is no key
        books = c.get("/api/v1/integration/sales", params={"store": "NOPE", "date": "2026-11-27"},
                      headers={"Authorization": f"Bearer {reader}"})
        assert books.status_code != 401, books.text   # machines are not asked for a code

    assert pos_admin(hq, "totp", "disable")[1]["error"] == "otp_required"   # switching off needs a code too
    code, doc = pos_admin(hq, "totp", "disable", "--otp", totp.now())
    assert code == 0 and doc == {"totp": False, "was_on": True}
    assert pos_admin(hq, "stores")[0] == 0


@pytest.fixture(autouse=True)
def _no_code_left_on(hq):  # type: ignore[no-untyped-def]
    yield
    with hq.db.write() as session:
        from pos_desktop.server.access import disable_admin_totp
        disable_admin_totp(session)
