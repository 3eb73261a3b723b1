"""``config.toml`` in the data folder: the till's device and screen settings, typed and declared once.

Each section (``[printer]``, ``[drawer]``, ``[scanner]``, ``[display]``, ``[scale]``, ``[ui]``) has its keys
declared in ``SECTIONS`` with a default and a check; an unknown key or a bad value is reported with its
section and key, never silently ignored. The file carries a ``version`` so later releases can upgrade it.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

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


SECTIONS: dict[str, dict[str, Key]] = {
    "printer": {
        "kind": Key("none", one_of("network", "serial", "usb", "file", "sim", "none"), "how the printer is reached"),
        "host": Key("127.0.0.1", is_str, "network printer address"),
        "port": Key(9100, is_int(1, 65535), "network printer TCP port"),
        "device": Key("", is_str, "serial or file path"),
        "baudrate": Key(9600, is_int(300, 921600), "serial speed"),
        "vendor_id": Key(0, is_int(0, 0xFFFF), "USB vendor id"),
        "product_id": Key(0, is_int(0, 0xFFFF), "USB product id"),
        "encoding": Key("gb18030", is_str, "gb18030, gbk, big5 or a code page such as cp437"),
        "width": Key(48, is_int(16, 80), "characters per line: 32 for 58 mm, 48 for 80 mm"),
        "timeout": Key(2, is_num, "seconds for any I/O"),
    },
    "drawer": {
        "kind": Key("printer", one_of("printer", "serial", "none"), "how the drawer is opened"),
        "pin": Key(2, one_of(2, 5), "drawer kick pin"),
        "on_ms": Key(50, is_int(2, 510), "pulse on time"),
        "off_ms": Key(500, is_int(2, 510), "pulse off time"),
        "device": Key("", is_str, "serial drawer path"),
    },
    "scanner": {
        "kind": Key("keyboard", one_of("serial", "hid", "keyboard", "none"), "how scans arrive"),
        "device": Key("", is_str, "serial or hidraw path"),
        "baudrate": Key(9600, is_int(300, 921600), "serial speed"),
        "suffix": Key("CR", one_of("CR", "LF", "CRLF"), "what ends a scan"),
    },
    "display": {
        "kind": Key("none", one_of("serial", "printer", "none"), "customer pole display"),
        "device": Key("", is_str, "serial path"),
        "protocol": Key("cd5220", one_of("cd5220", "epson"), "command set"),
    },
    "scale": {
        "kind": Key("none", one_of("serial", "none"), "weighing scale"),
        "device": Key("", is_str, "serial path"),
        "protocol": Key("toledo", one_of("toledo", "w-request"), "scale protocol"),
    },
    "ui": {
        "language": Key("zh_CN", one_of("zh_CN", "en"), "language of the screens and receipts"),
    },
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
