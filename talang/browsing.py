"""Shared by the browser tests: Debian's Chromium through Playwright, axe on every page, and
signing in through the pages with a real authenticator code. Fixtures are in talang/conftest.py.
"""

import re
import shutil

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.utils import translation
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import Frame, Locator, Page, expect, sync_playwright

from talang.accounts.models import User
from talang.testing import PASSWORD

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

_axe = Axe()


def sv(text: str) -> str:
    """``text`` as the Swedish catalogue has it (the English source until it is translated)."""
    with translation.override("sv"):
        return translation.gettext(text)


def check_page(page: Page | Frame) -> None:
    """The page (or frame) has finished loading and axe finds no accessibility violation."""
    page.wait_for_load_state("load")
    results = _axe.run(page)
    assert results.violations_count == 0, f"axe on {page.url}:\n{results.generate_report()}"


def check_page_without_javascript(page: Page, new_page) -> None:
    """axe on a page shown without JavaScript, where axe itself cannot run (its timers don't).

    The page's HTML is served again, as it was, to a page with JavaScript, and checked there.
    """
    page.wait_for_load_state("load")
    url, html = page.url, page.content()
    checker = new_page()
    checker.route(
        lambda address: address == url,
        lambda route: route.fulfill(body=html, content_type="text/html; charset=utf-8"),
    )
    checker.goto(url)
    check_page(checker)


def submit(page: Page, button) -> None:
    """Press a submit button and wait for the page the server answers with."""
    with page.expect_navigation():
        button.click()


def path_is(path: str) -> re.Pattern:
    return re.compile(rf"^https?://[^/]+{re.escape(path)}(\?.*)?$")


def main_menu(page: Page, group: str | None = None) -> Locator:
    """The main menu; with ``group`` (a group's label as shown), after opening that group."""
    menu = page.get_by_role("navigation", name=sv("Main menu"))
    if group is not None:
        menu.locator("summary", has_text=group).click()
        expect(menu.locator("details[open] > summary")).to_have_text(group)
    return menu


def account_menu(page: Page) -> Locator:
    """The account's own pages, beside "Sign out"."""
    return page.get_by_role("navigation", name=sv("Account"))


def signed_in_without_javascript(new_page, live_server, user: User) -> Page:
    """A page with JavaScript off, signed in as ``user`` (signing in through the pages needs
    JavaScript for axe): the session of a test client signed in, given to the browser."""
    from django.conf import settings
    from django.test import Client

    from talang.testing import sign_in as sign_in_client

    client = sign_in_client(Client(), user)
    page = new_page(java_script_enabled=False)
    cookie = {"name": settings.SESSION_COOKIE_NAME, "value": client.session.session_key}
    page.context.add_cookies([{**cookie, "url": live_server.url}])
    return page


def totp_code(key: bytes, step: int | None = None) -> str:
    """The six-digit code an authenticator app shows now, or at time step ``step``."""
    totp = TOTP(key)
    if step is not None:
        totp.time = step * totp.step
    return f"{totp.token():06d}"


def sign_in(page: Page, user: User) -> None:
    """Sign in through the pages, with the password and an authenticator code."""
    device, _created = TOTPDevice.objects.get_or_create(
        user=user, confirmed=True, defaults={"name": "test authenticator"}
    )
    page.goto("/accounts/login/")
    check_page(page)
    page.locator("#id_email").fill(user.email)
    page.locator("#id_password").fill(PASSWORD)
    submit(page, page.locator("main form button[type=submit]"))
    expect(page).to_have_url(path_is("/accounts/login/code/"))
    check_page(page)
    # A code works once: after an earlier sign-in in this time step, take the next one.
    device.refresh_from_db()
    step = max(TOTP(device.bin_key).t(), device.last_t + 1)
    page.locator("#id_code").fill(totp_code(device.bin_key, step=step))
    submit(page, page.locator("main form button[type=submit]"))
    expect(page).to_have_url(path_is("/"))
    check_page(page)


# Fixtures --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def browser():
    if shutil.which(CHROMIUM) is None:
        pytest.skip(f"{CHROMIUM} is not installed")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def new_page(browser, live_server):
    """new_page(**context_options): a page in a fresh browser context on the live server.

    The browser asks for Swedish (Accept-Language: sv-SE), as the staff's browsers do;
    Django's LocaleMiddleware would otherwise answer headless Chromium's en-US in English.
    """
    contexts = []

    def make(**options) -> Page:
        options = {"locale": "sv-SE", "bypass_csp": True, **options}
        context = browser.new_context(base_url=live_server.url, **options)
        context.set_default_timeout(10_000)
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_page) -> Page:
    return new_page()
