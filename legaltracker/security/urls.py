from django.urls import path

from . import views

app_name = "security"

urlpatterns = [
    path("sign-in/code/", views.two_factor_verify, name="two_factor_verify"),
    path("account/two-step-verification/", views.two_factor_setup, name="two_factor_setup"),
    path("healthz", views.healthz, name="healthz"),
]
