"""A viewer's statistics page and API answer hold no name, e-mail, phone or note of anyone."""

import pytest

from talang.accounts.services import api_token_create
from talang.contacts.models import Person
from talang.guidance import services as guidance
from talang.guidance.models import Activity, GuidanceCase
from talang.intake.demo import demo_households_load


@pytest.fixture
def demo(personas):
    demo_households_load(count=24)
    # A few moves and notes, so that the ledger has moves and the database has notes.
    for case in GuidanceCase.objects.select_related("household")[:6]:
        guidance.case_status_change(
            case=case, status="moved", by=personas.cecilia, note="Secret note about the move"
        )
    return personas


def _secrets() -> set[str]:
    found = set()
    for first, last, email, phone in Person.objects.values_list(
        "first_name", "last_name", "email", "phone"
    ):
        found |= {value for value in (first, last, email, phone) if value and len(value) > 2}
        if phone:
            found.add(phone[3:])  # the national digits without +46
    found |= {body for body in Activity.objects.values_list("body", flat=True) if body}
    return found


def test_it_shows_a_viewer_no_personal_data(demo, client_for, client):
    secrets = _secrets()
    assert len(secrets) > 30
    page = client_for(demo.eva).get("/staff/statistics/?from=2020-01-01&to=2029-12-31")
    assert page.status_code == 200
    assert page.context["data"]["registered_households"] == 24
    _token, raw = api_token_create(user=demo.eva, name="scan", by=None)
    api = client.get(
        "/api/v1/statistics?from=2020-01-01&to=2029-12-31", HTTP_AUTHORIZATION=f"Bearer {raw}"
    )
    assert api.status_code == 200
    for text in (page.content.decode(), api.content.decode()):
        leaked = sorted(secret for secret in secrets if secret in text)
        assert leaked == []
