"""The application pack's addresses, under /cases/<id>/."""

from django.urls import path

from . import pack_views

app_name = "court_pack"
urlpatterns = [
    path(
        "<int:case_id>/application-pack/",
        pack_views.application_pack_page,
        name="application_pack",
    ),
    path(
        "<int:case_id>/application-pack.pdf",
        pack_views.application_pack_pdf,
        name="application_pack_pdf",
    ),
]
