"""Nothing accepted is lost: many readers post at once against a live server."""

import http.cookiejar
import re
import urllib.error
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor

import pytest

from debates.models import Comment

SLUG = "yann-lecun-massive-corporate-lobbying"


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def post_comment(base_url: str, body: str) -> int:
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), _NoRedirect)
    page = opener.open(f"{base_url}/positions/{SLUG}/", timeout=30).read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    data = urllib.parse.urlencode(
        {
            "csrfmiddlewaretoken": token,
            "author_name": "Reader",
            "body_markdown": body,
            "reaction": "neither",
            "post": "1",
        }
    ).encode()
    request = urllib.request.Request(
        f"{base_url}/positions/{SLUG}/comments/", data=data, headers={"Referer": f"{base_url}/positions/{SLUG}/"}
    )
    try:
        return opener.open(request, timeout=30).status
    except urllib.error.HTTPError as response:
        return response.code


@pytest.mark.django_db(transaction=True)
def test_simultaneous_posts_are_each_stored_once_or_refused_with_429(live_server, settings):
    from debates.seed import load_seed

    load_seed()
    settings.COMMENT_RATE_LIMIT = 10
    bodies = [f"Distinct comment number {i}" for i in range(24)]
    with ThreadPoolExecutor(max_workers=8) as pool:
        statuses = list(pool.map(lambda body: post_comment(live_server.url, body), bodies))

    assert set(statuses) <= {302, 429}, statuses
    accepted = statuses.count(302)
    assert accepted == 10  # the limit held under concurrency
    stored = list(Comment.objects.values_list("body_markdown", flat=True))
    assert len(stored) == len(set(stored)) == accepted
    assert set(stored) <= set(bodies)
