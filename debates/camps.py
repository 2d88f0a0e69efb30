"""The debate's backbone: which camp a position speaks for.

The open camp is the organizations in an open coalition (the AI Alliance), the closed camp
those in a closed one (the Frontier Model Forum); everyone else — critics, researchers,
public bodies, people speaking for themselves — is an independent voice. A position belongs
to a camp when it was said in the name of an organization that is a current member of one of
the camp's coalitions (``Position.speaks_for``); a researcher at a member university who spoke
for themselves is an independent voice.

An organization in both camps (Meta joined the Frontier Model Forum after founding the AI
Alliance) is shown in the camp it joined first — a founder's coalition before one it joined —
so each position appears in one lane only; its page and the About page say it is in both.

Pages that draw lanes read the current memberships once (a few dozen rows, one query) and
list the kind ``members.membership`` for the page cache, so a membership change retires them.
``Camps.load()`` keeps those rows as a block (pagecache.block): read again when a membership
or a coalition changed, not on each page (6-10 ms of a compare page at 2,000 organizations).
"""

from dataclasses import dataclass, field
from functools import cached_property

from django.db.models import Q, Sum

from debates.models import SAID_FOR_NO_ORGANIZATION, Position, StanceTally
from members.models import Membership, MembershipRole, Organization, Stance
from pagecache import block

CAMP_STANCES = (Stance.OPEN, Stance.CLOSED)
INDEPENDENT = "independent"
LANES = (Stance.OPEN, Stance.CLOSED, INDEPENDENT)
LANE_LABELS = {
    Stance.OPEN: "Open camp",
    Stance.CLOSED: "Closed camp",
    INDEPENDENT: "Independent voices",
}
MEMBERSHIP_KIND = "members.membership"  # for cache_lists / lists=
INDEPENDENT_ID_LIST = 5000  # independent positions (by the tally) looked up by id up to this many
# What the camps are read from: a change to either reads them again.
CAMP_KINDS = ("members.membership", "members.coalition")


@dataclass
class Camps:
    """Each current member organization's camp, and the coalitions naming each camp."""

    of_organization: dict = field(default_factory=dict)  # organization id -> Stance
    in_both: set = field(default_factory=set)  # organization ids in coalitions of both camps
    coalitions: dict = field(default_factory=dict)  # Stance -> [coalition names]

    @classmethod
    def load(cls) -> "Camps":
        """From the current memberships of the camps' coalitions, kept as a block (one query
        when one of CAMP_KINDS changed, else none). Each call gives a Camps of its own: what
        it works out later (the outside organizations, ``independent_ids``) is the page's."""
        return cls.of(block(("camp-memberships",), cls._memberships, kinds=CAMP_KINDS))

    @staticmethod
    def _memberships() -> list[tuple]:
        return list(
            Membership.objects.current()
            .filter(coalition__stance__in=CAMP_STANCES)
            .values_list("organization_id", "coalition__stance", "coalition__name", "role", "since")
        )

    @classmethod
    def of_coalitions(cls, coalitions) -> "Camps":
        """From coalitions whose current memberships are prefetched (no query)."""
        rows = [
            (m.organization_id, c.stance, c.name, m.role, m.since)
            for c in coalitions
            if c.stance in CAMP_STANCES
            for m in c.memberships.all()
        ]
        return cls.of(rows)

    @classmethod
    def of(cls, memberships) -> "Camps":
        """From (organization id, coalition stance, coalition name, role, since) rows."""
        camps = cls()
        first = {}  # organization id -> (sort key, stance)
        seen = {}
        for organization_id, stance, coalition, role, since in memberships:
            names = camps.coalitions.setdefault(stance, [])
            if coalition not in names:
                names.append(coalition)
            seen.setdefault(organization_id, set()).add(stance)
            key = (role != MembershipRole.FOUNDER, since is None, since)
            if organization_id not in first or key < first[organization_id][0]:
                first[organization_id] = (key, stance)
        camps.of_organization = {pk: stance for pk, (_, stance) in first.items()}
        camps.in_both = {pk for pk, stances in seen.items() if len(stances) > 1}
        for names in camps.coalitions.values():
            names.sort()
        return camps

    def members(self, stance) -> list[int]:
        return sorted(pk for pk, camp in self.of_organization.items() if camp == stance)

    def lane_of(self, position) -> str:
        """The lane a position is drawn in: its organization's camp when said in its name."""
        if position.speaks_for and position.organization_id in self.of_organization:
            return self.of_organization[position.organization_id]
        return INDEPENDENT

    def in_lane(self, positions, lane):
        """A Position queryset narrowed to one lane (an index-friendly IN list of members)."""
        if lane == INDEPENDENT:
            ids = self.independent_ids
            return positions.filter(self.independent if ids is None else Q(pk__in=ids))
        return positions.filter(speaks_for=True, organization_id__in=self.members(lane))

    @cached_property
    def independent(self) -> Q:
        """Said for no organization, or for one outside both camps: as what indexes can find
        (position_pub_personal_idx, and positions by organization), not as "not in a camp"."""
        return SAID_FOR_NO_ORGANIZATION | self.said_for_outsiders

    @cached_property
    def said_for_outsiders(self) -> Q:
        return Q(speaks_for=True, organization_id__in=self.outside_organizations)

    @cached_property
    def outside_organizations(self) -> list[int]:
        """The organizations in neither camp (one query, once): an anti-join with the camps'
        current memberships, not a list of every member's id (at 2,000 members that list cost
        Django and PostgreSQL ~10 ms to pass and plan)."""
        members = Membership.objects.current().filter(coalition__stance__in=CAMP_STANCES).values("organization_id")
        return list(Organization.objects.exclude(pk__in=members).values_list("pk", flat=True))

    @cached_property
    def independent_ids(self) -> list[int] | None:
        """The independent positions' ids while there are few of them (two small queries),
        else None: the lane is then its filter (``independent``).

        A lane's page wants its newest few on a topic. When independent voices are rare (the
        bench's million positions are nearly all said for the camps' members), PostgreSQL,
        asked for the newest independent positions by their filter, walks every position
        newest first for the handful that pass (five seconds a topic): its estimate of an
        organization list is too coarse to see how rare they are. Their ids, found first
        through the indexes that hold them, make each lane's query a look-up by id. When they
        are many, the walk finds them soon and the filter is the better query."""
        counted = StanceTally.objects.filter(
            Q(organization__isnull=True) | Q(organization_id__in=self.outside_organizations)
        ).aggregate(n=Sum("positions"))["n"]
        if (counted or 0) > INDEPENDENT_ID_LIST:
            return None
        personal = Position.objects.filter(SAID_FOR_NO_ORGANIZATION).values_list("pk")
        outside = Position.objects.filter(self.said_for_outsiders).values_list("pk")
        return [pk for (pk,) in personal.union(outside, all=True)]

    def lane_heading(self, lane) -> str:
        names = self.coalitions.get(lane)
        if lane == INDEPENDENT:
            return "Outside both coalitions"
        return " and ".join(names) if names else "No coalition recorded"


def lanes(camps: Camps, positions) -> list[dict]:
    """Positions split into the three lanes, in order: [{"lane", "label", "heading", "items"}]."""
    split = {lane: [] for lane in LANES}
    for position in positions:
        split[camps.lane_of(position)].append(position)
    return [
        {"lane": lane, "label": LANE_LABELS[lane], "heading": camps.lane_heading(lane), "items": split[lane]}
        for lane in LANES
    ]
