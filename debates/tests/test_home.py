from unittest import mock

import pytest
from django.db import OperationalError
from django.urls import reverse


def test_home_shows_both_camps_and_their_members(client, seed):
    response = client.get(reverse("home"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "The open camp" in html and "The closed camp" in html
    open_half, closed_half = html.split("The closed camp", 1)
    for name in ["AI Alliance", "IBM", "Meta", "Dell", "Sony", "AMD", "Intel"]:
        assert name in open_half
    for name in ["Frontier Model Forum", "OpenAI", "Google", "Microsoft", "Anthropic"]:
        assert name in closed_half
    # The newest statements made in a camp member's name (Meta sits in both camps since May 2024).
    assert "personal superintelligence" in html
    assert "EU AI Act" in html


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
