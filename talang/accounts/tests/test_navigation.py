"""The main menu: one plain row for a role with few pages, labelled groups for the coordinator,
and the account's own pages beside "Sign out" for every role."""

import re
from itertools import groupby

import pytest
from django.urls import resolve, reverse

from talang.accounts.context_processors import (
    ACCOUNT,
    ADMINISTRATION,
    COMMUNICATION,
    GROUPS,
    GUIDANCE,
    NAVIGATION,
    RESULTS,
)

pytestmark = pytest.mark.django_db


def urls(*names: str) -> list[str]:
    return [reverse(name) for name in names]


def menu(client, path: str = "/") -> list[tuple[str | None, list[str]]]:
    """The main menu on ``path`` as (group, urls of its links)."""
    response = client.get(path)
    assert response.status_code == 200
    return [
        (section.group, [link.url for link in section.links])
        for section in response.context["talang_nav"]
    ]


def in_english(client):
    client.cookies["talang_language"] = "en"
    return client


def test_it_lists_a_page_only_for_roles_its_view_admits():
    for name, _label, _group, roles in NAVIGATION:
        assert roles <= resolve(reverse(name)).func.talang_roles, name


def test_it_keeps_each_groups_pages_together():
    runs = [group for group, _entries in groupby(group for _n, _l, group, _r in NAVIGATION)]
    assert len(runs) == len(set(runs))
    assert set(runs) - {None, ACCOUNT} == set(GROUPS)


@pytest.mark.parametrize(
    ("persona", "names"),
    [
        ("anna", ["home", "queue", "inbox", "move-review"]),
        ("bengt", ["home", "queue", "inbox", "move-review"]),
        ("dan", ["home", "event-attendance", "magazine-orders", "intake-embed"]),
        ("eva", ["home", "statistics", "reports"]),
        ("filip", ["home", "employer-found-staff", "event-attendance"]),
    ],
)
def test_it_shows_a_role_with_few_pages_one_plain_row(persona, names, personas, client_for):
    client = client_for(getattr(personas, persona))
    assert menu(client) == [(None, urls(*names))]
    html = client.get("/").content.decode()
    assert "<details" not in html


def test_it_groups_the_coordinators_pages(personas, client_for):
    assert menu(client_for(personas.cecilia)) == [
        (None, urls("home")),
        (GUIDANCE, urls("queue", "inbox", "move-review", "compliance")),
        (
            RESULTS,
            urls(
                "statistics",
                "goals",
                "reports",
                "budget",
                "employer-found-staff",
                "event-attendance",
            ),
        ),
        (COMMUNICATION, urls("magazine-orders")),
        (
            ADMINISTRATION,
            urls(
                "users",
                "intake-embed",
                "intake-submissions",
                "email-templates",
                "retention",
                "records-of-processing",
            ),
        ),
    ]


def test_it_shows_the_groups_as_disclosures_and_marks_the_current_one(personas, client_for):
    html = in_english(client_for(personas.cecilia)).get(reverse("retention")).content.decode()
    summaries = re.findall(r'<details class="([^"]*)" name="site-nav">\s*<summary>([^<]*)<', html)
    assert summaries == [
        ("site-nav__menu", "Guidance"),
        ("site-nav__menu", "Results"),
        ("site-nav__menu", "Communication"),
        ("site-nav__menu site-nav__menu--current", "Administration"),
    ]
    assert '<a href="/staff/retention/" aria-current="page">Retention</a>' in html

    html = in_english(client_for(personas.cecilia)).get("/").content.decode()
    assert "site-nav__menu--current" not in html
    assert '<a href="/" aria-current="page">Start</a>' in html


@pytest.mark.parametrize("persona", ["anna", "cecilia", "dan", "eva", "filip"])
def test_it_puts_api_tokens_and_security_beside_sign_out(persona, personas, client_for):
    client = in_english(client_for(getattr(personas, persona)))
    response = client.get("/")
    assert [link.url for link in response.context["talang_account_nav"]] == urls(
        "tokens", "security"
    )
    html = response.content.decode()
    main_menu = re.search(r'<nav class="site-nav".*?</nav>', html, re.S).group()
    tools = re.search(r'<div class="site-header__tools">.*?</header>', html, re.S).group()
    for url in urls("tokens", "security"):
        assert url not in main_menu
        assert f'href="{url}"' in tools
    assert '<nav class="account-nav" aria-label="Account">' in tools
    assert "Sign out" in tools

    for url in urls("tokens", "security"):
        page = client.get(url)
        assert page.status_code == 200
        assert f'<a href="{url}" aria-current="page">' in page.content.decode()


def test_it_shows_no_menu_before_the_second_factor(personas, client):
    client.force_login(personas.cecilia, backend="django.contrib.auth.backends.ModelBackend")
    response = client.get(reverse("login"))
    assert response.context["talang_nav"] == []
    assert response.context["talang_account_nav"] == []
    assert "account-nav" not in response.content.decode()
