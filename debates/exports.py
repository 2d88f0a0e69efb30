"""What the portal publishes as open data: one field list per kind of record,
used for the CSV and JSON downloads and for the documentation on /data/.

Private fields (commenters' e-mail addresses and address hashes) are in no list.
"""

import contextlib
import json
import queue
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from operator import itemgetter
from typing import Any

from django.contrib.postgres.aggregates import StringAgg
from django.contrib.postgres.expressions import ArraySubquery
from django.db import connection, transaction
from django.db.models import F, Func, OuterRef, Prefetch, Subquery, TextField, Value
from django.db.models.functions import Cast, JSONObject, NullIf

from alliance_portal.csvlines import NeutralisedCell, line_writer
from debates.filters import PolicyFilter, PositionFilter
from debates.models import PolicyItem, PolicyMilestone, Position, Topic
from members.filters import MembershipFilter, OrganizationFilter, PersonFilter
from members.models import Affiliation, Membership, Organization, Person, Source


@dataclass(frozen=True)
class Field:
    name: str
    description: str
    value: Callable[[Any], Any]
    # The same value as a CSV cell, written by PostgreSQL (see csv_lines).
    sql: Any = None


def _sql_cell(expression):
    """An SQL expression's value as text for one CSV cell; an empty text is NULL, so
    COPY writes an empty cell (not "") as Python's csv module does."""
    return NullIf(Cast(expression, TextField()), Value(""), output_field=TextField())


def _iso_date(field: str):
    return Func(F(field), Value("YYYY-MM-DD"), function="to_char", output_field=TextField())


def _column(name: str, description: str, path: str, sql=None) -> "Field":
    """A field read from a column (``path`` may follow a foreign key: speaker__name)."""
    return Field(name, description, itemgetter(path), _sql_cell(sql if sql is not None else F(path)))


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
    filterset: type
    queryset: Callable[[], Any]
    fields: list[Field]
    project: Callable[[Any], Any] = lambda queryset: queryset  # what the rows are read as

    @property
    def csv_in_sql(self) -> bool:
        return all(field.sql is not None for field in self.fields)


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
            "What a person, speaking for an organization, said or holds.",
            PositionFilter,
            lambda: Position.objects.all(),
            [
                _column("slug", "Stable identifier; the permalink is /positions/<slug>/.", "slug"),
                _column("speaker", "Who said it.", "speaker__name"),
                _column("speaker_slug", "The speaker's identifier (/people/<slug>/).", "speaker__slug"),
                _column("organization", "Whom the speaker spoke for at the time.", "organization__name"),
                _column("organization_slug", "That organization's identifier.", "organization__slug"),
                _column("form", "quote (verbatim words) or paraphrase (the portal's words).", "form"),
                _column("quotation", "The verbatim words, for a quote; empty for a paraphrase.", "quotation"),
                _column("summary", "What was said or held, in the portal's words.", "summary"),
                _column("stance", "open, closed or mixed.", "stance"),
                Field(
                    "topics",
                    "The questions of the debate it bears on (slugs).",
                    itemgetter("topic_slugs"),
                    _joined(Position.topics.through, "position", "topic__slug", "topic__name"),
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
                ),
            ],
            # Plain rows, not model instances, with topics and sources as arrays from
            # correlated subqueries: the export streams straight off the primary key.
            project=lambda queryset: queryset.annotate(
                topic_slugs=ArraySubquery(
                    Topic.objects.filter(positions=OuterRef("pk")).order_by("name").values("slug")
                ),
                source_list=ArraySubquery(
                    Source.objects.filter(positions=OuterRef("pk"))
                    .order_by("pk")
                    .values(
                        json=JSONObject(title="title", publisher="publisher", url="url", published_on="published_on")
                    )
                ),
            ).values(
                "slug",
                "speaker__name",
                "speaker__slug",
                "organization__name",
                "organization__slug",
                "form",
                "quotation",
                "summary",
                "stance",
                "topic_slugs",
                "said_on",
                "date_precision",
                "venue",
                "context",
                "policy_item__slug",
                "integrity",
                "integrity_note",
                "source_list",
            ),
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
                Field("slug", "Stable identifier (/organizations/<slug>/).", lambda o: o.slug),
                Field("name", "Name.", lambda o: o.name),
                Field("kind", "company, university, lab, nonprofit or public_body.", lambda o: o.kind),
                Field("country", "Where it is based.", lambda o: o.country),
                Field("website", "Its website.", lambda o: o.website),
                Field("description", "What the sources say about it.", lambda o: o.description),
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
                Field("role", "founder or member.", lambda m: m.role),
                Field("since", "Start date, if known.", lambda m: m.since),
                Field("until", "End date; empty while current.", lambda m: m.until),
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
                Field("slug", "Stable identifier (/people/<slug>/).", lambda p: p.slug),
                Field("name", "Name.", lambda p: p.name),
                Field("bio", "Who they are, per the sources.", lambda p: p.bio),
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
                "topics", "sources", Prefetch("milestones", PolicyMilestone.objects.order_by("on", "pk"))
            ),
            [
                Field("slug", "Stable identifier (/policies/<slug>/).", lambda p: p.slug),
                Field("short_name", "What readers call it.", lambda p: p.short_name),
                Field("title", "Formal title.", lambda p: p.title),
                Field("jurisdiction", "us, eu, uk, intl or other.", lambda p: p.jurisdiction),
                Field("kind", "executive_order, law, bill, regulation, consultation or guidance.", lambda p: p.kind),
                Field("status", "proposed, in_negotiation, adopted, in_force or revoked.", lambda p: p.status),
                Field("status_note", "As of when, and according to whom.", lambda p: p.status_note),
                Field("introduced_on", "Date introduced, if known.", lambda p: p.introduced_on),
                Field("adopted_on", "Date adopted or signed, if known.", lambda p: p.adopted_on),
                Field("responsible_office", "Who is responsible for it.", lambda p: p.responsible_office),
                Field("summary", "What it is.", lambda p: p.summary),
                Field("open_models", "What it says about open models.", lambda p: p.open_models),
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
                SOURCES,
            ],
        ),
    ]
}

CHUNK = 2000  # rows fetched from the server-side cursor at a time
CHUNK_ROWS = 500  # rows per chunk written to the client
CHUNK_BYTES = 256 * 1024  # bytes per chunk of a COPY
COPY_QUEUE = 4  # chunks of a COPY waiting to be sent, at most


def rows(kind: Kind, queryset):
    # Inside a transaction the server-side cursor needs no WITH HOLD, so PostgreSQL
    # streams rows as they are read instead of materialising the whole result first.
    with transaction.atomic():
        for obj in kind.project(queryset).iterator(chunk_size=CHUNK):
            yield {field.name: field.value(obj) for field in kind.fields}


def _csv_cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, list):
        return "; ".join(
            " ".join(str(v) for v in item.values() if v not in (None, "")) if isinstance(item, dict) else str(item)
            for item in value
        )
    return str(value)


def _in_chunks(lines, size: int = CHUNK_ROWS):
    """Lines joined a few hundred at a time: one write to the socket per chunk, not per row."""
    chunk = []
    for line in lines:
        chunk.append(line)
        if len(chunk) == size:
            yield "".join(chunk)
            chunk = []
    if chunk:
        yield "".join(chunk)


def csv_lines(kind: Kind, queryset):
    """The header, then the rows, a few hundred at a time; lines end with LF.

    Where every field has an SQL form (positions), PostgreSQL writes the CSV
    itself (COPY); otherwise Python's csv module writes each row.
    """
    writer = line_writer(lineterminator="\n")
    yield writer.writerow([field.name for field in kind.fields])
    if kind.csv_in_sql:
        columns = {f"csv_{i}": NeutralisedCell(field.sql) for i, field in enumerate(kind.fields)}
        sql, params = queryset.annotate(**columns).values_list(*columns).query.sql_with_params()
        with transaction.atomic():  # a cancelled COPY leaves nothing half-done on the connection
            with connection.cursor() as cursor:
                # JIT-compiling the per-row subqueries costs more than it saves:
                # a full export took 13.7 s with it and 12.2 s without (psql \copy here).
                cursor.execute("SET LOCAL jit = off")
            yield from copy_out(f"COPY ({sql}) TO STDOUT WITH (FORMAT csv)", params)
        return
    yield from _in_chunks(writer.writerow([_csv_cell(value) for value in row.values()]) for row in rows(kind, queryset))


class _Sink:
    """Where psycopg2's COPY writes, a row at a time: gathered into chunks for a queue."""

    def __init__(self, chunks: queue.Queue):
        self.chunks, self.parts, self.size = chunks, [], 0

    def write(self, data):
        self.parts.append(data)
        self.size += len(data)
        if self.size >= CHUNK_BYTES:
            self.flush()

    def flush(self):
        if self.parts:
            self.chunks.put(self.parts[0][:0].join(self.parts))
            self.parts, self.size = [], 0


_DONE = object()


def copy_out(sql: str, params) -> Iterator:
    """Stream ``COPY … TO STDOUT`` in chunks of about CHUNK_BYTES.

    A helper thread runs the COPY on this request's own connection (so it sees
    this transaction) while the worker sends the previous chunk: PostgreSQL
    writes rows on one core while Python sends them from another. At most
    COPY_QUEUE chunks wait in memory. If the reader goes away, the COPY is
    cancelled on the server.
    """
    connection.ensure_connection()
    raw = connection.connection  # psycopg2's; Django's wrapper stays in this thread
    with raw.cursor() as cursor:
        statement = cursor.mogrify(sql, params)
    chunks = queue.Queue(maxsize=COPY_QUEUE)

    def produce():
        sink = _Sink(chunks)
        try:
            with raw.cursor() as cursor:
                cursor.copy_expert(statement, sink)
            sink.flush()
            chunks.put(_DONE)
        except BaseException as error:  # handed to the reading side, which raises it
            chunks.put(error)

    thread = threading.Thread(target=produce, name="copy-out", daemon=True)
    thread.start()
    finished = False
    try:
        while (item := chunks.get()) is not _DONE:
            if isinstance(item, BaseException):
                raise item
            yield item
        finished = True
    finally:
        if not finished:
            raw.cancel()
            while thread.is_alive():  # let the thread hand over what it holds, and stop
                with contextlib.suppress(queue.Empty):
                    chunks.get(timeout=0.1)
        thread.join()


def _json_default(value):
    if isinstance(value, date):
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} is not JSON serializable")


def json_chunks(kind: Kind, queryset):
    """A JSON array, streamed a few hundred records at a time, so memory stays flat."""
    yield "[\n"
    records = enumerate(rows(kind, queryset))
    yield from _in_chunks(
        ("," if i else "") + json.dumps(row, default=_json_default, ensure_ascii=False) + "\n" for i, row in records
    )
    yield "]\n"
