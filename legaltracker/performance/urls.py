"""The performance reports (mounted at /reports/performance/)."""

from django.urls import path

from . import views

app_name = "performance"

urlpatterns = [
    path("", views.reports, name="reports"),
    path("export.csv", views.export_csv, name="export_csv"),
    path("export.xlsx", views.export_xlsx, name="export_xlsx"),
]
