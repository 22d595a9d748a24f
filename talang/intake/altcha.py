"""Proof of work for the public forms and the registration API (ALTCHA, no third party).

When ``TALANG_ALTCHA_MAX_NUMBER`` is above 0, every form carries a challenge signed by Talang:
the browser (talang/static/talang/altcha.js) searches for the number whose SHA-256, after the
challenge's salt, is the challenge's hash, and sends the solution with the form. A person does
not notice the fraction of a second this takes; a bot sending thousands of posts pays for each.

The challenge is the ALTCHA protocol's first version (the ``altcha`` library's ``_v1``
functions), so a municipality's own form can use the ALTCHA widget against
``GET /api/v1/registrations/challenge``. A solution is accepted once, before it expires.
"""

import base64
import datetime as dt
import json

from altcha import ChallengeOptionsV1, create_challenge_v1, verify_solution_v1
from django.conf import settings
from django.core.cache import cache
from django.utils.crypto import salted_hmac

FIELD = "altcha"
# Long enough to fill in the whole registration form; a challenge is solved when it is shown.
LIFETIME = dt.timedelta(hours=2)
# A solution is at most this long (base64 of a small JSON object); anything longer is not one.
MAX_LENGTH = 2000


def enabled() -> bool:
    return settings.TALANG_ALTCHA_MAX_NUMBER > 0


def _key() -> str:
    return salted_hmac("talang.intake.altcha", "challenge").hexdigest()


def challenge() -> dict:
    """A new signed challenge, as the ALTCHA widget expects it from its challenge URL."""
    made = create_challenge_v1(
        ChallengeOptionsV1(
            max_number=settings.TALANG_ALTCHA_MAX_NUMBER,
            hmac_key=_key(),
            expires=dt.datetime.now(dt.UTC) + LIFETIME,
        )
    )
    return made.to_dict()


def verified(solution: str | None) -> bool:
    """True when ``solution`` solves a challenge of ours that has not expired and has not been
    used before (the first use marks it used)."""
    if not isinstance(solution, str) or not solution or len(solution) > MAX_LENGTH:
        return False
    try:
        payload = json.loads(base64.b64decode(solution, validate=True))
        ok, _reason = verify_solution_v1(payload, _key(), check_expires=True)
    except (ValueError, TypeError, AttributeError, KeyError):
        return False
    if not ok:
        return False
    # The challenge is a hash of our random salt: each one counts once, in every process.
    key = f"talang:altcha:{payload['challenge']}"
    return cache.add(key, 1, timeout=int(LIFETIME.total_seconds()) + 60)
