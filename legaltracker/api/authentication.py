"""`Authorization: Token <key>` against `ApiToken`: DRF's header and answers, with expiry,
revocation and the last-used time (legaltracker/api/tokens.py)."""

from __future__ import annotations

from typing import Any

from rest_framework.authentication import TokenAuthentication
from rest_framework.exceptions import AuthenticationFailed

from legaltracker.core import clock

from . import tokens
from .models import ApiToken

INVALID = "Invalid token."
REVOKED = "This API token has been revoked. Make a new one on your API tokens page."
EXPIRED = "This API token has expired. Make a new one on your API tokens page."


class ApiTokenAuthentication(TokenAuthentication):
    """A subclass of DRF's, so that the header, the 401 and the schema stay as they were."""

    model = ApiToken

    def authenticate_credentials(self, key: str) -> tuple[Any, ApiToken]:
        token = (
            ApiToken.objects.select_related("user").filter(key_hash=tokens.key_hash(key)).first()
        )
        if token is None:
            raise AuthenticationFailed(INVALID)
        if token.revoked_at is not None:
            raise AuthenticationFailed(REVOKED)
        now = clock.now()
        if token.expires_at <= now:
            raise AuthenticationFailed(EXPIRED)
        if not token.user.is_active:
            raise AuthenticationFailed("User inactive or deleted.")
        tokens.token_touch(token, now)
        return token.user, token
