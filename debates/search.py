"""Full-text search, in one place: how reader text becomes a query (websearch),
which positions match and with which words marked (search_positions), how
matches are ranked (rank_matches, RankedPaginator), when a list goes in
relevance order (ranked_text), and the policy items' search document.

The positions list, its feed and download, and the search page all use these.
"""

from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank, SearchVector
from django.db.models import F
from django.utils.functional import cached_property

from alliance_portal.listing import CappedPaginator

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
