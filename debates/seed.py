"""Load the seed content (seed/*.toml) into the database, idempotently.

Every record is matched on its natural key (slug; a source's publisher and
title; a membership's coalition and organization; …) and updated in place, so
running the loader twice leaves the database as it was after the first run.
"""

import tomllib
from pathlib import Path

from django.conf import settings
from django.db import transaction

from debates.models import PolicyItem, PolicyMilestone, Position, Topic
from members.models import Affiliation, Coalition, Membership, Organization, Person, Source

DEFAULT_SEED = settings.BASE_DIR / "seed" / "ai-alliance-article.toml"


def _fields(record: dict, *names: str) -> dict:
    return {name: record[name] for name in names if name in record}


def _upsert(model, lookup: dict, values: dict):
    """Create, or update only what differs: an unchanged record is not saved, so
    a second run adds no version to its history."""
    obj = model.objects.filter(**lookup).first()
    if obj is None:
        return model.objects.create(**lookup, **values)
    changed = {name: value for name, value in values.items() if getattr(obj, name) != value}
    if changed:
        for name, value in changed.items():
            setattr(obj, name, value)
        obj.save()
    return obj


@transaction.atomic
def load_seed(path: Path = DEFAULT_SEED) -> dict[str, int]:
    """Load one seed file; return how many records of each kind it holds."""
    data = tomllib.loads(Path(path).read_text(encoding="utf-8"))

    sources = {}
    for record in data.get("sources", []):
        sources[record["key"]] = _upsert(
            Source,
            {"publisher": record["publisher"], "title": record["title"]},
            _fields(record, "url", "archive_url", "published_on", "accessed_on", "note"),
        )

    def cite(obj, record):
        obj.sources.set([sources[key] for key in record.get("sources", [])])

    topics = {}
    for record in data.get("topics", []):
        topics[record["slug"]] = _upsert(
            Topic,
            {"slug": record["slug"]},
            _fields(record, "name", "question", "description"),
        )
        cite(topics[record["slug"]], record)

    coalitions = {}
    for record in data.get("coalitions", []):
        coalitions[record["slug"]] = _upsert(
            Coalition,
            {"slug": record["slug"]},
            _fields(record, "name", "stance", "founded_on", "website", "description", "members_note"),
        )
        cite(coalitions[record["slug"]], record)

    organizations = {}
    for record in data.get("organizations", []):
        organizations[record["slug"]] = _upsert(
            Organization,
            {"slug": record["slug"]},
            _fields(record, "name", "kind", "country", "website", "description"),
        )
        cite(organizations[record["slug"]], record)

    for record in data.get("memberships", []):
        membership = _upsert(
            Membership,
            {
                "coalition": coalitions[record["coalition"]],
                "organization": organizations[record["organization"]],
                "until": record.get("until"),
            },
            _fields(record, "role", "since", "note"),
        )
        cite(membership, record)

    people = {}
    for record in data.get("people", []):
        person = _upsert(
            Person,
            {"slug": record["slug"]},
            _fields(record, "name", "bio"),
        )
        cite(person, record)
        for affiliation in record.get("affiliations", []):
            _upsert(
                Affiliation,
                {
                    "person": person,
                    "organization": organizations[affiliation["organization"]],
                    "title": affiliation.get("title", ""),
                },
                _fields(affiliation, "since", "until"),
            )
        people[record["slug"]] = person

    policies = {}
    for record in data.get("policies", []):
        policy = _upsert(
            PolicyItem,
            {"slug": record["slug"]},
            _fields(
                record,
                "title",
                "short_name",
                "jurisdiction",
                "kind",
                "status",
                "status_note",
                "introduced_on",
                "adopted_on",
                "responsible_office",
                "summary",
                "open_models",
            ),
        )
        cite(policy, record)
        policy.topics.set([topics[slug] for slug in record.get("topics", [])])
        for milestone in record.get("milestones", []):
            _upsert(
                PolicyMilestone,
                {"policy_item": policy, "title": milestone["title"]},
                _fields(milestone, "on", "precision", "is_deadline", "responsible"),
            )
        policies[record["slug"]] = policy

    for record in data.get("positions", []):
        position = _upsert(
            Position,
            {"slug": record["slug"]},
            {
                **_fields(
                    record,
                    "form",
                    "quotation",
                    "summary",
                    "stance",
                    "said_on",
                    "date_precision",
                    "venue",
                    "context",
                    "integrity",
                    "integrity_note",
                ),
                "speaker": people[record["speaker"]],
                "organization": organizations.get(record.get("organization")),
                "policy_item": policies.get(record.get("policy")),
            },
        )
        cite(position, record)
        position.topics.set([topics[slug] for slug in record["topics"]])
        position.refresh_search_terms()

    return {kind: len(records) for kind, records in data.items()}
