"""Filters in a reader's words: organizations and people chosen by name, compare by any name,
plain messages for bad values, name search on People, and feed entries dated when said."""

import datetime
import re

import feedparser
import pytest
from django.utils import timezone

from debates.models import Position
from debates.tests.factories import make_position
from members.tests.factories import make_person, make_source

LECUN_POSITIONS = "/positions/?person=yann-lecun"


def get(client, url, status=200):
    response = client.get(url)
    assert response.status_code == status, (url, response.status_code)
    return response.content.decode()


def messages_of(html: str) -> list[str]:
    return [re.sub(r"\s+", " ", m) for m in re.findall(r'<li class="message[^"]*">(.*?)</li>', html, re.S)]


def speakers_listed(html: str) -> set[str]:
    return set(re.findall(r'<a href="/people/([^/"]+)/"', html.split('class="position-list"', 1)[1]))


def quillfeathers():
    """Two people the word "quillfeather" matches equally, each with a position."""
    ann = make_person(name="Ann Quillfeather", slug="ann-quillfeather")
    bob = make_person(name="Bob Quillfeather", slug="bob-quillfeather")
    make_position(speaker=ann, summary="Ann on weights.")
    make_position(speaker=bob, summary="Bob on weights.")
    return ann, bob


class TestPeopleAndOrganizationsByName:
    def test_a_typed_name_goes_to_the_slug_address(self, client, seed):
        response = client.get("/positions/", {"person": "Yann LeCun"})
        assert response.status_code == 302 and response["Location"] == LECUN_POSITIONS

    @pytest.mark.parametrize("typed", ["lecun", "YANN LECUN", "yann-lecun"])
    def test_a_name_filters_and_the_box_shows_the_name(self, client, seed, typed):
        response = client.get("/positions/", {"person": typed}, follow=True)
        html = response.content.decode()
        assert response.redirect_chain in ([], [(LECUN_POSITIONS, 302)])
        assert speakers_listed(html) == {"yann-lecun"}
        assert 'name="person" value="Yann LeCun"' in html
        assert messages_of(html) == []

    def test_an_organization_by_name_keeps_its_filter_in_the_feed_link(self, client, seed):
        response = client.get("/positions/", {"organization": "Meta"}, follow=True)
        html = response.content.decode()
        assert response.redirect_chain == [("/positions/?organization=meta", 302)]
        assert 'name="organization" value="Meta"' in html
        assert 'href="/positions/feed/?organization=meta"' in html
        organizations = re.findall(r'<a href="/organizations/([^/"]+)/"', html.split('class="position-list"', 1)[1])
        assert organizations and set(organizations) == {"meta"}

    def test_an_ambiguous_name_lists_links_that_apply_each(self, client, seed):
        quillfeathers()
        html = get(client, "/positions/?person=quillfeather&stance=open")
        [message] = messages_of(html)
        assert message.startswith("Several people match “quillfeather”: ")
        assert '<a href="/positions/?person=ann-quillfeather&amp;stance=open">Ann Quillfeather</a>' in message
        assert '<a href="/positions/?person=bob-quillfeather&amp;stance=open">Bob Quillfeather</a>' in message
        assert "showing all people" in message
        assert len(speakers_listed(html)) > 2  # the filter is ignored, not guessed

    def test_a_typo_suggests_the_name_and_ignores_the_filter(self, client, seed):
        html = get(client, "/positions/?person=Yan+Lecun")
        [message] = messages_of(html)
        assert message.startswith("No person named “Yan Lecun”; did you mean ")
        assert '<a href="/positions/?person=yann-lecun">Yann LeCun</a>' in message
        assert len(speakers_listed(html)) > 1

    def test_an_unknown_name_says_so_without_suggestions(self, client, seed):
        [message] = messages_of(get(client, "/positions/?organization=Qzxwv+Corp"))
        assert message == "No organization named “Qzxwv Corp”. Meanwhile showing all organizations."

    def test_what_was_typed_is_escaped_in_the_message(self, client, seed):
        html = get(client, "/positions/?person=%3Cscript%3Ealert(1)%3C/script%3E")
        assert "<script>alert(1)" not in html
        assert "No person named “&lt;script&gt;alert(1)&lt;/script&gt;”" in html

    def test_people_by_organization_name(self, client, seed):
        response = client.get("/people/", {"organization": "Meta"}, follow=True)
        assert response.redirect_chain == [("/people/?organization=meta", 302)]
        assert "Yann LeCun" in response.content.decode()

    def test_the_boxes_suggest_names_in_a_small_datalist(self, client, seed):
        html = get(client, "/positions/")
        assert 'list="person-names"' in html and 'list="organization-names"' in html
        people = re.search(r'<datalist id="person-names">(.*?)</datalist>', html, re.S).group(1)
        assert '<option value="Yann LeCun">' in people
        organizations = re.search(r'<datalist id="organization-names">(.*?)</datalist>', html, re.S).group(1)
        assert '<option value="Meta">' in organizations and '<option value="IBM">' in organizations
        assert ">Person (slug)<" not in html and ">Organization (slug)<" not in html

    def test_the_people_suggested_are_the_most_quoted_first(self, seed):
        from debates.filters import most_quoted_people

        often = make_person(name="Aaron Often")
        for i in range(40):
            make_position(speaker=often, summary=f"Take {i}.")
        make_person(name="Aaron Never")  # quoted nowhere: not suggested
        names = most_quoted_people(100)
        assert names[0] == "Aaron Often"
        assert "Yann LeCun" in names and "Aaron Never" not in names
        assert most_quoted_people(3) == names[:3]

    def test_the_suggestions_are_worked_out_once_not_on_every_render(self, client, seed):
        """A sum over the tally per render cost ~0.5 s at a million positions: the names are a
        hint, kept by each process for SUGGESTIONS_SECONDS, so a page's next render skips it."""
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        def tally_queries(url):
            with CaptureQueriesContext(connection) as ctx:
                assert client.get(url).status_code == 200
            return [q["sql"] for q in ctx.captured_queries if "debates_stancetally" in q["sql"]]

        assert tally_queries("/positions/?stance=open") != []  # the first render works them out
        html = get(client, "/positions/?stance=closed")  # another page, rendered too
        assert tally_queries("/positions/?stance=mixed") == []
        assert '<option value="Yann LeCun">' in html

    def test_a_feed_takes_a_name_and_refuses_an_ambiguous_one(self, client, seed):
        feed = feedparser.parse(get(client, "/positions/feed/?person=lecun"))
        assert feed.entries and {e.author for e in feed.entries} == {"Yann LeCun"}
        assert feed.feed.link.endswith("/positions/?person=yann-lecun")
        quillfeathers()
        html = get(client, "/positions/feed/?person=quillfeather", status=400)
        named = "Ann Quillfeather (ann-quillfeather) or Bob Quillfeather (bob-quillfeather)"
        assert f"several people match “quillfeather”: {named}" in html

    def test_the_csv_download_takes_a_name_too(self, client, seed):
        response = client.get("/data/positions.csv?person=lecun")
        assert response.status_code == 200
        body = b"".join(response.streaming_content).decode()
        assert "yann-lecun" in body and "dario-gil" not in body

    def test_the_api_takes_slugs_and_answers_a_bad_name_with_a_400(self, client, seed):
        response = client.get("/api/v1/positions/?person=yann-lecun")
        assert response.status_code == 200 and response.json()["results"]
        assert client.get("/api/v1/positions/?person=Qzxwv").status_code == 400


class TestCompareByName:
    def test_compare_accepts_a_name_search_accepts(self, client, seed):
        html = get(client, "/compare/?a=lecun&b=ai-alliance")
        assert "Yann LeCun</a> (person)" in html and "AI Alliance</a> (coalition)" in html
        assert 'name="a" value="Yann LeCun"' in html and 'name="b" value="AI Alliance"' in html

    def test_the_empty_form_is_not_prefilled(self, client, seed):
        html = get(client, "/compare/")
        boxes = re.findall(r'<input type="text" name="[ab]"[^>]*>', html)
        assert len(boxes) == 2 and not any("value=" in box for box in boxes)
        assert 'placeholder="e.g. AI Alliance"' in html
        assert '<option value="Yann LeCun">person</option>' in html

    def test_a_misspelt_side_gets_suggestions(self, client, seed):
        html = get(client, "/compare/?a=Yan+Lecun&b=ibm", status=404)
        [message] = messages_of(html)
        assert message.startswith("No coalition, organization or person named “Yan Lecun”; did you mean ")
        assert '<a href="/compare/?a=person%3Ayann-lecun&amp;b=ibm">Yann LeCun (person)</a>' in message

    def test_an_ambiguous_side_lists_candidates(self, client, seed):
        quillfeathers()
        html = get(client, "/compare/?a=quillfeather&b=ibm", status=400)
        [message] = messages_of(html)
        assert message.startswith("Several coalitions, organizations or people match “quillfeather”: ")

    def test_an_empty_side_is_said_plainly(self, client, seed):
        html = get(client, "/compare/?a=&b=ibm", status=400)
        assert "It is empty (type a name here)." in html
        assert "This field is required" not in html


class TestPlainMessages:
    @pytest.mark.parametrize(
        ("url", "words"),
        [
            ("/positions/?stance=foo", "“foo” is not a stance we know (choose Open, Closed or Mixed)"),
            ("/people/?stance=sideways", "“sideways” is not a stance we know (choose Open, Closed or Mixed)"),
            ("/positions/?said_after=yesterday", "“yesterday” is not a date (use a date like 2024-05-31)"),
            ("/positions/?sort=random", "“random” is not a sort order we know (choose Newest first"),
            ("/policies/?status=zzz", "“zzz” is not a status we know (choose "),
            ("/organizations/?kind=bank", "“bank” is not a kind we know (choose Company"),
            ("/timeline/?camp=zzz", "“zzz” is not a stance we know (choose "),
        ],
    )
    def test_a_bad_value_is_named_in_plain_words(self, client, seed, url, words):
        response = client.get(url)
        html = response.content.decode()
        assert response.status_code in (200, 400)
        assert words in html
        assert "Select a valid choice" not in html and "is not one of the available choices" not in html

    @pytest.mark.parametrize("page", ["abc", "-1", "0"])
    def test_a_page_that_is_not_a_number_says_so(self, client, seed, page):
        html = get(client, f"/positions/?page={page}", status=404)
        assert f"“{page}” is not a page number (pages are numbered 1, 2, 3…)" in html

    def test_a_page_past_the_end_says_why(self, client, seed):
        assert "it may have grown shorter since the link was made" in get(client, "/positions/?page=999", status=404)


class TestNameSearch:
    def test_people_name_search_forgives_typos_closest_first(self, client, seed):
        make_person(name="Yannick Lecomte", slug="yannick-lecomte")
        html = get(client, "/people/?name=Yan+Lecun")
        names = re.findall(r'<td><a href="/people/[^"]+/">([^<]+)</a></td>', html)
        assert names[0] == "Yann LeCun"

    def test_people_name_search_ignores_accents(self, client, seed):
        html = get(client, "/people/?name=dario+gil")
        assert re.findall(r'<td><a href="/people/[^"]+/">([^<]+)</a></td>', html)[0] == "Darío Gil"
        both = re.findall(r'<td><a href="/people/[^"]+/">([^<]+)</a></td>', get(client, "/people/?name=DARIO"))
        assert {"Darío Gil", "Dario Amodei"} <= set(both)

    def test_organizations_name_search_forgives_typos(self, client, seed):
        html = get(client, "/organizations/?name=Antropic")
        assert re.findall(r'<td><a href="/organizations/[^"]+/">([^<]+)</a></td>', html)[0] == "Anthropic"


class TestFeedDates:
    def entry_for(self, client, position):
        feed = feedparser.parse(get(client, f"/positions/feed/?person={position.speaker.slug}"))
        [entry] = [e for e in feed.entries if e.link.endswith(position.get_absolute_url())]
        return entry

    def test_an_entry_is_dated_when_the_words_were_said(self, client, seed):
        position = make_position(said_on=datetime.date(2023, 12, 5))
        entry = self.entry_for(client, position)
        assert entry.published.startswith("2023-12-05")
        assert entry.updated.startswith("2023-12-05")

    def test_an_undated_entry_is_dated_when_first_reported(self, client, seed):
        later = make_source(published_on=datetime.date(2024, 2, 1))
        first = make_source(published_on=datetime.date(2024, 1, 10))
        position = make_position(said_on=None, sources=[later, first])
        assert self.entry_for(client, position).published.startswith("2024-01-10")

    def test_an_edit_after_recording_is_the_entrys_update(self, client, seed):
        position = make_position(said_on=datetime.date(2023, 12, 5))
        edited = timezone.now() + datetime.timedelta(hours=1)
        Position.objects.filter(pk=position.pk).update(updated_at=edited)
        entry = self.entry_for(client, position)
        assert entry.published.startswith("2023-12-05")
        assert entry.updated.startswith(edited.date().isoformat())

    def test_seed_positions_are_dated_by_their_sources_not_the_load(self, client, seed):
        feed = feedparser.parse(get(client, "/positions/feed/"))
        today = str(timezone.now().date())
        published = [e.published for e in feed.entries if "published" in e]
        assert len(published) >= len(feed.entries) - 2  # two seed quotes have no known date at all
        assert not any(date.startswith(today) for date in published)
        dates = [e.get("published_parsed") or e.updated_parsed for e in feed.entries]
        assert dates == sorted(dates, reverse=True)

    def test_a_quote_with_no_known_date_has_no_published_date(self, client, seed):
        position = Position.objects.get(slug="arthur-mensch-no-risk-in-open-sourcing")
        entry = self.entry_for(client, position)
        assert "published" not in entry and entry.updated  # <updated>: when it was recorded

    def test_comments_keep_their_own_dates(self, client, seed):
        position = Position.objects.get(slug="yann-lecun-massive-corporate-lobbying")
        comment = position.comments.create(author_name="R", body_markdown="x", body_html="x", status="approved")
        feed = feedparser.parse(get(client, f"/positions/{position.slug}/comments/feed/"))
        assert feed.entries[0].published.startswith(comment.created_at.date().isoformat())


def test_the_people_feed_takes_an_organization_by_name(client, seed):
    """The same name the page takes works wherever the FilterSet is used (one entry point)."""
    feed = feedparser.parse(get(client, "/people/feed/?organization=Meta"))
    assert "Yann LeCun" in {e.title for e in feed.entries}
    assert "Sam Altman" not in {e.title for e in feed.entries}


def test_an_alert_for_a_name_follows_the_slug_address(client, seed):
    page = get(client, "/alerts/new/?alert=positions&person=lecun")
    assert "Positions (Person: Yann LeCun)" in page
    assert 'href="/positions/?person=yann-lecun"' in page


class TestNameSuggestions:
    """/names/: what static/js/filters.js fills a box's <datalist> with as one types."""

    def test_names_like_what_is_typed_closest_first(self, client, seed):
        response = client.get("/names/", {"kind": "person", "q": "yan lecun"})
        assert response.status_code == 200 and response.json()["names"][0] == "Yann LeCun"
        assert client.get("/names/", {"kind": "organization", "q": "antropic"}).json()["names"][0] == "Anthropic"

    def test_one_query_however_many_people(self, client, seed, django_assert_num_queries):
        make_person(name="Yannick Lecomte", slug="yannick-lecomte")
        with django_assert_num_queries(1):
            client.get("/names/", {"kind": "person", "q": "yan"})

    @pytest.mark.parametrize("query", [{"kind": "topic", "q": "x"}, {"q": "x"}, {"kind": "person", "q": "x" * 201}])
    def test_a_bad_question_is_a_400_in_words(self, client, seed, query):
        response = client.get("/names/", query)
        assert response.status_code == 400 and response.json()["error"]

    def test_the_boxes_say_where_to_ask(self, client, seed):
        html = get(client, "/positions/")
        assert 'data-suggest="/names/" data-kind="person"' in html
        assert re.search(r'<script src="/static/js/filters[.\w]*\.js" defer></script>', html)
