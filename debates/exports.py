"""What the portal publishes as open data: one field list per kind of record,
used for the CSV and JSON downloads and for the documentation on /data/.

Private fields (commenters' e-mail addresses and address hashes) are in no list.
"""

import csv
import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from operator import itemgetter
from typing import Any

from django.contrib.postgres.expressions import ArraySubquery
from django.db import transaction
from django.db.models import OuterRef, Prefetch
from django.db.models.functions import JSONObject

from debates.filters import PolicyFilter, PositionFilter
from debates.models import PolicyItem, PolicyMilestone, Position, Topic
from members.filters import MembershipFilter, OrganizationFilter, PersonFilter
from members.models import Affiliation, Membership, Organization, Person, Source


@dataclass(frozen=True)
class Field:
    name: str
    description: str
    value: Callable[[Any], Any]


@dataclass(frozen=True)
class Kind:
    slug: str
    title: str
    description: str
    filterset: type
    queryset: Callable[[], Any]
    fields: list[Field]
    project: Callable[[Any], Any] = lambda queryset: queryset  # what the rows are read as


def _source_list(obj):
    return [
        {"title": s.title, "publisher": s.publisher, "url": s.url, "published_on": s.published_on}
        for s in obj.sources.all()
    ]


SOURCES = Field("sources", "The sources cited: title, publisher, URL and date of each.", _source_list)

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
                Field("slug", "Stable identifier; the permalink is /positions/<slug>/.", itemgetter("slug")),
                Field("speaker", "Who said it.", itemgetter("speaker__name")),
                Field("speaker_slug", "The speaker's identifier (/people/<slug>/).", itemgetter("speaker__slug")),
                Field("organization", "Whom the speaker spoke for at the time.", itemgetter("organization__name")),
                Field("organization_slug", "That organization's identifier.", itemgetter("organization__slug")),
                Field("form", "quote (verbatim words) or paraphrase (the portal's words).", itemgetter("form")),
                Field("quotation", "The verbatim words, for a quote; empty for a paraphrase.", itemgetter("quotation")),
                Field("summary", "What was said or held, in the portal's words.", itemgetter("summary")),
                Field("stance", "open, closed or mixed.", itemgetter("stance")),
                Field("topics", "The questions of the debate it bears on (slugs).", itemgetter("topic_slugs")),
                Field("said_on", "When it was said (ISO date), if known.", itemgetter("said_on")),
                Field(
                    "date_precision", "day, month or year: how much of said_on is known.", itemgetter("date_precision")
                ),
                Field("venue", "Where it was said.", itemgetter("venue")),
                Field("context", "Circumstances that help read it.", itemgetter("context")),
                Field("policy_item", "The policy item it refers to (slug), if any.", itemgetter("policy_item__slug")),
                Field(
                    "integrity", "verified, unverified, disputed, misattributed or retracted.", itemgetter("integrity")
                ),
                Field("integrity_note", "The evidence for the integrity status.", itemgetter("integrity_note")),
                Field(SOURCES.name, SOURCES.description, itemgetter("source_list")),
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

CHUNK = 2000


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


class _Line:
    def write(self, value):
        return value


def csv_lines(kind: Kind, queryset):
    writer = csv.writer(_Line())
    yield writer.writerow([field.name for field in kind.fields])
    for row in rows(kind, queryset):
        yield writer.writerow([_csv_cell(value) for value in row.values()])


def _json_default(value):
    if isinstance(value, date):
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} is not JSON serializable")


def json_chunks(kind: Kind, queryset):
    """A JSON array, one record at a time, so memory stays flat."""
    yield "[\n"
    for i, row in enumerate(rows(kind, queryset)):
        yield ("," if i else "") + json.dumps(row, default=_json_default, ensure_ascii=False) + "\n"
    yield "]\n"
