"""The coordinator's yearly review and an erasure on request, in a real Chromium with axe."""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from talang.browsing import check_page, main_menu, sign_in, submit, sv
from talang.contacts.models import Household, MoveStatus
from talang.guidance.models import GuidanceCase
from talang.guidance.tests.factories import register
from talang.privacy.models import ErasureRecord

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_review_and_an_erasure_on_request(page, personas):
    household = register(personas.region, municipality="2380", first_name="Östen", last_name="Ek")
    Household.objects.filter(pk=household.pk).update(
        status=MoveStatus.IN_DIALOGUE, last_activity_at=timezone.now() - dt.timedelta(days=800)
    )
    GuidanceCase.objects.filter(household=household).update(status=MoveStatus.IN_DIALOGUE)
    sign_in(page, personas.cecilia)

    main_menu(page, sv("Guidance")).get_by_role("link", name=sv("Move status review")).click()
    check_page(page)
    rows = page.locator("table.queue tbody tr")
    expect(rows).to_have_count(1)
    page.get_by_label(sv("No update for at least (months)")).fill("0")
    submit(page, page.get_by_role("button", name=sv("Show")))
    check_page(page)
    expect(page.locator(".error-summary")).to_be_visible()

    page.goto("/staff/move-review/")
    with page.expect_navigation():
        page.locator("table.queue tbody tr").first.get_by_role("link").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Östen Ek")
    page.get_by_text(sv("Erase the household on the person's request")).click()
    check_page(page)

    with page.expect_navigation():
        page.get_by_role("link", name=sv("Show the record")).click()
    check_page(page)
    expect(page.locator("main")).to_contain_text("Östen")
    page.go_back()

    page.get_by_text(sv("Erase the household on the person's request")).click()
    field = page.get_by_label(sv("Type the household's reference to confirm"))
    field.fill("H0000000")
    submit(page, page.get_by_role("button", name=sv("Erase for good")))
    check_page(page)
    expect(page.locator(".error-summary")).to_be_visible()
    assert Household.objects.filter(pk=household.pk).exists()

    page.get_by_label(sv("Type the household's reference to confirm")).fill(household.reference)
    submit(page, page.get_by_role("button", name=sv("Erase for good")))
    check_page(page)
    expect(page.get_by_role("heading", level=1)).to_have_text(sv("Queue"))
    assert not Household.objects.filter(pk=household.pk).exists()
    assert ErasureRecord.objects.get().reason == ErasureRecord.Reason.STAFF_ON_REQUEST
