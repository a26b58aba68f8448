from django.urls import path
from drf_spectacular.views import SpectacularAPIView

from . import views

app_name = "api"

# Ids are captured as text so that a non-integer id is a 400 with a message (the view
# parses it), not a bare 404 page from the URL resolver.
urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("cases/", views.CaseListCreateView.as_view(), name="cases"),
    path("cases/<str:case_id>/", views.CaseDetailView.as_view(), name="case"),
    path(
        "cases/<str:case_id>/transitions/<str:transition>/",
        views.CaseTransitionView.as_view(),
        name="case-transition",
    ),
    path("cases/<str:case_id>/events/", views.CaseEventsView.as_view(), name="case-events"),
    path("cases/<str:case_id>/history/", views.CaseHistoryView.as_view(), name="case-history"),
    path("events/<str:event_id>/", views.EventDetailView.as_view(), name="event"),
]
