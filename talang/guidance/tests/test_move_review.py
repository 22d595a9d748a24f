"""The move status review: households in dialogue without an update for N months."""

import datetime as dt

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from talang.contacts.models import Household, MoveStatus
from talang.guidance.models import GuidanceCase
from talang.guidance.selectors import months_before
from talang.guidance.tests.factories import register


@pytest.fixture
def client_for(client_for):
    """Pages in English, the language of the sources these tests read."""

    def english(user):
        client = client_for(user)
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        return client

    return english


pytestmark = pytest.mark.django_db
URL = reverse("move-review")


def in_dialogue(
    region,
    *,
    months_ago: int,
    municipality="2380",
    status=MoveStatus.IN_DIALOGUE,
    first_name="Östen",
    days=0,
):
    household = register(region, municipality=municipality, first_name=first_name)
    at = months_before(timezone.now(), months_ago) - dt.timedelta(days=days)
    Household.objects.filter(pk=household.pk).update(last_activity_at=at, status=status)
    GuidanceCase.objects.filter(household=household).update(status=status)
    return household


def listed(response) -> list[str]:
    return [case.household.reference for case in response.context["page"].object_list]


def test_it_lists_households_in_dialogue_without_an_update_oldest_first(personas, client_for):
    newer = in_dialogue(personas.region, months_ago=13)
    older = in_dialogue(personas.region, months_ago=30, status=MoveStatus.PAUSED)
    in_dialogue(personas.region, months_ago=2)  # recent activity
    for status in (MoveStatus.NEW, MoveStatus.MOVED, MoveStatus.NOT_MOVING):
        in_dialogue(personas.region, months_ago=40, status=status)
    response = client_for(personas.anna).get(URL)
    assert response.status_code == 200
    assert listed(response) == [older.reference, newer.reference]
    page = response.content.decode()
    assert reverse("household-card", kwargs={"reference": older.reference}) in page
    assert "2 households" in page


def test_it_takes_the_number_of_months_from_the_page(personas, client_for, settings):
    recent = in_dialogue(personas.region, months_ago=7)
    client = client_for(personas.anna)
    assert listed(client.get(URL)) == []
    assert listed(client.get(URL, {"months": "6"})) == [recent.reference]
    settings.TALANG_MOVE_REVIEW_MONTHS = 6
    assert listed(client.get(URL)) == [recent.reference]


@pytest.mark.parametrize("months", ["0", "121", "twelve", "", "-3", "1.5"])
def test_it_validates_the_months(personas, client_for, months):
    response = client_for(personas.anna).get(URL, {"months": months})
    assert response.status_code == 400
    page = response.content.decode()
    assert "error-summary" in page
    assert "No update for at least (months)" in page


def test_a_guide_sees_their_municipality_and_may_look_at_another(personas, client_for):
    mine = in_dialogue(personas.region, months_ago=13, municipality="2380")
    other = in_dialogue(personas.region, months_ago=13, municipality="2321")
    queue = in_dialogue(personas.region, months_ago=13, municipality=None)
    client = client_for(personas.anna)
    assert listed(client.get(URL)) == [mine.reference]
    assert listed(client.get(URL, {"municipality": "2321"})) == [other.reference]
    assert listed(client.get(URL, {"municipality": "region"})) == [queue.reference]
    assert client.get(URL, {"municipality": ""}).status_code == 400  # not all at once
    assert client.get(URL, {"municipality": "9999"}).status_code == 400
    assert listed(client_for(personas.bengt).get(URL)) == [other.reference]


def test_a_coordinator_sees_all_or_one_municipality(personas, client_for):
    mine = in_dialogue(personas.region, months_ago=13, municipality="2380")
    other = in_dialogue(personas.region, months_ago=14, municipality="2321")
    client = client_for(personas.cecilia)
    assert listed(client.get(URL)) == [other.reference, mine.reference]
    assert listed(client.get(URL, {"municipality": "2380"})) == [mine.reference]


def test_other_roles_are_refused(personas, client_for):
    for user in (personas.dan, personas.eva, personas.filip):
        assert client_for(user).get(URL).status_code == 403


def test_it_pages_with_a_fixed_number_of_queries(
    personas, client_for, django_assert_max_num_queries
):
    for number in range(51):
        in_dialogue(personas.region, months_ago=13, days=number)
    client = client_for(personas.cecilia)
    with django_assert_max_num_queries(12):
        first = client.get(URL)
    assert len(listed(first)) == 50
    assert first.context["page"].paginator.count == 51
    assert "?municipality=&amp;months=12&amp;page=2" in first.content.decode()
    second = client.get(URL, {"page": "2", "months": "12"})
    assert len(listed(second)) == 1
    assert listed(second)[0] not in listed(first)


def test_it_is_in_the_navigation_of_guides_and_coordinators(personas, client_for):
    assert URL in client_for(personas.anna).get(reverse("queue")).content.decode()
    assert URL not in client_for(personas.dan).get(reverse("home")).content.decode()


def test_months_before_keeps_the_day_or_takes_the_months_last():
    moment = dt.datetime(2026, 3, 31, 12, tzinfo=dt.UTC)
    assert months_before(moment, 1) == dt.datetime(2026, 2, 28, 12, tzinfo=dt.UTC)
    assert months_before(moment, 12) == dt.datetime(2025, 3, 31, 12, tzinfo=dt.UTC)
    assert months_before(moment, 27) == dt.datetime(2023, 12, 31, 12, tzinfo=dt.UTC)


def test_it_says_so_when_no_household_waits(personas, client_for):
    in_dialogue(personas.region, months_ago=13, municipality="2321")
    response = client_for(personas.anna).get(URL, {"municipality": "2380", "months": "1"})
    assert response.status_code == 200
    assert listed(response) == []
    assert "No household is waiting for a review." in response.content.decode()
