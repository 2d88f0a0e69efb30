"""The home page: the two camps, the latest positions and policies, the topics."""

from django.db.models import F, Prefetch
from django.shortcuts import render

from debates.models import Comment, PolicyItem, Position, Topic
from debates.views.topics import tally_count
from members.models import Coalition, Membership, Stance
from pagecache import cached_page, every_kind_but


@cached_page(lists=every_kind_but(Comment))  # the whole record but comments
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
        latest = Position.objects.for_listing().spoken_for_camp(stance).newest_first()[:4]
        camps.append({"stance": stance, "label": stance.label, "coalitions": camp_coalitions, "latest": latest})
    return render(
        request,
        "home.html",
        {
            "camps": camps,
            # What is current now: the latest status change first.
            "policies": PolicyItem.objects.order_by(F("status_since").desc(nulls_last=True), "short_name")[:4],
            # Each stance's count too, for the bars (the same one query, from the tally).
            "topics": Topic.objects.annotate(
                position_count=tally_count(),
                open_count=tally_count(stance=Stance.OPEN),
                mixed_count=tally_count(stance=Stance.MIXED),
                closed_count=tally_count(stance=Stance.CLOSED),
            ).order_by("name"),
        },
    )
