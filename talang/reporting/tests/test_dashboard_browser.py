"""The statistics page for Eva and the goals page for Cecilia in Chromium, with axe."""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from talang.browsing import check_page, main_menu, sign_in, submit, sv
from talang.reporting.ledger import stat_record
from talang.reporting.models import Goal, StatKind

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _ledger(region) -> None:
    today = timezone.localdate()
    for code, count in (("2380", 7), ("2321", 2)):
        for _ in range(count):
            stat_record(
                kind=StatKind.REGISTRATION,
                date=today,
                region_code=region.code,
                municipality_code=code,
                channel="region",
                origin="SE-AB",
                size=2,
            )
    stat_record(
        kind=StatKind.MOVE,
        date=today,
        region_code=region.code,
        municipality_code="2380",
        cohort=today,
        days=0,
    )
    Goal.objects.create(
        region=region,
        kind="households_moved",
        target=400,
        starts_on=dt.date(today.year, 1, 1),
        ends_on=dt.date(today.year + 3, 12, 31),
    )


def test_a_viewer_reads_the_statistics(page, personas):
    _ledger(personas.region)
    sign_in(page, personas.eva)
    main_menu(page).get_by_role("link", name=sv("Statistics")).click()
    check_page(page)
    expect(page.get_by_role("img").first).to_be_visible()
    expect(page.locator("#by_municipality-caption")).to_be_visible()
    expect(page.locator("table.statistics").nth(1)).to_contain_text("<5")
    # One municipality: its one move hides the median as "..", the region's own figures
    # (newsletter, magazine) stand apart under the region's name.
    page.locator("#statistics_municipality").select_option(label="Östersund")
    submit(page, page.get_by_role("button", name=sv("Show")))
    check_page(page)
    median = page.get_by_role("row", name=sv("Median days from registration to move"))
    expect(median.get_by_role("cell")).to_have_text("..")
    expect(page.locator("#region-totals-caption")).to_contain_text(personas.region.name)
    # A bad date: the page names the field, no stack trace.
    page.get_by_label(sv("From")).fill("2026-05-01")
    page.get_by_label(sv("To")).fill("2026-04-01")
    submit(page, page.get_by_role("button", name=sv("Show")))
    check_page(page)
    expect(page.locator(".error-summary")).to_be_visible()


def test_a_coordinator_adds_a_goal(page, personas):
    sign_in(page, personas.cecilia)
    main_menu(page, sv("Results")).get_by_role("link", name=sv("Goals")).click()
    check_page(page)
    page.locator("#goal_kind").select_option("employers_found_staff")
    page.locator("#goal_target").fill("200")
    page.locator("#goal_starts_on").fill("2025-01-01")
    page.locator("#goal_ends_on").fill("2027-12-31")
    submit(page, page.get_by_role("button", name=sv("Add")))
    check_page(page)
    assert Goal.objects.get().target == 200


def test_a_communicator_records_event_attendance_and_sees_it_listed(page, personas):
    """The form, then the entry in the last year's list, which is what tells the next person
    that the meet-up is already counted."""
    sign_in(page, personas.dan)
    main_menu(page).get_by_role("link", name=sv("Event attendance")).click()
    check_page(page)
    expect(page.get_by_text(sv("Nothing recorded in the last 12 months."))).to_be_visible()
    today = timezone.localdate()
    page.get_by_label(sv("Date")).fill(today.isoformat())
    page.get_by_label(sv("Municipality")).select_option(label="Östersund")
    page.get_by_label(sv("Number of participants")).fill("14")
    submit(page, page.get_by_role("button", name=sv("Record")))
    check_page(page)
    listed = page.get_by_role("region", name=sv("Recorded in the last 12 months"))
    row = listed.get_by_role("row").nth(1)
    expect(row.get_by_role("cell").nth(2)).to_have_text("14")
    # Four of them were counted by mistake: take them back from the row.
    number = sv("Number to take back, %(place)s %(date)s") % {
        "place": "Östersund",
        "date": today.isoformat(),
    }
    row.get_by_label(number).fill("4")
    submit(page, row.get_by_role("button", name=sv("Take back")))
    check_page(page)
    expect(row.get_by_role("cell").nth(2)).to_have_text("10")
    # More than is left: refused, and the error leads to the row's number.
    row.get_by_label(number).fill("11")
    submit(page, row.get_by_role("button", name=sv("Take back")))
    check_page(page)
    summary = page.locator("#error-summary")
    expect(summary).to_be_visible()
    summary.get_by_role("link").click()
    expect(row.get_by_label(number)).to_be_focused()
    expect(row.get_by_role("cell").nth(2)).to_have_text("10")
