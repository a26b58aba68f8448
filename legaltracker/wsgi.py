import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "legaltracker.settings.production")
application = get_wsgi_application()

# Each worker imports this module as it starts: load the views and templates now rather
# than in its first request (legaltracker/core/warmup.py).
from legaltracker.core import warmup  # noqa: E402

warmup.warm()
