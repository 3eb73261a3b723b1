"""``config.toml`` in the data folder: the till's device and screen settings, typed and declared once.

Each section (``[printer]``, ``[drawer]``, ``[scanner]``, ``[display]``, ``[scale]``, ``[ui]``) has its keys
declared in ``SECTIONS`` with a default and a check; an unknown key or a bad value is reported with its
section and key, never silently ignored. The file carries a ``version`` so later releases can upgrade it.
"""

from __future__ import annotations

import codecs
import tomllib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import tomli_w

from .core.errors import InvalidInput
from .core.i18n import _

CONFIG_VERSION = 1


@dataclass(frozen=True)
class Key:
    default: Any
    check: Callable[[Any], bool]
    help: str


def one_of(*choices: str) -> Callable[[Any], bool]:
    return lambda value: value in choices


def is_int(lo: int, hi: int) -> Callable[[Any], bool]:
    return lambda value: isinstance(value, int) and not isinstance(value, bool) and lo <= value <= hi


def is_str(value: Any) -> bool:
    return isinstance(value, str)


def is_num(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and value > 0


def is_bool(value: Any) -> bool:
    return isinstance(value, bool)


def is_timeout(value: Any) -> bool:
    """Seconds for one I/O call: more than 0 and at most 30 (a till must never freeze on a device)."""
    return is_num(value) and value <= 30


PRINTER_ENCODINGS = ("gb18030", "gbk", "gb2312", "big5", "big5hkscs", "cp437", "cp850", "cp860", "cp863",
                     "cp865", "cp1252", "cp866", "cp852", "cp858")


def is_printer_encoding(value: Any) -> bool:
    return isinstance(value, str) and value.lower().replace("-", "").replace("_", "") in \
        {e.replace("-", "") for e in PRINTER_ENCODINGS}


def is_text_encoding(value: Any) -> bool:
    try:
        codecs.lookup(value)
    except (LookupError, TypeError):
        return False
    return True


SECTIONS: dict[str, dict[str, Key]] = {
    "printer": {
        "kind": Key("none", one_of("network", "serial", "usb", "file", "sim", "none"), "how the printer is reached"),
        "host": Key("127.0.0.1", is_str, "network printer address"),
        "port": Key(9100, is_int(1, 65535), "network printer TCP port"),
        "device": Key("", is_str, "serial or file path"),
        "baudrate": Key(9600, is_int(300, 921600), "serial speed"),
        "vendor_id": Key(0, is_int(0, 0xFFFF), "USB vendor id"),
        "product_id": Key(0, is_int(0, 0xFFFF), "USB product id"),
        "encoding": Key("gb18030", is_printer_encoding, "gb18030, gbk, big5 or a code page such as cp437"),
        "width": Key(48, is_int(16, 80), "characters per line: 32 for 58 mm, 48 for 80 mm"),
        "timeout": Key(2, is_timeout, "seconds for any I/O, at most 30"),
        # added by issue 3
        "kanji_mode": Key(False, is_bool, "wrap Chinese text in FS & / FS . (printers that need it)"),
        "fallback": Key("raster", one_of("raster", "replace"),
                        "text the encoding cannot print: drawn as an image (raster) or printed as ?"),
        "font": Key("", is_str, "a CJK font file for the raster fallback (empty: search the system)"),
        "barcode": Key("code128", one_of("code128", "qr", "none"), "how the receipt number is printed"),
        "cut": Key("partial", one_of("full", "partial", "none"), "how the paper is cut after a receipt"),
        "check_status": Key(True, is_bool, "ask DLE EOT before a job and refuse it on a reported fault"),
    },
    "drawer": {
        "kind": Key("printer", one_of("printer", "serial", "none"), "how the drawer is opened"),
        "pin": Key(2, one_of(2, 5), "drawer kick pin"),
        "on_ms": Key(50, is_int(2, 510), "pulse on time"),
        "off_ms": Key(500, is_int(2, 510), "pulse off time"),
        "device": Key("", is_str, "serial drawer path"),
        # added by issue 3
        "baudrate": Key(9600, is_int(300, 921600), "serial drawer speed"),
        "timeout": Key(2, is_timeout, "seconds for any I/O, at most 30"),
        "open_level": Key("high", one_of("high", "low"), "drawer sensor level that means open"),
    },
    "scanner": {
        "kind": Key("keyboard", one_of("serial", "hid", "keyboard", "none"), "how scans arrive"),
        "device": Key("", is_str, "serial or hidraw path"),
        "baudrate": Key(9600, is_int(300, 921600), "serial speed"),
        "suffix": Key("CR", one_of("CR", "LF", "CRLF"), "what ends a scan"),
        # added by issue 3
        "aim": Key(False, is_bool, "the scanner sends an AIM symbology identifier (]E0 …) before each code"),
        "hid_mode": Key("pos", one_of("pos", "keyboard"), "hid: HID POS reports (usage page 0x8C) or keyboard"),
        "vendor_id": Key(0, is_int(0, 0xFFFF), "hid through libusb: USB vendor id (instead of device)"),
        "product_id": Key(0, is_int(0, 0xFFFF), "hid through libusb: USB product id"),
        "timeout": Key(2, is_timeout, "seconds for opening the port, at most 30"),
    },
    "display": {
        "kind": Key("none", one_of("serial", "printer", "none"), "customer pole display"),
        "device": Key("", is_str, "serial path"),
        "protocol": Key("cd5220", one_of("cd5220", "epson"), "command set"),
        # added by issue 3
        "baudrate": Key(9600, is_int(300, 921600), "serial speed"),
        "encoding": Key("cp437", is_text_encoding, "the display's character set (gb18030 for Chinese displays)"),
        "width": Key(20, is_int(8, 40), "characters per line"),
        "timeout": Key(2, is_timeout, "seconds for any I/O, at most 30"),
    },
    "scale": {
        "kind": Key("none", one_of("serial", "none"), "weighing scale"),
        "device": Key("", is_str, "serial path"),
        "protocol": Key("toledo", one_of("toledo", "w-request"), "scale protocol"),
        # added by issue 3
        "baudrate": Key(9600, is_int(300, 921600), "serial speed"),
        "timeout": Key(2, is_timeout, "seconds to wait for a weight, at most 30"),
    },
    "ui": {
        "language": Key("zh_CN", one_of("zh_CN", "en"), "language of the screens and receipts"),
    },
}

# A device kind that cannot work without these keys: (section, kind) → keys that must not be empty/0.
REQUIRED: dict[tuple[str, str], tuple[str, ...]] = {
    ("printer", "network"): ("host",),
    ("printer", "serial"): ("device",),
    ("printer", "file"): ("device",),
    ("printer", "usb"): ("vendor_id", "product_id"),
    ("drawer", "serial"): ("device",),
    ("scanner", "serial"): ("device",),
    ("display", "serial"): ("device",),
    ("scale", "serial"): ("device",),
}


def defaults() -> dict[str, dict[str, Any]]:
    return {name: {key: spec.default for key, spec in keys.items()} for name, keys in SECTIONS.items()}


def validate(raw: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Merge ``raw`` over the defaults; raise ``InvalidInput`` naming the first bad section/key."""
    config = defaults()
    for section, values in raw.items():
        if section == "version":
            continue
        if section not in SECTIONS or not isinstance(values, dict):
            raise InvalidInput(_("config.toml: unknown section [{section}]").format(section=section))
        for key, value in values.items():
            spec = SECTIONS[section].get(key)
            if spec is None:
                raise InvalidInput(_("config.toml: unknown key {key} in [{section}]").format(
                    key=key, section=section))
            if not spec.check(value):
                raise InvalidInput(_("config.toml: [{section}] {key} = {value!r} is not valid ({help})").format(
                    section=section, key=key, value=value, help=spec.help))
            config[section][key] = value
    _check_required(config)
    return config


def _check_required(config: dict[str, dict[str, Any]]) -> None:
    for (section, kind), keys in REQUIRED.items():
        if config[section]["kind"] != kind:
            continue
        for key in keys:
            if config[section][key] in ("", 0, None):
                raise InvalidInput(_("config.toml: [{section}] kind = {kind!r} needs {key}").format(
                    section=section, kind=kind, key=key), code="bad_config")
    scanner = config["scanner"]
    if scanner["kind"] == "hid" and not scanner["device"] and not (scanner["vendor_id"] and scanner["product_id"]):
        raise InvalidInput(_("config.toml: [scanner] kind = 'hid' needs device (a /dev/hidraw path) or "
                             "vendor_id and product_id"), code="bad_config")


def use_simulators(path: Path) -> dict[str, dict[str, Any]]:
    """Point ``config.toml`` at the simulated printer (``kind = "sim"``) and its drawer port, for demos.

    The other sections are kept as they are. Returns the saved configuration.
    """
    config = load(path)
    config["printer"].update(kind="sim")
    config["drawer"].update(kind="printer")
    save(path, config)
    return config


def load(path: Path) -> dict[str, dict[str, Any]]:
    if not path.exists():
        return defaults()
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise InvalidInput(_("config.toml cannot be read: {error}").format(error=exc)) from None
    return validate(raw)


def save(path: Path, config: dict[str, dict[str, Any]]) -> None:
    doc = {"version": CONFIG_VERSION, **validate(config)}
    tmp = path.with_suffix(".toml.tmp")
    tmp.write_text(tomli_w.dumps(doc), encoding="utf-8")
    tmp.replace(path)
