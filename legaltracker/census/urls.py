"""The census return's pages (mounted at /census/). The year is captured as text so that
a year that is not one is a page saying so (400), not a bare 404."""

from django.urls import path

from . import views

app_name = "census"

urlpatterns = [
    path("", views.return_current, name="return"),
    path("<str:year>/", views.return_page, name="return"),
    path("<str:year>/return.xml", views.return_xml, name="xml"),
    path("<str:year>/export.csv", views.export_csv, name="export_csv"),
    path("<str:year>/export.xlsx", views.export_xlsx, name="export_xlsx"),
]
