"""The retention rule deletes what it selected, for real, and nothing else; statistics stay."""

import datetime as dt

import pytest
import time_machine
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import translation

from talang.contacts.models import Consent, Household, Person
from talang.guidance.models import Activity, ActivityKind, GuidanceCase, InboundEmail
from talang.guidance.services import activity_record, case_open_for
from talang.guidance.tests.factories import register
from talang.intake.models import Submission
from talang.outreach import services as outreach
from talang.outreach.models import MagazineOrder, Subscription
from talang.privacy import retention
from talang.privacy.models import ErasureRecord, RetentionReview

pytestmark = pytest.mark.django_db

OLD = dt.datetime(2019, 6, 3, 10, 0, tzinfo=dt.UTC)
RECENT = dt.datetime(2024, 9, 2, 10, 0, tzinfo=dt.UTC)
REVIEW_DAY = dt.datetime(2026, 2, 2, 9, 0, tzinfo=dt.UTC)
REFERENCE = "Dokumenthanteringsplan, beslut RS/123/2024"


def set_rule(personas, months: int = 60, reference: str = REFERENCE):
    return retention.retention_rule_update(
        region=personas.region,
        inactive_months=months,
        decision_reference=reference,
        by=personas.cecilia,
    )


def household_at(personas, at, **fields) -> Household:
    with time_machine.travel(at, tick=False):
        household = register(personas.region, **fields)
        activity_record(
            household=household,
            case=case_open_for(household=household),
            kind=ActivityKind.CALL,
            author=personas.anna,
            body="Ringde om jobb.",
        )
    return household


def subscribe(personas, email: str, at, *, household=None, confirm=True) -> Subscription:
    with time_machine.travel(at, tick=False):
        subscription = outreach.subscription_request(
            region=personas.region, email=email, language="sv", topics=[], household=household
        )
        if confirm:
            outreach.subscription_confirm(subscription=subscription)
    return subscription


def run_review(personas, at=REVIEW_DAY) -> ErasureRecord:
    with time_machine.travel(at, tick=False):
        review = retention.retention_review_prepare(region=personas.region, by=personas.cecilia)
        retention.retention_review_approve(review=review, by=personas.cecilia, run=False)
        return retention.retention_review_apply(review=review)


def test_it_deletes_an_inactive_household_with_everything_about_it(personas):
    set_rule(personas)
    old = household_at(personas, OLD, email="gammal@example.org")
    person = Person.objects.get(household=old)
    Submission.objects.create(
        source="form",
        kind="guidance",
        language="sv",
        payload={"email": person.email},
        household=old,
    )
    MagazineOrder.objects.create(
        region=personas.region,
        name="Gammal",
        street="Storgatan 1",
        postal_code="83130",
        city="Östersund",
        household=old,
    )
    InboundEmail.objects.create(
        message_id="<on-card@example.org>",
        region=personas.region,
        household=old,
        state="matched",
        source="upload",
        from_address=person.email,
        body="Hej!",
    )
    InboundEmail.objects.create(
        message_id="<waiting@example.org>",
        region=personas.region,
        state="unmatched",
        source="upload",
        from_address=person.email,
        body="Hej igen!",
    )
    subscribe(personas, person.email, OLD, household=old, confirm=False)
    case = GuidanceCase.objects.get(household=old)

    record = run_review(personas)

    assert not Household.objects.filter(pk=old.pk).exists()
    assert not Person.objects.filter(pk=person.pk).exists()
    assert not Consent.objects.filter(person_id=person.pk).exists()
    assert not GuidanceCase.objects.filter(pk=case.pk).exists()
    assert not Activity.objects.filter(household_id=old.pk).exists()
    assert not Submission.objects.exists()
    assert not MagazineOrder.objects.exists()
    assert not InboundEmail.objects.exists()
    assert not Subscription.objects.exists()
    assert (record.households, record.persons, record.emails, record.submissions) == (1, 1, 2, 1)
    assert record.activities >= 1
    assert record.subscriptions == 1
    assert record.reason == ErasureRecord.Reason.RETENTION
    assert record.approved_by == personas.cecilia
    assert (record.rule_months, record.decision_reference) == (60, REFERENCE)


def test_it_keeps_recent_activity_and_active_subscribers(personas):
    set_rule(personas)
    recent = household_at(personas, RECENT)
    subscribed = household_at(personas, OLD, email="prenumerant@example.org")
    subscribe(personas, "prenumerant@example.org", OLD)
    linked = household_at(personas, OLD, email="annan@example.org")
    subscribe(personas, "lankad@example.org", OLD, household=linked)
    unsubscribed = household_at(personas, OLD, email="slutat@example.org")
    subscription = subscribe(personas, "slutat@example.org", OLD)
    outreach.subscription_unsubscribe(subscription=subscription)
    inactive = household_at(personas, OLD)

    record = run_review(personas)

    remaining = set(Household.objects.values_list("pk", flat=True))
    assert remaining == {recent.pk, subscribed.pk, linked.pk}
    assert {unsubscribed.pk, inactive.pk}.isdisjoint(remaining)
    assert record.households == 2


def test_it_uses_the_rules_months(personas):
    set_rule(personas, months=12)
    one_and_a_half_years = household_at(personas, dt.datetime(2024, 8, 1, tzinfo=dt.UTC))
    half_a_year = household_at(personas, dt.datetime(2025, 8, 1, tzinfo=dt.UTC))
    run_review(personas)
    assert list(Household.objects.values_list("pk", flat=True)) == [half_a_year.pk]
    assert not Household.objects.filter(pk=one_and_a_half_years.pk).exists()


def test_newsletter_only_subscribers_stay_and_stale_requests_go(personas):
    set_rule(personas)
    active = subscribe(personas, "bara-brev@example.org", OLD)
    old_request = subscribe(
        personas, "glomde@example.org", REVIEW_DAY - dt.timedelta(days=31), confirm=False
    )
    new_request = subscribe(
        personas, "nyss@example.org", REVIEW_DAY - dt.timedelta(days=3), confirm=False
    )
    gone = subscribe(personas, "slutade@example.org", OLD)
    outreach.subscription_unsubscribe(subscription=gone)

    record = run_review(personas)

    remaining = set(Subscription.objects.values_list("pk", flat=True))
    assert remaining == {active.pk, new_request.pk}
    assert old_request.pk not in remaining
    assert record.subscriptions == 2


def test_it_deletes_exactly_what_the_preview_showed(personas):
    set_rule(personas)
    woke_up = household_at(personas, OLD)
    stays_inactive = household_at(personas, OLD)
    with time_machine.travel(REVIEW_DAY, tick=False):
        review = retention.retention_review_prepare(region=personas.region, by=personas.cecilia)
    assert set(review.household_ids) == {woke_up.pk, stays_inactive.pk}
    # Between preview and approval: one calls back, another falls under the rule.
    later = REVIEW_DAY + dt.timedelta(days=2)
    with time_machine.travel(later, tick=False):
        activity_record(
            household=woke_up,
            case=case_open_for(household=woke_up),
            kind=ActivityKind.EMAIL_IN,
            author=personas.anna,
            body="Vi funderar igen.",
        )
    not_in_preview = household_at(personas, OLD)

    with time_machine.travel(later + dt.timedelta(hours=1), tick=False):
        retention.retention_review_approve(review=review, by=personas.cecilia, run=False)
        record = retention.retention_review_apply(review=review)

    remaining = set(Household.objects.values_list("pk", flat=True))
    assert remaining == {woke_up.pk, not_in_preview.pk}
    assert (record.households, record.kept) == (1, 1)
    review.refresh_from_db()
    assert review.state == RetentionReview.State.DONE
    assert review.erasure == record


def test_it_deletes_in_batches_and_resumes(personas, monkeypatch):
    set_rule(personas)
    for _number in range(5):
        household_at(personas, OLD)
    monkeypatch.setattr(retention, "BATCH_SIZE", 2)
    seen = []
    with time_machine.travel(REVIEW_DAY, tick=False):
        review = retention.retention_review_prepare(region=personas.region, by=personas.cecilia)
        retention.retention_review_approve(review=review, by=personas.cecilia, run=False)
        record = retention.retention_review_apply(
            review=review, progress=lambda done, total: seen.append((done, total))
        )
        again = retention.retention_review_apply(review=review)
    assert seen == [(2, 5), (4, 5), (5, 5)]
    assert record.households == 5
    assert again == record
    assert ErasureRecord.objects.count() == 1


def test_the_deletion_record_holds_no_personal_data(personas):
    set_rule(personas)
    household = household_at(
        personas, OLD, first_name="Östen", last_name="Ekberg", email="osten.ekberg@example.org"
    )
    household_at(personas, OLD, phone="+46701234567")
    reference = household.reference
    record = run_review(personas)
    values = " ".join(
        str(getattr(record, field.attname)) for field in ErasureRecord._meta.concrete_fields
    )
    for secret in ("Östen", "Ekberg", "osten.ekberg", "701234567", reference):
        assert secret not in values
    review = RetentionReview.objects.get()
    assert str(review.counts).isascii() and "example.org" not in str(review.counts)


@pytest.fixture
def english():
    with translation.override("en"):
        yield


def test_approval_needs_a_coordinator_a_reference_and_an_unchanged_rule(personas, english):
    household_at(personas, OLD)
    with time_machine.travel(REVIEW_DAY, tick=False):
        review = retention.retention_review_prepare(region=personas.region)
        with pytest.raises(ValidationError, match="retention decision"):
            retention.retention_review_approve(review=review, by=personas.cecilia)
        with pytest.raises(ValidationError, match="coordinator"):
            retention.retention_review_approve(review=review, by=personas.anna)
        set_rule(personas, months=48)
        with pytest.raises(ValidationError, match="rule has changed"):
            retention.retention_review_approve(review=review, by=personas.cecilia)
        newer = retention.retention_review_prepare(region=personas.region)
        review.refresh_from_db()
        assert review.state == RetentionReview.State.SUPERSEDED
        with pytest.raises(ValidationError, match="no longer"):
            retention.retention_review_approve(review=review, by=personas.cecilia)
        retention.retention_review_approve(review=newer, by=personas.cecilia, run=False)
    assert Household.objects.count() == 1  # approval alone deletes nothing


def test_the_rule_is_validated(personas):
    with pytest.raises(ValidationError) as error:
        retention.retention_rule_update(
            region=personas.region, inactive_months=6, decision_reference=" ", by=None
        )
    assert set(error.value.message_dict) == {"inactive_months", "decision_reference"}


def test_months_before_counts_calendar_months():
    moment = dt.datetime(2026, 3, 31, 12, 0, tzinfo=dt.UTC)
    assert retention.months_before(moment, 60).date() == dt.date(2021, 3, 31)
    assert retention.months_before(moment, 1).date() == dt.date(2026, 2, 28)
    assert retention.months_before(moment, 25).date() == dt.date(2024, 2, 29)


def test_what_never_became_a_household_goes_after_the_rules_months(personas, client_for):
    from talang.intake import services as intake

    set_rule(personas)
    region = personas.region

    def order(at) -> MagazineOrder:
        return MagazineOrder.objects.create(
            region=region,
            name="Jan de Vries",
            street="Dorpsstraat 1",
            postal_code="1234 AB",
            city="Utrecht",
            country="NL",
            ordered_at=at,
        )

    def submission(at, kind, *, region_code=region.code) -> Submission:
        return intake.submission_store(
            source=Submission.Source.FORM,
            kind=kind,
            language="nl",
            channel={"region": region_code, "form": f"{kind}:{region_code}"},
            payload={"email": ["jan@example.nl"]},
            client="x",
            received_at=at,
        )

    order(OLD)
    recent_order = order(RECENT)
    old_sign_up = submission(OLD, Submission.Kind.NEWSLETTER)
    old_unprocessed = submission(OLD, Submission.Kind.GUIDANCE)
    recent_sign_up = submission(RECENT, Submission.Kind.NEWSLETTER)
    other_region = submission(OLD, Submission.Kind.MAGAZINE, region_code="99")
    with_household = household_at(personas, RECENT, email="kvar@example.org")

    with time_machine.travel(REVIEW_DAY, tick=False):
        assert retention.standalone_counts(region=region) == {
            "magazine_orders": 1,
            "submissions": 2,
        }
        retention.retention_review_prepare(region=region, by=personas.cecilia)
        client = client_for(personas.cecilia)
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        page = client.get("/staff/retention/")
    assert "magazine orders (1) and form submissions (2)" in page.content.decode()

    record = run_review(personas)

    assert set(MagazineOrder.objects.values_list("pk", flat=True)) == {recent_order.pk}
    remaining = set(Submission.objects.values_list("pk", flat=True))
    assert {recent_sign_up.pk, other_region.pk} <= remaining
    assert {old_sign_up.pk, old_unprocessed.pk}.isdisjoint(remaining)
    assert Household.objects.filter(pk=with_household.pk).exists()
    assert (record.magazine_orders, record.submissions) == (1, 2)
