"""A position is found under the current names of its speaker, organization and topics,
however they were renamed (the admin, a shell, a bulk update)."""

from debates.models import Position, Topic
from debates.tests.factories import make_position, make_topic
from members.models import Organization, Person
from members.tests.factories import make_organization, make_person


def positions_page(client, q):
    response = client.get("/positions/", {"q": q})
    assert response.status_code == 200
    return response.content.decode()


def search_page(client, q):
    response = client.get("/search/", {"q": q})
    assert response.status_code == 200
    return response.content.decode()


def test_renamed_speaker_is_found_under_the_new_name(client, db):
    position = make_position(speaker=make_person(name="Ada Quarnby"), summary="Weights should be published.")
    person = position.speaker
    person.name = "Ada Zellweger"
    person.save()

    assert position.get_absolute_url() in positions_page(client, "Zellweger")
    assert position.get_absolute_url() not in positions_page(client, "Quarnby")
    assert position.get_absolute_url() in search_page(client, "Zellweger")


def test_renamed_organization_and_topic_are_found_under_the_new_names(client, db):
    position = make_position(organization=make_organization(name="Old Labs"), topics=[make_topic(name="Old Topic")])
    Organization.objects.filter(pk=position.organization_id).update(name="Brightwater Labs")
    topic = position.topics.get()
    topic.name = "Compute thresholds"
    topic.save()

    terms = Position.objects.get(pk=position.pk).search_terms
    assert "Brightwater Labs" in terms and "Compute thresholds" in terms and "Old" not in terms
    assert position.get_absolute_url() in positions_page(client, "Brightwater")
    assert position.get_absolute_url() in search_page(client, "thresholds")


def test_bulk_rename_refreshes_every_position_and_matches_the_python_refresh(db):
    people = [make_person(name=f"Speaker {n}") for n in range(3)]
    topic = make_topic(name="Shared topic")
    positions = [make_position(speaker=p, topics=[topic, make_topic(name=f"Zeta {n}")]) for n, p in enumerate(people)]
    Person.objects.filter(pk__in=[p.pk for p in people]).update(name="Renamed Speaker")
    Topic.objects.filter(pk=topic.pk).update(name="Alpha topic")

    for position in positions:
        stored = Position.objects.get(pk=position.pk)
        assert stored.search_terms.startswith("Renamed Speaker ")
        recomputed = Position.objects.get(pk=position.pk)
        recomputed.search_terms = ""
        recomputed.refresh_search_terms()
        assert recomputed.search_terms == stored.search_terms


def test_a_save_without_a_rename_leaves_search_terms_alone(db):
    position = make_position()
    Position.objects.filter(pk=position.pk).update(search_terms="sentinel")
    speaker = position.speaker
    speaker.bio = "A new biography."
    speaker.save()
    assert Position.objects.get(pk=position.pk).search_terms == "sentinel"
