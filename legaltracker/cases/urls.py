"""The case page and its forms. Only ids (and the names of actions) appear in URLs."""

from django.urls import path

from . import views

# The namespace keeps its old name: the access log stores each request's view name
# ("casework:case_detail GET"), so renaming it would split the audit trail of every case,
# and a second namespace over the same paths would give each page two names (docs/retention.md).
app_name = "casework"

urlpatterns = [
    path("new/", views.case_create, name="case_create"),
    path("<int:case_id>/", views.case_detail, name="case_detail"),
    path("<int:case_id>/actions/<slug:name>/", views.transition, name="transition"),
    path("<int:case_id>/record/<slug:kind>/", views.record_event, name="record_event"),
    path("events/<int:event_id>/correct/", views.correct_event, name="correct_event"),
]
