"""The request a signed-in page receives, for type checking only.

Django types `request.user` as "a user or AnonymousUser"; behind `login_required` it is
always the project's `User`, and views annotated with this type can use its fields
(`role`, `team`) without narrowing each time.
"""

from __future__ import annotations

from django.http import HttpRequest

from legaltracker.accounts.models import User


class AuthenticatedHttpRequest(HttpRequest):
    user: User
