"""Every page runs the same number of SQL queries whether it shows a few rows or many.

Each count is pinned: a change that adds a query per row (or any query) fails here.
"""

import datetime

import pytest
from django.core.cache import caches
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

from debates.models import Comment, PolicyItem, PolicyMilestone, Position, Topic
from debates.tests.factories import make_policy, make_position
from members.models import Coalition, Organization, Person
from members.tests.factories import make_affiliation, make_membership, make_organization, make_person
from pagecache import fragments, store

# Queries to render each page. Every page is cached (pagecache); a miss adds
# CACHE_MISS: the shared level's lookup (with its freshness), taking the page's render
# lock (with the data version), and storing the page (with the lock's release).
CACHE_MISS = 3
PAGES = {
    # The independent lane costs three: the organizations outside both camps, their count (the
    # tally), and the independent positions' ids (debates.camps.Camps.independent_ids).
    "/": 16,  # coalitions and members, each lane's newest (open, closed, independent), policies, topics
    "/coalitions/": 2,
    "/coalitions/ai-alliance/": 11,  # + its count of positions, its members' stances by topic
    "/organizations/": 5,
    "/organizations/meta/": 17,  # + its releases and their sources, two lists of positions, counts, stances, changes
    "/people/": 6,  # + the organizations its box suggests
    "/people/yann-lecun/": 10,  # + its count, stances by topic (and their topics), changes of stance
    "/positions/": 9,  # + the organizations and people its boxes suggest
    "/positions/?q=open&stance=open&coalition=ai-alliance&sort=oldest": 10,
    "/positions/?person=yann-lecun&organization=meta": 11,  # + each name looked up (one query each)
    # + the other side: the newest opposing per topic (one lateral join), those, their prefetches.
    "/positions/yann-lecun-massive-corporate-lobbying/": 8,
    "/positions/yann-lecun-massive-corporate-lobbying/?comments=side": 8,
    "/topics/": 1,
    "/topics/open-weights/": 13,  # + the camps' memberships, the independent lane, its count by stance
    "/policies/": 4,
    "/policies/us-executive-order-on-ai/": 9,  # + status history and its sources
    "/compare/": 3,
    # Each side looked up among coalitions, organizations and people (a query each), its
    # releases, its newest per topic; the independent voices (the camps' members, the
    # newest per topic, those positions and their prefetches).
    # A side given by its slug (as links give it) is found by it, a kind at a time (coalition
    # first); a typed name by the fuzzy look-up of every kind (debates.sides.resolve_side).
    "/compare/?a=ai-alliance&b=frontier-model-forum": 26,
    "/compare/?a=meta&b=person:ilya-sutskever": 26,  # a kind named: one look-up for that side
    "/compare/?a=lecun&b=Frontier+Model+Forum": 32,  # "lecun" could be a slug of any kind; no releases
    "/matrix/": 4,  # + the sums of the organizations in neither coalition
    "/matrix/?rows=organizations": 5,  # a page of organizations: their count too, and their camps
    "/timeline/": 10,  # + model releases, the camps' memberships
    "/timeline/?topic=open-weights&camp=closed": 10,
    "/positions/?q=open+weights": 8,  # ranked: one query ranks and counts
    "/search/?q=meta": 8,  # + the positions said in the name of Meta, whose name matched
    "/search/?q=lobyying": 6,  # nothing found: + "Did you mean" (the closest words, topic and policy names)
    "/search/?q=Yan+Lecun": 10,  # + his positions by name, + "Did you mean"
    "/people/?name=yan+lecun": 6,  # a name search is the list's own query, closest first
    "/about/": 1,  # the coalitions
    # The topic (checked, then bound by the feed), the newest entries, their topics and sources.
    "/feeds/about/?url=%2Fpositions%2Ffeed%2F%3Ftopic%3Dopen-weights": 5,
    "/feeds/about/?url=%2Fpolicies%2Fus-executive-order-on-ai%2Ffeed%2F": 3,  # the item, changes, milestones
    "/policies/us-executive-order-on-ai/feed/": 3,
}


@override_settings(SIMPLE_HISTORY_ENABLED=False)  # versions are beside the point here, and slow to write
def grow():
    """Many more rows behind every page: positions, members, people, policies."""
    meta = Organization.objects.get(slug="meta")
    lecun = Person.objects.get(slug="yann-lecun")
    alliance = Coalition.objects.get(slug="ai-alliance")
    forum = Coalition.objects.get(slug="frontier-model-forum")
    weights = Topic.objects.get(slug="open-weights")
    order = PolicyItem.objects.get(slug="us-executive-order-on-ai")
    for i in range(30):
        for coalition in (alliance, forum):
            org = make_organization(name=f"Meta member {coalition.pk}-{i}")
            make_membership(coalition=coalition, organization=org)
            speaker = make_person(name=f"Speaker Meta {coalition.pk}-{i}")
            make_affiliation(person=speaker, organization=org, title="Open source lead")
            make_position(
                speaker=speaker,
                organization=org,
                stance=coalition.stance,
                topics=[weights],
                summary=f"Open weights are open {i}.",
                said_on=datetime.date(2023, 1, 1) + datetime.timedelta(days=i),
                policy_item=order,
            )
        position = make_position(
            speaker=lecun,
            organization=meta,
            topics=[weights],
            said_on=datetime.date(2022, 1, 1) + datetime.timedelta(days=i),
            stance=["open", "closed"][i % 2],
            summary=f"Meta on open weights, take {i}.",
        )
        Comment.objects.create(position=position, author_name="R", body_markdown="x", body_html="x", status="approved")
        make_policy(short_name=f"Meta act {i}")
        PolicyMilestone.objects.create(policy_item=order, on=datetime.date(2024, 1, 1), title=f"Step {i}")
    quoted = Position.objects.get(slug="yann-lecun-massive-corporate-lobbying")
    for i, reaction in enumerate(["agree", "disagree", "neither"] * 10):
        Comment.objects.create(
            position=quoted,
            author_name=f"Reader {i}",
            body_markdown="x",
            body_html="<p>x</p>",
            reaction=reaction,
            status="approved",
        )
    assert Position.objects.count() > 100


def count_queries(client, url):
    """The queries of a first render: no earlier render of the page in either cache level
    (checking whether an earlier one is still fresh would cost one more)."""
    store.clear_shared()
    caches["pages"].clear()
    fragments.clear()  # and no block of it kept from an earlier render (a reused one costs less)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(ctx.captured_queries)


@pytest.mark.parametrize(("url", "expected"), PAGES.items())
def test_query_count_is_pinned_and_independent_of_rows(client, seed, url, expected):
    # Pages with no rows at all skip their prefetches; every URL here shows some
    # (two seed positions get a date, so the timeline's dated part has rows too).
    Position.objects.filter(
        slug__in=["dario-gil-non-proprietary-and-open", "camille-carlton-completely-irresponsible"]
    ).update(said_on=datetime.date(2023, 12, 5))
    few = count_queries(client, url)
    grow()
    many = count_queries(client, url)
    assert (few, many) == (expected + CACHE_MISS, expected + CACHE_MISS), url
