"""An export's pages (mounted at /exports/)."""

from django.urls import path

from . import views

app_name = "exports"

urlpatterns = [
    path("<int:export_id>/", views.job_detail, name="job"),
    path("<int:export_id>/download/", views.job_download, name="download"),
    path("<int:export_id>/retry/", views.job_retry, name="retry"),
]
