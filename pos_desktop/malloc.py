"""Process-wide memory settings, made once at start, before any thread runs.

glibc gives each thread that allocates its own malloc arena (up to 8 per core). The till's threads — the
sync agent's scheduler, the window's workers, the device pollers — each keep an arena, and memory freed in
one stays there, fragmented: a till running all day grew ~3 MB an hour that way (docs/RELIABILITY.md, point 5).
Two arenas are enough for a till's handful of threads and keep memory flat. The same as starting the
process with ``MALLOC_ARENA_MAX=2``; nothing to do elsewhere than Linux with glibc.
"""

from __future__ import annotations

import ctypes
import sys

M_ARENA_MAX = -8    # <malloc.h>
ARENAS = 2


def limit_arenas(arenas: int = ARENAS) -> bool:
    """Cap glibc's malloc arenas; returns whether it was done (False off glibc)."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        process = ctypes.CDLL(None)     # the running process's symbols: libc's, without looking for the file
        return bool(process.mallopt(M_ARENA_MAX, arenas))
    except (OSError, AttributeError):   # musl and others have no mallopt
        return False
