"""The region's shared contact, where households look for it: the public pages' footer, the
accessibility statement and the confirmation e-mail; nothing of it when none is set."""

import pytest
from django.core import mail

from talang.accounts.models import Region
from talang.accounts.services import region_load
from talang.intake.tests.test_forms import fill

pytestmark = pytest.mark.django_db


@pytest.fixture
def contact(personas):
    Region.objects.filter(pk=personas.region.pk).update(
        contact_email="flytta@example.org", contact_phone="+46701740605"
    )


def test_the_public_pages_give_the_contact(contact, client):
    for path in ("/forms/en/guidance/", "/forms/de/magazine/", "/accessibility/nl/"):
        page = client.get(path).content.decode()
        assert 'href="mailto:flytta@example.org"' in page, path
        assert 'href="tel:+46701740605"' in page and "070-174 06 05" in page, path


def test_the_confirmation_gives_it(contact, client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/forms/en/guidance/", fill())
    [confirmation] = [m for m in mail.outbox if "/my-data/" in m.body]
    assert "flytta@example.org, 070-174 06 05" in confirmation.body
    assert "Region Jämtland Härjedalen" in confirmation.body.splitlines()[-1]


def test_without_a_contact_nothing_is_promised(personas, client):
    page = client.get("/forms/en/guidance/").content.decode()
    assert "mailto:" not in page and "tel:" not in page


def test_the_region_file_sets_it_and_a_file_without_it_keeps_it(personas):
    data = {"code": "23", "name": "Region Jämtland Härjedalen", "municipalities": []}
    region_load(data={**data, "contact": {"email": "a@example.org", "phone": "+4663100000"}})
    region_load(data=data)
    region = Region.objects.get(code="23")
    assert (region.contact_email, region.contact_phone) == ("a@example.org", "+4663100000")
