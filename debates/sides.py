"""Putting two sides next to each other: the logic behind /compare/ and /matrix/.

A "side" is a coalition, an organization or a person; what it said is the
positions of its speakers (a person), spoken for it (an organization), or
spoken for its current members (a coalition). A person affiliated with an
organization who spoke only for themselves counts for the person alone.
"""

from collections import defaultdict
from dataclasses import dataclass, field

from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import Exists, OuterRef, Sum

from alliance_portal import charts
from debates.camps import INDEPENDENT, Camps
from debates.models import Position, Release, StanceTally, Topic
from members.lookup import CANDIDATES, Resolution, by_slug, choose, matching
from members.models import Coalition, Membership, Organization, Person, Stance

KINDS = {"coalition": Coalition, "organization": Organization, "person": Person}


SIDE_POSITIONS_PER_TOPIC = 3  # the newest positions of a side shown on /compare/, per topic
SIDE_RELEASES = 20  # the newest model releases of a side shown on /compare/
INDEPENDENT_PER_TOPIC = 2  # the newest independent voices shown under each topic on /compare/


@dataclass
class Side:
    kind: str
    entity: object
    positions_by_topic: dict = field(default_factory=dict)
    stances: dict = field(default_factory=dict)
    sourced_topics: set = field(default_factory=set)
    releases: list = field(default_factory=list)

    @property
    def key(self) -> str:
        return self.entity.slug

    def positions_queryset(self):
        positions = Position.objects.all()
        if self.kind == "coalition":
            return positions.spoken_for_coalition(self.entity)
        if self.kind == "organization":
            return positions.spoken_for(self.entity)
        return positions.filter(speaker=self.entity)

    def tally(self):
        """The side's StanceTally rows: its positions counted by topic and stance (a
        tally row has an organization only for positions spoken for it)."""
        if self.kind == "coalition":
            members = Membership.objects.current().filter(coalition=self.entity).values("organization_id")
            return StanceTally.objects.filter(organization_id__in=members)
        if self.kind == "organization":
            return StanceTally.objects.filter(organization=self.entity)
        return StanceTally.objects.filter(speaker=self.entity)

    def releases_queryset(self):
        """The models the side released: an organization's, a coalition's current members';
        a person releases nothing in their own name."""
        releases = Release.objects.select_related("organization")
        if self.kind == "coalition":
            members = Membership.objects.current().filter(coalition=self.entity).values("organization_id")
            return releases.filter(organization_id__in=members)
        if self.kind == "organization":
            return releases.filter(organization=self.entity)
        return releases.none()

    def load(self, topics=None) -> "Side":
        """Stance and coverage per topic over all of the side's positions (one
        aggregate query); the newest few positions on each topic (one lateral join, then
        those positions and their prefetches).

        Every position cites a source (the admin requires one), so a topic with a
        position is a topic with a sourced position."""
        stances = defaultdict(set)
        for topic_id, stance in self.tally().values_list("topic_id", "stance").distinct():
            stances[topic_id].add(stance)
            self.sourced_topics.add(topic_id)
        self.stances = {topic_id: Stance.combine(values) for topic_id, values in stances.items()}
        topics = topics if topics is not None else Topic.objects.all()
        self.positions_by_topic = newest_per_topic(self.positions_queryset(), topics, SIDE_POSITIONS_PER_TOPIC)
        if self.kind != "person":
            self.releases = list(self.releases_queryset().order_by("-released_on", "-pk")[:SIDE_RELEASES])
        return self

    def stance_on(self, topic) -> str | None:
        return self.stances.get(topic.pk)

    def coverage(self, topics) -> tuple[int, int]:
        """(topics with a sourced position, all topics)."""
        return sum(1 for t in topics if t.pk in self.sourced_topics), len(topics)


def resolve_side(text: str, limit: int = CANDIDATES) -> Resolution:
    """What a compare box names, by members.lookup's order of closeness across coalitions,
    organizations and people (a query each): a slug ('meta', or 'person:yann-lecun' where a
    kind is named), a name in any case or accents ('yann lecun'), part of one ('lecun'), or
    names like it ('Yan Lecun', suggestions only). Each row found carries its ``kind``;
    on a slug shared by several kinds, the coalition, then the organization, wins."""
    kind, _, slug = text.strip().rpartition(":")
    kinds = [kind] if kind in KINDS else list(KINDS)
    wanted = slug if kind in KINDS else text
    # A link's slug first, kind by kind: the fuzzy match below reads every person's and
    # organization's name (~0.1 s a side at ten thousand people).
    for name in kinds:
        if (exact := by_slug(KINDS[name].objects.all(), wanted)) is not None:
            exact.kind = name
            return Resolution(" ".join(wanted.split()), match=exact)
    rows = []
    for order, name in enumerate(kinds):
        for row in matching(KINDS[name].objects.all(), wanted)[: limit + 1]:
            row.kind = name
            rows.append((row.closeness, -row.likeness, order, row))
    rows.sort(key=lambda found: found[:3])
    return choose([found[3] for found in rows], " ".join(wanted.split()), limit)


def side_key(entity, kind: str) -> str:
    """How a side is written in /compare/'s address: a person's slug says it is one."""
    return f"person:{entity.slug}" if kind == "person" else entity.slug


def find_side(key: str) -> Side | None:
    """The side ``key`` names, when it names one."""
    resolution = resolve_side(key)
    return Side(resolution.match.kind, resolution.match) if resolution.match is not None else None


def compare(a: Side, b: Side):
    """Rows of (topic, a's positions, a's stance, b's positions, b's stance) for every topic;
    ``a_also``/``b_also``: positions on the topic already shown under an earlier one;
    ``independent``: the newest voices outside both coalitions on the topic, beneath the two sides."""
    topics = list(Topic.objects.order_by("name"))
    a.load(topics)
    b.load(topics)
    independent = independent_voices(topics)
    rows = []
    shown = {"a": set(), "b": set(), "independent": set()}
    for topic in topics:
        row = {"topic": topic, "a_stance": a.stance_on(topic), "b_stance": b.stance_on(topic)}
        for key, side in (("a", a), ("b", b)):
            # A position on several topics is shown once, under the first; the later rows name it.
            positions = side.positions_by_topic.get(topic.pk, [])
            row[f"{key}_positions"] = [p for p in positions if p.pk not in shown[key]]
            row[f"{key}_also"] = [p for p in positions if p.pk in shown[key]]
            shown[key].update(p.pk for p in positions)
        # Beneath the two sides: voices outside both coalitions, once each, and not a side's own.
        sides_own = shown["a"] | shown["b"]
        row["independent"] = [
            p for p in independent.get(topic.pk, []) if p.pk not in shown["independent"] and p.pk not in sides_own
        ]
        shown["independent"].update(p.pk for p in row["independent"])
        rows.append(row)
    return rows, a.coverage(topics), b.coverage(topics)


def independent_voices(topics) -> dict:
    """{topic id: the newest independent positions on it}."""
    independent = Camps.load().in_lane(Position.objects.all(), INDEPENDENT)
    return newest_per_topic(independent, topics, INDEPENDENT_PER_TOPIC)


def newest_per_topic(positions, topics, n) -> dict:
    """{topic id: the newest ``n`` of ``positions`` on it, newest first}: one query of an
    index scan per topic (a lateral join over the topics' ids), then those positions with
    what a card shows.

    The positions' own conditions are compiled once, as a subquery PostgreSQL folds into
    each topic's scan; a union of one ORM query per topic cost Django ~30 ms a call to compile."""
    topic_ids = [topic.pk for topic in topics]
    if not topic_ids:
        return {}
    try:
        inner, params = positions.order_by().values_list("pk", "said_on").query.sql_with_params()
    except EmptyResultSet:  # none at all (an empty id list): nothing to ask
        return {}
    position_topics = Position.topics.through._meta.db_table
    # The inner query is Django's own compiled SQL, its values passed as parameters.
    sql = (
        "SELECT picked.id, t.id FROM unnest(%s::bigint[]) AS t(id) CROSS JOIN LATERAL ("  # noqa: S608
        f" SELECT s.id, s.said_on FROM ({inner}) AS s (id, said_on)"
        f" WHERE EXISTS (SELECT 1 FROM {position_topics} pt WHERE pt.position_id = s.id AND pt.topic_id = t.id)"
        " ORDER BY s.said_on DESC NULLS LAST, s.id DESC LIMIT %s) AS picked"
    )
    with connections[positions.db].cursor() as cursor:
        cursor.execute(sql, [topic_ids, *params, n])
        picks = cursor.fetchall()
    shown = Position.objects.for_listing().in_bulk({pk for pk, _ in picks}) if picks else {}
    groups = defaultdict(list)
    for pk, topic_id in picks:
        groups[topic_id].append(shown[pk])
    for group in groups.values():  # the lateral join keeps each topic's order, but not across
        group.sort(key=newest_first_key)
    return groups


def newest_first_key(position) -> tuple:
    """NEWEST_FIRST as a sort key in Python: said_on descending, undated last, then the newest id."""
    return (position.said_on is None, -(position.said_on.toordinal() if position.said_on else 0), -position.pk)


def organizations_with_positions():
    """The organizations a matrix row can show: those with a position, by name."""
    return Organization.objects.filter(Exists(StanceTally.objects.filter(organization=OuterRef("pk")))).order_by("name")


@dataclass
class MatrixCell:
    topic: Topic
    stance: str | None  # combined: the shared stance, mixed where its positions differ
    count: int  # positions behind the cell
    level: int = 0  # its shade (alliance_portal.charts.heat_level)


@dataclass
class MatrixGroup:
    camp: str  # "open", "closed", "both" or "independent"
    label: str
    rows: list = field(default_factory=list)  # [(row, [MatrixCell, …]), …]


@dataclass
class Independents:
    """The matrix row, by coalitions, for organizations in neither coalition: it has no page."""

    name: str = "Organizations in neither coalition"
    slug: str = ""
    pk: object = "independent"


@dataclass
class Matrix:
    topics: list
    groups: list  # [MatrixGroup, …], open camp first, only those with rows
    legend: list  # [(level, lowest, highest), …] (alliance_portal.charts.heat_legend)

    @property
    def rows(self):
        return [row for group in self.groups for row in group.rows]


CAMP_ORDER = ("open", "closed", "both", "independent")


def camp_of(stances) -> str:
    """Where a row sits by the stances of its coalitions: one camp, both, or neither."""
    stances = set(stances)
    if not stances:
        return "independent"
    return stances.pop() if len(stances) == 1 and stances <= {Stance.OPEN, Stance.CLOSED} else "both"


def camp_label(camp: str, names) -> str:
    names = ", ".join(sorted(set(names)))
    return {
        "open": f"Open camp ({names})" if names else "Open camp",
        "closed": f"Closed camp ({names})" if names else "Closed camp",
        "both": f"In both camps ({names})" if names else "In both camps",
        "independent": "Independent voices (in neither coalition)",
    }[camp]


def stance_matrix(rows_kind: str, rows=None) -> Matrix:
    """The stance and the count of positions of each row on each topic, rows grouped by camp.

    ``rows``: the organizations to show (a page of them); coalitions are all shown, with
    one more row for the organizations in neither coalition. Four queries whatever the
    size: rows, topics, one pass over the (row, topic, stance, positions) sums of the
    positions' tally (StanceTally), and the rows' camps (by coalitions: the independents'
    sums; by organizations: their current memberships).
    """
    topics = list(Topic.objects.order_by("name"))
    current = Membership.objects.current()
    if rows_kind == "coalitions":
        rows = list(Coalition.objects.order_by("name"))
        row_path = "organization__memberships__coalition_id"
        tallies = StanceTally.objects.filter(organization__memberships__until__isnull=True)
        camps = {row.pk: camp_of([row.stance]) for row in rows}
        names = defaultdict(set)
        for row in rows:
            names[camps[row.pk]].add(row.name)
        independents = Independents()
        outside = StanceTally.objects.filter(organization__isnull=False).exclude(
            Exists(current.filter(organization=OuterRef("organization")))
        )
        sums = [
            (independents.pk, topic_id, stance, n)
            for topic_id, stance, n in outside.values_list("topic_id", "stance").annotate(n=Sum("positions"))
        ]
        rows.append(independents)
        camps[independents.pk] = "independent"
    else:
        rows = list(organizations_with_positions() if rows is None else rows)
        row_path = "organization_id"
        tallies = StanceTally.objects.filter(organization__in=[row.pk for row in rows])
        stances, coalitions = defaultdict(set), defaultdict(set)
        memberships = current.filter(organization__in=[row.pk for row in rows])
        for organization_id, stance, name in memberships.values_list(
            "organization_id", "coalition__stance", "coalition__name"
        ):
            stances[organization_id].add(stance)
            coalitions[organization_id].add(name)
        camps = {row.pk: camp_of(stances[row.pk]) for row in rows}
        names = defaultdict(set)
        for row in rows:
            names[camps[row.pk]] |= coalitions[row.pk]
        sums = []
    counts = defaultdict(dict)
    sums += tallies.values_list(row_path, "topic_id", "stance").annotate(n=Sum("positions"))
    for row_id, topic_id, stance, n in sums:
        if n:
            counts[(row_id, topic_id)][stance] = n
    top = max((sum(c.values()) for c in counts.values()), default=0)
    groups = {camp: MatrixGroup(camp, camp_label(camp, names.get(camp, ()))) for camp in CAMP_ORDER}
    for row in rows:
        cells = []
        for topic in topics:
            found = counts[(row.pk, topic.pk)]
            total = sum(found.values())
            cells.append(MatrixCell(topic, Stance.combine(found), total, charts.heat_level(total, top)))
        groups[camps[row.pk]].rows.append((row, cells))
    return Matrix(topics, [group for group in groups.values() if group.rows], charts.heat_legend(top))
