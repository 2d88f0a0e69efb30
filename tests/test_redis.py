"""Redis as the shared cache (REDIS_URL): pages shared through it, rate limits counted in it,
and what readers and commenters get while it is away and once it is back. A real
redis-server on loopback (tests/servers.py); each test starts from an empty Redis."""

import time

import pytest
from django.test import Client

from alliance_portal import ratelimit
from debates.models import Comment
from pagecache import store

SLUG = "yann-lecun-massive-corporate-lobbying"
PAGE = f"/positions/{SLUG}/"
POST = f"/positions/{SLUG}/comments/"


def comment(client, text: str):
    data = {"author_name": "Ada", "body_markdown": text, "reaction": "agree", "website": "", "post": "1"}
    return client.post(POST, data)


@pytest.fixture
def redis_cache(settings, redis_server):
    """The settings REDIS_URL gives, against the session's redis-server, emptied first."""
    if redis_server.process is None:
        redis_server.start()
    redis_server.client().flushall()
    settings.REDIS_URL = redis_server.url
    settings.CACHES = {
        **settings.CACHES,
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": redis_server.url,
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        },
    }
    settings.COMMENT_RATE_LIMIT = 3
    store._shared.resting_until = 0.0
    yield redis_server
    store._shared.resting_until = 0.0
    if redis_server.process is None:
        redis_server.start()


def page_keys(redis_server) -> list[bytes]:
    return redis_server.client().keys("*portal:page:*")


def test_a_page_is_shared_through_redis(client, seed, redis_cache):
    assert client.get(PAGE).status_code == 200
    assert len(page_keys(redis_cache)) == 1
    from django.core.cache import caches

    caches["pages"].clear()  # another app server: nothing in its memory, the page in Redis
    response = client.get(PAGE)
    assert response.status_code == 200 and "massive corporate lobbying" in response.content.decode()
    assert len(page_keys(redis_cache)) == 1


def test_the_comment_limit_counts_in_redis(client, seed, redis_cache):
    assert [comment(client, f"Comment {i}").status_code for i in range(4)] == [302, 302, 302, 429]
    assert Comment.objects.count() == 3
    counters = redis_cache.client().keys("*portal:rate:comment:*")
    assert len(counters) == 1 and int(redis_cache.client().get(counters[0])) == 3  # the refused one given back


def test_the_limit_holds_for_posts_that_race_each_other(seed, redis_cache):
    # Every server process asks the same Redis; INCR is atomic, so eight at once get exactly the limit.
    from concurrent.futures import ThreadPoolExecutor

    def attempt(_):
        return ratelimit.allow("race", "one-address", limit=5, window=60)

    with ThreadPoolExecutor(8) as pool:
        results = list(pool.map(attempt, range(8)))
    assert results.count(True) == 5


def test_without_redis_the_limit_counts_the_database(client, seed, settings):
    settings.COMMENT_RATE_LIMIT = 2
    assert not ratelimit.shared_store_configured()
    assert [comment(client, f"Comment {i}").status_code for i in range(3)] == [302, 302, 429]


def test_while_redis_is_away_pages_answer_and_comments_are_refused_with_503(client, seed, redis_cache, caplog):
    redis_cache.stop()
    started = time.monotonic()
    response = client.get(PAGE)
    assert response.status_code == 200 and "massive corporate lobbying" in response.content.decode()
    assert client.get("/positions/").status_code == 200
    assert time.monotonic() - started < 5

    refused = comment(client, "Posted while Redis is away")
    assert refused.status_code == 503
    assert refused["Retry-After"] == "10"
    assert "Try again shortly" in refused.content.decode() and "nothing was saved" in refused.content.decode()
    assert not Comment.objects.filter(body_markdown="Posted while Redis is away").exists()
    assert any("Shared page cache unavailable" in r.getMessage() for r in caplog.records)
    # Django logs every 5xx it answers; nothing else is an error.
    assert [r.getMessage() for r in caplog.records if r.levelname == "ERROR"] == [f"Service Unavailable: {POST}"]


def test_reads_may_fail_open(seed, redis_cache):
    redis_cache.stop()
    assert ratelimit.allow("search", "one-address", limit=1, window=60, fail_open=True)
    with pytest.raises(ratelimit.StoreUnavailable):
        ratelimit.allow("search", "one-address", limit=1, window=60)


def test_once_redis_is_back_everything_recovers_by_itself(client, seed, redis_cache):
    redis_cache.stop()
    assert client.get(PAGE).status_code == 200
    assert comment(client, "While away").status_code == 503
    redis_cache.start()
    assert comment(client, "Once back").status_code == 302  # limits ask Redis again at once
    time.sleep(store.SHARED_RETRY_SECONDS + 0.1)  # the page cache rests a moment, then shares again
    from django.core.cache import caches

    caches["pages"].clear()
    assert Client().get("/positions/").status_code == 200  # a reader with no message to show
    assert page_keys(redis_cache)


def test_a_burst_across_a_window_boundary_cannot_double_the_limit(seed, redis_cache, monkeypatch):
    window, start = 60, 1_000_020.0  # 1 s before a window ends (1_000_020 = 16667 × 60)
    clock = {"now": start - 1}
    monkeypatch.setattr(ratelimit.time, "time", lambda: clock["now"])

    def burst(n):
        return [ratelimit.allow("burst", "one-address", limit=5, window=window) for _ in range(n)]

    assert burst(6) == [True] * 5 + [False]
    clock["now"] = start + 1  # the next window: the last one still weighs 59/60
    assert burst(2) == [False, False]
    clock["now"] = start + 30  # half-way: the last window's five weigh 2.5
    assert burst(3) == [True, True, False]
