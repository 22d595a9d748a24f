import pytest
from django.urls import reverse

from talang.guidance.tests.factories import register

pytestmark = pytest.mark.django_db


def test_it_shows_the_coordinator_who_opened_a_card(personas, client_for):
    household = register(personas.region)
    other = register(personas.region)
    client_for(personas.bengt).get(
        reverse("household-card", kwargs={"reference": household.reference})
    )
    client_for(personas.anna).get(reverse("household-card", kwargs={"reference": other.reference}))
    page = (
        client_for(personas.cecilia)
        .get(reverse("access-log"), {"household": household.reference.lower()})
        .content.decode()
    )
    assert "Bengt Berg" in page
    assert "Anna Andersson" not in page


def test_it_refuses_everyone_but_the_coordinator(personas, client_for):
    for user in (personas.anna, personas.dan, personas.eva, personas.filip):
        assert client_for(user).get(reverse("access-log")).status_code == 403
