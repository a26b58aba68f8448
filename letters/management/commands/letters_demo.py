"""Give the open pre-proceedings cases a schedule of expectations and letter details,
so that every letter kind can be made for a demo case in the browser.

    manage.py demo && manage.py letters_demo

Everything goes through the services as the case's social worker; a case that already
has a schedule is left alone, so the command can run again. The wording is invented and
follows the writing rules of docs/domain/letters.md.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand

from legaltracker.accounts.models import Role, User
from legaltracker.calendars.services import get_calendar
from legaltracker.cases.choices import Stage
from legaltracker.cases.models import Case
from legaltracker.core import clock
from letters import services
from letters.models import Expectation

ITEMS = [
    (
        "Keep the home clean and safe. Keep the floors clear of rubbish.",
        "Your children need a safe home where they will not get hurt.",
        "A family support worker will come twice a week to help you.",
        "We will visit each week. The home will be clean and safe each time.",
        20,
    ),
    (
        "Take your children to school or nursery on time every day.",
        "Your children need to learn and to see their friends.",
        "We will pay for a bus pass. The school will call you if they are late.",
        "The school will tell us that they are there on time every day.",
        30,
    ),
    (
        "Do not drink alcohol when you look after your children.",
        "Your children need an adult who can keep them safe all the time.",
        "We will ask the alcohol team to see you this month.",
        "You will go to every session. Tests will show you have not been drinking.",
        45,
    ),
]


class Command(BaseCommand):
    help = "Add a schedule of expectations and letter details to the demo's cases."

    def handle(self, *args: Any, **options: Any) -> None:
        today = clock.today()
        calendar = get_calendar()
        lawyer = User.objects.filter(role=Role.LEGAL, is_active=True).order_by("id").first()
        seeded = 0
        cases = Case.objects.filter(stage=Stage.PRE_PROCEEDINGS).select_related("social_worker")
        for case in cases.prefetch_related("adults"):
            if Expectation.objects.filter(case=case).exists():
                continue
            actor = case.social_worker
            adults = [a.pk for a in case.adults.all() if a.parental_responsibility] or [
                a.pk for a in case.adults.all()
            ]
            if not adults:
                continue
            for action, why, help_offered, how, weeks_days in ITEMS:
                services.expectation_create(
                    case_id=case.pk,
                    actor=actor,
                    data={
                        "adults": adults,
                        "action": action,
                        "why_it_matters": why,
                        "help_offered": help_offered,
                        "how_judged": how,
                        "due_by": (today + dt.timedelta(days=weeks_days)).isoformat(),
                    },
                )
            meeting = calendar.add_working_days(today, 7)
            services.letter_details_update(
                case_id=case.pk,
                actor=actor,
                data={
                    "concerns": "Your children have been left at home on their own. The house has "
                    "not been safe for them. They have missed a lot of school.",
                    "history": "We have worked with your family for over a year. Things got better "
                    "for a while, but the same worries came back.",
                    "help_given": "A family support worker has come to see you each week. We "
                    "helped you see a doctor.",
                    "assessments": [
                        {
                            "what": "How you look after your children each day",
                            "why": "To see what help you need to keep them safe",
                            "who": "A family support worker",
                            "when": calendar.add_working_days(today, 15).isoformat(),
                        }
                    ],
                    "meeting_date": meeting.isoformat(),
                    "meeting_time": "10:00",
                    "meeting_place": "The Family Centre, 5 Grove Road",
                    "meeting_attendees": [
                        f"{actor.display_name}, your social worker",
                        f"{lawyer.display_name}, our lawyer" if lawyer else "Our lawyer",
                    ],
                    "fgdm_how_to_accept": f"call {actor.display_name} on 01632 960 000.",
                    "legal_contact_name": lawyer.display_name if lawyer else "",
                    "legal_reference": f"LEG/{case.pk:05d}",
                },
            )
            seeded += 1
        self.stdout.write(f"Added schedules and letter details to {seeded} case(s).")
