"""The tracker board (mounted at /board/). Filters travel in the query string."""

from django.urls import path

from . import views

app_name = "board"

urlpatterns = [
    path("", views.board, name="board"),
    path("export.csv", views.export_csv, name="export_csv"),
    path("export.xlsx", views.export_xlsx, name="export_xlsx"),
]
