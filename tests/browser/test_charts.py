"""The charts at 1280 and 360 px: visible, named for assistive technology, no sideways
overflow of the page, no axe-core violation, screenshots under var/screenshots/."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.axe import axe_violations

pytestmark = pytest.mark.browser

WIDTHS = {"desktop": 1280, "phone": 360}


def page_fits(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


@pytest.mark.parametrize("size", WIDTHS)
def test_topics_page_shows_a_bar_per_topic(live_server, live_seed, page, screenshot, csp_violations, size):
    page.set_viewport_size({"width": WIDTHS[size], "height": 900})
    page.goto(live_server.url + "/topics/")
    bar = page.get_by_role("img", name="Open source and open science, positions by stance", exact=False)
    expect(bar).to_be_visible()
    assert bar.bounding_box()["width"] > WIDTHS[size] / 2 - 40
    assert page.locator(".bar-chart").count() == 7
    page.get_by_text("The numbers").click()
    expect(page.get_by_role("table").get_by_role("rowheader", name="Biosecurity")).to_be_visible()
    assert page_fits(page)
    assert axe_violations(page) == []
    assert csp_violations == []
    screenshot(f"charts-topics-{size}")


@pytest.mark.parametrize("size", WIDTHS)
def test_home_shows_the_compact_bars(live_server, live_seed, page, screenshot, size):
    page.set_viewport_size({"width": WIDTHS[size], "height": 900})
    page.goto(live_server.url + "/")
    expect(page.get_by_role("img", name="Open model weights, positions by stance", exact=False)).to_be_visible()
    assert page_fits(page)
    assert axe_violations(page) == []
    page.locator(".stance-bars").screenshot(
        path=str(screenshot(f"charts-home-{size}").with_name(f"charts-home-bars-{size}.png"))
    )


@pytest.mark.parametrize("size", WIDTHS)
def test_matrix_groups_by_camp_and_says_it_scrolls(live_server, live_seed, page, screenshot, csp_violations, size):
    page.set_viewport_size({"width": WIDTHS[size], "height": 900})
    page.goto(live_server.url + "/matrix/?rows=organizations")
    expect(page.get_by_role("rowheader", name="Open camp (AI Alliance)")).to_be_visible()
    expect(page.get_by_role("rowheader", name="Independent voices (in neither coalition)")).to_be_visible()
    region = page.get_by_role("region", name="Stance matrix", exact=False)
    hint = page.get_by_text("Scroll for more topics →")
    if size == "phone":
        expect(hint).to_be_visible()
        assert region.evaluate("el => el.scrollWidth > el.clientWidth")  # it does scroll
        region.focus()
        page.keyboard.press("ArrowRight")  # a keyboard reader can scroll it too
        for _ in range(20):  # (the CSP forbids wait_for_function's eval)
            if region.evaluate("el => el.scrollLeft") > 0:
                break
            page.wait_for_timeout(100)
        assert region.evaluate("el => el.scrollLeft") > 0
    else:
        expect(hint).to_be_hidden()
    assert page_fits(page)
    assert axe_violations(page) == []
    assert csp_violations == []
    screenshot(f"charts-matrix-organizations-{size}")
    page.goto(live_server.url + "/matrix/")
    expect(page.get_by_role("rowheader", name="Closed camp (Frontier Model Forum)")).to_be_visible()
    assert page_fits(page)
    assert axe_violations(page) == []
    screenshot(f"charts-matrix-{size}")


@pytest.mark.parametrize("size", WIDTHS)
def test_coalition_page_draws_its_members_over_time(live_server, live_seed, page, screenshot, csp_violations, size):
    page.set_viewport_size({"width": WIDTHS[size], "height": 900})
    page.goto(live_server.url + "/coalitions/frontier-model-forum/")
    chart = page.get_by_role("img", name="Members of Frontier Model Forum over time")
    expect(chart).to_be_visible()
    described = re.compile(r"4 members at the founding.*May 2024: Amazon, Meta joined")
    expect(chart).to_have_accessible_description(described)
    expect(chart.get_by_text("Amazon and Meta joined, May 2024")).to_be_visible()
    page.get_by_text("The numbers").click()
    expect(page.get_by_role("rowheader", name="May 2024")).to_be_visible()
    assert page_fits(page)
    assert axe_violations(page) == []
    assert csp_violations == []
    chart.screenshot(path=str(screenshot(f"charts-coalition-{size}").with_name(f"charts-coalition-chart-{size}.png")))
