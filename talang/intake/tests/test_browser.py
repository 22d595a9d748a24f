"""The public forms in a real Chromium: every form in the four languages, the keyboard only,
no JavaScript, 200 % zoom, embedded in an iframe on another site, and the web editors' pages.
Every page visited is checked with axe.

Run with ``pytest -m browser``. The browser is Debian's Chromium (never ``playwright
install``); the content security policy is bypassed only so that axe can be injected, except
in the iframe test, which needs the real ``frame-ancestors``.
"""

import importlib
import re
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.apps import apps as django_apps
from django.utils import translation
from playwright.sync_api import Page, expect

from talang.browsing import check_page, check_page_without_javascript, path_is, sign_in, submit, sv
from talang.contacts.models import Household
from talang.intake import services
from talang.intake.models import FormAppearance, Submission

pytestmark = pytest.mark.browser

LANGUAGES = ["sv", "en", "de", "nl"]
KINDS = ["guidance", "magazine", "newsletter"]

# After the error summary's link, the browser keeps its #fragment through the redirect.
THANKS = re.compile(r"^https?://[^/]+/thanks/(sv|en|de|nl)/[^/]+/(#[\w-]*)?$")


def focused(page: Page) -> str:
    """The id of the focused element, or its tag name if it has none."""
    return page.evaluate("document.activeElement.id || document.activeElement.tagName")


def tab(page: Page) -> str:
    page.keyboard.press("Tab")
    return focused(page)


def tab_to(page: Page, selector: str, limit: int = 40) -> None:
    """Press Tab until the element ``selector`` has the focus."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("s => document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"{selector} not reached with {limit} presses of Tab")


def fill_required(form, *, email: str, municipality: str | None = None) -> None:
    """Fill the required part of the guidance form (a Page or a FrameLocator) with the mouse."""
    form.locator("#id_first_name").fill("Åsa")
    form.locator("#id_last_name").fill("Öberg")
    form.locator("#id_email").fill(email)
    form.locator("input[name=preferred_channel][value=email]").check()
    if municipality:
        form.locator(f"input[name=municipalities][value='{municipality}']").check()
    form.locator("#id_consent_guidance").check()


def horizontal_overflow(page: Page) -> list[int]:
    return page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")


# Fixtures --------------------------------------------------------------------------


@pytest.fixture(autouse=True)
def privacy_notice(transactional_db):
    """The privacy notice texts a data migration publishes.

    The live server needs committed data, so each test here flushes the database after
    itself, migration data too. (serialized_rollback would bring it back, but Playwright's
    event loop gives the test another database connection than the one that kept the copy.)
    """
    publish = importlib.import_module(
        "talang.contacts.migrations.0002_consent_texts_guidance_v1"
    ).publish
    publish(django_apps, None)


@pytest.fixture
def quick_forms(settings):
    """People in tests fill the form faster than the abuse check's minimum time allows."""
    settings.TALANG_FORM_MIN_SECONDS = 0


@pytest.fixture
def other_site(live_server):
    """A municipality's web page with the snippet, on another origin than Talang's.

    Talang's live server is on ``localhost``; this one is on ``127.0.0.1``.
    """
    form = f"{live_server.url}/forms/sv/guidance/2380/?site=kommun.example"
    html = (
        "<!doctype html>\n"
        '<html lang="sv"><head><meta charset="utf-8"><title>Flytta till Östersund</title></head>'
        "<body><main><h1>Flytta till Östersund</h1>"
        f'<iframe data-talang-form src="{form}" title="Registration" '
        'style="width:100%;height:300px;border:0"></iframe>'
        "<p>Kommunens sida fortsätter här.</p></main>"
        f'<script src="{live_server.url}/static/talang/embed.js"></script>'
        "</body></html>"
    ).encode()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(html)))
            self.end_headers()
            self.wfile.write(html)

        def log_message(self, format, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()
    thread.join()


# Tests ------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("language", LANGUAGES)
def test_each_form_in_each_language(page, personas, language, kind):
    response = page.goto(f"/forms/{language}/{kind}/")
    assert response is not None and response.status == 200
    expect(page.locator("html")).to_have_attribute("lang", language)
    expect(page.get_by_role("heading", level=1)).to_have_count(1)
    expect(page.get_by_role("main").locator("form.public-form")).to_be_visible()
    expect(page.locator("form.public-form button[type=submit]").last).to_be_visible()

    # The four languages, each link in its own language, the current one marked.
    languages = page.get_by_role("navigation").locator("li > *")
    expect(languages).to_have_count(4)
    for index, code in enumerate(LANGUAGES):
        expect(languages.nth(index)).to_have_attribute("lang", code)
    current = page.locator(".language-links [aria-current=true]")
    expect(current).to_have_attribute("lang", language)
    expect(page.locator(f".language-links a[hreflang={language}]")).to_have_count(0)
    if language == "en":
        expect(page).to_have_title(re.compile(r"^\S.* – Region Jämtland Härjedalen$"))
    check_page(page)


def test_guidance_form_with_the_keyboard_only(page, personas, quick_forms):
    page.goto("/forms/en/guidance/")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    check_page(page)

    # Send the empty form: Tab to the first field and press Enter.
    tab_to(page, "#id_first_name")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page).to_have_url(path_is("/forms/en/guidance/"))

    # The error summary is announced and links to each field in error.
    summary = page.get_by_role("alert")
    expect(summary).to_be_visible()
    expect(summary.get_by_role("heading", level=2)).to_have_text("Please correct the following")
    links = summary.get_by_role("link")
    expected = {
        "id_first_name": "Enter your first name.",
        "id_email": "Give an e-mail address or a phone number, or both.",
        "id_preferred_channel_0": "Choose phone or e-mail.",
        "id_consent_guidance": (
            "Tick the box to accept the privacy notice and ask for relocation guidance."
        ),
    }
    expect(links).to_have_count(len(expected))
    for link in links.all():
        target = link.get_attribute("href")
        assert target and target.startswith("#") and target[1:] in expected, target
        expect(link).to_contain_text(expected[target[1:]])
        expect(page.locator(target)).to_have_count(1)

    # Each field says it is invalid and is described by its own error message.
    for field_id, message in expected.items():
        field = page.locator(f"#{field_id}")
        expect(field).to_have_attribute("aria-invalid", "true")
        name = field_id.removesuffix("_0")
        described = field if name == field_id else page.locator(f"fieldset:has(#{field_id})")
        expect(described).to_have_attribute("aria-describedby", re.compile(rf"\b{name}_error\b"))
        expect(page.locator(f"#{name}_error")).to_have_text(message)
    expect(page.locator("#id_last_name")).not_to_have_attribute("aria-invalid", "true")
    check_page(page)

    # The first link in the summary takes the keyboard to the first field.
    tab_to(page, "#error-summary a")
    assert page.evaluate("document.activeElement.getAttribute('href')") == "#id_first_name"
    page.keyboard.press("Enter")
    assert focused(page) == "id_first_name"

    # The required part, field by field in the order of the page.
    page.keyboard.type("Åsa")
    assert tab(page) == "id_last_name"
    page.keyboard.type("Öberg")
    assert tab(page) == "id_email"
    page.keyboard.type("asa.keyboard@example.org")
    assert tab(page) == "id_phone"
    assert tab(page) == "id_preferred_channel_0"  # Phone: the group is one stop
    page.keyboard.press("ArrowDown")
    assert focused(page) == "id_preferred_channel_1"  # E-mail
    page.keyboard.press("Space")
    expect(page.locator("#id_preferred_channel_1")).to_be_checked()
    expect(page.locator("#id_preferred_channel_0")).not_to_be_checked()
    for index in range(8):  # the region's municipalities, Östersund last
        assert tab(page) == f"id_municipalities_{index}"
    expect(page.locator("#id_municipalities_7")).to_have_value("2380")
    page.keyboard.press("Space")
    expect(page.locator("#id_municipalities_7")).to_be_checked()
    assert tab(page) == "SUMMARY"  # the privacy notice, open
    assert tab(page) == "id_consent_guidance"
    page.keyboard.press("Space")
    expect(page.locator("#id_consent_guidance")).to_be_checked()
    assert tab(page) == "BUTTON"
    expect(page.locator(":focus")).to_have_text("Send")
    with page.expect_navigation():
        page.keyboard.press("Enter")

    # The thank-you page, announced as a status.
    expect(page).to_have_url(THANKS)
    status = page.get_by_role("status")
    expect(status.get_by_role("heading", level=1)).to_have_text("Thank you!")
    expect(status).to_contain_text("A relocation guide from Östersund will contact you")
    check_page(page)
    person = Household.objects.get().persons.get()
    assert (person.first_name, person.last_name, person.email) == (
        "Åsa",
        "Öberg",
        "asa.keyboard@example.org",
    )


def test_guidance_form_without_javascript(new_page, personas, quick_forms):
    page = new_page(java_script_enabled=False)
    page.goto("/forms/sv/guidance/")
    expect(page.locator("html")).to_have_attribute("lang", "sv")
    check_page_without_javascript(page, new_page)
    fill_required(page, email="asa.nojs@example.org", municipality="2321")
    submit(page, page.locator("form.public-form button[type=submit]").first)

    expect(page).to_have_url(THANKS)
    expect(page.get_by_role("status").get_by_role("heading", level=1)).to_have_text(
        sv("Thank you!")
    )
    check_page_without_javascript(page, new_page)
    household = Household.objects.get()
    assert household.persons.get().email == "asa.nojs@example.org"
    assert household.language == "sv"
    assert household.cases.get().municipality.code == "2321"


@pytest.mark.parametrize("width", [640, 320])
def test_forms_reflow_when_zoomed(new_page, personas, quick_forms, width):
    """1280 px at 200 % is 640 CSS px; 320 px is the reflow width of WCAG 1.4.10 (400 %)."""
    page = new_page(viewport={"width": width, "height": 800}, device_scale_factor=2)

    for kind in KINDS:
        page.goto(f"/forms/en/{kind}/")
        assert page.evaluate("window.innerWidth") == width
        scroll_width, inner_width = horizontal_overflow(page)
        assert scroll_width <= inner_width, f"{kind} scrolls sideways: {scroll_width} px"
        check_page(page)

    # With errors, which make the fields' blocks longer.
    page.goto("/forms/en/guidance/")
    submit(page, page.locator("form.public-form button[type=submit]").first)
    expect(page.get_by_role("alert")).to_be_visible()
    scroll_width, inner_width = horizontal_overflow(page)
    assert scroll_width <= inner_width, f"the errors scroll sideways: {scroll_width} px"
    check_page(page)

    # And the thank-you page.
    fill_required(page, email="asa.zoom@example.org")
    submit(page, page.locator("form.public-form button[type=submit]").first)
    expect(page).to_have_url(THANKS)
    scroll_width, inner_width = horizontal_overflow(page)
    assert scroll_width <= inner_width, f"the thank-you page scrolls sideways: {scroll_width} px"
    check_page(page)


def test_form_embedded_on_another_site(new_page, personas, quick_forms, settings, other_site):
    # The site is on the list of origins allowed to frame the form; the browser enforces it.
    settings.TALANG_EMBED_ORIGINS = [*settings.TALANG_EMBED_ORIGINS, other_site]
    page = new_page(bypass_csp=False)
    page.goto(other_site)
    iframe = page.locator("iframe[data-talang-form]")
    frame = iframe.element_handle().content_frame()
    assert frame is not None
    form = page.frame_locator("iframe[data-talang-form]")
    expect(form.locator("html")).to_have_attribute("lang", "sv")
    expect(form.locator("#id_municipalities_7")).to_be_checked()  # Östersund, from the address
    expect(form.locator("input[name=site]")).to_have_value("kommun.example")

    # The form reports its height and the snippet's script grows the iframe to it.
    page.wait_for_function(
        "document.querySelector('iframe[data-talang-form]').getBoundingClientRect().height > 1000",
        timeout=5_000,
    )
    height = iframe.evaluate("element => element.getBoundingClientRect().height")
    content = frame.evaluate("document.documentElement.getBoundingClientRect().height")
    assert abs(height - content) <= 1, (height, content)
    # Nothing scrolls inside the frame.
    assert frame.evaluate("document.documentElement.scrollHeight <= window.innerHeight")
    check_page(frame)
    check_page(page)

    # Fill and send the form inside the frame; the thank-you page comes inside it too.
    fill_required(form, email="asa.embed@example.org")
    with frame.expect_navigation():
        form.locator("form.public-form button[type=submit]").first.click()
    expect(form.get_by_role("status").get_by_role("heading", level=1)).to_have_text(
        sv("Thank you!")
    )
    assert THANKS.match(frame.url), frame.url
    expect(page).to_have_url(other_site + "/")

    # The iframe shrinks to the short thank-you page, which the visitor sees.
    page.wait_for_function(
        "document.querySelector('iframe[data-talang-form]').getBoundingClientRect().height < 1000",
        timeout=5_000,
    )
    expect(iframe).to_be_in_viewport()
    expect(form.get_by_role("heading", level=1)).to_be_in_viewport()
    check_page(frame)

    household = Household.objects.get()
    assert household.channel_site == "kommun.example"
    assert household.channel_form == "guidance:2380"
    case = household.cases.get()
    assert case.municipality.code == "2380"
    assert case.municipality.name == "Östersund"


def test_web_editors_pages(new_page, personas, quick_forms):
    page = new_page()
    sign_in(page, personas.cecilia)

    # The forms for the websites: each place's addresses and snippet.
    page.goto("/staff/forms/")
    expect(page).to_have_url(path_is("/staff/forms/"))
    expect(page.get_by_role("heading", level=1)).to_have_text(sv("Forms for the websites"))
    check_page(page)
    snippet = page.locator("#snippet-2380")
    expect(snippet).to_have_accessible_name(sv("Snippet for the web page"))
    expect(snippet).to_have_value(re.compile(r"/forms/sv/guidance/2380/\?site="))
    expect(snippet).to_have_value(re.compile(r"/static/talang/embed\.js"))

    # Östersund's colour and Swedish thank-you text.
    page.locator("a[href='/staff/forms/2380/appearance/']").click()
    expect(page).to_have_url(path_is("/staff/forms/2380/appearance/"))
    with translation.override("sv"):
        heading = translation.gettext("The form of %(name)s") % {"name": "Östersund"}
    assert heading != "The form of Östersund", "no Swedish catalogue"
    expect(page.get_by_role("heading", level=1)).to_have_text(heading)
    check_page(page)
    page.locator("#id_colour").fill("#1a3d6e")
    welcome = "Välkommen till Östersund!\nVi hör av oss snart."
    page.locator("#id_thank_you_sv").fill(welcome)
    submit(page, page.locator("main form button[type=submit]"))
    expect(page).to_have_url(path_is("/staff/forms/"))
    expect(page.get_by_role("status")).to_contain_text(sv("The form's appearance is saved."))
    check_page(page)
    appearance = FormAppearance.objects.get(key="2380")
    assert appearance.colour == "#1a3d6e"
    assert {lang: text.replace("\r\n", "\n") for lang, text in appearance.thank_you.items()} == {
        "sv": welcome
    }

    # Unprocessed submissions: one waiting, shown in the table.
    services.submission_store(
        source=Submission.Source.FORM,
        kind=Submission.Kind.GUIDANCE,
        language="sv",
        channel={"region": personas.region.code, "form": "guidance:2380", "site": ""},
        payload={"first_name": ["Waiting"]},
        client="test",
    )
    page.goto("/staff/submissions/")
    expect(page.get_by_role("heading", level=1)).to_have_text(sv("Unprocessed submissions"))
    expect(page.get_by_role("table").locator("tbody tr")).to_have_count(1)
    check_page(page)

    # A visitor registers with Östersund: the form has the colour, the thanks the text.
    visitor = new_page()
    visitor.goto("/forms/sv/guidance/2380/")
    expect(visitor.locator("link[href='/appearance/2380/theme.css']")).to_have_count(1)
    expect(visitor.locator("form.public-form button[type=submit]").first).to_have_css(
        "background-color", "rgb(26, 61, 110)"
    )
    check_page(visitor)
    fill_required(visitor, email="asa.theme@example.org")
    submit(visitor, visitor.locator("form.public-form button[type=submit]").first)
    expect(visitor).to_have_url(THANKS)
    expect(visitor.locator("html")).to_have_attribute("lang", "sv")
    expect(visitor.get_by_role("status").locator("p.lead")).to_have_text(
        re.compile(r"^Välkommen till Östersund!\n+Vi hör av oss snart\.$"), use_inner_text=True
    )
    check_page(visitor)
    assert Household.objects.get().cases.get().municipality.code == "2380"


def test_guidance_form_with_proof_of_work(page, personas, quick_forms, settings):
    """With ALTCHA on, the browser solves the challenge while the person fills in the form."""
    settings.TALANG_ALTCHA_MAX_NUMBER = 20000
    page.goto("/forms/en/guidance/")
    solution = page.locator("input[name=altcha]")
    expect(solution).to_have_attribute("value", re.compile(r"^[A-Za-z0-9+/]{40,}=*$"))
    check_page(page)
    fill_required(page, email="asa.pow@example.org", municipality="2380")
    submit(page, page.locator("form.public-form button[type=submit]").first)
    expect(page).to_have_url(THANKS)
    assert Household.objects.get().persons.get().email == "asa.pow@example.org"


def test_proof_of_work_sends_the_form_when_it_is_done(page, personas, quick_forms, settings):
    """Sent before the work is done, the form says so and is sent as soon as it is. The test
    holds the browser's hashing back until the person has pressed the button."""
    settings.TALANG_ALTCHA_MAX_NUMBER = 20000
    page.add_init_script(
        """
        const digest = crypto.subtle.digest.bind(crypto.subtle);
        const held = new Promise((release) => { window.releaseHashing = release; });
        crypto.subtle.digest = async (...args) => { await held; return digest(...args); };
        """
    )
    page.goto("/forms/en/newsletter/")
    page.locator("#id_email").fill("jan.pow@example.nl")
    page.locator("form.public-form button[type=submit]").click()
    expect(page.get_by_role("status")).to_contain_text("A moment")
    check_page(page)
    assert Submission.objects.count() == 0
    with page.expect_navigation():
        page.evaluate("window.releaseHashing()")
    expect(page).to_have_url(THANKS)
    assert Submission.objects.get().kind == Submission.Kind.NEWSLETTER


def test_asking_for_a_new_link_to_your_data(new_page, personas):
    page = new_page()
    page.goto("/my-data/expired-or-forged/")
    expect(page.locator("html")).to_have_attribute("lang", "sv")
    expect(page.locator(".notice")).to_be_visible()
    check_page(page)
    page.locator("#id_email").fill("inte-registrerad@example.org")
    submit(page, page.get_by_role("button"))
    expect(page.get_by_role("status").get_by_role("heading", level=1)).to_have_text(
        sv("Check your e-mail")
    )
    check_page(page)


def de(text: str) -> str:
    """``text`` as the German catalogue has it (the English source until it is translated)."""
    with translation.override("de"):
        return translation.gettext(text)


def beside(left: dict, right: dict) -> bool:
    """Two boxes on one line, ``left`` wholly before ``right``."""
    same_line = left["y"] < right["y"] + right["height"] and right["y"] < left["y"] + left["height"]
    return same_line and left["x"] + left["width"] <= right["x"]


def test_guidance_form_layout_on_a_wide_and_a_narrow_screen(new_page, personas, quick_forms):
    page = new_page(viewport={"width": 1200, "height": 900})
    page.goto("/forms/de/guidance/")
    check_page(page)

    # Each child is a group named "Child 1" …, its two fields side by side, labels above.
    child = page.locator("fieldset.child").first
    with translation.override("de"):
        legend = translation.gettext("Child %(number)s") % {"number": 1}
    expect(child.locator("legend")).to_have_text(legend)
    expect(child.get_by_label(de("Year of birth"))).to_have_id("id_child_1_birth_year")
    expect(child.get_by_label(de("Or age group"))).to_have_id("id_child_1_age_band")
    year = page.locator("#id_child_1_birth_year").bounding_box()
    band = page.locator("#id_child_1_age_band").bounding_box()
    assert beside(year, band), (year, band)
    for field_id, box in (("id_child_1_birth_year", year), ("id_child_1_age_band", band)):
        label = page.locator(f"label[for={field_id}]").bounding_box()
        assert label["y"] + label["height"] <= box["y"] + 1, field_id
        assert abs(label["x"] - box["x"]) <= 1, field_id

    # Each checkbox before its label, on the label's line.
    for name in ("consent_guidance", "newsletter", "magazine"):
        box = page.locator(f"#id_{name}").bounding_box()
        label = page.locator(f"label[for=id_{name}]").bounding_box()
        assert beside(box, label), name

    # On a phone the child's fields stack.
    page.set_viewport_size({"width": 320, "height": 800})
    year = page.locator("#id_child_1_birth_year").bounding_box()
    band = page.locator("#id_child_1_age_band").bounding_box()
    assert band["y"] >= year["y"] + year["height"], (year, band)
    scroll_width, inner_width = horizontal_overflow(page)
    assert scroll_width <= inner_width


def test_fields_in_error_and_danger_buttons_look_it(page, personas, quick_forms):
    danger = "rgb(163, 22, 27)"  # --danger
    page.goto("/forms/en/guidance/")
    page.locator("#id_adults").fill("50")
    submit(page, page.locator("form.public-form button[type=submit]").first)
    for field_id in ("id_first_name", "id_adults"):
        expect(page.locator(f"#{field_id}")).to_have_attribute("aria-invalid", "true")
        expect(page.locator(f"#{field_id}")).to_have_css("border-top-color", danger)
    expect(page.locator("#id_last_name")).not_to_have_css("border-top-color", danger)
    check_page(page)

    # A danger button is red and a secondary one white, whatever element they are.
    page.locator("main").evaluate(
        """main => main.insertAdjacentHTML('beforeend',
            '<button type="button" class="button button--danger" id="danger">Erase</button>'
            + '<button type="button" class="button button--secondary" id="other">No</button>')"""
    )
    expect(page.locator("#danger")).to_have_css("background-color", danger)
    expect(page.locator("#other")).to_have_css("background-color", "rgb(255, 255, 255)")


def test_the_statement_and_a_bad_link_in_the_public_pages_language(new_page, personas):
    # From the footer of the German newsletter form: the statement in German, public frame.
    page = new_page()
    page.goto("/forms/de/newsletter/")
    page.get_by_role("contentinfo").get_by_role("link").click()
    expect(page).to_have_url(path_is("/accessibility/de/"))
    expect(page.locator("html")).to_have_attribute("lang", "de")
    expect(page.get_by_role("heading", level=1)).to_have_text(de("Accessibility statement"))
    expect(page.locator(".language-links [aria-current=true]")).to_have_attribute("lang", "de")
    expect(page.locator("a[href^='/accounts/'], form[action='/language/']")).to_have_count(0)
    check_page(page)

    # A forged confirmation link, in a Dutch browser: the public 404 in Dutch.
    dutch = new_page(locale="nl-NL")
    response = dutch.goto("/newsletter/confirm/forged:token/")
    assert response is not None and response.status == 404
    expect(dutch.locator("html")).to_have_attribute("lang", "nl")
    expect(dutch.locator(".brand")).to_have_text("Region Jämtland Härjedalen")
    expect(dutch.locator("a[href^='/accounts/'], form[action='/language/']")).to_have_count(0)
    expect(dutch.locator("main a")).to_have_attribute("href", "/forms/nl/guidance/")
    check_page(dutch)
