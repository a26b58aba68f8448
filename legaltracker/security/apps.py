from django.apps import AppConfig


class SecurityConfig(AppConfig):
    name = "legaltracker.security"
    label = "security"
    verbose_name = "Sign-in security"

    def ready(self) -> None:
        from . import signals  # noqa: F401  (connects the receivers)
