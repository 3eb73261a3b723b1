"""Keep the translation catalogs in step with the code.

    python scripts/i18n.py extract   # source -> resources/locale/pos.pot, merged into every <lang>/pos.po
    python scripts/i18n.py compile   # every <lang>/pos.po -> pos.mo (commit the .mo: no build step on a till)
    python scripts/i18n.py check     # exit 1 listing untranslated, fuzzy, stale or field-mismatched entries
    python scripts/i18n.py lint      # list calls that cannot be translated well (f-strings in _(), ...)

Messages are found by reading the Python source with ``ast`` (``_("...")`` and ``ngettext("...", "...", n)``),
so the test suite can run the same extraction without Babel. Babel reads and writes the .po/.mo files and
does the merge: a msgid that changed keeps its old translation, marked fuzzy, until a person checks it.
"""

from __future__ import annotations

import argparse
import ast
import io
import string
import sys
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LOCALE_DIR = ROOT / "resources" / "locale"
DOMAIN = "pos"
POT_PATH = LOCALE_DIR / f"{DOMAIN}.pot"
# Every language that has a catalog; "en" is the source language and needs none.
LANGUAGES = ("zh_CN",)
PLURAL_FORMS = {"zh_CN": "nplurals=1; plural=0;"}
# Where the words a person reads live. drivers/ holds no gettext today; it is read so that one added
# there is not lost.
SOURCES = ("pos_desktop", "drivers", "main.py")
SKIP_DIRS = {"__pycache__", ".venv", "build", "dist"}
# The header dates stay fixed so that the files change only when the messages do.
FIXED_DATE = datetime(2026, 1, 1, tzinfo=UTC)
KEYWORDS = {"_": 1, "ngettext": 2}  # function name -> how many leading string arguments are messages


@dataclass
class Found:
    msgid: str
    plural: str | None = None
    locations: list[tuple[str, int]] = field(default_factory=list)

    @property
    def key(self) -> str:
        return self.msgid


@dataclass(frozen=True)
class Problem:
    path: str
    line: int
    text: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.text}"


def source_files(root: Path = ROOT) -> list[Path]:
    files: list[Path] = []
    for name in SOURCES:
        path = root / name
        if path.is_file():
            files.append(path)
        elif path.is_dir():
            files.extend(p for p in sorted(path.rglob("*.py")) if not SKIP_DIRS & set(p.parts))
    return files


def _called_name(node: ast.Call) -> str | None:
    func = node.func
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute) and func.attr in KEYWORDS and isinstance(func.value, ast.Name) \
            and func.value.id == "i18n":
        return func.attr
    return None


def _describe(arg: ast.expr) -> str:
    if isinstance(arg, ast.JoinedStr):
        return "an f-string (translators see a different string each time; use named fields and .format)"
    if isinstance(arg, ast.BinOp) and isinstance(arg.op, ast.Add):
        return "a string built with + (pass one literal)"
    if isinstance(arg, ast.BinOp) and isinstance(arg.op, ast.Mod):
        return "a %-formatted string (format after _(), with named fields)"
    return f"a non-literal argument ({ast.unparse(arg)[:60]}) that extraction cannot see"


def _positional_fields(msg: str) -> bool:
    try:
        return any(name == "" or (name or "x")[0].isdigit()
                   for _, name, _, _ in string.Formatter().parse(msg) if name is not None)
    except ValueError:
        return False


def _is_padding(node: ast.AST) -> bool:
    """Spaces or punctuation put next to a message for layout, not words."""
    return isinstance(node, ast.Constant) and isinstance(node.value, str) and not any(
        c.isalnum() for c in node.value)


def _is_gettext_call(node: ast.AST) -> bool:
    return isinstance(node, ast.Call) and _called_name(node) in KEYWORDS


def extract(root: Path = ROOT) -> tuple[dict[str, Found], list[Problem]]:
    """Every message in the source, in source order, and the calls that cannot be translated well."""
    found: dict[str, Found] = {}
    problems: list[Problem] = []
    for path in source_files(root):
        rel = path.relative_to(root).as_posix()
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=rel)
        nodes = sorted((n for n in ast.walk(tree) if isinstance(n, (ast.Call, ast.BinOp))),
                       key=lambda n: (n.lineno, n.col_offset))
        for node in nodes:
            if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add) and any(
                    _is_gettext_call(a) and not _is_padding(b)
                    for a, b in ((node.left, node.right), (node.right, node.left))):
                problems.append(Problem(rel, node.lineno, "translated text joined with + (word order is "
                                        "fixed in English; make one message with named fields)"))
            if not isinstance(node, ast.Call):
                continue
            name = _called_name(node)
            if name not in KEYWORDS:
                continue
            count = KEYWORDS[name]
            args = node.args[:count]
            if len(args) < count:
                problems.append(Problem(rel, node.lineno, f"{name}() called with too few arguments"))
                continue
            if not all(isinstance(a, ast.Constant) and isinstance(a.value, str) for a in args):
                bad = next(a for a in args if not (isinstance(a, ast.Constant) and isinstance(a.value, str)))
                problems.append(Problem(rel, node.lineno, f"{name}() of {_describe(bad)}"))
                continue
            texts = [a.value for a in args]
            if not texts[0]:
                problems.append(Problem(rel, node.lineno, f'{name}("") returns the catalog header'))
                continue
            for text in texts:
                if _positional_fields(text):
                    problems.append(Problem(rel, node.lineno, f"positional {{}} field in {text!r} "
                                            "(translators need names to reorder)"))
            msgid, plural = texts[0], (texts[1] if count == 2 else None)
            entry = found.get(msgid)
            if entry is None:
                entry = found[msgid] = Found(msgid, plural)
            elif entry.plural != plural:
                problems.append(Problem(rel, node.lineno, f"{msgid!r} used both with and without a plural"))
                entry.plural = entry.plural or plural
            entry.locations.append((rel, node.lineno))
    return found, problems


def field_names(text: str) -> list[str]:
    """The replacement fields of ``text`` as written (``{amount}``, ``{n:>3}``), sorted; raises ValueError."""
    fields = []
    for _, name, spec, conversion in string.Formatter().parse(text):
        if name is not None:
            fields.append("{" + name + ("!" + conversion if conversion else "") + (":" + spec if spec else "")
                          + "}")
    return sorted(fields)


def fields_problem(msgid: str, plural: str | None, translations: list[str]) -> str | None:
    """Why the translations' {named fields} differ from the source's, or None when they agree."""
    try:
        wanted = field_names(plural if plural is not None else msgid)
    except ValueError as exc:
        return f"source has a malformed field: {exc}"
    # ngettext's singular may leave out {n} ("one try left"); a one-form language must use the plural's.
    for text in translations:
        if not text:
            continue
        try:
            got = field_names(text)
        except ValueError as exc:
            return f"translation has a malformed field ({exc}): {text!r}"
        if set(got) != set(wanted):
            return f"fields {sorted(set(wanted))} in source but {sorted(set(got))} in translation {text!r}"
    return None


# --- .pot / .po / .mo through Babel -------------------------------------------------------------------------

def _babel():
    try:
        from babel.messages import catalog, mofile, pofile
    except ImportError:  # pragma: no cover - a message for people
        sys.exit("scripts/i18n.py needs Babel: pip install babel")
    return catalog, mofile, pofile


def build_template(found: dict[str, Found]):
    catalog, _, _ = _babel()
    pot = catalog.Catalog(project="pos-desktop", version="0.1", domain=DOMAIN, fuzzy=False,
                          creation_date=FIXED_DATE, charset="utf-8",
                          header_comment="# Translations template for pos-desktop.\n"
                                         "# Regenerate with: python scripts/i18n.py extract\n#")
    for entry in found.values():
        msg = (entry.msgid, entry.plural) if entry.plural is not None else entry.msgid
        flags = ["python-brace-format"] if _has_fields(entry) else []
        pot.add(msg, locations=entry.locations, flags=flags)
    return pot


def _has_fields(entry: Found) -> bool:
    try:
        return bool(field_names(entry.msgid) or (entry.plural and field_names(entry.plural)))
    except ValueError:
        return False


def po_path(lang: str) -> Path:
    return LOCALE_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


def mo_path(lang: str) -> Path:
    return LOCALE_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.mo"


def read_po(lang: str):
    _, _, pofile = _babel()
    with po_path(lang).open("rb") as f:
        return pofile.read_po(f, locale=lang, domain=DOMAIN, ignore_obsolete=True)


def po_bytes(cat, *, template: bool = False) -> bytes:
    _, _, pofile = _babel()
    for message in cat:
        # Babel guesses printf-style formats ("10% or" reads as "% o"); the messages here use {fields} only,
        # and a wrong guess makes msgfmt -c reject a good translation.
        message.flags.discard("python-format")
    buf = io.BytesIO()
    pofile.write_po(buf, cat, width=110, ignore_obsolete=True, include_previous=not template,
                    omit_header=False)
    return buf.getvalue()


def _write_if_changed(path: Path, data: bytes) -> bool:
    if path.exists() and path.read_bytes() == data:
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return True


def merge(lang: str, pot):
    """The language's catalog updated to ``pot``: translations kept, changed msgids fuzzy, gone ones dropped."""
    catalog, _, _ = _babel()
    if po_path(lang).exists():
        po = read_po(lang)
    else:
        po = catalog.Catalog(locale=lang, domain=DOMAIN, project="pos-desktop", version="0.1", fuzzy=False,
                             charset="utf-8", language_team=f"{lang} <pos-desktop>",
                             creation_date=FIXED_DATE, revision_date=FIXED_DATE)
    po.update(pot, update_creation_date=False)
    po.fuzzy = False  # the header; Babel marks a new catalog's header fuzzy
    po.obsolete.clear()
    return po


def mo_bytes(po) -> bytes:
    """The .mo of ``po`` holding only finished entries (translated in every form, not fuzzy)."""
    catalog, mofile, _ = _babel()
    done = catalog.Catalog(locale=po.locale, domain=DOMAIN, charset="utf-8", fuzzy=False)
    done.mime_headers = po.mime_headers
    done._num_plurals, done._plural_expr = po.num_plurals, po.plural_expr
    for m in po:
        if not m.id or m.fuzzy:
            continue
        strings = m.string if isinstance(m.string, (tuple, list)) else (m.string,)
        if all(strings):
            done.add(m.id, m.string)
    buf = io.BytesIO()
    mofile.write_mo(buf, done)
    return buf.getvalue()


def mo_messages(data: bytes) -> dict:
    """What a .mo translates (msgid -> msgstr), however it was compiled: Babel and msgfmt write the same
    messages but different bytes and header lines, so the header is left out."""
    import gettext

    return {k: v for k, v in gettext.GNUTranslations(io.BytesIO(data))._catalog.items() if k != ""}


def check_catalog(lang: str, found: dict[str, Found]) -> list[str]:
    """Everything wrong with ``lang``'s catalog, one line each; empty when it is complete and compiled."""
    errors: list[str] = []
    if not po_path(lang).exists():
        return [f"{po_path(lang).relative_to(ROOT)} is missing: run python scripts/i18n.py extract"]
    po = read_po(lang)
    in_po = {m.id if isinstance(m.id, str) else m.id[0]: m for m in po if m.id}
    for msgid, entry in found.items():
        where = "{}:{}".format(*entry.locations[0])
        m = in_po.get(msgid)
        if m is None:
            errors.append(f"not in the .po (run extract): {msgid!r} ({where})")
            continue
        strings = list(m.string) if isinstance(m.string, (tuple, list)) else [m.string]
        if m.fuzzy:
            errors.append(f"fuzzy: {msgid!r} ({where})")
        elif not all(strings):
            errors.append(f"untranslated: {msgid!r} ({where})")
        problem = fields_problem(msgid, entry.plural, strings)
        if problem:
            errors.append(f"{problem} ({where})")
    for msgid in in_po.keys() - found.keys():
        errors.append(f"no longer in the source (run extract): {msgid!r}")
    if not mo_path(lang).exists() or mo_messages(mo_path(lang).read_bytes()) != mo_messages(mo_bytes(po)):
        errors.append(f"{mo_path(lang).relative_to(ROOT)} is older than the .po (run compile)")
    return errors


# --- commands -----------------------------------------------------------------------------------------------

def cmd_extract() -> int:
    found, problems = extract()
    pot = build_template(found)
    changed = _write_if_changed(POT_PATH, po_bytes(pot, template=True))
    print(f"{len(found)} messages in {POT_PATH.relative_to(ROOT)}" + ("" if changed else " (unchanged)"))
    for lang in LANGUAGES:
        po = merge(lang, pot)
        _write_if_changed(po_path(lang), po_bytes(po))
        todo = [m for m in po if m.id and (m.fuzzy or not all(
            m.string if isinstance(m.string, (tuple, list)) else (m.string,)))]
        print(f"{lang}: {len(found) - len(todo)} translated, {len(todo)} to do")
    for problem in problems:
        print(f"warning: {problem}", file=sys.stderr)
    return 0


def cmd_compile() -> int:
    for lang in LANGUAGES:
        changed = _write_if_changed(mo_path(lang), mo_bytes(read_po(lang)))
        print(f"{mo_path(lang).relative_to(ROOT)}" + (" written" if changed else " unchanged"))
    return 0


def cmd_check() -> int:
    found, _problems = extract()
    failed = False
    for lang in LANGUAGES:
        errors = check_catalog(lang, found)
        for line in errors:
            print(f"{lang}: {line}")
        failed = failed or bool(errors)
        if not errors:
            print(f"{lang}: all {len(found)} messages translated and compiled")
    return 1 if failed else 0


def cmd_lint() -> int:
    _found, problems = extract()
    for problem in problems:
        print(problem)
    return 1 if problems else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("command", choices=("extract", "compile", "check", "lint"))
    args = parser.parse_args(argv)
    return {"extract": cmd_extract, "compile": cmd_compile, "check": cmd_check, "lint": cmd_lint}[args.command]()


if __name__ == "__main__":
    sys.exit(main())
