"""Load the seed content (seed/*.toml) into the database, idempotently.

Every record is matched on its natural key (slug; a source's publisher and
title; a membership's coalition and organization; …) and updated in place, so
running the loader twice leaves the database as it was after the first run.

The files are read together, in name order, before anything is written: a file
may cite a source or name an organization another file defines, and a record
repeated in a later file (same natural key) adds its sources, milestones and
affiliations to the earlier one and overrides the fields it states.
"""

import tomllib
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from alliance_portal.models import history_models
from alliance_portal.versions import LOADER_REASON
from debates.models import PolicyItem, PolicyMilestone, PolicyStatusChange, Position, Release, Topic
from debates.search import refresh_search_words
from members.models import Affiliation, Coalition, Membership, Organization, Person, Source
from pagecache import retire_all

SEED_DIR = settings.BASE_DIR / "seed"

# How a record of each table is told apart from the others, in the files.
NATURAL_KEYS = {
    "sources": ("key",),
    "topics": ("slug",),
    "coalitions": ("slug",),
    "organizations": ("slug",),
    "memberships": ("coalition", "organization", "until"),
    "people": ("slug",),
    "policies": ("slug",),
    "policy_statuses": ("policy", "since"),
    "positions": ("slug",),
    "releases": ("organization", "name"),
}
# Lists inside a record, merged item by item rather than replaced.
NESTED_KEYS = {"milestones": ("title",), "affiliations": ("organization", "title")}


def seed_files() -> list[Path]:
    return sorted(SEED_DIR.glob("*.toml"))


def _natural_key(record: dict, names) -> tuple:
    return tuple(record.get(name, "") if name == "title" else record.get(name) for name in names)


def _merge_record(into: dict, record: dict) -> None:
    for name, value in record.items():
        if name == "sources":
            into[name] = list(dict.fromkeys([*into.get(name, []), *value]))
        elif name in NESTED_KEYS:
            items = {_natural_key(item, NESTED_KEYS[name]): dict(item) for item in into.get(name, [])}
            for item in value:
                items.setdefault(_natural_key(item, NESTED_KEYS[name]), {}).update(item)
            into[name] = list(items.values())
        else:
            into[name] = value


def read_seed(paths) -> dict[str, list[dict]]:
    """The tables of all the files, each record merged with its repeats."""
    tables: dict[str, dict[tuple, dict]] = {}
    for path in paths:
        data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
        for kind, records in data.items():
            if kind not in NATURAL_KEYS:
                raise ValueError(f"{path}: unknown table [[{kind}]]")
            table = tables.setdefault(kind, {})
            for record in records:
                _merge_record(table.setdefault(_natural_key(record, NATURAL_KEYS[kind]), {}), record)
    return {kind: list(records.values()) for kind, records in tables.items()}


def _fields(record: dict, *names: str) -> dict:
    return {name: record[name] for name in names if name in record}


def _upsert(model, lookup: dict, values: dict, create_only: dict | None = None):
    """Create, or update only what differs: an unchanged record is not saved, so
    a second run adds no version to its history. ``create_only`` values are
    written when the record is created, never after."""
    obj = model.objects.filter(**lookup).first()
    if obj is None:
        return model.objects.create(**lookup, **values, **(create_only or {}))
    changed = {name: value for name, value in values.items() if getattr(obj, name) != value}
    if changed:
        for name, value in changed.items():
            setattr(obj, name, value)
        obj.save()
    return obj


@transaction.atomic
def load_seed(paths=None) -> dict[str, int]:
    """Load the seed files (all of seed/*.toml by default); return how many records of each kind they hold."""
    if paths is None:
        paths = seed_files()
    elif isinstance(paths, (str, Path)):
        paths = [paths]
    data = read_seed(paths)
    started = timezone.now()

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
            _fields(record, "role", "since", "since_precision", "note"),
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

    # A policy with a status history takes its current status from it
    # (PolicyItem.refresh_status); the status in its record is only its first.
    with_history = {record["policy"] for record in data.get("policy_statuses", [])}
    policies = {}
    for record in data.get("policies", []):
        status = _fields(record, "status", "status_note")
        policy = _upsert(
            PolicyItem,
            {"slug": record["slug"]},
            {
                **_fields(
                    record,
                    "title",
                    "short_name",
                    "jurisdiction",
                    "kind",
                    "introduced_on",
                    "adopted_on",
                    "responsible_office",
                    "summary",
                    "open_models",
                ),
                **({} if record["slug"] in with_history else status),
            },
            create_only=status if record["slug"] in with_history else None,
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

    for record in data.get("policy_statuses", []):
        change = _upsert(
            PolicyStatusChange,
            {"policy_item": policies[record["policy"]], "since": record["since"]},
            _fields(record, "status", "precision", "note"),
        )
        cite(change, record)
    for slug in with_history:
        policies[slug].refresh_status()

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
                    "speaks_for",
                ),
                "speaker": people[record["speaker"]],
                "organization": organizations.get(record.get("organization")),
                "policy_item": policies.get(record.get("policy")),
            },
        )
        cite(position, record)
        position.topics.set([topics[slug] for slug in record["topics"]])
        position.refresh_search_terms()

    for record in data.get("releases", []):
        release = _upsert(
            Release,
            {"organization": organizations[record["organization"]], "name": record["name"]},
            _fields(record, "released_on", "date_precision", "weights_available", "licence", "openness", "note"),
        )
        cite(release, record)

    # The versions this run wrote say who wrote them: the loader, not an unknown moderator.
    for label in ("members", "debates"):
        for model in history_models(apps.get_app_config(label)):
            if hasattr(model, "history_change_reason"):
                model.objects.filter(history_date__gte=started, history_change_reason=None).update(
                    history_change_reason=LOADER_REASON
                )
    refresh_search_words()  # "Did you mean" knows the words the seed brought
    # A bulk load: the rows it replaced (a database emptied without signals, then seeded again)
    # may be named by pages no row change would retire.
    retire_all()
    return {kind: len(records) for kind, records in data.items()}
