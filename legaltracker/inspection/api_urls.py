"""The inspection list's JSON twin (mounted at /api/v1/inspection-list/)."""

from django.urls import path

from . import api

app_name = "inspection_api"

urlpatterns = [
    path("", api.InspectionListAPIView.as_view(), name="list"),
]
