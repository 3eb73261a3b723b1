"""Entry point of the bundled executables (installer/pos.spec). ``pos`` is the headless CLI (``pos gui`` opens
the window); ``pos-gui`` — the same program under another name, without a console on Windows — opens the
window directly, with the arguments of ``python main.py``.

``freeze_support`` lets ``pos server --workers N`` start its worker processes from a frozen executable."""

import multiprocessing
import sys
from pathlib import Path

if __name__ == "__main__":
    multiprocessing.freeze_support()
    if Path(sys.executable).stem.lower() == "pos-gui":
        from pos_desktop.ui.app import run

        sys.exit(run(sys.argv[1:]))
    from pos_desktop.cli import main

    sys.exit(main())
