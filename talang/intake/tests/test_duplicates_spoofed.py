"""A registration that matches a known household by one contact detail: anyone can send the
public form with somebody else's phone number or e-mail address. What it gives in addition
must not reach that household's record, and nothing it is answered may tell the sender about
that household (docs/decisions/0005-duplicates.md)."""

import datetime as dt
import json

import pytest
import time_machine
from django.core import mail
from django.utils import translation

from talang.contacts.models import Household, Person, PostalAddress
from talang.guidance.models import Activity, ActivityKind
from talang.intake.models import Submission
from talang.intake.tests.test_api import MINIMAL, post
from talang.intake.tests.test_forms import fill
from talang.outreach.models import MagazineOrder, Subscription
from talang.testing import sign_in

pytestmark = pytest.mark.django_db

# Åsa, registered with her phone number only.
OWNER = {
    **MINIMAL,
    "contact": {key: value for key, value in MINIMAL["contact"].items() if key != "email"},
}
# Knows Åsa's number, gives an address, a postal address and a name of their own.
SENDER = {
    **OWNER,
    "municipalities": ["2321"],
    "contact": {
        "first_name": "Mallory",
        "last_name": "Mask",
        "email": "mallory@example.net",
        "phone": "+46 70 123 45 67",
        "preferred_channel": "email",
    },
    "newsletter": True,
    "magazine": {"street": "Falskgatan 1", "postal_code": "111 22", "city": "Stockholm"},
}


@pytest.fixture
def owner(personas, client, django_capture_on_commit_callbacks):
    with (
        time_machine.travel("2026-11-02 10:00:00+01:00", tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        assert post(client, OWNER).status_code == 201
    household = Household.objects.get()
    mail.outbox.clear()
    return household


@time_machine.travel("2026-11-23 10:00:00+01:00", tick=False)
def test_a_sender_with_someone_elses_number_gets_nothing_of_theirs(
    owner, client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = post(client, SENDER)
    assert response.status_code == 201
    body = response.json()
    assert owner.reference not in json.dumps(body)
    # This registration's own due date and choice, not the household's case (due 2026-11-09).
    assert (body["first_response_due"], body["municipality"]) == ("2026-11-30", "2321")

    # Nothing of the sender's contact details went onto Åsa's record …
    person = Person.objects.get()
    assert (person.first_name, person.email, person.phone) == ("Åsa", "", "+46701234567")
    assert not PostalAddress.objects.exists()
    assert Household.objects.count() == 1
    # … they wait on the registration for a guide to confirm.
    activity = Activity.objects.filter(kind=ActivityKind.REGISTRATION).latest("pk")
    assert activity.data["unconfirmed"] == {
        "email": "mallory@example.net",
        "postal_address": {
            "street": "Falskgatan 1",
            "postal_code": "111 22",
            "city": "Stockholm",
            "country": "SE",
        },
    }

    # The sender's receipt: no household reference, no data link, not Åsa's name.
    (receipt,) = [message.body for message in mail.outbox if "anmälan" in message.subject]
    assert [message.to for message in mail.outbox] == [["mallory@example.net"]] * 2
    assert "/my-data/" not in receipt and owner.reference not in receipt
    assert "Mallory" in receipt and "Åsa" not in receipt
    # The magazine goes to the name sent with it; the newsletter address is not Åsa's.
    assert MagazineOrder.objects.get().name == "Mallory Mask"
    assert Subscription.objects.get(email="mallory@example.net").household is None


@time_machine.travel("2026-11-23 10:00:00+01:00", tick=False)
def test_a_sender_with_someone_elses_address_does_not_add_a_number(
    personas, client, django_capture_on_commit_callbacks
):
    own = {"email": "asa@example.org", "phone": "", "preferred_channel": "email"}
    assert post(client, {**OWNER, "contact": {**OWNER["contact"], **own}}).status_code == 201
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        post(
            client,
            {
                **OWNER,
                "contact": {
                    "first_name": "Mallory",
                    "email": "ASA@example.org",
                    "phone": "070-999 88 77",
                    "preferred_channel": "phone",
                },
            },
        )
    person = Person.objects.get()
    assert person.phone == ""
    activity = Activity.objects.filter(kind=ActivityKind.REGISTRATION).latest("pk")
    assert activity.data["unconfirmed"] == {"phone": "+46709998877"}
    # Only Åsa's own address hears of it, with her link, as before.
    assert [message.to for message in mail.outbox] == [["asa@example.org"]]
    assert "/my-data/" in mail.outbox[0].body


def test_the_guide_sees_what_waits_to_be_confirmed(owner, client, personas):
    post(client, SENDER)
    page = sign_in(client, personas.anna).get(f"/households/{owner.reference}/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "mallory@example.net" in text
    assert "Falskgatan 1, 111 22 Stockholm" in text


def test_a_registration_that_repeats_the_record_waits_for_nothing(owner, client):
    post(client, OWNER)
    activity = Activity.objects.filter(kind=ActivityKind.REGISTRATION).latest("pk")
    assert "unconfirmed" not in activity.data


@time_machine.travel("2026-11-23 10:00:00+01:00", tick=False)
def test_the_thank_you_page_tells_this_registration_not_the_households(owner, client):
    response = client.post(
        "/forms/sv/guidance/",
        fill(
            first_name="Mallory",
            email="",
            phone="070-123 45 67",
            preferred_channel="phone",
            municipalities=["2321"],
        ),
    )
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "Åre" in page and "30 november 2026" in page
    assert "Östersund" not in page and "9 november 2026" not in page
    assert Submission.objects.filter(household=owner).count() == 2


@pytest.fixture
def waiting(owner, client, personas):
    """The sender's registration is on Åsa's card; Anna, her guide, and the address that
    adds a detail of it."""
    post(client, SENDER)
    activity = Activity.objects.filter(kind=ActivityKind.REGISTRATION).latest("pk")
    url = f"/households/{owner.reference}/registrations/{activity.pk}/add-detail/"
    return sign_in(client, personas.anna), url


def test_a_guide_adds_what_the_person_confirmed(owner, waiting):
    guide, url = waiting
    assert guide.post(url, {"detail": "email"}).status_code == 302
    assert guide.post(url, {"detail": "postal_address"}).status_code == 302
    person = Person.objects.get()
    assert person.email == "mallory@example.net" and "email" in person.guide_edited
    assert PostalAddress.objects.get(person=person).street == "Falskgatan 1"
    edits = Activity.objects.filter(kind=ActivityKind.EDIT).order_by("pk")
    assert [list(edit.data["changes"]) for edit in edits] == [
        ["person.email"],
        ["person.postal_address"],
    ]
    assert edits[1].data["changes"]["person.postal_address"] == [
        "",
        "Falskgatan 1, 111 22 Stockholm",
    ]
    page = guide.get(f"/households/{owner.reference}/").content.decode()
    with translation.override("sv"):
        assert page.count(translation.gettext("now on the card")) == 2
    assert "add-detail" not in page
    # Adding again changes nothing and records nothing.
    guide.post(url, {"detail": "email"})
    assert Activity.objects.filter(kind=ActivityKind.EDIT).count() == 2


def test_a_guide_keeps_what_is_not_theirs_off_the_card(owner, waiting, client_for, personas):
    guide, url = waiting
    decline = url.replace("add-detail", "decline-detail")
    assert guide.post(decline, {"detail": "email"}).status_code == 302
    # Twice, or by the coordinator as well: recorded once.
    assert client_for(personas.cecilia).post(decline, {"detail": "email"}).status_code == 302
    person = Person.objects.get()
    assert person.email == ""
    declined = Activity.objects.get(kind=ActivityKind.EDIT)
    registration = Activity.objects.filter(kind=ActivityKind.REGISTRATION).latest("pk")
    assert declined.author == personas.anna and declined.person == person
    assert declined.data == {
        "declined": {
            "registration": registration.pk,
            "detail": "email",
            "registered_on": "2026-11-23",
        }
    }
    # The registration's own entry is not edited.
    assert registration.data["unconfirmed"]["email"] == "mallory@example.net"
    page = guide.get(f"/households/{owner.reference}/").content.decode()
    with translation.override("sv"):
        assert translation.gettext("Not theirs: keep it off the card") in page  # the address
        assert page.count('name="detail" value="email"') == 0
        assert "not theirs, marked by" not in page  # translated
        assert "inte hushållets, markerat av Anna" in page
        assert "E-post från registreringen den 2026-11-23: inte hushållets" in page
    # The other details still wait for the guide.
    assert page.count('name="detail" value="postal_address"') == 2


def test_a_decline_counts_when_the_registration_is_on_an_older_page(owner, waiting):
    guide, url = waiting
    guide.post(url.replace("add-detail", "decline-detail"), {"detail": "email"})
    registration = Activity.objects.filter(kind=ActivityKind.REGISTRATION).latest("pk")
    Activity.objects.bulk_create(
        Activity(
            household=owner,
            kind=ActivityKind.NOTE,
            body=f"Note {n}",
            occurred_at=registration.occurred_at + dt.timedelta(seconds=n + 1),
        )
        for n in range(150)
    )
    card = f"/households/{owner.reference}/"
    newest = guide.get(card).content.decode()
    assert newest.count('class="timeline__entry ') == 100
    assert 'href="?page=2#timeline-heading">Äldre poster' in newest and "Note 149" in newest
    older = guide.get(card, {"page": "2"}).content.decode()
    assert "Note 0" in older and "Note 149" not in older
    assert older.count('class="timeline__entry ') == 53  # 50 notes, the decline, 2 registrations
    assert "inte hushållets, markerat av Anna" in older
    assert 'name="detail" value="email"' not in older
    assert 'name="detail" value="postal_address"' in older
    # A page that is not a number shows the newest; one past the end, the oldest.
    assert guide.get(card, {"page": "x"}).content.decode().count("Note 149") == 1
    assert "Note 0" in guide.get(card, {"page": "99"}).content.decode()


def test_only_what_the_registration_gave_can_be_declined(owner, waiting):
    guide, url = waiting
    decline = url.replace("add-detail", "decline-detail")
    assert guide.post(decline, {"detail": "phone"}).status_code == 400
    assert guide.post(decline, {"detail": ""}).status_code == 400
    first = Activity.objects.filter(kind=ActivityKind.REGISTRATION).earliest("pk")
    other = f"/households/{owner.reference}/registrations/{first.pk}/decline-detail/"
    assert guide.post(other, {"detail": "email"}).status_code == 400
    missing = f"/households/{owner.reference}/registrations/999999/decline-detail/"
    assert guide.post(missing, {"detail": "email"}).status_code == 404
    assert guide.get(decline).status_code == 405
    assert not Activity.objects.filter(kind=ActivityKind.EDIT).exists()


def test_only_what_the_registration_gave_can_be_added(owner, waiting):
    guide, url = waiting
    assert guide.post(url, {"detail": "phone"}).status_code == 400
    assert guide.post(url, {"detail": "first_name"}).status_code == 400
    first = Activity.objects.filter(kind=ActivityKind.REGISTRATION).earliest("pk")
    other = f"/households/{owner.reference}/registrations/{first.pk}/add-detail/"
    assert guide.post(other, {"detail": "email"}).status_code == 400
    assert guide.get(url).status_code == 405
    assert Person.objects.get().email == ""


@time_machine.travel("2026-11-23 10:00:00+01:00", tick=False)
def test_the_thank_you_page_names_the_region_for_several_municipalities(personas, client):
    response = client.post("/forms/sv/guidance/", fill(municipalities=["2380", "2321"]))
    page = client.get(response["Location"]).content.decode()
    assert "Region Jämtland Härjedalen" in page and "30 november 2026" in page
