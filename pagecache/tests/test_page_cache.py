"""The page cache: what a reader gets from it, and what it costs."""

import re

import pytest
from django.contrib.auth.models import User
from django.core.cache import caches
from django.test import Client

from debates.models import Comment, Position
from pagecache import retire_all, store
from pagecache.store import data_version
from pagecache.tests.visits import queries_for

POSITION = "/positions/yann-lecun-massive-corporate-lobbying/"
PAGES = [
    "/",
    "/positions/",
    "/positions/?q=open&stance=open",
    "/positions/feed/",
    POSITION,
    "/topics/open-weights/",
    "/compare/?a=ai-alliance&b=frontier-model-forum",
    "/matrix/",
    "/timeline/",
    "/search/?q=meta",
    "/organizations/meta/",
    "/people/",
]


def without_csrf(html: bytes) -> bytes:
    return re.sub(rb'name="csrfmiddlewaretoken" value="[^"]*"', b"", html)


@pytest.mark.parametrize("url", PAGES)
def test_a_repeat_visit_is_one_query_until_the_data_changes(client, seed, url):
    first, _ = queries_for(client, url)
    again, n = queries_for(client, url)
    assert n == 1
    assert without_csrf(again.content) == without_csrf(first.content)
    retire_all()  # every page (which pages an edit retires: test_retirement.py)
    _, n = queries_for(client, url)
    assert n > 1


def test_an_edit_shows_on_the_next_visit(client, seed):
    position = Position.objects.get(slug="clement-delangue-untie-everyone")  # the newest: on the first page
    assert "Corrected summary" not in client.get("/positions/").content.decode()
    position.summary = "Corrected summary of the lobbying claim."
    position.save()
    assert "Corrected summary of the lobbying claim." in client.get("/positions/").content.decode()
    assert "Corrected summary of the lobbying claim." in client.get(position.get_absolute_url()).content.decode()


def test_each_reader_of_a_cached_position_page_gets_a_working_comment_form(seed):
    readers = [Client(enforce_csrf_checks=True) for _ in range(2)]
    tokens = []
    for reader in readers:
        html = reader.get(POSITION).content.decode()
        tokens.append(re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1))
        assert "<csrf-token-slot>" not in html
    assert tokens[0] != tokens[1]
    _, n = queries_for(readers[1], POSITION)
    assert n == 1  # the second reader was served from the cache
    response = readers[1].post(
        POSITION + "comments/",
        {"author_name": "Ada", "body_markdown": "Well argued.", "reaction": "agree", "csrfmiddlewaretoken": tokens[1]},
    )
    assert response.status_code == 302
    assert Comment.objects.filter(author_name="Ada", body_markdown="Well argued.").exists()


def test_a_page_with_a_warning_is_not_cached(client, seed):
    for _ in range(2):
        response, n = queries_for(client, "/positions/?stance=nonsense")
        assert "Ignored the filter “Stance”" in response.content.decode()
        assert n > 1
    assert "Ignored" not in client.get("/positions/").content.decode()


def test_logged_in_users_are_never_served_from_the_cache(client, seed):
    client.get("/positions/")
    client.force_login(User.objects.create_superuser("mod", "mod@example.org", "a-long-moderator-password"))
    _, n = queries_for(client, "/positions/")
    assert n > 3  # the session, the user, and the page rendered afresh


def test_pages_are_cached_per_host(client, seed):
    client.get("/", HTTP_HOST="127.0.0.1")
    html = client.get("/", HTTP_HOST="localhost").content.decode()
    assert '<link rel="canonical" href="http://localhost/">' in html


def test_both_levels_serve_a_hit(client, seed):
    client.get("/matrix/")
    store.clear_shared()  # the shared level gone: this process still has the page
    assert queries_for(client, "/matrix/")[1] == 1
    caches["pages"].clear()  # this process's level gone: another process's render is shared
    client.get("/matrix/")
    caches["pages"].clear()
    response, n = queries_for(client, "/matrix/")
    assert response["X-Page-Cache"] == "hit"
    assert n == 1  # the shared page and whether any of its tags changed, in one query


def test_the_data_version_advances_now_and_again_at_commit(db, django_capture_on_commit_callbacks):
    before = data_version()
    with django_capture_on_commit_callbacks(execute=True):
        retire_all()
        assert data_version() == before + 1
    assert data_version() == before + 2


def still_ahead(html: str) -> str:
    """The policy page's "Still ahead" part, as text."""
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))
    return text.split("Still ahead", 1)[1].split("passed", 1)[0]


def test_a_page_cached_yesterday_is_rendered_afresh_today(client, seed):
    """What is still ahead changes at midnight with no change to the data."""
    from datetime import date
    from unittest import mock

    url = "/policies/eu-ai-act/"
    with mock.patch("django.utils.timezone.localdate", return_value=date(2026, 8, 1)):
        assert "2 August 2026" in still_ahead(client.get(url).content.decode())
        _, n = queries_for(client, url)
        assert n == 1  # cached for the day
    with mock.patch("django.utils.timezone.localdate", return_value=date(2026, 8, 3)):
        assert "2 August 2026" not in still_ahead(client.get(url).content.decode())
