from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "legaltracker.demo"
    label = "demo"
