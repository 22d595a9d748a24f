"""The household corrects its details through its own link, in a real Chromium with axe."""

import pytest
from playwright.sync_api import expect

from talang.browsing import check_page, submit, sv
from talang.contacts.models import Person
from talang.guidance.tests.factories import register
from talang.intake.services import self_service_path

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_household_corrects_its_phone_number(page, personas):
    household = register(personas.region, first_name="Östen", phone="+46701234567")
    page.goto(self_service_path(household))
    check_page(page)
    page.get_by_text(sv("Something is wrong or has changed? Correct it here.")).click()
    page.get_by_label(sv("Phone number")).fill("123")
    submit(page, page.get_by_role("button", name=sv("Save the correction")))
    check_page(page)
    expect(page.locator(".error-summary")).to_be_visible()
    page.get_by_label(sv("Phone number")).fill("070-765 43 21")
    submit(page, page.get_by_role("button", name=sv("Save the correction")))
    check_page(page)
    expect(page.locator(".messages")).to_contain_text(
        sv("Thank you. Your details are corrected, and your guide sees the change.")
    )
    expect(page.locator("main")).to_contain_text("070-765 43 21")
    assert Person.objects.get(household=household).phone == "+46707654321"
