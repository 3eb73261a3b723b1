"""Starting the till: ``create_main_window`` (the automation contract) and ``run`` (for people).

``create_main_window(data_dir)`` builds the whole till for an existing data folder — its devices as
configured there — and returns the main window, shown, without entering the event loop; a running
``QApplication`` is expected. ``run`` adds what a person needs around it: the demo folder or the set-up
wizard on first start, a progress dialog while the database is checked and upgraded, the style and language.
"""

from __future__ import annotations

import argparse
import logging
import sys
from concurrent.futures import Executor
from pathlib import Path

from .. import config, logs, paths
from ..core.clock import Clock
from ..core.i18n import _, set_language
from ..devices import DeviceManager, ReceiptPrinting, ReceiptSpool, spool_dir
from ..services import demo, till
from ..services.context import Context
from . import geometry
from .errors import show_error
from .main_window import MainWindow
from .operations import Runner
from .restore_offer import RestoreOffer, can_offer_restore
from .qt import QApplication, QProgressDialog, Qt
from .setup_wizard import SetupWizard
from .style import apply_style

log = logging.getLogger(__name__)
DEMO_PRODUCTS, DEMO_DAYS = 2000, 14


def build_window(ctx: Context, *, executor: Executor | None = None) -> MainWindow:
    devices = DeviceManager.from_data_dir(ctx.data_dir)
    style = devices.receipt_style(header=str(ctx.setting("receipt_header")), footer=str(ctx.setting("receipt_footer")))
    printing = ReceiptPrinting(devices, ReceiptSpool(spool_dir(ctx.data_dir)), style)
    window = MainWindow(ctx, devices, printing, Runner(executor))
    window.resize(1280, 800)
    geometry.restore(window, Path(ctx.data_dir))    # where it was when the till last closed
    window.show()
    return window


def create_main_window(data_dir: str | Path, *, executor: Executor | None = None,
                       clock: Clock | None = None) -> MainWindow:
    """The whole till for an existing data folder, shown (tests pass an inline ``executor`` and a clock)."""
    ctx = till.open_till(Path(data_dir), clock)
    return build_window(ctx, executor=executor)


def make_demo(folder: Path) -> Context:
    """A demo store with simulated devices (receipts go to ``sim/printer.txt``), opened."""
    demo.build_demo(folder, products=DEMO_PRODUCTS, days=DEMO_DAYS)
    config.use_simulators(paths.config_path(folder))
    return till.open_till(folder)


def startup_problem(folder: Path, exc: BaseException, runner: Runner, *, retry, give_up):  # type: ignore[no-untyped-def]
    """The till could not be opened. A damaged or missing database: selling stays stopped and the newest good
    backup is offered (``restoreOfferDialog``); opening is tried again after a restore. Anything else: the
    error dialog, then the app quits. Returns the dialog shown."""
    if can_offer_restore(exc):
        offer = RestoreOffer(folder, exc, runner)  # type: ignore[arg-type]
        offer.accepted.connect(retry)
        offer.rejected.connect(give_up)
        offer.open()
        return offer
    box = show_error(None, exc)
    box.finished.connect(give_up)
    return box


def _language(data_dir: Path) -> str:
    try:
        return str(config.load(paths.config_path(data_dir))["ui"]["language"])
    except Exception:  # noqa: BLE001 — a bad config.toml is reported by the devices, not here
        return "zh_CN"


def run(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="pos gui", description=_("The till's window"))
    parser.add_argument("--data-dir", type=Path)
    parser.add_argument("--demo", action="store_true", help=_("use a demo store with simulated devices"))
    args = parser.parse_args(argv)
    folder = args.data_dir or (Path("demo-data").resolve() if args.demo else paths.data_dir())
    app = QApplication.instance() or QApplication(sys.argv[:1])
    set_language(_language(folder))
    apply_style(app)
    logs.setup(folder if folder.exists() else None)
    holder: dict[str, object] = {}
    runner = Runner()

    def opened(ctx: Context) -> None:
        progress.close()
        window = build_window(ctx)
        window.check_database()  # a big database is checked in full while the till is already usable
        holder["window"] = window

    def failed(exc: BaseException) -> None:
        progress.close()
        holder["problem"] = startup_problem(folder, exc, runner, retry=start, give_up=app.quit)

    def start() -> None:
        progress.show()
        if args.demo and not till.exists(folder):
            progress.setLabelText(_("Creating the demo store…"))
            runner.run(lambda: make_demo(folder), success=opened, failure=failed)
        else:
            progress.setLabelText(_("Checking and upgrading the database…"))
            runner.run(lambda: till.open_till(folder), success=opened, failure=failed)

    progress = QProgressDialog(_("Starting…"), "", 0, 0)
    progress.setObjectName("startupProgress")
    progress.setCancelButton(None)
    progress.setWindowModality(Qt.WindowModality.ApplicationModal)
    if not args.demo and not till.exists(folder) and not any(paths.backups_dir(folder).glob("pos-*.db")):
        wizard = SetupWizard(folder)
        wizard.accepted.connect(start)
        wizard.rejected.connect(app.quit)
        wizard.open()
        holder["wizard"] = wizard
    else:
        start()
    return app.exec()
