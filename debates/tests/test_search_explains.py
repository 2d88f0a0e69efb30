"""The search page says why each result matched, shows what it found first, offers "Did you
mean" for a typo, finds a person's or organization's positions by their (typo'd) name, and
is one box away on every page (the header)."""

import re

import pytest

from debates.models import Position, SearchWord
from debates.search import refresh_search_words
from debates.tests.factories import make_position, make_topic
from members.tests.factories import make_organization, make_person


def get(client, url, status=200) -> str:
    response = client.get(url)
    assert response.status_code == status, url
    return response.content.decode()


def main(html: str) -> str:
    return html.split('<main id="content"', 1)[1].split("</main>", 1)[0]


def card(html: str, slug: str) -> str:
    """The position card that links to ``slug``."""
    for article in re.findall(r"<article class=\"position-card.*?</article>", html, flags=re.S):
        if f'href="/positions/{slug}/"' in article:
            return article
    raise AssertionError(f"no card for {slug}")


def headings(html: str) -> list[str]:
    return re.findall(r"<h2 id=\"group-[a-z]+\">([^<]*)</h2>", html)


class TestWhyEachResultMatched:
    def test_a_topic_only_match_says_which_topic_matched(self, client, seed):
        # Joel Kaplan's words never say "lobbying"; his position is on "Regulation and lobbying".
        kaplan = Position.objects.get(slug="joel-kaplan-meta-will-not-sign-gpai-code")
        assert "lobbying" not in (kaplan.quotation + kaplan.summary).lower()
        html = get(client, "/search/?q=lobbying")
        assert "Matched the topic “Regulation and <mark>lobbying</mark>”." in card(html, kaplan.slug)

    def test_a_match_in_its_own_words_is_marked_there_and_the_topic_is_an_also(self, client, seed):
        html = card(get(client, "/search/?q=lobbying"), "yann-lecun-massive-corporate-lobbying")
        assert "massive corporate <mark>lobbying</mark>" in html
        assert "Also matched the topic “Regulation and <mark>lobbying</mark>”." in html

    def test_a_speaker_name_match_is_marked_and_said(self, client, seed):
        speaker = make_person(name="Ottoline Quibble")
        make_position(slug="quibble-on-chips", speaker=speaker, summary="Chips should be cheaper.")
        html = card(get(client, "/search/?q=quibble"), "quibble-on-chips")
        assert "Ottoline <mark>Quibble</mark>" in html
        assert "Matched the speaker's name." in html

    def test_an_organization_name_match_names_the_organization(self, client, seed):
        org = make_organization(name="Zanzibar Compute Lab")
        make_position(slug="zanzibar-on-chips", organization=org, summary="Chips should be cheaper.")
        html = card(get(client, "/search/?q=zanzibar"), "zanzibar-on-chips")
        assert "Matched the organization “<mark>Zanzibar</mark> Compute Lab”." in html

    def test_a_context_match_quotes_the_context(self, client, seed):
        make_position(
            slug="context-only",
            summary="Chips should be cheaper.",
            context="Said at a hearing on semiconductor tariffs in the spring.",
        )
        html = card(get(client, "/search/?q=tariffs"), "context-only")
        assert "Matched its context: “" in html and "<mark>tariffs</mark>" in html

    def test_a_hostile_topic_name_is_escaped_in_the_explanation(self, client, seed):
        topic = make_topic(name="<b>Quokka</b> rules")
        make_position(slug="quokka", topics=[topic], summary="Chips should be cheaper.")
        html = card(get(client, "/search/?q=quokka"), "quokka")
        assert "Matched the topic “&lt;b&gt;<mark>Quokka</mark>&lt;/b&gt; rules”." in html
        assert "<b>" not in html

    def test_the_explanation_is_only_on_the_search_page(self, client, seed):
        html = get(client, "/topics/regulation-and-lobbying/")
        assert "Matched the topic" not in html and "match-why" not in html


class TestGroupsWithResultsFirst:
    def test_empty_groups_are_one_line_at_the_end(self, client, seed):
        html = main(get(client, "/search/?q=lobbying"))
        assert headings(html)[0].startswith("Positions (")
        assert "Organizations (0)" not in html and "People (0)" not in html
        nothing = html.index("Nothing found among")
        assert nothing > html.index("</section>", html.rindex("<section"))  # after the last group
        assert "organizations" in html[nothing:] and "people" in html[nothing:]

    def test_a_close_name_puts_its_group_first(self, client, seed):
        assert headings(main(get(client, "/search/?q=Yan+Lecun")))[:2] == ["People (1)", "Positions (5)"]
        assert headings(main(get(client, "/search/?q=meta")))[0] == "Organizations (1)"

    def test_nothing_found_anywhere_says_so_once(self, client, seed):
        html = main(get(client, "/search/?q=xylophone"))
        assert headings(html) == []
        assert "Nothing matches “xylophone” among organizations, people, positions or policy items." in html

    def test_a_group_with_more_links_to_its_full_list(self, client, seed):
        html = main(get(client, "/search/?q=lobbying"))
        count = Position.objects.filter(search_vector="lobbying").count()
        assert count > 10
        assert headings(html)[0] == f"Positions ({count})"
        assert f'<a href="/positions/?q=lobbying">All {count} positions whose words match</a>' in html
        for i in range(11):
            make_organization(name=f"Lobbying Watch {i}")
        html = main(get(client, "/search/?q=lobbying"))
        assert "Organizations (10+)" in html
        assert '<a href="/organizations/?name=lobbying">All organizations whose name contains “lobbying”</a>' in html


class TestDidYouMean:
    def test_a_typo_suggests_the_word_the_portal_uses(self, client, seed):
        html = main(get(client, "/search/?q=lobyying"))
        assert 'Did you mean\n  <a href="/search/?q=lobbying">lobbying</a>?' in html

    def test_the_suggestion_keeps_the_rest_of_the_query(self, client, seed):
        html = main(get(client, "/search/?q=corporate+lobyying"))
        assert '<a href="/search/?q=corporate+lobbying">corporate lobbying</a>' in html

    def test_a_typo_in_a_topic_or_policy_name_suggests_the_name(self, client, seed):
        html = main(get(client, "/search/?q=Biosecurty"))
        assert '<a href="/search/?q=Biosecurity">Biosecurity</a>' in html

    def test_a_typo_in_a_name_suggests_the_name_as_written(self, client, seed):
        html = main(get(client, "/search/?q=Yan+Lecun"))
        assert '<a href="/search/?q=Yann+LeCun">Yann LeCun</a> (a person)?' in html

    def test_no_suggestion_when_the_search_found_plenty(self, client, seed):
        assert "Did you mean" not in get(client, "/search/?q=lobbying")

    def test_the_suggestion_is_escaped(self, client, seed):
        html = main(get(client, "/search/?q=%3Cscript%3Elobyying"))
        assert "<script>" not in html and "&lt;script&gt;" in html

    def test_words_come_from_published_positions_only(self, client, seed):
        make_position(summary="The zeppelinarium question.")
        make_position(summary="The quaggamire question.", published=False)
        refresh_search_words()
        assert SearchWord.objects.filter(word="zeppelinarium").exists()
        assert not SearchWord.objects.filter(word="quaggamire").exists()
        assert not SearchWord.objects.filter(word="the").exists()  # a stop word is no suggestion
        assert '<a href="/search/?q=zeppelinarium">' in get(client, "/search/?q=zepelinarium")
        assert "quaggamire" not in get(client, "/search/?q=quagamire")

    def test_the_seed_loader_fills_the_words(self, seed):
        assert SearchWord.objects.filter(word="lobbying", documents__gte=10).exists()  # topic names count too


class TestANameFindsItsPositions:
    def test_a_typod_person_name_lists_the_person_and_their_positions(self, client, seed):
        html = main(get(client, "/search/?q=Yan+Lecun"))
        assert 'href="/people/yann-lecun/"' in html
        theirs = Position.objects.filter(speaker__slug="yann-lecun")
        assert theirs.count() == 5
        for position in theirs:
            assert "Said by Yann LeCun, whose name matched." in card(html, position.slug)
        assert '<a href="/positions/?person=yann-lecun">All positions of Yann LeCun</a>' in html

    def test_word_matches_rank_above_positions_found_by_the_name_alone(self, client, seed):
        make_position(slug="about-yan-lecun", summary="A reply to Yan Lecun's post about open research.")
        html = main(get(client, "/search/?q=Yan+Lecun"))
        first = html.index('href="/positions/about-yan-lecun/"')
        assert first < html.index('href="/positions/yann-lecun-massive-corporate-lobbying/"')
        assert "whose name matched" not in card(html, "about-yan-lecun")

    def test_a_typod_organization_name_lists_what_was_said_in_its_name(self, client, seed):
        html = main(get(client, "/search/?q=Mistrl+AI"))
        assert 'href="/organizations/mistral-ai/"' in html
        spoken = Position.objects.filter(organization__slug="mistral-ai", speaks_for=True)
        assert spoken.count() == 2
        for position in spoken:
            assert "Said for Mistral AI, whose name matched." in card(html, position.slug)
        assert '<a href="/positions/?organization=mistral-ai">All positions said for Mistral AI</a>' in html

    def test_a_loose_name_match_lists_the_person_but_not_their_positions(self, client, seed):
        loose = make_person(name="Ian Lecuna")  # like "Yan Lecun", but not nearly the same
        make_position(slug="ian-lecuna-on-chips", speaker=loose, summary="Chips should be cheaper.")
        html = main(get(client, "/search/?q=Yan+Lecun"))
        assert f'href="/people/{loose.slug}/"' in html
        assert 'href="/positions/ian-lecuna-on-chips/"' not in html


# Every kind of public page: each has the header's search box.
PAGE_TYPES = [
    "/",
    "/coalitions/",
    "/coalitions/ai-alliance/",
    "/organizations/",
    "/organizations/meta/",
    "/people/",
    "/people/yann-lecun/",
    "/positions/",
    "/positions/yann-lecun-massive-corporate-lobbying/",
    "/topics/",
    "/topics/open-weights/",
    "/policies/",
    "/policies/us-executive-order-on-ai/",
    "/compare/",
    "/matrix/",
    "/timeline/",
    "/search/",
    "/search/?q=meta",
    "/data/",
    "/about/",
    "/suggest/",
]


class TestHeaderSearchBox:
    @pytest.mark.parametrize("url", PAGE_TYPES)
    def test_every_public_page_has_the_header_search_form(self, client, seed, url):
        header = get(client, url).split('<header class="site-header">', 1)[1].split("</header>", 1)[0]
        form = re.search(r"<form class=\"header-search\"[^>]*>", header).group(0)
        assert 'method="get"' in form and 'action="/search/"' in form and 'role="search"' in form
        assert '<label class="visually-hidden" for="header-search-q">Search the portal</label>' in header
        assert re.search(r'<input [^>]*id="header-search-q" name="q"', header)
        assert '<button class="header-search-button" type="submit">Search</button>' in header

    def test_a_missing_page_has_it_too(self, client, seed):
        html = get(client, "/people/nobody/", status=404)
        assert 'class="header-search"' in html

    def test_what_the_header_form_sends_is_a_search(self, client, seed):
        # The form's one field is q, sent by GET to /search/: what a reader's Enter asks for.
        html = main(get(client, "/search/?q=Yan+Lecun"))
        assert 'href="/people/yann-lecun/"' in html
