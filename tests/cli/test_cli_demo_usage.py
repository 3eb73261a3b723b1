"""`pos demo` in a fresh folder, and usage errors (exit 2, and the error JSON with --json)."""

from __future__ import annotations

from pathlib import Path

from .conftest import Till, one_json, pick, query, run, run_json, sale_doc


def test_demo_builds_a_working_till(tmp_path: Path) -> None:
    folder = tmp_path / "demo"
    report = run_json("demo", "--products", "300", "--days", "2", data_dir=folder)
    assert report["products"] == 300 and report["days"] == 2
    assert pick(report["users"], "user", "pin", "role") == [{"user": "admin", "pin": "1234", "role": "admin"},
                               {"user": "manager", "pin": "2222", "role": "manager"},
                               {"user": "cashier", "pin": "1111", "role": "cashier"}]
    demo = Till(folder)
    # something the history sold by the piece is still for sale, to the cashier (PIN 1111)
    [(sku,)] = query(folder, "SELECT l.sku FROM sale_lines l JOIN products p ON p.id = l.product_id "
                             "WHERE p.is_weighed = 0 ORDER BY l.sku LIMIT 1")
    sold = demo.sale(sale_doc({"sku": sku}, pay="100000.00", user="cashier", pin="1111"))
    assert sold["lines"][0]["sku"] == sku
    # the manager (2222) may adjust stock, the admin (1234) add users
    demo.json("stock", "adjust", "--sku", sku, "--location", "BACK", "--qty-delta", "1", "--reason", "found",
              "--user", "manager", "--pin", "2222")
    demo.json("user", "add", "newbie", "--role", "cashier", "--set-pin", "8888", "--user", "admin", "--pin", "1234")
    verified = demo.json("journal", "verify")
    assert verified["ok"] is True and verified["entries"] > report["sales"]

    with demo.unchanged():
        again = run_json("demo", "--products", "300", "--days", "2", data_dir=folder, expect=3)
    assert again["error"] == "already_initialized" and "--force" in again["message"]


def test_unknown_command(tmp_path: Path) -> None:
    doc = run_json("frobnicate", data_dir=tmp_path, expect=2)
    assert doc["error"] == "usage" and "frobnicate" in doc["message"]
    text = run("frobnicate", data_dir=tmp_path)
    assert text.code == 2 and "frobnicate" in text.err
    assert text.out == "", "without --json nothing goes to stdout on a usage error"


def test_missing_required_option(tmp_path: Path) -> None:
    result = run("--json", "sale", data_dir=tmp_path)
    assert result.code == 2
    doc = one_json(result.out)
    assert doc["error"] == "usage" and "--file" in doc["message"]
    assert not any(tmp_path.iterdir()), "a usage error creates nothing"
