"""A coordinator's yearly clean-up in a real Chromium, with axe on every page: record the
decision, preview, approve, see the record; then the records of processing."""

import datetime as dt

import pytest
import time_machine
from playwright.sync_api import expect

from talang.browsing import check_page, main_menu, sign_in, submit, sv
from talang.contacts.models import Household
from talang.guidance.tests.factories import register
from talang.privacy.models import ErasureRecord

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_coordinators_retention_review(page, personas):
    with time_machine.travel(dt.datetime(2019, 6, 3, 10, tzinfo=dt.UTC), tick=False):
        old = register(personas.region, municipality="2321")
    recent = register(personas.region)
    sign_in(page, personas.cecilia)

    administration = main_menu(page, sv("Administration"))
    administration.get_by_role("link", name=sv("Retention"), exact=True).click()
    check_page(page)
    page.get_by_role("link", name=sv("Change the rule")).click()
    check_page(page)
    page.get_by_label(sv("Months without activity")).fill("6")
    submit(page, page.get_by_role("button", name=sv("Save")))
    check_page(page)  # the errors, tied to their fields
    expect(page.locator("#error-summary")).to_be_visible()
    page.get_by_label(sv("Months without activity")).fill("60")
    page.get_by_label(sv("Retention decision")).fill("Beslut RS/123/2024")
    submit(page, page.get_by_role("button", name=sv("Save")))
    check_page(page)

    submit(page, page.get_by_role("button", name=sv("Make a new preview")))
    check_page(page)
    table = page.locator("#review-caption").locator("xpath=..")
    expect(table).to_contain_text(old.reference)
    expect(table).not_to_contain_text(recent.reference)
    submit(page, page.get_by_role("button", name=sv("Approve and delete")))
    check_page(page)
    expect(page.locator("#records-caption").locator("xpath=..")).to_contain_text(
        "Beslut RS/123/2024"
    )
    assert not Household.objects.filter(pk=old.pk).exists()
    assert ErasureRecord.objects.get().households == 1

    administration = main_menu(page, sv("Administration"))
    administration.get_by_role("link", name=sv("Records of processing")).click()
    check_page(page)
    expect(page.locator("main")).to_contain_text("Beslut RS/123/2024")
