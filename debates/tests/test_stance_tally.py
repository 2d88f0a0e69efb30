"""StanceTally, kept by triggers, always equals a fresh count of the positions."""

from django.db import connection

from debates.demo import generate, remove_demo_data
from debates.models import Position, StanceTally, Topic
from debates.tests.factories import make_position, make_topic
from members.models import Organization, Person

# A position counts for its organization only when spoken in its name.
RECOUNT = """
SELECT p.speaker_id, CASE WHEN p.speaks_for THEN p.organization_id END, pt.topic_id, p.stance, count(*)
FROM debates_position_topics pt JOIN debates_position p ON p.id = pt.position_id
GROUP BY 1, 2, 3, 4
"""


def tally():
    return set(StanceTally.objects.values_list("speaker_id", "organization_id", "topic_id", "stance", "positions"))


def recount():
    with connection.cursor() as cursor:
        cursor.execute(RECOUNT)
        return set(cursor.fetchall())


def test_the_seed_is_tallied(seed):
    assert tally() == recount()
    assert len(tally()) > 5


def test_every_kind_of_edit_keeps_the_tally_true(seed):
    weights, extra = Topic.objects.get(slug="open-weights"), make_topic()
    meta, lecun = Organization.objects.get(slug="meta"), Person.objects.get(slug="yann-lecun")
    position = make_position(speaker=lecun, organization=meta, topics=[weights], stance="open")
    assert tally() == recount()
    checks = [
        lambda: position.topics.add(extra),
        lambda: setattr(position, "stance", "closed") or position.save(),
        lambda: setattr(position, "speaks_for", False) or position.save(),
        lambda: position.topics.add(make_topic()),
        lambda: setattr(position, "speaks_for", True) or position.save(),
        lambda: setattr(position, "organization", None) or position.save(),
        lambda: setattr(position, "speaker", Person.objects.get(slug="dario-gil")) or position.save(),
        lambda: position.topics.remove(weights),
        lambda: position.topics.set([weights, extra]),
        lambda: position.topics.clear(),
        lambda: position.topics.add(weights),
        lambda: position.delete(),
        lambda: extra.delete(),
        lambda: Position.objects.filter(speaker=lecun).update(stance="mixed"),
        lambda: Position.objects.filter(speaker=lecun).delete(),
    ]
    for change in checks:
        change()
        assert tally() == recount()
    assert not any(row[4] <= 0 for row in tally())  # emptied counts are removed, not left at zero


def test_a_bulk_load_and_its_removal_leave_the_tally_true(seed):
    before = tally()
    generate(positions=300, comments=0, organizations=10, people=20, topics=3, sources=5, seed=2)
    assert tally() == recount() and len(tally()) > len(before)
    remove_demo_data()
    assert tally() == before
