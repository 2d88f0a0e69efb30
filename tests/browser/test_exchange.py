"""An exchange of answers on a position page, and its marks in a list: accessible, within the CSP."""

import datetime

import pytest
from playwright.sync_api import expect

from debates.tests.factories import make_position
from tests.browser.axe import axe_violations

pytestmark = pytest.mark.browser


def test_the_exchange_reads_in_order_and_is_accessible(live_server, live_seed, page, screenshot, csp_violations):
    said = make_position(summary="Open weights are reckless.", said_on=datetime.date(2024, 1, 10), stance="closed")
    answer = make_position(
        summary="Our right of reply: they are not.",
        said_on=datetime.date(2024, 2, 1),
        in_reply_to=said,
        reply_kind="right_of_reply",
    )
    page.goto(live_server.url + "/positions/?said_after=2024-01-01&said_before=2024-02-28")
    page.get_by_role("link", name="Answered").first.click()
    expect(page.get_by_role("heading", name="The exchange")).to_be_visible()
    items = page.locator(".exchange > li")
    expect(items).to_have_count(2)
    expect(items.nth(0)).to_contain_text(said.summary)
    expect(items.nth(1)).to_contain_text(answer.summary)
    expect(items.nth(1)).to_contain_text("Right of reply")
    assert axe_violations(page) == []
    screenshot("position-exchange")
    assert csp_violations == []
