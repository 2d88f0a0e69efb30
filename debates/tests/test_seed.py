import datetime
import re
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.core.management import call_command

from debates.models import PolicyItem, PolicyStatusChange, Position, PositionForm, Release
from members.models import Affiliation, Coalition, Membership, Organization, Person, Source

ARTICLE = (Path(settings.BASE_DIR) / "seed" / "ai-alliance-article.txt").read_text(encoding="utf-8")


def row_counts():
    return {
        model._meta.label: model.objects.count()
        for model in apps.get_models()
        if model._meta.app_label in {"members", "debates"}
    }


@pytest.mark.django_db
def test_loading_twice_changes_nothing():
    call_command("load_seed")
    first = row_counts()
    first_text = list(Position.objects.order_by("slug").values_list("slug", "summary", "quotation", "search_terms"))
    call_command("load_seed")
    assert row_counts() == first
    assert (
        list(Position.objects.order_by("slug").values_list("slug", "summary", "quotation", "search_terms"))
        == first_text
    )
    # The founding article's 12 positions and the record's 61 (docs/research/record-ledger.md).
    assert first["debates.Position"] == 12 + 61
    assert first["members.Organization"] == 84
    assert first["members.Person"] == 57
    assert first["members.Membership"] == 63  # the 57 named AI Alliance partners, 6 Frontier Model Forum members
    assert first["debates.PolicyItem"] == 8
    assert first["debates.PolicyStatusChange"] == 6
    assert first["members.Source"] == 92
    assert first["debates.Release"] == 13


@pytest.mark.parametrize(
    ("coalition", "organization", "role"),
    [
        ("AI Alliance", "IBM", "founder"),
        ("AI Alliance", "Meta", "founder"),
        ("AI Alliance", "Dell", "member"),
        ("AI Alliance", "Sony", "member"),
        ("AI Alliance", "AMD", "member"),
        ("AI Alliance", "Intel", "member"),
        ("Frontier Model Forum", "OpenAI", "founder"),
        ("Frontier Model Forum", "Google", "founder"),
        ("Frontier Model Forum", "Microsoft", "founder"),
        ("Frontier Model Forum", "Anthropic", "founder"),
    ],
)
def test_every_named_member_is_in_its_coalition(seed, coalition, organization, role):
    membership = Membership.objects.get(coalition__name=coalition, organization__name=organization)
    assert membership.role == role
    assert membership.sources.exists()


def test_camps_have_their_stances_and_the_unnamed_members_are_noted(seed):
    assert Coalition.objects.get(slug="ai-alliance").stance == "open"
    assert Coalition.objects.get(slug="frontier-model-forum").stance == "closed"
    assert "universities" in Coalition.objects.get(slug="ai-alliance").members_note
    assert "startups" in Coalition.objects.get(slug="ai-alliance").members_note


@pytest.mark.parametrize(
    ("person", "organization", "title"),
    [
        ("Darío Gil", "IBM", "Senior vice-president"),
        ("Yann LeCun", "Meta", "Chief AI scientist"),
        ("Chris Padilla", "IBM", "Head of global government affairs"),
        ("Ilya Sutskever", "OpenAI", "Chief scientist"),
        ("David Evan Harris", "University of California, Berkeley", ""),
        ("Camille Carlton", "Center for Humane Technology", ""),
        ("Joe Biden", "Executive Office of the President (US)", "President of the United States"),
        ("Gina Raimondo", "US Department of Commerce", "Secretary of Commerce"),
    ],
)
def test_every_person_has_their_role(seed, person, organization, title):
    affiliation = Affiliation.objects.get(person__name=person)
    assert affiliation.organization.name == organization
    assert affiliation.title == title


def test_policy_items_say_what_the_article_says_about_open_models(seed):
    order = PolicyItem.objects.get(slug="us-executive-order-on-ai")
    assert "dual-use foundation models with widely available weights" in order.open_models
    deadline = order.milestones.get(is_deadline=True)
    # The article's "by July", made exact by the record: 270 days after 30 October 2023.
    assert (deadline.on, deadline.precision) == (datetime.date(2024, 7, 26), "day")
    assert "Raimondo" in deadline.responsible
    act = PolicyItem.objects.get(slug="eu-ai-act")
    assert "free and open-source AI components" in act.open_models
    assert act.jurisdiction == "eu"


def test_quotes_are_verbatim_from_the_article(seed):
    quotes = Position.objects.filter(form=PositionForm.QUOTE, sources__title="Meta and IBM Launch AI Alliance")
    assert quotes.count() == 4
    for position in quotes:
        assert position.quotation in ARTICLE, position.slug


def test_every_position_membership_policy_and_status_cites_a_source(seed):
    for model in (Position, Membership, PolicyItem, PolicyStatusChange, Release):
        assert model.objects.exists(), model.__name__
        assert not model.objects.filter(sources=None).exists(), model.__name__


def test_every_source_has_an_address_or_says_why_not(seed):
    for source in Source.objects.all():
        assert source.title, source.pk
        assert source.url or "URL" in source.note, source.title  # e.g. "No URL: …"
        if source.url:  # the record's sources, all read on the same day
            assert source.accessed_on == datetime.date(2026, 12, 2), source.title
            assert source.publisher, source.title


def test_no_organization_or_person_is_recorded_twice(seed):
    def squashed(names):
        return [re.sub(r"[^a-z0-9]", "", name.lower()) for name in names]

    for model in (Organization, Person):
        names = squashed(model.objects.values_list("name", flat=True))
        assert len(names) == len(set(names)), model.__name__


def test_meta_is_in_both_coalitions_from_the_dates_the_sources_give(seed):
    alliance = Membership.objects.get(coalition__slug="ai-alliance", organization__slug="meta")
    assert (alliance.since, alliance.since_precision, alliance.role) == (datetime.date(2023, 12, 5), "day", "founder")
    forum = Membership.objects.get(coalition__slug="frontier-model-forum", organization__slug="meta")
    assert (forum.since, forum.since_precision) == (datetime.date(2024, 5, 1), "month")
    assert forum.since_display == "May 2024"
    assert "exact day" in forum.note


def test_every_position_spoken_for_an_organization_names_it(seed):
    assert not Position.objects.filter(organization=None, speaks_for=True).exists()
    article = Position.objects.filter(sources__title="Meta and IBM Launch AI Alliance")
    assert set(Person.objects.filter(positions__in=article).values_list("name", flat=True)) == {
        "Darío Gil",
        "Yann LeCun",
        "Chris Padilla",
        "Ilya Sutskever",
        "David Evan Harris",
        "Camille Carlton",
        "Joe Biden",
    }
    assert Position.objects.filter(speaks_for=False).count() == 3 + 10  # Harris's three; ten in the record
