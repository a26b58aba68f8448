"""Letters as records: draft, approved, sent; the approval checks and the readability
gate; the case event that sending posts; private files; reproduction for a court."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json

import pytest
from docx import Document

from legaltracker.cases.models import Case, CaseEvent, RecordedEvent
from legaltracker.core import clock
from legaltracker.core.errors import GuardRefused, InvalidInput, NotFound, NotPermitted
from legaltracker.deadlines.models import Deadline
from letters import services, storage
from letters.docxfile import document_text
from letters.models import Letter
from tests.factories import move, record

from .conftest import add_expectation, family_case, generate, mother, set_details

pytestmark = pytest.mark.django_db


def actions(case):
    return list(CaseEvent.objects.filter(case=case).values_list("action", flat=True))


# --- making a draft ------------------------------------------------------------------------


def test_a_draft_is_a_complete_record(lbp_case, staff, letters_storage):
    letter = generate(lbp_case, staff.social_worker)
    assert letter.status == "draft" and letter.dated == dt.date(2026, 3, 4)
    path = storage.letter_path(lbp_case.pk, letter.file_sha256, "docx")
    assert path.is_relative_to(letters_storage) and path.exists()
    data = path.read_bytes()
    assert hashlib.sha256(data).hexdigest() == letter.file_sha256 and len(data) == letter.file_size
    assert letter.template_source == "shipped:letter_before_proceedings.docx"
    assert json.loads(json.dumps(letter.context)) == letter.context
    assert letter.context["recipient"]["name"] == "Kerry Fletcher"
    assert document_text(Document(io.BytesIO(data))) == letter.text
    assert letter.readability["reading_ease"] == letter.reading_ease >= 70
    assert letter.generated_by == staff.social_worker
    event = CaseEvent.objects.get(case=lbp_case, action="letter_generated")
    assert event.details["letter_id"] == letter.pk
    assert event.details["file_sha256"] == letter.file_sha256


def test_the_letter_says_what_the_case_says(lbp_case, staff):
    letter = generate(lbp_case, staff.social_worker, note="We know this is hard.")
    for item in lbp_case.expectations.all():
        assert item.action in letter.text
        assert f"{item.due_by:%A} {item.due_by.day} {item.due_by:%B %Y}" in letter.text
    assert "Tuesday 17 March 2026" in letter.text and "10am" in letter.text
    assert "We know this is hard." in letter.text
    assert "Their manager is" in letter.text


def test_making_a_letter_does_not_change_the_case_version(lbp_case, staff):
    version = Case.objects.get(pk=lbp_case.pk).version
    generate(lbp_case, staff.social_worker)
    assert Case.objects.get(pk=lbp_case.pk).version == version


@pytest.mark.parametrize(
    ("role", "allowed"),
    [
        ("social_worker", True),
        ("team_manager", True),
        ("head_of_service", True),
        ("legal", True),
        ("court_liaison_officer", False),
    ],
)
def test_who_may_make_a_letter(lbp_case, staff, role, allowed):
    if allowed:
        assert generate(lbp_case, staff.by_role(role)).pk
    else:
        with pytest.raises(NotPermitted):
            generate(lbp_case, staff.by_role(role))


def test_another_team_and_administrators_cannot_see_it(lbp_case, other_staff):
    for user in (other_staff.social_worker, other_staff.administrator):
        with pytest.raises(NotFound):
            generate(lbp_case, user)


def test_the_recipient_must_be_an_adult_on_the_case(lbp_case, staff):
    other = family_case("pre_proceedings", staff)
    with pytest.raises(InvalidInput) as refused:
        generate(lbp_case, staff.social_worker, recipient=mother(other))
    assert "recipient" in refused.value.field_errors
    with pytest.raises(InvalidInput):
        services.letter_generate(
            case_id=lbp_case.pk,
            actor=staff.social_worker,
            data={"kind": "letter_before_proceedings"},
        )
    with pytest.raises(InvalidInput):
        services.letter_generate(
            case_id=lbp_case.pk,
            actor=staff.social_worker,
            data={"kind": "poem", "recipient": mother(lbp_case).pk},
        )


@pytest.mark.parametrize(
    ("stage", "kind", "message"),
    [
        ("legal_gateway", "letter_before_proceedings", "while the case is in pre-proceedings"),
        ("pre_proceedings", "letter_before_proceedings_unborn", "unborn baby"),
        ("pre_proceedings", "gateway_outcome", "plan continues"),
        ("pre_proceedings", "review_outcome", "No review is recorded"),
        ("pre_proceedings", "end_of_pre_proceedings", "stepped down"),
        ("pre_proceedings", "letter_of_issue", "decided to issue"),
    ],
)
def test_a_letter_the_case_cannot_have_yet_is_refused_with_the_reason(
    staff, today, stage, kind, message
):
    case = family_case(stage, staff)
    with pytest.raises(GuardRefused) as refused:
        generate(case, staff.social_worker, kind=kind)
    assert message in refused.value.message


def test_every_kind_for_a_case_that_has_reached_it(staff, today):
    """Each letter kind, made through the service for a case where it applies."""
    made = {}
    pre = family_case("pre_proceedings", staff)
    add_expectation(pre, staff.social_worker)
    set_details(pre, staff.social_worker)
    made["letter_before_proceedings"] = generate(pre, staff.social_worker)
    item = pre.expectations.get()
    services.expectation_review(
        case_id=pre.pk,
        actor=staff.social_worker,
        data={"date": "2026-03-04", "items": [{"expectation": item.pk, "status": "partly_met"}]},
    )
    made["review_outcome"] = generate(pre, staff.social_worker, kind="review_outcome")
    unborn = family_case(
        "pre_proceedings",
        staff,
        unborn_baby=True,
        children=[
            {"first_name": "", "last_name": "Fletcher", "expected_date_of_birth": "2026-06-19"}
        ],
    )
    made["letter_before_proceedings_unborn"] = generate(
        unborn, staff.social_worker, kind="letter_before_proceedings_unborn"
    )
    made["gateway_outcome"] = generate(
        family_case("closed", staff), staff.social_worker, kind="gateway_outcome"
    )
    made["letter_of_issue"] = generate(
        family_case("issue", staff), staff.legal, kind="letter_of_issue"
    )
    stepped = family_case("pre_proceedings", staff)
    record(stepped, staff.social_worker, "assessment_completed", today, summary="Updated.")
    move(
        stepped,
        "step_down",
        staff.team_manager,
        date=today.isoformat(),
        step_down_to="child_protection_plan",
        reasons="Enough has changed.",
    )
    made["end_of_pre_proceedings"] = generate(
        stepped, staff.social_worker, kind="end_of_pre_proceedings"
    )
    assert "baby is due on Friday 19 June 2026" in made["letter_before_proceedings_unborn"].text
    assert "Partly done" in made["review_outcome"].text
    assert "will have a child protection plan" in made["end_of_pre_proceedings"].text
    assert "We will send our papers to the court by" in made["letter_of_issue"].text
    for letter in made.values():
        assert letter.reading_ease >= 70 and letter.grade <= 6, letter.kind


# --- approval --------------------------------------------------------------------------------


def test_approval_by_the_team_manager_a_head_of_service_or_a_lawyer(lbp_case, staff):
    for approver in (staff.team_manager, staff.by_role("head_of_service"), staff.legal):
        letter = generate(lbp_case, staff.social_worker)
        approved = services.letter_approve(letter_id=letter.pk, actor=approver)
        assert approved.status == "approved" and approved.approved_by == approver
    event = CaseEvent.objects.filter(case=lbp_case, action="letter_approved").last()
    assert event.details["override"] is False


@pytest.mark.parametrize("role", ["social_worker", "court_liaison_officer"])
def test_others_cannot_approve(lbp_case, staff, role):
    letter = generate(lbp_case, staff.social_worker)
    with pytest.raises(NotPermitted):
        services.letter_approve(letter_id=letter.pk, actor=staff.by_role(role))


def test_a_letter_is_approved_once(lbp_case, staff):
    letter = generate(lbp_case, staff.social_worker)
    services.letter_approve(letter_id=letter.pk, actor=staff.team_manager)
    with pytest.raises(GuardRefused, match="already approved"):
        services.letter_approve(letter_id=letter.pk, actor=staff.legal)


def test_a_letter_before_proceedings_needs_expectations_and_a_meeting(pp_case, staff):
    letter = generate(pp_case, staff.social_worker)
    with pytest.raises(GuardRefused) as refused:
        services.letter_approve(letter_id=letter.pk, actor=staff.team_manager)
    assert "no expectations" in refused.value.message
    assert "meeting details are not complete: add the date, the time, the place" in (
        refused.value.message
    )
    assert "family group decision-making" in refused.value.message


def test_the_family_meeting_offer_or_the_exception(pp_case, staff):
    add_expectation(pp_case, staff.social_worker)
    set_details(pp_case, staff.social_worker, fgdm_how_to_accept="")
    letter = generate(pp_case, staff.social_worker)
    with pytest.raises(GuardRefused, match="s31ZA"):
        services.letter_approve(letter_id=letter.pk, actor=staff.team_manager)
    set_details(
        pp_case, staff.social_worker, fgdm_exception_reason="A meeting would put Amy at risk."
    )
    letter = generate(pp_case, staff.social_worker)
    assert "A family meeting" not in letter.text
    assert (
        services.letter_approve(letter_id=letter.pk, actor=staff.team_manager).status == "approved"
    )


def test_in_wales_no_family_meeting_offer_is_needed(pp_case, staff, settings):
    settings.LEGALTRACKER_NATION = "wales"
    add_expectation(pp_case, staff.social_worker)
    set_details(pp_case, staff.social_worker, fgdm_how_to_accept="")
    letter = generate(pp_case, staff.social_worker)
    assert (
        services.letter_approve(letter_id=letter.pk, actor=staff.team_manager).status == "approved"
    )


def test_below_the_readability_gate_only_a_manager_with_a_reason(lbp_case, staff, settings):
    settings.READABILITY_TARGETS = {"reading_ease": 99}
    letter = generate(lbp_case, staff.social_worker)
    with pytest.raises(GuardRefused, match="below the 99 needed") as refused:
        services.letter_approve(
            letter_id=letter.pk, actor=staff.legal, data={"override_reason": "Lawyers may not."}
        )
    assert "override_reason" not in refused.value.field_errors
    with pytest.raises(GuardRefused) as refused:
        services.letter_approve(letter_id=letter.pk, actor=staff.team_manager)
    assert "override_reason" in refused.value.field_errors
    approved = services.letter_approve(
        letter_id=letter.pk,
        actor=staff.team_manager,
        data={"override_reason": "The legal words are needed here; we will explain them."},
    )
    assert approved.override_reason.startswith("The legal words")
    event = CaseEvent.objects.get(case=lbp_case, action="letter_approved")
    assert event.details["override"] is True and event.reasons == approved.override_reason


def test_a_plain_letter_needs_no_override_and_keeps_no_reason(lbp_case, staff):
    letter = generate(lbp_case, staff.social_worker)
    approved = services.letter_approve(
        letter_id=letter.pk, actor=staff.team_manager, data={"override_reason": "Not needed."}
    )
    assert approved.override_reason == ""


# --- sent --------------------------------------------------------------------------------------


def approved_letter(case, staff, **kwargs):
    letter = generate(case, staff.social_worker, **kwargs)
    return services.letter_approve(letter_id=letter.pk, actor=staff.team_manager)


def test_recording_the_lbp_sent_posts_the_case_event_and_starts_the_clock(lbp_case, staff):
    letter = approved_letter(lbp_case, staff)
    sent = services.letter_record_sent(
        letter_id=letter.pk,
        actor=staff.social_worker,
        data={"date": "2026-03-04", "method": "hand"},
    )
    assert (
        sent.status == "sent" and sent.sent_method == "hand" and sent.sent_by == staff.social_worker
    )
    event = RecordedEvent.objects.get(case=lbp_case, kind="letter_before_proceedings_sent")
    assert sent.sent_event == event and event.date == dt.date(2026, 3, 4)
    lbp = Deadline.objects.get(case=lbp_case, milestone="letter_before_proceedings")
    assert lbp.met_on == dt.date(2026, 3, 4)
    initial = Deadline.objects.get(case=lbp_case, milestone="initial_meeting")
    assert initial.starts_from == dt.date(2026, 3, 4)
    assert actions(lbp_case)[-2:] == ["event_recorded", "letter_sent"]


def test_sending_the_lbp_in_england_records_the_family_meeting_offer_it_makes(lbp_case, staff):
    letter = approved_letter(lbp_case, staff)
    assert letter.context["fgdm"]["offer"] is True
    services.letter_record_sent(
        letter_id=letter.pk,
        actor=staff.social_worker,
        data={"date": "2026-03-04", "method": "post"},
    )
    offer = RecordedEvent.objects.get(case=lbp_case, kind="fgdm_offered")
    assert offer.date == dt.date(2026, 3, 4) and f"letter {letter.pk}" in offer.summary
    fgdm = Deadline.objects.get(case=lbp_case, milestone="fgdm_offer")
    assert fgdm.met_on == dt.date(2026, 3, 4)
    # A second letter before proceedings in the same period makes no second offer.
    again = approved_letter(lbp_case, staff)
    services.letter_record_sent(
        letter_id=again.pk, actor=staff.social_worker, data={"date": "2026-03-04", "method": "hand"}
    )
    assert RecordedEvent.objects.filter(case=lbp_case, kind="fgdm_offered").count() == 1


def test_a_letter_cannot_be_recorded_sent_before_the_day_it_was_approved(lbp_case, staff):
    letter = generate(lbp_case, staff.social_worker)  # dated Wednesday 4 March
    with clock.frozen(dt.date(2026, 3, 6)):
        services.letter_approve(letter_id=letter.pk, actor=staff.team_manager)
        with pytest.raises(InvalidInput) as refused:
            services.letter_record_sent(
                letter_id=letter.pk,
                actor=staff.social_worker,
                data={"date": "2026-03-05", "method": "post"},
            )
        assert "the day it was approved" in refused.value.field_errors["date"][0]
        services.letter_record_sent(
            letter_id=letter.pk,
            actor=staff.social_worker,
            data={"date": "2026-03-06", "method": "post"},
        )


def test_the_letter_of_issue_posts_its_event(staff, today):
    case = family_case("issue", staff)
    set_details(case, staff.legal)
    letter = generate(case, staff.legal, kind="letter_of_issue")
    services.letter_approve(letter_id=letter.pk, actor=staff.legal)
    services.letter_record_sent(
        letter_id=letter.pk,
        actor=staff.legal,
        data={"date": today.isoformat(), "method": "solicitor"},
    )
    assert RecordedEvent.objects.filter(case=case, kind="letter_of_issue_sent").count() == 1


def test_a_letter_with_no_case_event_is_only_marked_sent(staff, today):
    case = family_case("closed", staff)
    letter = generate(case, staff.social_worker, kind="gateway_outcome")
    services.letter_approve(letter_id=letter.pk, actor=staff.team_manager)
    sent = services.letter_record_sent(
        letter_id=letter.pk,
        actor=staff.social_worker,
        data={"date": today.isoformat(), "method": "post"},
    )
    assert sent.sent_event is None
    assert not RecordedEvent.objects.filter(case=case, kind__startswith="letter").exists()


def test_a_draft_cannot_be_sent_and_a_sent_letter_not_again(lbp_case, staff):
    letter = generate(lbp_case, staff.social_worker)
    with pytest.raises(GuardRefused, match="not been approved"):
        services.letter_record_sent(
            letter_id=letter.pk,
            actor=staff.social_worker,
            data={"date": "2026-03-04", "method": "post"},
        )
    services.letter_approve(letter_id=letter.pk, actor=staff.team_manager)
    services.letter_record_sent(
        letter_id=letter.pk,
        actor=staff.social_worker,
        data={"date": "2026-03-04", "method": "post"},
    )
    with pytest.raises(GuardRefused, match="already recorded as sent"):
        services.letter_record_sent(
            letter_id=letter.pk,
            actor=staff.social_worker,
            data={"date": "2026-03-04", "method": "post"},
        )


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"date": "2026-03-05", "method": "post"}, "date"),
        ({"date": "2026-03-03", "method": "post"}, "date"),
        ({"date": "2026-03-04", "method": "pigeon"}, "method"),
        ({"method": "post"}, "date"),
    ],
)
def test_the_sent_date_and_method_are_checked(lbp_case, staff, data, field):
    letter = approved_letter(lbp_case, staff)
    with pytest.raises(InvalidInput) as refused:
        services.letter_record_sent(letter_id=letter.pk, actor=staff.social_worker, data=data)
    assert field in refused.value.field_errors
    assert not RecordedEvent.objects.filter(case=lbp_case).exists()


def test_the_court_liaison_officer_cannot_record_an_lbp_sent(lbp_case, staff):
    letter = approved_letter(lbp_case, staff)
    with pytest.raises(NotPermitted):
        services.letter_record_sent(
            letter_id=letter.pk,
            actor=staff.court_liaison_officer,
            data={"date": "2026-03-04", "method": "post"},
        )


# --- files and reproduction ----------------------------------------------------------------


def test_rendering_the_stored_context_again_gives_the_same_letter(lbp_case, staff):
    letter = generate(lbp_case, staff.social_worker)
    # The case changes afterwards; the letter's record does not.
    add_expectation(lbp_case, staff.social_worker, action="Something new.")
    with clock.frozen(dt.date(2026, 3, 20)):
        again = services.letter_reproduce(Letter.objects.get(pk=letter.pk))
    assert again.text == letter.text
    assert again.sha256 == letter.file_sha256


def test_the_template_used_is_kept_for_reproduction(lbp_case, staff):
    letter = generate(lbp_case, staff.social_worker)
    assert storage.template_path(letter.template_sha256).exists()
    assert storage.asset_path(letter.context["logo"]).exists()


def test_every_download_is_in_the_audit_trail(lbp_case, staff):
    letter = generate(lbp_case, staff.social_worker)
    download = services.letter_download(letter_id=letter.pk, actor=staff.court_liaison_officer)
    assert download.path.read_bytes()[:2] == b"PK"
    assert (
        download.file_name
        == f"{lbp_case.reference}-letter-before-proceedings-{letter.dated.isoformat()}.docx"
    )
    event = CaseEvent.objects.filter(case=lbp_case, action="letter_downloaded").get()
    assert event.actor == staff.court_liaison_officer
    assert event.details == {"letter_id": letter.pk, "kind": letter.kind, "format": "docx"}


def test_a_download_is_refused_to_those_who_cannot_see_the_case(lbp_case, staff, other_staff):
    letter = generate(lbp_case, staff.social_worker)
    for user in (other_staff.social_worker, staff.administrator):
        with pytest.raises(NotFound):
            services.letter_download(letter_id=letter.pk, actor=user)
    assert not CaseEvent.objects.filter(action="letter_downloaded").exists()


def test_a_changed_file_is_not_served(lbp_case, staff):
    letter = generate(lbp_case, staff.social_worker)
    path = storage.letter_path(lbp_case.pk, letter.file_sha256, "docx")
    path.write_bytes(b"tampered")
    with pytest.raises(GuardRefused, match="checksum"):
        services.letter_download(letter_id=letter.pk, actor=staff.social_worker)


def test_pdf_without_libreoffice_says_so(lbp_case, staff, settings):
    settings.LETTERS_SOFFICE = "no-such-soffice-binary"
    letter = generate(lbp_case, staff.social_worker)
    from letters.pdf import PdfUnavailable

    with pytest.raises(PdfUnavailable) as refused:
        services.letter_download(letter_id=letter.pk, actor=staff.social_worker, file_format="pdf")
    assert refused.value.status == 503
    assert "LibreOffice" in refused.value.message and "Word file" in refused.value.message


def test_each_adult_with_parental_responsibility_gets_their_own_letter(lbp_case, staff):
    letters = [
        generate(lbp_case, staff.social_worker, recipient=a)
        for a in lbp_case.adults.filter(parental_responsibility=True)
    ]
    assert {letter.context["recipient"]["name"] for letter in letters} == {
        "Kerry Fletcher",
        "Dean Marsh",
    }
    assert all("Legal advice is free for you." in letter.text for letter in letters)


def test_one_request_makes_a_letter_for_every_adult_with_parental_responsibility(lbp_case, staff):
    made = services.letters_generate_for_recipients(
        case_id=lbp_case.pk,
        actor=staff.social_worker,
        data={"kind": "letter_before_proceedings"},
    )
    assert sorted(str(letter.recipient) for letter in made) == ["Dean Marsh", "Kerry Fletcher"]
    assert Letter.objects.filter(case=lbp_case).count() == 2
    assert actions(lbp_case).count("letter_generated") == 2


def test_a_failure_for_one_recipient_leaves_no_letter_from_the_request(
    lbp_case, staff, monkeypatch
):
    from letters.services import letters as letter_module

    real_save = storage.save_letter_file
    calls = []

    def fail_the_second(case_id, data):
        calls.append(case_id)
        if len(calls) == 2:
            raise OSError("disk full")
        return real_save(case_id, data)

    monkeypatch.setattr(letter_module.storage, "save_letter_file", fail_the_second)
    before = actions(lbp_case)
    with pytest.raises(OSError):
        services.letters_generate_for_recipients(
            case_id=lbp_case.pk,
            actor=staff.social_worker,
            data={"kind": "letter_before_proceedings"},
        )
    assert len(calls) == 2
    assert not Letter.objects.filter(case=lbp_case).exists()
    assert actions(lbp_case) == before


def test_a_render_failure_for_one_recipient_leaves_no_letter(lbp_case, staff, monkeypatch):
    from letters.services import letters as letter_module

    real_make = letter_module._make
    made = []

    def fail_the_second(case, kind, recipient_id, note, **options):
        made.append(recipient_id)
        if len(made) == 2:
            raise RuntimeError("the template broke")
        return real_make(case, kind, recipient_id, note, **options)

    monkeypatch.setattr(letter_module, "_make", fail_the_second)
    with pytest.raises(RuntimeError):
        services.letters_generate_for_recipients(
            case_id=lbp_case.pk,
            actor=staff.social_worker,
            data={"kind": "letter_before_proceedings"},
        )
    assert not Letter.objects.filter(case=lbp_case).exists()


def test_letters_for_every_recipient_are_made_again_when_the_case_changed_meanwhile(
    lbp_case, staff, monkeypatch
):
    from legaltracker.cases.events import case_touch
    from letters.services import letters as letter_module

    real_make = letter_module._make
    versions = []

    def change_the_case_once(case, kind, recipient_id, note, **options):
        versions.append(case.version)
        if len(versions) == 1:
            case_touch(Case.objects.get(pk=case.pk))
        return real_make(case, kind, recipient_id, note, **options)

    monkeypatch.setattr(letter_module, "_make", change_the_case_once)
    made = services.letters_generate_for_recipients(
        case_id=lbp_case.pk,
        actor=staff.social_worker,
        data={"kind": "letter_before_proceedings"},
    )
    assert len(made) == 2 and len(versions) == 4
    assert versions[2] == versions[3] == versions[0] + 1
    assert Letter.objects.filter(case=lbp_case).count() == 2


def test_no_adult_with_parental_responsibility_is_refused(pp_case, staff):
    pp_case.adults.update(parental_responsibility=False)
    with pytest.raises(InvalidInput) as refused:
        services.letters_generate_for_recipients(
            case_id=pp_case.pk,
            actor=staff.social_worker,
            data={"kind": "letter_before_proceedings"},
        )
    assert "recipient" in refused.value.field_errors
    assert not Letter.objects.exists()


def test_a_meeting_needs_its_time_place_and_who_will_be_there(pp_case, staff):
    add_expectation(pp_case, staff.social_worker)
    set_details(
        pp_case, staff.social_worker, meeting_time=None, meeting_attendees=[], meeting_place=""
    )
    letter = generate(pp_case, staff.social_worker)
    with pytest.raises(GuardRefused) as refused:
        services.letter_approve(letter_id=letter.pk, actor=staff.team_manager)
    assert "add the time, the place or video link, who will be there of the meeting" in (
        refused.value.message
    )
    set_details(pp_case, staff.social_worker, meeting_video_link="https://meet.example.org/x")
    letter = generate(pp_case, staff.social_worker)
    assert "Video link: https://meet.example.org/x" in letter.text
    assert (
        services.letter_approve(letter_id=letter.pk, actor=staff.team_manager).status == "approved"
    )
