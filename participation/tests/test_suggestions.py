"""Suggestions and corrections: taken in like comments, moderated in the admin, the outcome mailed."""

import re

import pytest
from django.contrib.auth.models import Group, User
from django.test import Client

from debates.markup import url_scheme
from debates.models import Position, Topic
from members.models import Person, Source
from members.roles import MODERATORS
from participation.models import Suggestion, SuggestionKind, SuggestionStatus
from participation.tests.helpers import text_of

pytestmark = pytest.mark.django_db

GOOD = {
    "speaker_name": "Yann LeCun",
    "organization_name": "Meta",
    "form": "quote",
    "words": "Open research and open source are the best ways to understand and mitigate the risks.",
    "said_on": "2024-05-01",
    "source_url": "https://example.org/interview",
    "note_markdown": "Said in an *interview*.",
    "email": "suggester@example.org",
}
POSITION = "yann-lecun-massive-corporate-lobbying"


def suggest(client=None, **changes):
    data = {**GOOD, **changes}
    return (client or Client()).post("/suggest/", {k: v for k, v in data.items() if v is not None})


def correct(client=None, **changes):
    data = {"position": POSITION, "problem_markdown": "The date is wrong.", "evidence_markdown": "See the video."}
    return (client or Client()).post("/suggest/correction/", {**data, **changes})


def test_every_list_and_position_page_links_both_forms(client, seed):
    for url in ["/positions/", "/people/", "/organizations/", "/policies/", f"/positions/{POSITION}/"]:
        page = client.get(url).content.decode()
        assert 'href="/suggest/"' in page, url
        assert 'href="/suggest/correction/' in page, url
    assert f'href="/suggest/correction/?position={POSITION}"' in client.get(f"/positions/{POSITION}/").content.decode()


def test_a_suggestion_lands_in_the_queue(client, seed):
    weights = Topic.objects.get(slug="open-weights")
    response = suggest(client, topics=[weights.pk])
    assert response.status_code == 302 and response["Location"] == "/suggest/thanks/"
    suggestion = Suggestion.objects.get()
    assert (suggestion.kind, suggestion.status, suggestion.speaker_name) == ("suggestion", "pending", "Yann LeCun")
    assert list(suggestion.topics.all()) == [weights]
    assert suggestion.note_html == "<p>Said in an <em>interview</em>.</p>"


@pytest.mark.parametrize(
    "field, value, says",
    [
        ("source_url", "", "This field is required"),
        ("source_url", "javascript:alert(1)", "Enter a valid URL"),
        ("source_url", "java\tscript://example.org/%0aalert(1)", "Enter a valid URL"),
        ("source_url", "ftp://example.org/file", "Enter a valid URL"),
        ("speaker_name", "", "This field is required"),
        ("form", "rumour", "Select a valid choice"),
        ("said_on", "last spring", "Enter a valid date"),
        ("words", "x" * 5001, "at most 5000 characters"),
    ],
)
def test_bad_input_is_a_400_that_says_what_to_fix(client, seed, field, value, says):
    response = suggest(client, **{field: value})
    assert response.status_code == 400
    assert says in response.content.decode()
    assert not Suggestion.objects.exists()


HOSTILE = (
    "<script>alert(1)</script><img src=x onerror=alert(1)> [click](javascript:alert(1)) "
    '<a href="java&#x09;script:alert(1)">x</a> <iframe src="https://evil.example"></iframe>'
)


def test_hostile_markdown_is_neutralised_in_every_field(client, seed, settings):
    settings.SUGGESTION_MAX_LINKS = 20
    assert suggest(client, note_markdown=HOSTILE, words=HOSTILE).status_code == 302
    assert correct(client, problem_markdown=HOSTILE, evidence_markdown=HOSTILE).status_code == 302
    rendered = [
        html
        for suggestion in Suggestion.objects.all()
        for html in (suggestion.note_html, suggestion.problem_html, suggestion.evidence_html)
        if html
    ]
    assert len(rendered) == 3
    for html in rendered:
        assert not re.search(r"<(script|img|iframe)", html, re.IGNORECASE), html
        assert not re.search(r"<[^>]+\son\w+=", html, re.IGNORECASE), html
        for href in re.findall(r'href="([^"]*)"', html):
            assert url_scheme(href) in {"http", "https", "mailto", ""}, html


def test_the_admin_shows_hostile_text_escaped(admin_client, seed):
    suggest(speaker_name="<script>alert(1)</script>", words="<img src=x onerror=alert(1)>", note_markdown=HOSTILE)
    suggestion = Suggestion.objects.get()
    page = admin_client.get(f"/admin/participation/suggestion/{suggestion.pk}/change/").content.decode()
    assert "<script>alert(1)</script>" not in page and "<img src=x" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "suggester@example.org" not in page


def test_too_many_links_are_refused(client, seed, settings):
    settings.SUGGESTION_MAX_LINKS = 3
    links = " ".join(f"https://example.org/{n}" for n in range(4))
    response = suggest(client, note_markdown=links)
    assert response.status_code == 400
    assert "at most 3 links" in response.content.decode()


def test_the_honeypot_discards_quietly(client, seed, caplog):
    response = suggest(client, website="https://spam.example")
    assert response.status_code == 302
    assert not Suggestion.objects.exists()
    assert "honeypot" in caplog.text


def test_the_same_suggestion_twice_is_stored_once(client, seed):
    assert suggest(client).status_code == 302
    assert suggest(client).status_code == 302
    assert Suggestion.objects.count() == 1


def test_a_client_is_rate_limited(seed, settings):
    settings.SUGGESTION_RATE_LIMIT = 2
    client = Client(REMOTE_ADDR="203.0.113.9")
    codes = [suggest(client, words=f"Statement {n}").status_code for n in range(3)]
    assert codes == [302, 302, 429]
    assert Suggestion.objects.count() == 2
    assert Client(REMOTE_ADDR="203.0.113.10").post("/suggest/", GOOD).status_code == 302  # another reader


def test_a_correction_names_its_position(client, seed):
    page = client.get(f"/suggest/correction/?position={POSITION}").content.decode()
    assert f'value="{POSITION}"' in page
    response = correct(client, position="no-such-position")
    assert response.status_code == 400
    assert "No position has that address" in response.content.decode()
    assert correct(client).status_code == 302
    correction = Suggestion.objects.get()
    assert correction.kind == SuggestionKind.CORRECTION and correction.position.slug == POSITION
    assert correction.evidence_html == "<p>See the video.</p>"


@pytest.fixture
def moderator(seed):
    user = User.objects.create_user("mod", password="a-long-moderator-password", is_staff=True)
    user.groups.add(Group.objects.get(name=MODERATORS))
    client = Client()
    client.force_login(user)
    return client


def test_moderators_may_work_the_queue(moderator, seed):
    suggest()
    assert moderator.get("/admin/participation/suggestion/").status_code == 200
    assert moderator.get("/admin/participation/subscriber/").status_code == 403  # addresses are not theirs


def test_one_action_opens_the_position_form_filled_and_saving_it_accepts(
    moderator, seed, smtp_sink, django_capture_on_commit_callbacks
):
    weights = Topic.objects.get(slug="open-weights")
    suggest(topics=[weights.pk])
    suggestion = Suggestion.objects.get()
    response = moderator.post(
        "/admin/participation/suggestion/", {"action": "open_as_position", "_selected_action": [suggestion.pk]}
    )
    assert response.status_code == 302
    form_url = response["Location"]
    assert form_url.startswith("/admin/debates/position/add/?")
    source = Source.objects.get(url=GOOD["source_url"])
    page = moderator.get(form_url).content.decode()
    assert GOOD["words"] in page
    assert 'value="2024-05-01"' in page
    lecun = Person.objects.get(name="Yann LeCun")
    assert f'<option value="{lecun.pk}" selected>' in page
    assert f'<option value="{source.pk}" selected>' in page

    data = {
        "slug": "yann-lecun-suggested",
        "speaker": lecun.pk,
        "organization": "",
        "speaks_for": "",
        "form": "quote",
        "quotation": GOOD["words"],
        "summary": "Open research is the way to understand and mitigate the risks.",
        "stance": "open",
        "topics": [weights.pk],
        "said_on": "2024-05-01",
        "date_precision": "day",
        "integrity": "unverified",
        "sources": [source.pk],
        "_save": "Save",
    }
    with django_capture_on_commit_callbacks(execute=True):
        saved = moderator.post("/admin/debates/position/add/", data)
    assert saved.status_code == 302, saved.content.decode()[:3000]
    position = Position.all_objects.get(slug="yann-lecun-suggested")  # a draft until a publisher publishes it
    assert list(position.sources.all()) == [source]
    suggestion.refresh_from_db()
    assert (suggestion.status, suggestion.created_position) == (SuggestionStatus.ACCEPTED, position)
    (mail,) = smtp_sink.to("suggester@example.org")
    assert "added" in mail["Subject"]
    assert "/positions/yann-lecun-suggested/" in text_of(mail)


def test_a_rejection_tells_the_reader_why(moderator, seed, smtp_sink, django_capture_on_commit_callbacks):
    suggest()
    suggestion = Suggestion.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        response = moderator.post(
            "/admin/participation/suggestion/",
            {"action": "reject", "_selected_action": [suggestion.pk], "reason": "", "other_reason": "Not about AI."},
        )
    assert response.status_code == 302
    suggestion.refresh_from_db()
    assert (suggestion.status, suggestion.moderation_reason) == ("rejected", "Not about AI.")
    (mail,) = smtp_sink.to("suggester@example.org")
    assert "not taken" in mail["Subject"] and "Not about AI." in text_of(mail)
    with django_capture_on_commit_callbacks(execute=True):  # the outcome is told once
        moderator.post(
            "/admin/participation/suggestion/",
            {"action": "reject", "_selected_action": [suggestion.pk], "other_reason": "Again"},
        )
    assert len(smtp_sink.to("suggester@example.org")) == 1


def test_rejecting_needs_a_reason_and_spam_is_not_answered(
    moderator, seed, smtp_sink, django_capture_on_commit_callbacks
):
    suggest()
    suggestion = Suggestion.objects.get()
    moderator.post("/admin/participation/suggestion/", {"action": "reject", "_selected_action": [suggestion.pk]})
    suggestion.refresh_from_db()
    assert suggestion.status == "pending"
    with django_capture_on_commit_callbacks(execute=True):
        moderator.post(
            "/admin/participation/suggestion/", {"action": "mark_as_spam", "_selected_action": [suggestion.pk]}
        )
    suggestion.refresh_from_db()
    assert suggestion.status == "spam" and smtp_sink.messages == []


def test_a_correction_made_is_told(moderator, seed, smtp_sink, django_capture_on_commit_callbacks):
    correct(email="careful@example.org")
    correction = Suggestion.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        moderator.post(
            "/admin/participation/suggestion/", {"action": "mark_corrected", "_selected_action": [correction.pk]}
        )
    correction.refresh_from_db()
    assert correction.status == "accepted"
    (mail,) = smtp_sink.to("careful@example.org")
    assert "corrected" in mail["Subject"] and f"/positions/{POSITION}/" in text_of(mail)
