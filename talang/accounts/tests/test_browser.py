"""Talang in a real Chromium: sign-in with the second factor, the language switch, the
coordinator's pages and the phone layout. Every page visited is checked with axe.

Run with ``pytest -m browser``. The browser is Debian's Chromium (never ``playwright
install``); the content security policy is bypassed only so that axe can be injected.
"""

import base64
import re
import time

import pytest
from django.utils import translation
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from talang.accounts.models import ApiToken, User
from talang.accounts.services import api_token_create, token_digest, user_change_role
from talang.browsing import (
    account_menu,
    check_page,
    main_menu,
    path_is,
    sign_in,
    submit,
    sv,
    totp_code,
)
from talang.testing import PASSWORD

pytestmark = pytest.mark.browser

# Tests ------------------------------------------------------------------------------


def test_check_page_reports_what_axe_finds(page, personas):
    """The axe check itself works: a page with an image without text fails it."""
    page.goto("/accessibility/")
    check_page(page)
    page.evaluate(
        "document.querySelector('main').append(Object.assign("
        "document.createElement('img'), {src: '/static/talang/none.png'}))"
    )
    with pytest.raises(AssertionError, match="image-alt"):
        check_page(page)


def test_first_sign_in_enrols_the_authenticator_then_signs_in_with_a_code(page, personas):
    anna = personas.anna

    # The password step, in Swedish by default.
    page.goto("/accounts/login/")
    expect(page.locator("html")).to_have_attribute("lang", "sv")
    assert sv("Sign in to Talang") != "Sign in to Talang", "no Swedish catalogue"
    expect(page.get_by_role("heading", level=1)).to_have_text(sv("Sign in to Talang"))
    check_page(page)
    page.locator("#id_email").fill(anna.email)
    page.locator("#id_password").fill(PASSWORD)
    submit(page, page.get_by_role("button", name=sv("Sign in"), exact=True))

    # First sign-in: set up the authenticator with the key typed in by hand.
    expect(page).to_have_url(path_is("/accounts/login/authenticator/"))
    expect(page.get_by_role("heading", level=1)).to_have_text(sv("Set up your authenticator"))
    expect(page.get_by_role("img", name=sv("QR code for the authenticator app"))).to_be_visible()
    check_page(page)
    manual_key = page.locator("#manual-key").inner_text()
    assert re.fullmatch(r"[A-Z2-7]{4}( [A-Z2-7]{1,4})+ ?", manual_key), manual_key
    key = base64.b32decode("".join(manual_key.split()))
    device = TOTPDevice.objects.get(user=anna)
    assert key == device.bin_key and not device.confirmed
    enrol_code = totp_code(key)
    page.locator("#id_code").fill(enrol_code)
    submit(page, page.get_by_role("button", name=sv("Confirm"), exact=True))

    # The recovery codes are shown once.
    expect(page.get_by_role("heading", level=1)).to_have_text(sv("Your recovery codes"))
    codes = page.get_by_role("list", name=sv("Recovery codes")).locator("li")
    expect(codes).to_have_count(10)
    recovery_codes = [code.strip() for code in codes.all_inner_texts()]
    assert all(re.fullmatch(r"[0-9a-f]{5}-[0-9a-f]{5}", code) for code in recovery_codes)
    check_page(page)
    device.refresh_from_db()
    assert device.confirmed
    page.get_by_role("link", name=sv("I have saved them, continue")).click()

    # The start page, with the navigation of a signed-in member of staff.
    expect(page).to_have_url(path_is("/"))
    with translation.override("sv"):
        welcome = translation.gettext("Welcome, %(name)s") % {"name": anna.get_short_name()}
    expect(page.get_by_role("heading", level=1)).to_have_text(welcome)
    expect(page.get_by_role("navigation", name=sv("Main menu"))).to_be_visible()
    check_page(page)

    # Sign out ("Logga ut"): the start page is closed again.
    sign_out = page.locator("form[action='/accounts/logout/'] button")
    assert sv("Sign out") != "Sign out", "no Swedish catalogue"
    expect(sign_out).to_have_text(sv("Sign out"))
    submit(page, sign_out)
    expect(page).to_have_url(path_is("/accounts/login/"))
    expect(page.get_by_role("status")).to_contain_text(sv("You have signed out."))
    check_page(page)
    page.goto("/")
    expect(page).to_have_url(path_is("/accounts/login/"))
    expect(page.get_by_role("navigation", name=sv("Main menu"))).to_have_count(0)
    check_page(page)

    # Second sign-in: password, then the code step.
    page.locator("#id_email").fill(anna.email)
    page.locator("#id_password").fill(PASSWORD)
    submit(page, page.get_by_role("button", name=sv("Sign in"), exact=True))
    expect(page).to_have_url(path_is("/accounts/login/code/"))
    expect(page.get_by_role("heading", level=1)).to_have_text(sv("Enter your code"))
    check_page(page)

    # The code used to enrol has been used: it is refused, with an accessible error.
    page.locator("#id_code").fill(enrol_code)
    submit(page, page.get_by_role("button", name=sv("Continue"), exact=True))
    expect(page).to_have_url(path_is("/accounts/login/code/"))
    summary = page.get_by_role("alert")
    expect(summary).to_contain_text(
        sv("The code is not valid. Codes change every 30 seconds and work once.")
    )
    expect(summary.locator("a[href='#id_code']")).to_be_visible()
    expect(page.locator("#id_code")).to_have_attribute("aria-invalid", "true")
    check_page(page)

    # A fresh code, the one for the next time step, lets her in. django-otp holds
    # the device back for a second after a wrong code, so wait that out first.
    time.sleep(1.2)
    device.refresh_from_db()
    page.locator("#id_code").fill(totp_code(key, step=device.last_t + 1))
    submit(page, page.get_by_role("button", name=sv("Continue"), exact=True))
    expect(page).to_have_url(path_is("/"))
    expect(page.get_by_role("heading", level=1)).to_have_text(welcome)
    check_page(page)

    # A recovery code works instead of the app, once.
    submit(page, page.locator("form[action='/accounts/logout/'] button"))
    check_page(page)
    page.locator("#id_email").fill(anna.email)
    page.locator("#id_password").fill(PASSWORD)
    submit(page, page.get_by_role("button", name=sv("Sign in"), exact=True))
    expect(page).to_have_url(path_is("/accounts/login/code/"))
    check_page(page)
    page.locator("#id_code").fill(recovery_codes[0].upper().replace("-", " "))
    submit(page, page.get_by_role("button", name=sv("Continue"), exact=True))
    expect(page).to_have_url(path_is("/"))
    check_page(page)
    remaining = set(StaticToken.objects.filter(device__user=anna).values_list("token", flat=True))
    assert remaining == set(recovery_codes[1:])


def test_language_switch(page, personas):
    page.goto("/accounts/login/")
    expect(page.locator("html")).to_have_attribute("lang", "sv")
    check_page(page)

    english = page.locator("header").get_by_role("button", name="English", exact=True)
    expect(english).to_have_attribute("lang", "en")
    submit(page, english)
    expect(page).to_have_url(path_is("/accounts/login/"))
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in to Talang")
    expect(page.get_by_role("button", name="Sign in", exact=True)).to_be_visible()
    cookies = {c["name"]: c["value"] for c in page.context.cookies()}
    assert cookies.get("talang_language") == "en"
    check_page(page)

    # The choice sticks on the next page.
    page.goto("/accessibility/")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", level=1)).to_have_text("Accessibility statement")
    check_page(page)

    svenska = page.locator("header").get_by_role("button", name="Svenska", exact=True)
    expect(svenska).to_have_attribute("lang", "sv")
    submit(page, svenska)
    expect(page).to_have_url(path_is("/accessibility/"))
    expect(page.locator("html")).to_have_attribute("lang", "sv")
    expect(page.get_by_role("heading", level=1)).to_have_text(sv("Accessibility statement"))
    expect(page.locator("header").get_by_role("button", name="English", exact=True)).to_be_visible()
    check_page(page)


def test_coordinator_pages(page, personas):
    cecilia = personas.cecilia
    sign_in(page, cecilia)

    # Users, in the administration group, which is then marked as the current page's.
    administration = main_menu(page, sv("Administration"))
    administration.get_by_role("link", name=sv("Users"), exact=True).click()
    expect(page).to_have_url(path_is("/staff/users/"))
    nav = main_menu(page)
    expect(nav.locator("a[aria-current=page]")).to_have_text(sv("Users"))
    expect(nav.locator(".site-nav__menu--current > summary")).to_have_text(sv("Administration"))
    table = page.get_by_role("table", name=sv("Staff accounts of the region"))
    expect(table.locator("tbody tr")).to_have_count(len(personas.all()))
    check_page(page)

    # Invite: an empty form gets an error summary that links to the fields.
    page.get_by_role("link", name=sv("Invite a user"), exact=True).click()
    expect(page).to_have_url(path_is("/staff/users/invite/"))
    check_page(page)
    send = page.get_by_role("button", name=sv("Send invitation"), exact=True)
    submit(page, send)
    expect(page).to_have_url(path_is("/staff/users/invite/"))
    summary = page.locator("#error-summary")
    expect(summary).to_have_attribute("role", "alert")
    expect(summary.get_by_role("heading", level=2)).to_have_text(sv("Please correct the following"))
    expect(summary.locator("a[href='#id_full_name']")).to_contain_text(sv("Name"))
    expect(summary.locator("a[href='#id_email']")).to_contain_text(sv("E-mail address"))
    expect(page.locator("#id_full_name")).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#id_email")).to_have_attribute("aria-invalid", "true")
    check_page(page)
    assert not User.objects.filter(email="gun@example.org").exists()

    # A complete form invites the person and shows the new account.
    page.locator("#id_full_name").fill("Gun Gustafsson")
    page.locator("#id_email").fill("gun@example.org")
    page.locator("#id_role").select_option("guide")
    page.locator("#id_municipality").select_option(label="Östersund")
    submit(page, send)
    gun = User.objects.get(email="gun@example.org")
    expect(page).to_have_url(path_is(f"/staff/users/{gun.pk}/"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Gun Gustafsson")
    expect(page.get_by_role("status")).to_contain_text(sv("The invitation has been sent."))
    assert gun.membership.role == "guide" and gun.membership.municipality.name == "Östersund"
    check_page(page)

    # Another user's page, from the list.
    administration = main_menu(page, sv("Administration"))
    administration.get_by_role("link", name=sv("Users"), exact=True).click()
    page.get_by_role("link", name=personas.anna.full_name, exact=True).click()
    expect(page).to_have_url(path_is(f"/staff/users/{personas.anna.pk}/"))
    expect(page.get_by_role("heading", level=1)).to_have_text(personas.anna.full_name)
    expect(page.get_by_text(personas.anna.email)).to_be_visible()
    check_page(page)

    # API tokens: a new token is shown once, and only its fingerprint is kept.
    account_menu(page).get_by_role("link", name=sv("API tokens"), exact=True).click()
    expect(page).to_have_url(path_is("/account/tokens/"))
    check_page(page)
    page.locator("#id_name").fill("Statistics export")
    submit(page, page.get_by_role("button", name=sv("Create token"), exact=True))
    raw = page.locator("#new-token").inner_text().strip()
    assert raw.startswith("tlg_")
    token = ApiToken.objects.get(user=cecilia, name="Statistics export")
    assert token.digest == token_digest(raw)
    expect(page.get_by_role("cell", name=f"{token.prefix}…")).to_be_visible()
    check_page(page)
    page.goto("/account/tokens/")
    expect(page.locator("#new-token")).to_have_count(0)
    expect(page.get_by_text(raw)).to_have_count(0)
    expect(page.get_by_role("cell", name="Statistics export", exact=True)).to_be_visible()
    check_page(page)

    # Security: new recovery codes.
    account_menu(page).get_by_role("link", name=sv("Security"), exact=True).click()
    expect(page).to_have_url(path_is("/account/security/"))
    check_page(page)
    submit(page, page.get_by_role("button", name=sv("Make new recovery codes"), exact=True))
    expect(page.get_by_role("list", name=sv("Recovery codes")).locator("li")).to_have_count(10)
    check_page(page)

    # The accessibility statement, from the footer.
    page.get_by_role("contentinfo").get_by_role("link", name=sv("Accessibility statement")).click()
    expect(page).to_have_url(path_is("/accessibility/"))
    expect(page.get_by_role("heading", level=1)).to_have_text(sv("Accessibility statement"))
    check_page(page)

    # A page that does not exist.
    response = page.goto("/no-such-page/")
    assert response is not None and response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text(sv("Page not found"))
    expect(page.get_by_role("link", name=sv("Go to the start page"))).to_be_visible()
    check_page(page)


def test_phone_layout(new_page, personas):
    """At 375 px the skip link comes first, the menu's groups and the account's pages show,
    and nothing scrolls sideways.

    Cecilia, a coordinator, has the longest menu and the widest tables.
    """
    page = new_page(viewport={"width": 375, "height": 740}, is_mobile=True, has_touch=True)
    cecilia = personas.cecilia
    sign_in(page, cecilia)
    # Tables with something in them: a token, and changes in Anna's history.
    api_token_create(user=cecilia, name="Statistics export", by=cecilia)
    user_change_role(user=personas.anna, role="viewer", municipality=None, by=cecilia)

    paths = [
        "/",
        "/staff/users/",
        f"/staff/users/{personas.anna.pk}/",
        "/staff/users/invite/",
        "/account/tokens/",
        "/account/security/",
        "/accessibility/",
        "/no-such-page/",
    ]
    for path in paths:
        page.goto(path)

        # On arrival the start link, the groups' names and the account's pages are on
        # screen (test_navigation_browser opens the groups), and nothing scrolls sideways.
        nav = main_menu(page)
        expect(nav).to_be_visible()
        expect(nav.locator(":scope > ul > li")).to_have_count(5)
        for item in nav.locator(":scope > ul > li > a, summary").all():
            expect(item).to_be_in_viewport()
        expect(account_menu(page).get_by_role("link")).to_have_count(2)
        for link in account_menu(page).get_by_role("link").all():
            expect(link).to_be_in_viewport()
        expect(page.locator("form[action='/accounts/logout/'] button")).to_be_in_viewport()
        widths = page.evaluate("[window.innerWidth, document.documentElement.scrollWidth]")
        assert widths == [375, 375], f"{path} is wider than the phone: {widths}"

        # The skip link is the first thing the keyboard reaches, and it shows when focused.
        page.keyboard.press("Tab")
        active = page.evaluate(
            "({text: document.activeElement.textContent.trim(),"
            " href: document.activeElement.getAttribute('href')})"
        )
        assert active == {"text": sv("Skip to content"), "href": "#main"}, path
        expect(page.locator(".skip-link")).to_be_in_viewport()
        page.keyboard.press("Enter")
        assert page.evaluate("document.activeElement.id") == "main", path

        check_page(page)
