"""The `api` namespace under /api/v1/: the schema, and the case endpoints that each app owns
(included by dotted path, so that this kit imports no domain app). The board and the letters
mount their own namespaces from legaltracker/urls.py."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView

app_name = "api"

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("", include("legaltracker.cases.api_urls")),
]
