"""The vocabulary of the court record (docs/court.md): judges, guardians, hearings and
their statuses, orders, directions and experts."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from django.db import models

# Hearing times are London wall-clock times (they survive the clock change).
LONDON = ZoneInfo("Europe/London")


class JudgeLevel(models.TextChoices):
    """The level of judge the court allocates the case to (Family Court allocation)."""

    LAY_JUSTICES = "lay_justices", "Lay justices (magistrates)"
    DISTRICT_JUDGE = "district_judge", "District judge"
    CIRCUIT_JUDGE = "circuit_judge", "Circuit judge"
    HIGH_COURT = "high_court", "High Court judge"


class GuardianService(models.TextChoices):
    CAFCASS = "cafcass", "Cafcass"
    CAFCASS_CYMRU = "cafcass_cymru", "Cafcass Cymru"


class AdvocateKind(models.TextChoices):
    IN_HOUSE = "in_house", "In-house lawyer"
    COUNSEL = "counsel", "Counsel"


class OrderSought(models.TextChoices):
    """The orders an application asks for, as the court's online application (C110A)
    lists them (docs/court.md, "The application pack")."""

    CARE_ORDER = "care_order", "Care order"
    INTERIM_CARE_ORDER = "interim_care_order", "Interim care order"
    SUPERVISION_ORDER = "supervision_order", "Supervision order"
    INTERIM_SUPERVISION_ORDER = "interim_supervision_order", "Interim supervision order"
    EDUCATION_SUPERVISION_ORDER = "education_supervision_order", "Education supervision order"
    EMERGENCY_PROTECTION_ORDER = "emergency_protection_order", "Emergency protection order"
    VARIATION_OR_DISCHARGE = (
        "variation_or_discharge",
        "Variation or discharge of a care or supervision order",
    )


class InternationalElement(models.TextChoices):
    YES = "yes", "Yes"
    NO = "no", "No"


class HearingKind(models.TextChoices):
    """The hearings of care proceedings (PLO and HMCTS's hearing types)."""

    CASE_MANAGEMENT = "case_management_hearing", "Case management hearing"
    FURTHER_CASE_MANAGEMENT = "further_case_management_hearing", "Further case management hearing"
    ISSUES_RESOLUTION = "issues_resolution_hearing", "Issues resolution hearing"
    FINAL = "final_hearing", "Final hearing"
    INTERIM_CARE_ORDER = "interim_care_order_hearing", "Interim care order hearing"
    URGENT = "urgent_hearing", "Urgent or without-notice hearing"
    CONTESTED_INTERIM = "contested_interim_hearing", "Contested interim hearing"
    FACT_FINDING = "fact_finding_hearing", "Fact-finding hearing"
    DIRECTIONS = "directions_hearing", "Directions hearing"
    OTHER = "other", "Other hearing"


# The hearings that answer a milestone of the 26 weeks (docs/court.md, "Milestones").
MILESTONE_HEARINGS = frozenset(
    {HearingKind.CASE_MANAGEMENT, HearingKind.ISSUES_RESOLUTION, HearingKind.FINAL}
)


class HearingMode(models.TextChoices):
    IN_PERSON = "in_person", "In person"
    REMOTE = "remote", "Remote"
    HYBRID = "hybrid", "Hybrid"


class HearingStatus(models.TextChoices):
    LISTED = "listed", "Listed"
    HELD = "held", "Held"
    ADJOURNED = "adjourned", "Adjourned"
    VACATED = "vacated", "Vacated"


class OrderMade(models.TextChoices):
    """What a held hearing ordered. The final order types are the case outcomes'."""

    INTERIM_CARE_ORDER = "interim_care_order", "Interim care order"
    INTERIM_SUPERVISION_ORDER = "interim_supervision_order", "Interim supervision order"
    CARE_ORDER = "care_order", "Care order"
    SUPERVISION_ORDER = "supervision_order", "Supervision order"
    PLACEMENT_ORDER = "placement_order", "Placement order"
    CHILD_ARRANGEMENTS_ORDER = "child_arrangements_order", "Child arrangements order"
    SPECIAL_GUARDIANSHIP_ORDER = "special_guardianship_order", "Special guardianship order"
    NO_ORDER = "no_order", "No order"
    APPLICATION_WITHDRAWN = "application_withdrawn", "Permission to withdraw the application"
    DIRECTIONS_ONLY = "directions_only", "Directions only"
    OTHER = "other", "Other order"


class DraftOrderBy(models.TextChoices):
    COUNCIL = "council", "The council"
    PARENT = "parent", "A parent's solicitor"
    GUARDIAN = "guardian", "The children's guardian"
    COURT = "court", "The court"


class DirectionParty(models.TextChoices):
    COUNCIL = "council", "The council"
    PARENT = "parent", "A parent"
    GUARDIAN = "guardian", "The children's guardian"
    EXPERT = "expert", "An expert"
    ALL_PARTIES = "all_parties", "All parties"
    OTHER = "other", "Another party"


class DirectionStatus(models.TextChoices):
    OUTSTANDING = "outstanding", "Outstanding"
    FILED = "filed", "Filed"
    FILED_LATE = "filed_late", "Filed late"
    EXTENDED = "extended", "Extended by the court"
    NOT_NEEDED = "not_needed", "No longer needed"


# Directions still to be done: their due date counts.
OPEN_DIRECTION_STATUSES = frozenset({DirectionStatus.OUTSTANDING, DirectionStatus.EXTENDED})


class DirectionOwnerRole(models.TextChoices):
    """Who at the council a standard direction goes to by default."""

    SOCIAL_WORKER = "social_worker", "The case's social worker"
    LAWYER = "lawyer", "The case's lawyer"


class ExpertType(models.TextChoices):
    PARENTING = "parenting", "Parenting assessment"
    PSYCHOLOGICAL = "psychological", "Psychological assessment"
    PSYCHIATRIC = "psychiatric", "Psychiatric assessment"
    COGNITIVE = "cognitive", "Cognitive assessment"
    DRUG_ALCOHOL = "drug_alcohol", "Drug and alcohol testing"
    PAEDIATRIC = "paediatric", "Paediatric assessment"
    INDEPENDENT_SOCIAL_WORK = "independent_social_work", "Independent social work assessment"
    RISK = "risk", "Risk assessment"
    DNA = "dna", "DNA testing"
    OTHER = "other", "Other assessment"
