from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import timezone

from alliance_portal.management.commands._pg import run


class Command(BaseCommand):
    help = "Write a timestamped pg_dump (custom format) of the database under var/backups/."

    def add_arguments(self, parser):
        parser.add_argument("--dir", default=str(settings.VAR_DIR / "backups"))

    def handle(self, *args, dir, **options):
        folder = Path(dir)
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"alliance_portal-{timezone.now():%Y%m%d-%H%M%S}.dump"
        # Cached pages (the UNLOGGED portal_page, pagecache.shared) are not the record: the table,
        # not its rows, so a backup is not hundreds of MB of pages a restore would retire anyway.
        options = ["--format=custom", "--no-owner", "--no-privileges", "--no-unlogged-table-data"]
        run("pg_dump", [*options, f"--file={path}"])
        self.stdout.write(self.style.SUCCESS(f"Backup written to {path}"))
