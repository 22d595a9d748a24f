"""The page for web editors: every form's address in each language, and how to fill in the
snippet."""

import pytest
from django.utils import translation

pytestmark = pytest.mark.django_db


def test_it_gives_every_form_in_every_language_and_explains_the_snippet(personas, client_for):
    page = client_for(personas.dan).get("/staff/forms/").content.decode()
    for language in ("sv", "en", "de", "nl"):
        for kind in ("magazine", "newsletter"):
            assert f'href="/forms/{language}/{kind}/"' in page
        assert f'href="/forms/{language}/guidance/2380/"' in page
    with translation.override("sv"):
        help_text = translation.gettext(
            "Replace WEBSITE with the name of the site the form is placed on, for example "
            "ostersund.se: the reports then tell which site brought whom. Change sv in the "
            "address to en, de or nl for the form in another language."
        )
    assert help_text[:30] in page
    assert 'aria-describedby="snippet-help-2380"' in page
