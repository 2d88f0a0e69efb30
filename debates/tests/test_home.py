from unittest import mock

import pytest
from django.db import OperationalError
from django.urls import reverse


def test_home_shows_both_camps_and_their_members(client, seed):
    response = client.get(reverse("home"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "The open camp" in html and "The closed camp" in html
    glance, lanes = html.split('<div class="lanes lanes-2">', 1)
    # At a glance, before the lanes: both coalitions with their member counts.
    assert "AI Alliance" in glance and "Frontier Model Forum" in glance and "Independent voices" in glance
    open_half, closed_half = lanes.split("The closed camp", 1)
    # Founders first, then the first members by name; the rest on the coalition's page.
    for name in ["AI Alliance", "IBM", "Meta", "AMD", "Aitomatic"]:
        assert name in open_half
    assert "Yale University" not in open_half
    assert "All 57 members\n        of AI Alliance" in open_half
    for name in ["Frontier Model Forum", "OpenAI", "Google", "Microsoft", "Anthropic"]:
        assert name in closed_half
    # The newest statements made in a camp member's name.
    assert "personal superintelligence" in html
    assert "EU AI Act" in html


def test_a_position_of_an_organization_in_both_camps_is_shown_once_in_the_camp_it_joined_first(client, seed):
    html = client.get(reverse("home")).content.decode()
    lanes = html.split('<div class="lanes lanes-2">', 1)[1]
    open_half, rest = lanes.split("The closed camp", 1)
    closed_half = rest.split('id="independent"', 1)[0]
    # Meta founded the AI Alliance and joined the Frontier Model Forum later.
    quote = "ll need to be rigorous about mitigating these risks"
    assert html.count(quote) == 1
    assert quote in open_half and quote not in closed_half
    assert ">Meta</a>" in html.split("In both coalitions:", 1)[1][:200]


def test_home_shows_independent_voices_in_a_band_of_their_own(client, seed):
    html = client.get(reverse("home")).content.decode()
    band = html.split('id="independent"', 1)[1].split("Policies in play", 1)[0]
    # Someone affiliated with a member who spoke for themselves is an independent voice.
    assert "not speaking for it" in band
    assert band.count('class="position-card') == 4


@pytest.mark.django_db
def test_healthz_answers_200_when_the_database_answers(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.content == b"ok\n"


@pytest.mark.django_db
def test_healthz_answers_503_when_the_database_does_not(client):
    with mock.patch("alliance_portal.views.connection.cursor", side_effect=OperationalError("server closed")):
        response = client.get("/healthz")
    assert response.status_code == 503
