"""The coordinator's first-response compliance page: the numbers, the period, who may see it."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from talang.accounts.models import Municipality, Region
from talang.guidance.models import GuidanceCase
from talang.guidance.tests.factories import register

pytestmark = pytest.mark.django_db

NOW = "2026-11-23 10:00:00+01:00"
NOVEMBER = "?from=2026-11-01&to=2026-11-30"


def at(moment: str) -> dt.datetime:
    return dt.datetime.fromisoformat(f"{moment}+01:00")


def contact(client, household, when: str, kind: str = "call") -> None:
    response = client.post(
        reverse("activity-create", kwargs={"reference": household.reference}),
        {"kind": kind, "outcome": "reached", "body": "Pratade", "occurred_at": when},
    )
    assert response.status_code == 302


def assign_to_self(client, household) -> None:
    client.post(reverse("household-assign", kwargs={"reference": household.reference}), {"me": 1})


@pytest.fixture
def cases(personas, client_for):
    """Due Monday 9 November unless said otherwise; today is Monday 23 November."""
    region = personas.region
    with time_machine.travel(NOW, tick=False):
        anna, bengt, cecilia = (
            client_for(p) for p in (personas.anna, personas.bengt, personas.cecilia)
        )
        registered = at("2026-11-02 09:00:00")
        on_time = register(region, municipality="2380", at=registered)
        contact(anna, on_time, "2026-11-05 10:00")
        # 00:30 in Stockholm on the 10th is still the 9th in UTC: late all the same.
        late = register(region, municipality="2380", at=registered)
        contact(anna, late, "2026-11-10 00:30")
        overdue = register(region, municipality="2380", at=registered)
        assign_to_self(anna, overdue)
        register(region, municipality="2380", at=at("2026-11-20 09:00:00"))  # due the 27th
        are = register(region, municipality="2321", at=registered)
        contact(bengt, are, "2026-11-06 14:00", kind="meeting")
        # The region's queue: assigned to Cecilia, answered (late) by Bengt.
        queue = register(region, municipality=None, at=registered)
        assign_to_self(cecilia, queue)
        contact(bengt, queue, "2026-11-12 09:00")
        register(region, municipality="2380", at=at("2026-10-01 09:00:00"))  # due in October
        closed = register(region, municipality="2380", at=registered)
        GuidanceCase.objects.filter(household=closed).update(closed_at=at("2026-11-04 09:00:00"))
        other_region = Region.objects.create(name="Region Gävleborg", code="21")
        Municipality.objects.create(region=other_region, name="Gävle", code="2180")
        register(other_region, municipality="2180", at=registered)


def numbers(row) -> tuple:
    return (row.label, row.due, row.on_time, row.late, row.overdue, row.pending, row.share)


def test_it_counts_first_responses_per_municipality_and_guide(personas, client_for, cases):
    with time_machine.travel(NOW, tick=False):
        response = client_for(personas.cecilia).get(reverse("compliance") + NOVEMBER)
    assert response.status_code == 200
    report = response.context["report"]
    rows = {row.label: numbers(row) for row in report.municipalities}
    assert rows["Östersund"] == ("Östersund", 4, 1, 1, 1, 1, 33)
    assert rows["Åre"] == ("Åre", 1, 1, 0, 0, 0, 100)
    assert rows["Berg"] == ("Berg", 0, 0, 0, 0, 0, None)
    assert numbers(report.municipalities[-1])[1:] == (1, 0, 1, 0, 0, 0)  # the region's queue
    assert len(report.municipalities) == 9  # eight municipalities and the queue
    assert numbers(report.total)[1:] == (6, 2, 2, 1, 1, 40)
    assert [numbers(row) for row in report.guides] == [
        ("Anna Andersson", 3, 1, 1, 1, 0, 33),
        ("Bengt Berg", 2, 1, 1, 0, 0, 50),
        (report.guides[-1].label, 1, 0, 0, 0, 1, None),  # nobody assigned yet
    ]
    page = response.content.decode()
    assert page.count("<caption") == 2
    assert '<th scope="row">Östersund</th>' in page
    assert "33 %" in page and "Gävle" not in page


def test_it_shows_this_year_by_default(personas, client_for, cases):
    with time_machine.travel(NOW, tick=False):
        response = client_for(personas.cecilia).get(reverse("compliance"))
    report = response.context["report"]
    assert (report.start, report.end) == (dt.date(2026, 1, 1), dt.date(2026, 12, 31))
    assert numbers(report.total)[1:] == (7, 2, 2, 2, 1, 33)  # October's overdue one as well


def test_it_reads_the_same_number_of_queries_for_any_amount_of_cases(
    personas, client_for, django_assert_max_num_queries
):
    client = client_for(personas.cecilia)
    assign_to_self(client, register(personas.region, municipality="2380"))
    with django_assert_max_num_queries(12) as few:
        client.get(reverse("compliance"))
    few = len(few.captured_queries)  # the next requests clear Django's query log
    for code in ("2380", "2321", "2309", None):
        register(personas.region, municipality=code)
        assign_to_self(client, register(personas.region, municipality=code))
    with django_assert_max_num_queries(few):
        client.get(reverse("compliance"))


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("?from=2026-13-01", "from"),
        ("?from=1%2F11%2F2026", "from"),
        ("?to=tomorrow", "to"),
        ("?from=2026-12-01&to=2026-11-01", "to"),
    ],
)
def test_it_names_a_bad_date(personas, client_for, query, field):
    response = client_for(personas.cecilia).get(reverse("compliance") + query)
    assert response.status_code == 400
    assert list(response.context["form"].errors) == [field]
    page = response.content.decode()
    assert f'href="#id_{field}"' in page  # the summary links to the field
    assert "report" not in response.context or response.context.get("report") is None


def test_it_refuses_everyone_but_coordinators(personas, client_for):
    for user in (personas.anna, personas.bengt, personas.dan, personas.eva, personas.filip):
        response = client_for(user).get(reverse("compliance"))
        assert response.status_code == 403, user


def test_it_is_in_the_coordinators_menu_only(personas, client_for):
    url = reverse("compliance")
    assert f'href="{url}"' in client_for(personas.cecilia).get(reverse("home")).content.decode()
    assert f'href="{url}"' not in client_for(personas.anna).get(reverse("home")).content.decode()
