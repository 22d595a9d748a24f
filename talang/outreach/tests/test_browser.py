"""The communicator posts the magazine: the orders page in a real Chromium with axe."""

import pytest
from playwright.sync_api import expect

from talang.browsing import check_page, main_menu, sign_in, submit, sv
from talang.outreach.models import MagazineOrder
from talang.outreach.tests.test_magazine_orders import order

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_communicator_downloads_and_marks_the_orders_sent(page, personas):
    order(personas.region, name="Åsa Öberg")
    order(personas.region, name="Jan de Vries", country="NL", language="nl", copies=2)
    sign_in(page, personas.dan)
    main_menu(page).get_by_role("link", name=sv("Magazine orders")).click()
    check_page(page)
    expect(page.locator("table tbody tr")).to_have_count(2)
    with page.expect_download() as download:
        page.get_by_role("link", name=sv("Download the list (Excel)")).click()
    assert download.value.suggested_filename.endswith(".xlsx")
    submit(page, page.locator("form[action$='/sent/'] button"))
    check_page(page)
    expect(page.locator(".messages")).to_be_visible()
    assert not MagazineOrder.objects.filter(sent_at__isnull=True).exists()
    page.get_by_role("link", name=sv("Sent")).click()
    check_page(page)
    expect(page.locator("table tbody tr")).to_have_count(2)
