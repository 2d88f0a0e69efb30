from collections import defaultdict

from django.db.models import F, Func, OuterRef, Prefetch, Subquery
from django.db.models.functions import Coalesce
from django.views.generic import DetailView, ListView

from alliance_portal.listing import FilteredListView
from debates.models import Comment, Position, Release
from members.filters import OrganizationFilter, PersonFilter
from members.models import Affiliation, Coalition, Membership, Organization, Person, Stance
from pagecache import CachedPageMixin, every_kind_but, shows_children_of


def count_of(model, field: str, **filters):
    """A correlated COUNT subquery: evaluated only for the rows a page shows,
    where Count() would group the whole table first."""
    rows = model.objects.filter(**{field: OuterRef("pk")}, **filters).order_by().values(field)
    return Coalesce(Subquery(rows.annotate(n=Func(F("pk"), function="COUNT")).values("n")), 0)


DETAIL_POSITIONS = 200  # the newest positions a coalition, organization or person page shows


def positions_by_topic(positions):
    """[(topic, [position, …]), …] in topic order; a position shows under each of its topics."""
    groups = defaultdict(list)
    for position in positions:
        for topic in position.topics.all():
            groups[topic].append(position)
    return sorted(groups.items(), key=lambda item: item[0].name)


def stance_by_topic(positions):
    """[(topic, stance), …]: one stance per topic, mixed where positions differ."""
    return [(topic, Stance.combine(p.stance for p in group)) for topic, group in positions_by_topic(positions)]


class CoalitionListView(CachedPageMixin, ListView):
    cache_lists = every_kind_but(Comment)
    template_name = "members/coalition_list.html"
    queryset = Coalition.objects.prefetch_related(
        Prefetch("memberships", Membership.objects.current().select_related("organization"))
    )


class CoalitionDetailView(CachedPageMixin, DetailView):
    cache_lists = every_kind_but(Comment)
    model = Coalition
    template_name = "members/coalition_detail.html"

    def get_queryset(self):
        return Coalition.objects.prefetch_related(
            Prefetch("memberships", Membership.objects.select_related("organization").prefetch_related("sources")),
            "sources",
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["affiliations"] = (
            Affiliation.objects.current()
            .at_members_of(self.object)
            .select_related("person", "organization")
            .order_by("organization__name", "person__name")[:DETAIL_POSITIONS]
        )
        positions = Position.objects.for_listing().spoken_for_coalition(self.object).newest_first()[:DETAIL_POSITIONS]
        context["positions_by_topic"] = positions_by_topic(positions)
        context["detail_limit"] = DETAIL_POSITIONS
        return context


class OrganizationListView(CachedPageMixin, FilteredListView):
    model = Organization
    filterset_class = OrganizationFilter
    cache_lists = every_kind_but(Comment)
    template_name = "members/organization_list.html"

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .annotate(position_count=count_of(Position, "organization", speaks_for=True))
            .prefetch_related(Prefetch("memberships", Membership.objects.current().select_related("coalition")))
            .order_by("name")
        )


class OrganizationDetailView(CachedPageMixin, DetailView):
    model = Organization
    template_name = "members/organization_detail.html"
    cache_lists = ()  # its positions, people, memberships and releases: shows_children_of

    def get_queryset(self):
        return Organization.objects.prefetch_related(
            Prefetch("memberships", Membership.objects.select_related("coalition").prefetch_related("sources")),
            Prefetch("affiliations", Affiliation.objects.select_related("person").order_by("person__name")),
            "sources",
            Prefetch("releases", Release.objects.prefetch_related("sources")),
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        shows_children_of(self.object)
        # One query for both: what was said in its name, and what its people said for themselves.
        positions = list(
            Position.objects.for_listing().filter(organization=self.object).newest_first()[:DETAIL_POSITIONS]
        )
        context["positions"] = [p for p in positions if p.speaks_for]
        context["personal_positions"] = [p for p in positions if not p.speaks_for]
        context["stance_by_topic"] = stance_by_topic(context["positions"])
        context["stance_changes"] = stance_changes(context["positions"])
        context["detail_limit"] = DETAIL_POSITIONS
        return context


class PersonListView(CachedPageMixin, FilteredListView):
    model = Person
    filterset_class = PersonFilter
    cache_lists = every_kind_but(Comment)
    template_name = "members/person_list.html"

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .annotate(position_count=count_of(Position, "speaker"))
            .prefetch_related(Prefetch("affiliations", Affiliation.objects.current().select_related("organization")))
            .order_by("name")
        )


class PersonDetailView(CachedPageMixin, DetailView):
    model = Person
    template_name = "members/person_detail.html"
    cache_lists = ()  # its positions and affiliations: shows_children_of

    def get_queryset(self):
        return Person.objects.prefetch_related(
            Prefetch("affiliations", Affiliation.objects.select_related("organization").order_by("-since")),
            "sources",
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        shows_children_of(self.object)
        newest = Position.objects.for_listing().filter(speaker=self.object).newest_first()[:DETAIL_POSITIONS]
        positions = in_date_order(newest)
        context["positions_by_topic"] = [
            (topic, mark_stance_changes(group)) for topic, group in positions_by_topic(positions)
        ]
        return context


def in_date_order(positions):
    """Oldest first by the date said (or, failing that, reported); undated ones last."""
    return sorted(positions, key=lambda p: (p.known_date is None, p.known_date, p.pk))


def mark_stance_changes(positions):
    """[(position, earlier_position_or_None)]: the earlier one where the stance changed since it.

    ``positions`` are in date order; undated ones cannot show a change.
    """
    marked, previous = [], None
    for position in positions:
        changed_from = None
        if position.known_date and previous is not None and previous.stance != position.stance:
            changed_from = previous
        marked.append((position, changed_from))
        if position.known_date:
            previous = position
    return marked


def stance_changes(positions):
    """[(topic, earlier, later), …]: each time the stance on a topic changed from one dated
    position to the next (in topic order, then date order)."""
    return [
        (topic, earlier, later)
        for topic, group in positions_by_topic(in_date_order(positions))
        for later, earlier in mark_stance_changes(group)
        if earlier is not None
    ]
