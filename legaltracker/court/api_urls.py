"""The court record's routes of the JSON API v1, mounted by the project under /api/v1/
(namespace `court_api`).

Ids are captured as text so that a non-integer id is a 400 with a message (the view parses
it), as in legaltracker/cases/api_urls.py. An adult or a child on the case is a
`member_id`, as in the case endpoints (no URL parameter names a kind of person).
"""

from django.urls import path

from . import api

app_name = "court_api"

urlpatterns = [
    path("court-centres/", api.CourtCentresView.as_view(), name="court-centres"),
    path("hearing-reasons/", api.HearingReasonsView.as_view(), name="hearing-reasons"),
    path("cases/<str:case_id>/proceedings/", api.ProceedingsView.as_view(), name="proceedings"),
    path(
        "cases/<str:case_id>/adults/<str:member_id>/representation/",
        api.RepresentationView.as_view(),
        name="representation",
    ),
    path("cases/<str:case_id>/hearings/", api.CaseHearingsView.as_view(), name="case-hearings"),
    path("hearings/<str:hearing_id>/", api.HearingDetailView.as_view(), name="hearing"),
    path("hearings/<str:hearing_id>/hold/", api.HearingHoldView.as_view(), name="hearing-hold"),
    path(
        "hearings/<str:hearing_id>/adjourn/",
        api.HearingAdjournView.as_view(),
        name="hearing-adjourn",
    ),
    path(
        "hearings/<str:hearing_id>/vacate/", api.HearingVacateView.as_view(), name="hearing-vacate"
    ),
    path(
        "hearings/<str:hearing_id>/draft-order-sent/",
        api.DraftOrderSentView.as_view(),
        name="hearing-draft-order-sent",
    ),
    path(
        "cases/<str:case_id>/directions/",
        api.CaseDirectionsView.as_view(),
        name="case-directions",
    ),
    path(
        "cases/<str:case_id>/directions/standard/",
        api.StandardDirectionsView.as_view(),
        name="case-standard-directions",
    ),
    path("directions/<str:direction_id>/", api.DirectionDetailView.as_view(), name="direction"),
    path("cases/<str:case_id>/experts/", api.CaseExpertsView.as_view(), name="case-experts"),
    path("experts/<str:expert_id>/", api.ExpertDetailView.as_view(), name="expert"),
    path("cases/<str:case_id>/timetable/", api.TimetableView.as_view(), name="timetable"),
    path(
        "cases/<str:case_id>/timetable/extensions/",
        api.TimetableExtensionsView.as_view(),
        name="timetable-extensions",
    ),
    path(
        "cases/<str:case_id>/children/<str:member_id>/joined/",
        api.ChildJoinedView.as_view(),
        name="child-joined",
    ),
]
