"""Start the till.

Until the window lands (issue 4), ``python main.py --demo`` runs the headless demo: it fills a demo data
folder (``./demo-data`` unless ``--data-dir``) with ``pos demo``, rings up a sample sale through the same
checkout service the screen will use, and prints its receipt as text.
"""

from __future__ import annotations

import argparse
import sys
from decimal import Decimal
from pathlib import Path

from pos_desktop import paths
from pos_desktop.core.cart import Cart
from pos_desktop.core.errors import PosError
from pos_desktop.core.receipt_text import layout_receipt
from pos_desktop.services import auth, catalog, checkout, demo, till
from pos_desktop.services.checkout import Tender
from pos_desktop.services.demo_catalog import ean13

DEMO_DIR = Path("demo-data")


def sample_sale(folder: Path) -> list[str]:
    ctx = till.open_till(folder)
    try:
        cashier = auth.login(ctx, "cashier", "1111")
        cart = Cart()
        for number in (1, 2, 3, 2):
            found = catalog.lookup_scan(ctx, ean13(number))
            cart.add(found.product, found.qty, barcode=found.barcode)
        total = cart.price(at=ctx.clock.now()).cart.total
        paid = (total // 50 + 1) * 50
        receipt = checkout.complete_sale(ctx, cart, [Tender("cash", Decimal(paid))], cashier)
        return layout_receipt(receipt, 48)
    finally:
        ctx.close()


def main() -> int:
    parser = argparse.ArgumentParser(description="Run the till (headless demo until the window exists).")
    parser.add_argument("--demo", action="store_true", help="use a demo data folder with a synthetic store")
    parser.add_argument("--data-dir", type=Path, help="the till's data folder")
    args = parser.parse_args()
    folder = args.data_dir or (DEMO_DIR.resolve() if args.demo else paths.data_dir())
    try:
        if args.demo and not till.exists(folder):
            print(f"Creating a demo store in {folder} …")
            print("\n".join(demo.describe(demo.build_demo(folder, products=2000, days=14))))
        print("\n".join(sample_sale(folder)))
    except PosError as exc:
        print(f"pos: {exc.message}", file=sys.stderr)
        return exc.exit_code
    print(f"\nData folder: {folder}. Try: .venv/bin/pos --data-dir {folder} sales list")
    return 0


if __name__ == "__main__":
    sys.exit(main())
