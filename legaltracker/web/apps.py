from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "legaltracker.web"
    label = "web"
    verbose_name = "Web pages"
