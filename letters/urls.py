"""The letters' pages (namespace `letters`, mounted at /letters/). Only ids in URLs."""

from django.urls import path

from . import views

app_name = "letters"

urlpatterns = [
    path("cases/<int:case_id>/", views.case_letters, name="case_letters"),
    path(
        "cases/<int:case_id>/expectations/new/", views.expectation_create, name="expectation_create"
    ),
    path(
        "cases/<int:case_id>/expectations/review/",
        views.expectation_review,
        name="expectation_review",
    ),
    path(
        "expectations/<int:expectation_id>/edit/", views.expectation_edit, name="expectation_edit"
    ),
    path("cases/<int:case_id>/details/", views.details_edit, name="details_edit"),
    path("cases/<int:case_id>/new/", views.letter_create, name="letter_create"),
    path("<int:letter_id>/", views.letter_detail, name="letter_detail"),
    path("<int:letter_id>/approve/", views.letter_approve, name="letter_approve"),
    path(
        "<int:letter_id>/plain-language-check/",
        views.letter_plain_language_check,
        name="letter_plain_language_check",
    ),
    path("<int:letter_id>/sent/", views.letter_sent, name="letter_sent"),
    path(
        "<int:letter_id>/translation/attach/",
        views.translation_attach,
        name="translation_attach",
    ),
    path("<int:letter_id>/translation/waive/", views.translation_waive, name="translation_waive"),
    path(
        "<int:letter_id>/download/<str:file_format>/", views.letter_download, name="letter_download"
    ),
]
