from django.apps import AppConfig


class CalendarConfig(AppConfig):
    name = "legaltracker.calendars"
    label = "calendars"
    verbose_name = "Working-day calendar"
