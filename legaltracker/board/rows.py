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
        }
