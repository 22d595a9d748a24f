"""The guides' daily digest: what it lists, on which days, once a day, in few queries."""

import datetime as dt
import io

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from talang.accounts.models import Municipality, Role
from talang.guidance import digest
from talang.guidance.models import DigestSent, FollowUp, GuidanceCase
from talang.guidance.tasks import digest_send_daily
from talang.guidance.tests.factories import register
from talang.testing import make_user

pytestmark = pytest.mark.django_db

MONDAY = dt.date(2026, 11, 23)  # the next working day is Tuesday 24 November
MONDAY_MORNING = "2026-11-23 08:00:00+01:00"


def at(day: str) -> dt.datetime:
    return dt.datetime.fromisoformat(f"{day} 09:00:00+01:00")


def mail_to(user):
    messages = [message for message in mail.outbox if message.to == [user.email]]
    assert len(messages) <= 1, f"{len(messages)} digests to {user.email}"
    return messages[0] if messages else None


def html_of(message) -> str:
    return message.alternatives[0][0]


def run_hourly_job(when: str, capture) -> None:
    with time_machine.travel(when, tick=False), capture(execute=True):
        digest_send_daily.enqueue()


@pytest.fixture
def households(personas):
    """Anna's (Östersund) and Bengt's (Åre) first responses and follow-ups on Monday 23rd."""
    region = personas.region
    made = {
        "overdue": register(region, municipality="2380", first_name="Olle", at=at("2026-11-09")),
        "today": register(region, municipality="2380", first_name="Tora", at=at("2026-11-16")),
        "next_day": register(region, municipality="2380", first_name="Mira", at=at("2026-11-17")),
        "later": register(region, municipality="2380", first_name="Sena", at=at("2026-11-18")),
        "answered": register(region, municipality="2380", first_name="Svar", at=at("2026-11-09")),
        "region": register(region, municipality=None, first_name="Rut", at=at("2026-11-17")),
        "assigned": register(region, municipality="2321", first_name="Åke", at=at("2026-11-09")),
        "follow_up": register(region, municipality="2380", first_name="Folke", at=at("2026-11-02")),
    }
    GuidanceCase.objects.filter(household=made["answered"]).update(
        first_response_at=at("2026-11-10")
    )
    GuidanceCase.objects.filter(household=made["assigned"]).update(assigned_guide=personas.anna)
    GuidanceCase.objects.filter(household=made["follow_up"]).update(
        first_response_at=at("2026-11-03")
    )
    anna = personas.anna
    FollowUp.objects.create(household=made["follow_up"], due_on=MONDAY, assignee=anna, note="x")
    FollowUp.objects.create(
        household=made["later"], due_on=MONDAY, assignee=anna, done_at=at("2026-11-20")
    )
    FollowUp.objects.create(household=made["later"], due_on=dt.date(2026, 11, 24), assignee=anna)
    FollowUp.objects.create(
        household=made["assigned"], due_on=dt.date(2026, 11, 20), assignee=personas.bengt
    )
    return made


def test_it_lists_first_responses_and_follow_ups_of_each_guide(
    personas, households, django_capture_on_commit_callbacks
):
    run_hourly_job(MONDAY_MORNING, django_capture_on_commit_callbacks)

    message = mail_to(personas.anna)
    assert message is not None
    text, html = message.body, html_of(message)
    for key in ("overdue", "today", "next_day", "region", "assigned", "follow_up"):
        reference = households[key].reference
        assert f"http://testserver/households/{reference}/" in text, key
        assert f'href="http://testserver/households/{reference}/"' in html, key
    for name in ("Olle", "Tora", "Mira", "Rut", "Åke", "Folke"):
        assert name in text and name in html
    assert "Sena" not in text and "Svar" not in text
    assert "2026-11-23" in message.subject
    for name in ("Olle", "Tora", "Mira", "Rut", "Åke", "Folke", "Anna", "Andersson"):
        assert name not in message.subject
    # In their lists: overdue first, then today, the next working day, and the follow-ups.
    positions = [text.index(name) for name in ("Olle", "Tora", "Mira", "Folke")]
    assert positions == sorted(positions)

    bengt = mail_to(personas.bengt).body
    assert "Rut" in bengt and "Åke" in bengt  # the region's queue and his municipality
    assert "Olle" not in bengt and "Folke" not in bengt
    assert mail_to(personas.cecilia) is None and mail_to(personas.dan) is None


def test_it_writes_in_the_language_the_guide_chose(
    personas, households, client_for, monkeypatch, django_capture_on_commit_callbacks
):
    client_for(personas.bengt).post(reverse("set-language"), {"language": "en", "next": "/"})
    sent = {}
    monkeypatch.setattr(
        digest, "send_after_commit", lambda name, to, context, language: sent.update({to: language})
    )
    digest.digest_send(today=MONDAY)
    assert sent == {personas.anna.email: "sv", personas.bengt.email: "en"}


@pytest.mark.parametrize(
    ("when", "why"),
    [
        ("2026-11-21 08:00:00+01:00", "a Saturday"),
        ("2026-12-24 08:00:00+01:00", "julafton"),
        ("2026-11-23 06:59:00+01:00", "before seven"),
    ],
)
def test_it_sends_only_on_working_days_from_seven(
    personas, households, when, why, django_capture_on_commit_callbacks
):
    run_hourly_job(when, django_capture_on_commit_callbacks)
    assert mail.outbox == [], why
    assert not DigestSent.objects.exists()


def test_it_sends_from_seven_stockholm_time(
    personas, households, django_capture_on_commit_callbacks
):
    run_hourly_job("2026-11-23 06:30:00+00:00", django_capture_on_commit_callbacks)  # 07:30
    assert mail_to(personas.anna) is not None


def test_it_lists_fridays_next_working_day_as_monday(personas, django_capture_on_commit_callbacks):
    # Registered Monday 16th: due Monday 23rd, the working day after Friday 20th.
    household = register(personas.region, first_name="Måns", at=at("2026-11-16"))
    with django_capture_on_commit_callbacks(execute=True):
        call_command("talang_digest", "--day", "2026-11-20", stdout=io.StringIO())
    text = mail_to(personas.anna).body
    assert household.reference in text and "2026-11-23" in text


def test_it_never_sends_twice_on_one_day(personas, households, django_capture_on_commit_callbacks):
    run_hourly_job(MONDAY_MORNING, django_capture_on_commit_callbacks)
    run_hourly_job("2026-11-23 09:00:00+01:00", django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        assert digest.digest_send(today=MONDAY) == 0
    assert sorted(message.to[0] for message in mail.outbox) == sorted(
        [personas.anna.email, personas.bengt.email]
    )
    assert set(DigestSent.objects.values_list("user__email", "day")) == {
        (personas.anna.email, MONDAY),
        (personas.bengt.email, MONDAY),
    }
    run_hourly_job("2026-11-24 08:00:00+01:00", django_capture_on_commit_callbacks)
    assert len(mail.outbox) == 4  # the next day is a new digest


def test_it_does_not_send_twice_when_another_run_recorded_it_first(personas, households):
    DigestSent.objects.create(user=personas.anna, day=MONDAY)
    # As if a parallel run had recorded Anna after this run read who was still due.
    claimed = digest._claim(user_ids=[personas.anna.pk, personas.bengt.pk], day=MONDAY)
    assert claimed == [personas.bengt.pk]


def test_it_skips_guides_with_nothing_to_report(personas, django_capture_on_commit_callbacks):
    register(personas.region, municipality="2380", first_name="Sena", at=at("2026-11-18"))
    personas.anna.is_active = False
    personas.anna.save(update_fields=["is_active"])
    with django_capture_on_commit_callbacks(execute=True):
        assert digest.digest_send(today=MONDAY) == 0
    assert mail.outbox == []
    assert not DigestSent.objects.exists()


def test_it_sends_nothing_to_an_inactive_guide(
    personas, households, django_capture_on_commit_callbacks
):
    personas.anna.is_active = False
    personas.anna.save(update_fields=["is_active"])
    run_hourly_job(MONDAY_MORNING, django_capture_on_commit_callbacks)
    assert mail_to(personas.anna) is None and mail_to(personas.bengt) is not None


def test_it_uses_the_same_number_of_queries_for_2_and_5_guides(personas):
    region = personas.region
    for code in ("2380", "2321"):
        register(region, municipality=code, at=at("2026-11-09"))
    register(region, municipality=None, at=at("2026-11-17"))
    with CaptureQueriesContext(connection) as two:
        assert digest.digest_send(today=MONDAY) == 2
    for number, code in enumerate(("2380", "2309", "2305")):
        municipality = Municipality.objects.get(code=code)
        guide = make_user(f"guide{number}@example.org", "Guide", Role.GUIDE, municipality, region)
        FollowUp.objects.create(
            household=register(region, municipality=code, at=at("2026-11-17")),
            due_on=MONDAY,
            assignee=guide,
        )
    tuesday = dt.date(2026, 11, 24)
    with CaptureQueriesContext(connection) as five:
        assert digest.digest_send(today=tuesday) == 5
    assert len(five.captured_queries) == len(two.captured_queries)
    assert len(two.captured_queries) <= 8


def test_it_is_a_job_every_hour_and_a_command():
    from django.core.management.base import CommandError
    from django.utils.module_loading import import_string

    from talang.lib.schedule import JOBS, Job

    job = Job("talang.guidance.tasks.digest_send_daily", every=3600)
    assert job in JOBS and import_string(job.task) is digest_send_daily
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("talang_digest", "--day", "23/11/2026")
