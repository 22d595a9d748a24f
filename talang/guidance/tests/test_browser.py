"""A guide's morning in a real Chromium, with axe on every page: sign in, open the queue,
open the first household, call (the tel: link), log the call, and plan a follow-up."""

import pytest
from playwright.sync_api import expect

from talang.browsing import (
    check_page,
    main_menu,
    path_is,
    sign_in,
    signed_in_without_javascript,
    submit,
    sv,
)
from talang.guidance.models import Activity, FollowUp, GuidanceCase
from talang.guidance.tests.factories import register

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_guides_morning(page, personas):
    household = register(
        personas.region,
        municipality="2380",
        first_name="Östen",
        last_name="Ek",
        phone="+46701234567",
        channel="phone",
    )
    register(personas.region, municipality="2321", first_name="Åke")
    sign_in(page, personas.anna)

    main_menu(page).get_by_role("link", name=sv("Queue")).click()
    check_page(page)
    rows = page.locator("table.queue tbody tr")
    expect(rows).to_have_count(1)  # her municipality's queue: Östen, not Åke
    case = GuidanceCase.objects.get(household=household)
    expect(rows.first).to_contain_text(case.first_response_due.isoformat())
    with page.expect_navigation():
        rows.first.get_by_role("link").click()
    check_page(page)
    expect(page.get_by_role("heading", level=1)).to_contain_text("Östen Ek")
    expect(page.locator('a[href="tel:+46701234567"]')).to_be_visible()

    # Log the call: htmx posts the form and the card comes back with the call on top.
    form = page.locator("form[action$='/activities/']")
    form.get_by_label(sv("What happened")).select_option("call")
    form.get_by_label(sv("Outcome of the call")).select_option("reached")
    form.get_by_label(sv("Text")).fill("Pratade om jobb på sjukhuset och förskola.")
    with page.expect_navigation():
        form.get_by_role("button", name=sv("Save")).click()
    check_page(page)
    expect(page.locator(".timeline__entry").first).to_contain_text("Pratade om jobb")
    case.refresh_from_db()
    assert case.first_response_at is not None
    assert Activity.objects.filter(household=household, kind="call", author=personas.anna).exists()

    # Plan a follow-up.
    follow = page.locator("form[action$='/follow-ups/']")
    follow.get_by_label(sv("Due")).fill("2099-01-15")
    follow.get_by_label(sv("What to do")).fill("Skicka lediga jobb inom vården")
    submit(page, follow.get_by_role("button", name=sv("Plan follow-up")))
    check_page(page)
    assert FollowUp.objects.get(household=household).note == "Skicka lediga jobb inom vården"

    # Back in the queue the household no longer waits for a first response.
    page.goto("/queue/?waiting=1")
    check_page(page)
    expect(page.locator("table.queue tbody tr")).to_have_count(1)
    expect(page.locator("table.queue tbody")).to_contain_text(sv("Nothing in this queue."))


def test_the_card_shows_the_errors_of_an_entry_in_place(page, personas):
    """htmx swaps in the card that a form with errors comes back with (400), so the error
    shows beside the field and an earlier "saved" message goes; the outcome of a call shows
    only when the entry is a call."""
    household = register(personas.region, municipality="2380", first_name="Nora")
    sign_in(page, personas.anna)
    page.goto(f"/households/{household.reference}/")
    check_page(page)
    form = page.locator("form[action$='/activities/']")
    outcome = form.get_by_label(sv("Outcome of the call"))
    expect(outcome).to_be_hidden()
    form.get_by_label(sv("What happened")).select_option("call")
    expect(outcome).to_be_visible()
    form.get_by_label(sv("What happened")).select_option("note")
    expect(outcome).to_be_hidden()
    form.get_by_label(sv("Text")).fill("Läste anmälan")
    with page.expect_navigation():
        form.get_by_role("button", name=sv("Save")).click()
    check_page(page)
    saved = page.locator(".message--success")
    expect(saved).to_have_text(sv("Saved on the timeline."))

    form.get_by_role("button", name=sv("Save")).click()  # an empty note
    text = form.get_by_label(sv("Text"))
    expect(text).to_have_attribute("aria-invalid", "true")
    error = form.locator(".errorlist", has_text=sv("A note needs text."))
    expect(error).to_be_visible()
    expect(error.locator("xpath=following-sibling::textarea")).to_have_count(1)
    expect(page.get_by_role("alert")).to_contain_text(sv("A note needs text."))
    expect(saved).to_have_count(0)
    expect(page).to_have_url(path_is(f"/households/{household.reference}/"))
    check_page(page)
    assert Activity.objects.filter(household=household, kind="note").count() == 1


def test_the_card_without_javascript(new_page, personas, live_server):
    """The card's main action works with JavaScript off (axe, which needs it, runs above)."""
    household = register(personas.region, municipality="2380", first_name="Nora")
    page = signed_in_without_javascript(new_page, live_server, personas.anna)
    page.goto(f"/households/{household.reference}/")
    form = page.locator("form[action$='/activities/']")
    form.get_by_label(sv("Text")).fill("Anteckning utan JavaScript")
    submit(page, form.get_by_role("button", name=sv("Save")))
    expect(page.locator(".timeline__entry").first).to_contain_text("Anteckning utan JavaScript")


def test_search_and_the_edit_page(page, personas):
    household = register(personas.region, municipality="2380", first_name="Åsa", last_name="Öberg")
    sign_in(page, personas.anna)
    page.get_by_role("search").get_by_role("searchbox").fill("öberg")
    with page.expect_navigation():
        page.get_by_role("search").get_by_role("button").click()
    check_page(page)
    with page.expect_navigation():
        page.get_by_role("link", name="Åsa Öberg").click()
    check_page(page)
    page.goto(f"/households/{household.reference}/edit/")
    check_page(page)


def test_a_detail_waiting_for_confirmation(page, personas):
    """A registration that matched Östen's number brought an e-mail address and a postal
    address: the card shows them waiting; the guide adds the address Östen confirmed and
    keeps the postal address, which he says is not his, off the card."""
    from django.test import Client

    from talang.contacts.models import Person, PostalAddress
    from talang.intake.tests.test_duplicates_spoofed import OWNER, post

    client = Client()
    post(client, OWNER)
    given = {**OWNER["contact"], "email": "osten@example.org", "preferred_channel": "email"}
    magazine = {"street": "Storgatan 1", "postal_code": "831 30", "city": "Östersund"}
    assert post(client, {**OWNER, "contact": given, "magazine": magazine}).status_code == 201
    person = Person.objects.get()
    assert person.email == ""
    sign_in(page, personas.anna)
    page.goto(f"/households/{person.household.reference}/")
    check_page(page)
    waiting = page.locator(".timeline__entry .notice")
    expect(waiting).to_contain_text("osten@example.org")
    add = f"{sv('Confirmed: add to the card')} ({sv('E-mail')})"
    submit(page, waiting.get_by_role("button", name=add))
    check_page(page)
    expect(page.locator(".timeline__entry .notice").first).to_contain_text(sv("now on the card"))
    person.refresh_from_db()
    assert person.email == "osten@example.org"
    waiting = page.locator(".timeline__entry .notice")
    expect(waiting).to_contain_text("Storgatan 1")
    decline = f"{sv('Not theirs: keep it off the card')} ({sv('Postal address')})"
    submit(page, waiting.get_by_role("button", name=decline))
    check_page(page)
    expect(page.locator(".timeline__entry .notice").first).to_contain_text("Anna Andersson")
    expect(page.locator(".timeline__entry--edit").first).to_contain_text("Postadress")
    expect(page.get_by_role("button", name=decline)).to_have_count(0)
    assert not PostalAddress.objects.filter(person=person).exists()
