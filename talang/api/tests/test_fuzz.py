"""Fuzz /api/v1/ from its own OpenAPI schema with Schemathesis: no input may give a 5xx.

The schema is read from the Django app in-process (WSGI), so every request goes through the
whole middleware stack against the test database. Valid and deliberately invalid (negative)
data are both generated, deterministically and within a fixed budget.

Data that fits the schema is rarely a registration the form accepts (an e-mail address or a
phone number is needed, codes must exist), so a generated body that the form turned down is
sent once more with just those fields made valid: its free text, odd characters and channel
then go all the way through storing and processing.
"""

import copy
import re
import zlib

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings
from schemathesis.checks import not_a_server_error
from schemathesis.generation import GenerationMode

from talang.accounts.services import api_token_create
from talang.intake.models import Submission
from talang.lib.validators import clean_text

schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application())
schema.config.generation.update(modes=[GenerationMode.POSITIVE, GenerationMode.NEGATIVE])

REGISTRATIONS = "/api/v1/registrations"
CHECKS = [not_a_server_error]


def fuzzing(max_examples: int):
    return hypothesis_settings(
        max_examples=max_examples,
        derandomize=True,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )


@pytest.fixture
def app_under_test(personas, settings):
    """The demo region loaded, no rate limit in the way, and the test database kept open."""
    settings.TALANG_INTAKE_RATE_LIMIT = 1_000_000
    settings.TALANG_API_FAILURE_LIMIT = 1_000_000
    # As Django's test client does: a request must not close the test's connection.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield personas
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def coordinator_token(app_under_test) -> str:
    _token, raw = api_token_create(user=app_under_test.cecilia, name="fuzz", by=None)
    return raw


# Text that databases, encoders and normalisers trip over; one of them goes into each
# repaired body, in a free-text field and in the channel (which is stored as sent).
HOSTILE = [
    "\x00",
    "a\x00b",
    "\ud800",
    "x\udfffy",
    "e\x00\u0301",
    "\u0958" * 60,
    "\u202e\ufeff\u200b",
    "\x1b[31m\x7f\x85",
    "'; DROP TABLE contacts_person; --",
    "<script>alert(1)</script>{{ x }}%s",
    "%00\\u0000",
    "𝕏" * 120,
]

# Free text the form checks for length only, with its limit.
TEXT = {
    "contact": {
        "first_name": 100,
        "last_name": 100,
        "occupation": 200,
        "education": 200,
        "skills": 2000,
        "languages": 200,
    },
    "partner": {"first_name": 100, "occupation": 200, "job_wishes": 2000},
    "move": {"origin_place": 100},
    "magazine": {"street": 200, "postal_code": 16, "city": 100},
    "": {"heard_from": 200, "help_wanted": 4000},
}


def _text(value, limit: int, fallback: str) -> str:
    """The generated text as it is (control characters and all), cut to the form's limit."""
    if not isinstance(value, str) or not clean_text(value[:limit]):
        return fallback
    return value[:limit]


def _trim(part: dict, section: str) -> None:
    for name, limit in TEXT[section].items():
        if part.get(name) is not None:
            part[name] = _text(part[name], limit, "x")


def form_valid(body: dict) -> dict | None:
    """``body`` with the fields the form checks beyond the schema made valid, or None when it
    does not have the shape of a registration at all."""
    if not isinstance(body, dict) or not isinstance(body.get("contact"), dict):
        return None
    body = copy.deepcopy(body)
    contact = body["contact"]
    body["language"] = body.get("language") if body.get("language") in ("en", "de", "nl") else "sv"
    body["consent_guidance"] = True
    body.pop("consent_version", None)
    first_name = _text(contact.get("first_name"), 100, "Åsa")
    # A few addresses only, so that duplicates are matched to their household as well.
    contact.update(
        first_name=first_name,
        email=f"fuzz{len(first_name) % 3}@example.org",
        phone="070-123 45 67",
    )
    if contact.get("preferred_channel") not in ("email", "phone"):
        contact["preferred_channel"] = "email"
    _trim(contact, "contact")
    _trim(body, "")
    body["municipalities"] = [["2380"], ["2380", "2321"], []][len(first_name) % 3]
    if isinstance(household := body.get("household"), dict):
        if household.get("adults") is not None:
            household["adults"] = 2
        if isinstance(household.get("children"), list):
            household["children"] = [
                {"birth_year": 2015, "age_band": "6_12"} for _child in household["children"]
            ]
        if isinstance(household.get("partner"), dict):
            _trim(household["partner"], "partner")
    if isinstance(move := body.get("move"), dict):
        if move.get("expected_date") is not None:
            move["expected_date"] = "2027-06-01"
        if move.get("origin_country") is not None:
            move["origin_country"] = "NL"
        if move.get("origin_county") is not None:
            move["origin_country"], move["origin_county"] = "SE", "SE-AB"
        _trim(move, "move")
    if isinstance(magazine := body.get("magazine"), dict):
        for name in TEXT["magazine"]:
            magazine.setdefault(name, None)
            magazine[name] = _text(magazine[name], TEXT["magazine"][name], "x")
        if magazine.get("country") is not None:
            magazine["country"] = "SE"
    # The channel is stored as sent: it stays as generated, plus something hostile.
    hostile = HOSTILE[zlib.crc32(repr(body).encode("utf-8", "surrogatepass")) % len(HOSTILE)]
    body["help_wanted"] = (body.get("help_wanted") or "")[:3000] + hostile
    channel = body.get("channel") if isinstance(body.get("channel"), dict) else {}
    body["channel"] = {**channel, "utm_campaign": hostile}
    return body


@schema.include(path=REGISTRATIONS, method="POST").parametrize()
@fuzzing(max_examples=150)
def test_registrations_never_answer_with_a_server_error(case, app_under_test):
    response = case.call_and_validate(checks=CHECKS)
    if response.status_code == 400 and (valid := form_valid(case.body)) is not None:
        case.body = valid
        case.call_and_validate(checks=CHECKS)


def test_the_fuzzing_reaches_the_processing(app_under_test, client):
    """form_valid() really makes a registration of a generated body."""
    body = {
        "language": "xx",
        "municipalities": ["nope"],
        "consent_guidance": False,
        "consent_version": 99,
        "contact": {"first_name": "\x00\x01" + "é" * 300, "preferred_channel": "phone"},
        "household": {"adults": 0, "children": [{"birth_year": 1}], "partner": {}},
        "move": {"expected_date": "1900-01-01", "origin_county": "SE-XX"},
        "magazine": {"wanted": True},
        "channel": {"utm_source": "ünïcode"},
    }
    response = client.post(REGISTRATIONS, form_valid(body), content_type="application/json")
    assert response.status_code == 201, response.content
    assert Submission.objects.get().state == Submission.State.PROCESSED


@pytest.mark.parametrize("hostile", HOSTILE)
def test_hostile_text_is_kept_or_refused_never_a_server_error(app_under_test, client, hostile):
    """PostgreSQL keeps neither U+0000 nor a lone surrogate: they are left out, not a 503."""
    body = {
        "language": "sv",
        "municipalities": [],
        "consent_guidance": True,
        "contact": {
            "first_name": f"Åsa{hostile}",
            "email": "a@example.org",
            "preferred_channel": "email",
        },
        "help_wanted": hostile,
        "channel": {"utm_campaign": hostile, "site": hostile},
    }
    response = client.post(REGISTRATIONS, body, content_type="application/json")
    assert response.status_code in (201, 400), response.content
    for submission in Submission.objects.all():
        stored = repr([submission.payload, submission.channel])
        assert "\\x00" not in stored
        assert not re.search(r"\\ud[89a-f]", stored)


@schema.exclude(path=REGISTRATIONS).parametrize()
@fuzzing(max_examples=30)
def test_token_endpoints_never_answer_with_a_server_error(case, coordinator_token):
    case.call_and_validate(headers={"Authorization": f"Bearer {coordinator_token}"}, checks=CHECKS)
