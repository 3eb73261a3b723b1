"""End to end in headless Chromium (Debian's ``chromium``, driven by Playwright; never ``playwright install``)
against a real ``pos server --handheld-data`` on 127.0.0.1, at phone size: sign in, look up, count 20 lines with
the network cut in the middle and an answer lost on the way back, receive a purchase order.

``POS_HANDHELD_SCREENSHOTS=DIR`` also saves each page as ``handheld-*.png`` there (docs/screenshots).
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.handheld.harness import CODES, entries, query

sync_api = pytest.importorskip("playwright.sync_api")
expect = sync_api.expect

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
PHONE = {"width": 390, "height": 844}
SHOTS = os.environ.get("POS_HANDHELD_SCREENSHOTS")


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    if not Path(CHROMIUM).exists():
        pytest.fail("chromium is missing: run scripts/system-deps.sh (apt-get install chromium)")
    with sync_api.sync_playwright() as play:
        chromium = play.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        yield chromium
        chromium.close()


@pytest.fixture
def phone(browser, shop):
    server, _facts = shop
    context = browser.new_context(viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True,
                                  locale="en-US", base_url=server.url)
    context.set_default_timeout(10_000)
    page = context.new_page()
    yield context, page
    context.close()


def shot(page, name: str) -> None:
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(SHOTS) / f"handheld-{name}.png"))


def sign_in(page, user: str = "ken", pin: str = "4444", picture: bool = False) -> None:
    with page.expect_response(lambda r: r.url.endswith("/handheld/api/session")):
        page.goto("/handheld/")
    expect(page.locator("#view-login")).to_be_visible()
    expect(page.locator("#login-error")).to_have_text("")   # not being signed in yet is no error
    page.fill("#login-user", user)
    page.fill("#login-pin", pin)
    if picture:
        shot(page, "login")
    page.click("#login-go")
    expect(page.locator("#view-lookup")).to_be_visible()


def scan(page, field: str, code: str) -> None:
    """What a keyboard-wedge scanner does: type the code into the focused field and press Enter."""
    page.fill(field, code)
    page.press(field, "Enter")


def test_sign_in_and_look_up_a_product_by_scan(phone, shop):
    _context, page = phone
    server, _facts = shop
    page.goto("/handheld/")
    page.fill("#login-user", "ken")
    page.fill("#login-pin", "0000")
    page.click("#login-go")
    expect(page.locator("#login-error")).to_have_text("Wrong PIN for ken (4 tries left)")
    sign_in(page, picture=True)
    lookups = []
    page.on("request", lambda r: lookups.append(r.url) if "/api/lookup" in r.url else None)
    scan(page, "#lookup-input", "6901234567893")          # a misread: the check digit is 2
    expect(page.locator("#lookup-msg")).to_contain_text("wrong check digit (expected 2)")
    assert lookups == []                                   # refused before anything was looked up
    scan(page, "#lookup-input", CODES["MILK"])
    expect(page.locator("#p-name")).to_have_text("伊利纯牛奶 Yili milk 250ml")
    expect(page.locator("#p-price")).to_have_text("¥2.80")
    expect(page.locator("#p-batches")).to_contain_text("L2611")
    expect(page.locator("#p-member")).to_have_text("")
    shot(page, "lookup")
    page.click("#lang")                                    # the page's own words in Chinese
    expect(page.locator("#p-label")).to_have_text("打印货架标签")
    expect(page.locator('#tabs [data-view="count"]')).to_have_text("盘点")
    shot(page, "lookup-zh_CN")
    page.click("#lang")
    page.click("#p-label")
    expect(page.locator("#lookup-msg")).to_have_text("Shelf label for MILK printed")
    assert "伊利纯牛奶" in (server.store / "sim" / "printer.txt").read_text(encoding="utf-8")
    scan(page, "#lookup-input", "chips")
    expect(page.locator("#p-name")).to_have_text("乐事薯片 Lay's chips 75g")
    expect(page.locator("#p-member")).to_have_text("member ¥6.90")
    expect(page.locator("#p-locations")).to_contain_text("FLOOR")


def test_twenty_lines_counted_through_a_cut_network_are_on_the_server_once_each(phone, shop):
    context, page = phone
    server, facts = shop
    sign_in(page)
    page.click('#tabs [data-view="count"]')
    expect(page.locator("#count-select")).to_have_value(facts["count_id"])
    codes = [CODES[sku] for sku in ("COLA", "CHIPS", "SOAP", "MILK")] * 5
    before = len(entries(server.store, facts["count_id"]))

    for code in codes[:8]:                                 # online: each line is acknowledged
        scan(page, "#count-input", code)
    expect(page.locator("#count-sent")).to_have_text("8")

    lost = []                                              # the server records the next upload, its answer is lost

    def lose_the_answer(route):
        if not lost:
            lost.append(route.fetch().status)
            route.abort("connectionreset")
        else:
            route.continue_()
    page.route("**/handheld/api/counts/*/lines", lose_the_answer)
    scan(page, "#count-input", codes[8])
    expect(page.locator("#count-sent")).to_have_text("9", timeout=15_000)   # sent again: "already counted"
    assert lost == [200]
    page.unroute("**/handheld/api/counts/*/lines")
    scan(page, "#count-input", codes[9])
    expect(page.locator("#count-sent")).to_have_text("10")

    context.set_offline(True)                              # the back room's Wi-Fi drops
    for code in codes[10:]:
        scan(page, "#count-input", code)
    expect(page.locator("#count-pending")).to_have_text("10")
    expect(page.locator("#net")).to_have_text("offline")
    shot(page, "count")
    assert len(entries(server.store, facts["count_id"])) == before + 10
    context.set_offline(False)                             # back: the kept lines go out by themselves
    expect(page.locator("#count-pending")).to_have_text("0", timeout=20_000)
    expect(page.locator("#count-sent")).to_have_text("20")

    added = entries(server.store, facts["count_id"])[before:]
    assert len(added) == 20
    assert {sku: sum(1 for s, _u, _q in added if s == sku) for sku in ("COLA", "CHIPS", "SOAP", "MILK")} == \
        {"COLA": 5, "CHIPS": 5, "SOAP": 5, "MILK": 5}
    assert {user for _s, user, _q in added} == {"ken"}
    assert page.evaluate("Outbox.lines(state.countId).then(l => l.length)") == 0

    scan(page, "#count-input", "4006381333931")            # a good code the store does not sell
    expect(page.locator('#count-lines li[data-state="rejected"]')).to_contain_text("Unknown barcode 4006381333931")
    assert page.evaluate("Outbox.lines(state.countId).then(l => l.map(x => x.state))") == ["rejected"]
    assert len(entries(server.store, facts["count_id"])) == before + 20


def test_receive_a_purchase_order_by_scanning_what_came(phone, shop):
    _context, page = phone
    server, facts = shop
    sign_in(page)
    page.click('#tabs [data-view="receive"]')
    page.click(f'#order-list [data-po="{facts["po"]}"]')
    expect(page.locator("#o-po")).to_have_text(facts["po"])
    for _n in range(6):
        scan(page, "#receive-input", CODES["CHIPS"])
    scan(page, "#receive-input", CODES["SOAP"])
    expect(page.locator('#o-lines input[data-sku="CHIPS"]')).to_have_value("6")
    page.fill('#o-lines input[data-sku="SOAP"]', "10")
    page.dispatch_event('#o-lines input[data-sku="SOAP"]', "change")
    shot(page, "receive")
    page.click("#receive-go")
    expect(page.locator("#receive-msg")).to_contain_text("order is now received")
    receipt = page.locator("#receive-msg").inner_text().split()[1]
    assert receipt.startswith("GR-")
    rows = query(server.store, "SELECT p.sku, l.accepted_milli FROM goods_receipt_lines l JOIN goods_receipts r "
                               "ON r.id = l.receipt_id JOIN products p ON p.id = l.product_id WHERE r.receipt_no = ? "
                               "ORDER BY p.sku", receipt)
    assert rows == [("CHIPS", 6000), ("SOAP", 10000)]
    assert query(server.store, "SELECT status FROM purchase_orders WHERE po_no = ?", facts["po"]) == [("received",)]
    expect(page.locator('#o-lines input[data-sku="SOAP"]')).to_have_value("0")   # the kept delivery was cleared
