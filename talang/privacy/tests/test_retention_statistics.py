"""A retention run leaves every statistic as it was: the ledger has no household to lose."""

import datetime as dt

import pytest
import time_machine

from talang.accounts.models import Municipality
from talang.contacts.models import Household, MoveStatus
from talang.guidance.models import ActivityKind
from talang.guidance.services import activity_record, case_open_for, case_status_change
from talang.guidance.tests.factories import register
from talang.outreach import services as outreach
from talang.privacy import retention
from talang.reporting.ledger import stat_record
from talang.reporting.models import StatEvent, StatKind
from talang.reporting.statistics import figures

pytestmark = pytest.mark.django_db

PERIODS = [
    (dt.date(2019, 1, 1), dt.date(2019, 12, 31)),
    (dt.date(2019, 4, 1), dt.date(2019, 6, 30)),
    (dt.date(2020, 1, 1), dt.date(2020, 12, 31)),
    (dt.date(2018, 1, 1), dt.date(2026, 12, 31)),
    (dt.date(2024, 1, 1), dt.date(2026, 2, 28)),
]


def a_households_life(personas, *, at: dt.datetime, municipality: str, moves: bool, email: str):
    """Registration, first response, a magazine order, a newsletter, a move: all in the ledger."""
    with time_machine.travel(at, tick=False):
        household = register(personas.region, municipality=municipality, email=email)
        stat_record(
            kind=StatKind.REGISTRATION,
            date=at.date(),
            region_code=personas.region.code,
            municipality_code=municipality,
            channel="guidance:23",
            origin="SE-01",
            size=1,
        )
        case = case_open_for(household=household)
        activity_record(
            household=household, case=case, kind=ActivityKind.CALL, author=personas.anna
        )
        outreach.magazine_order_create(
            region=personas.region,
            name="Namn",
            street="Gatan 1",
            postal_code="83130",
            city="Östersund",
            country="SE",
            language="sv",
            copies=1,
            household=household,
            channel="magazine:23",
        )
        subscription = outreach.subscription_request(
            region=personas.region, email=email, language="sv", topics=[], household=household
        )
        outreach.subscription_confirm(subscription=subscription)
    with time_machine.travel(at + dt.timedelta(days=40), tick=False):
        outreach.subscription_unsubscribe(subscription=subscription)
    if moves:
        with time_machine.travel(at + dt.timedelta(days=90), tick=False):
            case_status_change(
                case=case,
                status=MoveStatus.MOVED,
                by=personas.anna,
                moved_on=(at + dt.timedelta(days=90)).date(),
                moved_to=Municipality.objects.get(code=municipality),
                confirmed_by="household",
            )
    return household


def snapshot(personas) -> list:
    municipalities = [None, *Municipality.objects.filter(code__in=["2380", "2321"])]
    return [
        figures(region=personas.region, start=start, end=end, municipality=municipality).as_dict()
        for start, end in PERIODS
        for municipality in municipalities
    ] + [
        figures(region=personas.region, start=start, end=end).as_dict(suppress=True)
        for start, end in PERIODS
    ]


def test_every_statistic_is_unchanged_after_a_retention_run(personas):
    retention.retention_rule_update(
        region=personas.region, inactive_months=60, decision_reference="RS/1/2024", by=None
    )
    lives = [
        (dt.datetime(2019, 3, 4, 9, tzinfo=dt.UTC), "2380", True),
        (dt.datetime(2019, 5, 6, 9, tzinfo=dt.UTC), "2321", False),
        (dt.datetime(2019, 9, 9, 9, tzinfo=dt.UTC), "2380", False),
        (dt.datetime(2020, 1, 8, 9, tzinfo=dt.UTC), "2321", True),
        (dt.datetime(2024, 10, 1, 9, tzinfo=dt.UTC), "2380", True),
    ]
    households = [
        a_households_life(
            personas, at=at, municipality=code, moves=moves, email=f"p{n}@example.org"
        )
        for n, (at, code, moves) in enumerate(lives)
    ]
    before = snapshot(personas)
    ledger_before = StatEvent.objects.count()
    assert before[0]["registered_households"] == 3
    assert before[0]["moved_households"] == 1

    with time_machine.travel(dt.datetime(2026, 2, 2, 9, tzinfo=dt.UTC), tick=False):
        review = retention.retention_review_prepare(region=personas.region)
        retention.retention_review_approve(review=review, by=personas.cecilia, run=False)
        record = retention.retention_review_apply(review=review)

    assert record.households == 4
    assert list(Household.objects.values_list("pk", flat=True)) == [households[4].pk]
    assert StatEvent.objects.count() == ledger_before
    assert snapshot(personas) == before
