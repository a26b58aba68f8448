"""The project's URLs plus the letters' pages and API, as the lead will mount them
(until they are mounted in legaltracker/urls.py; then this adds nothing)."""

from django.urls import include, path

from legaltracker.urls import urlpatterns as project

_mounted = {getattr(pattern, "namespace", None) for pattern in project}

urlpatterns = [
    *([] if "letters" in _mounted else [path("letters/", include("letters.urls"))]),
    *([] if "letters_api" in _mounted else [path("api/v1/", include("letters.api_urls"))]),
    *project,
]
