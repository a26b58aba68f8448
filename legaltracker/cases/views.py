"""The case page and every form on it: transitions, recorded events, corrections, and
the opening of a case.

Views are thin: read the case through the selector (a case the user may not see is a
404), check the role (403), parse the form, call one service and redirect
(POST-redirect-GET). A refusal from the service comes back onto the form: 400 for
invalid values or a refused guard, 409 when someone else changed the case meanwhile.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from legaltracker.accounts.http import AuthenticatedHttpRequest
from legaltracker.cases import day1, permissions, selectors, services
from legaltracker.cases.choices import EventKind, Stage, Transition
from legaltracker.cases.models import Case
from legaltracker.core.errors import DomainError
from legaltracker.core.forms import ServiceForm, refusal_status
from legaltracker.deadlines.selectors import Today

from . import forms, page_selectors, presenters
from .inputs import id_or_none

BAD_PREVIOUS = (
    "The link to the earlier case is not valid: its id must be written with the digits 0-9. "
    'Open the earlier case and use its "Open a new episode for this family" link.'
)


def _visible_case(user: Any, case_id: int) -> tuple[Case, Today]:
    today = Today.now()
    case = selectors.case_detail(user=user, case_id=case_id, today=today)
    if case is None:
        raise Http404("There is no case with that id that you can see.")
    return case, today


def _offer_current_version(form: ServiceForm, case: Case) -> None:
    # After a conflict the form keeps what the person typed, now against the version
    # they are about to be shown, so that a deliberate second submit can go through.
    assert isinstance(form.data, QueryDict)  # the views bind request.POST
    form.data = form.data.copy()
    form.data["version"] = str(case.version)


def _submit(
    form: ServiceForm, case: Case | None, context: dict[str, Any], call: Callable[[], Any]
) -> tuple[int | None, Any]:
    """Validate the form and call the service: (None, what it returned) when it
    succeeded, else (the status to re-render the form with, None), the errors now on the
    form."""
    if not form.is_valid():
        return 400, None
    try:
        result = call()
    except DomainError as err:
        status = refusal_status(form, err)
        if status == 409 and case is not None:
            _offer_current_version(form, case)
            context["conflict"] = True
        return status, None
    return None, result


def _case_url(case_id: int, anchor: str = "", url_name: str = "casework:case_detail") -> str:
    url = reverse(url_name, args=[case_id])
    return f"{url}#{anchor}" if anchor else url


HISTORY_PAGE_SIZE = 25
# The name of the second submit button of the forms where people add several in a row.
ADD_ANOTHER = "add_another"


def _section(request: HttpRequest, case_id: int, section: str) -> HttpResponse:
    case, today = _visible_case(request.user, case_id)
    context = presenters.case_section(
        section=section, case=case, user=request.user, today=today.today
    )
    return render(request, f"casework/case_{section}.html", context)


def _section_page(section: str, doc: str) -> Callable[[HttpRequest, int], HttpResponse]:
    """The view of one section of the case page: the same header and sub-navigation, the
    section's own content (presenters.case_section)."""

    @login_required
    @require_GET
    def view(request: HttpRequest, case_id: int) -> HttpResponse:
        return _section(request, case_id, section)

    view.__name__ = view.__qualname__ = (
        "case_detail" if section == "overview" else f"case_{section}"
    )
    view.__doc__ = doc
    return view


case_detail = _section_page(
    "overview", "The case's Overview: its header, what the person can do next, a short summary."
)
case_people = _section_page("people", "The children and adults of the case.")
case_deadlines = _section_page("deadlines", "Every deadline of the case with its status.")
case_events = _section_page("events", "The meetings and events recorded on the case.")
case_letters = _section_page("letters", "The case's letters and what they say.")
case_court = _section_page("court", "What the case holds about court.")


@login_required
@require_GET
def case_history(request: HttpRequest, case_id: int) -> HttpResponse:
    """Everything done on the case, oldest first, a page of 25 at a time. A page number
    that is not one (text, 0, past the end) shows the nearest page, never an error."""
    case, today = _visible_case(request.user, case_id)
    context = presenters.case_section(
        section="history", case=case, user=request.user, today=today.today
    )
    paginator = Paginator(selectors.case_history(case=case), HISTORY_PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    context.update(page=page, history=presenters.history_rows(page.object_list))
    return render(request, "casework/case_history.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def transition(request: HttpRequest, case_id: int, name: str) -> HttpResponse:
    form_class = forms.TRANSITION_FORMS.get(name)
    if form_class is None:
        raise Http404("There is no such action.")
    case, _ = _visible_case(request.user, case_id)
    if not permissions.may_transition(name, case, request.user):
        raise PermissionDenied("Your role cannot do this on this case.")
    label = services.transition_label(name)
    context: dict[str, Any] = {
        "case": case,
        "transition": name,
        "label": label,
        "case_url": _case_url(case.pk),
        "stage_label": Stage(case.stage).label,
        **presenters.transition_context(case, name, request.user),
    }
    if request.method == "GET":
        if name not in services.available_transitions(case, request.user):
            context["unavailable"] = (
                f"This case is at the {Stage(case.stage).label.lower()} stage, so "
                f"'{label}' cannot be done now."
            )
            return render(request, "casework/transition_form.html", context, status=400)
        initial: dict[str, Any] = {"version": case.version}
        if issubclass(form_class, forms.GatewayForm):
            # Who attended, filled in from the last decision or the case's people.
            initial.update(
                forms.gateway_attendees_initial(
                    case,
                    team_managers=page_selectors.team_managers(team_id=case.team_id),
                    user=request.user,
                )
            )
        form = form_class(case=case, transition=name, user=request.user, initial=initial)
        return render(request, "casework/transition_form.html", {**context, "form": form})

    form = form_class(request.POST, case=case, transition=name, user=request.user)
    status, _ = _submit(
        form,
        case,
        context,
        lambda: services.case_transition(
            case_id=case.pk,
            transition=name,
            actor=request.user,
            data=form.service_data(),
            expected_version=form.cleaned_data["version"],
        ),
    )
    if status is None:
        messages.success(request, f"Done: {label}.")
        return redirect(_case_url(case.pk))
    return render(
        request, "casework/transition_form.html", {**context, "form": form}, status=status
    )


@login_required
@require_http_methods(["GET", "POST"])
def record_event(request: HttpRequest, case_id: int, kind: str) -> HttpResponse:
    if kind not in EventKind.values:
        raise Http404("There is no such kind of event.")
    case, _ = _visible_case(request.user, case_id)
    if not permissions.may_record_event(kind, case, request.user):
        raise PermissionDenied("Your role cannot record this on this case.")
    label = presenters.record_label(kind)
    context: dict[str, Any] = {
        "case": case,
        "kind": kind,
        "label": label,
        "case_url": _case_url(case.pk),
    }
    if request.method == "GET":
        if not case.is_open:
            context["unavailable"] = "This case is closed: nothing more can be recorded on it."
            return render(request, "casework/event_form.html", context, status=400)
        initial: dict[str, Any] = {"version": case.version}
        document = request.GET.get("document")
        if kind == EventKind.DOCUMENT_READY and document in day1.required_codes():
            initial["document"] = document
        form = forms.EventForm(kind=kind, case=case, initial=initial)
        return render(request, "casework/event_form.html", {**context, "form": form})

    form = forms.EventForm(request.POST, kind=kind, case=case)
    status, _ = _submit(
        form,
        case,
        context,
        lambda: services.event_record(
            case_id=case.pk,
            actor=request.user,
            data=form.service_data(),
            expected_version=form.cleaned_data["version"],
        ),
    )
    if status is None:
        if ADD_ANOTHER in request.POST:
            # "Save and add another": the same form again, empty, for the next one.
            day = form.cleaned_data["date"]
            messages.success(
                request,
                f"Recorded: {EventKind(kind).label}, {day.day} {day:%B %Y}. "
                "You can record another below.",
            )
            return redirect(reverse("casework:record_event", args=[case.pk, kind]))
        messages.success(request, f"Recorded: {EventKind(kind).label}.")
        return redirect(_event_section_url(case.pk, kind))
    return render(request, "casework/event_form.html", {**context, "form": form}, status=status)


def _event_section_url(case_id: int, kind: str) -> str:
    url_name, anchor = presenters.section_of_event(kind)
    return _case_url(case_id, anchor, url_name)


@login_required
@require_http_methods(["GET", "POST"])
def correct_event(request: HttpRequest, event_id: int) -> HttpResponse:
    event = page_selectors.event_for_correction(user=request.user, event_id=event_id)
    if event is None:
        raise Http404("There is no event with that id that you can see.")
    case = event.case
    if not permissions.may_record_event(event.kind, case, request.user):
        raise PermissionDenied("Your role cannot change this event.")
    context: dict[str, Any] = {
        "case": case,
        "event": event,
        # Back to the section it was corrected from.
        "case_url": _event_section_url(case.pk, event.kind),
        "label": f"Correct: {EventKind(event.kind).label}",
    }
    if request.method == "GET":
        form = forms.CorrectEventForm(event=event, initial={"version": case.version})
        return render(request, "casework/correct_event.html", {**context, "form": form})

    form = forms.CorrectEventForm(request.POST, event=event)
    status, _ = _submit(
        form,
        case,
        context,
        lambda: services.event_correct(
            event_id=event.pk,
            actor=request.user,
            data=form.service_data(),
            expected_version=form.cleaned_data["version"],
        ),
    )
    if status is None:
        messages.success(request, f"Corrected: {EventKind(event.kind).label}.")
        return redirect(_event_section_url(case.pk, event.kind))
    return render(request, "casework/correct_event.html", {**context, "form": form}, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def case_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    teams = page_selectors.creatable_teams(user=request.user)
    if not teams:
        raise PermissionDenied("Your role cannot open cases.")
    previous = None
    previous_id = request.POST.get("previous_case") or request.GET.get("previous")
    previous_pk = id_or_none(previous_id)
    if previous_pk is not None:
        previous = page_selectors.previous_episode(user=request.user, case_id=previous_pk)
    elif previous_id:
        # Only a hand-made address gets here: the links and the hidden field carry digits.
        messages.error(request, BAD_PREVIOUS)
        bound = request.POST if request.method == "POST" else None
        form = forms.CaseCreateForm(bound, teams=teams)
        return render(
            request, "casework/case_create.html", {"previous": None, "form": form}, status=400
        )
    context: dict[str, Any] = {"previous": previous}
    if request.method == "GET":
        initial: dict[str, Any] = {}
        if len(teams) == 1:
            initial["team"] = teams[0].code
        if request.user.role in (permissions.SW, permissions.TM):
            initial["social_worker"] = request.user.username
        if previous is not None:
            initial["previous_case"] = previous.pk
        form = forms.CaseCreateForm(teams=teams, initial=initial)
        return render(request, "casework/case_create.html", {**context, "form": form})

    form = forms.CaseCreateForm(request.POST, teams=teams)
    status, created = _submit(
        form,
        None,
        context,
        lambda: services.case_create(actor=request.user, data=form.service_data()),
    )
    if status is None:
        messages.success(request, f"Case {created.reference} opened.")
        return redirect(_case_url(created.pk))
    return render(request, "casework/case_create.html", {**context, "form": form}, status=status)


# --- less typing: Day 1 documents together, people, reassigning ----------------------------
# (docs/decisions.md, "Fit for a working day")

PEOPLE = {"child": "a child", "adult": "an adult"}


def _case_form_page(
    request: HttpRequest,
    case: Case,
    form: ServiceForm,
    *,
    title: str,
    back: str,
    call: Callable[[], Any],
    done: Callable[[Any], str],
    then: str,
    template: str = "casework/case_form.html",
    **extra: Any,
) -> HttpResponse:
    """A form about one case: shown on GET; on POST the service is called and the person
    goes to `then` with the `done` banner, or sees the form again with its errors."""
    context: dict[str, Any] = {"case": case, "label": title, "case_url": back, **extra}
    if request.method == "GET":
        return render(request, template, {**context, "form": form})
    status, result = _submit(form, case, context, call)
    if status is None:
        messages.success(request, done(result))
        return redirect(then)
    return render(request, template, {**context, "form": form}, status=status)


def _closed_refusal(
    request: HttpRequest, case: Case, title: str, back: str, why: str
) -> HttpResponse | None:
    if case.is_open:
        return None
    context = {"case": case, "label": title, "case_url": back, "unavailable": why}
    return render(request, "casework/case_form.html", context, status=400)


@login_required
@require_http_methods(["GET", "POST"])
def day1_documents(request: HttpRequest, case_id: int) -> HttpResponse:
    """Every Day 1 document not yet ready, each with a tick box and a date: what is
    ticked is recorded in one go (services.day1_documents_record)."""
    case, today = _visible_case(request.user, case_id)
    if not permissions.may_record_event(EventKind.DOCUMENT_READY, case, request.user):
        raise PermissionDenied("Your role cannot record Day 1 documents on this case.")
    back = _case_url(case.pk, "day1", "casework:case_court")
    title = "Day 1 documents"
    closed = _closed_refusal(
        request, case, title, back, "This case is closed: nothing more can be recorded on it."
    )
    if closed is not None:
        return closed
    ready = {
        item.document: item.ready_on
        for item in presenters.day1_checklist(case, request.user, list(case.recorded_events.all()))
        if item.ready_on is not None
    }
    bound = request.POST if request.method == "POST" else None
    form = forms.Day1DocumentsForm(
        bound, ready=ready, today=today.today, initial={"version": case.version}
    )

    def done(recorded: list[Any]) -> str:
        labels = day1.Labels()
        names = ", ".join(labels(e.details["document"]) for e in recorded)
        return f"Recorded as ready: {names}."

    return _case_form_page(
        request,
        case,
        form,
        title=title,
        back=back,
        call=lambda: services.day1_documents_record(
            case_id=case.pk,
            actor=request.user,
            data=form.service_data(),
            expected_version=form.cleaned_data["version"],
        ),
        done=done,
        then=back,
        template="casework/day1_documents.html",
        all_ready=not form.open_documents,
    )


@login_required
@require_http_methods(["GET", "POST"])
def case_reassign(request: HttpRequest, case_id: int) -> HttpResponse:
    """Give the case to another social worker of its team."""
    case, _ = _visible_case(request.user, case_id)
    if not permissions.may_reassign(request.user, case):
        raise PermissionDenied("Your role cannot give this case to another social worker.")
    back = _case_url(case.pk)
    title = "Change the social worker"
    closed = _closed_refusal(
        request, case, title, back, "This case is closed: it stays with its last social worker."
    )
    if closed is not None:
        return closed
    workers = services.reassignable_workers(case)
    if not workers and request.method == "GET":
        context = {
            "case": case,
            "label": title,
            "case_url": back,
            "unavailable": f"Nobody else in {case.team.name} can take the case: it needs an "
            "active social worker or manager of the team.",
        }
        return render(request, "casework/case_form.html", context)
    bound = request.POST if request.method == "POST" else None
    form = forms.ReassignForm(bound, workers=workers, initial={"version": case.version})
    return _case_form_page(
        request,
        case,
        form,
        title=title,
        back=back,
        call=lambda: services.case_reassign(
            case_id=case.pk,
            actor=request.user,
            data=form.service_data(),
            expected_version=form.cleaned_data["version"],
        ),
        done=lambda c: f"The case is now {c.social_worker.display_name}'s.",
        then=back,
        intro=f"The case is {case.social_worker.display_name}'s now. "
        f"Choose who in {case.team.name} takes it over.",
    )


@login_required
@require_http_methods(["GET", "POST"])
def case_allocate_lawyer(request: HttpRequest, case_id: int) -> HttpResponse:
    """Allocate the case to a lawyer of the legal team, or change its lawyer."""
    case, _ = _visible_case(request.user, case_id)
    if not permissions.may_allocate_lawyer(request.user, case):
        raise PermissionDenied("Your role cannot allocate this case to a lawyer.")
    back = _case_url(case.pk)
    current = case.allocated_lawyer
    title = "Change the lawyer" if current else "Allocate a lawyer"
    closed = _closed_refusal(
        request, case, title, back, "This case is closed: it stays with the lawyer it had."
    )
    if closed is not None:
        return closed
    lawyers = services.allocatable_lawyers()
    if not lawyers and current is None and request.method == "GET":
        context = {
            "case": case,
            "label": title,
            "case_url": back,
            "unavailable": "There is no active lawyer to allocate the case to: an administrator "
            "adds the legal team's users.",
        }
        return render(request, "casework/case_form.html", context)
    bound = request.POST if request.method == "POST" else None
    form = forms.AllocateLawyerForm(
        bound, lawyers=lawyers, current=current, initial={"version": case.version}
    )

    def done(saved: Case) -> str:
        lawyer = saved.allocated_lawyer
        return (
            f"The case's lawyer is now {lawyer.display_name}."
            if lawyer
            else ("The case has no lawyer allocated now.")
        )

    return _case_form_page(
        request,
        case,
        form,
        title=title,
        back=back,
        call=lambda: services.case_allocate_lawyer(
            case_id=case.pk,
            actor=request.user,
            data=form.service_data(),
            expected_version=form.cleaned_data["version"],
        ),
        done=done,
        then=back,
        intro=(
            f"The case's lawyer is {current.display_name} now. Choose who takes it over."
            if current
            else "No lawyer is allocated to the case yet. Choose the lawyer who has it."
        ),
    )


def _people_case(request: HttpRequest, case_id: int) -> tuple[Case, str]:
    case, _ = _visible_case(request.user, case_id)
    if not permissions.may_edit_people(request.user, case):
        raise PermissionDenied("Your role cannot change the people on this case.")
    return case, _case_url(case.pk, "", "casework:case_people")


@login_required
@require_http_methods(["GET", "POST"])
def person_add(request: HttpRequest, case_id: int, member: str) -> HttpResponse:
    """Add a child or an adult (`member`) to the case."""
    who = member
    if who not in PEOPLE:
        raise Http404("You can add a child or an adult.")
    case, back = _people_case(request, case_id)
    title = f"Add {PEOPLE[who]}"
    why = "This case is closed: its people can no longer be changed."
    if (closed := _closed_refusal(request, case, title, back, why)) is not None:
        return closed
    bound = request.POST if request.method == "POST" else None
    form_class = forms.ChildForm if who == "child" else forms.AdultForm
    initial: dict[str, Any] = {"version": case.version}
    if who == "adult":
        initial["has_solicitor"] = "unknown"
        initial["correspondence_language"] = "en"
    form = form_class(bound, initial=initial)
    return _case_form_page(
        request,
        case,
        form,
        title=title,
        back=back,
        call=lambda: services.person_add(
            case_id=case.pk,
            who=who,
            actor=request.user,
            data=form.service_data(),
            expected_version=form.cleaned_data["version"],
        ),
        done=lambda person: f"Added: {person}.",
        then=back,
    )


@login_required
@require_http_methods(["GET", "POST"])
def person_edit(request: HttpRequest, case_id: int, member: str, member_id: int) -> HttpResponse:
    """Change a child's or an adult's details (`member`: which, `member_id`: their id)."""
    who, person_id = member, member_id
    if who not in PEOPLE:
        raise Http404("There is no such person on this case.")
    case, back = _people_case(request, case_id)
    people = case.children.all() if who == "child" else case.adults.all()
    person = next((p for p in people if p.pk == person_id), None)
    if person is None:
        raise Http404("There is no such person on this case.")
    title = f"Change the {who}'s details"
    why = "This case is closed: its people can no longer be changed."
    if (closed := _closed_refusal(request, case, title, back, why)) is not None:
        return closed
    bound = request.POST if request.method == "POST" else None
    form_class = forms.ChildForm if who == "child" else forms.AdultForm
    form = form_class(bound, initial={"version": case.version, **forms.person_initial(person)})
    return _case_form_page(
        request,
        case,
        form,
        title=title,
        back=back,
        call=lambda: services.person_update(
            case_id=case.pk,
            who=who,
            person_id=person_id,
            actor=request.user,
            data=form.service_data(),
            expected_version=form.cleaned_data["version"],
        ),
        done=lambda saved: f"Saved: {saved}.",
        then=back,
    )


@login_required
@require_http_methods(["GET", "POST"])
def child_born(request: HttpRequest, case_id: int, member_id: int) -> HttpResponse:
    """Record the birth of a baby the case was expecting (`member_id`: the child's id)."""
    child_id = member_id
    case, back = _people_case(request, case_id)
    child = next((c for c in case.children.all() if c.pk == child_id), None)
    if child is None:
        raise Http404("There is no such child on this case.")
    title = "Record the birth"
    why = "This case is closed: its people can no longer be changed."
    if (closed := _closed_refusal(request, case, title, back, why)) is not None:
        return closed
    if child.date_of_birth is not None:
        context = {
            "case": case,
            "label": title,
            "case_url": back,
            "unavailable": f"This child's date of birth is already recorded "
            f"({child.date_of_birth:%d %B %Y}). Change it from the child's details if it is wrong.",
        }
        return render(request, "casework/case_form.html", context, status=400)
    bound = request.POST if request.method == "POST" else None
    form = forms.ChildBornForm(
        bound, initial={"version": case.version, "first_name": child.first_name}
    )
    return _case_form_page(
        request,
        case,
        form,
        title=title,
        back=back,
        call=lambda: services.child_born(
            case_id=case.pk,
            child_id=child_id,
            actor=request.user,
            data=form.service_data(),
            expected_version=form.cleaned_data["version"],
        ),
        done=lambda born: f"Birth recorded: {born}, born {born.date_of_birth:%d %B %Y}.",
        then=back,
        intro=f"The baby was expected on {child.expected_date_of_birth:%d %B %Y}."
        if child.expected_date_of_birth
        else "",
    )


# --- extension requests ------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def extension_request_create(request: HttpRequest, case_id: int) -> HttpResponse:
    """A team manager asks a head of service to extend pre-proceedings."""
    case, _ = _visible_case(request.user, case_id)
    if not permissions.may_request_extension(case, request.user):
        raise PermissionDenied("Only a team manager of the case's team can ask for an extension.")
    context: dict[str, Any] = {
        "case": case,
        "case_url": _case_url(case.pk),
        "label": "Ask for an extension of pre-proceedings",
        "stage_label": Stage(case.stage).label,
        "waiting": presenters.waiting_extension_request(case),
        **presenters.transition_context(case, Transition.EXTEND_PRE_PROCEEDINGS, request.user),
    }
    if request.method == "GET":
        if case.stage != Stage.PRE_PROCEEDINGS:
            context["unavailable"] = (
                f"This case is at the {Stage(case.stage).label.lower()} stage: an extension of "
                "pre-proceedings can be asked for only during pre-proceedings."
            )
            return render(request, "casework/extension_request_form.html", context, status=400)
        form = forms.ExtensionRequestForm(initial={"version": case.version})
        return render(request, "casework/extension_request_form.html", {**context, "form": form})
    form = forms.ExtensionRequestForm(request.POST)
    status, _ = _submit(
        form,
        case,
        context,
        lambda: services.extension_request_create(
            case_id=case.pk,
            actor=request.user,
            data=form.service_data(),
            expected_version=form.cleaned_data["version"],
        ),
    )
    if status is None:
        messages.success(
            request, "Your request was sent to the heads of service. You will be told the outcome."
        )
        return redirect(_case_url(case.pk))
    return render(
        request, "casework/extension_request_form.html", {**context, "form": form}, status=status
    )


@login_required
@require_http_methods(["GET", "POST"])
def extension_request(request: HttpRequest, request_id: int) -> HttpResponse:
    """One extension request: what was asked and, while it waits, the head of service's
    decision (approve or decline) or the team manager's withdrawal."""
    found = page_selectors.extension_request(request_id)
    if found is None:
        raise Http404(services.EXTENSION_REQUEST_NOT_FOUND)
    try:
        case, _ = _visible_case(request.user, found.case_id)
    except Http404:
        raise Http404(services.EXTENSION_REQUEST_NOT_FOUND) from None
    user = request.user
    may_decide = permissions.may_decide_extension_request(case, user)
    may_withdraw = permissions.may_withdraw_extension_request(case, user)
    context: dict[str, Any] = {
        "case": case,
        "ask": found,
        "case_url": _case_url(case.pk, url_name="casework:case_deadlines"),
        "stage_label": Stage(case.stage).label,
        "may_decide": found.is_pending and may_decide,
        "may_withdraw": found.is_pending and may_withdraw,
        **presenters.transition_context(case, Transition.EXTEND_PRE_PROCEEDINGS, user),
    }
    decide_form: ServiceForm = forms.ExtensionDecisionForm(initial={"version": case.version})
    withdraw_form: ServiceForm = forms.ExtensionWithdrawForm(initial={"version": case.version})
    status = 200
    if request.method == "POST":
        withdrawing = request.POST.get("decision") == "withdraw"
        if not (may_withdraw if withdrawing else may_decide):
            raise PermissionDenied(
                "Only a team manager of the case's team can withdraw this request."
                if withdrawing
                else "Only a head of service can approve or decline an extension request."
            )
        form: ServiceForm = (
            forms.ExtensionWithdrawForm(request.POST)
            if withdrawing
            else forms.ExtensionDecisionForm(request.POST)
        )
        if withdrawing:
            withdraw_form = form
        else:
            decide_form = form
        refused, decided = _submit(
            form,
            case,
            context,
            lambda: services.extension_request_decide(
                request_id=found.pk,
                actor=user,
                data=form.service_data(),
                expected_version=form.cleaned_data["version"],
            ),
        )
        if refused is None:
            messages.success(request, presenters.extension_request_done(decided))
            return redirect(_case_url(case.pk))
        status = refused
        # Show the forms only while the request still waits (a conflict may have decided it).
        found.refresh_from_db()
        context["may_decide"] = found.is_pending and may_decide
        context["may_withdraw"] = found.is_pending and may_withdraw
    context.update(
        decide_form=decide_form,
        withdraw_form=withdraw_form,
        form=decide_form if decide_form.is_bound else withdraw_form,
    )
    return render(request, "casework/extension_request.html", context, status=status)
