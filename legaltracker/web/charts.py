"""Server-side SVG charts: geometry computed here, drawn by templates/web/charts/*.html.

No JavaScript and no chart library: a chart is a handful of rectangles and lines whose
coordinates are worked out in Python, so it renders the same with scripts off, prints,
and passes a strict Content Security Policy (no inline styles: colours come from
classes in static/css/app.css). Every chart is an `<svg role="img">` with a title and a
description, and the page shows the same figures as a table.

Pure functions of their inputs; nothing here touches the database.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field

WIDTH = 900
LABEL_WIDTH = 200  # room for a row label (a case reference or a stage name)
VALUE_ROOM = 230  # room right of the longest bar for its value label
ROW_HEIGHT = 26
BAR_HEIGHT = 16
AXIS_HEIGHT = 34
PAD = 8


@dataclass(frozen=True)
class Tick:
    x: float
    label: str


@dataclass(frozen=True)
class Row:
    label: str
    value_label: str
    y: float  # top of the row
    bar_y: float
    bar_width: float
    text_y: float  # baseline for the row's text
    value_x: float  # where the value label starts, just past the bar
    css: str  # the bar's class: colour and pattern
    marker_x: float | None = None  # a vertical tick across this bar (e.g. its decision point)

    @property
    def marker_top(self) -> float:
        return self.y + 2

    @property
    def marker_bottom(self) -> float:
        return self.y + ROW_HEIGHT - 2


@dataclass(frozen=True)
class HorizontalBarChart:
    chart_id: str
    title: str
    description: str
    width: int
    height: int
    plot_left: float
    plot_right: float
    axis_y: float
    axis_label: str
    ticks: list[Tick]
    rows: list[Row]
    reference_x: float | None = None  # a vertical line across all rows
    reference_label: str = ""
    legend: list[tuple[str, str]] = field(default_factory=list)  # (css class, words)

    @property
    def label_x(self) -> float:
        return self.plot_left - 8

    @property
    def tick_label_y(self) -> float:
        return self.axis_y + 16

    @property
    def axis_label_y(self) -> float:
        return self.axis_y + 32


@dataclass(frozen=True)
class BarInput:
    label: str
    value: float
    value_label: str = ""
    css: str = "app-chart__bar"
    marker: float | None = None


def nice_step(maximum: float, target_ticks: int = 6) -> float:
    """A round tick interval (1, 2 or 5 times a power of ten) giving about
    `target_ticks` ticks up to `maximum`."""
    if maximum <= 0:
        return 1.0
    raw = maximum / target_ticks
    power = 10 ** math.floor(math.log10(raw))
    for multiple in (1, 2, 5, 10):
        if raw <= multiple * power:
            return float(multiple * power)
    return float(10 * power)


def _number(value: float) -> str:
    return f"{value:g}" if value != int(value) else str(int(value))


def horizontal_bars(
    *,
    chart_id: str,
    title: str,
    description: str,
    bars: Sequence[BarInput],
    axis_label: str,
    reference: float | None = None,
    reference_label: str = "",
    step: float | None = None,
    legend: Sequence[tuple[str, str]] = (),
) -> HorizontalBarChart:
    """One bar per input row, scaled to the largest of the values, markers and the
    reference line, with round ticks along the bottom."""
    extent = max(
        [b.value for b in bars]
        + [b.marker for b in bars if b.marker is not None]
        + ([reference] if reference is not None else [])
        + [1.0]
    )
    step = step or nice_step(extent)
    top = math.ceil(extent / step) * step
    plot_left = float(LABEL_WIDTH)
    plot_right = float(WIDTH - VALUE_ROOM)
    scale = (plot_right - plot_left) / top

    def x(value: float) -> float:
        return round(plot_left + max(value, 0) * scale, 1)

    rows = []
    for index, bar in enumerate(bars):
        y = PAD + index * ROW_HEIGHT
        bar_y = y + (ROW_HEIGHT - BAR_HEIGHT) / 2
        bar_width = round(max(bar.value, 0) * scale, 1)
        rows.append(
            Row(
                label=bar.label,
                value_label=bar.value_label or _number(bar.value),
                y=y,
                bar_y=bar_y,
                bar_width=bar_width,
                text_y=bar_y + BAR_HEIGHT - 3,
                # Past the bar and past its marker, so that the mark never crosses the words.
                value_x=round(
                    max(plot_left + bar_width, x(bar.marker) if bar.marker is not None else 0) + 6,
                    1,
                ),
                css=bar.css,
                marker_x=x(bar.marker) if bar.marker is not None else None,
            )
        )
    axis_y = PAD + max(len(bars), 1) * ROW_HEIGHT + 4
    ticks = []
    value = 0.0
    while value <= top + 1e-9:
        ticks.append(Tick(x(value), _number(value)))
        value += step
    return HorizontalBarChart(
        chart_id=chart_id,
        title=title,
        description=description,
        width=WIDTH,
        height=int(axis_y + AXIS_HEIGHT),
        plot_left=plot_left,
        plot_right=plot_right,
        axis_y=axis_y,
        axis_label=axis_label,
        ticks=ticks,
        rows=rows,
        reference_x=x(reference) if reference is not None else None,
        reference_label=reference_label,
        legend=list(legend),
    )


@dataclass(frozen=True)
class Column:
    x: float
    y: float
    width: float
    height: float
    value: int
    label_y: float
    css: str

    @property
    def center_x(self) -> float:
        return round(self.x + self.width / 2, 1)


@dataclass(frozen=True)
class ColumnGroup:
    label: str
    sublabel: str
    label_x: float
    columns: list[Column]


@dataclass(frozen=True)
class Series:
    name: str
    css: str


@dataclass(frozen=True)
class ColumnChart:
    chart_id: str
    title: str
    description: str
    width: int
    height: int
    plot_left: float
    plot_right: float
    plot_top: float
    axis_y: float
    ticks: list[tuple[float, str]]  # (y, label)
    groups: list[ColumnGroup]
    series: list[Series]

    @property
    def group_label_y(self) -> float:
        return self.axis_y + 18

    @property
    def group_sublabel_y(self) -> float:
        return self.axis_y + 34

    @property
    def tick_label_x(self) -> float:
        return self.plot_left - 6


COLUMN_PLOT_HEIGHT = 220


def grouped_columns(
    *,
    chart_id: str,
    title: str,
    description: str,
    groups: Sequence[tuple[str, str, Sequence[int]]],
    series: Sequence[Series],
) -> ColumnChart:
    """Columns side by side for each group (e.g. a month: label "Mar", sublabel "2026"),
    one per series."""
    plot_left, plot_right = 44.0, float(WIDTH - PAD)
    plot_top = 16.0  # room for the tallest column's value
    axis_y = plot_top + COLUMN_PLOT_HEIGHT
    extent = max([v for _, _, values in groups for v in values] + [1])
    step = max(1.0, nice_step(extent, 5))
    top = math.ceil(extent / step) * step
    scale = COLUMN_PLOT_HEIGHT / top
    slot = (plot_right - plot_left) / max(len(groups), 1)
    gap = slot * 0.2
    column_width = (slot - gap) / max(len(series), 1)
    built = []
    for index, (label, sublabel, values) in enumerate(groups):
        left = plot_left + index * slot + gap / 2
        columns = []
        for n, value in enumerate(values):
            height = round(value * scale, 1)
            columns.append(
                Column(
                    x=round(left + n * column_width, 1),
                    y=round(axis_y - height, 1),
                    width=round(column_width - 2, 1),
                    height=height,
                    value=value,
                    label_y=round(axis_y - height - 4, 1),
                    css=series[n].css,
                )
            )
        built.append(ColumnGroup(label, sublabel, round(left + (slot - gap) / 2, 1), columns))
    ticks = []
    tick = 0.0
    while tick <= top + 1e-9:
        ticks.append((round(axis_y - tick * scale, 1), _number(tick)))
        tick += step
    return ColumnChart(
        chart_id=chart_id,
        title=title,
        description=description,
        width=WIDTH,
        height=int(axis_y + 42),
        plot_left=plot_left,
        plot_right=plot_right,
        plot_top=plot_top,
        axis_y=axis_y,
        ticks=ticks,
        groups=built,
        series=list(series),
    )
