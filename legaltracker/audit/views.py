"""Pages for subject access requests (administrators), restricted records and retention
reviews (heads of service).

Names are typed into POST bodies, never into URLs: the search results are the response
to the POST. Each page's access log row is written by the middleware; the export writes
its own, before the data is built (`services.subject_access_export`).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.core.serializers.json import DjangoJSONEncoder
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from legaltracker.core import clock
from legaltracker.core.errors import DomainError, NotFound
from legaltracker.core.forms import ServiceForm, refusal_status

from . import forms, recording, requestid, restrictions, retention, selectors, services
from . import subject_access as sar
from .models import CaseRestriction


def _require_subject_access(request: HttpRequest) -> None:
    if not services.may_handle_subject_access(request.user):
        raise PermissionDenied("Subject access requests are handled by administrators.")


def _require_manager(request: HttpRequest) -> None:
    if not restrictions.may_manage(request.user):
        raise PermissionDenied("Restrictions and retention reviews are for heads of service.")


def _submit(
    form: ServiceForm,
    act: Callable[[dict[str, Any]], object],
    *,
    again: Callable[[int], HttpResponse],
    done: str,
) -> HttpResponse:
    """A posted form on these pages: an invalid one shows its page again (400); a valid
    one goes to the service, whose refusal shows the page again with its message (status
    from `_status_for`), and success redirects to `done`."""
    if not form.is_valid():
        return again(400)
    try:
        act(form.cleaned_data)
    except DomainError as err:
        return again(refusal_status(form, err))
    return redirect(done)


# --- subject access --------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def subject_access(request: HttpRequest) -> HttpResponse:
    _require_subject_access(request)
    form = forms.SubjectSearchForm(request.POST if request.method == "POST" else None)
    context: dict[str, Any] = {"form": form, "matches": None}
    status = 200
    if request.method == "POST":
        if form.is_valid():
            matches = sar.search(**form.cleaned_data)
            context["matches"] = matches
            context["export_form"] = forms.SubjectExportForm(
                choices=[(match.key, match.key) for match in matches], user=request.user
            )
            # Who looked up whom, by id: the terms typed are not kept.
            recording.note(
                request,
                children=[m.row.pk for m in matches if m.kind == "child"],
                adults=[m.row.pk for m in matches if m.kind == "adult"],
            )
        else:
            status = 400
    return render(request, "audit/subject_access.html", context, status=status)


@login_required
@require_POST
def subject_access_export(request: HttpRequest) -> HttpResponse:
    _require_subject_access(request)
    form = forms.SubjectExportForm(request.POST, user=request.user)
    if not form.is_valid():
        return render(
            request,
            "audit/subject_access.html",
            {"form": forms.SubjectSearchForm(), "export_errors": form},
            status=400,
        )
    children, adults = form.ids()
    request_id = requestid.for_request(request)
    try:
        data = services.subject_access_export(
            actor=request.user,
            child_ids=children,
            adult_ids=adults,
            request_id=request_id,
            action="audit:subject_access_export POST",
        )
    except DomainError as err:
        status = refusal_status(form, err)
        return render(
            request,
            "audit/subject_access.html",
            {"form": forms.SubjectSearchForm(), "export_errors": form},
            status=status,
        )
    recording.mark_recorded(request)
    body = json.dumps(data, cls=DjangoJSONEncoder, indent=2, ensure_ascii=False)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    # No name in the file name: ids and the date only.
    filename = f"subject-access-{clock.today():%Y-%m-%d}-{request_id}.json"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


# --- restricted records ----------------------------------------------------------------


def _restriction(case: Any) -> CaseRestriction | None:
    try:
        return case.restriction
    except ObjectDoesNotExist:
        return None


def _restriction_page(
    request: HttpRequest, case_id: int, status: int = 200, **forms_given: Any
) -> HttpResponse:
    case = selectors.case_for_restriction(case_id)
    if case is None:
        raise Http404("There is no case with that id.")
    restriction = _restriction(case)
    context = {
        "case": case,
        "restriction": restriction,
        "named": list(restriction.access.all()) if restriction else [],
        "restrict_form": forms_given.get("restrict_form") or forms.RestrictForm(),
        "name_form": forms_given.get("name_form") or forms.NamePersonForm(),
        "lift_form": forms_given.get("lift_form") or forms.LiftForm(),
        "form": next(iter(forms_given.values()), None),  # the one with errors, if any
    }
    return render(request, "audit/restriction.html", context, status=status)


@login_required
@require_GET
def restrictions_list(request: HttpRequest) -> HttpResponse:
    _require_manager(request)
    return render(
        request, "audit/restrictions.html", {"restrictions": selectors.restricted_cases()}
    )


@login_required
@require_GET
def restriction_find(request: HttpRequest) -> HttpResponse:
    """The "go to case" box on the list: a case id only."""
    _require_manager(request)
    case_id = recording.parse_id(request.GET.get("case", "").strip())
    if case_id is None:
        return redirect("audit:restrictions")
    return redirect("audit:restriction", case_id=case_id)


def _restriction_change(
    request: HttpRequest,
    case_id: int,
    form_name: str,
    form: ServiceForm,
    act: Callable[[dict[str, Any]], object],
) -> HttpResponse:
    """Every change to a restriction goes back to the case's restriction page, with the
    form that was sent (and its errors) in its place there if it did not go through."""
    return _submit(
        form,
        act,
        again=lambda status: _restriction_page(request, case_id, status, **{form_name: form}),
        done=reverse("audit:restriction", kwargs={"case_id": case_id}),
    )


@login_required
@require_http_methods(["GET", "POST"])
def restriction(request: HttpRequest, case_id: int) -> HttpResponse:
    _require_manager(request)
    if request.method == "GET":
        return _restriction_page(request, case_id)
    return _restriction_change(
        request,
        case_id,
        "restrict_form",
        forms.RestrictForm(request.POST),
        lambda data: services.case_restrict(
            case_id=case_id,
            actor=request.user,
            reason=data["reason"],
            named_user_ids=[user.pk for user in data["people"]],
        ),
    )


@login_required
@require_POST
def restriction_name(request: HttpRequest, case_id: int) -> HttpResponse:
    _require_manager(request)
    return _restriction_change(
        request,
        case_id,
        "name_form",
        forms.NamePersonForm(request.POST),
        lambda data: services.restriction_name_person(
            case_id=case_id, actor=request.user, user_id=data["user"].pk
        ),
    )


@login_required
@require_POST
def restriction_remove(request: HttpRequest, case_id: int, user_id: int) -> HttpResponse:
    _require_manager(request)
    try:
        services.restriction_remove_person(case_id=case_id, actor=request.user, user_id=user_id)
    except NotFound as err:
        raise Http404(err.message) from err
    except DomainError as err:
        form = forms.LiftForm()
        return _restriction_page(request, case_id, refusal_status(form, err), lift_form=form)
    return redirect("audit:restriction", case_id=case_id)


@login_required
@require_POST
def restriction_lift(request: HttpRequest, case_id: int) -> HttpResponse:
    _require_manager(request)
    return _restriction_change(
        request,
        case_id,
        "lift_form",
        forms.LiftForm(request.POST),
        lambda data: services.case_unrestrict(
            case_id=case_id, actor=request.user, reason=data["reason"]
        ),
    )


# --- retention -------------------------------------------------------------------------


@login_required
@require_GET
def retention_review(request: HttpRequest) -> HttpResponse:
    _require_manager(request)
    return render(
        request,
        "audit/retention_review.html",
        {"due": retention.cases_due_for_review(clock.today()), "today": clock.today()},
    )


@login_required
@require_http_methods(["GET", "POST"])
def retention_decide(request: HttpRequest, case_id: int) -> HttpResponse:
    _require_manager(request)
    due = retention.due_for_review(case_id, clock.today())
    if due is None:
        raise Http404("That case is not due for a retention review.")
    form = forms.RetentionDecisionForm(request.POST if request.method == "POST" else None)

    def page(status: int = 200) -> HttpResponse:
        context = {"due": due, "form": form}
        return render(request, "audit/retention_decide.html", context, status=status)

    if request.method == "GET":
        return page()
    return _submit(
        form,
        lambda data: services.retention_decision_record(
            case_id=case_id,
            actor=request.user,
            decision=data["decision"],
            reasons=data["reasons"],
            review_again_on=data["review_again_on"],
        ),
        again=page,
        done=reverse("audit:retention"),
    )
