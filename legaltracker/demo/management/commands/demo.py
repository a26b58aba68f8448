"""Build invented demo data: teams, a user in every role and about forty cases.

Cases are built only through the case services (create, transition, record event), one
transaction per case, with dates counted back from today, so the audit trail and the
deadlines are what real use would have produced. Running it again adds only what is
missing: a case is recognised by its team and its children's names.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from legaltracker.accounts.models import Role, Team
from legaltracker.accounts.services import user_sync_role_access
from legaltracker.calendars.services import get_calendar
from legaltracker.cases import services
from legaltracker.cases.choices import GATEWAY_DECISIONS, ExtensionKind, Stage, Transition
from legaltracker.cases.models import Case
from legaltracker.cases.transitions import TRANSITIONS, current_end
from legaltracker.core import clock
from legaltracker.core.errors import DomainError
from legaltracker.demo.cases import (
    CASES,
    CIN_REFERRAL_DAYS_BEFORE_OPENING,
    TEAMS,
    USERS,
    Ago,
    Ahead,
    DemoCase,
    ExtendBy,
    Parents,
    Step,
    child_identifiers,
)
from legaltracker.demo.court import HEARING_KINDS, CourtWalk

URL = "http://127.0.0.1:8000/"
# One invented passphrase for every demo user; long enough for the password validators.
DEMO_PASSWORD = "kestrel-lantern-harbour-demo"

SW, TM = Role.SOCIAL_WORKER, Role.TEAM_MANAGER
USUAL_ACTOR = {
    Transition.REFER_TO_GATEWAY: SW,
    Transition.GATEWAY_CONTINUE_PLAN: Role.HEAD_OF_SERVICE,
    Transition.GATEWAY_ENTER_PRE_PROCEEDINGS: Role.HEAD_OF_SERVICE,
    Transition.GATEWAY_ISSUE: Role.LEGAL,
    Transition.EXTEND_PRE_PROCEEDINGS: Role.HEAD_OF_SERVICE,
    Transition.STEP_DOWN: TM,
    Transition.ESCALATE_TO_GATEWAY: TM,
    Transition.ISSUE_PROCEEDINGS: Role.LEGAL,
    Transition.EXTEND_TIMETABLE: Role.LEGAL,
    Transition.CONCLUDE_PROCEEDINGS: Role.LEGAL,
    Transition.CLOSE: Role.HEAD_OF_SERVICE,
    "letter_before_proceedings_sent": Role.LEGAL,
    "letter_of_issue_sent": Role.LEGAL,
    "document_ready": Role.LEGAL,
    "parties_served": Role.LEGAL,
    "hearing_listed": Role.COURT_LIAISON_OFFICER,
    "hearing_held": Role.COURT_LIAISON_OFFICER,
    "management_oversight": TM,
}
CLOSING = {
    Transition.GATEWAY_CONTINUE_PLAN,
    Transition.STEP_DOWN,
    Transition.CONCLUDE_PROCEEDINGS,
    Transition.CLOSE,
}
OVERSIGHT_EVERY = 15  # working days; the policy asks for one every 20
OVERSIGHT_NOTE = "Case discussed in supervision; plan, risks and timescales reviewed."


def case_identity(team_code: str, child_names: list[str]) -> tuple[str, frozenset[str]]:
    """How a second run recognises a demo case it already built."""
    return team_code, frozenset(name.strip() for name in child_names)


def spec_identity(spec: DemoCase) -> tuple[str, frozenset[str]]:
    return case_identity(spec.team, [c.full_name for c in spec.children])


class Staff:
    """The demo users by role, and by team for the team roles."""

    def __init__(self, users: dict[str, Any]):
        self.by_username = users
        self.social_workers: dict[str, list[Any]] = {}
        self.managers: dict[str, Any] = {}
        self.cross_team: dict[str, Any] = {}
        for spec in USERS:
            user = users[spec.username]
            if spec.role == SW:
                self.social_workers.setdefault(spec.team or "", []).append(user)
            elif spec.role == TM:
                self.managers[spec.team or ""] = user
            else:
                self.cross_team.setdefault(spec.role, user)

    def acting(self, role: str, spec: DemoCase) -> Any:
        if role == SW:
            return self.social_workers[spec.team][spec.worker]
        if role == TM:
            return self.managers[spec.team]
        return self.cross_team[role]


class CaseWalk:
    """Walks one demo case through the services, step by step in date order."""

    def __init__(
        self,
        spec: DemoCase,
        number: int,
        staff: Staff,
        today: dt.date,
        calendar: Any,
        previous_id: int | None,
    ):
        self.spec, self.number, self.staff = spec, number, staff
        self.today, self.calendar, self.previous_id = today, calendar, previous_id
        self.court = CourtWalk(self)

    def day(self, ago: int) -> dt.date:
        """`ago` working days before today; 0 is today, or the last working day when
        the demo runs on a weekend or a bank holiday."""
        if ago == 0:
            return self.calendar.previous_working_day(self.today)
        return self.calendar.add_working_days(self.today, -ago)

    def schedule(self) -> list[Step]:
        """The spec's steps plus regular management oversight, earliest first."""
        spec = self.spec
        timed = [(step.ago, 0, n, step) for n, step in enumerate(spec.steps)]
        if spec.oversight_until is not None:
            closed_at = [s.ago for s in spec.steps if s.action in CLOSING]
            # Oversight stops before the case closes: nothing is recorded on a closed case.
            last = max([spec.oversight_until, *[ago + 1 for ago in closed_at]])
            ago = spec.opened - OVERSIGHT_EVERY
            while ago >= last:
                oversight = Step(ago, "management_oversight", {"summary": OVERSIGHT_NOTE})
                timed.append((ago, 1, len(timed), oversight))
                ago -= OVERSIGHT_EVERY
        timed.sort(key=lambda item: (-item[0], item[1], item[2]))
        return [item[3] for item in timed]

    def build(self) -> Case:
        spec = self.spec
        social_worker = self.staff.acting(SW, spec)
        data: dict[str, Any] = {
            "team": spec.team,
            "social_worker": social_worker.username,
            "opened_on": self.day(spec.opened).isoformat(),
            "unborn_baby": spec.unborn_baby,
            "children": [self._child(c, n) for n, c in enumerate(spec.children)],
            "adults": spec.adults,
        }
        if self.previous_id is not None:
            data["previous_case"] = self.previous_id
        case = services.case_create(actor=social_worker, data=data)
        for step in self.schedule():
            self._apply(case, step)
        self.court.finish(case)
        return Case.objects.get(pk=case.pk)

    def _child(self, child: Any, index: int) -> dict[str, Any]:
        values: dict[str, Any] = {"first_name": child.first_name, "last_name": child.last_name}
        values.update(child_identifiers(self.number, index, child))
        if child.age_days is not None:
            born = self.today - dt.timedelta(days=child.age_days)
            values["date_of_birth"] = born.isoformat()
            referred = self.day(self.spec.opened) - dt.timedelta(
                days=CIN_REFERRAL_DAYS_BEFORE_OPENING
            )
            if referred > born:
                values["cin_referral_date"] = referred.isoformat()
        if child.expected_in_days is not None:
            expected = self.today + dt.timedelta(days=child.expected_in_days)
            values["expected_date_of_birth"] = expected.isoformat()
        return values

    def _value(self, case: Case, action: str, value: Any) -> Any:
        if isinstance(value, Ago):
            return self.day(value.working_days).isoformat()
        if isinstance(value, Ahead):
            return self.calendar.add_working_days(self.today, value.working_days).isoformat()
        if isinstance(value, Parents):
            parents = [a for a in case.adults.all() if a.parental_responsibility]
            if value.which == "mother":
                parents = [a for a in parents if a.relationship == "mother"]
            return [a.pk for a in parents] if value.which != "none" else []
        if isinstance(value, ExtendBy):
            kind = (
                ExtensionKind.PRE_PROCEEDINGS
                if action == Transition.EXTEND_PRE_PROCEEDINGS
                else ExtensionKind.TIMETABLE
            )
            end = current_end(case, kind)
            if end is None:
                return None  # the service then says why nothing can be extended
            return (end + dt.timedelta(weeks=value.weeks)).isoformat()
        return value

    def _apply(self, case: Case, step: Step) -> None:
        spec, day = self.spec, self.day(step.ago)
        actor = self.staff.acting(step.actor or USUAL_ACTOR.get(step.action, SW), spec)
        data = {key: self._value(case, step.action, value) for key, value in step.data.items()}
        data["date"] = day.isoformat()
        if step.action in ("hearing_listed", "hearing_held") and (
            data.get("hearing_type") in HEARING_KINDS
        ):
            # A court hearing is a hearing record (legaltracker.court), not an event.
            self.court.step(case, step.action, data["hearing_type"], data)
            return
        if step.action not in TRANSITIONS:
            services.event_record(case_id=case.pk, actor=actor, data={"kind": step.action, **data})
            return
        if step.action in GATEWAY_DECISIONS:
            data.setdefault("attendees", self._attendees())
        if step.action in (Transition.EXTEND_PRE_PROCEEDINGS, Transition.EXTEND_TIMETABLE):
            # The approval recorded is the recorder's own (docs/domain/roles.md).
            data.setdefault("approved_by", actor.username)
        if step.action == Transition.ISSUE_PROCEEDINGS:
            # ZZ is no real court's code: the reference is visibly invented.
            data.setdefault("court_reference", f"ZZ{day:%y}C{50000 + self.number:05d}")
        services.case_transition(case_id=case.pk, transition=step.action, actor=actor, data=data)
        if step.action in GATEWAY_DECISIONS and step.action != Transition.GATEWAY_CONTINUE_PLAN:
            self._allocate_lawyer(case)

    def _allocate_lawyer(self, case: Case) -> None:
        """The demo lawyer takes the case once the gateway sends it on (the reports and
        a lawyer's My cases then have something to show)."""
        lawyer = self.staff.cross_team[Role.LEGAL]
        if Case.objects.filter(pk=case.pk, allocated_lawyer=lawyer).exists():
            return
        services.case_allocate_lawyer(
            case_id=case.pk,
            actor=lawyer,
            data={"allocated_lawyer": lawyer.pk, "reason": "Allocated at the gateway meeting."},
        )

    def _attendees(self) -> list[dict[str, str]]:
        return [
            {"name": self.staff.acting(SW, self.spec).display_name, "role": "social_worker"},
            {"name": self.staff.acting(TM, self.spec).display_name, "role": "team_manager"},
            {"name": self.staff.cross_team[Role.HEAD_OF_SERVICE].display_name, "role": "chair"},
            {"name": self.staff.cross_team[Role.LEGAL].display_name, "role": "legal"},
        ]


class Command(BaseCommand):
    help = (
        "Create invented demo data: teams, a user in every role (printed with the password) "
        "and about forty cases across every stage, dated relative to today. Safe to run again."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--force",
            action="store_true",
            help="Run even with production settings (the demo users share a published password).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if str(settings.SETTINGS_MODULE).endswith(".production") and not options["force"]:
            raise CommandError(
                "Refusing to load demo data with production settings: the demo users, "
                "an administrator among them, share a published password. Use --force if this "
                "really is a throwaway installation."
            )
        self.verbosity = options["verbosity"]
        teams = self._teams()
        staff = Staff(self._users(teams))
        created, present, failures = self._cases(staff)
        # Schedules of expectations and letter details, so every letter kind can be made.
        call_command("letters_demo", verbosity=0)
        self._report(staff, created, present)
        if failures:
            raise CommandError(
                f"{len(failures)} demo case(s) could not be built:\n" + "\n".join(failures)
            )

    # --- teams and users --------------------------------------------------------------

    def _teams(self) -> dict[str, Team]:
        teams = {}
        for code, name in TEAMS:
            team, created = Team.objects.get_or_create(code=code, defaults={"name": name})
            if not created and team.name != name:
                team.name = name
                team.save(update_fields=["name"])
            teams[code] = team
        return teams

    def _users(self, teams: dict[str, Team]) -> dict[str, Any]:
        model = get_user_model()
        users = {}
        for spec in USERS:
            administrator = spec.role == Role.ADMINISTRATOR
            wanted = {
                "first_name": spec.first_name,
                "last_name": spec.last_name,
                "email": f"{spec.username}@example.org",
                "role": spec.role,
                "team": teams[spec.team] if spec.team else None,
                "is_active": True,
                # Only the administrator uses the admin site, for configuration only:
                # a superuser could read case data there (docs/domain/roles.md).
                "is_staff": administrator,
                "is_superuser": False,
            }
            user = model.objects.filter(username=spec.username).first()
            if user is None:
                user = model(username=spec.username, **wanted)
                self._check_password(user)
                user.set_password(DEMO_PASSWORD)
                user.save()
            else:
                changed = [name for name, value in wanted.items() if getattr(user, name) != value]
                for name in changed:
                    setattr(user, name, wanted[name])
                if not user.check_password(DEMO_PASSWORD):
                    user.set_password(DEMO_PASSWORD)
                    changed.append("password")
                if changed:
                    user.save()
            user_sync_role_access(user=user)
            users[spec.username] = user
        return users

    @staticmethod
    def _check_password(user: Any) -> None:
        try:
            validate_password(DEMO_PASSWORD, user)
        except ValidationError as error:  # a stricter validator was configured
            problems = " ".join(error.messages)
            raise CommandError(
                f"The demo password does not pass this site's validators: {problems}"
            ) from error

    # --- cases ----------------------------------------------------------------------------

    def _cases(self, staff: Staff) -> tuple[int, int, list[str]]:
        today, calendar = clock.today(), get_calendar()
        codes = [code for code, _ in TEAMS]
        existing = {
            case_identity(case.team.code, [str(child) for child in case.children.all()]): case.pk
            for case in Case.objects.filter(team__code__in=codes)
            .select_related("team")
            .prefetch_related("children")
        }
        ids: dict[str, int] = {}
        created = present = 0
        failures: list[str] = []
        numbered = list(enumerate(CASES, start=1))
        # An earlier episode is built before the episode that links to it.
        numbered.sort(key=lambda item: item[1].previous is not None)
        for number, spec in numbered:
            found = existing.get(spec_identity(spec))
            if found is not None:
                ids[spec.key] = found
                present += 1
                continue
            previous_id = ids.get(spec.previous) if spec.previous else None
            if spec.previous and previous_id is None:
                failures.append(f"{spec.key}: its earlier episode '{spec.previous}' is missing.")
                continue
            walk = CaseWalk(spec, number, staff, today, calendar, previous_id)
            try:
                # One transaction per case: a refused step leaves no half-built case.
                with transaction.atomic():
                    case = walk.build()
            except DomainError as error:
                detail = f" {error.field_errors}" if error.field_errors else ""
                failures.append(f"{spec.key}: {error.message}{detail}")
                continue
            ids[spec.key] = case.pk
            created += 1
            if self.verbosity >= 2:
                self.stdout.write(f"  {case.reference}  {case.stage:<16} {spec.key}")
        return created, present, failures

    # --- the report ---------------------------------------------------------------------

    def _report(self, staff: Staff, created: int, present: int) -> None:
        codes = [code for code, _ in TEAMS]
        stages = Counter(Case.objects.filter(team__code__in=codes).values_list("stage", flat=True))
        write = self.stdout.write
        write(
            self.style.SUCCESS(
                f"Demo data ready (all names and details are invented): {created} case(s) created, "
                f"{present} already present."
            )
        )
        write("Cases by stage: " + ", ".join(f"{s} {stages.get(s, 0)}" for s in Stage.values))
        write("")
        write(f"Open {URL} and sign in with one of these logins")
        write(f"(the administrator configures the system at {URL}admin/):")
        rows = [("username", "role", "team", "password")]
        for spec in USERS:
            rows.append((spec.username, spec.role, spec.team or "-", DEMO_PASSWORD))
        widths = [max(len(row[i]) for row in rows) for i in range(4)]
        for row in rows:
            write("  " + "  ".join(value.ljust(widths[i]) for i, value in enumerate(row)).rstrip())
