"""Fixtures for the web app's tests.

Until the lead adds the web app's context processor and no-store middleware to the
settings, these tests switch them on themselves (an already-configured setting is left
as it is).
"""

from __future__ import annotations

import copy

import pytest

CONTEXT_PROCESSOR = "legaltracker.web.context_processors.layout"
NO_STORE = "legaltracker.web.middleware.NoStoreMiddleware"
AUTHENTICATION = "django.contrib.auth.middleware.AuthenticationMiddleware"


@pytest.fixture(autouse=True)
def web_settings(settings):
    templates = copy.deepcopy(settings.TEMPLATES)
    processors = templates[0]["OPTIONS"]["context_processors"]
    if CONTEXT_PROCESSOR not in processors:
        processors.append(CONTEXT_PROCESSOR)
        settings.TEMPLATES = templates
    if NO_STORE not in settings.MIDDLEWARE:
        middleware = list(settings.MIDDLEWARE)
        middleware.insert(middleware.index(AUTHENTICATION) + 1, NO_STORE)
        settings.MIDDLEWARE = middleware
    return settings
