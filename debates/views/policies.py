"""Policy items: the list and a policy item's page."""

from django.db.models import Prefetch
from django.views.generic import DetailView

from alliance_portal.listing import FilteredListView
from debates.filters import PolicyFilter
from debates.models import PolicyItem, PolicyMilestone, Position
from pagecache import CachedPageMixin


class PolicyListView(CachedPageMixin, FilteredListView):
    model = PolicyItem
    filterset_class = PolicyFilter
    template_name = "debates/policy_list.html"

    def get_queryset(self):
        return super().get_queryset().prefetch_related("topics").order_by("jurisdiction", "short_name")


class PolicyDetailView(CachedPageMixin, DetailView):
    model = PolicyItem
    template_name = "debates/policy_detail.html"
    queryset = PolicyItem.objects.prefetch_related(
        "topics",
        "sources",
        Prefetch("milestones", PolicyMilestone.objects.order_by("on", "pk")),
        Prefetch("positions", Position.objects.for_listing().newest_first()),
    )
