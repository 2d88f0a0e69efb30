"""Full-text search, in one place: how reader text becomes a query (websearch),
which positions match and with which words marked (search_positions), how
matches are ranked (rank_matches, RankedPaginator), when a list goes in
relevance order (ranked_text), and the policy items' search document.

The positions list, its feed and download, and the search page all use these.
"""

import re

from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank, SearchVector
from django.db import connections, transaction
from django.db.models import F, Prefetch
from django.utils.functional import cached_property

from alliance_portal.listing import CappedPaginator
from debates.models import Position, SearchWord, Topic

SEARCH_MAX_LENGTH = 200


# PostgreSQL marks matched words with these; the `highlight` template filter
# escapes the text and only then turns them into <mark> (see debates_tags).
MARK_START, MARK_END = "\ue000", "\ue001"


def websearch(value: str) -> SearchQuery:
    """The one way reader text becomes a PostgreSQL query: web-search syntax
    ("quoted phrase", -word, or), English stemming."""
    return SearchQuery(value, search_type="websearch", config="english")


RANKED_CANDIDATES = 1000


def search_positions(queryset, text: str):
    """Positions matching ``text``, with quotation and summary highlighted."""
    query = websearch(text)
    marks = {"start_sel": MARK_START, "stop_sel": MARK_END, "config": "english", "highlight_all": True}
    return queryset.filter(search_vector=query).annotate(
        quotation_highlighted=SearchHeadline("quotation", query, **marks),
        summary_highlighted=SearchHeadline("summary", query, **marks),
    )


def rank_matches(matches, text: str) -> tuple[list[int], bool]:
    """(ids, more): the newest RANKED_CANDIDATES matches, best match first, and
    whether further (older) matches were left unranked.

    Ranking is bounded, so a common word costs no more than a rare phrase: one
    query walks the date index, scoring each match as it goes (cover density:
    words found close together, a phrase, outrank scattered mentions); the
    thousand scores are sorted here. Equal scores keep newest first.
    """
    rank = SearchRank(F("search_vector"), websearch(text), cover_density=True)
    rows = list(matches.newest_first().annotate(rank=rank).values_list("pk", "rank")[: RANKED_CANDIDATES + 1])
    more = len(rows) > RANKED_CANDIDATES
    rows = rows[:RANKED_CANDIDATES]  # newest first already: a stable sort keeps that among equals
    return [pk for pk, _ in sorted(rows, key=lambda row: -row[1])], more


class RankedPaginator(CappedPaginator):
    """Pages of a search in relevance order (see rank_matches); a page's rows are
    then loaded by id like any other list page's."""

    def __init__(self, *args, text: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.text = text

    @cached_property
    def ranking(self) -> tuple[list[int], bool]:
        return rank_matches(self.object_list, self.text)

    @property
    def more_unranked(self) -> bool:
        return self.ranking[1]

    @cached_property
    def count(self):
        return len(self.ranking[0])

    def page_ids(self, bottom: int, top: int) -> list:
        return self.ranking[0][bottom:top]


def ranked_text(cleaned_data: dict) -> str:
    """The search text a positions list is ranked by, from its FilterSet's cleaned
    data: a search goes in relevance order unless another sort is picked; "" means
    the queryset's own order (newest first, oldest first or by speaker)."""
    if cleaned_data.get("sort"):
        return ""
    return cleaned_data.get("q") or ""


def search_policies(queryset, text: str):
    """Policy items matching ``text``, best match first: their names weigh more than
    their summary and what they say about open models (no stored column: a few
    hundred rows)."""
    query = websearch(text)
    policy_vector = SearchVector("short_name", "title", weight="A", config="english") + SearchVector(
        "summary", "open_models", weight="B", config="english"
    )
    return (
        queryset.annotate(document=policy_vector)
        .filter(document=query)
        .annotate(rank=SearchRank(F("document"), query))
        .order_by("-rank", "short_name")
    )


# What the search page explains about each position it shows: which of the fields behind
# the position's search_vector (Position.search_vector: quotation and summary, then
# search_terms, the speaker's, organization's and topics' names, then context) hold a
# word of the query. Each is asked with ts_headline on the shown rows only, so the marks
# are PostgreSQL's own stemmed matches, the same that found the row.
def explain_matches(queryset, text: str):
    """``queryset`` with what search_positions marks, plus the speaker's, organization's,
    topics' and context's marks: annotations on the row and on its prefetched topics, so
    no query is added. Apply to the few rows a page shows, never to every match."""
    query = websearch(text)
    marks = {"start_sel": MARK_START, "stop_sel": MARK_END, "config": "english", "highlight_all": True}
    topics = Topic.objects.annotate(name_highlighted=SearchHeadline("name", query, **marks))
    return (
        queryset.prefetch_related(None)
        .prefetch_related(Prefetch("topics", queryset=topics), "sources")
        .annotate(
            quotation_highlighted=SearchHeadline("quotation", query, **marks),
            summary_highlighted=SearchHeadline("summary", query, **marks),
            speaker_highlighted=SearchHeadline("speaker__name", query, **marks),
            organization_highlighted=SearchHeadline("organization__name", query, **marks),
            context_highlighted=SearchHeadline(
                "context", query, start_sel=MARK_START, stop_sel=MARK_END, config="english", max_words=18, min_words=8
            ),
        )
    )


def _marked(text) -> bool:
    return bool(text) and MARK_START in text


def explain(position) -> None:
    """Say on ``position`` (from explain_matches) what matched outside its quotation and
    summary: ``match_notes``, [(kind, text with marks)] with kind "speaker" (text ""),
    "organization", "topic" or "context"; ``match_lead``, "Matched" when its own words show
    no match, else "Also matched"."""
    notes = []
    if _marked(position.speaker_highlighted):
        notes.append(("speaker", ""))
    if _marked(position.organization_highlighted):
        notes.append(("organization", position.organization_highlighted))
    notes.extend(
        ("topic", topic.name_highlighted) for topic in position.topics.all() if _marked(topic.name_highlighted)
    )
    if _marked(position.context_highlighted):
        notes.append(("context", position.context_highlighted))
    position.match_notes = notes
    shows_match = _marked(position.quotation_highlighted) or _marked(position.summary_highlighted)
    position.match_lead = "Also matched" if shows_match else "Matched"


# A name matched this closely (trigram similarity, accents aside) reads as the name itself,
# typo and all: the search shows that person's or organization's positions too.
CLOSE_NAME = 0.5

# The newest positions of each closely matched person (by speaker) and organization (said in
# its name), in one query: each side reads its own index (position_pub_speaker_idx,
# position_pub_org_idx) from the top, LIMIT rows per name, whatever the table holds.
POSITIONS_BY_NAME = """
SELECT p.id, 'person', s.id FROM unnest(%(people)s::bigint[]) AS s(id)
CROSS JOIN LATERAL (
    SELECT id FROM debates_position
    WHERE published AND speaker_id = s.id
    ORDER BY said_on DESC NULLS LAST, id DESC LIMIT %(limit)s
) AS p
UNION ALL
SELECT p.id, 'organization', o.id FROM unnest(%(organizations)s::bigint[]) AS o(id)
CROSS JOIN LATERAL (
    SELECT id FROM debates_position
    WHERE published AND organization_id = o.id AND speaks_for
    ORDER BY said_on DESC NULLS LAST, id DESC LIMIT %(limit)s
) AS p
"""


def positions_by_name(*, people=(), organizations=(), limit: int) -> list[tuple[int, str, int]]:
    """[(position id, "person" or "organization", whose id)]: the newest ``limit`` positions
    said by each of ``people`` and in the name of each of ``organizations``."""
    if not people and not organizations:
        return []
    params = {"people": [p.pk for p in people], "organizations": [o.pk for o in organizations], "limit": limit}
    with connections[Position.objects.db].cursor() as cursor:
        cursor.execute(POSITIONS_BY_NAME, params)
        return cursor.fetchall()


# "Did you mean": a word of the query that no position uses is matched to the closest word
# that one does (SearchWord, by its trigram index); a name to the closest topic or policy
# item name (people and organizations come with the page's own name matches).
SUGGEST_SIMILARITY = 0.4
QUERY_WORD = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*")

CLOSEST_WORDS = """
SELECT q.word,
       EXISTS (SELECT 1 FROM debates_searchword w WHERE w.word = q.word),
       best.word, best.similarity
FROM unnest(%s::text[]) WITH ORDINALITY AS q(word, n)
LEFT JOIN LATERAL (
    SELECT w.word, similarity(w.word, q.word) AS similarity FROM debates_searchword w
    WHERE w.word %% q.word
    ORDER BY similarity DESC, w.documents DESC, w.word LIMIT 1
) AS best ON true
ORDER BY q.n
"""

CLOSEST_NAMES = """
SELECT kind, name, similarity FROM (
    SELECT 'topic' AS kind, name, similarity(name, %(text)s) AS similarity FROM debates_topic
    UNION ALL
    SELECT 'policy item', short_name, similarity(short_name, %(text)s) FROM debates_policyitem
) AS names
WHERE similarity >= %(threshold)s
ORDER BY similarity DESC, name LIMIT %(limit)s
"""


def corrected_words(text: str) -> str:
    """``text`` with each word that no position uses replaced by the closest one that does
    (web-search syntax kept); ``text`` itself when there is nothing to correct."""
    words = sorted({w.lower() for w in QUERY_WORD.findall(text) if len(w) >= 3 and w.lower() != "or"})
    if not words:
        return text
    with connections[SearchWord.objects.db].cursor() as cursor:
        cursor.execute(CLOSEST_WORDS, [words])
        rows = cursor.fetchall()
    better = {
        word: closest
        for word, known, closest, similarity in rows
        if not known and closest and similarity >= SUGGEST_SIMILARITY
    }
    if not better:
        return text

    def replace(match):
        word = match.group(0)
        closest = better.get(word.lower(), word)
        return closest.capitalize() if word[0].isupper() and closest != word else closest

    return QUERY_WORD.sub(replace, text)


def closest_names(text: str, limit: int = 3) -> list[tuple[str, str]]:
    """[(kind, name)]: the topic and policy item names closest to ``text``."""
    params = {"text": text, "threshold": SUGGEST_SIMILARITY, "limit": limit}
    with connections[Topic.objects.db].cursor() as cursor:
        cursor.execute(CLOSEST_NAMES, params)
        return [(kind, name) for kind, name, _ in cursor.fetchall()]


# Every word of the published positions' searchable text, as written ('simple': lower-cased,
# not stemmed, so a suggestion is a word a reader would type), English stop words left out.
REFRESH_SEARCH_WORDS = """
DELETE FROM debates_searchword;
INSERT INTO debates_searchword (word, documents)
SELECT word, ndoc FROM ts_stat($$
    SELECT to_tsvector('simple', concat_ws(' ', quotation, summary, context, search_terms))
    FROM debates_position WHERE published
$$)
WHERE length(word) BETWEEN 3 AND 60
  AND word ~ '^[[:alpha:]]+(-[[:alpha:]]+)*$'
  AND to_tsvector('english', word) <> ''::tsvector;
"""


def refresh_search_words() -> int:
    """Rebuild SearchWord from the published positions, in one transaction (readers see the
    old words until it commits); returns how many words it holds."""
    with transaction.atomic(using=SearchWord.objects.db), connections[SearchWord.objects.db].cursor() as cursor:
        cursor.execute(REFRESH_SEARCH_WORDS)
    return SearchWord.objects.count()
