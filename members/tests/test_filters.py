"""The people, organization and membership filters, on small made-up data."""

from datetime import date

from members.filters import PersonFilter
from members.models import Person
from members.tests.factories import make_affiliation, make_coalition, make_membership, make_organization, make_person


def test_people_by_coalition_counts_only_current_members(db):
    coalition = make_coalition()
    current, former = make_organization(), make_organization()
    make_membership(coalition=coalition, organization=current)
    make_membership(coalition=coalition, organization=former, since=date(2023, 1, 1), until=date(2024, 1, 1))
    insider = make_affiliation(organization=current).person
    outsider = make_affiliation(organization=former).person

    people = PersonFilter({"coalition": coalition.slug}, queryset=Person.objects.all()).qs
    assert insider in people
    assert outsider not in people


def test_people_page_by_coalition_leaves_out_former_members_people(client, db):
    coalition = make_coalition()
    former = make_organization()
    make_membership(coalition=coalition, organization=former, since=date(2023, 1, 1), until=date(2024, 1, 1))
    make_affiliation(organization=former, person=make_person(name="Rosalind Formerly"))
    response = client.get("/people/", {"coalition": coalition.slug})
    assert response.status_code == 200
    assert "Rosalind Formerly" not in response.content.decode()
