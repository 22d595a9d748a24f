"""The region's own wording of the e-mail templates: a coordinator edits it per language, and
guides start from it on the card; without it, Talang's standard text."""

import pytest
from django.conf import settings as django_settings
from django.urls import reverse

from talang.contacts.models import Household
from talang.guidance.models import RegionEmailTemplate
from talang.guidance.tests.factories import register

pytestmark = pytest.mark.django_db


def edit_url(name="first-contact", language="de"):
    return reverse("email-template-edit", kwargs={"name": name, "language": language})


def in_english(client):
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def test_a_coordinator_starts_from_the_standard_text_with_placeholders(personas, client_for):
    response = client_for(personas.cecilia).get(edit_url(language="de"))
    assert response.status_code == 200
    form = response.context["form"]
    assert form.initial["subject"] == "Willkommen in {place}"
    assert form.initial["body"].startswith("Hallo {first_name},")
    assert "{guide}" in form.initial["body"]


def test_guides_start_from_the_regions_own_wording_in_the_households_language(personas, client_for):
    response = client_for(personas.cecilia).post(
        edit_url(language="de"),
        {
            "subject": "Grüße aus {place}",
            "body": "Hallo {first_name},\nhier ist {guide} aus {region}.",
        },
    )
    assert response.status_code == 302
    own = RegionEmailTemplate.objects.get(name="first-contact", language="de")
    assert own.updated_by == personas.cecilia
    household = register(personas.region, first_name="Åsa", email="asa@example.org")
    Household.objects.filter(pk=household.pk).update(language="de")
    card = client_for(personas.anna).get(
        reverse("household-email", kwargs={"reference": household.reference}),
        {"template": "first-contact"},
    )
    form = card.context["email_form"]
    assert form.initial["subject"] == "Grüße aus Östersund"
    assert form.initial["body"] == (
        f"Hallo Åsa,\nhier ist Anna Andersson aus {personas.region.name}."
    )
    # Swedish households still get the standard Swedish text.
    swedish = register(personas.region, first_name="Bo", email="bo@example.org")
    card = client_for(personas.anna).get(
        reverse("household-email", kwargs={"reference": swedish.reference}),
        {"template": "first-contact"},
    )
    assert card.context["email_form"].initial["body"].startswith("Hej Bo!")


def test_without_a_first_name_the_greeting_still_reads_well(personas, client_for):
    client_for(personas.cecilia).post(
        edit_url(language="sv"), {"subject": "Hej", "body": "Hej {first_name}, välkommen!"}
    )
    household = register(personas.region, first_name="", email="x@example.org")
    card = client_for(personas.anna).get(
        reverse("household-email", kwargs={"reference": household.reference}),
        {"template": "first-contact"},
    )
    assert card.context["email_form"].initial["body"] == "Hej, välkommen!"


def test_unknown_placeholders_and_empty_texts_are_named(personas, client_for):
    client = in_english(client_for(personas.cecilia))
    response = client.post(edit_url(), {"subject": "Hello {name}", "body": "Hi {firstname} {x"})
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert "{name}" in errors["subject"][0] and "{first_name}" in errors["subject"][0]
    assert "{firstname}" in errors["body"][0]
    assert "Subject: " in response.content.decode()  # the summary names the field
    response = client.post(edit_url(), {"subject": "", "body": ""})
    assert set(response.context["form"].errors) == {"subject", "body"}
    assert not RegionEmailTemplate.objects.exists()


def test_going_back_to_the_standard_text(personas, client_for):
    client = client_for(personas.cecilia)
    client.post(edit_url(), {"subject": "S", "body": "B"})
    assert RegionEmailTemplate.objects.count() == 1
    listing = client.get(reverse("email-templates")).content.decode()
    assert "Cecilia" in listing
    assert client.post(edit_url(), {"reset": "1"}).status_code == 302
    assert not RegionEmailTemplate.objects.exists()


def test_unknown_templates_and_languages_are_not_found(personas, client_for):
    client = client_for(personas.cecilia)
    assert client.get(edit_url(name="spam")).status_code == 404
    assert client.get(edit_url(language="fr")).status_code == 404


def test_another_regions_wording_is_not_used(personas, client_for):
    from talang.accounts.models import Region

    other = Region.objects.create(name="Region Gävleborg", code="21")
    RegionEmailTemplate.objects.create(
        region=other, name="first-contact", language="sv", subject="Gävle", body="Gävle {guide}"
    )
    household = register(personas.region, first_name="Bo", email="bo@example.org")
    card = client_for(personas.anna).get(
        reverse("household-email", kwargs={"reference": household.reference}),
        {"template": "first-contact"},
    )
    assert "Gävle" not in card.context["email_form"].initial["body"]


@pytest.mark.parametrize("persona", ["anna", "bengt", "dan", "eva", "filip"])
def test_only_coordinators_edit_the_templates(personas, client_for, persona):
    client = client_for(getattr(personas, persona))
    assert client.get(reverse("email-templates")).status_code == 403
    assert client.post(edit_url(), {"subject": "S", "body": "B"}).status_code == 403
    assert not RegionEmailTemplate.objects.exists()
