"""The domain's identifiers (docs/domain/identifiers.md), in one place."""

from django.db import models


class Stage(models.TextChoices):
    CONCERN = "concern", "Concern"
    LEGAL_GATEWAY = "legal_gateway", "Legal gateway"
    PRE_PROCEEDINGS = "pre_proceedings", "Pre-proceedings"
    ISSUE = "issue", "Issue"
    PROCEEDINGS = "proceedings", "Proceedings"
    CLOSED = "closed", "Closed"


OPEN_STAGES = [s for s in Stage if s != Stage.CLOSED]
# Stages that the tracker board follows (a case in `concern` is not yet in legal planning).
LEGAL_STAGES = [Stage.LEGAL_GATEWAY, Stage.PRE_PROCEEDINGS, Stage.ISSUE, Stage.PROCEEDINGS]


class Outcome(models.TextChoices):
    CONTINUE_PLAN = "continue_plan", "Plan continues"
    STEPPED_DOWN = "stepped_down", "Stepped down"
    CARE_ORDER = "care_order", "Care order"
    SUPERVISION_ORDER = "supervision_order", "Supervision order"
    SPECIAL_GUARDIANSHIP_ORDER = "special_guardianship_order", "Special guardianship order"
    PLACEMENT_ORDER = "placement_order", "Placement order"
    NO_ORDER = "no_order", "No order"
    OTHER_ORDER = "other_order", "Other order"
    WITHDRAWN = "withdrawn", "Withdrawn"
    TRANSFERRED_OUT = "transferred_out", "Transferred out"
    OTHER = "other", "Other"


FINAL_ORDER_OUTCOMES = [
    Outcome.CARE_ORDER,
    Outcome.SUPERVISION_ORDER,
    Outcome.SPECIAL_GUARDIANSHIP_ORDER,
    Outcome.PLACEMENT_ORDER,
    Outcome.NO_ORDER,
    Outcome.OTHER_ORDER,
]
CLOSE_OUTCOMES = [Outcome.WITHDRAWN, Outcome.TRANSFERRED_OUT, Outcome.OTHER]


class Transition(models.TextChoices):
    """The transitions of the case state machine (docs/domain/stages.md)."""

    REFER_TO_GATEWAY = "refer_to_gateway", "Refer to the legal gateway"
    GATEWAY_CONTINUE_PLAN = "gateway_continue_plan", "Gateway decision: continue the current plan"
    GATEWAY_ENTER_PRE_PROCEEDINGS = (
        "gateway_enter_pre_proceedings",
        "Gateway decision: enter pre-proceedings",
    )
    GATEWAY_ISSUE = "gateway_issue", "Gateway decision: issue care proceedings"
    EXTEND_PRE_PROCEEDINGS = "extend_pre_proceedings", "Extend pre-proceedings"
    STEP_DOWN = "step_down", "Step down from pre-proceedings"
    ESCALATE_TO_GATEWAY = "escalate_to_gateway", "Escalate to the legal gateway"
    ISSUE_PROCEEDINGS = "issue_proceedings", "Record the application as issued"
    EXTEND_TIMETABLE = "extend_timetable", "Extend the court timetable"
    CONCLUDE_PROCEEDINGS = "conclude_proceedings", "Conclude proceedings (final order)"
    CLOSE = "close", "Close the case"


# The gateway decisions: each records a GatewayDecision and starts from `legal_gateway`.
GATEWAY_DECISIONS = frozenset(
    {
        Transition.GATEWAY_CONTINUE_PLAN,
        Transition.GATEWAY_ENTER_PRE_PROCEEDINGS,
        Transition.GATEWAY_ISSUE,
    }
)


class CaseEventKind(models.TextChoices):
    """What an audit row (`CaseEvent.action`) records. Every change to a case appends one,
    through `legaltracker.cases.events.case_event_append` alone."""

    CASE_CREATED = "case_created", "Case opened"
    TRANSITION = "transition", "Stage changed"
    EVENT_RECORDED = "event_recorded", "Event recorded"
    EVENT_CORRECTED = "event_corrected", "Event corrected"
    EXPECTATION_ADDED = "expectation_added", "Expectation added"
    EXPECTATION_CHANGED = "expectation_changed", "Expectation changed"
    EXPECTATION_WITHDRAWN = "expectation_withdrawn", "Expectation withdrawn"
    EXPECTATIONS_REVIEWED = "expectations_reviewed", "Expectations reviewed"
    LETTER_DETAILS_CHANGED = "letter_details_changed", "Letter details changed"
    LETTER_GENERATED = "letter_generated", "Letter generated"
    LETTER_APPROVED = "letter_approved", "Letter approved"
    LETTER_SENT = "letter_sent", "Letter sent"
    LETTER_DOWNLOADED = "letter_downloaded", "Letter downloaded"
    CASE_RESTRICTED = "case_restricted", "Case restricted"
    CASE_UNRESTRICTED = "case_unrestricted", "Restriction lifted"
    RESTRICTION_PERSON_NAMED = "restriction_person_named", "Person named on a restriction"
    RESTRICTION_PERSON_REMOVED = "restriction_person_removed", "Person removed from a restriction"
    RETENTION_DECISION_RECORDED = "retention_decision_recorded", "Retention decision recorded"
    # The people on a case and who works it (docs/decisions.md, "Fit for a working day").
    CASE_REASSIGNED = "case_reassigned", "Social worker changed"
    PERSON_ADDED = "person_added", "Child or adult added"
    PERSON_CHANGED = "person_changed", "Child or adult changed"
    CHILD_BORN = "child_born", "Birth recorded"
    EXTENSION_REQUESTED = "extension_requested", "Extension requested"
    EXTENSION_REQUEST_APPROVED = "extension_request_approved", "Extension request approved"
    EXTENSION_REQUEST_DECLINED = "extension_request_declined", "Extension request declined"
    EXTENSION_REQUEST_WITHDRAWN = "extension_request_withdrawn", "Extension request withdrawn"
    LAWYER_ALLOCATED = "lawyer_allocated", "Lawyer allocated"
    # The court record (docs/court.md).
    COURT_RECORD_CHANGED = "court_record_changed", "Court record changed"
    HEARING_CHANGED = "hearing_changed", "Hearing recorded"
    DIRECTION_CHANGED = "direction_changed", "Direction recorded"
    EXPERT_CHANGED = "expert_changed", "Expert assessment recorded"
    TIMETABLE_CHANGED = "timetable_changed", "Children's timetable changed"


class EventKind(models.TextChoices):
    """Things that happened, each with the date it happened."""

    LETTER_BEFORE_PROCEEDINGS_SENT = (
        "letter_before_proceedings_sent",
        "Letter before proceedings sent",
    )
    FGDM_OFFERED = "fgdm_offered", "Family group decision-making offered"
    FGDM_ACCEPTED = "fgdm_accepted", "Family group decision-making accepted"
    FGDM_DECLINED = "fgdm_declined", "Family group decision-making declined"
    FGDM_HELD = "fgdm_held", "Family group decision-making meeting held"
    INITIAL_MEETING_HELD = "initial_meeting_held", "Initial pre-proceedings meeting held"
    REVIEW_MEETING_HELD = "review_meeting_held", "Review meeting held"
    ASSESSMENT_COMPLETED = "assessment_completed", "Assessment completed"
    CHANGE_OF_CIRCUMSTANCES = "change_of_circumstances", "Change of circumstances"
    MANAGEMENT_OVERSIGHT = "management_oversight", "Management oversight"
    LETTER_OF_ISSUE_SENT = "letter_of_issue_sent", "Letter of issue sent"
    DOCUMENT_READY = "document_ready", "Document ready"
    PARTIES_SERVED = "parties_served", "Parties served"
    HEARING_LISTED = "hearing_listed", "Hearing listed"
    HEARING_HELD = "hearing_held", "Hearing held"
    NOTE = "note", "Note"


class Day1Document(models.TextChoices):
    """The Day 1 documents filed with the application (PD12A annex documents)."""

    CHRONOLOGY = "chronology", "Social work chronology"
    SOCIAL_WORK_STATEMENT = (
        "social_work_statement_and_genogram",
        "Social work statement and genogram",
    )
    CURRENT_ASSESSMENTS = "current_assessments", "Current assessments"
    CARE_PLAN = "care_plan", "Care plan"
    INDEX = "index_of_checklist_documents", "Index of checklist documents"


class CorrespondenceLanguage(models.TextChoices):
    """The language an adult's letters are written in (docs/domain/letters.md)."""

    ENGLISH = "en", "English"
    WELSH = "cy", "Welsh"
    OTHER = "other", "Another language"


class HearingType(models.TextChoices):
    ADVOCATES_MEETING = "advocates_meeting", "Advocates' meeting"
    CASE_MANAGEMENT_HEARING = "case_management_hearing", "Case management hearing"
    ISSUES_RESOLUTION_HEARING = "issues_resolution_hearing", "Issues resolution hearing"
    FINAL_HEARING = "final_hearing", "Final hearing"
    INTERIM_HEARING = "interim_hearing", "Interim hearing"
    OTHER = "other", "Other hearing"


class ThresholdView(models.TextChoices):
    MET = "met", "Threshold is met"
    NOT_MET = "not_met", "Threshold is not met"
    FINELY_BALANCED = "finely_balanced", "Finely balanced"


class AttendeeRole(models.TextChoices):
    SOCIAL_WORKER = "social_worker", "Social worker"
    TEAM_MANAGER = "team_manager", "Team manager"
    HEAD_OF_SERVICE = "head_of_service", "Head of service"
    CHAIR = "chair", "Chair"
    LEGAL = "legal", "Lawyer"
    OTHER = "other", "Other"


class Relationship(models.TextChoices):
    MOTHER = "mother", "Mother"
    FATHER = "father", "Father"
    STEP_PARENT = "step_parent", "Step-parent"
    GRANDPARENT = "grandparent", "Grandparent"
    OTHER_RELATIVE = "other_relative", "Other relative"
    CARER = "carer", "Carer"
    OTHER = "other", "Other"


class StepDownTo(models.TextChoices):
    CHILD_PROTECTION_PLAN = "child_protection_plan", "Child protection plan"
    CHILD_IN_NEED_PLAN = "child_in_need_plan", "Child in need plan"
    NO_FURTHER_ACTION = "no_further_action", "Case closed to children's services"


class ExtensionRequestStatus(models.TextChoices):
    """Where a team manager's request for a pre-proceedings extension stands."""

    PENDING = "pending", "Waiting for a decision"
    APPROVED = "approved", "Approved"
    DECLINED = "declined", "Declined"
    WITHDRAWN = "withdrawn", "Withdrawn"


class ExtensionKind(models.TextChoices):
    PRE_PROCEEDINGS = "pre_proceedings", "Pre-proceedings extension"
    TIMETABLE = "timetable", "Court timetable extension"
