from django.urls import path

from . import passwords, views

app_name = "web"

urlpatterns = [
    path("", views.home, name="home"),
    path("sign-in/", views.SignInView.as_view(), name="sign_in"),
    path("sign-out/", views.SignOutView.as_view(), name="sign_out"),
    path("my-work/", views.my_work, name="my_work"),
    path("reports/", views.reports, name="reports"),
    path("approvals/", views.approvals, name="approvals"),
    path("account/password/", passwords.password_change, name="password_change"),
    path(
        "sign-in/forgotten-password/",
        passwords.PasswordResetView.as_view(),
        name="password_reset",
    ),
    path(
        "sign-in/forgotten-password/sent/",
        passwords.password_reset_sent,
        name="password_reset_sent",
    ),
    path(
        "sign-in/reset/<uidb64>/<token>/",
        passwords.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
]
