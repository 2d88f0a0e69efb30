"""A moderator proposes an edit of a policy item in the browser; a publisher reviews and publishes it.

The review page fits 1280 px, passes axe and sends no CSP violation; readers see the change only
once it is published."""

import os
from unittest import mock

import pytest
from django.core.management import call_command

from debates.models import PolicyItem
from proposals.models import ChangeProposal
from tests.browser.axe import axe_violations
from tests.browser.test_admin_layout import DJANGO_WIDGETS, page_width

pytestmark = pytest.mark.browser
PASSWORD = "a-long-and-unguessable-password"
NEW_SUMMARY = "The European Union's regulation of AI, adopted in 2024 and applied in stages."
NEW_MILESTONE = "Delegated act on open-source exemptions published"


def log_in(page, base_url, username):
    page.context.clear_cookies()
    page.goto(base_url + "/admin/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()


@pytest.fixture
def accounts(live_seed):
    with mock.patch.dict(os.environ, {"MODERATOR_PASSWORD": PASSWORD}):
        call_command("createmoderator", "mona")
        call_command("createmoderator", "pat", "--publisher")


def test_a_moderator_proposes_a_policy_edit_and_a_publisher_publishes_it(
    live_server, accounts, page, screenshot, csp_violations
):
    page.set_viewport_size({"width": 1280, "height": 900})
    act = PolicyItem.objects.get(slug="eu-ai-act")
    rows = act.milestones.count()

    # The moderator edits the summary and adds a milestone, as anyone edits in the admin.
    log_in(page, live_server.url, "mona")
    page.goto(f"{live_server.url}/admin/debates/policyitem/{act.pk}/change/")
    page.get_by_label("Summary").fill(NEW_SUMMARY)
    page.get_by_text("Add another Policy milestone").click()  # Django's inlines.js adds the row
    page.locator(f"#id_milestones-{rows}-on").fill("2026-03-01")
    page.locator(f"#id_milestones-{rows}-title").fill(NEW_MILESTONE)
    page.get_by_label("Reason for this change").fill("Delegated act published")
    page.get_by_role("button", name="Save", exact=True).click()
    assert page.get_by_text("Your change waits for a publisher").is_visible()
    assert NEW_MILESTONE not in page.context.request.get(live_server.url + "/policies/eu-ai-act/").text()

    # The publisher opens it from the policy's change page, reads the diff and publishes.
    log_in(page, live_server.url, "pat")
    page.goto(f"{live_server.url}/admin/debates/policyitem/{act.pk}/change/")
    assert page.get_by_role("heading", name="A change is waiting for a publisher").is_visible()
    page.get_by_role("link", name="Review the change").click()
    screenshot("admin-change-review")
    assert page_width(page) <= 1280, page_width(page)
    assert csp_violations == []
    assert axe_violations(page, exclude=DJANGO_WIDGETS) == []
    summary = page.get_by_role("row", name="Summary")
    assert act.summary in summary.inner_text() and NEW_SUMMARY in summary.inner_text()
    assert page.get_by_text(f"EU AI Act: {NEW_MILESTONE} (added)").is_visible()

    page.get_by_role("button", name="Publish this change").click()
    assert page.get_by_text("Published the change: readers see it now.").is_visible()
    page.goto(live_server.url + "/policies/eu-ai-act/")
    assert page.get_by_text(NEW_MILESTONE).first.is_visible()
    assert page.get_by_text(NEW_SUMMARY).first.is_visible()
    assert ChangeProposal.objects.get().status == "published"
    assert csp_violations == []
