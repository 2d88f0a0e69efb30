"""manage.py export_snapshot [--dir DIR] [--site URL]: today's snapshot of the whole record."""

from pathlib import Path

from django.core.management.base import BaseCommand

from debates.exports.snapshot import snapshot_dir, write_snapshot


class Command(BaseCommand):
    help = (
        "Write alliance-portal-YYYY-MM-DD.zip: every kind of /data/ as CSV and JSON, with a Frictionless"
        " datapackage.json. /data/ links the latest."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dir", type=Path, default=None, help="Where to write it (default PORTAL_SNAPSHOT_DIR).")
        parser.add_argument("--site", default="", help="The portal's address, e.g. https://portal.example.org.")

    def handle(self, *args, dir=None, site="", **options):
        snapshot = write_snapshot(dir or snapshot_dir(), site=site)
        size = snapshot.path.stat().st_size
        self.stdout.write(f"Wrote {snapshot.path} ({size:,} bytes).")
