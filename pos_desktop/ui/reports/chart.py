"""The chart of a report: lines (a trend, a forecast) or bars (margins, sellers, cashiers…) drawn with
pyqtgraph from the same rows the table shows. ``points()`` says what is drawn, for tests and for people who
cannot see the chart (its tooltip)."""

from __future__ import annotations

import math
import os
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

os.environ.setdefault("PYQTGRAPH_QT_LIB", "PySide6")   # the one binding the till ships
import pyqtgraph as pg  # noqa: E402

from ..qt import QColor  # noqa: E402

COLOURS = ("#1f6fb2", "#e0802a", "#3a9a4a", "#b23a48")


def number(value: Any) -> float:
    """A cell as a chart's y: Decimal and int as float; no figure (None) as a gap."""
    if value is None or value == "":
        return math.nan
    return float(Decimal(value))


class ReportChart(pg.PlotWidget):
    def __init__(self, name: str) -> None:
        super().__init__(background="w")
        self.setObjectName(name)
        self.setMinimumHeight(220)
        self.showGrid(x=False, y=True, alpha=0.3)
        self.legend = self.addLegend(offset=(10, 10))
        self.drawn: dict[str, list[tuple[float, float]]] = {}
        self.kind = ""

    def clear_chart(self) -> None:
        self.plotItem.clear()
        self.legend.clear()
        self.drawn = {}
        self.kind = ""

    def draw(self, kind: str, labels: Sequence[str], series: Sequence[tuple[str, str, Sequence[Any]]]) -> None:
        """``series``: (key, legend text, values), one value per label; ``kind``: line or bar."""
        self.clear_chart()
        self.kind = kind
        xs = list(range(len(labels)))
        width = 0.8 / max(len(series), 1)
        for i, (key, text, values) in enumerate(series):
            ys = [number(v) for v in values]
            colour = QColor(COLOURS[i % len(COLOURS)])
            if kind == "line":
                marks = {"symbol": "o", "symbolSize": 6, "symbolBrush": colour} if len(xs) <= 60 else {}
                item = pg.PlotDataItem(xs, ys, pen=pg.mkPen(colour, width=2), name=text, connect="finite", **marks)
                self.addItem(item)
            else:
                offset = (i - (len(series) - 1) / 2) * width
                bars = pg.BarGraphItem(x=[x + offset for x in xs], height=[0 if math.isnan(y) else y for y in ys],
                                       width=width, brush=colour, name=text)
                self.addItem(bars)
                self.legend.addItem(bars, text)
            self.drawn[key] = list(zip((float(x) for x in xs), ys))
        step = max(1, len(labels) // 12)                   # a readable axis: at most about 12 labels
        self.getAxis("bottom").setTicks([[(x, str(labels[x])) for x in xs[::step]]])
        self.setToolTip("\n".join(f"{text}: {len(values)}" for _key, text, values in series))
        self.plotItem.enableAutoRange()

    def points(self) -> dict[str, list[tuple[float, float]]]:
        return {key: list(values) for key, values in self.drawn.items()}
