"""The access audit: one `AccessLog` row for each request that reads a case or another
record by id, exports, downloads a letter, calls the API or changes anything.

Which requests (decided from the URL before the view runs, with no query):
- a URL whose arguments include an id (`case_id`, `letter_id`, `event_id`,
  `expectation_id`, ...: any argument named `*_id`);
- the URL names in `AUDIT_ALWAYS_URL_NAMES` (the board's exports, "Find a case");
- every request under `AUDIT_API_PREFIXES` (the API);
- every admin page about cases opened by a signed-in person (`admin_reads`, which also
  names the case, as the admin's URLs do not);
- every request other than GET, HEAD and OPTIONS by a signed-in person.

Anonymous refusals under the API are the exception: at most one row per address per
window (legaltracker.audit.anonymous).

Fail closed (docs/retention.md, "When the audit cannot be written"): a change and its
row are one transaction, so a change that cannot be audited is rolled back and answered
503; a read that cannot be audited is not shown (503 instead of the page).

Goes right after `AuthenticationMiddleware` in MIDDLEWARE (it needs `request.user`, and
everything that can change data runs inside it).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db import connection, transaction
from django.http import HttpRequest, HttpResponse
from django.urls import Resolver404, ResolverMatch, resolve

from legaltracker.core import unavailable

from . import admin_reads, anonymous, conf, recording, requestid

logger = logging.getLogger(__name__)

UNAVAILABLE_MESSAGE = (
    "Sorry, this could not be done because the system could not record who asked for it. "
    "Nothing was changed. Try again in a few minutes; if it keeps happening, contact the "
    "service desk and give them the request id."
)


class AuditWriteFailed(Exception):
    """The row could not be written; raised inside the change's transaction to undo it."""


@dataclass
class Plan:
    action: str
    case_id: int | None = None
    object_type: str = ""
    object_id: int | None = None
    details: dict[str, int] = field(default_factory=dict)


def _signed_in(user: Any) -> bool:
    return bool(user is not None and getattr(user, "is_authenticated", False))


def _match(request: HttpRequest) -> ResolverMatch | None:
    try:
        return resolve(request.path_info, getattr(request, "urlconf", None))
    except Resolver404:
        return None


def _ids(kwargs: dict[str, Any]) -> tuple[int | None, str, int | None, dict[str, int]]:
    """The case id, the first other object and any further ids named by URL arguments."""
    case_id: int | None = None
    object_type, object_id = "", None
    details: dict[str, int] = {}
    for name, value in kwargs.items():
        if not name.endswith("_id"):
            continue
        number = recording.parse_id(value)
        kind = name[: -len("_id")]
        if kind == "case":
            case_id = number
        elif not object_type:
            object_type, object_id = kind, number
        elif number is not None:
            details[name] = number
    return case_id, object_type, object_id, details


class AccessAuditMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        method = recording.method_word(request.method)
        change = method not in recording.SAFE_METHODS
        match = _match(request)
        plan = self._plan(request, match, method)
        if plan is None and change and _signed_in(getattr(request, "user", None)):
            plan = Plan(action=f"{match.view_name if match else '<unresolved>'} {method}")
        if plan is None:
            return self.get_response(request)
        # Kept before the view runs: signing out replaces request.user with an anonymous
        # user, and the row belongs to the person who asked.
        user_before = getattr(request, "user", None)
        if change:
            return self._change(request, plan, user_before)
        return self._read(request, plan, user_before)

    def _plan(self, request: HttpRequest, match: ResolverMatch | None, method: str) -> Plan | None:
        is_api = request.path_info.startswith(conf.api_prefixes())
        if match is None:
            return Plan(action=f"<unresolved> {method}") if is_api else None
        case_id, object_type, object_id, details = _ids(match.kwargs)
        has_ids = case_id is not None or bool(object_type)
        if not (
            has_ids
            or is_api
            or match.view_name in conf.always_audited_url_names()
            or (
                admin_reads.case_admin_model(match) is not None
                and _signed_in(getattr(request, "user", None))
            )
        ):
            return None
        return Plan(
            action=f"{match.view_name} {method}",
            case_id=case_id,
            object_type=object_type,
            object_id=object_id,
            details=details,
        )

    def _read(self, request: HttpRequest, plan: Plan, user_before: Any) -> HttpResponse:
        response = self.get_response(request)
        try:
            if connection.in_atomic_block:
                # Inside someone else's transaction (tests): a failed insert must not
                # poison it for what runs after this middleware.
                with transaction.atomic():
                    self._write(request, plan, response, user_before)
            else:
                self._write(request, plan, response, user_before)
        except Exception as exc:
            if hasattr(response, "close"):
                response.close()
            if unavailable.database_unavailable(exc):
                # The database is away: the outage's 503 (JSON under /api/), logged once.
                return unavailable.response(request, exc)
            logger.exception("Access audit row not written for a read; the response is withheld")
            return self._unavailable(request)
        return response

    def _change(self, request: HttpRequest, plan: Plan, user_before: Any) -> HttpResponse:
        response: HttpResponse | None = None
        try:
            with transaction.atomic():
                response = self.get_response(request)
                if response.status_code >= 500:
                    # The view failed half-way: keep nothing it wrote. The row is written
                    # below, outside the rolled-back transaction.
                    transaction.set_rollback(True)
                else:
                    try:
                        self._write(request, plan, response, user_before)
                    except Exception as exc:
                        raise AuditWriteFailed from exc
        except AuditWriteFailed as failed:
            if unavailable.database_unavailable(failed):
                return unavailable.response(request, failed)
            logger.exception("Access audit row not written for a change; the change is undone")
            return self._unavailable(request)
        assert response is not None
        if response.status_code >= 500:
            try:
                self._write(request, plan, response, user_before)
            except Exception as exc:
                if not unavailable.database_unavailable(exc):
                    logger.exception("Access audit row not written for a failed request")
        return response

    def _write(
        self, request: HttpRequest, plan: Plan, response: HttpResponse, user_before: Any
    ) -> None:
        if recording.was_recorded(request):
            return
        admin_reads.note_case_ids(request, response)
        user = getattr(request, "user", None)
        actor = user if _signed_in(user) else user_before
        notes = recording.notes_for(request)
        details = {**plan.details, **notes.get("details", {})}
        if anonymous.is_anonymous_api_refusal(request, response, actor):
            if not anonymous.first_in_window(request):
                return
            details["anonymous_window_seconds"] = anonymous.window_seconds()
        recording.access_record(
            actor=actor,
            action=plan.action,
            status=response.status_code,
            outcome=recording.outcome_for(response.status_code, signed_in=_signed_in(actor)),
            request_id=requestid.for_request(request),
            case_id=notes.get("case_id", plan.case_id),
            object_type=notes.get("object_type", plan.object_type),
            object_id=notes.get("object_id", plan.object_id),
            details=details,
        )

    def _unavailable(self, request: HttpRequest) -> HttpResponse:
        response = HttpResponse(
            UNAVAILABLE_MESSAGE, status=503, content_type="text/plain; charset=utf-8"
        )
        response["Retry-After"] = "60"
        response["Cache-Control"] = "no-store"
        return response
