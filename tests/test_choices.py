"""Select boxes of every topic or coalition (alliance_portal.choices): their options kept
between renders, and never stale."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from alliance_portal.choices import KeptModelChoiceField
from debates.models import Topic
from members.models import Coalition


def options(html: str, name: str) -> list[tuple[str, str]]:
    select = re.search(rf'<select name="{name}"[^>]*>(.*?)</select>', html, re.S).group(1)
    return re.findall(r'<option value="([^"]*)"[^>]*>([^<]*)</option>', select)


def queries_of_table(client, url: str, table: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return sum(f'FROM "{table}"' in query["sql"] for query in ctx.captured_queries)


def test_the_topic_box_offers_every_topic_and_keeps_the_one_picked(client, seed):
    html = client.get("/positions/?topic=open-weights").content.decode()
    offered = options(html, "topic")
    assert offered[0] == ("", "Any")
    assert {slug for slug, _ in offered[1:]} == set(Topic.objects.values_list("slug", flat=True))
    assert re.search(r'<option value="open-weights" selected>', html)
    assert ("ai-alliance", "AI Alliance") in options(html, "coalition")


def test_the_options_are_loaded_once_not_on_every_render(client, seed):
    assert queries_of_table(client, "/positions/?stance=open", "debates_topic") >= 1
    # Another page never rendered before, the same boxes: their options reused.
    assert queries_of_table(client, "/positions/?stance=closed", "members_coalition") == 0
    assert queries_of_table(client, "/people/?stance=open", "members_coalition") == 0
    topics = queries_of_table(client, "/positions/?stance=closed&page=1&sort=oldest", "debates_topic")
    assert topics == 1  # the cards' own topics; none for the box


def test_a_renamed_or_new_topic_shows_in_the_box_at_once(client, seed):
    client.get("/positions/?stance=open")
    topic = Topic.objects.get(slug="open-weights")
    topic.name = "Open model weights"
    topic.save()
    Topic.objects.create(name="Compute thresholds", slug="compute-thresholds", question="Where?")
    offered = options(client.get("/positions/?stance=closed").content.decode(), "topic")
    assert ("open-weights", "Open model weights") in offered
    assert ("compute-thresholds", "Compute thresholds") in offered
    # The page rendered before the change is retired too.
    assert ("open-weights", "Open model weights") in options(
        client.get("/positions/?stance=open").content.decode(), "topic"
    )


def test_a_coalition_deleted_since_its_box_was_kept_is_gone_from_it(client, seed):
    client.get("/organizations/")
    Coalition.objects.create(name="Short-lived", slug="short-lived", stance="open")
    assert ("short-lived", "Short-lived") in options(client.get("/organizations/?kind=").content.decode(), "coalition")
    Coalition.objects.filter(slug="short-lived").delete()
    html = client.get("/organizations/?coalition=short-lived").content.decode()
    assert ("short-lived", "Short-lived") not in options(html, "coalition")
    # Picking it now is asked of the database, not of the kept options: told in words.
    assert "Ignored the filter “Coalition”: there is no coalition called “short-lived”" in html


def test_a_filtered_queryset_is_refused():
    with pytest.raises(ValueError, match="not of a filtered queryset"):
        KeptModelChoiceField(queryset=Topic.objects.filter(slug="open-weights"))
