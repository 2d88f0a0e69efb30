"""notify_moderators: the Moderators group gets a digest of what waits, each item once."""

import io

import pytest
from django.contrib.auth.models import Group, User
from django.core.management import call_command

from debates.models import Comment, Position
from members.roles import MODERATORS
from participation.models import Suggestion
from participation.moderation import notify_moderators
from participation.tests.helpers import html_of, text_of

pytestmark = pytest.mark.django_db


def moderator(name, email):
    user = User.objects.create_user(name, email=email, password="x", is_staff=True)
    user.groups.add(Group.objects.get(name=MODERATORS))
    return user


def comment(text, status="pending"):
    position = Position.objects.get(slug="yann-lecun-massive-corporate-lobbying")
    return Comment.objects.create(
        position=position, author_name="Ada", body_markdown=text, body_html=text, status=status
    )


def run() -> str:
    out = io.StringIO()
    call_command("notify_moderators", stdout=out)
    return out.getvalue()


def test_a_digest_goes_to_each_moderator_once_per_item(seed, smtp_sink):
    moderator("alice", "alice@example.org")
    moderator("bob", "bob@example.org")
    User.objects.create_user("staff", email="staff@example.org", is_staff=True)  # not a moderator
    comment("Held for moderation.")
    comment("Already approved.", status="approved")
    position = Position.objects.get(slug="yann-lecun-massive-corporate-lobbying")
    Suggestion.objects.create(
        kind="suggestion", speaker_name="Eve", words="A <b>bold</b> claim.", source_url="https://e.org"
    )
    Suggestion.objects.create(kind="correction", position=position, problem_markdown="Wrong date.")

    assert run().startswith("3 new pending items told to 2 moderator(s)")
    assert smtp_sink.to("staff@example.org") == []
    (digest,) = smtp_sink.to("alice@example.org")
    text = text_of(digest)
    assert digest["Subject"] == "Moderation queue: 3 new items waiting"
    assert "Held for moderation." in text and "Already approved." not in text
    assert "Eve: A <b>bold</b> claim." in text and "Wrong date." in text
    assert "/admin/debates/comment/" in text and "/admin/participation/suggestion/" in text
    assert "A &lt;b&gt;bold&lt;/b&gt; claim." in html_of(digest)  # escaped in the HTML part

    assert run().startswith("0 new pending items")  # the same items are not sent again
    assert len(smtp_sink.messages) == 2
    comment("A later one.")
    assert run().startswith("1 new pending item told")
    (_, later) = smtp_sink.to("alice@example.org")
    assert "A later one." in text_of(later) and "Held for moderation." not in text_of(later)


def test_no_moderator_with_an_address_means_nothing_is_marked_told(seed, smtp_sink):
    comment("Waiting.")
    assert notify_moderators() == (0, 0)
    moderator("carol", "carol@example.org")
    assert notify_moderators() == (1, 1)


def test_a_mail_server_failure_lists_the_items_again(seed, smtp_sink, settings):
    moderator("alice", "alice@example.org")
    comment("Waiting.")
    port, settings.EMAIL_PORT = settings.EMAIL_PORT, 1
    assert notify_moderators() == (0, 0)
    settings.EMAIL_PORT = port
    assert notify_moderators() == (1, 1)
