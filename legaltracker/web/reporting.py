"""The reports page's charts, drawn from `selectors.Reports` (figures in, geometry out)."""

from __future__ import annotations

from dataclasses import dataclass

from .charts import (
    BarInput,
    ColumnChart,
    HorizontalBarChart,
    Series,
    grouped_columns,
    horizontal_bars,
)
from .selectors import CHART_BAR_LIMIT, Reports


@dataclass(frozen=True)
class ReportCharts:
    pre_proceedings: HorizontalBarChart | None
    pre_proceedings_shown: int
    stages: HorizontalBarChart
    outcomes: ColumnChart
    concluded: HorizontalBarChart | None
    averages: HorizontalBarChart | None


def _plural(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def charts(data: Reports) -> ReportCharts:
    # The longest-running cases matter most; the table below the chart lists them all.
    longest = sorted(data.pre_proceedings, key=lambda r: (-r.weeks, r.case_id))[:CHART_BAR_LIMIT]
    pre_proceedings = None
    if longest:
        pre_proceedings = horizontal_bars(
            chart_id="chart-pre-proceedings",
            title="Weeks in pre-proceedings for each open case",
            description=(
                f"{_plural(len(data.pre_proceedings), 'case is', 'cases are')} in "
                f"pre-proceedings; {data.past_decision_point} "
                f"{'has' if data.past_decision_point == 1 else 'have'} passed the decision "
                f"point ({data.decision_weeks} weeks after the initial meeting, or as "
                "extended). The longest has been in pre-proceedings for "
                f"{longest[0].weeks:g} weeks."
            ),
            bars=[
                BarInput(
                    label=row.reference,
                    value=row.weeks,
                    value_label=f"{row.weeks:g} weeks"
                    + (" (past decision point)" if row.past_decision_point else ""),
                    css="app-chart__bar app-chart__bar--over"
                    if row.past_decision_point
                    else "app-chart__bar",
                    marker=row.decision_weeks,
                )
                for row in longest
            ],
            axis_label="Weeks since the decision to enter pre-proceedings",
            step=4,
            legend=[
                ("app-chart__key app-chart__bar", "Before the decision point"),
                ("app-chart__key app-chart__bar--over", "Past the decision point"),
                ("app-chart__key app-chart__key--marker", "Decision point"),
            ],
        )

    stages = horizontal_bars(
        chart_id="chart-stages",
        title="Open cases by stage",
        description="; ".join(f"{s.label}: {s.count}" for s in data.stages) + ".",
        bars=[BarInput(label=s.label, value=s.count) for s in data.stages],
        axis_label="Open cases",
    )

    outcomes = grouped_columns(
        chart_id="chart-outcomes",
        title="Stepped down and issued, by month, over the last 12 months",
        description=(
            f"Over the last 12 months, {sum(m.stepped_down for m in data.months)} stepped down "
            f"from pre-proceedings and {sum(m.issued for m in data.months)} care applications "
            "were issued."
        ),
        groups=[
            (m.month.strftime("%b"), m.month.strftime("%Y"), [m.stepped_down, m.issued])
            for m in data.months
        ],
        series=[
            Series("Stepped down", "app-chart__bar app-chart__bar--stepped-down"),
            Series("Issued", "app-chart__bar app-chart__bar--issued"),
        ],
    )

    concluded = None
    if data.concluded.concluded:
        c = data.concluded
        concluded = horizontal_bars(
            chart_id="chart-concluded",
            title="Proceedings concluded within 26 weeks",
            description=(
                f"{c.within} of {c.concluded} proceedings concluded in the last 12 months "
                f"({c.percent}%) finished within 26 weeks of issue; {c.over} took longer."
            ),
            bars=[
                BarInput("Within 26 weeks", c.within, f"{c.within} ({c.percent}%)"),
                BarInput(
                    "Longer than 26 weeks",
                    c.over,
                    f"{c.over} ({100 - (c.percent or 0)}%)",
                    css="app-chart__bar app-chart__bar--over",
                ),
            ],
            axis_label="Proceedings concluded in the last 12 months",
        )

    measured = [a for a in data.averages if a.days is not None]
    averages = None
    if measured:
        averages = horizontal_bars(
            chart_id="chart-averages",
            title="Average days between pre-proceedings steps",
            description="; ".join(
                f"{a.label}: {a.days:g} days on average over {_plural(a.cases, 'case', 'cases')}"
                for a in measured
            )
            + ".",
            bars=[BarInput(a.short_label, a.days or 0, f"{a.days:g} days") for a in measured],
            axis_label="Calendar days",
        )

    return ReportCharts(
        pre_proceedings=pre_proceedings,
        pre_proceedings_shown=len(longest),
        stages=stages,
        outcomes=outcomes,
        concluded=concluded,
        averages=averages,
    )
