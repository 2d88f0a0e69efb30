"""Model releases: who released what, and how open it is."""

import json

import feedparser
import pytest
from django.db import IntegrityError, transaction

from debates.models import Position, Release
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


def test_compare_puts_each_sides_releases_beside_its_words(client, seed):
    html = client.get("/compare/?a=meta&b=openai").content.decode()
    released = html.split('id="releases-heading"', 1)[1].split("</section>", 1)[0]
    meta, openai = released.split('class="side"')[1:3]
    assert "Llama 2" in meta and "GPT-4" not in meta
    assert "GPT-4" in openai and "closed" in openai and "Llama 2" not in openai
    coalition = client.get("/compare/?a=ai-alliance&b=person:sam-altman").content.decode()
    released = coalition.split('id="releases-heading"', 1)[1].split("</section>", 1)[0]
    assert "Llama 2</a> (Meta)" in " ".join(released.split())  # a member's release, named with its organization
    assert "A person releases no models here" in released


def test_a_releases_feed_per_organization(client, seed):
    feed = feedparser.parse(client.get("/releases/feed/?organization=openai").content)
    titles = [entry.title for entry in feed.entries]
    assert "OpenAI: GPT-4 (closed)" in titles
    assert all(title.startswith("OpenAI: ") for title in titles)
    assert feed.feed.link.endswith("/organizations/openai/#releases")
    assert client.get("/releases/feed/?organization=no-such-organization").status_code == 400
    everyone = feedparser.parse(client.get("/releases/feed/").content)
    assert len(everyone.entries) == Release.objects.count()
    page = client.get("/organizations/openai/").content.decode()
    assert 'href="/releases/feed/?organization=openai"' in page


def test_the_organization_page_marks_a_change_of_stance_with_both_dated_positions(client, seed):
    html = client.get("/organizations/openai/").content.decode()
    changes = " ".join(html.split('id="changes-heading"', 1)[1].split("</section>", 1)[0].split())
    topic = "Open source and open science"
    line = next(item for item in changes.split("<li") if topic in item)
    earlier = Position.objects.get(slug="ilya-sutskever-too-dangerous-for-public-access")
    later = Position.objects.get(slug="sam-altman-open-ai-stack-democratic-values")
    assert line.index(earlier.get_absolute_url()) < line.index(later.get_absolute_url())
    assert "reported 5 December 2023" in line and "5 August 2025" in line
    # Meta's open-weights stance: open in Zuckerberg's July 2024 letter, mixed in his July 2025 one.
    meta = " ".join(client.get("/organizations/meta/").content.decode().split())
    line = next(
        item for item in meta.split('id="changes-heading"', 1)[1].split("<li")[1:] if "Open model weights" in item
    )
    assert line.index("23 July 2024") < line.index("30 July 2025")
    # An organization whose statements never changed stance has no such section.
    assert 'id="changes-heading"' not in client.get("/organizations/ibm/").content.decode()


def test_the_policy_download_carries_each_status_with_its_date(client, seed):
    records = json.loads(b"".join(client.get("/data/policies.json").streaming_content))
    act = next(r for r in records if r["slug"] == "eu-ai-act")
    history = [(h["status"], h["since"]) for h in act["status_history"]]
    assert ("in_force", "2024-08-01") in history
    assert history == sorted(history, key=lambda h: h[1])  # oldest first
    assert act["status"] == act["status_history"][-1]["status"]
