"""Blocks (pagecache.fragments.block): a position page's "other side" is rendered once for
every position on the same topics with the same stance, reused while none of what it shows
changed, and retired with any change to it: a page never shows an other side a fresh render
would not."""

import datetime
import re
from types import SimpleNamespace

import pytest
from django.core.cache import caches
from django.db import connection
from django.test.utils import CaptureQueriesContext

from debates.models import Position
from debates.tests.factories import make_position, make_topic
from members.models import Stance
from pagecache import fragments, store

pytestmark = pytest.mark.django_db


def other_side(html: str) -> str:
    section = html.split('id="other-side-heading"', 1)[1].split("</section>", 1)[0]
    return re.sub(r"\s+", " ", section)


def page(client, position):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(position.get_absolute_url())
    assert response.status_code == 200
    return response.content.decode(), len(ctx.captured_queries)


def fresh_render(client, position) -> str:
    store.clear_shared()
    caches["pages"].clear()
    fragments.clear()
    return other_side(page(client, position)[0])


@pytest.fixture
def debate():
    weights = make_topic(name="Weights")
    first = make_position(topics=[weights], stance=Stance.OPEN, summary="First open take.")
    second = make_position(topics=[weights], stance=Stance.OPEN, summary="Second open take.")
    answer = make_position(topics=[weights], stance=Stance.CLOSED, summary="A closed answer.")
    return SimpleNamespace(weights=weights, first=first, second=second, answer=answer)


@pytest.mark.django_db(transaction=True)  # committed, as a moderator's save is: nothing pending
def test_the_other_side_is_rendered_once_for_positions_on_the_same_topics(client, debate):
    html, first_queries = page(client, debate.first)
    assert "A closed answer." in other_side(html)
    html, second_queries = page(client, debate.second)
    assert "A closed answer." in other_side(html) and "First open take." not in other_side(html)
    # Its four queries (the newest per topic, those positions, their topics, their sources)
    # are not run: nothing at all changed since the block rendered.
    assert second_queries == first_queries - 4
    assert other_side(html) == fresh_render(client, debate.second)


def test_after_an_unrelated_change_the_block_costs_one_check(client, debate):
    html, first_queries = page(client, debate.first)
    make_position(topics=[make_topic(name="Compute")], stance=Stance.CLOSED)  # elsewhere
    third = make_position(topics=[debate.weights], stance=Stance.OPEN, summary="Third open take.")
    fresh = fresh_render(client, third)
    page(client, debate.first)  # the block again, as fresh_render left none
    make_position(topics=[make_topic(name="Chips")], stance=Stance.OPEN)
    store.clear_shared()  # the page rendered again, its blocks kept
    caches["pages"].clear()
    html, third_queries = page(client, third)
    assert third_queries == first_queries - 3  # the four queries became one check of its rows
    assert other_side(html) == fresh


def test_a_position_on_two_topics_merges_each_topics_block(client, debate):
    compute = make_topic(name="Compute")
    older = datetime.date(2023, 5, 1)
    make_position(topics=[compute], stance=Stance.CLOSED, summary="An older closed compute take.", said_on=older)
    debate.answer.said_on = datetime.date(2024, 5, 1)
    debate.answer.save()
    on_compute = make_position(topics=[compute], stance=Stance.OPEN)
    both = make_position(topics=[debate.weights, compute], stance=Stance.OPEN, summary="Open on both.")
    page(client, debate.first)  # Weights' block
    page(client, on_compute)  # Compute's block
    html, queries = page(client, both)
    shown = other_side(html)
    assert shown.index("A closed answer.") < shown.index("An older closed compute take.")  # newest first
    assert shown == fresh_render(client, both)
    store.clear_shared()
    caches["pages"].clear()
    fragments.clear()
    _, rendered = page(client, both)
    # Both topics' blocks reused: their four queries not run, one check each instead (this
    # test's changes are not committed, so each block asks whether its own rows changed).
    assert queries == rendered - 4 + 2


def test_a_position_on_other_topics_gets_its_own_other_side(client, debate):
    page(client, debate.first)
    elsewhere = make_position(topics=[make_topic(name="Compute")], stance=Stance.OPEN)
    html, _ = page(client, elsewhere)
    assert "A closed answer." not in other_side(html)
    assert "No position with the opposite stance" in other_side(html)


def test_a_newly_published_answer_shows_on_every_page_that_reuses_the_block(client, debate):
    page(client, debate.first)
    page(client, debate.second)
    make_position(topics=[debate.weights], stance=Stance.CLOSED, summary="A newer closed answer.")
    html, _ = page(client, debate.second)
    assert "A newer closed answer." in other_side(html)
    assert other_side(html) == fresh_render(client, debate.second)


def test_an_edit_of_a_shown_position_retires_the_pages_that_reused_it(client, debate):
    page(client, debate.first)
    page(client, debate.second)  # stored with the block's rows among its own
    debate.answer.summary = "A closed answer, reworded."
    debate.answer.save()
    response = client.get(debate.second.get_absolute_url())
    assert response["X-Page-Cache"] == "miss"
    assert "A closed answer, reworded." in other_side(response.content.decode())


def test_a_withdrawn_answer_leaves_the_block(client, debate):
    page(client, debate.first)
    Position.objects.filter(pk=debate.answer.pk).update(published=False)  # no signal: as a bulk change
    from pagecache import retire_all

    retire_all()
    html, _ = page(client, debate.second)
    assert "A closed answer." not in other_side(html)
