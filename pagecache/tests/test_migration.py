"""The data version sequence moved from debates' migrations to pagecache's own."""

from django.db import connection

from pagecache import retire_all
from pagecache.store import data_version


def test_creating_the_sequence_again_keeps_its_value(db):
    """A database migrated before pagecache existed has the sequence already (debates 0004)."""
    from importlib import import_module

    migration = import_module("pagecache.migrations.0001_data_version_sequence")
    retire_all()
    before = data_version()
    with connection.cursor() as cursor:
        cursor.execute(migration.CREATE)
    assert data_version() == before > 0
