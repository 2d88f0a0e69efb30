"""The read API: every kind, links, filters shared with the pages, cursor pages,
conditional GET, CORS, the rate limit and problem details."""

import csv
import io
import re

import pytest
from django.core.cache import caches
from django.db import connection
from django.test.utils import CaptureQueriesContext

from api.endpoints import ENDPOINTS
from api.problems import PROBLEM_TYPE
from debates.models import Comment, Position
from debates.tests.factories import make_position
from debates.tests.test_open_data import database_away  # noqa: F401 - a fixture
from members.models import Organization
from pagecache import store

QUOTED = "yann-lecun-massive-corporate-lobbying"


def get_json(client, url, status=200, **headers):
    response = client.get(url, **headers)
    assert response.status_code == status, (url, response.content[:500])
    return response.json()


def all_pages(client, url):
    """Every record of a list, following `next` links; also the pages' sizes."""
    records = []
    while url:
        body = get_json(client, url)
        records += body["results"]
        url = body["next"]
    return records


def assert_problem(response, status):
    assert response.status_code == status
    assert response["Content-Type"] == PROBLEM_TYPE
    body = response.json()
    assert body["status"] == status
    assert body["type"] == "about:blank"
    assert body["title"] and body["detail"] and body["instance"]
    return body


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=lambda e: e.name)
def test_every_kind_lists_and_each_record_links_to_itself(client, seed, endpoint):
    if endpoint.name == "comments":
        position = Position.objects.get(slug=QUOTED)
        Comment.objects.create(
            position=position, author_name="R", body_markdown="x", body_html="<p>x</p>", status="approved"
        )
    body = get_json(client, f"/api/v1/{endpoint.name}/")
    assert set(body) == {"next", "previous", "results"}
    first = body["results"][0]
    assert first["url"].startswith(f"http://testserver/api/v1/{endpoint.name}/")
    detail = get_json(client, first["url"])
    assert detail == first
    if "html_url" in first:
        assert client.get(first["html_url"].removeprefix("http://testserver")).status_code == 200


def test_a_position_links_its_speaker_organization_topics_and_comments(client, seed):
    body = get_json(client, f"/api/v1/positions/{QUOTED}/")
    assert body["html_url"] == f"http://testserver/positions/{QUOTED}/"
    assert body["speaker"]["url"] == "http://testserver/api/v1/people/yann-lecun/"
    assert body["speaker"]["html_url"] == "http://testserver/people/yann-lecun/"
    assert body["organization"]["slug"] == "meta"
    assert body["comments_url"] == f"http://testserver/api/v1/comments/?position={QUOTED}"
    assert body["sources"] and all(s["url"].startswith("http://testserver/api/v1/sources/") for s in body["sources"])
    assert get_json(client, body["topics"][0]["url"])["slug"] == body["topics"][0]["slug"]


def test_policy_items_carry_their_milestones_and_status_history(client, seed):
    body = get_json(client, "/api/v1/policies/eu-ai-act/")
    assert [change["status"] for change in body["status_changes"]][-1] == body["status"] == "in_force"
    assert body["milestones"] and {"on", "precision", "title", "is_deadline", "responsible"} == set(
        body["milestones"][0]
    )
    dates = [m["on"] for m in body["milestones"]]
    assert dates == sorted(dates)


def test_only_approved_comments_and_never_an_address(client, seed):
    position = Position.objects.get(slug=QUOTED)
    for status in ["approved", "pending", "rejected", "spam"]:
        Comment.objects.create(
            position=position, author_name=status, body_markdown="x", body_html="<p>x</p>", status=status,
            email="reader@example.org", ip_hash="f" * 64,
        )  # fmt: skip
    records = all_pages(client, f"/api/v1/comments/?position={QUOTED}")
    assert [c["author_name"] for c in records] == ["approved"]
    assert "email" not in records[0] and "ip_hash" not in records[0]
    hidden = Comment.objects.get(author_name="pending")
    assert_problem(client.get(f"/api/v1/comments/{hidden.pk}/"), 404)
    assert records[0]["html_url"] == f"http://testserver/positions/{QUOTED}/#comments"


FILTERS = [
    ("positions", "coalition=frontier-model-forum"),
    ("positions", "organization=meta&stance=open"),
    ("positions", "q=open+source"),
    ("organizations", "coalition=ai-alliance&kind=company"),
    ("people", "organization=meta"),
    ("memberships", "coalition=frontier-model-forum"),
    ("policies", "jurisdiction=eu"),
    ("releases", "organization=meta&openness=partial"),
]


def page_slugs(client, path, query, kind):
    """The slugs a list page links to, across its pages."""
    found, number = [], 1
    while True:
        response = client.get(f"/{path}/?{query}&page={number}")
        if response.status_code == 404:
            return found
        links = re.findall(rf'href="/{path}/([a-z0-9-]+)/"', response.content.decode())
        found += [slug for slug in dict.fromkeys(links) if slug not in found and slug != "feed"]
        number += 1


@pytest.mark.parametrize(("kind", "query"), FILTERS)
def test_a_filter_gives_the_same_records_through_the_csv_and_the_api(client, seed, kind, query):
    download = b"".join(client.get(f"/data/{kind}.csv?{query}").streaming_content).decode()
    csv_rows = list(csv.DictReader(io.StringIO(download)))
    api_rows = all_pages(client, f"/api/v1/{kind}/?{query}&page_size=7")
    assert csv_rows, "a filter that matches something"
    if kind == "releases":  # no slug: an organization's release is known by its name
        assert sorted(r["name"] for r in csv_rows) == sorted(r["name"] for r in api_rows)
    elif kind == "memberships":
        as_csv = sorted((r["coalition"], r["organization"]) for r in csv_rows)
        assert as_csv == sorted((r["coalition"]["slug"], r["organization"]["slug"]) for r in api_rows)
    else:
        assert sorted(r["slug"] for r in csv_rows) == sorted(r["slug"] for r in api_rows)


@pytest.mark.parametrize(
    ("path", "query"),
    [("positions", "coalition=frontier-model-forum"), ("organizations", "kind=company&coalition=ai-alliance")],
)
def test_a_filter_gives_the_same_records_as_the_page(client, seed, path, query):
    api_rows = all_pages(client, f"/api/v1/{path}/?{query}&page_size=100")
    assert sorted(page_slugs(client, path, query, path)) == sorted(r["slug"] for r in api_rows)


def test_pages_neither_repeat_nor_skip_while_rows_are_added(client, seed):
    expected = set(Position.objects.values_list("slug", flat=True))
    seen, url, added = [], "/api/v1/positions/?page_size=10", []
    while url:
        body = get_json(client, url)
        seen += [r["slug"] for r in body["results"]]
        added.append(make_position(summary=f"Added between pages {len(added)}.").slug)  # newest: before the cursor
        url = body["next"]
    assert len(seen) == len(set(seen))
    assert set(seen) == expected
    # And walking back from the end gives the same records in reverse.
    assert get_json(client, "/api/v1/positions/?page_size=10")["results"][0]["slug"] == added[-1]


def test_pages_in_ascending_key_order_pick_up_rows_added_at_the_end(client, seed):
    seen, url, added = [], "/api/v1/organizations/?page_size=20", 0
    while url:
        body = get_json(client, url)
        seen += [r["slug"] for r in body["results"]]
        if added < 3:
            Organization.objects.create(name=f"Late arrival {added}", slug=f"late-arrival-{added}", kind="company")
            added += 1
        url = body["next"]
    assert len(seen) == len(set(seen))
    assert set(seen) == set(Organization.objects.values_list("slug", flat=True))


def test_previous_links_walk_back(client, seed):
    first = get_json(client, "/api/v1/positions/?page_size=5")
    second = get_json(client, first["next"])
    assert get_json(client, second["previous"])["results"] == first["results"]


@pytest.mark.parametrize(
    ("url", "parameter"),
    [
        ("/api/v1/positions/?colour=red", "colour"),
        ("/api/v1/positions/?sort=oldest", "sort"),  # the pages' sort: the API pages by its key
        (f"/api/v1/positions/{QUOTED}/?stance=open", "stance"),
        ("/api/v1/positions/?stance=sideways", "stance"),
        ("/api/v1/positions/?topic=no-such-topic", "topic"),
        ("/api/v1/positions/?said_after=2024-13-45", "said_after"),
        ("/api/v1/positions/?q=" + "x" * 201, "q"),
        ("/api/v1/positions/?q=a%00b", "q"),
        ("/api/v1/organizations/?coalition=nope", "coalition"),
        ("/api/v1/policies/?status=dormant", "status"),
        ("/api/v1/positions/?cursor=not-a-cursor", "cursor"),
        ("/api/v1/positions/?cursor=cD1hYmM%3D", "cursor"),  # base64 of p=abc: a forged position
        ("/api/v1/positions/?page_size=0", "page_size"),
        ("/api/v1/positions/?page_size=101", "page_size"),
        ("/api/v1/positions/?page_size=ten", "page_size"),
    ],
)
def test_unknown_parameters_and_bad_values_are_a_400_problem(client, seed, url, parameter):
    body = assert_problem(client.get(url), 400)
    assert list(body["errors"]) == [parameter]
    assert parameter in body["detail"]


@pytest.mark.parametrize(
    "url", ["/api/v1/positions/no-such-position/", "/api/v1/sources/999999/", "/api/v1/sources/9999999999999999999/",
            "/api/v1/elephants/", "/api/v2/positions/"],
)  # fmt: skip
def test_what_is_not_there_is_a_404_problem(client, seed, url):
    assert_problem(client.get(url), 404)


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete", "trace"])
@pytest.mark.parametrize("url", ["/api/v1/positions/", f"/api/v1/positions/{QUOTED}/", "/api/v1/", "/api/v1/nothing"])
def test_the_api_only_reads(client, seed, method, url):
    body = assert_problem(getattr(client, method)(url), 405)
    assert method.upper() in body["detail"]


def test_head_and_options(client, seed):
    head = client.head("/api/v1/positions/")
    assert head.status_code == 200 and head.content == b""
    options = client.options("/api/v1/positions/")
    assert options.status_code == 200
    assert options["Allow"] == "GET, HEAD, OPTIONS"


def test_cors_lets_any_site_read_and_nothing_more(client, seed):
    response = client.get("/api/v1/positions/", HTTP_ORIGIN="https://elsewhere.example")
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "ETag" in response["Access-Control-Expose-Headers"]
    assert "Access-Control-Allow-Credentials" not in response
    preflight = client.options(
        "/api/v1/positions/", HTTP_ORIGIN="https://elsewhere.example", HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET"
    )
    assert preflight.status_code == 204
    assert preflight["Access-Control-Allow-Methods"] == "GET, HEAD, OPTIONS"
    assert preflight["Access-Control-Allow-Origin"] == "*"
    refused = client.post("/api/v1/positions/", HTTP_ORIGIN="https://elsewhere.example")
    assert refused.status_code == 405 and "Access-Control-Allow-Origin" not in refused
    assert "Access-Control-Allow-Origin" not in client.get("/positions/")  # the site itself: same origin only


@pytest.mark.parametrize("url", ["/api/v1/positions/", f"/api/v1/positions/{QUOTED}/", "/api/v1/openapi.json"])
def test_etag_and_304_while_nothing_changed(client, seed, url):
    first = client.get(url)
    etag = first["ETag"]
    again = client.get(url, HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304 and again.content == b""
    assert again["Access-Control-Allow-Origin"] == "*"
    if "openapi" not in url:
        make_position(summary="A new position.", topics=Position.objects.get(slug=QUOTED).topics.all())
        Position.objects.filter(slug=QUOTED).update(venue="Elsewhere")  # a change to both: new answers
        from pagecache import retire_all

        retire_all()
        changed = client.get(url, HTTP_IF_NONE_MATCH=etag)
        assert changed.status_code == 200


def test_a_change_shows_on_the_next_request(client, seed):
    url = f"/api/v1/positions/{QUOTED}/"
    assert get_json(client, url)["venue"] != "A new venue"
    position = Position.objects.get(slug=QUOTED)
    position.venue = "A new venue"
    position.save()
    assert get_json(client, url)["venue"] == "A new venue"


class TestRateLimit:
    @pytest.fixture(autouse=True)
    def small_limit(self, settings):
        settings.API_RATE_LIMIT = 3
        settings.API_RATE_WINDOW = 60

    def test_over_the_limit_is_429_with_retry_after(self, client, seed):
        for _ in range(3):
            assert client.get("/api/v1/topics/").status_code == 200
        response = client.get("/api/v1/topics/", REMOTE_ADDR="127.0.0.1")
        body = assert_problem(response, 429)
        assert 1 <= int(response["Retry-After"]) <= 60
        assert "Retry-After" in response["Access-Control-Expose-Headers"]
        assert "throttled" in body["detail"].lower()

    def test_counted_per_client_as_the_proxy_reports_it(self, client, seed):
        behind_nginx = {"REMOTE_ADDR": "127.0.0.1"}
        for _ in range(3):
            client.get("/api/v1/topics/", HTTP_X_FORWARDED_FOR="203.0.113.7", **behind_nginx)
        assert client.get("/api/v1/topics/", HTTP_X_FORWARDED_FOR="203.0.113.7", **behind_nginx).status_code == 429
        assert client.get("/api/v1/topics/", HTTP_X_FORWARDED_FOR="203.0.113.8", **behind_nginx).status_code == 200

    def test_a_client_cannot_choose_its_address(self, client, seed):
        direct = {"REMOTE_ADDR": "198.51.100.9"}  # not a trusted proxy: its X-Forwarded-For is not read
        for i in range(3):
            client.get("/api/v1/topics/", HTTP_X_FORWARDED_FOR=f"192.0.2.{i}", **direct)
        assert client.get("/api/v1/topics/", HTTP_X_FORWARDED_FOR="192.0.2.99", **direct).status_code == 429


# Queries per answer: the rate limit's count, then the records and their prefetches;
# a miss adds the page cache's (see debates/tests/test_query_counts.py).
CACHE_MISS = 3
QUERIES = {
    "/api/v1/positions/": 4,  # + topics, sources
    "/api/v1/positions/?coalition=ai-alliance&stance=open&q=open": 5,  # + the coalition's look-up
    f"/api/v1/positions/{QUOTED}/": 4,
    "/api/v1/organizations/": 4,  # + memberships, sources
    "/api/v1/organizations/meta/": 4,
    "/api/v1/policies/": 7,  # + topics, sources, milestones, status changes and their sources
    "/api/v1/policies/eu-ai-act/": 7,
    "/api/v1/comments/": 2,
    "/api/v1/releases/": 3,  # + sources
}


def count_queries(client, url, first_render=True):
    """Queries of a first render (no earlier render of the answer in either cache level: checking
    whether one is still fresh costs one more), or of what the request costs as it comes."""
    if first_render:
        store.clear_shared()
        caches["pages"].clear()
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(ctx.captured_queries)


def grow():
    meta = Organization.objects.get(slug="meta")
    quoted = Position.objects.get(slug=QUOTED)
    for i in range(40):
        make_position(organization=meta, summary=f"Open weights again, take {i}.")
        Comment.objects.create(
            position=quoted, author_name=f"R{i}", body_markdown="x", body_html="x", status="approved"
        )


@pytest.mark.parametrize(("url", "expected"), QUERIES.items())
def test_query_count_is_pinned_and_independent_of_rows(client, seed, url, expected):
    few = count_queries(client, url)
    grow()
    many = count_queries(client, url)
    assert (few, many) == (expected + CACHE_MISS, expected + CACHE_MISS), url
    assert count_queries(client, url, first_render=False) == 2  # cached: the rate limit, and is it fresh?


def test_a_query_string_too_long_is_a_414_problem(client, seed):
    response = client.get("/api/v1/positions/?q=" + "x" * 3000)
    body = assert_problem(response, 414)
    assert "2048" in body["detail"]
    assert "<html" not in response.content.decode()


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("database_away")
def test_the_database_away_is_a_503_problem_with_retry_after(client):
    response = client.get("/api/v1/positions/")
    assert_problem(response, 503)
    assert response["Retry-After"] == "60"
    assert response["Access-Control-Allow-Origin"] == "*"


def test_the_documentation_page_refuses_a_post_as_a_problem_too(client, seed):
    response = client.post("/api/")
    assert_problem(response, 405)
    assert response["Allow"] == "GET, HEAD, OPTIONS"


def test_an_ipv6_client_is_counted_by_its_64(client, seed, settings):
    settings.API_RATE_LIMIT = 2
    behind_nginx = {"REMOTE_ADDR": "127.0.0.1"}
    for host in ("2001:db8:1:2::1", "2001:db8:1:2::ffff"):  # one subscriber's block, two addresses
        assert client.get("/api/v1/topics/", HTTP_X_FORWARDED_FOR=host, **behind_nginx).status_code == 200
    assert client.get("/api/v1/topics/", HTTP_X_FORWARDED_FOR="2001:db8:1:2::2", **behind_nginx).status_code == 429
    assert client.get("/api/v1/topics/", HTTP_X_FORWARDED_FOR="2001:db8:1:3::1", **behind_nginx).status_code == 200


def test_past_windows_are_pruned(client, seed):
    from django.core.management import call_command

    from api.models import RateWindow
    from api.throttling import current_window

    client.get("/api/v1/topics/")
    RateWindow.objects.create(client="192.0.2.1", window=current_window() - 5, hits=3)
    call_command("prune_rate_windows", stdout=io.StringIO())
    assert list(RateWindow.objects.values_list("client", flat=True)) == ["127.0.0.1"]
