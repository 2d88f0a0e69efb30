from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.core.management import call_command

from debates.models import PolicyItem, Position, PositionForm
from members.models import Affiliation, Coalition, Membership, Person

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
    assert first["debates.Position"] == 12


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
    assert (deadline.on.year, deadline.on.month, deadline.precision) == (2024, 7, "month")
    assert "Raimondo" in deadline.responsible
    act = PolicyItem.objects.get(slug="eu-ai-act")
    assert "free and open-source AI components" in act.open_models
    assert act.jurisdiction == "eu"


def test_quotes_are_verbatim_from_the_article(seed):
    quotes = Position.objects.filter(form=PositionForm.QUOTE)
    assert quotes.count() == 4
    for position in quotes:
        assert position.quotation in ARTICLE, position.slug


def test_every_position_membership_and_policy_cites_a_source(seed):
    for model in (Position, Membership, PolicyItem):
        assert not model.objects.filter(sources=None).exists(), model.__name__


def test_every_speaker_spoke_for_an_organization(seed):
    assert not Position.objects.filter(organization=None).exists()
    assert set(Person.objects.filter(positions__isnull=False).values_list("name", flat=True)) == {
        "Darío Gil",
        "Yann LeCun",
        "Chris Padilla",
        "Ilya Sutskever",
        "David Evan Harris",
        "Camille Carlton",
        "Joe Biden",
    }
