"""The project's URLs plus one fault-injection view for the access log tests."""

from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.urls import path

from legaltracker.accounts.models import Team
from legaltracker.urls import urlpatterns as project


def fails_half_way(request: HttpRequest, case_id: int) -> HttpResponse:
    """Writes a row, then crashes: the middleware must keep nothing it wrote."""
    with transaction.atomic():
        Team.objects.create(code=f"half-written-{case_id}", name="Half written")
    raise RuntimeError("simulated failure after a write")


urlpatterns = [
    path("test-faults/<int:case_id>/", fails_half_way, name="test_fault"),
    *project,
]
