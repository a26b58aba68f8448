"""The letters' pages: the schedule of expectations, the letter details, writing a letter,
checking its readability, approving, recording it sent, and downloading it.

Thin views: read through a selector (a case the user may not see is a 404), check the
role (403), parse the form, call one service and redirect (POST-redirect-GET). A refusal
comes back onto the form with 400, or 409 when someone else changed the case.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from legaltracker.cases.models import Case
from legaltracker.core.downloads import attachment
from legaltracker.core.errors import DomainError, NotFound
from legaltracker.core.forms import ServiceForm, refusal_status

from . import conf, dates, forms, gate, permissions, selectors, services
from .choices import LetterStatus
from .models import Expectation, Letter, TranslationRequest
from .pdf import available as pdf_available
from .registry import REGISTRY
from .services import translations, variants

# The name of the second submit button where people add several items in a row.
ADD_ANOTHER = "add_another"


def case_url(case_id: int, anchor: str = "letters") -> str:
    return f"{reverse('casework:case_letters', args=[case_id])}#{anchor}"


def _case(user: Any, case_id: int) -> Case:
    case = (
        Case.objects.visible_to(user)
        .select_related("team", "social_worker")
        .prefetch_related("adults", "children")
        .filter(pk=case_id)
        .first()
    )
    if case is None:
        raise Http404("There is no case with that id that you can see.")
    return case


def _letter(user: Any, letter_id: int) -> Letter:
    letter = selectors.letter_with_case(letter_id)
    if letter is None or not permissions.can_view(user, letter.case):
        raise Http404("There is no letter with that id that you can see.")
    return letter


@dataclass(frozen=True)
class Submitted:
    """What came of a form: `done` with the service's `result`, or the `status` to show
    the form again with (200 before it is sent, 400 or 409 after)."""

    done: bool = False
    status: int = 200
    result: Any = None


def _submit(request: HttpRequest, form: ServiceForm, act: Callable[[], Any]) -> Submitted:
    """On a POST, check the form and call `act` (one service); a refusal goes back onto
    the form."""
    if request.method != "POST":
        return Submitted()
    if not form.is_valid():
        return Submitted(status=400)
    try:
        return Submitted(done=True, result=act())
    except DomainError as err:
        return Submitted(status=refusal_status(form, err))


def _adults(case: Case) -> list[tuple[int, str]]:
    return [
        (
            a.pk,
            f"{a} ({a.get_relationship_display().lower()}"
            f"{', parental responsibility' if a.parental_responsibility else ''})",
        )
        for a in case.adults.all()
    ]


# --- the case's letters at a glance -----------------------------------------------------


@login_required
@require_GET
def case_letters(request: HttpRequest, case_id: int) -> HttpResponse:
    case = _case(request.user, case_id)
    return render(request, "letters/case_letters.html", {"case": case})


def _case_form(
    request: HttpRequest,
    case: Case,
    form: ServiceForm,
    act: Callable[[], Any],
    *,
    template: str,
    anchor: str,
    done: str,
    warnings: Callable[[Any], list[str]] | None = None,
    **context: Any,
) -> HttpResponse:
    """A form about one case: on success say `done` (and any `warnings` about what was
    saved) and go back to the case page's `anchor` section; otherwise show `template`
    again with the form's errors."""
    submitted = _submit(request, form, act)
    if submitted.done:
        messages.success(request, done)
        _warn(request, warnings, submitted.result)
        return redirect(case_url(case.pk, anchor))
    back = case_url(case.pk, anchor)
    return render(
        request,
        template,
        {"case": case, "form": form, "back": back, **context},
        status=submitted.status,
    )


def _warn(request: HttpRequest, warnings: Callable[[Any], list[str]] | None, saved: Any) -> None:
    for warning in warnings(saved) if warnings else []:
        messages.warning(request, warning)


def _due_warning(saved: Any) -> list[str]:
    """An expectation due on a weekend or a bank holiday: saved, with a warning."""
    return dates.dated_warnings([(f"Item {saved.position}'s date", saved.due_by)])


def _versioned(
    case: Case, form: ServiceForm, service: Callable[..., Any], request: HttpRequest
) -> Callable[[], Any]:
    """The call of a case service with the form's data and the case version it was read at."""
    return lambda: service(
        case_id=case.pk,
        actor=request.user,
        data=form.service_data(),
        expected_version=form.cleaned_data.get("version"),
    )


# --- the schedule of expectations ---------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def expectation_create(request: HttpRequest, case_id: int) -> HttpResponse:
    case = _case(request.user, case_id)
    if not permissions.may_edit_expectations(request.user, case):
        raise PermissionDenied("Your role cannot change this case's schedule of expectations.")
    form = forms.ExpectationForm(
        request.POST or None, adults=_adults(case), initial={"version": case.version}
    )
    if request.method == "POST" and ADD_ANOTHER in request.POST:
        # "Save and add another": a letter has several items; the empty form comes back
        # with the one just saved named in the banner.
        submitted = _submit(
            request, form, _versioned(case, form, services.expectation_create, request)
        )
        if submitted.done:
            messages.success(
                request,
                f"Item {submitted.result.position} was added to the schedule of expectations. "
                "Add the next item below.",
            )
            _warn(request, _due_warning, submitted.result)
            return redirect(reverse("letters:expectation_create", args=[case.pk]))
        return render(
            request,
            "letters/expectation_form.html",
            {
                "case": case,
                "form": form,
                "back": case_url(case.pk, "expectations"),
                "title": "Add to the schedule of expectations",
                "add_another": True,
            },
            status=submitted.status,
        )
    return _case_form(
        request,
        case,
        form,
        _versioned(case, form, services.expectation_create, request),
        template="letters/expectation_form.html",
        anchor="expectations",
        done="The item was added to the schedule of expectations.",
        warnings=_due_warning,
        title="Add to the schedule of expectations",
        add_another=True,
    )


@login_required
@require_http_methods(["GET", "POST"])
def expectation_edit(request: HttpRequest, expectation_id: int) -> HttpResponse:
    found = Expectation.objects.filter(pk=expectation_id).prefetch_related("adults").first()
    if found is None:
        raise Http404("There is no expectation with that id.")
    case = _case(request.user, found.case_id)
    if not permissions.may_edit_expectations(request.user, case):
        raise PermissionDenied("Your role cannot change this case's schedule of expectations.")
    initial = {
        "version": case.version,
        "adults": [str(a.pk) for a in found.adults.all()],
        "action": found.action,
        "why_it_matters": found.why_it_matters,
        "help_offered": found.help_offered,
        "how_judged": found.how_judged,
        "due_by": found.due_by,
        "withdrawn": found.withdrawn,
        "withdrawn_reason": found.withdrawn_reason,
    }
    form = forms.ExpectationEditForm(request.POST or None, adults=_adults(case), initial=initial)

    def save() -> Expectation:
        data = form.service_data()
        if data["due_by"] == found.due_by.isoformat():
            # An unchanged date is not re-checked against today: only a new date must be
            # in the future.
            data.pop("due_by")
        return services.expectation_update(
            expectation_id=found.pk,
            actor=request.user,
            data=data,
            expected_version=form.cleaned_data.get("version"),
        )

    return _case_form(
        request,
        case,
        form,
        save,
        template="letters/expectation_form.html",
        anchor="expectations",
        done=f"Item {found.position} of the schedule was saved.",
        warnings=_due_warning,
        title=f"Change item {found.position}",
    )


@login_required
@require_http_methods(["GET", "POST"])
def expectation_review(request: HttpRequest, case_id: int) -> HttpResponse:
    case = _case(request.user, case_id)
    if not permissions.may_edit_expectations(request.user, case):
        raise PermissionDenied("Your role cannot review this case's schedule of expectations.")
    expectations = list(selectors.expectations_for_case(case.pk))
    form = forms.ReviewForm(
        request.POST or None, expectations=expectations, initial={"version": case.version}
    )
    return _case_form(
        request,
        case,
        form,
        _versioned(case, form, services.expectation_review, request),
        template="letters/review_form.html",
        anchor="expectations",
        done="The review of the schedule of expectations was recorded.",
    )


# --- the letter details ---------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def details_edit(request: HttpRequest, case_id: int) -> HttpResponse:
    case = _case(request.user, case_id)
    if not permissions.may_edit_details(request.user, case):
        raise PermissionDenied("Your role cannot change what this case's letters say.")
    initial = {
        "version": case.version,
        **forms.DetailsForm.initial_from(selectors.letter_details(case.pk)),
    }
    form = forms.DetailsForm(request.POST or None, initial=initial)
    return _case_form(
        request,
        case,
        form,
        _versioned(case, form, services.letter_details_update, request),
        template="letters/details_form.html",
        anchor="letters",
        done="What the letters say was saved.",
        warnings=dates.details_warnings,
    )


# --- letters --------------------------------------------------------------------------------


def _kind_choices(case: Case) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """(kinds this case can have now, kinds it cannot, each with the reason)."""
    can, cannot = [], []
    for kind, spec in REGISTRY.items():
        reason = spec.unavailable(case)
        if reason:
            cannot.append((spec.label, reason))
        else:
            can.append((kind, spec.label))
    return can, cannot


@login_required
@require_http_methods(["GET", "POST"])
def letter_create(request: HttpRequest, case_id: int) -> HttpResponse:
    case = _case(request.user, case_id)
    if not permissions.may_draft(request.user, case):
        raise PermissionDenied("Your role cannot write letters on this case.")
    kinds, unavailable = _kind_choices(case)
    adults = [(str(pk), name) for pk, name in _adults(case)]
    initial = {"kind": kinds[0][0]} if len(kinds) == 1 else {}
    if request.GET.get("kind") in {kind for kind, _label in kinds}:
        initial = {"kind": request.GET["kind"]}  # chosen by the link that led here
    initial = {**initial, "variant": "", "language": ""}
    young = [(str(child.pk), str(child)) for child in variants.young_people(case)]
    form = forms.LetterCreateForm(
        request.POST or None, kinds=kinds, adults=adults, young_people=young, initial=initial
    )

    def make() -> list[Letter]:
        data = form.service_data()
        if data["recipient"] == form.EACH_WITH_PR and data.get("variant") != "young_person":
            return services.letters_generate_for_recipients(
                case_id=case.pk, actor=request.user, data=data
            )
        return [services.letter_generate(case_id=case.pk, actor=request.user, data=data)]

    submitted = _submit(request, form, make)
    if submitted.done:
        made = submitted.result
        if len(made) == 1:
            return redirect("letters:letter_detail", letter_id=made[0].pk)
        messages.success(request, f"{len(made)} draft letters were made. Check each one.")
        return redirect(case_url(case.pk))
    return render(
        request,
        "letters/letter_create.html",
        {"case": case, "form": form, "unavailable": unavailable, "back": case_url(case.pk)},
        status=submitted.status,
    )


def _letter_page(
    request: HttpRequest,
    letter: Letter,
    *,
    approve_form: Any = None,
    sent_form: Any = None,
    plain_form: Any = None,
    status: int = 200,
    download_error: str = "",
    attach_form: Any = None,
    waive_form: Any = None,
) -> HttpResponse:
    case = letter.case
    spec = REGISTRY[letter.kind]
    gate_level = conf.approval_min_reading_ease()
    is_draft = letter.status == LetterStatus.DRAFT
    checks = gate.approval_checks(letter) if is_draft else []
    failed = [check for check in checks if not check.passed]
    is_welsh = letter.language in gate.WELSH_LANGUAGES
    context = {
        "case": case,
        "letter": letter,
        "spec": spec,
        "report": letter.readability,
        "gate": gate_level,
        "checks": checks,
        "failed": failed,
        "is_welsh": is_welsh,
        "may_approve": is_draft and permissions.may_approve(request.user, case),
        "may_override": permissions.may_override_gate(request.user, case),
        "may_check_plain": is_draft
        and is_welsh
        and permissions.may_check_plain_language(request.user, case),
        "may_send": letter.status == LetterStatus.APPROVED
        and permissions.may_record_sent(request.user, case, spec.sent_event),
        "approve_form": approve_form or forms.ApproveForm(),
        "sent_form": sent_form or forms.SentForm(),
        "plain_form": plain_form or forms.PlainLanguageForm(),
        "pdf_available": pdf_available(),
        "download_error": download_error,
        "back": case_url(case.pk),
        "date_warnings": dates.letter_date_warnings(letter.context or {}) if is_draft else [],
        **_translation_context(request, letter, attach_form, waive_form),
    }
    return render(request, "letters/letter_detail.html", context, status=status)


def _translation_context(
    request: HttpRequest, letter: Letter, attach_form: Any, waive_form: Any
) -> dict[str, Any]:
    found = TranslationRequest.objects.filter(letter=letter).first()
    open_request = found is not None and not found.settled and letter.status != LetterStatus.SENT
    return {
        "translation": found,
        "may_attach_translation": open_request
        and translations.may_attach(request.user, letter.case),
        "may_waive_translation": open_request and translations.may_waive(request.user, letter.case),
        "attach_form": attach_form or forms.TranslationAttachForm(),
        "waive_form": waive_form or forms.TranslationWaiveForm(),
    }


@login_required
@require_GET
def letter_detail(request: HttpRequest, letter_id: int) -> HttpResponse:
    return _letter_page(request, _letter(request.user, letter_id))


def _letter_action(
    request: HttpRequest,
    letter_id: int,
    form: forms.ApproveForm | forms.SentForm | forms.PlainLanguageForm,
    act: Callable[[Letter], Any],
    done: str,
) -> HttpResponse:
    """Approve a letter, record its plain-language check or record it as sent: the letter
    page again on a refusal."""
    letter = _letter(request.user, letter_id)
    submitted = _submit(request, form, lambda: act(letter))
    if submitted.done:
        messages.success(request, done)
        return redirect("letters:letter_detail", letter_id=letter.pk)
    return _letter_page(
        request,
        letter,
        approve_form=form if isinstance(form, forms.ApproveForm) else None,
        sent_form=form if isinstance(form, forms.SentForm) else None,
        plain_form=form if isinstance(form, forms.PlainLanguageForm) else None,
        status=submitted.status,
    )


@login_required
@require_POST
def letter_approve(request: HttpRequest, letter_id: int) -> HttpResponse:
    form = forms.ApproveForm(request.POST)
    return _letter_action(
        request,
        letter_id,
        form,
        lambda letter: services.letter_approve(
            letter_id=letter.pk, actor=request.user, data=form.service_data()
        ),
        "The letter is approved. Record it as sent when it goes.",
    )


@login_required
@require_POST
def letter_plain_language_check(request: HttpRequest, letter_id: int) -> HttpResponse:
    form = forms.PlainLanguageForm(request.POST)
    return _letter_action(
        request,
        letter_id,
        form,
        lambda letter: services.letter_plain_language_check(
            letter_id=letter.pk, actor=request.user, data=form.service_data()
        ),
        "The plain-language check is recorded.",
    )


@login_required
@require_POST
def letter_sent(request: HttpRequest, letter_id: int) -> HttpResponse:
    form = forms.SentForm(request.POST)
    return _letter_action(
        request,
        letter_id,
        form,
        lambda letter: services.letter_record_sent(
            letter_id=letter.pk, actor=request.user, data=form.service_data()
        ),
        "The letter is recorded as sent.",
    )


@login_required
@require_POST
def translation_attach(request: HttpRequest, letter_id: int) -> HttpResponse:
    letter = _letter(request.user, letter_id)
    form = forms.TranslationAttachForm(request.POST, request.FILES)
    submitted = _submit(
        request,
        form,
        lambda: translations.translation_attach(
            letter_id=letter.pk, actor=request.user, **form.service_data()
        ),
    )
    if submitted.done:
        messages.success(request, "The translation is attached.")
        return redirect("letters:letter_detail", letter_id=letter.pk)
    return _letter_page(request, letter, attach_form=form, status=submitted.status)


@login_required
@require_POST
def translation_waive(request: HttpRequest, letter_id: int) -> HttpResponse:
    letter = _letter(request.user, letter_id)
    form = forms.TranslationWaiveForm(request.POST)
    submitted = _submit(
        request,
        form,
        lambda: translations.translation_waive(
            letter_id=letter.pk, actor=request.user, data=form.service_data()
        ),
    )
    if submitted.done:
        messages.success(request, "Recorded: the letter goes without a translation.")
        return redirect("letters:letter_detail", letter_id=letter.pk)
    return _letter_page(request, letter, waive_form=form, status=submitted.status)


@login_required
@require_GET
def letter_download(
    request: HttpRequest, letter_id: int, file_format: str
) -> HttpResponse | FileResponse:
    try:
        download = services.letter_download(
            letter_id=letter_id, actor=request.user, file_format=file_format
        )
    except NotFound as err:
        raise Http404(err.message) from err
    except DomainError as err:
        letter = _letter(request.user, letter_id)
        return _letter_page(request, letter, status=err.status, download_error=err.message)
    return attachment(download)
