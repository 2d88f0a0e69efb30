"""Review of edits: a moderator's change to a published position waits for a publisher, a second
moderator, who reads what it changes and publishes or rejects it; readers see the published state
until then."""

import json
from unittest import mock

import pytest
from django.contrib.auth.models import User

from debates.models import Position, PositionRevision, Topic
from debates.tests.test_review import publisher  # noqa: F401
from members.tests.test_admin import client_for, moderator  # noqa: F401

SLUG = "dario-gil-non-proprietary-and-open"
OLD_SUMMARY = "Favours a non-proprietary and open approach to developing AI."
NEW_SUMMARY = "Favours open development of AI, with reviewed safety checks."


def edit_data(position, **changes):
    """What the moderator's browser posts for the position's change form, with their changes."""
    data = {
        "slug": position.slug,
        "speaker": position.speaker_id,
        "organization": position.organization_id or "",
        "form": position.form,
        "quotation": position.quotation,
        "summary": position.summary,
        "stance": position.stance,
        "topics": [t.pk for t in position.topics.all()],
        "said_on": position.said_on or "",
        "date_precision": position.date_precision,
        "venue": position.venue,
        "context": position.context,
        "policy_item": position.policy_item_id or "",
        "in_reply_to": position.in_reply_to_id or "",
        "reply_kind": position.reply_kind,
        "integrity": position.integrity,
        "integrity_note": position.integrity_note,
        "sources": [s.pk for s in position.sources.all()],
        "change_reason": "Reworded from the source",
        "_save": "Save",
    }
    if position.speaks_for:
        data["speaks_for"] = "on"
    data.update(changes)
    return data


def change_url(position):
    return f"/admin/debates/position/{position.pk}/change/"


def review_url(revision):
    return f"/admin/debates/positionrevision/{revision.pk}/change/"


def reader_sees(client, text, position) -> dict[str, bool]:
    """Where a reader meets ``text`` about the position: page, list, feed, downloads, the API."""
    csv_text = b"".join(client.get("/data/positions.csv").streaming_content).decode()
    records = json.loads(b"".join(client.get("/data/positions.json").streaming_content))
    return {
        "page": text in client.get(position.get_absolute_url()).content.decode(),
        "list": text in client.get(f"/positions/?person={position.speaker.slug}").content.decode(),
        "feed": text in client.get(f"/positions/feed/?person={position.speaker.slug}").content.decode(),
        "csv": text in csv_text,
        "json": any(r["slug"] == position.slug and r["summary"] == text for r in records),
        "api": text in client.get(f"/api/v1/positions/{position.slug}/").content.decode(),
    }


def propose(user, **changes):
    position = Position.objects.get(slug=SLUG)
    response = client_for(user).post(change_url(position), edit_data(position, **changes), follow=True)
    return position, response


@pytest.fixture
def biosecurity(seed):
    return Topic.objects.get(slug="biosecurity")


def test_a_moderators_edit_of_a_published_position_waits_and_a_publisher_publishes_it(
    client,
    seed,
    moderator,  # noqa: F811
    publisher,  # noqa: F811
    biosecurity,
    django_assert_num_queries,
):
    position = Position.objects.get(slug=SLUG)
    topics = [t.pk for t in position.topics.all()]
    position, response = propose(moderator, summary=NEW_SUMMARY, stance="mixed", topics=[*topics, biosecurity.pk])
    assert "Your edit is waiting for a publisher" in response.content.decode()

    # Nothing changed for readers, on any channel.
    position.refresh_from_db()
    assert position.summary == OLD_SUMMARY and position.stance == "open" and position.updated_by != moderator
    assert biosecurity not in position.topics.all()
    assert all(reader_sees(client, OLD_SUMMARY, position).values())
    assert not any(reader_sees(client, NEW_SUMMARY, position).values())
    revision = PositionRevision.objects.get(position=position)
    assert revision.is_pending and revision.proposed_by == moderator and revision.reason == "Reworded from the source"

    # The position's page in the admin says so; the publisher's home counts it.
    mona, pat = client_for(moderator), client_for(publisher)
    assert "An edit is waiting for a publisher" in mona.get(change_url(position)).content.decode()
    home = " ".join(pat.get("/admin/").content.decode().split())
    assert "<strong>1</strong> edits of published positions, awaiting a publisher" in home

    # The publisher reads what it changes, in display values.
    pat.get(review_url(revision))  # warm the session and the admin's caches
    # Session and user, the revision, the position as it is, the form's validation against it (one query
    # per link field, per check constraint in a savepoint: most of them, and the slug free among drafts
    # too), permissions. None per row.
    with django_assert_num_queries(43):
        page = pat.get(review_url(revision)).content.decode()
    diff = " ".join(page.split("What publishing it changes", 1)[1].split("</table>", 1)[0].split())
    assert f'<th scope="row">Summary</th><td>{OLD_SUMMARY}</td><td>{NEW_SUMMARY}</td>' in diff
    assert '<th scope="row">Stance</th><td>Open</td><td>Mixed</td>' in diff
    assert "Open source and open science; Biosecurity" in diff or "Biosecurity; Open source" in diff
    assert "Integrity" not in diff  # unchanged fields are not listed
    assert 'name="_publish"' in page

    # Its author cannot publish it.
    assert 'name="_publish"' not in mona.get(review_url(revision)).content.decode()
    mona.post(review_url(revision), {"_publish": "Publish this edit"})
    assert PositionRevision.objects.get(pk=revision.pk).is_pending

    response = pat.post(review_url(revision), {"_publish": "Publish this edit"}, follow=True)
    assert "Published the edit: readers see it now." in response.content.decode()
    position.refresh_from_db()
    assert position.summary == NEW_SUMMARY and position.stance == "mixed" and position.updated_by == moderator
    assert biosecurity in position.topics.all() and "Biosecurity" in position.search_terms
    assert all(reader_sees(client, NEW_SUMMARY, position).values())
    revision.refresh_from_db()
    assert revision.status == "published" and revision.decided_by == publisher

    # One version in History: the author's, with their reason and the publisher named.
    latest = position.history.order_by("history_date", "history_id").last()
    assert latest.history_user == moderator
    assert latest.history_change_reason == "Reworded from the source (published by pat)"
    history = pat.get(f"/admin/debates/position/{position.pk}/history/").content.decode()
    assert "Reworded from the source (published by pat)" in history
    assert "An edit is waiting" not in pat.get(change_url(position)).content.decode()


def test_a_publisher_rejects_an_edit_with_a_reason(client, seed, moderator, publisher):  # noqa: F811
    position, _ = propose(moderator, summary=NEW_SUMMARY)
    revision = PositionRevision.objects.get(position=position)
    pat = client_for(publisher)
    response = pat.post(review_url(revision), {"_reject": "Reject", "decision_reason": "  "}, follow=True)
    assert "Give a reason to reject the edit" in response.content.decode()
    assert PositionRevision.objects.get(pk=revision.pk).is_pending

    response = pat.post(review_url(revision), {"_reject": "Reject", "decision_reason": "Not what the source says"})
    revision.refresh_from_db()
    assert revision.status == "rejected" and revision.decision_reason == "Not what the source says"
    assert Position.objects.get(pk=position.pk).summary == OLD_SUMMARY
    assert OLD_SUMMARY in client.get(position.get_absolute_url()).content.decode()
    page = client_for(moderator).get(review_url(revision)).content.decode()
    assert "Rejected" in page and "Not what the source says" in page
    # Nothing waits any more: the position can be edited again.
    propose(moderator, summary="A second try.")
    assert PositionRevision.objects.pending().filter(position=position).count() == 1


def test_a_second_edit_waits_behind_the_first_until_its_author_withdraws_it(seed, moderator):  # noqa: F811
    position, _ = propose(moderator, summary=NEW_SUMMARY)
    _, response = propose(moderator, summary="Another wording.")
    assert response.status_code == 200 and "is waiting for a publisher" in response.content.decode()
    assert PositionRevision.objects.filter(position=position).count() == 1

    revision = PositionRevision.objects.get(position=position)
    response = client_for(moderator).post(review_url(revision), {"_withdraw": "Withdraw my edit"}, follow=True)
    assert "Withdrew your edit" in response.content.decode()
    _, response = propose(moderator, summary="Another wording.")
    assert "Your edit is waiting for a publisher" in response.content.decode()
    assert PositionRevision.objects.pending().get(position=position).data["summary"] == "Another wording."


def test_a_publishers_own_edit_goes_live_at_once(client, seed, publisher):  # noqa: F811
    position, response = propose(publisher, summary=NEW_SUMMARY)
    assert "was changed successfully" in response.content.decode()
    assert Position.objects.get(pk=position.pk).summary == NEW_SUMMARY
    assert NEW_SUMMARY in client.get(position.get_absolute_url()).content.decode()
    assert not PositionRevision.objects.exists()


def test_with_review_off_a_moderators_edit_goes_live_at_once(client, seed, moderator, settings):  # noqa: F811
    settings.PORTAL_REVIEW_BEFORE_PUBLISHING = False
    position, _ = propose(moderator, summary=NEW_SUMMARY)
    assert Position.objects.get(pk=position.pk).summary == NEW_SUMMARY
    assert not PositionRevision.objects.exists()


def test_a_draft_is_edited_directly(seed, moderator):  # noqa: F811
    Position.objects.filter(slug=SLUG).update(published=False)
    position = Position.all_objects.get(slug=SLUG)
    client_for(moderator).post(change_url(position), edit_data(position, summary=NEW_SUMMARY))
    assert Position.all_objects.get(pk=position.pk).summary == NEW_SUMMARY
    assert not PositionRevision.objects.exists()


def test_the_review_page_warns_when_the_position_changed_since(seed, moderator, publisher):  # noqa: F811
    position, _ = propose(moderator, summary=NEW_SUMMARY)
    revision = PositionRevision.objects.get(position=position)
    position.refresh_from_db()
    client_for(publisher).post(change_url(position), edit_data(position, venue="A hearing"))  # live: a publisher
    page = client_for(publisher).get(review_url(revision)).content.decode()
    assert "The position was changed after this edit was proposed" in page
    assert "A hearing" in page  # publishing would put the venue back: the diff shows it


def test_a_moderator_cannot_restore_a_published_position_past_review(seed, moderator):  # noqa: F811
    position = Position.objects.get(slug=SLUG)
    version = position.history.order_by("history_date", "history_id").first()
    url = f"/admin/debates/position/{position.pk}/history/{version.history_id}/"
    response = client_for(moderator).post(url, edit_data(position, summary="Back in time", _save="Revert"), follow=True)
    assert "Restoring a published position needs a publisher" in response.content.decode()
    assert Position.objects.get(pk=position.pk).summary == OLD_SUMMARY


def test_adding_a_topic_to_published_positions_proposes_edits(seed, moderator, biosecurity):  # noqa: F811
    pks = list(Position.objects.filter(speaker__slug="yann-lecun").values_list("pk", flat=True))
    response = client_for(moderator).post(
        "/admin/debates/position/",
        {"action": "add_topic", "_selected_action": pks, "topic": biosecurity.pk},
        follow=True,
    )
    assert f"Proposed “Biosecurity” for {len(pks)} published position(s)" in response.content.decode()
    assert not Position.objects.filter(pk__in=pks, topics=biosecurity).exists()
    revisions = PositionRevision.objects.pending().filter(position__in=pks)
    assert revisions.count() == len(pks)
    assert all(biosecurity.pk in r.data["topics"] for r in revisions)


def test_two_edits_proposed_at_once_keep_the_first(seed, moderator, publisher):  # noqa: F811
    position, _ = propose(moderator, summary=NEW_SUMMARY)
    other = User.objects.create_user("otto", is_staff=True)
    other.groups.add(*moderator.groups.all())
    # The second form's check ran before the first edit was kept: the database refuses the second.
    with mock.patch("debates.admin.pending_revision_of", return_value=None):
        _, response = propose(other, summary="Another wording.")
    assert "was proposed a moment before yours" in response.content.decode()
    assert PositionRevision.objects.get(position=position).data["summary"] == NEW_SUMMARY
    assert Position.objects.get(pk=position.pk).summary == OLD_SUMMARY
