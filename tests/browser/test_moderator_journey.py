import os
from unittest import mock

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from debates.models import Position

pytestmark = pytest.mark.browser
PASSWORD = "a-long-and-unguessable-password"


def autocomplete(page, field: str, text: str, choice: str):
    page.locator(f".field-{field} .select2-selection").click()
    page.locator(".select2-container--open .select2-search__field").fill(text)
    page.locator(".select2-results__option", has_text=choice).first.click()


def test_a_moderator_adds_corrects_and_restores_a_position(
    live_server, live_seed, page, screenshot, csp_violations, settings
):
    settings.PORTAL_REVIEW_BEFORE_PUBLISHING = False  # a small team: review is tested in debates/tests/test_review.py
    with mock.patch.dict(os.environ, {"MODERATOR_PASSWORD": PASSWORD}):
        call_command("createmoderator", "mona")
    page.set_viewport_size({"width": 1280, "height": 1000})
    page.goto(live_server.url + "/admin/")
    page.get_by_label("Username").fill("mona")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()

    page.goto(live_server.url + "/admin/debates/position/add/")
    autocomplete(page, "speaker", "LeCun", "Yann LeCun")
    autocomplete(page, "organization", "Meta", "Meta")
    page.get_by_label("Form").select_option("paraphrase")
    page.get_by_label("Summary").fill("Says open models make AI safer by letting many eyes inspect them.")
    page.get_by_label("Stance").select_option("open")
    autocomplete(page, "topics", "safety", "Safety and catastrophic risk")
    autocomplete(page, "sources", "Meta and IBM", "Meta and IBM Launch AI Alliance")
    screenshot("admin-add-position")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".messagelist")).to_contain_text("was added successfully")
    expect(page.locator(".messagelist")).not_to_contain_text("draft")

    position = Position.objects.get(summary__contains="many eyes")
    assert position.slug.startswith("says-open-models-make-ai-safer")  # prepopulated from the summary
    public_url = live_server.url + position.get_absolute_url()
    page.goto(public_url)
    expect(page.get_by_text("many eyes inspect them")).to_be_visible()

    page.goto(f"{live_server.url}/admin/debates/position/{position.pk}/change/")
    page.get_by_label("Summary").fill("A wrong correction.")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".errornote")).to_be_visible()  # a change needs its reason
    page.get_by_label("Reason for this change").fill("Tightened the summary")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")
    page.goto(public_url)
    expect(page.get_by_text("A wrong correction.")).to_be_visible()

    page.goto(f"{live_server.url}/admin/debates/position/{position.pk}/history/")
    expect(page.get_by_role("cell", name="mona").first).to_be_visible()
    expect(page.get_by_role("cell", name="Tightened the summary")).to_be_visible()
    screenshot("admin-history")
    earliest = position.history.filter(summary__contains="many eyes").order_by("-history_date").first()
    page.goto(f"{live_server.url}/admin/debates/position/{position.pk}/history/{earliest.history_id}/")
    expect(page.locator(".restore-summary")).to_contain_text("A wrong correction.")  # what the restore undoes
    page.get_by_label("Reason for this change").fill("The correction was wrong")
    page.get_by_role("button", name="Revert").click()
    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")

    page.goto(public_url)
    expect(page.get_by_text("many eyes inspect them")).to_be_visible()
    position.refresh_from_db()
    assert position.updated_by.username == "mona"
    assert csp_violations == []  # the admin works under the strict CSP
