"""Receipt documents: ESC/POS commands (via python-escpos's Dummy), our text encoder, column layout."""

from drivers.printing.commands import drawer_kick, pulse_units
from drivers.printing.document import PrinterProfile, ReceiptDocument
from drivers.printing.raster_text import find_cjk_font, load_cjk_font, render_lines
from drivers.printing.text_encoder import TextEncoder
from drivers.printing.text_width import (
    RECEIPT_58MM,
    RECEIPT_80MM,
    columns,
    display_width,
    pad,
    truncate,
    two_columns,
    wrap,
)

__all__ = [
    "RECEIPT_58MM",
    "RECEIPT_80MM",
    "PrinterProfile",
    "ReceiptDocument",
    "TextEncoder",
    "columns",
    "display_width",
    "drawer_kick",
    "find_cjk_font",
    "load_cjk_font",
    "pad",
    "pulse_units",
    "render_lines",
    "truncate",
    "two_columns",
    "wrap",
]
