"""The performance figures' JSON twin (mounted at /api/v1/reports/performance/)."""

from django.urls import path

from . import api

app_name = "performance_api"

urlpatterns = [
    path("", api.PerformanceAPIView.as_view(), name="report"),
]
