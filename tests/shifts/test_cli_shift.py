"""``pos shift …`` and ``pos report x|z`` through real subprocesses (CLI.md's rules: one JSON document, money as
strings, exit codes, nothing changed on a failure)."""

from __future__ import annotations

import shutil
import subprocess
from decimal import Decimal as D

import pytest

from tests.cli.conftest import COLA, MILK, Till, fresh, query, sale_doc, template  # noqa: F401

FIXED = {"date", "store", "till", "z_number", "sales_count", "returns_count", "voids_count", "gross_sales",
         "discounts", "returns", "net_sales", "tax_total", "by_tender", "by_tax_rate", "first_receipt",
         "last_receipt", "grand_total"}
MONEY = ("gross_sales", "discounts", "returns", "net_sales", "tax_total", "grand_total")


def check_report(doc: dict) -> None:
    assert FIXED <= doc.keys()
    for key in MONEY:
        assert isinstance(doc[key], str) and D(doc[key]) == D(doc[key]).quantize(D("0.01")), key
        assert "." in doc[key] and len(doc[key].split(".")[1]) == 2, key
    for amount in doc["by_tender"].values():
        assert isinstance(amount, str) and len(amount.split(".")[1]) == 2
    for rate, split in doc["by_tax_rate"].items():
        assert rate.startswith("0.") and set(split) == {"net", "tax"}


def test_a_shift_from_open_to_close(fresh: Till, tmp_path) -> None:
    count = fresh.write({"notes": {"100": 2, "50": 1}, "coins": {"1": 5}})
    opened = fresh.json("shift", "open", "--float", "255.00", "--denominations", count, *fresh.as_user("amy"))
    assert (opened["float"], opened["cashier"]) == ("255.00", "amy")
    with fresh.unchanged():
        fresh.json("shift", "open", "--float", "10", *fresh.as_user("amy"), expect=3)
        fresh.json("shift", "cash-in", "--amount", "50", "--reason", "零钱", *fresh.as_user("amy"), expect=4)
        fresh.json("shift", "open", "--float", "1.234", *fresh.as_user("amy"), expect=3)
    fresh.json("shift", "cash-in", "--amount", "50", "--reason", "零钱 coins", *fresh.as_user("sam"))
    fresh.json("shift", "cash-out", "--amount", "5.50", "--reason", "快递 courier", *fresh.as_user("sam"))
    fresh.json("shift", "drop", "--amount", "100", "--reason", "safe", "--user", "amy", "--pin", "1111",
               "--approver", "mia", "--approver-pin", "9999")
    fresh.sale(sale_doc({"barcode": COLA, "qty": "2"}, pay="10.00"))   # 7.00, change 3.00
    blind = fresh.json("shift", "status")
    assert blind["blind"] and "expected" not in blind and len(blind["cash_moves"]) == 3
    assert fresh.json("shift", "status", *fresh.as_user("sam"))["expected"]["cash"] == "206.50"
    with fresh.unchanged():
        refused = fresh.json("shift", "close", "--counted-cash", "190", *fresh.as_user("amy"), expect=3)
    assert refused["error"] == "explanation_required"
    closed = fresh.json("shift", "close", "--counted-cash", "190", "--explanation", "找错零钱 wrong change",
                        *fresh.as_user("amy"))
    assert (closed["expected_cash"], closed["counted_cash"], closed["variance"]) == ("206.50", "190.00", "-16.50")
    assert fresh.json("shift", "status")["open"] is False


def test_hand_over_and_usage_errors(fresh: Till) -> None:
    fresh.json("shift", "open", "--float", "100", *fresh.as_user("amy"))
    assert fresh.run("shift", "open").code == 2                              # no --float, no --denominations
    assert fresh.run("shift", "close", *fresh.as_user("amy")).code == 2
    with fresh.unchanged(exclude=("users",)):                               # a wrong PIN is counted
        fresh.json("shift", "handover", "--to", "ken", *fresh.as_user("amy"), expect=3)
        fresh.json("shift", "handover", "--to", "sam", "--to-pin", "0000", *fresh.as_user("amy"), expect=4)
    done = fresh.json("shift", "handover", "--to", "sam", "--to-pin", "3333", "--counted-cash", "100",
                      *fresh.as_user("amy"))
    assert (done["to"], done["opened"]["float"], done["closed"]["variance"]) == ("sam", "100.00", "0.00")
    assert fresh.json("shift", "status")["cashier"] == "sam"


def test_report_x_and_z(fresh: Till, tmp_path) -> None:
    first = fresh.sale(sale_doc({"barcode": COLA, "qty": "2"}, {"barcode": MILK}, pay="20.00"))
    fresh.sale(sale_doc({"barcode": COLA}, method="card", pay="3.50"))
    x = fresh.json("report", "x", *fresh.as_user("amy"))
    check_report(x)
    assert (x["sales_count"], x["net_sales"], x["z_number"]) == (2, "13.30", None)
    assert fresh.json("report", "x")["net_sales"] == "13.30"                  # read-only: no login needed
    with fresh.unchanged():
        denied = fresh.json("report", "z", *fresh.as_user("amy"), expect=4)
        fresh.json("report", "x", *fresh.as_user("ken"), expect=4)           # a stock clerk may not
        fresh.json("report", "z", "--date", "2999-01-01", *fresh.as_user("mia"), expect=3)
        fresh.json("report", "z", "--date", "20-11-2026", *fresh.as_user("mia"), expect=3)
        fresh.json("report", "z", "--pdf", tmp_path / "missing" / "z.pdf", *fresh.as_user("mia"), expect=3)
    assert denied["error"] == "permission_denied"
    z = fresh.json("report", "z", *fresh.as_user("mia"), "--pdf", tmp_path / "z.pdf")
    check_report(z)
    assert (z["z_number"], z["created"], z["net_sales"], z["grand_total"]) == (1, True, "13.30", "13.30")
    assert z["by_tender"] == {"card": "3.50", "cash": "9.80"} and z["first_receipt"] == first["receipt_no"]
    again = fresh.json("report", "z", "--date", z["date"], *fresh.as_user("mia"))
    assert again["created"] is False and {k: again[k] for k in FIXED} == {k: z[k] for k in FIXED}
    later = fresh.sale(sale_doc({"barcode": COLA}, pay="3.50"))
    assert query(fresh.path, "SELECT business_date > ? FROM sales WHERE receipt_no = ?", z["date"],
                 later["receipt_no"]) == [(1,)]
    void = fresh.json("void-sale", first["receipt_no"], "--reason", "late", *fresh.as_user("sam"), expect=3)
    assert void["error"] == "not_current_shift"
    assert fresh.json("journal", "verify")["ok"] is True
    if shutil.which("pdftotext"):
        text = subprocess.run(["pdftotext", str(tmp_path / "z.pdf"), "-"], capture_output=True, check=True).stdout
        assert "净销售额".encode() in text and b"13.30" in text


def test_z_prints_on_the_receipt_printer(fresh: Till) -> None:
    from tests.devices.receipts import write_config

    fresh.sale(sale_doc({"barcode": COLA}, pay="3.50"))
    write_config(fresh.path, printer={"kind": "sim"})
    z = fresh.json("report", "z", "--print", *fresh.as_user("mia"))
    assert z["printed"] is True and z["print_bytes"] > 0
    paper = (fresh.path / "sim" / "printer.txt").read_text(encoding="utf-8")
    assert "日结报表" in paper and "NET SALES" in paper


@pytest.mark.parametrize("kind", ["none"])
def test_a_printer_fault_does_not_undo_the_close(fresh: Till, kind: str) -> None:
    from tests.devices.receipts import write_config

    write_config(fresh.path, printer={"kind": kind})
    result = fresh.run("report", "z", "--print", "--json", *fresh.as_user("mia"))
    assert result.code == 0 and "warning" in result.err
    import json

    doc = json.loads(result.out)
    assert doc["created"] is True and doc["printed"] is False and doc["print_error"]
    assert fresh.run("report", "z", "--print", "--json", *fresh.as_user("mia")).code == 6   # stored: a device error
