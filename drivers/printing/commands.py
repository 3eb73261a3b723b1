"""The few raw ESC/POS byte sequences we build ourselves, with the arithmetic that goes into them."""

from __future__ import annotations

ESC = b"\x1b"
GS = b"\x1d"
DLE = b"\x10"
EOT = b"\x04"

INIT = ESC + b"@"
PIN_TO_M = {2: 0, 5: 1}


def pulse_units(ms: int) -> int:
    """Milliseconds as ``ESC p`` time units (2 ms each), rounded half up and capped at 255 (510 ms)."""
    if ms < 0:
        raise ValueError("pulse time cannot be negative")
    return min(255, (int(ms) + 1) // 2)


def drawer_pulse_args(pin: int = 2, on_ms: int = 50, off_ms: int = 500) -> tuple[int, int, int]:
    """``(m, t1, t2)`` of ``ESC p m t1 t2``: drawer connector pin 2 → m=0, pin 5 → m=1."""
    if pin not in PIN_TO_M:
        raise ValueError("drawer pin must be 2 or 5")
    return PIN_TO_M[pin], pulse_units(on_ms), pulse_units(off_ms)


def drawer_kick(pin: int = 2, on_ms: int = 50, off_ms: int = 500) -> bytes:
    """``ESC p m t1 t2``: pulse the drawer connector ``pin`` for ``on_ms`` then rest ``off_ms``."""
    m, t1, t2 = drawer_pulse_args(pin, on_ms, off_ms)
    return ESC + b"p" + bytes((m, t1, t2))


def status_query(n: int) -> bytes:
    """``DLE EOT n``: real-time status request (1 printer, 2 offline cause, 3 error cause, 4 paper sensor)."""
    if n not in (1, 2, 3, 4):
        raise ValueError("DLE EOT n is 1..4")
    return DLE + EOT + bytes((n,))


def drawer_kick_realtime(pin: int = 2, on_ms: int = 100) -> bytes:
    """``DLE DC4 1 m t``: a real-time pulse, executed at once even while the printer is stopped (paper end,
    cover open), where ``ESC p`` would wait in the buffer and open the drawer later, when the paper is
    changed. ``t`` is in 100 ms units, 1..8 (on and off time alike). Not every clone knows it."""
    if pin not in PIN_TO_M:
        raise ValueError("drawer pin must be 2 or 5")
    return DLE + b"\x14\x01" + bytes((PIN_TO_M[pin], min(8, max(1, (int(on_ms) + 50) // 100))))
