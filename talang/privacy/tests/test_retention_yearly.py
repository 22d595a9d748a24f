"""The yearly task prepares the review and tells the coordinators; the command for operators."""

import datetime as dt
import io

import pytest
import time_machine
from django.core import mail
from django.core.management import CommandError, call_command

from talang.contacts.models import Household, Person
from talang.guidance.tests.factories import register
from talang.lib.schedule import JOBS
from talang.privacy import retention
from talang.privacy.models import ErasureRecord, RetentionReview
from talang.privacy.tasks import retention_reviews_yearly

pytestmark = pytest.mark.django_db

OLD = dt.datetime(2019, 6, 3, 10, 0, tzinfo=dt.UTC)


def old_households(personas, count: int):
    with time_machine.travel(OLD, tick=False):
        return [
            register(personas.region, first_name="Märta", email=f"marta{n}@example.org")
            for n in range(count)
        ]


def test_it_is_scheduled():
    assert "talang.privacy.tasks.retention_reviews_yearly" in {job.task for job in JOBS}


def test_it_prepares_the_review_and_mails_the_coordinators_without_deleting(
    personas, django_capture_on_commit_callbacks
):
    households = old_households(personas, 3)
    with (
        time_machine.travel(dt.datetime(2026, 1, 31, 12, tzinfo=dt.UTC), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        retention_reviews_yearly.enqueue()
    assert not RetentionReview.objects.exists()
    assert mail.outbox == []

    with (
        time_machine.travel(dt.datetime(2026, 2, 1, 6, tzinfo=dt.UTC), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        retention_reviews_yearly.enqueue()
    review = RetentionReview.objects.get()
    assert review.state == RetentionReview.State.WAITING
    assert review.prepared_by is None
    assert sorted(review.household_ids) == sorted(h.pk for h in households)
    assert Household.objects.count() == 3
    assert not ErasureRecord.objects.exists()
    assert [message.to for message in mail.outbox] == [[personas.cecilia.email]]
    message = mail.outbox[0]
    text = message.subject + message.body + message.alternatives[0][0]
    assert "3 households" in message.body or "3 hushåll" in message.body
    assert "/staff/retention/" in message.body
    for person in Person.objects.all():
        assert person.email not in text
    assert "Märta" not in text
    for household in households:
        assert household.reference not in text

    # Once a year: the next days do nothing.
    with (
        time_machine.travel(dt.datetime(2026, 2, 2, 6, tzinfo=dt.UTC), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        retention_reviews_yearly.enqueue()
    assert RetentionReview.objects.count() == 1
    assert len(mail.outbox) == 1


def test_the_command_previews_and_applies(personas):
    retention.retention_rule_update(
        region=personas.region, inactive_months=60, decision_reference="RS/1/2024", by=None
    )
    old_households(personas, 2)
    out, err = io.StringIO(), io.StringIO()
    call_command("talang_retention", "preview", stdout=out)
    review = RetentionReview.objects.get()
    assert f"review {review.pk}: 2 households" in out.getvalue()

    with pytest.raises(CommandError, match="coordinator"):
        call_command(
            "talang_retention",
            "apply",
            "--review",
            str(review.pk),
            "--approved-by",
            "anna@example.org",
        )
    with pytest.raises(CommandError, match="no review"):
        call_command(
            "talang_retention", "apply", "--review", "999", "--approved-by", "cecilia@example.org"
        )
    with pytest.raises(CommandError, match="no user"):
        call_command(
            "talang_retention",
            "apply",
            "--review",
            str(review.pk),
            "--approved-by",
            "x@example.org",
        )
    with pytest.raises(CommandError, match="--review"):
        call_command("talang_retention", "apply")
    assert Household.objects.count() == 2

    out = io.StringIO()
    call_command(
        "talang_retention",
        "apply",
        "--review",
        str(review.pk),
        "--approved-by",
        "Cecilia@example.org",
        stdout=out,
        stderr=err,
    )
    assert "deleted 2 households" in out.getvalue()
    assert "100%" in err.getvalue()
    assert not Household.objects.exists()
    assert ErasureRecord.objects.get().approved_by == personas.cecilia


def test_the_command_asks_for_the_region_when_there_are_several(personas):
    from talang.accounts.models import Region

    Region.objects.create(name="Region Gävleborg", code="21")
    with pytest.raises(CommandError, match="--region"):
        call_command("talang_retention", "preview")
    with pytest.raises(CommandError, match="no region"):
        call_command("talang_retention", "preview", "--region", "99")
    out = io.StringIO()
    call_command("talang_retention", "preview", "--region", "21", stdout=out)
    assert "0 households" in out.getvalue()


def test_the_command_resumes_an_interrupted_run(personas, monkeypatch):
    retention.retention_rule_update(
        region=personas.region, inactive_months=60, decision_reference="RS/1/2024", by=None
    )
    old_households(personas, 3)
    review = retention.retention_review_prepare(region=personas.region)
    retention.retention_review_approve(review=review, by=personas.cecilia, run=False)
    monkeypatch.setattr(retention, "BATCH_SIZE", 1)

    def stop_after_the_first_batch(done, total):
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        retention.retention_review_apply(review=review, progress=stop_after_the_first_batch)
    assert Household.objects.count() == 2
    out = io.StringIO()
    call_command(
        "talang_retention",
        "apply",
        "--review",
        str(review.pk),
        "--approved-by",
        "cecilia@example.org",
        stdout=out,
        stderr=io.StringIO(),
    )
    assert "resuming after 1 households" in out.getvalue()
    assert not Household.objects.exists()
    assert ErasureRecord.objects.get().households == 3
