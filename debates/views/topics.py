"""Topics: the list with each stance's count, and a topic's page in the debate's lanes."""

from django.db.models import OuterRef, Subquery, Sum
from django.db.models.functions import Coalesce
from django.views.generic import DetailView, ListView

from debates.camps import LANES, MEMBERSHIP_KIND, Camps, lanes
from debates.models import Comment, Position, StanceTally, Topic
from members.models import Stance
from pagecache import CachedPageMixin, every_kind_but, shows_children_of

COLUMN_SIZE = 20  # positions per stance column on a topic page


def tally_count(**filters):
    """How many positions the topic (the outer row) has, from StanceTally: a sum
    over its tally rows, not a count over every position."""
    rows = StanceTally.objects.filter(topic=OuterRef("pk"), **filters).order_by().values("topic")
    return Coalesce(Subquery(rows.annotate(n=Sum("positions")).values("n")), 0)


class TopicListView(CachedPageMixin, ListView):
    template_name = "debates/topic_list.html"
    cache_lists = every_kind_but(Comment)

    def get_queryset(self):
        return Topic.objects.annotate(
            open_count=tally_count(stance=Stance.OPEN),
            mixed_count=tally_count(stance=Stance.MIXED),
            closed_count=tally_count(stance=Stance.CLOSED),
        )


class TopicDetailView(CachedPageMixin, DetailView):
    """A topic's positions in the debate's lanes: the open camp, the closed camp, and the
    independent voices outside both; each card says its own stance."""

    model = Topic
    template_name = "debates/topic_detail.html"
    cache_lists = (MEMBERSHIP_KIND,)  # its positions and policies: shows_children_of; the lanes: memberships

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        shows_children_of(self.object)
        camps = Camps.load()
        on_topic = Position.objects.on_topic(self.object).newest_first()
        # The newest of each lane, in one query: a union of three index scans.
        ids = None
        for lane in LANES:
            part = camps.in_lane(on_topic, lane).values("pk")[:COLUMN_SIZE]
            ids = part if ids is None else ids.union(part, all=True)
        positions = Position.objects.for_listing().filter(pk__in=[row["pk"] for row in ids]).newest_first()
        context["lanes"] = lanes(camps, positions)
        context["column_size"] = COLUMN_SIZE
        counts = dict(
            StanceTally.objects.filter(topic=self.object).values_list("stance").annotate(n=Sum("positions")).order_by()
        )
        stances = (Stance.OPEN, Stance.MIXED, Stance.CLOSED)
        context["stance_summary"] = [(Stance(s), counts[s]) for s in stances if counts.get(s)]
        context["policies"] = self.object.policy_items.all()
        return context
