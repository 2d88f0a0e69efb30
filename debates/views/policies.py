"""Policy items: the list and a policy item's page."""

from django.db.models import Prefetch
from django.utils import timezone
from django.views.generic import DetailView

from alliance_portal.listing import FilteredListView
from debates.filters import PolicyFilter
from debates.models import Comment, PolicyItem, PolicyMilestone, PolicyStatusChange, Position
from pagecache import CachedPageMixin, every_kind_but, shows_children_of


class PolicyListView(CachedPageMixin, FilteredListView):
    model = PolicyItem
    filterset_class = PolicyFilter
    cache_lists = every_kind_but(Comment)
    template_name = "debates/policy_list.html"

    def get_queryset(self):
        return super().get_queryset().prefetch_related("topics").order_by("jurisdiction", "short_name")


class PolicyDetailView(CachedPageMixin, DetailView):
    model = PolicyItem
    template_name = "debates/policy_detail.html"
    cache_lists = ()  # its milestones, status changes and positions: shows_children_of
    queryset = PolicyItem.objects.prefetch_related(
        "topics",
        "sources",
        Prefetch("milestones", PolicyMilestone.objects.order_by("on", "pk")),
        Prefetch("status_changes", PolicyStatusChange.objects.order_by("since").prefetch_related("sources")),
        Prefetch("positions", Position.objects.for_listing().newest_first()),
    )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        shows_children_of(self.object)
        today = timezone.localdate()
        context["upcoming_milestones"] = self.object.upcoming_milestones(today)
        context["past_milestones"] = self.object.past_milestones(today)
        return context
