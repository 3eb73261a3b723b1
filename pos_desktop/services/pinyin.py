"""Pinyin search keys, so a cashier can type ``kkkl`` (or ``kekou``) to find 可口可乐."""

from __future__ import annotations

from functools import lru_cache

MAX_KEY = 100


@lru_cache(maxsize=1 << 16)
def _syllables(han: str) -> tuple[str, ...]:
    from pypinyin import Style, lazy_pinyin  # loaded on first use: most commands never need it
    return tuple(lazy_pinyin(han, style=Style.NORMAL, errors="ignore"))


def search_key(name: str) -> str | None:
    """``"可口可乐 Coca-Cola"`` → ``"kkkl kekoukele"`` (initials, then the full syllables); None without Han."""
    han = "".join(ch for ch in name if "\u4e00" <= ch <= "\u9fff" or "\u3400" <= ch <= "\u4dbf")
    if not han:
        return None
    syllables = _syllables(han)
    return f"{''.join(s[0] for s in syllables if s)} {''.join(syllables)}"[:MAX_KEY]
