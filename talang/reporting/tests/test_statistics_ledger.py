"""What the guidance and intake services write to the ledger for moves, and how it counts."""

import datetime as dt
import json

import pytest
import time_machine

from talang.guidance import services as guidance
from talang.guidance.models import GuidanceCase
from talang.guidance.tests.factories import register
from talang.reporting.models import StatEvent
from talang.reporting.statistics import figures
from talang.testing import registered_household

STOCKHOLM_NIGHT = dt.datetime(2026, 3, 31, 23, 30, tzinfo=dt.UTC)  # 1 April in Stockholm


def _case(household):
    return GuidanceCase.objects.get(household=household)


def test_it_writes_the_registration_month_and_days_to_move(personas):
    household = register(personas.region, at=STOCKHOLM_NIGHT)
    moved_to = personas.region.municipalities.get(code="2321")
    guidance.case_status_change(
        case=_case(household),
        status="moved",
        by=personas.anna,
        moved_on=dt.date(2026, 5, 11),
        moved_to=moved_to,
        confirmed_by="household",
    )
    move = StatEvent.objects.get(kind="move")
    # Registered on 1 April local time (31 March in UTC).
    assert (move.cohort, move.days, move.detail) == (dt.date(2026, 4, 1), 40, "")
    assert move.municipality_code == "2321"


def test_it_never_writes_negative_days(personas):
    household = register(personas.region, at=STOCKHOLM_NIGHT)
    guidance.case_status_change(
        case=_case(household), status="moved", by=personas.anna, moved_on=dt.date(2026, 1, 1)
    )
    assert StatEvent.objects.get(kind="move").days == 0


def test_it_takes_a_move_back_when_the_status_leaves_moved(personas):
    household = register(personas.region, at=STOCKHOLM_NIGHT)
    case = _case(household)
    guidance.case_status_change(
        case=case, status="moved", by=personas.anna, moved_on=dt.date(2026, 5, 11)
    )
    year = {"region": personas.region, "start": dt.date(2026, 1, 1), "end": dt.date(2026, 12, 31)}
    assert figures(**year).moved_households == 1
    guidance.case_status_change(case=case, status="in_dialogue", by=personas.anna)
    undone = StatEvent.objects.get(kind="move", detail="undone")
    assert (undone.date, undone.municipality_code, undone.cohort, undone.days) == (
        dt.date(2026, 5, 11),
        "2380",
        dt.date(2026, 4, 1),
        40,
    )
    result = figures(**year)
    assert result.moved_households == 0
    assert result.median_days_to_move is None
    assert result.moves_of_registered == 0
    # Moving again counts once more; a status change that is not about moving writes no move.
    guidance.case_status_change(
        case=case, status="moved", by=personas.anna, moved_on=dt.date(2026, 6, 1)
    )
    guidance.case_status_change(
        case=case, status="moved", by=personas.anna, moved_on=dt.date(2026, 6, 1)
    )
    assert figures(**year).moved_households == 1
    assert StatEvent.objects.filter(kind="move").count() == 3


def test_it_moves_the_count_when_a_move_is_corrected(personas):
    household = register(personas.region, at=STOCKHOLM_NIGHT)
    case = _case(household)
    guidance.case_status_change(
        case=case, status="moved", by=personas.anna, moved_on=dt.date(2026, 12, 30)
    )
    guidance.case_status_change(
        case=case, status="moved", by=personas.anna, moved_on=dt.date(2027, 1, 2)
    )
    assert (
        figures(
            region=personas.region, start=dt.date(2026, 1, 1), end=dt.date(2026, 12, 31)
        ).moved_households
        == 0
    )
    assert (
        figures(
            region=personas.region, start=dt.date(2027, 1, 1), end=dt.date(2027, 12, 31)
        ).moved_households
        == 1
    )


@time_machine.travel("2026-11-23 10:00:00+01:00", tick=False)
@pytest.mark.parametrize(
    ("origin", "expected"),
    [
        ({"origin_country": "SE", "origin_county": "SE-AB"}, "SE-AB"),
        ({"origin_country": "NO"}, "NO"),
    ],
)
def test_it_writes_the_same_origin_for_registration_and_move(personas, client, origin, expected):
    body = {
        "language": "sv",
        "municipalities": ["2380"],
        "consent_guidance": True,
        "contact": {
            "first_name": "Åsa",
            "last_name": "Öberg",
            "email": "asa@example.org",
            "preferred_channel": "email",
        },
        "move": origin,
    }
    response = client.post(
        "/api/v1/registrations", json.dumps(body), content_type="application/json"
    )
    assert response.status_code == 201, response.content
    household = registered_household(response)
    guidance.case_status_change(
        case=_case(household), status="moved", by=personas.anna, moved_on=dt.date(2026, 11, 23)
    )
    registration = StatEvent.objects.get(kind="registration")
    move = StatEvent.objects.get(kind="move")
    assert registration.origin == move.origin == expected
    assert (move.cohort, move.days) == (dt.date(2026, 11, 1), 0)
