"""What the portal publishes as open data: one field list per kind of record,
used for the CSV and JSON downloads and for the documentation on /data/.

Each field is declared once: its description, how Python reads its value, and
(for positions, whose CSV PostgreSQL writes) its SQL cell.
Private fields (commenters' e-mail addresses and address hashes) are in no list.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC
from operator import attrgetter, itemgetter
from typing import Any

from django.contrib.postgres.aggregates import StringAgg
from django.contrib.postgres.expressions import ArraySubquery
from django.db.models import F, Func, OuterRef, Prefetch, Subquery, TextField, Value
from django.db.models.functions import Cast, JSONObject, NullIf

from debates.filters import CommentFilter, PolicyFilter, PositionFilter, ReleaseFilter
from debates.models import Comment, PolicyItem, PolicyMilestone, PolicyStatusChange, Position, Release, Topic
from members.filters import AffiliationFilter, MembershipFilter, OrganizationFilter, PersonFilter
from members.models import Affiliation, Coalition, Membership, Organization, Person, Source


@dataclass(frozen=True)
class Field:
    name: str
    description: str
    value: Callable[[Any], Any]
    # The same value as a CSV cell, written by PostgreSQL (see streaming.csv_lines).
    sql: Any = None
    # For a kind read as plain rows: the key this field's value is read from, and the
    # expression annotated under that key when it is not a column (``value`` reads it).
    read: str | None = None
    annotation: Any = None


def _sql_cell(expression):
    """An SQL expression's value as text for one CSV cell; an empty text is NULL, so
    COPY writes an empty cell (not "") as Python's csv module does."""
    return NullIf(Cast(expression, TextField()), Value(""), output_field=TextField())


def _iso_date(field: str):
    return Func(F(field), Value("YYYY-MM-DD"), function="to_char", output_field=TextField())


UTC_SECONDS = "%Y-%m-%dT%H:%M:%SZ"


def _utc_seconds(field: str):
    """A timestamp as UTC_SECONDS writes it: 2024-02-29T13:05:09Z."""
    return Func(
        Value("UTC"),
        F(field),
        function="timezone",
        template='to_char(%(function)s(%(expressions)s), \'YYYY-MM-DD"T"HH24:MI:SS"Z"\')',
        output_field=TextField(),
    )


def _column(name: str, description: str, path: str, sql=None) -> "Field":
    """A field read from a column (``path`` may follow a foreign key: speaker__name)."""
    return Field(name, description, itemgetter(path), _sql_cell(sql if sql is not None else F(path)), read=path)


def _attribute(name: str, description: str) -> "Field":
    """A field read from the model instance's attribute of the same name."""
    return Field(name, description, attrgetter(name))


def _joined(model, outer: str, expression, order_by, separator: str = "; "):
    """The CSV cell of a list: the related rows' ``expression`` joined by ``separator``."""
    joined = StringAgg(expression, separator, order_by=order_by)
    rows = model.objects.filter(**{outer: OuterRef("pk")}).order_by().values(outer)
    return Subquery(rows.annotate(cell=joined).values("cell"), output_field=TextField())


def _source_text(prefix: str = ""):
    """A source in one CSV cell: title, publisher, URL and date, whichever are known."""
    return Func(
        NullIf(f"{prefix}title", Value("")),
        NullIf(f"{prefix}publisher", Value("")),
        NullIf(f"{prefix}url", Value("")),
        _iso_date(f"{prefix}published_on"),
        function="concat_ws",
        template="%(function)s(' ', %(expressions)s)",
        output_field=TextField(),
    )


@dataclass(frozen=True)
class Kind:
    slug: str
    title: str
    description: str
    filterset: type | None  # the list page's filters; None: the download takes none
    queryset: Callable[[], Any]
    fields: list[Field]

    @property
    def csv_in_sql(self) -> bool:
        return all(field.sql is not None for field in self.fields)

    @property
    def reads_rows(self) -> bool:
        """Read as plain rows (each field's ``read`` key), not model instances."""
        return all(field.read is not None for field in self.fields)

    def project(self, queryset):
        """What the rows are read as: model instances, or plain rows of the fields' keys."""
        if not self.reads_rows:
            return queryset
        annotations = {field.read: field.annotation for field in self.fields if field.annotation is not None}
        return queryset.annotate(**annotations).values(*(field.read for field in self.fields))


def _source_list(obj):
    return [
        {"title": s.title, "publisher": s.publisher, "url": s.url, "published_on": s.published_on}
        for s in obj.sources.all()
    ]


SOURCES = Field("sources", "The sources cited: title, publisher, URL and date of each.", _source_list)


SOURCE_KEYS = ("title", "publisher", "url", "published_on")


def _source_rows(row):
    """A positions row's sources in the documented key order (jsonb sorts keys its own way)."""
    return [{key: source[key] for key in SOURCE_KEYS} for source in row["source_list"]]


KINDS = {
    kind.slug: kind
    for kind in [
        Kind(
            "positions",
            "Positions",
            "What a person said or holds, for an organization or for themselves.",
            PositionFilter,
            lambda: Position.objects.all(),
            # Plain rows, not model instances, with topics and sources as arrays from
            # correlated subqueries: the export streams straight off the primary key.
            [
                _column("slug", "Stable identifier; the permalink is /positions/<slug>/.", "slug"),
                _column("speaker", "Who said it.", "speaker__name"),
                _column("speaker_slug", "The speaker's identifier (/people/<slug>/).", "speaker__slug"),
                _column("organization", "Whom the speaker spoke for, or was with, at the time.", "organization__name"),
                _column("organization_slug", "That organization's identifier.", "organization__slug"),
                _column(
                    "speaks_for",
                    "true: spoke in the organization's name (counts as its stance); false: only affiliated with it.",
                    "speaks_for",
                ),
                _column("form", "quote (verbatim words) or paraphrase (the portal's words).", "form"),
                _column("quotation", "The verbatim words, for a quote; empty for a paraphrase.", "quotation"),
                _column("summary", "What was said or held, in the portal's words.", "summary"),
                _column("stance", "open, closed or mixed.", "stance"),
                Field(
                    "topics",
                    "The questions of the debate it bears on (slugs).",
                    itemgetter("topic_slugs"),
                    _joined(Position.topics.through, "position", "topic__slug", "topic__name"),
                    read="topic_slugs",
                    annotation=ArraySubquery(
                        Topic.objects.filter(positions=OuterRef("pk")).order_by("name").values("slug")
                    ),
                ),
                _column("said_on", "When it was said (ISO date), if known.", "said_on", _iso_date("said_on")),
                _column("date_precision", "day, month or year: how much of said_on is known.", "date_precision"),
                _column("venue", "Where it was said.", "venue"),
                _column("context", "Circumstances that help read it.", "context"),
                _column("policy_item", "The policy item it refers to (slug), if any.", "policy_item__slug"),
                _column("integrity", "verified, unverified, disputed, misattributed or retracted.", "integrity"),
                _column("integrity_note", "The evidence for the integrity status.", "integrity_note"),
                Field(
                    SOURCES.name,
                    SOURCES.description,
                    _source_rows,
                    _joined(Position.sources.through, "position", _source_text("source__"), "source_id"),
                    read="source_list",
                    annotation=ArraySubquery(
                        Source.objects.filter(positions=OuterRef("pk"))
                        .order_by("pk")
                        .values(
                            json=JSONObject(
                                title="title", publisher="publisher", url="url", published_on="published_on"
                            )
                        )
                    ),
                ),
            ],
        ),
        Kind(
            "organizations",
            "Organizations",
            "Companies, universities, labs, non-profits and public bodies.",
            OrganizationFilter,
            lambda: Organization.objects.prefetch_related(
                Prefetch("memberships", Membership.objects.select_related("coalition")), "sources"
            ),
            [
                _attribute("slug", "Stable identifier (/organizations/<slug>/)."),
                _attribute("name", "Name."),
                _attribute("kind", "company, university, lab, nonprofit or public_body."),
                _attribute("country", "Where it is based."),
                _attribute("website", "Its website."),
                _attribute("description", "What the sources say about it."),
                Field(
                    "coalitions",
                    "Coalitions it is a current member of (slugs).",
                    lambda o: [m.coalition.slug for m in o.memberships.all() if m.until is None],
                ),
                SOURCES,
            ],
        ),
        Kind(
            "memberships",
            "Memberships",
            "An organization's membership of a coalition, with dates.",
            MembershipFilter,
            lambda: Membership.objects.select_related("coalition", "organization").prefetch_related("sources"),
            [
                Field("coalition", "The coalition (slug).", lambda m: m.coalition.slug),
                Field("organization", "The member (slug).", lambda m: m.organization.slug),
                _attribute("role", "founder or member."),
                _attribute("since", "Start date, if known."),
                _attribute(
                    "since_precision", "day, month or year: how much of the start date is known (month: the 1st)."
                ),
                _attribute("until", "End date; empty while current."),
                SOURCES,
            ],
        ),
        Kind(
            "people",
            "People",
            "The people quoted, with their affiliations.",
            PersonFilter,
            lambda: Person.objects.prefetch_related(
                Prefetch("affiliations", Affiliation.objects.select_related("organization")), "sources"
            ),
            [
                _attribute("slug", "Stable identifier (/people/<slug>/)."),
                _attribute("name", "Name."),
                _attribute("bio", "Who they are, per the sources."),
                Field(
                    "affiliations",
                    "Organization (slug), title and dates of each affiliation.",
                    lambda p: [
                        {"organization": a.organization.slug, "title": a.title, "since": a.since, "until": a.until}
                        for a in p.affiliations.all()
                    ],
                ),
                SOURCES,
            ],
        ),
        Kind(
            "policies",
            "Policy items",
            "Executive orders, laws, bills and consultations, and what they say about open models.",
            PolicyFilter,
            lambda: PolicyItem.objects.prefetch_related(
                "topics",
                "sources",
                Prefetch("milestones", PolicyMilestone.objects.order_by("on", "pk")),
                Prefetch("status_changes", PolicyStatusChange.objects.order_by("since", "pk")),
            ),
            [
                _attribute("slug", "Stable identifier (/policies/<slug>/)."),
                _attribute("short_name", "What readers call it."),
                _attribute("title", "Formal title."),
                _attribute("jurisdiction", "us, eu, uk, intl or other."),
                _attribute("kind", "executive_order, law, bill, regulation, consultation or guidance."),
                _attribute(
                    "status",
                    "Current status (its latest change): proposed, in_negotiation, adopted, in_force,"
                    " partly_applicable or revoked.",
                ),
                _attribute("status_since", "Date of the latest status change, if recorded."),
                _attribute("status_note", "As of when, and according to whom."),
                _attribute("introduced_on", "Date introduced, if known."),
                _attribute("adopted_on", "Date adopted or signed, if known."),
                _attribute("responsible_office", "Who is responsible for it."),
                _attribute("summary", "What it is."),
                _attribute("open_models", "What it says about open models."),
                Field("topics", "Topics it bears on (slugs).", lambda p: [t.slug for t in p.topics.all()]),
                Field(
                    "milestones",
                    "Dates and deadlines: date, precision, title, whether a deadline, who is responsible.",
                    lambda p: [
                        {
                            "on": m.on,
                            "precision": m.precision,
                            "title": m.title,
                            "is_deadline": m.is_deadline,
                            "responsible": m.responsible,
                        }
                        for m in p.milestones.all()
                    ],
                ),
                Field(
                    "status_history",
                    "Every recorded status, oldest first: status, since (date), precision, note.",
                    lambda p: [
                        {"status": c.status, "since": c.since, "precision": c.precision, "note": c.note}
                        for c in p.status_changes.all()
                    ],
                ),
                SOURCES,
            ],
        ),
        Kind(
            "releases",
            "Model releases",
            "Models an organization released: when, whether the weights can be downloaded, the licence, how open.",
            ReleaseFilter,
            lambda: Release.objects.select_related("organization").prefetch_related("sources"),
            [
                Field("organization", "Who released it (slug: /organizations/<slug>/).", lambda r: r.organization.slug),
                _attribute("name", "The model's name."),
                _attribute("released_on", "Release date."),
                _attribute("date_precision", "day, month or year: how much of the date is known."),
                _attribute("weights_available", "Whether the weights can be downloaded."),
                _attribute("licence", "The licence, as the sources name it."),
                _attribute("openness", "open, partial or closed."),
                _attribute("note", "How the openness was judged."),
                SOURCES,
            ],
        ),
        Kind(
            "coalitions",
            "Coalitions",
            "The alliances and forums that take a side in the debate.",
            None,
            lambda: Coalition.objects.prefetch_related("sources"),
            [
                _attribute("slug", "Stable identifier (/coalitions/<slug>/)."),
                _attribute("name", "Name."),
                _attribute("stance", "open, closed or mixed."),
                _attribute("founded_on", "Date founded, if known."),
                _attribute("website", "Its website."),
                _attribute("description", "What the sources say about it."),
                _attribute("members_note", "Members a source mentions without naming them."),
                SOURCES,
            ],
        ),
        Kind(
            "affiliations",
            "Affiliations",
            "A person's role at an organization, with dates.",
            AffiliationFilter,
            lambda: Affiliation.objects.select_related("person", "organization").prefetch_related("sources"),
            [
                Field("person", "The person (slug).", lambda a: a.person.slug),
                Field("organization", "The organization (slug).", lambda a: a.organization.slug),
                _attribute("title", "Their role there."),
                _attribute("since", "Start date, if known."),
                _attribute("until", "End date; empty while current."),
                SOURCES,
            ],
        ),
        Kind(
            "topics",
            "Topics",
            "The questions of the debate.",
            None,
            lambda: Topic.objects.prefetch_related("sources"),
            [
                _attribute("slug", "Stable identifier (/topics/<slug>/)."),
                _attribute("name", "Name."),
                _attribute("question", "The question, as a reader would ask it."),
                _attribute("description", "What the topic covers."),
                SOURCES,
            ],
        ),
        Kind(
            "sources",
            "Sources",
            "Every source cited anywhere in the record.",
            None,
            lambda: Source.objects.all(),
            [
                _column("id", "Stable identifier (the API's /api/v1/sources/<id>/).", "id"),
                _column("title", "Title.", "title"),
                _column("publisher", "Who published it.", "publisher"),
                _column("url", "Where it is published, if online.", "url"),
                _column("archive_url", "A copy in a web archive.", "archive_url"),
                _column("published_on", "Publication date, if shown.", "published_on", _iso_date("published_on")),
                _column("accessed_on", "When it was read.", "accessed_on", _iso_date("accessed_on")),
                _column("note", "How it was obtained, and anything a reader should know.", "note"),
            ],
        ),
        Kind(
            "comments",
            "Comments",
            "Readers' approved comments (never an e-mail address or an address hash).",
            CommentFilter,
            lambda: Comment.objects.approved(),
            [
                _column("id", "Stable identifier.", "id"),
                _column("position", "The position commented on (slug).", "position__slug"),
                _column("author_name", "The name the reader gave.", "author_name"),
                _column("reaction", "agree, disagree or neither.", "reaction"),
                _column("body_markdown", "The comment as the reader wrote it (Markdown).", "body_markdown"),
                _column("body_html", "The comment as the portal shows it (sanitized HTML).", "body_html"),
                Field(
                    "created_at",
                    "When it was posted (ISO 8601, UTC).",
                    lambda row: row["created_at"].astimezone(UTC).strftime(UTC_SECONDS),
                    _sql_cell(_utc_seconds("created_at")),
                    read="created_at",
                ),
            ],
        ),
    ]
}
