"""Local development: SQLite unless DATABASE_URL is set, a throwaway secret key."""

from .base import *  # noqa: F403
from .base import env, env_bool, env_list

DEBUG = env_bool("DJANGO_DEBUG", True)
SECRET_KEY = env("DJANGO_SECRET_KEY") or "local-development-only-not-a-secret"
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
# Alert emails go by SMTP to a local mail sink (`bash scripts/mailsink`, aiosmtpd on
# 127.0.0.1:1025, which prints each message): the same path as production, and nothing
# leaves the machine. With no sink running, deliveries fail, are retried, and show as
# failed on the notifications page (docs/decisions.md, "Local email goes by SMTP to a
# mail sink").
EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
EMAIL_HOST = env("EMAIL_HOST", "127.0.0.1")
EMAIL_PORT = int(env("EMAIL_PORT", "1025") or 1025)
EMAIL_TIMEOUT = int(env("EMAIL_TIMEOUT", "10") or 10)
