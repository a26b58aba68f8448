"""The deadline vocabulary: the milestones a case is timed against, where one deadline
stands on a day, and a case's red/amber/green (docs/domain/milestones.md)."""

from django.db import models


class Milestone(models.TextChoices):
    GATEWAY_MEETING = "gateway_meeting", "Gateway meeting held"
    LETTER_BEFORE_PROCEEDINGS = "letter_before_proceedings", "Letter before proceedings sent"
    INITIAL_MEETING = "initial_meeting", "Initial pre-proceedings meeting held"
    FGDM_OFFER = "fgdm_offer", "Family group decision-making offer made"
    REVIEW_MEETING = "review_meeting", "Review meeting held"
    PRE_PROCEEDINGS_DECISION = "pre_proceedings_decision", "Pre-proceedings decision point"
    LETTER_OF_ISSUE = "letter_of_issue", "Letter of issue sent"
    APPLICATION_ISSUED = "application_issued", "Application issued (Day 1)"
    SERVICE_ON_PARTIES = "service_on_parties", "Service on parties (Day 2)"
    ADVOCATES_MEETING = "advocates_meeting", "Advocates' meeting"
    CASE_MANAGEMENT_HEARING = "case_management_hearing", "Case management hearing"
    ISSUES_RESOLUTION_HEARING = "issues_resolution_hearing", "Issues resolution hearing"
    FINAL_ORDER = "final_order", "Final order (26 weeks)"
    MANAGEMENT_OVERSIGHT = "management_oversight", "Management oversight"
    ASSESSMENT_CURRENCY = "assessment_currency", "Assessment up to date"
    # The court record's (docs/court.md): one per held hearing whose draft order the
    # council sends, one per council direction.
    DRAFT_ORDER = "draft_order", "Draft order sent to the court"
    COURT_DIRECTION = "court_direction", "Court direction filed"


class DeadlineStatus(models.TextChoices):
    PENDING = "pending", "Pending"
    DUE_SOON = "due_soon", "Due soon"
    OVERDUE = "overdue", "Overdue"
    MET = "met", "Met"
    MET_LATE = "met_late", "Met late"
    MET_EARLY = "met_early", "Held too early"
    NOT_APPLICABLE = "not_applicable", "No longer applies"


class Rag(models.TextChoices):
    RED = "red", "Red"
    AMBER = "amber", "Amber"
    GREEN = "green", "Green"
