"""Error pages say what went wrong in a reader's words, on the normal layout with its
navigation, and never show an exception's text."""

from pathlib import Path

import pytest
from django.conf import settings
from django.test import RequestFactory
from django.urls import reverse
from django.views.defaults import server_error

from debates.templatetags.debates_tags import SITE_NAV

INTERNAL_WORDS = [
    "Resolver404",
    "Invalid page",
    "That page contains no results",
    "matches the given query",
    "Traceback",
]
NAV_LINKS = [reverse(name) for _, name in SITE_NAV]


def assert_family_page(html: str):
    for word in INTERNAL_WORDS:
        assert word not in html
    assert 'nav aria-label="Main"' in html and "Skip to content" in html
    for url in NAV_LINKS:
        assert f'href="{url}"' in html
    assert f'href="{reverse("about")}"' in html  # the footer


@pytest.mark.parametrize(
    ("url", "words"),
    [
        ("/no-such-page/", "There is no page at this address"),
        ("/positions/no-such-position/", "There is no position at this address"),
        ("/organizations/no-such-organization/", "There is no organization at this address"),
        ("/policies/no-such-policy/", "There is no policy item at this address"),
        ("/positions/?page=999", "This list has no such page"),
        ("/matrix/?rows=organizations&page=99", "The matrix has no such page"),
        ("/data/unknown.csv", "There is no data set called “unknown”"),
    ],
)
def test_a_404_says_what_is_missing_in_words(client, seed, url, words):
    response = client.get(url)
    assert response.status_code == 404
    html = response.content.decode()
    assert "<h1>Page not found</h1>" in html and words in html
    assert_family_page(html)


def test_a_missing_page_of_a_list_links_its_first_page_with_the_filters_kept(client, seed):
    html = client.get("/positions/?stance=open&page=999").content.decode()
    assert '<a href="/positions/?stance=open">The first page of this list</a>' in html


def test_a_missing_record_offers_a_search_for_its_address_words(client, seed):
    html = client.get("/people/yan-lecun/").content.decode()
    assert 'name="q" value="yan lecun"' in html


def test_a_405_is_a_page_with_allow_and_the_navigation(client, seed):
    response = client.put("/positions/")
    assert response.status_code == 405
    assert response["Allow"] == "GET, HEAD, OPTIONS"
    html = response.content.decode()
    assert "This address cannot do that" in html and "Nothing was changed" in html
    assert_family_page(html)


def test_a_414_keeps_the_navigation(client, seed):
    response = client.get("/positions/?q=" + "a" * 3000)
    assert response.status_code == 414
    html = response.content.decode()
    assert "Address too long" in html and "Remove some filters" in html
    assert_family_page(html)


def test_a_400_for_a_bad_host_is_a_page_in_words(client, seed):
    response = client.get("/", headers={"host": "evil.example"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "could not read this request" in html and "evil.example" not in html
    assert_family_page(html)


def test_a_403_is_a_page_in_words(client, seed):
    from alliance_portal.errors import permission_denied

    response = permission_denied(RequestFactory().get("/"), PermissionError("secret internals"))
    html = response.content.decode()
    assert response.status_code == 403 and "Not allowed" in html and "secret internals" not in html
    assert_family_page(html)


def test_the_500_page_renders_without_the_database_or_the_request(django_assert_num_queries, seed):
    with django_assert_num_queries(0):
        response = server_error(RequestFactory().get("/"))
    html = response.content.decode()
    assert response.status_code == 500
    assert "Something went wrong on our side" in html and "not anything you did" in html
    assert_family_page(html)


@pytest.mark.parametrize("name", ["413.html", "50x.html"])
def test_nginx_error_pages_carry_the_same_navigation(name):
    html = (Path(settings.BASE_DIR) / "deploy" / "nginx" / "errors" / name).read_text(encoding="utf-8")
    for url in NAV_LINKS:
        assert f'href="{url}"' in html, url
    assert 'nav aria-label="Main"' in html


class TestOneBadFilterRule:
    """Pages ignore a bad filter and say so; feeds and downloads, which have nowhere to say
    so, answer a 400 page that names it and links the same address without it."""

    def test_a_page_ignores_it_with_a_message_in_plain_words(self, client, seed):
        html = client.get("/positions/?topic=foo").content.decode()
        assert "Ignored the filter “Topic”: there is no topic called “foo”; showing all topics." in html
        assert "Select a valid choice" not in html

    @pytest.mark.parametrize(
        ("url", "words"),
        [
            ("/people/?stance=sideways", "“sideways” is not a stance we know (choose Open, Closed or Mixed)"),
            ("/positions/?said_after=yesterday", "“yesterday” is not a date (use a date like 2024-05-31)"),
            ("/organizations/?coalition=nope", "there is no coalition called “nope”; showing all coalitions"),
            ("/positions/?person=nobody", "No person named “nobody”. Meanwhile showing all people."),
        ],
    )
    def test_page_messages_are_in_plain_words(self, client, seed, url, words):
        html = client.get(url).content.decode()
        assert words in html
        assert "Select a valid choice" not in html and "Enter a valid date" not in html

    @pytest.mark.parametrize(
        ("url", "what", "without"),
        [
            ("/positions/feed/?topic=foo&stance=open", "feed", "/positions/feed/?stance=open"),
            ("/people/feed/?stance=sideways", "feed", "/people/feed/"),
            ("/data/positions.csv?topic=foo", "download", "/data/positions.csv"),
            ("/data/organizations.json?kind=spaceship", "download", "/data/organizations.json"),
        ],
    )
    def test_feeds_and_downloads_answer_a_400_page_naming_it(self, client, seed, url, what, without):
        response = client.get(url)
        assert response.status_code == 400
        assert response["Content-Type"].startswith("text/html")
        html = response.content.decode()
        assert f"This {what}'s address has a filter the portal cannot apply" in html
        assert f'<a href="{without.replace("&", "&amp;")}">The same {what} without that filter</a>' in html
        assert "Select a valid choice" not in html
        assert_family_page(html)

    def test_what_a_reader_typed_is_escaped(self, client, seed):
        html = client.get("/positions/feed/?topic=<script>alert(1)</script>").content.decode()
        assert "<script>alert" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html


@pytest.mark.parametrize(
    ("url", "words"),
    [
        ("/no-such-page/", "There is no page at this address"),
        ("/positions/no-such-position/", "There is no position at this address"),
        ("/positions/?page=999", "This list has no such page"),
    ],
)
def test_the_development_server_shows_the_readers_404_not_the_url_patterns(client, seed, settings, url, words):
    settings.DEBUG = True  # make run
    response = client.get(url)
    assert response.status_code == 404
    html = response.content.decode()
    assert "URLconf" not in html and "NONE,NOARCHIVE" not in html
    assert "<h1>Page not found</h1>" in html and words in html
    assert_family_page(html)
