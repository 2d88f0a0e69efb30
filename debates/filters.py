import django_filters
from django import forms
from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank
from django.db.models import Exists, F, OuterRef

from debates.models import Jurisdiction, PolicyItem, PolicyKind, PolicyStatus, Position, PositionForm, Topic
from members.models import Coalition, Membership, Organization, Person, Stance

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
    """Positions matching ``text``, with ``rank`` and highlighted quotation and summary.

    Ranking is bounded: the newest 1,000 matches are ranked, so a common word
    costs no more than a rare phrase. (Sorting by date still sees every match.)
    """
    query = websearch(text)
    marks = {"start_sel": MARK_START, "stop_sel": MARK_END, "config": "english", "highlight_all": True}
    matches = queryset.filter(search_vector=query)
    newest = matches.order_by(F("said_on").desc(nulls_last=True), "-pk").values("pk")[:RANKED_CANDIDATES]
    return matches.filter(pk__in=newest).annotate(
        # Cover density: words found close together (a phrase) outrank scattered mentions.
        rank=SearchRank(F("search_vector"), query, cover_density=True),
        quotation_highlighted=SearchHeadline("quotation", query, **marks),
        summary_highlighted=SearchHeadline("summary", query, **marks),
    )


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
        return queryset.filter(Exists(Position.topics.through.objects.filter(position=OuterRef("pk"), topic=value)))

    def filter_coalition(self, queryset, name, value):
        member = Membership.objects.filter(organization=OuterRef("organization"), coalition=value, until__isnull=True)
        return queryset.filter(Exists(member))

    def filter_search(self, queryset, name, value):
        return search_positions(queryset, value)

    def filter_sort(self, queryset, name, value):
        # Applied in filter_queryset, after every other filter; see there.
        return queryset

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        sort = self.form.cleaned_data.get("sort")
        if sort == "oldest":
            return queryset.order_by(F("said_on").asc(nulls_last=True), "pk")
        if sort == "speaker":
            return queryset.order_by("speaker__name", "-said_on", "-pk")
        if sort != "newest" and self.form.cleaned_data.get("q"):
            return queryset.order_by("-rank", F("said_on").desc(nulls_last=True), "-pk")
        return queryset.order_by(F("said_on").desc(nulls_last=True), "-pk")


class PolicyFilter(django_filters.FilterSet):
    jurisdiction = django_filters.ChoiceFilter(label="Jurisdiction", choices=Jurisdiction.choices)
    kind = django_filters.ChoiceFilter(label="Kind", choices=PolicyKind.choices)
    status = django_filters.ChoiceFilter(label="Status", choices=PolicyStatus.choices)

    class Meta:
        model = PolicyItem
        fields = ["jurisdiction", "kind", "status"]
