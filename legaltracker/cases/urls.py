"""The case page and its forms. Only ids (and the names of actions) appear in URLs."""

from django.urls import path

from . import views

# The namespace keeps its old name: the access log stores each request's view name
# ("casework:case_detail GET"), so renaming it would split the audit trail of every case,
# and a second namespace over the same paths would give each page two names (docs/retention.md).
app_name = "casework"

urlpatterns = [
    path("new/", views.case_create, name="case_create"),
    # The case page: its Overview, then one page per section (presenters.SECTIONS).
    path("<int:case_id>/", views.case_detail, name="case_detail"),
    path("<int:case_id>/people/", views.case_people, name="case_people"),
    path("<int:case_id>/deadlines/", views.case_deadlines, name="case_deadlines"),
    path("<int:case_id>/events/", views.case_events, name="case_events"),
    path("<int:case_id>/letters/", views.case_letters, name="case_letters"),
    path("<int:case_id>/court/", views.case_court, name="case_court"),
    path("<int:case_id>/history/", views.case_history, name="case_history"),
    path("<int:case_id>/actions/<slug:name>/", views.transition, name="transition"),
    path("<int:case_id>/record/<slug:kind>/", views.record_event, name="record_event"),
    path("events/<int:event_id>/correct/", views.correct_event, name="correct_event"),
    path(
        "<int:case_id>/extension-request/",
        views.extension_request_create,
        name="extension_request_create",
    ),
    path("extension-requests/<int:request_id>/", views.extension_request, name="extension_request"),
]

# Less typing (docs/decisions.md, "Fit for a working day").
urlpatterns += [
    path("<int:case_id>/day1-documents/", views.day1_documents, name="day1_documents"),
    path("<int:case_id>/reassign/", views.case_reassign, name="case_reassign"),
    path("<int:case_id>/lawyer/", views.case_allocate_lawyer, name="case_allocate_lawyer"),
    path("<int:case_id>/people/add/<slug:member>/", views.person_add, name="person_add"),
    path(
        "<int:case_id>/people/<slug:member>/<int:member_id>/",
        views.person_edit,
        name="person_edit",
    ),
    path("<int:case_id>/people/child/<int:member_id>/born/", views.child_born, name="child_born"),
]
