"""The court record's pages under a case (docs/court.md). Only ids appear in URLs: a
hearing, direction or expert assessment is addressed by its own id, a party or child by
its row id on the case (`member_id`)."""

from django.urls import path

from . import views

app_name = "court"

urlpatterns = [
    path("<int:case_id>/court/record/", views.record, name="record"),
    path("<int:case_id>/court/proceedings/", views.proceedings_edit, name="proceedings_edit"),
    path("<int:case_id>/court/parties/<int:member_id>/", views.party_edit, name="party_edit"),
    path("<int:case_id>/court/hearings/new/", views.hearing_list, name="hearing_list"),
    path("court/hearings/<int:hearing_id>/held/", views.hearing_hold, name="hearing_hold"),
    path(
        "court/hearings/<int:hearing_id>/adjourned/",
        views.hearing_adjourn,
        name="hearing_adjourn",
    ),
    path("court/hearings/<int:hearing_id>/vacated/", views.hearing_vacate, name="hearing_vacate"),
    path(
        "court/hearings/<int:hearing_id>/draft-order-sent/",
        views.draft_order_sent,
        name="draft_order_sent",
    ),
    path("<int:case_id>/court/directions/new/", views.direction_add, name="direction_add"),
    path(
        "<int:case_id>/court/directions/standard/",
        views.standard_directions_add,
        name="standard_directions_add",
    ),
    path("court/directions/<int:direction_id>/", views.direction_update, name="direction_update"),
    path("<int:case_id>/court/experts/new/", views.expert_add, name="expert_add"),
    path("court/experts/<int:expert_id>/", views.expert_edit, name="expert_edit"),
    path(
        "<int:case_id>/court/timetable/extension/",
        views.timetable_extend,
        name="timetable_extend",
    ),
    path(
        "<int:case_id>/court/timetable/<int:member_id>/joined/",
        views.child_joined,
        name="child_joined",
    ),
]
