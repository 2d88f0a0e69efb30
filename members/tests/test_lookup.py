"""members.lookup: a name as a reader types it names one record, several, or suggests some."""

import pytest

from members.lookup import find_organizations, find_people, resolve_organization, resolve_person
from members.models import Person
from members.tests.factories import make_organization, make_person


def test_a_slug_names_its_record(seed):
    assert resolve_person("yann-lecun").match.name == "Yann LeCun"


@pytest.mark.parametrize("typed", ["Yann LeCun", "yann lecun", "  YANN   LECUN ", "lecun", "LeCun"])
def test_a_name_as_typed_names_one_person(seed, typed):
    resolution = resolve_person(typed)
    assert resolution.match is not None and resolution.match.slug == "yann-lecun"


def test_accents_are_ignored_both_ways(seed):
    assert resolve_person("Dario Gil").match.name == "Darío Gil"
    assert resolve_person("DARÍO GIL").match.name == "Darío Gil"


def test_an_exact_name_wins_over_names_containing_it(seed):
    make_organization(name="Metaculus")
    assert resolve_organization("meta").match.slug == "meta"


def test_a_name_several_people_share_lists_them_all_and_picks_none(seed):
    ann = make_person(name="Ann Quillfeather", slug="ann-quillfeather")
    bob = make_person(name="Bob Quillfeather", slug="bob-quillfeather")
    resolution = resolve_person("quillfeather")
    assert resolution.match is None and resolution.ambiguous
    assert {p.slug for p in resolution.candidates} == {ann.slug, bob.slug}


def test_two_people_of_the_same_name_are_candidates_not_a_guess(seed):
    make_person(name="Yann LeCun", slug="yann-lecun-2")
    resolution = resolve_person("Yann LeCun")
    assert resolution.match is None and resolution.ambiguous
    assert {p.slug for p in resolution.candidates} == {"yann-lecun", "yann-lecun-2"}
    assert resolve_person("yann-lecun-2").match.slug == "yann-lecun-2"  # the slug still says which


def test_a_typo_is_only_a_suggestion(seed):
    resolution = resolve_person("Yan Lecun")
    assert resolution.match is None and not resolution.ambiguous
    assert resolution.candidates[0].slug == "yann-lecun"


def test_nothing_like_it_has_no_candidates(seed):
    resolution = resolve_person("Qzxwv")
    assert resolution.match is None and resolution.candidates == []


def test_blank_text_finds_nothing(seed):
    assert resolve_person("   ").match is None and find_people("") == []


def test_name_search_finds_typos_closest_first(seed):
    assert find_people("Yan Lecun")[0].name == "Yann LeCun"
    assert find_people("Ilia Sutskever")[0].name == "Ilya Sutskever"
    assert find_organizations("Antropic")[0].name == "Anthropic"


def test_text_with_percent_signs_and_wildcards_is_text(seed):
    make_person(name="100% Open", slug="hundred")
    assert resolve_person("100%").match.slug == "hundred"
    assert resolve_person("1_0").match is None  # "_" is no LIKE wildcard here


def test_a_resolution_costs_one_query_however_many_people(seed, django_assert_num_queries):
    Person.objects.bulk_create([Person(name=f"Quillfeather {i}", slug=f"quillfeather-{i}") for i in range(200)])
    with django_assert_num_queries(1):
        resolution = resolve_person("quillfeather")
    assert resolution.ambiguous and len(resolution.candidates) == 5
