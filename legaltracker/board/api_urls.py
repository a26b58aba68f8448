"""The board's JSON twin (mounted at /api/v1/board/)."""

from django.urls import path

from . import api

app_name = "board_api"

urlpatterns = [
    path("", api.BoardAPIView.as_view(), name="board"),
]
