"""Searching from the header in a real browser, wide and narrow: the results say why they matched."""

import pytest
from playwright.sync_api import expect

from tests.browser.axe import axe_violations

pytestmark = pytest.mark.browser

WIDTHS = [(1280, 900), (360, 740)]


def overflow(page) -> int:
    """How many pixels the page is wider than the window (0: no horizontal scrolling)."""
    return page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")


@pytest.mark.parametrize(("width", "height"), WIDTHS)
def test_a_reader_searches_from_the_header_and_sees_why_each_result_matched(
    live_server, live_seed, page, screenshot, csp_violations, width, height
):
    page.set_viewport_size({"width": width, "height": height})
    page.goto(live_server.url + "/topics/")
    assert overflow(page) == 0
    screenshot(f"search-header-{width}")

    box = page.get_by_role("searchbox", name="Search the portal")
    box.click()
    box.fill("lobbying")
    box.press("Enter")
    expect(page.get_by_role("heading", level=1, name="Search")).to_be_visible()
    assert "/search/?q=lobbying" in page.url
    positions = page.get_by_role("region", name="Positions")
    expect(positions.get_by_text("Matched the topic “Regulation and lobbying”.").first).to_be_visible()
    expect(positions.locator("mark").first).to_be_visible()
    expect(page.get_by_text("Nothing found among organizations, people or policy items.")).to_be_visible()
    assert overflow(page) == 0
    screenshot(f"search-results-{width}")
    assert axe_violations(page) == []

    # A typo: the page offers the word the portal uses, one click away.
    box = page.get_by_role("searchbox", name="Search the portal")
    box.fill("lobyying")
    box.press("Enter")
    page.get_by_role("link", name="lobbying", exact=True).click()
    assert page.url.endswith("/search/?q=lobbying")
    expect(page.get_by_role("region", name="Positions")).to_be_visible()

    # A typo'd name: the person, and what they said.
    page.goto(live_server.url + "/search/?q=Yan+Lecun")
    expect(page.get_by_role("region", name="People").get_by_role("link", name="Yann LeCun")).to_be_visible()
    expect(page.get_by_text("Said by Yann LeCun, whose name matched.").first).to_be_visible()
    assert overflow(page) == 0
    screenshot(f"search-name-{width}")
    assert axe_violations(page) == []
    assert csp_violations == []


def test_the_header_box_is_reached_by_keyboard(live_server, live_seed, page):
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto(live_server.url + "/")
    box = page.get_by_role("searchbox", name="Search the portal")
    for _ in range(5):  # skip link, site name, then the box
        page.keyboard.press("Tab")
        if box.evaluate("el => el === document.activeElement"):
            break
    assert box.evaluate("el => el === document.activeElement")
    page.keyboard.type("meta")
    page.keyboard.press("Enter")
    expect(page.get_by_role("region", name="Organizations").get_by_role("link", name="Meta")).to_be_visible()
