"""The public forms through their URLs, without JavaScript, in the four languages."""

import datetime as dt
import re
import time

import pytest
import time_machine
from django.core import mail

from talang.contacts.models import Household, Person
from talang.intake import abuse
from talang.intake.models import Submission
from talang.outreach.models import MagazineOrder, Subscription
from talang.reporting.models import StatEvent

pytestmark = pytest.mark.django_db

LANGUAGES = ["sv", "en", "de", "nl"]


def started_long_ago() -> str:
    return abuse.started_token(at=time.time() - 60)


def fill(**overrides) -> dict:
    data = {
        "first_name": "Åsa",
        "last_name": "Öberg",
        "email": "asa@example.org",
        "phone": "070-123 45 67",
        "preferred_channel": "email",
        "municipalities": ["2380"],
        "consent_guidance": "on",
        "consent_version": "1",
        "started": started_long_ago(),
    }
    data.update(overrides)
    return data


@pytest.mark.parametrize("language", LANGUAGES)
def test_it_shows_every_form_in_each_language(personas, client, language):
    for kind in ("guidance", "magazine", "newsletter"):
        response = client.get(f"/forms/{language}/{kind}/")
        assert response.status_code == 200
        page = response.content.decode()
        assert f'<html lang="{language}">' in page
        assert "frame-ancestors 'self' https:" in response["Content-Security-Policy"]
        assert "X-Frame-Options" not in response


def test_it_chooses_the_browsers_language(personas, client):
    response = client.get("/forms/?utm_campaign=vinter", HTTP_ACCEPT_LANGUAGE="nl-NL,nl;q=0.9")
    assert response["Location"] == "/forms/nl/guidance/?utm_campaign=vinter"
    response = client.get("/forms/", HTTP_ACCEPT_LANGUAGE="fi")
    assert response["Location"] == "/forms/sv/guidance/"


def test_it_preselects_the_municipality_of_its_address(personas, client):
    page = client.get("/forms/sv/guidance/2321/").content.decode()
    assert re.search(r'value="2321"[^>]*checked', page)
    assert client.get("/forms/sv/guidance/9999/").status_code == 404


@time_machine.travel("2026-11-23 10:00:00+01:00", tick=False)
@pytest.mark.parametrize("language", LANGUAGES)
def test_it_registers_and_confirms_in_the_persons_language(
    personas, client, language, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/forms/{language}/guidance/?utm_source=fb&utm_campaign=vinter",
            fill(utm_source="fb", utm_campaign="vinter", site="ostersund.se"),
        )
    assert response.status_code == 302
    thanks = client.get(response["Location"])
    assert thanks.status_code == 200
    assert "2026" in thanks.content.decode()
    household = Household.objects.get()
    assert household.language == language
    assert (household.utm_source, household.utm_campaign, household.channel_site) == (
        "fb",
        "vinter",
        "ostersund.se",
    )
    assert household.channel_form == "guidance:23"
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["asa@example.org"]
    subjects = {
        "sv": "Vi har tagit emot",
        "en": "We have received",
        "de": "Wir haben",
        "nl": "We hebben",
    }
    assert subjects[language] in mail.outbox[0].subject
    assert "/my-data/" in mail.outbox[0].body


def test_it_shows_errors_tied_to_their_fields(personas, client):
    response = client.post("/forms/en/guidance/", fill(email="", phone="", consent_guidance=""))
    assert response.status_code == 400
    page = response.content.decode()
    assert 'id="id_email_error"' in page
    assert 'aria-describedby="id_email_error"' in page or 'id_email_error"' in page
    assert 'role="alert"' in page
    assert "Give an e-mail address or a phone number, or both." in page
    assert not Submission.objects.exists()


def test_it_keeps_what_was_typed_when_something_is_wrong(personas, client):
    page = client.post(
        "/forms/en/guidance/", fill(phone="12", occupation="Snickare")
    ).content.decode()
    assert 'value="Snickare"' in page
    assert 'value="Åsa"' in page


def test_it_escapes_markup(personas, client):
    client.post("/forms/en/guidance/", fill(first_name="<b>Bold</b>"))
    assert Person.objects.get().first_name == "<b>Bold</b>"
    page = client.post(
        "/forms/en/guidance/", fill(first_name="<b>Bold</b>", phone="1")
    ).content.decode()
    assert "<b>Bold</b>" not in page


def test_it_thanks_a_bot_and_keeps_nothing(personas, client):
    response = client.post("/forms/sv/guidance/", fill(website="http://spam.example"))
    assert response.status_code == 200
    assert not Submission.objects.exists()


def test_it_asks_a_too_quick_sender_to_check_again(personas, client):
    response = client.post("/forms/sv/guidance/", fill(started=abuse.started_token()))
    assert response.status_code == 400
    assert not Submission.objects.exists()
    response = client.post("/forms/sv/guidance/", fill(started="forged"))
    assert response.status_code == 400


def test_it_rate_limits_a_client(personas, client, settings):
    settings.TALANG_INTAKE_RATE_LIMIT = 1
    client.post("/forms/sv/guidance/", fill())
    response = client.post("/forms/sv/guidance/", fill(email="other@example.org"))
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    assert Submission.objects.count() == 1


def test_it_orders_the_magazine_and_subscribes_from_the_registration(
    personas, client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            "/forms/sv/guidance/",
            fill(
                newsletter="on",
                magazine="on",
                magazine_street="Storgatan 1",
                magazine_postal_code="831 30",
                magazine_city="Östersund",
                magazine_country="SE",
            ),
        )
    order = MagazineOrder.objects.get()
    assert (order.name, order.city) == ("Åsa Öberg", "Östersund")
    assert Subscription.objects.get().state == "pending"
    assert len(mail.outbox) == 2
    assert {event.kind for event in StatEvent.objects.all()} == {"registration", "magazine_order"}


def test_it_needs_an_address_for_the_magazine(personas, client):
    response = client.post("/forms/sv/guidance/", fill(magazine="on"))
    assert response.status_code == 400
    assert "magazine_street" in response.context["form"].errors


def test_it_orders_the_magazine_alone(personas, client):
    response = client.post(
        "/forms/de/magazine/",
        {
            "name": "Jan de Vries",
            "street": "Keizersgracht 1",
            "postal_code": "1015 CJ",
            "city": "Amsterdam",
            "country": "NL",
            "language": "en",
            "copies": "2",
            "started": started_long_ago(),
        },
    )
    assert response.status_code == 302
    order = MagazineOrder.objects.get()
    assert (order.copies, order.country) == (2, "NL")
    response = client.post(
        "/forms/de/magazine/", {"name": "x", "copies": "50", "started": started_long_ago()}
    )
    assert "copies" in response.context["form"].errors


def test_it_subscribes_with_double_opt_in_and_unsubscribes(
    personas, client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            "/forms/nl/newsletter/",
            {"email": "Jan@Example.nl", "topics": ["jobs"], "started": started_long_ago()},
        )
    subscription = Subscription.objects.get()
    assert (subscription.email, subscription.state, subscription.language) == (
        "jan@example.nl",
        "pending",
        "nl",
    )
    body = mail.outbox[0].body
    confirm = re.search(r"http://testserver(/newsletter/confirm/\S+/)", body).group(1)
    preferences = re.search(r"http://testserver(/newsletter/preferences/\S+/)", body).group(1)
    assert client.get(confirm).status_code == 200
    subscription.refresh_from_db()
    assert subscription.state == "pending"  # a GET (a mail scanner) confirms nothing
    client.post(confirm)
    subscription.refresh_from_db()
    assert subscription.state == "active"
    client.post(preferences, {"language": "en", "topics": ["events"]})
    subscription.refresh_from_db()
    assert (subscription.language, subscription.topics) == ("en", ["events"])
    client.post(preferences, {"unsubscribe": "1"})
    subscription.refresh_from_db()
    assert subscription.state == "unsubscribed"
    kinds = sorted(StatEvent.objects.values_list("kind", flat=True))
    assert kinds == ["subscription", "unsubscription"]


def test_it_refuses_a_forged_link(personas, client):
    assert client.get("/newsletter/preferences/forged:token/").status_code == 404
    forged = client.get("/my-data/forged/", HTTP_ACCEPT_LANGUAGE="en")
    assert forged.status_code == 404
    assert "This link has expired or is not valid" in forged.content.decode()
    assert client.get("/thanks/sv/forged/").status_code == 404


def test_it_shows_the_household_its_data(personas, client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/forms/en/guidance/", fill(help_wanted="Förskola för två barn"))
    path = re.search(r"http://testserver(/my-data/\S+/)", mail.outbox[0].body).group(1)
    page = client.get(path).content.decode()
    assert "asa@example.org" in page
    assert "Förskola för två barn" in page


def test_it_asks_to_send_again_when_nothing_could_be_saved(personas, client, monkeypatch):
    from django.db import DatabaseError

    from talang.intake import services

    def broken(**kwargs):
        raise DatabaseError("disk full")

    monkeypatch.setattr(services, "submission_store", broken)
    response = client.post("/forms/sv/guidance/", fill(occupation="Lärare"))
    assert response.status_code == 503
    assert 'value="Lärare"' in response.content.decode()
    assert not Household.objects.exists()


def test_it_lets_the_household_download_and_erase_its_data(
    personas, client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/forms/en/guidance/", fill(newsletter="on"))
    path = re.search(r"http://testserver(/my-data/\S+/)", mail.outbox[-1].body).group(1)
    export = client.get(path + "?format=json").json()
    assert export["people"][0]["email"] == "asa@example.org"
    assert export["people"][0]["consents"][0]["version"] == 1
    assert export["household"]["reference"] == Household.objects.get().reference
    [submission] = export["submissions"]
    assert (submission["source"], submission["payload"]["email"]) == ("form", ["asa@example.org"])
    ledger_before = list(StatEvent.objects.values_list("kind", "date", "municipality_code"))
    client.post(path, {})  # without ticking the box nothing happens
    assert Household.objects.exists()
    response = client.post(path, {"erase": "yes"})
    assert response.status_code == 200
    assert not Household.objects.exists()
    assert not Person.objects.exists()
    assert not Submission.objects.exists()
    assert not Subscription.objects.exists()
    assert list(StatEvent.objects.values_list("kind", "date", "municipality_code")) == ledger_before
    assert client.get(path).status_code == 404


def test_it_names_the_required_fields_of_an_empty_post(personas, client):
    response = client.post("/forms/en/guidance/", {})
    assert response.status_code == 400
    assert {"first_name", "preferred_channel", "consent_guidance"} <= set(
        response.context["form"].errors
    )


def test_the_households_link_expires_and_a_new_one_can_be_asked_for(
    personas, client, settings, django_capture_on_commit_callbacks
):
    settings.TALANG_SELF_SERVICE_LINK_DAYS = 30
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/forms/de/guidance/", fill(email="Jan@Example.nl"))
    confirmation = mail.outbox[-1].body
    assert "30 Tage" in confirmation
    path = re.search(r"http://testserver(/my-data/\S+/)", confirmation).group(1)
    assert client.get(path).status_code == 200
    with time_machine.travel(dt.datetime.now(dt.UTC) + dt.timedelta(days=31)):
        expired = client.get(path, HTTP_ACCEPT_LANGUAGE="en")
        assert expired.status_code == 404
        page = expired.content.decode()
        assert "This link has expired or is not valid" in page
        assert "jan@example.nl" not in page

        # A new link goes to the address registered, in the household's language.
        before = len(mail.outbox)
        with django_capture_on_commit_callbacks(execute=True):
            sent = client.post("/my-data/?lang=en", {"email": " JAN@example.nl "})
        assert sent.status_code == 200
        assert "If the address belongs to a registration" in sent.content.decode()
        [message] = mail.outbox[before:]
        assert message.to == ["jan@example.nl"]
        assert "Haushalt" in message.body and "30 Tage" in message.body
        assert "jan" not in message.subject.lower()
        fresh = re.search(r"http://testserver(/my-data/\S+/)", message.body).group(1)
        assert client.get(fresh).status_code == 200

        # Asked for again at once: the same answer, and no second e-mail (no mail bombing).
        with django_capture_on_commit_callbacks(execute=True):
            again = client.post("/my-data/?lang=en", {"email": "jan@example.nl"})
        assert "If the address belongs to a registration" in again.content.decode()
        assert len(mail.outbox) == before + 1

        # An unknown address gets the same answer, and nothing is sent.
        with django_capture_on_commit_callbacks(execute=True):
            unknown = client.post("/my-data/?lang=en", {"email": "nobody@example.org"})
        assert unknown.status_code == 200
        assert "If the address belongs to a registration" in unknown.content.decode()
        assert len(mail.outbox) == before + 1


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_link_request_page_in_each_language(personas, client, language):
    page = client.get(f"/my-data/?lang={language}")
    assert page.status_code == 200
    assert f'<html lang="{language}">' in page.content.decode()
    bad = client.post(f"/my-data/?lang={language}", {"email": "not an address"})
    assert bad.status_code == 400
    assert 'aria-invalid="true"' in bad.content.decode()


def test_the_link_request_is_rate_limited(personas, client, settings):
    settings.TALANG_INTAKE_RATE_LIMIT = 2
    for _ in range(2):
        assert client.post("/my-data/", {"email": "a@example.org"}).status_code == 200
    limited = client.post("/my-data/", {"email": "a@example.org"})
    assert limited.status_code == 429 and limited["Retry-After"]
