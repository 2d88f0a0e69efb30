"""The comment flow shows its result where the reader is looking, at desktop and phone widths:
after Preview, after an error and after Post, the result is inside the viewport and focus is on
the comment form's region. Also axe-core on the pages issue 19 added (about, a feed's page, errors)."""

from urllib.parse import quote

import pytest
from playwright.sync_api import expect

from debates.models import Comment
from tests.browser.axe import axe_violations

pytestmark = pytest.mark.browser

PAGE = "/positions/camille-carlton-completely-irresponsible/"
WIDTHS = [1280, 360]


def in_viewport(page, selector: str) -> bool:
    """The element's top is on screen (what a reader sees first of it)."""
    return page.evaluate(
        "(s) => { const r = document.querySelector(s).getBoundingClientRect();"
        " return r.top >= 0 && r.top < window.innerHeight && r.height > 0; }",
        selector,
    )


def focused_id(page) -> str:
    return page.evaluate("() => document.activeElement && document.activeElement.id")


@pytest.mark.parametrize("width", WIDTHS)
def test_preview_error_and_confirmation_land_in_view(live_server, live_seed, page, screenshot, csp_violations, width):
    page.set_viewport_size({"width": width, "height": 800})
    page.goto(live_server.url + PAGE)

    # An error: nothing typed. The summary is on screen, focus on the region.
    page.get_by_role("button", name="Post comment").click()
    expect(page.locator(".error-summary")).to_be_visible()
    assert page.url.endswith("/comments/#comment-form")
    assert in_viewport(page, ".error-summary"), "the error summary is below the screen"
    assert focused_id(page) == "comment-form"
    assert "Give a name to show with your comment" in page.locator(".error-summary").inner_text()
    screenshot(f"comment-error-{width}")
    assert axe_violations(page) == []

    # The summary's links lead to the fields.
    page.locator(".error-summary").get_by_role("link", name="Your name").click()
    page.get_by_label("Your name").fill("Grace")
    page.get_by_role("textbox", name="Comment").fill("I **disagree**: open models help defenders.")
    page.get_by_label("I disagree").check()

    page.get_by_role("button", name="Preview").click()
    expect(page.locator(".preview")).to_be_visible()
    assert in_viewport(page, ".preview"), "the preview is below the screen"
    assert focused_id(page) == "comment-form"
    assert page.locator(".preview strong").inner_text() == "disagree"
    screenshot(f"comment-preview-{width}")
    assert axe_violations(page) == []

    page.get_by_role("button", name="Post comment").click()
    confirmation = page.locator(".comment-result")
    expect(confirmation).to_contain_text("held for moderation")
    expect(confirmation).to_contain_text("once a moderator approves it, usually within")
    assert page.url.endswith(PAGE + "#comment-form")
    assert in_viewport(page, ".comment-result"), "the confirmation is off screen"
    assert focused_id(page) == "comment-form"
    screenshot(f"comment-posted-{width}")
    assert axe_violations(page) == []

    # The same words again: told they were already received, and stored once.
    page.get_by_label("Your name").fill("Grace")
    page.get_by_role("textbox", name="Comment").fill("I **disagree**: open models help defenders.")
    page.get_by_role("button", name="Post comment").click()
    expect(page.locator(".comment-result")).to_contain_text("We had already received this comment")
    assert in_viewport(page, ".comment-result")
    assert Comment.objects.filter(author_name="Grace").count() == 1
    assert csp_violations == []


def test_without_javascript_the_browser_still_lands_on_the_result(live_server, live_seed, browser):
    context = browser.new_context(java_script_enabled=False, viewport={"width": 360, "height": 800})
    page = context.new_page()
    page.goto(live_server.url + PAGE)
    page.get_by_label("Your name").fill("Ada")
    page.get_by_role("textbox", name="Comment").fill("Agreed.")
    page.get_by_role("button", name="Preview").click()
    expect(page.locator(".preview")).to_be_visible()
    assert in_viewport(page, ".preview")
    page.get_by_role("button", name="Post comment").click()
    expect(page.locator(".comment-result")).to_be_visible()
    assert in_viewport(page, ".comment-result")
    context.close()


@pytest.mark.parametrize("width", WIDTHS)
def test_the_new_pages_pass_axe(live_server, live_seed, page, screenshot, csp_violations, width):
    page.set_viewport_size({"width": width, "height": 800})
    pages = {
        "about": "/about/",
        "feed-page": "/feeds/about/?url=" + quote("/positions/feed/?topic=open-weights"),
        "policy-feed-page": "/feeds/about/?url=" + quote("/policies/eu-ai-act/feed/"),
        "not-found": "/positions/no-such-position/",
        "bad-feed-filter": "/positions/feed/?topic=nope",
    }
    for name, path in pages.items():
        page.goto(live_server.url + path)
        if width < 768:  # the navigation waits behind the Menu button on a phone
            page.get_by_text("Menu", exact=True).click()
        expect(page.get_by_role("navigation", name="Main")).to_be_visible()
        assert page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth"), name
        screenshot(f"{name}-{width}")
        assert axe_violations(page) == [], name
    assert csp_violations == []


def test_a_follow_link_opens_the_feed_page_and_copies_the_address(live_server, live_seed, page, context):
    context.grant_permissions(["clipboard-read", "clipboard-write"])
    page.goto(live_server.url + "/policies/eu-ai-act/")
    page.get_by_role("link", name="Follow: EU AI Act, its status and milestones").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Follow: EU AI Act, status changes and milestones")
    box = page.get_by_label("Feed address")
    assert box.input_value() == live_server.url + "/policies/eu-ai-act/feed/"
    page.get_by_role("button", name="Copy the address").click()
    expect(page.get_by_role("button", name="Copied")).to_be_visible()
