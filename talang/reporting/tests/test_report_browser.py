"""A coordinator's quarter in a real Chromium, with axe on every page: open the budget, enter
the outcome of the quarter (a mistake first), then open the quarterly report; a viewer opens
the report too, also on a phone."""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from talang.browsing import check_page, main_menu, sign_in, submit, sv
from talang.lib.workdays import local_date
from talang.reporting.budget import agreement_data, agreement_load, budget_copy
from talang.reporting.ledger import stat_record
from talang.reporting.models import BudgetOutcome, Goal, GoalKind, StatKind

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def year(personas) -> int:
    today = local_date(timezone.now())
    agreement_load(region=personas.region, data=agreement_data("jamtland-harjedalen"))
    if today.year != 2024:
        budget_copy(region=personas.region, from_year=2024, to_year=today.year)
    for municipality, count in (("2380", 6), ("2309", 2)):
        for _ in range(count):
            stat_record(
                kind=StatKind.REGISTRATION,
                date=today - dt.timedelta(days=0),
                region_code=personas.region.code,
                municipality_code=municipality,
            )
    return today.year


def test_a_coordinator_enters_the_outcome_and_opens_the_report(page, personas, year):
    sign_in(page, personas.cecilia)
    main_menu(page, sv("Results")).get_by_role("link", name=sv("Budget"), exact=True).click()
    check_page(page)
    expect(page.get_by_role("heading", level=1)).to_contain_text(str(year))
    expect(page.locator("table").first).to_contain_text("Kommunikation")

    page.get_by_role("link", name=sv("Enter the outcome of a quarter")).click()
    check_page(page)
    form = page.locator("main form[method=post]")
    form.get_by_label("Kommunikation").fill("-12")
    submit(page, form.get_by_role("button", name=sv("Save the outcome")))
    check_page(page)  # the error summary and the field's error
    expect(page.locator(".error-summary")).to_contain_text("Kommunikation")
    assert not BudgetOutcome.objects.exists()

    form = page.locator("main form[method=post]")
    form.get_by_label("Kommunikation").fill("125 000,50")
    form.get_by_label("Webbplattform").fill("80000")
    submit(page, form.get_by_role("button", name=sv("Save the outcome")))
    check_page(page)
    expect(page.locator(".messages")).to_contain_text(sv("The outcome has been saved."))
    assert BudgetOutcome.objects.count() == 2

    main_menu(page, sv("Results")).get_by_role("link", name=sv("Reports"), exact=True).click()
    check_page(page)
    economy = page.locator("#report-economy").locator("..")
    expect(economy).to_contain_text("125\xa0000,50")
    expect(page.locator("table").nth(0)).to_contain_text("8")
    expect(page.get_by_role("link", name=sv("Download as PDF"))).to_be_visible()


def test_a_viewer_opens_the_report(page, personas, year):
    sign_in(page, personas.eva)
    main_menu(page).get_by_role("link", name=sv("Reports"), exact=True).click()
    check_page(page)
    krokom = page.locator("tr", has_text="Krokom").first
    expect(krokom).to_contain_text("<5")
    expect(page.get_by_role("link", name=sv("Budget"), exact=True)).to_have_count(0)


def test_the_report_fits_a_phone(new_page, personas, year):
    """At 375 px every wide table scrolls inside its own frame, the goals' too."""
    Goal.objects.create(
        region=personas.region,
        kind=GoalKind.HOUSEHOLDS_MOVED,
        target=400,
        starts_on=dt.date(year, 1, 1),
        ends_on=dt.date(year, 12, 31),
        source="Samarbetsavtal kompetensattraktion",
    )
    page = new_page(viewport={"width": 375, "height": 740}, is_mobile=True, has_touch=True)
    sign_in(page, personas.eva)
    page.goto("/staff/reports/")
    check_page(page)
    expect(page.locator("#report-goals ~ .table-wrap table")).to_have_count(1)
    widths = page.evaluate("[window.innerWidth, document.documentElement.scrollWidth]")
    assert widths == [375, 375], f"the report is wider than the phone: {widths}"
