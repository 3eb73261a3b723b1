"""The udev rules open USB printers and HID POS scanners to the cashier; the helper finds usage page 0x8C."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from drivers.scanners.hid_pos import is_barcode_scanner, usage_pages

UDEV = Path(__file__).resolve().parents[2] / "installer" / "udev"
RULES = UDEV / "60-pos-devices.rules"
HELPER = UDEV / "pos-hid-is-barcode-scanner"

BOOT_KEYBOARD = bytes.fromhex(
    "05010906a101050719e029e71500250175019508810295017508810195057501050819012905910295017503910195067508"
    "150025650507190029658100c0")
HID_POS_SCANNER = bytes.fromhex(  # usage page 0x8C, Scanned Data Report (report 2): AIM bytes, data, continued
    "068c000902a1018502" "0912a102" "09fb09fc09fd750895038102" "09fe750895388102" "09ff750195018102" "c0c0")
# 0x05 0x8C appears here only as data of a Logical Maximum (26 05 8c): it must not count
TRAP = bytes.fromhex("05010906a10126058c7510950181026c0000c0")


def test_usage_pages_of_descriptors():
    assert usage_pages(BOOT_KEYBOARD) == {0x01, 0x07, 0x08}
    assert is_barcode_scanner(HID_POS_SCANNER) and not is_barcode_scanner(BOOT_KEYBOARD)
    assert not is_barcode_scanner(TRAP)


@pytest.mark.parametrize("descriptor, expected", [(HID_POS_SCANNER, True), (BOOT_KEYBOARD, False),
                                                  (TRAP, False), (b"", False)])
def test_the_udev_helper_agrees_with_the_driver(tmp_path, descriptor, expected):
    sh = shutil.which("sh")
    assert sh is not None
    path = tmp_path / "report_descriptor"
    path.write_bytes(descriptor)
    done = subprocess.run([sh, str(HELPER), str(path)], capture_output=True, timeout=10, check=False)
    assert (done.returncode == 0) is expected, done.stderr


def test_rules_cover_the_common_printers_and_use_the_helper():
    text = RULES.read_text(encoding="utf-8")
    for vendor, product in (("04b8", None), ("0416", "5011"), ("0483", "5720")):
        line = next(l for l in text.splitlines() if f'ATTR{{idVendor}}=="{vendor}"' in l)
        assert product is None or f'ATTR{{idProduct}}=="{product}"' in line
        assert 'TAG+="uaccess"' in line and 'MODE="0660"' in line
    assert 'PROGRAM=="/usr/local/lib/pos/pos-hid-is-barcode-scanner /sys%p/device/report_descriptor"' in text
    assert "udevadm control --reload-rules" in text  # how to install it


def test_every_rule_line_is_well_formed():
    key = r'(?:[A-Z_]+(?:\{[^}]+\})?)(?:==|!=|\+=|=)"[^"]*"'
    for line in RULES.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        assert re.fullmatch(rf"{key}(?:, {key})*", line), line
