import pytest
from django.contrib.auth.models import User
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

PAGE = "/positions/camille-carlton-completely-irresponsible/"


def test_a_comment_goes_from_reader_to_moderator_and_back(
    live_server, live_seed, page, browser, screenshot, csp_violations
):
    page.goto(live_server.url + PAGE)
    page.get_by_label("Your name").fill("Grace")
    page.get_by_role("textbox", name="Comment").fill(
        "I **disagree**: open models help [defenders](https://example.org)."
    )
    page.get_by_label("I disagree").check()
    page.get_by_role("button", name="Preview").click()
    assert page.locator(".preview strong").inner_text() == "disagree"
    page.get_by_role("button", name="Post comment").click()
    expect(page.get_by_text("held for moderation")).to_be_visible()
    assert page.locator(".comments strong", has_text="disagree").count() == 0
    screenshot("comment-pending")

    User.objects.create_superuser("moderator", "m@example.org", "a-long-moderator-password")
    moderator = browser.new_page()
    moderator.goto(live_server.url + "/admin/debates/comment/")
    moderator.get_by_label("Username").fill("moderator")
    moderator.get_by_label("Password").fill("a-long-moderator-password")
    moderator.get_by_role("button", name="Log in").click()
    row = moderator.get_by_role("row", name="Grace")
    row.get_by_role("checkbox").check()
    moderator.locator("select[name=action]").select_option("approve_comments")
    moderator.get_by_role("button", name="Go").click()
    expect(moderator.get_by_text("1 comment marked approved")).to_be_visible()
    moderator.close()

    page.reload()
    comment = page.locator(".comment", has_text="Grace")
    expect(comment.locator("strong", has_text="disagree")).to_be_visible()
    link = comment.get_by_role("link", name="defenders")
    assert link.get_attribute("rel") == "nofollow ugc noopener"
    expect(comment.locator(".comment-meta")).to_contain_text("I disagree")
    screenshot("comment-approved")
    assert csp_violations == []
