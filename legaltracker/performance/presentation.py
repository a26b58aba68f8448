"""The performance report as the page and the export show it: for each figure a heading,
its definition in words, a chart and the same numbers as a table (figures in, words and
geometry out; no database).

The definitions here are the ones in docs/reports.md; a figure's table is what its export
rows hold, so the page, the CSV and the XLSX file say the same thing.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from legaltracker.exports.writers import Cell
from legaltracker.web.charts import (
    BarInput,
    ColumnChart,
    HorizontalBarChart,
    Series,
    grouped_columns,
    horizontal_bars,
)

from .selectors import PerformanceReport, Spread

Value = int | float | str | None


@dataclass(frozen=True)
class Table:
    caption: str
    headers: list[str]  # the first names the rows; the others are numbers
    rows: list[tuple[str, list[Value]]]


@dataclass(frozen=True)
class Figure:
    key: str  # the section's id on the page
    title: str
    summary: str  # the figure in one sentence
    definition: list[str]  # what counts, from which dates
    table: Table | None
    chart: HorizontalBarChart | ColumnChart | None = None
    not_recorded: bool = False  # the data is not held yet: definition only

    @property
    def chart_template(self) -> str:
        return (
            "web/charts/columns.html"
            if isinstance(self.chart, ColumnChart)
            else "web/charts/hbar.html"
        )


@dataclass(frozen=True)
class Section:
    title: str
    figures: list[Figure] = field(default_factory=list)


def _share(value: float | None) -> str:
    return "no cases" if value is None else f"{value:g}%"


def _plural(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def _bars(
    chart_id: str, title: str, description: str, axis: str, bars: Sequence[tuple[str, float]]
) -> HorizontalBarChart:
    return horizontal_bars(
        chart_id=chart_id,
        title=title,
        description=description,
        bars=[BarInput(label, value) for label, value in bars],
        axis_label=axis,
    )


def _count_table(caption: str, what: str, rows: Sequence[tuple[str, int]]) -> Table:
    return Table(caption=caption, headers=[what, "Number"], rows=[(k, [v]) for k, v in rows])


SPREAD_ROWS = (
    ("Shortest", "minimum"),
    ("Lower quartile", "lower_quartile"),
    ("Median", "median"),
    ("Upper quartile", "upper_quartile"),
    ("Longest", "maximum"),
)


def _spread_figure(
    *, key: str, title: str, what: str, spread: Spread | None, definition: list[str]
) -> Figure:
    if spread is None:
        return Figure(key, title, f"No {what} in the period.", definition, None)
    values = [(label, float(getattr(spread, name))) for label, name in SPREAD_ROWS]
    summary = (
        f"Over {_plural(spread.count, what[:-1] if what.endswith('s') else what, what)}, "
        f"the median was {spread.median:g} weeks; half took between "
        f"{spread.lower_quartile:g} and {spread.upper_quartile:g} weeks, the shortest "
        f"{spread.minimum:g} and the longest {spread.maximum:g}."
    )
    chart = horizontal_bars(
        chart_id=f"chart-{key}",
        title=title,
        description=summary,
        bars=[BarInput(label, value, f"{value:g} weeks") for label, value in values],
        axis_label="Weeks",
    )
    table = Table(
        caption=title,
        headers=["Measure", "Weeks"],
        rows=[(label, [value]) for label, value in values],
    )
    return Figure(key, title, summary, definition, table, chart)


def sections(report: PerformanceReport) -> list[Section]:
    pre = report.pre_proceedings
    entered = grouped_columns(
        chart_id="chart-entered",
        title="Cases entering pre-proceedings, by month",
        description=(
            f"{_plural(pre.entered, 'case', 'cases')} entered pre-proceedings from "
            f"{report.start:%-d %B %Y} to {report.end:%-d %B %Y}."
        ),
        groups=[
            (m.month.strftime("%b"), m.month.strftime("%Y"), [m.count])
            for m in pre.entered_by_month
        ],
        series=[Series("Entered pre-proceedings", "app-chart__bar")],
    )
    entered_figure = Figure(
        "entered",
        "Cases entering pre-proceedings, by month",
        f"{_plural(pre.entered, 'case', 'cases')} entered pre-proceedings in the period.",
        [
            "Each decision of the legal gateway to enter pre-proceedings, counted in the "
            "month of the decision (the date of the gateway meeting).",
            "A case that goes back to the gateway and enters pre-proceedings again is "
            "counted again; an extension is not an entry.",
        ],
        Table(
            "Cases entering pre-proceedings, by month",
            ["Month", "Cases"],
            [(m.month.strftime("%B %Y"), [m.count]) for m in pre.entered_by_month],
        ),
        entered,
    )
    weeks_figure = _spread_figure(
        key="weeks-in-pre-proceedings",
        title="Weeks in pre-proceedings",
        what="cases",
        spread=pre.weeks,
        definition=[
            "For each case that left pre-proceedings in the period (stepped down, went "
            "back to the legal gateway, or closed), the weeks from the decision to enter "
            "pre-proceedings to the date it left.",
            "The median is the middle value; half of the cases lie between the lower and "
            "upper quartiles.",
        ],
    )
    outcome_rows = [
        ("Stepped down", pre.stepped_down),
        ("Issued", pre.issued),
        ("Other", pre.other),
    ]
    outcome_table: list[tuple[str, list[Value]]] = [(k, [v]) for k, v in outcome_rows]
    outcome_table += [
        ("Diverted from court", [pre.diverted]),
        ("Diverted from court (%)", [pre.diverted_percent]),
    ]
    outcomes_figure = Figure(
        "outcomes",
        "How pre-proceedings ended",
        (
            f"{_plural(pre.ended, 'case', 'cases')} left pre-proceedings; "
            f"{_share(pre.diverted_percent)} were diverted from court."
            if pre.ended
            else "No case left pre-proceedings in the period."
        ),
        [
            "Cases that left pre-proceedings in the period, by how: stepped down to a "
            "child protection or child in need plan (or closed to children's services); "
            "issued, when the case went back to the legal gateway and an application was "
            "issued; other: withdrawn, transferred out, or back at the gateway with no "
            "application yet.",
            "Diverted from court: stepped down, or back at the gateway which then kept "
            "the family on its plan; as a share of all the cases that left.",
        ],
        Table(
            "How pre-proceedings ended",
            ["Outcome", "Cases"],
            outcome_table,
        ),
        _bars(
            "chart-outcomes",
            "How pre-proceedings ended",
            "; ".join(f"{k}: {v}" for k, v in outcome_rows) + ".",
            "Cases that left pre-proceedings",
            outcome_rows,
        ),
    )

    letters = report.letters
    letter_rows = [
        (f"Within {letters.working_days} working days", letters.within),
        ("Later", letters.late),
        ("Not sent yet", letters.not_sent),
    ]
    letters_figure = Figure(
        "letters",
        "Letters before proceedings sent on time",
        f"{letters.within} of {letters.entered} letters ({_share(letters.within_percent)}) "
        f"were sent within {letters.working_days} working days.",
        [
            "Cases that entered pre-proceedings in the period: the first letter before "
            "proceedings sent on or after the decision, against the deadline "
            f"{letters.working_days} working days after the decision (bank holidays of "
            "England and Wales excluded, as for every deadline).",
            "Letters sent up to today count, so a recent month may still fill in.",
        ],
        _count_table("Letters before proceedings", "Letter", letter_rows),
        _bars(
            "chart-letters",
            "Letters before proceedings sent on time",
            "; ".join(f"{k}: {v}" for k, v in letter_rows) + ".",
            "Cases that entered pre-proceedings",
            letter_rows,
        ),
    )

    meetings = report.meetings
    meeting_rows = [
        (f"Within {meetings.working_days} working days", meetings.within),
        ("Held too soon", meetings.early),
        ("Later", meetings.late),
        ("Not held yet", meetings.not_held),
    ]
    meetings_figure = Figure(
        "initial-meetings",
        "Initial meetings within the timescale",
        f"{meetings.within} of {meetings.letters} initial meetings "
        f"({_share(meetings.within_percent)}) were held within the timescale.",
        [
            "Cases that entered pre-proceedings in the period and had a letter before "
            "proceedings: the first initial pre-proceedings meeting on or after the letter, "
            "against the deadlines' timescale: no later than "
            f"{meetings.working_days} working days after the letter, and not before "
            f"{meetings.notice_working_days} working days (the parents' notice to find a "
            "solicitor). Held too soon: before that notice had run.",
            "A meeting recorded as not going ahead as a pre-proceedings meeting does not count.",
        ],
        _count_table("Initial meetings", "Meeting", meeting_rows),
        _bars(
            "chart-initial-meetings",
            "Initial meetings within the timescale",
            "; ".join(f"{k}: {v}" for k, v in meeting_rows) + ".",
            "Cases with a letter before proceedings",
            meeting_rows,
        ),
    )

    fg = report.family_group
    fg_rows = [
        ("Offered", fg.offered),
        ("Accepted", fg.accepted),
        ("Declined", fg.declined),
        ("Held", fg.held),
    ]
    family_figure = Figure(
        "family-group",
        "Family group decision-making offered and held",
        f"Of {_plural(fg.entered, 'case', 'cases')} that entered pre-proceedings, "
        f"{fg.offered} were offered family group decision-making and {fg.held} held one.",
        [
            "Cases that entered pre-proceedings in the period with each family group "
            "decision-making event recorded on or after the decision (offered, accepted, "
            "declined, meeting held), each case counted once.",
        ],
        _count_table("Family group decision-making", "Step", [("Cases", fg.entered), *fg_rows]),
        _bars(
            "chart-family-group",
            "Family group decision-making offered and held",
            f"Of {fg.entered} cases: " + "; ".join(f"{k}: {v}" for k, v in fg_rows) + ".",
            "Cases that entered pre-proceedings",
            fg_rows,
        ),
    )

    sol = report.solicitors
    sol_rows = [
        ("With a solicitor", sol.with_solicitor),
        ("Without a solicitor", sol.without_solicitor),
        ("Not recorded", sol.not_recorded),
    ]
    solicitor_figure = Figure(
        "solicitors",
        "Parents with a solicitor at the initial meeting",
        f"At {_plural(sol.meetings, 'initial meeting', 'initial meetings')}, "
        f"{sol.with_solicitor} of {sol.parents} parents had a solicitor; "
        f"for {sol.not_recorded} it was not recorded.",
        [
            "The parents (mothers, fathers and anyone else with parental responsibility) "
            "on the cases counted under initial meetings above, at the first initial "
            "meeting that went ahead.",
            "Not recorded: the meeting was recorded without saying who had a solicitor "
            "(meetings recorded before the question was asked). The share with a "
            f"solicitor leaves these out: {_share(sol.with_percent)}.",
        ],
        _count_table("Parents at the initial meeting", "Parents", sol_rows),
        _bars(
            "chart-solicitors",
            "Parents with a solicitor at the initial meeting",
            "; ".join(f"{k}: {v}" for k, v in sol_rows) + ".",
            "Parents",
            sol_rows,
        ),
    )

    proc = report.proceedings
    to_order = _spread_figure(
        key="weeks-to-final-order",
        title="Weeks from issue to final order",
        what="proceedings",
        spread=proc.weeks,
        definition=[
            "Proceedings concluded with a final order in the period: the weeks from the "
            "issue of the application (Day 1) to the date the proceedings concluded.",
        ],
    )
    within_rows = [
        (f"Within {proc.limit_weeks} weeks", proc.within),
        (f"Longer than {proc.limit_weeks} weeks", proc.concluded - proc.within),
    ]
    within_figure = Figure(
        "within-26-weeks",
        f"Proceedings concluded within {proc.limit_weeks} weeks",
        f"{proc.within} of {proc.concluded} ({_share(proc.within_percent)}) concluded within "
        f"{proc.limit_weeks} weeks of issue; {proc.extended_cases} had the court timetable "
        "extended.",
        [
            f"The same proceedings: concluded no later than {proc.limit_weeks} weeks "
            "(182 days) after issue, the limit in section 32(1)(a) of the Children Act "
            "1989, and how many of them had the timetable extended (and how many "
            "extensions in all).",
        ],
        _count_table(
            "Proceedings concluded",
            "Proceedings",
            [
                *within_rows,
                ("With the timetable extended", proc.extended_cases),
                ("Timetable extensions on them", proc.extensions),
            ],
        ),
        _bars(
            "chart-within-26-weeks",
            f"Proceedings concluded within {proc.limit_weeks} weeks",
            "; ".join(f"{k}: {v}" for k, v in within_rows) + ".",
            "Proceedings concluded",
            within_rows,
        ),
    )
    extension_rows = [
        ("Pre-proceedings extended", proc.pre_proceedings_extensions),
        ("Court timetable extended", proc.timetable_extensions),
    ]
    extensions_figure = Figure(
        "extensions",
        "Extensions decided",
        f"{proc.pre_proceedings_extensions} pre-proceedings and {proc.timetable_extensions} "
        "court timetable extensions were decided in the period.",
        [
            "Every extension recorded with a decision date in the period, of pre-proceedings "
            "or of the court timetable, on any case in the report's scope.",
        ],
        _count_table("Extensions decided", "Extension", extension_rows),
        _bars(
            "chart-extensions",
            "Extensions decided",
            "; ".join(f"{k}: {v}" for k, v in extension_rows) + ".",
            "Extensions",
            extension_rows,
        ),
    )
    hearing = report.hearings
    reason_rows: list[tuple[str, list[Value]]] = [
        ("All reasons", [hearing.adjourned, hearing.vacated])
    ]
    for r in hearing.by_reason:
        reason_rows.append((f"{r.code}: {r.label}", [r.adjourned, r.vacated]))
    hearings_figure = Figure(
        "hearings",
        "Adjournments and vacated hearings, by reason",
        f"Of {hearing.hearings} hearings dated in the period, {hearing.adjourned} were "
        f"adjourned and {hearing.vacated} vacated.",
        [
            "Hearings dated in the period (London time) that were adjourned, or vacated "
            "(taken out of the list before they were heard), counted by HMCTS's reason "
            "code given (docs/court.md).",
        ],
        Table(
            caption="Adjourned and vacated hearings by reason",
            headers=["Reason", "Adjourned", "Vacated"],
            rows=reason_rows,
        ),
        _bars(
            "chart-hearings",
            "Adjourned and vacated hearings",
            f"Adjourned: {hearing.adjourned}; vacated: {hearing.vacated}.",
            "Hearings",
            [("Adjourned", hearing.adjourned), ("Vacated", hearing.vacated)],
        ),
    )

    ret = report.returning
    ret_rows = [
        ("Returning within 12 months", ret.returning),
        ("Not returning", ret.children - ret.returning),
    ]
    returning_figure = Figure(
        "returning",
        "Children returning within 12 months",
        f"{ret.returning} of {ret.children} children ({_share(ret.returning_percent)}) "
        "came back within 12 months of an earlier episode.",
        [
            "Children on cases that entered pre-proceedings in the period (or, with no "
            "pre-proceedings, whose application was issued in the period), and how many of "
            "them were on an earlier case of pre-proceedings or proceedings that closed in "
            "the 12 months before.",
            "The same child on two cases: the same LA child identifier when both have one; "
            "otherwise the same family, first name, last name and date of birth. A child "
            "with neither an identifier nor a date of birth cannot be matched.",
        ],
        _count_table("Children entering pre-proceedings or proceedings", "Children", ret_rows),
        _bars(
            "chart-returning",
            "Children returning within 12 months",
            "; ".join(f"{k}: {v}" for k, v in ret_rows) + ".",
            "Children",
            ret_rows,
        ),
    )
    return [
        Section(
            "Pre-proceedings",
            [entered_figure, weeks_figure, outcomes_figure],
        ),
        Section(
            "The first steps of pre-proceedings",
            [letters_figure, meetings_figure, family_figure, solicitor_figure],
        ),
        Section(
            "Care proceedings",
            [to_order, within_figure, extensions_figure, hearings_figure],
        ),
        Section("Children returning", [returning_figure]),
    ]


def figure_rows(report: PerformanceReport) -> list[list[Cell]]:
    """One row per number on the page, for the export: section, figure, row, column,
    value."""
    rows: list[list[Cell]] = []
    for section in sections(report):
        for figure in section.figures:
            if figure.table is None:
                rows.append([section.title, figure.title, "", "", "Not recorded yet"])
                continue
            for label, values in figure.table.rows:
                for header, value in zip(figure.table.headers[1:], values, strict=True):
                    # A share or a number of weeks as written on the page (1 decimal place).
                    cell = f"{value:g}" if isinstance(value, float) else value
                    rows.append([section.title, figure.title, label, header, cell])
    return rows
