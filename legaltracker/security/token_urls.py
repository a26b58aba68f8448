"""The API tokens page, under /account/api-tokens/ (legaltracker/security/token_views.py)."""

from django.urls import path

from . import token_views as views

app_name = "api_tokens"

urlpatterns = [
    path("", views.token_list, name="list"),
    path("<int:token_id>/revoke/", views.token_revoke, name="revoke"),
]
