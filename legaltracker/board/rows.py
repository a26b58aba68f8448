"""One row of the tracker board, as the HTML page, the JSON twin and the exports show it.

Built from a case that `selectors.board_rows` annotated, or from the same columns as
plain values (`selectors.board_page`): nothing here touches the database, so the day
counts and the deadline status are plain arithmetic on dates the query already fetched.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from legaltracker.cases.choices import Stage
from legaltracker.court.choices import LONDON, HearingKind
from legaltracker.court.timescales import AT_RISK_DAYS
from legaltracker.deadlines.choices import DeadlineStatus, Milestone, Rag
from legaltracker.deadlines.rules import deadline_status
from legaltracker.deadlines.selectors import Today


@dataclass(frozen=True)
class ChildCell:
    id: int
    name: str
    date_of_birth: dt.date | None
    expected_date_of_birth: dt.date | None


@dataclass(frozen=True)
class NextDeadline:
    milestone: str
    due: dt.date
    status: str

    @property
    def milestone_label(self) -> str:
        return Milestone(self.milestone).label

    @property
    def status_label(self) -> str:
        return DeadlineStatus(self.status).label


@dataclass(frozen=True)
class NextHearing:
    """The earliest listed hearing of the case from now on."""

    kind: str
    starts_at: dt.datetime  # aware; shown in Europe/London
    time_estimate_minutes: int
    court_centre: str

    @property
    def kind_label(self) -> str:
        return HearingKind(self.kind).label

    @property
    def local(self) -> dt.datetime:
        return self.starts_at.astimezone(LONDON)

    @property
    def day(self) -> dt.date:
        return self.local.date()

    @property
    def time(self) -> str:
        return f"{self.local:%H:%M}"


def moment(value: Any) -> dt.datetime | None:
    """An aware datetime from a database value (SQLite returns a written-out query's
    timestamps as UTC text)."""
    if value is None:
        return None
    if isinstance(value, str):
        value = dt.datetime.fromisoformat(value)
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    return value


def at_risk_reasons(
    *,
    stage: str,
    issued_on: dt.date | None,
    first_live: dict[str, dt.datetime | None],
    today: dt.date,
) -> list[str]:
    """HMCTS's "at risk" test in words (as `court.selectors.at_risk`), from the start of
    the first listed or held hearing of each milestone kind (`AT_RISK_DAYS`'s keys).
    `board.selectors.at_risk_condition` is the same test in SQL."""
    if issued_on is None:
        return []
    reasons = []
    for kind, limit in AT_RISK_DAYS.items():
        first = first_live.get(kind)
        label = HearingKind(kind).label
        if first is not None:
            day = first.astimezone(LONDON).date()
            days = (day - issued_on).days
            if days > limit:
                reasons.append(
                    f"{label} on {day:%d %B %Y} is {days} days after issue (more than {limit})."
                )
        elif (today - issued_on).days > limit and stage == Stage.PROCEEDINGS:
            reasons.append(f"No {label.lower()} listed, and {limit} days have passed since issue.")
    return reasons


def _days(since: dt.date | None, today: dt.date) -> int | None:
    return None if since is None else (today - since).days


def _child_name(child: Any) -> str:
    return child_name(
        child.first_name, child.last_name, child.date_of_birth, child.expected_date_of_birth
    )


def child_name(
    first_name: str,
    last_name: str,
    date_of_birth: dt.date | None,
    expected_date_of_birth: dt.date | None,
) -> str:
    if not first_name and expected_date_of_birth and not date_of_birth:
        return f"Unborn baby {last_name}".strip()
    return f"{first_name} {last_name}".strip()


# The court columns, as `selectors` reads them (by these names) for `BoardRow.from_values`:
# the next hearing's kind, start, estimate and court; the proceedings' court and judge; the
# council directions overdue; and the start of the first live hearing of each milestone
# kind, for the "at risk" test.
COURT_VALUES = (
    "next_hearing_kind",
    "next_hearing_at",
    "next_hearing_minutes",
    "next_hearing_court",
    "court_centre_name",
    "judge_name",
    "directions_overdue",
    *(f"first_{kind}" for kind in AT_RISK_DAYS),
)


@dataclass(frozen=True)
class BoardRow:
    id: int
    reference: str
    children: tuple[ChildCell, ...]
    team_code: str
    team_name: str
    social_worker_id: int
    social_worker_name: str
    stage: str
    stage_entered_on: dt.date
    days_in_stage: int
    weeks_in_pre_proceedings: int | None
    weeks_since_issue: int | None
    next_deadline: NextDeadline | None
    rag: str
    last_oversight_on: dt.date | None
    days_since_oversight: int | None
    last_assessment_on: dt.date | None
    assessment_stale: bool
    held_early: bool  # a meeting or hearing of the case held before its not-before date
    extensions: int
    urgent: bool
    unborn_baby: bool
    next_hearing: NextHearing | None = None
    court_centre: str = ""  # the proceedings' court
    judge_name: str = ""
    at_risk_reasons: tuple[str, ...] = ()
    directions_overdue: int = 0

    @property
    def at_risk(self) -> bool:
        return bool(self.at_risk_reasons)

    @classmethod
    def from_case(cls, case: Any, today: Today) -> BoardRow:
        worker = case.social_worker
        values = {
            name: getattr(case, name)
            for name in (
                "reference",
                "stage",
                "stage_entered_on",
                "urgent",
                "unborn_baby",
                "next_milestone",
                "next_due",
                "clock_started_on",
                "rag",
                "last_oversight_on",
                "last_assessment_on",
                "assessment_stale",
                "held_early",
                "extension_count",
                "issued_on",
                *COURT_VALUES,
            )
        }
        values.update(
            id=case.pk,
            team__code=case.team.code,
            team__name=case.team.name,
            social_worker_id=worker.pk,
            social_worker__first_name=worker.first_name,
            social_worker__last_name=worker.last_name,
            social_worker__username=worker.username,
        )
        children = [
            ChildCell(c.pk, _child_name(c), c.date_of_birth, c.expected_date_of_birth)
            for c in case.children.all()
        ]
        return cls.from_values(values, children, today)

    @classmethod
    def from_values(cls, case: dict[str, Any], children: list[ChildCell], today: Today) -> BoardRow:
        """From one row of `selectors.ROW_VALUES` (a dict) and the case's children."""
        day = today.today
        next_hearing = None
        hearing_at = moment(case["next_hearing_at"])
        if hearing_at is not None:
            next_hearing = NextHearing(
                kind=case["next_hearing_kind"],
                starts_at=hearing_at,
                time_estimate_minutes=case["next_hearing_minutes"] or 0,
                court_centre=case["next_hearing_court"] or "",
            )
        reasons = at_risk_reasons(
            stage=case["stage"],
            issued_on=case["issued_on"],
            first_live={kind: moment(case[f"first_{kind}"]) for kind in AT_RISK_DAYS},
            today=day,
        )
        next_deadline = None
        next_due = case["next_due"]
        if next_due is not None:
            status = deadline_status(
                due=next_due,
                met_on=None,
                applies=True,
                today=day,
                due_soon_until=today.due_soon_until,
            )
            next_deadline = NextDeadline(case["next_milestone"], next_due, str(status))
        clock_weeks = _days(case["clock_started_on"], day)
        clock_weeks = None if clock_weeks is None else clock_weeks // 7
        stage = case["stage"]
        # As User.get_full_name, then the username.
        worker_name = " ".join(
            (case["social_worker__first_name"], case["social_worker__last_name"])
        ).strip()
        return cls(
            id=case["id"],
            reference=case["reference"] or f"Case {case['id']}",
            children=tuple(children),
            team_code=case["team__code"],
            team_name=case["team__name"],
            social_worker_id=case["social_worker_id"],
            social_worker_name=worker_name or case["social_worker__username"],
            stage=stage,
            stage_entered_on=case["stage_entered_on"],
            days_in_stage=(day - case["stage_entered_on"]).days,
            weeks_in_pre_proceedings=clock_weeks if stage == Stage.PRE_PROCEEDINGS else None,
            weeks_since_issue=clock_weeks if stage == Stage.PROCEEDINGS else None,
            next_deadline=next_deadline,
            rag=case["rag"],
            last_oversight_on=case["last_oversight_on"],
            days_since_oversight=_days(case["last_oversight_on"], day),
            last_assessment_on=case["last_assessment_on"],
            assessment_stale=bool(case["assessment_stale"]),
            held_early=bool(case["held_early"]),
            extensions=case["extension_count"],
            urgent=case["urgent"],
            unborn_baby=case["unborn_baby"],
            next_hearing=next_hearing,
            court_centre=case["court_centre_name"] or "",
            judge_name=case["judge_name"] or "",
            at_risk_reasons=tuple(reasons),
            directions_overdue=case["directions_overdue"] or 0,
        )

    @property
    def stage_label(self) -> str:
        return Stage(self.stage).label

    @property
    def rag_label(self) -> str:
        return Rag(self.rag).label

    @property
    def weeks_in_stage(self) -> int:
        return self.days_in_stage // 7

    @property
    def children_names(self) -> str:
        return ", ".join(child.name for child in self.children)

    def _next_hearing_json(self) -> dict[str, Any] | None:
        hearing = self.next_hearing
        if hearing is None:
            return None
        return {
            "kind": hearing.kind,
            "starts_at": hearing.local.isoformat(),
            "date": hearing.day.isoformat(),
            "time": hearing.time,
            "time_estimate_minutes": hearing.time_estimate_minutes,
            "court_centre": hearing.court_centre or None,
        }

    def as_json(self) -> dict[str, Any]:
        """The row as `GET /api/v1/board/` returns it (see api.BoardRowSerializer)."""
        deadline = self.next_deadline
        return {
            "id": self.id,
            "reference": self.reference,
            "children": [
                {
                    "id": c.id,
                    "name": c.name,
                    "date_of_birth": c.date_of_birth.isoformat() if c.date_of_birth else None,
                    "expected_date_of_birth": (
                        c.expected_date_of_birth.isoformat() if c.expected_date_of_birth else None
                    ),
                }
                for c in self.children
            ],
            "team": {"code": self.team_code, "name": self.team_name},
            "social_worker": {"id": self.social_worker_id, "name": self.social_worker_name},
            "stage": self.stage,
            "stage_entered_on": self.stage_entered_on.isoformat(),
            "days_in_stage": self.days_in_stage,
            "weeks_in_stage": self.weeks_in_stage,
            "weeks_in_pre_proceedings": self.weeks_in_pre_proceedings,
            "weeks_since_issue": self.weeks_since_issue,
            "next_deadline": (
                {
                    "milestone": deadline.milestone,
                    "due": deadline.due.isoformat(),
                    "status": deadline.status,
                }
                if deadline
                else None
            ),
            "rag": self.rag,
            "last_management_oversight_on": (
                self.last_oversight_on.isoformat() if self.last_oversight_on else None
            ),
            "days_since_management_oversight": self.days_since_oversight,
            "assessment": {
                "last_completed_on": (
                    self.last_assessment_on.isoformat() if self.last_assessment_on else None
                ),
                "stale": self.assessment_stale,
            },
            "held_too_early": self.held_early,
            "extensions": self.extensions,
            "urgent": self.urgent,
            "unborn_baby": self.unborn_baby,
            "next_hearing": self._next_hearing_json(),
            "court_centre": self.court_centre or None,
            "judge_name": self.judge_name or None,
            "at_risk": self.at_risk,
            "at_risk_reasons": list(self.at_risk_reasons),
            "directions_overdue": self.directions_overdue,
        }
