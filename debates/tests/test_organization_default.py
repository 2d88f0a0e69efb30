"""A position's organization, left empty, is filled from the speaker's affiliation on its date."""

import datetime
import html

from debates.models import Position
from debates.tests.test_revisions import edit_data
from members.models import Affiliation, Organization, Person
from members.tests.factories import make_affiliation, make_organization
from members.tests.test_admin import client_for, moderator  # noqa: F401

SUMMARY = "Said open weights make AI safer, at a launch."


def add_for_yann(user, **changes):
    """A moderator adds a position for Yann LeCun (affiliated with Meta, no dates recorded)."""
    model = Position.objects.get(slug="yann-lecun-massive-corporate-lobbying")
    data = edit_data(
        model,
        slug="yann-lecun-new-claim",
        form="paraphrase",
        quotation="",
        summary=SUMMARY,
        organization="",
        said_on="2023-12-05",
        change_reason="",
        speaks_for="on",
    )
    data.update(changes)
    response = client_for(user).post("/admin/debates/position/add/", data, follow=True)
    assert response.status_code == 200
    return Position.all_objects.get(slug="yann-lecun-new-claim"), html.unescape(response.content.decode())


def test_an_empty_organization_is_filled_from_the_speakers_affiliation_and_the_moderator_told(seed, moderator):  # noqa: F811
    position, page = add_for_yann(moderator)
    assert position.organization == Organization.objects.get(slug="meta") and position.speaks_for
    assert (
        "Organization set to Meta, Yann LeCun's affiliation on 5 December 2023 (its start is not recorded)."
        " If the speaker spoke for no organization, clear “Organization” and untick “Spoke for the organization”"
        in page
    )


def test_unticked_with_no_organization_the_position_is_said_for_no_organization(seed, moderator):  # noqa: F811
    position, page = add_for_yann(moderator, speaks_for="")
    assert position.organization is None and not position.speaks_for
    assert "Organization set to" not in page
    # And it stays so when edited again.
    position.refresh_from_db()
    data = edit_data(position, venue="A podcast", change_reason="Venue from the source")
    client_for(moderator).post(f"/admin/debates/position/{position.pk}/change/", data)  # a draft: saved directly
    position.refresh_from_db()
    assert position.venue == "A podcast" and position.organization is None


def test_an_organization_chosen_is_kept(seed, moderator):  # noqa: F811
    ibm = Organization.objects.get(slug="ibm")
    position, page = add_for_yann(moderator, organization=ibm.pk)
    assert position.organization == ibm and "Organization set to" not in page


def test_only_affiliations_held_on_the_date_count(seed, moderator):  # noqa: F811
    yann = Person.objects.get(slug="yann-lecun")
    Affiliation.objects.filter(person=yann).update(since=datetime.date(2013, 12, 9))
    make_affiliation(person=yann, organization=make_organization(name="Bell Labs"), until=datetime.date(2002, 1, 1))
    make_affiliation(person=yann, organization=make_organization(name="AMI Labs"), since=datetime.date(2025, 12, 1))
    position, page = add_for_yann(moderator)
    assert position.organization.slug == "meta"
    assert "Organization set to Meta, Yann LeCun's affiliation on 5 December 2023. If" in page


def test_two_affiliations_on_the_date_fill_nothing(seed, moderator):  # noqa: F811
    make_affiliation(person=Person.objects.get(slug="yann-lecun"), organization=make_organization(name="NYU"))
    position, page = add_for_yann(moderator)
    assert position.organization is None and "Organization set to" not in page


def test_no_date_fills_nothing(seed, moderator):  # noqa: F811
    position, page = add_for_yann(moderator, said_on="")
    assert position.organization is None and "Organization set to" not in page
