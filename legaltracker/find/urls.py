"""Mounted under /cases/ beside the case pages (legaltracker/urls.py): neither path is a
case id, so the case pages' `<int:case_id>/` never takes them."""

from django.urls import path

from . import views

app_name = "find"

urlpatterns = [
    path("search/", views.search, name="search"),
    path("team/", views.team, name="team"),
]
