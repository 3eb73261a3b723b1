"""Reports and analysis on the till's own data (issue 7): one module per family, all read-only.

Every report function takes the ``Context`` and its parameters and returns a ``table.Report`` (typed columns,
rows of Python values — ``Decimal`` money — and totals) that the CLI prints as JSON, ``export`` writes as CSV
or XLSX and ``pdf`` as a PDF; a reports screen draws its charts from the same rows. See docs/reports.md.

- ``trends.sales_trend`` · ``margin.margin_report`` · ``sellers.sellers_report`` · ``hourly.hourly_heatmap``
  · ``baskets.basket_report`` · ``inventory.turnover_report`` · ``shrinkage.shrinkage_report``
  · ``cashiers.cashier_report``
- ``forecast.forecast_sales`` (Holt-Winters, backtested against seasonal naive) · ``anomalies.find_anomalies``
  · ``members_rfm.rfm_segments`` / ``member_history`` / ``export_segment``
"""
