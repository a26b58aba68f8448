"""The project's URLs with the audit pages (and the letters' pages and API) mounted as the
lead will mount them, for tests run before the project's urlconf includes them; once it
does, this adds only the fault-injection view below.
"""

from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.urls import include, path

from legaltracker.accounts.models import Team
from legaltracker.urls import urlpatterns as project

_mounted = {getattr(pattern, "namespace", None) for pattern in project}


def fails_half_way(request: HttpRequest, case_id: int) -> HttpResponse:
    """Writes a row, then crashes: the middleware must keep nothing it wrote."""
    with transaction.atomic():
        Team.objects.create(code=f"half-written-{case_id}", name="Half written")
    raise RuntimeError("simulated failure after a write")


urlpatterns = [
    *([] if "audit" in _mounted else [path("audit/", include("legaltracker.audit.urls"))]),
    *([] if "letters" in _mounted else [path("letters/", include("letters.urls"))]),
    *([] if "letters_api" in _mounted else [path("api/v1/", include("letters.api_urls"))]),
    path("test-faults/<int:case_id>/", fails_half_way, name="test_fault"),
    *project,
]
