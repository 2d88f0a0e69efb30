from django.db import DatabaseError, connection
from django.db.models import Count, Prefetch, Q
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.generic import DetailView, ListView

from debates.filters import PolicyFilter, PositionFilter
from debates.models import CommentStatus, PolicyItem, PolicyMilestone, Position, Topic
from members.listing import FilteredListView
from members.models import Coalition, Membership, Stance

# Which stances answer a position on "the other side".
OPPOSING = {
    Stance.OPEN: [Stance.CLOSED],
    Stance.CLOSED: [Stance.OPEN],
    Stance.MIXED: [Stance.OPEN, Stance.CLOSED],
}


def approved_comment_count():
    return Count("comments", filter=Q(comments__status=CommentStatus.APPROVED), distinct=True)


@never_cache
def healthz(request):
    """200 once the database answers a query, 503 while it does not."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError:
        return HttpResponse("database unavailable\n", status=503, content_type="text/plain")
    return HttpResponse("ok\n", content_type="text/plain")


def home(request):
    """The open camp on the left, the closed camp on the right."""
    coalitions = list(
        Coalition.objects.filter(stance__in=[Stance.OPEN, Stance.CLOSED]).prefetch_related(
            Prefetch("memberships", Membership.objects.current().select_related("organization"))
        )
    )
    camps = []
    for stance in (Stance.OPEN, Stance.CLOSED):
        camp_coalitions = [c for c in coalitions if c.stance == stance]
        latest = (
            Position.objects.for_listing()
            .filter(organization__memberships__coalition__stance=stance, organization__memberships__until__isnull=True)
            .distinct()
            .order_by("-said_on", "-pk")[:4]
        )
        camps.append({"stance": stance, "label": stance.label, "coalitions": camp_coalitions, "latest": latest})
    return render(
        request,
        "home.html",
        {
            "camps": camps,
            "policies": PolicyItem.objects.order_by("-updated_at")[:4],
            "topics": Topic.objects.annotate(position_count=Count("positions")).order_by("name"),
        },
    )


class PositionListView(FilteredListView):
    model = Position
    filterset_class = PositionFilter
    template_name = "debates/position_list.html"

    def get_queryset(self):
        return super().get_queryset().for_listing().annotate(comment_count=approved_comment_count())


class PositionDetailView(DetailView):
    template_name = "debates/position_detail.html"
    queryset = Position.objects.select_related("speaker", "organization", "policy_item").prefetch_related(
        "topics", "sources"
    )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        position = self.object
        context["other_side"] = (
            Position.objects.for_listing()
            .filter(topics__in=position.topics.all(), stance__in=OPPOSING[position.stance])
            .exclude(pk=position.pk)
            .distinct()
            .order_by("-said_on", "-pk")[:10]
        )
        return context


class TopicListView(ListView):
    template_name = "debates/topic_list.html"

    def get_queryset(self):
        return Topic.objects.annotate(
            open_count=Count("positions", filter=Q(positions__stance=Stance.OPEN)),
            mixed_count=Count("positions", filter=Q(positions__stance=Stance.MIXED)),
            closed_count=Count("positions", filter=Q(positions__stance=Stance.CLOSED)),
        )


class TopicDetailView(DetailView):
    model = Topic
    template_name = "debates/topic_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        positions = Position.objects.for_listing().for_topic(self.object).order_by("-said_on", "-pk")
        columns = {stance: [] for stance in (Stance.OPEN, Stance.MIXED, Stance.CLOSED)}
        for position in positions:
            columns[position.stance].append(position)
        context["columns"] = [(Stance(stance), items) for stance, items in columns.items()]
        context["policies"] = self.object.policy_items.all()
        return context


class PolicyListView(FilteredListView):
    model = PolicyItem
    filterset_class = PolicyFilter
    template_name = "debates/policy_list.html"

    def get_queryset(self):
        return super().get_queryset().prefetch_related("topics").order_by("jurisdiction", "short_name")


class PolicyDetailView(DetailView):
    model = PolicyItem
    template_name = "debates/policy_detail.html"
    queryset = PolicyItem.objects.prefetch_related(
        "topics",
        "sources",
        Prefetch("milestones", PolicyMilestone.objects.order_by("on", "pk")),
        Prefetch("positions", Position.objects.for_listing().order_by("-said_on", "-pk")),
    )
