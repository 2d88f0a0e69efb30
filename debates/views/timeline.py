"""The timeline: positions, policy milestones and model releases by date."""

from collections import defaultdict
from itertools import groupby

from django.db.models import Min
from django.shortcuts import render

from alliance_portal.listing import warn_ignored
from debates.camps import INDEPENDENT, LANE_LABELS, Camps
from debates.forms import TimelineForm
from debates.models import Comment, PolicyMilestone, Position, Release
from members.models import Stance
from pagecache import cached_page, every_kind_but

TIMELINE_PAGE_SIZE = 50


@cached_page(query=[TimelineForm], lists=every_kind_but(Comment))  # memberships too: the lanes
def timeline_view(request):
    """Positions, policy milestones and model releases, interleaved by date, oldest first."""
    form = TimelineForm(request.GET or None)
    topic = camp = None
    if form.is_bound:
        if form.is_valid():
            topic, camp = form.cleaned_data["topic"], form.cleaned_data["camp"]
        else:
            warn_ignored(request, form)
    positions = Position.objects.for_listing()
    milestones = PolicyMilestone.objects.select_related("policy_item")
    releases = Release.objects.select_related("organization")
    if topic:
        positions = positions.on_topic(topic)
        milestones = milestones.filter(policy_item__topics=topic)
    if camp:
        positions = positions.filter(stance=camp)
    n = TIMELINE_PAGE_SIZE
    # Dated positions come straight off the date index; undated ones are placed
    # on the date their earliest source reported them.
    dated = positions.filter(said_on__isnull=False).oldest_first()[:n]
    undated = (
        positions.filter(said_on__isnull=True)
        .annotate(reported=Min("sources__published_on"))
        .filter(reported__isnull=False)
        .order_by("reported", "pk")[:n]
    )
    entries = sorted(
        [("position", p.said_on, p) for p in dated]
        + [("position", p.reported, p) for p in undated]
        + [("milestone", m.on, m) for m in milestones.order_by("on", "pk")[:n]]
        # Releases have no topic: shown on the whole timeline only.
        + ([] if topic else [("release", r.released_on, r) for r in releases.order_by("released_on", "pk")[:n]]),
        key=lambda entry: (entry[1], entry[2].date_display, entry[0]),  # a day's entries together
    )[:n]
    camps = Camps.load()
    context = {
        "form": form,
        "days": days(entries, camps),
        "topic": topic,
        "camp": camp,
        "lanes": LANE_LABELS,
        "between": BETWEEN,
    }
    return render(request, "debates/timeline.html", context)


BETWEEN = f"{LANE_LABELS[INDEPENDENT]} and policy"
# A day's lanes, left to right.
DAY_LANES = (("open", LANE_LABELS[Stance.OPEN]), ("between", BETWEEN), ("closed", LANE_LABELS[Stance.CLOSED]))


def days(entries, camps) -> list[dict]:
    """The entries grouped by the date shown, each day in the debate's lanes: the open camp's
    positions and releases on the left, the closed camp's on the right, and between them the
    independent voices and the policy milestones, which belong to no camp."""
    grouped = []
    for (_, shown), group in groupby(entries, key=lambda entry: (entry[1], entry[2].date_display)):
        split = defaultdict(list)
        for kind, _, item in group:
            if kind == "position":
                lane = camps.lane_of(item)
            elif kind == "release":
                lane = camps.of_organization.get(item.organization_id, INDEPENDENT)
            else:
                lane = INDEPENDENT
            split["between" if lane == INDEPENDENT else lane].append((kind, item))
        day_lanes = [(lane, label, split[lane]) for lane, label in DAY_LANES if split[lane]]
        grouped.append({"date": shown, "lanes": day_lanes})
    return grouped
