"""Topics: the list with each stance's count, and a topic's page in three stance columns."""

from django.db.models import OuterRef, Subquery, Sum
from django.db.models.functions import Coalesce
from django.views.generic import DetailView, ListView

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
    model = Topic
    template_name = "debates/topic_detail.html"
    cache_lists = ()  # its positions and policies: shows_children_of

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        shows_children_of(self.object)
        on_topic = Position.objects.on_topic(self.object).newest_first()
        # The newest of each stance, in one query: a union of three index scans.
        stances = (Stance.OPEN, Stance.MIXED, Stance.CLOSED)
        ids = on_topic.filter(stance=stances[0]).values("pk")[:COLUMN_SIZE]
        for stance in stances[1:]:
            ids = ids.union(on_topic.filter(stance=stance).values("pk")[:COLUMN_SIZE], all=True)
        positions = Position.objects.for_listing().filter(pk__in=[row["pk"] for row in ids]).newest_first()
        columns = {stance: [] for stance in stances}
        for position in positions:
            columns[position.stance].append(position)
        context["columns"] = [(Stance(stance), items) for stance, items in columns.items()]
        context["column_size"] = COLUMN_SIZE
        context["policies"] = self.object.policy_items.all()
        return context
