from django.contrib import admin
from django.urls import include, path

from legaltracker.core import views as core_views

urlpatterns = [
    path("", core_views.home, name="home"),
    path("admin/", admin.site.urls),
    path("api/v1/", include("legaltracker.api.urls")),
]
