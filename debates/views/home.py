"""The home page: the two camps side by side, the voices outside both, the policies, the topics."""

from django.db.models import F, Prefetch
from django.shortcuts import render

from debates.camps import INDEPENDENT, Camps
from debates.models import Comment, PolicyItem, Position, Topic
from debates.views.topics import tally_count
from members.models import Coalition, Membership, Stance
from pagecache import cached_page, every_kind_but

CAMP_LATEST = 3  # newest positions shown per camp
INDEPENDENT_LATEST = 4
MEMBERS_SHOWN = 12  # members named per coalition; the rest are on its page


@cached_page(lists=every_kind_but(Comment))  # the whole record but comments
def home(request):
    """The open camp on the left, the closed camp on the right, independent voices below."""
    coalitions = list(
        Coalition.objects.filter(stance__in=[Stance.OPEN, Stance.CLOSED]).prefetch_related(
            Prefetch("memberships", Membership.objects.current().select_related("organization"))
        )
    )
    camps = Camps.of_coalitions(coalitions)
    listing = Position.objects.for_listing().newest_first()
    columns = []
    for stance in (Stance.OPEN, Stance.CLOSED):
        camp_coalitions = []
        for coalition in (c for c in coalitions if c.stance == stance):
            members = list(coalition.memberships.all())
            # Founders first, then by name: the names a reader knows lead.
            members.sort(key=lambda m: (m.role != "founder", m.organization.name.casefold()))
            coalition.members_shown = members[:MEMBERS_SHOWN]
            coalition.members_more = len(members) - len(coalition.members_shown)
            coalition.member_count = len(members)
            camp_coalitions.append(coalition)
        columns.append(
            {
                "stance": stance,
                "label": stance.label,
                "coalitions": camp_coalitions,
                "latest": camps.in_lane(listing, stance)[:CAMP_LATEST],
            }
        )
    return render(
        request,
        "home.html",
        {
            "camps": columns,
            "independent": camps.in_lane(listing, INDEPENDENT)[:INDEPENDENT_LATEST],
            "in_both": sorted(
                {
                    m.organization.pk: m.organization
                    for c in coalitions
                    for m in c.memberships.all()
                    if m.organization_id in camps.in_both
                }.values(),
                key=lambda organization: organization.name,
            ),
            # What is current now: the latest status change first.
            "policies": PolicyItem.objects.order_by(F("status_since").desc(nulls_last=True), "short_name")[:4],
            # Each stance's count too, for the bars (the same one query, from the tally).
            "topics": Topic.objects.annotate(
                open_count=tally_count(stance=Stance.OPEN),
                mixed_count=tally_count(stance=Stance.MIXED),
                closed_count=tally_count(stance=Stance.CLOSED),
            ).order_by("name"),
        },
    )
