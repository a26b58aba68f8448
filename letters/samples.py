"""An invented family, used to check templates (system check, admin upload), to measure
the shipped templates' readability, and by the benchmark.

Every name, address and number is made up (01632 960xxx and example.org are reserved
for fiction). The wording is what a social worker following the writing rules in
docs/domain/letters.md would type.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from typing import Any

from .choices import ExpectationStatus, LetterKind
from .facts import (
    AdultFacts,
    AssessmentFacts,
    ChildFacts,
    DetailsFacts,
    ExpectationFacts,
    ExtensionFacts,
    LetterFacts,
    ReviewFacts,
    StaffFacts,
    TimetableFacts,
)

SAMPLE_TODAY = dt.date(2026, 3, 4)

COUNCIL: dict[str, Any] = {
    "name": "Eastbrook Borough Council",
    "department": "Children's Services",
    "address": ["Civic Centre", "1 Market Street", "Eastbrook", "EB1 1AA"],
    "phone": "01632 960 000",
    "email": "childrens.services@example.org",
    "website": "www.eastbrook.example.org",
}

SOLICITORS = (
    {
        "name": "Marsh and Kettle Solicitors",
        "phone": "01632 960 210",
        "address": "4 Bridge Street, Eastbrook",
    },
    {"name": "Oakley Family Law", "phone": "01632 960 345", "address": "12 Park Row, Eastbrook"},
)

MOTHER = AdultFacts(
    id=1,
    first_name="Kerry",
    last_name="Fletcher",
    relationship="mother",
    parental_responsibility=True,
    address="14 Willow Road\nEastbrook\nEB4 2PQ",
)
FATHER = AdultFacts(
    id=2,
    first_name="Dean",
    last_name="Marsh",
    relationship="father",
    parental_responsibility=True,
    address="3 Station Flats\nEastbrook\nEB2 7LX",
    interpreter_needed=False,
)
GRANDMOTHER = AdultFacts(
    id=3,
    first_name="Joan",
    last_name="Fletcher",
    relationship="grandparent",
    parental_responsibility=False,
    address="22 Mill Lane\nEastbrook\nEB4 1AB",
)

CHILDREN = (
    ChildFacts("Amy", "Fletcher", date_of_birth=dt.date(2019, 5, 12)),
    ChildFacts("Ben", "Fletcher", date_of_birth=dt.date(2022, 9, 3)),
)
UNBORN = (ChildFacts("", "Fletcher", expected_date_of_birth=dt.date(2026, 6, 19)),)

EXPECTATIONS = (
    ExpectationFacts(
        id=1,
        position=1,
        adult_ids=(1, 2),
        action="Keep the home clean and safe. Keep the floors clear of rubbish.",
        why_it_matters="Amy and Ben need a safe home where they will not get hurt.",
        help_offered="A family support worker will come twice a week to help you.",
        how_judged="We will visit each week. The home will be clean and safe each time.",
        due_by=dt.date(2026, 4, 17),
    ),
    ExpectationFacts(
        id=2,
        position=2,
        adult_ids=(1,),
        action="Take Amy to school on time every day.",
        why_it_matters="Amy needs to learn and to see her friends.",
        help_offered="We will pay for a bus pass. The school will call you if Amy is late.",
        how_judged="The school will tell us that Amy is there on time every day.",
        due_by=dt.date(2026, 5, 1),
    ),
    ExpectationFacts(
        id=3,
        position=3,
        adult_ids=(1, 2),
        action="Do not drink alcohol when you look after Amy and Ben.",
        why_it_matters="Amy and Ben need an adult who can keep them safe all the time.",
        help_offered="We will ask the Eastbrook alcohol team to see you this month.",
        how_judged="You will go to every session. Tests will show you have not been drinking.",
        due_by=dt.date(2026, 5, 29),
    ),
)

UNBORN_EXPECTATIONS = (
    ExpectationFacts(
        id=4,
        position=1,
        adult_ids=(1, 2),
        action="Go to every check with your midwife.",
        why_it_matters="Your baby needs to be born well and safe.",
        help_offered="We will help you get to the clinic. We can pay for a taxi.",
        how_judged="The midwife will tell us that you went to each check.",
        due_by=dt.date(2026, 5, 1),
    ),
    ExpectationFacts(
        id=5,
        position=2,
        adult_ids=(1, 2),
        action="Do not drink alcohol while you are pregnant or when you look after your baby.",
        why_it_matters="Alcohol can harm your baby before and after the birth.",
        help_offered="We will ask the Eastbrook alcohol team to see you this month.",
        how_judged="You will go to every session. Tests will show you have not been drinking.",
        due_by=dt.date(2026, 5, 29),
    ),
)
UNBORN_CONCERNS = (
    "You have missed most of your checks with the midwife. We think you drink too much. "
    "A baby can be hurt if the adult caring for them is drunk."
)
UNBORN_HISTORY = (
    "Your midwife asked us to help in January 2026. We have met you three times since then."
)
UNBORN_HELP = (
    "We took you to two checks with the midwife. We helped you see a doctor about your drinking."
)
UNBORN_ASSESSMENTS = (
    AssessmentFacts(
        what="How ready you are to look after a new baby",
        why="To see what help you will need when the baby is born",
        who="Jo Hart, family support worker",
        when=dt.date(2026, 4, 24),
    ),
)

DETAILS = DetailsFacts(
    concerns=(
        "Amy and Ben have been left at home on their own at night. The house has not been "
        "safe for them. Amy has missed a lot of school. We think you drink too much when "
        "you look after them."
    ),
    history=(
        "We have worked with you since May 2025. Amy and Ben have had a plan to keep them "
        "safe since August 2025. Things got better for a while, but the same worries came "
        "back in January."
    ),
    help_given=(
        "A family support worker has come to see you each week. We paid for a nursery "
        "place for Ben. We helped you see a doctor about your drinking."
    ),
    assessments=(
        AssessmentFacts(
            what="How you look after Amy and Ben each day",
            why="To see what help you need to keep them safe",
            who="Jo Hart, family support worker",
            when=dt.date(2026, 4, 10),
        ),
    ),
    meeting_date=dt.date(2026, 3, 17),
    meeting_time=dt.time(10, 0),
    meeting_place="Eastbrook Family Centre, 5 Grove Road, Eastbrook",
    meeting_attendees=(
        "Sam Brookfield, your social worker",
        "Maya Fernsby, team manager",
        "Leonie Quillon, our lawyer",
    ),
    fgdm_how_to_accept="call Sam Brookfield on 01632 960 000 or reply to this letter.",
    legal_contact_name="Leonie Quillon",
    legal_contact_phone="01632 960 050",
    legal_contact_email="legal.team@example.org",
    legal_reference="LEG/2026/0412",
)


# The review meetings and the decision point the shipped timescales plan from the
# meeting on Tuesday 17 March 2026 (every 6 weeks; the decision at 16 weeks).
TIMETABLE = (
    TimetableFacts("review", dt.date(2026, 4, 28)),
    TimetableFacts("review", dt.date(2026, 6, 9)),
    TimetableFacts("decision", dt.date(2026, 7, 7)),
)

# Five more items, for the family with eight expectations (readability with a long
# schedule: tests/letters/test_content.py).
MORE_EXPECTATIONS = tuple(
    ExpectationFacts(
        id=10 + number,
        position=3 + number,
        adult_ids=(1, 2),
        action=action,
        why_it_matters=why,
        help_offered=help_offered,
        how_judged=how,
        due_by=due,
    )
    for number, (action, why, help_offered, how, due) in enumerate(
        (
            (
                "Take Ben to nursery each morning.",
                "Ben needs to play and learn with other children.",
                "We will pay for his place at the nursery.",
                "The nursery will tell us that Ben was there.",
                dt.date(2026, 5, 1),
            ),
            (
                "Go to the doctor about your drinking.",
                "The doctor can help you stop.",
                "We can come with you if you want.",
                "The doctor will tell us that you went.",
                dt.date(2026, 4, 10),
            ),
            (
                "Make sure Amy and Ben are in bed by 8pm.",
                "Children need sleep to grow and to learn.",
                "Your family support worker will help you plan the evenings.",
                "We will visit in the evening to see how it goes.",
                dt.date(2026, 5, 15),
            ),
            (
                "Never leave Amy and Ben at home on their own.",
                "They are too young to be safe on their own.",
                "We will help you find someone to care for them when you go out.",
                "Neighbours and the school will tell us if they see this.",
                dt.date(2026, 4, 17),
            ),
            (
                "Go to the parenting group each week.",
                "You will learn new ways to help Amy and Ben.",
                "We will pay for the bus to the group.",
                "The group leader will tell us that you went.",
                dt.date(2026, 5, 29),
            ),
            (
                "Keep all the money for food and bills safe each week.",
                "Your family needs food and a warm home.",
                "A money adviser will meet you to make a plan.",
                "The adviser will tell us how the plan is going.",
                dt.date(2026, 5, 22),
            ),
        ),
        start=1,
    )
)


def with_eight_expectations(facts: LetterFacts) -> LetterFacts:
    """The same letter with a schedule of eight items (a long schedule still reads well)."""
    items = list(facts.expectations)
    while len(items) < 8:
        extra = MORE_EXPECTATIONS[(len(items) - len(facts.expectations)) % len(MORE_EXPECTATIONS)]
        items.append(replace(extra, id=100 + len(items), position=len(items) + 1))
    return replace(facts, expectations=tuple(items[:8]))


def sample_facts(kind: str, *, recipient: AdultFacts = MOTHER, **changes: Any) -> LetterFacts:
    """The invented family's facts as the given letter kind needs them."""
    facts = LetterFacts(
        kind=kind,
        today=SAMPLE_TODAY,
        nation="england",
        council=COUNCIL,
        solicitors=SOLICITORS,
        logo_sha256="0" * 64,
        reference="LT-2026-000042",
        stage="pre_proceedings",
        outcome="",
        recipient=recipient,
        children=CHILDREN,
        adults=(MOTHER, FATHER, GRANDMOTHER),
        expectations=EXPECTATIONS,
        details=DETAILS,
        social_worker=StaffFacts("Sam Brookfield", "sam.brookfield@example.org"),
        team_manager=StaffFacts("Maya Fernsby", "maya.fernsby@example.org"),
        team_name="Riverside Family Safeguarding",
        pre_proceedings_started_on=dt.date(2026, 2, 25),
    )
    if kind in (LetterKind.LETTER_BEFORE_PROCEEDINGS, LetterKind.LETTER_BEFORE_PROCEEDINGS_UNBORN):
        facts = replace(facts, timetable=TIMETABLE, reply_by=dt.date(2026, 3, 16))
    if kind == LetterKind.LETTER_BEFORE_PROCEEDINGS_UNBORN:
        facts = replace(
            facts,
            children=UNBORN,
            unborn_baby=True,
            expectations=UNBORN_EXPECTATIONS,
            details=replace(
                DETAILS,
                concerns=UNBORN_CONCERNS,
                history=UNBORN_HISTORY,
                help_given=UNBORN_HELP,
                assessments=UNBORN_ASSESSMENTS,
            ),
        )
    elif kind == LetterKind.GATEWAY_OUTCOME:
        facts = replace(
            facts,
            stage="closed",
            outcome="continue_plan",
            gateway_meeting_on=dt.date(2026, 3, 2),
            pre_proceedings_started_on=None,
            expectations=(),
        )
    elif kind == LetterKind.REVIEW_OUTCOME:
        reviewed = dt.date(2026, 4, 28)
        statuses = [
            (ExpectationStatus.MET, "The home has been clean and safe at every visit."),
            (ExpectationStatus.PARTLY_MET, "Amy was late on four days in April."),
            (ExpectationStatus.NOT_YET_DUE, "You have started to see the alcohol team."),
        ]
        facts = replace(
            facts,
            today=dt.date(2026, 4, 30),
            letter_before_proceedings_sent_on=dt.date(2026, 3, 2),
            review_meetings=(reviewed,),
            expectations=tuple(
                replace(e, reviews=(ReviewFacts(reviewed, status, note),))
                for e, (status, note) in zip(EXPECTATIONS, statuses, strict=True)
            ),
            extension=ExtensionFacts(
                decided_on=reviewed,
                new_end=dt.date(2026, 7, 24),
                reason="You are making good progress and need a little more time.",
            ),
            details=replace(
                DETAILS, meeting_date=dt.date(2026, 6, 9), meeting_time=dt.time(14, 30)
            ),
        )
    elif kind == LetterKind.END_OF_PRE_PROCEEDINGS:
        facts = replace(
            facts,
            stage="closed",
            outcome="stepped_down",
            step_down_to="child_protection_plan",
            today=dt.date(2026, 6, 12),
            closed_on=dt.date(2026, 6, 10),
            letter_before_proceedings_sent_on=dt.date(2026, 3, 2),
        )
    elif kind == LetterKind.LETTER_OF_ISSUE:
        facts = replace(
            facts,
            stage="issue",
            issue_decided_on=dt.date(2026, 3, 2),
            application_due=dt.date(2026, 3, 9),
            letter_before_proceedings_sent_on=None,
            pre_proceedings_started_on=None,
        )
    return replace(facts, **changes) if changes else facts
