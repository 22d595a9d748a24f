"""The records of processing come from the configuration: the rule, the consent texts."""

import pytest
from django.conf import settings
from django.urls import reverse

from talang.contacts.models import ConsentText
from talang.privacy import retention

pytestmark = pytest.mark.django_db


@pytest.fixture
def client_for(client_for):
    """The pages in English (the source language), whatever the catalogues say."""

    def make(user):
        client = client_for(user)
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        return client

    return make


def test_it_shows_the_rule_the_controller_and_the_consent_texts(personas, client_for):
    retention.retention_rule_update(
        region=personas.region,
        inactive_months=48,
        decision_reference="Dokumenthanteringsplan, beslut RS/77/2025",
        by=personas.cecilia,
    )
    ConsentText.objects.create(purpose="newsletter", version=3, language="sv", text="Brev.")
    client = client_for(personas.cecilia)
    page = client.get(reverse("records-of-processing")).content.decode()
    assert personas.region.name in page
    assert "after 48 months without activity" in page
    assert "Dokumenthanteringsplan, beslut RS/77/2025" in page
    for purpose in ("Relocation guidance", "Newsletter", "The magazine", "Statistics and reports"):
        assert purpose in page
    assert "Access log" in page and "Staff accounts" in page
    assert "Version 1 (de, en, nl, sv)" in page
    assert "Version 3 (sv)" in page
    assert "Viewer" in page and "Communicator" in page
    assert "print.css" in page

    retention.retention_rule_update(
        region=personas.region, inactive_months=72, decision_reference="RS/1/2026", by=None
    )
    page = client.get(reverse("records-of-processing")).content.decode()
    assert "after 72 months without activity" in page
    assert "RS/77/2025" not in page


def test_it_says_when_no_decision_is_recorded(personas, client_for):
    page = client_for(personas.cecilia).get(reverse("records-of-processing")).content.decode()
    assert "after 60 months without activity" in page
    assert "No retention decision has been recorded" in page
