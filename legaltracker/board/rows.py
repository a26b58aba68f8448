"""One row of the tracker board, as the HTML page, the JSON twin and the exports show it.

Built from a case that `selectors.board_rows` annotated: nothing here touches the
database, so the day counts and the deadline status are plain arithmetic on dates the
query already fetched.
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
    if not child.first_name and child.expected_date_of_birth and not child.date_of_birth:
        return f"Unborn baby {child.last_name}".strip()
    return f"{child.first_name} {child.last_name}".strip()


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
    extensions: int
    urgent: bool
    unborn_baby: bool

    @classmethod
    def from_case(cls, case: Any, today: Today) -> BoardRow:
        day = today.today
        next_deadline = None
        if case.next_due is not None:
            status = deadline_status(
                due=case.next_due,
                met_on=None,
                applies=True,
                today=day,
                due_soon_until=today.due_soon_until,
            )
            next_deadline = NextDeadline(case.next_milestone, case.next_due, str(status))
        clock_weeks = _days(case.clock_started_on, day)
        clock_weeks = None if clock_weeks is None else clock_weeks // 7
        worker = case.social_worker
        return cls(
            id=case.pk,
            reference=case.reference or f"Case {case.pk}",
            children=tuple(
                ChildCell(c.pk, _child_name(c), c.date_of_birth, c.expected_date_of_birth)
                for c in case.children.all()
            ),
            team_code=case.team.code,
            team_name=case.team.name,
            social_worker_id=worker.pk,
            social_worker_name=worker.get_full_name() or worker.username,
            stage=case.stage,
            stage_entered_on=case.stage_entered_on,
            days_in_stage=(day - case.stage_entered_on).days,
            weeks_in_pre_proceedings=clock_weeks if case.stage == Stage.PRE_PROCEEDINGS else None,
            weeks_since_issue=clock_weeks if case.stage == Stage.PROCEEDINGS else None,
            next_deadline=next_deadline,
            rag=case.rag,
            last_oversight_on=case.last_oversight_on,
            days_since_oversight=_days(case.last_oversight_on, day),
            last_assessment_on=case.last_assessment_on,
            assessment_stale=bool(case.assessment_stale),
            extensions=case.extension_count,
            urgent=case.urgent,
            unborn_baby=case.unborn_baby,
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
            "extensions": self.extensions,
            "urgent": self.urgent,
            "unborn_baby": self.unborn_baby,
        }
