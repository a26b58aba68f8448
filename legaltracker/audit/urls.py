"""Subject access, restricted records and retention reviews (namespace `audit`, mounted by
the project at /audit/). Only ids in URLs: names are searched for in POST bodies."""

from django.urls import path

from . import views

app_name = "audit"

urlpatterns = [
    path("subject-access/", views.subject_access, name="subject_access"),
    path("subject-access/export/", views.subject_access_export, name="subject_access_export"),
    path("restrictions/", views.restrictions_list, name="restrictions"),
    path("restrictions/find/", views.restriction_find, name="restriction_find"),
    path("restrictions/<int:case_id>/", views.restriction, name="restriction"),
    path("restrictions/<int:case_id>/name/", views.restriction_name, name="restriction_name"),
    path(
        "restrictions/<int:case_id>/remove/<int:user_id>/",
        views.restriction_remove,
        name="restriction_remove",
    ),
    path("restrictions/<int:case_id>/lift/", views.restriction_lift, name="restriction_lift"),
    path("retention/", views.retention_review, name="retention"),
    path("retention/<int:case_id>/", views.retention_decide, name="retention_decide"),
]
