"""The design a reader meets at 1280 and 360 px: the two camps in view, the independent voices
apart, the menu and the filters behind buttons on a phone, whole cards to click, a timeline
with one heading per date, and nothing a long word can push off the screen."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.axe import axe_violations

pytestmark = pytest.mark.browser

PHONE = {"width": 360, "height": 740}
DESKTOP = {"width": 1280, "height": 900}


def inside_first_screen(locator, viewport) -> bool:
    box = locator.bounding_box()
    return box is not None and box["y"] >= 0 and box["y"] + box["height"] <= viewport["height"]


def test_both_camps_are_in_a_phones_first_screen(live_server, live_seed, page, screenshot):
    page.set_viewport_size(PHONE)
    page.goto(live_server.url + "/")
    glance = page.get_by_role("navigation", name="The two camps at a glance")
    open_camp = glance.get_by_role("link", name=re.compile("Open camp AI Alliance"))
    closed_camp = glance.get_by_role("link", name=re.compile("Closed camp Frontier Model Forum"))
    assert inside_first_screen(open_camp, PHONE) and inside_first_screen(closed_camp, PHONE)
    # Side by side, not stacked.
    assert abs(open_camp.bounding_box()["y"] - closed_camp.bounding_box()["y"]) < 2
    screenshot("design-home-phone-first-screen")
    closed_camp.click()
    expect(page.get_by_role("heading", name="The closed camp")).to_be_in_viewport()
    assert axe_violations(page) == []


def test_independent_voices_have_a_band_of_their_own(live_server, live_seed, page):
    page.set_viewport_size(DESKTOP)
    page.goto(live_server.url + "/")
    band = page.get_by_role("region", name="Independent voices")
    expect(band.locator(".position-card")).to_have_count(4)
    lanes = page.locator(".lanes-2").bounding_box()
    assert band.bounding_box()["y"] >= lanes["y"] + lanes["height"]


def test_the_menu_is_one_button_on_a_phone_and_a_row_on_a_desktop(live_server, live_seed, page):
    page.set_viewport_size(PHONE)
    page.goto(live_server.url + "/")
    topics = page.get_by_role("navigation", name="Main").get_by_role("link", name="Topics")
    expect(topics).to_be_hidden()
    header = page.locator(".site-header").bounding_box()
    assert header["height"] < 110  # the name and the menu button, then the search box
    page.get_by_text("Menu", exact=True).click()
    expect(topics).to_be_visible()
    topics.click()
    expect(page.get_by_role("heading", level=1, name="Topics")).to_be_visible()

    page.set_viewport_size(DESKTOP)
    page.goto(live_server.url + "/")
    expect(page.get_by_text("Menu", exact=True)).to_be_hidden()
    expect(page.get_by_role("navigation", name="Main").get_by_role("link", name="Topics")).to_be_visible()


def test_the_filters_wait_behind_a_button_on_a_phone(live_server, live_seed, page, screenshot):
    page.set_viewport_size(PHONE)
    page.goto(live_server.url + "/positions/")
    stance = page.get_by_label("Stance")
    expect(stance).to_be_hidden()
    assert inside_first_screen(page.locator(".position-card").first.locator(".position-meta"), PHONE)
    page.get_by_text("Filter and search positions", exact=True).click()
    stance.select_option("closed")
    page.get_by_role("button", name="Apply").click()
    assert "stance=closed" in page.url
    # A list with a filter on shows its form open, saying so.
    expect(page.get_by_label("Stance")).to_be_visible()
    expect(page.get_by_text("Filter and search positions (filtered)")).to_be_visible()
    screenshot("design-positions-phone-filtered")

    page.set_viewport_size(DESKTOP)
    page.goto(live_server.url + "/positions/")
    expect(page.get_by_label("Stance")).to_be_visible()


def test_a_whole_card_opens_its_position(live_server, live_seed, page):
    page.set_viewport_size(DESKTOP)
    page.goto(live_server.url + "/topics/open-weights/")
    card = page.locator(".position-card", has_text="completely irresponsible")
    card.scroll_into_view_if_needed()
    box = card.locator(".summary").bounding_box()  # not a link itself: the card is
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    expect(page).to_have_url(re.compile("/positions/camille-carlton-completely-irresponsible/$"))
    # The links inside a card stay links of their own.
    page.go_back()
    card = page.locator(".position-card", has_text="completely irresponsible")
    card.get_by_role("link", name="Camille Carlton", exact=True).click()
    expect(page.get_by_role("heading", level=1, name="Camille Carlton")).to_be_visible()


def test_the_timeline_has_one_heading_per_date_and_the_camps_in_lanes(live_server, live_seed, page, screenshot):
    page.set_viewport_size(DESKTOP)
    page.goto(live_server.url + "/timeline/")
    dates = page.locator("h2.timeline-date").all_inner_texts()
    assert len(dates) > 5 and len(dates) == len(set(dates))
    # The open camp's lane on the left, the closed camp's on the right, the others between.
    left = page.locator(".day-open").first.bounding_box()
    middle = page.locator(".day-between").first.bounding_box()
    right = page.locator(".day-closed").first.bounding_box()
    assert left["x"] + left["width"] <= middle["x"] < middle["x"] + middle["width"] <= right["x"]
    screenshot("design-timeline-desktop")
    assert axe_violations(page) == []

    page.set_viewport_size(PHONE)
    page.goto(live_server.url + "/timeline/")
    expect(page.locator(".day-open .lane-tag").first).to_have_text("Open camp")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_long_names_and_words_wrap_on_every_page_that_shows_them(live_server, live_seed, page):
    from debates.tests.factories import make_position
    from members.tests.factories import make_organization, make_person

    name = "Professor " + "Bartholomew-Maximilian " * 6 + "von Longname"  # about 160 characters
    word = "a" * 300
    person = make_person(name=name[:160], slug="long-name")
    organization = make_organization(name="Organization " + word[:150], slug="long-organization")
    position = make_position(
        speaker=person, organization=organization, summary=f"Says {word} is the word.", slug="long-word"
    )
    for viewport in (PHONE, DESKTOP):
        page.set_viewport_size(viewport)
        for path in (
            "/",
            "/positions/",
            position.get_absolute_url(),
            person.get_absolute_url(),
            organization.get_absolute_url(),
            "/timeline/?camp=open",
            "/search/?q=long",
        ):
            page.goto(live_server.url + path)
            width = page.evaluate("document.documentElement.scrollWidth")
            assert width <= viewport["width"], (path, viewport, width)


@pytest.mark.parametrize(
    "path", ["/", "/topics/open-weights/", "/positions/", "/compare/?a=ai-alliance&b=frontier-model-forum"]
)
def test_phone_pages_stay_accessible(live_server, live_seed, page, path):
    page.set_viewport_size(PHONE)
    page.goto(live_server.url + path)
    assert axe_violations(page) == []
