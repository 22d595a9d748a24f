"""The household's own link: everything held about it, readable and as a file, and the
correction of its details (the rights of access and rectification)."""

import re

import pytest
from django.core import mail
from django.utils import translation

from talang.contacts.models import Household, Person
from talang.guidance.models import Activity, ActivityKind
from talang.intake.tests.test_forms import fill

pytestmark = pytest.mark.django_db


@pytest.fixture
def link(personas, client, django_capture_on_commit_callbacks):
    """The /my-data/ path of a household registered in English with most of the form."""
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/forms/en/guidance/",
            fill(
                adults="2",
                work_situation="job_seeking",
                origin_country="NL",
                origin_place="Utrecht",
                timeline="3_12_months",
                child_1_age_band="0_5",
                newsletter="on",
                magazine="on",
                magazine_street="Storgatan 1",
                magazine_postal_code="831 30",
                magazine_city="Östersund",
            ),
        )
    assert response.status_code == 302
    bodies = "\n".join(message.body for message in mail.outbox)
    return re.search(r"http://testserver(/my-data/\S+/)", bodies).group(1)


def test_the_page_shows_everything_held(link, client):
    person = Person.objects.get(role="main")
    Activity.objects.create(
        household=person.household, kind=ActivityKind.NOTE, body="Wants a flat near the school."
    )
    page = client.get(link).content.decode()
    with translation.override("en"):
        for shown in (
            "070-123 45 67",  # as people write it, not +46…
            "Storgatan 1, 831 30 Östersund",
            "0–5 years",
            "Looking for work",
            "Utrecht, Netherlands",
            "In 3–12 months",
            "Wants a flat near the school.",
            "asa@example.org",  # the newsletter address
        ):
            assert shown in page, shown
    assert "+46701234567" not in page


def test_the_download_has_labels_and_nothing_internal(link, client):
    export = client.get(link + "?format=json").json()
    household, main = export["household"], export["people"][0]
    assert (household["timeline"], household["timeline_label"]) == (
        "3_12_months",
        "In 3–12 months",
    )
    assert main["work_situation_label"] == "Looking for work"
    assert {"search_text", "version"}.isdisjoint(household)
    assert "guide_edited" not in main
    [order] = export["magazine_orders"]
    assert (order["street"], order["city"]) == ("Storgatan 1", "Östersund")
    assert export["activities"][0]["kind_label"] == "Registration"


def correction(**changes) -> dict:
    household = Household.objects.get()
    person = household.persons.get(role="main")
    data = {
        "correct": "yes",
        "correct-version": household.version,
        "correct-first_name": person.first_name,
        "correct-last_name": person.last_name,
        "correct-email": person.email,
        "correct-phone": person.phone,
        "correct-preferred_channel": person.preferred_channel,
        "correct-timeline": household.timeline,
    }
    data.update({f"correct-{name}": value for name, value in changes.items()})
    return data


def test_the_household_corrects_its_details(link, client, client_for, personas):
    response = client.post(link, correction(phone="070-765 43 21", preferred_channel="phone"))
    assert response.status_code == 302
    person = Person.objects.get(role="main")
    assert (person.phone, person.preferred_channel) == ("+46707654321", "phone")
    assert {"phone", "preferred_channel"} <= set(person.guide_edited)
    edit = Activity.objects.get(kind=ActivityKind.EDIT)
    assert edit.author is None and edit.data["by"] == "household"
    assert edit.data["changes"]["person.phone"] == ["+46701234567", "+46707654321"]
    page = client.get(link).content.decode()
    with translation.override("en"):
        assert (
            translation.gettext(
                "Thank you. Your details are corrected, and your guide sees the change."
            )
            in page
        )
    assert "070-765 43 21" in page
    card = client_for(personas.anna).get(f"/households/{person.household.reference}/")
    with translation.override("sv"):
        assert translation.gettext("the household, through its own link") in card.content.decode()
    # Sending the same again changes nothing and records nothing.
    client.post(link, correction())
    assert Activity.objects.filter(kind=ActivityKind.EDIT).count() == 1


def test_a_bad_correction_names_the_field_and_saves_nothing(link, client):
    response = client.post(link, correction(email="", phone=""))
    assert response.status_code == 400
    assert "email" in response.context["correction"].errors
    response = client.post(link, correction(first_name="", phone="not a number"))
    assert set(response.context["correction"].errors) == {"first_name", "phone"}
    assert 'href="#id_correct-first_name"' in response.content.decode()
    assert Person.objects.get(role="main").email == "asa@example.org"
    stale = correction(phone="070-111 11 11")
    client.post(link, correction(phone="070-765 43 21"))
    response = client.post(link, stale)  # opened before the change above
    assert response.status_code == 400
    assert response.context["correction"].non_field_errors()
    assert Person.objects.get(role="main").phone == "+46707654321"
