"""The data subject's rights from the staff side: the record from the card, erasure on the
person's request from the card and through the API, and the statistics left as they were."""

import datetime as dt
import json

import pytest
import time_machine
from django.urls import reverse

from talang.accounts.models import Municipality
from talang.accounts.services import api_token_create
from talang.contacts.models import Household, Person
from talang.guidance import services as guidance
from talang.guidance.models import Activity, GuidanceCase
from talang.guidance.tests.factories import register
from talang.intake.models import Submission
from talang.outreach.models import MagazineOrder, Subscription
from talang.privacy.models import AccessLog, ErasureRecord
from talang.reporting.models import StatEvent
from talang.reporting.statistics import figures
from talang.reporting.tests.ledger_data import household_with_history

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _midsummer_month():
    with time_machine.travel("2026-06-15 10:00:00+02:00", tick=False):
        yield


def statistics(region) -> dict:
    """Every figure of the year so far, for the region and for each municipality."""
    start, end = dt.date(2026, 1, 1), dt.date(2026, 6, 15)
    snapshot = {"region": figures(region=region, start=start, end=end).as_dict()}
    for municipality in Municipality.objects.filter(region=region):
        snapshot[municipality.code] = figures(
            region=region, start=start, end=end, municipality=municipality
        ).as_dict()
    return json.loads(json.dumps(snapshot, default=str))


def erase_url(household) -> str:
    return reverse("household-erase", kwargs={"reference": household.reference})


def data_url(household) -> str:
    return reverse("household-personal-data", kwargs={"reference": household.reference})


def gone(household) -> bool:
    return not (
        Household.objects.filter(pk=household.pk).exists()
        or Person.objects.filter(household_id=household.pk).exists()
        or Activity.objects.filter(household_id=household.pk).exists()
        or GuidanceCase.objects.filter(household_id=household.pk).exists()
        or Submission.objects.filter(household_id=household.pk).exists()
        or MagazineOrder.objects.filter(household_id=household.pk).exists()
    )


def test_it_shows_the_record_to_the_municipalitys_guide_and_logs_it(personas, client_for):
    household = register(personas.region, first_name="Östen", email="osten@example.org")
    guidance.activity_record(
        household=household, case=None, kind="note", author=personas.anna, body="Wants a farm."
    )
    client = client_for(personas.anna)
    response = client.get(data_url(household))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Östen" in page and "osten@example.org" in page
    assert AccessLog.objects.filter(user=personas.anna, household_reference=household.reference)

    response = client.get(data_url(household) + "?format=json")
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    body = response.json()
    assert body["household"]["region"] == personas.region.name
    assert body["people"][0]["email"] == "osten@example.org"
    assert [a["body"] for a in body["activities"]] == ["Wants a farm."]
    assert AccessLog.objects.filter(household_reference=household.reference).count() == 2


def test_it_shows_the_personal_data_section_only_to_who_may_use_it(personas, client_for):
    household = register(personas.region, municipality="2380")
    card = reverse("household-card", kwargs={"reference": household.reference})
    coordinator = client_for(personas.cecilia).get(card).content.decode()
    assert data_url(household) in coordinator and erase_url(household) in coordinator
    guide = client_for(personas.anna).get(card).content.decode()
    assert data_url(household) in guide and erase_url(household) not in guide
    for user in (personas.bengt, personas.dan):
        page = client_for(user).get(card).content.decode()
        assert data_url(household) not in page and erase_url(household) not in page


def test_it_refuses_the_record_and_erasure_to_other_roles(personas, client_for):
    anna_s = register(personas.region, municipality="2380", first_name="Östen")
    assert client_for(personas.bengt).get(data_url(anna_s)).status_code == 403
    assert client_for(personas.bengt).get(data_url(anna_s) + "?format=json").status_code == 403
    for user in (personas.anna, personas.bengt, personas.dan, personas.eva, personas.filip):
        response = client_for(user).post(erase_url(anna_s), {"confirm": anna_s.reference})
        assert response.status_code == 403, user
        assert "Östen" not in response.content.decode()
    for user in (personas.dan, personas.eva, personas.filip):
        assert client_for(user).get(data_url(anna_s)).status_code == 403
    assert not AccessLog.objects.filter(household_reference=anna_s.reference).exists()
    assert Household.objects.filter(pk=anna_s.pk).exists()
    assert not ErasureRecord.objects.exists()


def test_it_erases_only_by_post(personas, client_for):
    household = register(personas.region)
    client = client_for(personas.cecilia)
    assert client.get(erase_url(household)).status_code == 405
    assert Household.objects.filter(pk=household.pk).exists()


def test_it_asks_for_the_reference_before_erasing(personas, client_for):
    household = register(personas.region, first_name="Östen")
    client = client_for(personas.cecilia)
    for typed in ("", "H00000000", household.reference[:-1]):
        response = client.post(erase_url(household), {"confirm": typed})
        assert response.status_code == 400
        page = response.content.decode()
        assert "error-summary" in page and household.reference in page
    assert Household.objects.filter(pk=household.pk).exists()
    assert not ErasureRecord.objects.exists()


def test_it_needs_the_csrf_token(personas, client_for):
    from django.test import Client

    from talang.testing import sign_in

    household = register(personas.region)
    client = sign_in(Client(enforce_csrf_checks=True), personas.cecilia)
    response = client.post(erase_url(household), {"confirm": household.reference})
    assert response.status_code == 403
    assert Household.objects.filter(pk=household.pk).exists()


def test_a_coordinators_erasure_from_the_card_leaves_the_statistics(personas, client, client_for):
    erased = household_with_history(client, personas.anna, email="asa@example.org")
    household_with_history(client, personas.anna, email="bo@example.org", municipality="2321")
    before = statistics(personas.region)
    ledger = StatEvent.objects.count()
    assert before["region"]["registered_households"] == 2
    assert before["region"]["moved_households"] == 2

    coordinator = client_for(personas.cecilia)
    response = coordinator.post(erase_url(erased), {"confirm": erased.reference.lower()})
    assert response.status_code == 302
    assert response["Location"] == reverse("queue")
    assert erased.reference in coordinator.get(response["Location"]).content.decode()

    assert gone(erased)
    assert not Subscription.objects.filter(email="asa@example.org").exists()
    record = ErasureRecord.objects.get()
    assert (record.reason, record.approved_by, record.households) == (
        ErasureRecord.Reason.STAFF_ON_REQUEST,
        personas.cecilia,
        1,
    )
    assert StatEvent.objects.count() == ledger
    assert statistics(personas.region) == before
    card = reverse("household-card", kwargs={"reference": erased.reference})
    assert coordinator.get(card).status_code == 404
    assert coordinator.get(data_url(erased)).status_code == 404


def api(client, user, method, path):
    _token, raw = api_token_create(user=user, name="t", by=None)
    return getattr(client, method)(path, HTTP_AUTHORIZATION=f"Bearer {raw}")


def test_the_api_erases_for_a_coordinator_and_leaves_the_statistics(personas, client):
    erased = household_with_history(client, personas.anna, email="asa@example.org")
    household_with_history(client, personas.bengt, email="bo@example.org", municipality="2321")
    before = statistics(personas.region)
    path = f"/api/v1/households/{erased.reference}"
    assert api(client, personas.cecilia, "get", path).status_code == 200

    response = api(client, personas.cecilia, "post", path + "/erase")
    assert response.status_code == 200
    body = response.json()
    record = ErasureRecord.objects.get()
    assert body == {
        "erasure": record.pk,
        "households": 1,
        "persons": 1,
        "activities": record.activities,
        "submissions": 1,
    }
    assert "Åsa" not in response.content.decode() and "asa@" not in response.content.decode()
    assert record.reason == ErasureRecord.Reason.STAFF_ON_REQUEST
    assert gone(erased)
    assert statistics(personas.region) == before
    assert api(client, personas.cecilia, "get", path).status_code == 404
    assert api(client, personas.cecilia, "post", path + "/erase").status_code == 404


def test_the_api_refuses_erasure_to_every_other_role(personas, client):
    household = register(personas.region, municipality="2380", first_name="Östen")
    path = f"/api/v1/households/{household.reference}/erase"
    assert client.post(path).status_code == 401
    for user in (personas.anna, personas.bengt, personas.dan, personas.eva, personas.filip):
        response = api(client, user, "post", path)
        assert response.status_code == 403, user
        assert "Östen" not in response.content.decode()
    assert api(client, personas.cecilia, "post", "/api/v1/households/HNOPE/erase").status_code == (
        404
    )
    assert Household.objects.filter(pk=household.pk).exists()
    assert not ErasureRecord.objects.exists()


def test_the_erase_endpoint_is_documented(personas, client):
    schema = client.get("/api/v1/openapi.json").json()
    operation = schema["paths"]["/api/v1/households/{reference}/erase"]["post"]
    assert {"200", "401", "403", "404"} <= set(operation["responses"])
