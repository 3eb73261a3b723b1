"""Signing in on the handheld pages as a user with one-time codes (TOTP) on, against a real
``pos server --handheld-data`` process on 127.0.0.1: without a code the server answers ``otp_required`` (and the
page shows its code field, id ``otp``), a wrong code is refused and counted, the right one signs in. The server
checks codes by its own clock, the real one, so the codes here are ``pyotp``'s of now."""

from __future__ import annotations

import shutil
import time
from collections.abc import Iterator
from pathlib import Path

import pyotp
import pytest

from pos_desktop.services import auth, till, totp
from tests.handheld.harness import HandheldServer, query, start


@pytest.fixture(scope="module")
def totp_shop(template_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[HandheldServer, str]]:
    """The seeded till with one-time codes on for mia, served to phones; mia's secret."""
    folder = tmp_path_factory.mktemp("handheld_totp")
    store = folder / "store"
    shutil.copytree(template_dir, store)
    ctx = till.open_till(store)
    try:
        secret = totp.enable(ctx, auth.login(ctx, "mia", "9999"), "mia")["secret"]
    finally:
        ctx.close()
    server = start(store, folder / "server")
    try:
        yield server, secret
    finally:
        server.stop()


def wrong_code(secret: str) -> str:
    """Six digits that are neither the code of now nor of the step before or after (those are accepted)."""
    now = time.time()
    taken = {pyotp.TOTP(secret).at(now + s) for s in (-30, 0, 30, 60)}
    return next(c for c in (str(d) * 6 for d in range(10)) if c not in taken)


def failed_attempts(server: HandheldServer, name: str) -> int:
    [(count,)] = query(server.store, "SELECT failed_attempts FROM users WHERE username = ?", name)
    return count


def test_without_a_code_the_server_asks_for_it_and_counts_nothing(totp_shop):
    server, _secret = totp_shop
    with server.client() as client:
        reply = client.post("/handheld/api/login", json={"user": "mia", "pin": "9999"})
        assert reply.status_code == 401
        assert (reply.json()["error"], reply.json()["message"]) == (
            "otp_required", "mia also needs the one-time code of their authenticator app")
        assert "pos_hh" not in client.cookies
        empty = client.post("/handheld/api/login", json={"user": "mia", "pin": "9999", "otp": ""})
        assert empty.status_code == 401 and empty.json()["error"] == "otp_required"
        assert client.get("/handheld/api/session").status_code == 401
    assert failed_attempts(server, "mia") == 0


def test_a_wrong_code_is_refused_and_counted_and_the_right_one_signs_in(totp_shop):
    server, secret = totp_shop
    with server.client() as client:
        wrong = client.post("/handheld/api/login", json={"user": "mia", "pin": "9999", "otp": wrong_code(secret)})
        assert wrong.status_code == 401
        assert (wrong.json()["error"], wrong.json()["message"]) == (
            "wrong_pin", "Wrong PIN or one-time code for mia (4 tries left)")
        assert "pos_hh" not in client.cookies
        assert failed_attempts(server, "mia") == 1
        bad_pin = client.post("/handheld/api/login",                  # the right code does not save a wrong PIN
                              json={"user": "mia", "pin": "0000", "otp": pyotp.TOTP(secret).now()})
        assert bad_pin.status_code == 401 and bad_pin.json()["error"] == "wrong_pin"

        right = client.post("/handheld/api/login", json={"user": "mia", "pin": "9999",
                                                          "otp": pyotp.TOTP(secret).now()})
        assert right.status_code == 200, right.text
        me = right.json()
        assert me["user"] == "mia" and me["role"] == "manager" and me["csrf"]
        assert "pos_hh" in client.cookies
        assert client.get("/handheld/api/session").json()["user"] == "mia"
    assert failed_attempts(server, "mia") == 0                       # a good login starts the count again


def test_a_user_without_totp_signs_in_as_before(totp_shop):
    server, _secret = totp_shop
    with server.client() as client:
        reply = client.post("/handheld/api/login", json={"user": "ken", "pin": "4444"})
        assert reply.status_code == 200 and reply.json()["user"] == "ken"


def test_the_page_has_the_code_field_hidden_until_asked_for(totp_shop):
    server, _secret = totp_shop
    with server.client() as client:
        page = client.get("/handheld/").text
        app = client.get("/handheld/static/app.js").text
    assert '<label id="otp-row" hidden>' in page and 'id="otp"' in page and 'maxlength="6"' in page
    assert '"otp_required"' in app and "doc.otp" in app


def test_in_the_browser_the_code_field_appears_and_the_right_code_signs_in(totp_shop):
    """The page itself (headless Chromium, as tests/handheld/test_browser.py): PIN first, then the code field."""
    sync_api = pytest.importorskip("playwright.sync_api")
    server, secret = totp_shop
    chromium_path = shutil.which("chromium") or "/usr/bin/chromium"
    if not Path(chromium_path).exists():
        pytest.fail("chromium is missing: run scripts/system-deps.sh (apt-get install chromium)")
    with sync_api.sync_playwright() as play:
        browser = play.chromium.launch(executable_path=chromium_path, args=["--no-sandbox"])
        try:
            page = browser.new_page(base_url=server.url, locale="en-US")
            page.set_default_timeout(10_000)
            page.goto("/handheld/")
            expect = sync_api.expect
            expect(page.locator("#view-login")).to_be_visible()
            expect(page.locator("#otp")).to_be_hidden()
            page.fill("#login-user", "mia")
            page.fill("#login-pin", "9999")
            page.click("#login-go")
            expect(page.locator("#login-error")).to_have_text(
                "mia also needs the one-time code of their authenticator app")
            expect(page.locator("#otp")).to_be_visible()
            expect(page.locator("#otp")).to_be_focused()
            page.fill("#otp", wrong_code(secret))
            page.press("#otp", "Enter")
            expect(page.locator("#login-error")).to_contain_text("Wrong PIN or one-time code for mia")
            expect(page.locator("#otp")).to_have_value("")
            expect(page.locator("#login-pin")).to_have_value("")
            page.fill("#login-pin", "9999")
            page.fill("#otp", pyotp.TOTP(secret).now())
            page.click("#login-go")
            expect(page.locator("#view-lookup")).to_be_visible()
        finally:
            browser.close()
