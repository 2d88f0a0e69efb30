"""Synthetic demo data at scale, loaded with COPY, kept apart from the real record.

Every demo row is marked: slugs start with ``demo-``, sources are published by
"Synthetic demo data". ``remove_demo_data`` deletes exactly those rows, so the
seed content is untouched. The same seed gives the same data.
"""

import io
import random
from datetime import UTC, date, datetime, timedelta

from django.db import connection, transaction

from debates.models import REBUILD_TALLY, Topic
from debates.search import refresh_search_words
from members.models import Coalition
from pagecache import retire_all

DEMO = "demo-"
PUBLISHER = "Synthetic demo data"
NOW = datetime(2026, 1, 1, tzinfo=UTC)

WORDS = [
    "open",
    "weights",
    "model",
    "safety",
    "risk",
    "regulation",
    "lobbying",
    "innovation",
    "research",
    "science",
    "access",
    "license",
    "community",
    "frontier",
    "compute",
    "benchmark",
    "transparency",
    "accountability",
    "misuse",
    "security",
    "bioweapon",
    "election",
    "disinformation",
    "startup",
    "university",
    "government",
    "export",
    "control",
    "copyright",
    "data",
    "privacy",
    "audit",
    "evaluation",
    "red-team",
    "release",
    "source",
    "code",
    "developer",
    "ecosystem",
    "competition",
    "monopoly",
    "market",
    "incentive",
    "public",
    "interest",
    "liability",
    "standard",
    "treaty",
    "agency",
    "oversight",
    "moratorium",
    "scaling",
    "capability",
    "alignment",
    "harm",
    "benefit",
    "trust",
    "openness",
    "closed",
    "proprietary",
]
FIRST = [
    "Ada",
    "Alan",
    "Grace",
    "Linus",
    "Margaret",
    "Tim",
    "Barbara",
    "Ken",
    "Radia",
    "Shafi",
    "Fei-Fei",
    "Andrew",
    "Joy",
    "Timnit",
    "Yoshua",
    "Geoffrey",
    "Demis",
]
LAST = [
    "Lovelace",
    "Turing",
    "Hopper",
    "Torvalds",
    "Hamilton",
    "Berners-Lee",
    "Liskov",
    "Thompson",
    "Perlman",
    "Goldwasser",
    "Li",
    "Ng",
    "Buolamwini",
]
ORG_WORDS = [
    "Open",
    "Frontier",
    "Civic",
    "Deep",
    "Neural",
    "Public",
    "Quantum",
    "Applied",
    "Human",
    "Future",
    "Safe",
    "Free",
    "Allied",
    "Global",
]
ORG_KINDS = ["company", "university", "lab", "nonprofit", "public_body"]
COUNTRIES = ["United States", "United Kingdom", "France", "Germany", "Japan", "Canada", "India", "Brazil", "Kenya"]
VENUES = ["Interview", "Conference keynote", "Blog post", "Parliamentary hearing", "Podcast", "X (formerly Twitter)"]


class _Rows(io.TextIOBase):
    """A file-like object over generated rows, for COPY … FROM STDIN (text format)."""

    def __init__(self, rows):
        self._rows = rows
        self._buffer = ""

    def readable(self):
        return True

    def read(self, size=-1):
        chunk = []
        length = len(self._buffer)
        for row in self._rows:
            chunk.append(row)
            length += len(row)
            if size >= 0 and length >= size:
                break
        self._buffer += "".join(chunk)
        if size < 0:
            data, self._buffer = self._buffer, ""
        else:
            data, self._buffer = self._buffer[:size], self._buffer[size:]
        return data


def _line(*values) -> str:
    out = []
    for value in values:
        if value is None:
            out.append("\\N")
        else:
            text = str(value)
            out.append(text.replace("\\", "\\\\").replace("\t", " ").replace("\n", " ").replace("\r", " "))
    return "\t".join(out) + "\n"


def _copy(cursor, table: str, columns: list[str], rows) -> None:
    source = _Rows(iter(rows))
    cursor.copy_expert(f"COPY {table} ({', '.join(columns)}) FROM STDIN", source)


def _next_id(cursor, table: str) -> int:
    cursor.execute(f"SELECT coalesce(max(id), 0) + 1 FROM {table}")  # noqa: S608 - table names are ours
    return cursor.fetchone()[0]


def _reset_sequence(cursor, table: str) -> None:
    cursor.execute(
        f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), coalesce((SELECT max(id) FROM {table}), 1))"  # noqa: S608
    )


def _sentence(rng: random.Random, n: int) -> str:
    words = rng.choices(WORDS, k=n)
    return (" ".join(words)).capitalize() + "."


AUDIT = ["created_at", "updated_at", "created_by_id", "updated_by_id"]


def _skip_foreign_key_checks(cur) -> None:
    """Every id below is allocated here and consistent, so the per-row foreign-key
    checks (deferred to COMMIT, minutes at millions of rows) can be skipped for
    this transaction. Needs a superuser, as the embedded server's is; elsewhere
    the checks simply run."""
    cur.execute("SAVEPOINT replica_role")
    try:
        cur.execute("SET LOCAL session_replication_role = replica")
    except Exception:
        cur.execute("ROLLBACK TO SAVEPOINT replica_role")


def generate(
    positions: int,
    comments: int,
    organizations: int = 2000,
    people: int = 10000,
    topics: int = 8,
    sources: int = 5000,
    seed: int = 1,
    progress=lambda label, done, total: None,
):
    """Load demo data; returns the counts created."""
    rng = random.Random(seed)  # noqa: S311 - reproducible fake data, not secrets
    coalitions = list(Coalition.objects.values_list("id", "stance"))
    with transaction.atomic(), connection.cursor() as cur:
        ts = NOW.isoformat()
        _skip_foreign_key_checks(cur)
        cur.execute("SET LOCAL debates.skip_tally = 'on'")  # counted once at the end

        topic_ids = [t.pk for t in Topic.objects.exclude(slug__startswith=DEMO)]
        first_topic = _next_id(cur, "debates_topic")
        _copy(
            cur,
            "debates_topic",
            ["id", "name", "slug", "question", "description", *AUDIT],
            (
                _line(
                    first_topic + i,
                    f"Demo topic {i + 1}",
                    f"{DEMO}topic-{i + 1}",
                    _sentence(rng, 8) + "?",
                    "",
                    ts,
                    ts,
                    None,
                    None,
                )
                for i in range(topics)
            ),
        )
        topic_ids += list(range(first_topic, first_topic + topics))
        topic_names = dict(Topic.objects.filter(pk__in=topic_ids).values_list("pk", "name"))

        first_source = _next_id(cur, "members_source")
        _copy(
            cur,
            "members_source",
            ["id", "publisher", "title", "url", "archive_url", "published_on", "accessed_on", "note", *AUDIT],
            (
                _line(
                    first_source + i,
                    PUBLISHER,
                    f"Demo source {i + 1}",
                    "",
                    "",
                    date(2020, 1, 1) + timedelta(days=i % 2000),
                    None,
                    "Synthetic.",
                    ts,
                    ts,
                    None,
                    None,
                )
                for i in range(sources)
            ),
        )

        first_org = _next_id(cur, "members_organization")
        org_names = {}

        def org_rows():
            for i in range(organizations):
                name = f"{rng.choice(ORG_WORDS)} {rng.choice(ORG_WORDS)} {rng.choice(['AI', 'Labs', 'Institute', 'Systems', 'Foundation'])} {i + 1}"
                org_names[first_org + i] = name
                yield _line(
                    first_org + i,
                    name,
                    f"{DEMO}org-{i + 1}",
                    rng.choice(ORG_KINDS),
                    rng.choice(COUNTRIES),
                    "",
                    _sentence(rng, 12),
                    ts,
                    ts,
                    None,
                    None,
                )

        _copy(
            cur,
            "members_organization",
            ["id", "name", "slug", "kind", "country", "website", "description", *AUDIT],
            org_rows(),
        )
        progress("organizations", organizations, organizations)

        # Every demo organization joins one of the coalitions; its stance leans that way.
        org_stance = {}
        first_membership = _next_id(cur, "members_membership")

        def membership_rows():
            for i in range(organizations):
                coalition_id, stance = coalitions[i % len(coalitions)]
                org_stance[first_org + i] = stance
                yield _line(
                    first_membership + i,
                    coalition_id,
                    first_org + i,
                    "member",
                    date(2024, 1, 1),
                    None,
                    "",
                    ts,
                    ts,
                    None,
                    None,
                )

        _copy(
            cur,
            "members_membership",
            ["id", "coalition_id", "organization_id", "role", "since", "until", "note", *AUDIT],
            membership_rows(),
        )
        first_ms = _next_id(cur, "members_membership_sources")
        _copy(
            cur,
            "members_membership_sources",
            ["id", "membership_id", "source_id"],
            (_line(first_ms + i, first_membership + i, first_source + i % sources) for i in range(organizations)),
        )

        first_person = _next_id(cur, "members_person")
        person_names, person_org = {}, {}

        def person_rows():
            for i in range(people):
                name = f"{rng.choice(FIRST)} {rng.choice(LAST)} {i + 1}"
                person_names[first_person + i] = name
                person_org[first_person + i] = first_org + rng.randrange(organizations)
                yield _line(first_person + i, name, f"{DEMO}person-{i + 1}", _sentence(rng, 10), ts, ts, None, None)

        _copy(cur, "members_person", ["id", "name", "slug", "bio", *AUDIT], person_rows())
        first_aff = _next_id(cur, "members_affiliation")
        _copy(
            cur,
            "members_affiliation",
            ["id", "person_id", "organization_id", "title", "since", "until", *AUDIT],
            (
                _line(
                    first_aff + i,
                    pid,
                    person_org[pid],
                    rng.choice(["Researcher", "Policy lead", "CEO", "Professor"]),
                    None,
                    None,
                    ts,
                    ts,
                    None,
                    None,
                )
                for i, pid in enumerate(person_names)
            ),
        )
        progress("people", people, people)

        first_position = _next_id(cur, "debates_position")
        position_topics: list[tuple[int, int]] = []
        stances = ["open", "closed", "mixed"]

        def position_rows():
            for i in range(positions):
                pid = first_position + i
                speaker = first_person + rng.randrange(people)
                org = person_org[speaker]
                leaning = org_stance[org]
                stance = leaning if rng.random() < 0.75 else rng.choice(stances)
                chosen = rng.sample(topic_ids, rng.randint(1, 3))
                position_topics.extend((pid, t) for t in chosen)
                quote = rng.random() < 0.4
                words = _sentence(rng, rng.randint(6, 14))
                summary = _sentence(rng, rng.randint(12, 30))
                terms = " ".join([person_names[speaker], org_names[org], *(topic_names[t] for t in chosen)])
                said = date(2015, 1, 1) + timedelta(days=rng.randrange(4000))
                created = (NOW - timedelta(seconds=positions - i)).isoformat()
                yield _line(
                    pid, f"{DEMO}position-{i + 1}", speaker, org, "quote" if quote else "paraphrase",
                    words if quote else "", summary, stance, said, "day", rng.choice(VENUES), "", None,
                    "unverified", "", terms, 0, created, created, None, None,
                )  # fmt: skip
                if (i + 1) % 50000 == 0:
                    progress("positions", i + 1, positions)

        _copy(
            cur,
            "debates_position",
            [
                "id", "slug", "speaker_id", "organization_id", "form", "quotation", "summary", "stance", "said_on",
                "date_precision", "venue", "context", "policy_item_id", "integrity", "integrity_note", "search_terms",
                "approved_comment_count", *AUDIT,
            ],
            position_rows(),
        )  # fmt: skip
        progress("positions", positions, positions)
        first_pt = _next_id(cur, "debates_position_topics")
        _copy(
            cur,
            "debates_position_topics",
            ["id", "position_id", "topic_id"],
            (_line(first_pt + i, p, t) for i, (p, t) in enumerate(position_topics)),
        )
        first_psrc = _next_id(cur, "debates_position_sources")
        _copy(
            cur,
            "debates_position_sources",
            ["id", "position_id", "source_id"],
            (
                _line(first_psrc + i, first_position + i, first_source + rng.randrange(sources))
                for i in range(positions)
            ),
        )

        # Comments: the trigger would update a position per row; count once at the end instead.
        cur.execute("SET LOCAL debates.skip_comment_counter = 'on'")
        first_comment = _next_id(cur, "debates_comment")
        reactions = ["agree", "disagree", "neither"]

        def comment_rows():
            # The first demo position gets exactly 100 approved comments, for the benchmark.
            for i in range(comments):
                position = first_position if i < 100 else first_position + rng.randrange(positions)
                status = "approved" if i < 100 or rng.random() < 0.8 else rng.choice(["pending", "rejected", "spam"])
                text = _sentence(rng, rng.randint(5, 25))
                created = (NOW - timedelta(seconds=comments - i)).isoformat()
                yield _line(
                    first_comment + i, position, f"{rng.choice(FIRST)} {rng.choice(LAST)}", "", text, f"<p>{text}</p>",
                    rng.choice(reactions), status, "", None, None, "", "", created,
                )  # fmt: skip
                if (i + 1) % 250000 == 0:
                    progress("comments", i + 1, comments)

        _copy(
            cur,
            "debates_comment",
            [
                "id", "position_id", "author_name", "email", "body_markdown", "body_html", "reaction", "status",
                "moderation_reason", "moderated_at", "moderated_by_id", "ip_hash", "body_hash", "created_at",
            ],
            comment_rows(),
        )  # fmt: skip
        cur.execute("SET LOCAL debates.skip_comment_counter = 'off'")
        cur.execute(
            """
            UPDATE debates_position p SET approved_comment_count = c.n
            FROM (SELECT position_id, count(*) AS n FROM debates_comment
                  WHERE status = 'approved' AND position_id >= %s GROUP BY position_id) c
            WHERE p.id = c.position_id
            """,
            [first_position],
        )
        progress("comments", comments, comments)
        cur.execute(REBUILD_TALLY)  # the tally triggers were off (skip_tally, or replica role)
        for table in [
            "debates_topic", "members_source", "members_organization", "members_membership",
            "members_membership_sources", "members_person", "members_affiliation", "debates_position",
            "debates_position_topics", "debates_position_sources", "debates_comment",
        ]:  # fmt: skip
            _reset_sequence(cur, table)
    with connection.cursor() as cur:
        cur.execute("ANALYZE")
    refresh_search_words()
    retire_all()
    return {"positions": positions, "comments": comments, "organizations": organizations, "people": people}


def remove_demo_data() -> dict[str, int]:
    """Delete every demo row (and nothing else); returns rows deleted per table."""
    demo = f"{DEMO}%"
    statements = [
        ("debates_comment", "position_id IN (SELECT id FROM debates_position WHERE slug LIKE %s)", [demo]),
        ("debates_position_topics", "position_id IN (SELECT id FROM debates_position WHERE slug LIKE %s)", [demo]),
        ("debates_position_sources", "position_id IN (SELECT id FROM debates_position WHERE slug LIKE %s)", [demo]),
        ("debates_position", "slug LIKE %s", [demo]),
        ("debates_topic", "slug LIKE %s", [demo]),
        ("members_affiliation", "person_id IN (SELECT id FROM members_person WHERE slug LIKE %s)", [demo]),
        ("members_person", "slug LIKE %s", [demo]),
        (
            "members_membership_sources",
            "membership_id IN (SELECT m.id FROM members_membership m JOIN members_organization o "
            "ON o.id = m.organization_id WHERE o.slug LIKE %s)",
            [demo],
        ),
        ("members_membership", "organization_id IN (SELECT id FROM members_organization WHERE slug LIKE %s)", [demo]),
        ("members_organization", "slug LIKE %s", [demo]),
        ("members_source", "publisher = %s", [PUBLISHER]),
    ]
    deleted = {}
    with transaction.atomic(), connection.cursor() as cur:
        cur.execute("SET LOCAL debates.skip_comment_counter = 'on'")  # their positions go too
        cur.execute("SET LOCAL debates.skip_tally = 'on'")
        for table, where, params in statements:
            cur.execute(f"DELETE FROM {table} WHERE {where}", params)  # noqa: S608 - fixed statements
            deleted[table] = cur.rowcount
        cur.execute(REBUILD_TALLY)
    refresh_search_words()
    retire_all()
    return deleted
