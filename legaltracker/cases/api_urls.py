"""The case endpoints' routes, included by legaltracker/api/urls.py so that they keep their
`api:` names and their /api/v1/ paths.

Ids are captured as text so that a non-integer id is a 400 with a message (the view parses
it), not a bare 404 page from the URL resolver.
"""

from django.urls import path

from . import api

urlpatterns = [
    path("cases/", api.CaseListCreateView.as_view(), name="cases"),
    path("cases/<str:case_id>/", api.CaseDetailView.as_view(), name="case"),
    path(
        "cases/<str:case_id>/transitions/<str:transition>/",
        api.CaseTransitionView.as_view(),
        name="case-transition",
    ),
    path("cases/<str:case_id>/events/", api.CaseEventsView.as_view(), name="case-events"),
    path("cases/<str:case_id>/lawyer/", api.CaseLawyerView.as_view(), name="case-lawyer"),
    path("cases/<str:case_id>/history/", api.CaseHistoryView.as_view(), name="case-history"),
    path(
        "cases/<str:case_id>/adults/<str:member_id>/communication/",
        api.AdultCommunicationView.as_view(),
        name="adult-communication",
    ),
    path("events/<str:event_id>/", api.EventDetailView.as_view(), name="event"),
]
