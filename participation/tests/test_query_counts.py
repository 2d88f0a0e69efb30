"""Every participation page runs a pinned number of SQL queries, however many alerts or rows there are.

The public forms are cached like every page (a miss adds debates' CACHE_MISS queries,
a hit is one: the data version); the pages behind a signed link are never cached.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from debates.tests.test_query_counts import CACHE_MISS
from participation import tokens
from participation.tests.helpers import subscribe_and_confirm

pytestmark = pytest.mark.django_db

CACHED = {
    "/alerts/new/?alert=positions&topic=open-weights&person=yann-lecun": 2,  # the topic and the person
    "/alerts/new/?alert=policy-changes&policy=eu-ai-act": 1,
    "/alerts/new/?alert=people": 0,
    "/alerts/requested/": 0,
    "/suggest/": 1,  # the topics to tick
    "/suggest/correction/?position=yann-lecun-massive-corporate-lobbying": 1,  # is it a position?
    "/suggest/thanks/": 0,
}


def count(client, url) -> tuple[int, int]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries), response


@pytest.mark.parametrize("url", CACHED)
def test_cached_pages_pin_their_queries(client, seed, url):
    assert count(client, url)[0] == CACHED[url] + CACHE_MISS
    assert count(client, url)[0] == 1  # from the cache: the data version only


@pytest.fixture
def alerts(seed, smtp_sink, settings):
    settings.ALERT_CONFIRM_PER_ADDRESS = 10
    first = subscribe_and_confirm(smtp_sink)
    for n in range(4):
        subscribe_and_confirm(smtp_sink, query=f"alert=positions&said_after=2024-01-0{n + 1}")
    return first.subscriber


def test_the_manage_page_is_the_same_queries_for_five_alerts(client, alerts):
    queries, response = count(client, f"/alerts/manage/{tokens.manage_token(alerts)}/")
    assert response.content.decode().count('type="checkbox"') == 5
    assert queries == 2  # the subscriber, its alerts


def test_the_confirm_and_unsubscribe_pages(client, alerts):
    subscription = alerts.subscriptions.first()
    assert count(client, f"/alerts/confirm/{tokens.confirm_token(subscription)}/")[0] == 1
    assert count(client, f"/alerts/unsubscribe/{tokens.unsubscribe_token(alerts)}/")[0] == 1


def test_pages_behind_a_signed_link_are_never_cached(client, alerts):
    subscription = alerts.subscriptions.first()
    for url in [
        f"/alerts/confirm/{tokens.confirm_token(subscription)}/",
        f"/alerts/manage/{tokens.manage_token(alerts)}/",
        f"/alerts/unsubscribe/{tokens.unsubscribe_token(alerts)}/",
    ]:
        assert "no-store" in client.get(url)["Cache-Control"], url
        assert "no-store" in client.get(url)["Cache-Control"], url  # and the page cache did not keep it
