"""Start the till's window: ``python main.py [--demo] [--data-dir DIR]`` (the same as ``pos gui``).

``--demo`` builds a demo store with simulated devices in ./demo-data the first time (receipts print to
``demo-data/sim/printer.txt``); without it, a new till opens on its set-up wizard.
"""

import os
import sys

from pos_desktop.malloc import limit_arenas
from pos_desktop.ui.app import run

if __name__ == "__main__":
    limit_arenas()    # memory stays flat through a day (pos_desktop/malloc.py)
    os.umask(0o077)   # the till's data, backups and reports: owner-only (docs/security.md)
    sys.exit(run(sys.argv[1:]))
