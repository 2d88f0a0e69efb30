"""The independent lane (debates.camps): positions said for no organization or for one in
neither camp. While they are few it is looked up by their ids (a filter made PostgreSQL walk a
million positions for the handful of them); while they are many, by the filter. Either way a
reader sees the same lane."""

import re

import pytest

from debates.camps import INDEPENDENT, Camps
from debates.models import Position, Topic
from debates.tests.factories import make_position
from members.models import Organization, Person

TOPICS = ["/topics/open-weights/", "/topics/regulation-and-lobbying/", "/", "/compare/?a=ai-alliance&b=meta"]


def independent_lane(html: str) -> list[str]:
    """The positions a page shows as independent voices: a topic's lane, home's band, compare's
    band under each topic (each ends its section)."""
    starts = r'id="lane-independent"|id="independent"|class="lane lane-independent band compare-independent"'
    bands = re.split(starts, html)
    assert len(bands) > 1, "no independent band on the page"
    return [
        href
        for band in bands[1:]
        for href in re.findall(r'href="(/positions/[^"/]+/)"', band.split("</section>", 1)[0])
    ]


def by_filter(monkeypatch):
    monkeypatch.setattr("debates.camps.INDEPENDENT_ID_LIST", -1)  # "many": the filter, not ids


def test_ids_while_few_and_the_filter_while_many_find_the_same_positions(seed, monkeypatch):
    few = Camps.load()
    assert few.independent_ids is not None
    by_ids = set(few.in_lane(Position.objects.all(), INDEPENDENT).values_list("slug", flat=True))
    by_filter(monkeypatch)
    many = Camps.load()
    assert many.independent_ids is None
    assert set(many.in_lane(Position.objects.all(), INDEPENDENT).values_list("slug", flat=True)) == by_ids
    assert "camille-carlton-completely-irresponsible" in by_ids  # the Center for Humane Technology
    meta = Organization.objects.get(slug="meta")
    assert not by_ids & set(Position.objects.filter(organization=meta, speaks_for=True).values_list("slug", flat=True))


@pytest.mark.parametrize("url", TOPICS)
def test_pages_show_the_same_independent_voices_either_way(client, seed, monkeypatch, url):
    shown = independent_lane(client.get(url).content.decode())
    by_filter(monkeypatch)
    from django.core.cache import caches

    from pagecache import fragments, store

    store.clear_shared()
    caches["pages"].clear()
    fragments.clear()
    assert independent_lane(client.get(url).content.decode()) == shown


def test_a_member_speaking_for_themselves_is_an_independent_voice(client, seed):
    weights = Topic.objects.get(slug="open-weights")
    lecun = Person.objects.get(slug="yann-lecun")
    meta = Organization.objects.get(slug="meta")
    own = make_position(speaker=lecun, organization=meta, speaks_for=False, topics=[weights], summary="For myself.")
    for_meta = make_position(speaker=lecun, organization=meta, topics=[weights], summary="For Meta.")
    lane = set(Camps.load().in_lane(Position.objects.all(), INDEPENDENT))
    assert own in lane and for_meta not in lane


def test_no_independent_voice_at_all_leaves_the_band_empty(client, seed):
    independent = Camps.load().in_lane(Position.objects.all(), INDEPENDENT)
    Position.objects.filter(pk__in=list(independent.values_list("pk", flat=True))).delete()
    assert Camps.load().independent_ids == []
    for url in TOPICS:
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        assert "camille-carlton-completely-irresponsible" not in html, url
        if 'id="lane-independent"' in html or 'id="independent"' in html:
            assert independent_lane(html) == [], url


def membership_queries(client, url) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    # The camps' own read (the organizations outside them are asked with the memberships as a subquery).
    return sum(query["sql"].startswith('SELECT "members_membership"') for query in ctx.captured_queries)


def test_the_camps_are_read_once_for_every_page_until_a_membership_changes(client, seed):
    from members.models import Coalition, Membership

    assert membership_queries(client, "/topics/open-weights/") >= 1
    assert membership_queries(client, "/topics/regulation-and-lobbying/") == 0  # kept from the first page
    lane = independent_lane(client.get("/compare/?a=ai-alliance&b=meta").content.decode())
    slugs = [href.split("/")[2] for href in lane]
    outsider = Position.objects.filter(slug__in=slugs, speaks_for=True, organization__isnull=False).first().organization
    shown = [p.get_absolute_url() for p in outsider.positions.filter(speaks_for=True) if p.get_absolute_url() in lane]
    Membership.objects.create(coalition=Coalition.objects.get(slug="frontier-model-forum"), organization=outsider)
    assert membership_queries(client, "/topics/biosecurity/") >= 1  # read again
    lane = independent_lane(client.get("/compare/?a=ai-alliance&b=meta").content.decode())
    assert shown and not set(shown) & set(lane)  # in a camp now: gone from the independent voices
