"""The import page and its template sheet (namespace `imports`, mounted at /imports/)."""

from django.urls import path

from . import views

app_name = "imports"

urlpatterns = [
    path("", views.import_page, name="upload"),
    path("template.xlsx", views.template_sheet, name="template"),
]
