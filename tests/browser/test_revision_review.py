"""A publisher reviews a moderator's edit in the browser: the page fits 1280 px, passes axe, and publishes."""

import os
from unittest import mock

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command

from debates.admin import RevisionForm
from debates.models import Position
from debates.revisions import current_values, propose_revision
from tests.browser.axe import axe_violations
from tests.browser.test_admin_layout import DJANGO_WIDGETS, page_width

pytestmark = pytest.mark.browser
PASSWORD = "a-long-and-unguessable-password"
NEW_SUMMARY = "Favours open development of AI, reviewed before it is published."


@pytest.fixture
def publisher_page(live_server, live_seed, page):
    with mock.patch.dict(os.environ, {"MODERATOR_PASSWORD": PASSWORD}):
        call_command("createmoderator", "mona")
        call_command("createmoderator", "pat", "--publisher")
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(live_server.url + "/admin/")
    page.get_by_label("Username").fill("pat")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    return page


def test_a_publisher_reviews_and_publishes_an_edit(live_server, publisher_page, screenshot, csp_violations):
    page = publisher_page
    position = Position.objects.get(slug="dario-gil-non-proprietary-and-open")
    old_summary = position.summary
    values = {**current_values(position, RevisionForm), "summary": NEW_SUMMARY}
    form = RevisionForm(data=values, instance=position)
    assert form.is_valid(), form.errors
    revision = propose_revision(position, form, by=User.objects.get(username="mona"), reason="Reworded")

    page.goto(f"{live_server.url}/admin/debates/position/{position.pk}/change/")
    assert page.get_by_role("heading", name="An edit is waiting for a publisher").is_visible()
    page.get_by_role("link", name="Review the edit").click()
    screenshot("admin-revision-review")
    assert page_width(page) <= 1280, page_width(page)
    assert csp_violations == []
    assert axe_violations(page, exclude=DJANGO_WIDGETS) == []
    row = page.get_by_role("row", name="Summary")
    assert old_summary in row.inner_text() and NEW_SUMMARY in row.inner_text()

    page.get_by_role("button", name="Publish this edit").click()
    assert page.get_by_text("Published the edit: readers see it now.").is_visible()
    page.goto(live_server.url + position.get_absolute_url())
    assert page.get_by_text(NEW_SUMMARY).first.is_visible()
    revision.refresh_from_db()
    assert revision.status == "published"
    assert csp_violations == []
