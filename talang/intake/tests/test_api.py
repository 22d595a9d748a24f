"""POST /api/v1/registrations: 201, 202, 400 naming fields, 413, 429, and never a 500."""

import json

import pytest
import time_machine
from django.core import mail

from talang.contacts.models import Consent, Household, Person
from talang.guidance.models import Activity, GuidanceCase
from talang.intake import services
from talang.intake.models import Submission
from talang.reporting.models import StatEvent

pytestmark = pytest.mark.django_db

MINIMAL = {
    "language": "sv",
    "municipalities": ["2380"],
    "consent_guidance": True,
    "contact": {
        "first_name": "Åsa",
        "last_name": "Öberg",
        "email": "asa@example.org",
        "phone": "070-123 45 67",
        "preferred_channel": "phone",
    },
}


def post(client, body, **extra):
    data = body if isinstance(body, (str, bytes)) else json.dumps(body)
    return client.post(
        "/api/v1/registrations",
        data=data,
        content_type=extra.pop("content_type", "application/json"),
        **extra,
    )


@time_machine.travel("2026-11-23 10:00:00+01:00", tick=False)
def test_it_registers_a_household(personas, client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = post(client, MINIMAL)
    assert response.status_code == 201, response.content
    body = response.json()
    submission = Submission.objects.get(reference=body["reference"])
    assert body["submission"] == submission.reference
    household = submission.household
    assert body["first_response_due"] == "2026-11-30"
    assert body["municipality"] == "2380"
    person = household.persons.get()
    assert (person.first_name, person.email, person.phone) == (
        "Åsa",
        "asa@example.org",
        "+46701234567",
    )
    case = GuidanceCase.objects.get(household=household)
    assert case.municipality.code == "2380"
    consent = Consent.objects.get(person=person)
    assert consent.text.version == 1 and consent.text.language == "sv"
    assert Activity.objects.get(household=household).kind == "registration"
    event = StatEvent.objects.get()
    assert (event.kind, event.municipality_code, event.channel) == ("registration", "2380", "api")
    submission = Submission.objects.get()
    assert submission.payload == json.loads(json.dumps(MINIMAL))
    assert submission.state == "processed"
    assert len(mail.outbox) == 1
    assert "Åsa" not in mail.outbox[0].subject


def test_it_puts_several_or_no_municipalities_in_the_regions_queue(personas, client):
    for codes, email in ((["2380", "2321"], "a@example.org"), ([], "b@example.org")):
        body = {
            **MINIMAL,
            "municipalities": codes,
            "contact": {
                **MINIMAL["contact"],
                "email": email,
                "phone": "",
                "preferred_channel": "email",
            },
        }
        response = post(client, body)
        assert response.status_code == 201, response.content
        assert response.json()["municipality"] is None


def test_it_names_each_bad_field_in_the_bodys_language(personas, client):
    body = {
        **MINIMAL,
        "language": "de",
        "municipalities": ["9999"],
        "contact": {**MINIMAL["contact"], "email": "nope", "phone": "12"},
    }
    response = post(client, body)
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert set(errors) == {"municipalities", "contact.email", "contact.phone"}
    assert not Submission.objects.exists()
    assert errors["contact.email"] != ["Enter an e-mail address like name@example.se."]


def test_it_names_type_errors_and_unknown_fields(personas, client):
    body = {
        **MINIMAL,
        "household": {"adults": "two", "children": [{"birth_year": 1800}]},
        "surprise": 1,
    }
    errors = post(client, body).json()["errors"]
    assert "household.adults" in errors
    assert "surprise" in errors
    body = {**MINIMAL, "household": {"children": [{"birth_year": 1800}]}}
    errors = post(client, body).json()["errors"]
    assert list(errors) == ["household.children.0.birth_year"]


@pytest.mark.parametrize(
    "body",
    ["{not json", b"\x00\xff\xfe", "[]", "null", "12", json.dumps({"language": "xx"})],
)
def test_it_answers_bad_bodies_with_400(personas, client, body):
    response = post(client, body)
    assert response.status_code == 400
    assert "errors" in response.json()


def test_it_refuses_an_oversized_body_with_413(personas, client, settings):
    settings.TALANG_INTAKE_MAX_BODY_BYTES = 2048
    body = {**MINIMAL, "help_wanted": "x" * 4000}
    assert post(client, body).status_code == 413
    assert not Submission.objects.exists()


def test_it_rate_limits_with_retry_after(personas, client, settings):
    settings.TALANG_INTAKE_RATE_LIMIT = 2
    statuses = [
        post(
            client, {**MINIMAL, "contact": {**MINIMAL["contact"], "email": f"{i}@example.org"}}
        ).status_code
        for i in range(3)
    ]
    assert statuses == [201, 201, 429]
    response = post(client, MINIMAL)
    assert int(response["Retry-After"]) > 0


@time_machine.travel("2026-11-23 10:00:00+01:00", tick=False)
def test_it_attaches_a_duplicate_to_the_household(personas, client):
    first = post(client, MINIMAL).json()
    again = {
        **MINIMAL,
        "municipalities": ["2321"],
        "contact": {
            "first_name": "Åsa",
            "email": "ASA@example.org",
            "preferred_channel": "email",
            "occupation": "Sjuksköterska",
        },
        "move": {"timeline": "3_12_months"},
    }
    with time_machine.travel("2026-12-07 10:00:00+01:00", tick=False):
        second = post(client, again)
    assert second.status_code == 201
    # The answer is about this registration: its own reference, municipality and due date,
    # nothing of the household it joined.
    assert second.json() == {
        "reference": second.json()["submission"],
        "submission": second.json()["submission"],
        "first_response_due": "2026-12-14",
        "municipality": "2321",
    }
    assert second.json()["reference"] != first["reference"]
    assert Household.objects.count() == 1
    assert GuidanceCase.objects.count() == 1
    person = Person.objects.get()
    assert person.occupation == "Sjuksköterska"
    assert person.preferred_channel == "phone"  # what was recorded stays
    household = Household.objects.get()
    assert household.timeline == "3_12_months"
    assert Activity.objects.filter(kind="registration").count() == 2
    assert StatEvent.objects.filter(kind="registration").count() == 1


def test_it_matches_a_duplicate_by_phone_in_any_format(personas, client):
    post(client, MINIMAL)
    again = {
        **MINIMAL,
        "contact": {"first_name": "Åsa", "phone": "+46 70 123 45 67", "preferred_channel": "phone"},
    }
    post(client, again)
    assert Household.objects.count() == 1


def test_it_never_overwrites_what_a_guide_recorded(personas, client):
    post(client, MINIMAL)
    person = Person.objects.get()
    person.occupation = ""
    person.guide_edited = ["occupation"]
    person.save()
    post(client, {**MINIMAL, "contact": {**MINIMAL["contact"], "occupation": "Pilot"}})
    person.refresh_from_db()
    assert person.occupation == ""


def test_it_keeps_a_submission_that_failed_and_replays_it(personas, client, monkeypatch):
    def broken(submission):
        raise RuntimeError("database hiccup")

    monkeypatch.setitem(services.PROCESSORS, Submission.Kind.GUIDANCE, broken)
    response = post(client, MINIMAL)
    assert response.status_code == 202
    submission = Submission.objects.get()
    assert submission.state == "failed"
    assert submission.last_error == "RuntimeError"
    assert not Household.objects.exists()
    monkeypatch.undo()
    assert services.submissions_replay() == (1, 0)
    submission.refresh_from_db()
    assert submission.state == "processed"
    assert Household.objects.count() == 1


@pytest.mark.parametrize(
    "name", ["Ødegård", "Łukasz", "李", "Арина", "محمد", "<script>alert(1)</script>"]
)
def test_it_accepts_names_in_any_script(personas, client, name):
    body = {**MINIMAL, "contact": {**MINIMAL["contact"], "first_name": name}}
    assert post(client, body).status_code == 201
    assert Person.objects.get().first_name == name


def test_it_is_documented_in_the_openapi_schema(client):
    schema = client.get("/api/v1/openapi.json").json()
    operation = schema["paths"]["/api/v1/registrations"]["post"]
    assert set(operation["responses"]) >= {"201", "202", "400", "413", "429"}


def test_it_answers_503_and_saves_nothing_when_the_log_cannot_be_written(
    personas, client, monkeypatch
):
    from django.db import DatabaseError

    def broken(**kwargs):
        raise DatabaseError("disk full")

    monkeypatch.setattr(services, "submission_store", broken)
    response = post(client, MINIMAL)
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert not Household.objects.exists()


def test_the_worker_stops_retrying_after_many_attempts(personas, client, monkeypatch):
    def broken(submission):
        raise RuntimeError("still broken")

    monkeypatch.setitem(services.PROCESSORS, Submission.Kind.GUIDANCE, broken)
    post(client, MINIMAL)
    Submission.objects.update(attempts=services.MAX_AUTOMATIC_ATTEMPTS)
    assert services.submissions_replay(automatic=True) == (0, 0)
    assert services.submissions_replay() == (0, 1)  # a coordinator's replay still tries


def test_a_submission_processed_elsewhere_meanwhile_is_not_processed_twice(
    personas, client, monkeypatch
):
    def broken(submission):
        raise RuntimeError("database hiccup")

    monkeypatch.setitem(services.PROCESSORS, Submission.Kind.GUIDANCE, broken)
    post(client, MINIMAL)
    monkeypatch.undo()
    # Two processes hold the failed submission; the worker's retry gets there first.
    mine, workers = Submission.objects.get(), Submission.objects.get()
    first = services.submission_process(submission=workers)
    assert first is not None and workers.state == "processed" and workers.attempts == 2
    second = services.submission_process(submission=mine)
    assert second == first
    assert Household.objects.count() == 1
    assert GuidanceCase.objects.count() == 1
    assert Activity.objects.count() == 1
    assert StatEvent.objects.filter(kind="registration").count() == 1
    stored = Submission.objects.get()
    assert (stored.state, stored.attempts, stored.household) == ("processed", 2, first)
    assert mine.state == "processed" and mine.household == first


@time_machine.travel("2026-11-23 10:00:00+01:00", tick=False)
def test_several_municipalities_are_answered_by_the_region(personas, client):
    response = post(client, {**MINIMAL, "municipalities": ["2380", "2321"]})
    assert response.status_code == 201
    assert (response.json()["municipality"], response.json()["first_response_due"]) == (
        None,
        "2026-11-30",
    )
    assert GuidanceCase.objects.get().municipality is None


def test_the_operators_command_lists_and_replays_with_a_progress_bar(personas, client, monkeypatch):
    """`manage.py talang_submissions list` names each unprocessed submission by its
    reference, never by what it holds; `replay` processes them with a progress bar."""
    import io

    from django.core.management import call_command

    def broken(submission):
        raise RuntimeError("database hiccup")

    monkeypatch.setitem(services.PROCESSORS, Submission.Kind.GUIDANCE, broken)
    for number in range(3):
        contact = {
            **MINIMAL["contact"],
            "email": f"replay{number}@example.org",
            "phone": f"070-123 45 6{number}",
        }
        assert post(client, {**MINIMAL, "contact": contact}).status_code == 202
    listed = io.StringIO()
    call_command("talang_submissions", "list", stdout=listed)
    lines = listed.getvalue().splitlines()
    assert lines[-1] == "3 unprocessed"
    for submission in Submission.objects.all():
        assert any(line.startswith(submission.reference) for line in lines)
    assert "replay0" not in listed.getvalue() and "Åsa" not in listed.getvalue()
    monkeypatch.undo()
    out, err = io.StringIO(), io.StringIO()
    call_command("talang_submissions", "replay", stdout=out, stderr=err)
    assert out.getvalue().strip() == "processed 3, still failing 0"
    assert err.getvalue().count("\r") == 3 and "3/3" in err.getvalue()
    assert err.getvalue().endswith("\n")
    assert Household.objects.count() == 3
