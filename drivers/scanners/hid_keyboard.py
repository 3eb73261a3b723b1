"""USB scanners in keyboard mode: decode HID boot-keyboard reports (US layout) into codes.

A boot keyboard report is 8 bytes: modifier bits, a reserved byte, then up to six key usage codes held
down. A key counts once, when it first appears; Enter (or keypad Enter) ends the code. Shift gives the
upper row; Ctrl with a key gives its control character, so a GS1 group separator (Ctrl+]) survives.
"""

from __future__ import annotations

LEFT_CTRL, LEFT_SHIFT, RIGHT_CTRL, RIGHT_SHIFT = 0x01, 0x02, 0x10, 0x20
ENTER_KEYS = frozenset({0x28, 0x58})

_PLAIN = {0x2C: " ", 0x2B: "\t"}
_SHIFTED = {}
for _i, _ch in enumerate("abcdefghijklmnopqrstuvwxyz"):
    _PLAIN[0x04 + _i] = _ch
    _SHIFTED[0x04 + _i] = _ch.upper()
for _i, (_ch, _up) in enumerate(zip("1234567890", "!@#$%^&*()")):
    _PLAIN[0x1E + _i] = _ch
    _SHIFTED[0x1E + _i] = _up
for _usage, _ch, _up in ((0x2D, "-", "_"), (0x2E, "=", "+"), (0x2F, "[", "{"), (0x30, "]", "}"),
                         (0x31, "\\", "|"), (0x33, ";", ":"), (0x34, "'", '"'), (0x35, "`", "~"),
                         (0x36, ",", "<"), (0x37, ".", ">"), (0x38, "/", "?")):
    _PLAIN[_usage], _SHIFTED[_usage] = _ch, _up
for _i, _ch in enumerate("123456789"):
    _PLAIN[0x59 + _i] = _ch
_PLAIN.update({0x62: "0", 0x63: ".", 0x54: "/", 0x55: "*", 0x56: "-", 0x57: "+"})
_SHIFTED.update({0x2C: " ", 0x2B: "\t"})


def key_char(usage: int, modifiers: int) -> str | None:
    """The character a key gives on a US keyboard, None for keys that type nothing."""
    if modifiers & (LEFT_CTRL | RIGHT_CTRL):
        ch = _PLAIN.get(usage)
        if ch is not None and ("a" <= ch <= "z" or ch in "[\\]"):
            return chr(ord(ch.upper()) & 0x1F)  # Ctrl+A = 0x01 … Ctrl+] = 0x1D (GS)
        return None
    if modifiers & (LEFT_SHIFT | RIGHT_SHIFT):
        return _SHIFTED.get(usage, _PLAIN.get(usage))
    return _PLAIN.get(usage)


class HidKeyboardDecoder:
    """Feed reports in order; ``feed`` returns the codes completed by Enter in this report (usually none)."""

    def __init__(self, *, report_id: int | None = None) -> None:
        self.report_id = report_id
        self._held: set[int] = set()
        self._typed: list[str] = []

    def feed(self, report: bytes) -> list[str]:
        if self.report_id is not None:
            if not report or report[0] != self.report_id:
                return []
            report = report[1:]
        if len(report) < 3:
            return []
        modifiers, keys = report[0], [k for k in report[2:8] if k]
        if keys and all(k == 0x01 for k in keys):
            return []  # "phantom" rollover report: too many keys, nothing reliable in it
        done: list[str] = []
        for usage in keys:
            if usage in self._held:
                continue
            if usage in ENTER_KEYS:
                if self._typed:
                    done.append("".join(self._typed))
                self._typed = []
                continue
            ch = key_char(usage, modifiers)
            if ch is not None:
                self._typed.append(ch)
        self._held = set(keys)
        return done

    @property
    def pending(self) -> str:
        """Characters typed since the last Enter."""
        return "".join(self._typed)


def build_key_reports(text: str, *, enter: bool = True) -> list[bytes]:
    """The press/release reports a keyboard-mode scanner sends for ``text``: for simulators and tests."""
    reverse: dict[str, tuple[int, int]] = {}
    for usage, ch in _PLAIN.items():
        reverse.setdefault(ch, (usage, 0))
    for usage, ch in _SHIFTED.items():
        reverse.setdefault(ch, (usage, LEFT_SHIFT))
    reports = []
    for ch in text:
        usage, mods = reverse[ch]
        reports.append(bytes([mods, 0, usage, 0, 0, 0, 0, 0]))
        reports.append(bytes(8))
    if enter:
        reports += [bytes([0, 0, 0x28, 0, 0, 0, 0, 0]), bytes(8)]
    return reports
