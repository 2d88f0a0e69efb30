"""The demo-data generator, and pagination that holds at scale."""

import pytest
from django.contrib.postgres.search import SearchRank
from django.core.management import call_command
from django.db import connection
from django.db.models import F

from debates.demo import DEMO, PUBLISHER, generate
from debates.models import Comment, Position, Topic
from debates.search import ranked_text, websearch
from members.models import Membership, Organization, Person, Source


def seed_snapshot():
    return {
        "positions": list(Position.objects.exclude(slug__startswith=DEMO).order_by("pk").values_list("pk", "summary")),
        "organizations": Organization.objects.exclude(slug__startswith=DEMO).count(),
        "people": Person.objects.exclude(slug__startswith=DEMO).count(),
        "memberships": Membership.objects.exclude(organization__slug__startswith=DEMO).count(),
        "sources": Source.objects.exclude(publisher=PUBLISHER).count(),
        "topics": Topic.objects.exclude(slug__startswith=DEMO).count(),
    }


def test_a_small_run_loads_what_it_says_consistently_and_can_be_removed(seed):
    before = seed_snapshot()
    call_command(
        "generate_demo_data", "--positions", "3000", "--comments", "6000", "--organizations", "50",
        "--people", "200", "--topics", "3", "--sources", "40", "--seed", "7",
    )  # fmt: skip
    demo_positions = Position.objects.filter(slug__startswith=DEMO)
    assert demo_positions.count() == 3000
    assert Comment.objects.filter(position__slug__startswith=DEMO).count() == 6000
    assert Organization.objects.filter(slug__startswith=DEMO).count() == 50
    assert Person.objects.filter(slug__startswith=DEMO).count() == 200

    with connection.cursor() as cursor:
        # Referential integrity, checked by hand since the bulk load skips the per-row checks.
        for child, column, parent in [
            ("debates_position", "speaker_id", "members_person"),
            ("debates_position", "organization_id", "members_organization"),
            ("debates_position_topics", "topic_id", "debates_topic"),
            ("debates_position_topics", "position_id", "debates_position"),
            ("debates_position_sources", "source_id", "members_source"),
            ("debates_comment", "position_id", "debates_position"),
            ("members_membership", "organization_id", "members_organization"),
            ("members_affiliation", "person_id", "members_person"),
        ]:
            cursor.execute(
                f"SELECT count(*) FROM {child} c LEFT JOIN {parent} p ON p.id = c.{column} "
                f"WHERE c.{column} IS NOT NULL AND p.id IS NULL"
            )
            assert cursor.fetchone()[0] == 0, (child, column)
    # Every demo position has a topic and a source, its counter matches, and search covers it.
    assert not demo_positions.filter(topics=None).exists()
    assert not demo_positions.filter(sources=None).exists()
    first = demo_positions.order_by("pk").first()
    assert first.approved_comment_count == first.comments.approved().count() >= 100
    assert Position.objects.filter(search_vector=first.speaker.name.split()[0]).exists()
    # New ids come after the loaded ones.
    assert (
        Position.objects.create(slug="after", speaker=first.speaker, form="paraphrase", summary="x", stance="open").pk
        > first.pk
    )

    Position.objects.filter(slug="after").delete()
    call_command("generate_demo_data", "--remove")
    assert not Position.objects.filter(slug__startswith=DEMO).exists()
    assert not Source.objects.filter(publisher=PUBLISHER).exists()
    assert seed_snapshot() == before


def test_the_same_seed_gives_the_same_data(seed):
    generate(positions=200, comments=300, organizations=10, people=20, topics=2, sources=5, seed=3)
    first = list(
        Position.objects.filter(slug__startswith=DEMO).order_by("slug").values_list("slug", "summary", "stance")
    )
    call_command("generate_demo_data", "--remove")
    generate(positions=200, comments=300, organizations=10, people=20, topics=2, sources=5, seed=3)
    again = list(
        Position.objects.filter(slug__startswith=DEMO).order_by("slug").values_list("slug", "summary", "stance")
    )
    assert first == again


@pytest.mark.parametrize(
    "query", ["", "stance=open", "q=open", "sort=oldest", "coalition=ai-alliance&topic=open-weights"]
)
def test_pages_neither_repeat_nor_skip_rows(client, seed, query):
    generate(positions=400, comments=0, organizations=10, people=20, topics=2, sources=5, seed=5)
    seen = []
    page = 1
    while True:
        response = client.get(f"/positions/?{query}&page={page}")
        if response.status_code == 404:
            break
        seen.extend(p.pk for p in response.context["page_obj"].object_list)
        if not response.context["page_obj"].has_next():
            break
        page += 1
    view = response.context["view"]
    assert len(seen) == len(set(seen))
    text = ranked_text(view.filterset.form.cleaned_data)
    if text:  # a search: every match (fewer than RANKED_CANDIDATES), best first
        rank = SearchRank(F("search_vector"), websearch(text), cover_density=True)
        ranks = dict(view.get_queryset().annotate(rank=rank).values_list("pk", "rank"))
        assert set(seen) == set(ranks) and len(ranks) > 25
        assert [ranks[pk] for pk in seen] == sorted(ranks.values(), reverse=True)
    else:
        assert seen == list(view.get_queryset().values_list("pk", flat=True))


def test_a_common_word_ranks_the_newest_matches_and_says_so(client, seed, monkeypatch):
    monkeypatch.setattr("debates.search.RANKED_CANDIDATES", 30)
    generate(positions=400, comments=0, organizations=10, people=20, topics=2, sources=5, seed=5)
    matches = Position.objects.filter(search_vector=websearch("open"))
    assert matches.count() > 60
    html = client.get("/positions/?q=open").content.decode()
    assert "More than 30 positions match. The newest 30 are ranked here, best match first;" in html
    assert 'href="?q=open&amp;sort=newest">sort by newest</a>' in html
    assert "Page 1 of 2" in html
    assert client.get("/positions/?q=open&page=3").status_code == 404
    newest = client.get("/positions/?q=open&sort=newest")
    assert newest.context["paginator"].count == matches.count()  # every match, newest first


def test_rows_added_while_paging_do_not_duplicate_or_skip_older_rows(client, seed):
    generate(positions=120, comments=0, organizations=5, people=10, topics=1, sources=3, seed=9)
    first_page = [p.pk for p in client.get("/positions/?sort=oldest").context["page_obj"].object_list]
    person = Person.objects.first()
    Position.objects.create(
        slug="late", speaker=person, form="paraphrase", summary="Late.", stance="open"
    )  # undated: last
    second_page = [p.pk for p in client.get("/positions/?sort=oldest&page=2").context["page_obj"].object_list]
    assert not set(first_page) & set(second_page)
    everything = list(Position.objects.order_by("said_on", "pk").values_list("pk", flat=True))
    assert first_page + second_page == everything[:50]
