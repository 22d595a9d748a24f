"""The public pages around the forms: the accessibility statement and the 404 in the page's
language and frame, the error summary, the thank-you page, the country lists, the required
fields and the privacy notices of the magazine and newsletter forms."""

import re

import pytest
import time_machine
from django.utils import translation
from django.utils.translation import gettext, ngettext

from talang.intake import abuse
from talang.intake.forms import RegistrationForm
from talang.intake.tests.test_forms import fill
from talang.lib.links import make_token
from talang.outreach.services import subscription_request

pytestmark = pytest.mark.django_db

LANGUAGES = ["sv", "en", "de", "nl"]


def translated(language: str, text: str) -> str:
    with translation.override(language):
        return gettext(text)


def staff_links(page: str) -> list[str]:
    return re.findall(r'href="(/accounts/[^"]*|/)"|action="(/language/)"', page)


# The accessibility statement -------------------------------------------------------------


@pytest.mark.parametrize("language", LANGUAGES)
def test_it_links_each_form_to_the_statement_in_its_language(personas, client, language):
    form = client.get(f"/forms/{language}/guidance/").content.decode()
    assert f'href="/accessibility/{language}/"' in form

    response = client.get(f"/accessibility/{language}/")
    assert response.status_code == 200
    page = response.content.decode()
    assert f'<html lang="{language}">' in page
    assert '<body class="public">' in page
    assert "Region Jämtland Härjedalen</span>" in page  # the public header, not "Talang"
    assert translated(language, "Accessibility statement") in page
    assert not staff_links(page)
    # The other languages of the statement, as on the forms.
    for other in LANGUAGES:
        if other != language:
            assert f'href="/accessibility/{other}/"' in page
    assert "axe" not in page and "Chromium" not in page


def test_it_refuses_a_statement_in_another_language(personas, client):
    response = client.get("/accessibility/fi/")
    assert response.status_code == 404
    assert '<body class="public">' in response.content.decode()


def test_it_names_the_javascript_the_forms_need_when_they_do(personas, client, settings):
    none = translated("en", "We know of no shortcomings today. If you find one, please tell us.")
    assert none in client.get("/accessibility/en/").content.decode()
    settings.TALANG_ALTCHA_MAX_NUMBER = 1000
    needs = (
        "The public forms check that they are sent by a person, and this check needs "
        "JavaScript: without it a form cannot be sent. If you cannot turn JavaScript on, "
        "contact us by e-mail or phone instead."
    )
    page = client.get("/accessibility/en/").content.decode()
    assert none not in page
    assert translated("en", needs)[:40] in page
    # The staff's statement (in Swedish) says the same.
    staff = client.get("/accessibility/").content.decode()
    assert translated("sv", needs)[:40] in staff


# The public 404 --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "accept", "language"),
    [
        ("/newsletter/confirm/forged:token/", "de-DE,de;q=0.9", "de"),
        ("/newsletter/preferences/forged:token/", "nl", "nl"),
        ("/newsletter/confirm/forged:token/", "fi", "sv"),
        ("/thanks/en/forged/", "de", "en"),
        ("/forms/nl/guidance/9999/", "de", "nl"),
        ("/forms/de/no-such-form/", "", "de"),
    ],
)
def test_a_bad_public_link_gets_the_public_404_in_its_language(
    personas, client, path, accept, language
):
    response = client.get(path, HTTP_ACCEPT_LANGUAGE=accept)
    assert response.status_code == 404
    page = response.content.decode()
    assert f'<html lang="{language}">' in page
    assert translated(language, "Page not found") in page
    assert '<body class="public">' in page
    assert not staff_links(page)
    assert f'href="/forms/{language}/guidance/"' in page
    assert f'href="/accessibility/{language}/"' in page


def test_the_staff_keep_their_404(personas, client):
    page = client.get("/staff/no-such-page/", HTTP_ACCEPT_LANGUAGE="de").content.decode()
    assert '<html lang="sv">' in page
    assert '<body class="public">' not in page


# The newsletter's confirmation -----------------------------------------------------------


def test_the_newsletter_confirmation_is_framed_by_the_region(personas, client):
    subscription = subscription_request(
        region=personas.region, email="jan@example.nl", language="nl", topics=[]
    )
    token = make_token("confirm", subscription.pk)
    page = client.get(f"/newsletter/confirm/{token}/").content.decode()
    assert '<html lang="nl">' in page
    assert re.search(r"<title>.* – Region Jämtland Härjedalen</title>", page)
    assert '<span class="brand">Region Jämtland Härjedalen</span>' in page
    assert "Region Jämtland Härjedalen · " in page


# The guidance form: the required fields, the error summary ----------------------------------


def test_it_says_which_fields_are_required_in_words(personas, client):
    page = client.get("/forms/en/guidance/").content.decode()
    required = translated("en", "required")
    for name in ("first_name", "consent_guidance"):
        assert re.search(
            rf'<label for="id_{name}">[^<]*<span class="required">\({required}\)', page
        )
    assert re.search(rf'<legend>[^<]*<span class="required">\({required}\)', page)
    assert not re.search(r'<label for="id_last_name">[^<]*<span class="required">', page)
    assert translated("en", "Fields marked “required” must be filled in.") in page
    hint = translated(
        "en", "Give an e-mail address or a phone number, or both: at least one is required."
    )
    assert page.index(hint) < page.index('id="id_email"')


def test_it_puts_each_checkbox_before_its_label(personas, client):
    page = client.get("/forms/de/guidance/").content.decode()
    for name in ("consent_guidance", "newsletter", "magazine"):
        assert re.search(
            rf'<div class="field--check"><input type="checkbox" name="{name}"[^>]*>'
            rf'<label for="id_{name}">',
            page,
        ), name


def test_it_groups_each_childs_fields(personas, client):
    page = client.get("/forms/de/guidance/").content.decode()
    with translation.override("de"):
        legend = gettext("Child %(number)s") % {"number": 1}
        year = gettext("Year of birth")
    assert re.search(
        rf'<fieldset class="child">\s*<legend>{legend}</legend>\s*<div class="child-row">'
        rf'\s*<div class="field">\s*<label for="id_child_1_birth_year">{year}</label>',
        page,
    )


def test_the_error_summary_follows_the_page_and_reads_well(personas, client):
    response = client.post(
        "/forms/de/guidance/",
        fill(
            first_name="",
            preferred_channel="",
            consent_guidance="",
            adults="50",
            child_1_birth_year="1800",
            child_6_birth_year="abc",
            help_wanted="x" * 5000,
        ),
    )
    assert response.status_code == 400
    page = response.content.decode()
    summary = page[
        page.index('id="error-summary"') : page.index("</div>", page.index("error-summary"))
    ]
    anchors = re.findall(r'<a href="#(id_\w+)">', summary)
    form = page[page.index('<form method="post"') :]
    assert anchors == sorted(anchors, key=lambda anchor: form.index(f'id="{anchor}"'))
    assert anchors[:3] == ["id_first_name", "id_preferred_channel_0", "id_consent_guidance"]
    assert anchors[-1] == "id_help_wanted"
    assert "?:" not in summary and ".:" not in summary

    with translation.override("de"):
        assert gettext("Please correct the following") in summary
        assert (
            gettext("Tick the box to accept the privacy notice and ask for relocation guidance.")
            in summary
        )
        assert gettext("Enter a number from 1 to %(number)s.") % {"number": 20} in summary
        bounds = re.search(r"(\d{4})\D+(\d{4})", summary[summary.index("id_child_1") :])
        low, high = bounds.groups()
        message = gettext("Enter a year between %(low)s and %(high)s.") % {
            "low": low,
            "high": high,
        }
        assert summary.count(message) == 2  # out of range, and not a number at all
        question = gettext("How would you like us to contact you?")
        assert f"{question} {gettext('Choose phone or e-mail.')}" in summary


def test_it_asks_a_too_quick_sender_to_send_again_not_to_correct(personas, client):
    response = client.post("/forms/en/guidance/", fill(started=abuse.started_token()))
    assert response.status_code == 400
    page = response.content.decode()
    assert translated("en", "Please send the form again") in page
    assert translated("en", "Please correct the following") not in page


def test_the_number_of_copies_says_its_range(personas, client):
    response = client.post("/forms/de/magazine/", {"copies": "50"})
    with translation.override("de"):
        expected = gettext("Enter a number from 1 to %(number)s.") % {"number": 20}
    assert expected in response.content.decode()


# The country lists -----------------------------------------------------------------------


def choices(region, language: str, field: str) -> list[str]:
    """The names a choice field of the registration form lists in ``language``."""
    with translation.override(language):
        form = RegistrationForm(region=region)
        return [str(label) for _code, label in form.fields[field].choices][1:]


@pytest.mark.parametrize(
    ("language", "before", "after"),
    [
        ("de", "Afghanistan", "Ägypten"),
        ("de", "Ägypten", "Ålandinseln"),
        ("de", "Dänemark", "Deutschland"),
        ("de", "Oman", "Österreich"),
        ("de", "Österreich", "Pakistan"),
        ("en", "Afghanistan", "Åland Islands"),
        ("en", "Åland Islands", "Albania"),
        ("nl", "Afghanistan", "Åland"),
        ("nl", "Åland", "Albanië"),
        ("sv", "Zimbabwe", "Åland"),
        ("sv", "Åland", "Österrike"),
    ],
)
def test_it_lists_countries_in_the_order_of_the_language(personas, language, before, after):
    names = choices(personas.region, language, "origin_country")
    assert names.index(before) + 1 == names.index(after)


def test_it_lists_the_counties_by_name(personas):
    names = choices(personas.region, "sv", "origin_county")
    assert names[:3] == ["Blekinge län", "Dalarnas län", "Gotlands län"]
    assert names[-2:] == ["Örebro län", "Östergötlands län"]
    assert len(names) == 21


# The thank-you page ----------------------------------------------------------------------


def thanks_after(client, language: str, **overrides) -> str:
    response = client.post(f"/forms/{language}/guidance/", fill(**overrides))
    assert response.status_code == 302, response.content.decode()[:2000]
    return client.get(response["Location"]).content.decode()


@time_machine.travel("2026-11-23 10:00:00+01:00", tick=False)
@pytest.mark.parametrize(
    ("language", "date"),
    [
        ("en", "30 November 2026"),
        ("de", "30. November 2026"),
        ("nl", "30 november 2026"),
        ("sv", "30 november 2026"),
    ],
)
def test_it_writes_the_date_as_the_language_does(personas, client, language, date):
    page = thanks_after(client, language)
    assert date in page
    assert "Nov." not in page


@time_machine.travel("2026-11-23 10:00:00+01:00", tick=False)
def test_it_names_the_region_apart_from_a_municipality(personas, client):
    with translation.override("de"):
        region = gettext(
            "A relocation guide from %(region)s will contact you by %(due)s at the latest, "
            "the way you asked."
        ) % {"region": "Region Jämtland Härjedalen", "due": "30. November 2026"}
        municipality = gettext(
            "A relocation guide from %(place)s will contact you by %(due)s at the latest, "
            "the way you asked."
        ) % {"place": "Östersund", "due": "30. November 2026"}
    assert region in thanks_after(client, "de", municipalities=[])
    assert municipality in thanks_after(client, "de", email="b@example.org")


def test_it_says_a_confirmation_was_sent_only_when_an_address_was_given(personas, client):
    sent = translated("en", "We have sent a confirmation to your e-mail address.")
    call = translated(
        "en", "You gave no e-mail address, so the guide will call you on the phone number you gave."
    )
    page = thanks_after(client, "en")
    assert sent in page and call not in page
    page = thanks_after(client, "en", email="", preferred_channel="phone", phone="070-765 43 21")
    assert call in page and sent not in page


def test_it_mentions_the_newsletter_and_magazine_when_they_were_asked_for(personas, client):
    newsletter = translated(
        "de",
        "You will also receive an e-mail about the newsletter: click the link in it to confirm "
        "your subscription.",
    )
    magazine = translated(
        "de", "The printed magazine will come by post. It usually arrives within two weeks."
    )
    page = thanks_after(client, "de")
    assert newsletter not in page and magazine not in page
    page = thanks_after(
        client,
        "de",
        email="c@example.org",
        newsletter="on",
        magazine="on",
        magazine_street="Storgatan 1",
        magazine_postal_code="831 30",
        magazine_city="Östersund",
        magazine_country="SE",
    )
    assert newsletter in page and magazine in page


# The privacy notices of the magazine and the newsletter ----------------------------------


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_magazine_and_newsletter_forms_say_how_data_is_handled(personas, client, language):
    magazine = client.get(f"/forms/{language}/magazine/").content.decode()
    with translation.override(language):
        assert gettext("How we handle your name and address") in magazine
        assert (
            gettext(
                "%(region)s is responsible for your name and postal address. We use them only "
                "to send you the magazine."
            )
            % {"region": "Region Jämtland Härjedalen"}
            in magazine
        )
        kept = ngettext(
            "We delete them at our yearly clean-up once the order is %(months)s month old. "
            "If you want them deleted sooner, contact us.",
            "We delete them at our yearly clean-up once the order is %(months)s months old. "
            "If you want them deleted sooner, contact us.",
            60,
        ) % {"months": 60}
        assert kept in magazine
    newsletter = client.get(f"/forms/{language}/newsletter/").content.decode()
    with translation.override(language):
        assert gettext("How we handle your e-mail address") in newsletter
        assert (
            gettext(
                "%(region)s is responsible for your e-mail address. We use it only to send you "
                "the newsletter, in the language and on the topics you choose."
            )
            % {"region": "Region Jämtland Härjedalen"}
            in newsletter
        )
