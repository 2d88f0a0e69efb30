from collections import defaultdict

from django.db.models import Count, F, Func, OuterRef, Prefetch, Q, Subquery
from django.db.models.functions import Coalesce
from django.http import JsonResponse
from django.utils import timezone
from django.views.generic import DetailView, ListView

from alliance_portal import charts
from alliance_portal.listing import FilteredListView
from debates.models import Comment, Position, Release, StanceTally, Topic
from members.filters import OrganizationFilter, PersonFilter
from members.lookup import LOOKUP_MAX_LENGTH, find_organizations, find_people
from members.models import Affiliation, Coalition, Membership, Organization, Person, Stance
from pagecache import CachedPageMixin, every_kind_but, shows_children_of


def count_of(model, field: str, **filters):
    """A correlated COUNT subquery: evaluated only for the rows a page shows,
    where Count() would group the whole table first."""
    rows = model.objects.filter(**{field: OuterRef("pk")}, **filters).order_by().values(field)
    return Coalesce(Subquery(rows.annotate(n=Func(F("pk"), function="COUNT")).values("n")), 0)


DETAIL_POSITIONS = 25  # the newest positions a coalition, organization or person page shows; a link leads to all


def stance_by_topic(tallies):
    """[(topic, stance), …] in topic order, one stance per topic (mixed where its positions
    differ), from the StanceTally rows of a side: a few rows, however many positions."""
    stances = defaultdict(set)
    for topic, stance in tallies.filter(positions__gt=0).values_list("topic", "stance").distinct():
        stances[topic].add(stance)
    topics = Topic.objects.in_bulk(stances)
    return sorted(((topics[t], Stance.combine(s)) for t, s in stances.items()), key=lambda item: item[0].name)


def by_name_unless_searched(filterset) -> list[str]:
    """A list's order: by name, or, for a name search, the closest names first (members.lookup)."""
    if filterset.form.cleaned_data.get("name"):
        return ["closeness", "-likeness", "name", "pk"]
    return ["name"]


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
        spoken = Position.objects.spoken_for_coalition(self.object)
        context["positions"] = spoken.for_listing().newest_first()[:DETAIL_POSITIONS]
        context["position_count"] = spoken.count()
        members = Membership.objects.current().filter(coalition=self.object).values("organization")
        context["stance_by_topic"] = stance_by_topic(StanceTally.objects.filter(organization__in=members))
        context["detail_limit"] = DETAIL_POSITIONS
        context.update(members_over_time(self.object))
        return context


def members_over_time(coalition):
    """The chart of a coalition's members over time, from its memberships (already loaded)."""
    history = charts.member_history(
        [(m.organization.name, m.since, m.until, m.since_precision) for m in coalition.memberships.all()],
        founded_on=coalition.founded_on,
        today=timezone.localdate(),
    )
    return {
        "member_history": history,
        "member_chart": charts.step_chart(history, founded_on=coalition.founded_on),
        "member_summary": charts.describe_history(history, founded_on=coalition.founded_on),
    }


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
            .order_by(*by_name_unless_searched(self.filterset))
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
        # What was said in its name, and what its people said for themselves: the newest of each.
        its = Position.objects.filter(organization=self.object)
        newest = its.for_listing().newest_first()
        context["positions"] = newest.filter(speaks_for=True)[:DETAIL_POSITIONS]
        context["personal_positions"] = newest.filter(speaks_for=False)[:DETAIL_POSITIONS]
        context.update(
            its.aggregate(
                position_count=Count("pk", filter=Q(speaks_for=True)),
                personal_count=Count("pk", filter=Q(speaks_for=False)),
            )
        )
        context["stance_by_topic"] = stance_by_topic(StanceTally.objects.filter(organization=self.object))
        context["stance_changes"] = its.filter(speaks_for=True).stance_changes()
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
            .order_by(*by_name_unless_searched(self.filterset))
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
        theirs = Position.objects.filter(speaker=self.object)
        context["positions"] = theirs.for_listing().newest_first()[:DETAIL_POSITIONS]
        context["position_count"] = theirs.count()
        context["stance_by_topic"] = stance_by_topic(StanceTally.objects.filter(speaker=self.object))
        context["stance_changes"] = theirs.stance_changes()
        context["detail_limit"] = DETAIL_POSITIONS
        return context


NAME_FINDERS = {"organization": find_organizations, "person": find_people}
NAME_SUGGESTIONS = 10


def name_suggestions(request):
    """{"names": [...]}: the names like ``q`` (members.lookup, closest first), for the name boxes'
    suggestions as one types (static/js/filters.js; without it, the boxes' own short <datalist>).

    Not in the page cache: one query, and a cached answer per keystroke would cost more to store
    than to compute; browsers keep it a few minutes."""
    find = NAME_FINDERS.get(request.GET.get("kind", ""))
    text = request.GET.get("q", "")
    if find is None:
        return JsonResponse({"error": "Say kind=organization or kind=person."}, status=400)
    if len(text) > LOOKUP_MAX_LENGTH or "\x00" in text:
        return JsonResponse({"error": f"A name is at most {LOOKUP_MAX_LENGTH} characters."}, status=400)
    response = JsonResponse({"names": [record.name for record in find(text, NAME_SUGGESTIONS)]})
    response["Cache-Control"] = "public, max-age=300"
    return response
