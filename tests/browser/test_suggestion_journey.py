"""A reader suggests a position and reports an error in a real browser; axe-core on each form."""

import pytest
from playwright.sync_api import expect

from participation.models import Suggestion
from tests.browser.axe import axe_violations

pytestmark = pytest.mark.browser

POSITION = "/positions/camille-carlton-completely-irresponsible/"


def test_a_suggestion_from_the_positions_list_lands_in_the_queue(live_server, live_seed, page, csp_violations):
    page.goto(live_server.url + "/positions/")
    page.get_by_role("link", name="Suggest a position").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Suggest a position")
    assert axe_violations(page) == []
    page.get_by_label("Who said it").fill("Clément Delangue")
    page.get_by_label("For whom (optional)").fill("Hugging Face")
    page.get_by_label("Direct quote").check()
    page.get_by_label("What was said").fill("Open source is the way to make AI safe.")
    page.get_by_label("Open model weights").check()
    page.get_by_label("Source URL").fill("javascript:alert(1)")
    page.get_by_role("button", name="Send the suggestion").click()
    expect(page.get_by_role("alert")).to_contain_text("Enter a valid URL")
    assert axe_violations(page) == []  # the form with its errors
    page.get_by_label("Source URL").fill("https://example.org/delangue-interview")
    page.get_by_role("button", name="Send the suggestion").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Thank you")
    assert axe_violations(page) == []
    suggestion = Suggestion.objects.get()
    assert (suggestion.speaker_name, suggestion.source_url) == (
        "Clément Delangue",
        "https://example.org/delangue-interview",
    )
    assert [t.slug for t in suggestion.topics.all()] == ["open-weights"]
    assert csp_violations == []


def test_an_error_reported_from_a_position_page(live_server, live_seed, page, csp_violations):
    page.goto(live_server.url + POSITION)
    page.get_by_role("link", name="Report an error").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Report an error")
    assert axe_violations(page) == []
    page.get_by_label("What is wrong").fill("The quote is from **2023**, not 2024.")
    page.get_by_label("Your evidence").fill("The [recording](https://example.org/rec) is dated.")
    page.get_by_role("button", name="Send the report").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Thank you")
    correction = Suggestion.objects.get()
    assert correction.position.slug == POSITION.split("/")[2]
    assert "<strong>2023</strong>" in correction.problem_html
    assert 'rel="nofollow ugc noopener"' in correction.evidence_html
    assert csp_violations == []
