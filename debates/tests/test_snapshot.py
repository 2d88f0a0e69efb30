"""Snapshots: `manage.py export_snapshot` writes every kind as CSV and JSON with a
Frictionless Data Package descriptor; it validates, round-trips to the database's rows,
keeps the downloads' CSV neutralising, and /data/ links the latest."""

import csv
import datetime
import io
import json
import zipfile

import frictionless
import pytest
from django.core.management import call_command

from debates.exports import snapshot
from debates.exports.kinds import KINDS
from debates.models import Comment, Position
from debates.tests.factories import make_position
from members.models import Person, Source


@pytest.fixture
def snapshots(settings, tmp_path):
    settings.PORTAL_SNAPSHOT_DIR = tmp_path / "snapshots"
    return settings.PORTAL_SNAPSHOT_DIR


def unpack(path, into):
    with zipfile.ZipFile(path) as archive:
        archive.extractall(into)
        (folder,) = {name.split("/")[0] for name in archive.namelist()}
    return into / folder


@pytest.fixture
def written(seed, snapshots, tmp_path):
    position = Position.objects.get(slug="yann-lecun-massive-corporate-lobbying")
    Comment.objects.create(
        position=position, author_name="Shown", body_markdown="Yes", body_html="<p>Yes</p>", status="approved"
    )
    Comment.objects.create(
        position=position, author_name="Held", body_markdown="No", body_html="<p>No</p>", email="a@b.example"
    )
    out = io.StringIO()
    call_command("export_snapshot", "--site", "https://portal.example.org", stdout=out)
    (written,) = snapshot.snapshots()
    assert str(written.path) in out.getvalue()
    return unpack(written.path, tmp_path / "unpacked")


def test_the_snapshot_is_dated_and_holds_every_kind_as_csv_and_json(written):
    today = datetime.date.today().isoformat()
    assert written.name == f"alliance-portal-{today}"
    package = json.loads((written / "datapackage.json").read_text())
    assert package["version"] == today
    assert package["licenses"][0]["name"] == "CC-BY-4.0"
    assert package["sources"][0]["path"] == "https://portal.example.org/data/"
    paths = {r["path"] for r in package["resources"]}
    assert paths == {f"{slug}.{fmt}" for slug in KINDS for fmt in ("csv", "json")}
    positions = next(r for r in package["resources"] if r["path"] == "positions.csv")
    types = {f["name"]: f["type"] for f in positions["schema"]["fields"]}
    assert types["said_on"] == "date" and types["speaks_for"] == "boolean" and types["summary"] == "string"
    assert positions["schema"]["primaryKey"] == ["slug"]


def test_it_validates_as_a_frictionless_data_package(written):
    report = frictionless.validate(str(written / "datapackage.json"))
    assert report.valid, report.flatten(["taskNumber", "rowNumber", "fieldName", "type", "note"])[:10]


def test_the_validator_would_see_a_broken_file(written):
    """A guard for the guard: a date that is not one, and the file's hash no longer matching."""
    path = written / "sources.csv"
    path.write_text(path.read_text().replace(",2023-12-05,", ",5 December,", 1))
    assert not frictionless.validate(str(written / "datapackage.json")).valid


def test_loading_the_csvs_gives_the_databases_rows(written):
    package = frictionless.Package(str(written / "datapackage.json"))
    tables = {}
    for resource in package.resources:
        if resource.name in KINDS:
            tables[resource.name] = resource.read_rows()
    assert {
        r["slug"]: (r["said_on"], r["speaks_for"], r["stance"], r["speaker_slug"]) for r in tables["positions"]
    } == {
        p.slug: (p.said_on, p.speaks_for, p.stance, p.speaker.slug) for p in Position.objects.select_related("speaker")
    }
    assert {r["id"]: (r["title"], r["published_on"]) for r in tables["sources"]} == {
        s.id: (s.title, s.published_on) for s in Source.objects.all()
    }
    assert {r["slug"] for r in tables["people"]} == set(Person.objects.values_list("slug", flat=True))
    assert [(r["author_name"], r["position"]) for r in tables["comments"]] == [
        ("Shown", "yann-lecun-massive-corporate-lobbying")
    ]
    for kind in KINDS.values():
        assert len(tables[kind.slug]) == kind.queryset().count(), kind.slug


def test_json_holds_the_same_rows_as_the_csv(written):
    for slug in KINDS:
        rows = json.loads((written / f"{slug}.json").read_text())
        with (written / f"{slug}.csv").open(newline="") as f:
            table = list(csv.DictReader(f))
        assert len(rows) == len(table), slug
        assert [list(r) for r in rows[:1]] == [list(t) for t in table[:1]], slug  # same fields, same order


def test_the_same_csv_neutralising_as_the_downloads(seed, snapshots, tmp_path, client):
    tricky = make_position(summary='=HYPERLINK("https://evil.example")')
    written = unpack(snapshot.write_snapshot().path, tmp_path / "u")
    with (written / "positions.csv").open(newline="") as f:
        row = next(r for r in csv.DictReader(f) if r["slug"] == tricky.slug)
    assert row["summary"] == '\'=HYPERLINK("https://evil.example")'
    download = b"".join(client.get("/data/positions.csv").streaming_content)
    assert (written / "positions.csv").read_bytes() == download
    rows = json.loads((written / "positions.json").read_text())
    assert next(r for r in rows if r["slug"] == tricky.slug)["summary"] == tricky.summary


def test_no_address_of_a_commenter_is_in_it(written):
    text = "".join(path.read_text() for path in written.iterdir())
    assert "a@b.example" not in text and "Held" not in text


def test_the_data_page_links_the_latest_snapshot_and_streams_it(client, seed, snapshots):
    assert "No snapshot has been written yet" in client.get("/data/").content.decode()
    older = snapshot.write_snapshot(day=datetime.date(2026, 1, 31))
    newer = snapshot.write_snapshot(day=datetime.date(2026, 2, 1))
    html = client.get("/data/").content.decode()  # the cached page was retired by the export
    assert f'href="/data/snapshots/{newer.name}"' in html and "1 February 2026" in html
    assert older.name not in html
    response = client.get(f"/data/snapshots/{older.name}")
    assert response.status_code == 200 and response.streaming
    assert response["Content-Type"] == "application/zip"
    assert b"".join(response.streaming_content) == older.path.read_bytes()
    assert client.get("/data/snapshots/alliance-portal-2020-01-01.zip").status_code == 404


def test_a_second_export_the_same_day_replaces_the_first(seed, snapshots):
    first = snapshot.write_snapshot()
    make_position(summary="Said after the first export.")
    second = snapshot.write_snapshot()
    assert first.path == second.path and len(snapshot.snapshots()) == 1
    with zipfile.ZipFile(second.path) as archive:
        positions = archive.read(f"{second.path.stem}/positions.csv").decode()
    assert "Said after the first export." in positions
    assert not [p for p in snapshots.iterdir() if p.name.startswith(".writing-")]
