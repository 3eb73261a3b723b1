"""Catalog files (CSV/XLSX) read and checked without a database, shared by the till and the central server.

``tabular`` reads a file into rows of text and cells into exact values; ``catalog_rows`` turns the rows of a
catalog file into checked ``ProductRow``s and the import report (``catalog_values`` parses each column's cells). Only ``pos_desktop.core``, openpyxl and the
standard library are used here, so the server can import the same rules the till does.
"""
