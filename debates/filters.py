import django_filters
from django import forms
from django.db import connections, router

from alliance_portal.choices import KeptModelChoiceFilter
from debates.models import (
    NEWEST_FIRST,
    Comment,
    Jurisdiction,
    Openness,
    PolicyItem,
    PolicyKind,
    PolicyStatus,
    Position,
    PositionForm,
    Release,
    StanceTally,
    Topic,
)
from debates.search import SEARCH_MAX_LENGTH, search_positions
from members.filters import organization_filter, person_filter
from members.models import Coalition, Organization, Person, Stance


def most_quoted_people(limit: int) -> list[str]:
    """The names of the people with the most positions, most first (one query over the
    tally, a few hundred thousand rows at a million positions).

    The tally is summed by speaker alone, with a hash over its rows (~0.1 s), and only the
    first ``limit`` are joined to their names; grouped by speaker and name together,
    PostgreSQL walked the tally in speaker order through its index, ~1 s of random reads."""
    tally, people = StanceTally._meta.db_table, Person._meta.db_table
    sql = (
        f"SELECT p.name FROM (SELECT speaker_id, sum(positions) AS n FROM {tally} WHERE positions > 0"  # noqa: S608
        " GROUP BY speaker_id ORDER BY n DESC, speaker_id LIMIT %s) AS t"
        f" JOIN {people} p ON p.id = t.speaker_id ORDER BY t.n DESC, p.name"
    )
    with connections[router.db_for_read(StanceTally)].cursor() as cursor:
        cursor.execute(sql, [limit])
        return [name for (name,) in cursor.fetchall()]


class PositionFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label="Search",
        method="filter_search",
        max_length=SEARCH_MAX_LENGTH,
        help_text="Words, a \u201cquoted phrase\u201d, -excluded, or either.",
    )
    stance = django_filters.ChoiceFilter(label="Stance", choices=Stance.choices)
    topic = KeptModelChoiceFilter(
        label="Topic", queryset=Topic.objects.all(), to_field_name="slug", method="filter_topic"
    )
    coalition = KeptModelChoiceFilter(
        label="Coalition", queryset=Coalition.objects.all(), to_field_name="slug", method="filter_coalition"
    )
    # Thousands of organizations and people: typed by name (members.lookup), with a few
    # suggestions, not picked from a select of every name.
    organization = organization_filter(method="filter_organization")
    person = person_filter(field_name="speaker", suggest=most_quoted_people, help_text="Their name, or part of it.")
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
    def filter_topic(self, queryset, name, value: Topic):
        return queryset.on_topic(value)

    # An organization's (or coalition's) positions are those spoken in its name.
    def filter_organization(self, queryset, name, value: Organization):
        return queryset.spoken_for(value)

    def filter_coalition(self, queryset, name, value: Coalition):
        return queryset.spoken_for_coalition(value)

    def filter_search(self, queryset, name, value):
        return search_positions(queryset, value)

    def filter_sort(self, queryset, name, value):
        # Applied in filter_queryset, after every other filter; see there.
        return queryset

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        sort = self.form.cleaned_data.get("sort")
        if sort == "oldest":
            return queryset.oldest_first()
        if sort == "speaker":
            return queryset.order_by("speaker__name", *NEWEST_FIRST)
        # Relevance order (debates.search.ranked_text) is the paginator's; as a queryset, newest first.
        return queryset.newest_first()


class ReleaseFilter(django_filters.FilterSet):
    organization = organization_filter()
    openness = django_filters.ChoiceFilter(label="Openness", choices=Openness.choices)

    class Meta:
        model = Release
        fields = ["organization", "openness"]


class PolicyFilter(django_filters.FilterSet):
    jurisdiction = django_filters.ChoiceFilter(label="Jurisdiction", choices=Jurisdiction.choices)
    kind = django_filters.ChoiceFilter(label="Kind", choices=PolicyKind.choices)
    status = django_filters.ChoiceFilter(label="Status", choices=PolicyStatus.choices)

    class Meta:
        model = PolicyItem
        fields = ["jurisdiction", "kind", "status"]


class CommentFilter(django_filters.FilterSet):
    """Approved comments (the queryset is), by the position they are on."""

    position = django_filters.ModelChoiceFilter(
        label="Position (slug)", queryset=Position.objects.all(), to_field_name="slug", widget=forms.TextInput()
    )

    class Meta:
        model = Comment
        fields = ["position"]


class UnsortedPositionFilter(PositionFilter):
    """The positions filters for a reader who pages by cursor (the API, in id order):
    every filter of PositionFilter except ``sort``."""

    sort = None
