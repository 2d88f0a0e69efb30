"""Review before publishing: a moderator's new position is a draft no reader sees until a second
moderator, a publisher, publishes it."""

import json
import os
from unittest import mock

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command

from debates.models import Position, StanceTally
from members.tests.test_admin import PASSWORD, client_for, moderator, position_post_data  # noqa: F401

SUMMARY = "A freshly drafted claim about open weights and review."


@pytest.fixture
def publisher(db):
    with mock.patch.dict(os.environ, {"MODERATOR_PASSWORD": PASSWORD}):
        call_command("createmoderator", "pat", "--publisher")
    return User.objects.get(username="pat")


def draft_as(user):
    model = Position.objects.get(slug="dario-gil-non-proprietary-and-open")
    data = position_post_data(model, slug="a-fresh-draft", summary=SUMMARY, change_reason="", said_on="2026-12-01")
    response = client_for(user).post("/admin/debates/position/add/", data, follow=True)
    assert response.status_code == 200 and "Saved as a draft" in response.content.decode()
    return Position.all_objects.get(slug="a-fresh-draft")


def reader_channels(client, position) -> dict[str, bool]:
    """Where a reader could meet the position: True where it shows."""
    csv_text = b"".join(client.get("/data/positions.csv").streaming_content).decode()
    records = json.loads(b"".join(client.get("/data/positions.json").streaming_content))
    return {
        "list": SUMMARY in client.get("/positions/").content.decode(),
        "page": client.get(f"/positions/{position.slug}/").status_code == 200,
        "feed": SUMMARY in client.get("/positions/feed/").content.decode(),
        "search": f"/positions/{position.slug}/" in client.get("/search/?q=freshly+drafted").content.decode(),
        "speaker": SUMMARY in client.get(position.speaker.get_absolute_url()).content.decode(),
        "csv": SUMMARY in csv_text,
        "json": any(r["slug"] == position.slug for r in records),
        "sitemap": f"/positions/{position.slug}/" in client.get("/sitemap-position.xml").content.decode(),
    }


def test_a_draft_is_seen_on_no_public_channel_until_a_publisher_publishes_it(client, seed, moderator, publisher):  # noqa: F811
    speaker_tally = StanceTally.objects.filter(speaker__slug="dario-gil")
    totals_before = sum(speaker_tally.values_list("positions", flat=True))
    draft = draft_as(moderator)
    assert not draft.published and draft.created_by == moderator
    assert not any(reader_channels(client, draft).values()), reader_channels(client, draft)
    assert sum(speaker_tally.values_list("positions", flat=True)) == totals_before  # drafts count for no stance

    # A moderator who is not a publisher cannot publish it.
    mona = client_for(moderator)
    response = mona.post(
        "/admin/debates/position/", {"action": "publish_positions", "_selected_action": [draft.pk]}, follow=True
    )
    assert not Position.all_objects.get(pk=draft.pk).published
    changelist = mona.get("/admin/debates/position/?publication=draft").content.decode()
    assert SUMMARY[:40] in changelist and "Draft, awaiting a publisher" in changelist
    assert 'value="publish_positions"' not in changelist

    # The publisher sees it waiting, and publishes it.
    pat = client_for(publisher)
    assert "positions drafted, awaiting a publisher" in pat.get("/admin/").content.decode()
    response = pat.post(
        "/admin/debates/position/", {"action": "publish_positions", "_selected_action": [draft.pk]}, follow=True
    )
    assert "Published 1 position." in response.content.decode()
    draft.refresh_from_db()
    assert draft.published and draft.published_by == publisher and draft.published_at
    shown = reader_channels(client, draft)
    assert all(shown.values()), shown
    assert sum(speaker_tally.values_list("positions", flat=True)) > totals_before  # now it counts
    assert draft.history.order_by("history_date", "history_id").last().history_change_reason == "Published"


def test_a_publisher_cannot_publish_their_own_draft(seed, publisher):
    draft = draft_as(publisher)
    response = client_for(publisher).post(
        "/admin/debates/position/", {"action": "publish_positions", "_selected_action": [draft.pk]}, follow=True
    )
    assert "another publisher must publish those" in response.content.decode()
    assert not Position.all_objects.get(pk=draft.pk).published


def test_a_small_team_can_publish_directly(client, seed, moderator, settings):  # noqa: F811
    settings.PORTAL_REVIEW_BEFORE_PUBLISHING = False
    model = Position.objects.get(slug="dario-gil-non-proprietary-and-open")
    data = position_post_data(model, slug="published-at-once", summary=SUMMARY, change_reason="")
    assert client_for(moderator).post("/admin/debates/position/add/", data).status_code == 302
    position = Position.objects.get(slug="published-at-once")
    assert position.published_by == moderator
    assert client.get(position.get_absolute_url()).status_code == 200


def test_a_second_draft_with_a_drafts_slug_gets_a_clear_error(seed, moderator):  # noqa: F811
    draft_as(moderator)
    model = Position.objects.get(slug="dario-gil-non-proprietary-and-open")
    data = position_post_data(
        model, slug="a-fresh-draft", summary="Another draft.", change_reason="", said_on="2026-12-02"
    )
    response = client_for(moderator).post("/admin/debates/position/add/", data)
    assert response.status_code == 200
    assert "Another position (perhaps a draft) already has this slug" in response.content.decode()
    assert Position.all_objects.filter(slug="a-fresh-draft").count() == 1
