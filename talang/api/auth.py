"""Bearer-token authentication for /api/v1/, with a limit on bad tokens per client."""

import hashlib

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest
from ninja.security import HttpBearer

from talang.accounts.access import role_of
from talang.accounts.models import Role
from talang.accounts.services import api_token_authenticate
from talang.lib.clients import client_address


class TooManyRequests(Exception):
    def __init__(self, retry_after: int, message: str = ""):
        self.retry_after = retry_after
        self.message = message


class Unavailable(Exception):
    """The request could not be stored; the client should try again shortly."""


class NotAllowed(Exception):
    """A valid token whose user lacks the role the endpoint needs."""


def _client_key(request: HttpRequest) -> str:
    # A hash, not the address itself: the cache is no place for personal data.
    address = client_address(request)
    return "api-fail:" + hashlib.sha256(f"{settings.SECRET_KEY}{address}".encode()).hexdigest()[:24]


class TokenAuth(HttpBearer):
    def __init__(self, *roles: Role):
        super().__init__()
        self.roles = set(roles or Role)

    def __call__(self, request: HttpRequest):
        key = _client_key(request)
        if cache.get(key, 0) >= settings.TALANG_API_FAILURE_LIMIT:
            raise TooManyRequests(settings.TALANG_API_FAILURE_WINDOW)
        return super().__call__(request)

    def authenticate(self, request: HttpRequest, token: str):
        user = api_token_authenticate(token)
        if user is None:
            key = _client_key(request)
            cache.add(key, 0, timeout=settings.TALANG_API_FAILURE_WINDOW)
            try:
                cache.incr(key)
            except ValueError:
                cache.set(key, 1, timeout=settings.TALANG_API_FAILURE_WINDOW)
            return None
        if role_of(user) not in self.roles:
            raise NotAllowed
        request.user = user
        return user
