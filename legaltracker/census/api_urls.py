"""The census return's JSON (mounted at /api/v1/census/). The year is captured as text so
that a year that is not one is a 400 with a message, not a bare 404."""

from django.urls import path

from . import api

app_name = "census_api"

urlpatterns = [
    path("<str:year>/", api.CensusReturnView.as_view(), name="return"),
]
