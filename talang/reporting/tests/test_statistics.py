"""The figures from a ledger built here, row by row, through ``stat_record``."""

import datetime as dt

import pytest

from talang.reporting.ledger import stat_record
from talang.reporting.models import Goal, GoalKind, StatKind
from talang.reporting.statistics import NOT_SHOWN, figures

D = dt.date


@pytest.fixture
def ledger(personas):
    region = personas.region

    def add(kind, day, municipality="2380", count=1, **extra):
        for _ in range(count):
            stat_record(
                kind=kind,
                date=day,
                region_code=region.code,
                municipality_code=municipality,
                **extra,
            )

    # 2025: 7 registrations in Östersund (web form, from Stockholm), 3 in Åre (API, from
    # Norway, with a campaign), 1 for the region as a whole; one the year before.
    add(StatKind.REGISTRATION, D(2025, 1, 10), count=7, channel="region", origin="SE-AB", size=2)
    add(
        StatKind.REGISTRATION,
        D(2025, 2, 3),
        "2321",
        count=3,
        channel="api",
        campaign="winter",
        origin="NO",
        size=4,
    )
    add(StatKind.REGISTRATION, D(2025, 4, 1), "", origin="SE-AB", size=1)
    add(StatKind.REGISTRATION, D(2024, 12, 31), count=1, size=1)
    add(StatKind.FIRST_RESPONSE_ON_TIME, D(2025, 1, 13), count=6)
    add(StatKind.FIRST_RESPONSE_LATE, D(2025, 2, 20), "2321", count=2)
    add(StatKind.STATUS_CHANGE, D(2025, 2, 20), detail="in_dialogue", count=4)
    # Moves: 3 in Östersund (20, 30, 40 days), one of them taken back; 1 in Åre (100 days);
    # one in 2026 of a 2025 registration.
    for days in (20, 30, 40):
        add(StatKind.MOVE, D(2025, 3, 1), cohort=D(2025, 1, 10), days=days, size=2)
    add(StatKind.MOVE, D(2025, 3, 1), cohort=D(2025, 1, 1), days=40, detail="undone")
    add(StatKind.MOVE, D(2025, 5, 14), "2321", cohort=D(2025, 2, 1), days=100)
    add(StatKind.MOVE, D(2026, 1, 5), "2321", cohort=D(2025, 2, 1), days=336)
    add(StatKind.MAGAZINE_ORDER, D(2025, 6, 1), "", count=5, origin="SE")
    add(StatKind.SUBSCRIPTION, D(2024, 6, 1), "", count=4)
    add(StatKind.SUBSCRIPTION, D(2025, 6, 1), "", count=3)
    add(StatKind.UNSUBSCRIPTION, D(2025, 7, 1), "", count=1)
    add(StatKind.UNSUBSCRIPTION, D(2026, 7, 1), "", count=1)
    add(StatKind.EMPLOYER_FOUND_STAFF, D(2025, 8, 1), "2321", count=2)
    add(StatKind.EVENT_ATTENDANCE, D(2025, 9, 1), count=12)
    # Another region's rows never count.
    stat_record(kind=StatKind.REGISTRATION, date=D(2025, 1, 10), region_code="99")
    return region


def test_it_counts_the_region_totals_of_a_period(ledger):
    result = figures(region=ledger, start=D(2025, 1, 1), end=D(2025, 12, 31))
    assert result.registered_households == 11
    assert result.first_responses_on_time == 6
    assert result.first_responses_late == 2
    assert result.first_response_on_time_share == pytest.approx(0.75)
    assert result.moved_households == 3  # 4 moves, one taken back
    assert result.magazine_orders == 5
    assert result.newsletter_subscriptions == 3
    assert result.newsletter_unsubscriptions == 1
    assert result.newsletter_subscribers == 6  # 4 + 3 - 1 up to the end of 2025
    assert result.employers_found_staff == 2
    assert result.event_attendance == 12
    # Days 20, 30, 40, 100 with one 40 taken back → 20, 30, 100.
    assert result.median_days_to_move == 30
    # Moves of 2025 registrations, whenever they happened: 3 - 1 + 1 + 1 = 4 of 11.
    assert result.moves_of_registered == 4
    assert result.conversion == pytest.approx(4 / 11)


def test_it_has_no_shares_without_a_base(personas):
    result = figures(region=personas.region, start=D(2025, 1, 1), end=D(2025, 1, 31))
    assert result.registered_households == 0
    assert result.first_response_on_time_share is None
    assert result.conversion is None
    assert result.median_days_to_move is None


def test_it_takes_the_dates_inclusively(ledger):
    assert (
        figures(region=ledger, start=D(2025, 1, 10), end=D(2025, 1, 10)).registered_households == 7
    )
    assert (
        figures(region=ledger, start=D(2024, 12, 31), end=D(2025, 1, 9)).registered_households == 1
    )


def test_it_breaks_down_by_municipality_month_channel_origin_and_size(ledger):
    result = figures(region=ledger, start=D(2025, 1, 1), end=D(2025, 6, 30))
    by_municipality = {row.key: row.values for row in result.by_municipality}
    assert len(by_municipality) == 9  # eight municipalities and the region, zeros included
    assert by_municipality["2380"]["registered_households"] == 7
    assert by_municipality["2380"]["moved_households"] == 2
    assert by_municipality["2321"]["registered_households"] == 3
    assert by_municipality["2321"]["first_response_on_time_share"] == 0
    assert by_municipality[""]["registered_households"] == 1
    assert by_municipality["2326"]["registered_households"] == 0
    assert [row.key for row in result.by_month] == [f"2025-0{m}" for m in range(1, 7)]
    assert [row.values["registered_households"] for row in result.by_month] == [7, 3, 0, 1, 0, 0]
    assert [(row.key, row.values["registered_households"]) for row in result.by_quarter] == [
        ("2025-Q1", 10),
        ("2025-Q2", 1),
    ]
    assert [row.key for row in result.by_year] == ["2025"]
    channels = {row.key: row.values["registered_households"] for row in result.by_channel}
    assert channels == {"region": 7, "api": 3, "": 1}
    campaigns = {row.key: row.values["registered_households"] for row in result.by_campaign}
    assert campaigns == {"winter": 3, "": 8}
    origins = {row.key: row.values["registered_households"] for row in result.by_origin}
    assert origins["SE-AB"] == 8 and origins["NO"] == 3
    labels = {row.key: row.label for row in result.by_origin}
    assert labels["SE-AB"] == "Stockholms län"
    sizes = {row.key: row.values["registered_households"] for row in result.by_size_band}
    assert sizes == {"1": 1, "2": 7, "3-4": 3, "5+": 0, "": 0}  # "": magazine orders


def test_it_counts_one_municipality(ledger):
    municipality = ledger.municipalities.get(code="2321")
    result = figures(
        region=ledger, start=D(2025, 1, 1), end=D(2025, 12, 31), municipality=municipality
    )
    assert result.registered_households == 3
    assert result.moved_households == 1
    assert result.median_days_to_move == 100
    assert result.conversion == pytest.approx(2 / 3)
    # The newsletter and the magazine are the region's.
    assert result.magazine_orders == 5
    assert [row.key for row in result.by_municipality] == ["2321"]


def test_it_measures_goals_over_their_own_period(ledger):
    Goal.objects.create(
        region=ledger,
        kind=GoalKind.HOUSEHOLDS_MOVED,
        target=400,
        starts_on=D(2024, 1, 1),
        ends_on=D(2027, 12, 31),
        source="Samarbetsavtal",
    )
    Goal.objects.create(
        region=ledger,
        kind=GoalKind.EMPLOYERS_FOUND_STAFF,
        target=4,
        starts_on=D(2025, 1, 1),
        ends_on=D(2025, 12, 31),
    )
    Goal.objects.create(
        region=ledger,
        kind=GoalKind.HOUSEHOLDS_REGISTERED,
        target=10,
        starts_on=D(2020, 1, 1),
        ends_on=D(2020, 12, 31),
    )
    result = figures(region=ledger, start=D(2025, 1, 1), end=D(2025, 12, 31))
    progress = {goal.goal.kind: goal for goal in result.goals}
    assert set(progress) == {GoalKind.HOUSEHOLDS_MOVED, GoalKind.EMPLOYERS_FOUND_STAFF}
    assert progress[GoalKind.HOUSEHOLDS_MOVED].achieved == 3
    assert progress[GoalKind.HOUSEHOLDS_MOVED].share == pytest.approx(3 / 400)
    assert progress[GoalKind.EMPLOYERS_FOUND_STAFF].achieved == 2
    assert progress[GoalKind.EMPLOYERS_FOUND_STAFF].share == pytest.approx(0.5)


def test_it_hides_breakdown_cells_under_five_but_not_region_totals(ledger):
    data = figures(region=ledger, start=D(2025, 1, 1), end=D(2025, 12, 31)).as_dict(suppress=True)
    assert data["registered_households"] == 11
    assert data["moved_households"] == 3
    cells = {row["key"]: row["values"] for row in data["by_municipality"]}
    assert cells["2321"]["registered_households"] == "<5"
    assert cells["2380"]["registered_households"] == 7
    assert cells["2326"]["registered_households"] == 0
    # A share is not a count: hidden as "..", which cannot be read as "under 5 %".
    assert cells["2321"]["first_response_on_time_share"] == NOT_SHOWN
    exact = figures(region=ledger, start=D(2025, 1, 1), end=D(2025, 12, 31)).as_dict()
    cells = {row["key"]: row["values"] for row in exact["by_municipality"]}
    assert cells["2321"]["registered_households"] == 3


def test_it_hides_a_small_municipality_total_too(ledger):
    municipality = ledger.municipalities.get(code="2321")
    result = figures(
        region=ledger, start=D(2025, 1, 1), end=D(2025, 12, 31), municipality=municipality
    )
    data = result.as_dict(suppress=True)
    assert data["registered_households"] == "<5"
    assert data["median_days_to_move"] == NOT_SHOWN  # not "<5", which reads as days
    assert data["magazine_orders"] == 5
    assert result.as_dict()["registered_households"] == 3


def test_it_gives_json_ready_data(ledger):
    import json

    data = figures(region=ledger, start=D(2025, 1, 1), end=D(2025, 12, 31)).as_dict()
    assert json.loads(json.dumps(data)) == data
    assert data["from"] == "2025-01-01"
    assert data["first_response_on_time_share"] == pytest.approx(0.75)


def test_it_counts_in_a_fixed_number_of_queries(ledger, django_assert_max_num_queries):
    Goal.objects.create(
        region=ledger,
        kind=GoalKind.HOUSEHOLDS_MOVED,
        target=400,
        starts_on=D(2024, 1, 1),
        ends_on=D(2027, 12, 31),
    )
    with django_assert_max_num_queries(13):
        figures(region=ledger, start=D(2020, 1, 1), end=D(2026, 12, 31))
