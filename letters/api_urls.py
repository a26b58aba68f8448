"""The letters API, mounted by the project under /api/v1/ (namespace `letters_api`).

Ids are captured as text so that a non-integer id is a 400 with a message, as in
legaltracker/cases/api_urls.py.
"""

from django.urls import path

from . import api

app_name = "letters_api"

urlpatterns = [
    path(
        "cases/<str:case_id>/expectations/",
        api.CaseExpectationsView.as_view(),
        name="case-expectations",
    ),
    path(
        "cases/<str:case_id>/expectations/review/",
        api.CaseExpectationReviewView.as_view(),
        name="case-expectations-review",
    ),
    path(
        "expectations/<str:expectation_id>/",
        api.ExpectationDetailView.as_view(),
        name="expectation",
    ),
    path(
        "cases/<str:case_id>/letter-details/",
        api.LetterDetailsView.as_view(),
        name="case-letter-details",
    ),
    path("cases/<str:case_id>/letters/", api.CaseLettersView.as_view(), name="case-letters"),
    path("letters/<str:letter_id>/", api.LetterDetailView.as_view(), name="letter"),
    path(
        "letters/<str:letter_id>/approve/", api.LetterApproveView.as_view(), name="letter-approve"
    ),
    path(
        "letters/<str:letter_id>/plain-language-check/",
        api.LetterPlainLanguageCheckView.as_view(),
        name="letter-plain-language-check",
    ),
    path("letters/<str:letter_id>/sent/", api.LetterSentView.as_view(), name="letter-sent"),
    path(
        "letters/<str:letter_id>/translation/",
        api.LetterTranslationView.as_view(),
        name="letter-translation",
    ),
    path(
        "letters/<str:letter_id>/download/",
        api.LetterDownloadView.as_view(),
        name="letter-download",
    ),
]
