"""Abuse control for the public forms and the registration API: rate limits, honeypot, timing."""

import time

from django.conf import settings
from django.core import signing
from django.core.cache import cache

HONEYPOT = "website"
STARTED = "started"
_SALT = "talang.intake.started"


def rate_limited(client: str) -> int:
    """0 if ``client`` may submit now, else the seconds to wait. Counts this attempt."""
    window = settings.TALANG_INTAKE_RATE_WINDOW
    slot = int(time.time() // window)
    key = f"talang:intake:{client}:{slot}"
    cache.add(key, 0, timeout=window + 5)
    try:
        count = cache.incr(key)
    except ValueError:  # the key expired between add and incr
        cache.set(key, 1, timeout=window + 5)
        count = 1
    if count > settings.TALANG_INTAKE_RATE_LIMIT:
        return window - int(time.time() % window) or 1
    return 0


def started_token(at: float | None = None) -> str:
    """A signed note of when the form was shown, to tell people from scripts."""
    return signing.dumps(int(time.time() if at is None else at), salt=_SALT)


def too_fast(token: str) -> bool:
    """True when the form came back sooner than a person could fill it (or without a token)."""
    try:
        started = signing.loads(token, salt=_SALT, max_age=24 * 3600)
    except signing.BadSignature:
        return True
    return time.time() - started < settings.TALANG_FORM_MIN_SECONDS
