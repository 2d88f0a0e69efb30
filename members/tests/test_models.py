import datetime

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse, set_script_prefix

from alliance_portal.models import slug_url
from members.models import Coalition, Stance
from members.tests.factories import make_affiliation, make_coalition, make_membership, make_organization


@pytest.mark.django_db
class TestDatabaseRejects:
    def test_duplicate_coalition_slug(self):
        make_coalition(slug="same-coalition")
        with pytest.raises(IntegrityError, match="slug"):
            make_coalition(slug="same-coalition")

    def test_duplicate_organization_slug(self):
        make_organization(slug="same-org")
        with pytest.raises(IntegrityError, match="slug"):
            make_organization(slug="same-org")

    def test_unknown_stance(self):
        with pytest.raises(IntegrityError, match="coalition_stance_valid"):
            Coalition.objects.create(name="Odd", slug="odd", stance="sideways")

    def test_membership_ending_before_it_starts(self):
        with pytest.raises(IntegrityError, match="membership_dates_in_order"):
            make_membership(since=datetime.date(2024, 1, 1), until=datetime.date(2023, 1, 1))

    def test_two_current_memberships_of_one_coalition(self):
        membership = make_membership()
        with pytest.raises(IntegrityError, match="membership_one_current"):
            make_membership(coalition=membership.coalition, organization=membership.organization)

    def test_affiliation_ending_before_it_starts(self):
        with pytest.raises(IntegrityError, match="affiliation_dates_in_order"):
            make_affiliation(since=datetime.date(2024, 1, 1), until=datetime.date(2023, 12, 31))

    def test_unknown_organization_kind(self):
        with pytest.raises(IntegrityError, match="organization_kind_valid"):
            make_organization(kind="guild")


@pytest.mark.django_db
def test_past_and_current_membership_of_the_same_pair_may_coexist():
    past = make_membership(since=datetime.date(2020, 1, 1), until=datetime.date(2021, 1, 1))
    with transaction.atomic():
        current = make_membership(coalition=past.coalition, organization=past.organization)
    assert current.pk != past.pk


@pytest.mark.parametrize(
    ("stances", "combined"),
    [
        ([], None),
        (["open"], "open"),
        (["closed", "closed"], "closed"),
        (["open", "closed"], "mixed"),
        (["open", "mixed"], "mixed"),
    ],
)
def test_stances_combine_into_one(stances, combined):
    assert Stance.combine(stances) == combined


class TestSlugUrl:
    @pytest.mark.parametrize(
        ("name", "slug"),
        [
            ("members:person-detail", "yann-lecun"),
            ("members:organization-detail", "meta"),
            ("members:coalition-detail", "ai-alliance"),
            ("debates:position-detail", "a_b-9"),
            ("debates:topic-detail", "open-weights"),
        ],
    )
    def test_it_gives_what_reverse_gives(self, name, slug):
        assert slug_url(name, slug) == reverse(name, args=[slug])

    def test_it_follows_the_script_prefix_of_a_sub_path_deployment(self):
        set_script_prefix("/portal/")
        try:
            assert slug_url("members:person-detail", "ada") == "/portal/people/ada/"
        finally:
            set_script_prefix("/")
        assert slug_url("members:person-detail", "ada") == "/people/ada/"
