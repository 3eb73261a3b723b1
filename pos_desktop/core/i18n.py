"""gettext for every word a person reads, in Qt-free code and in the UI alike.

One scheme for the whole program: ``_("Change: {amount}").format(amount=...)`` — named fields, never an
f-string inside ``_()``. Catalogs live in ``resources/locale/<lang>/LC_MESSAGES/pos.mo``; the source
strings are English, so English needs no catalog.
"""

from __future__ import annotations

import gettext
from pathlib import Path

LOCALE_DIR = Path(__file__).resolve().parents[2] / "resources" / "locale"
DOMAIN = "pos"
LANGUAGES = ("en", "zh_CN")

_translation: gettext.NullTranslations = gettext.NullTranslations()
_language = "en"


def set_language(lang: str) -> None:
    """Switch every later ``_()`` call to ``lang`` (``en`` or ``zh_CN``)."""
    global _translation, _language
    _translation = gettext.translation(DOMAIN, LOCALE_DIR, languages=[lang], fallback=True)
    _language = lang


def current_language() -> str:
    return _language


def _(message: str) -> str:
    return _translation.gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return _translation.ngettext(singular, plural, n)
