"""The coordinator's grouped main menu in a real Chromium: by keyboard alone, without
JavaScript, and on narrow and wide screens, with axe on the pages and on the open menus."""

import pytest
from playwright.sync_api import Page, expect

from talang.browsing import (
    check_page,
    check_page_without_javascript,
    main_menu,
    path_is,
    sign_in,
    signed_in_without_javascript,
    sv,
)

pytestmark = pytest.mark.browser

GROUPS = ("Guidance", "Results", "Administration")


def tab_to(page: Page, text: str, limit: int = 20) -> str:
    """Press Tab until the element whose text is ``text`` has the focus; its tag name."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        tag, focused = page.evaluate(
            "[document.activeElement.tagName, document.activeElement.textContent.trim()]"
        )
        if focused == text:
            return tag
    raise AssertionError(f"Tab never reached {text!r}")


def test_a_coordinator_reaches_a_page_through_a_group_with_the_keyboard(page, personas):
    sign_in(page, personas.cecilia)
    nav = main_menu(page)
    open_groups = nav.locator("details[open] > summary")

    # Enter opens a group; its links follow in the tab order; leaving the group closes it.
    assert tab_to(page, sv("Guidance")) == "SUMMARY"
    expect(open_groups).to_have_count(0)
    page.keyboard.press("Enter")
    expect(open_groups).to_have_text(sv("Guidance"))
    page.keyboard.press("Tab")
    expect(nav.get_by_role("link", name=sv("Queue"), exact=True)).to_be_focused()
    assert tab_to(page, sv("Compliance")) == "A"
    page.keyboard.press("Tab")
    expect(nav.locator("summary", has_text=sv("Results"))).to_be_focused()
    expect(open_groups).to_have_count(0)

    # Space opens one too, and Escape closes it with the focus back on its name.
    page.keyboard.press("Space")
    expect(open_groups).to_have_text(sv("Results"))
    page.keyboard.press("Tab")
    page.keyboard.press("Escape")
    expect(open_groups).to_have_count(0)
    expect(nav.locator("summary", has_text=sv("Results"))).to_be_focused()

    # Through the administration group to the retention page.
    assert tab_to(page, sv("Administration")) == "SUMMARY"
    page.keyboard.press("Enter")
    expect(nav.get_by_role("link", name=sv("Retention"), exact=True)).to_be_visible()
    check_page(page)  # the open menu too
    assert tab_to(page, sv("Retention")) == "A"
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page).to_have_url(path_is("/staff/retention/"))
    expect(nav.locator("a[aria-current=page]")).to_have_text(sv("Retention"))
    expect(nav.locator(".site-nav__menu--current > summary")).to_have_text(sv("Administration"))
    check_page(page)


def test_the_groups_work_without_javascript(new_page, personas, live_server):
    page = signed_in_without_javascript(new_page, live_server, personas.cecilia)
    page.goto("/")
    nav = main_menu(page)
    open_groups = nav.locator("details[open] > summary")

    tab_to(page, sv("Guidance"))
    page.keyboard.press("Enter")
    expect(open_groups).to_have_text(sv("Guidance"))
    # Opening another group closes the first: the browser does it, by the groups' shared name.
    tab_to(page, sv("Results"))
    page.keyboard.press("Enter")
    expect(open_groups).to_have_text(sv("Results"))
    tab_to(page, sv("Reports"))
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page).to_have_url(path_is("/staff/reports/"))
    expect(nav.locator(".site-nav__menu--current > summary")).to_have_text(sv("Results"))
    check_page_without_javascript(page, new_page)


@pytest.mark.parametrize(
    "viewport",
    [{"width": 375, "height": 740}, {"width": 640, "height": 400}],
    ids=["phone", "200 % zoom"],
)
def test_on_a_narrow_screen_an_open_group_pushes_the_page_down(new_page, personas, viewport):
    page = new_page(viewport=viewport, device_scale_factor=2)
    sign_in(page, personas.cecilia)
    for group in GROUPS:
        nav = main_menu(page, sv(group))
        panel = nav.locator("details[open] > ul")
        for link in panel.get_by_role("link").all():
            expect(link).to_be_visible()
        panel_box = panel.bounding_box()
        assert panel_box["y"] + panel_box["height"] <= page.locator("main").bounding_box()["y"]
        widths = page.evaluate("[window.innerWidth, document.documentElement.scrollWidth]")
        assert widths == [viewport["width"]] * 2, f"{group} is wider than the screen: {widths}"
    check_page(page)


def test_on_a_wide_screen_a_group_drops_down_and_a_click_elsewhere_closes_it(new_page, personas):
    page = new_page(viewport={"width": 1280, "height": 800})
    sign_in(page, personas.cecilia)
    main = page.locator("main")
    main_top = main.bounding_box()["y"]
    for group in GROUPS:
        nav = main_menu(page, sv(group))
        for link in nav.locator("details[open] > ul").get_by_role("link").all():
            expect(link).to_be_in_viewport()
        assert main.bounding_box()["y"] == main_top  # the page does not jump
        widths = page.evaluate("[window.innerWidth, document.documentElement.scrollWidth]")
        assert widths == [1280, 1280], f"{group} is wider than the screen: {widths}"
    check_page(page)
    page.get_by_role("contentinfo").click(position={"x": 5, "y": 5})
    expect(main_menu(page).locator("details[open]")).to_have_count(0)
