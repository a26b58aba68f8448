from django.urls import path  # noqa: F401

app_name = "board_api"

urlpatterns: list = []
