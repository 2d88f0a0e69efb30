import django_filters
from django import forms
from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank
from django.db.models import F
from django.utils.functional import cached_property

from debates.models import (
    NEWEST_FIRST,
    Jurisdiction,
    PolicyItem,
    PolicyKind,
    PolicyStatus,
    Position,
    PositionForm,
    Topic,
)
from members.listing import CappedPaginator
from members.models import Coalition, Organization, Person, Stance

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


class PositionFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label="Search",
        method="filter_search",
        max_length=SEARCH_MAX_LENGTH,
        help_text="Words, a \u201cquoted phrase\u201d, -excluded, or either.",
    )
    stance = django_filters.ChoiceFilter(label="Stance", choices=Stance.choices)
    topic = django_filters.ModelChoiceFilter(
        label="Topic", queryset=Topic.objects.all(), to_field_name="slug", method="filter_topic"
    )
    coalition = django_filters.ModelChoiceFilter(
        label="Coalition", queryset=Coalition.objects.all(), to_field_name="slug", method="filter_coalition"
    )
    # Thousands of organizations and people: typed as a slug (the one in their page's
    # address), not picked from a select of every name.
    organization = django_filters.ModelChoiceFilter(
        label="Organization (slug)",
        queryset=Organization.objects.all(),
        to_field_name="slug",
        widget=forms.TextInput(attrs={"placeholder": "e.g. meta"}),
    )
    person = django_filters.ModelChoiceFilter(
        label="Person (slug)",
        queryset=Person.objects.all(),
        to_field_name="slug",
        field_name="speaker",
        widget=forms.TextInput(attrs={"placeholder": "e.g. yann-lecun"}),
    )
    form = django_filters.ChoiceFilter(label="Quote or paraphrase", choices=PositionForm.choices)
    said_after = django_filters.DateFilter(
        label="Said on or after",
        field_name="said_on",
        lookup_expr="gte",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    said_before = django_filters.DateFilter(
        label="Said on or before",
        field_name="said_on",
        lookup_expr="lte",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    sort = django_filters.ChoiceFilter(
        label="Sort by",
        method="filter_sort",
        empty_label="Best match, else newest",
        choices=[("newest", "Newest first"), ("oldest", "Oldest first"), ("speaker", "Speaker A–Z")],
    )

    class Meta:
        model = Position
        fields = ["q", "stance", "topic", "coalition", "organization", "person", "form", "said_after", "said_before"]

    # EXISTS, not joins with DISTINCT: the date index still drives the page at scale.
    def filter_topic(self, queryset, name, value):
        return queryset.on_topic(value)

    def filter_coalition(self, queryset, name, value):
        return queryset.spoken_for_coalition(value)

    def filter_search(self, queryset, name, value):
        return search_positions(queryset, value)

    def filter_sort(self, queryset, name, value):
        # Applied in filter_queryset, after every other filter; see there.
        return queryset

    # The search text when the results go in relevance order (a search, unless
    # another sort is picked); set by filter_queryset, read by the list view.
    ranked_text = ""

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        sort = self.form.cleaned_data.get("sort")
        if not sort and self.form.cleaned_data.get("q"):
            self.ranked_text = self.form.cleaned_data["q"]
        if sort == "oldest":
            return queryset.oldest_first()
        if sort == "speaker":
            return queryset.order_by("speaker__name", *NEWEST_FIRST)
        # Relevance order is the paginator's (RankedPaginator); as a queryset, newest first.
        return queryset.newest_first()


class PolicyFilter(django_filters.FilterSet):
    jurisdiction = django_filters.ChoiceFilter(label="Jurisdiction", choices=Jurisdiction.choices)
    kind = django_filters.ChoiceFilter(label="Kind", choices=PolicyKind.choices)
    status = django_filters.ChoiceFilter(label="Status", choices=PolicyStatus.choices)

    class Meta:
        model = PolicyItem
        fields = ["jurisdiction", "kind", "status"]
