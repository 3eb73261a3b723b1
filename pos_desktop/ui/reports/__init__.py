"""The reports screen (issue 7): pick a report and a date range; a table and a chart (pyqtgraph) or heat map;
exports to CSV, XLSX and PDF. Every report is computed off the GUI thread."""
