"""Which case an admin page shows, for its access log row.

The Django admin's URLs carry `object_id`, not `case_id`: without this, an admin read of a
case, a child or an event was logged with no case and never appeared in the case's access
log (docs/security.md, "Finding 1"). Any admin page of a model that is a case or has a
`case` field is covered, whichever app registers it.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.urls import ResolverMatch

from . import recording


def _case_column(model: Any) -> str | None:
    """ "pk" for the case itself, "case_id" for a model that belongs to one, else None."""
    from django.apps import apps

    if model is apps.get_model("cases", "Case"):
        return "pk"
    try:
        field = model._meta.get_field("case")
    except Exception:
        return None
    if getattr(field, "related_model", None) is apps.get_model("cases", "Case"):
        return "case_id"
    return None


def case_admin_model(match: ResolverMatch | None) -> Any:
    """The model of an admin page about cases, or None for any other page."""
    if match is None or "admin" not in match.namespaces:
        return None
    model_admin = getattr(match.func, "model_admin", None)
    model = getattr(model_admin, "model", None)
    return model if model is not None and _case_column(model) else None


def note_case_ids(request: HttpRequest, response: HttpResponse) -> None:
    """Add the case (one object's page) or the cases listed (a list page) to the row."""
    model = case_admin_model(getattr(request, "resolver_match", None))
    if model is None:
        return
    column = _case_column(model)
    assert column is not None
    object_id = request.resolver_match.kwargs.get("object_id")  # type: ignore[union-attr]
    if object_id is not None:
        # Looked up whatever the reader may see: a refused read is logged against the
        # case too.
        pk = recording.parse_id(object_id)
        case_id = None
        if pk is not None:
            rows = model._default_manager.filter(pk=pk).values_list(column, flat=True)
            case_id = rows.first()
        recording.note(request, case_id=case_id, object_type=model._meta.model_name, object_id=pk)
        return
    changelist = (getattr(response, "context_data", None) or {}).get("cl")
    if changelist is not None:
        attribute = "pk" if column == "pk" else "case_id"
        listed = {getattr(obj, attribute) for obj in changelist.result_list}
        recording.note(request, cases=sorted(i for i in listed if i is not None))
