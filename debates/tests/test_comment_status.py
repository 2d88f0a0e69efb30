"""A comment's status changes in one place (set_comment_status), and cached pages
are retired only when a comment readers can see appears or goes."""

import pytest
from django.contrib.auth.models import User
from django.test import Client

from debates.comments import set_comment_status
from debates.models import Comment, CommentStatus, Position
from pagecache.store import data_version
from pagecache.tests.visits import served_from_cache

SLUG = "yann-lecun-massive-corporate-lobbying"
PAGE = f"/positions/{SLUG}/"


@pytest.fixture
def moderator(db):
    return User.objects.create_superuser("mod", "mod@example.org", "a-long-moderator-password")


def comment(status=CommentStatus.PENDING, body="Held for now."):
    position = Position.objects.get(slug=SLUG)
    return Comment.objects.create(
        position=position, author_name="Ada", body_markdown=body, body_html=f"<p>{body}</p>", status=status
    )


def test_rejecting_pending_comments_leaves_a_cached_page_cached(client, seed, moderator):
    pending = [comment(body="One."), comment(body="Two.")]
    client.get(PAGE)
    changed = set_comment_status(Comment.objects.filter(pk__in=[c.pk for c in pending]), "rejected", by=moderator)
    assert changed == 2
    assert served_from_cache(client, PAGE)
    assert Comment.objects.filter(status="rejected", moderated_by=moderator).count() == 2


def test_approving_a_comment_retires_the_cached_page(client, seed, moderator):
    pending = comment()
    client.get(PAGE)
    set_comment_status([pending], CommentStatus.APPROVED, by=moderator)
    assert pending.status == CommentStatus.APPROVED and pending.moderated_by == moderator
    assert not served_from_cache(client, PAGE)
    assert "Held for now." in client.get(PAGE).content.decode()


def test_unapproving_an_approved_comment_retires_the_cached_page(client, seed, moderator):
    shown = comment(status=CommentStatus.APPROVED)
    assert "Held for now." in client.get(PAGE).content.decode()
    set_comment_status(Comment.objects.filter(pk=shown.pk), CommentStatus.SPAM, by=moderator, reason="Spam")
    assert not served_from_cache(client, PAGE)
    assert "Held for now." not in client.get(PAGE).content.decode()
    assert Comment.objects.get(pk=shown.pk).moderation_reason == "Spam"


def test_the_admin_actions_reject_without_retiring_and_approve_with(client, seed, moderator):
    pending = comment()
    admin = Client()
    admin.force_login(moderator)
    client.get(PAGE)
    before = data_version()
    admin.post(
        "/admin/debates/comment/",
        {"action": "reject_comments", "_selected_action": [pending.pk], "reason": "Off topic", "other_reason": ""},
    )
    assert data_version() == before
    assert served_from_cache(client, PAGE)
    admin.post(
        "/admin/debates/comment/?status=rejected",
        {"action": "approve_comments", "_selected_action": [pending.pk], "reason": "", "other_reason": ""},
    )
    assert data_version() > before
    assert "Held for now." in client.get(PAGE).content.decode()


def test_the_change_form_stamps_the_moderator_and_retires_only_for_public_comments(client, seed, moderator):
    pending = comment()
    admin = Client()
    admin.force_login(moderator)
    url = f"/admin/debates/comment/{pending.pk}/change/"
    data = {
        "position": pending.position_id,
        "author_name": "Ada",
        "email": "",
        "reaction": "neither",
        "moderation_reason": "Off topic",
        "body_markdown": "Held for now.",
    }
    client.get(PAGE)
    before = data_version()
    assert admin.post(url, {**data, "status": "rejected"}).status_code == 302
    assert data_version() == before  # never public: nothing to retire
    pending.refresh_from_db()
    assert (pending.status, pending.moderated_by, pending.moderation_reason) == ("rejected", moderator, "Off topic")
    assert admin.post(url, {**data, "status": "approved", "moderation_reason": ""}).status_code == 302
    assert data_version() > before
    assert "Held for now." in client.get(PAGE).content.decode()


def test_saves_and_deletes_retire_pages_only_for_a_comment_readers_can_see(client, seed, settings):
    settings.COMMENTS_PREMODERATED = True
    before = data_version()
    client.post(PAGE + "comments/", {"author_name": "Ada", "body_markdown": "Held for now.", "reaction": "agree"})
    posted = Comment.objects.get(author_name="Ada")
    assert posted.status == "pending"
    assert data_version() == before  # held for moderation: every page is as it was
    posted.status = "approved"
    posted.save()
    assert data_version() > before
    assert "Held for now." in client.get(PAGE).content.decode()
    shown = data_version()
    posted.status = "rejected"
    posted.save()  # it was public: pages change again
    assert data_version() > shown
    assert "Held for now." not in client.get(PAGE).content.decode()
    hidden = data_version()
    posted.delete()  # never public since: nothing to retire
    assert data_version() == hidden
