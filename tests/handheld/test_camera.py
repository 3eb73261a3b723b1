"""The camera button in headless Chromium: a fake camera films an EAN-13 (a Y4M video made here), the page
decodes it (ZXing: Chromium on Linux has no BarcodeDetector) and looks the product up."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.handheld.harness import CODES, make_store, start

sync_api = pytest.importorskip("playwright.sync_api")
expect = sync_api.expect

L_CODES = ["0001101", "0011001", "0010011", "0111101", "0100011", "0110001", "0101111", "0111011", "0110111",
           "0001011"]
PARITY = ["LLLLLL", "LLGLGG", "LLGGLG", "LLGGGL", "LGLLGG", "LGGLLG", "LGGGLL", "LGLGLG", "LGLGGL", "LGGLGL"]


def ean13_modules(code: str) -> str:
    """The 95 bars and spaces of an EAN-13 ("1" = bar)."""
    r_codes = ["".join("1" if b == "0" else "0" for b in c) for c in L_CODES]
    g_codes = [c[::-1] for c in r_codes]
    digits = [int(d) for d in code]
    left = "".join(L_CODES[d] if p == "L" else g_codes[d] for d, p in zip(digits[1:7], PARITY[digits[0]]))
    right = "".join(r_codes[d] for d in digits[7:])
    return "101" + left + "01010" + right + "101"


def barcode_video(code: str, path: Path, width: int = 640, height: int = 480, frames: int = 20) -> None:
    """A Y4M (4:2:0) video of a still EAN-13, 4 pixels a module, black on white."""
    modules = ean13_modules(code)
    module = 4
    left = (width - len(modules) * module) // 2
    row = bytearray([235] * width)
    for i, bit in enumerate(modules):
        if bit == "1":
            row[left + i * module:left + (i + 1) * module] = bytes([16] * module)
    white = bytes([235] * width)
    luma = b"".join(bytes(row) if 120 <= y < 360 else white for y in range(height))
    chroma = bytes([128] * (width // 2 * height // 2))
    with path.open("wb") as f:
        f.write(f"YUV4MPEG2 W{width} H{height} F10:1 Ip A1:1 C420jpeg\n".encode())
        for _ in range(frames):
            f.write(b"FRAME\n" + luma + chroma + chroma)


def test_the_camera_reads_a_barcode_and_looks_it_up(template_dir: Path, tmp_path: Path):
    assert ean13_modules("6901234567892").count("1") > 20
    video = tmp_path / "cola.y4m"
    barcode_video(CODES["COLA"], video)
    make_store(template_dir, tmp_path / "store")
    server = start(tmp_path / "store", tmp_path / "server")
    try:
        with sync_api.sync_playwright() as play:
            browser = play.chromium.launch(executable_path="/usr/bin/chromium", args=[
                "--no-sandbox", "--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream",
                f"--use-file-for-fake-video-capture={video}"])
            context = browser.new_context(viewport={"width": 390, "height": 844}, locale="en-US",
                                          base_url=server.url)
            context.grant_permissions(["camera"])
            page = context.new_page()
            page.goto("/handheld/")
            page.fill("#login-user", "ken")
            page.fill("#login-pin", "4444")
            page.click("#login-go")
            expect(page.locator("#view-lookup")).to_be_visible()
            assert page.evaluate("'BarcodeDetector' in window") is False   # so ZXing does the reading
            page.click('[data-camera="lookup-input"]')
            expect(page.locator("#p-name")).to_have_text("可口可乐 Coca-Cola 330ml", timeout=20_000)
            expect(page.locator("#camera")).to_be_hidden()
            assert page.input_value("#lookup-input") == CODES["COLA"]
            browser.close()
    finally:
        server.stop()
