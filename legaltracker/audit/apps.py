from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "legaltracker.audit"
    label = "audit"
    verbose_name = "Audit, restricted records and retention"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.core.signals import request_finished

        from . import requestid

        request_finished.connect(requestid.clear, dispatch_uid="audit_request_id_clear")
