"""The demo's ledger history from before Talang: anonymous rows only, before the register's
first household, written once, and what the demo's statistics and ledger check then show."""

import datetime as dt
import io

import pytest
from django.core.management import call_command

from talang.reporting.demo import ledger_history_demo_load
from talang.reporting.models import StatEvent
from talang.reporting.statistics import figures

pytestmark = pytest.mark.django_db

D = dt.date


def test_it_writes_a_history_before_the_live_data_once(personas):
    written = ledger_history_demo_load(region=personas.region, until=D(2026, 3, 10))
    assert written > 1000
    rows = StatEvent.objects.filter(region_code=personas.region.code)
    assert rows.count() == written
    assert not rows.filter(date__gte=D(2026, 3, 10)).exists()
    assert not rows.filter(date__lt=D(2025, 1, 1)).exists()
    assert ledger_history_demo_load(region=personas.region, until=D(2026, 3, 10)) == 0
    year = figures(region=personas.region, start=D(2025, 1, 1), end=D(2025, 12, 31))
    assert 300 < year.registered_households < 540
    assert 90 < year.moved_households < 200
    assert 0.8 < year.first_response_on_time_share < 0.95
    assert year.median_days_to_move and year.magazine_orders and year.newsletter_subscribers
    municipalities = {
        row.key for row in year.by_municipality if row.values["registered_households"]
    }
    assert {"2380", "2321", ""} <= municipalities


def test_the_ledger_check_sets_the_history_apart(personas):
    ledger_history_demo_load(region=personas.region, until=D(2026, 3, 10))
    out = io.StringIO()
    call_command(
        "talang_ledger_check", "--from", "2025-01-01", "--to", "2026-03-09", stdout=out
    )  # exits 0: every row is from before the live data
    assert out.getvalue()


def test_channels_are_named_after_their_forms(personas):
    from django.utils import translation

    ledger_history_demo_load(region=personas.region, until=D(2025, 3, 1))
    with translation.override("en"):
        year = figures(region=personas.region, start=D(2025, 1, 1), end=D(2025, 12, 31))
    labels = {row.key: row.label for row in year.by_channel}
    assert labels["guidance:2380"] == "Östersund's form"
    assert labels["guidance:23"] == "The region's form"
    assert labels["magazine:23"] == "The region's magazine form"


def test_moves_keep_the_forms_their_households_registered_through(personas):
    ledger_history_demo_load(region=personas.region, until=D(2026, 3, 10))
    year = figures(region=personas.region, start=D(2025, 1, 1), end=D(2025, 12, 31))
    moves = {row.key: row.values["moved_households"] for row in year.by_channel}
    registrations = {row.key: row.values["registered_households"] for row in year.by_channel}
    assert sum(moves.values()) == year.moved_households
    assert moves["guidance:2380"] > moves["guidance:23"]
    assert moves["guidance:23"] < year.moved_households / 5
    # Every form that brought moves brought registrations too.
    assert {key for key, n in moves.items() if n} <= {key for key, n in registrations.items() if n}
    assert len([n for n in moves.values() if n]) >= 6


def test_the_history_is_the_same_every_time(personas):
    def rows():
        return list(
            StatEvent.objects.filter(region_code=personas.region.code)
            .order_by("pk")
            .values_list("kind", "date", "municipality_code", "channel", "days")
        )

    ledger_history_demo_load(region=personas.region, until=D(2025, 4, 1))
    first = rows()
    StatEvent.objects.filter(region_code=personas.region.code).delete()
    ledger_history_demo_load(region=personas.region, until=D(2025, 4, 1))
    assert rows() == first
