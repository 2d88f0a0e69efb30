"""Dated snapshots of the whole record: every kind of /data/ as CSV and JSON, in one
zip with a Frictionless Data Package descriptor (datapackage.json) that lists each
file with its field types, size and hash, the licence and the sources.

Written by ``manage.py export_snapshot`` into PORTAL_SNAPSHOT_DIR as
``alliance-portal-YYYY-MM-DD.zip``; /data/ links the latest. The CSV and JSON are
exactly the downloads' (the same writers, so the same CSV neutralising), read in one
REPEATABLE READ transaction, so every file shows the record at the same moment.
"""

import hashlib
import json
import os
import re
import tempfile
import zipfile
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from django.conf import settings
from django.core.exceptions import FieldDoesNotExist
from django.db import connection, models, transaction
from django.utils import timezone

from debates.exports.kinds import KINDS, Kind
from debates.exports.streaming import csv_lines, json_chunks
from pagecache import retire_all

NAME = re.compile(r"^alliance-portal-(\d{4}-\d{2}-\d{2})\.zip$")
LICENCE = {
    "name": "CC-BY-4.0",
    "title": "Creative Commons Attribution 4.0 International",
    "path": "https://creativecommons.org/licenses/by/4.0/",
}


@dataclass(frozen=True)
class Snapshot:
    path: Path
    day: date

    @property
    def name(self) -> str:
        return self.path.name


def snapshot_dir() -> Path:
    return Path(settings.PORTAL_SNAPSHOT_DIR)


def snapshots(directory: Path | None = None) -> list[Snapshot]:
    """The snapshots in the directory, newest first."""
    directory = directory or snapshot_dir()
    if not directory.is_dir():
        return []
    found = []
    for path in directory.iterdir():
        if (match := NAME.match(path.name)) and path.is_file():
            found.append(Snapshot(path, date.fromisoformat(match.group(1))))
    return sorted(found, key=lambda s: s.day, reverse=True)


def latest(directory: Path | None = None) -> Snapshot | None:
    found = snapshots(directory)
    return found[0] if found else None


# Frictionless field types, from the model field a column is read from.
_TYPES = [
    (models.BooleanField, "boolean"),
    (models.DateTimeField, "datetime"),
    (models.DateField, "date"),
    (models.IntegerField, "integer"),
    (models.AutoField, "integer"),
]


def model_field(model, path: str):
    """The model field at ``path`` (``speaker__slug`` follows the foreign key), or None."""
    field = None
    for part in path.split("__"):
        try:
            field = model._meta.get_field(part)
        except FieldDoesNotExist:
            return None
        if field.is_relation:
            model = field.related_model
    return field


def frictionless_type(kind: Kind, field) -> str:
    """What a CSV cell holds. Lists (topics, sources, …) are text joined by "; "."""
    found = model_field(kind.queryset().model, field.read or field.name)
    if found is None or found.is_relation:
        return "string"
    return next((name for cls, name in _TYPES if isinstance(found, cls)), "string")


def table_schema(kind: Kind) -> dict:
    fields = []
    for field in kind.fields:
        entry = {"name": field.name, "type": frictionless_type(kind, field), "description": field.description}
        if entry["type"] == "boolean":
            entry.update(trueValues=["true"], falseValues=["false"])
        fields.append(entry)
    schema = {"fields": fields, "missingValues": [""]}
    keys = [f.name for f in kind.fields if f.name in ("slug", "id")]
    if keys:
        schema["primaryKey"] = keys[:1]
    return schema


def _write(path: Path, chunks) -> tuple[int, str]:
    """Write the chunks (text or bytes); the file's size and SHA-256."""
    digest, size = hashlib.sha256(), 0
    with path.open("wb") as out:
        for chunk in chunks:
            data = chunk.encode() if isinstance(chunk, str) else bytes(chunk)
            digest.update(data)
            size += len(data)
            out.write(data)
    return size, digest.hexdigest()


def descriptor(day: date, resources: list[dict], site: str = "") -> dict:
    portal = {"title": "Alliance Portal: the record of the open-versus-closed AI debate"}
    if site:
        portal["path"] = site.rstrip("/") + "/data/"
    return {
        "name": "alliance-portal",
        "title": f"Alliance Portal snapshot of {day.isoformat()}",
        "description": (
            "Who stands where in the debate over open versus closed AI: coalitions, organizations, memberships,"
            " people, affiliations, positions, topics, policy items, sources and approved comments. Every record"
            " cites its sources (the `sources` resource lists them all). Direct quotations remain their speakers'"
            " words. CSV cells that a spreadsheet would run as a formula start with a ' ."
        ),
        "version": day.isoformat(),
        "created": timezone.now().replace(microsecond=0).isoformat(),
        "licenses": [LICENCE],
        "sources": [portal],
        "resources": resources,
    }


def write_snapshot(directory: Path | None = None, *, day: date | None = None, site: str = "") -> Snapshot:
    """Write today's snapshot (replacing one of the same day) and return it."""
    directory = directory or snapshot_dir()
    directory.mkdir(parents=True, exist_ok=True)
    day = day or timezone.localdate()
    folder = f"alliance-portal-{day.isoformat()}"
    target = directory / f"{folder}.zip"
    with tempfile.TemporaryDirectory(dir=directory, prefix=".writing-") as work:
        work = Path(work)
        resources = _write_files(work)
        (work / "datapackage.json").write_text(
            json.dumps(descriptor(day, resources, site), indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
        )
        partial = work / "snapshot.zip"
        with zipfile.ZipFile(partial, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            for name in ["datapackage.json", *(r["path"] for r in resources)]:
                archive.write(work / name, f"{folder}/{name}")
        os.replace(partial, target)  # atomic: a reader gets the old file or the new, never half of one
    retire_all()  # /data/ names the latest snapshot
    return Snapshot(target, day)


def _write_files(work: Path) -> list[dict]:
    resources = []
    fresh = not connection.in_atomic_block
    with transaction.atomic():
        if fresh:  # one moment for every file (inside a test's transaction, it is one already)
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        for kind in KINDS.values():
            queryset = kind.queryset().order_by("pk")
            size, sha = _write(work / f"{kind.slug}.csv", csv_lines(kind, queryset))
            resources.append(
                {
                    "name": kind.slug,
                    "title": f"{kind.title} (CSV)",
                    "description": kind.description,
                    "path": f"{kind.slug}.csv",
                    "profile": "tabular-data-resource",
                    "format": "csv",
                    "mediatype": "text/csv",
                    "encoding": "utf-8",
                    "dialect": {"delimiter": ",", "doubleQuote": True, "header": True},
                    "bytes": size,
                    "hash": f"sha256:{sha}",
                    "schema": table_schema(kind),
                    "licenses": [LICENCE],
                }
            )
            size, sha = _write(work / f"{kind.slug}.json", json_chunks(kind, queryset))
            resources.append(
                {
                    "name": f"{kind.slug}-json",
                    "title": f"{kind.title} (JSON)",
                    "description": f"{kind.description} The same rows as {kind.slug}.csv, lists kept as lists.",
                    "path": f"{kind.slug}.json",
                    "format": "json",
                    "mediatype": "application/json",
                    "encoding": "utf-8",
                    "bytes": size,
                    "hash": f"sha256:{sha}",
                    "licenses": [LICENCE],
                }
            )
    return resources
