"""The alerts pages, mounted at /alerts/. Only ids appear in URLs (and the feed's secret,
which is the point of that one)."""

from django.urls import path

from . import views

app_name = "alerts"

urlpatterns = [
    path("", views.notifications, name="list"),
    path("read/", views.mark_read, name="mark_read"),
    path("deliveries/<int:delivery_id>/dismiss/", views.dismiss_delivery, name="dismiss_delivery"),
    path("deliveries/<int:delivery_id>/retry/", views.retry_delivery, name="retry_delivery"),
    path("settings/", views.alert_settings, name="settings"),
    path("calendar/", views.calendar_settings, name="calendar"),
    path("calendar/<str:token>.ics", views.calendar_feed, name="calendar_feed"),
]
