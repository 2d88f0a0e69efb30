"""The reader's pages render the seed content, filter correctly and survive bad input."""

import pytest
from django.urls import reverse

from members.models import Person


def get(client, url, status=200):
    response = client.get(url)
    assert response.status_code == status, response.content[:500]
    return response.content.decode()


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("/coalitions/", ["AI Alliance", "Frontier Model Forum", "Anthropic"]),
        ("/coalitions/ai-alliance/", ["Dell", "Founder", "Yann LeCun", "Chief AI scientist", "universities"]),
        ("/organizations/", ["84 organizations", "AMD", "Abdus Salam", "United States"]),
        ("/organizations/ibm/", ["Linux", "Chris Padilla", "a classic tactic", "AI Alliance"]),
        ("/people/", ["Camille Carlton", "Gina Raimondo", "Secretary of Commerce"]),
        ("/people/yann-lecun/", ["Chief AI scientist", "massive corporate lobbying", "X (formerly Twitter)"]),
        # Newest first: the record's latest statement (May 2026) leads the 12 + 61 positions.
        ("/positions/", ["73 positions", "untie everyone", "Hugging Face"]),
        ("/topics/", ["Open model weights", "Biosecurity"]),
        ("/topics/biosecurity/", ["biological laboratory", "No position from this camp on this topic yet"]),
        ("/policies/", ["EU AI Act", "US executive order on AI"]),
        ("/policies/us-executive-order-on-ai/", ["widely available weights", "26 July 2024", "deadline", "Raimondo"]),
        ("/policies/eu-ai-act/", ["free and open-source AI components", "In force since 1 August 2024"]),
        ("/matrix/", ["AI Alliance", "Frontier Model Forum", "Biosecurity"]),
        ("/timeline/", ["Signed by President Joe Biden", "in the Federal Register", "reported 5 December 2023"]),
    ],
)
def test_page_shows_the_seed_content(client, seed, url, expected):
    html = get(client, url)
    for text in expected:
        assert text in html, f"{text!r} not on {url}"


def test_position_page_marks_a_quote_and_shows_the_other_side(client, seed):
    html = get(client, "/positions/camille-carlton-completely-irresponsible/")
    assert "“completely irresponsible”" in html
    assert "A direct quote" in html
    assert "Meta and IBM Launch AI Alliance" in html  # the cited source
    other_side = html.split("The other side", 1)[1]
    assert "Clément Delangue" in other_side  # open, on safety: the newest such position
    assert "Camille Carlton" not in other_side


def test_paraphrase_is_marked_as_such(client, seed):
    html = get(client, "/positions/ilya-sutskever-an-ai-that-starts-a-biological-laboratory/")
    assert "A paraphrase in the portal's own words" in html


def test_disputed_position_carries_a_warning(client, seed):
    from debates.models import Position

    Position.objects.filter(slug="david-evan-harris-oppenheimer").update(
        integrity="disputed", integrity_note="The speaker says the film was not mentioned."
    )
    html = get(client, "/positions/david-evan-harris-oppenheimer/")
    assert "Disputed." in html and "the film was not mentioned" in html


def test_topic_page_puts_the_camps_side_by_side_and_independent_voices_apart(client, seed):
    html = get(client, "/topics/open-weights/")
    open_lane = html.index('id="lane-open"')
    closed_lane = html.index('id="lane-closed"')
    independent = html.index('id="lane-independent"')
    assert open_lane < closed_lane < independent
    # Each card keeps its own stance: the camp is who spoke, the badge what they argued.
    assert "By stance, all camps:" in html
    # The Center for Humane Technology is in neither coalition: an independent voice,
    # though its stance is closed.
    assert html.index("completely irresponsible") > independent
    assert "US executive order on AI" in html


def test_topic_lanes_follow_membership_changes(client, seed):
    from debates.models import Position
    from members.models import Coalition, Membership

    position = Position.objects.select_related("organization").get(slug="camille-carlton-completely-irresponsible")
    Position.objects.filter(pk=position.pk).update(speaks_for=True)  # said in her organization's name
    html = get(client, "/topics/open-weights/")
    assert html.index("completely irresponsible") > html.index('id="lane-independent"')
    # Were her organization to join the Frontier Model Forum, the page would draw it in that camp.
    forum = Coalition.objects.get(slug="frontier-model-forum")
    Membership.objects.create(coalition=forum, organization=position.organization)
    html = get(client, "/topics/open-weights/")
    quote = html.index("completely irresponsible")
    assert html.index('id="lane-closed"') < quote < html.index('id="lane-independent"')


class TestPositionFilters:
    def titles(self, client, query):
        from debates.models import Position

        html = get(client, "/positions/?" + query)
        return {p.slug for p in Position.objects.all() if p.get_absolute_url() in html}

    def test_stance(self, client, seed):
        from debates.models import Position

        slugs = self.titles(client, "stance=mixed")
        assert "joe-biden-dual-use-foundation-models-with-widely-available-weights" in slugs
        assert slugs == set(Position.objects.filter(stance="mixed").values_list("slug", flat=True))
        assert len(slugs) == 8

    def test_topic(self, client, seed):
        slugs = self.titles(client, "topic=biosecurity")
        assert slugs == {"ilya-sutskever-an-ai-that-starts-a-biological-laboratory"}

    def test_coalition(self, client, seed):
        from debates.models import Position

        slugs = self.titles(client, "coalition=frontier-model-forum")
        assert {
            "ilya-sutskever-too-dangerous-for-public-access",
            "ilya-sutskever-an-ai-that-starts-a-biological-laboratory",
        } <= slugs
        # Spoken for a current member (Meta among them since May 2024), not personal statements.
        expected = Position.objects.filter(
            organization__memberships__coalition__slug="frontier-model-forum", speaks_for=True
        )
        assert slugs == set(expected.values_list("slug", flat=True))
        assert len(slugs) == 15
        assert "sam-altman-wrong-side-of-history" not in slugs  # he spoke for himself

    def test_person_and_form_combined(self, client, seed):
        slugs = self.titles(client, "person=yann-lecun&form=quote")
        assert slugs == {
            "yann-lecun-massive-corporate-lobbying",
            "yann-lecun-open-source-models-surpassing-proprietary",
        }

    def test_organization(self, client, seed):
        assert len(self.titles(client, "organization=meta")) == 9  # LeCun's two personal posts left out
        # Positions of people affiliated with it, not speaking for it, are not its own.
        assert self.titles(client, "organization=uc-berkeley") == {"jennifer-chayes-ai-alliance-launch"}  # its dean
        assert len(self.titles(client, "person=david-evan-harris")) == 3

    def test_date_range(self, client, seed):
        from debates.models import Position

        Position.objects.filter(slug="dario-gil-non-proprietary-and-open").update(said_on="2023-11-05")
        assert self.titles(client, "said_after=2023-11-02&said_before=2023-11-30") == {
            "dario-gil-non-proprietary-and-open"
        }
        html = get(client, "/positions/?said_after=2026-01-01")
        assert "1 position match" in html and "clement-delangue-untie-everyone" in html

    def test_unknown_slug_is_ignored_with_a_message(self, client, seed):
        html = get(client, "/positions/?topic=no-such-topic")
        assert "Ignored the filter “Topic”" in html
        assert "73 positions" in html

    def test_malformed_date_is_ignored_with_a_message(self, client, seed):
        html = get(client, "/positions/?said_after=31-31-2023")
        assert "Ignored the filter “Said on or after”" in html

    def test_sort_oldest_first(self, client, seed):
        from debates.models import Position

        Position.objects.filter(slug="dario-gil-non-proprietary-and-open").update(said_on="2020-01-01")
        Position.objects.filter(slug="camille-carlton-completely-irresponsible").update(said_on="2026-12-01")
        # 73 positions, 25 a page: each end of the order is on the first page of its sort.
        html = get(client, "/positions/?sort=oldest")
        assert html.index("/positions/dario-gil-") < html.index("/positions/stefano-maffulli-")  # July 2023
        assert "/positions/camille-carlton-" not in html
        html = get(client, "/positions/?sort=newest")
        assert html.index("/positions/camille-carlton-") < html.index("/positions/clement-delangue-untie-everyone/")
        assert "/positions/dario-gil-" not in html


class TestFullTextSearch:
    def test_exact_phrase_ranks_above_a_passing_mention(self, client, seed):
        from debates.tests.factories import make_position

        make_position(
            slug="passing",
            summary="Spoke of corporate research budgets, hiring, chips, energy, data centres and, once, lobbying.",
        )
        html = get(client, "/positions/?q=corporate+lobbying")
        assert html.index("/positions/yann-lecun-massive-corporate-lobbying/") < html.index("/positions/passing/")

    def test_matching_words_are_highlighted(self, client, seed):
        html = get(client, "/positions/?q=irresponsible")
        assert "<mark>irresponsible</mark>" in html

    def test_quoted_phrase_excluded_word_and_or(self, client, seed):
        assert "1 position match" in get(client, '/positions/?q="biological+laboratory"')
        html = get(client, "/positions/?q=open-source+-lecun")
        results = html.split("</form>", 2)[2]  # after the header's search box and the filters
        assert "yann-lecun" not in results.split("<footer", 1)[0]
        both = get(client, "/positions/?q=disinformation+or+oppenheimer")
        assert "2 positions match" in both

    def test_speaker_and_topic_names_are_searched(self, client, seed):
        assert "3 positions match" in get(client, "/positions/?q=Harris")
        assert "biological laboratory" in get(client, "/positions/?q=biosecurity")

    def test_hostile_search_text_is_escaped(self, client, seed):
        html = get(client, "/positions/?q=%3Cscript%3Ealert(1)%3C/script%3E")
        assert "<script>alert(1)" not in html
        assert "0 positions match" in html

    @pytest.mark.parametrize("q", ["a" * 201, "bad\x00byte"])
    def test_over_long_or_binary_query_is_refused_clearly(self, client, seed, q):
        html = get(client, "/positions/?" + "q=" + q.replace("\x00", "%00"))
        assert "Ignored the filter “Search”" in html

    def test_site_search_groups_results_by_kind(self, client, seed):
        html = get(client, "/search/?q=Meta")
        for heading in ["Organizations (1)", "Positions (", "Policy items (1)"]:
            assert heading in html
        assert 'href="/organizations/meta/"' in html
        assert "People (0)" not in html and "Nothing found among people." in html  # no empty headings

    def test_site_search_tolerates_typos_and_accents(self, client, seed):
        assert 'href="/people/dario-gil/"' in get(client, "/search/?q=Dario+Gill")
        assert 'href="/people/yann-lecun/"' in get(client, "/search/?q=Yan+Lecun")

    def test_site_search_refuses_binary_input_with_400(self, client, seed):
        html = get(client, "/search/?q=%00", status=400)
        assert "Ignored “Search”" in html


class TestCompare:
    def test_two_coalitions_side_by_side_with_coverage(self, client, seed):
        html = get(client, "/compare/?a=ai-alliance&b=frontier-model-forum")
        assert "AI Alliance</a> (coalition): a sourced position on <strong>5 of 7</strong>" in html
        assert "Frontier Model Forum</a> (coalition): a sourced position on <strong>6 of 7</strong>" in html
        assert "No public position found" in html

    def test_an_organization_against_a_person(self, client, seed):
        html = get(client, "/compare/?a=ibm&b=person:camille-carlton")
        biosecurity = html.split('id="topic-biosecurity"', 1)[1].split("compare-row", 1)[0]
        assert biosecurity.count("No public position found") == 2
        safety = html.split('id="topic-safety-and-catastrophic-risk"', 1)[1].split("compare-row", 1)[0]
        # Shown once: under the first of its topics, named under the later ones.
        url = "/positions/camille-carlton-completely-irresponsible/"
        assert html.count(f'class="card-link" href="{url}"') == 1
        assert f'href="{url}"' in safety

    def test_independent_voices_are_shown_beneath_the_two_sides_once_each(self, client, seed):
        import re

        from debates.camps import INDEPENDENT, Camps
        from debates.models import Position

        html = get(client, "/compare/?a=ai-alliance&b=frontier-model-forum")
        bands = html.split('<h3 class="side-name">Independent voices on ')[1:]
        assert len(bands) >= 3
        camps = Camps.load()
        independent = []
        for band in bands:
            band = band.split("</section>", 1)[0]
            slugs = re.findall(r'class="card-link" href="/positions/([^/]+)/"', band)
            assert slugs
            independent += slugs
            for position in Position.objects.filter(slug__in=slugs):
                assert camps.lane_of(position) == INDEPENDENT, position.slug  # neither coalition's member spoke
        assert len(independent) == len(set(independent))  # each once, under the first of its topics
        everywhere = re.findall(r'class="card-link" href="/positions/([^/]+)/"', html)
        assert all(everywhere.count(slug) == 1 for slug in independent)  # and not on a side too

    def test_a_sides_own_positions_are_not_repeated_among_the_independent_voices(self, client, seed):
        html = get(client, "/compare/?a=person:camille-carlton&b=ai-alliance")
        url = "/positions/camille-carlton-completely-irresponsible/"
        assert html.count(f'class="card-link" href="{url}"') == 1

    def test_unknown_side_is_a_404_with_a_message(self, client, seed):
        html = get(client, "/compare/?a=ibm&b=skynet", status=404)
        assert "No coalition, organization or person named “skynet”" in html

    def test_the_picker_is_shown_without_parameters(self, client, seed):
        html = get(client, "/compare/")
        box = '<input type="text" name="a" list="compare-sides" placeholder="e.g. AI Alliance" maxlength="200" required'
        assert box + ' aria-describedby="compare-help" id="compare-a">' in html
        assert '<option value="Yann LeCun">person</option>' in html
        assert '<option value="AI Alliance">coalition</option>' in html

    def test_the_picker_names_someone_added_since_it_was_last_shown(self, client, seed):
        get(client, "/compare/")  # its names kept, for every compare page
        Person.objects.create(name="Ada Newcomer", slug="ada-newcomer")
        assert '<option value="Ada Newcomer">person</option>' in get(client, "/compare/?a=ai-alliance&b=meta")

    def test_the_picker_suggests_only_coalitions_when_there_are_too_many_to_list(self, client, seed, monkeypatch):
        monkeypatch.setattr("debates.views.compare.PICKER_LIMIT", 3)
        html = get(client, "/compare/?a=Yann+LeCun&b=ai-alliance")
        assert '<option value="AI Alliance">coalition</option>' in html
        assert '<option value="Yann LeCun">' not in html and "the suggestions list the coalitions" in html
        assert 'value="Yann LeCun"' in html  # what was typed stays in the box

    def test_a_side_can_be_typed_by_name_in_any_case(self, client, seed):
        html = get(client, "/compare/?a=yann+lecun&b=Frontier+Model+Forum")
        assert "Yann LeCun</a> (person)" in html and "Frontier Model Forum</a> (coalition)" in html


class TestMatrix:
    def test_cells_show_stances_and_link_to_their_positions(self, client, seed):
        html = get(client, "/matrix/")
        link = "/positions/?coalition=frontier-model-forum&amp;topic=biosecurity"
        assert link in html
        response = client.get(link.replace("&amp;", "&"))
        assert "biological laboratory" in response.content.decode()

    def test_organizations_as_rows(self, client, seed):
        html = get(client, "/matrix/?rows=organizations")
        assert "Center for Humane Technology" in html
        assert "Cleveland Clinic" not in html.split("</thead>", 1)[1]  # said nothing, so no row

    def test_organizations_come_a_page_at_a_time(self, client, seed, monkeypatch):
        monkeypatch.setattr("debates.views.compare.MATRIX_ROWS", 2)
        first = get(client, "/matrix/?rows=organizations")
        rows = first.split("</thead>", 1)[1].count('<th scope="row">')
        assert rows == 2 and "Page 1 of" in first
        assert 'href="?rows=organizations&amp;page=2"' in first
        second = get(client, "/matrix/?rows=organizations&page=2")
        body = lambda html: html.split("</thead>", 1)[1].split("</table>")[0]  # noqa: E731 - every group's rows
        assert body(second) != body(first)
        assert client.get("/matrix/?rows=organizations&page=99").status_code == 404

    def test_bad_switch_is_ignored_with_a_message(self, client, seed):
        html = get(client, "/matrix/?rows=planets")
        assert "Ignored “Rows”" in html and "AI Alliance" in html


class TestTimeline:
    def test_positions_and_milestones_interleave_by_date(self, client, seed):
        html = get(client, "/timeline/")
        assert html.index("Signed by President Joe Biden") < html.index("Published in the Federal Register")
        assert html.index("Published in the Federal Register") < html.index("reported 5 December 2023")

    def test_filter_by_topic_and_camp(self, client, seed):
        html = get(client, "/timeline/?topic=biosecurity&camp=closed")
        assert "biological laboratory" in html
        assert "massive corporate lobbying" not in html
        assert "Signed by President" not in html  # the order is not on biosecurity


class TestBadInputNeverGives500:
    @pytest.mark.parametrize(
        "url",
        [
            "/positions/?page=abc",
            "/positions/?page=999",
            "/positions/?page=-1",
            "/organizations/?page=0",
            "/people/?page=99999999999999999999",
            "/policies/?page=2",
        ],
    )
    def test_bad_page_is_a_404_with_a_message(self, client, seed, url):
        response = client.get(url)
        assert response.status_code == 404
        html = response.content.decode()
        assert "Page not found" in html and "This list has no such page" in html
        assert "Invalid page" not in html and "That page contains no results" not in html

    @pytest.mark.parametrize(
        "url",
        [
            "/organizations/?kind=spaceship",
            "/organizations/?coalition=nope",
            "/people/?stance=sideways",
            "/people/?organization=%00",
            "/policies/?jurisdiction=mars",
            "/positions/?said_before=yesterday",
            "/positions/?sort=random",
            "/timeline/?camp=%FF%FE",
        ],
    )
    def test_bad_filter_is_ignored_with_a_message(self, client, seed, url):
        html = get(client, url)
        assert "Ignored" in html

    def test_unknown_slug_is_a_styled_404(self, client, seed):
        html = get(client, "/people/nobody/", status=404)
        assert "There is no person at this address" in html and "Skip to content" in html
        assert "matches the given query" not in html


class TestOrganizationAndPeopleFilters:
    def test_organizations_by_coalition_kind_country_name(self, client, seed):
        html = get(client, "/organizations/?coalition=ai-alliance&country=Japan")
        assert "2 organizations match" in html and "Sony" in html and "The University of Tokyo" in html
        html = get(client, "/organizations/?kind=university")
        assert "University of California, Berkeley" in html and "IBM" not in html.split("<tbody>")[1]
        html = get(client, "/organizations/?name=micro")
        assert "Microsoft" in html and "1 organization match" in html

    def test_people_by_organization_coalition_and_stance(self, client, seed):
        html = get(client, "/people/?organization=ibm")
        body = html.split("<tbody>")[1]
        assert "Darío Gil" in body and "Chris Padilla" in body and "LeCun" not in body
        body = get(client, "/people/?coalition=frontier-model-forum").split("<tbody>")[1]
        assert "Ilya Sutskever" in body and "Darío Gil" not in body
        body = get(client, "/people/?stance=mixed").split("<tbody>")[1]
        assert "Joe Biden" in body and "Yann LeCun" not in body


def test_person_page_marks_a_change_of_position(client, seed):
    from debates.models import Position
    from debates.tests.factories import make_position

    lecun = Position.objects.get(slug="yann-lecun-open-platforms-for-human-knowledge")
    Position.objects.filter(pk=lecun.pk).update(said_on="2023-06-01")
    later = make_position(
        slug="lecun-changes-his-mind",
        speaker=lecun.speaker,
        organization=lecun.organization,
        stance="closed",
        said_on="2023-07-01",  # before his other dated positions (October 2023, January 2025)
        topics=list(lecun.topics.all()),
    )
    html = get(client, reverse("members:person-detail", args=["yann-lecun"]))
    marker = html.split(f'id="change-{later.slug}"', 1)[1].split("</li>", 1)[0]
    assert "position changed" in marker
    assert lecun.get_absolute_url() in marker and later.get_absolute_url() in marker
    section = html.split('id="positions-heading"', 1)[1]
    assert (
        section.count('class="position-card') == Position.objects.filter(speaker=lecun.speaker).count()
    )  # one card each
