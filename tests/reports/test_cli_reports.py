"""``pos report …`` as an integrator runs it: one JSON document per command, the same figures as the service,
files written where asked, and a clear refusal (exit 2 usage, 3 bad input) for what cannot be reported."""

from __future__ import annotations

import json
import shutil
from datetime import timedelta
from decimal import Decimal as D
from pathlib import Path

import pytest

from pos_desktop.cli import main
from pos_desktop.services import till
from pos_desktop.services.reports import hourly
from tests.reports.conftest import FIRST, LAST

SPAN = ("--from", FIRST.isoformat(), "--to", LAST.isoformat())
MANAGER = ("--user", "mia", "--pin", "9999")


@pytest.fixture
def folder(history_dir: Path, tmp_path: Path) -> Path:
    copy = tmp_path / "history"
    shutil.copytree(history_dir, copy)
    return copy


def pos(capsys, folder: Path, *args: str) -> tuple[int, dict]:
    code = main(["--data-dir", str(folder), *args, "--json"])
    out = capsys.readouterr().out
    return code, json.loads(out) if out.strip() else {}


@pytest.mark.parametrize("kind, options", [
    ("sales", ("--by", "week")), ("margin", ("--by", "category")), ("sellers", ("--worst",)),
    ("hourly", ("--measure", "sales_count")), ("hourly", ("--by", "date")), ("baskets", ("--by", "month")),
    ("turnover", ("--by", "product")), ("shrinkage", ("--by", "reason")), ("cashiers", ()),
    ("cashiers", ("--by", "cashier")),
])
def test_every_report_answers_one_json_document(capsys, folder: Path, kind: str, options: tuple[str, ...]) -> None:
    code, doc = pos(capsys, folder, "report", kind, *SPAN, *options, *MANAGER)
    assert code == 0, doc
    assert doc["report"] == kind and doc["rows"] and (doc["from"], doc["to"]) == (FIRST.isoformat(), LAST.isoformat())


def test_hourly_by_date_has_a_row_per_day_with_the_weekday_maps_cells(capsys, folder: Path) -> None:
    code, by_date = pos(capsys, folder, "report", "hourly", *SPAN, "--by", "date", *MANAGER)
    assert code == 0
    days = (LAST - FIRST).days + 1
    assert [r["date"] for r in by_date["rows"]] == [(FIRST + timedelta(days=i)).isoformat() for i in range(days)]
    assert by_date["by"] == "date" and by_date["columns"][0]["key"] == "date"
    _, by_weekday = pos(capsys, folder, "report", "hourly", *SPAN, *MANAGER)
    hours = [k for k in by_weekday["totals"] if k.startswith("h")] + ["total"]
    assert hours and {k: by_date["totals"][k] for k in hours} == {k: by_weekday["totals"][k] for k in hours}
    for row in by_weekday["rows"]:                          # each weekday's row adds up its dates' rows
        mine = [r for r in by_date["rows"] if r["weekday"] == row["weekday"]]
        assert len(mine) == row["days"]
        assert sum(D(r["total"]) for r in mine) == D(row["total"])
    ctx = till.open_till(folder)
    try:
        service = hourly.hourly_heatmap(ctx, FIRST, LAST, by="date").to_json()
    finally:
        ctx.close()
    assert service["cells"] == by_date["cells"] and all("date" in c for c in by_date["cells"])


def test_files_are_written_where_asked(capsys, folder: Path, tmp_path: Path) -> None:
    xlsx, pdf = tmp_path / "margin.xlsx", tmp_path / "margin.pdf"
    code, doc = pos(capsys, folder, "report", "margin", *SPAN, "--xlsx", str(xlsx), "--pdf", str(pdf), *MANAGER)
    assert code == 0 and xlsx.read_bytes()[:2] == b"PK" and pdf.read_bytes()[:5] == b"%PDF-"
    assert set(doc["files"]) == {"xlsx", "pdf"}


def test_what_cannot_be_reported_is_refused(capsys, folder: Path) -> None:
    code, doc = pos(capsys, folder, "report", "hourly", "--by", "month")
    assert code == 2 and doc["error"] == "usage"
    assert "invalid choice: 'month' (choose from 'weekday', 'date')" in doc["message"]
    code, doc = pos(capsys, folder, "report", "sales", "--from", LAST.isoformat(), "--to", FIRST.isoformat(),
                    *MANAGER)
    assert code == 3 and doc["error"] == "bad_range" and "is before its start" in doc["message"]
