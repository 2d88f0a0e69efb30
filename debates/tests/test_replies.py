"""Replies from those quoted: a position answers another; the page shows the exchange in order;
lists mark what was answered."""

import datetime

import pytest
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext

from debates.models import Position
from debates.tests.factories import make_position

pytestmark = pytest.mark.django_db


@pytest.fixture
def exchange(seed):
    said = make_position(summary="Open weights are reckless.", said_on=datetime.date(2024, 1, 10), stance="closed")
    answer = make_position(
        summary="Our right of reply: they are not.",
        said_on=datetime.date(2024, 2, 1),
        in_reply_to=said,
        reply_kind="right_of_reply",
    )
    fix = make_position(
        summary="A correction of the figures in that reply.",
        said_on=datetime.date(2024, 3, 5),
        in_reply_to=answer,
        reply_kind="correction",
    )
    return said, answer, fix


def test_an_answer_needs_its_kind_and_only_an_answer_has_one(seed):
    said = make_position()
    with transaction.atomic(), pytest.raises(IntegrityError, match="position_reply_has_kind"):
        make_position(in_reply_to=said)
    with transaction.atomic(), pytest.raises(IntegrityError, match="position_reply_has_kind"):
        make_position(reply_kind="reply")
    with transaction.atomic(), pytest.raises(IntegrityError, match="position_not_reply_to_itself"):
        Position.objects.filter(pk=said.pk).update(in_reply_to=said, reply_kind="reply")


def test_the_position_page_shows_the_whole_exchange_in_order(client, exchange):
    _, answer, fix = exchange
    for position in exchange:
        page = client.get(position.get_absolute_url()).content.decode()
        section = page[page.index('id="exchange-heading"') :]
        order = [section.index(p.summary) for p in exchange]
        assert order == sorted(order), position
        assert "Right of reply" in section and "Correction" in section and "The statement answered" in section
    page = client.get(answer.get_absolute_url()).content.decode()
    assert page.count('aria-current="page"') == 1
    current = page[page.index('aria-current="page"') :]
    assert current.index(answer.summary) < current.index(fix.summary)


def test_a_position_in_no_exchange_shows_none(client, seed):
    page = client.get("/positions/yann-lecun-massive-corporate-lobbying/").content.decode()
    assert "exchange-heading" not in page


def test_lists_mark_answered_positions_and_answers(client, exchange):
    said, answer, fix = exchange
    page = client.get("/positions/?sort=oldest&said_after=2024-01-01&said_before=2024-03-31").content.decode()
    assert f'href="{said.get_absolute_url()}#exchange-heading">Answered</a>' in page
    assert f'href="{answer.get_absolute_url()}#exchange-heading">Answered</a>' in page
    assert f'href="{fix.get_absolute_url()}#exchange-heading">Answered</a>' not in page
    assert '<span class="reply-badge">Right of reply</span>' in page
    assert '<span class="reply-badge">Correction</span>' in page


def test_a_loop_of_answers_ends(client, seed):
    a = make_position(summary="A.")
    b = make_position(summary="B.", in_reply_to=a, reply_kind="reply")
    Position.objects.filter(pk=a.pk).update(in_reply_to=b, reply_kind="reply")
    assert client.get(a.get_absolute_url()).status_code == 200
    assert {p.pk for p in Position.objects.for_listing().get(pk=a.pk).exchange()} == {a.pk, b.pk}


def test_the_exchange_costs_a_query_per_step(client, exchange):
    answer = exchange[1]
    with CaptureQueriesContext(connection) as queries:
        assert client.get(answer.get_absolute_url()).status_code == 200
    # The page without an exchange (7 in test_query_counts.py, + the cache miss), plus 8: one
    # step up and three levels down, one query each, and the topics and sources of what they found.
    from debates.tests.test_query_counts import CACHE_MISS

    assert len(queries) == 7 + CACHE_MISS + 8
