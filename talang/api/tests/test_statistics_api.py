"""GET /api/v1/statistics: the dashboard's figures for viewers' and coordinators' tokens."""

import datetime as dt

import pytest
import time_machine

from talang.accounts.services import api_token_create
from talang.reporting.ledger import stat_record
from talang.reporting.models import StatKind
from talang.reporting.statistics import figures

URL = "/api/v1/statistics"


def bearer(user) -> dict:
    _token, raw = api_token_create(user=user, name="statistics", by=None)
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


@pytest.fixture
def ledger(personas):
    def add(kind, municipality, count, **extra):
        for _ in range(count):
            stat_record(
                kind=kind,
                date=dt.date(2026, 3, 2),
                region_code=personas.region.code,
                municipality_code=municipality,
                **extra,
            )

    add(StatKind.REGISTRATION, "2321", 3)
    add(StatKind.REGISTRATION, "2380", 8)
    add(StatKind.FIRST_RESPONSE_ON_TIME, "2380", 6)
    add(StatKind.FIRST_RESPONSE_LATE, "2380", 2)
    add(StatKind.MOVE, "2380", 5, cohort=dt.date(2026, 1, 1), days=60)
    return personas


def test_it_answers_the_dashboards_figures(ledger, client):
    response = client.get(f"{URL}?from=2026-01-01&to=2026-12-31", **bearer(ledger.cecilia))
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["registered_households"] == 11
    assert body["moved_households"] == 5
    assert body["first_response_on_time_share"] == pytest.approx(0.75)
    assert body["from"] == "2026-01-01" and body["to"] == "2026-12-31"
    expected = figures(
        region=ledger.region, start=dt.date(2026, 1, 1), end=dt.date(2026, 12, 31)
    ).as_dict()
    assert body == expected
    cells = {row["key"]: row["values"] for row in body["by_municipality"]}
    assert cells["2321"]["registered_households"] == 3


def test_it_hides_small_cells_from_a_viewer(ledger, client):
    body = client.get(f"{URL}?from=2026-01-01&to=2026-12-31", **bearer(ledger.eva)).json()
    cells = {row["key"]: row["values"] for row in body["by_municipality"]}
    assert cells["2321"]["registered_households"] == "<5"
    assert cells["2380"]["registered_households"] == 8
    assert body["registered_households"] == 11
    one = client.get(f"{URL}?from=2026-01-01&to=2026-12-31&municipality=2321", **bearer(ledger.eva))
    assert one.json()["registered_households"] == "<5"


@time_machine.travel("2026-11-23 10:00:00+01:00", tick=False)
def test_it_defaults_to_this_year_to_date(ledger, client):
    body = client.get(URL, **bearer(ledger.eva)).json()
    assert (body["from"], body["to"]) == ("2026-01-01", "2026-11-23")


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("from=2026-02-30", "from"),
        ("from=soon", "from"),
        ("to=2026-1-1x", "to"),
        ("from=2026-05-01&to=2026-04-01", "to"),
        ("municipality=9999", "municipality"),
        ("municipality=%00", "municipality"),
        ("from=1800-01-01", "from"),
    ],
)
def test_it_names_the_bad_parameter(personas, client, query, field):
    response = client.get(f"{URL}?{query}", **bearer(personas.eva))
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert list(errors) == [field]
    assert all(isinstance(message, str) and message for message in errors[field])


def test_it_needs_a_token(personas, client):
    assert client.get(URL).status_code == 401
    assert client.get(URL, HTTP_AUTHORIZATION="Bearer nonsense").status_code == 401


@pytest.mark.parametrize("name", ["anna", "bengt", "dan", "filip"])
def test_it_refuses_other_roles(personas, client, name):
    response = client.get(URL, **bearer(getattr(personas, name)))
    assert response.status_code == 403
    assert "registered_households" not in response.json()


def test_it_is_in_the_openapi_schema(client):
    schema = client.get("/api/v1/openapi.json").json()
    operation = schema["paths"]["/api/v1/statistics"]["get"]
    assert {p["name"] for p in operation["parameters"]} == {"from", "to", "municipality"}
    assert {"200", "400", "401", "403"} <= set(operation["responses"])
