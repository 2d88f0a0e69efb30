"""A position counts as an organization's stance only when spoken in its name."""

from types import SimpleNamespace

import feedparser
import pytest

from debates.models import Position, StanceTally
from debates.sides import find_side, stance_matrix
from debates.tests.factories import make_position, make_topic
from members.models import Coalition, Membership, Organization
from members.tests.factories import make_organization, make_person

HARRIS = ["david-evan-harris-disinformation-and-elections", "david-evan-harris-ai-is-different"]


@pytest.fixture
def affiliated(seed):
    """An organization in the open camp; its researcher's own closed position; its official open one."""
    lab = make_organization(name="Open Lab", slug="open-lab")
    Membership.objects.create(coalition=Coalition.objects.get(slug="ai-alliance"), organization=lab, role="member")
    topic = make_topic(name="Compute", slug="compute")
    personal = make_position(
        speaker=make_person(name="Rosa Researcher"),
        organization=lab,
        topics=[topic],
        stance="closed",
        speaks_for=False,
        summary="Her own view.",
    )
    official = make_position(organization=lab, topics=[topic], stance="open", summary="The lab's view.")
    return SimpleNamespace(lab=lab, topic=topic, personal=personal, official=official)


def test_the_berkeley_researcher_speaks_for_himself_in_the_seed(seed):
    assert not Position.objects.filter(slug__in=HARRIS, speaks_for=True).exists()
    berkeley = Organization.objects.get(slug="uc-berkeley")
    assert not StanceTally.objects.filter(organization=berkeley, speaker__slug="david-evan-harris").exists()
    assert not StanceTally.objects.filter(organization=berkeley, stance="closed").exists()  # his were closed
    assert StanceTally.objects.filter(speaker__slug="david-evan-harris").exists()  # still his own stance


def test_an_affiliated_persons_position_is_not_the_organizations_stance_in_the_matrix(affiliated):
    [(_, cells)] = stance_matrix("organizations", [affiliated.lab]).rows
    assert {c.topic.slug: c.stance for c in cells}["compute"] == "open"  # not "mixed"
    coalitions = stance_matrix("coalitions").rows
    alliance = next(cells for row, cells in coalitions if row.slug == "ai-alliance")
    assert {c.topic.slug: c.stance for c in alliance}["compute"] == "open"


def test_nor_in_compare(affiliated):
    topic = affiliated.topic
    side = find_side("organization:open-lab").load()
    assert side.stance_on(topic) == "open"
    assert affiliated.personal not in side.positions_by_topic[topic.pk]
    assert affiliated.official in side.positions_by_topic[topic.pk]
    person = find_side(f"person:{affiliated.personal.speaker.slug}").load()
    assert person.stance_on(topic) == "closed"  # it is the person's stance


def test_nor_in_the_counts_and_lists(client, affiliated):
    assert StanceTally.objects.filter(organization=affiliated.lab, stance="closed").count() == 0
    assert StanceTally.objects.get(organization=None, speaker=affiliated.personal.speaker).positions == 1
    html = client.get("/organizations/?name=Open+Lab").content.decode()
    row = html.split('href="/organizations/open-lab/"', 1)[1].split("</tr>", 1)[0]
    assert "<td>1</td>" in row  # the lab's own position, not its researcher's
    feed = client.get("/positions/?organization=open-lab").content.decode()
    assert "The lab&#x27;s view." in feed or "The lab's view." in feed
    assert "Her own view." not in feed


def test_the_organization_page_shows_affiliated_speakers_apart(client, affiliated):
    html = client.get("/organizations/open-lab/").content.decode()
    official_part, personal_part = html.split("What its people said for themselves", 1)
    assert "The lab" in official_part and "Her own view." not in official_part
    assert "Her own view." in personal_part
    assert "affiliated with" in personal_part and "Rosa Researcher" in personal_part
    stance_part = official_part.split("Stance by topic", 1)[1].split("People", 1)[0]
    assert "Compute" in stance_part and "Closed" not in stance_part


def test_the_positions_feed_names_whose_words_they_are(client, affiliated):
    feed = feedparser.parse(client.get("/positions/feed/?topic=compute").content)
    titles = {entry.title.split(",", 1)[0] for entry in feed.entries}
    assert titles == {f"{affiliated.official.speaker.name} (Open Lab)", "Rosa Researcher (affiliated with Open Lab)"}
