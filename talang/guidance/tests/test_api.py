import pytest

from talang.accounts.services import api_token_create
from talang.guidance.models import GuidanceCase
from talang.guidance.tests.factories import register

pytestmark = pytest.mark.django_db


def get(client, user, path):
    _token, raw = api_token_create(user=user, name="t", by=None)
    return client.get(path, HTTP_AUTHORIZATION=f"Bearer {raw}")


def test_it_gives_a_guide_the_household(personas, client):
    household = register(personas.region, first_name="Åsa", municipality="2321")
    response = get(client, personas.anna, f"/api/v1/households/{household.reference}")
    assert response.status_code == 200
    body = response.json()
    case = GuidanceCase.objects.get(household=household)
    assert body["municipality"] == "2321"
    assert body["first_response_due"] == case.first_response_due.isoformat()
    assert body["first_response_at"] is None
    assert body["people"][0]["first_name"] == "Åsa"


def test_it_refuses_a_viewer_with_403_and_no_data(personas, client):
    household = register(personas.region, first_name="Åsa")
    response = get(client, personas.eva, f"/api/v1/households/{household.reference}")
    assert response.status_code == 403
    assert "Åsa" not in response.content.decode()
    assert get(client, personas.eva, "/api/v1/households").status_code == 403


def test_it_answers_401_without_a_token_and_404_for_unknown(personas, client):
    household = register(personas.region)
    assert client.get(f"/api/v1/households/{household.reference}").status_code == 401
    assert get(client, personas.cecilia, "/api/v1/households/HNOPE").status_code == 404


def test_it_lists_with_the_queues_rules(personas, client):
    register(personas.region, first_name="Östen", municipality="2380")
    register(personas.region, first_name="Åke", municipality="2321")
    rows = get(client, personas.anna, "/api/v1/households?scope=mine").json()
    assert [row["first_name"] for row in rows] == ["Östen"]
    rows = get(client, personas.cecilia, "/api/v1/households?municipality=2321").json()
    assert [row["first_name"] for row in rows] == ["Åke"]
    assert get(client, personas.cecilia, "/api/v1/households?limit=9999").status_code == 400
