import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_the_browser_is_debians_chromium(browser):
    # A Debian upgrade that Playwright cannot drive shows up here first.
    assert int(browser.version.split(".")[0]) >= 120


def test_home_shows_the_open_camp_left_of_the_closed_camp(live_server, live_seed, page, screenshot):
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(live_server.url + "/")
    open_camp = page.get_by_role("region", name="The open camp")
    closed_camp = page.get_by_role("region", name="The closed camp")
    expect(open_camp.get_by_role("link", name="AI Alliance", exact=True)).to_be_visible()
    expect(closed_camp.get_by_role("link", name="Frontier Model Forum")).to_be_visible()
    expect(closed_camp.get_by_role("link", name="Anthropic")).to_be_visible()
    left, right = open_camp.bounding_box(), closed_camp.bounding_box()
    assert left["x"] + left["width"] <= right["x"]
    assert abs(left["y"] - right["y"]) < 2
    assert screenshot("home-desktop").exists()


def test_home_stacks_the_camps_on_a_phone(live_server, live_seed, page, screenshot):
    page.set_viewport_size({"width": 360, "height": 800})
    page.goto(live_server.url + "/")
    top = page.get_by_role("region", name="The open camp").bounding_box()
    below = page.get_by_role("region", name="The closed camp").bounding_box()
    assert top["y"] + top["height"] <= below["y"]
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    screenshot("home-phone")
