"""The coordinator's retention page: the rule, the preview, approval, the records."""

import datetime as dt

import pytest
import time_machine
from django.conf import settings
from django.urls import reverse

from talang.contacts.models import Household
from talang.guidance.tests.factories import register
from talang.privacy import retention
from talang.privacy.models import ErasureRecord, RetentionReview, RetentionRule

pytestmark = pytest.mark.django_db


@pytest.fixture
def client_for(client_for):
    """The pages in English (the source language), whatever the catalogues say."""

    def make(user):
        client = client_for(user)
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        return client

    return make


OLD = dt.datetime(2019, 6, 3, 10, 0, tzinfo=dt.UTC)
REFERENCE = "Dokumenthanteringsplan, beslut RS/123/2024"


@pytest.fixture
def rule(personas):
    return retention.retention_rule_update(
        region=personas.region, inactive_months=60, decision_reference=REFERENCE, by=None
    )


def old_household(personas, **fields):
    with time_machine.travel(OLD, tick=False):
        return register(personas.region, **fields)


def test_it_previews_lists_and_deletes_on_approval(
    personas, client_for, rule, django_capture_on_commit_callbacks
):
    old = old_household(personas, municipality="2321", first_name="Gunnel")
    recent = register(personas.region)
    client = client_for(personas.cecilia)

    response = client.post(reverse("retention-preview"))
    assert response.status_code == 302
    review = RetentionReview.objects.get()
    assert review.household_ids == [old.pk]
    assert review.prepared_by == personas.cecilia

    page = client.get(reverse("retention")).content.decode()
    assert old.reference in page
    assert "Åre" in page
    assert "2019-06-03" in page
    assert recent.reference not in page
    assert "Gunnel" not in page  # references, not names

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("retention-approve", kwargs={"pk": review.pk}))
    assert response.status_code == 302
    assert not Household.objects.filter(pk=old.pk).exists()
    assert Household.objects.filter(pk=recent.pk).exists()
    review.refresh_from_db()
    assert review.state == RetentionReview.State.DONE
    record = ErasureRecord.objects.get()
    assert (record.households, record.approved_by, record.region) == (
        1,
        personas.cecilia,
        personas.region,
    )
    page = client.get(reverse("retention")).content.decode()
    assert REFERENCE in page
    assert "Cecilia" in page
    assert old.reference not in page


def test_it_refuses_a_second_approval_and_an_unknown_review(
    personas, client_for, rule, django_capture_on_commit_callbacks
):
    old_household(personas)
    client = client_for(personas.cecilia)
    client.post(reverse("retention-preview"))
    review = RetentionReview.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("retention-approve", kwargs={"pk": review.pk}))
    response = client.post(reverse("retention-approve", kwargs={"pk": review.pk}), follow=True)
    assert "can no longer be approved" in response.content.decode()
    assert ErasureRecord.objects.count() == 1
    missing = client.post(reverse("retention-approve", kwargs={"pk": review.pk + 100}))
    assert missing.status_code == 404


def test_it_refuses_approval_without_a_decision_reference(personas, client_for):
    old_household(personas)
    client = client_for(personas.cecilia)
    client.post(reverse("retention-preview"))
    review = RetentionReview.objects.get()
    response = client.post(reverse("retention-approve", kwargs={"pk": review.pk}), follow=True)
    assert "Record the retention decision" in response.content.decode()
    assert Household.objects.count() == 1


def test_it_pages_a_long_preview(personas, client_for, rule, django_assert_max_num_queries):
    with time_machine.travel(OLD, tick=False):
        for _number in range(105):
            Household.objects.create(region=personas.region)
    client = client_for(personas.cecilia)
    client.post(reverse("retention-preview"))
    with django_assert_max_num_queries(20):
        first = client.get(reverse("retention")).content.decode()
    second = client.get(reverse("retention"), {"page": "2"}).content.decode()
    assert first.count("/households/H") == 100
    assert second.count("/households/H") == 5
    assert client.get(reverse("retention"), {"page": "x"}).status_code == 200


def test_the_rule_page_validates_and_saves(personas, client_for):
    client = client_for(personas.cecilia)
    page = client.get(reverse("retention-rule"))
    assert page.status_code == 200
    response = client.post(
        reverse("retention-rule"), {"inactive_months": "6", "decision_reference": ""}
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "Write at least 12 months." in body
    assert "Write the reference of the retention decision" in body
    response = client.post(
        reverse("retention-rule"), {"inactive_months": "ten", "decision_reference": "x"}
    )
    assert "Write a whole number of months" in response.content.decode()
    response = client.post(
        reverse("retention-rule"),
        {"inactive_months": "36", "decision_reference": "  Beslut  RS/9/2025 "},
    )
    assert response.status_code == 302
    rule = RetentionRule.objects.get(region=personas.region)
    assert (rule.inactive_months, rule.decision_reference) == (36, "Beslut RS/9/2025")
    assert rule.changed_by == personas.cecilia
    page = client.get(reverse("retention")).content.decode()
    assert "36 months without activity" in page


def test_it_refuses_everyone_but_the_coordinator(personas, client_for):
    urls = [
        ("get", reverse("retention")),
        ("get", reverse("retention-rule")),
        ("post", reverse("retention-rule")),
        ("post", reverse("retention-preview")),
        ("post", reverse("retention-approve", kwargs={"pk": 1})),
        ("get", reverse("records-of-processing")),
    ]
    for user in (personas.anna, personas.bengt, personas.dan, personas.eva, personas.filip):
        client = client_for(user)
        for method, url in urls:
            assert getattr(client, method)(url).status_code == 403, (user, url)
    assert not RetentionReview.objects.exists()


def test_the_coordinators_menu_and_home_link_to_retention(personas, client_for):
    home = client_for(personas.cecilia).get(reverse("home")).content.decode()
    assert home.count(f'href="{reverse("retention")}"') == 2
    assert f'href="{reverse("records-of-processing")}"' in home
    guide_home = client_for(personas.anna).get(reverse("home")).content.decode()
    assert reverse("retention") not in guide_home
