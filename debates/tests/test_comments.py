"""Readers post comments; moderators decide; nothing hostile gets through, nothing accepted is lost."""

import logging

import pytest
from django.contrib.auth.models import User
from django.test import Client

from debates.models import Comment, CommentStatus, Position
from debates.tests.html_safety import CORPUS, dangerous_attributes, embedding_tags_in, unsafe_parts

SLUG = "yann-lecun-massive-corporate-lobbying"
PAGE = f"/positions/{SLUG}/"
POST = f"/positions/{SLUG}/comments/"


def form(**overrides):
    data = {
        "author_name": "Ada",
        "email": "ada@example.org",
        "body_markdown": "I *agree*: see https://example.org",
        "reaction": "agree",
        "website": "",
        "post": "1",
        **overrides,
    }
    return {key: value for key, value in data.items() if value is not None}


@pytest.fixture
def moderator(db):
    return User.objects.create_superuser("mod", "mod@example.org", "a-long-moderator-password")


class TestPostingFlow:
    def test_a_new_comment_is_pending_and_the_poster_is_told_after_a_redirect(self, client, seed):
        response = client.post(POST, form(), follow=True)
        assert response.redirect_chain == [(PAGE + "#comment-form", 302)]
        html = response.content.decode()
        assert "held for moderation" in html
        assert "I <em>agree</em>" not in html  # pending: not shown
        comment = Comment.objects.get()
        assert comment.status == CommentStatus.PENDING
        assert comment.body_markdown == "I *agree*: see https://example.org"
        assert 'href="https://example.org" rel="nofollow ugc noopener"' in comment.body_html
        assert comment.ip_hash and "127.0.0.1" not in comment.ip_hash

    def test_approved_comment_shows_with_count_and_never_the_email(self, client, seed, moderator):
        client.post(POST, form())
        comment = Comment.objects.get()
        assert "0 comments" in client.get("/positions/?person=yann-lecun&form=quote").content.decode()

        admin = Client()
        admin.force_login(moderator)
        response = admin.post(
            "/admin/debates/comment/",
            {"action": "approve_comments", "_selected_action": [comment.pk], "reason": "", "other_reason": ""},
            follow=True,
        )
        assert "1 comment marked approved" in response.content.decode()

        html = client.get(PAGE).content.decode()
        assert "I <em>agree</em>" in html and "Comments (1)" in html
        assert "ada@example.org" not in html
        assert "1 comment" in client.get("/positions/?person=yann-lecun&form=quote").content.decode()

        comment.refresh_from_db()
        assert comment.moderated_by == moderator

        admin.post(
            "/admin/debates/comment/?status=approved",
            {"action": "reject_comments", "_selected_action": [comment.pk], "reason": "Off topic", "other_reason": ""},
        )
        assert Comment.objects.get().status == CommentStatus.REJECTED
        assert "I <em>agree</em>" not in client.get(PAGE).content.decode()
        assert "0 comments" in client.get("/positions/?person=yann-lecun&form=quote").content.decode()

    def test_reload_after_posting_does_not_post_twice(self, client, seed):
        response = client.post(POST, form())
        assert response.status_code == 302
        client.get(response["Location"])
        client.get(response["Location"])
        assert Comment.objects.count() == 1

    def test_preview_renders_exactly_what_would_be_published_and_stores_nothing(self, client, seed):
        response = client.post(POST, form(preview="1", post=None, body_markdown="**bold** <script>x</script>"))
        assert response.status_code == 200
        html = response.content.decode()
        assert "<strong>bold</strong>" in html and "exactly what will be published" in html
        assert "<script>x" not in html
        assert "**bold**" in html  # the text stays in the form
        assert Comment.objects.count() == 0

    def test_post_moderation_publishes_at_once(self, client, seed, settings):
        settings.COMMENTS_PREMODERATED = False
        response = client.post(POST, form(), follow=True)
        assert "your comment is published" in response.content.decode()
        assert "I <em>agree</em>" in response.content.decode()

    def test_side_by_side_by_agreement(self, client, seed):
        position = Position.objects.get(slug=SLUG)
        for name, reaction in [("Pro", "agree"), ("Con", "disagree"), ("Meh", "neither")]:
            Comment.objects.create(
                position=position,
                author_name=name,
                body_markdown=name,
                body_html=f"<p>{name} says</p>",
                reaction=reaction,
                status="approved",
            )
        html = client.get(PAGE + "?comments=side").content.decode()
        agree, disagree = html.split("Agree (1)", 1)[1].split("Disagree (1)", 1)
        assert "Pro says" in agree and "Con says" in disagree
        assert "Meh says" not in html.split("Agree (1)", 1)[1].split("Add a comment", 1)[0]
        assert "Meh says" in client.get(PAGE).content.decode()


class TestAbuseControl:
    def test_honeypot_is_rejected_quietly_and_logged(self, client, seed, caplog):
        with caplog.at_level(logging.WARNING, logger="debates.views.positions"):
            response = client.post(POST, form(website="http://spam.example"), follow=True)
        assert "held for moderation" in response.content.decode()
        assert Comment.objects.count() == 0
        assert "honeypot" in caplog.text

    def test_the_same_body_posted_twice_is_stored_once(self, client, seed):
        client.post(POST, form())
        response = client.post(POST, form(body_markdown="I  *agree*:   see https://example.org"))
        assert response.status_code == 302
        assert Comment.objects.count() == 1

    def test_too_many_links_is_refused(self, client, seed, settings):
        settings.COMMENT_MAX_LINKS = 2
        body = "https://a.org https://b.org [c](https://c.org)"
        response = client.post(POST, form(body_markdown=body))
        assert response.status_code == 400
        assert "at most 2 links; this one has 3" in response.content.decode()
        assert Comment.objects.count() == 0

    def test_rate_limit_answers_429_with_a_clear_page(self, client, seed, settings):
        settings.COMMENT_RATE_LIMIT = 3
        for i in range(3):
            assert client.post(POST, form(body_markdown=f"comment {i}")).status_code == 302
        response = client.post(POST, form(body_markdown="one too many"))
        assert response.status_code == 429
        assert "Too many comments" in response.content.decode()
        assert response["Retry-After"] == str(settings.COMMENT_RATE_WINDOW)
        assert Comment.objects.count() == 3
        other = Client(REMOTE_ADDR="203.0.113.9")
        assert other.post(POST, form(body_markdown="another reader")).status_code == 302


class TestBadInput:
    @pytest.mark.parametrize(
        ("overrides", "message"),
        [
            ({"author_name": ""}, "Give a name to show with your comment"),
            ({"body_markdown": "   "}, "Write your comment here first"),
            ({"body_markdown": "x" * 5001}, "at most 5000 characters"),
            ({"email": "not-an-address"}, "Enter a valid email address"),
            ({"reaction": "love"}, "Choose one of the three answers"),
            ({"body_markdown": "nul\x00byte"}, "Null characters are not allowed"),
        ],
    )
    def test_bad_input_gets_a_clear_error_and_stores_nothing(self, client, seed, overrides, message):
        response = client.post(POST, form(**overrides))
        assert response.status_code == 400
        assert message in response.content.decode()
        assert Comment.objects.count() == 0

    def test_unknown_position_is_a_404(self, client, seed):
        assert client.post("/positions/no-such-position/comments/", form()).status_code == 404
        assert Comment.objects.count() == 0

    def test_missing_csrf_token_is_a_clear_403(self, seed):
        strict = Client(enforce_csrf_checks=True)
        response = strict.post(POST, form())
        assert response.status_code == 403
        assert "missing its security token" in response.content.decode()
        assert Comment.objects.count() == 0

    def test_get_on_the_post_url_goes_to_the_positions_comments(self, client, seed):
        response = client.get(POST)
        assert response.status_code == 302
        assert response["Location"] == PAGE + "#comments"


@pytest.mark.parametrize("text", CORPUS[::7])
def test_hostile_comments_through_the_real_form_and_page(client, seed, settings, text):
    settings.COMMENTS_PREMODERATED = False
    settings.COMMENT_RATE_LIMIT = 1000
    response = client.post(POST, form(body_markdown=text))
    assert response.status_code in (302, 400)
    if response.status_code == 302:
        comment = Comment.objects.get()
        assert unsafe_parts(comment.body_html) == []
        page = client.get(PAGE).content.decode()
        comments_section = page.split('id="comments"', 1)[1].split('id="comment-form-heading"', 1)[0]
        assert embedding_tags_in(comments_section) == set()
        assert dangerous_attributes(comments_section) == []
