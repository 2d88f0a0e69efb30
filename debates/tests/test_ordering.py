"""Every list of positions is newest first with undated positions last, and the read
vocabulary on the querysets means the same thing on every page."""

import datetime

from debates.models import Position
from debates.tests.factories import make_policy, make_position, make_topic
from members.models import Organization
from members.tests.factories import make_coalition, make_membership, make_organization


def page(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def assert_in_order(html, *urls):
    where = [html.index(url) for url in urls]
    assert where == sorted(where), list(zip(urls, where, strict=True))


def test_policy_page_lists_its_positions_newest_first_and_undated_last(client, db):
    policy = make_policy()
    undated = make_position(policy_item=policy, said_on=None)
    older = make_position(policy_item=policy, said_on=datetime.date(2023, 5, 1))
    newer = make_position(policy_item=policy, said_on=datetime.date(2024, 5, 1))
    html = page(client, policy.get_absolute_url())
    assert_in_order(html, newer.get_absolute_url(), older.get_absolute_url(), undated.get_absolute_url())


def test_default_ordering_puts_undated_positions_last(db):
    topic = make_topic()
    undated = make_position(topics=[topic], said_on=None)
    dated = make_position(topics=[topic], said_on=datetime.date(2020, 1, 1))
    assert list(Position.objects.on_topic(topic)) == [dated, undated]
    assert list(Position.objects.on_topic(topic).newest_first()) == [dated, undated]
    assert list(Position.objects.on_topic(topic).oldest_first()) == [dated, undated]


def test_positions_sorted_by_speaker_put_a_speakers_undated_positions_last(client, db):
    topic = make_topic()
    undated = make_position(topics=[topic], said_on=None)
    dated = make_position(topics=[topic], said_on=datetime.date(2020, 1, 1), speaker=undated.speaker)
    html = page(client, f"/positions/?topic={topic.slug}&sort=speaker")
    assert_in_order(html, dated.get_absolute_url(), undated.get_absolute_url())


def test_spoken_for_a_coalition_means_by_a_current_member(db):
    coalition = make_coalition()
    current, former = make_organization(), make_organization()
    make_membership(coalition=coalition, organization=current)
    make_membership(
        coalition=coalition, organization=former, since=datetime.date(2022, 1, 1), until=datetime.date(2023, 1, 1)
    )
    by_current, by_former = make_position(organization=current), make_position(organization=former)

    spoken = Position.objects.spoken_for_coalition(coalition)
    assert by_current in spoken and by_former not in spoken
    assert list(Organization.objects.in_coalition(coalition)) == [current]


def test_organizations_by_coalition_leave_out_former_members(client, db):
    coalition = make_coalition()
    make_membership(
        coalition=coalition,
        organization=make_organization(name="Formerly Aligned Ltd"),
        since=datetime.date(2022, 1, 1),
        until=datetime.date(2023, 1, 1),
    )
    make_membership(coalition=coalition, organization=make_organization(name="Still Aligned Ltd"))
    html = page(client, f"/organizations/?coalition={coalition.slug}")
    assert "Still Aligned Ltd" in html and "Formerly Aligned Ltd" not in html
