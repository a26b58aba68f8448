"""The inspection list (mounted at /reports/inspection-list/)."""

from django.urls import path

from . import views

app_name = "inspection"

urlpatterns = [
    path("", views.inspection_list, name="list"),
]
