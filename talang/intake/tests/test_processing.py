"""What the intake's fast path must keep: child rows beyond those shown, the form validated once,
duplicates matched by address before number, and the consent text chosen as before."""

import json

import pytest
from django.utils import timezone

from talang.accounts.models import Region
from talang.contacts import services as contacts
from talang.contacts.models import ConsentPurpose, ConsentText, Household, Person, PersonRole
from talang.intake import services
from talang.intake.forms import CHILD_ROWS_SHOWN, RegistrationForm
from talang.intake.models import Submission
from talang.testing import registered_household

pytestmark = pytest.mark.django_db

BODY = {
    "language": "sv",
    "municipalities": ["2380"],
    "consent_guidance": True,
    "contact": {"first_name": "Åsa", "email": "asa@example.org", "preferred_channel": "email"},
}


def post(client, body):
    return client.post("/api/v1/registrations", json.dumps(body), content_type="application/json")


def test_it_takes_more_children_than_the_form_shows(personas, client):
    children = [{"birth_year": 2010 + index} for index in range(6)]
    response = post(client, {**BODY, "household": {"children": children}})
    assert response.status_code == 201, response.content
    household = registered_household(response)
    years = household.persons.filter(role=PersonRole.CHILD).values_list("birth_year", flat=True)
    assert sorted(years) == list(range(2010, 2016))


def test_it_names_a_bad_child_beyond_the_rows_shown(personas, client):
    children = [{"age_band": "0_5"}] * 5 + [{"birth_year": 1800}]
    response = post(client, {**BODY, "household": {"children": children}})
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["household.children.5.birth_year"]


def test_it_shows_the_empty_child_rows_and_every_filled_one(personas):
    region = Region.objects.get()
    assert [row[0] for row in RegistrationForm(region=region).child_rows()] == list(
        range(1, CHILD_ROWS_SHOWN + 1)
    )
    form = RegistrationForm(data={"child_7_age_band": "6_12"}, region=region)
    assert [row[0] for row in form.child_rows()] == [*range(1, CHILD_ROWS_SHOWN + 1), 7]


def test_it_validates_the_form_once_when_the_view_did(personas, client, monkeypatch):
    calls = []
    validated = services._validated
    monkeypatch.setattr(
        services, "_validated", lambda *a, **k: calls.append(a) or validated(*a, **k)
    )
    assert post(client, BODY).status_code == 201
    assert calls == []  # the API view's form was reused
    submission = Submission.objects.get()
    Submission.objects.filter(pk=submission.pk).update(state=Submission.State.FAILED)
    submission.refresh_from_db()
    assert services.submission_process(submission=submission) is not None
    assert len(calls) == 1  # a replay validates the stored payload
    assert submission.state == Submission.State.PROCESSED
    assert submission.household.persons.count() == 1


def _person(region, **contact):
    household = Household.objects.create(region=region)
    return Person.objects.create(household=household, **contact)


def test_it_matches_the_address_before_the_number(personas):
    region = Region.objects.get()
    by_phone = _person(region, phone="+46701234567")
    by_email = _person(region, email="asa@example.org")
    found = contacts.person_find_by_contact(
        region=region, email="asa@example.org", phone="+46701234567"
    )
    assert found == by_email
    assert contacts.person_find_by_contact(region=region, email="", phone="+46701234567") == (
        by_phone
    )
    assert contacts.person_find_by_contact(region=region, email="x@example.org", phone="") is None
    assert contacts.person_find_by_contact(region=region, email="", phone="") is None


def test_it_finds_the_address_behind_a_number_many_people_share(personas, monkeypatch):
    region = Region.objects.get()
    monkeypatch.setattr(contacts, "LOOKUP_LIMIT", 3)
    sharing = [_person(region, phone="+4663123456") for _ in range(4)]
    by_email = _person(region, email="asa@example.org", phone="+4663123456")
    found = contacts.person_find_by_contact(
        region=region, email="asa@example.org", phone="+4663123456"
    )
    assert found == by_email
    assert (
        contacts.person_find_by_contact(
            region=region, email="nobody@example.org", phone="+4663123456"
        )
        == sharing[0]
    )


def test_it_chooses_the_consent_text_version_language_and_fallback(personas):
    # personas publishes the guidance notice v1 again, whatever an earlier test flushed.
    purpose = ConsentPurpose.GUIDANCE
    ConsentText.objects.create(
        purpose=purpose, version=2, language="en", text="v2", published_at=timezone.now()
    )

    def chosen(language, version=None):
        text = contacts.consent_text_current(purpose=purpose, language=language, version=version)
        return text.language, text.version

    assert chosen("en") == ("en", 2)
    assert chosen("en", version=1) == ("en", 1)
    assert chosen("en", version=7) == ("en", 2)
    assert chosen("xx") == ("sv", 1)
    with pytest.raises(ConsentText.DoesNotExist):
        contacts.consent_text_current(purpose=ConsentPurpose.SURVEY, language="sv")
