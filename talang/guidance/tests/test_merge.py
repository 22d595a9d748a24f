"""Merging two households that turn out to be the same, from the contact card."""

import pytest
from django.urls import reverse
from django.utils.html import escape

from talang.accounts.models import Municipality
from talang.contacts import services as contacts
from talang.contacts.models import Consent, Household, Person, PersonRole
from talang.guidance.models import Activity, FollowUp, GuidanceCase
from talang.guidance.tests.factories import register
from talang.intake.models import Submission
from talang.outreach.models import MagazineOrder, Subscription
from talang.privacy.models import AccessLog

pytestmark = pytest.mark.django_db


def merge_url(household) -> str:
    return reverse("household-merge", kwargs={"reference": household.reference})


def card_url(household) -> str:
    return reverse("household-card", kwargs={"reference": household.reference})


@pytest.fixture
def pair(personas, client_for):
    """Two registrations of the Öbergs: one in Östersund's queue, one in the region's."""
    region = personas.region
    keep = register(region, municipality="2380", first_name="Åsa", email="asa@example.org")
    merge = register(region, municipality=None, first_name="Asa", email="asa.oberg@example.org")
    Household.objects.filter(pk=keep.pk).update(housing_need="rent")
    Household.objects.filter(pk=merge.pk).update(
        housing_need="buy", origin_country="NO", help_wanted="Förskola"
    )
    merge.municipalities.add(Municipality.objects.get(code="2321"))
    partner = Person.objects.create(household=merge, role=PersonRole.PARTNER, first_name="Per")
    contacts.consent_give(
        person=partner,
        text=contacts.consent_text_current(purpose="guidance", language="sv"),
        source="form",
    )
    anna = client_for(personas.anna)
    anna.post(
        reverse("activity-create", kwargs={"reference": merge.reference}),
        {"kind": "note", "body": "Samma familj som den andra anmälan?"},
    )
    anna.post(
        reverse("follow-up-create", kwargs={"reference": merge.reference}),
        {"due_on": "2099-01-15", "note": "Ring igen"},
    )
    Submission.objects.create(
        source="form", kind="guidance", language="sv", payload={}, household=merge
    )
    MagazineOrder.objects.create(
        region=region,
        name="Asa Öberg",
        street="Storgatan 1",
        postal_code="83130",
        city="Östersund",
        household=merge,
    )
    Subscription.objects.create(region=region, email="asa.oberg@example.org", household=merge)
    return keep, merge


def test_it_shows_both_households_before_merging(personas, client_for, pair):
    keep, merge = pair
    client = client_for(personas.anna)
    assert client.get(merge_url(keep)).status_code == 200
    response = client.get(merge_url(keep), {"other": merge.reference.lower()})
    assert response.status_code == 200
    page = response.content.decode()
    assert keep.reference in page and merge.reference in page
    assert "asa@example.org" in page and "asa.oberg@example.org" in page
    assert Household.objects.filter(pk=merge.pk).exists()  # nothing changes on GET
    logged = set(AccessLog.objects.filter(user=personas.anna).values_list("household_reference"))
    assert {(keep.reference,), (merge.reference,)} <= logged


def test_it_moves_everything_to_the_kept_household(personas, client_for, pair):
    keep, merge = pair
    client = client_for(personas.anna)
    merge_case = GuidanceCase.objects.get(household=merge)
    response = client.post(merge_url(keep), {"other": merge.reference})
    assert response.status_code == 302
    assert response["Location"] == card_url(keep)

    assert not Household.objects.filter(pk=merge.pk).exists()
    people = Person.objects.filter(household=keep)
    assert sorted(people.values_list("first_name", "role")) == [
        ("Asa", PersonRole.ADULT),
        ("Per", PersonRole.PARTNER),
        ("Åsa", PersonRole.MAIN),
    ]
    assert Consent.objects.get().person.household_id == keep.pk
    assert Activity.objects.filter(household=keep, body="Samma familj som den andra anmälan?")
    assert FollowUp.objects.get(note="Ring igen").household_id == keep.pk
    assert Submission.objects.get().household_id == keep.pk
    assert MagazineOrder.objects.get().household_id == keep.pk
    assert Subscription.objects.get().household_id == keep.pk
    keep.refresh_from_db()
    assert set(keep.municipalities.values_list("code", flat=True)) == {"2380", "2321"}
    assert (keep.origin_country, keep.help_wanted, keep.housing_need) == ("NO", "Förskola", "rent")

    cases = GuidanceCase.objects.filter(household=keep)
    assert cases.count() == 2
    open_case = cases.get(closed_at__isnull=True)
    assert open_case.municipality.code == "2380"
    merge_case.refresh_from_db()
    assert merge_case.closed_at is not None and merge_case.household_id == keep.pk

    entry = Activity.objects.get(household=keep, kind="merge")
    assert (entry.author, entry.case, entry.data["merged"]) == (
        personas.anna,
        open_case,
        merge.reference,
    )
    page = client.get(card_url(keep)).content.decode()
    assert merge.reference in page and "Ring igen" in page
    assert client.get(card_url(merge)).status_code == 404
    # Found by the merged person's address now.
    results = client.post(reverse("search"), {"q": "asa.oberg@example.org"}).content.decode()
    assert keep.reference in results


def test_the_kept_household_takes_the_others_open_case_if_it_has_none(personas, client_for, pair):
    keep, merge = pair
    GuidanceCase.objects.filter(household=keep).update(closed_at="2026-01-01T00:00:00Z")
    GuidanceCase.objects.filter(household=merge).update(status="in_dialogue")
    merge_case = GuidanceCase.objects.get(household=merge)
    client_for(personas.cecilia).post(merge_url(keep), {"other": merge.reference})
    open_case = GuidanceCase.objects.get(household=keep, closed_at__isnull=True)
    assert open_case.pk == merge_case.pk
    assert Household.objects.get(pk=keep.pk).status == "in_dialogue"


def test_it_refuses_to_merge_a_household_with_itself(personas, client_for, pair):
    keep, _merge = pair
    client = client_for(personas.anna)
    for other in (keep.reference, f" {keep.reference.lower()} "):
        response = client.post(merge_url(keep), {"other": other})
        assert response.status_code == 400
        assert list(response.context["form"].errors) == ["other"]
        error = response.context["form"].errors.as_data()["other"][0]
        assert error.code == "same_household"
        page = response.content.decode()
        assert 'href="#id_other"' in page and escape(error.messages[0]) in page
    assert not Activity.objects.filter(kind="merge").exists()


def test_it_names_an_unknown_reference(personas, client_for, pair):
    keep, _merge = pair
    response = client_for(personas.anna).post(merge_url(keep), {"other": "HZZZZZZZZ"})
    assert response.status_code == 400
    assert list(response.context["form"].errors) == ["other"]
    response = client_for(personas.anna).get(merge_url(keep), {"other": ""})
    assert response.status_code == 400


def test_bengt_cannot_merge_annas_households(personas, client_for, pair):
    keep, _merge = pair
    other = register(personas.region, municipality="2380", first_name="Åsa")
    client = client_for(personas.bengt)
    assert client.get(merge_url(keep)).status_code == 403
    assert client.post(merge_url(keep), {"other": other.reference}).status_code == 403
    # Nor pull Anna's household into one of his own.
    his = register(personas.region, municipality="2321", first_name="Åke")
    response = client.post(merge_url(his), {"other": keep.reference})
    assert response.status_code == 400
    assert list(response.context["form"].errors) == ["other"]
    assert Household.objects.filter(pk__in=[keep.pk, other.pk, his.pk]).count() == 3
    assert not Activity.objects.filter(kind="merge").exists()


def test_roles_without_dialogue_cannot_merge(personas, client_for, pair):
    keep, merge = pair
    for user in (personas.dan, personas.eva, personas.filip):
        response = client_for(user).post(merge_url(keep), {"other": merge.reference})
        assert response.status_code == 403
    assert Household.objects.filter(pk=merge.pk).exists()


def test_the_card_links_to_merging_for_those_who_may(personas, client_for, pair):
    keep, _merge = pair
    link = f'href="{merge_url(keep)}"'
    assert link in client_for(personas.anna).get(card_url(keep)).content.decode()
    assert link not in client_for(personas.bengt).get(card_url(keep)).content.decode()


def test_the_service_refuses_the_same_household_and_another_region(personas):
    from django.core.exceptions import ValidationError

    from talang.accounts.models import Region
    from talang.guidance.merge import household_merge

    household = register(personas.region)
    with pytest.raises(ValidationError):
        household_merge(keep=household, merge=household, by=personas.cecilia)
    elsewhere = register(
        Region.objects.create(name="Region Gävleborg", code="21"), municipality=None
    )
    with pytest.raises(ValidationError):
        household_merge(keep=household, merge=elsewhere, by=personas.cecilia)
    assert Household.objects.count() == 2
