"""Reading a spreadsheet file into rows of text, numbered the way a spreadsheet numbers them, and its cells
into exact values (amounts, quantities, rates, yes/no, name=value lists).

What is read: XLSX (recognised by its content, whatever the file is called; openpyxl read-only, cached values
of formulas), and CSV text in UTF-8 (with or without BOM), UTF-16 with a BOM (Excel's "Unicode text"), or else
GB18030 (a superset of GBK, which Chinese spreadsheets are often saved in). The CSV separator is the comma,
semicolon or tab, whichever the first line has most of; quoting is strict, so an unclosed quote (often a cut-off
file) is an error rather than a field that silently swallows the rest of the file.

Row numbers are what a person sees in the spreadsheet: the first record is row 1 (a quoted cell holding line
breaks is still one row). Rows whose cells are all empty are left out, numbers of later rows are unchanged.

Every cell becomes text: an XLSX integer its digits, a decimal number the shortest text that reads back as the
same binary value (limited to the 15 significant digits Excel shows, so a formula's ``0.30000000000000004``
reads ``0.3``), never ``Decimal(float)``'s binary noise. Anything that cannot be read as a whole raises
``InvalidInput`` with a message for people; nothing is guessed.
"""

from __future__ import annotations

import csv
import hashlib
import io
import itertools
import json
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal
from pathlib import Path

from ..core.errors import InvalidInput
from ..core.i18n import _
from ..core.money import parse_money, parse_qty, parse_rate

Row = tuple[int, list[str]]
_MAGIC = ((b"\x89PNG", "PNG"), (b"\xff\xd8\xff", "JPEG"), (b"GIF8", "GIF"), (b"%PDF", "PDF"),
          (b"\x1f\x8b", "gzip"), (b"Rar!", "RAR"), (b"7z\xbc\xaf", "7-Zip"), (b"BM", "bitmap"))
_DELIMITERS = (",", ";", "\t")
# What openpyxl and the zip and XML layers under it raise on a file that is not a readable workbook.
_WORKBOOK_ERRORS = (zipfile.BadZipFile, zlib.error, KeyError, ValueError, TypeError, IndexError, AttributeError,
                    SyntaxError, EOFError, OSError)


@dataclass(frozen=True)
class Table:
    """The non-blank rows of a file's first usable sheet, with what identifies the file."""

    name: str
    sha256: str
    kind: str                 # "csv" or "xlsx"
    encoding: str | None      # of a CSV file
    rows: list[Row]


def read_table(path: Path, header_ok: Callable[[list[str]], bool] = lambda header: True) -> Table:
    """Read ``path`` as XLSX or CSV. In a workbook, the first sheet whose first row passes ``header_ok`` is
    used (else the first sheet). Raises InvalidInput if the file cannot be read as a whole."""
    try:
        data = Path(path).read_bytes()
    except OSError as error:
        raise InvalidInput(_("Cannot read {path}: {error}").format(path=path, error=error.strerror or error),
                           code="unreadable_file") from None
    digest = hashlib.sha256(data).hexdigest()
    name = Path(path).name
    if not data.strip():
        raise InvalidInput(_("{name} is empty").format(name=name), code="empty_file")
    if data.startswith(b"PK"):
        return Table(name, digest, "xlsx", None, _xlsx_rows(data, name, header_ok))
    _refuse_binary(data, name)
    text, encoding = decode_text(data, name)
    return Table(name, digest, "csv", encoding, _csv_rows(text, name))


def _refuse_binary(data: bytes, name: str) -> None:
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise InvalidInput(_("{name} is an old Excel .xls file or an encrypted workbook; save it as .xlsx or CSV "
                             "(without a password) and import that").format(name=name), code="not_a_table")
    for magic, kind in _MAGIC:
        if data.startswith(magic):
            raise InvalidInput(_("{name} is not a CSV or XLSX file (it looks like a {kind} file)").format(
                name=name, kind=kind), code="not_a_table")
    if b"\x00" in data and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise InvalidInput(_("{name} is not a CSV or XLSX file (it holds binary data)").format(name=name),
                           code="not_a_table")


def decode_text(data: bytes, name: str) -> tuple[str, str]:
    """(text, encoding): UTF-16 if it has a BOM, else UTF-8 (BOM or not), else GB18030; else InvalidInput."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError:
            raise InvalidInput(_("{name} starts like UTF-16 text but is damaged or cut off").format(name=name),
                               code="undecodable") from None
    try:
        return data.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError as error:
        utf8_error = error
    if utf8_error.reason == "unexpected end of data" or _clearly_utf8(data[:utf8_error.start]):
        raise InvalidInput(_("{name} is UTF-8 text that is damaged at line {line}: {problem}. Save it again "
                             "from the spreadsheet, or check that it was copied completely").format(
            name=name, line=data.count(b"\n", 0, utf8_error.start) + 1, problem=_cut_or_bad(utf8_error)),
            code="undecodable")
    try:
        return data.decode("gb18030"), "gb18030"
    except UnicodeDecodeError as error:
        line, problem, cut = data.count(b"\n", 0, error.start) + 1, _cut_or_bad(error), error.end >= len(data)
    if cut:
        raise InvalidInput(_("{name} ends in the middle of a character (line {line}), so it looks cut off; save "
                             "it again from the spreadsheet").format(name=name, line=line), code="undecodable")
    raise InvalidInput(_("{name} is neither UTF-8 nor GBK/GB18030 text (line {line}: {problem}); save it as "
                         "\"CSV UTF-8\" or as .xlsx").format(name=name, line=line, problem=problem),
                       code="undecodable")


def _clearly_utf8(prefix: bytes) -> bool:
    """Two or more valid multi-byte UTF-8 characters before the first bad byte: GBK text almost never does."""
    return sum(1 for char in prefix.decode("utf-8-sig") if ord(char) > 0x7FF) >= 2


def _cut_or_bad(error: UnicodeDecodeError) -> str:
    if error.end >= len(error.object) or "end of data" in str(error.reason) or "incomplete" in str(error.reason):
        return _("the file ends in the middle of a character, so it looks cut off")
    return _("byte 0x{byte:02X} is not valid there").format(byte=error.object[error.start])


def _csv_rows(text: str, name: str) -> list[Row]:
    first_line = next((line for line in text.splitlines() if line.strip()), "")
    delimiter = max(_DELIMITERS, key=first_line.count) if any(d in first_line for d in _DELIMITERS) else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    rows: list[Row] = []
    for number in itertools.count(1):
        line = reader.line_num + 1          # where this record starts: an unclosed quote is reported there
        try:
            cells = next(reader)
        except StopIteration:
            return rows
        except csv.Error as error:
            raise InvalidInput(_("{name} is not valid CSV at line {line}: {problem}").format(
                name=name, line=line, problem=_csv_problem(str(error))), code="bad_csv") from None
        if any(cell.strip() for cell in cells):
            rows.append((number, cells))
    raise AssertionError("unreachable")


def _csv_problem(detail: str) -> str:
    if "unexpected end of data" in detail:
        return _("a quoted cell is never closed (is the file cut off?)")
    if "expected after" in detail:
        return _("a closing quote is followed by more text in the same cell")
    if "field larger than field limit" in detail:
        return _("a cell is far too long (is a quote never closed?)")
    return detail


def _xlsx_rows(data: bytes, name: str, header_ok: Callable[[list[str]], bool]) -> list[Row]:
    import openpyxl  # only when a workbook is read: it is slow to import
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (*_WORKBOOK_ERRORS, InvalidFileException):
        raise InvalidInput(_("{name} is not a CSV or XLSX file (it is a zip archive, but not an Excel workbook "
                             "that can be read)").format(name=name), code="not_a_table") from None
    try:
        sheets = []
        for sheet in workbook.worksheets:
            sheet.reset_dimensions()  # some writers record a wrong used range; read every row there is
            rows = [(number, [cell_text(value) for value in values])
                    for number, values in enumerate(sheet.iter_rows(values_only=True), start=1)
                    if any(value is not None and str(value).strip() for value in values)]
            if rows and header_ok(rows[0][1]):
                return rows
            sheets.append(rows)
        return sheets[0] if sheets else []
    except _WORKBOOK_ERRORS:
        raise InvalidInput(_("{name} is a damaged Excel workbook: its sheet cannot be read").format(name=name),
                           code="not_a_table") from None
    finally:
        workbook.close()


def cell_text(value: object) -> str:
    """One XLSX cell as the text a person sees (see the module docstring for numbers)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return decimal_text(value)
    if isinstance(value, (datetime, date, time)):
        return value.isoformat()
    return str(value)


def decimal_text(value: float) -> str:
    """A float's digits as a person typed them: ``12.3`` → ``"12.3"``, ``6901234567892.0`` → ``"6901234567892"``."""
    text = repr(value)
    if len(text.lstrip("-").replace(".", "").lstrip("0").split("e")[0]) > 15:
        text = f"{value:.15g}"
    number = Decimal(text)
    if not number.is_finite():
        return text
    if number == number.to_integral_value():
        return str(int(number))
    return f"{number:f}"


# --- typed cells: what a person writes in a spreadsheet, read exactly ---------------------------------------------

MAX_NUMBER = Decimal(10) ** 12
TRUE_WORDS = frozenset({"1", "true", "yes", "y", "t", "是"})
FALSE_WORDS = frozenset({"0", "false", "no", "n", "f", "否", ""})


def amount_cell(raw: str, places: int, what: str, *, required: bool = False) -> Decimal | None:
    """An amount, 0 ≤ amount < 10¹²; a leading ``¥``/``￥`` (Excel's currency format) is allowed. Empty: None."""
    raw = raw.strip().lstrip("¥￥").strip()
    if not raw:
        if required:
            raise InvalidInput(_("{what} is missing").format(what=what))
        return None
    return _in_range(_exact(lambda: parse_money(raw, places, what), raw, what), raw, what)


def quantity_cell(raw: str, what: str) -> Decimal | None:
    """A quantity with at most three decimals, 0 ≤ quantity < 10¹². Empty: None."""
    raw = raw.strip()
    return _in_range(_exact(lambda: parse_qty(raw, what), raw, what), raw, what) if raw else None


def rate_cell(raw: str, what: str, default: Decimal) -> Decimal:
    """A fraction ``0.13`` or a percentage ``13%``; 0 ≤ rate < 1. Empty: ``default``."""
    raw = raw.strip()
    if not raw:
        return default
    if raw.endswith("%"):
        return _exact(lambda: parse_rate(parse_money(raw[:-1].strip(), 2, what) / 100, what), raw, what).copy_abs()
    return _exact(lambda: parse_rate(raw, what), raw, what).copy_abs()


def _exact(parse: Callable[[], Decimal], raw: str, what: str) -> Decimal:
    """``parse()``; a number beyond Decimal's 28 digits (``1e30``) is refused like any other bad number."""
    try:
        return parse()
    except ArithmeticError:
        raise InvalidInput(_("{what} is far too large to be right: {value}").format(what=what, value=raw)) from None


def _in_range(value: Decimal, raw: str, what: str) -> Decimal:
    if value < 0:
        raise InvalidInput(_("{what} cannot be negative: {value}").format(what=what, value=raw))
    if value >= MAX_NUMBER:   # also keeps minor units and thousandths inside SQLite's 64-bit integers
        raise InvalidInput(_("{what} is far too large to be right: {value}").format(what=what, value=raw))
    return value.copy_abs()   # "-0" is 0


def flag_cell(raw: str, what: str) -> bool:
    """1/0, true/false, yes/no, y/n, 是/否 (any case); empty is no."""
    word = raw.strip().lower()
    if word in TRUE_WORDS or word in FALSE_WORDS:
        return word in TRUE_WORDS
    raise InvalidInput(_("{what} must be yes or no (1/0, true/false, y/n, 是/否), not {value}").format(
        what=what, value=raw))


def pairs_cell(raw: str, what: str) -> dict[str, str]:
    """``size=L;colour=red``, or a JSON object of names to texts or numbers. Empty: ``{}``."""
    raw = raw.strip()
    if raw.startswith("{"):
        try:
            data = json.loads(raw)
        except ValueError:
            data = None
        if not isinstance(data, dict) or not all(isinstance(v, (str, int, float)) for v in data.values()):
            raise InvalidInput(_("{what} in braces must be a JSON object such as {{\"size\": \"L\"}}, not {value}")
                               .format(what=what, value=raw))
        return {str(key).strip(): str(value).strip() for key, value in data.items()}
    pairs: dict[str, str] = {}
    for part in filter(None, (part.strip() for part in raw.split(";"))):
        key, equals, value = part.partition("=")
        if not equals or not key.strip():
            raise InvalidInput(_("{what} are written name=value;name=value (e.g. size=L;colour=red), not {value}")
                               .format(what=what, value=part))
        pairs[key.strip()] = value.strip()
    return pairs
