"""Moved to ``pos_desktop.catalog_files.tabular`` (shared with the central server); kept for old imports."""

from ..catalog_files.tabular import (Row, Table, amount_cell, cell_text, decimal_text, decode_text, flag_cell,
                                     pairs_cell, quantity_cell, rate_cell, read_table)

__all__ = ["Row", "Table", "amount_cell", "cell_text", "decimal_text", "decode_text", "flag_cell", "pairs_cell",
           "quantity_cell", "rate_cell", "read_table"]
