"""An alert from a topic's page to the reader's inbox and out again, in a real browser,
against the loopback SMTP server; axe-core on every page of it."""

import urllib.request

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from debates.models import Topic
from debates.tests.factories import make_position
from participation.models import Subscriber
from participation.tests.helpers import link_in, text_of
from tests.browser.axe import axe_violations

pytestmark = pytest.mark.browser

ADDRESS = "grace@example.org"


def send_alerts() -> str:
    import io

    out = io.StringIO()
    call_command("send_alerts", stdout=out)
    return out.getvalue()


def test_an_alert_from_subscribing_to_unsubscribing(
    live_server, live_seed, page, smtp_sink, settings, screenshot, csp_violations
):
    settings.PORTAL_BASE_URL = live_server.url
    page.goto(live_server.url + "/topics/open-weights/")
    page.get_by_role("link", name="E-mail me new entries").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("E-mail me new entries")
    expect(page.locator(".lede")).to_contain_text("Positions (Topic: Open model weights)")
    assert axe_violations(page) == []
    page.get_by_label("Your e-mail address").fill(ADDRESS)
    page.get_by_label("As soon as there is something new").check()
    page.get_by_role("button", name="Send me the confirmation").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your inbox")
    assert axe_violations(page) == []

    (confirmation,) = smtp_sink.to(ADDRESS)
    make_position(topics=[Topic.objects.get(slug="open-weights")], summary="Recorded before confirming.")
    assert send_alerts().startswith("0 messages sent")  # nothing before confirmation

    page.goto(live_server.url + link_in(confirmation, "/alerts/confirm/"))
    assert axe_violations(page) == []
    page.get_by_role("button", name="Confirm my alert").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your alert is on")
    assert axe_violations(page) == []
    screenshot("alert-confirmed")

    make_position(topics=[Topic.objects.get(slug="open-weights")], summary="A new matching position.")
    make_position(summary="A position on another topic.")
    assert send_alerts().startswith("1 message sent (1 entries)")
    alert = smtp_sink.to(ADDRESS)[-1]
    assert len(smtp_sink.to(ADDRESS)) == 2
    assert "A new matching position." in text_of(alert)
    assert "Recorded before confirming." not in text_of(alert) and "another topic" not in text_of(alert)
    assert send_alerts().startswith("0 messages sent")
    assert len(smtp_sink.to(ADDRESS)) == 2

    page.goto(live_server.url + link_in(alert, "/alerts/manage/"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Your alerts")
    assert axe_violations(page) == []
    page.goto(live_server.url + link_in(alert, "/alerts/unsubscribe/"))
    assert axe_violations(page) == []  # the page a reader sees following the link by hand

    # The mail client's one-click POST (RFC 8058): no cookie, no session, no CSRF token.
    url = alert["List-Unsubscribe"].strip().strip("<>")
    request = urllib.request.Request(url, data=b"List-Unsubscribe=One-Click", method="POST")
    with urllib.request.urlopen(request, timeout=30) as response:
        assert response.status == 200
        assert "Your alerts are stopped" in response.read().decode()
    assert not Subscriber.objects.exists()

    make_position(topics=[Topic.objects.get(slug="open-weights")], summary="After unsubscribing.")
    assert send_alerts().startswith("0 messages sent")
    assert len(smtp_sink.to(ADDRESS)) == 2
    page.goto(live_server.url + link_in(alert, "/alerts/unsubscribe/"))
    expect(page.locator(".lede")).to_contain_text("nothing more will be sent")
    assert csp_violations == []


@pytest.mark.parametrize(
    "path",
    [
        "/alerts/new/",
        "/alerts/confirm/forged-token/",
        "/alerts/manage/1:forged:token/",
        "/alerts/new/?alert=positions&topic=nope",
    ],
)
def test_a_bad_alert_link_is_a_clear_accessible_page(live_server, live_seed, page, path):
    response = page.goto(live_server.url + path)
    assert response.status == 400
    assert page.get_by_role("heading", level=1).count() == 1
    assert axe_violations(page) == []
