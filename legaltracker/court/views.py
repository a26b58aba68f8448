"""The court record's pages (docs/court.md): the record itself and one form per thing a
person keeps on it.

Views are thin, as the case page's are: read the case through its selector (a case the
person may not see, or a hearing, direction or expert on one, is a 404), check the role
(403), parse the form, call one service and redirect. A refusal from the service comes
back onto the form (400), or 409 when someone else changed the case meanwhile; the form
then carries the case's current version so that a deliberate second submit goes through.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from legaltracker.cases import presenters as case_presenters
from legaltracker.cases import selectors as case_selectors
from legaltracker.cases.models import Case
from legaltracker.core import clock
from legaltracker.core.errors import DomainError
from legaltracker.core.forms import ServiceForm, refusal_status
from legaltracker.deadlines.selectors import Today

from . import forms, permissions, presenters, services
from .choices import LONDON, HearingStatus
from .models import Direction, ExpertAssessment, Hearing
from .timescales import draft_order_due

NOT_VISIBLE = "There is no case with that id that you can see."
NO_ADULT = "There is no such adult on this case."
NO_CHILD = "There is no such child on this case."


def _visible_case(user: Any, case_id: int, not_found: str = NOT_VISIBLE) -> tuple[Case, Today]:
    today = Today.now()
    case = case_selectors.case_detail(user=user, case_id=case_id, today=today)
    if case is None:
        raise Http404(not_found)
    return case, today


def _case_of(user: Any, model: Any, pk: int, not_found: str) -> Case:
    """The case of a hearing, direction or expert assessment, if the person may see it;
    the same 404 whether the record does not exist or its case is out of sight."""
    case_id = presenters.case_id_of(model, pk)
    if case_id is None:
        raise Http404(not_found)
    return _visible_case(user, case_id, not_found)[0]


def record_url(case_id: int, anchor: str = "") -> str:
    url = reverse("court:record", args=[case_id])
    return f"{url}#{anchor}" if anchor else url


def _require(allowed: bool, words: str) -> None:
    if not allowed:
        raise PermissionDenied(f"Your role cannot {words} on this case.")


def _offer_current_version(form: ServiceForm, case_id: int) -> None:
    # After a conflict the form keeps what the person typed, now against the version
    # they are about to be shown, so that a deliberate second submit can go through.
    assert isinstance(form.data, QueryDict)
    version = presenters.case_version(case_id)
    form.data = form.data.copy()
    form.data["version"] = str(version)


def _form_page(
    request: HttpRequest,
    case: Case,
    form: ServiceForm,
    *,
    title: str,
    call: Callable[[], Any],
    done: Callable[[Any], str],
    then: str,
    unavailable: str = "",
    template: str = "court/form.html",
    **extra: Any,
) -> HttpResponse:
    """A form about one case's court record: shown on GET; on POST the service is
    called and the person goes to `then` with the `done` banner, or sees the form again
    with its errors. `unavailable`: why the form cannot be used now (a 400 page)."""
    context: dict[str, Any] = {
        "case": case,
        "label": title,
        "case_url": record_url(case.pk),
        "form": form,
        **extra,
    }
    if not permissions.has_court_record(case):
        unavailable = services.NOT_A_COURT_CASE
    if unavailable:
        context["unavailable"] = unavailable
        return render(request, template, context, status=400)
    if request.method == "GET":
        return render(request, template, context)
    if not form.is_valid():
        return render(request, template, context, status=400)
    try:
        result = call()
    except DomainError as err:
        status = refusal_status(form, err)
        if status == 409:
            _offer_current_version(form, case.pk)
            context["conflict"] = True
        return render(request, template, context, status=status)
    messages.success(request, done(result))
    return redirect(then)


def _bound(request: HttpRequest) -> QueryDict | None:
    return request.POST if request.method == "POST" else None


def _version(case: Case, **initial: Any) -> dict[str, Any]:
    return {"version": case.version, **initial}


def _expected(form: ServiceForm) -> int:
    version: int = form.cleaned_data["version"]
    return version


def _hearing_words(hearing: Hearing) -> str:
    moment = hearing.starts_at.astimezone(LONDON)
    return (
        f"{hearing.get_kind_display()} on {case_presenters.long_date(moment.date())} "
        f"at {moment:%H:%M}"
    )


# --- the record -----------------------------------------------------------------------------


@login_required
@require_GET
def record(request: HttpRequest, case_id: int) -> HttpResponse:
    """The case's court record: proceedings, parties, hearings, directions, experts and
    each child's 26 weeks, with the buttons the person may use."""
    case, today = _visible_case(request.user, case_id)
    context = case_presenters.case_section(
        section="court_record", case=case, user=request.user, today=today.today
    )
    # The record is part of the case page's Court section.
    context["section"] = "court"
    context.update(presenters.court_record(case=case, user=request.user, today=today.today))
    return render(request, "court/record.html", context)


# --- the proceedings and the parties -----------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def proceedings_edit(request: HttpRequest, case_id: int) -> HttpResponse:
    case, _ = _visible_case(request.user, case_id)
    _require(permissions.may_keep_court_record(request.user, case), "keep the court record")
    current = presenters.proceedings_of(case)
    initial: dict[str, Any] = {"case_number": case.court_reference}
    if current is not None:
        initial.update({name: getattr(current, name) for name in services.PROCEEDINGS_FIELDS})
        if current.court_centre is not None:
            initial["court_centre"] = current.court_centre.code
    form = forms.ProceedingsForm(
        _bound(request),
        centres=presenters.court_centres(current.court_centre if current else None),
        initial=_version(case, **initial),
    )
    return _form_page(
        request,
        case,
        form,
        title="Change the proceedings",
        call=lambda: services.proceedings_update(
            case_id=case.pk,
            actor=request.user,
            data=form.service_data(),
            expected_version=_expected(form),
        ),
        done=lambda _: "Saved: the proceedings.",
        then=record_url(case.pk, "proceedings"),
    )


@login_required
@require_http_methods(["GET", "POST"])
def party_edit(request: HttpRequest, case_id: int, member_id: int) -> HttpResponse:
    """Whether an adult party (`member_id`: their row id on the case) is represented,
    and by whom."""
    case, _ = _visible_case(request.user, case_id)
    adult = next((a for a in case.adults.all() if a.pk == member_id), None)
    if adult is None:
        raise Http404(NO_ADULT)
    _require(permissions.may_keep_court_record(request.user, case), "keep the court record")
    current = presenters.representation_of(adult)
    form = forms.RepresentationForm(
        _bound(request), initial=_version(case, **forms.representation_initial(current))
    )
    name = f"{adult.first_name} {adult.last_name}"
    return _form_page(
        request,
        case,
        form,
        title=f"Representation of {name}",
        call=lambda: services.representation_update(
            case_id=case.pk,
            adult_id=adult.pk,
            actor=request.user,
            data=form.service_data(),
            expected_version=_expected(form),
        ),
        done=lambda _: f"Saved: the representation of {name}.",
        then=record_url(case.pk, "parties"),
    )


# --- hearings --------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def hearing_list(request: HttpRequest, case_id: int) -> HttpResponse:
    case, _ = _visible_case(request.user, case_id)
    _require(permissions.may_record_hearings(request.user, case), "record hearings")
    proceedings = presenters.proceedings_of(case)
    centre = proceedings.court_centre if proceedings else None
    initial = {"mode": "in_person"}
    if centre is not None:
        initial["court_centre"] = centre.code
    if proceedings is not None and proceedings.judge_name:
        initial["judge_name"] = proceedings.judge_name
    form = forms.HearingListForm(
        _bound(request),
        centres=presenters.court_centres(centre),
        initial=_version(case, **initial),
    )
    return _form_page(
        request,
        case,
        form,
        title="List a hearing",
        call=lambda: services.hearing_list(
            case_id=case.pk,
            actor=request.user,
            data=form.service_data(),
            expected_version=_expected(form),
        ),
        done=lambda h: f"Hearing listed: {_hearing_words(h)}.",
        then=record_url(case.pk, "hearings"),
    )


def _hearing_page(request: HttpRequest, hearing_id: int) -> tuple[Case, Hearing]:
    case = _case_of(request.user, Hearing, hearing_id, services.HEARING_NOT_FOUND)
    _require(permissions.may_record_hearings(request.user, case), "record hearings")
    return case, presenters.hearing_of(case, hearing_id)


def _not_listed(hearing: Hearing, verb: str) -> str:
    if hearing.status == HearingStatus.LISTED:
        return ""
    return (
        f"This hearing is {hearing.get_status_display().lower()}: only a listed hearing can "
        f"be {verb}."
    )


@login_required
@require_http_methods(["GET", "POST"])
def hearing_hold(request: HttpRequest, hearing_id: int) -> HttpResponse:
    """The outcome of a listed hearing: the orders made, the draft order and, if the
    court listed one, the next hearing."""
    case, hearing = _hearing_page(request, hearing_id)
    day = hearing.starts_at.astimezone(LONDON).date()
    due = draft_order_due(day)
    unavailable = _not_listed(hearing, "held")
    if not unavailable and day > clock.today():
        unavailable = (
            f"This hearing is listed for {case_presenters.long_date(day)}: record its outcome "
            "on or after that day."
        )
    centre = hearing.court_centre
    form = forms.HearingHoldForm(
        _bound(request),
        centres=presenters.court_centres(centre),
        default_due=due,
        initial=_version(
            case,
            draft_order_by="council",
            draft_order_due=due,
            **{
                "next_hearing-court_centre": centre.code if centre else "",
                "next_hearing-mode": "in_person",
                "next_hearing-judge_name": hearing.judge_name,
            },
        ),
    )
    return _form_page(
        request,
        case,
        form,
        title="Record the hearing's outcome",
        call=lambda: services.hearing_hold(
            hearing_id=hearing.pk,
            actor=request.user,
            data=form.service_data(),
            expected_version=_expected(form),
        ),
        done=lambda h: f"Hearing held: {_hearing_words(h)}.",
        then=record_url(case.pk, "hearings"),
        unavailable=unavailable,
        intro=_hearing_words(hearing),
    )


def _cancel(request: HttpRequest, hearing_id: int, status: str) -> HttpResponse:
    case, hearing = _hearing_page(request, hearing_id)
    verb = "adjourned" if status == HearingStatus.ADJOURNED else "vacated"
    centre = hearing.court_centre
    form = forms.HearingCancelForm(
        _bound(request),
        status=status,
        centres=presenters.court_centres(centre),
        initial=_version(
            case,
            **{
                "relist-kind": hearing.kind,
                "relist-court_centre": centre.code if centre else "",
                "relist-mode": hearing.mode,
                "relist-judge_name": hearing.judge_name,
            },
        ),
    )
    service = services.hearing_adjourn if verb == "adjourned" else services.hearing_vacate
    return _form_page(
        request,
        case,
        form,
        title="Adjourn the hearing" if verb == "adjourned" else "Vacate the hearing",
        call=lambda: service(
            hearing_id=hearing.pk,
            actor=request.user,
            data=form.service_data(),
            expected_version=_expected(form),
        ),
        done=lambda h: (
            f"Hearing {verb}: {_hearing_words(h)}."
            + (f" Re-listed: {_hearing_words(h.relisted_as)}." if h.relisted_as else "")
        ),
        then=record_url(case.pk, "hearings"),
        unavailable=_not_listed(hearing, verb),
        intro=_hearing_words(hearing),
    )


@login_required
@require_http_methods(["GET", "POST"])
def hearing_adjourn(request: HttpRequest, hearing_id: int) -> HttpResponse:
    return _cancel(request, hearing_id, HearingStatus.ADJOURNED)


@login_required
@require_http_methods(["GET", "POST"])
def hearing_vacate(request: HttpRequest, hearing_id: int) -> HttpResponse:
    return _cancel(request, hearing_id, HearingStatus.VACATED)


@login_required
@require_http_methods(["GET", "POST"])
def draft_order_sent(request: HttpRequest, hearing_id: int) -> HttpResponse:
    case, hearing = _hearing_page(request, hearing_id)
    unavailable = (
        "" if hearing.status == HearingStatus.HELD else "Only a held hearing has a draft order."
    )
    form = forms.DraftOrderSentForm(_bound(request), initial=_version(case))
    return _form_page(
        request,
        case,
        form,
        title="Record the draft order as sent",
        call=lambda: services.draft_order_sent(
            hearing_id=hearing.pk,
            actor=request.user,
            data=form.service_data(),
            expected_version=_expected(form),
        ),
        done=lambda h: f"Draft order sent: {_hearing_words(h)}.",
        then=record_url(case.pk, "hearings"),
        unavailable=unavailable,
        intro=_hearing_words(hearing),
    )


# --- directions ------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def direction_add(request: HttpRequest, case_id: int) -> HttpResponse:
    case, _ = _visible_case(request.user, case_id)
    _require(permissions.may_keep_court_record(request.user, case), "keep the court record")
    form = forms.DirectionForm(
        _bound(request),
        owners=presenters.direction_owners(case),
        hearings=presenters.hearings_of_case(case),
        initial=_version(case, party="council"),
    )
    return _form_page(
        request,
        case,
        form,
        title="Add a direction",
        call=lambda: services.direction_add(
            case_id=case.pk,
            actor=request.user,
            data=form.service_data(),
            expected_version=_expected(form),
        ),
        done=lambda d: f"Direction {d.number} added.",
        then=record_url(case.pk, "directions"),
    )


@login_required
@require_http_methods(["GET", "POST"])
def standard_directions_add(request: HttpRequest, case_id: int) -> HttpResponse:
    case, today = _visible_case(request.user, case_id)
    _require(permissions.may_keep_court_record(request.user, case), "keep the court record")
    hearings = presenters.hearings_of_case(case)
    held = [h for h in hearings if h.status == HearingStatus.HELD]
    latest = max(held, key=lambda h: h.starts_at) if held else None
    start = latest.starts_at.astimezone(LONDON).date() if latest else today.today
    standards = presenters.standard_directions()
    form = forms.StandardDirectionsForm(
        _bound(request),
        standards=standards,
        hearings=hearings,
        start=start,
        initial=_version(case, hearing=str(latest.pk) if latest else ""),
    )
    return _form_page(
        request,
        case,
        form,
        title="Add standard directions",
        call=lambda: services.standard_directions_add(
            case_id=case.pk,
            actor=request.user,
            data=form.service_data(),
            expected_version=_expected(form),
        ),
        done=lambda made: f"Added {len(made)} standard direction{'' if len(made) == 1 else 's'}.",
        then=record_url(case.pk, "directions"),
        unavailable=""
        if standards
        else "The council keeps no standard directions yet: an administrator adds them.",
        template="court/standard_directions.html",
    )


@login_required
@require_http_methods(["GET", "POST"])
def direction_update(request: HttpRequest, direction_id: int) -> HttpResponse:
    """Where a direction stands: the legal team, and the direction's owner."""
    case = _case_of(request.user, Direction, direction_id, services.DIRECTION_NOT_FOUND)
    direction = presenters.direction_of(case, direction_id)
    _require(
        permissions.may_update_direction(request.user, case, direction), "update this direction"
    )
    keeps = permissions.may_keep_court_record(request.user, case)
    form = forms.DirectionUpdateForm(
        _bound(request),
        owners=presenters.direction_owners(case) if keeps else None,
        initial=_version(
            case,
            status=direction.status if direction.status != "filed_late" else "filed",
            filed_on=direction.filed_on,
            owner=str(direction.owner_id or ""),
        ),
    )
    return _form_page(
        request,
        case,
        form,
        title=f"Update direction {direction.number}",
        call=lambda: services.direction_update(
            direction_id=direction.pk,
            actor=request.user,
            data=form.service_data(),
            expected_version=_expected(form),
        ),
        done=lambda d: f"Direction {d.number}: {d.get_status_display().lower()}.",
        then=record_url(case.pk, "directions"),
        intro=f"{direction.text} (due {case_presenters.long_date(direction.due_on)})",
    )


# --- experts and the 26 weeks ----------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def expert_add(request: HttpRequest, case_id: int) -> HttpResponse:
    case, _ = _visible_case(request.user, case_id)
    _require(permissions.may_keep_court_record(request.user, case), "keep the court record")
    form = forms.ExpertForm(_bound(request), initial=_version(case))
    return _form_page(
        request,
        case,
        form,
        title="Add an expert assessment",
        call=lambda: services.expert_add(
            case_id=case.pk,
            actor=request.user,
            data=form.service_data(),
            expected_version=_expected(form),
        ),
        done=lambda e: f"Added: {e}.",
        then=record_url(case.pk, "experts"),
    )


@login_required
@require_http_methods(["GET", "POST"])
def expert_edit(request: HttpRequest, expert_id: int) -> HttpResponse:
    case = _case_of(request.user, ExpertAssessment, expert_id, services.EXPERT_NOT_FOUND)
    _require(permissions.may_keep_court_record(request.user, case), "keep the court record")
    expert = presenters.expert_of(case, expert_id)
    form = forms.ExpertForm(_bound(request), initial=_version(case, **forms.expert_initial(expert)))
    return _form_page(
        request,
        case,
        form,
        title="Change the expert assessment",
        call=lambda: services.expert_update(
            expert_id=expert.pk,
            actor=request.user,
            data=form.service_data(),
            expected_version=_expected(form),
        ),
        done=lambda e: f"Saved: {e}.",
        then=record_url(case.pk, "experts"),
    )


def _child_name(child: Any) -> str:
    return f"{child.first_name} {child.last_name}".strip() or "Unborn baby"


@login_required
@require_http_methods(["GET", "POST"])
def timetable_extend(request: HttpRequest, case_id: int) -> HttpResponse:
    case, _ = _visible_case(request.user, case_id)
    _require(permissions.may_keep_court_record(request.user, case), "keep the court record")
    children = [(c.pk, _child_name(c)) for c in case.children.all()]
    form = forms.TimetableExtensionForm(_bound(request), children=children, initial=_version(case))
    return _form_page(
        request,
        case,
        form,
        title="Record an extension of the 26 weeks",
        call=lambda: services.timetable_extend(
            case_id=case.pk,
            actor=request.user,
            data=form.service_data(),
            expected_version=_expected(form),
        ),
        done=lambda x: f"Extension recorded: {x.weeks} week{'' if x.weeks == 1 else 's'}.",
        then=record_url(case.pk, "timetable"),
    )


@login_required
@require_http_methods(["GET", "POST"])
def child_joined(request: HttpRequest, case_id: int, member_id: int) -> HttpResponse:
    """A child (`member_id`: their row id on the case) joined the application later, a
    baby born during proceedings say: their own 26 weeks count from that day."""
    case, _ = _visible_case(request.user, case_id)
    child = next((c for c in case.children.all() if c.pk == member_id), None)
    if child is None:
        raise Http404(NO_CHILD)
    _require(permissions.may_keep_court_record(request.user, case), "keep the court record")
    form = forms.ChildJoinedForm(_bound(request), initial=_version(case))
    name = _child_name(child)
    return _form_page(
        request,
        case,
        form,
        title=f"{name} joined the application",
        call=lambda: services.child_join_application(
            case_id=case.pk,
            child_id=child.pk,
            actor=request.user,
            data=form.service_data(),
            expected_version=_expected(form),
        ),
        done=lambda row: (
            f"Saved: {name}'s 26 weeks count from {case_presenters.long_date(row.issued_on)}."
        ),
        then=record_url(case.pk, "timetable"),
    )
