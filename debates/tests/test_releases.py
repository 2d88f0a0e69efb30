"""Model releases: who released what, and how open it is."""

import json

import pytest
from django.db import IntegrityError, transaction

from debates.models import Release
from members.models import Organization


def test_the_seed_records_the_releases_with_their_openness(seed):
    llama = Release.objects.get(organization__slug="meta", name="Llama 2")
    assert (str(llama.released_on), llama.openness, llama.weights_available) == ("2023-07-18", "partial", True)
    gpt4 = Release.objects.get(organization__slug="openai", name="GPT-4")
    assert (gpt4.openness, gpt4.weights_available) == ("closed", False)


def test_a_closed_release_cannot_have_downloadable_weights(seed):
    with pytest.raises(IntegrityError), transaction.atomic():
        Release.objects.create(
            organization=Organization.objects.get(slug="openai"),
            name="Imaginary",
            released_on="2025-01-01",
            weights_available=True,
            openness="closed",
        )


def test_the_organization_page_lists_its_releases(client, seed):
    html = client.get("/organizations/meta/").content.decode()
    releases = html.split('id="releases"', 1)[1].split("</section>", 1)[0]
    assert "Llama 2" in releases and "18 July 2023" in releases and "partly open" in releases
    llama = Release.objects.get(organization__slug="meta", name="Llama 2")
    assert f'id="release-{llama.pk}"' in releases
    assert all(source.url in releases for source in llama.sources.all())  # cited, with links


def test_the_timeline_shows_releases_beside_statements(client, seed):
    html = client.get("/timeline/").content.decode()
    assert "GPT-4" in html and html.index("GPT-4") < html.index("Signed by President Joe Biden")  # March 2023
    assert "GPT-4" not in client.get("/timeline/?topic=biosecurity").content.decode()


def test_releases_can_be_downloaded_with_their_sources(client, seed):
    response = client.get("/data/releases.json")
    assert response.status_code == 200
    records = json.loads(b"".join(response.streaming_content))
    assert len(records) == 13
    gpt4 = next(r for r in records if r["name"] == "GPT-4")
    assert gpt4["openness"] == "closed" and gpt4["sources"]
    csv_text = b"".join(client.get("/data/releases.csv").streaming_content).decode()
    assert "Llama 2" in csv_text
