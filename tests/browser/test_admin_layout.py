"""The admin fits a 1280 px screen: no page wider than the window, text columns wide enough to read."""

import os
from unittest import mock

import pytest
from django.core.management import call_command

from debates.models import PolicyItem
from members.models import Person
from tests.browser.axe import axe_violations

pytestmark = pytest.mark.browser
PASSWORD = "a-long-and-unguessable-password"


@pytest.fixture
def logged_in(live_server, live_seed, page):
    with mock.patch.dict(os.environ, {"MODERATOR_PASSWORD": PASSWORD}):
        call_command("createmoderator", "mona")
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(live_server.url + "/admin/")
    page.get_by_label("Username").fill("mona")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    return page


# Django's own tabular inlines (unlabelled cells, an empty header) and select2's multiple
# select (a <ul> of spans) fail axe in Django 5.2 itself; the rest of each page is checked.
DJANGO_WIDGETS = (".inline-group .tabular", ".select2-container")


def page_width(page) -> int:
    return page.evaluate("document.documentElement.scrollWidth")


def test_admin_pages_fit_1280_px(live_server, logged_in, screenshot, csp_violations):
    page = logged_in
    person = Person.objects.filter(affiliations__isnull=False).first()
    act = PolicyItem.objects.get(slug="eu-ai-act")
    for name, path in [
        ("admin-positions", "/admin/debates/position/"),
        ("admin-policies", "/admin/debates/policyitem/"),
        ("admin-comments", "/admin/debates/comment/?status=all"),
        ("admin-person", f"/admin/members/person/{person.pk}/change/"),
        ("admin-policy", f"/admin/debates/policyitem/{act.pk}/change/"),
        ("admin-home", "/admin/"),
    ]:
        page.goto(live_server.url + path)
        screenshot(name)
        assert page_width(page) <= 1280, (path, page_width(page))
        assert csp_violations == [], path  # the page itself, before axe (whose probes set styles)
        assert axe_violations(page, exclude=DJANGO_WIDGETS) == [], path
        csp_violations.clear()
    page.goto(live_server.url + "/admin/debates/position/")
    summary = page.locator("#result_list td.field-__str__, #result_list th.field-__str__").first
    assert summary.bounding_box()["width"] >= 180  # the position's words, not a 70 px sliver
    link = page.locator("#result_list td.field-public_link").first
    box = link.bounding_box()
    assert box["x"] + box["width"] <= 1280  # the last column is on the screen
    page.goto(f"{live_server.url}/admin/debates/policyitem/{act.pk}/change/")
    title = page.locator("#id_title")
    assert title.bounding_box()["width"] >= 400  # a full formal title fits
    # The History page and a restore page, as changed here.
    version = act.history.order_by("history_date", "history_id").first()
    for path in (
        f"/admin/debates/policyitem/{act.pk}/history/",
        f"/admin/debates/policyitem/{act.pk}/history/{version.history_id}/",
    ):
        page.goto(live_server.url + path)
        assert page_width(page) <= 1280, (path, page_width(page))
        assert csp_violations == [], path  # the page itself, before axe (whose probes set styles)
        assert axe_violations(page, exclude=DJANGO_WIDGETS) == [], path
        csp_violations.clear()
    screenshot("admin-restore")
    assert csp_violations == []
