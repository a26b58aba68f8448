"""The demo's court record, kept through the court services as a lawyer and a court
liaison officer would keep it (docs/court.md): each hearing of a demo case is a hearing
record (listed, then held with its orders), and a case in proceedings gets the rest of
its record: the court and judge, the guardian and the solicitors, who represents each
adult, a hearing adjourned and re-listed, one vacated, the directions of its case
management order (some filed, some overdue, some due in the next days, owned by the
demo social workers and the demo lawyer) and its experts, one of them a repeat of a
pre-proceedings assessment.

Every name here is invented; "ZZ" court references, example.org addresses and 01632
(Ofcom's drama range) telephone numbers are visibly not real.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from legaltracker.accounts.models import Role
from legaltracker.cases.choices import Stage
from legaltracker.cases.models import Case
from legaltracker.court import services as court
from legaltracker.court.choices import HearingKind, HearingStatus, OrderMade
from legaltracker.court.models import CourtCentre, Hearing
from legaltracker.court.selectors import hearing_day

# The demo's hearing types (cases.py) as the court record's hearing kinds. The
# advocates' meeting is not a hearing: it stays a recorded event.
HEARING_KINDS = {
    "case_management_hearing": HearingKind.CASE_MANAGEMENT,
    "issues_resolution_hearing": HearingKind.ISSUES_RESOLUTION,
    "final_hearing": HearingKind.FINAL,
    "interim_hearing": HearingKind.INTERIM_CARE_ORDER,
}
ORDERS: dict[str, list[str]] = {
    HearingKind.INTERIM_CARE_ORDER: [OrderMade.INTERIM_CARE_ORDER],
    HearingKind.CASE_MANAGEMENT: [OrderMade.INTERIM_CARE_ORDER],
    HearingKind.FURTHER_CASE_MANAGEMENT: [OrderMade.DIRECTIONS_ONLY],
    HearingKind.FACT_FINDING: [OrderMade.DIRECTIONS_ONLY],
}
TIMES = ("10:00", "10:30", "11:00", "14:00", "14:30")
JUDGES = (
    ("district_judge", "District Judge Pemberton-Oakes"),
    ("circuit_judge", "Her Honour Judge Castellane"),
    ("district_judge", "District Judge Mirrlees"),
    ("circuit_judge", "His Honour Judge Ashworth-Lyle"),
)
GUARDIANS = ("Farida Okonkwo-Hale", "Tobias Wrenfield", "Marguerite Salloway")
FIRMS = (
    ("Brindlecombe & Co", "Harriet Voss"),
    ("Oakhurst Family Law", "Dev Ramanathan"),
    ("Tamsin Quarrie Solicitors", "Tamsin Quarrie"),
    ("Pellworth Legal", "Callum Ferrier"),
)


class CourtWalk:
    """The court side of one demo case, as its walk reaches each step and once it ends."""

    def __init__(self, walk: Any):
        self.walk = walk
        self.number = walk.number
        self.lawyer = walk.staff.cross_team[Role.LEGAL]
        self.officer = walk.staff.cross_team[Role.COURT_LIAISON_OFFICER]
        centres = list(CourtCentre.objects.filter(active=True).order_by("name"))
        self.centre = centres[(self.number * 7) % len(centres)] if centres else None

    # --- hearings, as the walk meets them ----------------------------------------------

    def _hearing_data(self, kind: str, day: dt.date, **extra: Any) -> dict[str, Any]:
        data: dict[str, Any] = {
            "kind": kind,
            "date": day.isoformat(),
            "time": TIMES[(self.number + day.day) % len(TIMES)],
            "time_estimate_minutes": 120 if kind == HearingKind.FINAL else 60,
            "mode": "hybrid" if self.number % 3 == 0 else "in_person",
            "courtroom": str(1 + self.number % 6),
            **extra,
        }
        if self.centre is not None:
            data["court_centre"] = self.centre.code
        return data

    def list(self, case: Case, kind: str, day: dt.date, listed_on: dt.date) -> Hearing:
        return court.hearing_list(
            case_id=case.pk,
            actor=self.officer,
            data=self._hearing_data(kind, day, listed_on=listed_on.isoformat()),
        )

    def hold(self, hearing: Hearing) -> Hearing:
        return court.hearing_hold(
            hearing_id=hearing.pk,
            actor=self.officer,
            data={
                "orders_made": ORDERS.get(hearing.kind, [OrderMade.DIRECTIONS_ONLY.value]),
                "draft_order_by": "council",
            },
        )

    def step(self, case: Case, action: str, hearing_type: str, data: dict[str, Any]) -> None:
        """A demo step that lists or holds a hearing, kept as a hearing record."""
        kind = HEARING_KINDS[hearing_type]
        day = dt.date.fromisoformat(data["date"])
        if action == "hearing_listed":
            self.list(case, kind, dt.date.fromisoformat(data["hearing_date"]), day)
            return
        listed = (
            Hearing.objects.filter(case=case, kind=kind, status=HearingStatus.LISTED)
            .order_by("starts_at")
            .first()
        )
        if listed is None or hearing_day(listed) != day:
            # Held without a listing in the demo's steps: listed two weeks before.
            earliest = case.issued_on or day
            listed = self.list(case, kind, day, max(day - dt.timedelta(days=14), earliest))
        self.hold(listed)

    # --- the rest of a case in proceedings ---------------------------------------------

    def finish(self, case: Case) -> None:
        """Once the walk has ended: the draft orders sent (all but a recent one), and for
        a case still in proceedings, the rest of its record."""
        case = Case.objects.get(pk=case.pk)
        self._draft_orders_sent(case)
        if case.stage != Stage.PROCEEDINGS or case.issued_on is None:
            return
        self._allocate(case)
        self._proceedings(case)
        self._representation(case)
        self._more_hearings(case)
        self._directions(case)
        self._experts(case)

    def _day(self, ago: int) -> dt.date:
        return self.walk.day(ago)

    def _ahead(self, working_days: int) -> dt.date:
        return self.walk.calendar.add_working_days(self.walk.today, working_days)

    def _draft_orders_sent(self, case: Case) -> None:
        held = list(Hearing.objects.filter(case=case, status=HearingStatus.HELD).order_by("number"))
        # The most recent draft order of an open case is still to send on one case in two
        # (overdue once its two working days have passed).
        keep = held[-1:] if case.stage == Stage.PROCEEDINGS and self.number % 2 else []
        for hearing in held:
            if hearing in keep:
                continue
            assert hearing.draft_order_due is not None
            sent = min(hearing.draft_order_due, self.walk.today)
            court.draft_order_sent(
                hearing_id=hearing.pk, actor=self.lawyer, data={"sent_on": sent.isoformat()}
            )

    def _allocate(self, case: Case) -> None:
        if case.allocated_lawyer_id == self.lawyer.pk:
            return
        from legaltracker.cases import services as case_services

        case_services.case_allocate_lawyer(
            case_id=case.pk,
            actor=self.lawyer,
            data={"allocated_lawyer": self.lawyer.pk, "reason": "Allocated on issue."},
        )

    def _proceedings(self, case: Case) -> None:
        level, judge = JUDGES[self.number % len(JUDGES)]
        firm, solicitor = FIRMS[(self.number + 1) % len(FIRMS)]
        court.proceedings_update(
            case_id=case.pk,
            actor=self.lawyer,
            data={
                "court_centre": self.centre.code if self.centre else "",
                "case_number": case.court_reference or "",
                "judge_level": level,
                "judge_name": judge,
                "guardian_service": "cafcass",
                "guardian_name": GUARDIANS[self.number % len(GUARDIANS)],
                "children_solicitor_firm": firm,
                "children_solicitor_name": solicitor,
                "children_solicitor_phone": f"01632 960{self.number % 1000:03d}",
                "children_solicitor_email": f"children.{self.number}@example.org",
                "advocate_kind": "in_house",
                "advocate_name": self.lawyer.display_name,
                "orders_sought": ["care_order", "interim_care_order"],
                # One family in five has an international element.
                "international_element": "yes" if self.number % 5 == 0 else "no",
                "international_details": "A parent's family lives in Ireland."
                if self.number % 5 == 0
                else "",
            },
        )

    def _representation(self, case: Case) -> None:
        for index, adult in enumerate(case.adults.order_by("pk")):
            # One adult in three is not represented (yet): the court asks about them.
            if (self.number + index) % 3 == 2:
                data: dict[str, Any] = {"represented": False}
            else:
                firm, solicitor = FIRMS[(self.number + index + 2) % len(FIRMS)]
                data = {
                    "represented": True,
                    "firm": firm,
                    "solicitor_name": solicitor,
                    "phone": f"01632 961{(self.number * 10 + index) % 1000:03d}",
                    "email": f"party.{self.number}.{index}@example.org",
                }
            court.representation_update(
                case_id=case.pk, adult_id=adult.pk, actor=self.lawyer, data=data
            )

    def _more_hearings(self, case: Case) -> None:
        """A hearing adjourned and re-listed (held since) and one vacated, on the cases
        old enough to have them; a further hearing in the next working days on some, so
        the court diary and the court digest have something to show."""
        assert case.issued_on is not None
        issued_ago = self.walk.calendar.working_days_between(case.issued_on, self.walk.today)
        if issued_ago >= 60:
            first = self.list(
                case,
                HearingKind.FACT_FINDING,
                self._day(issued_ago - 30),
                self._day(issued_ago - 20),
            )
            court.hearing_adjourn(
                hearing_id=first.pk,
                actor=self.officer,
                data={
                    "reason_code": "EX1",
                    "reason_text": "The psychologist's report was not filed in time.",
                    "relist": self._hearing_data(
                        HearingKind.FACT_FINDING, self._day(issued_ago - 40)
                    ),
                },
            )
            first.refresh_from_db()
            assert first.relisted_as is not None
            held = self.hold(first.relisted_as)
            assert held.draft_order_due is not None
            court.draft_order_sent(
                hearing_id=held.pk,
                actor=self.lawyer,
                data={"sent_on": held.draft_order_due.isoformat()},
            )
        if issued_ago >= 20:
            vacated = self.list(case, HearingKind.DIRECTIONS, self._ahead(8), self._day(5))
            court.hearing_vacate(
                hearing_id=vacated.pk,
                actor=self.officer,
                data={"reason_code": "JU3", "reason_text": "No judge available on that day."},
            )
        if self.number % 2 == 0:
            self.list(case, HearingKind.FURTHER_CASE_MANAGEMENT, self._ahead(1), self._day(3))

    def _directions(self, case: Case) -> None:
        """The case management order's directions: made at the case management hearing
        (or at issue), some filed, some overdue, some due in the next days."""
        assert case.issued_on is not None
        cmh = (
            Hearing.objects.filter(
                case=case, kind=HearingKind.CASE_MANAGEMENT, status=HearingStatus.HELD
            )
            .order_by("starts_at")
            .first()
        )
        made = hearing_day(cmh) if cmh else case.issued_on
        worker = case.social_worker
        calendar, today = self.walk.calendar, self.walk.today
        plan = [
            # (text, party, owner, working days after it was made, filed on time?)
            ("File and serve an updated chronology", "council", self.lawyer, 5, True),
            (
                "File and serve the social work evidence and care plan",
                "council",
                worker,
                15,
                self.number % 3 != 0,
            ),
            ("File the parents' responses to the threshold", "parent", None, 10, True),
            ("Disclose the police records to all parties", "council", self.lawyer, 8, False),
            ("File the guardian's initial analysis", "guardian", None, 20, True),
            ("File the final evidence and care plan", "council", worker, 45, True),
        ]
        for text, party, owner, after, on_time in plan:
            due = calendar.add_working_days(made, after)
            if due <= made:
                continue
            data: dict[str, Any] = {
                "text": text,
                "party": party,
                "made_on": made.isoformat(),
                "due_on": due.isoformat(),
            }
            if cmh is not None:
                data["hearing"] = cmh.pk
            if owner is not None:
                data["owner"] = owner.pk
            if party == "parent":
                data["party_name"] = "Both parents"
            direction = court.direction_add(case_id=case.pk, actor=self.lawyer, data=data)
            # Done when due, if the plan says so and the date has passed; the rest are
            # outstanding: overdue if their date has passed, due soon or later if not.
            if due < today and on_time:
                court.direction_update(
                    direction_id=direction.pk,
                    actor=self.lawyer,
                    data={
                        "status": "filed",
                        "filed_on": calendar.add_working_days(due, -1).isoformat(),
                    },
                )
        # One due on the next working day, owned by the social worker: the court digest's.
        if self.number % 2:
            court.direction_add(
                case_id=case.pk,
                actor=self.lawyer,
                data={
                    "text": "File a statement on the contact arrangements",
                    "party": "council",
                    "made_on": max(made, self._day(10)).isoformat(),
                    "due_on": self._ahead(1).isoformat(),
                    "owner": worker.pk,
                },
            )

    def _experts(self, case: Case) -> None:
        """A psychological assessment on every case in proceedings; on one case in three,
        a parenting assessment that repeats the one done before proceedings."""
        assert case.issued_on is not None
        calendar = self.walk.calendar
        applied = calendar.add_working_days(case.issued_on, 1)
        if applied > self.walk.today:
            return
        granted = min(calendar.add_working_days(applied, 10), self.walk.today)
        court.expert_add(
            case_id=case.pk,
            actor=self.lawyer,
            data={
                "assessment_type": "psychological",
                "expert": "Dr Ottoline Brackwater, consultant clinical psychologist",
                "done_in_pre_proceedings": False,
                "applied_on": applied.isoformat(),
                "granted_on": granted.isoformat(),
                "instructed_on": granted.isoformat(),
                "report_due_on": calendar.add_working_days(granted, 40).isoformat(),
            },
        )
        if self.number % 3 == 0:
            court.expert_add(
                case_id=case.pk,
                actor=self.lawyer,
                data={
                    "assessment_type": "parenting",
                    "expert": "Wrenfield Independent Social Work",
                    "done_in_pre_proceedings": True,
                    "applied_on": applied.isoformat(),
                },
            )
