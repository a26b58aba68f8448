"""The project's URLs with the alerts app mounted at /alerts/, for tests run before the
project's urlconf includes it (`@pytest.mark.urls("tests.alerts.urls")`)."""

from django.urls import include, path

from legaltracker import urls as project

_mounted = any(getattr(p, "namespace", None) == "alerts" for p in project.urlpatterns)

urlpatterns = list(project.urlpatterns)
if not _mounted:
    urlpatterns.insert(0, path("alerts/", include("legaltracker.alerts.urls")))
