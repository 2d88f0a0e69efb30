"""A reader filters the positions by typing an organization's name, at 1280 and 360 px."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.axe import axe_violations

pytestmark = pytest.mark.browser

WIDTHS = [("desktop", 1280, 900), ("phone", 360, 800)]


def open_the_filters(page, width):
    """On a phone the filters wait behind a button (open once a filter is on)."""
    if width < 768:
        page.get_by_text("Filter and search positions", exact=True).click()


@pytest.mark.parametrize(("name", "width", "height"), WIDTHS)
def test_choosing_an_organization_by_typing_its_name(
    live_server, live_seed, page, screenshot, csp_violations, name, width, height
):
    page.set_viewport_size({"width": width, "height": height})
    page.goto(live_server.url + "/positions/")
    open_the_filters(page, width)
    box = page.get_by_label("Organization")
    expect(box).to_have_attribute("list", "organization-names")
    box.fill("meta")
    page.get_by_role("button", name="Apply").click()

    expect(page).to_have_url(re.compile(r"/positions/\?.*organization=meta(&|$)"))
    expect(page.get_by_label("Organization")).to_have_value("Meta")  # the name, not the slug
    listed = page.locator(".position-list > li")
    expect(listed.first).to_be_visible()
    for card in listed.all():
        expect(card.get_by_role("link", name="Meta", exact=True).first).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    assert axe_violations(page) == []
    assert csp_violations == []
    screenshot(f"filters-organization-{name}")


@pytest.mark.parametrize(("name", "width", "height"), WIDTHS)
def test_a_misspelt_name_offers_the_right_one(live_server, live_seed, page, screenshot, name, width, height):
    page.set_viewport_size({"width": width, "height": height})
    page.goto(live_server.url + "/positions/")
    open_the_filters(page, width)
    page.get_by_label("Person").fill("Yan Lecun")
    page.get_by_label("Person").press("Enter")

    message = page.get_by_role("status").filter(has_text="No person named “Yan Lecun”")
    expect(message).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    assert axe_violations(page) == []
    screenshot(f"filters-suggestion-{name}")
    message.get_by_role("link", name="Yann LeCun").click()
    expect(page).to_have_url(re.compile(r"person=yann-lecun"))
    expect(page.get_by_label("Person")).to_have_value("Yann LeCun")


def test_compare_by_names_without_javascript(live_server, live_seed, browser, screenshot):
    context = browser.new_context(java_script_enabled=False, viewport={"width": 360, "height": 800})
    page = context.new_page()
    page.goto(live_server.url + "/compare/")
    page.get_by_label("Left side").fill("lecun")
    page.get_by_label("Right side").fill("frontier model forum")
    page.get_by_role("button", name="Compare").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Yann LeCun")
    expect(page.get_by_label("Left side")).to_have_value("Yann LeCun")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    context.close()


def test_with_javascript_the_suggestions_follow_what_is_typed(live_server, live_seed, page, csp_violations):
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(live_server.url + "/positions/")
    options = page.locator("#person-names option")
    expect(options.first).to_be_attached()
    page.get_by_label("Person").press_sequentially("sutskevr", delay=30)  # a typo
    expect(page.locator("#person-names option").first).to_have_attribute("value", "Ilya Sutskever")
    assert csp_violations == []
