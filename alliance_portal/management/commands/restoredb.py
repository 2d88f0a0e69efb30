import subprocess
from pathlib import Path

import psycopg2
from django.core.cache import cache
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from psycopg2 import sql

from alliance_portal.management.commands._pg import run
from pagecache import retire_all
from pagecache.store import clear_shared


class Command(BaseCommand):
    help = (
        "Restore a backup made by backupdb into an empty database: the configured one, "
        "or a new one created with --into NAME."
    )

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--into", help="Create this database and restore into it.")

    def handle(self, *args, file, into, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"No backup file at {path}.")
        target = into or connection.settings_dict["NAME"]
        if into:
            self._create_database(into)
        elif self._has_tables(target):
            raise CommandError(
                f"Database “{target}” is not empty. Restore into an empty database, or use --into NEW_NAME."
            )
        try:
            run(
                "pg_restore",
                ["--no-owner", "--no-privileges", "--exit-on-error", f"--dbname={target}", str(path)],
                target,
            )
        except subprocess.CalledProcessError as error:
            raise CommandError(f"pg_restore failed: {error.stderr.strip()}") from error
        self.stdout.write(self.style.SUCCESS(f"Restored {path} into database “{target}”."))
        if not into:
            # The restore rewinds the data version: pages rendered since the backup, kept under
            # later versions in a shared cache outside the database (Redis), would pass for fresh.
            # Empty it, and retire every page; running workers keep their own pages in memory.
            cache.clear()
            clear_shared()  # the pages, wherever they are shared (a table when there is no Redis)
            retire_all()
            self.stdout.write("Restart the web server before readers use the restored data.")

    def _has_tables(self, database: str) -> bool:
        with connection.cursor() as cursor:
            cursor.execute("SELECT current_database()")
            if cursor.fetchone()[0] != database:
                raise CommandError("Only the configured database or a new one (--into) can be restored into.")
            cursor.execute("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")
            return cursor.fetchone()[0] > 0

    def _create_database(self, name: str) -> None:
        params = {**connection.get_connection_params(), "dbname": "postgres"}
        params.pop("database", None)
        params.pop("cursor_factory", None)
        conn = psycopg2.connect(**params)
        conn.autocommit = True
        try:
            with conn.cursor() as cursor:
                cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        except psycopg2.errors.DuplicateDatabase as error:
            raise CommandError(f"Database “{name}” already exists; choose a new name.") from error
        finally:
            conn.close()
