"""Signed links for newcomers: they carry an id and a signature, never personal data."""

from django.core import signing

SALTS = {
    "confirm": "talang.newsletter.confirm",
    "preferences": "talang.newsletter.preferences",
    "household": "talang.household.self-service",
    "thanks": "talang.intake.thanks",
}


def make_token(purpose: str, value: str | int) -> str:
    return signing.dumps(value, salt=SALTS[purpose], compress=True)


def read_token(purpose: str, token: str, *, max_age: int | None = None):
    """The value signed into ``token``, or None if it was altered or has expired."""
    try:
        return signing.loads(token, salt=SALTS[purpose], max_age=max_age)
    except signing.BadSignature:
        return None
