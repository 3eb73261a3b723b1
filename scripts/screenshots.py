"""Take the README's screenshots of the real window (run through scripts/screenshots.sh, under Xvfb)."""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from pos_desktop import config, paths
from pos_desktop.core.i18n import set_language
from pos_desktop.services import auth, catalog
from pos_desktop.services.demo import build_demo
from pos_desktop.services.demo_catalog import ean13
from pos_desktop.ui.app import create_main_window
from pos_desktop.ui.operations import InlineExecutor
from pos_desktop.ui.qt import QApplication, QDialog
from pos_desktop.ui.style import apply_style

OUT = Path(__file__).resolve().parents[1] / "docs" / "screenshots"


def settle(app: QApplication) -> None:
    for _ in range(5):
        app.processEvents()


def shoot(app: QApplication, name: str) -> None:
    settle(app)
    OUT.mkdir(parents=True, exist_ok=True)
    app.primaryScreen().grabWindow(0).save(str(OUT / f"{name}.png"))
    print("saved", OUT / f"{name}.png")


def open_dialog(win, name: str) -> QDialog:  # type: ignore[no-untyped-def]
    return [d for d in win.findChildren(QDialog, name) if d.isVisible()][-1]


def tour(app: QApplication, folder: Path, lang: str) -> None:
    settings = config.load(paths.config_path(folder))
    settings["ui"]["language"] = lang
    config.save(paths.config_path(folder), settings)
    set_language(lang)
    win = create_main_window(folder, executor=InlineExecutor())
    win.move(0, 0)
    win.login.user.setText("cashier")
    shoot(app, f"login-{lang}")
    win.start_session(auth.login(win.ctx, "cashier", "1111"))
    codes = [ean13(n) for n in range(1, 60) if _sells(win, ean13(n))][:4]
    for code in codes:
        win.checkout.scan(code)
    win.checkout.scan(codes[0])
    win.checkout.lookup.input.setText("kkkl")
    settle(app)
    shoot(app, f"checkout-{lang}")
    win.checkout.lookup.input.clear()
    win.open_payment()
    dialog = open_dialog(win, "paymentDialog")
    dialog.tender_input.setText("200")
    dialog.refresh()
    shoot(app, f"payment-{lang}")
    dialog.on_enter()
    settle(app)
    receipt_no = win.ctx.products.query("SELECT receipt_no FROM sales ORDER BY receipt_no DESC LIMIT 1")[0][0]
    win.open_return()
    returns = open_dialog(win, "returnDialog")
    returns.receipt_input.setText(receipt_no)
    returns.load()
    returns.table.item(0, 3).setText("1")
    shoot(app, f"returns-{lang}")
    returns.reject()
    win.close()


def _sells(win, code: str) -> bool:  # type: ignore[no-untyped-def]
    try:
        catalog.lookup_scan(win.ctx, code)
        return True
    except Exception:  # noqa: BLE001 — a template product without a barcode: skip it
        return False


def main() -> int:
    app = QApplication.instance() or QApplication(sys.argv[:1])
    apply_style(app)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "till"
        build_demo(folder, products=400, days=3)
        for lang in ("zh_CN", "en"):
            tour(app, folder, lang)
    return 0


if __name__ == "__main__":
    sys.exit(main())
