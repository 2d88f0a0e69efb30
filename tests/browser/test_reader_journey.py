"""A reader's journey through the portal in a real browser, with axe-core on every page type."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.axe import axe_violations

pytestmark = pytest.mark.browser

PAGE_TYPES = [
    ("home", "/"),
    ("coalitions", "/coalitions/"),
    ("coalition", "/coalitions/ai-alliance/"),
    ("organizations", "/organizations/?kind=company"),
    ("organization", "/organizations/ibm/"),
    ("people", "/people/"),
    ("person", "/people/yann-lecun/"),
    ("positions", "/positions/?q=open+source&stance=open"),
    ("position", "/positions/camille-carlton-completely-irresponsible/"),
    ("topics", "/topics/"),
    ("topic", "/topics/open-weights/"),
    ("policies", "/policies/"),
    ("policy", "/policies/us-executive-order-on-ai/"),
    ("compare", "/compare/?a=ibm&b=openai"),
    ("matrix", "/matrix/"),
    ("timeline", "/timeline/"),
    ("search", "/search/?q=meta"),
    ("data", "/data/"),
    ("api-docs", "/api/"),
    ("not-found", "/people/nobody/"),
    ("filter-message", "/positions/?topic=nope"),
]


@pytest.mark.parametrize(("name", "path"), PAGE_TYPES)
def test_page_type_is_accessible_and_keeps_to_the_csp(
    live_server, live_seed, page, screenshot, csp_violations, name, path
):
    page.goto(live_server.url + path)
    assert page.get_by_role("heading", level=1).count() == 1
    screenshot(f"page-{name}")
    assert axe_violations(page) == []
    assert csp_violations == []


def test_a_reader_finds_who_said_what_about_open_weights(live_server, live_seed, page, screenshot, csp_violations):
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(live_server.url + "/")
    page.get_by_role("link", name="Open model weights").click()
    expect(page.get_by_role("heading", level=1, name="Open model weights")).to_be_visible()
    # The Center for Humane Technology is in neither coalition: an independent voice, with a closed stance.
    independent = page.get_by_role("region", name=re.compile("^Independent voices"))
    expect(independent.get_by_text("completely irresponsible").first).to_be_visible()
    screenshot("journey-topic")

    independent.get_by_role("link", name="Read the position of Camille Carlton").click()
    expect(page.get_by_text("A direct quote")).to_be_visible()
    other_side = page.get_by_role("region", name="The other side")
    expect(other_side.get_by_text("Clément Delangue").first).to_be_visible()  # the newest open one on safety

    page.get_by_role("link", name="Compare").first.click()
    page.get_by_label("Left side").fill("IBM")  # typed by name; the suggestions offer it too
    page.get_by_label("Right side").fill("openai")  # or by the short name in its address
    page.get_by_role("button", name="Compare").click()
    expect(page.get_by_role("heading", level=1, name="IBM and OpenAI")).to_be_visible()
    expect(page.get_by_text("No public position found").first).to_be_visible()
    screenshot("journey-compare")

    page.get_by_role("link", name="Matrix").click()
    page.get_by_role("link", name=re.compile("of Frontier Model Forum on Biosecurity$")).click()
    expect(page.get_by_text("biological laboratory")).to_be_visible()

    page.get_by_role("link", name="Positions", exact=True).click()
    page.get_by_role("textbox", name="Search").fill('"open-source" -lecun')
    page.get_by_label("Stance").select_option("closed")
    page.get_by_role("button", name="Apply").click()
    assert "stance=closed" in page.url
    expect(page.locator("mark").first).to_be_visible()
    results = page.locator("ol.position-list")
    expect(results.get_by_text("Harris").first).to_be_visible()
    assert results.get_by_text("Yann LeCun").count() == 0
    screenshot("journey-search")
    assert csp_violations == []


def test_keyboard_users_see_where_focus_is(live_server, live_seed, page):
    page.goto(live_server.url + "/")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to content")
    assert skip.evaluate("el => el === document.activeElement")
    expect(skip).to_be_visible()
    page.keyboard.press("Tab")
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline == "solid"


@pytest.mark.parametrize(("name", "path"), PAGE_TYPES)
def test_page_type_fits_a_360_pixel_phone(live_server, live_seed, page, name, path):
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto(live_server.url + path)
    # Wide tables scroll inside their own box; the page itself never scrolls sideways.
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
