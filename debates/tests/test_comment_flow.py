"""The comment form shows its result where the reader is: preview, errors and the outcome
appear inside the form's own region (#comment-form), and the page lands there."""

import pytest

from debates.models import Comment

SLUG = "yann-lecun-massive-corporate-lobbying"
PAGE = f"/positions/{SLUG}/"
POST = f"/positions/{SLUG}/comments/"


def form(**overrides):
    data = {"author_name": "Ada", "body_markdown": "I *agree*.", "reaction": "agree", "website": "", "post": "1"}
    return {**data, **overrides}


def region_of(html: str) -> str:
    """The comment form's region: from its opening tag to the form's end."""
    return html.split('id="comment-form"', 1)[1].split("</form>", 1)[0]


def above_region(html: str) -> str:
    return html.split('id="comment-form"', 1)[0]


def test_the_form_action_and_region_carry_the_fragment(client, seed):
    html = client.get(PAGE).content.decode()
    assert f'action="{POST}#comment-form"' in html
    assert '<section id="comment-form" class="comment-region" tabindex="-1"' in html


def test_preview_shows_inside_the_region_and_stores_nothing(client, seed):
    data = form(preview="1")
    del data["post"]
    response = client.post(POST, data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Preview: this is exactly what will be published" in region_of(html)
    assert "I <em>agree</em>." in region_of(html)
    assert Comment.objects.count() == 0


def test_field_errors_show_as_a_summary_at_the_top_of_the_region(client, seed):
    response = client.post(POST, form(author_name="", body_markdown=""))
    assert response.status_code == 400
    region = region_of(response.content.decode())
    summary = region.split('class="error-summary"', 1)[1].split("</div>", 1)[0]
    assert "Your comment was not posted yet" in summary
    assert '<a href="#id_author_name">Your name</a>: Give a name to show with your comment.' in summary
    assert '<a href="#id_body_markdown">Comment</a>: Write your comment here first.' in summary
    assert region.index("error-summary") < region.index("<form")
    assert Comment.objects.count() == 0


def test_after_posting_the_confirmation_is_in_the_region_and_says_what_happens_next(client, seed, settings):
    settings.COMMENT_MODERATION_TIME = "two days"
    response = client.post(POST, form())
    assert response.status_code == 302
    assert response["Location"] == PAGE + "#comment-form"
    html = client.get(response["Location"]).content.decode()
    region = region_of(html)
    assert "your comment was received and is held for moderation" in region
    assert "It appears here once a moderator approves it, usually within two days" in region
    assert "held for moderation" not in above_region(html)
    assert Comment.objects.count() == 1
    # Told once: the next visit shows the page without it (and may be served from the cache).
    assert "was received" not in client.get(PAGE).content.decode()


def test_a_published_comment_says_where_it_is(client, seed, settings):
    settings.COMMENTS_PREMODERATED = False
    response = client.post(POST, form(), follow=True)
    region = region_of(response.content.decode())
    assert "your comment is published" in region


def test_a_duplicate_is_told_it_was_already_received_and_stored_once(client, seed):
    client.post(POST, form())
    client.get(PAGE)  # the first confirmation, read
    response = client.post(POST, form(body_markdown="I  *agree*. "), follow=True)
    region = region_of(response.content.decode())
    assert "We had already received this comment" in region
    assert "It was not saved a second time" in region
    assert "was received and is held" not in region
    assert Comment.objects.count() == 1


def test_a_bot_filling_the_honeypot_sees_the_ordinary_confirmation(client, seed):
    response = client.post(POST, form(website="http://spam.example"), follow=True)
    assert "was received and is held for moderation" in region_of(response.content.decode())
    assert Comment.objects.count() == 0


@pytest.mark.parametrize("method", ["get", "head"])
def test_opening_the_comment_address_goes_to_the_positions_comments(client, seed, method):
    response = getattr(client, method)(POST)
    assert response.status_code == 302
    assert response["Location"] == PAGE + "#comments"


def test_the_comment_address_of_an_unknown_position_is_a_404(client, seed):
    response = client.get("/positions/no-such-position/comments/")
    assert response.status_code == 404
    assert "There is no position at this address" in response.content.decode()
